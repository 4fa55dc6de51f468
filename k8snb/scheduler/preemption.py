"""DefaultPreemption, as far as its message: could evicting lower-priority pods help?

When no node fits, the PostFilter plugin DefaultPreemption looks for nodes where removing pods
of *lower priority* than the incoming pod would make room
(``pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go``,
``pkg/scheduler/framework/preemption/preemption.go``):

- a pod with ``preemptionPolicy: Never`` may not preempt:
  ``preemption: not eligible due to preemptionPolicy=Never.``;
- nodes rejected as ``UnschedulableAndUnresolvable`` (a taint, a selector, a request bigger
  than the node) cannot be helped: ``Preemption is not helpful for scheduling``;
- on the other nodes, no pod of lower priority: ``No preemption victims found for incoming pod``
  (every pod has priority 0 unless a PriorityClass says otherwise, so this is the usual text);
- otherwise the node is re-checked as if those pods were gone.

The message is a second ``0/N nodes are available: ...`` appended after ``preemption:``.

*Not modelled:* actually evicting victims and nominating a node. When victims would make room,
:func:`preemption_message` returns None and the scheduler reports the filter message alone, as
upstream does in that case.
"""

from __future__ import annotations

from collections.abc import Sequence

from k8snb.scheduler.cache import SchedulerCache
from k8snb.scheduler.framework import (
    Code,
    CycleState,
    Diagnosis,
    FitError,
    NodeInfo,
    PodInfo,
    Status,
)
from k8snb.scheduler.profile import Profile

__all__ = ["preemption_message"]

NOT_HELPFUL = Status(
    Code.UNSCHEDULABLE_AND_UNRESOLVABLE, ("Preemption is not helpful for scheduling",)
)
NO_VICTIMS = Status(
    Code.UNSCHEDULABLE_AND_UNRESOLVABLE, ("No preemption victims found for incoming pod",)
)


def preemption_message(
    profile: Profile, cache: SchedulerCache, pod: PodInfo, potential: Sequence[int]
) -> str | None:
    """The PostFilter message for a pod no node fits, or None if preemption could help.

    ``potential`` are the cache slots of nodes rejected as plain ``Unschedulable``.
    """
    if pod.preemption_policy == "Never":
        return "preemption: not eligible due to preemptionPolicy=Never."
    diag = Diagnosis(absent=NOT_HELPFUL)
    lowest = min(cache.priorities, default=pod.priority)
    infos = cache.arrays.infos
    if potential and pod.priority <= lowest:
        diag.add(NO_VICTIMS, list(potential))  # nobody anywhere has a lower priority
    else:
        for i in potential:
            node = infos[i]
            assert node is not None
            victims = [p.key for p in node.pods.values() if p.priority < pod.priority]
            if not victims:
                diag.add(NO_VICTIMS, [i])
                continue
            for key in victims:
                node = node.without(key)
            status = _run_filters(profile, cache, pod, node)
            if status is None:
                return None  # a candidate exists: upstream would preempt (not modelled)
            diag.add(status, [i])
    return "preemption: " + FitError(pod.key, len(cache), diag).message()


def _run_filters(
    profile: Profile, cache: SchedulerCache, pod: PodInfo, node: NodeInfo
) -> Status | None:
    state = CycleState(cache.node_infos)
    for pl in profile.filter_plugins:
        _, st = pl.pre_filter(state, pod, state.all_nodes)
        if st is not None and st.code == Code.SKIP:
            state.skip_filter.add(pl.name)
        elif st is not None:
            return st
    for pl in profile.filter_plugins:
        if pl.name in state.skip_filter:
            continue
        st = pl.filter(state, pod, node)
        if st is not None:
            return st
    return None
