"""The replica-count reconcile loop shared by ReplicaSets and ReplicationControllers.

Upstream runs one implementation for both (``pkg/controller/replicaset/replica_set.go``;
``pkg/controller/replication`` converts RCs into ReplicaSets on the way in and out). Here the
two controllers subclass :class:`ReplicaManagerBase` and differ only in the resource they watch,
the event source and how they read ``spec.selector``: a LabelSelector for ReplicaSets, a plain
map for ReplicationControllers.

One sync of ``namespace/name`` (``syncReplicaSet``):

1. read the object from the informer cache; gone means nothing to do;
2. gather its pods: those it controls (an index by controller uid) and orphans its selector
   matches (an index of orphans by label), keep the *active* ones;
3. claim them: adopt matching orphans, release owned pods whose labels stopped matching;
4. unless it is being deleted, compare ``len(active)`` with ``spec.replicas``: create the
   missing pods in slow-start batches, or delete the surplus, lowest-ranked first (at most
   500 either way);
5. write the status it observed: replicas, fullyLabeledReplicas, readyReplicas,
   availableReplicas, (ReplicaSets) terminatingReplicas, observedGeneration and a
   ``ReplicaFailure`` condition while creating or deleting fails.

Failures retry with the work queue's exponential back-off (5 ms doubling up to 1000 s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.api.labels import Selector, SelectorError
from k8snb.controllers.podcontrol import (
    BURST_REPLICAS,
    CONTROLLER_UID_INDEX,
    ORPHAN_LABEL_INDEX,
    SLOW_START_INITIAL_BATCH_SIZE,
    ControllerRefManager,
    PodControl,
    controller_ref,
    controller_uid_index,
    ensure_index,
    get_controller_of,
    is_namespace_terminating_error,
    is_pod_active,
    is_pod_available,
    is_pod_ready,
    is_pod_terminating,
    orphan_label_index,
    orphans_matching,
    pods_to_delete,
    ready_condition,
    ready_since,
    slow_start_batch,
)

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["ReplicaManagerBase", "REPLICA_FAILURE", "FAILED_CREATE", "FAILED_DELETE"]

Obj = dict[str, Any]
Key = tuple[str, str]

#: Condition type set while pods cannot be created or deleted.
REPLICA_FAILURE = "ReplicaFailure"
FAILED_CREATE = "FailedCreate"
FAILED_DELETE = "FailedDelete"
_BACKOFF_BASE, _BACKOFF_MAX = 0.005, 1000.0  # DefaultControllerRateLimiter


class ReplicaManagerBase:
    """Keeps ``spec.replicas`` pods running for every object of :attr:`RESOURCE`."""

    RESOURCE = "replicasets"
    COMPONENT = "replicaset-controller"
    QUEUE = "replicaset"
    #: Report ``status.terminatingReplicas`` (DeploymentReplicaSetTerminatingReplicas, beta and
    #: on in v1.35; ReplicaSets only).
    TERMINATING_REPLICAS = True

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.kind = self.api.resolve(self.RESOURCE).kind
        self.owners = cluster.informers.informer(self.RESOURCE)
        self.pods = cluster.informers.informer("pods")
        self.pod_control = PodControl(self.api, self.COMPONENT)
        self._selector_index = f"{self.RESOURCE}-selector-label"
        self._selectors: dict[str, tuple[Any, Selector | None]] = {}  # uid -> (raw, parsed)
        self._failures: dict[Key, int] = {}
        ensure_index(self.pods, CONTROLLER_UID_INDEX, controller_uid_index)
        ensure_index(self.pods, ORPHAN_LABEL_INDEX, orphan_label_index)
        ensure_index(self.owners, CONTROLLER_UID_INDEX, controller_uid_index)
        self.owners.add_index(self._selector_index, self._selector_buckets)
        self.queue = cluster.new_queue(self.QUEUE, self.sync)
        self.owners.add_handler(self._enqueue, self._owner_updated, self._owner_deleted)
        self.pods.add_handler(self._pod_added, self._pod_updated, self._pod_deleted)

    # -- selectors -------------------------------------------------------------------------------

    def parse_selector(self, obj: Obj) -> Selector:
        """``spec.selector`` as a Selector; raises SelectorError when it cannot be parsed."""
        raise NotImplementedError

    def selector_of(self, obj: Obj) -> Selector | None:
        """The parsed selector, cached per object uid; None when it does not parse."""
        uid = obj["metadata"].get("uid", "")
        raw = obj.get("spec", {}).get("selector")
        cached = self._selectors.get(uid)
        if cached is not None and (cached[0] is raw or cached[0] == raw):
            return cached[1]
        try:
            sel: Selector | None = self.parse_selector(obj)
        except SelectorError:
            sel = None
        self._selectors[uid] = (raw, sel)
        return sel

    def _selector_buckets(self, obj: Obj) -> list[str]:
        """Index owners by one label their selector pins (``<ns>\\0k=v``), else ``<ns>\\0*``."""
        sel = self.selector_of(obj)
        if sel is None or sel.empty():
            return []  # matches nothing, or (upstream) never claims orphans through events
        ns = obj["metadata"].get("namespace", "")
        for req in sel.requirements:
            value = sel.requires_exact_match(req.key)
            if value is not None:
                return [f"{ns}\0{req.key}={value}"]
        return [f"{ns}\0*"]

    def owners_selecting(self, pod: Obj) -> list[Obj]:
        """Objects whose selector matches an orphan pod (``GetPodReplicaSets``)."""
        meta = pod["metadata"]
        ns, labels = meta.get("namespace", ""), meta.get("labels") or {}
        found: dict[str, Obj] = {}
        for bucket in [f"{ns}\0*"] + [f"{ns}\0{k}={v}" for k, v in labels.items()]:
            for owner in self.owners.by_index(self._selector_index, bucket):
                sel = self.selector_of(owner)
                if sel is not None and sel.matches(labels):
                    found.setdefault(owner["metadata"]["uid"], owner)
        return list(found.values())

    # -- event handlers --------------------------------------------------------------------------

    def _enqueue(self, obj: Obj) -> None:
        meta = obj["metadata"]
        self.queue.add((meta.get("namespace", ""), meta["name"]))

    def _owner_updated(self, old: Obj, new: Obj) -> None:
        # Our own status writes change nothing else: skip the spurious resync upstream does.
        if old.get("spec") is new.get("spec") or old.get("spec") == new.get("spec"):
            om, nm = old["metadata"], new["metadata"]
            if len(om) == len(nm) and all(
                    k == "resourceVersion" or nm.get(k) == v for k, v in om.items()):
                return
        self._enqueue(new)

    def _owner_deleted(self, obj: Obj) -> None:
        self._selectors.pop(obj["metadata"].get("uid", ""), None)
        self._enqueue(obj)

    def resolve_controller_ref(self, namespace: str, ref: Obj) -> Obj | None:
        """The owner a controller ref names, if it is ours and still the same object."""
        if ref.get("kind") != self.kind:
            return None
        owner = self.owners.get(namespace, ref.get("name", ""))
        if owner is None or owner["metadata"].get("uid") != ref.get("uid"):
            return None
        return owner

    def _pod_added(self, pod: Obj) -> None:
        if pod["metadata"].get("deletionTimestamp"):
            self._pod_deleted(pod)
            return
        ref = get_controller_of(pod)
        if ref is not None:
            owner = self.resolve_controller_ref(pod["metadata"].get("namespace", ""), ref)
            if owner is not None:
                self._enqueue(owner)
            return
        for owner in self.owners_selecting(pod):  # an orphan: who wants to adopt it?
            self._enqueue(owner)

    def _pod_updated(self, old: Obj, cur: Obj) -> None:
        if old["metadata"].get("resourceVersion") == cur["metadata"].get("resourceVersion"):
            return
        ns = cur["metadata"].get("namespace", "")
        label_changed = old["metadata"].get("labels") != cur["metadata"].get("labels")
        if cur["metadata"].get("deletionTimestamp"):
            # Replace a terminating pod at once; do not wait for it to disappear.
            self._pod_deleted(cur)
            if label_changed:
                self._pod_deleted(old)
            return
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        ref_changed = cur_ref != old_ref
        if ref_changed and old_ref is not None:
            owner = self.resolve_controller_ref(ns, old_ref)
            if owner is not None:
                self._enqueue(owner)
        if cur_ref is not None:
            owner = self.resolve_controller_ref(ns, cur_ref)
            if owner is None:
                return
            self._enqueue(owner)
            min_ready = owner.get("spec", {}).get("minReadySeconds") or 0
            if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(cur):
                # Check availability again once minReadySeconds have passed (+1 s as upstream).
                self.queue.add_after(
                    (ns, owner["metadata"]["name"]), min_ready + 1)
            return
        if label_changed or ref_changed:
            for owner in self.owners_selecting(cur):
                self._enqueue(owner)

    def _pod_deleted(self, pod: Obj) -> None:
        ref = get_controller_of(pod)
        if ref is None:
            return  # nobody waits for an orphan
        owner = self.resolve_controller_ref(pod["metadata"].get("namespace", ""), ref)
        if owner is not None:
            self._enqueue(owner)

    # -- the reconcile loop ----------------------------------------------------------------------

    def sync(self, key: Key) -> None:
        """Bring one object's pods to ``spec.replicas`` and report what it sees."""
        namespace, name = key
        owner = self.owners.get(namespace, name)
        if owner is None:
            self._failures.pop(key, None)
            return
        selector = self.selector_of(owner)
        if selector is None:
            return  # upstream logs "error converting pod selector" and gives up
        active, terminating_pods = [], 0
        for pod in self.pods.by_index(CONTROLLER_UID_INDEX, owner["metadata"]["uid"]):
            if is_pod_active(pod):
                active.append(pod)
            elif is_pod_terminating(pod) and selector.matches(pod["metadata"].get("labels")):
                terminating_pods += 1
        active += [p for p in orphans_matching(self.pods, namespace, selector)
                   if is_pod_active(p)]
        active = ControllerRefManager(self.api, owner, selector).claim_pods(active)

        error: StatusError | None = None
        if not owner["metadata"].get("deletionTimestamp"):
            error = self.manage_replicas(active, owner)
        terminating = terminating_pods if self.TERMINATING_REPLICAS else None
        status = self.calculate_status(owner, active, terminating, error)
        self._write_status(owner, status)

        if error is not None:
            n = self._failures.get(key, 0)
            self._failures[key] = n + 1
            self.queue.add_after(key, min(_BACKOFF_BASE * 2 ** n, _BACKOFF_MAX), recurring=True)
            return
        self._failures.pop(key, None)
        wait = self._until_available(owner, active)
        if wait is not None:
            self.queue.add_after(key, wait)

    def manage_replicas(self, active: list[Obj], owner: Obj) -> StatusError | None:
        """Create or delete pods so that ``len(active)`` approaches ``spec.replicas``."""
        spec = owner.get("spec", {})
        replicas = spec.get("replicas")
        replicas = 1 if replicas is None else replicas
        namespace = owner["metadata"].get("namespace", "")
        diff = len(active) - replicas
        if diff < 0:
            template, ref = spec.get("template") or {}, controller_ref(owner)

            def create() -> StatusError | None:
                try:
                    self.pod_control.create_pod(namespace, template, owner, ref)
                except StatusError as e:
                    # A terminating namespace refuses every create: nothing to report.
                    return None if is_namespace_terminating_error(e) else e
                return None

            _, err = slow_start_batch(min(-diff, BURST_REPLICAS),
                                      SLOW_START_INITIAL_BATCH_SIZE, create)
            return err  # type: ignore[return-value]
        if diff > 0:
            victims = pods_to_delete(active, self._related_pods(owner),
                                     min(diff, BURST_REPLICAS), self.clock.now)
            first: StatusError | None = None
            for pod in victims:
                try:
                    self.pod_control.delete_pod(namespace, pod["metadata"]["name"], owner)
                except StatusError as e:
                    if e.reason != "NotFound" and first is None:
                        first = e
            return first
        return None

    def _related_pods(self, owner: Obj) -> list[Obj]:
        """Pods of every object with the same controller (``getIndirectlyRelatedPods``).

        Upstream lists each sibling's selector; here: the pods each sibling controls (the same
        set unless selectors overlap). A bare object has no siblings and no related pods.
        """
        ref = get_controller_of(owner)
        if ref is None:
            return []
        seen: dict[str, Obj] = {}
        for sibling in self.owners.by_index(CONTROLLER_UID_INDEX, ref["uid"]):
            for pod in self.pods.by_index(CONTROLLER_UID_INDEX, sibling["metadata"]["uid"]):
                seen.setdefault(pod["metadata"]["uid"], pod)
        return list(seen.values())

    # -- status ----------------------------------------------------------------------------------

    def calculate_status(self, owner: Obj, active: list[Obj], terminating: int | None,
                         error: StatusError | None) -> Obj:
        """``calculateStatus``: counts over the active pods and the ReplicaFailure condition."""
        spec, old = owner.get("spec", {}), owner.get("status") or {}
        template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        min_ready = spec.get("minReadySeconds") or 0
        now = self.clock.now
        fully = ready = available = 0
        wanted = template_labels.items()
        for pod in active:
            if wanted <= (pod["metadata"].get("labels") or {}).items():
                fully += 1
            cond = ready_condition(pod)
            if cond is not None and cond.get("status") == "True":
                ready += 1
                if not min_ready or is_pod_available(pod, min_ready, now):
                    available += 1
        conditions = [dict(c) for c in old.get("conditions") or []]
        failure = next((c for c in conditions if c.get("type") == REPLICA_FAILURE), None)
        if error is not None and failure is None:
            replicas = spec.get("replicas")
            diff = len(active) - (1 if replicas is None else replicas)
            reason = FAILED_CREATE if diff < 0 else FAILED_DELETE if diff > 0 else ""
            conditions.append({"type": REPLICA_FAILURE, "status": "True",
                               "lastTransitionTime": self.clock.rfc3339(),
                               "reason": reason, "message": error.message})
        elif error is None and failure is not None:
            conditions = [c for c in conditions if c.get("type") != REPLICA_FAILURE]
        status: Obj = {"replicas": len(active)}
        for field, value in (("fullyLabeledReplicas", fully), ("readyReplicas", ready),
                             ("availableReplicas", available)):
            if value:
                status[field] = value  # omitempty
        if terminating is not None:
            status["terminatingReplicas"] = terminating
        if old.get("observedGeneration"):
            status["observedGeneration"] = old["observedGeneration"]
        if conditions:
            status["conditions"] = conditions
        return status

    def _write_status(self, owner: Obj, status: Obj) -> None:
        """``updateReplicaSetStatus``: write only when something changed."""
        old = owner.get("status") or {}
        generation = owner["metadata"].get("generation", 0)
        same = all(old.get(f, 0) == status.get(f, 0) for f in (
            "replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"))
        if (same and old.get("terminatingReplicas") == status.get("terminatingReplicas")
                and old.get("observedGeneration", 0) == generation
                and (old.get("conditions") or []) == (status.get("conditions") or [])):
            return
        if generation:
            status["observedGeneration"] = generation
        meta = owner["metadata"]
        try:
            self.api.update_status({"apiVersion": owner["apiVersion"], "kind": owner["kind"],
                                    "metadata": {"name": meta["name"],
                                                 "namespace": meta.get("namespace", ""),
                                                 "resourceVersion": meta["resourceVersion"]},
                                    "status": status}, owned=True)
        except StatusError as e:
            if e.reason not in ("NotFound", "Conflict"):
                raise
            if e.reason == "Conflict":
                self.queue.add((meta.get("namespace", ""), meta["name"]))

    def _until_available(self, owner: Obj, active: list[Obj]) -> float | None:
        """Seconds until the next ready pod becomes available (+1 s, as upstream), or None."""
        min_ready = owner.get("spec", {}).get("minReadySeconds") or 0
        if not min_ready:
            return None
        now = self.clock.now
        soonest = None
        for pod in active:
            since = ready_since(pod)
            if since is not None and not is_pod_available(pod, min_ready, now):
                due = since + min_ready
                soonest = due if soonest is None else min(soonest, due)
        return None if soonest is None else max(soonest - now, 0) + 1
