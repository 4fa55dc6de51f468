"""The scheduler as a component: informers in, bindings, events and conditions out.

Runs on ``MiniCluster`` (API server, informers, clock, the scheduler; no kubelets), so what is
checked is exactly what the scheduler writes through the API.
"""

from __future__ import annotations

from test_scheduler_helpers import CONTROL_PLANE_TAINT, MiniCluster, make_node, make_pod

FAILED_3 = (
    "0/3 nodes are available: 1 node(s) had untolerated taint "
    "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are "
    "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for "
    "incoming pod."
)


def three_nodes(seed: int = 0) -> MiniCluster:
    c = MiniCluster(seed)
    c.create(make_node("control-plane", taints=[CONTROL_PLANE_TAINT]))
    c.create(make_node("worker1"))
    c.create(make_node("worker2"))
    return c


def condition(pod: dict) -> dict:
    return next(x for x in pod["status"]["conditions"] if x["type"] == "PodScheduled")


def test_pod_is_bound_with_an_event_and_a_condition() -> None:
    c = three_nodes()
    c.create(make_pod("web", cpu="100m"))
    pod = c.pod("web")
    node = pod["spec"]["nodeName"]
    assert node in ("worker1", "worker2")
    assert condition(pod)["status"] == "True"
    assert c.events("web") == [
        ("Normal", "Scheduled", f"Successfully assigned default/web to {node}")
    ]
    d = c.scheduler.last_decision("default", "web")
    assert (d.node, d.feasible, d.nodes, d.tied, d.reasons) == (node, 2, 3, 2, ())
    assert d.score == 495  # TaintToleration 300 + LeastAllocated 97 + Balanced 98 + Image 0


def test_failed_scheduling_event_and_condition() -> None:
    c = three_nodes()
    c.create(make_pod("hog1", cpu="3500m", node_name="worker1"))
    c.create(make_pod("hog2", cpu="3500m", node_name="worker2"))
    c.create(make_pod("web", cpu="1"))
    pod = c.pod("web")
    assert "nodeName" not in pod["spec"]
    cond = condition(pod)
    assert (cond["status"], cond["reason"], cond["message"]) == ("False", "Unschedulable", FAILED_3)
    assert c.events("web") == [("Warning", "FailedScheduling", FAILED_3)]
    d = c.scheduler.last_decision("default", "web")
    assert d.node is None and d.message == FAILED_3
    assert dict(d.reasons) == {
        "Insufficient cpu": 2,
        "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }": 1,
    }


def test_five_cpu_pod_on_four_cpu_nodes_stays_pending() -> None:
    c = three_nodes()
    c.create(make_pod("big", cpu="5"))
    cond = condition(c.pod("big"))
    assert cond["reason"] == "Unschedulable"
    assert cond["message"].startswith("0/3 nodes are available: 1 node(s) had untolerated taint")
    assert "2 Insufficient cpu." in cond["message"]
    assert cond["message"].endswith("3 Preemption is not helpful for scheduling.")


def test_control_plane_taint_keeps_every_pod_off_the_control_plane() -> None:
    c = three_nodes()
    for i in range(30):
        c.create(make_pod(f"p{i}", cpu="50m"))
    nodes = {c.pod(f"p{i}")["spec"]["nodeName"] for i in range(30)}
    assert nodes == {"worker1", "worker2"}


def test_least_allocated_spreads_pods_over_workers() -> None:
    c = three_nodes()
    for i in range(10):
        c.create(make_pod(f"p{i}", cpu="200m", memory="256Mi"))
    per_node = [c.pod(f"p{i}")["spec"]["nodeName"] for i in range(10)]
    assert sorted(per_node.count(n) for n in ("worker1", "worker2")) == [5, 5]


