"""client-go's EventCorrelator: what happens to an event between a component and the store.

Every component records events through client-go's ``tools/record`` broadcaster, which runs
each one through three steps (``events_cache.go``) before writing it:

1. **Aggregation.** Events that differ only in their message (same source, object, type and
   reason) are similar. From the tenth distinct message within ten minutes on, they are
   combined into one event whose message is ``(combined from similar events): <message>``
   and whose count grows. (A ReplicaSet of 100 replicas shows nine ``Created pod: ...``
   events and one combined event.)
2. **De-duplication.** An event seen before (same source, object, type, reason and message)
   is not written again: the existing event's ``count`` and ``lastTimestamp`` are bumped.
3. **Spam filtering.** Each source may send 25 events about one object in a burst, then one
   more every five minutes (a token bucket); the rest are dropped.

Each cache is an LRU of 4,096 entries (``maxLruCacheEntries``). Upstream every component
process has its own correlator; the model keeps one for the whole cluster, whose keys include
the source, so the only difference is which entries an LRU forgets first.

Stored events do not last: the API server writes each one with an etcd lease of
``--event-ttl`` (one hour), renewed by every update, so an event disappears an hour after it
last happened (``EventTTL``).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from k8snb.clock import parse_time

__all__ = [
    "AGGREGATE_INTERVAL_SECONDS",
    "AGGREGATE_MAX_EVENTS",
    "COMBINED_PREFIX",
    "EVENT_TTL_SECONDS",
    "LRU_ENTRIES",
    "SPAM_BURST",
    "SPAM_QPS",
    "Correlation",
    "EventCorrelator",
    "EventTTL",
]

LRU_ENTRIES = 4096
AGGREGATE_MAX_EVENTS = 10
AGGREGATE_INTERVAL_SECONDS = 600.0
SPAM_BURST = 25
SPAM_QPS = 1.0 / 300.0
COMBINED_PREFIX = "(combined from similar events): "
EVENT_TTL_SECONDS = 3600.0
"""kube-apiserver's ``--event-ttl`` default: an event lives one hour after its last write."""


@dataclass(slots=True)
class Correlation:
    """What to write: the event ``name`` with this count, message and first timestamp
    (updated if it exists, created otherwise)."""

    name: str
    message: str
    count: int
    first: float


class _LRU(OrderedDict):
    """A dict that forgets its least recently used key beyond ``LRU_ENTRIES``."""

    def touch(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > LRU_ENTRIES:
            self.popitem(last=False)


class EventCorrelator:
    """Aggregate, de-duplicate and rate-limit events as client-go does (see the module doc)."""

    def __init__(self) -> None:
        self._aggregates = _LRU()  # aggregate key -> [distinct messages (ordered), last seen]
        self._observed = _LRU()  # event key -> [count, first timestamp, name]
        self._spam = _LRU()  # source + object -> [tokens, last refill]

    def correlate(self, source: tuple[str, str], involved: dict, type_: str, reason: str,
                  message: str, now: float, new_name: Callable[[], str]) -> Correlation | None:
        """The event to write for this occurrence, or None when the spam filter drops it.

        ``new_name()`` names an event seen for the first time.
        """
        obj = (involved.get("kind", ""), involved.get("namespace", ""),
               involved.get("name", ""), involved.get("uid", ""),
               involved.get("apiVersion", ""))
        similar = (source, obj, type_, reason)  # EventAggregatorByReasonFunc
        key: tuple = (*similar, involved.get("fieldPath", ""), message)  # getEventKey
        record = self._aggregates.get(similar)
        if record is None or now - record[1] > AGGREGATE_INTERVAL_SECONDS:
            record = [{}, now]
        record[0][message] = None
        record[1] = now
        self._aggregates.touch(similar, record)
        if len(record[0]) >= AGGREGATE_MAX_EVENTS:
            del record[0][next(iter(record[0]))]  # sets.String.PopAny, oldest first here
            key, message = similar, COMBINED_PREFIX + message
        seen = self._observed.get(key)
        if seen is None:
            seen = [1, now, new_name()]
        else:
            seen[0] += 1
        self._observed.touch(key, seen)
        spam_key = (source, obj)
        bucket = self._spam.get(spam_key) or [float(SPAM_BURST), now]
        bucket[0] = min(float(SPAM_BURST), bucket[0] + (now - bucket[1]) * SPAM_QPS)
        bucket[1] = now
        self._spam.touch(spam_key, bucket)
        if bucket[0] < 1.0:
            return None
        bucket[0] -= 1.0
        return Correlation(seen[2], message, seen[0], seen[1])


class EventTTL:
    """The lease on every stored event: it is deleted ``EVENT_TTL_SECONDS`` after its last
    write. Keys wait in per-second lists (written in time order), checked by one background
    timer; an event written again since is skipped until its own, later, second."""

    def __init__(self, clock: Any, get: Callable[[Any], dict | None],
                 remove: Callable[[Any, dict], None]) -> None:
        self._clock, self._get, self._remove = clock, get, remove
        self._due: dict[int, list[Any]] = {}
        self._written: dict[Any, float] = {}  # keys written through create/update: when
        self._timer: Any = None

    def written(self, key: Any, generic: bool = False) -> None:
        """The event ``key`` was stored now (``generic``: by create/update, which may leave
        ``lastTimestamp`` as it was)."""
        now = self._clock.now
        if generic:
            self._written[key] = now
        second = math.ceil(now + EVENT_TTL_SECONDS)
        self._due.setdefault(second, []).append(key)
        if self._timer is None:
            self._timer = self._clock.call_at(second, self._expire, recurring=True)

    def _expire(self) -> None:
        self._timer = None
        now = self._clock.now
        while self._due:
            second = next(iter(self._due))
            if second > now:
                self._timer = self._clock.call_at(second, self._expire, recurring=True)
                return
            for key in self._due.pop(second):
                ev = self._get(key)
                if ev is None:
                    self._written.pop(key, None)
                    continue
                last = self._written.get(key)
                if last is None:
                    stamp = ev.get("lastTimestamp") or ev["metadata"].get("creationTimestamp")
                    last = parse_time(stamp) if stamp else now
                if last + EVENT_TTL_SECONDS <= now:
                    self._written.pop(key, None)
                    self._remove(key, ev)
