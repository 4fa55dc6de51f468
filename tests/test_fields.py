"""Field selectors: cases from apimachinery pkg/fields/selector_test.go and the per-kind field
tables of kubernetes pkg/apis/core/v1/conversion.go."""

import pytest

from k8snb.api.fields import (
    FieldSelectorError,
    escape_value,
    field_value,
    parse_field_selector,
)
from k8snb.api.fields import _split_term as split_term
from k8snb.api.fields import _split_terms as split_terms


@pytest.mark.parametrize("text", ["x=a,y=b,z=c", "", "x!=a,y=b", r"x=a||y\=b", r"x=a\=\=b"])
def test_good_selectors(text):
    parse_field_selector(text)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "x=a||y=b",
            "invalid field selector: unescaped character in value: 61",
        ),  # Go prints the rune's code
        ("x==a==b", "invalid field selector: unescaped character in value: 61"),
        ("x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"),
        ("x in (a)", "invalid selector: 'x in (a)'; can't understand 'x in (a)'"),
        ("x", "invalid selector: 'x'; can't understand 'x'"),
        (r"x=a\b", r"invalid field selector: invalid escape sequence: \b"),
        ("x=a\\", "invalid field selector: invalid escape sequence: \\"),
    ],
)
def test_bad_selectors(text, message):
    with pytest.raises(FieldSelectorError) as e:
        parse_field_selector(text)
    assert str(e.value) == message


def test_parse_is_deterministic_and_prints_canonically():
    assert str(parse_field_selector("x=a,a=x")) == str(parse_field_selector("a=x,x=a")) == "a=x,x=a"
    assert str(parse_field_selector("x==a")) == "x=a"
    assert str(parse_field_selector(r"x=a\,b")) == r"x=a\,b"


@pytest.mark.parametrize(
    "text, obj",
    [
        ("", {"x": "y"}),
        ("x=y", {"x": "y"}),
        ("x=y,z=w", {"x": "y", "z": "w"}),
        ("x!=y,z!=w", {"x": "z", "z": "a"}),
        ("notin=in", {"notin": "in"}),
        (r"x=a\,b", {"x": "a,b"}),
        (r"x=a\=b", {"x": "a=b"}),
        ("x=", {}),  # an absent field is the empty string
    ],
)
def test_matches(text, obj):
    assert parse_field_selector(text).matches(obj)


@pytest.mark.parametrize(
    "text, obj",
    [
        ("x=y", {"x": "z"}),
        ("x=y,z=w", {"x": "w", "z": "w"}),
        ("x!=y,z!=w", {"x": "z", "z": "w"}),
        ("x!=", {}),
    ],
)
def test_does_not_match(text, obj):
    assert not parse_field_selector(text).matches(obj)


@pytest.mark.parametrize(
    "text, terms",
    [
        ("", []),
        ("a", ["a"]),
        ("a,b", ["a", "b"]),
        (",a", ["", "a"]),
        ("a,", ["a", ""]),
        (r"a\,b", [r"a\,b"]),
        ("a\\\\,b", ["a\\\\", "b"]),
    ],
)
def test_split_terms(text, terms):
    assert split_terms(text) == terms


@pytest.mark.parametrize(
    "term, parts",
    [
        ("a=b", ("a", "=", "b")),
        ("a==b", ("a", "==", "b")),
        ("a!=b", ("a", "!=", "b")),
        ("a=!b", ("a", "=", "!b")),
        (r"a\=b", ("a\\", "=", "b")),  # no escaping on the left-hand side
        ("ab", None),
    ],
)
def test_split_term(term, parts):
    assert split_term(term) == parts


def test_escape_value_round_trip():
    assert escape_value("a,b=c\\d") == r"a\,b\=c\\d"
    sel = parse_field_selector("x=" + escape_value("a,b=c\\d"))
    assert sel.matches({"x": "a,b=c\\d"})


# --- per-kind tables ------------------------------------------------------------------------

POD = {
    "metadata": {"name": "web-1", "namespace": "default"},
    "spec": {"nodeName": "node-1", "restartPolicy": "Always", "schedulerName": "default-scheduler"},
    "status": {"phase": "Running", "podIPs": [{"ip": "10.244.1.5"}], "podIP": "10.244.1.5"},
}


@pytest.mark.parametrize(
    "text, match",
    [
        ("metadata.name=web-1", True),
        ("metadata.namespace=default", True),
        ("spec.nodeName=node-1", True),
        ("spec.nodeName=", False),
        ("spec.nodeName!=", True),
        ("status.phase=Running", True),
        ("status.phase!=Running,spec.restartPolicy=Always", False),
        ("status.podIP=10.244.1.5", True),
        ("spec.hostNetwork=false", True),  # absent boolean fields read as "false"
        ("spec.host=node-1", True),  # the old name for spec.nodeName
    ],
)
def test_pod_fields(text, match):
    assert parse_field_selector(text, "Pod").matches(POD) is match


def test_unsupported_pod_field_message():
    with pytest.raises(FieldSelectorError) as e:
        parse_field_selector("spec.containers=x", "Pod")
    assert str(e.value) == "field label not supported: spec.containers"


def test_generic_kinds_accept_name_and_namespace_only():
    sel = parse_field_selector("metadata.name=web", "Deployment")
    assert sel.matches({"metadata": {"name": "web"}})
    with pytest.raises(FieldSelectorError) as e:
        parse_field_selector("foo.bar=baz", "Ingress")
    assert (
        str(e.value)
        == '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"'
    )


def test_node_fields():
    node = {"metadata": {"name": "node-1"}, "spec": {"unschedulable": True}}
    assert parse_field_selector("spec.unschedulable=true", "Node").matches(node)
    assert parse_field_selector("spec.unschedulable=false", "nodes").matches(
        {"metadata": {"name": "n"}, "spec": {}}
    )
    with pytest.raises(FieldSelectorError) as e:
        parse_field_selector("metadata.namespace=default", "Node")
    assert str(e.value) == "field label not supported: metadata.namespace"


def test_event_fields():
    event = {
        "metadata": {"name": "web-1.17a", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "default", "uid": "u-1"},
        "reason": "Scheduled",
        "type": "Normal",
        "source": {"component": "default-scheduler"},
    }
    sel = parse_field_selector("involvedObject.kind=Pod,involvedObject.name=web-1", "Event")
    assert sel.matches(event)
    assert parse_field_selector("source=default-scheduler", "Event").matches(event)
    assert parse_field_selector("type=Warning", "events").matches(event) is False
    newer = {"reportingComponent": "kubelet", "source": {}}
    assert parse_field_selector("source=kubelet", "Event").matches(newer)
    with pytest.raises(FieldSelectorError):
        parse_field_selector("message=x", "Event")


def test_namespace_fields():
    ns = {"metadata": {"name": "dev"}, "status": {"phase": "Terminating"}}
    assert parse_field_selector("status.phase=Terminating", "Namespace").matches(ns)
    with pytest.raises(FieldSelectorError):
        parse_field_selector("metadata.namespace=x", "Namespace")


def test_field_value_and_exact_match():
    assert field_value(POD, "spec.host", "Pod") == "node-1"
    assert field_value({"spec": {"replicas": 3}}, "spec.replicas") == "3"
    sel = parse_field_selector("spec.nodeName=node-1,status.phase!=Failed", "Pod")
    assert sel.requires_exact_match("spec.nodeName") == "node-1"
    assert sel.requires_exact_match("status.phase") is None
    assert parse_field_selector("").empty()
