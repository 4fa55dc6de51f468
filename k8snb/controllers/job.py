"""The Job controller: run pods until enough of them succeed, or give up.

A Job asks for ``completions`` successful pods, at most ``parallelism`` at a time. The
controller (``pkg/controller/job/job_controller.go``, ``backoff_utils.go``,
``indexed_job_utils.go``) compares what runs with what is wanted on every change:

* running = min(parallelism, completions - succeeded) (with no completions: parallelism until
  a pod succeeds); pods are named ``<job>-<5 random>``, or ``<job>-<index>-<5 random>`` for
  ``completionMode: Indexed`` with the ``batch.kubernetes.io/job-completion-index`` annotation
  and label, hostname ``<job>-<index>`` and ``JOB_COMPLETION_INDEX`` in every container;
* every pod carries the finalizer ``batch.kubernetes.io/job-tracking``: a finished pod is
  first listed in ``status.uncountedTerminatedPods``, then its finalizer is removed, then it is
  counted in ``status.succeeded``/``failed`` (so a pod is never counted twice nor lost);
  finished pods stay, so their logs can be read;
* a failed pod is replaced after a back-off of 10 s doubling per failure since the last
  success, capped at 10 minutes (the modern ``MaxJobPodFailureBackOff``; the docs still say
  6 minutes); a deleted pod counts as failed (podReplacementPolicy ``TerminatingOrFailed``);
* more than ``backoffLimit`` failures (with ``restartPolicy: OnFailure``: container restarts
  reaching it) make the Job fail with ``BackoffLimitExceeded``; running longer than
  ``activeDeadlineSeconds`` with ``DeadlineExceeded``. As in v1.31+, the interim condition
  (``FailureTarget``, or ``SuccessCriteriaMet`` on success) comes first, and the terminal
  ``Failed``/``Complete`` only once no pod is left terminating;
* ``suspend: true`` deletes the running pods (condition ``Suspended``).

Simplifications (named): pod events sync the Job at once (upstream batches them for 1 s); no
podFailurePolicy, successPolicy, backoffLimitPerIndex, managedBy or orphan adoption.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.clock import parse_time
from k8snb.controllers.podcontrol import (
    CONTROLLER_UID_INDEX,
    PodControl,
    controller_ref,
    controller_uid_index,
    ensure_index,
    get_controller_of,
    is_pod_active,
    is_pod_ready,
    is_pod_terminating,
)
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = [
    "JobController", "JOB_TRACKING_FINALIZER", "JOB_COMPLETION_INDEX", "is_job_finished",
    "job_finish_time", "DEFAULT_BACKOFF", "MAX_BACKOFF",
]

Obj = dict[str, Any]
Key = tuple[str, str]

COMPONENT = "job-controller"
JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
JOB_COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"
COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX"
#: DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff (seconds).
DEFAULT_BACKOFF = 10.0
MAX_BACKOFF = 600.0
MAX_POD_CREATE_DELETE_PER_SYNC = 500

# Condition reasons and messages, word for word.
REASON_BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded"
MESSAGE_BACKOFF_LIMIT_EXCEEDED = "Job has reached the specified backoff limit"
REASON_DEADLINE_EXCEEDED = "DeadlineExceeded"
MESSAGE_DEADLINE_EXCEEDED = "Job was active longer than specified deadline"
REASON_COMPLETIONS_REACHED = "CompletionsReached"
MESSAGE_COMPLETIONS_REACHED = "Reached expected number of succeeded pods"
# Events.
EVENT_COMPLETED = "Completed"
MESSAGE_COMPLETED = "Job completed"
EVENT_TOO_MANY_SUCCEEDED = "TooManySucceededPods"
MESSAGE_TOO_MANY_SUCCEEDED = "Too many succeeded pods running after completion count reached"
EVENT_SUSPENDED, MESSAGE_SUSPENDED = "Suspended", "Job suspended"
EVENT_RESUMED, MESSAGE_RESUMED = "Resumed", "Job resumed"


# -- helpers ---------------------------------------------------------------------------------


def _conditions(job: Obj) -> list[Obj]:
    return (job.get("status") or {}).get("conditions") or []


def _find_condition(job: Obj, type_: str) -> Obj | None:
    return next((c for c in _conditions(job) if c.get("type") == type_), None)


def is_job_finished(job: Obj) -> bool:
    """A ``Complete`` or ``Failed`` condition with status True (``util.IsJobFinished``)."""
    return any(c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
               for c in _conditions(job))


def job_finish_time(job: Obj) -> float | None:
    """When the Job finished: its Complete/Failed condition's lastTransitionTime."""
    for c in _conditions(job):
        if c.get("type") in ("Complete", "Failed") and c.get("status") == "True":
            return parse_time(c["lastTransitionTime"]) if c.get("lastTransitionTime") else None
    return None


