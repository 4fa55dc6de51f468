"""The ReplicaSet controller, as a learner sees it through kubectl and the clock."""

from __future__ import annotations

import re

import yaml

from k8snb import Cluster


def rs_manifest(name: str = "web", replicas: int = 3, *, labels: dict | None = None,
                min_ready: int | None = None, sa: str | None = None,
                image: str = "nginx") -> str:
    labels = labels or {"app": name}
    spec: dict = {"replicas": replicas, "selector": {"matchLabels": labels},
                  "template": {"metadata": {"labels": labels},
                               "spec": {"containers": [{"name": "c", "image": image}]}}}
    if min_ready is not None:
        spec["minReadySeconds"] = min_ready
    if sa is not None:
        spec["template"]["spec"]["serviceAccountName"] = sa
    return yaml.safe_dump({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                           "metadata": {"name": name}, "spec": spec})


def make(c: Cluster, **kw: object) -> None:
    r = c.kubectl("apply -f -", stdin=rs_manifest(**kw))  # type: ignore[arg-type]
    assert r.returncode == 0, r.stderr


def live_pods(c: Cluster, selector: str = "app=web") -> list[dict]:
    return [p for p in c.api.list("pods", "default", label_selector=selector)
            if not p["metadata"].get("deletionTimestamp")]


def events(c: Cluster, name: str = "web", kind: str = "replicasets") -> list[tuple[str, str]]:
    rs = c.api.get(kind, name)
    return [(e["reason"], e["message"]) for e in c.api.events_for(rs)]


def test_creates_pods_named_after_it_with_a_controller_reference() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    pods = live_pods(c)
    assert len(pods) == 3
    rs = c.api.get("replicasets", "web")
    for p in pods:
        assert re.fullmatch(r"web-[bcdfghjklmnpqrstvwxz2456789]{5}", p["metadata"]["name"])
        assert p["metadata"]["ownerReferences"] == [{
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web",
            "uid": rs["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
        assert p["metadata"]["labels"] == {"app": "web"}
    names = sorted(p["metadata"]["name"] for p in pods)
    assert sorted(events(c)) == [("SuccessfulCreate", f"Created pod: {n}") for n in names]
    desc = c.kubectl("describe rs web").stdout
    assert "replicaset-controller  Created pod: web-" in desc
    c.settle()
    out = c.kubectl("get rs web").stdout.splitlines()
    assert out[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    assert out[1].split()[:4] == ["web", "3", "3", "3"]
    status = c.api.get("replicasets", "web")["status"]
    assert status == {"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3,
                      "availableReplicas": 3, "terminatingReplicas": 0,
                      "observedGeneration": 1}


def test_deleted_pod_is_replaced() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    before = {p["metadata"]["name"] for p in live_pods(c)}
    victim = sorted(before)[0]
    c.kubectl(f"delete pod {victim} --wait=false")
    pods = live_pods(c)
    assert len(pods) == 3 and victim not in {p["metadata"]["name"] for p in pods}
    new = ({p["metadata"]["name"] for p in pods} - before).pop()
    assert events(c)[-1] == ("SuccessfulCreate", f"Created pod: {new}")
    # While the old pod terminates it counts in terminatingReplicas, not in replicas.
    status = c.api.get("replicasets", "web")["status"]
    assert status["replicas"] == 3 and status["terminatingReplicas"] == 1
    c.settle()
    status = c.api.get("replicasets", "web")["status"]
    assert status["readyReplicas"] == 3 and status["terminatingReplicas"] == 0


def test_scale_up_and_down_updates_status_and_generation() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=2)
    c.settle()
    assert c.kubectl("scale rs web --replicas=4").stdout == "replicaset.apps/web scaled\n"
    assert len(live_pods(c)) == 4
    c.settle()
    assert c.api.get("replicasets", "web")["status"]["observedGeneration"] == 2
    c.kubectl("scale rs web --replicas=1")
    assert len(live_pods(c)) == 1
    deletes = [m for r, m in events(c) if r == "SuccessfulDelete"]
    assert len(deletes) == 3 and all(m.startswith("Deleted pod: web-") for m in deletes)
    c.kubectl("scale rs web --replicas=0")
    assert live_pods(c) == []
    c.settle()
    assert c.api.list("pods", "default") == []
    status = c.api.get("replicasets", "web")["status"]
    assert status == {"replicas": 0, "terminatingReplicas": 0, "observedGeneration": 4}


def test_scale_down_removes_pending_pods_before_running_ones() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=2)
    c.settle()
    running = {p["metadata"]["name"] for p in live_pods(c)}
    c.kubectl("scale rs web --replicas=4")  # two new pods, still pulling their image
    c.kubectl("scale rs web --replicas=2")
    assert {p["metadata"]["name"] for p in live_pods(c)} == running


def test_scale_down_honours_pod_deletion_cost() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=3)
    c.settle()
    names = sorted(p["metadata"]["name"] for p in live_pods(c))
    for n, cost in zip(names, ("10", "-5", "3"), strict=True):
        c.kubectl(f"annotate pod {n} controller.kubernetes.io/pod-deletion-cost={cost}")
    c.kubectl("scale rs web --replicas=2")
    assert sorted(p["metadata"]["name"] for p in live_pods(c)) == [names[0], names[2]]
    c.kubectl("scale rs web --replicas=1")
    assert [p["metadata"]["name"] for p in live_pods(c)] == [names[0]]


def test_adopts_matching_orphans_and_leaves_other_controllers_pods_alone() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("run stray --image=nginx --labels=app=web")
    make(c, name="other", labels={"app": "web"}, replicas=1)
    # "other" adopted the orphan instead of creating a pod.
    stray = c.api.get("pods", "stray")
    assert stray["metadata"]["ownerReferences"][0]["name"] == "other"
    assert len(live_pods(c)) == 1
    assert events(c, "other") == []
    # A second ReplicaSet with the same selector never takes pods another one controls.
    make(c, name="web", labels={"app": "web"}, replicas=2)
    owners = sorted(p["metadata"]["ownerReferences"][0]["name"] for p in live_pods(c))
    assert owners == ["other", "web", "web"]
    assert c.api.get("pods", "stray")["metadata"]["ownerReferences"][0]["name"] == "other"


def test_orphan_created_later_is_adopted_and_surplus_deleted() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=2)
    c.settle()
    c.kubectl("run stray --image=nginx --labels=app=web")
    # Adopted, now 3 pods for 2 replicas: the newest, unready pod goes.
    assert len(live_pods(c)) == 2
    assert ("SuccessfulDelete", "Deleted pod: stray") in events(c)


