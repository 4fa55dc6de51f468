"""ReplicationControllers: the same loop as ReplicaSets, with a plain map selector."""

from __future__ import annotations

import yaml

from k8snb import Cluster


def rc_manifest(name: str = "web", replicas: int = 2, selector: dict | None = None,
                labels: dict | None = None) -> str:
    spec: dict = {"replicas": replicas,
                  "template": {"metadata": {"labels": labels or {"app": name}},
                               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
    if selector is not None:
        spec["selector"] = selector
    return yaml.safe_dump({"apiVersion": "v1", "kind": "ReplicationController",
                           "metadata": {"name": name}, "spec": spec})


def live_pods(c: Cluster, selector: str = "app=web") -> list[dict]:
    return [p for p in c.api.list("pods", "default", label_selector=selector)
            if not p["metadata"].get("deletionTimestamp")]


def test_selector_defaults_to_template_labels_and_pods_are_created() -> None:
    c = Cluster(workers=2, seed=0)
    r = c.kubectl("apply -f -", stdin=rc_manifest())
    assert r.stdout == "replicationcontroller/web created\n"
    rc = c.api.get("replicationcontrollers", "web")
    assert rc["spec"]["selector"] == {"app": "web"}
    pods = live_pods(c)
    assert len(pods) == 2
    for p in pods:
        assert p["metadata"]["name"].startswith("web-")
        assert p["metadata"]["ownerReferences"] == [{
            "apiVersion": "v1", "kind": "ReplicationController", "name": "web",
            "uid": rc["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
    evs = c.api.events_for(rc)
    assert {(e["reason"], e["source"]["component"]) for e in evs} == {
        ("SuccessfulCreate", "replication-controller")}
    c.settle()
    row = c.kubectl("get rc -o wide").stdout.splitlines()[1].split()
    assert row[:4] == ["web", "2", "2", "2"] and row[-1] == "app=web"
    status = c.api.get("replicationcontrollers", "web")["status"]
    assert status == {"replicas": 2, "fullyLabeledReplicas": 2, "readyReplicas": 2,
                      "availableReplicas": 2, "observedGeneration": 1}


def test_map_selector_adopts_and_scales() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("run stray --image=nginx --labels=app=web,tier=x")
    c.kubectl("apply -f -", stdin=rc_manifest(replicas=2, selector={"app": "web"},
                                              labels={"app": "web", "tier": "front"}))
    stray = c.api.get("pods", "stray")
    assert stray["metadata"]["ownerReferences"][0]["kind"] == "ReplicationController"
    assert len(live_pods(c)) == 2
    # The adopted pod lacks the template's tier=front label: not "fully labeled".
    c.settle()
    status = c.api.get("replicationcontrollers", "web")["status"]
    assert status["replicas"] == 2 and status["fullyLabeledReplicas"] == 1
    assert c.kubectl("scale rc web --replicas=3").stdout == \
        "replicationcontroller/web scaled\n"
    assert len(live_pods(c)) == 3
    c.kubectl("scale rc/web --replicas=1")
    assert len(live_pods(c)) == 1


def test_delete_cascades_and_orphans() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=rc_manifest(replicas=2))
    c.settle()
    c.kubectl("delete rc web --cascade=orphan")
    assert len(live_pods(c)) == 2
    assert all("ownerReferences" not in p["metadata"] for p in live_pods(c))
    c.kubectl("apply -f -", stdin=rc_manifest(replicas=2))
    assert all(p["metadata"]["ownerReferences"][0]["name"] == "web" for p in live_pods(c))
    c.kubectl("delete rc web")
    assert live_pods(c) == []


def test_released_pod_is_replaced() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=rc_manifest(replicas=2))
    name = live_pods(c)[0]["metadata"]["name"]
    c.kubectl(f"label pod {name} app=other --overwrite")
    assert "ownerReferences" not in c.api.get("pods", name)["metadata"]
    assert len(live_pods(c)) == 2
