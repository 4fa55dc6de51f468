"""The fast path (numpy, all nodes at once) against the explain path (node by node).

Random clusters with taints, labels, cordons, images, host ports, extended resources and
topology spreading; random pods asking for all of it. Both paths must give every node the same
Filter verdict and the same scores, and a real cycle must pick a node the explain table ranks
first (or fail with the message the table implies).
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from test_scheduler_helpers import make_node, make_pod

from k8snb.api.labels import selector_from_set
from k8snb.scheduler.cache import SchedulerCache
from k8snb.scheduler.framework import Diagnosis, FitError, PodInfo
from k8snb.scheduler.preemption import preemption_message
from k8snb.scheduler.profile import default_profile
from k8snb.scheduler.schedule_one import Algorithm, evaluate

ZONES = ["a", "b", "c"]
APPS = ["web", "db", "cache"]
IMAGES = ["nginx:1", "redis:7", "busybox:1"]
TAINTS = [
    {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
    {"key": "spot", "value": "true", "effect": "PreferNoSchedule"},
    {"key": "maint", "effect": "NoExecute"},
    {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
]


def random_node(rng: random.Random, i: int) -> dict:
    labels = {}
    if rng.random() < 0.85:
        labels["topology.kubernetes.io/zone"] = rng.choice(ZONES)
    if rng.random() < 0.5:
        labels["disk"] = rng.choice(["ssd", "hdd"])
    if rng.random() < 0.3:
        labels["gen"] = str(rng.randint(1, 5))
    taints = [t for t in TAINTS if rng.random() < 0.15]
    images = [
        {"names": [img], "sizeBytes": rng.choice([5, 30, 300, 900]) * 1024 * 1024}
        for img in IMAGES
        if rng.random() < 0.4
    ]
    extra = {"example.com/gpu": str(rng.randint(0, 2))} if rng.random() < 0.2 else None
    return make_node(
        f"n{i}",
        cpu=rng.choice(["1", "2", "4", "1500m"]),
        memory=rng.choice(["1Gi", "4Gi", "8Gi"]),
        pods=rng.choice(["3", "10", "110"]),
        labels=labels,
        taints=taints,
        unschedulable=rng.random() < 0.1,
        images=images,
        extra=extra,
    )


def assert_same_evaluation(profile: Any, cache: SchedulerCache, pod: PodInfo) -> Any:
    """The numpy batch path decides exactly as the node-by-node path: verdict, each filter,
    feasible nodes, skipped scorers, raw and normalized scores and the totals. Returns the
    node-by-node evaluation."""
    slow = evaluate(profile, cache, pod)
    fast = evaluate(profile, cache, pod, batch=True)
    assert fast.verdict == slow.verdict, pod.pod
    for plugin in slow.filters:
        assert fast.filters[plugin] == slow.filters[plugin], plugin
    assert fast.feasible == slow.feasible
    assert fast.skipped_scores == slow.skipped_scores
    for plugin in slow.raw:
        assert fast.raw[plugin].tolist() == slow.raw[plugin].tolist(), plugin
        assert fast.normalized[plugin].tolist() == slow.normalized[plugin].tolist(), plugin
    assert fast.total.tolist() == slow.total.tolist()
    return slow


def random_pod(rng: random.Random, i: int, node: str | None = None) -> dict:
    spec: dict = {}
    if rng.random() < 0.3:
        spec["tolerations"] = [
            rng.choice(
                [
                    {
                        "key": "dedicated",
                        "operator": "Equal",
                        "value": "gpu",
                        "effect": "NoSchedule",
                    },
                    {"key": "spot", "operator": "Exists"},
                    {"operator": "Exists"},
                    {"key": "maint", "operator": "Exists", "effect": "NoExecute"},
                ]
            )
        ]
    if rng.random() < 0.2:
        spec["nodeSelector"] = {"disk": rng.choice(["ssd", "hdd"])}
    if rng.random() < 0.2:
        spec["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchExpressions": [
                                {
                                    "key": "gen",
                                    "operator": rng.choice(["Gt", "Lt"]),
                                    "values": [str(rng.randint(1, 5))],
                                }
                            ]
                        },
                        {
                            "matchExpressions": [
                                {
                                    "key": "topology.kubernetes.io/zone",
                                    "operator": "In",
                                    "values": [rng.choice(ZONES)],
                                }
                            ]
                        },
                    ]
                },
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": rng.randint(1, 100),
                        "preference": {
                            "matchExpressions": [
                                {"key": "disk", "operator": "In", "values": ["ssd"]}
                            ]
                        },
                    },
                    {
                        "weight": rng.randint(1, 100),
                        "preference": {
                            "matchExpressions": [
                                {
                                    "key": "topology.kubernetes.io/zone",
                                    "operator": "NotIn",
                                    "values": ["a"],
                                }
                            ]
                        },
                    },
                ],
            }
        }
    app = rng.choice(APPS)
    if rng.random() < 0.35:
        spec["topologySpreadConstraints"] = [
            {
                "maxSkew": rng.randint(1, 2),
                "topologyKey": rng.choice(
                    ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
                ),
                "whenUnsatisfiable": rng.choice(["DoNotSchedule", "ScheduleAnyway"]),
                "labelSelector": {"matchLabels": {"app": app}},
                **({"minDomains": 4} if rng.random() < 0.2 else {}),
            },
        ]
    ports = (
        [{"containerPort": 80, "hostPort": rng.choice([80, 8080])}] if rng.random() < 0.15 else None
    )
    pod = make_pod(
        f"p{i}",
        cpu=rng.choice([None, "100m", "500m", "1", "3"]),
        memory=rng.choice([None, "128Mi", "1Gi", "3Gi"]),
        labels={"app": app},
        image=rng.choice(IMAGES),
        node_name=node,
        ports=ports,
        **spec,
    )
    if rng.random() < 0.1:
        pod["spec"]["containers"][0].setdefault("resources", {}).setdefault("requests", {})[
            "example.com/gpu"
        ] = "1"
    if node and rng.random() < 0.3:
        pod["spec"]["priority"] = rng.choice([0, 10])
    return pod


def random_cache(rng: random.Random, n_nodes: int) -> SchedulerCache:
    cache = SchedulerCache()
    nodes = [random_node(rng, i) for i in range(n_nodes)]
    for n in nodes:
        cache.add_node(n)
    for i in range(rng.randint(0, 3 * n_nodes)):
        cache.add_pod(random_pod(rng, 1000 + i, node=rng.choice(nodes)["metadata"]["name"]))
    return cache


def default_selector(pod: PodInfo):  # noqa: ANN201
    app = pod.labels.get("app")
    return selector_from_set({"app": app} if app in ("web", "db") else {})


@pytest.mark.parametrize("seed", range(40))
def test_batch_and_node_by_node_agree(seed: int) -> None:
    rng = random.Random(seed)
    cache = random_cache(rng, rng.randint(1, 40))
    profile = default_profile(cache, default_selector)
    for i in range(6):
        pod = PodInfo(random_pod(rng, i))
        slow = assert_same_evaluation(profile, cache, pod)

        # a real cycle: under 100 nodes it looks at every node, so it agrees with the table
        algo = Algorithm(profile, cache, random.Random(seed))
        try:
            result = algo.schedule(pod)
        except FitError as err:
            assert not slow.feasible
            diag = Diagnosis()
            if slow.pre_filter is not None:
                diag.pre_filter_msg = slow.pre_filter.message
                diag.absent = slow.pre_filter
            else:
                slots = cache.order()
                for j, v in enumerate(slow.verdict):
                    assert v is not None
                    diag.add(v, [int(slots[j])])
            post = preemption_message(profile, cache, pod, diag.potential)
            diag.post_filter_msg = post or ""
            assert str(err) == str(FitError(pod.key, len(cache), diag))
            continue
        assert slow.feasible
        if len(slow.feasible) == 1:
            assert result.node == slow.nodes[slow.feasible[0]] and result.score is None
        else:
            best = int(slow.total.max())
            tops = {
                slow.nodes[j]
                for j, t in zip(slow.feasible, slow.total.tolist(), strict=True)
                if t == best
            }
            assert result.node in tops and result.score == best and result.tied == len(tops)


def test_random_clusters_exercise_every_plugin() -> None:
    """The generator above really reaches each filter's rejection and each score."""
    seen_reject, seen_score = set(), set()
    for seed in range(40):
        rng = random.Random(seed)
        cache = random_cache(rng, rng.randint(1, 40))
        profile = default_profile(cache, default_selector)
        for i in range(6):
            ev = evaluate(profile, cache, PodInfo(random_pod(rng, i)), batch=True)
            seen_reject |= {v.plugin for v in ev.verdict if v is not None}
            seen_score |= {p for p, r in ev.raw.items() if np.any(r != r[0])}
    assert {
        "NodeUnschedulable",
        "TaintToleration",
        "NodeAffinity",
        "NodePorts",
        "NodeResourcesFit",
        "PodTopologySpread",
    } <= seen_reject
    assert {
        "TaintToleration",
        "NodeAffinity",
        "NodeResourcesFit",
        "PodTopologySpread",
        "NodeResourcesBalancedAllocation",
        "ImageLocality",
    } <= seen_score


