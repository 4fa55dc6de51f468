"""``cluster_dot``: the whole cluster as the notes draw it.

A "kubernetes" box holds one box per machine. The control-plane box lists its components
(kube-apiserver, etcd, kube-controller-manager, kube-scheduler: the static pods kubeadm runs,
seen through the API as mirror pods in ``kube-system``) and its taint, which is why ordinary pods
never land there. Each worker box holds its pods in a grid (name, STATUS word as ``kubectl get
pods`` prints it, pod IP). A cordoned node is dashed with ``SchedulingDisabled``; a node whose
kubelet stopped reporting is dashed grey with ``NotReady``. Pods no node runs yet sit in a
separate dashed "Pending (not scheduled)" area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from k8snb.views._dot import (
    GRAPH_ATTRS,
    esc,
    legend_dot,
    node_ip,
    node_ready,
    pod_word,
    quote,
    shorten,
    status_style,
    taint_text,
)
from k8snb.views.graph import cluster_graph, key_of, pending_pods, pods_on, worker_nodes

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["cluster_dot", "CONTROL_PLANE_COMPONENTS", "node_status_word", "is_control_plane"]

Obj = dict[str, Any]
#: The control plane's components in the order the notes list them.
CONTROL_PLANE_COMPONENTS = ("kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler")
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"
WORKERS_PER_ROW = 4
MAX_PODS_PER_NODE = 48  # beyond this a box says "… and N more" instead of growing forever
NAME_LIMIT = 22


def is_control_plane(node: Obj) -> bool:
    return CONTROL_PLANE_LABEL in ((node.get("metadata") or {}).get("labels") or {})


def node_status_word(node: Obj) -> str:
    """``Ready``, ``NotReady,SchedulingDisabled``…: the STATUS column of ``kubectl get nodes``."""
    word = node_ready(node)
    if (node.get("spec") or {}).get("unschedulable"):
        word += ",SchedulingDisabled"
    return word


def _columns(n: int) -> int:
    if n <= 2:
        return 1
    if n <= 6:
        return 2
    if n <= 12:
        return 3
    return 4


def _pod_cell(pod: Obj, now: float, show_namespace: bool) -> str:
    meta = pod["metadata"]
    word = pod_word(pod, now)
    fill, border = status_style(word)
    ip = (pod.get("status") or {}).get("podIP") or ""
    ns = meta.get("namespace", "")
    prefix = (f'<FONT COLOR="#777777">{esc(shorten(ns, 12))}/</FONT>'
              if show_namespace and ns != "default" else "")
    second = f'<FONT COLOR="{border}">{esc(word)}</FONT>'
    if ip:
        second += f'<FONT COLOR="#555555"> · {esc(ip)}</FONT>'
    return (f'<TD BGCOLOR="{fill}" COLOR="{border}" BORDER="1" ALIGN="LEFT" '
            f'TOOLTIP="{esc(ns + "/" + meta["name"] + ": " + word)}">'
            f'{prefix}<B>{esc(shorten(meta["name"], NAME_LIMIT))}</B><BR ALIGN="LEFT"/>'
            f'<FONT POINT-SIZE="8">{second}</FONT><BR ALIGN="LEFT"/></TD>')


def _grid(cells: list[str], cols: int) -> str:
    rows = []
    for i in range(0, len(cells), cols):
        row = cells[i:i + cols]
        rows.append("<TR>" + "".join(row) + "</TR>")
    return "".join(rows)


def _pods_table(pods: list[Obj], now: float, show_namespace: bool, empty: str,
                wide: bool = False) -> str:
    if not pods:
        return f'<TABLE BORDER="0"><TR><TD><FONT COLOR="#888888">{esc(empty)}</FONT></TD></TR></TABLE>'
    shown = pods if len(pods) <= MAX_PODS_PER_NODE else pods[:MAX_PODS_PER_NODE - 1]
    cols = min(len(pods), 6) if wide else _columns(len(pods))
    cells = [_pod_cell(p, now, show_namespace) for p in shown]
    body = _grid(cells, cols)
    if len(shown) < len(pods):
        body += (f'<TR><TD COLSPAN="{cols}" ALIGN="LEFT"><FONT COLOR="#555555">… and '
                 f"{len(pods) - len(shown)} more pods</FONT></TD></TR>")
    return f'<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="3">{body}</TABLE>'


def _header(node: Obj, role: str) -> str:
    """A machine box's label: name; role, STATUS and IP; then its taints."""
    word = node_status_word(node)
    colour = "#2e7d32" if word == "Ready" else "#c62828"
    ip = node_ip(node)
    lines = [f"<B>{esc(node['metadata']['name'])}</B>",
             f'<FONT POINT-SIZE="9">{esc(role)} · <FONT COLOR="{colour}">{esc(word)}</FONT>'
             f'{" · " + esc(ip) if ip else ""}</FONT>']
    taints = (node.get("spec") or {}).get("taints") or []
    for t in taints[:3]:
        lines.append(f'<FONT POINT-SIZE="8" COLOR="#8a5a00">taint {esc(taint_text(t))}</FONT>')
    if len(taints) > 3:
        lines.append(f'<FONT POINT-SIZE="8" COLOR="#8a5a00">… {len(taints) - 3} more taints</FONT>')
    return "<" + "<BR/>".join(lines) + ">"


