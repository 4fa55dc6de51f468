"""What every pod-owning controller shares: creating and deleting pods, judging them, owning them.

Upstream keeps these in ``pkg/controller/controller_utils.go`` (``RealPodControl``,
``FilterActivePods``, ``ActivePodsWithRanks``, ``SlowStartInitialBatchSize``),
``pkg/controller/controller_ref_manager.go`` (``PodControllerRefManager``) and
``pkg/api/v1/pod/util.go`` (``IsPodReady``, ``IsPodAvailable``). The ReplicaSet,
ReplicationController, Job, StatefulSet and DaemonSet controllers all use them.

A pod made from a template is named ``<owner>-<5 random characters>`` (generateName
``<owner>-``) and carries a *controller* ownerReference to its owner with
``blockOwnerDeletion: true``, so the garbage collector deletes it with its owner and a
foreground delete of the owner waits for it.

Upstream also keeps "expectations" (how many creates/deletes a controller still waits to see in
its informer) because its informers lag behind its writes. Here a write reaches every informer
before the API call returns, so a controller always sees its own pods and needs none.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cmp_to_key
from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.api.labels import Selector
from k8snb.clock import parse_time
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.api.server import APIServer
    from k8snb.controllers.informer import Informer

__all__ = [
    "ActivePodsWithRanks",
    "BURST_REPLICAS",
    "CONTROLLER_UID_INDEX",
    "ControllerRefManager",
    "FAILED_CREATE_POD_REASON",
    "FAILED_DELETE_POD_REASON",
    "ORPHAN_LABEL_INDEX",
    "POD_DELETION_COST",
    "PodControl",
    "SLOW_START_INITIAL_BATCH_SIZE",
    "SUCCESSFUL_CREATE_POD_REASON",
    "SUCCESSFUL_DELETE_POD_REASON",
    "controller_ref",
    "controller_uid_index",
    "ensure_index",
    "get_controller_of",
    "is_namespace_terminating_error",
    "is_pod_active",
    "is_pod_available",
    "is_pod_ready",
    "is_pod_terminating",
    "orphan_label_index",
    "orphans_matching",
    "pod_from_template",
    "pods_to_delete",
    "ready_condition",
    "ready_since",
    "slow_start_batch",
]

Obj = dict[str, Any]

# Event reasons, as controller_utils.go names them.
SUCCESSFUL_CREATE_POD_REASON = "SuccessfulCreate"
FAILED_CREATE_POD_REASON = "FailedCreate"
SUCCESSFUL_DELETE_POD_REASON = "SuccessfulDelete"
FAILED_DELETE_POD_REASON = "FailedDelete"
# Event messages (format strings), word for word.
SUCCESSFUL_CREATE_POD_MESSAGE = "Created pod: {name}"
FAILED_CREATE_POD_MESSAGE = "Error creating: {error}"
SUCCESSFUL_DELETE_POD_MESSAGE = "Deleted pod: {name}"
FAILED_DELETE_POD_MESSAGE = "Error deleting: {error}"

#: Creations start with a batch of 1 and double after every fully successful batch.
SLOW_START_INITIAL_BATCH_SIZE = 1
#: At most this many creations or deletions per sync (replica_set.go ``BurstReplicas``).
BURST_REPLICAS = 500
#: Pods with a lower cost are deleted first when scaling down (default 0).
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"

#: Shared informer index: the uid in an object's controller ownerReference.
CONTROLLER_UID_INDEX = "controller-uid"
#: Shared pod informer index: pods without a controller by ``<ns>\0<key>=<value>`` per label
#: and ``<ns>\0`` for all of them, so adoption looks only at orphans.
ORPHAN_LABEL_INDEX = "orphans-by-label"

_TERMINAL = ("Succeeded", "Failed")
_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}
_COST_RE = re.compile(r"-?[0-9]+")


# -- ownerReferences -----------------------------------------------------------------------------


def get_controller_of(obj: Obj) -> Obj | None:
    """The ownerReference with ``controller: true``, if any (``metav1.GetControllerOf``)."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def controller_ref(owner: Obj) -> Obj:
    """``metav1.NewControllerRef``: a controller ownerReference that blocks owner deletion."""
    meta = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"],
            "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}


