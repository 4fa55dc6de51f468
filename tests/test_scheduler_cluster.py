"""The scheduler inside a whole ``Cluster``: what a learner sees through kubectl."""

from __future__ import annotations

import pytest

from k8snb import Cluster

BIG = """apiVersion: v1
kind: Pod
metadata: {name: %s}
spec:
  containers:
  - name: c
    image: nginx
    resources: {requests: {cpu: "%s"}}
"""


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    c = Cluster(workers=2, seed=0)
    for name in ("big1", "big2", "big3"):
        assert c.kubectl("apply -f -", stdin=BIG % (name, "3")).returncode == 0
    assert c.kubectl("apply -f -", stdin=BIG % ("huge", "5")).returncode == 0
    c.settle()
    return c


def test_two_three_cpu_pods_fit_the_third_stays_pending(cluster: Cluster) -> None:
    rows = {
        line.split()[0]: line.split()
        for line in cluster.kubectl("get pods").stdout.splitlines()[1:]
    }
    assert rows["big1"][2] == "Running" and rows["big2"][2] == "Running"
    assert rows["big3"][2] == "Pending"
    nodes = {cluster.api.get("pods", n)["spec"]["nodeName"] for n in ("big1", "big2")}
    assert nodes == {"worker1", "worker2"}


def test_describe_shows_the_failed_scheduling_event(cluster: Cluster) -> None:
    out = cluster.kubectl("describe pod big3").stdout
    assert "Warning  FailedScheduling  " in out
    assert (
        "default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes "
        "are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims "
        "found for incoming pod." in out
    )
    huge = cluster.api.get("pods", "huge")
    cond = next(c for c in huge["status"]["conditions"] if c["type"] == "PodScheduled")
    assert cond["reason"] == "Unschedulable"
    assert cond["message"].endswith("3 Preemption is not helpful for scheduling.")


def test_scheduled_event_names_the_node(cluster: Cluster) -> None:
    pod = cluster.api.get("pods", "big1")
    events = cluster.api.events_for(pod)
    assert events[0]["reason"] == "Scheduled"
    assert (
        events[0]["message"] == f"Successfully assigned default/big1 to {pod['spec']['nodeName']}"
    )
    assert events[0]["source"]["component"] == "default-scheduler"


def test_deleting_a_pod_lets_the_pending_one_in(cluster: Cluster) -> None:
    where = cluster.api.get("pods", "big1")["spec"]["nodeName"]
    cluster.kubectl("delete pod big1")
    cluster.settle()
    assert cluster.api.get("pods", "big3")["spec"].get("nodeName") == where


def test_why_and_explain_through_the_cluster(cluster: Cluster) -> None:
    text = cluster.scheduler.why("huge")
    assert (
        "worker1: Insufficient cpu (NodeResourcesFit): asks for 5 cpu; worker1 has 4 "
        "allocatable" in text
    )
    table = cluster.scheduler.explain("huge")
    assert not table["fits"].any()
    static = cluster.scheduler.why("kube-system/etcd-control-plane")
    assert "The scheduler did not place it" in static


def test_node_added_later_takes_the_waiting_pod() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=BIG % ("huge", "6"))
    c.settle()
    assert not c.api.get("pods", "huge")["spec"].get("nodeName")
    c.add_node("big", cpu="8", memory="16Gi")
    c.settle()
    assert c.api.get("pods", "huge")["spec"]["nodeName"] == "big"