def _box_style(node: Obj) -> str:
    word = node_status_word(node)
    if word == "Ready":
        return 'style="rounded,filled"; fillcolor="#fafafa"; color="#555555"'
    if word.startswith("Ready"):  # cordoned: still running its pods, but no new ones
        return 'style="rounded,dashed,filled"; fillcolor="#f2f2f2"; color="#777777"; penwidth=1.6'
    return 'style="rounded,dashed,filled"; fillcolor="#e6e6e6"; color="#c62828"; penwidth=1.6'


def _component_cells(components: dict[str, Obj], now: float) -> list[str]:
    cells = []
    for name in CONTROL_PLANE_COMPONENTS:
        pod = components.get(name)
        word = pod_word(pod, now) if pod is not None else "missing"
        fill, border = status_style(word) if pod is not None else ("#ffffff", "#999999")
        cells.append(f'<TD BGCOLOR="{fill}" COLOR="{border}" BORDER="1" CELLPADDING="4">'
                     f'<B>{esc(name)}</B><BR/><FONT POINT-SIZE="8" COLOR="{border}">'
                     f"{esc(word)}</FONT></TD>")
    return cells


def _control_plane_components(g: nx.DiGraph, node_key: str) -> dict[str, Obj]:
    out: dict[str, Obj] = {}
    for pod in pods_on(g, node_key):
        meta = pod["metadata"]
        comp = (meta.get("labels") or {}).get("component")
        if meta.get("namespace") == "kube-system" and comp in CONTROL_PLANE_COMPONENTS:
            out[comp] = pod
    return out


def cluster_dot(cluster: Cluster, *, namespace: str | None = None) -> str:
    """DOT text of the cluster: control plane, workers with their pods, pending pods, legend.

    ``namespace`` limits the pods shown on workers (the control plane's components always
    show). Pods outside ``default`` are prefixed with their namespace when all are shown.
    """
    now = cluster.clock.now
    g = cluster_graph(cluster)
    nodes = worker_nodes(g)
    control = [n for n in nodes if is_control_plane(n)]
    workers = [n for n in nodes if not is_control_plane(n)]

    def visible(pods: list[Obj]) -> list[Obj]:
        return [p for p in pods if namespace is None or p["metadata"].get("namespace") == namespace]

    out = ["digraph cluster {\n", GRAPH_ATTRS, "  compound=true;\n",
           '  subgraph cluster_kubernetes {\n',
           '    label=<<B>kubernetes</B>>; labeljust=l; fontsize=13; style="rounded"; '
           'color="#326ce5"; penwidth=2;\n']
    anchors: list[list[str]] = []  # rows of machine anchors, top to bottom
    for i, node in enumerate(control):
        name = node["metadata"]["name"]
        key = key_of("Node", name)
        comps = _control_plane_components(g, key)
        others = [p for p in visible(pods_on(g, key)) if p not in comps.values()]
        anchor = f"node:{name}"
        cells = _component_cells(comps, now)
        table = ('<TABLE BORDER="0" CELLSPACING="4"><TR>' + "".join(cells) + "</TR>")
        if others:
            table += (f'<TR><TD COLSPAN="{len(cells)}">'
                      f"{_pods_table(others, now, namespace is None, '')}</TD></TR>")
        table += "</TABLE>"
        out.append(f"    subgraph cluster_node_{i}_cp {{\n"
                   f"      label={_header(node, 'control plane (master)')}; labeljust=l; "
                   f"{_box_style(node)};\n"
                   f"      {quote(anchor)} [shape=plain, label=<{table}>];\n    }}\n")
        anchors.append([anchor]) if i == 0 else anchors[0].append(anchor)
    for i, node in enumerate(workers):
        name = node["metadata"]["name"]
        pods = visible(pods_on(g, key_of("Node", name)))
        anchor = f"node:{name}"
        table = _pods_table(pods, now, namespace is None, "no pods")
        out.append(f"    subgraph cluster_node_{i}_w {{\n"
                   f"      label={_header(node, 'worker')}; labeljust=l; {_box_style(node)};\n"
                   f"      {quote(anchor)} [shape=plain, label=<{table}>];\n    }}\n")
        if i % WORKERS_PER_ROW == 0:
            anchors.append([])
        anchors[-1].append(anchor)
    pending = visible(pending_pods(g))
    if pending:
        table = _pods_table(pending, now, namespace is None, "", wide=True)
        out.append('    subgraph cluster_pending {\n'
                   '      label=<<B>Pending (not scheduled)</B><BR/><FONT POINT-SIZE="8">'
                   'no node chosen yet: see the scheduler</FONT>>; labeljust=l; '
                   'style="rounded,dashed"; color="#b26a00";\n'
                   f'      "pending" [shape=plain, label=<{table}>];\n    }}\n')
        anchors.append(["pending"])
    out.append("  }\n")
    out.append(legend_dot())
    for upper, lower in zip(anchors, anchors[1:], strict=False):  # stack rows of machines
        for j, dst in enumerate(lower):
            src = upper[min(j, len(upper) - 1)]
            out.append(f"  {quote(src)} -> {quote(dst)} [style=invis];\n")
    out.append("}\n")
    return "".join(out)
