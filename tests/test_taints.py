"""Taints: cases from kubectl taint utils_test.go (TestParseTaints, TestReorganizeTaints),
api core/v1 toleration_test.go, the scheduler's tainttoleration tests and the
DefaultTolerationSeconds admission tests."""

import pytest

from k8snb.api.taints import (
    TaintSpecError,
    count_intolerable_prefer_no_schedule,
    default_toleration_seconds,
    find_untolerated_taint,
    parse_taint,
    parse_taints,
    reorganize_taints,
    taint_for_message,
    taint_to_string,
    taints_already_exist,
    toleration_tolerates,
)

# --- kubectl taint specs -------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, taint, remove",
    [
        ("foo=abc:NoSchedule", {"key": "foo", "value": "abc", "effect": "NoSchedule"}, False),
        ("baz:NoSchedule", {"key": "baz", "effect": "NoSchedule"}, False),
        ("foobar=:NoSchedule", {"key": "foobar", "effect": "NoSchedule"}, False),
        (
            "node.kubernetes.io/gpu=true:PreferNoSchedule",
            {"key": "node.kubernetes.io/gpu", "value": "true", "effect": "PreferNoSchedule"},
            False,
        ),
        ("foo:NoExecute-", {"key": "foo", "effect": "NoExecute"}, True),
        ("qux=:NoSchedule-", {"key": "qux", "effect": "NoSchedule"}, True),
        ("foo=abc:NoSchedule-", {"key": "foo", "effect": "NoSchedule"}, True),
        ("dedicated-", {"key": "dedicated"}, True),
    ],
)
def test_parse_taint(spec, taint, remove):
    assert parse_taint(spec) == (taint, remove)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("foo=abc", "invalid taint spec: foo=abc"),  # adding needs an effect
        ("foo", "invalid taint spec: foo"),
        ("foo=abc=xyz:NoSchedule", "invalid taint spec: foo=abc=xyz:NoSchedule"),
        ("foo=abc:xyz:NoSchedule", "invalid taint spec: foo=abc:xyz:NoSchedule"),
        (
            "foo=abc:invalid_effect",
            "invalid taint effect: invalid_effect, unsupported taint effect",
        ),
        ("foo:invalid_effect-", "invalid taint effect: invalid_effect, unsupported taint effect"),
        (
            "foo=a b:NoSchedule",
            "invalid taint spec: foo=a b:NoSchedule, a valid label must be an empty string",
        ),
        (":NoSchedule", "invalid taint spec: :NoSchedule, name part must be non-empty"),
    ],
)
def test_parse_taint_errors_as_kubectl(spec, message):
    with pytest.raises(TaintSpecError) as e:
        parse_taint(spec)
    assert str(e.value).startswith(message)


def test_parse_taints_adds_and_removes():
    to_add, to_remove = parse_taints(
        ["foo=abc:NoSchedule", "bar:NoExecute", "baz-", "qux:NoSchedule-"]
    )
    assert to_add == [
        {"key": "foo", "value": "abc", "effect": "NoSchedule"},
        {"key": "bar", "effect": "NoExecute"},
    ]
    assert to_remove == [{"key": "baz"}, {"key": "qux", "effect": "NoSchedule"}]


def test_parse_taints_rejects_duplicates_by_key_and_effect():
    with pytest.raises(TaintSpecError) as e:
        parse_taints(["foo=abc:NoSchedule", "foo=xyz:NoSchedule"])
    assert (
        str(e.value) == "duplicated taints with the same key and effect: {foo xyz NoSchedule <nil>}"
    )
    # same key, different effect is fine
    assert len(parse_taints(["foo=abc:NoSchedule", "foo=abc:NoExecute"])[0]) == 2


def test_reorganize_taints():
    node = [{"key": "foo", "value": "bar", "effect": "NoSchedule"}]
    op, taints, errs = reorganize_taints(node, False, [{"key": "new", "effect": "NoExecute"}], [])
    assert op == "tainted" and errs == []
    assert taints == [
        {"key": "new", "effect": "NoExecute"},
        {"key": "foo", "value": "bar", "effect": "NoSchedule"},
    ]

    op, taints, errs = reorganize_taints(node, False, [], [{"key": "foo", "effect": "NoSchedule"}])
    assert (op, taints, errs) == ("untainted", [], [])

    op, taints, errs = reorganize_taints(node, False, [], [{"key": "foo"}])
    assert (op, taints) == ("untainted", [])

    op, taints, errs = reorganize_taints(node, False, [], [{"key": "nope", "effect": "NoSchedule"}])
    assert errs == ['taint "nope:NoSchedule" not found']

    # --overwrite replaces the value of the taint with the same key and effect
    op, taints, errs = reorganize_taints(
        node, True, [{"key": "foo", "value": "baz", "effect": "NoSchedule"}], []
    )
    assert op == "modified"
    assert taints == [{"key": "foo", "value": "baz", "effect": "NoSchedule"}]


def test_taints_already_exist_blocks_adds_without_overwrite():
    node = [{"key": "foo", "value": "bar", "effect": "NoSchedule"}]
    assert (
        taints_already_exist(node, [{"key": "foo", "value": "x", "effect": "NoSchedule"}]) == "foo"
    )
    assert taints_already_exist(node, [{"key": "foo", "effect": "NoExecute"}]) == ""


