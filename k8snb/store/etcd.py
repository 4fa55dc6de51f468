"""etcd, reduced to what Kubernetes uses of it.

One revision counter for the whole store; every write bumps it and stamps the object's
``metadata.resourceVersion`` with it, exactly as the API server does with etcd's
``mod_revision``. Watchers of a resource (the API server's watch cache, in our case the
informers) get every change in revision order. Only the API server writes here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

__all__ = ["PackedBucket", "Store", "WatchEvent"]

Obj = dict[str, Any]
Key = tuple[str, str]  # (namespace, name); namespace "" for cluster-scoped objects
WatchEvent = tuple[str, Obj, Obj | None]  # (type, object, previous object)
Watcher = Callable[[str, Obj, Obj | None], None]


Shape = tuple  # ("key", ...) with a nested Shape after the key of each packed dict value


class PackedBucket(MutableMapping[Key, Obj]):
    """A bucket that keeps each object as one flat tuple: ``(shape, leaf, leaf, ...)``.

    etcd stores serialized bytes, not live objects; this is the same idea for resources that
    are written often and read rarely (Events: five per pod). The keys of every dict are held
    once per distinct *shape* (interned), the values in a tuple, so a 20-field Event costs one
    tuple instead of four dicts. Reading builds fresh dicts; lists and scalars are shared, and,
    as with every stored object, readers must not change them.
    """

    def __init__(self) -> None:
        self._packed: dict[Key, tuple] = {}
        self._shapes: dict[Shape, Shape] = {}

    def _pack(self, obj: Obj, leaves: list) -> Shape:
        shape: list = []
        for k, v in obj.items():
            if type(v) is dict and v:
                shape += (k, self._pack(v, leaves))
            else:
                shape += (k, None)
                leaves.append(v)
        key = tuple(shape)
        return self._shapes.setdefault(key, key)

    @staticmethod
    def _unpack(shape: Shape, leaves: Iterator) -> Obj:
        obj = {}
        for i in range(0, len(shape), 2):
            sub = shape[i + 1]
            obj[shape[i]] = next(leaves) if sub is None else PackedBucket._unpack(sub, leaves)
        return obj

    def __setitem__(self, key: Key, obj: Obj) -> None:
        leaves: list = []
        shape = self._pack(obj, leaves)
        self._packed[key] = (shape, *leaves)

    def __getitem__(self, key: Key) -> Obj:
        packed = self._packed[key]
        return self._unpack(packed[0], iter(packed[1:]))

    def __delitem__(self, key: Key) -> None:
        del self._packed[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


class Store:
    """Versioned key-value store: ``/registry/<resource>/<namespace>/<name>`` -> object.

    ``packed`` names resources kept as ``PackedBucket`` tuples rather than live dicts.
    """

    def __init__(self, packed: tuple[str, ...] = ("events",)) -> None:
        self.revision = 1
        self._data: dict[str, MutableMapping[Key, Obj]] = {r: PackedBucket() for r in packed}
        self._watchers: dict[str, list[Watcher]] = {}

    def bucket(self, resource: str) -> MutableMapping[Key, Obj]:
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
        if not self._watchers.get(resource):  # nobody to tell what it was (saves an unpack)
            bucket[key] = obj
            return obj
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
