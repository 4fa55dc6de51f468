"""The TTL-after-finished controller: delete finished Jobs once their time is up.

A Job with ``spec.ttlSecondsAfterFinished`` is deleted that many seconds after it finished
(the lastTransitionTime of its ``Complete`` or ``Failed`` condition), with background
propagation, so the garbage collector then deletes its pods
(``pkg/controller/ttlafterfinished/ttlafterfinished_controller.go``). Before deleting it
re-reads the Job from the API server, in case the TTL was changed or the Job restarted.

The wake-up is a background clock timer (``recurring=True``): ``settle()`` does not wait a
day for a Job whose TTL is a day; ``advance()`` gets there. The controller records no Events,
as upstream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.controllers.job import is_job_finished, job_finish_time

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["TTLAfterFinishedController"]

Obj = dict[str, Any]
Key = tuple[str, str]


def _needs_cleanup(job: Obj) -> bool:
    return (job["spec"].get("ttlSecondsAfterFinished") is not None
            and is_job_finished(job) and not job["metadata"].get("deletionTimestamp"))


class TTLAfterFinishedController:
    """Watches Jobs; deletes each finished one ``ttlSecondsAfterFinished`` after it finished."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.jobs = cluster.informers.informer("jobs")
        self.queue = cluster.new_queue("ttl-after-finished", self.process)
        self.jobs.add_handler(self._changed, lambda old, new: self._changed(new))

    def _changed(self, job: Obj) -> None:
        if _needs_cleanup(job):
            self.queue.add((job["metadata"].get("namespace", ""), job["metadata"]["name"]))

    def _expired_in(self, job: Obj) -> float | None:
        """Seconds until the Job expires (<= 0: expired), None when it needs no cleanup."""
        if not _needs_cleanup(job):
            return None
        finished = job_finish_time(job)
        if finished is None:
            return None
        return finished + job["spec"]["ttlSecondsAfterFinished"] - self.clock.now

    def process(self, key: Key) -> None:
        """``processJob``: requeue until expiry, re-check against the API, then delete."""
        job = self.jobs.get(*key)
        if job is None:
            return
        left = self._expired_in(job)
        if left is None:
            return
        if left > 0:
            self.queue.add_after(key, left, recurring=True)
            return
        try:  # the cache may be stale: ask the API server before deleting
            fresh = self.api.get_shared("jobs", key[1], key[0])
        except StatusError:
            return
        if fresh["metadata"]["uid"] != job["metadata"]["uid"]:
            return
        left = self._expired_in(fresh)
        if left is None:
            return
        if left > 0:
            self.queue.add_after(key, left, recurring=True)
            return
        try:
            self.api.delete("jobs", key[1], key[0], propagation_policy="Background")
        except StatusError as e:
            if e.reason != "NotFound":
                raise
