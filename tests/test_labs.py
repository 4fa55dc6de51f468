"""Labs driven as a learner would: set ``.value``, ``click()``, read what the lab shows."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pytest

from k8snb.cluster import Cluster
from k8snb.labs import (
    clock,
    console,
    namespace_lab,
    nodes_lab,
    pod_lab,
    scheduler_lab,
    two_container_pod,
)
from k8snb.views import node_diagram


def text(value: str) -> str:
    """What the learner reads in an HTML widget (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", value))


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(workers=2, seed=0)


def node_names(c: Cluster) -> list[str]:
    return [n["metadata"]["name"] for n in c.api.list("nodes")]


# -- console -----------------------------------------------------------------------------------

def test_console_runs_a_command_and_redraws(cluster: Cluster) -> None:
    lab = console(cluster)
    assert isinstance(lab, widgets.VBox) and "<svg" in lab.diagram.value
    before = lab.diagram.value
    lab.command.value = "kubectl run web --image=nginx"
    lab.run.click()
    assert cluster.api.get("pods", "web")["spec"]["containers"][0]["image"] == "nginx"
    out = text(lab.output.value)
    assert out.startswith("$ kubectl run web --image=nginx\npod/web created")
    assert 'class="k8snb-terminal"' in lab.output.value and "<pre" in lab.output.value
    assert lab.command.value == ""  # cleared for the next command
    assert lab.history.options == ("kubectl run web --image=nginx",)
    assert lab.diagram.value != before and "web" in html.unescape(lab.diagram.value)


def test_console_enter_submits_and_history_reuses(cluster: Cluster) -> None:
    lab = console(cluster, diagram=None)
    lab.command.value = "get nodes"
    lab.command._submission_callbacks(lab.command)  # what pressing Enter triggers
    assert "worker2" in text(lab.output.value)
    lab.execute("get pods")
    assert lab.history.options == ("kubectl get pods", "kubectl get nodes")
    lab.history.value = "kubectl get nodes"
    assert lab.command.value == "kubectl get nodes"
    assert lab.diagram.value == ""


def test_console_shows_errors_in_kubectl_words(cluster: Cluster) -> None:
    lab = console(cluster, diagram=None)
    lab.command.value = "get pod nope"
    lab.run.click()
    assert 'Error from server (NotFound): pods "nope" not found' in text(lab.output.value)
    lab.execute("frobnicate")
    assert 'error: unknown command "frobnicate" for "kubectl"' in text(lab.output.value)
    lab.command.value = "   "
    lab.run.click()  # nothing to run: nothing happens
    assert len(lab.history.options) == 2


def test_console_diagram_can_be_any_view(cluster: Cluster) -> None:
    lab = console(cluster, diagram=lambda c: node_diagram(c, "worker1"))
    assert "kubelet" in html.unescape(lab.diagram.value)
    with pytest.raises(ValueError):
        console(cluster, diagram="galaxy")


def test_console_clock_lets_pods_start(cluster: Cluster) -> None:
    lab = console(cluster)
    lab.execute("run web --image=nginx")
    lab.clock.settle.click()
    lab.execute("get pods")
    assert re.search(r"web\s+1/1\s+Running", text(lab.output.value))
    assert "Running" in html.unescape(lab.diagram.value)


def test_console_never_raises(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = console(cluster, diagram=None)

    def boom(*_a, **_k):
        raise RuntimeError("the API server caught fire")

    monkeypatch.setattr(cluster, "kubectl", boom)
    lab.command.value = "get pods"
    lab.run.click()
    assert "error: the API server caught fire" in text(lab.output.value)


# -- clock -------------------------------------------------------------------------------------

def test_clock_advances_and_refreshes_what_is_linked(cluster: Cluster) -> None:
    calls: list[int] = []
    lab = clock(cluster, on_change=lambda: calls.append(1))
    start = cluster.clock.now
    assert "2026-01-05 09:00:00 UTC" in text(lab.time.value)
    lab.plus_1s.click()
    lab.plus_10s.click()
    lab.plus_1min.click()
    assert cluster.clock.now - start == 71
    assert "09:01:11" in text(lab.time.value) and "+1 min 11 s" in text(lab.time.value)
    assert len(calls) == 3
    cluster.kubectl("run web --image=nginx")
    lab.settle.click()
    assert cluster.api.get("pods", "web")["status"]["phase"] == "Running"
    assert "settled after" in text(lab.time.value) and len(calls) == 4


def test_clock_links_labs_by_their_refresh(cluster: Cluster) -> None:
    nodes = nodes_lab(cluster)
    lab = clock(cluster, on_change=[nodes])
    cluster.stop_node("worker1")
    lab.plus_1min.click()
    assert "NotReady" in html.unescape(nodes.diagram.value)


# -- nodes lab ---------------------------------------------------------------------------------

def test_nodes_lab_adds_a_worker(cluster: Cluster) -> None:
    lab = nodes_lab(cluster)
    lab.add_worker.click()
    assert "worker3" in node_names(cluster)
    assert lab.node.value == "worker3" and "worker3" in lab.node.options
    out = text(lab.output.value)
    assert "# on the new machine worker3" in out and "$ kubeadm join 172.18.0.2:6443" in out
    assert "worker3" in html.unescape(lab.diagram.value)


def test_nodes_lab_cordon_logs_the_kubectl_command(cluster: Cluster) -> None:
    lab = nodes_lab(cluster)
    lab.node.value = "worker1"
    lab.cordon.click()
    assert cluster.api.get("nodes", "worker1")["spec"]["unschedulable"] is True
    assert "$ kubectl cordon worker1\nnode/worker1 cordoned" in text(lab.output.value)
    assert "SchedulingDisabled" in html.unescape(lab.diagram.value)
    lab.uncordon.click()
    assert not cluster.api.get("nodes", "worker1")["spec"].get("unschedulable")
    assert "node/worker1 uncordoned" in text(lab.output.value)


def test_nodes_lab_taints_and_untaints(cluster: Cluster) -> None:
    lab = nodes_lab(cluster)
    lab.node.value = "worker2"
    lab.taint.value = "gpu=true:NoSchedule"
    lab.add_taint.click()
    taints = cluster.api.get("nodes", "worker2")["spec"].get("taints") or []
    assert {"key": "gpu", "value": "true", "effect": "NoSchedule"} in taints
    assert "$ kubectl taint nodes worker2 gpu=true:NoSchedule" in text(lab.output.value)
    lab.remove_taint.click()
    taints = cluster.api.get("nodes", "worker2")["spec"].get("taints") or []
    assert not any(t["key"] == "gpu" for t in taints)
    assert "gpu=true:NoSchedule-\nnode/worker2 untainted" in text(lab.output.value)


def test_nodes_lab_bad_taint_is_a_kubectl_error(cluster: Cluster) -> None:
    lab = nodes_lab(cluster)
    lab.node.value = "worker1"
    lab.taint.value = "no effect here"
    lab.add_taint.click()
    assert "error: invalid taint spec" in text(lab.output.value)
    lab.taint.value = ""
    lab.add_taint.click()
    assert "error: at least one taint update is required" in text(lab.output.value)


def test_nodes_lab_stop_and_start_a_machine(cluster: Cluster) -> None:
    lab = nodes_lab(cluster)
    lab.node.value = "worker2"
    lab.stop.click()
    assert "worker2 powered off" in text(lab.output.value)
    lab.clock.plus_1min.click()
    ready = {c["type"]: c["status"] for c in
             cluster.api.get("nodes", "worker2")["status"]["conditions"]}
    assert ready["Ready"] != "True"
    assert "NotReady" in html.unescape(lab.diagram.value)
    lab.start.click()
    lab.clock.plus_10s.click()
    ready = {c["type"]: c["status"] for c in
             cluster.api.get("nodes", "worker2")["status"]["conditions"]}
    assert ready["Ready"] == "True"
    assert "worker2 powered on" in text(lab.output.value)


def test_nodes_lab_log_stays_short(cluster: Cluster) -> None:
    lab = nodes_lab(cluster)
    lab.node.value = "worker1"
    for _ in range(6):
        lab.cordon.click()
        lab.uncordon.click()
    assert text(lab.output.value).count("$ kubectl") == 8


# -- pod lab -----------------------------------------------------------------------------------

def test_two_container_pod_manifest() -> None:
    plain = two_container_pod("p")
    assert [c["name"] for c in plain["spec"]["containers"]] == ["web", "sidecar"]
    assert "shareProcessNamespace" not in plain["spec"] and "volumes" not in plain["spec"]
    both = two_container_pod("p", share_process_namespace=True, shared_volume=True)
    assert both["spec"]["shareProcessNamespace"] is True
    assert both["spec"]["volumes"] == [{"name": "shared", "emptyDir": {}}]


def test_pod_lab_shared_pid_and_volume(cluster: Cluster) -> None:
    lab = pod_lab(cluster)
    assert "no pod two-containers yet" in text(lab.diagram.value)
    lab.share_pid.value = True
    lab.shared_volume.value = True
    assert "shareProcessNamespace: true" in text(lab.manifest.value)
    lab.create.click()
    pod = cluster.api.get("pods", "two-containers")
    assert pod["spec"]["shareProcessNamespace"] is True
    assert re.search(r"two-containers\s+2/2\s+Running", text(lab.output.value))
    assert "<svg" in lab.diagram.value and "PID namespace (shared)" in html.unescape(
        lab.diagram.value)

    lab.container.value = "sidecar"
    lab.exec_command.value = "ps"
    lab.exec.click()
    out = text(lab.output.value)
    assert out.startswith("$ kubectl exec two-containers -c sidecar -- ps")
    assert "nginx: master process" in out and "/pause" in out  # the other container's too

    lab.exec_command.value = "echo hello from the sidecar > /shared/index.html"
    lab.exec.click()
    assert "-- sh -c 'echo hello from the sidecar > /shared/index.html'" in text(
        lab.output.value)
    lab.exec_command.value = "wget -qO- localhost"
    lab.exec.click()
    assert "hello from the sidecar" in text(lab.output.value)  # nginx serves the shared file

    lab.delete.click()
    assert 'pod "two-containers" deleted' in text(lab.output.value)
    assert not [p for p in cluster.api.list("pods") if p["metadata"]["name"] == "two-containers"]


def test_pod_lab_private_pid_namespaces(cluster: Cluster) -> None:
    lab = pod_lab(cluster, name="private")
    lab.create.click()
    lab.container.value = "sidecar"
    lab.exec_command.value = "ps"
    lab.exec.click()
    out = text(lab.output.value)
    assert "sleep infinity" in out and "nginx" not in out
    assert re.search(r"^\s+1 \S+\s+\S+ sleep infinity", out, re.M)  # its own PID 1
    lab.exec_command.value = "hostname"
    lab.exec.click()
    assert text(lab.output.value).rstrip().endswith("private")


def test_pod_lab_examples_fill_the_command(cluster: Cluster) -> None:
    lab = pod_lab(cluster)
    lab.container.value = "web"
    lab.examples.value = "ls /shared"
    assert lab.exec_command.value == "ls /shared" and lab.container.value == "sidecar"
    assert lab.examples.value == "(examples)"


def test_pod_lab_errors_are_kubectl_text(cluster: Cluster) -> None:
    lab = pod_lab(cluster)
    lab.exec.click()  # no pod yet
    assert 'Error from server (NotFound): pods "two-containers" not found' in text(
        lab.output.value)
    lab.delete.click()
    assert "NotFound" in text(lab.output.value)
    lab.create.click()
    lab.share_pid.value = True  # a pod's spec cannot change in place
    lab.create.click()
    assert "delete it, then create it again" in text(lab.output.value)
    assert cluster.api.get("pods", "two-containers")["spec"].get("shareProcessNamespace") is None
    lab.container.value = "web"
    lab.exec_command.value = "ps"  # nginx's image (Debian) has no ps
    lab.exec.click()
    assert "ps is not in the web container's image" in text(lab.output.value)
    lab.name.value = "Bad_Name"
    lab.create.click()
    assert "is invalid" in text(lab.output.value)


# -- scheduler lab -----------------------------------------------------------------------------

def test_scheduler_lab_explains_a_pending_pod(cluster: Cluster) -> None:
    cluster.kubectl("run web --image=nginx")
    cluster.kubectl("apply -f -", stdin="""
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: main, image: nginx, resources: {requests: {cpu: "64"}}}]
""")
    cluster.settle(30)
    lab = scheduler_lab(cluster)
    assert lab.pod.options[0] == "default/huge" and lab.pod.value == "default/huge"
    assert "<table" in lab.table.value and "worker1" in lab.table.value
    assert "huge" in text(lab.why.value)
    assert "Insufficient cpu" in text(lab.why.value) + text(lab.table.value)
    lab.pod.value = "default/web"
    assert "web" in text(lab.why.value)


def test_scheduler_lab_preselects_and_reloads(cluster: Cluster) -> None:
    lab = scheduler_lab(cluster)
    assert lab.pod.value.startswith("kube-system/")  # only system pods so far
    cluster.kubectl("run web --image=nginx")
    cluster.settle(10)
    lab.reload.click()
    assert "default/web" in lab.pod.options
    lab2 = scheduler_lab(cluster, pod="web")
    assert lab2.pod.value == "default/web"


def test_scheduler_lab_never_raises(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a, **_k):
        raise RuntimeError("no explanation today")

    monkeypatch.setattr(cluster.scheduler, "explain", broken)
    lab = scheduler_lab(cluster)
    assert "error: no explanation today" in text(lab.why.value)


# -- namespace lab -----------------------------------------------------------------------------

def test_namespace_lab_create_run_delete(cluster: Cluster) -> None:
    lab = namespace_lab(cluster)
    assert "$ kubectl get pods -A" in text(lab.output.value)
    lab.namespace.value = "team-a"
    lab.create.click()
    assert cluster.api.get("namespaces", "team-a")["metadata"]["name"] == "team-a"
    assert "namespace/team-a created" in text(lab.output.value)
    lab.run.click()
    assert cluster.api.get("pods", "web", "team-a")["metadata"]["namespace"] == "team-a"
    assert re.search(r"team-a\s+web\s+1/1\s+Running", text(lab.output.value))
    lab.delete.click()
    assert 'namespace "team-a" deleted' in text(lab.output.value)
    assert "team-a" not in [n["metadata"]["name"] for n in cluster.api.list("namespaces")]
    assert not re.search(r"^team-a\s", text(lab.output.value).split("get pods -A")[-1], re.M)


def test_namespace_lab_errors(cluster: Cluster) -> None:
    lab = namespace_lab(cluster, namespace="missing")
    lab.run.click()
    assert 'namespaces "missing" not found' in text(lab.output.value)
    lab.namespace.value = "Not_Valid"
    lab.create.click()
    assert "Not_Valid" in text(lab.output.value) and "invalid" in text(lab.output.value).lower()


# -- all labs ----------------------------------------------------------------------------------

def test_labs_have_stable_reprs(cluster: Cluster) -> None:
    labs = [console(cluster, diagram=None), clock(cluster), nodes_lab(cluster), pod_lab(cluster),
            scheduler_lab(cluster), namespace_lab(cluster)]
    assert [repr(x) for x in labs] == ["<Console>", "<ClockLab>", "<NodesLab>", "<PodLab>",
                                      "<SchedulerLab>", "<NamespaceLab>"]
