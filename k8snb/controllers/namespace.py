"""The namespace controller: empties a Terminating namespace, then lets it go.

Deleting a Namespace only marks it ``Terminating``; this controller deletes every namespaced
object inside it and, once nothing is left, removes the ``kubernetes`` finalizer so the
namespace disappears (``pkg/controller/namespace/deletion``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8snb.api.errors import StatusError

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["NamespaceController"]


class NamespaceController:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.informer = cluster.informers.informer("namespaces")
        self.queue = cluster.new_queue("namespace", self.reconcile)
        self.informer.add_handler(self._enqueue, lambda o, n: self._enqueue(n))

    def _enqueue(self, ns: dict) -> None:
        if ns["metadata"].get("deletionTimestamp"):
            self.queue.add(ns["metadata"]["name"])

    def reconcile(self, name: str) -> None:
        ns = self.informer.get("", name)
        if ns is None or not ns["metadata"].get("deletionTimestamp"):
            return
        api, store = self.cluster.api, self.cluster.store
        remaining = 0
        for info in api.registry.resources:
            if not info.namespaced or info.plural in ("bindings",):
                continue
            for obj in list(store.items(info.plural, name)):
                if info.plural == "events":
                    continue
                remaining += 1
                if obj["metadata"].get("deletionTimestamp"):
                    continue
                try:
                    api.delete(info, obj["metadata"]["name"], name)
                except StatusError:
                    pass
        if remaining == 0:
            for ev in list(store.items("events", name)):
                store.remove("events", (name, ev["metadata"]["name"]))
            api.finalize_namespace(name)
        else:
            self.queue.add_after(name, 1.0)
