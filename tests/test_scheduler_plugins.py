"""Each scheduling plugin, checked on plain node and pod manifests through one cycle."""

from __future__ import annotations

import pytest
from test_scheduler_helpers import CONTROL_PLANE_TAINT, cache_with, make_node, make_pod, schedule

from k8snb.scheduler.framework import (
    FitError,
    PodInfo,
    default_normalize_score,
    num_feasible_nodes_to_find,
    pod_requests,
)
from k8snb.scheduler.plugins.image_locality import calculate_priority
from k8snb.scheduler.plugins.node_resources_fit import balanced_score, least_requested_score
from k8snb.scheduler.plugins.pod_topology_spread import round_half_away

CP = make_node("control-plane", taints=[CONTROL_PLANE_TAINT])


def fit_error(cache, pod) -> str:  # noqa: ANN001
    with pytest.raises(FitError) as err:
        schedule(cache, pod)
    return str(err.value)


# -- FitError: the message a learner reads in `kubectl describe pod` ----------------------------


def test_fit_error_message_matches_upstream() -> None:
    # Two workers with 3.5 cpu requested each: a 1-cpu pod fits neither, and nothing has a
    # lower priority to preempt.
    cache = cache_with(
        CP,
        make_node("worker1"),
        make_node("worker2"),
        pods=(
            make_pod("hog1", cpu="3500m", node_name="worker1"),
            make_pod("hog2", cpu="3500m", node_name="worker2"),
        ),
    )
    assert fit_error(cache, make_pod("web", cpu="1")) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes "
        "are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims "
        "found for incoming pod."
    )


def test_pod_bigger_than_any_node_cannot_be_helped_by_preemption() -> None:
    cache = cache_with(CP, make_node("worker1"), make_node("worker2"))
    assert fit_error(cache, make_pod("big", cpu="5")) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes "
        "are available: 3 Preemption is not helpful for scheduling."
    )


def test_preemption_policy_never() -> None:
    cache = cache_with(make_node("worker1", cpu="1"))
    msg = fit_error(cache, make_pod("big", cpu="2", preemptionPolicy="Never"))
    assert msg == (
        "0/1 nodes are available: 1 Insufficient cpu. "
        "preemption: not eligible due to preemptionPolicy=Never."
    )


def test_lower_priority_victims_that_would_not_free_enough() -> None:
    cache = cache_with(
        make_node("worker1", cpu="2"),
        pods=(
            make_pod("low", cpu="500m", node_name="worker1"),
            make_pod("same", cpu="1", node_name="worker1", priority=100),
        ),
    )
    # Evicting "low" (priority 0) leaves 1 cpu requested: a 1500m pod still does not fit.
    msg = fit_error(cache, make_pod("vip", cpu="1500m", priority=100))
    assert msg.endswith("preemption: 0/1 nodes are available: 1 Insufficient cpu.")


def test_several_reasons_from_one_node_are_all_counted() -> None:
    cache = cache_with(make_node("worker1", cpu="1", memory="1Gi"))
    msg = fit_error(cache, make_pod("p", cpu="2", memory="2Gi"))
    assert msg.startswith("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.")


def test_no_nodes_at_all() -> None:
    from k8snb.scheduler.schedule_one import NoNodesAvailable

    with pytest.raises(NoNodesAvailable, match="no nodes available to schedule pods"):
        schedule(cache_with(), make_pod("p"))


# -- Filters --------------------------------------------------------------------------------


def test_control_plane_taint_keeps_pods_off_the_control_plane() -> None:
    cache = cache_with(CP, make_node("worker1"))
    for seed in range(20):
        assert schedule(cache, make_pod("web"), seed).node == "worker1"


def test_toleration_lets_a_pod_onto_the_control_plane() -> None:
    cache = cache_with(CP)
    tol = [
        {
            "key": "node-role.kubernetes.io/control-plane",
            "operator": "Exists",
            "effect": "NoSchedule",
        }
    ]
    assert schedule(cache, make_pod("p", tolerations=tol)).node == "control-plane"


