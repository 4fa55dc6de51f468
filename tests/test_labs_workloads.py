"""Workload labs driven as a learner would: set ``.value``, ``click()``, read what they show."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pytest

from k8snb.cluster import Cluster
from k8snb.labs import cronjob_lab, daemonset_lab, deployment_lab, job_lab


def text(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", value))


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=0)


def images(c: Cluster) -> set[str]:
    return {p["spec"]["containers"][0]["image"] for p in c.api.list("pods", "default")}


def test_deployment_lab_creates_scales_and_heals(cluster: Cluster) -> None:
    lab = deployment_lab(cluster)
    assert isinstance(lab, widgets.VBox) and "<svg" in lab.diagram.value
    assert "kubectl create deployment web --image=nginx:1.26 --replicas=3" in text(
        lab.output.value)
    lab.replicas.value = 4
    assert cluster.api.get("deployments", "web")["spec"]["replicas"] == 4
    assert "kubectl scale deployment/web --replicas=4" in text(lab.output.value)
    before = {p["metadata"]["name"] for p in cluster.api.list("pods", "default")}
    lab.kill.click()
    after = {p["metadata"]["name"] for p in cluster.api.list("pods", "default")}
    assert len(after) == 4 and after != before
    assert "kubectl delete pod web-" in text(lab.output.value)


def test_deployment_lab_rolls_out_step_by_step_and_undoes(cluster: Cluster) -> None:
    lab = deployment_lab(cluster)
    lab.image.value = "nginx:1.27"
    lab.rollout.click()
    assert "kubectl set image deployment/web nginx=nginx:1.27" in text(lab.output.value)
    lab.step_1s.click()
    assert "Waiting for deployment" in text(lab.output.value)
    lab.play.click()
    assert 'deployment "web" successfully rolled out' in text(lab.output.value)
    assert images(cluster) == {"nginx:1.27"}
    assert "███ 3/3" in text(lab.history.value)
    lab.undo.click()
    lab.play.click()
    assert images(cluster) == {"nginx:1.26"} and lab.image.value == "nginx:1.26"
    assert "kubectl rollout undo deployment/web" in text(lab.output.value)


def test_deployment_lab_strategy_controls_patch_and_errors_show(cluster: Cluster) -> None:
    lab = deployment_lab(cluster)
    lab.strategy.value = "Recreate"
    assert cluster.api.get("deployments", "web")["spec"]["strategy"] == {"type": "Recreate"}
    lab.strategy.value = "RollingUpdate"
    lab.max_surge.value = 0
    lab.max_unavailable.value = 0  # both zero: the API server says no, the lab shows it
    out = text(lab.output.value)
    assert "may not be 0 when `maxSurge` is 0" in out
    ru = cluster.api.get("deployments", "web")["spec"]["strategy"]["rollingUpdate"]
    assert ru == {"maxSurge": "0%", "maxUnavailable": "25%"}


def test_deployment_lab_kill_without_pods_reports(cluster: Cluster) -> None:
    lab = deployment_lab(cluster, replicas=1)
    lab.replicas.value = 0
    cluster.settle()
    lab.kill.click()
    assert "no pod to kill" in text(lab.output.value)


def test_daemonset_lab_follows_nodes(cluster: Cluster) -> None:
    lab = daemonset_lab(cluster)
    lab.add_worker.click()
    assert lab.node.value == "worker3"
    assert "on worker3" in html.unescape(lab.diagram.value)
    lab.node.value = "worker1"
    lab.drain.click()
    out = text(lab.output.value)
    assert "kubectl drain worker1 --ignore-daemonsets" in out
    assert "ignoring DaemonSet-managed Pods" in out
    lab.stop.click()
    lab.step_1min.click()
    assert "on worker1 (NotReady)" in html.unescape(lab.diagram.value)
    lab.node.value = None
    lab.stop.click()
    assert "choose a node first" in text(lab.output.value)


def test_job_lab_runs_and_fails_by_rate(cluster: Cluster) -> None:
    lab = job_lab(cluster)
    lab.completions.value = 2
    lab.parallelism.value = 2
    lab.run.click()
    assert "kubectl apply -f job.yaml" in text(lab.output.value)
    lab.settle.click()
    assert "Complete" in text(lab.output.value)
    lab.fail_percent.value = 100
    lab.backoff_limit.value = 1
    lab.run.click()
    assert "kubectl delete job work" in text(lab.output.value)
    lab.settle.click()
    job = cluster.api.get("jobs", "work")
    assert any(c["type"] == "Failed" for c in job["status"]["conditions"])
    assert "Failed" in text(lab.output.value)


def test_cronjob_lab_schedule_clock_and_errors(cluster: Cluster) -> None:
    lab = cronjob_lab(cluster, schedule="*/5 * * * *")
    assert "click apply" in text(lab.timeline.value)
    lab.apply.click()
    assert "cronjob.batch/tick created" in text(lab.output.value)
    lab.step_10min.click()
    shown = text(lab.timeline.value)
    assert "job tick-" in shown and "next run" in shown
    # 09:05 ran; the 09:10 run starts a moment after 09:10:00 (the controller wakes 0.1 s late)
    assert [j["metadata"]["name"] for j in cluster.api.list("jobs", "default")] == \
        ["tick-29460065"]
    lab.schedule.value = "61 * * * *"
    lab.apply.click()
    assert "above maximum (59)" in text(lab.output.value)
    lab.suspend.value = True
    assert cluster.api.get("cronjobs", "tick")["spec"]["suspend"] is False  # bad schedule kept
    lab.schedule.value = "*/5 * * * *"
    lab.apply.click()
    assert cluster.api.get("cronjobs", "tick")["spec"]["suspend"] is True
    assert "suspended" in text(lab.timeline.value)


def _owned(c: Cluster, name: str) -> set[str]:
    return {p["metadata"]["name"] for p in c.api.list("pods", "default")
            if any(r.get("name") == name for r in p["metadata"].get("ownerReferences") or [])
            and not p["metadata"].get("deletionTimestamp")}


def test_replicaset_lab_heals_adopts_and_releases(cluster: Cluster) -> None:
    from k8snb.labs import replicaset_lab

    lab = replicaset_lab(cluster)
    assert isinstance(lab, widgets.VBox) and "<svg" in lab.diagram.value
    assert "kubectl apply -f replicaset.yaml" in text(lab.output.value)
    assert len(_owned(cluster, "guestbook")) == 3
    before = _owned(cluster, "guestbook")
    lab.kill.click()
    after = _owned(cluster, "guestbook")
    assert len(after) == 3 and after != before
    lab.stray.click()
    log = text(lab.output.value)
    assert "kubectl run stray-1 --image=nginx:1.27 --labels=app=guestbook" in log
    assert len(_owned(cluster, "guestbook")) == 3  # adopted, then one too many deleted
    assert "stray-1" not in _owned(cluster, "guestbook")  # the youngest goes first
    lab.relabel.click()
    released = [p for p in cluster.api.list("pods", "default", label_selector="app=debug")]
    assert len(released) == 1 and not released[0]["metadata"].get("ownerReferences")
    assert len(_owned(cluster, "guestbook")) == 3
    assert "releases it" in text(lab.output.value)
    lab.replicas.value = 1
    assert len(_owned(cluster, "guestbook")) == 1
    assert "kubectl scale rs/guestbook --replicas=1" in text(lab.output.value)
    lab.replicas.value = 0
    lab.kill.click()
    assert "no pod to kill" in text(lab.output.value)
