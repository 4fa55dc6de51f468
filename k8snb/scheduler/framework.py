"""The scheduling framework: statuses, the per-cycle state, pod and node info, FitError.

Kubernetes' scheduler is a framework of plugins called at fixed extension points
(``pkg/scheduler/framework/interface.go``): PreFilter, Filter, PostFilter, PreScore, Score,
NormalizeScore, Reserve, Permit, Bind. One *scheduling cycle* takes one pod, filters the
nodes, scores the ones that fit, and picks the best (``pkg/scheduler/schedule_one.go``).

This module holds the vocabulary the plugins share:

- :class:`Status` with the upstream codes (``Unschedulable`` can be fixed by preemption,
  ``UnschedulableAndUnresolvable`` cannot, ``Skip`` means "this plugin has nothing to do");
- :class:`PodInfo`, a pod's scheduling facts computed once (requests, tolerations, ...);
- :class:`NodeInfo`, a node plus what the scheduler has counted on it (``framework/types.go``);
- :class:`CycleState`, the scratch space one cycle's plugins write and read;
- :class:`FitError`, whose message is the familiar ``0/3 nodes are available: ...``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from k8snb.scheduler._helpers import cpu_millis, to_bytes

if TYPE_CHECKING:
    from k8snb.scheduler.cache import NodeArrays

__all__ = [
    "MAX_NODE_SCORE",
    "DEFAULT_MILLI_CPU_REQUEST",
    "DEFAULT_MEMORY_REQUEST",
    "Code",
    "Status",
    "CycleState",
    "PodInfo",
    "NodeInfo",
    "Plugin",
    "Diagnosis",
    "FitError",
    "num_feasible_nodes_to_find",
    "default_normalize_score",
    "pod_requests",
    "normalized_image_name",
]

Obj = dict[str, Any]

#: Scores run 0..100 for every plugin (``framework.MaxNodeScore``).
MAX_NODE_SCORE = 100
#: For scoring only, a container without a cpu/memory request counts as 100m / 200Mi
#: (``pkg/scheduler/util/pod_resources.go``), so empty pods do not all pile onto one node.
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

#: ``numFeasibleNodesToFind`` constants (``schedule_one.go``).
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5


class Code(IntEnum):
    """``fwk.Code``: the outcome of one plugin call."""

    SUCCESS = 0
    ERROR = 1
    UNSCHEDULABLE = 2
    UNSCHEDULABLE_AND_UNRESOLVABLE = 3
    WAIT = 4
    SKIP = 5
    PENDING = 6


@dataclass(frozen=True, slots=True)
class Status:
    """A plugin's verdict: a code, the human reasons, and which plugin said it."""

    code: Code
    reasons: tuple[str, ...] = ()
    plugin: str = ""

    @property
    def message(self) -> str:
        return ", ".join(self.reasons)

    def is_success(self) -> bool:
        return self.code == Code.SUCCESS

    def is_rejected(self) -> bool:
        return self.code in (Code.UNSCHEDULABLE, Code.UNSCHEDULABLE_AND_UNRESOLVABLE)

    def with_plugin(self, plugin: str) -> Status:
        return Status(self.code, self.reasons, plugin)


def unschedulable(*reasons: str, resolvable: bool = True) -> Status:
    """Shorthand for the two rejecting codes."""
    code = Code.UNSCHEDULABLE if resolvable else Code.UNSCHEDULABLE_AND_UNRESOLVABLE
    return Status(code, tuple(reasons))


SKIP = Status(Code.SKIP)


# ---------------------------------------------------------------------------------------------
# Pod requests (k8s.io/component-helpers/resource PodRequests)
# ---------------------------------------------------------------------------------------------

#: Resource names with their own fields in ``framework.Resource``; every other name a container
#: requests (``nvidia.com/gpu``, ``hugepages-2Mi``) is a "scalar" resource.
NATIVE_RESOURCES = ("cpu", "memory", "ephemeral-storage")


def _amount(name: str, q: Any) -> int:
    return cpu_millis(q) if name == "cpu" else to_bytes(q)


def _container_requests(c: Mapping[str, Any], non_missing: bool) -> dict[str, int]:
    reqs = {n: _amount(n, q) for n, q in ((c.get("resources") or {}).get("requests") or {}).items()}
    if non_missing:
        reqs.setdefault("cpu", DEFAULT_MILLI_CPU_REQUEST)
        reqs.setdefault("memory", DEFAULT_MEMORY_REQUEST)
    return reqs


