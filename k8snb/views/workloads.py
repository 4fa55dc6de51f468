"""Workload views: who owns whom, a rollout replayed step by step, a CronJob's timeline.

Kubernetes' pod controllers never touch each other's objects: a Deployment's controller only
changes how many replicas each of its ReplicaSets should have (``ScalingReplicaSet`` events),
the ReplicaSet controller creates and deletes the pods (``SuccessfulCreate`` /
``SuccessfulDelete``), the scheduler places them and the kubelets run them. These views read
that chain back from the API server, as ``kubectl get`` and ``kubectl get events`` would:

* :func:`ownership_dot` -- Deployment → ReplicaSets (revision, size) → Pods (status, node);
  StatefulSet ordinals with their PersistentVolumeClaims; a DaemonSet's pod per node; a Job's
  progress; a CronJob's Jobs and next runs. :func:`ownership_diagram` wraps it in a Diagram.
* :func:`rollout_history_frame` -- a Deployment's rollouts rebuilt from Events: one row per step,
  which controller wrote what and why, and every ReplicaSet's size after it.
* :class:`RolloutRecorder` -- steps the clock and records the ReplicaSets' sizes, so a rollout
  can be replayed (``frame()``, ``chart()``: old and new sizes as bar glyphs over time).
* :func:`cronjob_timeline` -- the Jobs a CronJob made, "now", and its next scheduled runs.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from k8snb.api.errors import StatusError
from k8snb.api.events import COMBINED_PREFIX
from k8snb.api.tables import table
from k8snb.clock import parse_time
from k8snb.views._dot import GRAPH_ATTRS, esc, legend_dot, node_ready, pod_word, quote, shorten
from k8snb.views._dot import status_style as _status_style
from k8snb.views.diagram import Diagram

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = [
    "KIND_ALIASES",
    "RolloutRecorder",
    "RolloutTable",
    "Snapshot",
    "cronjob_timeline",
    "ownership_diagram",
    "ownership_dot",
    "rollout_history_frame",
]

Obj = dict[str, Any]

#: Words kubectl accepts for the kinds drawn here (``deploy``, ``rs``, ``sts`` …) -> Kind.
KIND_ALIASES: dict[str, str] = {
    "deployment": "Deployment", "deployments": "Deployment", "deploy": "Deployment",
    "replicaset": "ReplicaSet", "replicasets": "ReplicaSet", "rs": "ReplicaSet",
    "replicationcontroller": "ReplicationController",
    "replicationcontrollers": "ReplicationController", "rc": "ReplicationController",
    "statefulset": "StatefulSet", "statefulsets": "StatefulSet", "sts": "StatefulSet",
    "daemonset": "DaemonSet", "daemonsets": "DaemonSet", "ds": "DaemonSet",
    "job": "Job", "jobs": "Job",
    "cronjob": "CronJob", "cronjobs": "CronJob", "cj": "CronJob",
    "pod": "Pod", "pods": "Pod", "po": "Pod",
}
_RESOURCES = {"Deployment": "deployments", "ReplicaSet": "replicasets",
              "ReplicationController": "replicationcontrollers", "StatefulSet": "statefulsets",
              "DaemonSet": "daemonsets", "Job": "jobs", "CronJob": "cronjobs"}
_ORDER = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet",
          "CronJob", "Job")
#: Fill colours of the controller boxes, one per kind (pods keep the status colours).
KIND_FILL = {"Deployment": "#dfe8fb", "ReplicaSet": "#eef3fd",
             "ReplicationController": "#eef3fd", "StatefulSet": "#efe6fa",
             "DaemonSet": "#e3f4f4", "Job": "#fdf0e1", "CronJob": "#fbe9e7"}
MAX_PODS = 8  # per owner; beyond this one "… and N more" box
POD_NAME_LIMIT = 26
REVISION = "deployment.kubernetes.io/revision"
SCHEDULED = "batch.kubernetes.io/cronjob-scheduled-timestamp"
DEPLOYMENT_COMPONENT = "deployment-controller"
REPLICASET_COMPONENT = "replicaset-controller"


# -- reading the cluster -----------------------------------------------------------------------


def _controller_uid(obj: Obj) -> str | None:
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref.get("uid")
    return None


def _revision(obj: Obj) -> int:
    try:
        return int((obj["metadata"].get("annotations") or {}).get(REVISION, "0"))
    except ValueError:
        return 0


def _revisions(rs: Obj) -> str:
    """``"1, 3"``: the revisions a ReplicaSet has been (``revision-history``, then current)."""
    ann = rs["metadata"].get("annotations") or {}
    old = [r for r in (ann.get(REVISION + "-history") or "").split(",") if r]
    current = ann.get(REVISION)
    return ", ".join([*old, current] if current else old)


def _image(template: Obj | None) -> str:
    containers = ((template or {}).get("spec") or {}).get("containers") or []
    return ", ".join(c.get("image", "") for c in containers)


def _hms(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%H:%M:%S")


def _row(kind: str, obj: Obj, now: float) -> dict[str, str]:
    """The ``kubectl get`` columns for one object: {"READY": "3/3", "STATUS": …}."""
    headers, rows = table(kind, [obj], now)
    return dict(zip(headers, rows[0], strict=False))


def parse_workload(workload: str | None) -> tuple[str | None, str | None]:
    """``"deploy/web"`` -> ("Deployment", "web"); ``"jobs"`` -> ("Job", None); None -> all."""
    if not workload:
        return None, None
    word, _, name = workload.partition("/")
    kind = KIND_ALIASES.get(word.lower()) or (word if word in _RESOURCES else None)
    if kind is None:
        raise ValueError(f'the server doesn\'t have a resource type "{word}"')
    return kind, name or None


class _Index:
    """One namespace's workloads and pods, grouped by controller uid (one list per kind)."""

    def __init__(self, cluster: Cluster, namespace: str) -> None:
        api = cluster.api
        self.cluster = cluster
        self.namespace = namespace
        self.now = cluster.clock.now
        self.objs = {kind: api.list(res, namespace) for kind, res in _RESOURCES.items()}
        self.pods = api.list("pods", namespace)
        self.pvcs = {c["metadata"]["name"]: c for c in api.list("persistentvolumeclaims",
                                                                  namespace)}
        self.nodes = {n["metadata"]["name"]: n for n in api.list("nodes")}
        self.owned: dict[str, list[Obj]] = {}
        for kind in ("ReplicaSet", "Job"):
            for obj in self.objs[kind]:
                uid = _controller_uid(obj)
                if uid:
                    self.owned.setdefault(uid, []).append(obj)
        self.pods_of: dict[str, list[Obj]] = {}
        self.bare: list[Obj] = []
        for pod in self.pods:
            uid = _controller_uid(pod)
            if uid:
                self.pods_of.setdefault(uid, []).append(pod)
            elif not (pod["metadata"].get("annotations") or {}).get("kubernetes.io/config.mirror"):
                self.bare.append(pod)

    def top_level(self, kind: str) -> list[Obj]:
        """Objects of ``kind`` no other drawn controller owns (a Deployment's RS are inside it)."""
        objs = self.objs[kind]
        if kind in ("ReplicaSet", "Job"):
            owners = {o["metadata"]["uid"] for k in ("Deployment", "CronJob") for o in self.objs[k]}
            objs = [o for o in objs if _controller_uid(o) not in owners]
        return objs


