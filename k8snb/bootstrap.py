"""``kubeadm init`` and ``kubeadm join``, compressed: the state a fresh cluster starts in.

Namespaces ``default``, ``kube-system``, ``kube-public`` and ``kube-node-lease``; the
``kubernetes`` Service in ``default`` (the API server's own ClusterIP, the first address of
10.96.0.0/12); the node ``control-plane`` with kubeadm's role label and NoSchedule taint,
running etcd, kube-apiserver, kube-controller-manager and kube-scheduler as static pods (seen
through the API as mirror pods); the workers ``worker1`` … ``workerN``; and kubeadm's add-ons
(:mod:`k8snb.addons`): the ``kube-proxy`` DaemonSet and the ``coredns`` Deployment behind the
``kube-dns`` Service, their images preloaded on every node so they run at the first instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["bootstrap", "ADDON_IMAGES", "CONTROL_PLANE", "CONTROL_PLANE_IMAGES"]

Obj = dict[str, Any]
CONTROL_PLANE = "control-plane"
VERSION = "v1.35.0"
CONTROL_PLANE_IMAGES = {
    "etcd": "registry.k8s.io/etcd:3.5.16-0",
    "kube-apiserver": f"registry.k8s.io/kube-apiserver:{VERSION}",
    "kube-controller-manager": f"registry.k8s.io/kube-controller-manager:{VERSION}",
    "kube-scheduler": f"registry.k8s.io/kube-scheduler:{VERSION}",
}
#: kubeadm's add-ons, preloaded on every node that bootstrap joins (``kubeadm config images``)
ADDON_IMAGES = {
    "kube-proxy": f"registry.k8s.io/kube-proxy:{VERSION}",
    "coredns": "registry.k8s.io/coredns/coredns:v1.12.0",
}


def _static_pod(component: str, ip: str, cpu: str, command: list[str], node_uid: str) -> Obj:
    name = f"{component}-{CONTROL_PLANE}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": {
                "kubernetes.io/config.mirror": f"{component}-mirror",
                "kubernetes.io/config.source": "file",
            },
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": CONTROL_PLANE,
                                 "uid": node_uid, "controller": True}],
        },
        "spec": {
            "nodeName": CONTROL_PLANE,
            "hostNetwork": True,
            "priorityClassName": "system-node-critical",
            "priority": 2000001000,
            "automountServiceAccountToken": False,
            "tolerations": [{"operator": "Exists", "effect": "NoExecute"}],
            "containers": [{
                "name": component,
                "image": CONTROL_PLANE_IMAGES[component],
                "imagePullPolicy": "IfNotPresent",
                "command": command,
                "resources": {"requests": {"cpu": cpu}},
            }],
        },
    }


def _static_pods(ip: str, node_uid: str) -> list[Obj]:
    return [
        _static_pod("etcd", ip, "100m", [
            "etcd", f"--advertise-client-urls=https://{ip}:2379", "--data-dir=/var/lib/etcd",
            f"--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379",
            "--name=control-plane"], node_uid),
        _static_pod("kube-apiserver", ip, "250m", [
            "kube-apiserver", f"--advertise-address={ip}", "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=NodeRestriction",
            "--etcd-servers=https://127.0.0.1:2379", "--secure-port=6443",
            "--service-cluster-ip-range=10.96.0.0/12",
            "--service-node-port-range=30000-32767"], node_uid),
        _static_pod("kube-controller-manager", ip, "200m", [
            "kube-controller-manager", "--allocate-node-cidrs=true",
            "--cluster-cidr=10.244.0.0/16", "--controllers=*,bootstrapsigner,tokencleaner",
            "--leader-elect=true", "--service-cluster-ip-range=10.96.0.0/12"], node_uid),
        _static_pod("kube-scheduler", ip, "100m", [
            "kube-scheduler", "--bind-address=127.0.0.1",
            "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"], node_uid),
    ]


def bootstrap(cluster: Cluster, workers: int) -> None:
    """Bring a new cluster to its first instant: everything Ready, nothing pending."""
    api = cluster.api
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    for name, value, desc in (
        ("system-cluster-critical", 2000000000,
         "Used for system critical pods that must run in the cluster, but can be moved to "
         "another node if necessary."),
        ("system-node-critical", 2000001000,
         "Used for system critical pods that must not be moved from their current node."),
    ):
        api.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": {"name": name}, "value": value, "description": desc,
                    "preemptionPolicy": "PreemptLowerPriority", "globalDefault": False})
    api.create({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"clusterIP": "10.96.0.1",
                 "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                            "targetPort": 6443}]},
    })
    cluster.run_pending()
    node = cluster.nodes.join(
        CONTROL_PLANE,
        labels={"node-role.kubernetes.io/control-plane": "",
                "node.kubernetes.io/exclude-from-external-load-balancers": ""},
        taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
        images=[*CONTROL_PLANE_IMAGES.values(), *ADDON_IMAGES.values()],
    )
    cluster.run_pending()
    ip = next(a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP")
    for pod in _static_pods(ip, node["metadata"]["uid"]):
        api.create(pod)
    for i in range(1, workers + 1):
        cluster.nodes.join(f"worker{i}", images=list(ADDON_IMAGES.values()))
    cluster.run_pending()
    from k8snb.addons import addon_objects

    for obj in addon_objects():  # kubeadm's "addon" phase: kube-proxy and CoreDNS
        api.create(obj)
    cluster.run_pending()