# --- printing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "taint, text",
    [
        (
            {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
            "node-role.kubernetes.io/control-plane:NoSchedule",
        ),
        ({"key": "dedicated", "value": "gpu", "effect": "NoExecute"}, "dedicated=gpu:NoExecute"),
        ({"key": "dedicated", "value": "gpu"}, "dedicated=gpu:"),
        ({"key": "dedicated"}, "dedicated"),
    ],
)
def test_taint_to_string(taint, text):
    assert taint_to_string(taint) == text


def test_scheduler_message_form():
    assert (
        taint_for_message({"key": "dedicated", "value": "user1", "effect": "NoSchedule"})
        == "{dedicated: user1}"
    )
    assert (
        taint_for_message({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"})
        == "{node-role.kubernetes.io/control-plane: }"
    )


# --- toleration matching --------------------------------------------------------------------

TAINT = {"key": "foo", "value": "bar", "effect": "NoSchedule"}


@pytest.mark.parametrize(
    "toleration, tolerated",
    [
        ({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}, True),
        ({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}, True),
        ({"key": "foo", "value": "bar", "effect": "NoSchedule"}, True),  # empty operator is Equal
        ({"key": "foo", "operator": "Equal", "value": "baz", "effect": "NoSchedule"}, False),
        ({"key": "foo", "operator": "Exists", "effect": "NoExecute"}, False),
        ({"key": "foo", "operator": "Exists"}, True),  # empty effect matches every effect
        ({"key": "other", "operator": "Exists"}, False),
        ({"operator": "Exists"}, True),  # empty key + Exists tolerates everything
        ({"operator": "Equal", "value": "bar"}, True),  # empty key matches any key
        ({"key": "foo", "operator": "Gt", "value": "1"}, False),  # alpha gate off
        ({"key": "foo", "operator": "Bogus", "value": "bar"}, False),
    ],
)
def test_toleration_tolerates_taint(toleration, tolerated):
    assert toleration_tolerates(toleration, TAINT) is tolerated


def test_gt_lt_with_the_alpha_gate():
    taint = {"key": "node.example.com/tier", "value": "5", "effect": "NoSchedule"}
    gt = {"key": "node.example.com/tier", "operator": "Gt", "value": "3"}
    lt = {"key": "node.example.com/tier", "operator": "Lt", "value": "3"}
    assert toleration_tolerates(gt, taint, comparison_operators=True)
    assert not toleration_tolerates(lt, taint, comparison_operators=True)
    assert not toleration_tolerates(gt, {**taint, "value": "high"}, comparison_operators=True)


def test_find_untolerated_taint_checks_no_schedule_and_no_execute_only():
    taints = [
        {"key": "soft", "effect": "PreferNoSchedule"},
        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
        {"key": "dedicated", "value": "user1", "effect": "NoExecute"},
    ]
    first = find_untolerated_taint(taints, [])
    assert f"node(s) had untolerated taint {taint_for_message(first)}" == (
        "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
    )
    tolerations = [
        {
            "key": "node-role.kubernetes.io/control-plane",
            "operator": "Exists",
            "effect": "NoSchedule",
        }
    ]
    assert find_untolerated_taint(taints, tolerations) == taints[2]
    tolerations.append({"key": "dedicated", "operator": "Equal", "value": "user1"})
    assert find_untolerated_taint(taints, tolerations) is None
    assert find_untolerated_taint(taints, tolerations, effects=None) == taints[0]
    assert find_untolerated_taint(None, None) is None


def test_prefer_no_schedule_count_for_scoring():
    taints = [
        {"key": "a", "effect": "PreferNoSchedule"},
        {"key": "b", "effect": "PreferNoSchedule"},
        {"key": "c", "effect": "NoSchedule"},
    ]
    assert count_intolerable_prefer_no_schedule(taints, []) == 2
    assert count_intolerable_prefer_no_schedule(taints, [{"key": "a", "operator": "Exists"}]) == 1
    # a NoSchedule-only toleration does not count against PreferNoSchedule taints
    assert (
        count_intolerable_prefer_no_schedule(
            taints, [{"key": "a", "operator": "Exists", "effect": "NoSchedule"}]
        )
        == 2
    )


# --- DefaultTolerationSeconds ----------------------------------------------------------------

NOT_READY = {
    "key": "node.kubernetes.io/not-ready",
    "operator": "Exists",
    "effect": "NoExecute",
    "tolerationSeconds": 300,
}
UNREACHABLE = {
    "key": "node.kubernetes.io/unreachable",
    "operator": "Exists",
    "effect": "NoExecute",
    "tolerationSeconds": 300,
}


def test_default_tolerations_are_added_to_every_pod():
    assert default_toleration_seconds(None) == [NOT_READY, UNREACHABLE]
    other = {"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}
    assert default_toleration_seconds([other]) == [other, NOT_READY, UNREACHABLE]


def test_existing_tolerations_for_those_taints_are_kept():
    mine = {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 700,
    }
    assert default_toleration_seconds([mine]) == [mine, NOT_READY]
    # a toleration with an empty key and empty effect covers both
    everything = {"operator": "Exists"}
    assert default_toleration_seconds([everything]) == [everything]
    # NoSchedule does not cover NoExecute
    no_sched = {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"}
    assert default_toleration_seconds([no_sched]) == [no_sched, NOT_READY, UNREACHABLE]


def test_default_tolerations_do_not_mutate_the_input():
    tolerations = [{"key": "foo", "operator": "Exists"}]
    default_toleration_seconds(tolerations)
    assert tolerations == [{"key": "foo", "operator": "Exists"}]
