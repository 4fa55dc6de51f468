"""``pod_lab``: a two-container pod (nginx + a busybox sidecar), from the inside.

Tick "share process namespace" and ``ps`` in the sidecar lists nginx's processes too; untick
it and each container sees only its own, its main process as PID 1. Tick "shared emptyDir"
and a file the sidecar writes to ``/shared`` is what nginx serves on ``localhost``. The pod's
network namespace (its IP, ``localhost``, the hostname) is always shared. A pod's spec cannot
change: delete it and create it again to try the other settings.
"""

from __future__ import annotations

import html
import re
import shlex
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import yaml

from k8snb.labs._base import Lab, button, command_block, diagram_html, guarded, note, terminal
from k8snb.labs.clock import ClockLab
from k8snb.views.diagram import pod_diagram

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["PodLab", "pod_lab", "two_container_pod"]

EXAMPLES = ("ps", "hostname", "wget -qO- localhost", "ls /shared",
            "echo hello from the sidecar > /shared/index.html", "cat /etc/hostname", "ip addr")
NGINX_HTML = "/usr/share/nginx/html"
_SHELL = re.compile(r"[|&;<>()$`*?{}\\]")


def two_container_pod(name: str = "two-containers", *, share_process_namespace: bool = False,
                      shared_volume: bool = False, namespace: str = "default") -> dict:
    """The lab's manifest: ``web`` (nginx) and ``sidecar`` (busybox), optionally sharing
    their PID namespace and an emptyDir (nginx's html directory, the sidecar's ``/shared``)."""
    web: dict[str, Any] = {"name": "web", "image": "nginx",
                           "ports": [{"containerPort": 80}]}
    sidecar: dict[str, Any] = {"name": "sidecar", "image": "busybox",
                               "command": ["sleep", "infinity"]}
    spec: dict[str, Any] = {}
    if share_process_namespace:
        spec["shareProcessNamespace"] = True
    spec["containers"] = [web, sidecar]
    if shared_volume:
        web["volumeMounts"] = [{"name": "shared", "mountPath": NGINX_HTML}]
        sidecar["volumeMounts"] = [{"name": "shared", "mountPath": "/shared"}]
        spec["volumes"] = [{"name": "shared", "emptyDir": {}}]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
            "spec": spec}


def _exec_argv(command: str) -> list[str]:
    """``ps`` -> ``["ps"]``; anything with shell syntax (``>``, ``|``, ``$``) -> ``sh -c``."""
    if _SHELL.search(command):
        return ["sh", "-c", command]
    try:
        return shlex.split(command)
    except ValueError:
        return ["sh", "-c", command]


