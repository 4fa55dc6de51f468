"""NodeName: a pod that names its node (``spec.nodeName``) fits only that node.

Pods created with ``nodeName`` already set skip the scheduler entirely (the kubelet of that node
picks them up); this Filter matters for the rare pod that reaches a scheduling cycle with it.
(``pkg/scheduler/framework/plugins/nodename/node_name.go``)
"""

from __future__ import annotations

import numpy as np

from k8snb.scheduler.cache import NodeArrays
from k8snb.scheduler.framework import CycleState, NodeInfo, Plugin, PodInfo, Status, unschedulable

ERR_REASON = "node(s) didn't match the requested node name"


class NodeName(Plugin):
    name = "NodeName"
    filters = True

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if pod.node_name and pod.node_name != node.name:
            return unschedulable(ERR_REASON, resolvable=False)
        return None

    def filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray | None:
        if not pod.node_name:
            return None
        infos = arrays.infos
        return np.fromiter(
            (infos[i].name != pod.node_name for i in idx.tolist()),  # type: ignore[union-attr]
            bool,
            len(idx),
        )

    def diagnose_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> list[tuple[Status, np.ndarray]]:
        return [(unschedulable(ERR_REASON, resolvable=False), idx)]
