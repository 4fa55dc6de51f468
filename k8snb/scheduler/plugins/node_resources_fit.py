"""NodeResourcesFit and NodeResourcesBalancedAllocation: room on the node, and balance.

**Fit, Filter.** The pod's requests (containers summed, init containers maxed, sidecars and
overhead added) plus what is already requested on the node must not exceed the node's
allocatable, resource by resource; and the node must have a pod slot left (``pods``, the
kubelet's ``maxPods``, 110 by default). Reasons: ``Too many pods``, ``Insufficient cpu``,
``Insufficient memory``, ``Insufficient ephemeral-storage``, ``Insufficient <resource>``.
Requests count, not usage: a pod asking 4 cpu does not fit a 4-cpu node with 100m requested,
however idle it is. A request larger than the whole node can never be met, not even by
preemption (``UnschedulableAndUnresolvable``).
(``pkg/scheduler/framework/plugins/noderesources/fit.go``)

**Fit, Score (LeastAllocated, weight 1).** Per resource (cpu and memory, weight 1 each)
``(allocatable - requested) * 100 / allocatable``, averaged; the emptier node wins. Here a
container with no request counts as 100m cpu / 200Mi memory (``least_allocated.go``,
``resource_allocation.go``).

**BalancedAllocation, Score (weight 1).** ``(1 - |cpu fraction - memory fraction| / 2) * 100``
with the fractions after placing the pod: it prefers nodes where cpu and memory fill up
evenly. Skipped for pods with no requests at all (``balanced_allocation.go``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from k8snb.scheduler.cache import NodeArrays
from k8snb.scheduler.framework import (
    MAX_NODE_SCORE,
    SKIP,
    Code,
    CycleState,
    NodeInfo,
    Plugin,
    PodInfo,
    Status,
)


def insufficient_resources(pod: PodInfo, node: NodeInfo) -> list[tuple[str, bool]]:
    """``fitsRequest``: (reason, unresolvable) for each resource the node lacks, in order."""
    out: list[tuple[str, bool]] = []
    if len(node.pods) + 1 > node.alloc_pods:
        out.append(("Too many pods", False))
    if not (pod.cpu or pod.memory or pod.ephemeral or pod.scalars):
        return out
    if pod.cpu > 0 and pod.cpu > node.alloc_cpu - node.cpu:
        out.append(("Insufficient cpu", pod.cpu > node.alloc_cpu))
    if pod.memory > 0 and pod.memory > node.alloc_memory - node.memory:
        out.append(("Insufficient memory", pod.memory > node.alloc_memory))
    if pod.ephemeral > 0 and pod.ephemeral > node.alloc_ephemeral - node.ephemeral:
        out.append(("Insufficient ephemeral-storage", pod.ephemeral > node.alloc_ephemeral))
    for name, want in pod.scalars.items():
        alloc = node.alloc_scalars.get(name, 0)
        if alloc < want + node.scalars.get(name, 0):
            out.append((f"Insufficient {name}", want > alloc))
    return out


def _status(found: list[tuple[str, bool]]) -> Status:
    code = Code.UNSCHEDULABLE_AND_UNRESOLVABLE if any(u for _, u in found) else Code.UNSCHEDULABLE
    return Status(code, tuple(r for r, _ in found))


def least_requested_score(requested: int, capacity: int) -> int:
    """``leastRequestedScore``: the unused share of a resource, 0..100."""
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def _least_vec(requested: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    # requested > capacity (or capacity 0) makes the quotient <= 0: clamp it to 0
    s = (capacity - requested) * MAX_NODE_SCORE // np.maximum(capacity, 1)
    return np.maximum(s, 0, out=s)


def _least_pos(requested: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    # _least_vec for capacities known to be > 0 (np.maximum(capacity, 1) is capacity)
    s = capacity - requested
    s *= MAX_NODE_SCORE
    s //= capacity
    return np.maximum(s, 0, out=s)


def _allocatable(
    state: CycleState, a: NodeArrays, idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool]:
    """The allocatable cpu and memory of the slots ``idx``, and whether all are > 0.

    Both scorers read them for the same feasible nodes: gathered once per cycle.
    """
    hit = state.read("NodeResources/allocatable")
    if hit is not None and hit[0] is idx:
        return hit[1]
    cap_c, cap_m = a.alloc_cpu[idx], a.alloc_memory[idx]
    positive = bool(len(idx)) and int(cap_c.min()) > 0 and int(cap_m.min()) > 0
    cols = (cap_c, cap_m, positive)
    state.write("NodeResources/allocatable", (idx, cols))
    return cols


def balanced_score(fractions: list[float]) -> int:
    """``balancedResourceScore`` for the fractions of resources with allocatable > 0."""
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    elif len(fractions) > 2:
        mean = sum(fractions) / len(fractions)
        std = (sum((f - mean) * (f - mean) for f in fractions) / len(fractions)) ** 0.5
    else:
        std = 0.0
    return int((1 - std) * float(MAX_NODE_SCORE))


class NodeResourcesFit(Plugin):
    name = "NodeResourcesFit"
    filters = True
    scores = True

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        found = insufficient_resources(pod, node)
        return _status(found) if found else None

    def _flags(self, pod: PodInfo, a: NodeArrays, idx: np.ndarray) -> tuple[np.ndarray, ...]:
        """Per reason, which of the slots ``idx`` lack room (``fitsRequest``, vectorised)."""
        too_many = a.pod_count[idx] + 1 > a.alloc_pods[idx]
        none = np.zeros(len(idx), bool)
        if not (pod.cpu or pod.memory or pod.ephemeral or pod.scalars):
            return too_many, none, none, none, none
        cpu = pod.cpu > a.alloc_cpu[idx] - a.cpu[idx] if pod.cpu > 0 else none
        mem = pod.memory > a.alloc_memory[idx] - a.memory[idx] if pod.memory > 0 else none
        eph = (
            pod.ephemeral > a.alloc_ephemeral[idx] - a.ephemeral[idx] if pod.ephemeral > 0 else none
        )
        scal = none
        for name, want in pod.scalars.items():
            alloc, req = a.scalar(name)
            scal = scal | (alloc[idx] < want + req[idx])
        return too_many, cpu, mem, eph, scal

    def filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray | None:
        # _flags ORed together, without the all-False arrays of resources the pod does not ask,
        # on the free_* columns (allocatable - requested, kept by the cache)
        a = arrays
        fail = a.free_pods[idx] < 1  # pod_count + 1 > alloc_pods
        if pod.cpu > 0:
            fail |= a.free_cpu[idx] < pod.cpu
        if pod.memory > 0:
            fail |= a.free_memory[idx] < pod.memory
        if pod.ephemeral > 0:
            fail |= a.free_ephemeral[idx] < pod.ephemeral
        for name, want in pod.scalars.items():
            alloc, req = a.scalar(name)
            fail |= alloc[idx] < want + req[idx]
        return fail

    def diagnose_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> list[tuple[Status, np.ndarray]]:
        if pod.scalars:
            return list(super().diagnose_batch(state, pod, arrays, idx))
        a = arrays
        too_many, cpu, mem, eph, _ = self._flags(pod, a, idx)
        unres = (
            (cpu & (pod.cpu > a.alloc_cpu[idx]))
            | (mem & (pod.memory > a.alloc_memory[idx]))
            | (eph & (pod.ephemeral > a.alloc_ephemeral[idx]))
        )
        code = too_many * 1 + cpu * 2 + mem * 4 + eph * 8 + unres * 16
        out = []
        for c in np.unique(code).tolist():
            reasons = [
                r
                for bit, r in (
                    (1, "Too many pods"),
                    (2, "Insufficient cpu"),
                    (4, "Insufficient memory"),
                    (8, "Insufficient ephemeral-storage"),
                )
                if c & bit
            ]
            kind = Code.UNSCHEDULABLE_AND_UNRESOLVABLE if c & 16 else Code.UNSCHEDULABLE
            out.append((Status(kind, tuple(reasons)), idx[code == c]))
        return out

    # LeastAllocated ---------------------------------------------------------------------
    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        total = weights = 0
        for requested, capacity in (
            (node.nz_cpu + pod.nz_cpu, node.alloc_cpu),
            (node.nz_memory + pod.nz_memory, node.alloc_memory),
        ):
            if capacity == 0:
                continue
            total += least_requested_score(requested, capacity)
            weights += 1
        return total // weights if weights else 0

    def score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray:
        a = arrays
        cap_c, cap_m, positive = _allocatable(state, a, idx)
        if positive:  # the common case: no clamping of capacities, both resources count
            s = _least_pos(a.nz_cpu[idx] + pod.nz_cpu, cap_c)
            s += _least_pos(a.nz_memory[idx] + pod.nz_memory, cap_m)
            s //= 2
            return s
        s = _least_vec(a.nz_cpu[idx] + pod.nz_cpu, cap_c)
        s += _least_vec(a.nz_memory[idx] + pod.nz_memory, cap_m)
        # resources with allocatable 0 do not count in the average (s is 0 when both are)
        w = (cap_c > 0).astype(np.int64)
        w += cap_m > 0
        return s // np.maximum(w, 1)


class NodeResourcesBalancedAllocation(Plugin):
    name = "NodeResourcesBalancedAllocation"
    scores = True

    def pre_score(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> Status | None:
        # Best-effort pods are not scored: they would all pile onto one node (issue #129138).
        return SKIP if pod.cpu == 0 and pod.memory == 0 else None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        fractions = []
        for requested, capacity in (
            (node.cpu + pod.cpu, node.alloc_cpu),
            (node.memory + pod.memory, node.alloc_memory),
        ):
            if capacity == 0:
                continue
            fractions.append(min(float(requested) / float(capacity), 1.0))
        return balanced_score(fractions)

    def score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray:
        a = arrays
        cap_c, cap_m, positive = _allocatable(state, a, idx)
        if positive:  # np.maximum(cap, 1) is cap, and both resources count
            fc = np.minimum((a.cpu[idx] + pod.cpu) / cap_c, 1.0)
            fm = np.minimum((a.memory[idx] + pod.memory) / cap_m, 1.0)
            std = np.abs((fc - fm) / 2)
            return ((1 - std) * float(MAX_NODE_SCORE)).astype(np.int64)
        fc = np.minimum((a.cpu[idx] + pod.cpu) / np.maximum(cap_c, 1), 1.0)
        fm = np.minimum((a.memory[idx] + pod.memory) / np.maximum(cap_m, 1), 1.0)
        std = np.abs((fc - fm) / 2)
        # with one resource (or none) allocatable, the deviation is 0: score 100
        std *= (cap_c > 0) & (cap_m > 0)
        return ((1 - std) * float(MAX_NODE_SCORE)).astype(np.int64)
