"""The machines: one kubelet (with its container runtime) per Node.

``join`` is what happens when a machine boots and its kubelet registers the Node object
(``kubeadm join``); a Node created straight through the API (``kubectl apply -f node.yaml``)
also gets a simulated kubelet, as KWOK does. Pod events are routed to the kubelet of the
pod's ``spec.nodeName`` through one shared informer indexed by node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.node.env import EnvResolver
from k8snb.node.kubelet import Kubelet
from k8snb.node.volumes import VolumeBuilder

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["NodeManager", "node_object"]

Obj = dict[str, Any]
NODE_INFO = {
    "architecture": "amd64",
    "bootID": "",
    "containerRuntimeVersion": "containerd://2.1.4",
    "kernelVersion": "6.8.0-k8snb",
    "kubeProxyVersion": "",
    "kubeletVersion": "v1.35.0",
    "machineID": "",
    "operatingSystem": "linux",
    "osImage": "Debian GNU/Linux 12 (bookworm)",
    "systemUUID": "",
}


def node_object(name: str, *, cpu: str, memory: str, pods: int, labels: dict[str, str] | None,
                taints: list[Obj] | None) -> Obj:
    """The Node a kubelet registers: well-known labels, capacity and no status yet."""
    all_labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    all_labels.update(labels or {})
    node: Obj = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": all_labels,
                     "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach":
                                     "true"}},
        "spec": {},
        "status": {"capacity": {"cpu": cpu, "memory": memory, "pods": str(pods),
                                "ephemeral-storage": "100Gi", "hugepages-2Mi": "0"}},
    }
    if taints:
        node["spec"]["taints"] = [dict(t) for t in taints]
    return node


class NodeManager:
    """Owns the kubelets and routes each pod to the kubelet of its node."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.kubelets: dict[str, Kubelet] = {}
        self.queue = cluster.new_queue("kubelet", self._sync)
        self.pod_informer = cluster.informers.informer("pods")
        self.pod_informer.add_index("node", lambda p: [p["spec"].get("nodeName") or ""])
        self.node_informer = cluster.informers.informer("nodes")
        self.volumes = VolumeBuilder(cluster)
        self.env = EnvResolver(cluster)
        self._next_ip = 2
        self.pod_informer.add_handler(self._on_pod, lambda old, new: self._on_pod(new),
                                      self._on_pod)
        self.node_informer.add_handler(self._on_node, None, self._on_node_deleted)

    def kubelet(self, name: str) -> Kubelet:
        try:
            return self.kubelets[name]
        except KeyError:
            raise StatusError(404, "NotFound", f'nodes "{name}" not found') from None

    def pods_on(self, node: str) -> list[Obj]:
        return self.pod_informer.by_index("node", node)

    def _on_pod(self, pod: Obj) -> None:
        node = pod["spec"].get("nodeName")
        if node and node in self.kubelets:
            meta = pod["metadata"]
            self.queue.add((node, meta["namespace"], meta["name"]))

    def _sync(self, key: tuple[str, str, str]) -> None:
        node, ns, name = key
        kubelet = self.kubelets.get(node)
        if kubelet is not None:
            kubelet.sync(ns, name)

    def _new_ip(self) -> str:
        ip = f"172.18.0.{self._next_ip}"
        self._next_ip += 1
        return ip

    def join(self, name: str, *, cpu: str = "4", memory: str = "8Gi", pods: int = 110,
             labels: dict[str, str] | None = None, taints: list[Obj] | None = None,
             images: list[str] | None = None) -> Obj:
        """Boot a machine whose kubelet registers Node ``name`` and reports Ready."""
        if name in self.kubelets:
            raise StatusError(409, "AlreadyExists", f'nodes "{name}" already exists')
        ip = self._new_ip()
        self._start_kubelet(name, ip, images)
        node = node_object(name, cpu=cpu, memory=memory, pods=pods, labels=labels,
                           taints=taints)
        created = self.cluster.api.create(node)
        return self._ready(created, ip)

    def _start_kubelet(self, name: str, ip: str, images: list[str] | None) -> Kubelet:
        from k8snb.node.runtime import PAUSE_IMAGE, ContainerRuntime

        runtime = ContainerRuntime(name, self.cluster.clock, self.cluster.network,
                                   self.cluster.rng, preloaded=(PAUSE_IMAGE, *(images or [])))
        kubelet = Kubelet(self.cluster, name, runtime, ip)
        self.kubelets[name] = kubelet
        return kubelet

    def _on_node(self, node: Obj) -> None:
        """A Node created through the API gets a simulated kubelet (as KWOK does)."""
        name = node["metadata"]["name"]
        if name in self.kubelets:
            return
        ip = self._new_ip()
        self._start_kubelet(name, ip, None)
        self.cluster.clock.call_later(0, lambda: self._adopt(name, ip))

    def _adopt(self, name: str, ip: str) -> None:
        try:
            node = self.cluster.api.get("nodes", name)
        except StatusError:
            return
        cap = node.setdefault("status", {}).setdefault("capacity", {})
        for k, v in {"cpu": "4", "memory": "8Gi", "pods": "110",
                     "ephemeral-storage": "100Gi", "hugepages-2Mi": "0"}.items():
            cap.setdefault(k, v)
        self._ready(node, ip)

    def _on_node_deleted(self, node: Obj) -> None:
        kubelet = self.kubelets.pop(node["metadata"]["name"], None)
        if kubelet is not None:
            kubelet.stop()

    def _ready(self, node: Obj, ip: str) -> Obj:
        """The kubelet's first status update: capacity, addresses, conditions, Lease."""
        api, clock = self.cluster.api, self.cluster.clock
        name = node["metadata"]["name"]
        now = clock.rfc3339()
        status = node.setdefault("status", {})
        status["allocatable"] = dict(status["capacity"])
        status["addresses"] = [{"type": "InternalIP", "address": ip},
                               {"type": "Hostname", "address": name}]
        status["daemonEndpoints"] = {"kubeletEndpoint": {"Port": 10250}}
        uid = node["metadata"]["uid"]
        status["nodeInfo"] = dict(NODE_INFO, bootID=uid, machineID=uid.replace("-", ""),
                                  systemUUID=uid)
        kubelet = self.kubelets[name]
        status["images"] = [{"names": [ref], "sizeBytes": size}
                            for ref, size in kubelet.runtime.images()]
        conds = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory",
             "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID",
             "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
        status["conditions"] = [{"type": t, "status": s, "reason": r, "message": m,
                                 "lastHeartbeatTime": now, "lastTransitionTime": now}
                                for t, s, r, m in conds]
        updated = api.update_status(node)
        lease = {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": name, "namespace": "kube-node-lease",
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name,
                                              "uid": uid}]},
            "spec": {"holderIdentity": name, "leaseDurationSeconds": 40,
                     "renewTime": now.replace("Z", ".000000Z")},
        }
        try:
            api.create(lease)
        except StatusError:
            pass
        for pod in self.pods_on(name):
            self._on_pod(pod)
        return updated
