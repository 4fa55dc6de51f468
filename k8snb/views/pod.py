"""``pod_dot``: inside a Pod, as the notes draw it (Pause with the containers attached).

The pause container starts first and holds the pod's namespaces: the network namespace (the
pod IP; every container reaches the others on ``localhost``), the UTS namespace (the pod's
hostname) and IPC. App containers join them. The PID namespace is shared only with
``shareProcessNamespace: true`` (then pause is PID 1 and every container sees the others'
processes); otherwise each container has its own, with its main process as PID 1. Each
container has its own root filesystem from its image: files are private unless they live on
a volume both containers mount.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.views._dot import GRAPH_ATTRS, esc, pod_word, quote, shorten, status_style
from k8snb.views.node import PAUSE_IMAGE, container_word

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["pod_dot", "volume_kind"]

Obj = dict[str, Any]
MAX_PROCESSES = 4
_SA_TOKEN = "kube-api-access-"


def volume_kind(volume: Obj) -> str:
    """The volume's source: ``emptyDir``, ``hostPath``, ``configMap``, ``projected``…"""
    return next((k for k in volume if k != "name"), "emptyDir")


def _volume_text(volume: Obj) -> str:
    kind = volume_kind(volume)
    src = volume.get(kind) or {}
    if volume["name"].startswith(_SA_TOKEN) and kind == "projected":
        return "projected: service-account token, CA, namespace (read-only)"
    if kind == "emptyDir":
        medium = " in memory (tmpfs)" if src.get("medium") == "Memory" else ""
        return f"emptyDir{medium}: empty when the pod starts,<BR/>deleted with the pod"
    if kind == "hostPath":
        return f"hostPath: {esc(src.get('path', ''))} on the node"
    if kind == "configMap":
        return f"configMap {esc(src.get('name', ''))} (read-only files)"
    if kind == "secret":
        return f"secret {esc(src.get('secretName', ''))} (read-only files)"
    if kind == "persistentVolumeClaim":
        return f"persistentVolumeClaim {esc(src.get('claimName', ''))}"
    return esc(kind)


def _sandbox(cluster: Cluster, pod: Obj) -> tuple[Any, Any]:
    """(runtime, sandbox) if the pod's node runs a sandbox for it, else (None, None)."""
    node = pod["spec"].get("nodeName")
    kubelet = (getattr(getattr(cluster, "nodes", None), "kubelets", None) or {}).get(node or "")
    if kubelet is None or not getattr(kubelet, "running", True):
        return None, None
    try:
        rec = kubelet.record_for(pod["metadata"]["namespace"], pod["metadata"]["name"])
        if rec is None or rec.sandbox_id is None:
            return None, None
        return kubelet.runtime, kubelet.runtime.sandbox(rec.sandbox_id)
    except Exception:  # a runtime that cannot answer: draw from the API objects alone
        return None, None


def _processes(runtime: Any, sandbox: Any) -> dict[str, list[Any]]:
    """Container name -> its process rows (PIDs as seen inside their PID namespace)."""
    out: dict[str, list[Any]] = {}
    if runtime is None or sandbox is None or not hasattr(runtime, "processes"):
        return out
    try:
        rows = runtime.processes(sandbox.id)
    except Exception:
        return out
    for row in rows:
        out.setdefault(row.container, []).append(row)
    return out


def _pause_label(pod: Obj, ip: str, hostname: str, shared_pid: bool, running: bool,
                 procs: list[Any]) -> str:
    if pod["spec"].get("hostNetwork"):
        net = f"host network: the node's IP {esc(ip)}<BR/>(no network namespace of its own)"
    elif ip:
        net = f"eth0 {esc(ip)}, lo 127.0.0.1:<BR ALIGN=\"LEFT\"/>containers talk on localhost"
    else:
        net = "no IP yet"
    rows = [("network namespace", net),
            ("hostname (UTS)", esc(hostname)),
            ("IPC namespace", "shared memory, semaphores")]
    if shared_pid:
        pid1 = f"PID {procs[0].pid} {esc(procs[0].command)}" if procs else "pause is PID 1"
        rows.append(("PID namespace (shared)", f"{pid1}; every container<BR ALIGN=\"LEFT\"/>"
                     "sees every process (shareProcessNamespace)"))
    colour = "#37474f" if running else "#999999"
    state = "" if running else '<BR/><FONT COLOR="#c62828">not created yet</FONT>'
    cells = "".join(f'<TR><TD ALIGN="LEFT" BGCOLOR="#e3e9ef"><FONT POINT-SIZE="8"><B>{k}</B>'
                    f'</FONT></TD><TD ALIGN="LEFT" BGCOLOR="#ffffff"><FONT POINT-SIZE="8">{v}'
                    '</FONT><BR ALIGN="LEFT"/></TD></TR>' for k, v in rows)
    return (f'<<TABLE BORDER="1" COLOR="{colour}" CELLBORDER="0" CELLSPACING="1" '
            f'CELLPADDING="3" BGCOLOR="#cfd8dc"><TR><TD COLSPAN="2"><B>pause</B> '
            f'<FONT POINT-SIZE="8">{PAUSE_IMAGE}</FONT>{state}<BR/><FONT POINT-SIZE="8">'
            f"holds the pod's namespaces</FONT></TD></TR>{cells}</TABLE>>")