# -- DOT pieces --------------------------------------------------------------------------------


class _Dot:
    def __init__(self, ix: _Index) -> None:
        self.ix = ix
        self.lines: list[str] = []
        self.count = 0

    def key(self, kind: str, name: str) -> str:
        return f"{kind}/{name}"

    def box(self, key: str, kind: str, lines: list[str], *, dashed: bool = False,
            grey: bool = False) -> None:
        fill = "#f4f4f4" if grey else KIND_FILL.get(kind, "#ffffff")
        style = "rounded,filled" + (",dashed" if dashed else "")
        colour = "#9e9e9e" if grey else "#4a5b7a"
        label = "<BR/>".join(lines)
        self.lines.append(f"    {quote(key)} [shape=box, style=\"{style}\", fillcolor=\"{fill}\", "
                          f"color=\"{colour}\", label=<{label}>];\n")

    def edge(self, src: str, dst: str, extra: str = "") -> None:
        self.lines.append(f"    {quote(src)} -> {quote(dst)}{' [' + extra + ']' if extra else ''};\n")

    def pod(self, pod: Obj, owner_key: str, *, extra_line: str = "", edge: str = "") -> str:
        meta = pod["metadata"]
        word = pod_word(pod, self.ix.now)
        fill, border = _status_style(word)
        node = pod["spec"].get("nodeName")
        where = f"on {node}" if node else "not scheduled"
        if node and node in self.ix.nodes and node_ready(self.ix.nodes[node]) != "Ready":
            where += f" ({node_ready(self.ix.nodes[node])})"
        key = f"Pod/{meta['name']}"
        lines = [f"<B>{esc(shorten(meta['name'], POD_NAME_LIMIT))}</B>",
                 f'<FONT POINT-SIZE="9" COLOR="{border}">{esc(word)}</FONT>'
                 f'<FONT POINT-SIZE="9" COLOR="#555555"> · {esc(where)}</FONT>']
        if extra_line:
            lines.append(extra_line)
        self.lines.append(f"    {quote(key)} [shape=box, style=\"rounded,filled\", "
                          f"fillcolor=\"{fill}\", color=\"{border}\", "
                          f"tooltip={quote(meta['name'] + ': ' + word)}, "
                          f"label=<{'<BR/>'.join(lines)}>];\n")
        self.edge(owner_key, key, edge)
        self.count += 1
        return key

    def pods(self, pods: list[Obj], owner_key: str) -> None:
        for pod in pods[:MAX_PODS]:
            self.pod(pod, owner_key)
        if len(pods) > MAX_PODS:
            more = f"{owner_key}/more"
            self.lines.append(f"    {quote(more)} [shape=plaintext, fontcolor=\"#555555\", "
                              f"label=\"… and {len(pods) - MAX_PODS} more pods\"];\n")
            self.edge(owner_key, more, "style=dashed")

    def cluster_open(self, name: str, title: str, subtitle: str) -> None:
        self.lines.append(f"  subgraph {quote('cluster_' + name)} {{\n"
                          f'    label=<<B>{esc(title)}</B><BR/><FONT POINT-SIZE="9" '
                          f'COLOR="#555555">{esc(subtitle)}</FONT>>; labeljust=l; '
                          f'style="rounded"; color="#b0bcd0";\n')

    def cluster_close(self) -> None:
        self.lines.append("  }\n")


