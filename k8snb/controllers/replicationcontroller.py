"""The ReplicationController controller ("replication manager"), ReplicaSet's predecessor.

A ReplicationController is a ReplicaSet whose selector is a plain ``key: value`` map (equality
only) that defaults to the template's labels. Upstream runs the ReplicaSet code on converted
objects (``pkg/controller/replication/replication_controller.go``); here both subclass
:class:`~k8snb.controllers.replication_base.ReplicaManagerBase`. Events come from
``replication-controller``; the status has no ``terminatingReplicas``.
"""

from __future__ import annotations

from typing import Any

from k8snb.api.labels import Selector, selector_from_set
from k8snb.controllers.replication_base import ReplicaManagerBase

__all__ = ["ReplicationControllerController"]


class ReplicationControllerController(ReplicaManagerBase):
    """``replication-controller``: ReplicationControllers, selector as a label map."""

    RESOURCE = "replicationcontrollers"
    COMPONENT = "replication-controller"
    QUEUE = "replicationmanager"
    TERMINATING_REPLICAS = False

    def parse_selector(self, obj: dict[str, Any]) -> Selector:
        """Equality on every pair (``labels.SelectorFromSet``); an empty map selects all."""
        return selector_from_set(obj.get("spec", {}).get("selector"))