def test_explain_without_a_placed_pod_matches_a_cache_without_it() -> None:
    rng = random.Random(7)
    cache = random_cache(rng, 12)
    profile = default_profile(cache, default_selector)
    placed = random_pod(rng, 99)
    placed["spec"]["nodeName"] = cache.node_infos()[0].name
    cache.add_pod(placed)
    unplaced = {**placed, "spec": {k: v for k, v in placed["spec"].items() if k != "nodeName"}}
    with_pod = evaluate(profile, cache, PodInfo(unplaced), without="default/p99")
    cache.remove_pod("default/p99")
    without_pod = evaluate(profile, cache, PodInfo(unplaced))
    assert with_pod.verdict == without_pod.verdict
    assert with_pod.total.tolist() == without_pod.total.tolist()


@pytest.mark.parametrize("seed", range(10))
def test_agreement_survives_cache_churn(seed: int) -> None:
    """Counts kept up to date incrementally (pods bound, relabelled, finished, deleted,
    nodes relabelled, cordoned, removed) still agree with counting from scratch."""
    rng = random.Random(1000 + seed)
    cache = random_cache(rng, rng.randint(2, 30))
    profile = default_profile(cache, default_selector)
    probe = [PodInfo(random_pod(rng, i)) for i in range(4)]
    for p in probe:
        evaluate(profile, cache, p, batch=True)  # registers selector counts and label masks
    names = [n.name for n in cache.node_infos()]
    for step in range(40):
        what = rng.random()
        pods = [p.pod for p, _ in cache.pods()]
        if what < 0.3:
            cache.add_pod(random_pod(rng, 5000 + step, node=rng.choice(names)))
        elif what < 0.45 and pods:
            victim = rng.choice(pods)
            cache.remove_pod(f"default/{victim['metadata']['name']}")
        elif what < 0.6 and pods:
            p = rng.choice(pods)
            cache.update_pod(
                {**p, "metadata": {**p["metadata"], "labels": {"app": rng.choice(APPS)}}}
            )
        elif what < 0.7 and pods:
            p = rng.choice(pods)
            cache.update_pod(
                {**p, "metadata": {**p["metadata"], "deletionTimestamp": "2026-01-01T00:00:00Z"}}
            )
        elif what < 0.8 and pods:
            p = rng.choice(pods)
            cache.update_pod({**p, "status": {"phase": "Succeeded"}})
        elif what < 0.9:
            info = cache.info(rng.choice(names))
            node = dict(info.node)
            node["metadata"] = {
                **node["metadata"],
                "labels": {
                    **node["metadata"]["labels"],
                    "topology.kubernetes.io/zone": rng.choice(ZONES),
                },
            }
            node["spec"] = {**node["spec"], "unschedulable": rng.random() < 0.5}
            cache.update_node(node)
        elif len(names) > 1:
            gone = names.pop(rng.randrange(len(names)))
            cache.remove_node(gone)
        for p in probe:
            slow = evaluate(profile, cache, p)
            fast = evaluate(profile, cache, p, batch=True)
            assert fast.verdict == slow.verdict
            assert fast.total.tolist() == slow.total.tolist()