def _container_label(c: Obj, status: Obj | None, init: bool, shared_pid: bool,
                     procs: list[Any]) -> tuple[str, str, str]:
    """(HTML label, fill, border) of an app or init container."""
    word = container_word(status)
    if status is None:
        word = "not created"
    fill, border = status_style("Completed" if word == "Completed" else
                                "Pending" if word == "not created" else word)
    lines = [f'<B>{esc(c["name"])}</B>{" (init)" if init else ""}',
             f'<FONT POINT-SIZE="8">image {esc(shorten(c.get("image", ""), 34))}</FONT>',
             f'<FONT POINT-SIZE="8" COLOR="{border}">{esc(word)}</FONT>']
    ports = [f'{p.get("containerPort")}/{p.get("protocol", "TCP")}' for p in c.get("ports") or []]
    if ports:
        lines.append(f'<FONT POINT-SIZE="8">listens on {esc(", ".join(ports))}</FONT>')
    lines.append('<FONT POINT-SIZE="8" COLOR="#555555">own root filesystem (from its image)'
                 "</FONT>")
    if shared_pid:
        pid_line = "PID namespace: the pod's (shared)"
    else:
        pid_line = "PID namespace: its own"
        if procs:
            pid_line += f", PID 1 is {procs[0].command}"
    lines.append(f'<FONT POINT-SIZE="8" COLOR="#555555">{esc(pid_line)}</FONT>')
    label = "<BR/>".join(lines) + "<BR/>"
    for row in procs[:MAX_PROCESSES] if shared_pid else procs[1:MAX_PROCESSES]:
        label += (f'<FONT POINT-SIZE="8" FACE="Courier">PID {row.pid:<4}'
                  f'{esc(shorten(row.command, 44))}</FONT><BR ALIGN="LEFT"/>')
    return "<" + label + ">", fill, border


def pod_dot(cluster: Cluster, namespace: str, name: str) -> str:
    """DOT text of a pod's inside: pause, containers, what they share, volumes and mounts.

    Raises the API server's ``StatusError`` (NotFound) for an unknown pod.
    """
    now = cluster.clock.now
    pod = cluster.api.get("pods", name, namespace)
    spec, status = pod["spec"], pod.get("status") or {}
    runtime, sandbox = _sandbox(cluster, pod)
    procs = _processes(runtime, sandbox)
    shared_pid = bool(spec.get("shareProcessNamespace"))
    ip = status.get("podIP") or (getattr(sandbox, "ip", "") if sandbox is not None else "")
    hostname = spec.get("hostname") or name
    if sandbox is not None:
        hostname = getattr(sandbox, "hostname", hostname)
    word = pod_word(pod, now)
    fill, border = status_style(word)
    node = spec.get("nodeName")
    where = f"on {esc(node)}" if node else "not scheduled: no node, no sandbox yet"
    statuses = {s.get("name"): s for s in (status.get("containerStatuses") or [])
                + (status.get("initContainerStatuses") or [])}
    has_sandbox = sandbox is not None or bool(ip and node)

    out = [f"digraph {quote('pod ' + namespace + '/' + name)} {{\n", GRAPH_ATTRS,
           "  subgraph cluster_pod {\n",
           f'    label=<<B>Pod {esc(name)}</B> <FONT POINT-SIZE="9">namespace {esc(namespace)}'
           f' · {where} · <FONT COLOR="{border}">{esc(word)}</FONT></FONT>>; labeljust=l; '
           f'style="rounded,filled"; fillcolor="#fbfbfb"; color="{border}"; penwidth=1.6;\n',
           f'    "pause" [shape=plain, label={_pause_label(pod, ip, hostname, shared_pid, has_sandbox, procs.get("pause", []))}];\n']
    shares = "shares net, uts, ipc" + (", pid" if shared_pid else "")
    containers = [(c, True) for c in spec.get("initContainers") or []] + [
        (c, False) for c in spec.get("containers") or []]
    for c, init in containers:
        label, cfill, cborder = _container_label(c, statuses.get(c["name"]), init, shared_pid,
                                                 procs.get(c["name"], []))
        style = "rounded,filled,dashed" if init else "rounded,filled"
        key = f"c:{c['name']}"
        out.append(f"    {quote(key)} [shape=box, style=\"{style}\", fillcolor=\"{cfill}\", "
                   f"color=\"{cborder}\", label={label}];\n")
        out.append(f'    "pause" -> {quote(key)} [dir=back, style=dashed, color="#607d8b", '
                   f'label="{shares}"];\n')
    for v in spec.get("volumes") or []:
        token = v["name"].startswith(_SA_TOKEN)
        colour, fontc = ("#b0b0b0", "#777777") if token else ("#8d6e63", "#000000")
        vfill = "#f7f7f7" if token else "#fff3e0"
        out.append(f'    {quote("v:" + v["name"])} [shape=folder, style=filled, '
                   f'fillcolor="{vfill}", color="{colour}", fontcolor="{fontc}", '
                   f'label=<<B>{esc(v["name"])}</B><BR/><FONT POINT-SIZE="8">'
                   f"{_volume_text(v)}</FONT>>];\n")
    for c, _init in containers:
        for m in c.get("volumeMounts") or []:
            token = m["name"].startswith(_SA_TOKEN)
            ro = " (ro)" if m.get("readOnly") else ""
            path = m.get("mountPath", "")
            attrs = 'color="#b0b0b0", fontcolor="#888888"' if token else 'color="#8d6e63"'
            out.append(f"    {quote('c:' + c['name'])} -> {quote('v:' + m['name'])} "
                       f"[label={quote(path + ro)}, {attrs}];\n")
    out.append("  }\n")
    note = ("files: each container sees only its own image's files;<BR/>"
            "what they share must be on a volume both mount")
    out.append(f'  "note" [shape=note, fontsize=8, color="#999999", label=<{note}>];\n')
    out.append("}\n")
    return "".join(out)
