"""NodePorts: a ``hostPort`` can be taken once per node (per IP and protocol).

A container port with ``hostPort: 80`` binds port 80 on the node itself, so two such pods
cannot share a node. ``0.0.0.0`` (the default host IP) conflicts with every IP.
(``pkg/scheduler/framework/plugins/nodeports/node_ports.go``,
``framework/types.go`` ``HostPortInfo.CheckConflict``)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from k8snb.scheduler.cache import NodeArrays
from k8snb.scheduler.framework import (
    SKIP,
    CycleState,
    NodeInfo,
    Plugin,
    PodInfo,
    Status,
    unschedulable,
)

ERR_REASON = "node(s) didn't have free ports for the requested pod ports"
BIND_ALL = "0.0.0.0"


def check_conflict(
    used: Mapping[tuple[str, str, int], int], ip: str, protocol: str, port: int
) -> bool:
    """True if (ip, protocol, port) clashes with a port already used on the node."""
    if port <= 0:
        return False
    if ip == BIND_ALL:
        return any(p == protocol and n == port for (_, p, n) in used)
    return (BIND_ALL, protocol, port) in used or (ip, protocol, port) in used


def fits_ports(pod: PodInfo, node: NodeInfo) -> bool:
    return not any(
        check_conflict(node.used_ports, ip, proto, port) for ip, proto, port in pod.host_ports
    )


class NodePorts(Plugin):
    name = "NodePorts"
    filters = True

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        return None, (None if pod.host_ports else SKIP)

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        return None if fits_ports(pod, node) else unschedulable(ERR_REASON)

    def filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray | None:
        fail = np.zeros(len(idx), bool)
        infos = arrays.infos
        for k in np.flatnonzero(arrays.has_ports[idx]).tolist():
            fail[k] = not fits_ports(pod, infos[int(idx[k])])  # type: ignore[arg-type]
        return fail

    def diagnose_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> list[tuple[Status, np.ndarray]]:
        return [(unschedulable(ERR_REASON), idx)]
