"""Informers and work queues, the client-go machinery every controller is built on.

An :class:`Informer` lists a resource once, then follows its watch stream into a local cache
with indexes; handlers turn changes into keys (``namespace/name``) on a :class:`WorkQueue`.
A controller's reconcile function takes one key at a time and compares desired with actual
state. Nothing here scans the whole store per step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8snb.api.server import APIServer
    from k8snb.clock import Clock

__all__ = ["Informer", "InformerFactory", "WorkQueue", "key_of"]

Obj = dict[str, Any]
Key = tuple[str, str]


def key_of(obj: Obj) -> Key:
    meta = obj["metadata"]
    return meta.get("namespace", ""), meta["name"]


class Informer:
    """A shared, indexed, read-only cache of one resource, kept current by a watch."""

    def __init__(self, api: APIServer, resource: str) -> None:
        self.resource = api.resolve(resource)
        self._items: dict[Key, Obj] = {}
        self._indexers: dict[str, Callable[[Obj], Iterable[str]]] = {}
        self._indexes: dict[str, dict[str, dict[Key, Obj]]] = {}
        self._handlers: list[tuple[Callable | None, Callable | None, Callable | None]] = []
        for obj in api.store.items(self.resource.plural):
            self._items[key_of(obj)] = obj
        api.store.watch(self.resource.plural, self._on_event)

    # -- cache ---------------------------------------------------------------------------------

    def get(self, namespace: str, name: str) -> Obj | None:
        return self._items.get((namespace, name))

    def list(self, namespace: str | None = None) -> list[Obj]:
        if namespace is None:
            return list(self._items.values())
        return [o for (ns, _), o in self._items.items() if ns == namespace]

    def __len__(self) -> int:
        return len(self._items)

    def add_index(self, name: str, fn: Callable[[Obj], Iterable[str]]) -> None:
        """Index objects by ``fn(obj)`` values, e.g. pods by ``spec.nodeName``."""
        self._indexers[name] = fn
        index: dict[str, dict[Key, Obj]] = {}
        for key, obj in self._items.items():
            for value in fn(obj):
                index.setdefault(value, {})[key] = obj
        self._indexes[name] = index

    def by_index(self, name: str, value: str) -> list[Obj]:
        return list(self._indexes[name].get(value, {}).values())

    def add_handler(self, on_add: Callable[[Obj], None] | None = None,
                    on_update: Callable[[Obj, Obj], None] | None = None,
                    on_delete: Callable[[Obj], None] | None = None) -> None:
        """Register handlers; ``on_add`` is replayed for objects already in the cache."""
        self._handlers.append((on_add, on_update, on_delete))
        if on_add is not None:
            for obj in list(self._items.values()):
                on_add(obj)

    # -- watch stream --------------------------------------------------------------------------

    def _on_event(self, kind: str, obj: Obj, old: Obj | None) -> None:
        key = key_of(obj)
        if kind == "DELETED":
            self._items.pop(key, None)
            self._reindex(key, old, None)
            for _, _, on_delete in self._handlers:
                if on_delete is not None:
                    on_delete(obj)
            return
        self._items[key] = obj
        self._reindex(key, old, obj)
        for on_add, on_update, _ in self._handlers:
            if old is None:
                if on_add is not None:
                    on_add(obj)
            elif on_update is not None:
                on_update(old, obj)

    def _reindex(self, key: Key, old: Obj | None, new: Obj | None) -> None:
        for name, fn in self._indexers.items():
            index = self._indexes[name]
            old_values = fn(old) if old is not None else ()
            new_values = fn(new) if new is not None else ()
            if new is not None and old_values == new_values:
                # The usual update (a status write): the same buckets. Move the object to the
                # end of each, as removing it and adding it again would.
                for value in new_values:
                    bucket = index.get(value)
                    if bucket is None:
                        index[value] = {key: new}
                    else:
                        bucket.pop(key, None)
                        bucket[key] = new
                continue
            for value in old_values:
                bucket = index.get(value)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del index[value]
            for value in new_values:
                index.setdefault(value, {})[key] = new


class InformerFactory:
    """One shared informer per resource, as client-go's SharedInformerFactory."""

    def __init__(self, api: APIServer) -> None:
        self.api = api
        self._informers: dict[str, Informer] = {}

    def informer(self, resource: str) -> Informer:
        plural = self.api.resolve(resource).plural
        inf = self._informers.get(plural)
        if inf is None:
            inf = self._informers[plural] = Informer(self.api, plural)
        return inf


class WorkQueue:
    """A de-duplicating FIFO of keys with delayed adds, as client-go's workqueue.

    A key is queued at most once however many events arrive before it is processed, which is
    why a reconcile function always reads the latest state instead of the event.
    """

    def __init__(self, name: str, clock: Clock) -> None:
        self.name = name
        self.clock = clock
        self._queue: deque[Any] = deque()
        self._queued: set[Any] = set()
        self._delayed: dict[Any, Any] = {}

    def add(self, key: Any) -> None:
        if key not in self._queued:
            self._queued.add(key)
            self._queue.append(key)

    def add_after(self, key: Any, delay: float, *, recurring: bool = False) -> None:
        """Queue ``key`` after ``delay`` simulated seconds (the earliest request wins)."""
        if delay <= 0:
            self.add(key)
            return
        when = self.clock.now + delay
        timer = self._delayed.get(key)
        if timer is not None and not timer.cancelled and timer.when <= when:
            return
        if timer is not None:
            timer.cancel()

        def fire() -> None:
            self._delayed.pop(key, None)
            self.add(key)

        self._delayed[key] = self.clock.call_at(when, fire, recurring=recurring)

    def forget(self, key: Any) -> None:
        timer = self._delayed.pop(key, None)
        if timer is not None:
            timer.cancel()

    def pop(self) -> Any:
        key = self._queue.popleft()
        self._queued.discard(key)
        return key

    def __len__(self) -> int:
        return len(self._queue)