@pytest.mark.parametrize("seed", range(4))
def test_large_cluster_cycle_matches_the_reference_search(seed: int) -> None:
    """With 100+ nodes a cycle stops after numFeasibleNodesToFind fits, starting where the
    previous one stopped; the winner is the best of exactly those nodes."""
    from k8snb.scheduler.framework import CycleState, num_feasible_nodes_to_find

    rng = random.Random(50 + seed)
    cache = random_cache(rng, 260)
    profile = default_profile(cache, default_selector)
    algo = Algorithm(profile, cache, random.Random(seed))
    start = 0
    for i in range(8):
        pod = PodInfo(random_pod(rng, i))
        ev = evaluate(profile, cache, pod)  # verdicts for every node, node by node
        n = len(ev.nodes)
        k = num_feasible_nodes_to_find(n)
        order = [(start + j) % n for j in range(n)]
        fits = [j for j in order if ev.verdict[j] is None]
        chosen, processed = (fits[:k], order.index(fits[k])) if len(fits) > k else (fits, n)
        try:
            result = algo.schedule(pod)
        except FitError:
            assert not fits
            start = (start + n) % n
            assert algo.next_start == start
            continue
        start = (start + processed) % n
        assert (result.evaluated, result.feasible, algo.next_start) == (
            processed,
            len(chosen),
            start,
        )
        if len(chosen) == 1:
            assert result.node == ev.nodes[chosen[0]]
            continue
        # score exactly the chosen nodes, node by node
        infos = cache.node_infos()
        state = CycleState(infos)
        for pl in profile.filter_plugins:
            pl.pre_filter(state, pod, infos)
        subset = [infos[j] for j in chosen]
        total = np.zeros(len(subset), np.int64)
        for pl in profile.score_plugins:
            st = pl.pre_score(state, pod, subset)
            if st is not None and st.code.name == "SKIP":
                continue
            raw = np.asarray([pl.score(state, pod, x) for x in subset], np.int64)
            total += (
                pl.normalize(state, pod, raw, [x.name for x in subset]) * profile.weights[pl.name]
            )
        best = int(total.max())
        assert result.score == best
        assert result.node in {subset[m].name for m in np.flatnonzero(total == best)}
