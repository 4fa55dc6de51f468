"""One scheduling cycle: filter, score, pick (``pkg/scheduler/schedule_one.go``).

:meth:`Algorithm.schedule` is ``schedulePod``:

1. **PreFilter** each plugin once (a plugin may narrow the node list, reject the pod outright,
   or say ``Skip``).
2. **Filter** nodes in list order, starting where the previous cycle stopped (round robin),
   until ``numFeasibleNodesToFind`` nodes fit: all nodes below 100, else an adaptive
   percentage (10 % of 5,000). No node fits: a :class:`~k8snb.scheduler.framework.FitError`
   with a count per reason, plus the preemption verdict (PostFilter).
3. Exactly one node fits: take it, no scoring.
4. **PreScore / Score / NormalizeScore** per plugin, times the plugin's weight, summed.
5. The highest total wins; a tie is broken uniformly at random with the cluster's seeded rng.
   (Upstream's ``selectHost`` does reservoir sampling over the tied nodes with Go's global
   rand; one draw among the ``k`` tied nodes picks from the same uniform distribution.)

The plugins run in their batch form over numpy columns (:class:`~.cache.NodeArrays`).
:func:`evaluate` runs the same steps over *every* node, either way (batch or one node at a
time, as upstream's plugins are written) and returns the whole node x plugin picture: that is
what :mod:`k8snb.scheduler.explain` shows and what the tests compare.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from k8snb.scheduler.cache import NodeArrays, SchedulerCache
from k8snb.scheduler.framework import (
    Code,
    CycleState,
    Diagnosis,
    FitError,
    NodeInfo,
    Plugin,
    PodInfo,
    Status,
    num_feasible_nodes_to_find,
)
from k8snb.scheduler.preemption import preemption_message
from k8snb.scheduler.profile import Profile

__all__ = ["Algorithm", "Evaluation", "NoNodesAvailable", "ScheduleResult", "evaluate"]


class NoNodesAvailable(Exception):
    """``ErrNoNodesAvailable``: the cluster has no nodes at all."""

    def __str__(self) -> str:
        return "no nodes available to schedule pods"


@dataclass(slots=True)
class ScheduleResult:
    """``ScheduleResult``: the chosen node and how the cycle got there."""

    node: str
    score: int | None  # None when a single node fit and scoring was skipped
    evaluated: int  # nodes checked by the filters
    feasible: int  # of those, how many fit
    tied: int = 1  # nodes sharing the top score


def _plugins_msg(names: list[str]) -> str:
    # Go prints a []string as [A B]
    return "[" + " ".join(sorted(names)) + "]"


@dataclass
class _PreFilterOutcome:
    restrict: set[str] | None = None
    plugins_with_nodes: list[str] = field(default_factory=list)
    rejected: Status | None = None


def _run_pre_filters(
    profile: Profile, state: CycleState, pod: PodInfo, batch_arrays: NodeArrays | None = None
) -> _PreFilterOutcome:
    """``RunPreFilterPlugins``: merge node restrictions, stop at the first rejection."""
    out = _PreFilterOutcome()
    for pl in profile.filter_plugins:
        if batch_arrays is not None:
            names, st = pl.pre_filter_batch(state, pod, batch_arrays)
        else:
            names, st = pl.pre_filter(state, pod, state.all_nodes)
        if st is not None and st.code == Code.SKIP:
            state.skip_filter.add(pl.name)
            continue
        if st is not None and st.is_rejected():
            out.rejected = st.with_plugin(pl.name)
            return out
        if names is not None:
            out.plugins_with_nodes.append(pl.name)
            out.restrict = set(names) if out.restrict is None else out.restrict & names
            if not out.restrict:
                if len(out.plugins_with_nodes) == 1:
                    msg = f"node(s) didn't satisfy plugin {out.plugins_with_nodes[0]}"
                else:
                    msg = f"node(s) didn't satisfy plugin(s) {_plugins_msg(out.plugins_with_nodes)} simultaneously"
                out.rejected = Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, (msg,))
                return out
    return out


class Algorithm:
    """``schedulePod`` over the cache, with the round-robin start index it keeps."""

    def __init__(self, profile: Profile, cache: SchedulerCache, rng: random.Random) -> None:
        self.profile = profile
        self.cache = cache
        self.rng = rng
        #: ``nextStartNodeIndex``: where the next cycle starts filtering
        self.next_start = 0

    def _candidates(self, pre: _PreFilterOutcome, diag: Diagnosis) -> np.ndarray:
        order = self.cache.order()
        if pre.restrict is None:
            return order
        diag.absent = Status(
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            (f"node(s) didn't satisfy plugin(s) {_plugins_msg(pre.plugins_with_nodes)}",),
        )
        slots = {self.cache.slot(n) for n in pre.restrict} - {None}
        return np.asarray([s for s in order.tolist() if s in slots], np.int64)

    def schedule(self, pod: PodInfo) -> ScheduleResult:
        """Pick a node for ``pod``; raise FitError (or NoNodesAvailable) when none fits."""
        cache, a = self.cache, self.cache.arrays
        num_all = len(cache)
        if num_all == 0:
            raise NoNodesAvailable
        state = CycleState(cache.node_infos)
        diag = Diagnosis()
        pre = _run_pre_filters(self.profile, state, pod, a)
        if pre.rejected is not None:
            diag.pre_filter_msg = pre.rejected.message
            diag.absent = pre.rejected
            diag.unschedulable_plugins.add(pre.rejected.plugin)
            raise self._fit_error(pod, diag, num_all)
        candidates = self._candidates(pre, diag)
        n = len(candidates)

        # Filter, in list order from where the last cycle stopped, until enough nodes fit.
        # The masks are computed for a window a little larger than needed first, and for the
        # rest of the nodes only if the window falls short.
        filters = [p for p in self.profile.filter_plugins if p.name not in state.skip_filter]
        processed = 0
        feasible = candidates[:0]
        if n:
            start = self.next_start % n
            rotated = (
                np.concatenate((candidates[start:], candidates[:start])) if start else candidates
            )
            k = num_feasible_nodes_to_find(n, self.profile.percentage_of_nodes_to_score)
            window = min(n, k + k // 4 + 16)
            ok = self._passes(filters, state, pod, rotated[:window])
            pos = np.flatnonzero(ok)
            if len(pos) <= k and window < n:
                rest = self._passes(filters, state, pod, rotated[window:])
                pos = np.concatenate((pos, np.flatnonzero(rest) + window))
            if len(pos) > k:
                processed = int(pos[k])  # upstream stops when the (k+1)-th fit turns up
                pos = pos[:k]
            else:
                processed = n
            feasible = rotated[pos]
            self.next_start = (self.next_start + processed) % num_all

        if len(feasible) == 0:
            remaining = np.ones(n, bool)
            for pl in filters:
                m = pl.filter_batch(state, pod, a, candidates)
                if m is None:
                    continue
                here = remaining & m
                if here.any():
                    for st, idx in pl.diagnose_batch(state, pod, a, candidates[here]):
                        diag.add(st.with_plugin(pl.name), idx)
                    remaining &= ~here
            raise self._fit_error(pod, diag, num_all)

        if len(feasible) == 1:
            return ScheduleResult(a.infos[int(feasible[0])].name, None, processed, 1)  # type: ignore[union-attr]

        total = np.zeros(len(feasible), np.int64)
        for pl in self.profile.score_plugins:
            st = pl.pre_score_batch(state, pod, a, feasible)
            if st is not None and st.code == Code.SKIP:
                continue
            raw = pl.score_batch(state, pod, a, feasible)
            norm = pl.normalize_batch(state, pod, raw, a, feasible)
            weight = self.profile.weights[pl.name]
            total += norm if weight == 1 else norm * weight
        best = int(total.max())
        ties = np.flatnonzero(total == best)
        pick = int(ties[0]) if len(ties) == 1 else int(ties[self.rng.randrange(len(ties))])
        node = a.infos[int(feasible[pick])]
        return ScheduleResult(node.name, best, processed, len(feasible), len(ties))  # type: ignore[union-attr]

    def _passes(
        self, filters: list[Plugin], state: CycleState, pod: PodInfo, slots: np.ndarray
    ) -> np.ndarray:
        """True for each of ``slots`` that every filter lets through."""
        bad = None
        for pl in filters:
            m = pl.filter_batch(state, pod, self.cache.arrays, slots)
            if m is not None:
                bad = m if bad is None else bad | m
        return np.ones(len(slots), bool) if bad is None else ~bad

    def _fit_error(self, pod: PodInfo, diag: Diagnosis, num_all: int) -> FitError:
        msg = preemption_message(self.profile, self.cache, pod, diag.potential)
        if msg:
            diag.post_filter_msg = msg
        return FitError(pod.key, num_all, diag)


# ---------------------------------------------------------------------------------------------
# The whole picture, for explain() and for the tests
# ---------------------------------------------------------------------------------------------


@dataclass
class Evaluation:
    """Every node's verdict from every plugin for one pod, as the cycle would compute it.

    ``filters[plugin][j]`` is plugin's Status for ``nodes[j]`` (None = passed, absent when the
    plugin was skipped); ``verdict[j]`` the first failing Status (what upstream records);
    ``raw`` / ``normalized`` map score plugins to arrays over ``feasible`` (indices into
    ``nodes``); ``total`` is the weighted sum. ``pre_filter`` holds a PreFilter rejection.
    """

    nodes: list[str]
    filters: dict[str, list[Status | None]]
    verdict: list[Status | None]
    feasible: list[int]
    raw: dict[str, np.ndarray]
    normalized: dict[str, np.ndarray]
    weights: dict[str, int]
    total: np.ndarray
    skipped_filters: set[str]
    skipped_scores: set[str]
    pre_filter: Status | None = None
    restrict: set[str] | None = None


def evaluate(
    profile: Profile,
    cache: SchedulerCache,
    pod: PodInfo,
    *,
    batch: bool = False,
    without: str | None = None,
) -> Evaluation:
    """Run PreFilter, every Filter on every node, and every Score on every feasible node.

    ``batch=False`` calls each plugin node by node (the readable reference); ``batch=True``
    uses the numpy forms the scheduler runs. ``without`` removes a pod (by key) from its node
    first, to ask "why is this pod where it is" about a pod already placed. Unlike a real
    cycle, nothing stops early: all nodes are filtered and all feasible nodes scored.
    """
    infos = cache.node_infos()
    if without is not None and cache.pod(without) is not None:
        if batch:
            raise ValueError("without= needs the node-by-node evaluation")
        host = cache.pod_node(without)
        infos = [i.without(without) if i.name == host else i for i in infos]
    names = [i.name for i in infos]
    state = CycleState(infos)
    a = cache.arrays
    pre = _run_pre_filters(profile, state, pod, a if batch else None)
    filters: dict[str, list[Status | None]] = {}
    verdict: list[Status | None] = [None] * len(infos)
    restrict = pre.restrict
    if pre.rejected is None:
        slots = cache.order()
        for pl in profile.filter_plugins:
            if pl.name in state.skip_filter:
                continue
            if batch:
                m = pl.filter_batch(state, pod, a, slots)
                col: list[Status | None] = [None] * len(infos)
                if m is not None:
                    bad = np.flatnonzero(m)
                    pos = {int(s): j for j, s in enumerate(slots.tolist())}
                    for st, idx in pl.diagnose_batch(state, pod, a, slots[bad]):
                        for s in idx.tolist():
                            col[pos[s]] = st.with_plugin(pl.name)
            else:
                col = []
                for info in infos:
                    st = pl.filter(state, pod, info)
                    col.append(st.with_plugin(pl.name) if st is not None else None)
            filters[pl.name] = col
        for j, name in enumerate(names):
            if restrict is not None and name not in restrict:
                verdict[j] = Status(
                    Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
                    (f"node(s) didn't satisfy plugin(s) {_plugins_msg(pre.plugins_with_nodes)}",),
                )
                continue
            for col in filters.values():
                if col[j] is not None:
                    verdict[j] = col[j]
                    break
    else:
        verdict = [pre.rejected] * len(infos)
    feasible = [j for j, v in enumerate(verdict) if v is None]
    raw: dict[str, np.ndarray] = {}
    normalized: dict[str, np.ndarray] = {}
    skipped_scores: set[str] = set()
    total = np.zeros(len(feasible), np.int64)
    if len(feasible) > 1:
        fnodes: list[NodeInfo] = [infos[j] for j in feasible]
        fslots = cache.order()[feasible]
        for pl in profile.score_plugins:
            if batch:
                st = pl.pre_score_batch(state, pod, a, fslots)
            else:
                st = pl.pre_score(state, pod, fnodes)
            if st is not None and st.code == Code.SKIP:
                skipped_scores.add(pl.name)
                continue
            if batch:
                r = pl.score_batch(state, pod, a, fslots)
                norm = pl.normalize_batch(state, pod, r, a, fslots)
            else:
                r = np.asarray([pl.score(state, pod, n) for n in fnodes], np.int64)
                norm = pl.normalize(state, pod, r.copy(), [n.name for n in fnodes])
            raw[pl.name] = r
            normalized[pl.name] = np.asarray(norm, np.int64)
            total = total + normalized[pl.name] * profile.weights[pl.name]
    return Evaluation(
        nodes=names,
        filters=filters,
        verdict=verdict,
        feasible=feasible,
        raw=raw,
        normalized=normalized,
        weights={pl.name: profile.weights[pl.name] for pl in profile.score_plugins},
        total=total,
        skipped_filters=set(state.skip_filter),
        skipped_scores=skipped_scores,
        pre_filter=pre.rejected,
        restrict=restrict,
    )