def _has_finalizer(pod: Obj) -> bool:
    return JOB_TRACKING_FINALIZER in (pod["metadata"].get("finalizers") or ())


def _phase(pod: Obj) -> str:
    return (pod.get("status") or {}).get("phase", "")


def _is_indexed(job: Obj) -> bool:
    return job["spec"].get("completionMode") == "Indexed"


def _only_replace_failed(job: Obj) -> bool:
    return (job["spec"].get("podReplacementPolicy") == "Failed"
            or job["spec"].get("podFailurePolicy") is not None)


def _is_pod_failed(pod: Obj, job: Obj) -> bool:
    """Failed, or (TerminatingOrFailed) being deleted before it succeeded."""
    if _phase(pod) == "Failed":
        return True
    if _only_replace_failed(job):
        return False
    return bool(pod["metadata"].get("deletionTimestamp")) and _phase(pod) != "Succeeded"


def _completion_index(pod: Obj) -> int | None:
    raw = (pod["metadata"].get("annotations") or {}).get(JOB_COMPLETION_INDEX)
    if raw is None or not raw.isdigit():
        return None
    return int(raw)


def _suspended(job: Obj) -> bool:
    return bool(job["spec"].get("suspend"))


def _finished_time(pod: Obj) -> float:
    """``getFinishedTime``: Ready=False time of a terminal pod, else its containers' last
    finishedAt, else deletionTimestamp minus grace, else its creation."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        for c in status.get("conditions") or ():
            if c.get("type") == "Ready" and c.get("status") == "False" and c.get(
                    "lastTransitionTime"):
                return parse_time(c["lastTransitionTime"])
    finished = [parse_time(s["state"]["terminated"]["finishedAt"])
                for s in status.get("containerStatuses") or ()
                if (s.get("state") or {}).get("terminated", {}).get("finishedAt")]
    if finished and len(finished) == len(status.get("containerStatuses") or ()):
        return max(finished)
    meta = pod["metadata"]
    if meta.get("deletionTimestamp"):
        return parse_time(meta["deletionTimestamp"]) - (meta.get("deletionGracePeriodSeconds")
                                                       or 0)
    return parse_time(meta["creationTimestamp"])


def _format_indexes(indexes: set[int]) -> str:
    """``orderedIntervals.String``: ``{0,1,2,4}`` -> ``"0-2,4"``."""
    out: list[str] = []
    run: list[int] = []
    for i in sorted(indexes):
        if run and i == run[-1] + 1:
            run.append(i)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [i]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ",".join(out)


def _parse_indexes(text: str | None, completions: int) -> set[int]:
    out: set[int] = set()
    for part in (text or "").split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        if lo.isdigit() and (not hi or hi.isdigit()):
            out.update(i for i in range(int(lo), int(hi or lo) + 1) if i < completions)
    return out


def _active_pod_order(pod: Obj) -> tuple[Any, ...]:
    """``controller.ActivePods``: delete unscheduled, pending, not-ready, young pods first."""
    status = pod.get("status") or {}
    restarts = sum(s.get("restartCount", 0) for s in status.get("containerStatuses") or ())
    return (bool(pod["spec"].get("nodeName")),
            {"Pending": 0, "Unknown": 1, "Running": 2}.get(status.get("phase", ""), 0),
            is_pod_ready(pod), -restarts,
            -parse_time(pod["metadata"]["creationTimestamp"]), pod["metadata"]["name"])


class _Backoff:
    """``backoffRecord``: failures since the last success and when the last one happened."""

    __slots__ = ("failures", "last_failure")

    def __init__(self, failures: int = 0, last_failure: float | None = None) -> None:
        self.failures = failures
        self.last_failure = last_failure

    def remaining(self, now: float) -> float:
        """``getRemainingTime``: 10 s doubling per failure, capped, minus time since."""
        if self.failures == 0 or self.last_failure is None:
            return 0.0
        delay = DEFAULT_BACKOFF
        for _ in range(1, self.failures):
            delay *= 2
            if delay >= MAX_BACKOFF:
                delay = MAX_BACKOFF
                break
        elapsed = now - self.last_failure
        return 0.0 if delay < elapsed else delay - elapsed


class _Ctx:
    """``syncJobCtx``: what one sync learned about a Job."""

    def __init__(self, job: Obj, pods: list[Obj]) -> None:
        self.job = job
        self.pods = pods
        self.active_pods = [p for p in pods if is_pod_active(p)]
        self.ready = sum(1 for p in self.active_pods if is_pod_ready(p))
        self.terminating = sum(1 for p in pods if is_pod_terminating(p))
        uncounted = job["status"]["uncountedTerminatedPods"]
        self.uncounted_succeeded = set(uncounted.get("succeeded") or ())
        self.uncounted_failed = set(uncounted.get("failed") or ())
        self.succeeded = 0
        self.failed = 0
        self.finished: Obj | None = None
        self.prev_indexes: set[int] = set()
        self.succeeded_indexes: set[int] = set()
        self.backoff = _Backoff()


class JobController:
    """Reconciles every Job with its pods (``job_controller.go`` ``syncJob``)."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.jobs = cluster.informers.informer("jobs")
        self.pods = cluster.informers.informer("pods")
        ensure_index(self.pods, CONTROLLER_UID_INDEX, controller_uid_index)
        self.pod_control = PodControl(self.api, COMPONENT)
        self.backoffs: dict[Key, _Backoff] = {}
        self.queue = cluster.new_queue("job", self.sync)
        self.orphan_queue = cluster.new_queue("job-orphan-pod", self.sync_orphan_pod)
        self.jobs.add_handler(self._enqueue, lambda old, new: self._enqueue(new),
                              self._job_deleted)
        self.pods.add_handler(self._pod_changed, lambda old, new: self._pod_changed(new),
                              self._pod_changed)

    # -- event handlers ------------------------------------------------------------------------

    def _enqueue(self, job: Obj) -> None:
        self.queue.add((job["metadata"].get("namespace", ""), job["metadata"]["name"]))

    def _job_deleted(self, job: Obj) -> None:
        key = (job["metadata"].get("namespace", ""), job["metadata"]["name"])
        self.backoffs.pop(key, None)
        self.queue.forget(key)
        for pod in self.pods.by_index(CONTROLLER_UID_INDEX, job["metadata"]["uid"]):
            if _has_finalizer(pod):
                self.orphan_queue.add((key[0], pod["metadata"]["name"]))

    def _owner_job(self, pod: Obj) -> Obj | None:
        ref = get_controller_of(pod)
        if ref is None or ref.get("kind") != "Job":
            return None
        job = self.jobs.get(pod["metadata"].get("namespace", ""), ref.get("name", ""))
        if job is None or job["metadata"].get("uid") != ref.get("uid"):
            return None
        return job

    def _pod_changed(self, pod: Obj) -> None:
        job = self._owner_job(pod)
        if job is not None:
            self._enqueue(job)
            if is_job_finished(job) and _has_finalizer(pod):
                self.orphan_queue.add((pod["metadata"]["namespace"], pod["metadata"]["name"]))
        elif _has_finalizer(pod):
            ref = get_controller_of(pod)
            if ref is None or (ref.get("kind") == "Job"
                               and ref.get("apiVersion") == "batch/v1"):
                self.orphan_queue.add((pod["metadata"]["namespace"], pod["metadata"]["name"]))

    # -- orphans -------------------------------------------------------------------------------

    def sync_orphan_pod(self, key: Key) -> None:
        """Remove the tracking finalizer from a pod whose Job is gone or finished."""
        pod = self.pods.get(*key)
        if pod is None or not _has_finalizer(pod):
            return
        ref = get_controller_of(pod)
        if ref is not None:
            if ref.get("kind") != "Job" or ref.get("apiVersion") != "batch/v1":
                return
            job = self._owner_job(pod)
            if job is not None and not is_job_finished(job):
                return
        self._remove_finalizer(pod)

    def _remove_finalizer(self, pod: Obj) -> bool:
        finalizers = [f for f in pod["metadata"].get("finalizers") or ()
                      if f != JOB_TRACKING_FINALIZER]
        meta = dict(pod["metadata"])
        if finalizers:
            meta["finalizers"] = finalizers
        else:
            meta.pop("finalizers", None)
        try:
            self.api.update({**pod, "metadata": meta}, owned=True)
        except StatusError as e:
            if e.reason == "NotFound":
                return True
            if e.reason == "Conflict":
                return False
            raise
        return True

    # -- sync ----------------------------------------------------------------------------------

    def sync(self, key: Key) -> None:
        """``syncJob``: one pass of compare-and-converge for the Job ``key``."""
        shared = self.jobs.get(*key)
        if shared is None:
            self.backoffs.pop(key, None)
            return
        if is_job_finished(shared):
            self.backoffs.pop(key, None)
            return
        job = {**shared, "status": jcopy(shared.get("status") or {})}
        status = job["status"]
        status.setdefault("uncountedTerminatedPods", {})
        now = self.clock.now
        pods = sorted(self.pods.by_index(CONTROLLER_UID_INDEX, shared["metadata"]["uid"]),
                      key=lambda p: p["metadata"]["name"])
        ctx = _Ctx(job, pods)
        active = len(ctx.active_pods)
        new_succeeded, new_failed = self._new_finished_pods(ctx)
        ctx.succeeded = (status.get("succeeded", 0) + len(new_succeeded)
                         + len(ctx.uncounted_succeeded))
        ctx.failed = status.get("failed", 0) + len(new_failed) + len(ctx.uncounted_failed)
        # Job first start: startTime, unless the Job is created suspended.
        if not status.get("startTime") and not _suspended(job):
            status["startTime"] = self.clock.rfc3339()
        ctx.backoff = self._new_backoff(key, new_succeeded, new_failed)

        spec = job["spec"]
        exceeds_backoff = ctx.failed > spec.get("backoffLimit", 6)
        met = _find_condition(job, "SuccessCriteriaMet")
        ctx.finished = met if met is not None and met.get("status") == "True" else None
        if ctx.finished is None:
            target = _find_condition(job, "FailureTarget")
            if target is not None and target.get("status") == "True":
                ctx.finished = self._condition("Failed", target.get("reason", ""),
                                               target.get("message", ""))
        if ctx.finished is None:
            if exceeds_backoff or self._past_backoff_limit_on_failure(job, pods):
                ctx.finished = self._condition("FailureTarget", REASON_BACKOFF_LIMIT_EXCEEDED,
                                               MESSAGE_BACKOFF_LIMIT_EXCEEDED)
            elif self._past_active_deadline(job):
                ctx.finished = self._condition("FailureTarget", REASON_DEADLINE_EXCEEDED,
                                               MESSAGE_DEADLINE_EXCEEDED)
            elif spec.get("activeDeadlineSeconds") is not None and not _suspended(job):
                left = spec["activeDeadlineSeconds"] - (now - parse_time(status["startTime"]))
                self.queue.add_after(key, max(left, 0.0))
        if _is_indexed(job):
            completions = spec.get("completions") or 0
            ctx.prev_indexes = _parse_indexes(status.get("completedIndexes"), completions)
            ctx.succeeded_indexes = ctx.prev_indexes | {
                ix for p in pods if _phase(p) == "Succeeded"
                and (ix := _completion_index(p)) is not None and ix < completions}
            ctx.succeeded = len(ctx.succeeded_indexes)

        suspend_changed = False
        if ctx.finished is not None:
            # The Job is done for: stop whatever still runs.
            deleted, deleted_ready = self._delete_pods(job, ctx.active_pods, keep_finalizer=True)
            if deleted != active:
                ctx.finished = None
            active -= deleted
            ctx.terminating += deleted
            ctx.ready -= deleted_ready
        else:
            managed = False
            if not shared["metadata"].get("deletionTimestamp"):
                active = self._manage(key, job, ctx)
                managed = True
            if spec.get("completions") is None:
                complete = ctx.succeeded > 0 and active == 0
            else:
                complete = ctx.succeeded >= spec["completions"] and active == 0
            if complete:
                ctx.finished = self._condition("SuccessCriteriaMet", REASON_COMPLETIONS_REACHED,
                                               MESSAGE_COMPLETIONS_REACHED)
            elif managed:
                if _suspended(job):
                    if self._ensure_condition(job, "Suspended", "True", "JobSuspended",
                                              MESSAGE_SUSPENDED):
                        suspend_changed = True
                        self._event(shared, "Normal", EVENT_SUSPENDED, MESSAGE_SUSPENDED)
                elif self._ensure_condition(job, "Suspended", "False", "JobResumed",
                                            MESSAGE_RESUMED):
                    suspend_changed = True
                    self._event(shared, "Normal", EVENT_RESUMED, MESSAGE_RESUMED)
                    status["startTime"] = self.clock.rfc3339()

        needs_update = (suspend_changed or active != status.get("active", 0)
                        or ctx.ready != status.get("ready")
                        or ctx.terminating != status.get("terminating"))
        status["active"] = active
        status["ready"] = ctx.ready
        status["terminating"] = ctx.terminating
        self._track_status_and_remove_finalizers(key, ctx, needs_update)

    def _new_finished_pods(self, ctx: _Ctx) -> tuple[list[Obj], list[Obj]]:
        """Finished pods not yet in the Job's counters (they still carry the finalizer)."""
        job = ctx.job
        completions = job["spec"].get("completions") or 0
        succeeded, failed = [], []
        for p in ctx.pods:
            uid = p["metadata"]["uid"]
            if not _has_finalizer(p):
                continue
            if _is_indexed(job):
                ix = _completion_index(p)
                if ix is None or ix >= completions:
                    continue
            if _phase(p) == "Succeeded" and uid not in ctx.uncounted_succeeded:
                succeeded.append(p)
            elif _is_pod_failed(p, job) and uid not in ctx.uncounted_failed:
                failed.append(p)
        return succeeded, failed

    def _new_backoff(self, key: Key, succeeded: list[Obj], failed: list[Obj]) -> _Backoff:
        """``newBackoffRecord``: failures after the last success, and the last failure time."""
        old = self.backoffs.get(key) or _Backoff()
        rec = _Backoff(old.failures, old.last_failure)
        failed_times = sorted(_finished_time(p) for p in failed)
        if not succeeded:
            if failed_times:
                rec.failures += len(failed_times)
                rec.last_failure = failed_times[-1]
            return rec
        rec.failures, rec.last_failure = 0, None
        last_success = max(_finished_time(p) for p in succeeded)
        for t in reversed(failed_times):
            if t <= last_success:
                break
            if rec.last_failure is None:
                rec.last_failure = t
            rec.failures += 1
        return rec

    @staticmethod
    def _past_backoff_limit_on_failure(job: Obj, pods: list[Obj]) -> bool:
        """With restartPolicy OnFailure, container restarts count toward backoffLimit."""
        if job["spec"]["template"]["spec"].get("restartPolicy") != "OnFailure":
            return False
        restarts = 0
        for p in pods:
            if _phase(p) in ("Running", "Pending"):
                status = p.get("status") or {}
                for s in (status.get("initContainerStatuses") or []) + (
                        status.get("containerStatuses") or []):
                    restarts += s.get("restartCount", 0)
        limit = job["spec"].get("backoffLimit", 6)
        return restarts > 0 if limit == 0 else restarts >= limit

    def _past_active_deadline(self, job: Obj) -> bool:
        ads = job["spec"].get("activeDeadlineSeconds")
        start = job["status"].get("startTime")
        if ads is None or not start or _suspended(job):
            return False
        return self.clock.now - parse_time(start) >= ads

    # -- manageJob -----------------------------------------------------------------------------

    def _manage(self, key: Key, job: Obj, ctx: _Ctx) -> int:
        """``manageJob``: create or delete pods so that the right number runs."""
        active = len(ctx.active_pods)
        spec = job["spec"]
        parallelism = spec.get("parallelism", 1)
        if _suspended(job):
            removed, removed_ready = self._delete_pods(job, sorted(ctx.active_pods,
                                                                   key=_active_pod_order))
            ctx.terminating += removed
            ctx.ready -= removed_ready
            return active - removed
        if spec.get("completions") is None:
            want = active if ctx.succeeded > 0 else parallelism
        else:
            want = max(min(spec["completions"] - ctx.succeeded, parallelism), 0)
        to_delete = self._pods_for_removal(job, ctx.active_pods, max(active - want, 0))
        if to_delete:
            removed, removed_ready = self._delete_pods(job, to_delete[:MAX_POD_CREATE_DELETE_PER_SYNC])
            ctx.terminating += removed
            ctx.ready -= removed_ready
            return active - removed
        terminating = ctx.terminating if _only_replace_failed(job) else 0
        diff = want - terminating - active
        if diff <= 0:
            return active
        remaining = ctx.backoff.remaining(self.clock.now)
        if remaining > 0:
            self.queue.add_after(key, remaining)
            return 0  # as upstream: the sync reports no active pods while backing off
        diff = min(diff, MAX_POD_CREATE_DELETE_PER_SYNC)
        indexes: list[int | None] = [None] * diff
        if _is_indexed(job):
            indexes = list(self._first_pending_indexes(ctx, diff, spec.get("completions") or 0))
            diff = len(indexes)
        template = jcopy(spec["template"])
        if _is_indexed(job):
            for c in (template["spec"].get("initContainers") or []) + template["spec"].get(
                    "containers", []):
                env = c.setdefault("env", [])
                if not any(e.get("name") == COMPLETION_INDEX_ENV for e in env):
                    env.append({"name": COMPLETION_INDEX_ENV, "valueFrom": {"fieldRef": {
                        "fieldPath": f"metadata.labels['{JOB_COMPLETION_INDEX}']"}}})
        meta = template.setdefault("metadata", {})
        finalizers = list(meta.get("finalizers") or [])
        if JOB_TRACKING_FINALIZER not in finalizers:
            finalizers.append(JOB_TRACKING_FINALIZER)
        meta["finalizers"] = finalizers
        created = 0
        batch = 1
        pending = list(indexes)
        while pending:
            chunk, pending = pending[:batch], pending[batch:]
            errors = 0
            for ix in chunk:
                errors += not self._create_pod(job, template, ix)
            created += len(chunk) - errors
            if errors:
                break
            batch *= 2
        return active + created

    def _create_pod(self, job: Obj, template: Obj, index: int | None) -> bool:
        name = job["metadata"]["name"]
        generate_name = None
        if index is not None:
            template = jcopy(template)
            tmeta = template["metadata"]
            tmeta.setdefault("annotations", {})[JOB_COMPLETION_INDEX] = str(index)
            tmeta.setdefault("labels", {})[JOB_COMPLETION_INDEX] = str(index)
            template["spec"]["hostname"] = f"{name}-{index}"
            suffix = f"-{index}-"
            generate_name = name + suffix
            if len(generate_name) > 58:
                generate_name = generate_name[:58 - len(suffix)] + suffix
        try:
            self.pod_control.create_pod(job["metadata"]["namespace"], template, job,
                                        controller_ref(job), generate_name=generate_name)
        except StatusError:
            return False
        return True

    @staticmethod
    def _first_pending_indexes(ctx: _Ctx, count: int, completions: int) -> list[int]:
        """Lowest indexes that neither succeeded nor have an active pod."""
        busy = set(ctx.succeeded_indexes)
        busy.update(ix for p in ctx.active_pods if (ix := _completion_index(p)) is not None)
        return [i for i in range(completions) if i not in busy][:count]

    @staticmethod
    def _pods_for_removal(job: Obj, pods: list[Obj], at_least: int) -> list[Obj]:
        """``activePodsForRemoval``: duplicated/invalid indexes first, then by ActivePods."""
        rm: list[Obj] = []
        left = list(pods)
        if _is_indexed(job):
            completions = job["spec"].get("completions") or 0
            seen: set[int] = set()
            left = []
            for p in sorted(pods, key=lambda p: (_completion_index(p) or 0,
                                                 parse_time(p["metadata"]["creationTimestamp"]))):
                ix = _completion_index(p)
                if ix is None or ix >= completions or ix in seen:
                    rm.append(p)
                else:
                    seen.add(ix)
                    left.append(p)
        if len(rm) < at_least:
            left.sort(key=_active_pod_order)
            rm += left[:at_least - len(rm)]
        return rm

    def _delete_pods(self, job: Obj, pods: list[Obj], *, keep_finalizer: bool = False
                     ) -> tuple[int, int]:
        """Delete ``pods`` (``SuccessfulDelete`` events); returns (deleted, ready deleted).

        Pods removed because too many run lose their finalizer first, so they are not counted
        as failures; pods of a failed Job keep it and are counted (``deleteActivePods``)."""
        deleted = ready = 0
        for pod in pods:
            ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
            if not keep_finalizer and _has_finalizer(pod) and not self._remove_finalizer(pod):
                continue
            try:
                self.pod_control.delete_pod(ns, name, job)
            except StatusError as e:
                if e.reason != "NotFound":
                    continue
            deleted += 1
            ready += is_pod_ready(pod)
        return deleted, ready

    # -- status --------------------------------------------------------------------------------

    def _condition(self, type_: str, reason: str, message: str) -> Obj:
        now = self.clock.rfc3339()
        return {"type": type_, "status": "True", "lastProbeTime": now,
                "lastTransitionTime": now, "reason": reason, "message": message}

    def _ensure_condition(self, job: Obj, type_: str, status: str, reason: str,
                          message: str) -> bool:
        """``ensureJobConditionStatus``: add or change a condition; never add a False one."""
        conds = job["status"].setdefault("conditions", [])
        for i, c in enumerate(conds):
            if c.get("type") == type_:
                if (c.get("status"), c.get("reason"), c.get("message")) != (status, reason,
                                                                             message):
                    conds[i] = {**self._condition(type_, reason, message), "status": status}
                    return True
                return False
        if status != "False":
            conds.append({**self._condition(type_, reason, message), "status": status})
            return True
        if not conds:
            job["status"].pop("conditions")
        return False

    def _track_status_and_remove_finalizers(self, key: Key, ctx: _Ctx, needs_flush: bool
                                            ) -> None:
        """``trackJobStatusAndRemoveFinalizers``: uncounted -> finalizer removed -> counted,
        then the terminal condition once nothing is left uncounted or terminating."""
        job, status = ctx.job, ctx.job["status"]
        uncounted = status["uncountedTerminatedPods"]
        indexed = _is_indexed(job)
        completions = job["spec"].get("completions") or 0
        with_finalizer = {p["metadata"]["uid"] for p in ctx.pods if _has_finalizer(p)}
        if self._clean_uncounted(status, with_finalizer):
            needs_flush = True
        to_remove: list[Obj] = []
        new_indexes: set[int] = set()
        for pod in ctx.pods:
            if not _has_finalizer(pod):
                continue
            uid = pod["metadata"]["uid"]
            failed = _is_pod_failed(pod, job)
            if not (shared_deleting(job) or ctx.finished is not None
                    or _phase(pod) == "Succeeded" or failed):
                continue
            to_remove.append(pod)
            if _phase(pod) == "Succeeded" and uid not in ctx.uncounted_failed:
                if indexed:
                    ix = _completion_index(pod)
                    if ix is not None and ix < completions and ix not in ctx.prev_indexes:
                        new_indexes.add(ix)
                        needs_flush = True
                elif uid not in ctx.uncounted_succeeded:
                    needs_flush = True
                    uncounted.setdefault("succeeded", []).append(uid)
                    ctx.uncounted_succeeded.add(uid)
            elif failed or (ctx.finished is not None
                            and ctx.finished["type"] != "SuccessCriteriaMet"):
                ix = _completion_index(pod)
                if uid not in ctx.uncounted_failed and (
                        not indexed or (ix is not None and ix < completions)):
                    needs_flush = True
                    uncounted.setdefault("failed", []).append(uid)
                    ctx.uncounted_failed.add(uid)
        if indexed:
            ctx.succeeded_indexes |= new_indexes
            text = _format_indexes(ctx.succeeded_indexes)
            if text != status.get("completedIndexes", ""):
                needs_flush = True
            status["succeeded"] = len(ctx.succeeded_indexes)
            status["completedIndexes"] = text
        if ctx.finished is not None and ctx.finished["type"] == "FailureTarget":
            status.setdefault("conditions", []).append(ctx.finished)
            needs_flush = True
            ctx.finished = self._condition("Failed", ctx.finished["reason"],
                                           ctx.finished["message"])
        if ctx.finished is not None and ctx.finished["type"] == "SuccessCriteriaMet":
            if _find_condition(job, "SuccessCriteriaMet") is None:
                status.setdefault("conditions", []).append(ctx.finished)
                needs_flush = True
            ctx.finished = self._condition("Complete", ctx.finished["reason"],
                                           ctx.finished["message"])
        # flushUncountedAndRemoveFinalizers
        if needs_flush:
            if not self._write_status(job):
                self.queue.add(key)
                return
            self.backoffs[key] = ctx.backoff
            needs_flush = False
        for pod in to_remove:
            if self._remove_finalizer(pod):
                with_finalizer.discard(pod["metadata"]["uid"])
        if self._clean_uncounted(status, with_finalizer):
            needs_flush = True
        finished = self._enact_finished(ctx)
        if finished or needs_flush:
            if not self._write_status(job):
                self.queue.add(key)
                return
            if finished:
                self._record_finished(job, ctx.finished)

    @staticmethod
    def _clean_uncounted(status: Obj, with_finalizer: set[str]) -> bool:
        """Move uncounted pods whose finalizer is gone into the counters."""
        uncounted = status["uncountedTerminatedPods"]
        changed = False
        for field, counter in (("succeeded", "succeeded"), ("failed", "failed")):
            uids = uncounted.get(field) or []
            keep = [u for u in uids if u in with_finalizer]
            if len(keep) != len(uids):
                changed = True
                status[counter] = status.get(counter, 0) + len(uids) - len(keep)
            if keep:
                uncounted[field] = keep
            else:
                uncounted.pop(field, None)
        return changed

    def _enact_finished(self, ctx: _Ctx) -> bool:
        """Add Complete/Failed once no pod is uncounted or still terminating."""
        cond = ctx.finished
        if cond is None:
            return False
        status = ctx.job["status"]
        if status["uncountedTerminatedPods"] or ctx.terminating > 0:
            return False
        self._ensure_condition(ctx.job, cond["type"], "True", cond["reason"], cond["message"])
        if cond["type"] == "Complete":
            status["completionTime"] = _find_condition(ctx.job, "Complete")["lastTransitionTime"]
        return True

    def _record_finished(self, job: Obj, cond: Obj) -> None:
        if cond["type"] == "Complete":
            completions = job["spec"].get("completions")
            if completions is not None and job["status"].get("succeeded", 0) > completions:
                self._event(job, "Warning", EVENT_TOO_MANY_SUCCEEDED,
                            MESSAGE_TOO_MANY_SUCCEEDED)
            self._event(job, "Normal", EVENT_COMPLETED, MESSAGE_COMPLETED)
        else:
            self._event(job, "Warning", cond["reason"], cond["message"])

    def _write_status(self, job: Obj) -> bool:
        for counter in ("active", "succeeded", "failed"):  # omitempty int32s
            if not job["status"].get(counter):
                job["status"].pop(counter, None)
        try:
            written = self.api.update_status(job)
        except StatusError as e:
            if e.reason in ("NotFound", "Conflict"):
                return False
            raise
        job["metadata"] = written["metadata"]
        return True

    def _event(self, job: Obj, type_: str, reason: str, message: str) -> None:
        self.api.record_event(job, type_, reason, message, COMPONENT)


def shared_deleting(job: Obj) -> bool:
    """The Job is being deleted (its pods' finalizers can all go)."""
    return bool(job["metadata"].get("deletionTimestamp"))
