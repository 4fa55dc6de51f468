"""podcontrol: the helpers every pod-owning controller shares."""

from __future__ import annotations

from typing import Any

from k8snb import Cluster
from k8snb.api.labels import selector_from_set
from k8snb.clock import parse_time
from k8snb.controllers.podcontrol import (
    ActivePodsWithRanks,
    ControllerRefManager,
    PodControl,
    controller_ref,
    is_pod_active,
    is_pod_available,
    is_pod_ready,
    pod_from_template,
    pods_to_delete,
    slow_start_batch,
)

T0 = "2026-01-05T09:00:00Z"
NOW = parse_time("2026-01-05T10:00:00Z")


def pod(name: str, *, node: str = "n1", phase: str = "Running", ready: bool = True,
        ready_at: str = T0, created: str = T0, restarts: int = 0, cost: str | None = None,
        uid: str | None = None, deleting: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": "default", "uid": uid or f"uid-{name}",
                            "creationTimestamp": created, "labels": {"app": "web"}}
    if cost is not None:
        meta["annotations"] = {"controller.kubernetes.io/pod-deletion-cost": cost}
    if deleting:
        meta["deletionTimestamp"] = T0
    return {"metadata": meta, "spec": {"nodeName": node},
            "status": {"phase": phase,
                       "conditions": [{"type": "Ready", "status": str(ready),
                                       "lastTransitionTime": ready_at}],
                       "containerStatuses": [{"restartCount": restarts}]}}


def order(*pods: dict[str, Any], ranks: list[int] | None = None) -> list[str]:
    ranked = ActivePodsWithRanks(pods, ranks or [0] * len(pods), NOW).sorted()
    return [p["metadata"]["name"] for p in ranked]


def test_rank_rules_in_upstream_order() -> None:
    # 1. unscheduled first
    assert order(pod("a"), pod("b", node="")) == ["b", "a"]
    # 2. Pending < Unknown < Running
    assert order(pod("r"), pod("u", phase="Unknown"), pod("p", phase="Pending")) == [
        "p", "u", "r"]
    # 3. not ready first
    assert order(pod("a"), pod("b", ready=False)) == ["b", "a"]
    # 4. lower deletion cost first; malformed costs count as 0
    assert order(pod("a", cost="5"), pod("b", cost="-1"), pod("c", cost="+9")) == [
        "b", "c", "a"]
    assert order(pod("a", cost="1"), pod("b", cost="007")) == ["b", "a"]
    # 5. doubled up (higher rank) first
    assert order(pod("a"), pod("b"), ranks=[1, 3]) == ["b", "a"]
    # 6. ready for less time first (different power-of-two buckets)
    assert order(pod("old", ready_at="2026-01-05T09:00:00Z"),
                 pod("new", ready_at="2026-01-05T09:59:00Z")) == ["new", "old"]
    # 7. more restarts first
    assert order(pod("a", restarts=1), pod("b", restarts=4)) == ["b", "a"]
    # 8. newer first
    assert order(pod("old", created="2026-01-05T08:00:00Z"),
                 pod("new", created="2026-01-05T09:59:30Z")) == ["new", "old"]


def test_logarithmic_buckets_break_ties_by_uid() -> None:
    # Ready 40 and 50 minutes ago fall in the same power-of-two bucket of nanoseconds,
    # so the uid decides, not the exact time.
    a = pod("a", ready_at="2026-01-05T09:20:00Z", uid="b-uid")
    b = pod("b", ready_at="2026-01-05T09:10:00Z", uid="a-uid")
    assert order(a, b) == ["b", "a"]
    # Different ready times in one bucket end the comparison: restarts are never looked at.
    assert order(pod("c", ready_at="2026-01-05T09:10:00Z", uid="c-uid", restarts=9),
                 pod("d", ready_at="2026-01-05T09:20:00Z", uid="a-uid")) == ["d", "c"]
    assert order(pod("x", cost="1", uid="0"), pod("y", cost="0", uid="9")) == ["y", "x"]


