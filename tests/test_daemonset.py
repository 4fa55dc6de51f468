"""The DaemonSet controller and the kubeadm add-ons, as a learner sees them."""

from __future__ import annotations

import pytest
import yaml

from k8snb import Cluster
from k8snb.cluster import DEFAULT_START
from k8snb.controllers.daemonset import daemonset_rollout_status


def ds_manifest(*, node_selector: dict | None = None, strategy: dict | None = None,
                image: str = "nginx:1.27", tolerations: list | None = None) -> str:
    pod: dict = {"containers": [{"name": "agent", "image": image}]}
    if node_selector:
        pod["nodeSelector"] = node_selector
    if tolerations:
        pod["tolerations"] = tolerations
    spec: dict = {"selector": {"matchLabels": {"app": "agent"}},
                  "template": {"metadata": {"labels": {"app": "agent"}}, "spec": pod}}
    if strategy:
        spec["updateStrategy"] = strategy
    return yaml.safe_dump({"apiVersion": "apps/v1", "kind": "DaemonSet",
                           "metadata": {"name": "agent"}, "spec": spec})


def make(c: Cluster, **kw: object) -> None:
    r = c.kubectl("apply -f -", stdin=ds_manifest(**kw))  # type: ignore[arg-type]
    assert r.returncode == 0, r.stderr


def by_node(c: Cluster) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for p in c.api.list("pods", "default", label_selector="app=agent"):
        if not p["metadata"].get("deletionTimestamp"):
            out.setdefault(p["spec"].get("nodeName", ""), []).append(p)
    return out


def ds_row(c: Cluster, ns: str = "default", name: str = "agent") -> list[str]:
    out = c.kubectl(f"get ds {name} -n {ns}").stdout.splitlines()
    return out[1].split()[1:6]  # DESIRED CURRENT READY UP-TO-DATE AVAILABLE


def set_image(c: Cluster, image: str) -> None:
    patch = ('{"spec":{"template":{"spec":{"containers":[{"name":"agent","image":"'
             + image + '"}]}}}}')
    r = c.kubectl(["patch", "ds", "agent", "-p", patch])
    assert r.returncode == 0, r.stderr


# -- kubeadm add-ons --------------------------------------------------------------------------


def test_fresh_cluster_runs_kube_proxy_everywhere_and_coredns() -> None:
    c = Cluster(workers=2, seed=0)
    assert c.now.strftime("%Y-%m-%dT%H:%M:%SZ") == DEFAULT_START  # still the first instant
    rows = [line.split() for line in c.kubectl("get pods -A -o wide").stdout.splitlines()[1:]]
    proxies = {r[7]: r for r in rows if r[1].startswith("kube-proxy-")}
    assert set(proxies) == {"control-plane", "worker1", "worker2"}
    assert all(r[2:4] == ["1/1", "Running"] for r in rows), rows
    assert len([r for r in rows if r[1].startswith("coredns-")]) == 2
    assert ds_row(c, "kube-system", "kube-proxy") == ["3", "3", "3", "3", "3"]
    svc = c.api.get("services", "kube-dns", "kube-system")
    assert svc["spec"]["clusterIP"] == "10.96.0.10"
    assert [(p["name"], p["port"], p["protocol"]) for p in svc["spec"]["ports"]] == [
        ("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]
    dep = c.api.get("deployments", "coredns", "kube-system")
    assert dep["spec"]["replicas"] == 2
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == \
        "registry.k8s.io/coredns/coredns:v1.12.0"
    proxy = c.api.get("pods", proxies["worker1"][1], "kube-system")
    assert proxy["spec"]["hostNetwork"] is True
    assert proxy["spec"]["priorityClassName"] == "system-node-critical"


def test_a_joining_node_gets_kube_proxy() -> None:
    c = Cluster(workers=1, seed=0)
    c.add_node("worker2")
    c.settle()
    pods = c.api.list("pods", "kube-system", label_selector="k8s-app=kube-proxy")
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["control-plane", "worker1",
                                                           "worker2"]


# -- placement --------------------------------------------------------------------------------


def test_one_pod_per_schedulable_node_placed_by_the_scheduler() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    nodes = by_node(c)
    assert sorted(nodes) == ["worker1", "worker2"]  # the control plane's taint keeps it off
    pod = nodes["worker1"][0]
    assert pod["metadata"]["generateName"] == "agent-"
    assert pod["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"] == {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In",
                              "values": ["worker1"]}]}]}
    keys = {(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]
            if t.get("operator") == "Exists" and "tolerationSeconds" not in t}
    assert keys == {("node.kubernetes.io/not-ready", "NoExecute"),
                    ("node.kubernetes.io/unreachable", "NoExecute"),
                    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
                    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
                    ("node.kubernetes.io/unschedulable", "NoSchedule")}
    labels = pod["metadata"]["labels"]
    assert labels["pod-template-generation"] == "1" and labels["controller-revision-hash"]
    events = [e for e in c.api.events_for(pod) if e["reason"] == "Scheduled"]
    assert events[0]["source"]["component"] == "default-scheduler"
    ds_events = [(e["reason"], e["message"]) for e in c.api.events_for(c.api.get("ds", "agent"))]
    assert sorted(ds_events) == sorted(
        ("SuccessfulCreate", f"Created pod: {p['metadata']['name']}")
        for ps in nodes.values() for p in ps)
    assert ds_row(c) == ["2", "2", "2", "2", "2"]


