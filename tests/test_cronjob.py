"""The CronJob controller and ``kubectl create job|cronjob`` (SEMANTICS.md 7.2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from k8snb.cluster import Cluster
from k8snb.controllers.cronjob import next_schedule_times


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(workers=2, seed=5)


def create_hello(cluster: Cluster, schedule: str = "*/1 * * * *", command: str = "echo Hello",
                 **spec: object) -> None:
    r = cluster.kubectl(["create", "cronjob", "hello", "--image=busybox",
                         f"--schedule={schedule}", "--", "sh", "-c", command])
    assert r.stdout == "cronjob.batch/hello created\n", r.stderr
    if spec:
        import json

        cluster.kubectl(["patch", "cronjob", "hello", "-p", json.dumps({"spec": spec})])


def jobs(cluster: Cluster) -> list[str]:
    return [j["metadata"]["name"] for j in cluster.api.list("jobs", "default")]


def events(cluster: Cluster, reason: str | None = None) -> list[tuple[str, str]]:
    cj = cluster.api.get("cronjobs", "hello", "default")
    evs = [(e["reason"], e["message"]) for e in cluster.api.events_for(cj)]
    return [e for e in evs if reason is None or e[0] == reason]


def minutes(t: str) -> int:
    return int(datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()) // 60


def test_a_job_every_minute_named_after_its_scheduled_minute(cluster: Cluster) -> None:
    create_hello(cluster)  # at 09:00:00; the first run is 09:01
    cluster.advance(61)
    first = minutes("2026-01-05T09:01:00Z")
    assert jobs(cluster) == [f"hello-{first}"]
    job = cluster.api.get("jobs", f"hello-{first}", "default")
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] \
        == "2026-01-05T09:01:00Z"
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"
    assert events(cluster, "SuccessfulCreate") == [("SuccessfulCreate",
                                                    f"Created job hello-{first}")]
    cluster.advance(60)
    assert ("SawCompletedJob", f"Saw completed job: hello-{first}, condition: Complete") \
        in events(cluster)
    status = cluster.api.get("cronjobs", "hello", "default")["status"]
    assert status["lastScheduleTime"] == "2026-01-05T09:02:00Z"
    assert status["lastSuccessfulTime"].startswith("2026-01-05T09:0")
    row = cluster.kubectl("get cronjobs").stdout.splitlines()[1].split()
    assert row[:5] == ["hello", "*/1", "*", "*", "*"] and row[-2] == "1s"  # LAST SCHEDULE
    pod = cluster.api.list("pods", "default", label_selector=f"job-name=hello-{first}")[0]
    assert cluster.kubectl(f"logs {pod['metadata']['name']}").stdout == "Hello\n"


def test_history_limits_keep_three_successful_and_one_failed(cluster: Cluster) -> None:
    create_hello(cluster)
    cluster.advance(6 * 60 + 30)
    names = jobs(cluster)
    assert len(names) == 3 and names[-1] == f"hello-{minutes('2026-01-05T09:06:00Z')}"
    deleted = events(cluster, "SuccessfulDelete")
    assert deleted[0] == ("SuccessfulDelete", f"Deleted job hello-{minutes('2026-01-05T09:01:00Z')}")
    assert len(deleted) == 3
    cluster.advance(5)
    assert len(cluster.api.list("pods", "default")) == 3  # the old Jobs' pods went with them


def test_failed_jobs_history_limit(cluster: Cluster) -> None:
    create_hello(cluster, command="exit 1", jobTemplate={"spec": {"backoffLimit": 0}})
    cluster.advance(4 * 60 + 30)
    failed = [j for j in cluster.api.list("jobs", "default")
              if any(c["type"] == "Failed" for c in j["status"].get("conditions") or [])]
    assert len(failed) == 1


def test_forbid_skips_runs_while_one_is_active(cluster: Cluster) -> None:
    create_hello(cluster, command="sleep 150", concurrencyPolicy="Forbid")
    cluster.advance(3 * 60 + 30)
    assert len(jobs(cluster)) == 1
    assert ("JobAlreadyActive", "Not starting job because prior execution is running and "
            "concurrency policy is Forbid") in events(cluster)
    assert len(cluster.api.get("cronjobs", "hello", "default")["status"]["active"]) == 1


def test_replace_deletes_the_running_job(cluster: Cluster) -> None:
    create_hello(cluster, command="sleep 600", concurrencyPolicy="Replace")
    cluster.advance(2 * 60 + 30)
    assert jobs(cluster) == [f"hello-{minutes('2026-01-05T09:02:00Z')}"]
    assert ("SuccessfulDelete", f"Deleted job hello-{minutes('2026-01-05T09:01:00Z')}") \
        in events(cluster)


def test_allow_runs_jobs_side_by_side(cluster: Cluster) -> None:
    create_hello(cluster, command="sleep 600")
    cluster.advance(3 * 60 + 30)
    assert len(jobs(cluster)) == 3
    row = cluster.kubectl("get cj hello --no-headers").stdout.split()
    assert row[-3] == "3"  # ACTIVE


def test_suspend_then_only_the_latest_missed_run_starts(cluster: Cluster) -> None:
    create_hello(cluster, suspend=True)
    cluster.advance(10 * 60 + 30)
    assert jobs(cluster) == []
    cluster.kubectl(["patch", "cronjob", "hello", "-p", '{"spec":{"suspend":false}}'])
    assert jobs(cluster) == [f"hello-{minutes('2026-01-05T09:10:00Z')}"]
    assert events(cluster, "TooManyMissedTimes") == []


def test_too_many_missed_times(cluster: Cluster) -> None:
    create_hello(cluster, suspend=True)
    cluster.advance(2 * 3600 + 30)
    cluster.kubectl(["patch", "cronjob", "hello", "-p", '{"spec":{"suspend":false}}'])
    assert events(cluster, "TooManyMissedTimes") == [(
        "TooManyMissedTimes", "too many missed start times. Set or decrease "
        ".spec.startingDeadlineSeconds or check clock skew")]
    assert len(jobs(cluster)) == 1


def test_time_zone_and_next_schedule_times(cluster: Cluster) -> None:
    create_hello(cluster, schedule="0 9 * * *", timeZone="Europe/Paris")
    cj = cluster.api.get("cronjobs", "hello", "default")
    times = next_schedule_times(cj, 3, cluster.now)
    assert times == [datetime(2026, 1, d, 8, 0, tzinfo=UTC) for d in (6, 7, 8)]
    cluster.advance(86400)
    [name] = jobs(cluster)
    job = cluster.api.get("jobs", name, "default")
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] \
        == "2026-01-06T09:00:00+01:00"
    assert cluster.kubectl("get cj --no-headers").stdout.split()[6] == "Europe/Paris"


def test_one_timer_per_cronjob_and_settle_returns(cluster: Cluster) -> None:
    create_hello(cluster, schedule="@daily")
    assert cluster.settle() < 60  # schedules are background timers
    ctl = cluster.controllers["cronjob"]
    syncs = []
    orig = ctl._sync_cronjob
    ctl._sync_cronjob = lambda cj, js: syncs.append(1) or orig(cj, js)  # type: ignore
    for q, _ in cluster._queues:
        if getattr(q, "name", "") == "cronjob":
            cluster._queues[cluster._queues.index((q, _))] = (q, ctl.sync)
    cluster.advance(3 * 86400)
    assert len(jobs(cluster)) == 3
    assert len(syncs) < 40  # a few per run, not one per minute


@pytest.mark.parametrize("schedule,message", [
    ("61 * * * *", 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above '
                   "maximum (59): 61"),
    ("0 0 * * 7", "end of range (7) above maximum (6): 7"),
    ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
    ("CRON_TZ=UTC * * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field "
                              "instead"),
])
def test_schedule_validation(cluster: Cluster, schedule: str, message: str) -> None:
    r = cluster.kubectl(["create", "cronjob", "bad", "--image=busybox",
                         f"--schedule={schedule}"])
    assert r.returncode == 1
    assert r.stderr.startswith('The CronJob "bad" is invalid:')
    assert message in r.stderr


def test_unknown_time_zone_is_refused(cluster: Cluster) -> None:
    manifest = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: bad}
spec:
  schedule: "0 3 * * *"
  timeZone: Europe/Pariss
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
"""
    r = cluster.kubectl("apply -f -", stdin=manifest)
    assert 'spec.timeZone: Invalid value: "Europe/Pariss": unknown time zone Europe/Pariss' \
        in r.stderr


