"""The scheduling queue: which pending pod is tried next, and when failed ones come back.

kube-scheduler's ``PriorityQueue`` (``pkg/scheduler/backend/queue/scheduling_queue.go``) keeps
three places for pods it has not placed yet:

- **activeQ**, ordered by the PrioritySort plugin: higher ``spec.priority`` first, then the pod
  that entered the queue earlier;
- **backoffQ**, for pods that failed and wait out a back-off before the next try: 1 s after
  the first failure, doubling per attempt, at most 10 s (``podInitialBackoffSeconds``,
  ``podMaxBackoffSeconds``);
- **unschedulablePods**, where a pod that fitted no node waits for a cluster event that might
  change the answer (a node added or changed, a pod deleted). Each plugin that rejected it names
  the events it cares about (``EventsToRegister``); a matching event moves the pod to
  backoffQ, or straight to activeQ if its back-off is already over. A pod left there for
  5 minutes is retried anyway (``podMaxInUnschedulablePodsDuration``).

Pods with ``spec.schedulingGates`` are held back entirely until the gates are removed
(the SchedulingGates PreEnqueue plugin).

The queue plugs into :meth:`k8snb.cluster.Cluster.register_queue`: ``len(queue)`` is the
size of activeQ and ``queue.pop()`` hands out the next pod key.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8snb.clock import Clock, Timer

__all__ = ["QueuedPod", "SchedulingQueue", "backoff_duration"]

INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 10.0
MAX_IN_UNSCHEDULABLE = 300.0

Obj = dict[str, Any]


def backoff_duration(attempts: int) -> float:
    """``calculateBackoffDuration``: 1 s, 2 s, 4 s, 8 s, then 10 s."""
    d = INITIAL_BACKOFF
    for _ in range(1, attempts):
        if d > MAX_BACKOFF - d:
            return MAX_BACKOFF
        d += d
    return d


class QueuedPod:
    """``QueuedPodInfo``: a pod plus its queue bookkeeping."""

    __slots__ = (
        "key",
        "pod",
        "timestamp",
        "attempts",
        "initial_attempt",
        "unschedulable_plugins",
        "where",
        "timer",
        "backoff_at",
    )

    def __init__(self, key: str, pod: Obj, now: float) -> None:
        self.key = key
        self.pod = pod
        self.timestamp = now  # when it (re-)entered the queue: PrioritySort's tie-breaker
        self.attempts = 0
        self.initial_attempt: float | None = None
        self.unschedulable_plugins: frozenset[str] = frozenset()
        self.where = ""  # "active", "backoff", "unschedulable", "gated", "" (in flight)
        self.timer: Timer | None = None
        self.backoff_at = 0.0

    @property
    def priority(self) -> int:
        return int((self.pod.get("spec") or {}).get("priority") or 0)

    def backoff_until(self) -> float:
        return self.timestamp + backoff_duration(self.attempts)


def _gated(pod: Obj) -> bool:
    return bool((pod.get("spec") or {}).get("schedulingGates"))


class SchedulingQueue:
    """activeQ + backoffQ + unschedulable pods, over a simulated clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._pods: dict[str, QueuedPod] = {}
        self._heap: list[tuple[int, float, int, str]] = []
        self._active = 0
        self._seq = itertools.count()
        self._backoff: list[tuple[float, int, QueuedPod]] = []
        self._waiting: dict[str, QueuedPod] = {}  # the unschedulable pool
        self._backoff_timer: Timer | None = None

    # -- the WorkQueue face Cluster.run_pending uses --------------------------------------

    def __len__(self) -> int:
        return self._active

    def pop(self) -> str:
        """The next pod key from activeQ (highest priority, then oldest); it is now in flight."""
        while True:
            _, _, _, key = heapq.heappop(self._heap)
            qp = self._pods.get(key)
            if qp is not None and qp.where == "active":
                qp.where = ""
                self._active -= 1
                return key

    # -- bookkeeping -----------------------------------------------------------------------

    def get(self, key: str) -> QueuedPod | None:
        return self._pods.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._pods

    def counts(self) -> dict[str, int]:
        """How many pods sit in each part of the queue."""
        out = {
            "active": self._active,
            "backoff": 0,
            "unschedulable": len(self._waiting),
            "gated": 0,
        }
        for qp in self._pods.values():
            if qp.where in ("backoff", "gated"):
                out[qp.where] += 1
        return out

    def _leave(self, qp: QueuedPod) -> None:
        if qp.timer is not None:
            qp.timer.cancel()
            qp.timer = None
        if qp.where == "active":
            self._active -= 1
        elif qp.where == "unschedulable":
            self._waiting.pop(qp.key, None)
        qp.where = ""

    def _to_active(self, qp: QueuedPod) -> None:
        self._leave(qp)
        qp.where = "active"
        self._active += 1
        heapq.heappush(self._heap, (-qp.priority, qp.timestamp, next(self._seq), qp.key))

    def _to_backoff_or_active(self, qp: QueuedPod) -> None:
        until = qp.backoff_until()
        if qp.attempts and until > self.clock.now:
            self._leave(qp)
            qp.where = "backoff"
            qp.backoff_at = until
            heapq.heappush(self._backoff, (until, next(self._seq), qp))
            self._arm()
        else:
            self._to_active(qp)

    def _arm(self) -> None:
        """One timer at the earliest back-off expiry; it releases every pod due by then."""
        while self._backoff and not self._live(self._backoff[0]):
            heapq.heappop(self._backoff)
        if not self._backoff:
            return
        when = self._backoff[0][0]
        if self._backoff_timer is not None and not self._backoff_timer.cancelled:
            if self._backoff_timer.when <= when:
                return
            self._backoff_timer.cancel()
        self._backoff_timer = self.clock.call_at(when, self._flush_backoff)

    def _live(self, entry: tuple[float, int, QueuedPod]) -> bool:
        qp = entry[2]
        return qp.where == "backoff" and qp.backoff_at == entry[0] and self._pods.get(qp.key) is qp

    def _flush_backoff(self) -> None:
        """``flushBackoffQCompleted``: all pods whose back-off is over go to activeQ together,
        so activeQ's priority order decides among them."""
        self._backoff_timer = None
        now = self.clock.now
        while self._backoff and self._backoff[0][0] <= now:
            entry = heapq.heappop(self._backoff)
            if self._live(entry):
                self._to_active(entry[2])
        self._arm()

    # -- pod events ------------------------------------------------------------------------

    def add(self, key: str, pod: Obj) -> None:
        """A new pending pod: straight to activeQ (or held if it has scheduling gates)."""
        qp = self._pods.get(key)
        if qp is not None:
            self.update(key, pod)
            return
        qp = self._pods[key] = QueuedPod(key, pod, self.clock.now)
        if _gated(pod):
            qp.where = "gated"
        else:
            self._to_active(qp)

    def update(self, key: str, pod: Obj) -> None:
        """A pending pod changed. A spec or label change gets a gated/unschedulable pod retried."""
        qp = self._pods.get(key)
        if qp is None:
            self.add(key, pod)
            return
        old, qp.pod = qp.pod, pod
        if qp.where == "gated":
            if not _gated(pod):
                self._to_active(qp)
        elif qp.where == "unschedulable" and _pod_updated(old, pod):
            self._to_backoff_or_active(qp)

    def delete(self, key: str) -> None:
        qp = self._pods.pop(key, None)
        if qp is not None:
            self._leave(qp)

    def done(self, key: str) -> None:
        """The pod was bound (or left): forget it."""
        self.delete(key)

    def add_unschedulable(self, key: str, plugins: Iterable[str]) -> None:
        """``AddUnschedulableIfNotPresent``: the cycle found no node; park the pod."""
        qp = self._pods.get(key)
        if qp is None:
            return
        self._leave(qp)
        qp.timestamp = self.clock.now
        qp.unschedulable_plugins = frozenset(plugins)
        qp.where = "unschedulable"
        self._waiting[key] = qp
        # podMaxInUnschedulablePodsDuration: retry after 5 minutes even without an event.
        # Background work (recurring): settle() does not wait for it.
        qp.timer = self.clock.call_later(
            MAX_IN_UNSCHEDULABLE, lambda: self._leftover(qp), recurring=True
        )

    def add_backoff(self, key: str) -> None:
        """A cycle failed with an error (not "no node fits"): retry after the back-off."""
        qp = self._pods.get(key)
        if qp is None:
            return
        qp.timestamp = self.clock.now
        self._to_backoff_or_active(qp)

    def _leftover(self, qp: QueuedPod) -> None:
        if self._pods.get(qp.key) is qp and qp.where == "unschedulable":
            qp.timer = None
            self._to_backoff_or_active(qp)

    def move_unschedulable(self, plugins: Iterable[str] | None = None) -> int:
        """``MoveAllToActiveOrBackoffQueue``: a cluster event; retry the pods it may help.

        ``plugins``: the plugins interested in this event; a pod moves if one of them rejected
        it (or if nothing was recorded). None moves every waiting pod. Returns how many moved.
        """
        wanted = None if plugins is None else set(plugins)
        moved = 0
        for qp in list(self._waiting.values()):
            if wanted is None or not qp.unschedulable_plugins or wanted & qp.unschedulable_plugins:
                self._to_backoff_or_active(qp)
                moved += 1
        return moved


def _pod_updated(old: Obj, new: Obj) -> bool:
    """``isPodUpdated``: anything but status (and bookkeeping metadata) changed."""

    def strip(p: Obj) -> tuple:
        meta = {
            k: v
            for k, v in (p.get("metadata") or {}).items()
            if k not in ("resourceVersion", "generation", "managedFields")
        }
        return (meta, p.get("spec"))

    return strip(old) != strip(new)
