"""Views: what a learner would notice in the DOT text, plus frames and the Diagram wrapper."""

from __future__ import annotations

import html
import re

import pytest
from test_views_state import CP, StateCluster, control_plane_pods, sample_cluster

from k8snb.api.errors import StatusError
from k8snb.views import (
    Diagram,
    RenderError,
    cluster_diagram,
    cluster_dot,
    cluster_graph,
    node_diagram,
    node_dot,
    nodes_frame,
    pod_diagram,
    pod_dot,
    pods_frame,
)
from k8snb.views._dot import STATUS_COLOURS, shorten
from k8snb.views.graph import pending_pods, pods_on


@pytest.fixture(scope="module")
def state() -> StateCluster:
    return sample_cluster()


def box(dot: str, name: str) -> str:
    """The DOT text of the machine box (subgraph) whose anchor is ``node:<name>``."""
    for part in dot.split("    subgraph ")[1:]:
        if f'"node:{name}"' in part:
            return part.split("\n    }\n")[0]
    raise AssertionError(f"no box for {name}")


def pod_cell(dot: str, name: str) -> str:
    m = re.search(r"<TD[^>]*>(?:(?!</TD>).)*<B>" + re.escape(name) + r"</B>.*?</TD>", dot)
    assert m, f"no cell for {name}"
    return m.group(0)


# -- cluster_dot -------------------------------------------------------------------------------

def test_cluster_box_holds_control_plane_and_workers(state: StateCluster) -> None:
    dot = cluster_dot(state)
    assert dot.startswith("digraph cluster {")
    assert "subgraph cluster_kubernetes" in dot and "<B>kubernetes</B>" in dot
    for name in ("control-plane", "worker1", "worker2", "worker3"):
        assert f'"node:{name}"' in dot


def test_control_plane_box_lists_components_and_taint(state: StateCluster) -> None:
    cp = box(cluster_dot(state), CP)
    for comp in ("kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"):
        assert f"<B>{comp}</B>" in cp
    assert "taint node-role.kubernetes.io/control-plane:NoSchedule" in cp
    assert "control plane (master)" in cp
    # components are drawn once, as components, not again as pods
    assert "etcd-control-plane" not in cp


def test_component_colour_follows_its_mirror_pod() -> None:
    c = StateCluster()
    c.node(CP, control_plane=True)
    control_plane_pods(c)
    pod = c.api.get("pods", "kube-scheduler-control-plane", "kube-system")
    pod["status"]["containerStatuses"][0]["state"] = {"waiting": {"reason": "CrashLoopBackOff"}}
    c.api.update_status(pod)
    cp = box(cluster_dot(c), CP)
    red = STATUS_COLOURS["failed"][0]
    assert re.search(rf'BGCOLOR="{red}"[^>]*><B>kube-scheduler</B>.*?CrashLoopBackOff', cp)


def test_worker_box_shows_pod_name_status_and_ip(state: StateCluster) -> None:
    w1 = box(cluster_dot(state), "worker1")
    pod = state.api.get("pods", "web-7c9d8f6b5-ax2k4")
    assert "<B>web-7c9d8f6b5-ax2k4</B>" in w1
    assert pod["status"]["podIP"] in pod_cell(w1, "web-7c9d8f6b5-ax2k4")
    assert "Running" in pod_cell(w1, "web-7c9d8f6b5-ax2k4")
    assert "web-7c9d8f6b5-fx2k4" not in w1  # that one runs on worker2


def test_status_words_and_colours_as_kubectl_shows_them(state: StateCluster) -> None:
    dot = cluster_dot(state)
    expect = {"web-7c9d8f6b5-ax2k4": ("Running", "running"),
              "web-7c9d8f6b5-cx2k4": ("ContainerCreating", "pending"),
              "web-7c9d8f6b5-dx2k4": ("CrashLoopBackOff", "failed"),
              "web-7c9d8f6b5-ex2k4": ("Completed", "done")}
    for name, (word, cls) in expect.items():
        cell = pod_cell(dot, name)
        assert word in cell
        assert f'BGCOLOR="{STATUS_COLOURS[cls][0]}"' in cell


def test_cordoned_node_is_dashed_and_says_scheduling_disabled(state: StateCluster) -> None:
    dot = cluster_dot(state)
    w2 = box(dot, "worker2")
    assert "Ready,SchedulingDisabled" in w2
    assert "dashed" in w2
    assert "dashed" not in box(dot, "worker1")
    assert "SchedulingDisabled" not in box(dot, "worker1")


def test_not_ready_node_is_dashed_grey_and_says_not_ready(state: StateCluster) -> None:
    w3 = box(cluster_dot(state), "worker3")
    assert "NotReady" in w3 and "dashed" in w3
    assert 'fillcolor="#e6e6e6"' in w3
    assert "taint node.kubernetes.io/unreachable:NoExecute" in w3


