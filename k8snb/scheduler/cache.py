"""The scheduler's cache: what it believes each node has room for.

kube-scheduler does not ask the API server "how full is this node?" on every decision. It
keeps its own cache (``pkg/scheduler/backend/cache/cache.go``) fed by the informers: every node
with its allocatable resources, taints, labels and images, and every pod assigned to a node,
summed per node. When the scheduler decides, it *assumes* the pod onto the chosen node at once
(``AssumePod``), before the binding is written, so the next decision already sees the room as
taken; the informer's later "pod bound" event only confirms it.

Each node lives twice here: as a :class:`~k8snb.scheduler.framework.NodeInfo` (the node dict,
its pods, its totals: what a single-node Filter reads), and as one slot in
:class:`NodeArrays`, numpy columns over all nodes, so the common case filters and scores
thousands of nodes in a few vectorised operations.

Nodes are listed the way ``nodeTree.list()`` (``backend/cache/node_tree.go``) lists them: one
node from each zone in turn, zones in the order they first appeared, so a cycle that stops
after the first feasible nodes still spreads across zones.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any

import numpy as np

from k8snb.api.labels import DOUBLE_EQUALS, EQUALS, IN, Selector
from k8snb.scheduler.framework import EMPTY, NodeInfo, PodInfo

__all__ = ["NodeArrays", "SchedulerCache", "zone_key"]

Obj = dict[str, Any]

_INT_COLUMNS = (
    "alloc_cpu",
    "alloc_memory",
    "alloc_ephemeral",
    "alloc_pods",
    "cpu",
    "memory",
    "ephemeral",
    "nz_cpu",
    "nz_memory",
    "pod_count",
    # allocatable minus requested (pods: minus the pod count), what the Fit filter compares
    "free_cpu",
    "free_memory",
    "free_ephemeral",
    "free_pods",
)


def zone_key(labels: Mapping[str, str]) -> str:
    """``utilnode.GetZoneKey``: region and zone label values, or ``""`` for no zone."""
    zone = labels.get(
        "topology.kubernetes.io/zone", labels.get("failure-domain.beta.kubernetes.io/zone", "")
    )
    region = labels.get(
        "topology.kubernetes.io/region", labels.get("failure-domain.beta.kubernetes.io/region", "")
    )
    if not zone and not region:
        return ""
    return f"{region}:\x00:{zone}"


def _taint_tuple(taints: list[Mapping[str, Any]]) -> tuple:
    return tuple((t.get("key") or "", t.get("value") or "", t.get("effect") or "") for t in taints)


class NodeArrays:
    """Per-node numpy columns, one slot per node (slots of removed nodes are reused).

    ``valid[i]`` says slot ``i`` holds a node. Integer columns: allocatable cpu (millicores),
    memory, ephemeral storage, pods; requested cpu/memory/ephemeral of the pods counted there;
    the scoring-only non-zero cpu/memory; the pod count; the free cpu/memory/ephemeral/pods
    (allocatable minus requested). ``unschedulable`` is
    ``spec.unschedulable`` (cordoned); ``taint_class`` numbers each distinct taint list
    (0 = no taints) so a pod's tolerations are checked once per class, not once per node;
    ``has_ports`` marks nodes with a host port in use.
    """

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = 0
        self.valid = np.zeros(0, bool)
        self.unschedulable = np.zeros(0, bool)
        self.has_ports = np.zeros(0, bool)
        self.taint_class = np.zeros(0, np.int32)
        for col in _INT_COLUMNS:
            setattr(self, col, np.zeros(0, np.int64))
        self.alloc_cpu: np.ndarray
        self.alloc_memory: np.ndarray
        self.alloc_ephemeral: np.ndarray
        self.alloc_pods: np.ndarray
        self.cpu: np.ndarray
        self.memory: np.ndarray
        self.ephemeral: np.ndarray
        self.nz_cpu: np.ndarray
        self.nz_memory: np.ndarray
        self.pod_count: np.ndarray
        self.free_cpu: np.ndarray
        self.free_memory: np.ndarray
        self.free_ephemeral: np.ndarray
        self.free_pods: np.ndarray
        #: scalar (extended) resources: name -> (allocatable column, requested column)
        self.scalars: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        #: image name -> size column (0 where the node lacks it); plus how many nodes have it
        self.image_sizes: dict[str, np.ndarray] = {}
        self.image_nodes: Counter = Counter()
        self.infos: list[NodeInfo | None] = []
        #: the distinct taint lists, indexed by ``taint_class``
        self.taint_classes: list[tuple] = [()]
        #: how many nodes are in each taint class now (a class outlives its last node)
        self.taint_class_nodes: list[int] = [0]
        self._taint_class_ids: dict[tuple, int] = {(): 0}
        self._grow(capacity)

    def _grow(self, capacity: int) -> None:
        old = self.capacity
        if capacity <= old:
            return

        def grow(a: np.ndarray) -> np.ndarray:
            b = np.zeros(capacity, a.dtype)
            b[:old] = a
            return b

        for col in ("valid", "unschedulable", "has_ports", "taint_class", *_INT_COLUMNS):
            setattr(self, col, grow(getattr(self, col)))
        self.scalars = {k: (grow(a), grow(r)) for k, (a, r) in self.scalars.items()}
        self.image_sizes = {k: grow(v) for k, v in self.image_sizes.items()}
        self.infos.extend([None] * (capacity - old))
        self.capacity = capacity

    def scalar(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (allocatable, requested) columns of a scalar resource, created on first use."""
        cols = self.scalars.get(name)
        if cols is None:
            cols = (np.zeros(self.capacity, np.int64), np.zeros(self.capacity, np.int64))
            self.scalars[name] = cols
            for i, info in enumerate(self.infos):
                if info is not None:
                    cols[0][i] = info.alloc_scalars.get(name, 0)
                    cols[1][i] = info.scalars.get(name, 0)
        return cols

    def taint_class_of(self, taints: list[Mapping[str, Any]]) -> int:
        key = _taint_tuple(taints)
        cid = self._taint_class_ids.get(key)
        if cid is None:
            cid = len(self.taint_classes)
            self.taint_classes.append(key)
            self.taint_class_nodes.append(0)
            self._taint_class_ids[key] = cid
        return cid

    def set_taint_class(self, i: int, cid: int | None) -> None:
        """Put slot ``i`` (a node) in taint class ``cid``; None: the node leaves its class."""
        if self.valid[i]:
            self.taint_class_nodes[int(self.taint_class[i])] -= 1
        if cid is None:
            self.taint_class[i] = 0
            return
        self.taint_class[i] = cid
        self.taint_class_nodes[cid] += 1

    def sync(self, i: int, info: NodeInfo) -> None:
        """Copy one node's totals from its NodeInfo into the columns."""
        self.alloc_cpu[i] = info.alloc_cpu
        self.alloc_memory[i] = info.alloc_memory
        self.alloc_ephemeral[i] = info.alloc_ephemeral
        self.alloc_pods[i] = info.alloc_pods
        self.sync_requested(i, info)

    def sync_requested(self, i: int, info: NodeInfo) -> None:
        self.cpu[i] = info.cpu
        self.memory[i] = info.memory
        self.ephemeral[i] = info.ephemeral
        self.nz_cpu[i] = info.nz_cpu
        self.nz_memory[i] = info.nz_memory
        self.pod_count[i] = len(info.pods)
        self.free_cpu[i] = info.alloc_cpu - info.cpu
        self.free_memory[i] = info.alloc_memory - info.memory
        self.free_ephemeral[i] = info.alloc_ephemeral - info.ephemeral
        self.free_pods[i] = info.alloc_pods - len(info.pods)
        self.has_ports[i] = bool(info.used_ports)
        for name, (alloc, req) in self.scalars.items():
            alloc[i] = info.alloc_scalars.get(name, 0)
            req[i] = info.scalars.get(name, 0)


