"""The CronJob controller: create a Job at every scheduled time.

A port of ``pkg/controller/cronjob/cronjob_controllerv2.go`` and ``utils.go``. On every
change, and at the next scheduled time, ``sync`` looks at the CronJob and its Jobs:

* Jobs that finished leave ``status.active`` (``SawCompletedJob``); the newest completion
  becomes ``status.lastSuccessfulTime``; finished Jobs beyond the history limits (3 successful,
  1 failed by default) are deleted oldest first (``SuccessfulDelete``);
* unless ``suspend`` is set, the most recent scheduled time that was missed since
  ``status.lastScheduleTime`` (or the creation time) is started, never a backlog; more than 100
  missed times is a ``TooManyMissedTimes`` warning; a time older than
  ``startingDeadlineSeconds`` is skipped (``MissSchedule``);
* ``concurrencyPolicy``: ``Allow`` runs Jobs side by side, ``Forbid`` skips a run while one is
  active (``JobAlreadyActive``), ``Replace`` deletes the active Jobs first;
* the Job is named ``<cronjob>-<scheduled time in Unix minutes>`` (so a slot is never run
  twice), owned by the CronJob, annotated ``batch.kubernetes.io/cronjob-scheduled-timestamp``.

Then the key is queued again for the next scheduled time (plus 100 ms, as upstream): one clock
timer per CronJob, ``recurring=True`` so that ``Cluster.settle()`` does not wait for schedules.
Schedules are robfig/cron v3 (:mod:`k8snb.controllers.cron`), in ``spec.timeZone`` or UTC.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.clock import parse_time
from k8snb.controllers.cron import CronError, Schedule, load_location, parse_standard
from k8snb.controllers.podcontrol import (
    CONTROLLER_UID_INDEX,
    controller_ref,
    controller_uid_index,
    ensure_index,
    get_controller_of,
)
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["CronJobController", "next_schedule_times", "job_name_for", "SCHEDULED_TIMESTAMP"]

Obj = dict[str, Any]
Key = tuple[str, str]

COMPONENT = "cronjob-controller"
SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp"
NEXT_SCHEDULE_DELTA = 0.1  # seconds after the scheduled time the controller wakes up
MANY_MISSED = 100

# Event reasons and messages, word for word.
SUCCESSFUL_CREATE = "SuccessfulCreate"
SUCCESSFUL_CREATE_MESSAGE = "Created job {name}"
FAILED_CREATE = "FailedCreate"
FAILED_CREATE_MESSAGE = "Error creating job: {error}"
SAW_COMPLETED_JOB = "SawCompletedJob"
SAW_COMPLETED_JOB_MESSAGE = "Saw completed job: {name}, condition: {condition}"
SUCCESSFUL_DELETE = "SuccessfulDelete"
SUCCESSFUL_DELETE_MESSAGE = "Deleted job {name}"
FAILED_DELETE = "FailedDelete"
MISS_SCHEDULE = "MissSchedule"
MISS_SCHEDULE_MESSAGE = "Missed scheduled time to start a job: {time}"
JOB_ALREADY_ACTIVE = "JobAlreadyActive"
JOB_ALREADY_ACTIVE_MESSAGE = ("Not starting job because prior execution is running and "
                              "concurrency policy is Forbid")
TOO_MANY_MISSED = "TooManyMissedTimes"
TOO_MANY_MISSED_MESSAGE = ("too many missed start times. Set or decrease "
                           ".spec.startingDeadlineSeconds or check clock skew")
UNEXPECTED_JOB = "UnexpectedJob"
UNEXPECTED_JOB_MESSAGE = "Saw a job that the controller did not create or forgot: {name}"
MISSING_JOB = "MissingJob"
MISSING_JOB_MESSAGE = "Active job went missing: {name}"
UNPARSEABLE_SCHEDULE = "UnparseableSchedule"
INVALID_SCHEDULE = "InvalidSchedule"
UNKNOWN_TIME_ZONE = "UnknownTimeZone"


def _schedule(cj: Obj) -> Schedule:
    """``cron.ParseStandard(formatSchedule(cj))``: ``TZ=<timeZone>`` prefixed when set."""
    spec = cj["spec"]
    return _parse(spec.get("schedule", ""), spec.get("timeZone"))


@functools.lru_cache(maxsize=1024)
def _parse(text: str, zone: str | None) -> Schedule:
    """Schedules are immutable values: parse each (schedule, timeZone) once."""
    if "TZ" not in text and zone is not None:
        try:
            load_location(zone)
            text = f"TZ={zone} {text}"
        except CronError:
            pass
    return parse_standard(text)


@functools.lru_cache(maxsize=4096)
def _next(sched: Schedule, t: datetime) -> datetime | None:
    """``sched.Next(t)``, memoised: every sync within a minute asks the same questions."""
    return sched.next(t)


def _dt(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def job_name_for(cj: Obj, scheduled: datetime) -> str:
    """``getJobName``: ``<cronjob>-<scheduled time in Unix minutes>``."""
    return f"{cj['metadata']['name']}-{int(scheduled.timestamp()) // 60}"


def next_schedule_times(cronjob: Obj, n: int, after: datetime | float) -> list[datetime]:
    """The next ``n`` times ``cronjob`` is scheduled after ``after`` (UTC datetimes; fewer when
    the schedule stops, e.g. February 30th). For timelines."""
    if not isinstance(after, datetime):
        after = _dt(after)
    if after.tzinfo is None:
        after = after.replace(tzinfo=UTC)
    sched = _schedule(cronjob)
    out: list[datetime] = []
    t: datetime | None = after
    while len(out) < n:
        t = sched.next(t)
        if t is None:
            break
        out.append(t.astimezone(UTC))
    return out


def _most_recent_schedule_time(cj: Obj, now: datetime, sched: Schedule,
                               include_deadline: bool) -> tuple[datetime, datetime | None,
                                                                 int, str | None]:
    """``mostRecentScheduleTime``: (earliest time looked at, most recent missed time or None,
    how many were missed (0, 1..100 or more), error)."""
    status = cj.get("status") or {}
    earliest = _dt(parse_time(status.get("lastScheduleTime")
                              or cj["metadata"]["creationTimestamp"]))
    deadline = cj["spec"].get("startingDeadlineSeconds")
    if include_deadline and deadline is not None:
        scheduling_deadline = _dt(now.timestamp() - deadline)
        if scheduling_deadline > earliest:
            earliest = scheduling_deadline
    t1 = _next(sched, earliest)
    t2 = _next(sched, t1) if t1 is not None else None
    if t1 is not None and now < t1:
        return earliest, None, 0, None
    if t2 is not None and now < t2:
        return earliest, t1, 0, None
    if t1 is None or t2 is None or round((t2 - t1).total_seconds()) < 1:
        return earliest, None, 0, "time difference between two schedules is less than 1 second"
    between = round((t2 - t1).total_seconds())
    elapsed = int((now - t1).total_seconds())
    missed = elapsed // between + 1
    # Start one interval before the estimate and let the schedule find the exact times.
    t: datetime | None = _next(sched, _dt(t1.timestamp() + (missed - 2) * between))
    most_recent = None
    while t is not None and t <= now:
        most_recent = t
        t = _next(sched, t)
    return earliest, most_recent, missed, None


def _next_schedule_delay(cj: Obj, now: datetime, sched: Schedule) -> float | None:
    """``nextScheduleTimeDuration``: seconds until the controller should look again."""
    earliest, most_recent, missed, err = _most_recent_schedule_time(cj, now, sched, False)
    base = most_recent
    if err is not None:
        base = now
    elif base is None:
        base = earliest if missed == 0 else now
    nxt = _next(sched, base)
    if nxt is None:
        return None
    return nxt.timestamp() + NEXT_SCHEDULE_DELTA - now.timestamp()


def _job_start_key(job: Obj) -> tuple[Any, ...]:
    """``byJobStartTime``: oldest start first, Jobs without a start last, then by name."""
    start = (job.get("status") or {}).get("startTime")
    return (start is None, parse_time(start) if start else 0.0, job["metadata"]["name"])


def _finished_type(job: Obj) -> str | None:
    for c in (job.get("status") or {}).get("conditions") or ():
        if c.get("type") in ("Complete", "Failed") and c.get("status") == "True":
            return c["type"]
    return None


class CronJobController:
    """``ControllerV2``: one reconcile per CronJob key, requeued for its next scheduled time."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.cronjobs = cluster.informers.informer("cronjobs")
        self.jobs = cluster.informers.informer("jobs")
        ensure_index(self.jobs, CONTROLLER_UID_INDEX, controller_uid_index)
        self.queue = cluster.new_queue("cronjob", self.sync)
        self.cronjobs.add_handler(self._enqueue, self._cronjob_updated,
                                  lambda cj: self.queue.forget(self._key(cj)))
        self.jobs.add_handler(self._job_changed, lambda old, new: self._job_changed(new),
                              self._job_changed)

    # -- event handlers ------------------------------------------------------------------------

    @staticmethod
    def _key(obj: Obj) -> Key:
        return obj["metadata"].get("namespace", ""), obj["metadata"]["name"]

    def _enqueue(self, cj: Obj) -> None:
        self.queue.add(self._key(cj))

    def _cronjob_updated(self, old: Obj, new: Obj) -> None:
        if (old["spec"].get("schedule") != new["spec"].get("schedule")
                or old["spec"].get("timeZone") != new["spec"].get("timeZone")):
            try:
                sched = _schedule(new)
            except CronError:
                return
            delay = _next_schedule_delay(new, _dt(self.clock.now), sched)
            if delay is not None:
                self.queue.add_after(self._key(new), delay, recurring=True)
            return
        self._enqueue(new)

    def _job_changed(self, job: Obj) -> None:
        ref = get_controller_of(job)
        if ref is None or ref.get("kind") != "CronJob":
            return
        cj = self.cronjobs.get(job["metadata"].get("namespace", ""), ref.get("name", ""))
        if cj is not None and cj["metadata"].get("uid") == ref.get("uid"):
            self._enqueue(cj)

    # -- sync ----------------------------------------------------------------------------------

    def sync(self, key: Key) -> None:
        """Reconcile one CronJob, write its status if it changed, requeue for the next time."""
        shared = self.cronjobs.get(*key)
        if shared is None:
            return
        jobs = sorted(self.jobs.by_index(CONTROLLER_UID_INDEX, shared["metadata"]["uid"]),
                      key=lambda j: j["metadata"]["name"])
        status = dict(shared.get("status") or {})  # shallow: only "active" is changed, and
        status["active"] = list(status.get("active") or [])  # its refs are replaced whole
        cj = {**shared, "status": status}
        requeue, update = self._sync_cronjob(cj, jobs)
        if self._cleanup_finished_jobs(cj, jobs):
            update = True
        if update:
            status = cj["status"]
            if not status.get("active"):
                status.pop("active", None)
            try:
                self.api.update_status(cj, owned=True)
            except StatusError as e:
                if e.reason not in ("NotFound", "Conflict"):
                    raise
                self.queue.add(key)
        if requeue is not None:
            self.queue.add_after(key, requeue, recurring=True)

    def _event(self, cj: Obj, type_: str, reason: str, message: str) -> None:
        self.api.record_event(cj, type_, reason, message, COMPONENT)

    def _sync_cronjob(self, cj: Obj, jobs: list[Obj]) -> tuple[float | None, bool]:
        """``syncCronJob``: returns (seconds until the next look, whether status changed)."""
        now = _dt(self.clock.now)
        status = cj["status"]
        update = False
        active = status.setdefault("active", [])
        children = set()
        for job in jobs:
            uid = job["metadata"]["uid"]
            children.add(uid)
            listed = any(r.get("uid") == uid for r in active)
            finished = _finished_type(job)
            if not listed and finished is None:
                self._event(cj, "Warning", UNEXPECTED_JOB,
                            UNEXPECTED_JOB_MESSAGE.format(name=job["metadata"]["name"]))
            elif listed and finished is not None:
                active[:] = [r for r in active if r.get("uid") != uid]
                self._event(cj, "Normal", SAW_COMPLETED_JOB, SAW_COMPLETED_JOB_MESSAGE.format(
                    name=job["metadata"]["name"], condition=finished))
                update = True
            elif finished == "Complete":
                done = (job.get("status") or {}).get("completionTime")
                last = status.get("lastSuccessfulTime")
                if done and (last is None or parse_time(done) > parse_time(last)):
                    status["lastSuccessfulTime"] = done
                    update = True
        for ref in list(active):
            if ref.get("uid") in children:
                continue
            try:
                self.api.get_shared("jobs", ref.get("name", ""), ref.get("namespace"))
            except StatusError as e:
                if e.reason != "NotFound":
                    raise
                self._event(cj, "Normal", MISSING_JOB,
                            MISSING_JOB_MESSAGE.format(name=ref.get("name", "")))
                active.remove(ref)
                update = True
        if cj["metadata"].get("deletionTimestamp"):
            return None, update
        spec = cj["spec"]
        if spec.get("timeZone") is not None:
            try:
                load_location(spec["timeZone"])
            except CronError:
                self._event(cj, "Warning", UNKNOWN_TIME_ZONE,
                            f'invalid timeZone: "{spec["timeZone"]}": unknown time zone '
                            f'{spec["timeZone"]}')
                return None, update
        if spec.get("suspend"):
            return None, update
        try:
            sched = _schedule(cj)
        except CronError as e:
            self._event(cj, "Warning", UNPARSEABLE_SCHEDULE,
                        f'unparseable schedule: "{spec.get("schedule", "")}" : {e}')
            return None, update

        _, scheduled, missed, err = _most_recent_schedule_time(cj, now, sched, True)
        if err is not None:
            self._event(cj, "Warning", INVALID_SCHEDULE,
                        f"invalid schedule: {spec.get('schedule', '')} : {err}")
            return None, update
        if scheduled is None or scheduled > now:
            return _next_schedule_delay(cj, now, sched), update
        if missed > MANY_MISSED:
            self._event(cj, "Warning", TOO_MANY_MISSED, TOO_MANY_MISSED_MESSAGE)

        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None and scheduled.timestamp() + deadline < now.timestamp():
            self._event(cj, "Warning", MISS_SCHEDULE, MISS_SCHEDULE_MESSAGE.format(
                time=scheduled.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")))
            return _next_schedule_delay(cj, now, sched), update
        name = job_name_for(cj, scheduled)
        last = status.get("lastScheduleTime")
        if any(r.get("name") == name for r in active) or (
                last is not None and parse_time(last) == scheduled.timestamp()):
            return _next_schedule_delay(cj, now, sched), update
        if spec.get("concurrencyPolicy") == "Forbid" and active:
            self._event(cj, "Normal", JOB_ALREADY_ACTIVE, JOB_ALREADY_ACTIVE_MESSAGE)
            return _next_schedule_delay(cj, now, sched), update
        if spec.get("concurrencyPolicy") == "Replace":
            for ref in list(active):
                job = self.jobs.get(ref.get("namespace", ""), ref.get("name", ""))
                if job is None:
                    continue
                if not self._delete_job(cj, job):
                    return None, update
                update = True

        job_req = self._job_from_template(cj, scheduled)
        try:
            created = self.api.create(job_req, cj["metadata"]["namespace"])
        except StatusError as e:
            if e.reason != "AlreadyExists":
                if "because it is being terminated" not in e.message:
                    self._event(cj, "Warning", FAILED_CREATE,
                                FAILED_CREATE_MESSAGE.format(error=e.message))
                return None, update
            created = self.jobs.get(cj["metadata"]["namespace"], name)
            if created is None:
                return None, update
            ref = get_controller_of(created)
            if ref is None or ref.get("uid") != cj["metadata"]["uid"]:
                return None, update
            if any(r.get("uid") == created["metadata"]["uid"] for r in active):
                return None, update
        else:
            self._event(cj, "Normal", SUCCESSFUL_CREATE,
                        SUCCESSFUL_CREATE_MESSAGE.format(name=created["metadata"]["name"]))
        active.append({"kind": "Job", "namespace": created["metadata"]["namespace"],
                       "name": created["metadata"]["name"], "uid": created["metadata"]["uid"],
                       "apiVersion": "batch/v1",
                       "resourceVersion": created["metadata"]["resourceVersion"]})
        status["lastScheduleTime"] = self.clock.rfc3339(scheduled.timestamp())
        return _next_schedule_delay(cj, now, sched), True

    @staticmethod
    def _job_from_template(cj: Obj, scheduled: datetime) -> Obj:
        """``getJobFromTemplate2``: labels, annotations and spec from the jobTemplate."""
        template = cj["spec"].get("jobTemplate") or {}
        tmeta = template.get("metadata") or {}
        zone = load_location(cj["spec"].get("timeZone") or "")
        local = scheduled.astimezone(zone)
        stamp = local.strftime("%Y-%m-%dT%H:%M:%S") + (
            "Z" if local.utcoffset().total_seconds() == 0 else local.strftime("%z")[:3] + ":"
            + local.strftime("%z")[3:])
        annotations = dict(tmeta.get("annotations") or {})
        annotations[SCHEDULED_TIMESTAMP] = stamp
        meta: Obj = {"name": job_name_for(cj, scheduled), "annotations": annotations,
                     "ownerReferences": [controller_ref(cj)]}
        if tmeta.get("labels"):
            meta["labels"] = dict(tmeta["labels"])
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
                "spec": jcopy(template.get("spec") or {})}

    def _delete_job(self, cj: Obj, job: Obj) -> bool:
        """``deleteJob``: delete with background propagation and drop it from active."""
        name = job["metadata"]["name"]
        try:
            self.api.delete("jobs", name, job["metadata"]["namespace"],
                            propagation_policy="Background")
        except StatusError as e:
            self._event(cj, "Warning", FAILED_DELETE, f"Deleted job: {e.message}")
            return False
        status = cj["status"]
        status["active"] = [r for r in status.get("active") or []
                            if r.get("uid") != job["metadata"]["uid"]]
        self._event(cj, "Normal", SUCCESSFUL_DELETE, SUCCESSFUL_DELETE_MESSAGE.format(name=name))
        return True

    def _cleanup_finished_jobs(self, cj: Obj, jobs: list[Obj]) -> bool:
        """``cleanupFinishedJobs``: keep the newest N successful and M failed Jobs."""
        spec = cj["spec"]
        ok_limit = spec.get("successfulJobsHistoryLimit")
        failed_limit = spec.get("failedJobsHistoryLimit")
        if ok_limit is None and failed_limit is None:
            return False
        succeeded: list[Obj] = []
        failed: list[Obj] = []
        for job in jobs:
            kind = _finished_type(job)
            if kind is not None and self.jobs.get(job["metadata"]["namespace"],
                                                  job["metadata"]["name"]) is job:
                (succeeded if kind == "Complete" else failed).append(job)
        update = False
        for group, limit in ((succeeded, ok_limit), (failed, failed_limit)):
            if limit is None or len(group) <= limit:
                continue
            group.sort(key=_job_start_key)
            for job in group[:len(group) - limit]:
                if self._delete_job(cj, job):
                    update = True
        return update