def test_cordoned_node_is_skipped() -> None:
    cache = cache_with(make_node("worker1", unschedulable=True), make_node("worker2"))
    for seed in range(20):
        assert schedule(cache, make_pod("p"), seed).node == "worker2"
    cache = cache_with(make_node("worker1", unschedulable=True))
    assert fit_error(cache, make_pod("p")).startswith(
        "0/1 nodes are available: 1 node(s) were unschedulable."
    )


def test_cordoned_node_accepts_pods_tolerating_unschedulable() -> None:
    cache = cache_with(make_node("worker1", unschedulable=True))
    tol = [
        {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}
    ]
    assert schedule(cache, make_pod("ds", tolerations=tol)).node == "worker1"


def test_untolerated_taint_reason_shows_key_and_value() -> None:
    cache = cache_with(
        make_node("gpu", taints=[{"key": "dedicated", "value": "gpu", "effect": "NoExecute"}])
    )
    assert "1 node(s) had untolerated taint {dedicated: gpu}." in fit_error(cache, make_pod("p"))


def test_prefer_no_schedule_taint_only_costs_points() -> None:
    soft = [{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}]
    cache = cache_with(make_node("spot1", taints=soft), make_node("plain"))
    for seed in range(10):
        assert schedule(cache, make_pod("p"), seed).node == "plain"
    # alone, the softly tainted node still takes the pod
    assert schedule(cache_with(make_node("spot1", taints=soft)), make_pod("p")).node == "spot1"


def test_node_selector_and_required_affinity() -> None:
    cache = cache_with(
        make_node("ssd", labels={"disk": "ssd"}), make_node("hdd", labels={"disk": "hdd"})
    )
    assert schedule(cache, make_pod("p", nodeSelector={"disk": "ssd"})).node == "ssd"
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "disk", "operator": "NotIn", "values": ["ssd"]}]}
                ]
            }
        }
    }
    assert schedule(cache, make_pod("p", affinity=affinity)).node == "hdd"
    assert fit_error(cache, make_pod("p", nodeSelector={"disk": "nvme"})).startswith(
        "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector."
    )


def test_match_fields_narrow_the_node_list_like_a_daemonset_pod() -> None:
    cache = cache_with(make_node("a", cpu="1"), make_node("b"), make_node("c"))
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a"]}]}
                ]
            }
        }
    }
    assert schedule(cache, make_pod("ds", affinity=affinity)).node == "a"
    assert fit_error(cache, make_pod("ds", cpu="2", affinity=affinity)).startswith(
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
        "[NodeAffinity]."
    )


def test_preferred_affinity_wins_when_all_else_is_equal() -> None:
    cache = cache_with(make_node("a", labels={"zone": "x"}), make_node("b", labels={"zone": "y"}))
    affinity = {
        "nodeAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": 10,
                    "preference": {
                        "matchExpressions": [{"key": "zone", "operator": "In", "values": ["y"]}]
                    },
                }
            ]
        }
    }
    for seed in range(10):
        assert schedule(cache, make_pod("p", affinity=affinity), seed).node == "b"


def test_host_port_conflict() -> None:
    cache = cache_with(
        make_node("a"),
        make_node("b"),
        pods=(make_pod("web-a", node_name="a", ports=[{"containerPort": 80, "hostPort": 80}]),),
    )
    for seed in range(10):
        pod = make_pod("web", ports=[{"containerPort": 80, "hostPort": 80, "protocol": "TCP"}])
        assert schedule(cache, pod, seed).node == "b"
    cache = cache_with(
        make_node("a"),
        pods=(make_pod("web-a", node_name="a", ports=[{"containerPort": 80, "hostPort": 80}]),),
    )
    assert fit_error(
        cache, make_pod("x", ports=[{"containerPort": 80, "hostPort": 80}])
    ).startswith(
        "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports."
    )
    # another port, or UDP, is fine
    assert schedule(cache, make_pod("y", ports=[{"containerPort": 80, "hostPort": 81}])).node == "a"
    assert (
        schedule(
            cache, make_pod("z", ports=[{"containerPort": 80, "hostPort": 80, "protocol": "UDP"}])
        ).node
        == "a"
    )