def _add(into: dict[str, int], more: Mapping[str, int]) -> None:
    for k, v in more.items():
        into[k] = into.get(k, 0) + v


def _max(into: dict[str, int], other: Mapping[str, int]) -> None:
    for k, v in other.items():
        if v > into.get(k, 0):
            into[k] = v


def pod_requests(spec: Mapping[str, Any], *, non_missing: bool = False) -> dict[str, int]:
    """What a pod asks of a node, cpu in millicores and everything else in units.

    Regular containers run together, so their requests add up; init containers run one at a
    time before them, so the pod needs the larger of the two. Sidecars (init containers with
    ``restartPolicy: Always``) keep running and add to both. ``spec.overhead`` is added last.
    With ``non_missing`` a container without a cpu or memory request counts as 100m / 200Mi,
    the rule the scorers use.
    """
    reqs: dict[str, int] = {}
    for c in spec.get("containers") or ():
        _add(reqs, _container_requests(c, non_missing))
    sidecars: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for c in spec.get("initContainers") or ():
        creqs = _container_requests(c, non_missing)
        if c.get("restartPolicy") == "Always":
            _add(reqs, creqs)
            _add(sidecars, creqs)
            creqs = dict(sidecars)
        else:
            _add(creqs, sidecars)
        _max(init_max, creqs)
    _max(reqs, init_max)
    overhead = spec.get("overhead") or {}
    if overhead:
        _add(reqs, {n: _amount(n, q) for n, q in overhead.items()})
    return reqs


@lru_cache(maxsize=1024)
def normalized_image_name(name: str) -> str:
    """``normalizedImageName`` in the ImageLocality plugin: add ``:latest`` when untagged.

    Cached, so the pods of one template share the string.
    """
    if name.rfind(":") <= name.rfind("/"):
        return name + ":latest"
    return name


#: one shared, read-only empty mapping for absent fields (a cache holds a PodInfo per pod)
EMPTY: Mapping[str, Any] = MappingProxyType({})


# ---------------------------------------------------------------------------------------------
# PodInfo, NodeInfo, CycleState
# ---------------------------------------------------------------------------------------------


class PodInfo:
    """The scheduling facts of one pod, computed once from its manifest.

    Cheap to build and immutable afterwards; the cache keeps one per assigned pod (for its
    requests, ports and labels) and the scheduler builds one per pending pod.
    """

    __slots__ = (
        "pod",
        "key",
        "namespace",
        "name",
        "uid",
        "labels",
        "priority",
        "node_name",
        "cpu",
        "memory",
        "ephemeral",
        "scalars",
        "nz_cpu",
        "nz_memory",
        "host_ports",
        "tolerations",
        "node_selector",
        "affinity",
        "spread_constraints",
        "images",
        "num_containers",
        "terminating",
        "preemption_policy",
    )

    def __init__(self, pod: Obj) -> None:
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.pod = pod
        self.namespace: str = meta.get("namespace") or "default"
        self.name: str = meta.get("name") or ""
        self.key = f"{self.namespace}/{self.name}"
        self.uid: str = meta.get("uid") or ""
        self.labels: Mapping[str, str] = meta.get("labels") or EMPTY
        self.priority: int = int(spec.get("priority") or 0)
        self.node_name: str = spec.get("nodeName") or ""
        self.terminating = meta.get("deletionTimestamp") is not None
        self.preemption_policy: str = spec.get("preemptionPolicy") or "PreemptLowerPriority"
        reqs = pod_requests(spec)
        self.cpu = reqs.pop("cpu", 0)
        self.memory = reqs.pop("memory", 0)
        self.ephemeral = reqs.pop("ephemeral-storage", 0)
        self.scalars: Mapping[str, int] = {k: v for k, v in reqs.items() if v} if reqs else EMPTY
        nz = pod_requests(spec, non_missing=True)
        self.nz_cpu = nz.get("cpu", 0)
        self.nz_memory = nz.get("memory", 0)
        ports = []
        for c in spec.get("containers") or ():
            for p in c.get("ports") or ():
                hp = int(p.get("hostPort") or 0)
                if hp > 0:
                    ports.append((p.get("hostIP") or "0.0.0.0", p.get("protocol") or "TCP", hp))
        self.host_ports: tuple[tuple[str, str, int], ...] = tuple(ports)
        # references into the manifest, not copies: a cache holds one PodInfo per pod
        self.tolerations: Sequence[Mapping[str, Any]] = spec.get("tolerations") or ()
        self.node_selector: Mapping[str, str] = spec.get("nodeSelector") or EMPTY
        self.affinity: Mapping[str, Any] = spec.get("affinity") or EMPTY
        self.spread_constraints: Sequence[Mapping[str, Any]] = (
            spec.get("topologySpreadConstraints") or ()
        )
        init = spec.get("initContainers") or ()
        regular = spec.get("containers") or ()
        self.images = tuple(normalized_image_name(c.get("image") or "") for c in (*init, *regular))
        self.num_containers = len(init) + len(regular)

    def __copy__(self) -> PodInfo:
        # what copy.copy does for a slotted object, without its generic reduce/reconstruct
        # (the cache copies a PodInfo on every status update of a placed pod)
        new = object.__new__(type(self))
        for name in PodInfo.__slots__:
            try:
                setattr(new, name, getattr(self, name))
            except AttributeError:
                pass
        return new

    @property
    def node_affinity(self) -> Mapping[str, Any]:
        return self.affinity.get("nodeAffinity") or EMPTY

    def __repr__(self) -> str:
        return f"PodInfo({self.key})"


