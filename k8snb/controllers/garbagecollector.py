"""The garbage collector: deletes objects whose owners are gone.

Every object may list ``ownerReferences``; the collector keeps a graph from owner uid to
dependents (``pkg/controller/garbagecollector/graph_builder.go``). When the last owner of an
object disappears it deletes the object (background propagation). An owner deleted with
``propagationPolicy: Foreground`` carries the ``foregroundDeletion`` finalizer and stays until
its dependents are gone; with ``Orphan`` it carries ``orphan`` and its dependents lose their
ownerReference instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["GarbageCollector"]

Obj = dict[str, Any]
Ref = tuple[str, str, str]  # (plural, namespace, name)


class GarbageCollector:
    """Owner -> dependents graph over every resource, fed by watches."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.nodes: dict[str, Ref] = {}  # uid -> where the object lives
        self.dependents: dict[str, set[str]] = {}  # owner uid -> dependent uids
        self.owners: dict[str, list[Obj]] = {}  # dependent uid -> its ownerReferences
        self.queue = cluster.new_queue("garbage-collector", self._process)
        for info in self.api.registry.resources:
            if info.plural in ("events", "bindings"):
                continue
            self.api.store.watch(info.plural, self._watcher(info.plural))

    def _watcher(self, plural: str) -> Any:
        def on_event(kind: str, obj: Obj, old: Obj | None) -> None:
            meta = obj["metadata"]
            uid = meta.get("uid", "")
            if kind == "DELETED":
                self.nodes.pop(uid, None)
                for ref in self.owners.pop(uid, []):
                    self.dependents.get(ref.get("uid", ""), set()).discard(uid)
                for dep in sorted(self.dependents.get(uid, ())):
                    self.queue.add(("dependent", dep))
                return
            if uid not in self.nodes:  # an object's uid, kind, namespace and name never change
                self.nodes[uid] = (plural, meta.get("namespace", ""), meta["name"])
            refs = meta.get("ownerReferences") or []
            old_refs = self.owners.get(uid, [])
            if refs != old_refs:
                for ref in old_refs:
                    self.dependents.get(ref.get("uid", ""), set()).discard(uid)
                for ref in refs:
                    self.dependents.setdefault(ref.get("uid", ""), set()).add(uid)
                if refs:
                    self.owners[uid] = list(refs)
                else:
                    self.owners.pop(uid, None)
                if refs:
                    self.queue.add(("dependent", uid))
            if meta.get("deletionTimestamp") and set(meta.get("finalizers") or ()) & {
                    "orphan", "foregroundDeletion"}:
                self.queue.add(("owner", uid))
            for ref in refs:  # a dependent changed: its foreground owner may now finish
                if self._deleting_in_foreground(self._get(ref.get("uid", ""))):
                    self.queue.add(("owner", ref["uid"]))

        return on_event

    def _get(self, uid: str) -> Obj | None:
        ref = self.nodes.get(uid)
        if ref is None:
            return None
        plural, ns, name = ref
        return self.api.store.get(plural, (ns, name))

    @staticmethod
    def _deleting_in_foreground(obj: Obj | None) -> bool:
        return bool(obj and obj["metadata"].get("deletionTimestamp")
                    and "foregroundDeletion" in (obj["metadata"].get("finalizers") or ()))

    def _process(self, item: tuple[str, str]) -> None:
        what, uid = item
        if what == "dependent":
            self._attempt_to_delete(uid)
        else:
            self._process_owner(uid)

    def _attempt_to_delete(self, uid: str) -> None:
        obj = self._get(uid)
        if obj is None:
            return
        refs = obj["metadata"].get("ownerReferences") or []
        if not refs:
            return
        alive = []
        waiting_on_foreground = False
        for ref in refs:
            owner = self._get(ref.get("uid", ""))
            if owner is None or owner["metadata"].get("uid") != ref.get("uid"):
                continue
            if self._deleting_in_foreground(owner):
                waiting_on_foreground = True
                continue
            alive.append(ref)
        if alive and len(alive) == len(refs):
            return
        plural, ns, name = self.nodes[uid]
        if alive:
            # Some owners are gone: drop just their references (the object stays).
            if len(alive) < len(refs) and not waiting_on_foreground:
                new = jcopy(obj)
                new["metadata"]["ownerReferences"] = alive
                self._try(lambda: self.api.update(new))
            return
        policy = "Foreground" if waiting_on_foreground else "Background"
        if obj["metadata"].get("deletionTimestamp"):
            return
        self._try(lambda: self.api.delete(plural, name, ns or None, propagation_policy=policy))

    def _process_owner(self, uid: str) -> None:
        owner = self._get(uid)
        if owner is None or not owner["metadata"].get("deletionTimestamp"):
            return
        finalizers = list(owner["metadata"].get("finalizers") or [])
        deps = [d for d in sorted(self.dependents.get(uid, ())) if self._get(d) is not None]
        if "orphan" in finalizers:
            for dep in deps:
                obj = self._get(dep)
                if obj is None:
                    continue
                new = jcopy(obj)
                new["metadata"]["ownerReferences"] = [
                    r for r in new["metadata"].get("ownerReferences") or []
                    if r.get("uid") != uid] or None
                if new["metadata"]["ownerReferences"] is None:
                    del new["metadata"]["ownerReferences"]
                self._try(lambda new=new: self.api.update(new))
            self._remove_finalizer(owner, "orphan")
            return
        if "foregroundDeletion" in finalizers:
            blocking = []
            for dep in deps:
                obj = self._get(dep)
                if obj is None:
                    continue
                ref = next((r for r in obj["metadata"].get("ownerReferences") or []
                            if r.get("uid") == uid), {})
                if not obj["metadata"].get("deletionTimestamp"):
                    self.queue.add(("dependent", dep))
                if ref.get("blockOwnerDeletion"):
                    blocking.append(dep)
            if not blocking:
                self._remove_finalizer(owner, "foregroundDeletion")

    def _remove_finalizer(self, owner: Obj, finalizer: str) -> None:
        new = jcopy(owner)
        new["metadata"]["finalizers"] = [f for f in new["metadata"].get("finalizers") or []
                                         if f != finalizer]
        self._try(lambda: self.api.update(new))

    def _try(self, fn: Any) -> None:
        try:
            fn()
        except StatusError as e:
            if e.reason not in ("NotFound", "Conflict"):
                raise
