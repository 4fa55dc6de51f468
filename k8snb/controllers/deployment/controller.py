"""The Deployment controller: one reconcile loop that rolls pod templates out through ReplicaSets.

A Deployment never creates pods. For each version of its pod template it owns a ReplicaSet
named ``<deployment>-<pod-template-hash>``; rolling out is changing how many replicas each of
those ReplicaSets should have, a few at a time, while the ReplicaSet controller creates and
deletes the pods. Upstream: ``pkg/controller/deployment/deployment_controller.go``; the steps of
one sync live in the sibling modules, as upstream splits them:

* :mod:`.sync` -- finding/creating the new ReplicaSet, revisions, proportional scaling,
  cleanup by ``revisionHistoryLimit``, status;
* :mod:`.rolling` and :mod:`.recreate` -- the two strategies;
* :mod:`.rollback` -- the controller side of the old ``rollbackTo`` (kept as an annotation);
* :mod:`.progress` -- the Progressing condition and ``progressDeadlineSeconds``.

Event-driven: informers on Deployments, ReplicaSets (indexed by controller uid, orphans by
label) and Pods (indexed by owner uid, read only for Recreate) turn changes into
``(namespace, name)`` keys on one work queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.api.labels import selector_from_label_selector
from k8snb.controllers.deployment import util
from k8snb.controllers.deployment.progress import ProgressMixin
from k8snb.controllers.deployment.recreate import RecreateMixin
from k8snb.controllers.deployment.rollback import RollbackMixin
from k8snb.controllers.deployment.rolling import RollingMixin
from k8snb.controllers.deployment.sync import SyncMixin
from k8snb.controllers.podcontrol import (
    CONTROLLER_UID_INDEX,
    ORPHAN_LABEL_INDEX,
    controller_uid_index,
    ensure_index,
    orphan_label_index,
    orphans_matching,
)
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["DeploymentController", "COMPONENT", "owner_reference", "working_copy"]

Obj = dict[str, Any]
Key = tuple[str, str]

#: The component name on the controller's Events (``From`` in ``kubectl describe``).
COMPONENT = "deployment-controller"
RS_BY_OWNER = PODS_BY_OWNER = CONTROLLER_UID_INDEX
#: ``maxRetries`` in deployment_controller.go: a key failing this often is dropped.
MAX_RETRIES = 15
#: Reason and message of the warning for a Deployment that selects everything.
REASON_SELECTING_ALL = "SelectingAll"
MSG_SELECTING_ALL = "This deployment is selecting all pods. A non-empty selector is required."


class DeploymentController(SyncMixin, RollingMixin, RecreateMixin, RollbackMixin, ProgressMixin):
    """Reconciles every Deployment towards its template, replicas and strategy."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.deployments = cluster.informers.informer("deployments")
        self.replicasets = cluster.informers.informer("replicasets")
        self.pods = cluster.informers.informer("pods")
        # Shared indexes (the ReplicaSet controller uses the same ones on pods).
        ensure_index(self.replicasets, CONTROLLER_UID_INDEX, controller_uid_index)
        ensure_index(self.replicasets, ORPHAN_LABEL_INDEX, orphan_label_index)
        ensure_index(self.pods, CONTROLLER_UID_INDEX, controller_uid_index)
        self.queue = cluster.new_queue("deployment", self.sync_key)
        self._retries: dict[Key, int] = {}
        self._selectors: dict[str, tuple[Any, Any]] = {}  # deployment uid -> (selector, parsed)
        self._template_keys: dict[str, tuple[int, str]] = {}  # uid -> (generation, key)
        self._rs_template_keys: dict[str, tuple[int, str]] = {}
        self.deployments.add_handler(self._enqueue, lambda old, new: self._enqueue(new),
                                     self._deployment_deleted)
        self.replicasets.add_handler(self._rs_added, self._rs_updated, self._rs_deleted)
        self.pods.add_handler(on_delete=self._pod_deleted)

    # -- event handlers -------------------------------------------------------------------------

    def _enqueue(self, d: Obj) -> None:
        self.queue.add((d["metadata"].get("namespace", ""), d["metadata"]["name"]))

    def _deployment_deleted(self, d: Obj) -> None:
        uid = d["metadata"].get("uid", "")
        self._selectors.pop(uid, None)
        self._template_keys.pop(uid, None)
        self._enqueue(d)

    def _owner_deployment(self, rs: Obj) -> Obj | None:
        ref = util.controller_of(rs)
        if ref is None or ref.get("kind") != "Deployment":
            return None
        d = self.deployments.get(rs["metadata"].get("namespace", ""), ref.get("name", ""))
        if d is None or d["metadata"].get("uid") != ref.get("uid"):
            return None
        return d

    def _deployments_for_orphan(self, rs: Obj) -> list[Obj]:
        """Deployments of the namespace whose selector matches an orphan ReplicaSet."""
        labels = rs["metadata"].get("labels") or {}
        if not labels:
            return []
        out = []
        for d in self.deployments.list(rs["metadata"].get("namespace", "")):
            sel = self.selector(d)
            if sel is not None and not sel.empty() and sel.matches(labels):
                out.append(d)
        return out

    def _rs_added(self, rs: Obj) -> None:
        if rs["metadata"].get("deletionTimestamp"):
            self._rs_deleted(rs)
            return
        if util.controller_of(rs) is not None:
            d = self._owner_deployment(rs)
            if d is not None:
                self._enqueue(d)
            return
        for d in self._deployments_for_orphan(rs):
            self._enqueue(d)

    def _rs_updated(self, old: Obj, cur: Obj) -> None:
        if old["metadata"].get("resourceVersion") == cur["metadata"].get("resourceVersion"):
            return
        old_ref, cur_ref = util.controller_of(old), util.controller_of(cur)
        if old_ref != cur_ref and old_ref is not None:
            d = self._owner_deployment(old)
            if d is not None:
                self._enqueue(d)
        if cur_ref is not None:
            d = self._owner_deployment(cur)
            if d is not None:
                self._enqueue(d)
            return
        if old_ref != cur_ref or old["metadata"].get("labels") != cur["metadata"].get("labels"):
            for d in self._deployments_for_orphan(cur):
                self._enqueue(d)

    def _rs_deleted(self, rs: Obj) -> None:
        self._rs_template_keys.pop(rs["metadata"].get("uid", ""), None)
        d = self._owner_deployment(rs)
        if d is not None:
            self._enqueue(d)

    def _pod_deleted(self, pod: Obj) -> None:
        """Recreate waits for the last old pod to be gone: sync when a Deployment has none."""
        ref = util.controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        rs = self.replicasets.get(pod["metadata"].get("namespace", ""), ref.get("name", ""))
        if rs is None:
            return
        d = self._owner_deployment(rs)
        if d is None or (d["spec"].get("strategy") or {}).get("type") != "Recreate":
            return
        for r in self.replicasets.by_index(RS_BY_OWNER, d["metadata"]["uid"]):
            if self.pods.by_index(PODS_BY_OWNER, r["metadata"]["uid"]):
                return
        self._enqueue(d)

    # -- caches ---------------------------------------------------------------------------------

    def selector(self, d: Obj) -> Any:
        """The parsed label selector of ``d`` (immutable in apps/v1, so cached by uid)."""
        uid = d["metadata"].get("uid", "")
        raw = d["spec"].get("selector")
        cached = self._selectors.get(uid)
        if cached is not None and cached[0] == raw:
            return cached[1]
        try:
            sel = selector_from_label_selector(raw)
        except ValueError:
            sel = None
        self._selectors[uid] = (jcopy(raw), sel)
        return sel

    def template_key(self, d: Obj) -> str:
        """:func:`util.template_key` of the Deployment's template, cached per generation."""
        uid = d["metadata"].get("uid", "")
        gen = int(d["metadata"].get("generation") or 0)
        cached = self._template_keys.get(uid)
        if cached is not None and cached[0] == gen:
            return cached[1]
        key = util.template_key(d["spec"].get("template"))
        self._template_keys[uid] = (gen, key)
        return key

    def rs_template_key(self, rs: Obj) -> str:
        """:func:`util.template_key` of a ReplicaSet's template, cached per generation."""
        uid = rs["metadata"].get("uid", "")
        gen = int(rs["metadata"].get("generation") or 0)
        cached = self._rs_template_keys.get(uid)
        if cached is not None and cached[0] == gen:
            return cached[1]
        key = util.template_key(rs["spec"].get("template"))
        self._rs_template_keys[uid] = (gen, key)
        return key

    # -- the loop -------------------------------------------------------------------------------

    def sync_key(self, key: Key) -> None:
        """Work-queue entry point: sync, and on an API error retry with back-off."""
        try:
            self.sync_deployment(key)
        except StatusError as e:
            if e.reason == "NotFound" and self.deployments.get(*key) is None:
                self._retries.pop(key, None)
                return
            n = self._retries.get(key, 0)
            if n >= MAX_RETRIES:
                self._retries.pop(key, None)
                return
            self._retries[key] = n + 1
            self.queue.add_after(key, 0.005 * 2 ** n)
            return
        self._retries.pop(key, None)

    def sync_deployment(self, key: Key) -> None:
        """``syncDeployment``: compare the Deployment with its ReplicaSets and converge."""
        cached = self.deployments.get(*key)
        if cached is None:
            return
        d = working_copy(cached)
        sel = self.selector(d)
        if sel is None or sel.empty():
            # A Deployment must not select every pod of its namespace.
            self.api.record_event(d, "Warning", REASON_SELECTING_ALL, MSG_SELECTING_ALL,
                                  COMPONENT)
            if int(d.get("status", {}).get("observedGeneration") or 0) < int(
                    d["metadata"].get("generation") or 0):
                d.setdefault("status", {})["observedGeneration"] = d["metadata"]["generation"]
                self.update_deployment_status(d)
            return
        rs_list = self.get_replica_sets_for_deployment(d, sel)
        if d["metadata"].get("deletionTimestamp"):
            self.sync_status_only(d, rs_list)
            return
        # Pausing/resuming sets a Progressing condition with an Unknown status, so that a
        # paused Deployment never times out.
        self.check_paused_conditions(d)
        if d["spec"].get("paused"):
            self.sync(d, rs_list)
            return
        if self.get_rollback_to(d) is not None:
            self.rollback(d, rs_list)
            return
        if self.is_scaling_event(d, rs_list):
            self.sync(d, rs_list)
            return
        if (d["spec"].get("strategy") or {}).get("type") == "Recreate":
            self.rollout_recreate(d, rs_list)
        else:
            self.rollout_rolling(d, rs_list)

    # -- ownership --------------------------------------------------------------------------------

    def get_replica_sets_for_deployment(self, d: Obj, sel: Any) -> list[Obj]:
        """ReplicaSets this Deployment controls, adopting matching orphans and releasing owned
        ones whose labels stopped matching (``ClaimReplicaSets``); oldest first."""
        uid = d["metadata"]["uid"]
        ns = d["metadata"].get("namespace", "")
        deleting = bool(d["metadata"].get("deletionTimestamp"))
        owned: list[Obj] = []
        for rs in self.replicasets.by_index(RS_BY_OWNER, uid):
            if sel.matches(rs["metadata"].get("labels") or {}):
                owned.append(rs)
            elif not deleting:
                self._release(rs, uid)
        if not deleting:
            for rs in orphans_matching(self.replicasets, ns, sel):
                if not rs["metadata"].get("deletionTimestamp"):
                    adopted = self._adopt(rs, d)
                    if adopted is not None:
                        owned.append(adopted)
        return util.replica_sets_by_creation(owned)

    def _adopt(self, rs: Obj, d: Obj) -> Obj | None:
        new = jcopy(rs)
        refs = new["metadata"].setdefault("ownerReferences", [])
        refs.append(owner_reference(d))
        try:
            return self.api.update(new, owned=True)
        except StatusError:
            return None

    def _release(self, rs: Obj, uid: str) -> None:
        new = jcopy(rs)
        refs = [r for r in new["metadata"].get("ownerReferences") or () if r.get("uid") != uid]
        if refs:
            new["metadata"]["ownerReferences"] = refs
        else:
            new["metadata"].pop("ownerReferences", None)
        try:
            self.api.update(new, owned=True)
        except StatusError:
            pass

    def pods_of(self, rs: Obj) -> list[Obj]:
        """Pods controlled by ``rs`` (from the pod informer's owner index)."""
        return self.pods.by_index(PODS_BY_OWNER, rs["metadata"]["uid"])

    # -- writes -----------------------------------------------------------------------------------

    def update_deployment(self, d: Obj) -> None:
        """Write metadata/spec of the working copy ``d``; keeps its resourceVersion current."""
        stored = self.api.update(d)
        d["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]
        d["metadata"]["generation"] = stored["metadata"].get("generation")

    def update_deployment_status(self, d: Obj) -> None:
        stored = self.api.update_status(d)
        d["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]

    def update_replica_set(self, rs: Obj) -> Obj:
        """Write a (copied, changed) ReplicaSet; returns the stored, read-only object."""
        return self.api.update(rs, owned=True)

    def event(self, d: Obj, type_: str, reason: str, message: str) -> None:
        self.api.record_event(d, type_, reason, message, COMPONENT)


def working_copy(obj: Obj) -> Obj:
    """A copy of a cached object that the controller may change: metadata, annotations, spec
    and status are its own; deeper parts (the pod template) are shared and only replaced,
    never changed in place."""
    meta = dict(obj["metadata"])
    if meta.get("annotations") is not None:
        meta["annotations"] = dict(meta["annotations"])
    out = {**obj, "metadata": meta, "spec": dict(obj.get("spec") or {})}
    if "status" in obj:
        out["status"] = jcopy(obj["status"])
    return out


def owner_reference(d: Obj) -> Obj:
    """The controller reference a Deployment puts on its ReplicaSets."""
    return {"apiVersion": "apps/v1", "kind": "Deployment", "name": d["metadata"]["name"],
            "uid": d["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}