def test_pending_pods_sit_in_their_own_area(state: StateCluster) -> None:
    dot = cluster_dot(state)
    pending = dot[dot.index("subgraph cluster_pending"):]
    assert "Pending (not scheduled)" in pending
    assert "<B>big-1</B>" in pending and "<B>big-2</B>" in pending
    for node in ("worker1", "worker2", "worker3"):
        assert "big-1" not in box(dot, node)


def test_no_pending_area_without_pending_pods() -> None:
    c = StateCluster()
    c.node(CP, control_plane=True)
    c.node("worker1")
    dot = cluster_dot(c)
    assert "Pending (not scheduled)" not in dot
    assert "no pods" in box(dot, "worker1")


def test_other_namespaces_are_prefixed_and_filterable(state: StateCluster) -> None:
    dot = cluster_dot(state)
    assert ">shop/</FONT><B>payments-fr…" in dot
    only_default = cluster_dot(state, namespace="default")
    assert "payments" not in only_default
    assert "<B>kube-apiserver</B>" in only_default  # the control plane always shows
    only_shop = cluster_dot(state, namespace="shop")
    assert "web-7c9d8f6b5" not in only_shop and "payments" in only_shop


def test_long_names_are_shortened_keeping_the_tail(state: StateCluster) -> None:
    assert shorten("payments-frontend-canary-7c9d8f6b5-x2k4q", 22) == "payments-fr…f6b5-x2k4q"
    assert shorten("web-1") == "web-1"
    dot = cluster_dot(state)
    assert "payments-fr…f6b5-x2k4q" in dot
    assert 'TOOLTIP="shop/payments-frontend-canary-7c9d8f6b5-x2k4q: Running"' in dot


def test_many_pods_wrap_in_columns_and_stay_bounded() -> None:
    c = StateCluster()
    c.node(CP, control_plane=True)
    c.node("worker1")
    for i in range(25):
        c.pod(f"web-{i:02d}", "worker1")
    w1 = box(cluster_dot(c), "worker1")
    rows = re.findall(r"<TR>(.*?)</TR>", w1)
    assert len(rows) == 7 and all(r.count("<TD") <= 4 for r in rows)  # 4 columns
    for i in range(25, 60):
        c.pod(f"web-{i:02d}", "worker1")
    w1 = box(cluster_dot(c), "worker1")
    assert w1.count("<B>web-") == 47
    assert "… and 13 more pods" in w1


def test_legend_names_the_colours(state: StateCluster) -> None:
    dot = cluster_dot(state)
    legend = dot[dot.index('"legend"'):]
    for word in ("Running", "Pending", "CrashLoopBackOff", "Terminating", "Completed"):
        assert word in legend


def test_cluster_dot_renders_with_graphviz(state: StateCluster) -> None:
    svg = html.unescape(cluster_diagram(state).svg())
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "kube-apiserver" in svg and "worker2" in svg


# -- cluster_graph -----------------------------------------------------------------------------

def test_graph_has_placement_and_ownership(state: StateCluster) -> None:
    g = cluster_graph(state)
    cp_pods = {p["metadata"]["name"] for p in pods_on(g, f"Node/{CP}")}
    assert cp_pods == {f"{c}-{CP}" for c in ("etcd", "kube-apiserver",
                                             "kube-controller-manager", "kube-scheduler")}
    edge = g.edges[f"Node/{CP}", f"Pod/kube-system/etcd-{CP}"]
    assert edge["runs"] and edge["owns"]  # the control-plane node runs and owns its mirrors
    assert {p["metadata"]["name"] for p in pending_pods(g)} == {"big-1", "big-2"}
    assert g.nodes["Pod/shop/payments-frontend-canary-7c9d8f6b5-x2k4q"]["namespace"] == "shop"


# -- node_dot ----------------------------------------------------------------------------------

def test_control_plane_node_components_and_who_talks_to_whom(state: StateCluster) -> None:
    dot = node_dot(state, CP)
    for comp in ("kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler",
                 "cloud-controller-manager", "kubelet", "containerd"):
        assert f'"{comp}" [' in dot
    ccm = re.search(r'"cloud-controller-manager" \[[^\n]*', dot).group(0)
    assert "dashed" in ccm and "optional" in ccm
    edges = re.findall(r'"([^"]+)" -> "([^"]+)"', dot)
    assert ("kube-apiserver", "etcd") in edges
    assert [a for a, b in edges if b == "etcd"] == ["kube-apiserver"]  # only the API server
    for client in ("kube-controller-manager", "kube-scheduler", "kubelet", "you"):
        assert (client, "kube-apiserver") in edges
    assert ("kubelet", "containerd") in edges


