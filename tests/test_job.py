"""The Job controller, as a learner sees it through kubectl (SEMANTICS.md 7.1)."""

from __future__ import annotations

import json

import pytest

from k8snb.cluster import Cluster


def job_yaml(name: str = "pi", command: str = "echo hello", *, restart: str = "Never",
             extra: str = "") -> str:
    return f"""
apiVersion: batch/v1
kind: Job
metadata: {{name: {name}}}
spec:
{extra}
  template:
    spec:
      restartPolicy: {restart}
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c", {json.dumps(command)}]
"""


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(workers=2, seed=3)


def pods(cluster: Cluster) -> list[dict]:
    return cluster.api.list("pods", "default")


def reasons(cluster: Cluster, kind: str, name: str) -> list[tuple[str, str]]:
    obj = cluster.api.get(kind, name, "default")
    return [(e["reason"], e["message"]) for e in cluster.api.events_for(obj)]


def test_selector_and_pod_labels_are_generated(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml())
    job = cluster.api.get("jobs", "pi", "default")
    uid = job["metadata"]["uid"]
    assert job["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert job["spec"]["template"]["metadata"]["labels"] == {
        "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid, "job-name": "pi"}
    assert (job["spec"]["backoffLimit"], job["spec"]["completions"],
            job["spec"]["parallelism"]) == (6, 1, 1)
    [pod] = pods(cluster)
    assert pod["metadata"]["name"].startswith("pi-") and len(pod["metadata"]["name"]) == 8
    assert pod["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"]
    assert pod["metadata"]["ownerReferences"][0]["kind"] == "Job"


def test_hand_written_selector_is_refused(cluster: Cluster) -> None:
    extra = "  selector: {matchLabels: {app: x}}\n"
    r = cluster.kubectl("apply -f -", stdin=job_yaml(extra=extra))
    assert r.returncode == 1
    assert "spec.selector: Invalid value" in r.stderr
    assert "`selector` not auto-generated" in r.stderr


def test_completions_and_parallelism(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(
        command="sleep 3", extra="  completions: 3\n  parallelism: 2\n"))
    assert len(pods(cluster)) == 2  # min(parallelism, remaining completions)
    cluster.settle()
    out = cluster.kubectl("get jobs").stdout
    assert out.split("\n")[1].split()[:3] == ["pi", "Complete", "3/3"]
    assert [p["status"]["phase"] for p in pods(cluster)] == ["Succeeded"] * 3  # pods stay
    assert all(not p["metadata"].get("finalizers") for p in pods(cluster))
    evs = reasons(cluster, "jobs", "pi")
    assert [r for r, _ in evs].count("SuccessfulCreate") == 3
    assert evs[-1] == ("Completed", "Job completed")
    status = cluster.api.get("jobs", "pi", "default")["status"]
    assert [c["type"] for c in status["conditions"]] == ["SuccessCriteriaMet", "Complete"]
    assert status["succeeded"] == 3 and "active" not in status
    assert status["completionTime"] and status["uncountedTerminatedPods"] == {}
    logs = cluster.kubectl(f"logs {pods(cluster)[0]['metadata']['name']}")
    assert logs.returncode == 0


def test_failed_pods_are_retried_with_doubling_backoff_then_fail(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(command="exit 1",
                                                 extra="  backoffLimit: 2\n"))
    cluster.settle()
    created = sorted(p["metadata"]["creationTimestamp"] for p in pods(cluster))
    assert len(created) == 3  # the first try and two retries
    from k8snb.clock import parse_time

    gaps = [parse_time(b) - parse_time(a) for a, b in zip(created, created[1:], strict=False)]
    assert 10 <= gaps[0] < 15 and 20 <= gaps[1] < 25  # 10 s, then 20 s after each failure
    assert cluster.kubectl("get job pi --no-headers").stdout.split()[1] == "Failed"
    assert ("BackoffLimitExceeded", "Job has reached the specified backoff limit") in reasons(
        cluster, "jobs", "pi")
    status = cluster.api.get("jobs", "pi", "default")["status"]
    assert status["failed"] == 3
    assert [c["type"] for c in status["conditions"]] == ["FailureTarget", "Failed"]


def test_on_failure_restarts_count_toward_the_limit(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(command="exit 1", restart="OnFailure",
                                                 extra="  backoffLimit: 2\n"))
    cluster.advance(120)
    assert cluster.kubectl("get job pi --no-headers").stdout.split()[1] == "Failed"
    assert pods(cluster) == []  # the restarting pod was deleted when the Job failed
    assert [r for r, _ in reasons(cluster, "jobs", "pi")] == [
        "SuccessfulCreate", "SuccessfulDelete", "BackoffLimitExceeded"]


def test_active_deadline_kills_running_pods(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(command="sleep 600",
                                                 extra="  activeDeadlineSeconds: 30\n"))
    cluster.advance(29)
    assert pods(cluster)[0]["status"]["phase"] == "Running"
    cluster.advance(40)
    assert ("DeadlineExceeded", "Job was active longer than specified deadline") in reasons(
        cluster, "jobs", "pi")
    assert pods(cluster) == []
    assert cluster.kubectl("get job pi --no-headers").stdout.split()[1] == "Failed"


def test_indexed_job(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(
        command="echo index=$JOB_COMPLETION_INDEX",
        extra="  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n"))
    cluster.settle()
    ps = pods(cluster)
    by_index = {p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]: p
                for p in ps}
    assert sorted(by_index) == ["0", "1", "2"]
    for ix, p in by_index.items():
        assert p["metadata"]["name"].startswith(f"pi-{ix}-")
        assert p["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == ix
        assert p["spec"]["hostname"] == f"pi-{ix}"
        assert cluster.kubectl(f"logs {p['metadata']['name']}").stdout == f"index={ix}\n"
    status = cluster.api.get("jobs", "pi", "default")["status"]
    assert status["completedIndexes"] == "0-2" and status["succeeded"] == 3


def test_deleted_pod_counts_as_failure_and_is_replaced(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(command="sleep 600"))
    cluster.advance(5)
    [first] = pods(cluster)
    cluster.kubectl(f"delete pod {first['metadata']['name']}")
    cluster.advance(60)
    names = [p["metadata"]["name"] for p in pods(cluster)]
    assert first["metadata"]["name"] not in names and len(names) == 1
    assert cluster.api.get("jobs", "pi", "default")["status"]["failed"] == 1


def test_suspend_deletes_running_pods(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(command="sleep 600"))
    cluster.advance(5)
    cluster.kubectl(["patch", "job", "pi", "-p", '{"spec":{"suspend":true}}'])
    cluster.advance(40)
    assert pods(cluster) == []
    assert cluster.kubectl("get job pi --no-headers").stdout.split()[1] == "Suspended"
    assert ("Suspended", "Job suspended") in reasons(cluster, "jobs", "pi")
    cluster.kubectl(["patch", "job", "pi", "-p", '{"spec":{"suspend":false}}'])
    assert len(pods(cluster)) == 1
    assert ("Resumed", "Job resumed") in reasons(cluster, "jobs", "pi")


def test_deleting_the_job_deletes_its_pods(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(command="sleep 600"))
    cluster.advance(5)
    cluster.kubectl("delete job pi")
    cluster.advance(60)
    assert pods(cluster) == []


def test_ttl_after_finished_deletes_job_and_pods(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=job_yaml(extra="  ttlSecondsAfterFinished: 100\n"))
    cluster.settle()
    assert cluster.kubectl("get job pi --no-headers").stdout.split()[1] == "Complete"
    cluster.advance(90)
    assert cluster.kubectl("get job pi").returncode == 0
    cluster.advance(20)
    r = cluster.kubectl("get job pi")
    assert r.returncode == 1 and 'jobs.batch "pi" not found' in r.stderr
    cluster.advance(1)
    assert pods(cluster) == []


def test_cronjob_template_is_not_defaulted_as_a_job(cluster: Cluster) -> None:
    cj = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: hello}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
"""
    cluster.kubectl("apply -f -", stdin=cj)
    spec = cluster.api.get("cronjobs", "hello", "default")["spec"]
    assert "backoffLimit" not in spec["jobTemplate"]["spec"]
    assert spec["jobTemplate"]["spec"]["template"]["spec"]["dnsPolicy"] == "ClusterFirst"