def controller_uid_index(obj: Obj) -> list[str]:
    """Index function: ``[uid of the controller]`` or ``[]``."""
    ref = get_controller_of(obj)
    return [ref["uid"]] if ref is not None and ref.get("uid") else []


def orphan_label_index(pod: Obj) -> list[str]:
    """Index function for :data:`ORPHAN_LABEL_INDEX` (empty for pods with a controller)."""
    if get_controller_of(pod) is not None:
        return []
    meta = pod["metadata"]
    ns = meta.get("namespace", "")
    return [f"{ns}\0"] + [f"{ns}\0{k}={v}" for k, v in (meta.get("labels") or {}).items()]


def ensure_index(informer: Informer, name: str, fn: Callable[[Obj], Iterable[str]]) -> None:
    """Add index ``name`` to a shared informer unless another controller already did."""
    try:
        informer.by_index(name, "")
    except KeyError:
        informer.add_index(name, fn)


def orphans_matching(pods: Informer, namespace: str, selector: Selector) -> list[Obj]:
    """Pods of ``namespace`` without a controller whose labels match ``selector``.

    Uses :data:`ORPHAN_LABEL_INDEX` (see :func:`ensure_index`): when the selector pins a label
    to one value only that bucket is read, otherwise every orphan of the namespace.
    """
    bucket = f"{namespace}\0"
    for req in selector.requirements:
        value = selector.requires_exact_match(req.key)
        if value is not None:
            bucket = f"{namespace}\0{req.key}={value}"
            break
    return [p for p in pods.by_index(ORPHAN_LABEL_INDEX, bucket)
            if selector.matches(p["metadata"].get("labels"))]


# -- judging pods ----------------------------------------------------------------------------------


def is_pod_active(pod: Obj) -> bool:
    """Not Succeeded/Failed and not being deleted (``controller.IsPodActive``)."""
    return (pod.get("status", {}).get("phase") not in _TERMINAL
            and not pod["metadata"].get("deletionTimestamp"))


def is_pod_terminating(pod: Obj) -> bool:
    """Being deleted but not yet terminal (``controller.IsPodTerminating``)."""
    return (pod.get("status", {}).get("phase") not in _TERMINAL
            and bool(pod["metadata"].get("deletionTimestamp")))


