"""kube-controller-manager: one process running many controllers, each a reconcile loop.

The foundation runs the controllers every cluster needs (garbage collector, namespace,
service account and root CA, node IPAM, node lifecycle and taint eviction); the workload
controllers (ReplicaSet, Deployment, ...) register here as they arrive.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from k8snb.controllers.garbagecollector import GarbageCollector
from k8snb.controllers.namespace import NamespaceController
from k8snb.controllers.nodeipam import NodeIpamController
from k8snb.controllers.nodelifecycle import NodeLifecycleController
from k8snb.controllers.serviceaccount import ServiceAccountController

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["ControllerManager", "WORKLOAD_CONTROLLERS"]

# name -> (module, class): the workload controllers, each in a module of its own.
WORKLOAD_CONTROLLERS: dict[str, tuple[str, str]] = {
    "replicaset": ("k8snb.controllers.replicaset", "ReplicaSetController"),
    "replicationcontroller": ("k8snb.controllers.replicationcontroller",
                              "ReplicationControllerController"),
    "deployment": ("k8snb.controllers.deployment", "DeploymentController"),
    "statefulset": ("k8snb.controllers.statefulset", "StatefulSetController"),
    "daemonset": ("k8snb.controllers.daemonset", "DaemonSetController"),
    "job": ("k8snb.controllers.job", "JobController"),
    "cronjob": ("k8snb.controllers.cronjob", "CronJobController"),
    "ttl-after-finished": ("k8snb.controllers.ttlafterfinished", "TTLAfterFinishedController"),
}


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
        for name, (module, cls) in WORKLOAD_CONTROLLERS.items():
            try:
                mod = importlib.import_module(module)
            except ModuleNotFoundError as e:
                if e.name != module:
                    raise
                continue  # not written yet
            self.controllers[name] = getattr(mod, cls)(cluster)

    def __getitem__(self, name: str) -> Any:
        return self.controllers[name]