def _sorted_pods(pods: list[Obj]) -> list[Obj]:
    """Pods in name order, as Graphviz (rankdir=LR) draws them: the first at the bottom."""
    return sorted(pods, key=lambda p: p["metadata"]["name"], reverse=True)


def _replicaset(d: _Dot, rs: Obj, owner_key: str | None, *, deployment: bool) -> None:
    ix = d.ix
    kind = rs["kind"]
    name = rs["metadata"]["name"]
    key = d.key(kind, name)
    spec = int(rs["spec"].get("replicas", 1) if rs["spec"].get("replicas") is not None else 1)
    st = rs.get("status") or {}
    lines = [f"<B>{esc(kind.lower())}/{esc(name)}</B>"]
    rev = _revision(rs)
    info = f"revision {rev} · {_image(rs['spec'].get('template'))}" if deployment and rev \
        else _image(rs["spec"].get("template"))
    lines.append(f'<FONT POINT-SIZE="9">{esc(info)}</FONT>')
    size = (f"{spec} desired · {int(st.get('replicas') or 0)} current · "
            f"{int(st.get('readyReplicas') or 0)} ready")
    lines.append(f'<FONT POINT-SIZE="9">{esc(size)}</FONT>')
    pods = _sorted_pods(ix.pods_of.get(rs["metadata"]["uid"], []))
    old = deployment and spec == 0 and not pods
    if old:
        lines.append('<FONT POINT-SIZE="8" COLOR="#757575">scaled to 0, kept for rollback</FONT>')
    d.box(key, kind, lines, grey=old)
    if owner_key:
        d.edge(owner_key, key)
    d.pods(pods, key)


def _deployment(d: _Dot, dep: Obj) -> None:
    ix = d.ix
    name = dep["metadata"]["name"]
    key = d.key("Deployment", name)
    row = _row("Deployment", dep, ix.now)
    strategy = dep["spec"].get("strategy") or {}
    stype = strategy.get("type", "RollingUpdate")
    if stype == "RollingUpdate":
        ru = strategy.get("rollingUpdate") or {}
        stype += f" (maxSurge {ru.get('maxSurge', '25%')}, maxUnavailable " \
                 f"{ru.get('maxUnavailable', '25%')})"
    d.cluster_open(f"deploy_{name}", f"Deployment {name}",
                   f"keeps {dep['spec'].get('replicas', 1)} pods of its template running; "
                   "rolls template changes out through ReplicaSets")
    lines = [f"<B>deployment/{esc(name)}</B>",
             f'<FONT POINT-SIZE="9">{esc(row.get("READY", ""))} ready · '
             f'{esc(row.get("UP-TO-DATE", ""))} up-to-date · revision {_revision(dep)}</FONT>',
             f'<FONT POINT-SIZE="8">{esc(stype)}</FONT>']
    if dep["spec"].get("paused"):
        lines.append('<FONT POINT-SIZE="8" COLOR="#b26a00">paused</FONT>')
    d.box(key, "Deployment", lines)
    rss = sorted(ix.owned.get(dep["metadata"]["uid"], []), key=lambda r: -_revision(r))
    for rs in rss:
        _replicaset(d, rs, key, deployment=True)
    if not rss:
        d.lines.append(f"    {quote(key + '/none')} [shape=plaintext, label=\"no ReplicaSet yet\"];\n")
    d.cluster_close()


