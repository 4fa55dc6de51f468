"""Tables as pandas DataFrames: the columns ``kubectl get -o wide`` prints.

The cells are the very strings the API server's table conversion gives ``kubectl get``
(``1/1``, ``Running``, ``2 (45s ago)``, ``<none>``), so a frame and the terminal always agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from k8snb.api.tables import table, with_namespace

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["pods_frame", "nodes_frame", "scheduling_frame"]


def _frame(headers: list[str], rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers)


def pods_frame(cluster: Cluster, namespace: str | None = None) -> pd.DataFrame:
    """``kubectl get pods -o wide`` (``-A`` when ``namespace`` is None: adds NAMESPACE)."""
    pods = cluster.api.list("pods", namespace)
    headers, rows = table("Pod", pods, cluster.clock.now, wide=True)
    if namespace is None:
        headers, rows = with_namespace(headers, rows, pods)
    return _frame(list(headers), [list(r) for r in rows])


def nodes_frame(cluster: Cluster) -> pd.DataFrame:
    """``kubectl get nodes -o wide``."""
    nodes = cluster.api.list("nodes")
    headers, rows = table("Node", nodes, cluster.clock.now, wide=True)
    return _frame(list(headers), [list(r) for r in rows])


def scheduling_frame(cluster: Cluster, pod_name: str,
                     namespace: str = "default") -> pd.DataFrame:
    """Every node x every scheduler plugin for one pod: ``cluster.scheduler.explain``."""
    pod = cluster.api.get("pods", pod_name, namespace)
    return cluster.scheduler.explain(pod)
