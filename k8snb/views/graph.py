"""The graph behind the cluster views: who owns whom, and which node runs which pod.

``cluster_graph`` reads the API server (the same objects ``kubectl get`` shows) into a
``networkx.DiGraph``. Graph node keys are ``"Node/worker1"``, ``"Pod/default/web"``,
``"ReplicaSet/default/web-7c9d8f6b5"``; each carries ``kind``, ``name``, ``namespace`` and
``obj`` (the manifest, or ``None`` for an owner that no longer exists). Edges carry two flags
(one edge can have both: the control-plane Node runs *and* owns its static pods' mirrors):

- ``runs=True``: Node -> Pod, the pod is bound to that node (``spec.nodeName``);
- ``owns=True``: owner -> object, from ``metadata.ownerReferences`` (Deployment ->
  ReplicaSet -> Pod; the control-plane Node -> its mirror pods).

    >>> g = cluster_graph(cluster)                                   # doctest: +SKIP
    >>> [p for _, p, runs in g.out_edges("Node/worker1", data="runs") if runs]  # +SKIP
    ['Pod/default/web-1', 'Pod/default/web-2']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from k8snb.api.errors import StatusError
from k8snb.api.registry import REGISTRY

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["cluster_graph", "key_of", "pods_on", "pending_pods", "worker_nodes"]

Obj = dict[str, Any]
_MAX_OWNER_DEPTH = 5


def key_of(kind: str, name: str, namespace: str | None = None) -> str:
    """The graph key of an object: ``key_of("Pod", "web", "default") == "Pod/default/web"``."""
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


def _add(g: nx.DiGraph, obj: Obj) -> str:
    meta = obj["metadata"]
    key = key_of(obj["kind"], meta["name"], meta.get("namespace"))
    g.add_node(key, kind=obj["kind"], name=meta["name"], namespace=meta.get("namespace"),
               obj=obj)
    return key


def _owner_object(cluster: Cluster, ref: Obj, namespace: str | None) -> Obj | None:
    try:
        info = REGISTRY.for_kind(ref.get("apiVersion", "v1"), ref.get("kind", ""))
    except KeyError:
        return None
    try:
        return cluster.api.get(info, ref["name"], namespace if info.namespaced else None)
    except (StatusError, KeyError):
        return None


def cluster_graph(cluster: Cluster, *, namespace: str | None = None) -> nx.DiGraph:
    """Nodes, pods and their owners as a DiGraph (pods of ``namespace`` only, if given)."""
    g: nx.DiGraph = nx.DiGraph()
    for node in cluster.api.list("nodes"):
        _add(g, node)
    todo: list[tuple[str, Obj, int]] = []
    for pod in cluster.api.list("pods", namespace):
        key = _add(g, pod)
        node_name = pod["spec"].get("nodeName")
        if node_name:
            node_key = key_of("Node", node_name)
            if node_key not in g:  # bound to a node that is gone
                g.add_node(node_key, kind="Node", name=node_name, namespace=None, obj=None)
            g.add_edge(node_key, key, runs=True)
        todo.append((key, pod, 0))
    while todo:  # follow ownerReferences up: Pod <- ReplicaSet <- Deployment
        key, obj, depth = todo.pop(0)
        ns = obj["metadata"].get("namespace")
        for ref in obj["metadata"].get("ownerReferences") or []:
            owner = _owner_object(cluster, ref, ns)
            if owner is not None:
                owner_key = key_of(owner["kind"], owner["metadata"]["name"],
                                   owner["metadata"].get("namespace"))
                if owner_key not in g:
                    _add(g, owner)
                    if depth < _MAX_OWNER_DEPTH:
                        todo.append((owner_key, owner, depth + 1))
            else:
                scoped = ns if ref.get("kind") not in ("Node", "Namespace") else None
                owner_key = key_of(ref.get("kind", "?"), ref.get("name", "?"), scoped)
                if owner_key not in g:
                    g.add_node(owner_key, kind=ref.get("kind"), name=ref.get("name"),
                               namespace=scoped, obj=None)
            g.add_edge(owner_key, key, owns=True)
    return g


def pods_on(g: nx.DiGraph, node_key: str) -> list[Obj]:
    """The pods a node runs, in the API's order (namespace, name)."""
    return [g.nodes[p]["obj"] for _, p, runs in g.out_edges(node_key, data="runs") if runs]


def pending_pods(g: nx.DiGraph) -> list[Obj]:
    """Pods no node runs yet: not scheduled (no ``spec.nodeName``)."""
    return [d["obj"] for k, d in g.nodes(data=True)
            if d["kind"] == "Pod" and not any(
                g.edges[u, k].get("runs") for u in g.predecessors(k))]


def worker_nodes(g: nx.DiGraph) -> list[Obj]:
    """Nodes in name order, as ``kubectl get nodes`` lists them (existing objects only)."""
    return [d["obj"] for _, d in sorted(g.nodes(data=True)) if d["kind"] == "Node"
            and d["obj"] is not None]