@dataclass(slots=True)
class NodeInfo:
    """A node and what the scheduler has counted on it (``framework.NodeInfo``).

    ``requested`` sums the requests of every pod on the node, *including pods the scheduler has
    only assumed* (decided but not yet seen bound), so two back-to-back decisions never
    double-book the same room. ``nonzero_*`` use the 100m / 200Mi floor and feed scoring only.
    """

    name: str
    node: Obj | None = None
    pods: dict[str, PodInfo] = field(default_factory=dict)
    cpu: int = 0
    memory: int = 0
    ephemeral: int = 0
    scalars: dict[str, int] = field(default_factory=dict)
    nz_cpu: int = 0
    nz_memory: int = 0
    used_ports: Counter = field(default_factory=Counter)
    # allocatable, parsed once per node update
    alloc_cpu: int = 0
    alloc_memory: int = 0
    alloc_ephemeral: int = 0
    alloc_pods: int = 0
    alloc_scalars: dict[str, int] = field(default_factory=dict)

    def set_node(self, node: Obj | None) -> None:
        self.node = node
        alloc = ((node or {}).get("status") or {}).get("allocatable") or {}
        self.alloc_cpu = cpu_millis(alloc["cpu"]) if "cpu" in alloc else 0
        self.alloc_memory = to_bytes(alloc["memory"]) if "memory" in alloc else 0
        self.alloc_ephemeral = (
            to_bytes(alloc["ephemeral-storage"]) if "ephemeral-storage" in alloc else 0
        )
        self.alloc_pods = to_bytes(alloc["pods"]) if "pods" in alloc else 0
        self.alloc_scalars = {
            k: to_bytes(v)
            for k, v in alloc.items()
            if k not in ("cpu", "memory", "ephemeral-storage", "pods")
        }

    @property
    def labels(self) -> Mapping[str, str]:
        return ((self.node or {}).get("metadata") or {}).get("labels") or {}

    @property
    def taints(self) -> list[Mapping[str, Any]]:
        return ((self.node or {}).get("spec") or {}).get("taints") or []

    @property
    def unschedulable(self) -> bool:
        return bool(((self.node or {}).get("spec") or {}).get("unschedulable"))

    @property
    def images(self) -> list[Mapping[str, Any]]:
        return ((self.node or {}).get("status") or {}).get("images") or []

    def add_pod(self, p: PodInfo, sign: int = 1) -> None:
        """Count (or with ``sign=-1`` uncount) a pod's requests and host ports on this node."""
        if sign > 0:
            self.pods[p.key] = p
        else:
            self.pods.pop(p.key, None)
        self.cpu += sign * p.cpu
        self.memory += sign * p.memory
        self.ephemeral += sign * p.ephemeral
        for k, v in p.scalars.items():
            self.scalars[k] = self.scalars.get(k, 0) + sign * v
        self.nz_cpu += sign * p.nz_cpu
        self.nz_memory += sign * p.nz_memory
        for port in p.host_ports:
            self.used_ports[port] += sign
            if self.used_ports[port] <= 0:
                del self.used_ports[port]

    def without(self, key: str) -> NodeInfo:
        """A copy with one pod taken away (for "what if this pod were not here")."""
        clone = NodeInfo(
            self.name,
            self.node,
            dict(self.pods),
            self.cpu,
            self.memory,
            self.ephemeral,
            dict(self.scalars),
            self.nz_cpu,
            self.nz_memory,
            Counter(self.used_ports),
            self.alloc_cpu,
            self.alloc_memory,
            self.alloc_ephemeral,
            self.alloc_pods,
            dict(self.alloc_scalars),
        )
        if key in clone.pods:
            clone.add_pod(clone.pods[key], -1)
        return clone