class SchedulerCache:
    """Nodes and assigned pods as the scheduler sees them, with assumed pods counted.

    Fed by the scheduler's informer handlers: :meth:`add_node` / :meth:`update_node` /
    :meth:`remove_node`, :meth:`add_pod` / :meth:`update_pod` / :meth:`remove_pod` for pods
    that have a node, and :meth:`assume` / :meth:`forget` for the scheduler's own decisions.
    """

    def __init__(self) -> None:
        self.arrays = NodeArrays()
        self._slots: dict[str, int] = {}
        self._free: list[int] = []
        self._infos: dict[str, NodeInfo] = {}  # includes nodes not seen yet that have pods
        self._pod_node: dict[str, str] = {}
        self._pods: dict[str, PodInfo] = {}
        self.assumed: set[str] = set()
        self.priorities: Counter = Counter()  # priority -> number of assigned pods
        # nodeTree: zone -> node names in insertion order; zones in first-seen order
        self._zones: dict[str, list[str]] = {}
        self._node_zone: dict[str, str] = {}
        self._order: np.ndarray | None = None
        self._infos_list: list[NodeInfo] | None = None
        #: bumped whenever a node's labels change or nodes come and go
        self.labels_generation = 0
        self._label_masks: dict[Hashable, np.ndarray] = {}
        self._label_columns: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        self._label_coverage: dict[str, str] = {}
        #: (namespace, Selector) -> matching pods per node slot, kept current incrementally
        self._selector_counts: dict[tuple[str, Selector], np.ndarray] = {}
        #: (namespace, label key, value) -> keys of the placed pods carrying that label
        self._by_label: dict[tuple[str, str, str], set[str]] = {}
        #: the same label triple -> cached selectors that require it; None: selectors that
        #: pin no label to one value (checked against every pod)
        self._anchored: dict[tuple[str, str, str] | None, list[tuple[str, Selector]]] = {}

    # ---- nodes ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, name: str) -> bool:
        return name in self._slots

    def slot(self, name: str) -> int | None:
        return self._slots.get(name)

    def info(self, name: str) -> NodeInfo | None:
        return self._infos.get(name) if name in self._slots else None

    def add_node(self, node: Obj) -> None:
        name = node["metadata"]["name"]
        if name in self._slots:
            self.update_node(node)
            return
        info = self._infos.get(name)
        if info is None:
            info = self._infos[name] = NodeInfo(name)
        info.set_node(node)
        a = self.arrays
        if self._free:
            i = self._free.pop()
        else:
            i = len(self._slots)
            if i >= a.capacity:
                a._grow(max(64, a.capacity * 2))
        self._slots[name] = i
        a.infos[i] = info
        a.unschedulable[i] = info.unschedulable
        a.set_taint_class(i, a.taint_class_of(info.taints))
        a.valid[i] = True
        a.sync(i, info)
        self._set_images(i, [], info.images)
        zone = zone_key(info.labels)
        self._node_zone[name] = zone
        self._zones.setdefault(zone, []).append(name)
        self._order = None
        self._labels_changed()
        self._selector_counts.clear()
        self._anchored.clear()

    def update_node(self, node: Obj) -> set[str]:
        """Apply a node update; return what changed that a Filter or Score cares about.

        The answer (``{"allocatable", "labels", "taints", "unschedulable", "images"}`` or a
        subset) is what decides whether waiting pods are worth retrying, like the queueing
        hints upstream plugins register (``UpdateNodeAllocatable``, ``UpdateNodeLabel``, ...).
        """
        name = node["metadata"]["name"]
        i = self._slots.get(name)
        if i is None:
            self.add_node(node)
            return {"added"}
        info = self._infos[name]
        old = info.node or {}
        changed: set[str] = set()
        old_status, new_status = old.get("status") or {}, node.get("status") or {}
        old_spec, new_spec = old.get("spec") or {}, node.get("spec") or {}
        old_labels = (old.get("metadata") or {}).get("labels") or {}
        new_labels = (node.get("metadata") or {}).get("labels") or {}
        if old_status.get("allocatable") != new_status.get("allocatable"):
            changed.add("allocatable")
        if old_labels != new_labels:
            changed.add("labels")
        if (old_spec.get("taints") or []) != (new_spec.get("taints") or []):
            changed.add("taints")
        if bool(old_spec.get("unschedulable")) != bool(new_spec.get("unschedulable")):
            changed.add("unschedulable")
        old_images = old_status.get("images") or []
        new_images = new_status.get("images") or []
        if old_images != new_images:
            changed.add("images")
        if "allocatable" in changed:
            info.set_node(node)
            self.arrays.sync(i, info)
        else:
            info.node = node
        a = self.arrays
        if "unschedulable" in changed:
            a.unschedulable[i] = info.unschedulable
        if "taints" in changed:
            a.set_taint_class(i, a.taint_class_of(info.taints))
        if "images" in changed:
            self._set_images(i, old_images, new_images)
        if "labels" in changed:
            zone = zone_key(new_labels)
            if zone != self._node_zone[name]:
                self._remove_from_tree(name)
                self._node_zone[name] = zone
                self._zones.setdefault(zone, []).append(name)
                self._order = None
            self._labels_changed()
        return changed

    def remove_node(self, name: str) -> None:
        i = self._slots.pop(name, None)
        if i is None:
            return
        info = self._infos[name]
        a = self.arrays
        self._set_images(i, info.images, [])
        a.set_taint_class(i, None)
        a.valid[i] = False
        a.infos[i] = None
        a.unschedulable[i] = False
        for col in _INT_COLUMNS:
            getattr(a, col)[i] = 0
        a.has_ports[i] = False
        for alloc, req in a.scalars.values():
            alloc[i] = req[i] = 0
        self._free.append(i)
        self._remove_from_tree(name)
        self._node_zone.pop(name, None)
        info.set_node(None)
        if not info.pods:
            del self._infos[name]
        self._order = None
        self._labels_changed()
        self._selector_counts.clear()
        self._anchored.clear()

    def _remove_from_tree(self, name: str) -> None:
        zone = self._node_zone.get(name)
        names = self._zones.get(zone) if zone is not None else None
        if names is not None and name in names:
            names.remove(name)
            if not names:
                del self._zones[zone]

    def _set_images(self, i: int, old: list, new: list) -> None:
        """Keep ``image_sizes`` and ``image_nodes`` (``ImageStateSummary.NumNodes``) current."""
        a = self.arrays
        old_sizes = _image_sizes(old)
        new_sizes = _image_sizes(new)
        for n in old_sizes.keys() - new_sizes.keys():
            a.image_sizes[n][i] = 0
            a.image_nodes[n] -= 1
            if a.image_nodes[n] <= 0:
                del a.image_nodes[n]
        for n, size in new_sizes.items():
            col = a.image_sizes.get(n)
            if col is None:
                col = a.image_sizes[n] = np.zeros(a.capacity, np.int64)
            if n not in old_sizes:
                a.image_nodes[n] += 1
            col[i] = size

    def _labels_changed(self) -> None:
        self.labels_generation += 1
        self._label_masks.clear()
        self._label_columns.clear()
        self._label_coverage.clear()

    def order(self) -> np.ndarray:
        """Node slots in ``nodeTree.list()`` order: one node per zone in turn."""
        if self._order is None:
            out: list[int] = []
            lists = list(self._zones.values())
            depth = max((len(x) for x in lists), default=0)
            for k in range(depth):
                for names in lists:
                    if k < len(names):
                        out.append(self._slots[names[k]])
            self._order = np.asarray(out, np.int64)
            self._infos_list = None
        return self._order

    def node_infos(self) -> list[NodeInfo]:
        """Every node's NodeInfo, in list order (the list is shared: do not modify it)."""
        if self._order is None or self._infos_list is None:
            infos = self.arrays.infos
            self._infos_list = [infos[i] for i in self.order().tolist()]  # type: ignore[misc]
        return self._infos_list

    def label_mask(self, key: Hashable, predicate: Callable[[NodeInfo], bool]) -> np.ndarray:
        """A boolean column of ``predicate(node)`` for a predicate of node labels/name only.

        Cached under ``key`` until some node's labels change, so pods sharing a nodeSelector
        or affinity (a Deployment's replicas) pay for the per-node check once.
        """
        mask = self._label_masks.get(key)
        if mask is None:
            a = self.arrays
            mask = np.zeros(a.capacity, bool)
            for i in self._slots.values():
                mask[i] = predicate(a.infos[i])  # type: ignore[arg-type]
            if len(self._label_masks) > 256:
                self._label_masks.clear()
            self._label_masks[key] = mask
        return mask

    def label_column(self, key: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Node label ``key`` as codes per slot: (codes, has_key, values).

        ``values[codes[i]]`` is the label value of slot ``i``; a node without the label gets
        the code of ``""`` (``node.Labels[key]`` in Go) and ``has_key[i]`` False.
        """
        col = self._label_columns.get(key)
        if col is None:
            a = self.arrays
            codes = np.zeros(a.capacity, np.int64)
            has = np.zeros(a.capacity, bool)
            values: list[str] = []
            ids: dict[str, int] = {}
            for i in self._slots.values():
                labels = a.infos[i].labels  # type: ignore[union-attr]
                v = labels.get(key)
                has[i] = v is not None
                v = v or ""
                c = ids.get(v)
                if c is None:
                    c = ids[v] = len(values)
                    values.append(v)
                codes[i] = c
            col = self._label_columns[key] = (codes, has, values)
        return col

    def label_coverage(self, key: str) -> str:
        """Which nodes carry label ``key``: ``"all"``, ``"none"`` or ``"some"``.

        Cached with the label columns, so a cycle need not look at every node to learn that,
        say, no node has a zone label.
        """
        cov = self._label_coverage.get(key)
        if cov is None:
            n = int(np.count_nonzero(self.label_column(key)[1]))
            cov = "none" if n == 0 else "all" if n == len(self._slots) else "some"
            self._label_coverage[key] = cov
        return cov

    def selector_counts(self, namespace: str, selector: Selector) -> np.ndarray:
        """How many pods in ``namespace`` matching ``selector`` each node slot runs.

        Terminating pods do not count (``countPodsMatchSelector``). Built once from the pods
        carrying one label the selector pins (an index by namespace/label/value), then kept
        current as pods come and go, so topology spreading does not re-count every pod in the
        cluster on every decision.
        """
        key = (namespace, selector)
        counts = self._selector_counts.get(key)
        if counts is None:
            counts = np.zeros(self.arrays.capacity, np.int64)
            anchor = _anchor(namespace, selector)
            if anchor is None:
                candidates: Iterator[tuple[PodInfo, str]] = self.pods()
            else:
                pod_node = self._pod_node
                candidates = ((self._pods[k], pod_node[k])
                              for k in self._by_label.get(anchor, ()))
            for p, node_name in candidates:
                i = self._slots.get(node_name)
                if i is not None and _counts_for(p, namespace, selector):
                    counts[i] += 1
            if len(self._selector_counts) >= 64:
                old = next(iter(self._selector_counts))
                del self._selector_counts[old]
                self._anchored[_anchor(*old)].remove(old)
            self._selector_counts[key] = counts
            self._anchored.setdefault(anchor, []).append(key)
        return counts

    def _count(self, p: PodInfo, node_name: str, sign: int) -> None:
        """A pod came or went: keep the label index and the cached selector counts current."""
        by_label, anchored = self._by_label, self._anchored
        ns = p.namespace
        hits = list(anchored.get(None, ()))
        for k, v in p.labels.items():
            triple = (ns, k, v)
            keys = by_label.get(triple)
            if sign > 0:
                if keys is None:
                    keys = by_label[triple] = set()
                keys.add(p.key)
            elif keys is not None:
                keys.discard(p.key)
                if not keys:
                    del by_label[triple]
            if triple in anchored:
                hits += anchored[triple]
        if not hits:
            return
        i = self._slots.get(node_name)
        if i is None:
            return
        counts = self._selector_counts
        for key in hits:
            if _counts_for(p, *key):
                counts[key][i] += sign

    # ---- pods ----------------------------------------------------------------------------

    def pod_node(self, key: str) -> str | None:
        return self._pod_node.get(key)

    def pod(self, key: str) -> PodInfo | None:
        return self._pods.get(key)

    def pods(self) -> Iterator[tuple[PodInfo, str]]:
        for key, p in self._pods.items():
            yield p, self._pod_node[key]

    def is_assumed(self, key: str) -> bool:
        return key in self.assumed

    def _place(self, p: PodInfo, node_name: str) -> None:
        info = self._infos.get(node_name)
        if info is None:
            info = self._infos[node_name] = NodeInfo(node_name)
        info.add_pod(p, 1)
        self._pods[p.key] = p
        self._pod_node[p.key] = node_name
        self.priorities[p.priority] += 1
        self._count(p, node_name, 1)
        i = self._slots.get(node_name)
        if i is not None:
            self.arrays.sync_requested(i, info)

    def _unplace(self, key: str) -> PodInfo | None:
        p = self._pods.pop(key, None)
        if p is None:
            return None
        node_name = self._pod_node.pop(key)
        self._count(p, node_name, -1)
        info = self._infos.get(node_name)
        if info is not None:
            info.add_pod(p, -1)
            i = self._slots.get(node_name)
            if i is not None:
                self.arrays.sync_requested(i, info)
            elif not info.pods:
                del self._infos[node_name]
        self.priorities[p.priority] -= 1
        if self.priorities[p.priority] <= 0:
            del self.priorities[p.priority]
        return p

    def assume(self, p: PodInfo, node_name: str) -> None:
        """``AssumePod``: count the pod on the node now, before the binding is written."""
        self._unplace(p.key)
        self._place(p, node_name)
        self.assumed.add(p.key)

    def forget(self, key: str) -> None:
        """``ForgetPod``: the binding failed; give the room back."""
        if key in self.assumed:
            self.assumed.discard(key)
            self._unplace(key)

    def add_pod(self, pod: Obj) -> None:
        """An informer saw a pod with ``spec.nodeName``: count it (or confirm the assumption)."""
        self.update_pod(pod)

    def update_pod(self, pod: Obj) -> None:
        meta = pod.get("metadata") or {}
        key = f"{meta.get('namespace') or 'default'}/{meta.get('name')}"
        node_name = (pod.get("spec") or {}).get("nodeName") or ""
        if not node_name or _terminal(pod):
            self.remove_pod(key)
            return
        old = self._pods.get(key)
        self.assumed.discard(key)
        if old is not None and self._pod_node.get(key) == node_name:
            # Most updates are status changes: same spec, same footprint. Keep the numbers,
            # take the newest object (labels and deletionTimestamp matter to spreading).
            # The binding of an assumed pod only adds spec.nodeName.
            if old.pod.get("spec") == pod.get("spec") or _only_bound(old.pod, pod):
                p = copy.copy(old)
                p.pod, p.node_name = pod, node_name
                p.labels = meta.get("labels") or EMPTY
                p.terminating = meta.get("deletionTimestamp") is not None
            else:
                p = PodInfo(pod)
                if not _same_footprint(old, p):
                    self._unplace(key)
                    self._place(p, node_name)
                    return
            if p.labels != old.labels or p.terminating != old.terminating:
                self._count(old, node_name, -1)
                self._count(p, node_name, 1)
            self._pods[key] = p
            self._infos[node_name].pods[key] = p
            return
        self._unplace(key)
        self._place(PodInfo(pod), node_name)

    def remove_pod(self, key: str) -> None:
        self.assumed.discard(key)
        self._unplace(key)


def _only_bound(before: Obj, after: Obj) -> bool:
    """``after`` is ``before`` with just ``spec.nodeName`` set (what a binding does)."""
    a, b = before.get("spec") or {}, after.get("spec") or {}
    if "nodeName" in a or len(b) != len(a) + 1:
        return False
    return all(b.get(k) == v for k, v in a.items())


def _anchor(namespace: str, selector: Selector) -> tuple[str, str, str] | None:
    """A label every pod matching ``selector`` carries (namespace, key, value), if any."""
    for r in selector.requirements:
        if r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1:
            return namespace, r.key, r.values[0]
    return None


def _counts_for(p: PodInfo, namespace: str, selector: Selector) -> bool:
    return p.namespace == namespace and not p.terminating and selector.matches(p.labels)


def _image_sizes(images: list) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for img in images:
        for n in img.get("names") or ():
            sizes[n] = int(img.get("sizeBytes") or 0)
    return sizes


def _terminal(pod: Obj) -> bool:
    """Succeeded and Failed pods hold no resources: the scheduler's informer filters them out."""
    return ((pod.get("status") or {}).get("phase")) in ("Succeeded", "Failed")


def _same_footprint(a: PodInfo, b: PodInfo) -> bool:
    return (
        a.cpu == b.cpu
        and a.memory == b.memory
        and a.ephemeral == b.ephemeral
        and a.scalars == b.scalars
        and a.nz_cpu == b.nz_cpu
        and a.nz_memory == b.nz_memory
        and a.host_ports == b.host_ports
        and a.priority == b.priority
    )