def test_cordon_then_uncordon_retries_after_back_off() -> None:
    c = MiniCluster()
    c.create(make_node("worker1", unschedulable=True))
    c.create(make_pod("web"))
    assert condition(c.pod("web"))["message"].startswith(
        "0/1 nodes are available: 1 node(s) were unschedulable."
    )
    node = c.api.get("nodes", "worker1")
    node["spec"]["unschedulable"] = False
    c.api.update(node)
    c.run_pending()
    # the event moved it out of the unschedulable pool, but it backs off 1 s first
    assert "nodeName" not in c.pod("web")["spec"]
    assert c.scheduler.queue.counts()["backoff"] == 1
    c.advance(1)
    assert c.pod("web")["spec"]["nodeName"] == "worker1"


def test_new_node_unblocks_a_waiting_pod() -> None:
    c = MiniCluster()
    c.create(make_node("small", cpu="1"))
    c.create(make_pod("big", cpu="2"))
    c.advance(30)
    c.create(make_node("large", cpu="8"))
    c.advance(10)
    assert c.pod("big")["spec"]["nodeName"] == "large"


def test_deleting_a_pod_frees_room() -> None:
    c = MiniCluster()
    c.create(make_node("w", cpu="2"))
    c.create(make_pod("hog", cpu="2", node_name="w"))
    c.create(make_pod("next", cpu="1"))
    assert "nodeName" not in c.pod("next")["spec"]
    c.api.delete("pods", "hog", grace_period_seconds=0)
    c.advance(10)
    assert c.pod("next")["spec"]["nodeName"] == "w"