def test_pods_to_delete_counts_related_pods_per_node() -> None:
    a, b, c = pod("a", node="n1"), pod("b", node="n2"), pod("c", node="n2")
    assert [p["metadata"]["name"] for p in pods_to_delete([a, b, c], [a, b, c], 1, NOW)] in (
        ["b"], ["c"])
    # A terminating related pod does not count.
    gone = pod("z", node="n1", deleting=True)
    assert pods_to_delete([a, b], [a, b, gone], 1, NOW) == pods_to_delete([a, b], [a, b], 1, NOW)
    # No related pods (a bare ReplicaSet): no doubling-up rule.
    assert pods_to_delete([a, b], [], 2, NOW) == [a, b]


def test_active_ready_available() -> None:
    assert is_pod_active(pod("a"))
    assert not is_pod_active(pod("a", phase="Succeeded"))
    assert not is_pod_active(pod("a", deleting=True))
    assert is_pod_ready(pod("a")) and not is_pod_ready(pod("a", ready=False))
    p = pod("a", ready_at="2026-01-05T09:59:50Z")
    assert is_pod_available(p, 0, NOW)
    assert is_pod_available(p, 9, NOW)
    assert not is_pod_available(p, 10, NOW)  # strictly before, as upstream
    assert not is_pod_available(pod("a", ready=False), 0, NOW)


def test_slow_start_batches_double_and_stop_on_error() -> None:
    calls: list[int] = []

    def ok() -> None:
        calls.append(1)

    assert slow_start_batch(10, 1, ok) == (10, None)
    assert len(calls) == 10
    results = iter([None, None, None, None, ValueError("quota"), None, None] + [None] * 10)
    done, err = slow_start_batch(20, 1, lambda: next(results))
    # batches 1, 2, 4: the third holds the error; it finishes, the rest are skipped.
    assert done == 6 and str(err) == "quota"


def test_pod_from_template() -> None:
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
             "metadata": {"name": "web-7d9c8", "uid": "u1", "namespace": "default"}}
    template = {"metadata": {"labels": {"app": "web"}, "annotations": {"a": "b"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    p = pod_from_template(template, owner, controller_ref(owner))
    assert p["metadata"] == {
        "generateName": "web-7d9c8-", "labels": {"app": "web"}, "annotations": {"a": "b"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9c8",
                             "uid": "u1", "controller": True, "blockOwnerDeletion": True}]}
    p["spec"]["containers"][0]["image"] = "changed"
    assert template["spec"]["containers"][0]["image"] == "nginx"


def test_pod_control_events_and_claiming() -> None:
    c = Cluster(workers=1, seed=0)
    owner = c.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": "owner", "namespace": "default"}})
    control = PodControl(c.api, "test-controller")
    template = {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    made = control.create_pod("default", template, owner, controller_ref(owner))
    name = made["metadata"]["name"]
    assert name.startswith("owner-")
    control.delete_pod("default", name, owner)
    evs = [(e["reason"], e["message"], e["source"]["component"]) for e in c.api.events_for(owner)]
    assert evs == [("SuccessfulCreate", f"Created pod: {name}", "test-controller"),
                   ("SuccessfulDelete", f"Deleted pod: {name}", "test-controller")]
    # Claiming: adopt a matching orphan, ignore a foreign pod, release a mismatching one.
    c.kubectl("run orphan --image=nginx --labels=app=web")
    c.kubectl("run other --image=nginx --labels=app=db")
    foreign = c.api.get("pods", "orphan")
    foreign["metadata"]["name"] = "foreign"
    for k in ("uid", "resourceVersion", "creationTimestamp"):
        foreign["metadata"].pop(k)
    foreign["metadata"]["ownerReferences"] = [{"apiVersion": "v1", "kind": "ConfigMap",
                                               "name": "x", "uid": "zzz", "controller": True}]
    foreign["spec"].pop("nodeName", None)
    foreign.pop("status", None)
    c.api.create(foreign)
    mine = c.api.get("pods", "other")
    mine["metadata"]["ownerReferences"] = [controller_ref(owner)]
    c.api.update(mine)
    pods = [c.api.get("pods", n) for n in ("orphan", "other", "foreign")]
    claimed = ControllerRefManager(c.api, owner, selector_from_set({"app": "web"})).claim_pods(
        pods)
    assert [p["metadata"]["name"] for p in claimed] == ["orphan"]
    assert c.api.get("pods", "orphan")["metadata"]["ownerReferences"] == [controller_ref(owner)]
    assert "ownerReferences" not in c.api.get("pods", "other")["metadata"]
    assert c.api.get("pods", "foreign")["metadata"]["ownerReferences"][0]["uid"] == "zzz"
