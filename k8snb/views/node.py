"""``node_dot``: one machine's components and who talks to whom.

The control plane: kube-apiserver (the only component that touches etcd), etcd, the
controller manager and the scheduler (both clients of the API server, like everything else),
and the optional cloud-controller-manager, which only runs on a cloud provider. Its kubelet
and containerd run those components as static pods.

A worker: the kubelet (watches the API server for pods bound here, reports node and pod
status), kube-proxy (watches Services and EndpointSlices, writes the node's forwarding rules)
and the container runtime (containerd), which the kubelet drives through the CRI. The runtime
runs one sandbox per pod: the pause container that holds the pod's network namespace, and the
pod's app containers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.views._dot import (
    GRAPH_ATTRS,
    esc,
    node_ip,
    pod_word,
    quote,
    shorten,
    status_style,
    taint_text,
)
from k8snb.views.cluster import CONTROL_PLANE_COMPONENTS, is_control_plane, node_status_word

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["node_dot", "container_word"]

Obj = dict[str, Any]
MAX_SANDBOXES = 30
PAUSE_IMAGE = "registry.k8s.io/pause:3.10"
_API = "kube-apiserver"
_DESCRIPTIONS = {
    "kube-apiserver": "REST front door of the cluster (:6443)<BR/>every component talks to it",
    "etcd": "key-value store: the cluster's state (:2379)",
    "kube-controller-manager": "control loops: ReplicaSet, Deployment,<BR/>Node lifecycle, "
                               "Namespace, GC …",
    "kube-scheduler": "picks a node for each new pod",
}


def container_word(status: Obj | None) -> str:
    """``running``, ``waiting: CrashLoopBackOff``, ``terminated: Completed`` … for one container."""
    state = (status or {}).get("state") or {}
    if "running" in state:
        return "Running"
    if "terminated" in state:
        return state["terminated"].get("reason") or "Terminated"
    if "waiting" in state:
        return state["waiting"].get("reason") or "Waiting"
    return "Waiting"


def _kubelet(cluster: Cluster, name: str) -> Any:
    return (getattr(getattr(cluster, "nodes", None), "kubelets", None) or {}).get(name)


def _machine_label(node: Obj, role: str, powered: bool) -> str:
    word = node_status_word(node)
    colour = "#2e7d32" if word == "Ready" else "#c62828"
    ip = node_ip(node)
    lines = [f'<B>{esc(node["metadata"]["name"])}</B>',
             f'<FONT POINT-SIZE="9">{esc(role)} · <FONT COLOR="{colour}">{esc(word)}</FONT>'
             f'{" · " + esc(ip) if ip else ""}</FONT>']
    if not powered:
        lines.append('<FONT POINT-SIZE="9" COLOR="#c62828">machine stopped: no kubelet '
                     "heartbeats, no containers</FONT>")
    for t in ((node.get("spec") or {}).get("taints") or [])[:3]:
        lines.append(f'<FONT POINT-SIZE="8" COLOR="#8a5a00">taint {esc(taint_text(t))}</FONT>')
    return "<" + "<BR/>".join(lines) + ">"


def _machine_style(node: Obj, powered: bool) -> str:
    if node_status_word(node) == "Ready" and powered:
        return 'style="rounded,filled"; fillcolor="#fafafa"; color="#555555"'
    return 'style="rounded,dashed,filled"; fillcolor="#eeeeee"; color="#c62828"; penwidth=1.6'


def _component(name: str, text: str, word: str | None, *, shape: str = "box",
               dashed: bool = False) -> str:
    if word is None:
        fill, border = "#ffffff", "#888888"
    else:
        fill, border = status_style(word)
    status = f'<BR/><FONT POINT-SIZE="8" COLOR="{border}">{esc(word)}</FONT>' if word else ""
    style = "rounded,filled,dashed" if dashed else "rounded,filled"
    if shape == "cylinder":
        style = "filled,dashed" if dashed else "filled"
    return (f"    {quote(name)} [shape={shape}, style=\"{style}\", fillcolor=\"{fill}\", "
            f"color=\"{border}\", label=<<B>{esc(name)}</B><BR/><FONT POINT-SIZE=\"8\">"
            f"{text}</FONT>{status}>];\n")


def _agent(name: str, text: str, powered: bool) -> str:
    colour = "#3b5b92" if powered else "#999999"
    fill = "#e8eefb" if powered else "#f0f0f0"
    state = "" if powered else '<BR/><FONT POINT-SIZE="8" COLOR="#c62828">stopped</FONT>'
    return (f"    {quote(name)} [shape=box, style=\"rounded,filled\", fillcolor=\"{fill}\", "
            f"color=\"{colour}\", label=<<B>{esc(name)}</B><BR/><FONT POINT-SIZE=\"8\">"
            f"{text}</FONT>{state}>];\n")


def _has_sandbox(pod: Obj, kubelet: Any) -> bool:
    if kubelet is not None and hasattr(kubelet, "record_for"):
        if not getattr(kubelet, "running", True):
            return False
        rec = kubelet.record_for(pod["metadata"]["namespace"], pod["metadata"]["name"])
        return rec is not None and getattr(rec, "sandbox_id", None) is not None
    return bool((pod.get("status") or {}).get("podIP"))


def _sandbox_rows(pods: list[Obj], now: float, kubelet: Any) -> str:
    """One row per pod sandbox: the pod, its pause container, then its app containers."""
    rows = []
    for pod in pods[:MAX_SANDBOXES]:
        meta = pod["metadata"]
        word = pod_word(pod, now)
        fill, border = status_style(word)
        ip = (pod.get("status") or {}).get("podIP") or ""
        statuses = {s.get("name"): s for s in (pod.get("status") or {}).get(
            "containerStatuses") or []}
        name = shorten(meta["name"], 24)
        if meta.get("namespace") != "default":
            name = f'{shorten(meta["namespace"], 12)}/{name}'
        cells = [f'<TD ALIGN="LEFT" BGCOLOR="{fill}" COLOR="{border}" BORDER="1">'
                 f'<B>{esc(name)}</B><BR ALIGN="LEFT"/><FONT POINT-SIZE="8" COLOR="{border}">'
                 f"{esc(word)}</FONT><BR ALIGN=\"LEFT\"/></TD>"]
        if _has_sandbox(pod, kubelet):
            net = "host network" if pod["spec"].get("hostNetwork") else ip
            cells.append('<TD BGCOLOR="#eeeeee" COLOR="#777777" BORDER="1"><B>pause</B><BR/>'
                         f'<FONT POINT-SIZE="8">{esc(net)}</FONT></TD>')
            for c in pod["spec"].get("containers") or []:
                cw = container_word(statuses.get(c["name"]))
                cf, cb = status_style("Completed" if cw == "Completed" else cw)
                cells.append(f'<TD BGCOLOR="{cf}" COLOR="{cb}" BORDER="1"><B>'
                             f'{esc(shorten(c["name"], 18))}</B><BR/><FONT POINT-SIZE="8">'
                             f'{esc(shorten(c.get("image", ""), 22))}</FONT></TD>')
        else:
            cells.append('<TD COLOR="#999999" BORDER="1" STYLE="rounded"><FONT POINT-SIZE="8" '
                         'COLOR="#777777">no sandbox yet</FONT></TD>')
        rows.append("<TR>" + "".join(cells) + "</TR>")
    if len(pods) > MAX_SANDBOXES:
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="3"><FONT COLOR="#555555">… and '
                    f"{len(pods) - MAX_SANDBOXES} more pods</FONT></TD></TR>")
    if not rows:
        rows.append('<TR><TD><FONT COLOR="#888888">no containers running</FONT></TD></TR>')
    head = ('<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#555555">pod</FONT></TD>'
            '<TD><FONT POINT-SIZE="8" COLOR="#555555">sandbox</FONT></TD>'
            '<TD COLSPAN="4" ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#555555">app containers'
            "</FONT></TD></TR>") if pods else ""
    return ('<TABLE BORDER="0" CELLSPACING="3" CELLPADDING="3">' + head + "".join(rows)
            + "</TABLE>")


def _runtime_version(node: Obj) -> str:
    v = ((node.get("status") or {}).get("nodeInfo") or {}).get("containerRuntimeVersion", "")
    return v.replace("://", " ") if v else "containerd"


def node_dot(cluster: Cluster, node_name: str) -> str:
    """DOT text of one node's components (control plane or worker) and their connections.

    Raises the API server's ``StatusError`` (NotFound) for an unknown node.
    """
    now = cluster.clock.now
    node = cluster.api.get("nodes", node_name)
    pods = [p for p in cluster.api.list("pods") if p["spec"].get("nodeName") == node_name]
    kubelet = _kubelet(cluster, node_name)
    powered = kubelet is None or getattr(kubelet, "running", True)
    out = [f"digraph {quote('node ' + node_name)} {{\n", GRAPH_ATTRS, "  compound=true;\n"]
    if is_control_plane(node):
        out += _control_plane(node, pods, now, kubelet, powered)
    else:
        out += _worker(node, pods, now, kubelet, powered)
    out.append("}\n")
    return "".join(out)


def _control_plane(node: Obj, pods: list[Obj], now: float, kubelet: Any,
                   powered: bool) -> list[str]:
    comps: dict[str, Obj] = {}
    for p in pods:
        comp = (p["metadata"].get("labels") or {}).get("component")
        if p["metadata"].get("namespace") == "kube-system" and comp in CONTROL_PLANE_COMPONENTS:
            comps[comp] = p
    others = [p for p in pods if p not in comps.values()]
    out = ['  "you" [shape=box, style="rounded,filled", fillcolor="#fff8e1", color="#b26a00", '
           'label=<<B>kubectl</B><BR/><FONT POINT-SIZE="8">you, or any client</FONT>>];\n',
           '  "workers" [shape=box, style="rounded,dashed", color="#777777", '
           'label=<<B>kubelets &amp; kube-proxies</B><BR/><FONT POINT-SIZE="8">on every node'
           "</FONT>>];\n",
           "  subgraph cluster_machine {\n",
           f"    label={_machine_label(node, 'control plane (master)', powered)}; "
           f"{_machine_style(node, powered)};\n"]
    for name in CONTROL_PLANE_COMPONENTS:
        pod = comps.get(name)
        word = pod_word(pod, now) if pod is not None else "missing"
        if not powered:
            word = "Unknown"
        out.append(_component(name, _DESCRIPTIONS[name], word,
                              shape="cylinder" if name == "etcd" else "box"))
    out.append(_component("cloud-controller-manager",
                          "optional: talks to a cloud provider's API<BR/>(not part of this "
                          "cluster)", None, dashed=True))
    out.append("    subgraph cluster_agents {\n"
               '      label=<<FONT POINT-SIZE="9">node agents: run the components above as '
               'static pods<BR/>from /etc/kubernetes/manifests</FONT>>; style="rounded,dotted"; '
               'color="#999999";\n')
    out.append(_agent("kubelet", "node agent", powered).replace("    ", "      ", 1))
    out.append(_agent("containerd", esc(_runtime_version(node)) + " (container runtime)",
                      powered).replace("    ", "      ", 1))
    if others:
        out.append(f'      "other pods" [shape=plain, label=<{_sandbox_rows(others, now, kubelet)}>];\n')
    out.append("    }\n  }\n")
    edges = [
        ("you", _API, 'label="HTTPS REST"'),
        ("kube-controller-manager", _API, 'label="watch, update"'),
        ("kube-scheduler", _API, 'label="watch pods,\\nbind"'),
        (_API, "etcd", 'label="read/write\\n(only the API server)", penwidth=1.6'),
        ("cloud-controller-manager", _API, 'style=dashed, color="#888888"'),
        ("kubelet", _API, 'label="status"'),
        ("workers", _API, 'label="watch, report"'),
        ("kubelet", "containerd", 'label="CRI"'),
    ]
    out += [f"  {quote(a)} -> {quote(b)} [{attrs}];\n" for a, b, attrs in edges]
    return out


def _worker(node: Obj, pods: list[Obj], now: float, kubelet: Any, powered: bool) -> list[str]:
    out = ['  "control-plane" [shape=box, style="rounded,filled", fillcolor="#e8eefb", '
           'color="#326ce5", label=<<B>kube-apiserver</B><BR/><FONT POINT-SIZE="8">'
           "on the control plane</FONT>>];\n",
           "  subgraph cluster_machine {\n",
           f"    label={_machine_label(node, 'worker', powered)}; "
           f"{_machine_style(node, powered)};\n",
           _agent("kubelet", "node agent: runs the pods<BR/>bound to this node", powered),
           _agent("kube-proxy", "Service virtual IPs -&gt;<BR/>pod IPs (iptables rules)",
                  powered),
           "    subgraph cluster_runtime {\n"
           f'      label=<<B>container runtime</B> <FONT POINT-SIZE="9">'
           f"{esc(_runtime_version(node))}</FONT>>; style=\"rounded,filled\"; "
           'fillcolor="#ffffff"; color="#3b5b92";\n',
           f'      "sandboxes" [shape=plain, label=<{_sandbox_rows(pods, now, kubelet)}>];\n',
           "    }\n  }\n"]
    edges = [
        # drawn API server first so it sits on top; dir=back keeps the arrow client -> server
        ("control-plane", "kubelet", 'dir=back, label="watch pods bound here;\\nreport node '
         '& pod status"'),
        ("control-plane", "kube-proxy", 'dir=back, label="watch Services,\\nEndpointSlices"'),
        ("kubelet", "sandboxes", 'label="CRI (gRPC): RunPodSandbox,\\nCreateContainer, '
         'StartContainer", lhead=cluster_runtime'),
    ]
    out += [f"  {quote(a)} -> {quote(b)} [{attrs}];\n" for a, b, attrs in edges]
    return out