class CycleState:
    """Scratch space for one scheduling cycle (``framework.CycleState``).

    PreFilter and PreScore write what Filter and Score will read, keyed by plugin name;
    ``skip_filter`` / ``skip_score`` hold the plugins that returned ``Skip``.
    """

    __slots__ = ("data", "skip_filter", "skip_score", "_all_nodes")

    def __init__(
        self, all_nodes: Sequence[NodeInfo] | Callable[[], Sequence[NodeInfo]] = ()
    ) -> None:
        self._all_nodes = all_nodes
        self.data: dict[str, Any] = {}
        self.skip_filter: set[str] = set()
        self.skip_score: set[str] = set()

    @property
    def all_nodes(self) -> Sequence[NodeInfo]:
        """Every node in list order (some PreFilter and PreScore steps look at all of them)."""
        if callable(self._all_nodes):
            self._all_nodes = self._all_nodes()
        return self._all_nodes

    def read(self, key: str) -> Any:
        return self.data.get(key)

    def write(self, key: str, value: Any) -> None:
        self.data[key] = value


# ---------------------------------------------------------------------------------------------
# Plugins
# ---------------------------------------------------------------------------------------------


class Plugin:
    """Base class for scheduling plugins; each overrides the extension points it implements.

    Every plugin has two forms of its Filter and Score: ``filter``/``score`` take one node, as
    upstream's do, and are what :mod:`k8snb.scheduler.explain` runs; ``filter_batch`` /
    ``score_batch`` take every node at once as numpy arrays and are what the scheduler runs.
    Tests check the two agree.
    """

    name: ClassVar[str] = ""
    #: True for plugins with a Filter extension point.
    filters: ClassVar[bool] = False
    #: True for plugins with a Score extension point.
    scores: ClassVar[bool] = False

    # PreFilter -------------------------------------------------------------------------------
    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        """Return (node names to restrict to, or None for all) and a Status (None = success)."""
        return None, None

    def pre_filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays
    ) -> tuple[set[str] | None, Status | None]:
        """PreFilter for the batch path (default: the same as :meth:`pre_filter`)."""
        return self.pre_filter(state, pod, state.all_nodes)

    # Filter ----------------------------------------------------------------------------------
    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        return None

    def filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray | None:
        """For the node slots ``idx``, a boolean array: True where this plugin rejects the node.

        None means "rejects none of them".
        """
        return None

    def diagnose_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> Iterable[tuple[Status, np.ndarray]]:
        """Statuses for the rejected node slots ``idx``, grouped: (status, those slots)."""
        groups: dict[Status, list[int]] = {}
        for i in idx.tolist():
            st = self.filter(state, pod, arrays.infos[i])  # type: ignore[arg-type]
            if st is not None:
                groups.setdefault(st, []).append(i)
        return [(st, np.asarray(v, np.int64)) for st, v in groups.items()]

    # Score -----------------------------------------------------------------------------------
    def pre_score(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> Status | None:
        """PreScore over the feasible ``nodes``; return ``SKIP`` to sit this pod out."""
        return None

    def pre_score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> Status | None:
        """PreScore for the batch path; the default needs no per-node work."""
        return self.pre_score(state, pod, ())

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        return 0

    def score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray:
        """Raw scores (before NormalizeScore) for the node slots ``idx``, as int64."""
        return np.fromiter(
            (self.score(state, pod, arrays.infos[i]) for i in idx.tolist()), np.int64, len(idx)
        )

    def normalize(
        self, state: CycleState, pod: PodInfo, scores: np.ndarray, names: Sequence[str] | None
    ) -> np.ndarray:
        """NormalizeScore over the scored nodes (``names`` in the same order as ``scores``).

        The default leaves the raw scores as they are.
        """
        return scores

    def normalize_batch(
        self,
        state: CycleState,
        pod: PodInfo,
        scores: np.ndarray,
        arrays: NodeArrays,
        idx: np.ndarray,
    ) -> np.ndarray:
        """NormalizeScore for the batch path, where nodes are cache slots ``idx``."""
        return self.normalize(state, pod, scores, None)


def default_normalize_score(scores: np.ndarray, reverse: bool) -> np.ndarray:
    """``helper.DefaultNormalizeScore``: scale to 0..100 by the maximum, optionally reversed.

    With ``reverse`` the node with the most (of something bad) gets 0 and nodes with none
    get 100; when every score is 0, reversed scores are all 100.
    """
    scores = np.asarray(scores, dtype=np.int64)
    top = int(scores.max()) if len(scores) else 0
    if top == 0:
        return np.full(len(scores), MAX_NODE_SCORE, np.int64) if reverse else scores
    out = MAX_NODE_SCORE * scores // top
    return MAX_NODE_SCORE - out if reverse else out


def num_feasible_nodes_to_find(num_all_nodes: int, percentage: int = 0) -> int:
    """How many feasible nodes a cycle looks for before it stops filtering.

    ``numFeasibleNodesToFind`` in ``schedule_one.go``: below 100 nodes, all of them. Otherwise
    ``percentageOfNodesToScore`` percent, adaptive when unset (0): ``50 - nodes/125``, at least
    5 %; and never fewer than 100 nodes. 5,000 nodes -> 10 % -> 500 nodes.
    """
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    if percentage <= 0:
        percentage = max(50 - num_all_nodes // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
    if percentage >= 100:
        return num_all_nodes
    return max(num_all_nodes * percentage // 100, MIN_FEASIBLE_NODES_TO_FIND)


# ---------------------------------------------------------------------------------------------
# FitError
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Diagnosis:
    """Why nodes were rejected (``framework.Diagnosis``), kept as counts, not per node.

    ``reasons`` counts each reason once per node that gave it; ``explicit`` is how many nodes
    have their own status; the other ``num_all_nodes - explicit`` nodes share ``absent``
    (set when a PreFilter narrowed or rejected the node list).
    """

    reasons: Counter = field(default_factory=Counter)
    explicit: int = 0
    absent: Status | None = None
    pre_filter_msg: str = ""
    post_filter_msg: str = ""
    unschedulable_plugins: set[str] = field(default_factory=set)
    #: the nodes rejected as ``Unschedulable`` (not ``...AndUnresolvable``): preemption
    #: candidates, as cache slots
    potential: list = field(default_factory=list)

    def add(self, status: Status, nodes: Any) -> None:
        """Record ``status`` for ``nodes`` (cache slots: an int array or a list)."""
        count = len(nodes)
        for r in status.reasons:
            self.reasons[r] += count
        self.explicit += count
        if status.code == Code.UNSCHEDULABLE:
            self.potential.extend(np.asarray(nodes).tolist())
        if status.plugin:
            self.unschedulable_plugins.add(status.plugin)


@dataclass(slots=True)
class FitError(Exception):
    """No node fits the pod. ``str()`` is the upstream message (``framework/types.go``)::

        0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/
        control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1
        Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.

    (one line). The histogram items are ``<count> <reason>``, sorted as strings.
    """

    pod_key: str
    num_all_nodes: int
    diagnosis: Diagnosis

    def reason_counts(self) -> Counter:
        """How many nodes gave each reason (nodes a PreFilter ruled out included)."""
        d = self.diagnosis
        reasons = Counter(d.reasons)
        missing = self.num_all_nodes - d.explicit
        if missing > 0 and d.absent is not None:
            for r in d.absent.reasons:
                reasons[r] += missing
        return reasons

    def histogram(self) -> list[str]:
        return sorted(f"{v} {k}" for k, v in self.reason_counts().items())

    def message(self) -> str:
        d = self.diagnosis
        msg = f"0/{self.num_all_nodes} nodes are available:"
        if d.pre_filter_msg:
            msg += f" {d.pre_filter_msg}."
        else:
            hist = self.histogram()
            if hist:
                msg += f" {', '.join(hist)}."
        if d.post_filter_msg:
            msg += f" {d.post_filter_msg}"
        return msg

    def __str__(self) -> str:
        return self.message()