def test_relabelled_pod_is_released_and_replaced() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    name = live_pods(c)[0]["metadata"]["name"]
    r = c.kubectl(f"label pod {name} app=debug --overwrite")
    assert r.returncode == 0, r.stderr
    released = c.api.get("pods", name)
    assert "ownerReferences" not in released["metadata"]
    assert len(live_pods(c)) == 3 and name not in {p["metadata"]["name"] for p in live_pods(c)}
    assert events(c)[-1][0] == "SuccessfulCreate"
    # Label it back: it is adopted again and one pod too many is deleted.
    c.kubectl(f"label pod {name} app=web --overwrite")
    assert len(live_pods(c)) == 3
    assert events(c)[-1][0] == "SuccessfulDelete"


def test_failed_creates_set_replica_failure_and_slow_start() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=5, sa="robot")
    evs = events(c)
    # Slow start: the first batch holds one pod; it fails, nothing else is tried.
    assert len(evs) == 1
    reason, message = evs[0]
    assert reason == "FailedCreate"
    assert re.fullmatch(r'Error creating: pods "web-\w{5}" is forbidden: error looking up '
                        r'service account default/robot: serviceaccount "robot" not found',
                        message)
    rs = c.api.get("replicasets", "web")
    cond = rs["status"]["conditions"]
    assert [(x["type"], x["status"], x["reason"]) for x in cond] == [
        ("ReplicaFailure", "True", "FailedCreate")]
    assert cond[0]["message"] == message.removeprefix("Error creating: ")
    desc = c.kubectl("describe rs web").stdout
    assert re.search(r"ReplicaFailure +True +FailedCreate", desc)
    # The controller retries with exponential back-off (5 ms, 10 ms, 20 ms, ...): within a
    # second about eight more attempts, each with a new generated name.
    c.advance(1)
    fails = [m for r, m in events(c) if r == "FailedCreate"]
    assert 5 < len(fails) < 12 and len(set(fails)) == len(fails)
    c.api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                  "metadata": {"name": "robot", "namespace": "default"}})
    c.advance(5)
    assert len(live_pods(c)) == 5
    assert "conditions" not in c.api.get("replicasets", "web")["status"]


def test_min_ready_seconds_delays_available() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=2, min_ready=30)
    c.advance(10)
    status = c.api.get("replicasets", "web")["status"]
    assert status["readyReplicas"] == 2 and "availableReplicas" not in status
    c.advance(20)
    assert "availableReplicas" not in c.api.get("replicasets", "web")["status"]
    c.advance(5)
    assert c.api.get("replicasets", "web")["status"]["availableReplicas"] == 2


def test_delete_background_removes_pods() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    assert c.kubectl("delete rs web").stdout == 'replicaset.apps "web" deleted\n'
    assert c.kubectl("get rs").stderr == "No resources found in default namespace.\n"
    assert live_pods(c) == []
    c.settle()
    assert c.api.list("pods", "default") == []


def test_delete_foreground_waits_for_pods() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    c.kubectl("delete rs web --cascade=foreground --wait=false")
    rs = c.api.get("replicasets", "web")
    assert rs["metadata"]["deletionTimestamp"]
    assert rs["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert live_pods(c) == []  # all terminating, none replaced
    assert len(c.api.list("pods", "default")) == 3
    c.settle()
    assert c.api.list("pods", "default") == []
    assert c.kubectl("get rs").stderr == "No resources found in default namespace.\n"


def test_delete_orphan_keeps_pods() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    c.kubectl("delete rs web --cascade=orphan")
    c.settle()
    assert c.kubectl("get rs").stderr == "No resources found in default namespace.\n"
    pods = live_pods(c)
    assert len(pods) == 3
    assert all("ownerReferences" not in p["metadata"] for p in pods)
    # A new ReplicaSet with the same selector adopts them instead of creating pods.
    make(c, replicas=3)
    assert sorted(p["metadata"]["name"] for p in live_pods(c)) == sorted(
        p["metadata"]["name"] for p in pods)
    assert events(c) == []


def test_honours_replicas_written_by_another_component() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, name="web-7d9c8f6b5", replicas=1)
    c.api.patch("replicasets", "web-7d9c8f6b5", {"spec": {"replicas": 4}}, "default",
                patch_type="merge")
    c.run_pending()
    pods = live_pods(c, "app=web-7d9c8f6b5")
    assert len(pods) == 4
    assert all(p["metadata"]["name"].startswith("web-7d9c8f6b5-") for p in pods)


def test_same_seed_same_names() -> None:
    def run() -> list[str]:
        c = Cluster(workers=2, seed=3)
        make(c, replicas=4)
        c.settle()
        c.kubectl("scale rs web --replicas=2")
        return sorted(p["metadata"]["name"] for p in live_pods(c))

    assert run() == run()
