"""The simulated clock that drives every component.

Kubernetes components act on wall-clock time (heartbeats every 10 s, back-offs, CronJob
schedules). The model replaces the wall clock with one simulated clock per cluster: timers are
kept in a heap and :meth:`Clock.run_until` jumps from one due timer to the next, so a simulated
day takes moments and every run is identical.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "Timer", "parse_time", "rfc3339"]


@functools.lru_cache(maxsize=4096)
def _rfc3339(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339(t: float) -> str:
    """Format Unix seconds as Kubernetes does in metadata: RFC 3339, UTC, second precision."""
    return _rfc3339(int(t))


def parse_time(value: str | datetime | float | int) -> float:
    """Parse an RFC 3339 string (or a datetime, or Unix seconds) into Unix seconds."""
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


class Timer:
    """A callback due at a simulated instant; ``recurring`` marks background work."""

    __slots__ = ("when", "seq", "fn", "recurring", "cancelled")

    def __init__(self, when: float, seq: int, fn: Callable[[], None], recurring: bool) -> None:
        self.when = when
        self.seq = seq
        self.fn = fn
        self.recurring = recurring
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def __lt__(self, other: Timer) -> bool:
        return (self.when, self.seq) < (other.when, other.seq)


class Clock:
    """Simulated time in Unix seconds with a heap of timers.

    ``recurring=True`` timers (heartbeats, cron schedules, restart back-offs, the sleeps of
    processes that loop forever) are fired when time passes them but do not count as
    "work left" for :meth:`next_work`.
    """

    def __init__(self, start: float) -> None:
        self.now = float(start)
        self._work: list[Timer] = []  # timers settle() waits for
        self._background: list[Timer] = []  # recurring timers it does not wait for
        self._seq = itertools.count()

    def rfc3339(self, t: float | None = None) -> str:
        return rfc3339(self.now if t is None else t)

    def call_at(self, when: float, fn: Callable[[], None], *, recurring: bool = False) -> Timer:
        timer = Timer(max(when, self.now), next(self._seq), fn, recurring)
        heapq.heappush(self._background if recurring else self._work, timer)
        return timer

    def call_later(
        self, delay: float, fn: Callable[[], None], *, recurring: bool = False
    ) -> Timer:
        return self.call_at(self.now + delay, fn, recurring=recurring)

    @staticmethod
    def _top(heap: list[Timer]) -> Timer | None:
        while heap and heap[0].cancelled:
            heapq.heappop(heap)
        return heap[0] if heap else None

    def next_due(self, *, work_only: bool = False) -> float | None:
        """The instant of the next live timer (only non-recurring ones with ``work_only``)."""
        work = self._top(self._work)
        if work_only:
            return work.when if work else None
        bg = self._top(self._background)
        times = [t.when for t in (work, bg) if t is not None]
        return min(times) if times else None

    def pop_due(self, until: float) -> Timer | None:
        """Remove and return the next live timer due at or before ``until``, moving time to it."""
        work, bg = self._top(self._work), self._top(self._background)
        best = min((t for t in (work, bg) if t is not None), default=None)
        if best is None or best.when > until:
            return None
        heapq.heappop(self._work if best is work else self._background)
        self.now = max(self.now, best.when)
        return best
