"""The scheduler's shortcuts for common clusters agree with the node-by-node path.

The batch plugins skip work when the answer is known in advance: a topology key no node
carries (no zone labels, as in the benchmark), a key every node carries (the hostname), every
node with cpu and memory allocatable, no node cordoned or tainted. These random clusters are
built to hit each case and its opposite; both paths must still agree on every verdict and score.
"""

from __future__ import annotations

import random

import pytest
from test_scheduler_agreement import (
    assert_same_evaluation,
    default_selector,
    random_node,
    random_pod,
)

from k8snb.scheduler.cache import SchedulerCache
from k8snb.scheduler.framework import PodInfo
from k8snb.scheduler.profile import default_profile
from k8snb.scheduler.schedule_one import evaluate

ZONE = "topology.kubernetes.io/zone"
HOSTNAME = "kubernetes.io/hostname"


def shaped_cache(rng: random.Random, n_nodes: int, shape: str) -> SchedulerCache:
    nodes = [random_node(rng, i) for i in range(n_nodes)]
    for node in nodes:
        labels = node["metadata"]["labels"]
        spec, alloc = node["spec"], node["status"]["allocatable"]
        if shape in ("plain", "no-hostname", "zero-allocatable"):
            labels.pop(ZONE, None)  # no node has a zone: that spreading term drops out
            spec.pop("taints", None)
            spec.pop("unschedulable", None)
        if shape == "no-hostname" and rng.random() < 0.3:
            labels.pop(HOSTNAME)  # some nodes without the hostname label
        if shape == "zero-allocatable" and rng.random() < 0.3:
            alloc[rng.choice(["cpu", "memory"])] = "0"
        node["status"]["capacity"] = dict(alloc)
    cache = SchedulerCache()
    for n in nodes:
        cache.add_node(n)
    for i in range(rng.randint(0, 3 * n_nodes)):
        cache.add_pod(random_pod(rng, 1000 + i, node=rng.choice(nodes)["metadata"]["name"]))
    return cache


@pytest.mark.parametrize("shape", ["plain", "no-hostname", "zero-allocatable", "mixed"])
@pytest.mark.parametrize("seed", range(12))
def test_shortcuts_agree_with_node_by_node(shape: str, seed: int) -> None:
    rng = random.Random(seed)
    cache = shaped_cache(rng, rng.randint(2, 40), shape)
    profile = default_profile(cache, default_selector)
    for i in range(6):
        pod = PodInfo(random_pod(rng, i))
        assert_same_evaluation(profile, cache, pod)


def test_label_coverage_follows_node_changes() -> None:
    rng = random.Random(3)
    cache = shaped_cache(rng, 5, "plain")
    assert cache.label_coverage(ZONE) == "none"
    assert cache.label_coverage(HOSTNAME) == "all"
    node = cache.node_infos()[0].node
    relabelled = {**node, "metadata": {**node["metadata"],
                                       "labels": {**node["metadata"]["labels"], ZONE: "a"}}}
    cache.update_node(relabelled)
    assert cache.label_coverage(ZONE) == "some"
    cache.remove_node(node["metadata"]["name"])
    assert cache.label_coverage(ZONE) == "none"


def test_taint_class_counts_follow_nodes() -> None:
    from test_scheduler_helpers import make_node

    taint = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}
    cache = SchedulerCache()
    cache.add_node(make_node("a", taints=[taint]))
    cache.add_node(make_node("b"))
    a = cache.arrays
    tainted = a.taint_class_of([taint])
    assert a.taint_class_nodes[0] == 1 and a.taint_class_nodes[tainted] == 1
    cache.update_node(make_node("a"))  # the node became ready: its class is empty now
    assert a.taint_class_nodes[0] == 2 and a.taint_class_nodes[tainted] == 0
    profile = default_profile(cache, default_selector)
    pod = PodInfo(random_pod(random.Random(0), 0))
    fast = evaluate(profile, cache, pod, batch=True)
    assert fast.verdict == evaluate(profile, cache, pod).verdict
    cache.remove_node("b")
    cache.add_node(make_node("c", taints=[taint]))  # reuses b's slot
    assert a.taint_class_nodes[0] == 1 and a.taint_class_nodes[tainted] == 1
    cache.remove_node("a")
    cache.remove_node("c")
    assert a.taint_class_nodes == [0] * len(a.taint_classes)
