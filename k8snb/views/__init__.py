"""Views: pure functions from cluster state to DOT text or pandas DataFrames.

>>> from k8snb.views import cluster_diagram
>>> cluster_diagram(cluster)                 # doctest: +SKIP
<Diagram cluster: 4 nodes, 12 pods>

``cluster_dot``, ``node_dot`` and ``pod_dot`` return DOT text (tested as text);
:class:`Diagram` is the one rendering step (Graphviz ``dot`` -> SVG in Jupyter).
"""

from k8snb.views.cluster import cluster_dot
from k8snb.views.diagram import Diagram, RenderError, cluster_diagram, node_diagram, pod_diagram
from k8snb.views.frames import nodes_frame, pods_frame, scheduling_frame
from k8snb.views.graph import cluster_graph
from k8snb.views.node import node_dot
from k8snb.views.pod import pod_dot
from k8snb.views.workloads import (
    RolloutRecorder,
    cronjob_timeline,
    ownership_diagram,
    ownership_dot,
    rollout_history_frame,
)

__all__ = [
    "Diagram",
    "RenderError",
    "RolloutRecorder",
    "cluster_diagram",
    "cluster_dot",
    "cluster_graph",
    "cronjob_timeline",
    "node_diagram",
    "node_dot",
    "nodes_frame",
    "ownership_diagram",
    "ownership_dot",
    "pod_diagram",
    "pod_dot",
    "pods_frame",
    "rollout_history_frame",
    "scheduling_frame",
]
