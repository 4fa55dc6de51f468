"""kube-controller-manager: one process running many controllers, each a reconcile loop.

The foundation runs the controllers every cluster needs (garbage collector, namespace,
service account and root CA, node IPAM, node lifecycle and taint eviction); the workload
controllers (ReplicaSet, Deployment, ...) register here as they arrive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.controllers.garbagecollector import GarbageCollector
from k8snb.controllers.namespace import NamespaceController
from k8snb.controllers.nodeipam import NodeIpamController
from k8snb.controllers.nodelifecycle import NodeLifecycleController
from k8snb.controllers.serviceaccount import ServiceAccountController

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["ControllerManager"]


class ControllerManager:
    """Starts the controllers, in the order kube-controller-manager lists them."""

    def __init__(self, cluster: Cluster) -> None:
        self.controllers: dict[str, Any] = {
            "garbage-collector": GarbageCollector(cluster),
            "namespace": NamespaceController(cluster),
            "serviceaccount": ServiceAccountController(cluster),
            "node-ipam": NodeIpamController(cluster, cluster.pod_network_cidr),
            "node-lifecycle": NodeLifecycleController(cluster),
        }

    def __getitem__(self, name: str) -> Any:
        return self.controllers[name]