def test_worker_node_components_and_sandboxes(state: StateCluster) -> None:
    dot = node_dot(state, "worker1")
    for comp in ("kubelet", "kube-proxy"):
        assert f'"{comp}" [' in dot
    assert "container runtime" in dot and "containerd 2.1.4" in dot
    assert "CRI (gRPC)" in dot and "lhead=cluster_runtime" in dot
    # every arrow to the API server starts at a client on this node
    assert re.search(r'"control-plane" -> "kubelet" \[dir=back', dot)
    assert re.search(r'"control-plane" -> "kube-proxy" \[dir=back', dot)
    assert dot.count("<B>pause</B>") == 5  # one sandbox per pod on worker1
    assert "web-7c9d8f6b5-fx2k4" not in dot


def test_node_dot_unknown_node_is_not_found(state: StateCluster) -> None:
    with pytest.raises(StatusError) as e:
        node_dot(state, "nope")
    assert e.value.reason == "NotFound"


# -- pod_dot -----------------------------------------------------------------------------------

def _two(c: StateCluster, name: str, *, share: bool, volume: bool) -> None:
    web = {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}
    side = {"name": "sidecar", "image": "busybox", "command": ["sleep", "infinity"]}
    spec: dict = {"shareProcessNamespace": share} if share else {}
    if volume:
        web["volumeMounts"] = [{"name": "shared", "mountPath": "/usr/share/nginx/html"}]
        side["volumeMounts"] = [{"name": "shared", "mountPath": "/shared", "readOnly": True}]
        spec["volumes"] = [{"name": "shared", "emptyDir": {}}]
    c.pod(name, "worker1", containers=[web, side], spec=spec)


def test_pod_pause_holds_network_hostname_ipc(state: StateCluster) -> None:
    _two(state, "plain", share=False, volume=False)
    ip = state.api.get("pods", "plain")["status"]["podIP"]
    dot = pod_dot(state, "default", "plain")
    pause = re.search(r'"pause" \[.*', dot).group(0)
    assert "network namespace" in pause and ip in pause and "localhost" in pause
    assert "hostname (UTS)" in pause and ">plain<" in pause
    assert "IPC namespace" in pause
    assert '"pause" -> "c:web"' in dot and '"pause" -> "c:sidecar"' in dot
    assert "listens on 80/TCP" in dot


def test_private_pid_namespace_by_default(state: StateCluster) -> None:
    dot = pod_dot(state, "default", "plain")
    assert "PID namespace (shared)" not in dot
    assert dot.count("PID namespace: its own") == 2
    assert "shares net, uts, ipc\"" in dot and "ipc, pid" not in dot


def test_share_process_namespace_shows_a_shared_pid_namespace(state: StateCluster) -> None:
    _two(state, "shared-pid", share=True, volume=False)
    dot = pod_dot(state, "default", "shared-pid")
    pause = re.search(r'"pause" \[.*', dot).group(0)
    assert "PID namespace (shared)" in pause and "shareProcessNamespace" in pause
    assert dot.count('label="shares net, uts, ipc, pid"') == 2
    assert "PID namespace: its own" not in dot


def test_empty_dir_connects_to_both_containers_with_mount_paths(state: StateCluster) -> None:
    _two(state, "vol", share=False, volume=True)
    dot = pod_dot(state, "default", "vol")
    assert re.search(r'"v:shared" \[shape=folder.*emptyDir', dot)
    assert '"c:web" -> "v:shared" [label="/usr/share/nginx/html"' in dot
    assert '"c:sidecar" -> "v:shared" [label="/shared (ro)"' in dot


def test_files_are_private_unless_on_a_volume(state: StateCluster) -> None:
    dot = pod_dot(state, "default", "plain")
    assert dot.count("own root filesystem") == 2
    assert "what they share must be on a volume" in dot


def test_pending_pod_has_no_sandbox_yet(state: StateCluster) -> None:
    dot = pod_dot(state, "default", "big-1")
    assert "not scheduled" in dot and "not created yet" in dot


# -- frames ------------------------------------------------------------------------------------

def test_pods_frame_has_kubectl_wide_columns(state: StateCluster) -> None:
    df = pods_frame(state, "default")
    assert list(df.columns) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                                "NOMINATED NODE", "READINESS GATES"]
    row = df[df.NAME == "web-7c9d8f6b5-dx2k4"].iloc[0]
    assert row.STATUS == "CrashLoopBackOff" and row.NODE == "worker1"
    assert df[df.NAME == "big-1"].iloc[0].NODE == "<none>"
    everywhere = pods_frame(state)
    assert everywhere.columns[0] == "NAMESPACE"
    assert set(everywhere.NAMESPACE) >= {"default", "kube-system", "shop"}


