"""NodeAffinity: ``nodeSelector`` and ``affinity.nodeAffinity``.

Filter: every ``nodeSelector`` pair must be a node label, and if
``requiredDuringSchedulingIgnoredDuringExecution`` is set, one of its ``nodeSelectorTerms``
must match (terms are ORed, the expressions inside a term ANDed; ``matchFields`` can only
name ``metadata.name``). Otherwise: ``node(s) didn't match Pod's node affinity/selector``.

PreFilter: when every term pins ``metadata.name In [...]`` (as DaemonSet pods do), only those
nodes are looked at; the rest are reported as
``node(s) didn't satisfy plugin(s) [NodeAffinity]``.

Score: the sum of the weights of the ``preferredDuringSchedulingIgnoredDuringExecution`` terms
the node matches, scaled so the best node gets 100. Weight 2.
(``pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go``,
``k8s.io/component-helpers/scheduling/corev1/nodeaffinity``)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from k8snb.scheduler._helpers import node_selector_requirement_matches
from k8snb.scheduler.cache import NodeArrays
from k8snb.scheduler.framework import (
    SKIP,
    CycleState,
    NodeInfo,
    Plugin,
    PodInfo,
    Status,
    default_normalize_score,
    unschedulable,
)

ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_CONFLICT = "pod affinity terms conflict"


def term_matches(term: Mapping[str, Any], labels: Mapping[str, str], name: str) -> bool:
    """One NodeSelectorTerm: all its requirements hold. An empty or invalid term matches nothing."""
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False
    try:
        for e in exprs:
            if not node_selector_requirement_matches(e, labels):
                return False
        for f in fields:
            if f.get("key") != "metadata.name" or f.get("operator") not in ("In", "NotIn"):
                return False
            if not node_selector_requirement_matches(f, {"metadata.name": name}):
                return False
    except ValueError:
        return False
    return True


def required_terms(pod: PodInfo) -> list | None:
    req = pod.node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    if req is None:
        return None
    return list(req.get("nodeSelectorTerms") or [])


def matches_required(pod: PodInfo, labels: Mapping[str, str], name: str) -> bool:
    """``GetRequiredNodeAffinity(pod).Match(node)``: nodeSelector AND required affinity."""
    for k, v in pod.node_selector.items():
        if labels.get(k) != v:
            return False
    terms = required_terms(pod)
    if terms is None:
        return True
    return any(term_matches(t, labels, name) for t in terms)


def preferred_terms(pod: PodInfo) -> list[tuple[int, Mapping[str, Any]]]:
    prefs = pod.node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []
    return [
        (int(p.get("weight") or 0), p.get("preference") or {}) for p in prefs if p.get("weight")
    ]


def required_mask(cache_mask: Any, pod: PodInfo) -> np.ndarray:
    """The vectorised required-affinity check, cached per distinct selector/affinity."""
    key = ("NodeAffinity/required", repr(pod.node_selector), repr(required_terms(pod)))
    return cache_mask(key, lambda n: matches_required(pod, n.labels, n.name))


class NodeAffinity(Plugin):
    name = "NodeAffinity"
    filters = True
    scores = True

    def __init__(self, cache: Any = None) -> None:
        self.cache = cache  # a SchedulerCache, for its per-selector label masks

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        terms = required_terms(pod)
        if terms is None and not pod.node_selector:
            return None, SKIP
        if not terms:
            return None, None
        names: set[str] | None = None
        for t in terms:
            term_names: set[str] | None = None
            for r in t.get("matchFields") or []:
                if r.get("key") == "metadata.name" and r.get("operator") == "In":
                    s = set(r.get("values") or [])
                    term_names = s if term_names is None else term_names & s
            if term_names is None:
                return None, None  # this term does not pin names, so every node may match
            names = term_names if names is None else names | term_names
        if names is not None and not names:
            return None, unschedulable(ERR_REASON_CONFLICT, resolvable=False)
        return names, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if matches_required(pod, node.labels, node.name):
            return None
        return unschedulable(ERR_REASON_POD, resolvable=False)

    def filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray | None:
        if len(idx) <= 16:
            # Few candidates (a DaemonSet pod pinned to its node by PreFilter): check just
            # those, instead of building and caching a whole-cluster mask per pinned pod.
            infos = arrays.infos
            return np.fromiter(
                (not matches_required(pod, infos[i].labels, infos[i].name)  # type: ignore[union-attr]
                 for i in idx.tolist()),
                bool,
                len(idx),
            )
        return ~required_mask(self.cache.label_mask, pod)[idx]

    def diagnose_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> list[tuple[Status, np.ndarray]]:
        return [(unschedulable(ERR_REASON_POD, resolvable=False), idx)]

    def pre_score(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> Status | None:
        return None if preferred_terms(pod) else SKIP

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        return sum(
            w for w, term in preferred_terms(pod) if term_matches(term, node.labels, node.name)
        )

    def score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray:
        total = np.zeros(len(idx), np.int64)
        for w, term in preferred_terms(pod):
            mask = self.cache.label_mask(
                ("NodeAffinity/preferred", repr(term)),
                lambda n, term=term: term_matches(term, n.labels, n.name),
            )
            total += w * mask[idx]
        return total

    def normalize(
        self, state: CycleState, pod: PodInfo, scores: np.ndarray, names: Sequence[str] | None
    ) -> np.ndarray:
        return default_normalize_score(scores, reverse=False)