def test_too_many_pods() -> None:
    cache = cache_with(make_node("tiny", pods="1"), pods=(make_pod("one", node_name="tiny"),))
    assert fit_error(cache, make_pod("two")).startswith("0/1 nodes are available: 1 Too many pods.")


def test_requests_not_usage_decide_the_fit() -> None:
    cache = cache_with(make_node("w", cpu="4"), pods=(make_pod("idle", cpu="100m", node_name="w"),))
    assert "Insufficient cpu" in fit_error(cache, make_pod("four", cpu="4"))
    assert schedule(cache, make_pod("fits", cpu="3900m")).node == "w"


def test_extended_resources() -> None:
    cache = cache_with(make_node("gpu", extra={"nvidia.com/gpu": "1"}), make_node("cpu"))
    pod = make_pod("train")
    pod["spec"]["containers"][0]["resources"] = {"requests": {"nvidia.com/gpu": "1"}}
    assert schedule(cache, pod).node == "gpu"
    pod2 = make_pod("train2")
    pod2["spec"]["containers"][0]["resources"] = {"requests": {"nvidia.com/gpu": "2"}}
    assert fit_error(cache, pod2).startswith(
        "0/2 nodes are available: 2 Insufficient nvidia.com/gpu."
    )


def test_terminal_pods_free_their_room() -> None:
    done = make_pod("job", cpu="4", node_name="w")
    cache = cache_with(make_node("w"), pods=(done,))
    assert "Insufficient cpu" in fit_error(cache, make_pod("p", cpu="1"))
    done = {**done, "status": {"phase": "Succeeded"}}
    cache.update_pod(done)
    assert schedule(cache, make_pod("p", cpu="1")).node == "w"


# -- Topology spread ---------------------------------------------------------------------------


def _zones() -> tuple:
    return (
        make_node("a1", labels={"topology.kubernetes.io/zone": "a"}),
        make_node("a2", labels={"topology.kubernetes.io/zone": "a"}),
        make_node("b1", labels={"topology.kubernetes.io/zone": "b"}),
    )


def test_topology_spread_do_not_schedule() -> None:
    spread = [
        {
            "maxSkew": 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {"app": "web"}},
        }
    ]
    cache = cache_with(*_zones(), pods=(make_pod("w0", node_name="a1", labels={"app": "web"}),))
    # zone a has 1, zone b has 0: the next one must go to zone b
    for seed in range(10):
        r = schedule(
            cache, make_pod("w1", labels={"app": "web"}, topologySpreadConstraints=spread), seed
        )
        assert r.node == "b1"
    cache = cache_with(
        *_zones(),
        pods=(
            make_pod("w0", node_name="a1", labels={"app": "web"}),
            make_pod("w1", node_name="a2", labels={"app": "web"}),
        ),
    )
    spread[0]["topologyKey"] = "rack"
    msg = fit_error(cache, make_pod("w2", labels={"app": "web"}, topologySpreadConstraints=spread))
    assert msg.startswith(
        "0/3 nodes are available: 3 node(s) didn't match pod topology spread "
        "constraints (missing required label)."
    )


def test_topology_spread_skew_message() -> None:
    spread = [
        {
            "maxSkew": 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {"app": "web"}},
        }
    ]
    nodes = (
        *_zones()[:2],
        make_node("b1", cpu="100m", labels={"topology.kubernetes.io/zone": "b"}),
    )
    cache = cache_with(*nodes, pods=(make_pod("w0", node_name="a1", labels={"app": "web"}),))
    msg = fit_error(
        cache, make_pod("w1", cpu="1", labels={"app": "web"}, topologySpreadConstraints=spread)
    )
    assert msg.startswith(
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod "
        "topology spread constraints."
    )


def test_default_spreading_prefers_the_emptier_node() -> None:
    import random

    from k8snb.api.labels import selector_from_set
    from k8snb.scheduler.profile import default_profile
    from k8snb.scheduler.schedule_one import Algorithm

    cache = cache_with(
        make_node("n1"),
        make_node("n2"),
        pods=(
            make_pod("r0", node_name="n1", labels={"app": "web"}),
            make_pod("r1", node_name="n1", labels={"app": "web"}),
        ),
    )
    profile = default_profile(cache, lambda pod: selector_from_set({"app": "web"}))
    algo = Algorithm(profile, cache, random.Random(0))
    assert algo.schedule(PodInfo(make_pod("r2", labels={"app": "web"}))).node == "n2"


