"""etcd, reduced to what Kubernetes uses of it.

One revision counter for the whole store; every write bumps it and stamps the object's
``metadata.resourceVersion`` with it, exactly as the API server does with etcd's
``mod_revision``. Watchers of a resource (the API server's watch cache, in our case the
informers) get every change in revision order. Only the API server writes here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from itertools import compress
from operator import is_, not_
from typing import Any

__all__ = ["PackedBucket", "Store", "WatchEvent", "event_group"]

Obj = dict[str, Any]
Key = tuple[str, str]  # (namespace, name); namespace "" for cluster-scoped objects
WatchEvent = tuple[str, Obj, Obj | None]  # (type, object, previous object)
Watcher = Callable[[str, Obj, Obj | None], None]


Shape = tuple  # ("key", ...) with a nested Shape after the key of each packed dict value


class PackedBucket(MutableMapping[Key, Obj]):
    """A bucket that keeps each object as one flat tuple of what sets it apart.

    etcd stores serialized bytes, not live objects; this is the same idea for resources that
    are written often and read rarely (Events: four or five per pod). An object is flattened
    into its *layout* (the keys of every dict, interned) and its leaf values. The first object
    of a layout and ``group`` (for Events: the same reason from the same component) becomes
    the reference; later ones keep only the leaves that differ from it, with an interned mask
    saying which. Reading builds fresh dicts; lists and scalars are shared and, as with every
    stored object, readers must not change them.
    """

    def __init__(self, group: Callable[[Obj], Any] | None = None) -> None:
        self._packed: dict[Key, tuple] = {}
        self._layouts: dict[Shape, Shape] = {}
        self._flat: dict[tuple, Shape] = {}  # the keys of a flat dict -> its layout
        self._refs: dict[tuple, tuple] = {}  # (layout, group) -> reference leaves
        self._shapes: dict[tuple, tuple] = {}  # interned (layout, group, mask)
        self._group = group

    def _flatten(self, obj: Obj, leaves: list) -> Shape:
        values = obj.values()
        if not any(type(v) is dict and v for v in values):  # a flat dict: the common case
            keys = tuple(obj)
            layout = self._flat.get(keys)
            if layout is None:
                layout = tuple(x for k in keys for x in (k, None))
                layout = self._flat[keys] = self._layouts.setdefault(layout, layout)
            leaves.extend(values)
            return layout
        parts: list = []
        for k, v in obj.items():
            if type(v) is dict and v:
                parts += (k, self._flatten(v, leaves))
            else:
                parts += (k, None)
                leaves.append(v)
        key = tuple(parts)
        return self._layouts.setdefault(key, key)

    @staticmethod
    def _build(layout: Shape, leaves: Iterator) -> Obj:
        obj = {}
        for i in range(0, len(layout), 2):
            sub = layout[i + 1]
            obj[layout[i]] = next(leaves) if sub is None else PackedBucket._build(sub, leaves)
        return obj

    def __setitem__(self, key: Key, obj: Obj) -> None:
        leaves: list = []
        ref_key = (self._flatten(obj, leaves), self._group(obj) if self._group else None)
        ref = self._refs.setdefault(ref_key, tuple(leaves))
        mask = tuple(map(is_, leaves, ref))  # the very same objects: interned strings, None...
        shape = (*ref_key, mask)
        shape = self._shapes.setdefault(shape, shape)
        self._packed[key] = (shape, *compress(leaves, map(not_, mask)))

    def __getitem__(self, key: Key) -> Obj:
        packed = self._packed[key]
        layout, group, mask = packed[0]
        ref = self._refs[(layout, group)]
        own = iter(packed[1:])
        return self._build(layout, iter([r if same else next(own)
                                         for r, same in zip(ref, mask, strict=True)]))

    def get(self, key: Key, default: Any = None) -> Any:
        return self[key] if key in self._packed else default

    def __contains__(self, key: object) -> bool:
        return key in self._packed

    def __delitem__(self, key: Key) -> None:
        del self._packed[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def event_group(event: Obj) -> tuple:
    """Events alike enough to share a reference: one reason from one component."""
    return event.get("reason"), event.get("reportingComponent")


class Store:
    """Versioned key-value store: ``/registry/<resource>/<namespace>/<name>`` -> object.

    ``packed`` maps the resources kept as ``PackedBucket`` tuples rather than live dicts to
    how their objects are grouped (None: by layout only).
    """

    def __init__(self, packed: Mapping[str, Callable[[Obj], Any] | None] | None = None) -> None:
        self.revision = 1
        if packed is None:
            packed = {"events": event_group}
        self._data: dict[str, MutableMapping[Key, Obj]] = {
            r: PackedBucket(group) for r, group in packed.items()}
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
