"""PodTopologySpread: spread matching pods evenly across nodes, zones, or any node label.

A ``topologySpreadConstraints`` entry names a node label (the *topology key*, e.g.
``kubernetes.io/hostname`` or ``topology.kubernetes.io/zone``), a label selector for the pods
to count, and ``maxSkew``. The pods matching the selector are counted per *domain* (per
value of the label).

Filter (``whenUnsatisfiable: DoNotSchedule``): placing the pod on a node must not make its
domain exceed the emptiest domain by more than ``maxSkew``:
``matching pods in the node's domain + 1 (if the pod matches itself) - global minimum``. A node
without the topology label is rejected outright. Reasons:
``node(s) didn't match pod topology spread constraints`` and the same with
`` (missing required label)``.

Score (``whenUnsatisfiable: ScheduleAnyway``, weight 2): fewer matching pods in the node's
domain scores higher; counts are weighted by ``log(number of domains + 2)`` so small topologies
are not drowned out, then reversed against the most crowded node.

Default spreading: a pod without constraints of its own gets the cluster defaults, "at most 3
apart per node, at most 5 apart per zone" (both ``ScheduleAnyway``), counting the pods of the
same Service, ReplicaSet, ReplicationController or StatefulSet (``helper.DefaultSelector``).
*Simplification:* the model finds those owners through the selectors the scheduler is given
(see :class:`k8snb.scheduler.scheduler.Scheduler`); with none given, default spreading is off.
``matchLabelKeys`` is honoured (its labels are added to the selector); ``minDomains``,
``nodeAffinityPolicy`` and ``nodeTaintsPolicy`` are honoured as upstream.
(``pkg/scheduler/framework/plugins/podtopologyspread/{common,filtering,scoring,plugin}.go``)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from k8snb.scheduler._helpers import (
    NOTHING,
    Selector,
    find_untolerated_taint,
    selector_from_label_selector,
    selector_from_set,
)
from k8snb.scheduler.cache import NodeArrays, SchedulerCache
from k8snb.scheduler.framework import (
    MAX_NODE_SCORE,
    SKIP,
    CycleState,
    NodeInfo,
    Plugin,
    PodInfo,
    Status,
    unschedulable,
)
from k8snb.scheduler.plugins.node_affinity import matches_required, required_mask, required_terms
from k8snb.scheduler.plugins.taint_toleration import DO_NOT_SCHEDULE

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"

#: ``PodTopologySpreadArgs`` system defaults (``apis/config/v1/defaults.go``).
SYSTEM_DEFAULT_CONSTRAINTS: tuple[Mapping[str, Any], ...] = (
    {"maxSkew": 3, "topologyKey": HOSTNAME, "whenUnsatisfiable": "ScheduleAnyway"},
    {"maxSkew": 5, "topologyKey": ZONE, "whenUnsatisfiable": "ScheduleAnyway"},
)


@dataclass(frozen=True, slots=True)
class Constraint:
    """``topologySpreadConstraint``: one constraint with its selector parsed."""

    max_skew: int
    key: str
    selector: Selector
    min_domains: int = 1
    honor_affinity: bool = True  # nodeAffinityPolicy: Honor (default)
    honor_taints: bool = False  # nodeTaintsPolicy: Ignore (default)

    def includes(self, pod: PodInfo, node: NodeInfo) -> bool:
        """``matchNodeInclusionPolicies``: does this node take part in the counting?"""
        if self.honor_affinity and not matches_required(pod, node.labels, node.name):
            return False
        return not (
            self.honor_taints
            and find_untolerated_taint(node.taints, pod.tolerations, DO_NOT_SCHEDULE) is not None
        )


def round_half_away(x: float) -> int:
    """Go's ``math.Round``: halves round away from zero (Python's ``round`` does not)."""
    t = math.trunc(x)
    if abs(x - t) >= 0.5:
        t += 1 if x > 0 else -1
    return int(t)


def topology_normalizing_weight(size: int) -> float:
    return math.log(size + 2)


def score_for_count(count: int, max_skew: int, weight: float) -> float:
    return float(count) * weight + float(max_skew - 1)


def count_pods_match(node: NodeInfo, selector: Selector, namespace: str) -> int:
    """``countPodsMatchSelector``: matching, non-terminating pods of the namespace on a node."""
    if selector.empty():
        return 0
    return sum(
        1
        for p in node.pods.values()
        if not p.terminating and p.namespace == namespace and selector.matches(p.labels)
    )


def _slot_counts(cache: SchedulerCache, c: Constraint, namespace: str) -> np.ndarray:
    """Matching pods per node slot; an empty selector counts nothing, as upstream."""
    if c.selector.empty():
        return np.zeros(cache.arrays.capacity, np.int64)
    return cache.selector_counts(namespace, c.selector)


def _has_keys(node: NodeInfo, constraints: Sequence[Constraint]) -> bool:
    labels = node.labels
    return all(c.key in labels for c in constraints)


DefaultSelectorFn = Callable[[PodInfo], Selector]


class PodTopologySpread(Plugin):
    name = "PodTopologySpread"
    filters = True
    scores = True

    def __init__(
        self, cache: SchedulerCache | None = None, default_selector: DefaultSelectorFn | None = None
    ) -> None:
        self.cache = cache
        self.default_selector = default_selector
        self.system_defaulted = True

    # ---- constraints ---------------------------------------------------------------------

    def constraints(self, pod: PodInfo, action: str) -> list[Constraint]:
        """The pod's constraints with ``whenUnsatisfiable == action``, or the defaults."""
        if pod.spread_constraints:
            return _parse(pod.spread_constraints, pod, action)
        found = _SYSTEM_DEFAULTS[action]
        if not found or self.default_selector is None:
            return []
        selector = self.default_selector(pod)
        if selector.empty():
            return []
        return [
            Constraint(c.max_skew, c.key, selector, c.min_domains, c.honor_affinity, c.honor_taints)
            for c in found
        ]

    # ---- Filter --------------------------------------------------------------------------

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        constraints = self.constraints(pod, "DoNotSchedule")
        if not constraints:
            return None, SKIP
        pairs: dict[tuple[str, str], int] = {}
        for node in nodes:
            if not _has_keys(node, constraints):
                continue
            for c in constraints:
                if not c.includes(pod, node):
                    continue
                pair = (c.key, node.labels[c.key])
                pairs[pair] = pairs.get(pair, 0) + count_pods_match(node, c.selector, pod.namespace)
        state.write(self.name, (constraints, pairs, _minimums(constraints, pairs)))
        return None, None

    def pre_filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays
    ) -> tuple[set[str] | None, Status | None]:
        constraints = self.constraints(pod, "DoNotSchedule")
        if not constraints:
            return None, SKIP
        state.write(self.name, (constraints, None, None))  # counts are taken in filter_batch
        return None, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        constraints, pairs, minimums = state.read(self.name)
        labels = node.labels
        for c in constraints:
            if c.key not in labels:
                return unschedulable(ERR_REASON_NODE_LABEL_NOT_MATCH, resolvable=False)
            if c.key not in minimums:
                continue
            self_match = 1 if c.selector.matches(pod.labels) else 0
            skew = pairs.get((c.key, labels[c.key]), 0) + self_match - minimums[c.key]
            if skew > c.max_skew:
                return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH)
        return None

    # batch: the same arithmetic on per-slot columns
    def _eligible(self, pod: PodInfo, c: Constraint, arrays: NodeArrays) -> np.ndarray:
        mask = arrays.valid.copy()
        if c.honor_affinity and (pod.node_selector or required_terms(pod) is not None):
            # (without either, every node matches: the mask would change nothing)
            mask &= required_mask(self.cache.label_mask, pod)  # type: ignore[union-attr]
        if c.honor_taints:
            bad = [
                find_untolerated_taint(
                    [{"key": k, "value": v, "effect": e} for k, v, e in cls],
                    pod.tolerations,
                    DO_NOT_SCHEDULE,
                )
                is not None
                for cls in arrays.taint_classes
            ]
            mask &= ~np.asarray(bad, bool)[arrays.taint_class]
        return mask

    def filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray | None:
        full = state.read(self.name + "/fail")
        if full is not None:
            return full[idx]
        constraints = state.read(self.name)[0]
        cache = self.cache
        assert cache is not None
        all_keys = arrays.valid.copy()
        for c in constraints:
            all_keys &= cache.label_column(c.key)[1]
        fail = np.zeros(arrays.capacity, bool)
        missing = np.zeros(arrays.capacity, bool)
        decided = np.zeros(arrays.capacity, bool)
        for c in constraints:
            codes, has, values = cache.label_column(c.key)
            missing |= ~has & ~decided
            decided |= ~has
            eligible = self._eligible(pod, c, arrays) & all_keys
            counts = _slot_counts(cache, c, pod.namespace)
            sums = np.bincount(codes[eligible], weights=counts[eligible], minlength=len(values))
            present = np.bincount(codes[eligible], minlength=len(values)) > 0
            if not present.any():
                continue
            minimum = int(sums[present].min())
            if present.sum() < c.min_domains:
                minimum = 0
            match = np.where(present, sums, 0).astype(np.int64)[codes]
            self_match = 1 if c.selector.matches(pod.labels) else 0
            over = (match + self_match - minimum > c.max_skew) & ~decided
            fail |= over
            decided |= over
        state.write(self.name + "/missing", missing)
        state.write(self.name + "/fail", fail | missing)
        return (fail | missing)[idx]

    def diagnose_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> list[tuple[Status, np.ndarray]]:
        missing = state.read(self.name + "/missing")[idx]
        out = []
        if missing.any():
            out.append(
                (unschedulable(ERR_REASON_NODE_LABEL_NOT_MATCH, resolvable=False), idx[missing])
            )
        if not missing.all():
            out.append((unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH), idx[~missing]))
        return out

    # ---- Score ---------------------------------------------------------------------------

    def _require_all(self, pod: PodInfo) -> bool:
        return bool(pod.spread_constraints) or not self.system_defaulted

    def pre_score(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> Status | None:
        constraints = self.constraints(pod, "ScheduleAnyway")
        if not constraints:
            return SKIP
        require_all = self._require_all(pod)
        ignored: set[str] = set()
        counts: list[dict[str, int]] = [{} for _ in constraints]
        for node in nodes:
            if require_all and not _has_keys(node, constraints):
                ignored.add(node.name)
                continue
            for i, c in enumerate(constraints):
                if c.key != HOSTNAME:
                    counts[i].setdefault(node.labels.get(c.key, ""), 0)
        weights = []
        for i, c in enumerate(constraints):
            size = len(nodes) - len(ignored) if c.key == HOSTNAME else len(counts[i])
            weights.append(topology_normalizing_weight(size))
        for node in state.all_nodes:
            if require_all and not _has_keys(node, constraints):
                continue
            for i, c in enumerate(constraints):
                if not c.includes(pod, node):
                    continue
                value = node.labels.get(c.key, "")
                if value in counts[i] and c.key != HOSTNAME:
                    counts[i][value] += count_pods_match(node, c.selector, pod.namespace)
        state.write(self.name + "/score", (constraints, ignored, counts, weights))
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        constraints, ignored, counts, weights = state.read(self.name + "/score")
        if node.name in ignored:
            return 0
        total = 0.0
        for i, c in enumerate(constraints):
            if c.key in node.labels:
                if c.key == HOSTNAME:
                    cnt = count_pods_match(node, c.selector, pod.namespace)
                else:
                    cnt = counts[i][node.labels[c.key]]
                total += score_for_count(cnt, c.max_skew, weights[i])
        return round_half_away(total)

    def normalize(
        self, state: CycleState, pod: PodInfo, scores: np.ndarray, names: Sequence[str] | None
    ) -> np.ndarray:
        ignored = state.read(self.name + "/score")[1]
        valid = np.fromiter((n not in ignored for n in names or ()), bool, len(scores))
        return _normalize(scores, valid)

    # batch scoring
    def pre_score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> Status | None:
        constraints = self.constraints(pod, "ScheduleAnyway")
        if not constraints:
            return SKIP
        cache = self.cache
        assert cache is not None
        require_all = self._require_all(pod)
        all_keys = None
        if require_all:
            all_keys = arrays.valid.copy()
            for c in constraints:
                all_keys &= cache.label_column(c.key)[1]
            scored: np.ndarray | None = all_keys[idx]
            kept = idx[scored]
        else:
            scored, kept = None, idx  # None: every node is scored (the system defaults)
        weights, totals = [], []
        for c in constraints:
            if c.key == HOSTNAME:
                weights.append(topology_normalizing_weight(len(kept)))
                totals.append(None)
                continue
            if cache.label_coverage(c.key) == "none":
                # No node has the key: the constraint adds to no node's score (score_batch
                # skips it), so there is nothing to count.
                weights.append(0.0)
                totals.append(None)
                continue
            codes, has, values = cache.label_column(c.key)
            present = np.bincount(codes[kept], minlength=len(values)) > 0
            weights.append(topology_normalizing_weight(int(present.sum())))
            counting = self._eligible(pod, c, arrays)
            if all_keys is not None:
                counting &= all_keys
            counts = _slot_counts(cache, c, pod.namespace)
            sums = np.bincount(codes[counting], weights=counts[counting], minlength=len(values))
            totals.append(np.where(present, sums, 0).astype(np.int64))
        state.write(self.name + "/batch", (constraints, scored, weights, totals))
        return None

    def score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray:
        constraints, scored, weights, totals = state.read(self.name + "/batch")
        cache = self.cache
        assert cache is not None
        total = None
        for c, w, tot in zip(constraints, weights, totals, strict=True):
            coverage = cache.label_coverage(c.key)
            if coverage == "none":
                continue  # np.where(has, total + term, total) would keep every total
            if c.key == HOSTNAME:
                cnt = _slot_counts(cache, c, pod.namespace)[idx]
            else:
                cnt = tot[cache.label_column(c.key)[0][idx]]
            term = cnt.astype(np.float64) * w + float(c.max_skew - 1)
            if total is None and coverage == "all":
                total = term  # what 0.0 + term gives (term is never -0.0: float(int) is not)
                continue
            if total is None:
                total = np.zeros(len(idx), np.float64)
            if coverage == "all":
                total = total + term
            else:
                total = np.where(cache.label_column(c.key)[1][idx], total + term, total)
        if total is None:
            return np.zeros(len(idx), np.int64)
        out = np.trunc(total)
        if total.min() >= 0:  # the usual case: sign(total) is 1 wherever the fraction counts
            out += total - out >= 0.5
        else:
            out = out + np.where(np.abs(total - out) >= 0.5, np.sign(total), 0)
        if scored is None:
            return out.astype(np.int64)
        return np.where(scored, out, 0).astype(np.int64)

    def normalize_batch(
        self,
        state: CycleState,
        pod: PodInfo,
        scores: np.ndarray,
        arrays: NodeArrays,
        idx: np.ndarray,
    ) -> np.ndarray:
        scored = state.read(self.name + "/batch")[1]
        return _normalize(scores, scored)


def _parse(raw: Sequence[Mapping[str, Any]], pod: PodInfo, action: str) -> list[Constraint]:
    """``filterTopologySpreadConstraints``: keep one action, parse selectors, add matchLabelKeys."""
    out = []
    for c in raw:
        if (c.get("whenUnsatisfiable") or "DoNotSchedule") != action:
            continue
        selector = selector_from_label_selector(c.get("labelSelector"))
        keys = c.get("matchLabelKeys") or ()
        extra = {k: pod.labels[k] for k in keys if k in pod.labels}
        if extra and selector is not NOTHING:  # mergeLabelSetWithSelector
            selector = selector_from_set(extra).add(*selector.requirements)
        out.append(
            Constraint(
                max_skew=int(c.get("maxSkew") or 1),
                key=c.get("topologyKey") or "",
                selector=selector,
                min_domains=int(c.get("minDomains") or 1),
                honor_affinity=(c.get("nodeAffinityPolicy") or "Honor") == "Honor",
                honor_taints=(c.get("nodeTaintsPolicy") or "Ignore") == "Honor",
            )
        )
    return out


#: the system defaults, parsed once (they have no matchLabelKeys, so no pod changes them)
_SYSTEM_DEFAULTS = {
    action: _parse(SYSTEM_DEFAULT_CONSTRAINTS, None, action)  # type: ignore[arg-type]
    for action in ("DoNotSchedule", "ScheduleAnyway")
}


def _minimums(
    constraints: Sequence[Constraint], pairs: Mapping[tuple[str, str], int]
) -> dict[str, int]:
    """Global minimum per topology key, 0 when there are fewer domains than ``minDomains``."""
    mins: dict[str, int] = {}
    domains: dict[str, int] = {}
    for (key, _), n in pairs.items():
        mins[key] = min(mins.get(key, n), n)
        domains[key] = domains.get(key, 0) + 1
    for c in constraints:
        if c.key in mins and domains[c.key] < c.min_domains:
            mins[c.key] = 0
    return mins


def _normalize(scores: np.ndarray, valid: np.ndarray | None) -> np.ndarray:
    """PodTopologySpread's NormalizeScore: reverse against the most crowded scored node.

    ``valid`` None: every node was scored.
    """
    scores = np.asarray(scores, np.int64)
    if valid is None:
        if not len(scores):
            return np.zeros(0, np.int64)
        lo = int(scores.min())
        hi = max(int(scores.max()), 0)
        if hi == 0:
            return np.full(len(scores), MAX_NODE_SCORE, np.int64)
        return MAX_NODE_SCORE * (hi + lo - scores) // hi
    if not valid.any():
        return np.zeros(len(scores), np.int64)
    lo = int(scores[valid].min())
    hi = max(int(scores[valid].max()), 0)
    if hi == 0:
        return np.where(valid, MAX_NODE_SCORE, 0).astype(np.int64)
    return np.where(valid, MAX_NODE_SCORE * (hi + lo - scores) // hi, 0).astype(np.int64)
