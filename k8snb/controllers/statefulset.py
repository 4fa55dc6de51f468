"""The StatefulSet controller: pods with a stable name, a stable hostname and their own storage.

A StatefulSet ``web`` with 3 replicas owns pods ``web-0``, ``web-1``, ``web-2`` (ordinals from
``spec.ordinals.start``), each with ``hostname`` = its name and ``subdomain`` =
``spec.serviceName``, and one PersistentVolumeClaim per ``volumeClaimTemplates`` entry named
``<template>-web-<ordinal>`` that outlives the pod (Retain). The reconcile loop
(``pkg/controller/statefulset/stateful_set_control.go`` updateStatefulSet) is:

1. snapshot the pod template into a ControllerRevision (:mod:`.history`): the *update
   revision*; the revision the pods started from is the *current revision*;
2. sort pods into replicas (ordinal in range) and condemned (ordinal beyond the end);
3. walk the replicas in ordinal order: replace failed pods, create missing ones (claims
   first). With ``podManagementPolicy: OrderedReady`` the walk stops at the first pod that is
   not yet Running and Ready (so ``web-1`` waits for ``web-0``); ``Parallel`` does not wait;
4. delete condemned pods from the highest ordinal, one at a time when ordered;
5. ``RollingUpdate``: delete the highest-ordinal pod (≥ ``partition``) that is not at the
   update revision, one at a time, waiting for the previous one to come back Ready;
   ``OnDelete`` leaves old pods until you delete them;
6. write the status (replicas, readyReplicas, currentReplicas, updatedReplicas,
   availableReplicas, currentRevision, updateRevision) and trim the revision history.

Not modelled: adopting orphaned pods and revisions, ``maxUnavailable`` (alpha), the
whenDeleted/whenScaled=Delete PVC retention policies, and rate-limited retries.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.controllers.history import (
    CONTROLLER_REVISION_HASH_LABEL,
    HASH_LABEL,
    ControllerHistory,
    hash_revision,
    next_revision,
    revision_name,
    template_from_revision,
    template_patch,
)
from k8snb.controllers.podcontrol import (
    CONTROLLER_UID_INDEX,
    controller_ref,
    controller_uid_index,
    ensure_index,
    is_pod_available,
    is_pod_ready,
)
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = [
    "POD_INDEX_LABEL",
    "POD_NAME_LABEL",
    "StatefulSetController",
    "statefulset_rollout_status",
]

Obj = dict[str, Any]
COMPONENT = "statefulset-controller"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"

# Event reasons and messages (stateful_pod_control.go recordPodEvent / recordClaimEvent).
REASON_SUCCESS = "Successful{verb}"  # SuccessfulCreate, SuccessfulDelete
REASON_FAILED = "Failed{verb}"
MSG_POD_SUCCESS = "{verb} Pod {pod} in StatefulSet {set} successful"
MSG_POD_FAILED = "{verb} Pod {pod} in StatefulSet {set} failed error: {error}"
MSG_CLAIM_SUCCESS = "{verb} Claim {claim} Pod {pod} in StatefulSet {set} success"
MSG_CLAIM_FAILED = "{verb} Claim {claim} for Pod {pod} in StatefulSet {set} failed error: {error}"

_ORDINAL = re.compile(r"^(.*)-([0-9]+)$")


def parent_and_ordinal(pod: Obj) -> tuple[str, int]:
    """``getParentNameAndOrdinal``: ``web-2`` -> ``("web", 2)``; ``("", -1)`` if no ordinal."""
    m = _ORDINAL.match(pod["metadata"]["name"])
    if not m:
        return "", -1
    return m.group(1), int(m.group(2))


def _phase(pod: Obj) -> str:
    return (pod.get("status") or {}).get("phase") or ""


def _terminating(pod: Obj) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def _running_ready(pod: Obj) -> bool:
    """``isRunningAndReady``: phase Running and the Ready condition True."""
    return _phase(pod) == "Running" and is_pod_ready(pod)


def _revision_of(pod: Obj) -> str:
    return (pod["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL, "")


def _owner_key(obj: Obj, kind: str) -> tuple[str, str] | None:
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            if ref.get("kind") == kind:
                return obj["metadata"].get("namespace", ""), ref.get("name", "")
            return None
    return None


def claim_name(template: Obj, sts: Obj, ordinal: int) -> str:
    """``getPersistentVolumeClaimName``: ``<template>-<statefulset>-<ordinal>`` (``data-web-0``)."""
    return f"{template['metadata']['name']}-{sts['metadata']['name']}-{ordinal}"


def statefulset_rollout_status(sts: Obj, revision: int = 0) -> tuple[str, bool]:
    """What ``kubectl rollout status sts/<name>`` prints for ``sts`` now, and whether it is done.

    (kubectl ``pkg/polymorphichelpers/rollout_status.go`` StatefulSetStatusViewer; the
    message has no trailing newline.) Because ``updateStrategy.rollingUpdate.partition``
    is always defaulted, a finished rollout reads ``partitioned roll out complete: 3 new pods
    have been updated...``, as with the real kubectl. Raises ``ValueError`` for ``OnDelete``:
    ``rollout status is only available for RollingUpdate strategy type``.
    """
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise ValueError("rollout status is only available for RollingUpdate strategy type")
    observed = int(status.get("observedGeneration") or 0)
    if observed == 0 or int(sts["metadata"].get("generation") or 0) > observed:
        return "Waiting for statefulset spec update to be observed...", False
    replicas = spec.get("replicas")
    ready = int(status.get("readyReplicas") or 0)
    updated = int(status.get("updatedReplicas") or 0)
    if replicas is not None and ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...", False
    ru = strategy.get("rollingUpdate")
    if ru is not None:
        partition = ru.get("partition")
        if replicas is not None and partition is not None and updated < replicas - partition:
            return ("Waiting for partitioned roll out to finish: "
                    f"{updated} out of {replicas - partition} new pods have been updated...",
                    False)
        return f"partitioned roll out complete: {updated} new pods have been updated...", True
    if status.get("updateRevision") != status.get("currentRevision"):
        return ("waiting for statefulset rolling update to complete "
                f"{updated} pods at revision {status.get('updateRevision')}...", False)
    return ("statefulset rolling update complete "
            f"{int(status.get('currentReplicas') or 0)} pods at revision "
            f"{status.get('currentRevision')}...", True)


class StatefulSetController:
    """``StatefulSetController(cluster)``: one work queue of ``(namespace, name)`` keys."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.sets = cluster.informers.informer("statefulsets")
        self.pods = cluster.informers.informer("pods")
        self.claims = cluster.informers.informer("persistentvolumeclaims")
        self.history = ControllerHistory(cluster)
        ensure_index(self.pods, CONTROLLER_UID_INDEX, controller_uid_index)
        self.queue = cluster.new_queue("statefulset", self.sync)
        self.sets.add_handler(self._enqueue, lambda old, new: self._enqueue(new),
                              lambda s: self.queue.forget(self._key(s)))
        self.pods.add_handler(self._pod_changed, self._pod_updated, self._pod_changed)
        self.claims.add_handler(on_delete=self._claim_deleted)

    # -- event handlers --------------------------------------------------------------------------

    @staticmethod
    def _key(obj: Obj) -> tuple[str, str]:
        return obj["metadata"].get("namespace", ""), obj["metadata"]["name"]

    def _enqueue(self, sts: Obj) -> None:
        self.queue.add(self._key(sts))

    def _pod_changed(self, pod: Obj) -> None:
        key = _owner_key(pod, "StatefulSet")
        if key is not None:
            self.queue.add(key)

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        self._pod_changed(new)
        if old["metadata"].get("ownerReferences") != new["metadata"].get("ownerReferences"):
            self._pod_changed(old)

    def _claim_deleted(self, claim: Obj) -> None:
        # A Pending pod whose claim went away gets it back (processReplica).
        ns, name = claim["metadata"].get("namespace", ""), claim["metadata"]["name"]
        for sts in self.sets.list(ns):
            prefixes = (f"{t['metadata']['name']}-{sts['metadata']['name']}-"
                        for t in sts["spec"].get("volumeClaimTemplates") or ())
            if any(name.startswith(p) for p in prefixes):
                self._enqueue(sts)

    # -- the reconcile loop ----------------------------------------------------------------------

    def sync(self, key: tuple[str, str]) -> None:
        ns, name = key
        sts = self.sets.get(ns, name)
        if sts is None:
            return
        revisions = self.history.list_for(sts)
        current, update, collisions = self._revisions(sts, revisions)
        self._update(sts, current, update)
        status = self._status(sts, current, update, collisions)
        self._write_status(sts, status)
        live = {status["currentRevision"], status["updateRevision"]}
        live |= {_revision_of(p) for p in self._pods_of(sts)}
        self.history.truncate(self.history.list_for(sts), live,
                              int(sts["spec"].get("revisionHistoryLimit", 10)))

    def _pods_of(self, sts: Obj) -> list[Obj]:
        name = sts["metadata"]["name"]
        return [p for p in self.pods.by_index(CONTROLLER_UID_INDEX, sts["metadata"]["uid"])
                if parent_and_ordinal(p)[0] == name]

    def _revisions(self, sts: Obj, revisions: list[Obj]) -> tuple[Obj, Obj, int]:
        """``getStatefulSetRevisions``: find or make the update revision; find the current."""
        status = sts.get("status") or {}
        collisions = int(status.get("collisionCount") or 0)
        data = template_patch(sts)
        number = next_revision(revisions)
        equal = [r for r in revisions if r.get("data") == data]
        if equal and equal[-1] is revisions[-1]:
            update = revisions[-1]  # the template has not changed
        elif equal:
            update = self.history.set_revision(equal[-1], number)  # a rollback
        else:
            name = sts["metadata"]["name"]
            labels = dict(((sts["spec"].get("template") or {}).get("metadata") or {})
                          .get("labels") or {})
            revision = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
                        "metadata": {"labels": labels,
                                     "ownerReferences": [controller_ref(sts)]},
                        "data": data, "revision": number}

            def name_for(count: int) -> tuple[str, tuple[str, str]]:
                h = hash_revision(data, count)
                return revision_name(name, h), (HASH_LABEL, h)

            update, collisions = self.history.create(sts, revision, name_for, collisions)
        current = next((r for r in revisions
                        if r["metadata"]["name"] == status.get("currentRevision")), update)
        return current, update, collisions

    def _update(self, sts: Obj, current: Obj, update: Obj) -> None:
        """``updateStatefulSet``: create, replace and delete pods towards the desired state."""
        spec = sts["spec"]
        start = int((spec.get("ordinals") or {}).get("start") or 0)
        count = int(spec.get("replicas", 1))
        min_ready = int(spec.get("minReadySeconds") or 0)
        now = self.clock.now
        replicas: list[Obj | None] = [None] * count
        condemned: list[Obj] = []
        for pod in self._pods_of(sts):
            ordinal = parent_and_ordinal(pod)[1]
            if start <= ordinal < start + count:
                replicas[ordinal - start] = pod
            elif ordinal >= 0:
                condemned.append(pod)
        condemned.sort(key=lambda p: -parent_and_ordinal(p)[1])

        def unavailable(pod: Obj | None) -> bool:
            return (pod is None or _terminating(pod) or not _running_ready(pod)
                    or not is_pod_available(pod, min_ready, now))

        first_unhealthy = next((p for p in replicas if unavailable(p)), None)
        if first_unhealthy is None:
            first_unhealthy = next((p for p in reversed(condemned) if unavailable(p)), None)
        if sts["metadata"].get("deletionTimestamp"):
            return
        monotonic = spec.get("podManagementPolicy", "OrderedReady") != "Parallel"
        partition = int(((spec.get("updateStrategy") or {}).get("rollingUpdate") or {})
                        .get("partition") or 0)

        # 1. every ordinal in range: replace failed pods, create missing ones, in order.
        for i, pod in enumerate(replicas):
            ordinal = start + i
            if pod is not None and _phase(pod) in ("Failed", "Succeeded"):
                if not _terminating(pod):
                    self._delete_pod(sts, pod)
                if monotonic:
                    return
                continue
            if pod is None:
                # Ordinals below the partition keep the current revision's template.
                revision = current if (self._rolling(sts) and ordinal < start + partition) \
                    else update
                created = self._create_pod(sts, revision, ordinal)
                if monotonic or created is None:
                    return
                continue
            if _phase(pod) == "Pending":
                self._create_claims(sts, pod, ordinal)
            if monotonic and (_terminating(pod) or not _running_ready(pod)):
                return  # wait for this pod before touching the next ordinal
            if monotonic and not is_pod_available(pod, min_ready, now):
                self._requeue_when_available(sts, pod, min_ready)
                return

        # 2. ordinals past the end: scale down from the highest, one at a time when ordered.
        for pod in condemned:
            if _terminating(pod):
                if monotonic:
                    return
                continue
            if monotonic and pod is not first_unhealthy and unavailable(pod):
                return
            self._delete_pod(sts, pod)
            if monotonic:
                return

        # 3. rolling update from the highest ordinal down to the partition.
        if not self._rolling(sts):
            return
        for i in range(count - 1, partition - 1, -1):
            pod = replicas[i]
            if pod is None:
                return
            if _revision_of(pod) != update["metadata"]["name"] and not _terminating(pod):
                self._delete_pod(sts, pod)
                return
            if unavailable(pod):
                return

    @staticmethod
    def _rolling(sts: Obj) -> bool:
        return (sts["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate") \
            == "RollingUpdate"

    def _requeue_when_available(self, sts: Obj, pod: Obj, min_ready: int) -> None:
        from k8snb.clock import parse_time

        since = next((c.get("lastTransitionTime") for c in pod["status"].get("conditions") or ()
                      if c.get("type") == "Ready"), None)
        delay = (parse_time(since) + min_ready - self.clock.now) if since else min_ready
        self.queue.add_after(self._key(sts), max(delay, 0.001))

    # -- pods and claims -------------------------------------------------------------------------

    def new_pod(self, sts: Obj, revision: Obj, ordinal: int) -> Obj:
        """``newVersionedStatefulSetPod``: the pod for ``ordinal`` from ``revision``'s template."""
        template = template_from_revision(revision)
        tmeta, tspec = template.get("metadata") or {}, template.get("spec") or {}
        meta = sts["metadata"]
        name = f"{meta['name']}-{ordinal}"
        labels = dict(tmeta.get("labels") or {})
        labels[POD_NAME_LABEL] = name
        labels[POD_INDEX_LABEL] = str(ordinal)
        labels[CONTROLLER_REVISION_HASH_LABEL] = revision["metadata"]["name"]
        pod_meta: Obj = {"name": name, "namespace": meta.get("namespace", "default"),
                         "labels": labels, "ownerReferences": [controller_ref(sts)]}
        if tmeta.get("annotations"):
            pod_meta["annotations"] = dict(tmeta["annotations"])
        if tmeta.get("finalizers"):
            pod_meta["finalizers"] = list(tmeta["finalizers"])
        spec = jcopy(tspec)
        spec["hostname"] = name
        if sts["spec"].get("serviceName"):
            spec["subdomain"] = sts["spec"]["serviceName"]
        templates = sts["spec"].get("volumeClaimTemplates") or []
        if templates:
            claimed = {t["metadata"]["name"] for t in templates}
            spec["volumes"] = [
                {"name": t["metadata"]["name"],
                 "persistentVolumeClaim": {"claimName": claim_name(t, sts, ordinal)}}
                for t in templates
            ] + [v for v in spec.get("volumes") or [] if v.get("name") not in claimed]
        return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": spec}

    def _create_pod(self, sts: Obj, revision: Obj, ordinal: int) -> Obj | None:
        """``CreateStatefulPod``: the claims first, then the pod; an event for each."""
        pod = self.new_pod(sts, revision, ordinal)
        if not self._create_claims(sts, pod, ordinal):
            return None
        try:
            created = self.api.create(pod)
        except StatusError as e:
            self._event(sts, "Warning", REASON_FAILED.format(verb="Create"),
                        MSG_POD_FAILED.format(verb="create", pod=pod["metadata"]["name"],
                                              set=sts["metadata"]["name"], error=e.message))
            self._retry_later(sts)
            return None
        self._event(sts, "Normal", REASON_SUCCESS.format(verb="Create"),
                    MSG_POD_SUCCESS.format(verb="create", pod=pod["metadata"]["name"],
                                           set=sts["metadata"]["name"]))
        return created

    def _create_claims(self, sts: Obj, pod: Obj, ordinal: int) -> bool:
        """``createPersistentVolumeClaims``: make each missing claim; existing ones are used."""
        ns = sts["metadata"].get("namespace", "default")
        selector_labels = (sts["spec"].get("selector") or {}).get("matchLabels") or {}
        ok = True
        for template in sts["spec"].get("volumeClaimTemplates") or []:
            name = claim_name(template, sts, ordinal)
            if self.claims.get(ns, name) is not None:
                continue
            claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                     "metadata": jcopy(template.get("metadata") or {}),
                     "spec": jcopy(template.get("spec") or {})}
            claim["metadata"].update(name=name, namespace=ns)
            claim["metadata"]["labels"] = {**(claim["metadata"].get("labels") or {}),
                                           **selector_labels}
            msg = {"verb": "create", "claim": name, "pod": pod["metadata"]["name"],
                   "set": sts["metadata"]["name"]}
            try:
                self.api.create(claim, ns)
            except StatusError as e:
                if e.reason == "AlreadyExists":
                    continue
                self._event(sts, "Warning", REASON_FAILED.format(verb="Create"),
                            MSG_CLAIM_FAILED.format(error=e.message, **msg))
                self._retry_later(sts)
                ok = False
                continue
            self._event(sts, "Normal", REASON_SUCCESS.format(verb="Create"),
                        MSG_CLAIM_SUCCESS.format(**msg))
        return ok

    def _delete_pod(self, sts: Obj, pod: Obj) -> None:
        """``DeleteStatefulPod``: a graceful delete, with its event."""
        msg = {"verb": "delete", "pod": pod["metadata"]["name"], "set": sts["metadata"]["name"]}
        try:
            self.api.delete("pods", pod["metadata"]["name"], pod["metadata"]["namespace"])
        except StatusError as e:
            if e.reason == "NotFound":
                return
            self._event(sts, "Warning", REASON_FAILED.format(verb="Delete"),
                        MSG_POD_FAILED.format(error=e.message, **msg))
            self._retry_later(sts)
            return
        self._event(sts, "Normal", REASON_SUCCESS.format(verb="Delete"),
                    MSG_POD_SUCCESS.format(**msg))

    def _retry_later(self, sts: Obj) -> None:
        # Upstream retries with a rate limiter; a background retry here, so settle() ends.
        self.queue.add_after(self._key(sts), 10.0, recurring=True)

    def _event(self, sts: Obj, type_: str, reason: str, message: str) -> None:
        self.api.record_event(sts, type_, reason, message, COMPONENT)

    # -- status ----------------------------------------------------------------------------------

    def _status(self, sts: Obj, current: Obj, update: Obj, collisions: int) -> Obj:
        """``updateStatus`` + ``completeRollingUpdate``, from the pods as they are now."""
        min_ready = int(sts["spec"].get("minReadySeconds") or 0)
        now = self.clock.now
        cur, upd = current["metadata"]["name"], update["metadata"]["name"]
        n = ready = available = n_current = n_updated = 0
        for pod in self._pods_of(sts):
            if not _phase(pod):
                continue
            n += 1
            if _running_ready(pod):
                ready += 1
                if is_pod_available(pod, min_ready, now):
                    available += 1
            if not _terminating(pod):
                rev = _revision_of(pod)
                n_current += rev == cur
                n_updated += rev == upd
        if ready > available:
            self.queue.add_after(self._key(sts), max(min_ready, 1))
        if self._rolling(sts) and n_updated == n and ready == n:
            n_current, cur = n_updated, upd  # the rollout is complete
        status: Obj = {"observedGeneration": sts["metadata"].get("generation", 1),
                       "replicas": n}
        for k, v in (("readyReplicas", ready), ("currentReplicas", n_current),
                     ("updatedReplicas", n_updated)):
            if v:
                status[k] = v
        status.update(currentRevision=cur, updateRevision=upd, collisionCount=collisions,
                      availableReplicas=available)
        return status

    def _write_status(self, sts: Obj, status: Obj) -> None:
        old = sts.get("status") or {}
        if {k: v for k, v in old.items() if k != "conditions"} == status:
            return
        if old.get("conditions"):
            status["conditions"] = old["conditions"]
        new = {**sts, "status": status}
        try:
            self.api.update_status(new)
        except StatusError as e:
            if e.reason not in ("NotFound", "Conflict"):
                raise
            if e.reason == "Conflict":
                self.queue.add(self._key(sts))
