"""Builders shared by the scheduler tests: nodes and pods as manifests, a bare cluster.

``MiniCluster`` is the API server, the shared informers, the clock and the queue loop only (no
kubelets, no controllers), enough to run the scheduler component on its own.
"""

from __future__ import annotations

import random
from typing import Any

from k8snb.api.server import APIServer
from k8snb.clock import Clock, parse_time
from k8snb.cluster import Cluster
from k8snb.controllers.informer import InformerFactory
from k8snb.scheduler.cache import SchedulerCache
from k8snb.scheduler.framework import PodInfo
from k8snb.scheduler.profile import default_profile
from k8snb.scheduler.schedule_one import Algorithm
from k8snb.store.etcd import Store

Obj = dict[str, Any]
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def make_node(
    name: str,
    cpu: str = "4",
    memory: str = "8Gi",
    pods: str = "110",
    *,
    labels: dict[str, str] | None = None,
    taints: list[Obj] | None = None,
    unschedulable: bool = False,
    images: list[Obj] | None = None,
    extra: dict[str, str] | None = None,
) -> Obj:
    alloc = {"cpu": cpu, "memory": memory, "pods": pods, **(extra or {})}
    node: Obj = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
        "spec": {},
        "status": {"capacity": dict(alloc), "allocatable": dict(alloc)},
    }
    if taints:
        node["spec"]["taints"] = [dict(t) for t in taints]
    if unschedulable:
        node["spec"]["unschedulable"] = True
    if images:
        node["status"]["images"] = images
    return node


def make_pod(
    name: str,
    cpu: str | None = None,
    memory: str | None = None,
    *,
    namespace: str = "default",
    labels: dict[str, str] | None = None,
    image: str = "nginx",
    node_name: str | None = None,
    ports: list[Obj] | None = None,
    **spec: Any,
) -> Obj:
    container: Obj = {"name": "c", "image": image}
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    if requests:
        container["resources"] = {"requests": requests}
    if ports:
        container["ports"] = ports
    pod: Obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(labels or {})},
        "spec": {"containers": [container], **spec},
    }
    if node_name:
        pod["spec"]["nodeName"] = node_name
    return pod


def cache_with(*nodes: Obj, pods: tuple[Obj, ...] = ()) -> SchedulerCache:
    cache = SchedulerCache()
    for n in nodes:
        cache.add_node(n)
    for p in pods:
        cache.add_pod(p)
    return cache


def schedule(cache: SchedulerCache, pod: Obj, seed: int = 0) -> Any:
    """One cycle of the default profile; returns the ScheduleResult or raises FitError."""
    return Algorithm(default_profile(cache), cache, random.Random(seed)).schedule(PodInfo(pod))


class MiniCluster:
    """API server + informers + clock + the scheduler, driven by ``Cluster``'s own loop."""

    register_queue = Cluster.register_queue
    run_pending = Cluster.run_pending
    _run_until = Cluster._run_until
    advance = Cluster.advance
    now = Cluster.now

    def __init__(self, seed: int = 0) -> None:
        from k8snb.scheduler.scheduler import Scheduler

        self.rng = random.Random(seed)
        self.clock = Clock(parse_time("2026-01-05T09:00:00Z"))
        self.store = Store()
        self.api = APIServer(self.store, self.clock, self.rng)
        self.informers = InformerFactory(self.api)
        self._queues: list = []
        self._draining = False
        self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
        self.scheduler = Scheduler(self)  # type: ignore[arg-type]

    def create(self, obj: Obj) -> Obj:
        out = self.api.create(obj)
        self.run_pending()
        return out

    def pod(self, name: str, namespace: str = "default") -> Obj:
        return self.api.get("pods", name, namespace)

    def events(self, name: str) -> list[tuple[str, str, str]]:
        return [(e["type"], e["reason"], e["message"]) for e in self.api.events_for(self.pod(name))]
