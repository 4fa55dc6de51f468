"""Deployment helpers against upstream's tables (deployment_util_test.go, sync_test.go)."""

from __future__ import annotations

from typing import Any

import pytest

from k8snb.controllers.deployment import util

Obj = dict[str, Any]


def deployment(replicas: int = 10, surge: Any = "25%", unavailable: Any = "25%",
               strategy: str = "RollingUpdate") -> Obj:
    spec: Obj = {"replicas": replicas, "strategy": {"type": strategy}}
    if strategy == "RollingUpdate":
        spec["strategy"]["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    return {"metadata": {"name": "web", "namespace": "default", "generation": 1},
            "spec": spec, "status": {}}


def rs(name: str, replicas: int, *, available: int = 0, created: str = "2026-01-05T09:00:00Z",
       annotations: dict[str, str] | None = None) -> Obj:
    return {"metadata": {"name": name, "uid": name, "creationTimestamp": created,
                         "annotations": dict(annotations or {})},
            "spec": {"replicas": replicas, "template": {"metadata": {"labels": {"a": name}}}},
            "status": {"replicas": replicas, "availableReplicas": available}}


@pytest.mark.parametrize(("surge", "unavailable", "desired", "expected"), [
    ("0%", "0%", 0, (0, 1)),        # both zero: maxUnavailable becomes 1
    ("39%", "39%", 10, (4, 3)),     # surge rounds up, unavailable rounds down
    ("25%", "25%", 3, (1, 0)),      # the defaults on 3 replicas: one at a time
    ("25%", "25%", 4, (1, 1)),
    (2, 0, 10, (2, 0)),
    (0, 0, 5, (0, 1)),
    ("100%", "100%", 7, (7, 7)),
])
def test_resolve_fenceposts(surge: Any, unavailable: Any, desired: int,
                            expected: tuple[int, int]) -> None:
    assert util.resolve_fenceposts(surge, unavailable, desired) == expected


@pytest.mark.parametrize(("surge", "unavailable"), [("oops", "39%"), ("55%", "urg"),
                                                    ("5", "1")])
def test_fenceposts_refuse_strings_that_are_not_percentages(surge: str,
                                                            unavailable: str) -> None:
    with pytest.raises(ValueError):
        util.resolve_fenceposts(surge, unavailable, 10)


def test_max_unavailable_and_min_available() -> None:
    assert util.max_unavailable(deployment(10, "25%", "25%")) == 2
    assert util.min_available(deployment(10, "25%", "25%")) == 8
    assert util.max_unavailable(deployment(10, 0, 20)) == 10  # capped at replicas
    assert util.max_unavailable(deployment(0)) == 0
    recreate = deployment(10, strategy="Recreate")
    assert (util.max_unavailable(recreate), util.min_available(recreate),
            util.max_surge(recreate)) == (0, 0, 0)


def test_new_rs_new_replicas_respects_surge() -> None:
    d = deployment(10, "25%", "25%")  # may run 13 pods
    old, new = rs("old", 10), rs("new", 0)
    assert util.new_rs_new_replicas(d, [old, new], new) == 3
    old, new = rs("old", 8), rs("new", 3)
    assert util.new_rs_new_replicas(d, [old, new], new) == 5
    old, new = rs("old", 10), rs("new", 3)  # already at 13: no growth
    assert util.new_rs_new_replicas(d, [old, new], new) == 3
    assert util.new_rs_new_replicas(deployment(10, strategy="Recreate"), [new], new) == 10


def test_replica_set_proportion_uses_max_replicas_annotation() -> None:
    # 10 replicas mid-rollout (old 8 + new 5 = 13 = 10 + 3) scaled to 20 (max 25): the
    # 12 extra pods are shared 8:5 -> old +7, new +5 (sync_test.go TestScale).
    d = deployment(20)
    ann = {util.MAX_REPLICAS_ANNOTATION: "13"}
    old, new = rs("old", 8, annotations=ann), rs("new", 5, annotations=ann)
    assert util.get_replica_set_proportion(old, d, 12, 0) == 7
    assert util.get_replica_set_proportion(new, d, 12, 7) == 5
    # Never more than what is left to add.
    assert util.get_replica_set_proportion(new, d, 12, 10) == 2
    # Scaling to zero takes each ReplicaSet's whole size.
    assert util.get_replica_set_proportion(old, deployment(0), -13, 0) == -8


def test_pod_template_hash_is_deterministic_and_collision_count_changes_it() -> None:
    template = {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}
    h = util.compute_hash(template)
    assert h == util.compute_hash({"spec": template["spec"], "metadata": template["metadata"]})
    assert set(h) <= set("bcdfghjklmnpqrstvwxz2456789")
    assert util.compute_hash(template, 1) != h
    assert util.compute_hash(template, 0) != h  # a set collisionCount is always hashed
    labelled = {"metadata": {"labels": {"app": "web", "pod-template-hash": h}},
                "spec": template["spec"]}
    assert util.equal_ignore_hash(labelled, template)
    assert util.compute_hash(labelled) == h


def test_revision_history_keeps_old_numbers_on_rollback() -> None:
    d = deployment(3)
    r = rs("old", 0, annotations={util.REVISION_ANNOTATION: "1"})
    assert util.set_new_replica_set_annotations(d, r, 3, True)
    ann = r["metadata"]["annotations"]
    assert ann[util.REVISION_ANNOTATION] == "3"
    assert ann[util.REVISION_HISTORY_ANNOTATION] == "1"
    util.set_new_replica_set_annotations(d, r, 5, True)
    assert ann[util.REVISION_HISTORY_ANNOTATION] == "1,3"
    # A lower revision never replaces a higher one.
    assert not util.set_new_replica_set_annotations(d, r, 2, True)


def test_last_revision_and_find_active_or_latest() -> None:
    a = rs("a", 0, annotations={util.REVISION_ANNOTATION: "1"})
    b = rs("b", 0, created="2026-01-05T09:01:00Z", annotations={util.REVISION_ANNOTATION: "3"})
    c = rs("c", 2, created="2026-01-05T09:02:00Z", annotations={util.REVISION_ANNOTATION: "2"})
    assert util.last_revision([a, b, c]) == 2
    assert util.find_active_or_latest(None, [a, b]) is b  # none active: the newest
    assert util.find_active_or_latest(a, [b, c]) is c
    assert util.find_active_or_latest(c, [rs("d", 1)]) is None


def test_timed_out_strictly_after_the_deadline() -> None:
    d = deployment(3)
    d["spec"]["progressDeadlineSeconds"] = 600
    cond = util.new_condition(util.PROGRESSING, "True", util.REASON_RS_UPDATED, "",
                              "2026-01-05T09:00:00Z")
    status = {"conditions": [cond]}
    start = 1767603600.0  # 2026-01-05T09:00:00Z
    assert not util.deployment_timed_out(d, status, start + 600)
    assert util.deployment_timed_out(d, status, start + 601)
    d["spec"]["progressDeadlineSeconds"] = util.MAX_INT32
    assert not util.deployment_timed_out(d, status, start + 10**6)
