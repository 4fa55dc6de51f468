"""Workload views, checked on their DOT text and frames as a learner would read them."""

from __future__ import annotations

import pytest

from k8snb import Cluster
from k8snb.views import (
    Diagram,
    RolloutRecorder,
    cronjob_timeline,
    ownership_diagram,
    ownership_dot,
    rollout_history_frame,
)

STS = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: nginx:1.27}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
"""


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=0)


def deploy(cluster: Cluster, replicas: int = 3) -> None:
    assert cluster.kubectl(f"create deployment web --image=nginx:1.26 "
                           f"--replicas={replicas}").returncode == 0
    cluster.settle()


def test_deployment_owns_replicasets_which_own_pods(cluster: Cluster) -> None:
    deploy(cluster)
    cluster.kubectl("set image deployment/web nginx=nginx:1.27")
    cluster.settle()
    dot = ownership_dot(cluster, workload="deploy/web")
    rss = [r["metadata"]["name"] for r in cluster.api.list("replicasets", "default")]
    for rs in rss:
        assert f'"Deployment/web" -> "ReplicaSet/{rs}"' in dot
    new = max(cluster.api.list("replicasets", "default"),
              key=lambda r: r["metadata"]["annotations"]["deployment.kubernetes.io/revision"])
    assert "revision 2 · nginx:1.27" in dot and "revision 1 · nginx:1.26" in dot
    assert "scaled to 0, kept for rollback" in dot
    for pod in cluster.api.list("pods", "default"):
        name = pod["metadata"]["name"]
        assert f'"ReplicaSet/{new["metadata"]["name"]}" -> "Pod/{name}"' in dot
        assert f"on {pod['spec']['nodeName']}" in dot
    assert "Running" in dot and dot.startswith("digraph workloads {")


def test_pod_colour_follows_status_and_killed_pod_is_replaced(cluster: Cluster) -> None:
    deploy(cluster, 2)
    cluster.kubectl("set image deployment/web nginx=ngnix:1.27")  # a typo: pulls fail
    cluster.advance(3)
    dot = ownership_dot(cluster)
    assert "ErrImagePull" in dot or "ImagePullBackOff" in dot
    assert "#fbd5d5" in dot  # the failed colour


def test_statefulset_ordinals_and_claims(cluster: Cluster) -> None:
    cluster.kubectl("apply -f -", stdin=STS)
    cluster.settle()
    dot = ownership_dot(cluster, workload="sts")
    assert '"Pod/db-0"' in dot and "ordinal 0" in dot
    assert '"PVC/data-db-0"' in dot and "pvc · Pending" in dot
    assert "db-1" in dot and "not created yet" in dot  # waits for db-0, which waits for its claim


def test_daemonset_one_pod_per_node(cluster: Cluster) -> None:
    cluster.add_node("worker3")
    cluster.settle()
    dot = ownership_dot(cluster, "kube-system", workload="ds/kube-proxy")
    for node in ("control-plane", "worker1", "worker2", "worker3"):
        assert f"on {node}" in dot
    assert "4 desired" in dot
    assert "coredns" not in dot


def test_job_progress_and_kept_pods(cluster: Cluster) -> None:
    cluster.kubectl(["create", "job", "once", "--image=busybox:1.36", "--", "sh", "-c", "exit 0"])
    cluster.settle()
    dot = ownership_dot(cluster, workload="job/once")
    assert "succeeded 1/1" in dot and "Complete" in dot and "backoffLimit 6" in dot
    assert "Completed" in dot  # the pod is kept after completion


def test_cronjob_next_runs_and_timeline(cluster: Cluster) -> None:
    cluster.kubectl(["create", "cronjob", "tick", "--image=busybox:1.36",
                     "--schedule=*/10 * * * *", "--", "sh", "-c", "date"])
    dot = ownership_dot(cluster, workload="cj")
    assert "next runs 09:10, 09:20, 09:30 UTC" in dot
    cluster.advance(15 * 60)
    frame = cronjob_timeline(cluster, "tick", n=3)
    assert list(frame.columns) == ["time", "from now", "what", "status"]
    assert frame["what"].tolist() == ["job tick-29460070", "now", "next run", "next run",
                                      "next run"]
    assert frame["time"].iloc[2] == "2026-01-05 09:20"
    assert frame["from now"].iloc[2] == "+5m"
    assert frame["status"].iloc[0] == "Complete"


def test_bare_pod_and_empty_namespace(cluster: Cluster) -> None:
    assert "no workloads in namespace default" in ownership_dot(cluster)
    cluster.kubectl("run solo --image=nginx")
    dot = ownership_dot(cluster)
    assert "no controller" in dot and '"Pod/solo"' in dot


def test_unknown_workload_word(cluster: Cluster) -> None:
    with pytest.raises(ValueError, match="resource type"):
        ownership_dot(cluster, workload="widgets")


def test_diagram_title_and_repr(cluster: Cluster) -> None:
    deploy(cluster, 2)
    d = ownership_diagram(cluster, workload="deploy/web")
    assert isinstance(d, Diagram) and repr(d) == "<Diagram deploy/web in default: 2 pods>"


def test_output_is_deterministic() -> None:
    def build() -> str:
        c = Cluster(seed=0)
        deploy(c)
        c.kubectl("apply -f -", stdin=STS)
        c.settle()
        return ownership_dot(c)

    assert build() == build()


def test_rollout_history_frame_from_events(cluster: Cluster) -> None:
    deploy(cluster)
    cluster.kubectl("set image deployment/web nginx=nginx:1.27")
    cluster.settle()
    frame = rollout_history_frame(cluster, "web")
    scaling = frame[frame["reason"] == "ScalingReplicaSet"]
    assert set(scaling["controller"]) == {"deployment-controller"}
    assert set(frame[frame["reason"] == "SuccessfulCreate"]["controller"]) == \
        {"replicaset-controller"}
    old, new = [c for c in frame.columns if c.startswith("web-")]
    assert old.endswith("(rev 1)") and new.endswith("(rev 2)")
    assert frame.iloc[0][old] == 3 and frame.iloc[0][new] == 0
    assert frame.iloc[-1][old] == 0 and frame.iloc[-1][new] == 3
    # never more than maxSurge (1) above 3, never less than 3 - maxUnavailable (0) desired
    totals = scaling[old] + scaling[new]
    assert totals.max() <= 4


def test_recorder_steps_and_chart(cluster: Cluster) -> None:
    deploy(cluster)
    rec = RolloutRecorder(cluster, "web")
    cluster.kubectl("set image deployment/web nginx=nginx:1.27")
    rec.snapshot("kubectl set image deployment/web nginx=nginx:1.27")
    snap = rec.advance(1)
    assert snap is not None and not snap.done
    steps = rec.play()
    assert rec.done and steps and steps[-1].status == 'deployment "web" successfully rolled out'
    frame = rec.frame()
    cols = list(frame.columns)
    assert cols[:2] == ["time", "+s"] and cols[-1] == "what happened"
    assert frame.iloc[0][cols[2]] == "███ 3/3" and frame.iloc[-1][cols[3]] == "███ 3/3"
    assert "kubectl set image" in frame.iloc[1]["what happened"]
    assert "Scaled up replica set" in frame.iloc[1]["what happened"]
    assert "web-" in rec.chart() and "<table" in rec.html()
    sizes = rec.sizes()
    assert sizes.iloc[-1].filter(like="desired").sum() == 3
    assert RolloutRecorder.bar(3, 2, 1) == "█░· 1/3"
    assert repr(rec).startswith("<RolloutRecorder deployment/web: ")


def test_recorder_table_shows_every_event_uncut(cluster: Cluster) -> None:
    deploy(cluster)
    rec = RolloutRecorder(cluster, "web")
    cluster.kubectl("set image deployment/web nginx=nginx:1.27")
    rec.snapshot("kubectl set image deployment/web nginx=nginx:1.27")
    rec.play()
    table = rec.table()
    assert "Scaled down replica set web-799c7c6488 from 1 to 0" in table._repr_html_()
    assert "<br>" in table._repr_html_() and "..." not in table._repr_html_()
    text = repr(table)
    assert text == rec.chart()
    assert all(len(line) < 140 for line in text.splitlines())


def test_rollout_history_frame_ends_at_the_final_sizes_when_events_were_combined() -> None:
    c = Cluster(seed=0)
    c.kubectl("create deployment big --image=nginx:1.27 --replicas=10")
    c.settle()
    c.kubectl("set image deploy/big nginx=nginx:1.28")
    c.settle()
    c.kubectl("set image deploy/big nginx=nginx:1.26")
    c.settle()
    frame = rollout_history_frame(c, "big")
    combined = frame[frame["message"].str.startswith("(combined from similar events): ")]
    scaling = combined[combined["reason"] == "ScalingReplicaSet"]
    assert len(scaling) == 1 and "(×" in scaling.iloc[0]["message"]
    assert set(combined["reason"]) <= {"ScalingReplicaSet", "SuccessfulCreate",
                                       "SuccessfulDelete"}
    last = frame.iloc[-1]
    sizes = {rs["metadata"]["name"]: rs["spec"]["replicas"]
             for rs in c.api.list("replicasets", "default")}
    for column in frame.columns[6:]:
        assert last[column] == sizes[column.split(" ")[0]], column