def _statefulset(d: _Dot, sts: Obj) -> None:
    ix = d.ix
    name = sts["metadata"]["name"]
    key = d.key("StatefulSet", name)
    row = _row("StatefulSet", sts, ix.now)
    spec = sts["spec"]
    policy = spec.get("podManagementPolicy", "OrderedReady")
    d.cluster_open(f"sts_{name}", f"StatefulSet {name}",
                   "pods named <set>-<ordinal>, created in order, each with its own claims")
    d.box(key, "StatefulSet", [
        f"<B>statefulset/{esc(name)}</B>",
        f'<FONT POINT-SIZE="9">{esc(row.get("READY", ""))} ready · {esc(policy)}</FONT>',
        f'<FONT POINT-SIZE="8">serviceName {esc(spec.get("serviceName") or "-")}</FONT>'])
    pods = {}
    for pod in ix.pods_of.get(sts["metadata"]["uid"], []):
        base, _, ordinal = pod["metadata"]["name"].rpartition("-")
        if base == name and ordinal.isdigit():
            pods[int(ordinal)] = pod
    replicas = int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)
    templates = [t["metadata"]["name"] for t in spec.get("volumeClaimTemplates") or []]
    # Claims of every ordinal that has one (kept after scale-down), not just live pods.
    ordinals = set(range(replicas)) | set(pods)
    for claim in ix.pvcs:
        for t in templates:
            prefix = f"{t}-{name}-"
            if claim.startswith(prefix) and claim[len(prefix):].isdigit():
                ordinals.add(int(claim[len(prefix):]))
    shown = sorted(ordinals)
    for ordinal in reversed(shown[:MAX_PODS]):
        pod = pods.get(ordinal)
        if pod is not None:
            pkey = d.pod(pod, key, extra_line=f'<FONT POINT-SIZE="8">ordinal {ordinal}</FONT>')
        else:
            pkey = f"Pod/{name}-{ordinal}"
            why = "not created yet" if ordinal < replicas else "scaled down"
            d.lines.append(f"    {quote(pkey)} [shape=box, style=\"rounded,dashed\", "
                           f"color=\"#9e9e9e\", fontcolor=\"#757575\", "
                           f"label=<{esc(name)}-{ordinal}<BR/><FONT POINT-SIZE=\"8\">"
                           f"{esc(why)}</FONT>>];\n")
            d.edge(key, pkey, "style=dashed, color=\"#9e9e9e\"")
        for t in templates:
            claim = f"{t}-{name}-{ordinal}"
            pvc = ix.pvcs.get(claim)
            phase = ((pvc or {}).get("status") or {}).get("phase") or ("Pending" if pvc
                                                                        else "not created")
            colour = "#2e7d32" if phase == "Bound" else "#b26a00"
            ckey = f"PVC/{claim}"
            d.lines.append(f"    {quote(ckey)} [shape=cylinder, style=filled, fillcolor=\"#fafafa\", "
                           f"color=\"{colour}\", label=<<B>{esc(claim)}</B><BR/>"
                           f"<FONT POINT-SIZE=\"8\" COLOR=\"{colour}\">pvc · {esc(phase)}</FONT>>];\n")
            d.edge(pkey, ckey, "style=dotted, arrowhead=none, color=\"#777777\"")
    if len(shown) > MAX_PODS:
        more = f"{key}/more"
        d.lines.append(f"    {quote(more)} [shape=plaintext, label=\"… and "
                       f"{len(shown) - MAX_PODS} more ordinals\"];\n")
        d.edge(key, more, "style=dashed")
    d.cluster_close()


def _daemonset(d: _Dot, ds: Obj) -> None:
    from k8snb.controllers.daemonset import node_should_run_daemon_pod, target_node

    ix = d.ix
    name = ds["metadata"]["name"]
    key = d.key("DaemonSet", name)
    row = _row("DaemonSet", ds, ix.now)
    d.cluster_open(f"ds_{name}", f"DaemonSet {name}",
                   "one pod on every node that may run it; nodes that join get one")
    d.box(key, "DaemonSet", [
        f"<B>daemonset/{esc(name)}</B>",
        f'<FONT POINT-SIZE="9">{esc(row.get("DESIRED", ""))} desired · '
        f'{esc(row.get("READY", ""))} ready · {esc(row.get("UP-TO-DATE", ""))} up-to-date</FONT>'])
    by_node: dict[str, list[Obj]] = {}
    for pod in ix.pods_of.get(ds["metadata"]["uid"], []):
        by_node.setdefault(target_node(pod), []).append(pod)
    for node_name in sorted(set(ix.nodes) | set(by_node), reverse=True):
        pods = _sorted_pods(by_node.get(node_name, []))
        for pod in pods:
            d.pod(pod, key)
        if not pods and node_name in ix.nodes:
            try:
                should, _ = node_should_run_daemon_pod(ix.nodes[node_name], ds)
            except Exception:
                should = False
            why = "no pod yet" if should else "not eligible (taint or selector)"
            nkey = f"{key}/{node_name}"
            d.lines.append(f"    {quote(nkey)} [shape=box, style=\"rounded,dashed\", "
                           f"color=\"#9e9e9e\", fontcolor=\"#757575\", label=<{esc(node_name)}"
                           f"<BR/><FONT POINT-SIZE=\"8\">{esc(why)}</FONT>>];\n")
            d.edge(key, nkey, "style=dashed, color=\"#9e9e9e\"")
    d.cluster_close()


def _job_lines(job: Obj, now: float) -> list[str]:
    spec, st = job["spec"], job.get("status") or {}
    row = _row("Job", job, now)
    completions = spec.get("completions")
    status = row.get("STATUS", "")
    colour = {"Complete": "#2e7d32", "Failed": "#c62828"}.get(status, "#b26a00")
    goal = f"{int(st.get('succeeded') or 0)}/{completions}" if completions is not None \
        else f"{int(st.get('succeeded') or 0)}"
    return [f"<B>job/{esc(job['metadata']['name'])}</B> "
            f'<FONT COLOR="{colour}">{esc(status)}</FONT>',
            f'<FONT POINT-SIZE="9">succeeded {goal} · parallelism '
            f'{spec.get("parallelism", 1)} · active {int(st.get("active") or 0)}</FONT>',
            f'<FONT POINT-SIZE="9">failed {int(st.get("failed") or 0)} '
            f'(backoffLimit {spec.get("backoffLimit", 6)})</FONT>']


def _job(d: _Dot, job: Obj, owner_key: str | None) -> None:
    name = job["metadata"]["name"]
    key = d.key("Job", name)
    if owner_key is None:
        d.cluster_open(f"job_{name}", f"Job {name}",
                       "runs pods until enough of them succeed; finished pods are kept")
    d.box(key, "Job", _job_lines(job, d.ix.now))
    if owner_key:
        d.edge(owner_key, key)
    d.pods(_sorted_pods(d.ix.pods_of.get(job["metadata"]["uid"], [])), key)
    if owner_key is None:
        d.cluster_close()