def test_unrelated_node_update_does_not_retry() -> None:
    c = MiniCluster()
    c.create(make_node("w", cpu="1"))
    c.create(make_pod("big", cpu="2"))
    node = c.api.get("nodes", "w")
    node["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    c.api.update_status(node)
    c.run_pending()
    assert c.scheduler.queue.counts()["unschedulable"] == 1


def test_unschedulable_pods_are_retried_every_five_minutes() -> None:
    c = MiniCluster()
    c.create(make_node("w", cpu="1"))
    c.create(make_pod("big", cpu="2"))
    c.advance(299)
    assert c.api.events_for(c.pod("big"))[0]["count"] == 1
    c.advance(2)
    assert c.api.events_for(c.pod("big"))[0]["count"] == 2
    assert c.scheduler.last_decision("default", "big").attempt == 2


def test_back_off_doubles_up_to_ten_seconds() -> None:
    from k8snb.scheduler.queue import backoff_duration

    assert [backoff_duration(a) for a in range(1, 7)] == [1, 2, 4, 8, 10, 10]


def test_higher_priority_is_scheduled_first() -> None:
    c = MiniCluster()
    c.create(make_pod("low", cpu="1", priority=0))
    c.create(make_pod("high", cpu="1", priority=1000))
    assert c.scheduler.queue.counts()["unschedulable"] == 2  # no nodes yet
    c.create(make_node("w", cpu="1"))
    c.advance(20)
    assert c.pod("high")["spec"]["nodeName"] == "w"
    assert "nodeName" not in c.pod("low")["spec"]


def test_no_nodes_message() -> None:
    c = MiniCluster()
    c.create(make_pod("web"))
    assert condition(c.pod("web"))["message"] == "no nodes available to schedule pods"


def test_scheduling_gates_hold_a_pod_back() -> None:
    c = MiniCluster()
    c.create(make_node("w"))
    c.create(make_pod("gated", schedulingGates=[{"name": "example.com/wait"}]))
    assert "nodeName" not in c.pod("gated")["spec"]
    assert c.scheduler.queue.counts()["gated"] == 1
    assert c.events("gated") == []
    # removing the last gate (what the informer would deliver) releases it
    ungated = c.pod("gated")
    ungated["spec"]["schedulingGates"] = []
    c.scheduler.queue.update("default/gated", ungated)
    assert c.scheduler.queue.counts()["active"] == 1


def test_other_schedulers_pods_are_left_alone() -> None:
    c = MiniCluster()
    c.create(make_node("w"))
    c.create(make_pod("mine", schedulerName="my-scheduler"))
    assert "nodeName" not in c.pod("mine")["spec"]
    assert c.events("mine") == []


def test_assumed_pods_count_before_the_binding_is_seen() -> None:
    c = MiniCluster()
    c.create(make_node("w", cpu="1"))
    for i in range(3):
        c.api.create(make_pod(f"p{i}", cpu="400m"))
    c.run_pending()
    bound = [c.pod(f"p{i}")["spec"].get("nodeName") for i in range(3)]
    assert bound.count("w") == 2  # the third would overbook the node


def test_same_seed_same_placements() -> None:
    def run(seed: int) -> list[str]:
        c = MiniCluster(seed)
        for i in range(5):
            c.create(make_node(f"w{i}"))
        for i in range(20):
            c.create(make_pod(f"p{i}"))
        return [c.pod(f"p{i}")["spec"]["nodeName"] for i in range(20)]

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_explain_and_why() -> None:
    c = three_nodes()
    c.create(make_pod("hog1", cpu="3500m", node_name="worker1"))
    c.create(make_pod("web", cpu="1"))
    table = c.scheduler.explain("web")
    assert list(table.index) == ["control-plane", "worker1", "worker2"]
    assert table.loc["control-plane", "TaintToleration"].startswith("node(s) had untolerated taint")
    assert table.loc["worker1", "NodeResourcesFit"] == "Insufficient cpu"
    assert table["fits"].tolist() == [False, False, True]
    assert table["winner"].tolist() == [False, False, True]
    assert table.loc["worker2", "NodePorts"] == "skip"
    assert "worker2" in c.scheduler.why("web")
    # a pending pod: the table and the words say why nothing fits
    c.create(make_pod("big", cpu="3500m"))
    text = c.scheduler.why("default/big")
    assert text.splitlines()[0].startswith("default/big is Pending: 0/3 nodes are available:")
    assert (
        "worker1: Insufficient cpu (NodeResourcesFit): asks for 3500m cpu; worker1 has 4 "
        "allocatable, 3500m already requested" in text
    )
    assert not c.scheduler.explain("big")["fits"].any()


def test_decisions_are_compact() -> None:
    c = three_nodes()
    for i in range(50):
        c.create(make_pod(f"p{i}", cpu="10m"))
    d = c.scheduler.last_decision("default", "p7")
    assert len(d.__slots__) == 11 and not hasattr(d, "__dict__")
    c.api.delete("pods", "p7", grace_period_seconds=0)
    c.run_pending()
    assert c.scheduler.last_decision("default", "p7") is None


def test_why_says_what_is_not_modelled() -> None:
    c = MiniCluster()
    c.create(make_node("w"))
    anti = {
        "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {
                    "labelSelector": {"matchLabels": {"app": "web"}},
                    "topologyKey": "kubernetes.io/hostname",
                }
            ]
        }
    }
    c.create(make_pod("web", labels={"app": "web"}, affinity=anti))
    assert "InterPodAffinity plugin) is not modelled" in c.scheduler.why("web")


def test_default_spreading_follows_the_pods_service() -> None:
    """Without constraints of its own, a pod of a Service is spread from its siblings."""

    def place(with_service: bool) -> str:
        c = MiniCluster()
        c.create(make_node("n1"))
        c.create(make_node("n2"))
        for i in range(2):
            c.create(make_pod(f"web{i}", node_name="n1", labels={"app": "web"}))
            c.create(make_pod(f"other{i}", cpu="1", node_name="n2"))
        if with_service:
            c.create(
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": {"name": "web"},
                    "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
                }
            )
        c.create(make_pod("web2", labels={"app": "web"}))
        return c.pod("web2")["spec"]["nodeName"]

    assert place(with_service=False) == "n1"  # the emptier node, by requests
    assert place(with_service=True) == "n2"  # away from the other web pods