def ready_condition(pod: Obj) -> Obj | None:
    """The pod's ``Ready`` condition, if it has one."""
    for c in pod.get("status", {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c
    return None


def is_pod_ready(pod: Obj) -> bool:
    """The pod's ``Ready`` condition is ``True`` (``podutil.IsPodReady``)."""
    c = ready_condition(pod)
    return c is not None and c.get("status") == "True"


def is_pod_available(pod: Obj, min_ready_seconds: int | float, now: float) -> bool:
    """Ready, and ready for longer than ``min_ready_seconds`` (``podutil.IsPodAvailable``).

    Upstream compares strictly: ``lastTransitionTime + minReadySeconds`` must be *before* now.
    """
    c = ready_condition(pod)
    if c is None or c.get("status") != "True":
        return False
    if not min_ready_seconds:
        return True
    ltt = c.get("lastTransitionTime")
    return bool(ltt) and parse_time(ltt) + min_ready_seconds < now


def ready_since(pod: Obj) -> float | None:
    """When a ready pod became ready (its Ready condition's lastTransitionTime), else None."""
    c = ready_condition(pod)
    if c is None or c.get("status") != "True" or not c.get("lastTransitionTime"):
        return None
    return parse_time(c["lastTransitionTime"])


def is_namespace_terminating_error(e: StatusError) -> bool:
    """A create refused because its namespace is being deleted (``NamespaceTerminatingCause``)."""
    causes = (e.details or {}).get("causes") or ()
    if any(c.get("reason") == "NamespaceTerminating" for c in causes):
        return True
    return e.reason == "Forbidden" and "because it is being terminated" in e.message


# -- creating and deleting -------------------------------------------------------------------------


def pod_from_template(template: Obj, owner: Obj, ref: Obj | None = None,
                      generate_name: str | None = None) -> Obj:
    """``GetPodFromTemplate``: labels, annotations, finalizers and spec from the template.

    generateName is ``<owner>-`` (``getPodsPrefix``); ``ref`` becomes the only ownerReference.
    """
    tmeta = template.get("metadata") or {}
    meta: Obj = {"generateName": generate_name if generate_name is not None
                 else owner["metadata"]["name"] + "-"}
    for field in ("labels", "annotations"):
        if tmeta.get(field):
            meta[field] = dict(tmeta[field])
    if tmeta.get("finalizers"):
        meta["finalizers"] = list(tmeta["finalizers"])
    if ref is not None:
        meta["ownerReferences"] = [dict(ref)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": jcopy(template.get("spec") or {})}


class PodControl:
    """``RealPodControl``: create and delete pods for an owner, with the upstream Events.

    ``component`` is the event source, e.g. ``"replicaset-controller"``.
    """

    def __init__(self, api: APIServer, component: str) -> None:
        self.api = api
        self.component = component

    def create_pod(self, namespace: str, template: Obj, owner: Obj, ref: Obj | None = None,
                   *, generate_name: str | None = None, name: str | None = None) -> Obj:
        """Create one pod from ``template``; raises the API server's StatusError on failure.

        Success records ``SuccessfulCreate`` "Created pod: <name>"; failure records
        ``FailedCreate`` "Error creating: <error>" (not when the namespace is terminating).
        The pod returned is the stored object: read-only.
        """
        pod = pod_from_template(template, owner, ref, generate_name)
        if name is not None:
            pod["metadata"]["name"] = name
        if not pod["metadata"].get("labels"):
            raise StatusError(500, "InternalError", "unable to create pods, no labels")
        try:
            created = self.api.create(pod, namespace, owned=True)
        except StatusError as e:
            if not is_namespace_terminating_error(e):
                self.api.record_event(owner, "Warning", FAILED_CREATE_POD_REASON,
                                      FAILED_CREATE_POD_MESSAGE.format(error=e.message),
                                      self.component)
            raise
        self.api.record_event(owner, "Normal", SUCCESSFUL_CREATE_POD_REASON,
                              SUCCESSFUL_CREATE_POD_MESSAGE.format(
                                  name=created["metadata"]["name"]), self.component)
        return created

    def delete_pod(self, namespace: str, name: str, owner: Obj) -> None:
        """Delete a pod (gracefully); ``SuccessfulDelete`` "Deleted pod: <name>".

        NotFound is re-raised without an event; other errors record ``FailedDelete`` and are
        raised as "unable to delete pods: <error>".
        """
        try:
            self.api.delete("pods", name, namespace)
        except StatusError as e:
            if e.reason == "NotFound":
                raise
            self.api.record_event(owner, "Warning", FAILED_DELETE_POD_REASON,
                                  FAILED_DELETE_POD_MESSAGE.format(error=e.message),
                                  self.component)
            raise StatusError(e.code, e.reason, f"unable to delete pods: {e.message}") from e
        self.api.record_event(owner, "Normal", SUCCESSFUL_DELETE_POD_REASON,
                              SUCCESSFUL_DELETE_POD_MESSAGE.format(name=name), self.component)


def slow_start_batch(count: int, initial_batch_size: int,
                     fn: Callable[[], Exception | None]) -> tuple[int, Exception | None]:
    """Call ``fn`` ``count`` times in batches of 1, 2, 4, 8, … (``slowStartBatch``).

    ``fn`` returns an error or None. A batch with an error runs to its end, then the remaining
    batches are skipped: a failing template costs one API call, not hundreds. Returns the number
    of successes and the first error.
    """
    remaining, successes = count, 0
    batch = min(remaining, initial_batch_size)
    while batch > 0:
        errors = [err for err in (fn() for _ in range(batch)) if err is not None]
        successes += batch - len(errors)
        if errors:
            return successes, errors[0]
        remaining -= batch
        batch = min(2 * batch, remaining)
    return successes, None


# -- adoption and release --------------------------------------------------------------------------


class ControllerRefManager:
    """``PodControllerRefManager.ClaimPods``: decide which pods belong to ``owner``.

    A pod controlled by ``owner`` stays if the selector still matches, and is released (its
    ownerReference removed) if not. An orphan that matches is adopted (a controller
    ownerReference added). Pods controlled by anyone else are never touched. While the owner is
    being deleted nothing is adopted or released.
    """

    def __init__(self, api: APIServer, owner: Obj, selector: Selector,
                 can_adopt: Callable[[], bool] | None = None) -> None:
        self.api = api
        self.owner = owner
        self.selector = selector
        self.can_adopt = can_adopt
        self.uid = owner["metadata"]["uid"]
        self.deleting = bool(owner["metadata"].get("deletionTimestamp"))

    def claim_pods(self, pods: Iterable[Obj],
                   filters: Sequence[Callable[[Obj], bool]] = ()) -> list[Obj]:
        """The pods ``owner`` keeps after adopting and releasing (cached objects, unchanged)."""
        claimed = []
        for pod in pods:
            labels = pod["metadata"].get("labels")
            matches = self.selector.matches(labels) and all(f(pod) for f in filters)
            ref = get_controller_of(pod)
            if ref is not None:
                if ref.get("uid") != self.uid:
                    continue  # someone else's
                if matches:
                    claimed.append(pod)
                elif not self.deleting:
                    self.release_pod(pod)
                continue
            if self.deleting or not matches or pod["metadata"].get("deletionTimestamp"):
                continue
            if pod["metadata"].get("namespace") != self.owner["metadata"].get("namespace"):
                continue
            if self.adopt_pod(pod):
                claimed.append(pod)
        return claimed

    def adopt_pod(self, pod: Obj) -> bool:
        """Add a controller ownerReference to ``owner``; False if the pod or owner is gone."""
        if self.can_adopt is not None and not self.can_adopt():
            return False
        new = jcopy(pod)
        refs = new["metadata"].setdefault("ownerReferences", [])
        refs.append(controller_ref(self.owner))
        return self._write(new)

    def release_pod(self, pod: Obj) -> bool:
        """Remove ``owner``'s ownerReference from the pod (the pod becomes an orphan)."""
        new = jcopy(pod)
        refs = [r for r in new["metadata"].get("ownerReferences") or [] if r.get("uid") != self.uid]
        if refs:
            new["metadata"]["ownerReferences"] = refs
        else:
            new["metadata"].pop("ownerReferences", None)
        return self._write(new)

    def _write(self, pod: Obj) -> bool:
        try:
            self.api.update(pod, owned=True)
        except StatusError as e:
            if e.reason in ("NotFound", "Conflict"):
                return False
            raise
        return True


# -- who goes first when scaling down ------------------------------------------------------------


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    """``afterOrZero``: t1 after t2; a zero (missing) time counts as after any other."""
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _log_rank_diff(t1: float, t2: float, now: float) -> int:
    """``logarithmicRankDiff``: compare ages in powers-of-two buckets of nanoseconds."""
    d1, d2 = (now - t1) * 1e9, (now - t2) * 1e9
    r1 = int(math.log2(d1)) if d1 > 0 else -1
    r2 = int(math.log2(d2)) if d2 > 0 else -1
    return r1 - r2


def _deletion_cost(pod: Obj) -> int:
    """``GetDeletionCostFromPodAnnotations``: an int32; "+1", "007" or junk count as 0."""
    raw = (pod["metadata"].get("annotations") or {}).get(POD_DELETION_COST)
    if not raw or not _COST_RE.fullmatch(raw) or (raw[0] == "0" and raw != "0"):
        return 0
    cost = int(raw)
    return cost if -(2**31) <= cost < 2**31 else 0


class ActivePodsWithRanks:
    """Order pods so that the ones to delete first come first (``ActivePodsWithRanks.Less``).

    The first rule that tells two pods apart decides:

    1. not yet scheduled (no ``nodeName``) before scheduled;
    2. phase Pending before Unknown before Running;
    3. not ready before ready;
    4. lower ``controller.kubernetes.io/pod-deletion-cost`` before higher (default 0);
    5. higher rank first (rank = active related pods on the same node: "doubled up");
    6. ready for a shorter time before longer (ages compared in powers-of-two buckets, ties by
       uid: LogarithmicScaleDown);
    7. more container restarts before fewer;
    8. newer ``creationTimestamp`` before older (same buckets, ties by uid).
    """

    def __init__(self, pods: Sequence[Obj], ranks: Sequence[int], now: float | None) -> None:
        self.pods = list(pods)
        self.ranks = list(ranks)
        self.now = now

    @staticmethod
    def _facts(pod: Obj, rank: int) -> tuple[Any, ...]:
        status = pod.get("status") or {}
        created = pod["metadata"].get("creationTimestamp")
        restarts = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or ()),
                       default=0)
        return (pod.get("spec", {}).get("nodeName") or "",
                _PHASE_ORDINAL.get(status.get("phase", ""), 0), is_pod_ready(pod),
                _deletion_cost(pod), rank, ready_since(pod), restarts,
                parse_time(created) if created else None, pod["metadata"].get("uid", ""))

    def _less(self, a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        node_a, phase_a, ready_a, cost_a, rank_a, rt_a, rs_a, ct_a, uid_a = a
        node_b, phase_b, ready_b, cost_b, rank_b, rt_b, rs_b, ct_b, uid_b = b
        if node_a != node_b and (not node_a or not node_b):
            return not node_a
        if phase_a != phase_b:
            return phase_a < phase_b
        if ready_a != ready_b:
            return not ready_a
        if cost_a != cost_b:
            return cost_a < cost_b
        if rank_a != rank_b:
            return rank_a > rank_b
        if ready_a and ready_b and rt_a != rt_b:
            if self.now is None or rt_a is None or rt_b is None:
                return _after_or_zero(rt_a, rt_b)
            diff = _log_rank_diff(rt_a, rt_b, self.now)
            return uid_a < uid_b if diff == 0 else diff < 0
        if rs_a != rs_b:
            return rs_a > rs_b
        if ct_a != ct_b:
            if self.now is None or ct_a is None or ct_b is None:
                return _after_or_zero(ct_a, ct_b)
            diff = _log_rank_diff(ct_a, ct_b, self.now)
            return uid_a < uid_b if diff == 0 else diff < 0
        return False

    def sorted(self) -> list[Obj]:
        """The pods, the ones to delete first at the front."""
        facts = [(self._facts(p, r), p) for p, r in zip(self.pods, self.ranks, strict=True)]

        def cmp(x: tuple[tuple[Any, ...], Obj], y: tuple[tuple[Any, ...], Obj]) -> int:
            if self._less(x[0], y[0]):
                return -1
            if self._less(y[0], x[0]):
                return 1
            return 0

        facts.sort(key=cmp_to_key(cmp))
        return [p for _, p in facts]


def pods_to_delete(active: Sequence[Obj], related: Iterable[Obj], diff: int,
                   now: float) -> list[Obj]:
    """``getPodsToDelete``: the ``diff`` pods to remove, ranked by :class:`ActivePodsWithRanks`.

    A pod's rank is the number of active ``related`` pods (pods of every ReplicaSet with the same
    owner) on its node; nothing is sorted when all of them go.
    """
    if diff >= len(active):
        return list(active)
    on_node: dict[str, int] = {}
    for pod in related:
        if is_pod_active(pod):
            node = pod.get("spec", {}).get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    ranks = [on_node.get(p.get("spec", {}).get("nodeName") or "", 0) for p in active]
    return ActivePodsWithRanks(active, ranks, now).sorted()[:diff]
