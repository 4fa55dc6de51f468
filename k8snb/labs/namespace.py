"""``namespace_lab``: create and delete namespaces, run pods in them, list pods everywhere.

Names are unique per namespace: ``web`` in ``team-a`` and ``web`` in ``team-b`` are two pods.
Deleting a namespace deletes everything in it (its pods terminate first).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from k8snb.labs._base import Lab, button, command_block, guarded, note, terminal

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["NamespaceLab", "namespace_lab"]


class NamespaceLab(Lab):
    """Parts: ``.namespace``, ``.pod_name``, ``.image`` (Text), ``.create``, ``.delete``,
    ``.run`` (Button), ``.output`` (HTML: the last command and ``kubectl get pods -A``)."""

    def __init__(self, cluster: Cluster, namespace: str = "team-a") -> None:
        super().__init__(cluster)
        self.namespace = widgets.Text(value=namespace, description="namespace",
                                      layout=widgets.Layout(width="18em"))
        self.create = button("create namespace", style="success")
        self.delete = button("delete namespace", style="danger")
        self.pod_name = widgets.Text(value="web", description="pod",
                                     layout=widgets.Layout(width="14em"))
        self.image = widgets.Text(value="nginx", description="image",
                                  layout=widgets.Layout(width="14em"))
        self.run = button("run pod", "kubectl run NAME --image=IMAGE -n NAMESPACE", "primary")
        self.output = widgets.HTML()
        self.create.on_click(lambda _b: self.kubectl(["create", "namespace",
                                                      self.namespace.value.strip()]))
        self.delete.on_click(lambda _b: self.kubectl(["delete", "namespace",
                                                      self.namespace.value.strip()]))
        self.run.on_click(lambda _b: self.kubectl(
            ["run", self.pod_name.value.strip(), f"--image={self.image.value.strip()}",
             "-n", self.namespace.value.strip()]))
        self.last = ""
        self.children = [widgets.HBox([self.namespace, self.create, self.delete]),
                         widgets.HBox([self.pod_name, self.image, self.run]), self.output]
        self.refresh()

    @guarded
    def kubectl(self, args: list[str]) -> Any:
        """Run ``kubectl <args>``, let the cluster settle, then show it and ``get pods -A``."""
        result = self.cluster.kubectl(args)
        took = self.cluster.settle(max_seconds=120) if result.returncode == 0 else 0
        self.last = command_block(result.command, result.stdout, result.stderr)
        if took:
            self.last += note(f"waited {round(took)} s of simulated time")
        self.refresh()
        return result

    def report(self, text: str) -> None:
        self.last = f'<span style="color:#ff6b6b">{html.escape(text)}</span>\n'
        self.refresh()

    def refresh(self) -> None:
        try:
            pods = self.cluster.kubectl(["get", "pods", "-A"])
            listing = command_block("kubectl get pods -A", pods.stdout, pods.stderr)
        except Exception as e:  # pragma: no cover - kubectl prints its own errors
            listing = html.escape(f"error: {e}")
        self.output.value = terminal(self.last + ("\n" if self.last else "") + listing)


def namespace_lab(cluster: Cluster, namespace: str = "team-a") -> NamespaceLab:
    """Create/delete a namespace, run a pod in it, and see ``kubectl get pods -A``."""
    return NamespaceLab(cluster, namespace)
