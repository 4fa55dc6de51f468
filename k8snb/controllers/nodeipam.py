"""Node IPAM: gives each new Node a pod CIDR (``spec.podCIDR``) from the cluster CIDR.

kube-controller-manager runs with ``--allocate-node-cidrs --cluster-cidr=10.244.0.0/16`` on a
kubeadm/kind cluster; every node gets a free /24 and the kubelet hands out pod IPs from it
(``pkg/controller/nodeipam``). Like upstream's ``cidrset``, the search starts after the last
CIDR handed out and wraps around, so a deleted node's /24 is reused only once the range has
been gone through. When every /24 is taken the node gets no CIDR and a ``CIDRNotAvailable``
event; a bigger cluster needs a bigger ``Cluster(pod_network_cidr=...)`` (kubeadm's
``--pod-network-cidr``).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from k8snb.api.errors import StatusError
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["NodeIpamController", "CLUSTER_CIDR"]

CLUSTER_CIDR = "10.244.0.0/16"
NODE_CIDR_MASK = 24


class NodeIpamController:
    def __init__(self, cluster: Cluster, cluster_cidr: str = CLUSTER_CIDR) -> None:
        self.cluster = cluster
        self.nodes = cluster.informers.informer("nodes")
        self.used: set[str] = set()
        net = ipaddress.ip_network(cluster_cidr)
        self._prefix = max(NODE_CIDR_MASK, net.prefixlen)
        self._count = 2 ** (self._prefix - net.prefixlen)  # how many node CIDRs the range holds
        self._base = int(net.network_address)
        self._step = 2 ** (net.max_prefixlen - self._prefix)
        self._address = type(net.network_address)
        self._next = 0  # cidrset's nextCandidate
        self.queue = cluster.new_queue("nodeipam", self.reconcile)
        self.nodes.add_handler(lambda n: self.queue.add(n["metadata"]["name"]), None,
                               lambda n: self.used.discard(n["spec"].get("podCIDR", "")))

    def reconcile(self, name: str) -> None:
        node = self.nodes.get("", name)
        if node is None:
            return
        if node["spec"].get("podCIDR"):
            self.used.add(node["spec"]["podCIDR"])
            return
        cidr = self._allocate_next()
        if cidr is None:
            self.cluster.api.record_event(node, "Normal", "CIDRNotAvailable",
                                          f"Node {name} status is now: CIDRNotAvailable",
                                          "cidrAllocator")
            return
        new = jcopy(node)
        new["spec"]["podCIDR"] = cidr
        new["spec"]["podCIDRs"] = [cidr]
        try:
            self.cluster.api.update(new)
        except StatusError:
            self.used.discard(cidr)
            self.queue.add_after(name, 0.1)

    def _allocate_next(self) -> str | None:
        """``cidrset.AllocateNext``: the first free CIDR from the candidate after the last one
        handed out, wrapping around; marks it used."""
        for k in range(self._count):
            i = (self._next + k) % self._count
            address = self._address(self._base + i * self._step)
            cidr = f"{address}/{self._prefix}"
            if cidr not in self.used:
                self._next = (i + 1) % self._count
                self.used.add(cidr)
                return cidr
        return None
