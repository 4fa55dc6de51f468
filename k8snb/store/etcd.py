"""etcd, reduced to what Kubernetes uses of it.

One revision counter for the whole store; every write bumps it and stamps the object's
``metadata.resourceVersion`` with it, exactly as the API server does with etcd's
``mod_revision``. Watchers of a resource (the API server's watch cache, in our case the
informers) get every change in revision order. Only the API server writes here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Store", "WatchEvent"]

Obj = dict[str, Any]
Key = tuple[str, str]  # (namespace, name); namespace "" for cluster-scoped objects
WatchEvent = tuple[str, Obj, Obj | None]  # (type, object, previous object)
Watcher = Callable[[str, Obj, Obj | None], None]


class Store:
    """Versioned key-value store: ``/registry/<resource>/<namespace>/<name>`` -> object."""

    def __init__(self) -> None:
        self.revision = 1
        self._data: dict[str, dict[Key, Obj]] = {}
        self._watchers: dict[str, list[Watcher]] = {}

    def bucket(self, resource: str) -> dict[Key, Obj]:
        return self._data.setdefault(resource, {})

    def get(self, resource: str, key: Key) -> Obj | None:
        return self._data.get(resource, {}).get(key)

    def items(self, resource: str, namespace: str | None = None) -> Iterator[Obj]:
        bucket = self._data.get(resource, {})
        if namespace is None:
            yield from bucket.values()
        else:
            for (ns, _), obj in bucket.items():
                if ns == namespace:
                    yield obj

    def count(self, resource: str) -> int:
        return len(self._data.get(resource, {}))

    def put(self, resource: str, key: Key, obj: Obj) -> Obj:
        """Create or replace; stamps resourceVersion and notifies watchers (ADDED/MODIFIED)."""
        self.revision += 1
        obj["metadata"]["resourceVersion"] = str(self.revision)
        bucket = self.bucket(resource)
        old = bucket.get(key)
        bucket[key] = obj
        self._notify(resource, "MODIFIED" if old is not None else "ADDED", obj, old)
        return obj

    def remove(self, resource: str, key: Key) -> Obj | None:
        bucket = self._data.get(resource, {})
        old = bucket.pop(key, None)
        if old is not None:
            self.revision += 1
            self._notify(resource, "DELETED", old, old)
        return old

    def watch(self, resource: str, watcher: Watcher) -> Callable[[], None]:
        """Call ``watcher(type, obj, old)`` on every change to ``resource``; returns a cancel."""
        watchers = self._watchers.setdefault(resource, [])
        watchers.append(watcher)
        return lambda: watchers.remove(watcher) if watcher in watchers else None

    def _notify(self, resource: str, kind: str, obj: Obj, old: Obj | None) -> None:
        for watcher in list(self._watchers.get(resource, ())):
            watcher(kind, obj, old)