def test_kubectl_create_job(cluster: Cluster) -> None:
    r = cluster.kubectl(["create", "job", "once", "--image=busybox", "--", "echo", "hi"])
    assert r.stdout == "job.batch/once created\n"
    job = cluster.api.get("jobs", "once", "default")
    [c] = job["spec"]["template"]["spec"]["containers"]
    assert (c["name"], c["command"]) == ("once", ["echo", "hi"])
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    cluster.settle()
    assert cluster.kubectl("get job once --no-headers").stdout.split()[1:3] == ["Complete",
                                                                               "1/1"]
    assert "either --image or --from must be specified" in cluster.kubectl(
        "create job x").stderr


def test_kubectl_create_job_from_cronjob(cluster: Cluster) -> None:
    create_hello(cluster, schedule="@daily")
    r = cluster.kubectl("create job manual-run --from=cronjob/hello")
    assert r.stdout == "job.batch/manual-run created\n", r.stderr
    job = cluster.api.get("jobs", "manual-run", "default")
    assert job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"] == "manual"
    ref = job["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"]) == ("CronJob", "hello", True)
    assert "blockOwnerDeletion" not in ref
    cluster.settle()
    assert cluster.kubectl("get job manual-run --no-headers").stdout.split()[1] == "Complete"
    assert "cannot specify --from and command" in cluster.kubectl(
        "create job y --from=cronjob/hello -- echo").stderr
