"""Automatic checks for the notebooks' exercises.

Each check is a function of the cluster's state: it reads objects through the API server (as
``kubectl get`` would) and reports, step by step, what is done and what is still missing.

    >>> from k8snb import Cluster
    >>> cluster = Cluster(seed=0)                      # doctest: +SKIP
    >>> check_welcome(cluster)                         # doctest: +SKIP
    Exercise: a first pod in your own namespace
      ❌ a namespace called "playground" exists: not found; try `kubectl create namespace playground`
      ⬜ a pod "hello" in "playground" runs the nginx image
      ⬜ the pod "hello" is Running
    Not yet: 0 of 3 steps done.

A check stops at the first step that fails (later steps often depend on it) and shows the
remaining steps unchecked, so a fresh notebook always shows the same "not yet" output.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = [
    "Check",
    "check_welcome",
    "check_control_plane_pod",
    "check_unschedulable_pod",
    "check_shared_volume",
    "check_team_namespace",
    "check_replicaset",
    "check_rollout",
    "check_statefulset",
    "check_daemonset_everywhere",
    "check_job",
    "check_cronjob",
]

Obj = dict[str, Any]
CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane"

# A step returns None when it holds, or a short text saying what is still missing.
Step = tuple[str, Callable[[], str | None]]


@dataclass
class Check:
    """The result of one exercise check: a title and an outcome per step.

    ``steps`` holds ``(mark, text)`` pairs, with mark ``"done"``, ``"missing"`` or ``"todo"``
    (not looked at because an earlier step is missing).
    """

    title: str
    steps: list[tuple[str, str]] = field(default_factory=list)
    success: str = ""

    @property
    def ok(self) -> bool:
        return all(mark == "done" for mark, _ in self.steps)

    @property
    def done(self) -> int:
        return sum(mark == "done" for mark, _ in self.steps)

    def lines(self) -> list[str]:
        icons = {"done": "✅", "missing": "❌", "todo": "⬜"}
        out = [f"Exercise: {self.title}"]
        out += [f"  {icons[mark]} {text}" for mark, text in self.steps]
        if self.ok:
            out.append(f"✅ Done! {self.success}".rstrip())
        else:
            out.append(f"Not yet: {self.done} of {len(self.steps)} steps done.")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    __repr__ = __str__

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))

    def _repr_html_(self) -> str:
        colour = "#e6f4ea" if self.ok else "#fef7e0"
        border = "#34a853" if self.ok else "#f9ab00"
        body = "\n".join(html.escape(line) for line in self.lines())
        return (f'<pre style="background:{colour};border-left:4px solid {border};'
                f'padding:8px 10px;font-size:12px;line-height:1.4;white-space:pre-wrap;'
                f'font-family:var(--jp-code-font-family,monospace)">'
                f"{body}</pre>")


def _run(title: str, steps: list[Step], success: str) -> Check:
    check = Check(title, success=success)
    failed = False
    for text, test in steps:
        if failed:
            check.steps.append(("todo", text))
            continue
        problem = test()
        if problem is None:
            check.steps.append(("done", text))
        else:
            check.steps.append(("missing", f"{text}: {problem}"))
            failed = True
    return check


# -- reading the cluster ------------------------------------------------------------------------


def _get(cluster: Cluster, resource: str, name: str, namespace: str | None = None) -> Obj | None:
    try:
        return cluster.api.get(resource, name, namespace)
    except StatusError:
        return None


def _condition(obj: Obj, type_: str) -> Obj:
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if cond.get("type") == type_:
            return cond
    return {}


def _pod_status(pod: Obj) -> str:
    """Roughly what ``kubectl get pods`` shows in STATUS: a waiting reason, else the phase."""
    if pod["metadata"].get("deletionTimestamp"):
        return "Terminating"
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        waiting = (cs.get("state") or {}).get("waiting")
        if waiting and waiting.get("reason"):
            return waiting["reason"]
    return (pod.get("status") or {}).get("phase") or "Pending"


def _running(pod: Obj) -> str | None:
    """None when the pod is Running with all containers ready, else what it is doing."""
    status = _pod_status(pod)
    if status == "Running" and _condition(pod, "Ready").get("status") == "True":
        return None
    if not pod["spec"].get("nodeName"):
        msg = _condition(pod, "PodScheduled").get("message")
        if msg:
            return f"it is Pending, not scheduled: {msg}"
        return "it is Pending, not scheduled yet; run `cluster.settle()`"
    if status in ("Pending", "ContainerCreating", "Running"):
        return f"it is {status}; give it time with `cluster.settle()`"
    return f"it is {status}; look at `kubectl describe pod {pod['metadata']['name']}`"


def _tolerates_control_plane(pod: Obj) -> bool:
    for t in pod["spec"].get("tolerations") or []:
        key_ok = t.get("key") in (None, "", CONTROL_PLANE_TAINT)
        if not t.get("key") and t.get("operator") != "Exists":
            key_ok = False
        effect_ok = t.get("effect") in (None, "", "NoSchedule")
        if key_ok and effect_ok:
            return True
    return False


# -- 00 welcome ---------------------------------------------------------------------------------


def check_welcome(cluster: Cluster, namespace: str = "playground", name: str = "hello") -> Check:
    """00-welcome: a namespace ``playground`` with a Running nginx pod ``hello`` in it."""

    def ns_exists() -> str | None:
        if _get(cluster, "namespaces", namespace) is None:
            return f"not found; try `kubectl create namespace {namespace}`"
        return None

    def pod_exists() -> str | None:
        pod = _get(cluster, "pods", name, namespace)
        if pod is None:
            others = [p["metadata"]["namespace"] for p in cluster.api.list("pods")
                      if p["metadata"]["name"] == name]
            where = f" (there is one in {', '.join(others)}: use `-n {namespace}`)" if others \
                else ""
            return f"not found{where}; try `kubectl run {name} --image=nginx -n {namespace}`"
        images = [c.get("image", "") for c in pod["spec"]["containers"]]
        if not any(i == "nginx" or i.startswith(("nginx:", "nginx@")) or "/nginx:" in i
                   or i.endswith("/nginx") for i in images):
            return f"its image is {', '.join(images)}, not nginx"
        return None

    def pod_running() -> str | None:
        return _running(cluster.api.get("pods", name, namespace))

    return _run("a first pod in your own namespace", [
        (f'a namespace called "{namespace}" exists', ns_exists),
        (f'a pod "{name}" in "{namespace}" runs the nginx image', pod_exists),
        (f'the pod "{name}" is Running', pod_running),
    ], success=f'`kubectl get pods -n {namespace}` shows it; `kubectl get pods` (namespace '
               '"default") does not.')


# -- 01 cluster ---------------------------------------------------------------------------------


def check_control_plane_pod(cluster: Cluster, name: str = "on-control-plane",
                            node: str = "control-plane") -> Check:
    """01-cluster: a pod that tolerates the control-plane taint and runs on that node."""

    def exists() -> str | None:
        if _get(cluster, "pods", name, "default") is None:
            return "not found; write it with `%%kubectl apply -f -`"
        return None

    def tolerates() -> str | None:
        pod = cluster.api.get("pods", name, "default")
        if _tolerates_control_plane(pod):
            return None
        return (f"no toleration for {CONTROL_PLANE_TAINT}:NoSchedule in spec.tolerations, "
                "so the scheduler keeps it off the control plane")

    def placed() -> str | None:
        pod = cluster.api.get("pods", name, "default")
        where = pod["spec"].get("nodeName")
        if where == node:
            return None
        if where:
            return (f"it runs on {where}: a toleration allows the control plane, it does not "
                    f"attract the pod; add a nodeSelector on the label {CONTROL_PLANE_TAINT} "
                    "(a pod's nodeSelector cannot change: delete the pod and apply it again)")
        return _running(pod) or "it is not bound to a node yet"

    def running() -> str | None:
        return _running(cluster.api.get("pods", name, "default"))

    return _run("run a pod on the control-plane node", [
        (f'a pod "{name}" exists in "default"', exists),
        ("it tolerates the control-plane taint", tolerates),
        (f"the scheduler put it on {node}", placed),
        ("it is Running", running),
    ], success="The taint kept ordinary pods away; your toleration let this one in, and the "
               "nodeSelector pulled it there.")


# -- 02 node components -------------------------------------------------------------------------


def check_unschedulable_pod(cluster: Cluster, name: str = "too-big") -> Check:
    """02-node-components: a pod the scheduler cannot place because no node has the CPU."""

    def exists() -> str | None:
        if _get(cluster, "pods", name, "default") is None:
            return "not found; write it with `%%kubectl apply -f -`"
        return None

    def requests_cpu() -> str | None:
        pod = cluster.api.get("pods", name, "default")
        if any(((c.get("resources") or {}).get("requests") or {}).get("cpu")
               for c in pod["spec"]["containers"]):
            return None
        return "no container sets resources.requests.cpu"

    def pending() -> str | None:
        pod = cluster.api.get("pods", name, "default")
        if pod["spec"].get("nodeName"):
            return (f"it was scheduled to {pod['spec']['nodeName']}: ask for more CPU than any "
                    "node has (look at `kubectl describe node worker1`, Allocatable)")
        cond = _condition(pod, "PodScheduled")
        if cond.get("reason") != "Unschedulable":
            return "the scheduler has not tried yet; run `cluster.settle()`"
        if "Insufficient cpu" not in cond.get("message", ""):
            return f"unschedulable, but for another reason: {cond.get('message', '')}"
        return None

    return _run("a pod no node can take", [
        (f'a pod "{name}" exists in "default"', exists),
        ("it requests CPU", requests_cpu),
        ("it stays Pending with reason Insufficient cpu", pending),
    ], success="The NodeResourcesFit filter rejected every worker; `kubectl describe pod "
               f"{name}` shows the FailedScheduling event.")


# -- 03 pod -------------------------------------------------------------------------------------


def check_shared_volume(cluster: Cluster, name: str = "shared", writer: str = "writer",
                        reader: str = "reader") -> Check:
    """03-pod: two containers that share files through an emptyDir volume."""
    state: dict[str, Any] = {}

    def exists() -> str | None:
        pod = _get(cluster, "pods", name, "default")
        if pod is None:
            return "not found; write it with `%%kubectl apply -f -`"
        names = [c["name"] for c in pod["spec"]["containers"]]
        missing = [c for c in (writer, reader) if c not in names]
        if missing:
            return f"it has containers {', '.join(names)}; missing {', '.join(missing)}"
        state["pod"] = pod
        return None

    def volume() -> str | None:
        pod = state["pod"]
        empty = {v["name"] for v in pod["spec"].get("volumes") or [] if "emptyDir" in v}
        if not empty:
            return "the pod has no emptyDir volume in spec.volumes"
        mounts = {}
        for c in pod["spec"]["containers"]:
            for m in c.get("volumeMounts") or []:
                if m["name"] in empty:
                    mounts.setdefault(c["name"], m["mountPath"])
        missing = [c for c in (writer, reader) if c not in mounts]
        if missing:
            return f"the emptyDir is not mounted in {', '.join(missing)} (volumeMounts)"
        state["path"] = mounts[reader]
        return None

    def running() -> str | None:
        return _running(cluster.api.get("pods", name, "default"))

    def sees_file() -> str | None:
        path = state["path"]
        result = cluster.kubectl(["exec", name, "-c", reader, "--", "ls", path])
        if result.returncode:
            return f"`ls {path}` in {reader} failed: {result.stderr.strip()}"
        if not result.stdout.split():
            return f"{path} is empty in {reader}: let {writer} write a file there"
        return None

    return _run("share a file between two containers", [
        (f'a pod "{name}" with containers "{writer}" and "{reader}"', exists),
        ("an emptyDir volume mounted in both", volume),
        ("the pod is Running", running),
        (f'"{reader}" sees a file that "{writer}" wrote', sees_file),
    ], success="Files are private to each container unless they sit on a shared volume.")


# -- 04 resources and namespaces ----------------------------------------------------------------


def check_team_namespace(cluster: Cluster, namespace: str = "team-a", name: str = "db",
                         node: str = "worker2", label: str = "disk=ssd") -> Check:
    """04-resources: a namespace, a node label and a pod that selects the node by label."""
    key, _, value = label.partition("=")

    def ns_exists() -> str | None:
        if _get(cluster, "namespaces", namespace) is None:
            return f"not found; try `kubectl create namespace {namespace}`"
        return None

    def labelled() -> str | None:
        n = _get(cluster, "nodes", node)
        if n is None:
            return f"node {node} not found"
        if (n["metadata"].get("labels") or {}).get(key) != value:
            return f"not yet; try `kubectl label node {node} {label}`"
        others = [x["metadata"]["name"] for x in cluster.api.list("nodes")
                  if x["metadata"]["name"] != node
                  and (x["metadata"].get("labels") or {}).get(key) == value]
        if others:
            return (f"{', '.join(others)} also has {label}; remove it with "
                    f"`kubectl label node {others[0]} {key}-`")
        return None

    def pod_selects() -> str | None:
        pod = _get(cluster, "pods", name, namespace)
        if pod is None:
            return f"no pod {name} in {namespace} (did you forget `-n {namespace}`?)"
        if (pod["spec"].get("nodeSelector") or {}).get(key) != value:
            return (f"its spec.nodeSelector does not ask for {key}: {value!r} "
                    "(delete it and apply it again: a pod's nodeSelector cannot change)")
        return None

    def on_node() -> str | None:
        pod = cluster.api.get("pods", name, namespace)
        where = pod["spec"].get("nodeName")
        if where and where != node:
            return f"it runs on {where}"
        return _running(pod)

    return _run("a team namespace and a pod that picks its node", [
        (f'a namespace "{namespace}"', ns_exists),
        (f"node {node} carries the label {label} (and no other node does)", labelled),
        (f'a pod "{name}" in "{namespace}" with nodeSelector {label}', pod_selects),
        (f"it is Running on {node}", on_node),
    ], success=f"`kubectl get nodes -l {label}` and `kubectl get pods -n {namespace} -o wide` "
               "show the match.")


# -- 05 pod controllers -------------------------------------------------------------------------


def _owned_pods(cluster: Cluster, owner: Obj) -> list[Obj]:
    uid = owner["metadata"]["uid"]
    return [p for p in cluster.api.list("pods", owner["metadata"]["namespace"])
            if any(r.get("uid") == uid and r.get("controller")
                   for r in p["metadata"].get("ownerReferences") or [])]


def _all_running(pods: list[Obj], want: int) -> str | None:
    live = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
    if len(live) != want:
        return f"it has {len(live)} pods, not {want}; give it time with `cluster.settle()`"
    for pod in live:
        problem = _running(pod)
        if problem:
            return f"pod {pod['metadata']['name']}: {problem}"
    return None


def _exists(cluster: Cluster, resource: str, name: str, how: str) -> Callable[[], str | None]:
    def test() -> str | None:
        if _get(cluster, resource, name, "default") is None:
            return f"not found; {how}"
        return None

    return test


def check_replicaset(cluster: Cluster, name: str = "frontend", replicas: int = 3,
                     label: str = "tier=frontend") -> Check:
    """05: a ReplicaSet that selects ``tier=frontend`` and keeps 3 nginx pods running."""
    key, _, value = label.partition("=")

    def selects() -> str | None:
        rs = cluster.api.get("replicasets", name, "default")
        match = (rs["spec"].get("selector") or {}).get("matchLabels") or {}
        if match.get(key) != value:
            return f"its selector.matchLabels is {match or '{}'}, not {key}: {value}"
        if rs["spec"].get("replicas") != replicas:
            return f"spec.replicas is {rs['spec'].get('replicas')}, not {replicas}"
        return None

    def running() -> str | None:
        return _all_running(_owned_pods(cluster, cluster.api.get("replicasets", name, "default")),
                            replicas)

    return _run("a ReplicaSet of your own", [
        (f'a ReplicaSet "{name}" in "default"',
         _exists(cluster, "replicasets", name, "write it with `%%kubectl apply -f -`")),
        (f"it selects {label} and wants {replicas} replicas", selects),
        (f"{replicas} pods it owns are Running", running),
    ], success=f"Delete one of its pods: a new one appears. `kubectl get pods -l {label}`.")


def check_rollout(cluster: Cluster, name: str = "shop", image: str = "nginx:1.27") -> Check:
    """05: a Deployment updated (not created) to a new image, without losing capacity."""

    def updated() -> str | None:
        d = cluster.api.get("deployments", name, "default")
        images = [c.get("image") for c in d["spec"]["template"]["spec"]["containers"]]
        if image not in images:
            return f"its image is {', '.join(map(str, images))}; try `kubectl set image`"
        rev = (d["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision")
        if rev in (None, "1"):
            return ("it is at revision 1: create it with another image first, then update it "
                    "so that a rollout happens")
        return None

    def safe() -> str | None:
        d = cluster.api.get("deployments", name, "default")
        strategy = d["spec"].get("strategy") or {}
        ru = strategy.get("rollingUpdate") or {}
        if strategy.get("type") != "RollingUpdate" or str(ru.get("maxUnavailable")) not in (
                "0", "0%"):
            return ("strategy.rollingUpdate.maxUnavailable is "
                    f"{ru.get('maxUnavailable', '-')}, not 0")
        return None

    def done() -> str | None:
        from k8snb.kubectl.rollout import deployment_status

        try:
            text, finished = deployment_status(cluster.api.get("deployments", name, "default"))
        except ValueError as e:
            return str(e)
        return None if finished else f"{text} (advance the clock)"

    return _run("a rollout that never drops below full capacity", [
        (f'a Deployment "{name}" in "default"',
         _exists(cluster, "deployments", name, f"try `kubectl create deployment {name} "
                                               "--image=nginx:1.26 --replicas=3`")),
        ("maxUnavailable is 0 (only surge pods make room)", safe),
        (f"its template was updated to {image} (revision 2 or later)", updated),
        ("the rollout finished", done),
    ], success=f"`kubectl rollout history deployment/{name}` lists the revisions; "
               "`kubectl rollout undo` goes back.")


def check_statefulset(cluster: Cluster, name: str = "counter", replicas: int = 3) -> Check:
    """05: a StatefulSet whose pods ``counter-0`` … ``counter-2`` all run."""

    def shaped() -> str | None:
        sts = cluster.api.get("statefulsets", name, "default")
        if sts["spec"].get("replicas") != replicas:
            return f"spec.replicas is {sts['spec'].get('replicas')}, not {replicas}"
        if sts["spec"].get("volumeClaimTemplates"):
            return ("it has volumeClaimTemplates: its pods would wait for storage this "
                    "cluster cannot provide yet; leave them out")
        return None

    def pods() -> str | None:
        for i in range(replicas):
            pod = _get(cluster, "pods", f"{name}-{i}", "default")
            if pod is None:
                return (f"no pod {name}-{i} yet: pods start one at a time; give it time with "
                        "`cluster.settle()`")
            problem = _running(pod)
            if problem:
                return f"{name}-{i}: {problem}"
        return None

    return _run("a StatefulSet with stable names", [
        (f'a StatefulSet "{name}" in "default"',
         _exists(cluster, "statefulsets", name, "write it with `%%kubectl apply -f -`")),
        (f"it wants {replicas} replicas and no volume claims", shaped),
        (f"pods {name}-0 … {name}-{replicas - 1} are Running", pods),
    ], success=f"Delete {name}-1: a new pod with the same name comes back.")


def check_daemonset_everywhere(cluster: Cluster, name: str = "log-agent") -> Check:
    """05: a DaemonSet with a pod on every node, the control plane included."""

    def everywhere() -> str | None:
        ds = cluster.api.get("daemonsets", name, "default")
        nodes = {n["metadata"]["name"] for n in cluster.api.list("nodes")}
        where = {p["spec"].get("nodeName") for p in _owned_pods(cluster, ds)}
        missing = sorted(nodes - where)
        if missing:
            extra = ""
            if "control-plane" in missing:
                extra = (f"; the control plane has the taint {CONTROL_PLANE_TAINT}:NoSchedule: "
                         "add a toleration to the pod template")
            return f"no pod on {', '.join(missing)}{extra}"
        return None

    def running() -> str | None:
        ds = cluster.api.get("daemonsets", name, "default")
        return _all_running(_owned_pods(cluster, ds), len(cluster.api.list("nodes")))

    return _run("a DaemonSet on every node", [
        (f'a DaemonSet "{name}" in "default"',
         _exists(cluster, "daemonsets", name, "write it with `%%kubectl apply -f -`")),
        ("it has a pod on every node, control plane included", everywhere),
        ("all its pods are Running", running),
    ], success="Add a node with `cluster.add_node(...)`: it gets a pod too.")


def check_job(cluster: Cluster, name: str = "countdown", completions: int = 3) -> Check:
    """05: a Job that completes 3 times, two pods at a time, its pods kept afterwards."""

    def shaped() -> str | None:
        job = cluster.api.get("jobs", name, "default")
        if job["spec"].get("completions") != completions:
            return f"spec.completions is {job['spec'].get('completions')}, not {completions}"
        if job["spec"].get("parallelism") != 2:
            return f"spec.parallelism is {job['spec'].get('parallelism')}, not 2"
        return None

    def complete() -> str | None:
        job = cluster.api.get("jobs", name, "default")
        if _condition(job, "Complete").get("status") == "True":
            return None
        if _condition(job, "Failed").get("status") == "True":
            return (f"it Failed: {_condition(job, 'Failed').get('reason')}; do its pods exit 0? "
                    f"delete it and apply it again")
        return "not Complete yet; give it time with `cluster.settle()`"

    def kept() -> str | None:
        job = cluster.api.get("jobs", name, "default")
        done = [p for p in _owned_pods(cluster, job)
                if (p.get("status") or {}).get("phase") == "Succeeded"]
        if len(done) < completions:
            return f"only {len(done)} Succeeded pods are left"
        return None

    return _run("a Job that finishes its work", [
        (f'a Job "{name}" in "default"',
         _exists(cluster, "jobs", name, "write it with `%%kubectl apply -f -`")),
        (f"completions {completions}, parallelism 2", shaped),
        ("it is Complete", complete),
        (f"its {completions} Succeeded pods are still there (for their logs)", kept),
    ], success="`kubectl logs <pod>` reads one of them; the notes say they are deleted, but only "
               "a TTL (ttlSecondsAfterFinished) or deleting the Job removes them.")


def check_cronjob(cluster: Cluster, name: str = "backup") -> Check:
    """05: a CronJob at 02:00 every day that never overlaps, and one Job made from it."""

    def schedule() -> str | None:
        from k8snb.controllers.cronjob import next_schedule_times

        cj = cluster.api.get("cronjobs", name, "default")
        try:
            times = next_schedule_times(cj, 2, cluster.clock.now)
        except Exception as e:
            return f"its schedule does not parse: {e}"
        if len(times) < 2 or any((t.hour, t.minute) != (2, 0) for t in times) or \
                (times[1] - times[0]).total_seconds() != 86400:
            shown = ", ".join(t.strftime("%a %H:%M") for t in times)
            return f'"{cj["spec"].get("schedule")}" runs at {shown}: not every day at 02:00'
        return None

    def forbid() -> str | None:
        cj = cluster.api.get("cronjobs", name, "default")
        policy = cj["spec"].get("concurrencyPolicy", "Allow")
        return None if policy == "Forbid" else f"concurrencyPolicy is {policy}, not Forbid"

    def made_job() -> str | None:
        cj = cluster.api.get("cronjobs", name, "default")
        uid = cj["metadata"]["uid"]
        jobs = [j for j in cluster.api.list("jobs", "default")
                if any(r.get("uid") == uid for r in j["metadata"].get("ownerReferences") or [])]
        if not jobs:
            return (f"no Job from it yet: advance the clock past 02:00, or run "
                    f"`kubectl create job {name}-now --from=cronjob/{name}`")
        return None

    return _run("a nightly CronJob", [
        (f'a CronJob "{name}" in "default"',
         _exists(cluster, "cronjobs", name, "try `kubectl create cronjob`")),
        ("it runs every day at 02:00 (UTC)", schedule),
        ("concurrencyPolicy Forbid (never two at once)", forbid),
        ("a Job made from it exists", made_job),
    ], success="`kubectl get jobs` shows it; the CronJob keeps the last 3 succeeded Jobs.")