def test_nodes_frame_has_kubectl_wide_columns(state: StateCluster) -> None:
    df = nodes_frame(state)
    assert list(df.columns[:5]) == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    status = dict(zip(df.NAME, df.STATUS, strict=True))
    assert status == {CP: "Ready", "worker1": "Ready", "worker2": "Ready,SchedulingDisabled",
                      "worker3": "NotReady"}


# -- Diagram -----------------------------------------------------------------------------------

def test_diagram_repr_is_stable_and_carries_dot(state: StateCluster) -> None:
    d = cluster_diagram(state)
    assert repr(d) == f"<Diagram cluster: 4 nodes, {len(state.api.list('pods'))} pods>"
    assert d.dot == cluster_dot(state)
    assert "0x" not in repr(d)
    assert repr(node_diagram(state, "worker1")) == "<Diagram node worker1>"
    assert repr(pod_diagram(state, "default", "big-1")) == "<Diagram pod default/big-1>"
    assert repr(cluster_diagram(state, namespace="shop")) == \
        "<Diagram cluster: 4 nodes, 1 pod in shop>"


def test_diagram_repr_svg_and_render_errors() -> None:
    d = Diagram('digraph { a -> b }', "tiny")
    assert "<svg" in d._repr_svg_()
    broken = Diagram("digraph { a -> ", "broken")
    with pytest.raises(RenderError):
        broken.svg()
    assert broken._repr_svg_() is None  # Jupyter falls back to the text repr


# -- a real cluster ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live():
    from k8snb.cluster import Cluster

    c = Cluster(workers=3, seed=0)
    for i in range(6):
        c.kubectl(f"run web-{i} --image=nginx")
    c.kubectl("run crash --image=busybox -- false")
    c.kubectl("apply -f -", stdin="""
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  shareProcessNamespace: true
  containers:
  - {name: web, image: nginx, volumeMounts: [{name: shared, mountPath: /usr/share/nginx/html}]}
  - name: sidecar
    image: busybox
    command: [sleep, infinity]
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes: [{name: shared, emptyDir: {}}]
""")
    c.kubectl("apply -f -", stdin="""
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: main, image: nginx, resources: {requests: {cpu: "64"}}}]
""")
    c.settle(60)
    return c


def test_live_cluster_diagram(live) -> None:
    dot = cluster_dot(live)
    for comp in ("kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"):
        assert re.search(rf"<B>{comp}</B><BR/><FONT[^>]*>Running<", dot)
    pending = dot[dot.index("subgraph cluster_pending"):]
    assert "<B>huge</B>" in pending and "kube-apiserver" not in pending
    assert "CrashLoopBackOff" in pod_cell(dot, "crash") or "Error" in pod_cell(dot, "crash")
    assert cluster_dot(live) == dot  # a pure function of the state


def test_live_pod_diagram_shows_processes_from_the_runtime(live) -> None:
    dot = pod_dot(live, "default", "two")
    pod = live.api.get("pods", "two")
    assert pod["status"]["podIP"] in dot
    assert "PID 1 /pause" in dot  # shared PID namespace: pause is PID 1
    assert re.search(r"PID \d+ +sleep infinity", dot)
    assert re.search(r"PID \d+ +nginx: master process", dot)
    assert '"c:web" -> "v:shared"' in dot and '"c:sidecar" -> "v:shared"' in dot


def test_live_node_diagram_lists_the_runtime_sandboxes(live) -> None:
    node = live.api.get("pods", "two")["spec"]["nodeName"]
    dot = node_dot(live, node)
    assert "<B>two</B>" in dot and "<B>sidecar</B>" in dot
    on_node = [p for p in live.api.list("pods") if p["spec"].get("nodeName") == node]
    assert dot.count("<B>pause</B>") == len(on_node)


def test_live_stopped_node_has_no_containers() -> None:
    from k8snb.cluster import Cluster

    c = Cluster(workers=1, seed=1)
    c.kubectl("run web --image=nginx")
    c.settle(30)
    c.stop_node("worker1")
    dot = node_dot(c, "worker1")
    assert "machine stopped" in dot and "no sandbox yet" in dot
    c.advance(60)
    assert "NotReady" in box(cluster_dot(c), "worker1")


def test_live_scheduling_frame(live) -> None:
    from k8snb.views import scheduling_frame

    df = scheduling_frame(live, "huge")
    assert len(df) >= 4 or len(df.columns) >= 4
    assert any("worker1" in str(x) for x in [*df.index, *df.columns, *df.to_numpy().ravel()])


def test_terminating_pod_is_grey() -> None:
    c = StateCluster()
    c.node(CP, control_plane=True)
    c.node("worker1")
    c.pod("leaving", "worker1")
    c.api.delete("pods", "leaving", "default")  # graceful: stays, with a deletionTimestamp
    cell = pod_cell(cluster_dot(c), "leaving")
    assert "Terminating" in cell and f'BGCOLOR="{STATUS_COLOURS["terminating"][0]}"' in cell