def _cronjob(d: _Dot, cj: Obj) -> None:
    from k8snb.controllers.cronjob import next_schedule_times

    ix = d.ix
    name = cj["metadata"]["name"]
    key = d.key("CronJob", name)
    spec = cj["spec"]
    try:
        nxt = [t.strftime("%H:%M") for t in next_schedule_times(cj, 3, ix.now)]
    except Exception:
        nxt = []
    d.cluster_open(f"cj_{name}", f"CronJob {name}",
                   "creates a Job at each scheduled time; keeps the last few")
    lines = [f"<B>cronjob/{esc(name)}</B>",
             f'<FONT POINT-SIZE="9">schedule "{esc(spec.get("schedule", ""))}" · '
             f'{esc(spec.get("concurrencyPolicy", "Allow"))}</FONT>',
             f'<FONT POINT-SIZE="9">next runs {esc(", ".join(nxt) or "-")} UTC</FONT>',
             f'<FONT POINT-SIZE="8">keeps {spec.get("successfulJobsHistoryLimit", 3)} '
             f'succeeded, {spec.get("failedJobsHistoryLimit", 1)} failed Jobs</FONT>']
    if spec.get("suspend"):
        lines.append('<FONT POINT-SIZE="8" COLOR="#b26a00">suspended</FONT>')
    d.box(key, "CronJob", lines)
    jobs = sorted(ix.owned.get(cj["metadata"]["uid"], []), key=lambda j: j["metadata"]["name"])
    for job in reversed(jobs[-MAX_PODS:]):
        _job(d, job, key)
    d.cluster_close()


def ownership_dot(cluster: Cluster, namespace: str = "default", *,
                  workload: str | None = None, legend: bool = True) -> str:
    """DOT text of the namespace's workloads, owner on the left, pods on the right.

    ``workload`` narrows it: ``"deploy/web"``, ``"sts"``, ``"ds/kube-proxy"``, ``"jobs"`` …
    (kubectl's words). Pods are coloured by the STATUS ``kubectl get pods`` shows and say which
    node runs them; pods no controller owns appear under "no controller".
    """
    return _ownership(cluster, namespace, workload, legend)[0]


def _ownership(cluster: Cluster, namespace: str, workload: str | None,
               legend: bool) -> tuple[str, int]:
    """(DOT text, number of pods drawn)."""
    kind_filter, name_filter = parse_workload(workload)
    ix = _Index(cluster, namespace)
    d = _Dot(ix)

    def wanted(kind: str, obj: Obj) -> bool:
        return (kind_filter in (None, kind)
                and (name_filter is None or obj["metadata"]["name"] == name_filter))

    blocks: list[list[str]] = []
    for kind in _ORDER:
        for obj in ix.top_level(kind):
            if not wanted(kind, obj):
                continue
            d.lines = []
            blocks.append(d.lines)
            if kind == "Deployment":
                _deployment(d, obj)
            elif kind in ("ReplicaSet", "ReplicationController"):
                name = obj["metadata"]["name"]
                d.cluster_open(f"{kind}_{name}", f"{kind} {name}",
                               f"keeps {obj['spec'].get('replicas', 1)} pods matching "
                               "its selector running")
                _replicaset(d, obj, None, deployment=False)
                d.cluster_close()
            elif kind == "StatefulSet":
                _statefulset(d, obj)
            elif kind == "DaemonSet":
                _daemonset(d, obj)
            elif kind == "CronJob":
                _cronjob(d, obj)
            elif kind == "Job":
                _job(d, obj, None)
    bare = [p for p in _sorted_pods(ix.bare)
            if kind_filter in (None, "Pod") and (name_filter is None
                                                  or p["metadata"]["name"] == name_filter)]
    if bare:
        d.lines = []
        blocks.append(d.lines)
        d.cluster_open("bare", "no controller", "bare pods: nothing recreates them")
        anchor = "bare/anchor"
        d.lines.append(f"    {quote(anchor)} [shape=plaintext, fontcolor=\"#757575\", "
                       f"label=\"(no owner)\"];\n")
        for pod in bare[:MAX_PODS * 2]:
            d.pod(pod, anchor, edge="style=dashed, color=\"#bdbdbd\", arrowhead=none")
        d.cluster_close()
    # Graphviz stacks rankdir=LR clusters bottom-up: emit the last first to read top-down.
    d.lines = [ln for block in reversed(blocks) for ln in block]
    if not blocks:
        what = workload or "workloads"
        d.lines.append(f'  "empty" [shape=plaintext, label="no {esc(what)} in namespace '
                       f'{esc(namespace)}"];\n')
    out = ["digraph workloads {\n", GRAPH_ATTRS,
           '  rankdir=LR; ordering=out; ranksep=0.5;\n', *d.lines]
    if legend and d.count:
        out.append(legend_dot())
    out.append("}\n")
    return "".join(out), d.count


def ownership_diagram(cluster: Cluster, namespace: str = "default", *,
                      workload: str | None = None, legend: bool = True) -> Diagram:
    """:func:`ownership_dot` as a :class:`~k8snb.views.diagram.Diagram`."""
    dot, pods = _ownership(cluster, namespace, workload, legend)
    what = workload or "workloads"
    return Diagram(dot, f"{what} in {namespace}: {pods} pod{'s' if pods != 1 else ''}")


