"""SchedulingBasic, as upstream's scheduler_perf runs it: 5,000 nodes, 1,000 + 10,000 pods.

Mirrors ``test/integration/scheduler_perf`` (``config/performance-config.yaml``, workload
``SchedulingBasic/5000Nodes_10000Pods``): create 5,000 nodes from ``templates/node-default.yaml``
(4 cpu, 32Gi, 110 pods), schedule 1,000 pods from ``templates/pod-default.yaml`` (100m cpu,
500Mi) unmeasured, then create 10,000 more through the API server and measure until the
scheduler has bound every one of them.

Default mode: ``Cluster(workers=0)`` with the nodes created through ``cluster.api.create``, so
each node also gets its simulated kubelet, which then starts the pods bound to it. ``--bare``
runs the API server, the shared informers and the scheduler only (no kubelets, no
controllers): the scheduler's own cost.

Prints the figures, peak RSS, and last ``throughput_pods_per_s=<N>`` (measured pods divided by
the wall time from the first create to the last binding).

Run: ``.venv/bin/python bench/scheduling_basic.py [--bare] [--nodes N] [--pods N]``
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import resource
import time
from typing import Any

NODE_TEMPLATE: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": {"generateName": "scheduler-perf-"},
    "spec": {},
    "status": {
        "capacity": {"pods": "110", "cpu": "4", "memory": "32Gi"},
        "conditions": [{"status": "True", "type": "Ready"}],
        "phase": "Running",
    },
}
POD_TEMPLATE: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"generateName": "pod-"},
    "spec": {
        "containers": [
            {
                "image": "registry.k8s.io/pause:3.10.1",
                "name": "pause",
                "ports": [{"containerPort": 80}],
                "resources": {
                    "limits": {"cpu": "100m", "memory": "500Mi"},
                    "requests": {"cpu": "100m", "memory": "500Mi"},
                },
            }
        ]
    },
}


class BareCluster:
    """The API server, informers, clock and the scheduler: what ``--bare`` runs.

    Driven by ``Cluster``'s own loop (``register_queue``, ``run_pending``, ``settle``).
    """

    def __init__(self, seed: int = 0) -> None:
        from k8snb.api.server import APIServer
        from k8snb.clock import Clock, parse_time
        from k8snb.cluster import Cluster
        from k8snb.controllers.informer import InformerFactory
        from k8snb.scheduler.scheduler import Scheduler
        from k8snb.store.etcd import Store

        for name in ("register_queue", "run_pending", "_run_until", "settle"):
            setattr(self, name, getattr(Cluster, name).__get__(self))
        self.rng = random.Random(seed)
        self.clock = Clock(parse_time("2026-01-05T09:00:00Z"))
        self.api = APIServer(Store(), self.clock, self.rng)
        self.informers = InformerFactory(self.api)
        self._queues: list = []
        self._draining = False
        self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
        self.scheduler = Scheduler(self)  # type: ignore[arg-type]


def create(cluster: Any, template: dict[str, Any]) -> None:
    """Create from a generateName template, retrying a name clash as a client would."""
    from k8snb.api.errors import StatusError

    while True:
        try:
            cluster.api.create(copy.deepcopy(template))
            return
        except StatusError as err:
            if err.reason != "AlreadyExists":
                raise


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bare", action="store_true", help="no kubelets or controllers")
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--init-pods", type=int, default=1000)
    ap.add_argument("--pods", type=int, default=10000)
    ap.add_argument("--batch", type=int, default=500, help="pods created between drains")
    args = ap.parse_args()

    t0 = time.perf_counter()
    if args.bare:
        cluster: Any = BareCluster(seed=0)
    else:
        from k8snb import Cluster

        # 5,000 nodes need more than the default /16 of /24 node ranges (256 nodes).
        cluster = Cluster(workers=0, seed=0, pod_network_cidr="10.128.0.0/9")
    sched = cluster.scheduler
    print(
        f"mode={'bare' if args.bare else 'cluster'} cluster_create_s={time.perf_counter() - t0:.2f}"
    )

    # CPU time spent inside scheduling cycles (schedule, assume, bind and its informer
    # handlers, the Scheduled event)
    spent = [0.0, 0]
    inner = sched._schedule_one

    def timed(key: str) -> None:
        a = time.process_time()
        inner(key)
        spent[0] += time.process_time() - a
        spent[1] += 1

    for i, (queue, fn) in enumerate(cluster._queues):
        if fn == inner:
            cluster._queues[i] = (queue, timed)

    node_template = copy.deepcopy(NODE_TEMPLATE)
    if args.bare:
        # Without a kubelet nobody fills status.allocatable; upstream's API server defaults it
        # to the capacity (SetDefaults_NodeStatus, pkg/apis/core/v1/defaults.go).
        node_template["status"]["allocatable"] = dict(node_template["status"]["capacity"])
    t0 = time.perf_counter()
    for _ in range(args.nodes):
        create(cluster, node_template)
    t1 = time.perf_counter()
    cluster.settle()
    t2 = time.perf_counter()
    print(
        f"nodes={len(sched.cache)} create_nodes_s={t1 - t0:.2f} settle_nodes_s={t2 - t1:.2f} "
        f"rss_mb={rss_mb():.0f}"
    )

    def create_pods(n: int) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            create(cluster, POD_TEMPLATE)
            if (i + 1) % args.batch == 0:
                cluster.run_pending()
        cluster.run_pending()
        return time.perf_counter() - start, time.process_time() - cpu

    took, _ = create_pods(args.init_pods)
    print(f"init_pods={args.init_pods} init_s={took:.2f}")
    spent[:] = [0.0, 0]
    took, cpu = create_pods(args.pods)
    pods = cluster.api.list("pods", "default")
    bound = sum(1 for p in pods if p["spec"].get("nodeName"))
    want = args.init_pods + args.pods
    assert bound == want, f"only {bound} of {want} pods bound (too few nodes for that many pods?)"
    print(
        f"measured_pods={args.pods} wall_s={took:.2f} cpu_s={cpu:.2f} "
        f"cpu_throughput_pods_per_s={args.pods / cpu:.0f} (the machine's load: "
        f"{os.getloadavg()[0]:.1f})"
    )
    print(
        f"scheduling_cycles={spent[1]} "
        f"in_scheduler_cpu_s={spent[0]:.2f} scheduler_only_pods_per_s={spent[1] / spent[0]:.0f}"
    )
    per_node = {}
    for p in pods:
        per_node[p["spec"]["nodeName"]] = per_node.get(p["spec"]["nodeName"], 0) + 1
    print(
        f"pods_per_node_min={min(per_node.values())} max={max(per_node.values())} "
        f"nodes_used={len(per_node)}"
    )
    print(f"peak_rss_mb={rss_mb():.0f}")
    print(f"throughput_pods_per_s={args.pods / took:.0f}")


if __name__ == "__main__":
    main()