class PodLab(Lab):
    """Parts: ``.name`` (Text), ``.share_pid``, ``.shared_volume`` (Checkbox), ``.create``,
    ``.delete`` (Button), ``.container`` (Dropdown), ``.exec_command`` (Text), ``.examples``
    (Dropdown), ``.exec`` (Button), ``.manifest``, ``.output``, ``.diagram`` (HTML), ``.clock``.
    """

    def __init__(self, cluster: Cluster, name: str = "two-containers",
                 namespace: str = "default") -> None:
        super().__init__(cluster)
        self.namespace = namespace
        self.name = widgets.Text(value=name, description="pod",
                                 layout=widgets.Layout(width="18em"))
        self.share_pid = widgets.Checkbox(value=False, description="share process namespace",
                                          indent=False)
        self.shared_volume = widgets.Checkbox(value=False, description="shared emptyDir volume",
                                              indent=False)
        self.create = button("create", "kubectl apply -f pod.yaml", "success")
        self.delete = button("delete", "kubectl delete pod", "danger")
        self.container = widgets.Dropdown(options=["web", "sidecar"], value="sidecar",
                                          description="container",
                                          layout=widgets.Layout(width="14em"))
        self.exec_command = widgets.Text(value="ps", layout=widgets.Layout(width="24em"))
        self.examples = widgets.Dropdown(options=["(examples)", *EXAMPLES], value="(examples)",
                                         layout=widgets.Layout(width="14em"))
        self.exec = button("exec", "kubectl exec POD -c CONTAINER -- COMMAND", "primary")
        self.manifest = widgets.HTML()
        self.output = widgets.HTML(terminal('<span style="color:#9e9e9e"># create the pod, '
                                            "then exec into a container</span>"))
        self.diagram = widgets.HTML()
        self.clock = ClockLab(cluster, on_change=self.refresh)
        self.create.on_click(lambda _b: self.do_create())
        self.delete.on_click(lambda _b: self.do_delete())
        self.exec.on_click(lambda _b: self.do_exec())
        self.examples.observe(self._example, "value")
        for box in (self.share_pid, self.shared_volume, self.name):
            box.observe(lambda _c: self._show_manifest(), "value")
        row = widgets.Layout(align_items="center", flex_flow="row wrap")
        self.children = [
            widgets.HBox([self.name, self.share_pid, self.shared_volume, self.create,
                          self.delete], layout=row),
            widgets.HBox([self.container, widgets.HTML("<code>--</code>"), self.exec_command,
                          self.exec, self.examples], layout=row),
            self.output, self.clock, widgets.HBox([self.diagram, self.manifest])]
        self.refresh()

    # -- helpers -------------------------------------------------------------------------------
    def pod_manifest(self) -> dict:
        return two_container_pod(self.name.value.strip(), namespace=self.namespace,
                                 share_process_namespace=self.share_pid.value,
                                 shared_volume=self.shared_volume.value)

    def _example(self, change: dict) -> None:
        if change.get("new") in EXAMPLES:
            self.exec_command.value = change["new"]
            if change["new"].startswith(("ls /shared", "echo")):
                self.container.value = "sidecar"
            self.examples.value = "(examples)"

    def _show_manifest(self) -> None:
        text = yaml.safe_dump(self.pod_manifest(), sort_keys=False)
        self.manifest.value = (
            '<div style="font-size:11px;color:#555">pod.yaml</div>'
            + terminal(html.escape(text)).replace("#1e1e1e", "#f6f8fa").replace(
                "color:#e6e6e6", "color:#24292e"))

    def _settle(self) -> str:
        took = self.cluster.settle(max_seconds=120)
        return note(f"waited {round(took)} s of simulated time") if took else ""

    # -- actions -------------------------------------------------------------------------------
    @guarded
    def do_create(self) -> None:
        name = self.name.value.strip()
        text = yaml.safe_dump(self.pod_manifest(), sort_keys=False)
        result = self.cluster.kubectl(["apply", "-f", "-"], stdin=text)
        block = command_block("kubectl apply -f pod.yaml", result.stdout, result.stderr)
        if result.returncode == 0:
            block += self._settle()
            get = self.cluster.kubectl(["get", "pod", name, "-n", self.namespace])
            block += command_block(f"kubectl get pod {name}", get.stdout, get.stderr)
        elif "pod updates may not change" in result.stderr:
            block += note("a pod's spec is fixed once created: delete it, then create it again")
        self.output.value = terminal(block)
        self.refresh()

    @guarded
    def do_delete(self) -> None:
        name = self.name.value.strip()
        result = self.cluster.kubectl(["delete", "pod", name, "-n", self.namespace])
        block = command_block(f"kubectl delete pod {name}", result.stdout, result.stderr)
        if result.returncode == 0:
            block += self._settle()
        self.output.value = terminal(block)
        self.refresh()

    @guarded
    def do_exec(self) -> Any:
        name = self.name.value.strip()
        command = self.exec_command.value.strip()
        if not command:
            self.report("error: you must specify at least one command for the container")
            return None
        argv = _exec_argv(command)
        args = ["exec", name, "-n", self.namespace, "-c", self.container.value, "--", *argv]
        result = self.cluster.kubectl(args)
        shown = ["exec", name, "-c", self.container.value, "--", *argv]
        block = command_block("kubectl " + shlex.join(shown), result.stdout, result.stderr)
        if result.returncode in (126, 127):
            block += note(f"{argv[0]} is not in the {self.container.value} container's image: "
                          "each container has its own files; try the other container")
        self.output.value = terminal(block)
        self.refresh()
        return result

    # -- drawing -------------------------------------------------------------------------------
    def _pod(self) -> dict | None:
        try:
            return self.cluster.api.get("pods", self.name.value.strip(), self.namespace)
        except Exception:
            return None

    def refresh(self) -> None:
        self.clock.refresh()
        self._show_manifest()
        pod = self._pod()
        if pod is None:
            self.diagram.value = terminal('<span style="color:#9e9e9e"># no pod '
                                          f"{html.escape(self.name.value.strip())} yet: "
                                          "click create</span>")
            return
        names = [c["name"] for c in pod["spec"]["containers"]]
        if list(self.container.options) != names:
            current = self.container.value
            self.container.options = names
            self.container.value = current if current in names else names[0]
        self.diagram.value = diagram_html(
            lambda: pod_diagram(self.cluster, self.namespace, pod["metadata"]["name"]))


def pod_lab(cluster: Cluster, name: str = "two-containers", namespace: str = "default") -> PodLab:
    """Create/delete a two-container pod (shared PID namespace? shared emptyDir?) and exec
    into either container; shows the manifest, the pod diagram and the exec output."""
    return PodLab(cluster, name, namespace)