# -- rollouts ----------------------------------------------------------------------------------


def _events(cluster: Cluster, obj: Obj) -> list[Obj]:
    return cluster.api.events_for(obj)


def _scaled(message: str) -> tuple[str, int] | None:
    """``Scaled up replica set web-1 from 0 to 3`` -> ("web-1", 3); also the latest message
    of a combined event (``(combined from similar events): Scaled ...``)."""
    words = message.removeprefix(COMBINED_PREFIX).split()
    if len(words) >= 9 and words[0] == "Scaled" and words[2:4] == ["replica", "set"]:
        try:
            return words[4], int(words[-1])
        except ValueError:
            return None
    return None


def _deployment_replicasets(cluster: Cluster, dep: Obj) -> list[Obj]:
    uid = dep["metadata"]["uid"]
    return [rs for rs in cluster.api.list("replicasets", dep["metadata"]["namespace"])
            if _controller_uid(rs) == uid]


def rollout_history_frame(cluster: Cluster, deployment: str,
                          namespace: str = "default") -> pd.DataFrame:
    """A Deployment's rollouts rebuilt from Events: one row per controller write.

    Columns: ``time`` (simulated, UTC), ``+s`` (seconds since the first row), ``controller``
    (the Event's source: ``deployment-controller`` scales ReplicaSets, ``replicaset-controller``
    creates and deletes pods), ``object``, ``reason``, ``message`` (the Event's own words), then
    one column per ReplicaSet (``rev 2 web-7f9bc87455``) with its desired size after the step.
    An Event that repeated (same message) is one row at its last time, with ``(×N)``.

    Events are lossy, as on a real cluster: from the tenth similar message in ten minutes
    client-go combines the rest into one event (``(combined from similar events): ...``) that
    keeps only the latest message, so a long rollout's last steps collapse into one row; the
    frame then ends with a row read from the ReplicaSets themselves.
    :class:`RolloutRecorder`, which snapshots the cluster, sees every step.
    """
    dep = cluster.api.get("deployments", deployment, namespace)
    rss = _deployment_replicasets(cluster, dep)
    revisions = {rs["metadata"]["name"]: _revisions(rs) for rs in rss}
    events = [(e, "deployment") for e in _events(cluster, dep)]
    for rs in rss:
        events += [(e, "replicaset") for e in _events(cluster, rs)]
    events.sort(key=lambda p: (p[0].get("lastTimestamp") or "",
                               int(p[0]["metadata"].get("resourceVersion") or 0)))
    names: list[str] = []
    sizes: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    first: float | None = None
    for ev, _source in events:
        t = parse_time(ev.get("lastTimestamp") or ev.get("firstTimestamp"))
        first = t if first is None else first
        scaled = _scaled(ev.get("message", "")) if ev.get("reason") == "ScalingReplicaSet" \
            else None
        if scaled is not None:
            if scaled[0] not in names:
                names.append(scaled[0])
            sizes[scaled[0]] = scaled[1]
        count = int(ev.get("count") or 1)
        inv = ev["involvedObject"]
        rows.append({"time": _hms(t), "+s": int(t - first),
                     "controller": (ev.get("source") or {}).get("component", ""),
                     "object": f"{inv.get('kind', '').lower()}/{inv.get('name', '')}",
                     "reason": ev.get("reason", ""),
                     "message": ev.get("message", "") + (f" (×{count})" if count > 1 else ""),
                     **{n: sizes.get(n, 0) for n in names}})
    for rs in sorted(rss, key=_revision):  # a ReplicaSet no event mentions yet
        if rs["metadata"]["name"] not in names:
            names.append(rs["metadata"]["name"])
    actual = {rs["metadata"]["name"]: int(rs["spec"].get("replicas", 0)) for rs in rss}
    if rows and any(sizes.get(n, 0) != actual.get(n, 0) for n in names):
        # steps the Events no longer hold (combined): end with the ReplicaSets as they are
        t = cluster.clock.now
        rows.append({"time": _hms(t), "+s": int(t - (first or t)), "controller": "",
                     "object": f"deployment/{deployment}", "reason": "",
                     "message": "now, read from the ReplicaSets (the Events above lost steps)",
                     **{n: actual.get(n, 0) for n in names}})

    def column(n: str) -> str:
        revs = revisions.get(n)
        return f"{n} (rev {revs})" if revs else n

    frame = pd.DataFrame(rows, columns=["time", "+s", "controller", "object", "reason",
                                        "message", *names])
    for n in names:
        frame[n] = frame[n].fillna(0).astype(int)
    return frame.rename(columns={n: column(n) for n in names})


class RolloutTable:
    """A rollout replay for display: ``_repr_html_`` a table, ``repr`` the text chart."""

    def __init__(self, html_text: str, text: str) -> None:
        self.html_text = html_text
        self.text = text

    def _repr_html_(self) -> str:
        return self.html_text

    def __repr__(self) -> str:
        return self.text


@dataclass
class Snapshot:
    """The ReplicaSets of a Deployment at one instant: ``sizes[name] = (desired, current,
    ready)``; ``events`` are the controller Events recorded since the previous snapshot."""

    t: float
    sizes: dict[str, tuple[int, int, int]]
    revisions: dict[str, int]
    status: str
    done: bool
    note: str = ""
    events: list[str] = field(default_factory=list)


