"""NodeUnschedulable: a cordoned node takes no new pods.

``kubectl cordon`` sets ``spec.unschedulable: true``; the node controller then also adds the
``node.kubernetes.io/unschedulable:NoSchedule`` taint. The Filter reads the field itself and
lets a pod through only if it tolerates that taint, as DaemonSet pods do.
(``pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go``)
"""

from __future__ import annotations

import numpy as np

from k8snb.scheduler._helpers import tolerations_tolerate_taint
from k8snb.scheduler.cache import NodeArrays
from k8snb.scheduler.framework import CycleState, NodeInfo, Plugin, PodInfo, Status, unschedulable

ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"
TAINT_NODE_UNSCHEDULABLE = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


def tolerates_unschedulable(pod: PodInfo) -> bool:
    return tolerations_tolerate_taint(pod.tolerations, TAINT_NODE_UNSCHEDULABLE)


class NodeUnschedulable(Plugin):
    name = "NodeUnschedulable"
    filters = True

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if node.unschedulable and not tolerates_unschedulable(pod):
            return unschedulable(ERR_REASON_UNSCHEDULABLE, resolvable=False)
        return None

    def filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray | None:
        if not arrays.unschedulable.any() or tolerates_unschedulable(pod):
            return None  # no node is cordoned, or the pod does not mind
        return arrays.unschedulable[idx]

    def diagnose_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> list[tuple[Status, np.ndarray]]:
        return [(unschedulable(ERR_REASON_UNSCHEDULABLE, resolvable=False), idx)]
