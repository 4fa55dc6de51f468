"""``Diagram``: DOT text that shows itself as SVG in Jupyter. The one rendering step.

Views return DOT text; a Diagram wraps it with a title. In a notebook it displays as SVG,
rendered by Graphviz's ``dot`` binary through the ``graphviz`` library; its text repr is
stable (``<Diagram cluster: 4 nodes, 12 pods>``) so notebook tests can compare it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import graphviz

from k8snb.views.cluster import cluster_dot
from k8snb.views.graph import cluster_graph
from k8snb.views.node import node_dot
from k8snb.views.pod import pod_dot

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["Diagram", "RenderError", "cluster_diagram", "node_diagram", "pod_diagram"]


class RenderError(RuntimeError):
    """Graphviz could not render the DOT text (``dot`` missing, or a bad graph)."""


class Diagram:
    """A diagram: ``.dot`` (the DOT text), ``.title``; ``.svg()`` renders it."""

    def __init__(self, dot: str, title: str) -> None:
        self.dot = dot
        self.title = title

    def svg(self) -> str:
        """The SVG text; raises :class:`RenderError` when Graphviz cannot render."""
        try:
            data = graphviz.Source(self.dot).pipe(format="svg")
        except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, OSError) as e:
            raise RenderError(f"cannot render {self.title}: {e}") from e
        return data.decode("utf-8")

    def _repr_svg_(self) -> str | None:
        try:
            return self.svg()
        except RenderError:
            return None  # Jupyter then shows the text repr

    def __repr__(self) -> str:
        return f"<Diagram {self.title}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Diagram) and (self.dot, self.title) == (other.dot, other.title)

    __hash__ = None  # type: ignore[assignment]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def cluster_diagram(cluster: Cluster, *, namespace: str | None = None) -> Diagram:
    """The whole cluster (:func:`~k8snb.views.cluster.cluster_dot`) as a Diagram."""
    g = cluster_graph(cluster)
    kinds = [d["kind"] for _, d in g.nodes(data=True) if d.get("obj") is not None]
    pods = sum(1 for _, d in g.nodes(data=True) if d["kind"] == "Pod" and (
        namespace is None or d["namespace"] == namespace))
    title = f"cluster: {_plural(kinds.count('Node'), 'node')}, {_plural(pods, 'pod')}"
    if namespace is not None:
        title += f" in {namespace}"
    return Diagram(cluster_dot(cluster, namespace=namespace), title)


def node_diagram(cluster: Cluster, name: str) -> Diagram:
    """One node's components (:func:`~k8snb.views.node.node_dot`) as a Diagram."""
    return Diagram(node_dot(cluster, name), f"node {name}")


def pod_diagram(cluster: Cluster, namespace: str, name: str) -> Diagram:
    """Inside one pod (:func:`~k8snb.views.pod.pod_dot`) as a Diagram."""
    return Diagram(pod_dot(cluster, namespace, name), f"pod {namespace}/{name}")
