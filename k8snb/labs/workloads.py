"""Labs for the pod controllers: a Deployment to scale, break and roll out; a DaemonSet that
follows nodes; a Job with a failure rate; a CronJob and the clock.

Every click is one ``kubectl`` command (or one machine action), logged with its output, and the
lab redraws the ownership diagram (:func:`k8snb.views.ownership_diagram`). Time moves only with
the lab's step buttons, so you can watch each controller close the gap one step at a time.

    >>> lab = deployment_lab(cluster)           # doctest: +SKIP
    >>> lab.image.value = "nginx:1.27"          # doctest: +SKIP
    >>> lab.rollout.click(); lab.play.click()   # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import yaml

from k8snb.labs._base import (
    LoggedLab,
    button,
    command_block,
    diagram_html,
    error_text,
    guarded,
    kubectl_line,
    note,
    terminal,
)
from k8snb.views.workloads import RolloutRecorder, cronjob_timeline, ownership_diagram

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["CronJobLab", "DaemonSetLab", "DeploymentLab", "JobLab", "ReplicaSetLab",
           "cronjob_lab", "daemonset_lab", "deployment_lab", "job_lab", "replicaset_lab"]

IMAGES = ("nginx:1.26", "nginx:1.27", "nginx:1.28", "ngnix:1.27")
ROW = {"align_items": "center", "flex_flow": "row wrap"}


def _row(*children: widgets.Widget) -> widgets.HBox:
    return widgets.HBox(list(children), layout=widgets.Layout(**ROW))


def _match_labels(obj: dict | None) -> str:
    """An object's ``spec.selector.matchLabels`` as a ``-l`` selector ("" when none)."""
    match = (((obj or {}).get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    return ",".join(f"{k}={v}" for k, v in sorted(match.items()))


def _seconds(s: float) -> str:
    s = round(s)
    if s < 60:
        return f"{s} s"
    m, s = divmod(s, 60)
    return f"{m} min {s} s" if s else f"{m} min"


class _WorkloadLab(LoggedLab):
    """Shared parts: ``.output`` (log of commands), ``.time`` (HTML), ``.diagram`` (HTML)."""

    workload = ""
    namespace = "default"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self.output = widgets.HTML(terminal(note("each click, as you would type it")))
        self.time = widgets.HTML()
        self.diagram = widgets.HTML()

    def _get(self, resource: str) -> dict | None:
        """This lab's ``resource`` named ``self.name``, or None when it is not there."""
        try:
            return self.cluster.api.get(resource, self.name, self.namespace)
        except Exception:
            return None

    def kubectl(self, args: list[str], stdin: str | None = None, *, shown: str = "") -> Any:
        """Run ``kubectl <args>``, log the command with its output; returns the result."""
        result = self.cluster.kubectl(args, stdin=stdin)
        self._append(command_block(shown or kubectl_line(args), result.stdout, result.stderr))
        return result

    def _step(self, seconds: float) -> None:
        self.cluster.advance(seconds)
        self._append(note(f"+{_seconds(seconds)} of simulated time"))

    def _settle(self, limit: float = 600) -> None:
        took = self.cluster.settle(max_seconds=limit)
        self._append(note(f"settled after {_seconds(took)}" if took else "nothing to wait for"))

    def _draw(self) -> None:
        now = self.cluster.now.strftime("%H:%M:%S")
        self.time.value = f'<span style="font-family:monospace">simulated time {now} UTC</span>'
        self.diagram.value = diagram_html(lambda: ownership_diagram(
            self.cluster, self.namespace, workload=self.workload, legend=False))

    def refresh(self) -> None:
        try:
            self._draw()
        except Exception as e:  # never raise into the notebook
            self.report(error_text(e))


# -- Deployment --------------------------------------------------------------------------------


class DeploymentLab(_WorkloadLab):
    """Parts: ``.replicas`` (IntSlider), ``.kill`` (Button), ``.image`` (Dropdown),
    ``.strategy`` (ToggleButtons), ``.max_surge``, ``.max_unavailable`` (IntSliders, percent),
    ``.rollout``, ``.undo``, ``.step_1s``, ``.step_5s``, ``.play`` (Buttons), ``.recorder``
    (:class:`RolloutRecorder`), ``.history`` (HTML table), ``.output``, ``.time``, ``.diagram``.
    """

    def __init__(self, cluster: Cluster, name: str = "web", namespace: str = "default",
                 image: str = "nginx:1.26", replicas: int = 3) -> None:
        super().__init__(cluster)
        self.name, self.namespace, self.workload = name, namespace, f"deploy/{name}"
        self._quiet = False
        if not self._exists():
            self.kubectl(["create", "deployment", name, f"--image={image}",
                          f"--replicas={replicas}", "-n", namespace],
                         shown=f"kubectl create deployment {name} --image={image} "
                               f"--replicas={replicas}")
            self._settle()
        self.recorder = RolloutRecorder(cluster, name, namespace)
        d = self._deployment() or {}
        strategy = (d.get("spec") or {}).get("strategy") or {}
        ru = strategy.get("rollingUpdate") or {}
        self.replicas = widgets.IntSlider(value=int((d.get("spec") or {}).get("replicas", 1)),
                                          min=0, max=6, description="replicas",
                                          continuous_update=False)
        self.kill = button("kill a pod", "kubectl delete pod <the first pod>", "danger")
        current = self._image() or image
        self.image = widgets.Dropdown(options=sorted({*IMAGES, current}), value=current,
                                      description="image", layout=widgets.Layout(width="16em"))
        self.strategy = widgets.ToggleButtons(options=["RollingUpdate", "Recreate"],
                                              value=strategy.get("type", "RollingUpdate"))
        self.max_surge = widgets.IntSlider(value=_percent(ru.get("maxSurge", "25%")), min=0,
                                           max=100, step=25, description="maxSurge %",
                                           continuous_update=False,
                                           style={"description_width": "initial"})
        self.max_unavailable = widgets.IntSlider(
            value=_percent(ru.get("maxUnavailable", "25%")), min=0, max=100, step=25,
            description="maxUnavailable %", continuous_update=False,
            style={"description_width": "initial"})
        self.rollout = button("roll out", "kubectl set image", "primary")
        self.undo = button("undo", "kubectl rollout undo")
        self.step_1s = button("+1 s", "advance simulated time by 1 s")
        self.step_5s = button("+5 s", "advance simulated time by 5 s")
        self.play = button("▶ play", "advance 1 s at a time until the rollout is done")
        self.history = widgets.HTML()
        self.replicas.observe(lambda c: self._quiet or self.do_scale(c["new"]), "value")
        self.strategy.observe(lambda _c: self._quiet or self.do_strategy(), "value")
        self.max_surge.observe(lambda _c: self._quiet or self.do_strategy(), "value")
        self.max_unavailable.observe(lambda _c: self._quiet or self.do_strategy(), "value")
        self.kill.on_click(lambda _b: self.do_kill())
        self.rollout.on_click(lambda _b: self.do_rollout())
        self.undo.on_click(lambda _b: self.do_undo())
        self.step_1s.on_click(lambda _b: self.do_step(1))
        self.step_5s.on_click(lambda _b: self.do_step(5))
        self.play.on_click(lambda _b: self.do_play())
        self.children = [
            _row(self.replicas, self.kill),
            _row(self.strategy, self.max_surge, self.max_unavailable),
            _row(self.image, self.rollout, self.undo),
            _row(self.time, self.step_1s, self.step_5s, self.play),
            self.output, self.history, self.diagram]
        self.refresh()

    # -- reading --------------------------------------------------------------------------------
    def _deployment(self) -> dict | None:
        return self._get("deployments")

    def _exists(self) -> bool:
        return self._deployment() is not None

    def _image(self) -> str | None:
        d = self._deployment()
        containers = ((((d or {}).get("spec") or {}).get("template") or {}).get("spec")
                      or {}).get("containers") or []
        return containers[0].get("image") if containers else None

    def _container(self) -> str:
        d = self._deployment() or {}
        containers = d.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [])
        return containers[0]["name"] if containers else self.name

    # -- actions --------------------------------------------------------------------------------
    def _record(self, text: str) -> None:
        self.recorder.snapshot(text)
        self.refresh()

    @guarded
    def do_scale(self, replicas: int) -> None:
        args = ["scale", f"deployment/{self.name}", f"--replicas={replicas}"]
        self.kubectl(args + ["-n", self.namespace], shown=kubectl_line(args))
        self._record(kubectl_line(args))

    @guarded
    def do_kill(self) -> None:
        selector = _match_labels(self._deployment())
        pods = [p for p in self.cluster.api.list("pods", self.namespace,
                                                 label_selector=selector or None)
                if selector and not p["metadata"].get("deletionTimestamp")]
        if not pods:
            self.report("error: no pod to kill: scale up first")
            return
        victim = pods[0]["metadata"]["name"]
        args = ["delete", "pod", victim]
        self.kubectl(args + ["-n", self.namespace], shown=kubectl_line(args))
        self._append(note("the ReplicaSet sees one pod missing and creates a replacement"))
        self._record(kubectl_line(args))

    @guarded
    def do_strategy(self) -> None:
        if self.strategy.value == "Recreate":
            patch: dict[str, Any] = {"type": "Recreate", "rollingUpdate": None}
        else:
            patch = {"type": "RollingUpdate", "rollingUpdate": {
                "maxSurge": f"{self.max_surge.value}%",
                "maxUnavailable": f"{self.max_unavailable.value}%"}}
        body = json.dumps({"spec": {"strategy": patch}}, separators=(",", ":"))
        args = ["patch", "deployment", self.name, "--type=merge", "-p", body]
        self.kubectl(args + ["-n", self.namespace], shown=kubectl_line(args))
        self.refresh()

    @guarded
    def do_rollout(self) -> None:
        args = ["set", "image", f"deployment/{self.name}",
                f"{self._container()}={self.image.value}"]
        self.kubectl(args + ["-n", self.namespace], shown=kubectl_line(args))
        self._record(kubectl_line(args))

    @guarded
    def do_undo(self) -> None:
        args = ["rollout", "undo", f"deployment/{self.name}"]
        self.kubectl(args + ["-n", self.namespace], shown=kubectl_line(args))
        self._record(kubectl_line(args))
        self._sync_controls()

    @guarded
    def do_step(self, seconds: float) -> None:
        self.recorder.advance(seconds)
        self._append(note(f"+{_seconds(seconds)}: {self.recorder.snapshots[-1].status}"))
        self.refresh()

    @guarded
    def do_play(self) -> None:
        steps = self.recorder.play(step=1.0, max_seconds=120)
        last = self.recorder.snapshots[-1].status if self.recorder.snapshots else ""
        self._append(note(f"played {len(steps)} s: {last}"))
        self.refresh()

    def _sync_controls(self) -> None:
        """Show the Deployment's own values (after undo, or a change made elsewhere)."""
        d = self._deployment()
        if d is None:
            return
        self._quiet = True
        try:
            self.replicas.value = int(d["spec"].get("replicas", 1))
            image = self._image()
            if image and image not in self.image.options:
                self.image.options = sorted({*self.image.options, image})
            if image:
                self.image.value = image
        finally:
            self._quiet = False

    def _draw(self) -> None:
        super()._draw()
        self.history.value = ('<div style="font-size:11px;color:#555">rollout replay: '
                              "█ ready pod, ░ not ready yet, · still to create</div>"
                              + self.recorder.html(last=10))


def _percent(value: Any) -> int:
    text = str(value)
    if text.endswith("%"):
        try:
            return int(text[:-1])
        except ValueError:
            return 25
    return 25


def deployment_lab(cluster: Cluster, name: str = "web", namespace: str = "default",
                   image: str = "nginx:1.26", replicas: int = 3) -> DeploymentLab:
    """Scale a Deployment, kill its pods, roll out an image step by step, undo.

    Creates ``deployment/<name>`` if it does not exist. ``ngnix:1.27`` in the image list is a
    typo on purpose: watch the rollout stall and the old pods keep serving.
    """
    return DeploymentLab(cluster, name, namespace, image, replicas)


# -- ReplicaSet --------------------------------------------------------------------------------


def replicaset_manifest(name: str, image: str, replicas: int) -> str:
    """A ReplicaSet selecting ``app=<name>`` (what the lab applies when it does not exist)."""
    return yaml.safe_dump({
        "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "web", "image": image}]}}}},
        sort_keys=False)


class ReplicaSetLab(_WorkloadLab):
    """Parts: ``.replicas`` (IntSlider), ``.kill``, ``.stray`` (a bare pod with the labels:
    adopted), ``.relabel`` (a pod loses the label: released), ``.settle`` (Buttons),
    ``.output``, ``.time``, ``.diagram``. Each click runs its kubectl command and settles."""

    def __init__(self, cluster: Cluster, name: str = "guestbook", namespace: str = "default",
                 image: str = "nginx:1.27", replicas: int = 3) -> None:
        super().__init__(cluster)
        self.name, self.namespace, self.workload = name, namespace, f"rs/{name}"
        self.image_name = image
        self._strays = 0
        self._quiet = False
        if self._replicaset() is None:
            self.kubectl(["apply", "-n", namespace, "-f", "-"],
                         replicaset_manifest(name, image, replicas),
                         shown="kubectl apply -f replicaset.yaml")
            self._settle()
        rs = self._replicaset() or {}
        self.replicas = widgets.IntSlider(value=int((rs.get("spec") or {}).get("replicas", 1)),
                                          min=0, max=6, description="replicas",
                                          continuous_update=False)
        self.kill = button("kill a pod", "kubectl delete pod <one of its pods>", "danger")
        self.stray = button("start a stray pod", "a bare pod with the selector's labels")
        self.relabel = button("relabel a pod", "change a pod's label so it no longer matches")
        self.settle = button("settle", "run until nothing is left to do")
        self.replicas.observe(lambda c: self._quiet or self.do_scale(c["new"]), "value")
        self.kill.on_click(lambda _b: self.do_kill())
        self.stray.on_click(lambda _b: self.do_stray())
        self.relabel.on_click(lambda _b: self.do_relabel())
        self.settle.on_click(lambda _b: self.do_settle())
        self.children = [_row(self.replicas, self.kill, self.stray, self.relabel),
                         _row(self.time, self.settle), self.output, self.diagram]
        self.refresh()

    def _replicaset(self) -> dict | None:
        return self._get("replicasets")

    def _selector(self) -> str:
        return _match_labels(self._replicaset())

    def _members(self) -> list[dict]:
        """Pods the selector matches that are not being deleted, oldest first."""
        selector = self._selector()
        if not selector:
            return []
        pods = [p for p in self.cluster.api.list("pods", self.namespace, label_selector=selector)
                if not p["metadata"].get("deletionTimestamp")]
        return sorted(pods, key=lambda p: (p["metadata"]["creationTimestamp"],
                                           p["metadata"]["name"]))

    def _run(self, args: list[str], why: str) -> None:
        self.kubectl(args + ["-n", self.namespace], shown=kubectl_line(args))
        self._append(note(why))
        self.cluster.settle(max_seconds=120)
        selector = self._selector()
        if selector:
            self.kubectl(["get", "pods", "-l", selector, "-n", self.namespace],
                         shown=kubectl_line(["get", "pods", "-l", selector]))
        self.refresh()

    @guarded
    def do_scale(self, replicas: int) -> None:
        self._run(["scale", f"rs/{self.name}", f"--replicas={replicas}"],
                  "spec.replicas changes; the controller creates or deletes the difference")

    @guarded
    def do_kill(self) -> None:
        pods = self._members()
        if not pods:
            self.report("error: no pod to kill: scale up first")
            return
        self._run(["delete", "pod", pods[0]["metadata"]["name"]],
                  "one pod fewer than replicas: the ReplicaSet creates a replacement")

    @guarded
    def do_stray(self) -> None:
        selector = self._selector()
        if not selector:
            self.report("error: the ReplicaSet has no selector to match")
            return
        self._strays += 1
        self._run(["run", f"stray-{self._strays}", f"--image={self.image_name}",
                   f"--labels={selector}"],
                  "a bare pod that matches: the ReplicaSet adopts it, finds one pod too many "
                  "and deletes one (the youngest first)")

    @guarded
    def do_relabel(self) -> None:
        pods = self._members()
        key = self._selector().split("=", 1)[0]
        if not pods or not key:
            self.report("error: no pod to relabel: scale up first")
            return
        self._run(["label", "pod", pods[0]["metadata"]["name"], f"{key}=debug", "--overwrite"],
                  "the pod no longer matches: the ReplicaSet releases it (it keeps running, "
                  "with no controller) and creates a replacement")

    @guarded
    def do_settle(self) -> None:
        self._settle()
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        rs = self._replicaset()
        if rs is not None and self.replicas.value != rs["spec"].get("replicas", 1):
            self._quiet = True
            try:
                self.replicas.value = int(rs["spec"].get("replicas", 1))
            finally:
                self._quiet = False


def replicaset_lab(cluster: Cluster, name: str = "guestbook", namespace: str = "default",
                   image: str = "nginx:1.27", replicas: int = 3) -> ReplicaSetLab:
    """Scale a ReplicaSet, kill a pod, start a stray pod it adopts, relabel one it releases.

    Applies ``rs/<name>`` (selector ``app=<name>``) if it does not exist."""
    return ReplicaSetLab(cluster, name, namespace, image, replicas)


# -- DaemonSet ---------------------------------------------------------------------------------


class DaemonSetLab(_WorkloadLab):
    """Parts: ``.add_worker``, ``.node`` (Dropdown), ``.stop``, ``.start``, ``.drain``,
    ``.uncordon``, ``.step_10s``, ``.step_1min``, ``.settle`` (Buttons), ``.output``,
    ``.time``, ``.diagram``."""

    def __init__(self, cluster: Cluster, name: str = "kube-proxy",
                 namespace: str = "kube-system") -> None:
        super().__init__(cluster)
        self.name, self.namespace, self.workload = name, namespace, f"ds/{name}"
        self.add_worker = button("add a worker", "a new machine joins the cluster", "success")
        self.node = widgets.Dropdown(description="node", layout=widgets.Layout(width="16em"))
        self.stop = button("stop", "power the machine off", "danger")
        self.start = button("start", "power it back on")
        self.drain = button("drain", "kubectl drain NODE --ignore-daemonsets")
        self.uncordon = button("uncordon", "kubectl uncordon NODE")
        self.step_10s = button("+10 s")
        self.step_1min = button("+1 min")
        self.settle = button("settle", "run until nothing is left to do")
        self.add_worker.on_click(lambda _b: self.do_add_worker())
        self.stop.on_click(lambda _b: self.do_power(False))
        self.start.on_click(lambda _b: self.do_power(True))
        self.drain.on_click(lambda _b: self.do_drain())
        self.uncordon.on_click(lambda _b: self.do_uncordon())
        self.step_10s.on_click(lambda _b: self.do_step(10))
        self.step_1min.on_click(lambda _b: self.do_step(60))
        self.settle.on_click(lambda _b: self.do_settle())
        self.children = [
            _row(self.add_worker, self.node, self.stop, self.start, self.drain, self.uncordon),
            _row(self.time, self.step_10s, self.step_1min, self.settle),
            self.output, self.diagram]
        self.refresh()

    def _node_names(self) -> list[str]:
        return [n["metadata"]["name"] for n in self.cluster.api.list("nodes")]

    def _chosen(self) -> str | None:
        if not self.node.value:
            self.report("error: choose a node first")
            return None
        return self.node.value

    @guarded
    def do_add_worker(self) -> None:
        names = set(self._node_names())
        nums = [int(m.group(1)) for n in names if (m := re.fullmatch(r"worker(\d+)", n))]
        name = f"worker{max(nums, default=0) + 1}"
        self.cluster.add_node(name)
        self._append(command_block("kubeadm join … (on the new machine)",
                                   f"This node has joined the cluster: node/{name}\n"))
        self._append(note("the DaemonSet controller sees a new node and creates a pod for it"))
        self.refresh()
        self.node.value = name

    @guarded
    def do_power(self, on: bool) -> None:
        name = self._chosen()
        if name is None:
            return
        if on:
            self.cluster.start_node(name)
            self._append(note(f"{name} powered on"))
        else:
            self.cluster.stop_node(name)
            self._append(note(f"{name} powered off: NotReady after 40 s; DaemonSet pods "
                              "tolerate that and stay bound to it"))
        self.refresh()

    @guarded
    def do_drain(self) -> None:
        name = self._chosen()
        if name is None:
            return
        self.kubectl(["drain", name, "--ignore-daemonsets"])
        self.refresh()

    @guarded
    def do_uncordon(self) -> None:
        name = self._chosen()
        if name is None:
            return
        self.kubectl(["uncordon", name])
        self.refresh()

    @guarded
    def do_step(self, seconds: float) -> None:
        self._step(seconds)
        self.refresh()

    @guarded
    def do_settle(self) -> None:
        self._settle()
        self.refresh()

    def _draw(self) -> None:
        names = self._node_names()
        if list(self.node.options) != names:
            current = self.node.value
            self.node.options = names
            workers = [n for n in names if n.startswith("worker")]
            self.node.value = current if current in names else (workers or names or [None])[0]
        super()._draw()


def daemonset_lab(cluster: Cluster, name: str = "kube-proxy",
                  namespace: str = "kube-system") -> DaemonSetLab:
    """Add, stop, drain and uncordon nodes; watch ``daemonset/<name>``'s pods follow."""
    return DaemonSetLab(cluster, name, namespace)


# -- Job ---------------------------------------------------------------------------------------


def job_manifest(name: str, completions: int, parallelism: int, fail_percent: int,
                 backoff_limit: int = 6, seconds: int = 3) -> dict:
    """A busybox Job whose pods work ``seconds`` then ``exit 1`` with ``fail_percent`` % odds
    (``$RANDOM``, from the node's seeded random source), else ``exit 0``."""
    script = (f"sleep {seconds}; n=$RANDOM; roll=$((n % 100)); "
              f"if [ $roll -lt {fail_percent} ]; then echo failed, roll $roll; exit 1; fi; "
              "echo done, roll $roll")
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
            "spec": {"completions": completions, "parallelism": parallelism,
                     "backoffLimit": backoff_limit,
                     "template": {"spec": {"restartPolicy": "Never", "containers": [
                         {"name": "work", "image": "busybox:1.36",
                          "command": ["sh", "-c", script]}]}}}}


class JobLab(_WorkloadLab):
    """Parts: ``.completions``, ``.parallelism``, ``.fail_percent``, ``.backoff_limit``
    (IntSliders), ``.run``, ``.step_1s``, ``.step_10s``, ``.settle`` (Buttons), ``.output``,
    ``.time``, ``.diagram``."""

    def __init__(self, cluster: Cluster, name: str = "work", namespace: str = "default") -> None:
        super().__init__(cluster)
        self.name, self.namespace, self.workload = name, namespace, f"job/{name}"
        slider = {"continuous_update": False, "style": {"description_width": "8em"}}
        self.completions = widgets.IntSlider(value=4, min=1, max=8, description="completions",
                                             **slider)
        self.parallelism = widgets.IntSlider(value=2, min=1, max=4, description="parallelism",
                                             **slider)
        self.fail_percent = widgets.IntSlider(value=0, min=0, max=100, step=10,
                                              description="fail rate %", **slider)
        self.backoff_limit = widgets.IntSlider(value=6, min=0, max=6,
                                               description="backoffLimit", **slider)
        self.run = button("run", "delete the old Job, apply the new one", "primary")
        self.step_1s = button("+1 s")
        self.step_10s = button("+10 s")
        self.settle = button("settle", "run until the Job finishes")
        self.run.on_click(lambda _b: self.do_run())
        self.step_1s.on_click(lambda _b: self.do_step(1))
        self.step_10s.on_click(lambda _b: self.do_step(10))
        self.settle.on_click(lambda _b: self.do_settle())
        self.children = [
            _row(self.completions, self.parallelism),
            _row(self.fail_percent, self.backoff_limit, self.run),
            _row(self.time, self.step_1s, self.step_10s, self.settle),
            self.output, self.diagram]
        self.refresh()

    def manifest(self) -> dict:
        return job_manifest(self.name, self.completions.value, self.parallelism.value,
                            self.fail_percent.value, self.backoff_limit.value)

    @guarded
    def do_run(self) -> None:
        try:
            self.cluster.api.get("jobs", self.name, self.namespace)
            self.kubectl(["delete", "job", self.name, "-n", self.namespace],
                         shown=f"kubectl delete job {self.name}")
        except Exception:
            pass
        text = yaml.safe_dump(self.manifest(), sort_keys=False)
        self.kubectl(["apply", "-n", self.namespace, "-f", "-"], stdin=text,
                     shown="kubectl apply -f job.yaml")
        self.refresh()

    @guarded
    def do_step(self, seconds: float) -> None:
        self._step(seconds)
        self._show_job()
        self.refresh()

    @guarded
    def do_settle(self) -> None:
        self._settle()
        self._show_job()
        self.refresh()

    def _show_job(self) -> None:
        result = self.cluster.kubectl(["get", "job", self.name, "-n", self.namespace])
        self._append(command_block(f"kubectl get job {self.name}", result.stdout,
                                   result.stderr))


def job_lab(cluster: Cluster, name: str = "work", namespace: str = "default") -> JobLab:
    """Run a Job with chosen completions, parallelism, failure rate and backoffLimit."""
    return JobLab(cluster, name, namespace)


# -- CronJob -----------------------------------------------------------------------------------


class CronJobLab(_WorkloadLab):
    """Parts: ``.schedule`` (Text), ``.policy`` (Dropdown concurrencyPolicy), ``.apply``,
    ``.suspend`` (ToggleButton), ``.step_1min``, ``.step_10min``, ``.step_1h`` (Buttons),
    ``.timeline`` (HTML: jobs made, now, next runs), ``.output``, ``.time``, ``.diagram``."""

    def __init__(self, cluster: Cluster, name: str = "tick", namespace: str = "default",
                 schedule: str = "*/5 * * * *") -> None:
        super().__init__(cluster)
        self.name, self.namespace, self.workload = name, namespace, f"cronjob/{name}"
        self.schedule = widgets.Text(value=schedule, description="schedule",
                                     layout=widgets.Layout(width="18em"))
        self.policy = widgets.Dropdown(options=["Allow", "Forbid", "Replace"], value="Allow",
                                       description="concurrency",
                                       layout=widgets.Layout(width="14em"))
        self.apply = button("apply", "kubectl apply -f cronjob.yaml", "primary")
        self.suspend = widgets.ToggleButton(value=False, description="suspend")
        self.step_1min = button("+1 min")
        self.step_10min = button("+10 min")
        self.step_1h = button("+1 h")
        self.timeline = widgets.HTML()
        self.apply.on_click(lambda _b: self.do_apply())
        self.suspend.observe(lambda _c: self.do_apply(), "value")
        self.step_1min.on_click(lambda _b: self.do_step(60))
        self.step_10min.on_click(lambda _b: self.do_step(600))
        self.step_1h.on_click(lambda _b: self.do_step(3600))
        self.children = [
            _row(self.schedule, self.policy, self.apply, self.suspend),
            _row(self.time, self.step_1min, self.step_10min, self.step_1h),
            self.output, self.timeline, self.diagram]
        self.refresh()

    def manifest(self) -> dict:
        return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": self.name},
                "spec": {"schedule": self.schedule.value.strip(),
                         "concurrencyPolicy": self.policy.value,
                         "suspend": bool(self.suspend.value),
                         "jobTemplate": {"spec": {"template": {"spec": {
                             "restartPolicy": "OnFailure", "containers": [
                                 {"name": "tick", "image": "busybox:1.36",
                                  "command": ["sh", "-c", "date; sleep 20"]}]}}}}}}

    @guarded
    def do_apply(self) -> None:
        text = yaml.safe_dump(self.manifest(), sort_keys=False)
        self.kubectl(["apply", "-n", self.namespace, "-f", "-"], stdin=text,
                     shown="kubectl apply -f cronjob.yaml")
        self.refresh()

    @guarded
    def do_step(self, seconds: float) -> None:
        self._step(seconds)
        self.refresh()

    def _draw(self) -> None:
        super()._draw()
        try:
            frame = cronjob_timeline(self.cluster, self.name, self.namespace, n=5)
        except Exception:
            self.timeline.value = terminal(note(f"no cronjob {self.name} yet: click apply"))
            return
        self.timeline.value = frame.to_html(index=False, border=0).replace(
            "<table", '<table style="font-family:monospace;font-size:12px"')


def cronjob_lab(cluster: Cluster, name: str = "tick", namespace: str = "default",
                schedule: str = "*/5 * * * *") -> CronJobLab:
    """Write a schedule, apply it, move the clock on; see the next runs and the Jobs made."""
    return CronJobLab(cluster, name, namespace, schedule)