class RolloutRecorder:
    """Steps the cluster's clock and records a Deployment's ReplicaSet sizes after each step.

    >>> rec = RolloutRecorder(cluster, "web")             # doctest: +SKIP
    >>> cluster.kubectl("set image deploy/web nginx=nginx:1.27")   # doctest: +SKIP
    >>> rec.play()                                         # doctest: +SKIP
    >>> rec.frame()                                        # one row per step

    ``advance(s)`` moves time on and snapshots; ``play()`` advances one second at a time until
    ``kubectl rollout status`` would say the rollout is done. The new ReplicaSet is the one with
    the highest revision; bars show ``█`` per ready pod and ``░`` per pod not ready yet.
    """

    def __init__(self, cluster: Cluster, deployment: str, namespace: str = "default") -> None:
        self.cluster = cluster
        self.deployment = deployment
        self.namespace = namespace
        self.snapshots: list[Snapshot] = []
        self.start = cluster.clock.now
        self._seen: dict[str, int] = {}
        self.snapshot("start")

    def _new_events(self, dep: Obj, rss: list[Obj]) -> list[str]:
        """Events since the last snapshot: the Deployment's own in full, the ReplicaSets'
        pod creations and deletions counted (``replicaset-controller: created 1 pod``)."""
        out: list[str] = []
        counts: dict[tuple[str, str], int] = {}
        for obj in [dep, *rss]:
            for ev in self.cluster.api.events_for(obj):
                name, count = ev["metadata"]["name"], int(ev.get("count") or 1)
                new = count - self._seen.get(name, 0)
                if new <= 0:
                    continue
                self._seen[name] = count
                component = (ev.get("source") or {}).get("component", "")
                if obj is dep:
                    out.append(f"{component}: {ev.get('message', '')}")
                else:
                    verb = {"SuccessfulCreate": "created", "SuccessfulDelete": "deleted"}.get(
                        ev.get("reason", ""), ev.get("reason", ""))
                    key = (f"{component}: {verb}", obj["metadata"]["name"])
                    counts[key] = counts.get(key, 0) + new
        out += [f"{what} {n} pod{'s' if n != 1 else ''} of {rs}"
                for (what, rs), n in counts.items()]
        return out

    def snapshot(self, note: str = "") -> Snapshot | None:
        """Record the ReplicaSets' sizes now (``note``: what just happened, e.g. a command)."""
        from k8snb.kubectl.rollout import deployment_status

        try:
            dep = self.cluster.api.get("deployments", self.deployment, self.namespace)
        except StatusError:
            return None
        rss = _deployment_replicasets(self.cluster, dep)
        sizes = {}
        for rs in rss:
            st = rs.get("status") or {}
            sizes[rs["metadata"]["name"]] = (int(rs["spec"].get("replicas") or 0),
                                             int(st.get("replicas") or 0),
                                             int(st.get("readyReplicas") or 0))
        try:
            status, done = deployment_status(dep)
        except ValueError as e:
            status, done = f"error: {e}", True
        snap = Snapshot(self.cluster.clock.now, sizes,
                        {rs["metadata"]["name"]: _revision(rs) for rs in rss}, status, done,
                        note, self._new_events(dep, rss))
        self.snapshots.append(snap)
        return snap

    def advance(self, seconds: float = 1.0) -> Snapshot | None:
        """Advance simulated time by ``seconds`` and record a snapshot."""
        self.cluster.advance(seconds)
        return self.snapshot()

    def play(self, step: float = 1.0, max_seconds: float = 300.0) -> list[Snapshot]:
        """Advance ``step`` at a time until the rollout is done (at most ``max_seconds``)."""
        took: list[Snapshot] = []
        end = self.cluster.clock.now + max_seconds
        while self.cluster.clock.now < end:
            snap = self.advance(step)
            if snap is None:
                break
            took.append(snap)
            if snap.done:
                break
        return took

    @property
    def done(self) -> bool:
        return bool(self.snapshots) and self.snapshots[-1].done

    def _names(self) -> list[str]:
        """ReplicaSets in the order they first appeared (then by revision): columns stay put."""
        names: list[str] = []
        for s in self.snapshots:
            names += sorted((n for n in s.revisions if n not in names),
                            key=lambda n, s=s: (s.revisions[n], n))
        return names

    def _label(self, name: str) -> str:
        revs: list[str] = []
        for s in self.snapshots:
            r = s.revisions.get(name)
            if r and str(r) not in revs:
                revs.append(str(r))
        return f"{name} (rev {', '.join(revs)})" if revs else name

    def sizes(self) -> pd.DataFrame:
        """Numbers only: ``+s`` then ``<rs> desired`` / ``<rs> ready`` per ReplicaSet."""
        names = self._names()
        rows = []
        for s in self.snapshots:
            row: dict[str, Any] = {"+s": round(s.t - self.start, 1)}
            for n in names:
                desired, _current, ready = s.sizes.get(n, (0, 0, 0))
                row[f"{n} desired"] = desired
                row[f"{n} ready"] = ready
            rows.append(row)
        return pd.DataFrame(rows)

    @staticmethod
    def bar(desired: int, current: int, ready: int) -> str:
        """``█`` per ready pod, ``░`` per pod not ready yet, ``·`` per pod still to create;
        then ``ready/desired``. ``bar(3, 2, 1) == "█░· 1/3"``."""
        ready = min(ready, current)
        width = max(desired, current)
        glyphs = "█" * ready + "░" * (current - ready) + "·" * max(0, width - current)
        return f"{glyphs or '-'} {ready}/{desired}"

    def frame(self, last: int | None = None) -> pd.DataFrame:
        """One row per snapshot: time, a bar per ReplicaSet (``<name> (rev N)``), what happened."""
        names = self._names()
        rows = []
        for s in self.snapshots[-last:] if last else self.snapshots:
            row: dict[str, Any] = {"time": _hms(s.t), "+s": f"+{s.t - self.start:g} s"}
            for n in names:
                row[self._label(n)] = self.bar(*s.sizes.get(n, (0, 0, 0)))
            what = ([s.note] if s.note else []) + s.events
            row["what happened"] = "; ".join(what)
            rows.append(row)
        return pd.DataFrame(rows)

    def chart(self, last: int | None = None) -> str:
        """The frame as plain text, one line per snapshot and one more per extra event."""
        frame = self.frame(last)
        if not len(frame):
            return "(no snapshots)"
        cols = [c for c in frame.columns if c != "what happened"]
        widths = {c: max(len(c), *(len(str(v)) for v in frame[c])) for c in cols}
        pad = sum(widths.values()) + 2 * len(cols)
        lines = ["  ".join(c.ljust(widths[c]) for c in cols) + "  what happened"]
        for _, row in frame.iterrows():
            what = row["what happened"].split("; ") if row["what happened"] else [""]
            lines.append("  ".join(str(row[c]).ljust(widths[c]) for c in cols) + "  " + what[0])
            lines += [" " * pad + w for w in what[1:]]
        return "\n".join(line.rstrip() for line in lines)

    def html(self, last: int | None = None) -> str:
        """The frame as an HTML table (monospace bars, one event per line, nothing cut)."""
        frame = self.frame(last)
        head = "".join(f"<th style=\"text-align:left\">{html.escape(c)}</th>"
                       for c in frame.columns)
        rows = []
        for _, row in frame.iterrows():
            cells = []
            for c in frame.columns:
                text = html.escape(str(row[c]))
                if c == "what happened":
                    text = text.replace("; ", "<br>")
                    cells.append(f'<td style="text-align:left;font-size:11px">{text}</td>')
                else:
                    cells.append(f'<td style="text-align:left;white-space:nowrap;'
                                 f'font-family:monospace">{text}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return ('<table class="k8snb-rollout" style="font-size:12px">'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def table(self, last: int | None = None) -> RolloutTable:
        """The last ``last`` snapshots for display: HTML in Jupyter, :meth:`chart` as text."""
        return RolloutTable(self.html(last), self.chart(last))

    def __repr__(self) -> str:
        return (f"<RolloutRecorder deployment/{self.deployment}: "
                f"{len(self.snapshots)} snapshots>")


# -- CronJob timeline --------------------------------------------------------------------------


def _ago(seconds: float) -> str:
    s = int(round(seconds))
    sign = "-" if s < 0 else "+"
    s = abs(s)
    if s < 60:
        return f"{sign}{s}s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{sign}{m}m{s:02d}s" if s else f"{sign}{m}m"
    h, m = divmod(m, 60)
    return f"{sign}{h}h{m:02d}m"


def cronjob_timeline(cluster: Cluster, name: str, namespace: str = "default",
                     n: int = 5) -> pd.DataFrame:
    """The Jobs a CronJob created (oldest first), "now", then its next ``n`` scheduled runs.

    Columns: ``time`` (UTC), ``from now``, ``what`` (the Job's name, "now", "next run"),
    ``status`` (the Job's STATUS as ``kubectl get jobs`` shows it).
    """
    from k8snb.controllers.cronjob import next_schedule_times

    cj = cluster.api.get("cronjobs", name, namespace)
    now = cluster.clock.now
    uid = cj["metadata"]["uid"]
    jobs = [j for j in cluster.api.list("jobs", namespace) if _controller_uid(j) == uid]
    rows = []
    for job in jobs:
        ann = (job["metadata"].get("annotations") or {}).get(SCHEDULED)
        t = parse_time(ann) if ann else parse_time(job["metadata"]["creationTimestamp"])
        rows.append((t, job["metadata"]["name"], _row("Job", job, now).get("STATUS", "")))
    rows.sort()
    out = [{"time": datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M"),
            "from now": _ago(t - now), "what": f"job {j}", "status": s} for t, j, s in rows]
    out.append({"time": datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d %H:%M:%S"),
                "from now": "now", "what": "now", "status": ""})
    suspended = bool(cj["spec"].get("suspend"))
    try:
        nxt = next_schedule_times(cj, n, now)
    except Exception as e:  # an invalid schedule: say so in the table
        nxt = []
        out.append({"time": "", "from now": "", "what": f"cannot schedule: {e}", "status": ""})
    for t in nxt:
        out.append({"time": t.strftime("%Y-%m-%d %H:%M"), "from now": _ago(t.timestamp() - now),
                    "what": "next run" + (" (suspended: skipped)" if suspended else ""),
                    "status": ""})
    return pd.DataFrame(out, columns=["time", "from now", "what", "status"])