# -- Scoring arithmetic -------------------------------------------------------------------------


def test_least_allocated_and_balanced_arithmetic() -> None:
    assert least_requested_score(1000, 4000) == 75
    assert least_requested_score(5000, 4000) == 0
    assert least_requested_score(0, 0) == 0
    assert balanced_score([0.5, 0.5]) == 100
    assert balanced_score([0.25, 0.75]) == 75
    assert balanced_score([0.3]) == 100


def test_default_requests_for_scoring_only() -> None:
    p = PodInfo(make_pod("empty"))
    assert (p.cpu, p.memory) == (0, 0)
    assert (p.nz_cpu, p.nz_memory) == (100, 200 * 1024 * 1024)


def test_pod_requests_init_containers_and_sidecars() -> None:
    spec = {
        "containers": [
            {"resources": {"requests": {"cpu": "2", "memory": "1G"}}},
            {"resources": {"requests": {"cpu": "1", "memory": "1G"}}},
        ],
        "initContainers": [
            {"resources": {"requests": {"cpu": "2", "memory": "1G"}}},
            {"resources": {"requests": {"cpu": "2", "memory": "3G"}}},
        ],
    }
    assert pod_requests(spec) == {"cpu": 3000, "memory": 3 * 10**9}
    spec["initContainers"].insert(
        0, {"restartPolicy": "Always", "resources": {"requests": {"cpu": "500m"}}}
    )
    assert pod_requests(spec)["cpu"] == 3500  # the sidecar runs beside everything else


def test_normalize_and_rounding_helpers() -> None:
    import numpy as np

    assert default_normalize_score(np.array([0, 1, 2]), reverse=True).tolist() == [100, 50, 0]
    assert default_normalize_score(np.array([0, 0]), reverse=True).tolist() == [100, 100]
    assert default_normalize_score(np.array([3, 6]), reverse=False).tolist() == [50, 100]
    assert [round_half_away(x) for x in (0.5, 1.5, 2.5, 2.4999)] == [1, 2, 3, 2]
    assert calculate_priority(0, 1) == 0
    assert calculate_priority(1000 * 1024 * 1024, 1) == 100


def test_num_feasible_nodes_to_find() -> None:
    assert num_feasible_nodes_to_find(3) == 3
    assert num_feasible_nodes_to_find(99) == 99
    assert num_feasible_nodes_to_find(100) == 100  # 49 % of 100 is 49, but never below 100
    assert num_feasible_nodes_to_find(1000) == 420  # 50 - 8 = 42 %
    assert num_feasible_nodes_to_find(5000) == 500  # 50 - 40 = 10 %
    assert num_feasible_nodes_to_find(15000) == 750  # 5 % floor
    assert num_feasible_nodes_to_find(5000, percentage=100) == 5000


def test_image_locality_prefers_the_node_with_the_image() -> None:
    big = [{"names": ["registry.k8s.io/big:1"], "sizeBytes": 800 * 1024 * 1024}]
    cache = cache_with(make_node("warm", images=big), make_node("cold"))
    for seed in range(5):
        assert schedule(cache, make_pod("p", image="registry.k8s.io/big:1"), seed).node == "warm"


def test_round_robin_start_index_spreads_the_search() -> None:
    import random

    from k8snb.scheduler.profile import default_profile
    from k8snb.scheduler.schedule_one import Algorithm

    cache = cache_with(*(make_node(f"n{i:03}") for i in range(200)))
    algo = Algorithm(default_profile(cache), cache, random.Random(0))
    r = algo.schedule(PodInfo(make_pod("p")))
    # 200 nodes: numFeasibleNodesToFind is 100; the search stops after 100 and the next
    # cycle starts where this one stopped
    assert (r.evaluated, r.feasible, algo.next_start) == (100, 100, 100)
    algo.schedule(PodInfo(make_pod("q")))
    assert algo.next_start == 0
