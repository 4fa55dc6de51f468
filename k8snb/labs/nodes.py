"""``nodes_lab``: add machines, power them off and on, cordon them, taint them.

Each click logs the command you would type at work (``kubectl cordon worker2``,
``kubeadm join …`` on a new machine) with its output, and redraws the cluster. Stopping a
machine changes nothing at once: advance the clock and watch the node controller mark it
``NotReady`` after 40 s and evict its pods after 5 minutes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from k8snb.labs._base import (
    LoggedLab,
    button,
    command_block,
    diagram_html,
    error_text,
    guarded,
    note,
    terminal,
)
from k8snb.labs.clock import ClockLab
from k8snb.views._dot import node_ip
from k8snb.views.cluster import is_control_plane
from k8snb.views.diagram import cluster_diagram

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["NodesLab", "nodes_lab"]

_JOIN = ("kubeadm join {ip}:6443 --token abcdef.0123456789abcdef "
         "--discovery-token-ca-cert-hash sha256:<hash>")


class NodesLab(LoggedLab):
    """Parts: ``.add_worker``, ``.node`` (Dropdown), ``.stop``, ``.start``, ``.cordon``,
    ``.uncordon``, ``.taint`` (Text ``key=value:Effect``), ``.add_taint``, ``.remove_taint``,
    ``.output`` (HTML terminal: the log of commands), ``.clock``, ``.diagram`` (HTML)."""

    log_entries = 8

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self.add_worker = button("add a worker", "a new machine joins the cluster", "success")
        self.node = widgets.Dropdown(description="node", layout=widgets.Layout(width="16em"))
        self.stop = button("stop", "power the machine off (its kubelet stops)", "danger")
        self.start = button("start", "power the machine back on")
        self.cordon = button("cordon", "no new pods on this node")
        self.uncordon = button("uncordon", "allow new pods again")
        self.taint = widgets.Text(value="dedicated=gpu:NoSchedule",
                                  placeholder="key=value:NoSchedule",
                                  layout=widgets.Layout(width="18em"))
        self.add_taint = button("add taint")
        self.remove_taint = button("remove taint")
        self.add_worker.on_click(lambda _b: self.do_add_worker())
        self.stop.on_click(lambda _b: self.do_power(False))
        self.start.on_click(lambda _b: self.do_power(True))
        self.cordon.on_click(lambda _b: self.kubectl(["cordon", self.node.value or ""]))
        self.uncordon.on_click(lambda _b: self.kubectl(["uncordon", self.node.value or ""]))
        self.add_taint.on_click(lambda _b: self.do_taint(remove=False))
        self.remove_taint.on_click(lambda _b: self.do_taint(remove=True))
        self.output = widgets.HTML(terminal('<span style="color:#9e9e9e"># what each click '
                                         "does, as you would type it</span>"))
        self.clock = ClockLab(cluster, on_change=self.refresh)
        self.diagram = widgets.HTML()
        row = widgets.Layout(align_items="center", flex_flow="row wrap")
        self.children = [
            widgets.HBox([self.add_worker, self.node, self.stop, self.start, self.cordon,
                          self.uncordon], layout=row),
            widgets.HBox([widgets.HTML("taint"), self.taint, self.add_taint, self.remove_taint],
                         layout=row),
            self.output, self.clock, self.diagram]
        self.refresh()

    # -- actions -------------------------------------------------------------------------------
    def _comment(self, text: str) -> None:
        self._append(note(text))

    @guarded
    def kubectl(self, args: list[str]) -> Any:
        """Run ``kubectl <args>``, log it with its output, redraw."""
        result = self.cluster.kubectl(args)
        self._append(command_block(result.command, result.stdout, result.stderr))
        self.refresh()
        return result

    @guarded
    def do_add_worker(self) -> None:
        names = {n["metadata"]["name"] for n in self.cluster.api.list("nodes")}
        nums = [int(m.group(1)) for n in names if (m := re.fullmatch(r"worker(\d+)", n))]
        name = f"worker{max(nums, default=0) + 1}"
        while name in names:  # pragma: no cover - only if someone named a node oddly
            name += "x"
        self.cluster.add_node(name)
        cp_ip = self._control_plane_ip()
        self._append(command_block(_JOIN.format(ip=cp_ip),
                                   f"This node has joined the cluster: node/{name}\n",
                                   comment=f"on the new machine {name}"))
        self.node.value = None
        self.refresh()
        self.node.value = name

    def _control_plane_ip(self) -> str:
        for n in self.cluster.api.list("nodes"):
            if is_control_plane(n):
                return node_ip(n) or "control-plane"
        return "control-plane"

    @guarded
    def do_power(self, on: bool) -> None:
        name = self.node.value
        if not name:
            self.report("error: choose a node first")
            return
        if on:
            self.cluster.start_node(name)
            self._comment(f"{name} powered on: its kubelet posts Ready again and restarts "
                          "the pods still bound to it")
        else:
            self.cluster.stop_node(name)
            self._comment(f"{name} powered off (no kubectl command does this: the machine "
                          "just stops). Advance the clock: NotReady after 40 s, its pods "
                          "evicted after 5 min")
        self.refresh()

    @guarded
    def do_taint(self, remove: bool) -> None:
        spec = self.taint.value.strip()
        if remove and spec and not spec.endswith("-"):
            spec += "-"
        if not self.node.value:
            self.report("error: choose a node first")
            return
        if not spec:
            self.report("error: at least one taint update is required")
            return
        self.kubectl(["taint", "nodes", self.node.value, spec])

    # -- drawing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            names = [n["metadata"]["name"] for n in self.cluster.api.list("nodes")]
        except Exception as e:
            self.report(error_text(e))
            names = []
        current = self.node.value
        if list(self.node.options) != names:
            self.node.options = names
        if current in names:
            self.node.value = current
        elif names and self.node.value is None:
            workers = [n for n in names if n != "control-plane"]
            self.node.value = workers[0] if workers else names[0]
        self.clock.refresh()
        self.diagram.value = diagram_html(lambda: cluster_diagram(self.cluster))


def nodes_lab(cluster: Cluster) -> NodesLab:
    """Add a worker, stop/start, cordon/uncordon and taint nodes; see the cluster change."""
    return NodesLab(cluster)
