"""The ReplicaSet controller: keep ``spec.replicas`` pods matching the selector running.

A ReplicaSet names a pod template, a label selector and a count. Its controller
(``pkg/controller/replicaset/replica_set.go``) counts the active pods it controls, adopts
orphans its selector matches, releases pods whose labels stop matching, then creates the
missing pods (``<rs>-xxxxx``, events ``SuccessfulCreate``) or deletes the surplus, the
least valuable first (``SuccessfulDelete``), and reports ``status``. Deployments drive it by
writing ``spec.replicas`` of their ReplicaSets. The loop itself lives in
:mod:`k8snb.controllers.replication_base`, shared with ReplicationControllers.

>>> from k8snb import Cluster
>>> c = Cluster(workers=2, seed=0)
>>> _ = c.kubectl("apply -f web-rs.yaml")        # doctest: +SKIP
>>> print(c.kubectl("get rs web").stdout)        # doctest: +SKIP
NAME   DESIRED   CURRENT   READY   AGE
web    3         3         0       0s
"""

from __future__ import annotations

from typing import Any

from k8snb.api.labels import Selector, selector_from_label_selector
from k8snb.controllers.replication_base import ReplicaManagerBase

__all__ = ["ReplicaSetController"]


class ReplicaSetController(ReplicaManagerBase):
    """``replicaset-controller``: ReplicaSets, selector as a LabelSelector object."""

    RESOURCE = "replicasets"
    COMPONENT = "replicaset-controller"
    QUEUE = "replicaset"
    TERMINATING_REPLICAS = True

    def parse_selector(self, obj: dict[str, Any]) -> Selector:
        """``matchLabels`` + ``matchExpressions`` (``metav1.LabelSelectorAsSelector``)."""
        return selector_from_label_selector(obj.get("spec", {}).get("selector"))
