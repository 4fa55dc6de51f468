"""A cluster *state* without machines: API objects written by hand, for pure view tests.

Views are pure functions of what the API server holds, so their tests do not need kubelets,
a container runtime or a scheduler: this builds the objects those components would have
written (nodes with conditions, bound pods with statuses) straight through the API server.
"""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

from k8snb.api.server import APIServer
from k8snb.clock import Clock, parse_time
from k8snb.store.etcd import Store

Obj = dict[str, Any]
CP = "control-plane"


class StateCluster:
    """Just enough of ``Cluster`` for views: ``.api``, ``.clock``, an empty ``.nodes``."""

    def __init__(self) -> None:
        self.clock = Clock(parse_time("2026-01-05T09:00:00Z"))
        self.api = APIServer(Store(), self.clock, random.Random(0))
        self.nodes = SimpleNamespace(kubelets={})
        self._ip = 2
        for ns in ("default", "kube-system", "kube-node-lease", "kube-public"):
            self.namespace(ns)

    def namespace(self, name: str) -> None:
        self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        self.api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                         "metadata": {"name": "default", "namespace": name}})

    def node(self, name: str, *, control_plane: bool = False, ready: bool = True,
             unschedulable: bool = False, taints: list[Obj] | None = None) -> Obj:
        labels = {"kubernetes.io/hostname": name}
        if control_plane:
            labels["node-role.kubernetes.io/control-plane"] = ""
            taints = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
                      *(taints or [])]
        spec: Obj = {}
        if taints:
            spec["taints"] = taints
        if unschedulable:
            spec["unschedulable"] = True
        node = self.api.create({"apiVersion": "v1", "kind": "Node",
                                "metadata": {"name": name, "labels": labels}, "spec": spec})
        ip = f"172.18.0.{self._ip}"
        self._ip += 1
        node["status"] = {
            "addresses": [{"type": "InternalIP", "address": ip},
                          {"type": "Hostname", "address": name}],
            "conditions": [{"type": "Ready", "status": "True" if ready else "Unknown",
                            "reason": "KubeletReady" if ready else "NodeStatusUnknown"}],
            "nodeInfo": {"kubeletVersion": "v1.35.0", "osImage": "Debian GNU/Linux 12 (bookworm)",
                         "kernelVersion": "6.8.0-k8snb",
                         "containerRuntimeVersion": "containerd://2.1.4"},
            "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
        }
        return self.api.update_status(node)

    def pod(self, name: str, node: str | None = None, *, namespace: str = "default",
            state: str = "Running", containers: list[Obj] | None = None,
            spec: Obj | None = None, labels: dict[str, str] | None = None,
            annotations: dict[str, str] | None = None, ip: str | None = None,
            owner: Obj | None = None) -> Obj:
        """A pod bound to ``node`` (None: pending) whose containers are all in ``state``
        (``Running``, ``ContainerCreating``, ``CrashLoopBackOff``, ``Completed``, ``Error``)."""
        containers = containers or [{"name": name.split("-")[0] or "app", "image": "nginx"}]
        body: Obj = {"containers": containers, **(spec or {})}
        if node:
            body["nodeName"] = node
        meta: Obj = {"name": name, "namespace": namespace, "labels": labels or {"app": name}}
        if annotations:
            meta["annotations"] = annotations
        if owner:
            meta["ownerReferences"] = [owner]
        pod = self.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": meta,
                               "spec": body})
        if not node:
            pod["status"] = {"phase": "Pending", "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                 "message": "0/3 nodes are available: 3 Insufficient cpu."}]}
            return self.api.update_status(pod)
        if state == "Running":
            cstate: Obj = {"running": {"startedAt": "2026-01-05T09:00:00Z"}}
            phase = "Running"
        elif state in ("Completed", "Error"):
            cstate = {"terminated": {"exitCode": 0 if state == "Completed" else 1,
                                     "reason": state}}
            phase = "Succeeded" if state == "Completed" else "Failed"
        else:
            cstate = {"waiting": {"reason": state}}
            phase = "Pending" if state == "ContainerCreating" else "Running"
        if ip is None:
            ip = f"10.244.{int(node[-1]) if node[-1].isdigit() else 0}.{self._ip}"
            self._ip += 1
        pod["status"] = {
            "phase": phase, "podIP": ip, "podIPs": [{"ip": ip}], "hostIP": "172.18.0.3",
            "containerStatuses": [
                {"name": c["name"], "image": c["image"], "state": cstate,
                 "ready": state == "Running", "restartCount": 3 if state == "CrashLoopBackOff"
                 else 0} for c in containers],
        }
        return self.api.update_status(pod)


def control_plane_pods(c: StateCluster) -> None:
    """The mirror pods of kubeadm's static pods: bound to *and owned by* the control-plane Node."""
    uid = c.api.get("nodes", CP)["metadata"]["uid"]
    for comp in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        c.pod(f"{comp}-{CP}", CP, namespace="kube-system", labels={"component": comp},
              annotations={"kubernetes.io/config.mirror": "x"},
              owner={"apiVersion": "v1", "kind": "Node", "name": CP, "uid": uid},
              containers=[{"name": comp, "image": f"registry.k8s.io/{comp}"}],
              spec={"hostNetwork": True}, ip="172.18.0.2")


def sample_cluster() -> StateCluster:
    """control-plane + 3 workers (worker2 cordoned, worker3 NotReady) and 14 pods."""
    c = StateCluster()
    c.node(CP, control_plane=True)
    c.node("worker1")
    c.node("worker2", unschedulable=True,
           taints=[{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}])
    c.node("worker3", ready=False,
           taints=[{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}])
    control_plane_pods(c)
    c.namespace("shop")
    for i, (node, state) in enumerate([
        ("worker1", "Running"), ("worker1", "Running"), ("worker1", "ContainerCreating"),
        ("worker1", "CrashLoopBackOff"), ("worker1", "Completed"), ("worker2", "Running"),
        ("worker2", "Running"), ("worker3", "Running"), ("worker3", "Running"),
    ]):
        c.pod(f"web-7c9d8f6b5-{'abcdefghij'[i]}x2k4", node, state=state)
    c.pod("payments-frontend-canary-7c9d8f6b5-x2k4q", "worker2", namespace="shop")
    c.pod("big-1", None)
    c.pod("big-2", None)
    return c
