"""The scheduler cache's per-selector pod counts (what topology spreading reads) stay equal to
a recount of the pods, whichever way pods come, go, change labels or start terminating."""

from __future__ import annotations

import random

import numpy as np
from test_scheduler_helpers import cache_with, make_node, make_pod

from k8snb.api.labels import parse_selector
from k8snb.scheduler.framework import PodInfo

SELECTORS = ["app=web", "app=web,tier=front", "app in (web,db)", "tier", "!tier", "app!=db"]


def recount(cache, namespace: str, selector) -> np.ndarray:
    want = np.zeros(cache.arrays.capacity, np.int64)
    for p, node in cache.pods():
        if p.namespace == namespace and not p.terminating and selector.matches(p.labels):
            want[cache.slot(node)] += 1
    return want


def test_counts_follow_every_kind_of_pod_change() -> None:
    rng = random.Random(7)
    cache = cache_with(*(make_node(f"n{i}") for i in range(6)))
    live: dict[str, dict] = {}
    for step in range(400):
        name = f"p{rng.randrange(40)}"
        action = rng.random()
        if action < 0.5 or name not in live:
            labels = {"app": rng.choice(["web", "db", "cache"])}
            if rng.random() < 0.5:
                labels["tier"] = rng.choice(["front", "back"])
            pod = make_pod(name, namespace=rng.choice(["default", "other"]), labels=labels,
                           node_name=f"n{rng.randrange(6)}")
            live[name] = pod
            cache.add_pod(pod)
        elif action < 0.7:
            pod = live[name]
            pod = {**pod, "metadata": {**pod["metadata"], "labels": {"app": "web"}}}
            live[name] = pod
            cache.update_pod(pod)  # relabelled in place
        elif action < 0.8:
            pod = live[name]
            pod = {**pod, "metadata": {**pod["metadata"],
                                       "deletionTimestamp": "2026-01-01T00:00:00Z"}}
            live[name] = pod
            cache.update_pod(pod)  # terminating: no longer counted
        else:
            pod = live.pop(name)
            cache.remove_pod(f"{pod['metadata']['namespace']}/{name}")
        if step % 20 == 0:
            # a selector never asked before is built from the label index at this point
            for text in [*SELECTORS, f"app=web,step!=s{step}", f"tier=front,step!=s{step}"]:
                for ns in ("default", "other"):
                    sel = parse_selector(text)
                    got = cache.selector_counts(ns, sel)
                    assert (got == recount(cache, ns, sel)).all(), (step, text, ns)


def test_assumed_pods_count_before_their_binding_lands() -> None:
    cache = cache_with(make_node("a"), make_node("b"))
    sel = parse_selector("app=web")
    assert cache.selector_counts("default", sel).sum() == 0
    cache.assume(PodInfo(make_pod("w1", labels={"app": "web"})), "b")
    counts = cache.selector_counts("default", sel)
    assert counts[cache.slot("b")] == 1 and counts[cache.slot("a")] == 0
    cache.forget("default/w1")
    assert cache.selector_counts("default", sel).sum() == 0