def test_tolerating_the_control_plane_taint_puts_a_pod_there_too() -> None:
    c = Cluster(workers=1, seed=0)
    make(c, tolerations=[{"key": "node-role.kubernetes.io/control-plane",
                          "effect": "NoSchedule", "operator": "Exists"}])
    c.settle()
    assert sorted(by_node(c)) == ["control-plane", "worker1"]


def test_new_nodes_get_a_pod_and_removed_nodes_lose_it() -> None:
    c = Cluster(workers=1, seed=0)
    make(c)
    c.settle()
    c.add_node("worker2")
    assert "worker2" in by_node(c)
    node = yaml.safe_dump({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "kwok1"}})
    c.kubectl("apply -f -", stdin=node)  # a Node created through the API (KWOK-style)
    c.settle()
    assert sorted(by_node(c)) == ["kwok1", "worker1", "worker2"]
    c.kubectl("delete node worker2")
    c.settle()
    assert sorted(by_node(c)) == ["kwok1", "worker1"]
    assert c.api.list("pods", "default", field_selector="spec.nodeName=worker2") == []


def test_node_selector_follows_node_labels() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, node_selector={"disk": "ssd"})
    c.settle()
    assert by_node(c) == {} and ds_row(c) == ["0", "0", "0", "0", "0"]
    c.kubectl("label node worker2 disk=ssd")
    c.settle()
    assert list(by_node(c)) == ["worker2"]
    c.kubectl("label node worker2 disk-")
    c.settle()
    assert by_node(c) == {}
    reasons = [e["reason"] for e in c.api.events_for(c.api.get("ds", "agent"))]
    assert reasons == ["SuccessfulCreate", "SuccessfulDelete"]


def test_taints_no_schedule_keeps_no_execute_evicts() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    c.kubectl("taint node worker1 dedicated=db:NoSchedule")
    c.settle()
    assert sorted(by_node(c)) == ["worker1", "worker2"]  # the running pod stays
    status = c.api.get("ds", "agent")["status"]
    assert status["desiredNumberScheduled"] == 1 and status["numberMisscheduled"] == 1
    c.kubectl("taint node worker2 dedicated=db:NoExecute")
    c.settle()
    assert sorted(by_node(c)) == ["worker1"]


def test_cordoned_nodes_keep_and_get_daemon_pods() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("cordon worker1")
    make(c)
    c.settle()
    assert sorted(by_node(c)) == ["worker1", "worker2"]


def test_failed_daemon_pod_is_replaced() -> None:
    c = Cluster(workers=1, seed=0)
    make(c)
    c.settle()
    pod = by_node(c)["worker1"][0]
    failed = {**pod, "status": {**pod["status"], "phase": "Failed"}}
    c.api.update_status(failed)
    c.settle()
    now = by_node(c)["worker1"]
    assert len(now) == 1 and now[0]["metadata"]["name"] != pod["metadata"]["name"]
    messages = [e["message"] for e in c.api.events_for(c.api.get("ds", "agent"))]
    assert (f"Found failed daemon pod default/{pod['metadata']['name']} on node worker1, "
            "will try to kill it") in messages


# -- updates ----------------------------------------------------------------------------------


def test_rolling_update_replaces_one_node_at_a_time() -> None:
    c = Cluster(workers=3, seed=0)
    make(c)
    c.settle()
    old_hash = by_node(c)["worker1"][0]["metadata"]["labels"]["controller-revision-hash"]
    set_image(c, "nginx:1.26")
    ds = c.api.get("ds", "agent")
    assert daemonset_rollout_status(ds) == (
        'Waiting for daemon set "agent" rollout to finish: 0 out of 3 new pods have been '
        "updated...", False)
    seen_unavailable = 0
    for _ in range(40):
        c.advance(0.5)
        pods = [p for ps in by_node(c).values() for p in ps]
        ready = sum(1 for p in pods for cond in p["status"].get("conditions", [])
                    if cond["type"] == "Ready" and cond["status"] == "True")
        seen_unavailable = max(seen_unavailable, 3 - ready)
    assert seen_unavailable == 1  # maxUnavailable: 1
    c.settle()
    pods = [p for ps in by_node(c).values() for p in ps]
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.26"}
    hashes = {p["metadata"]["labels"]["controller-revision-hash"] for p in pods}
    assert len(hashes) == 1 and old_hash not in hashes
    assert {p["metadata"]["labels"]["pod-template-generation"] for p in pods} == {"2"}
    assert daemonset_rollout_status(c.api.get("ds", "agent")) == (
        'daemon set "agent" successfully rolled out', True)
    revs = sorted((r["revision"], r["metadata"]["name"])
                  for r in c.api.list("controllerrevisions", "default"))
    assert revs == [(1, f"agent-{old_hash}"), (2, f"agent-{hashes.pop()}")]


def test_on_delete_waits_for_you() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, strategy={"type": "OnDelete"})
    c.settle()
    set_image(c, "nginx:1.26")
    c.settle()
    assert ds_row(c)[3] == "0"  # UP-TO-DATE
    old = by_node(c)["worker1"][0]["metadata"]["name"]
    c.kubectl(f"delete pod {old}")
    c.settle()
    assert by_node(c)["worker1"][0]["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert by_node(c)["worker2"][0]["spec"]["containers"][0]["image"] == "nginx:1.27"
    with pytest.raises(ValueError, match="only available for RollingUpdate"):
        daemonset_rollout_status(c.api.get("ds", "agent"))


def test_deleting_the_daemonset_removes_its_pods() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    c.kubectl("delete ds agent")
    c.settle()
    assert by_node(c) == {}
    assert c.api.list("controllerrevisions", "default") == []
