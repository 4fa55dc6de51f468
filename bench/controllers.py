"""1,500 Deployments x 100 replicas on 5,000 nodes: from apply to every pod Running.

The shape of the upstream cluster limits (5,000 nodes, 150,000 pods). Nodes are created
through the API server (each gets its simulated kubelet); Deployments are applied through the
API server; then the cluster runs until every pod is Running. Prints the phases, the wall time
and the peak RSS; the last line is ``peak_rss_mib=<N> wall_s=<N>``.

Run: ``.venv/bin/python bench/controllers.py [--nodes N] [--deployments N] [--replicas N]``
(smaller shapes are handy while working; the defaults are the full size).
"""

from __future__ import annotations

import argparse
import gc
import resource
import time


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def deployment(i: int, replicas: int) -> dict:
    name = f"app-{i:04d}"
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{
                    "name": "pause", "image": "registry.k8s.io/pause:3.10",
                    "resources": {"requests": {"cpu": "10m", "memory": "10Mi"}},
                }]},
            },
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--deployments", type=int, default=1500)
    ap.add_argument("--replicas", type=int, default=100)
    args = ap.parse_args()

    from k8snb import Cluster

    t0 = time.perf_counter()
    cluster = Cluster(workers=0, seed=0, pod_network_cidr="10.128.0.0/9")
    for i in range(args.nodes):
        cluster.api.create({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": f"node-{i:05d}",
                         "labels": {"kubernetes.io/hostname": f"node-{i:05d}"}},
            "status": {"capacity": {"cpu": "32", "memory": "128Gi", "pods": "110"}},
        })
    cluster.settle()
    # A heap of millions of long-lived dicts: move what exists to the permanent generation and
    # collect young objects less often, so cyclic GC does not rescan the cluster every few
    # thousand allocations (the simulated objects are plain trees, not cycles).
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    t1 = time.perf_counter()
    print(f"nodes={args.nodes} nodes_ready_s={t1 - t0:.1f} "
          f"rss_mib={peak_rss_mib():.0f}", flush=True)

    for i in range(args.deployments):
        cluster.api.create(deployment(i, args.replicas))
    t2 = time.perf_counter()
    print(f"deployments={args.deployments} applied_s={t2 - t1:.1f}", flush=True)

    sim0 = cluster.clock.now
    cluster.settle(max_seconds=3600)
    t3 = time.perf_counter()
    pods = cluster.store.items("pods", "default")
    running = sum(1 for p in pods if p.get("status", {}).get("phase") == "Running")
    want = args.deployments * args.replicas
    print(f"pods_running={running}/{want} converge_s={t3 - t2:.1f} "
          f"simulated_s={cluster.clock.now - sim0:.0f}", flush=True)
    print(f"pods_per_s={want / max(t3 - t1, 1e-9):.0f}")
    print(f"peak_rss_mib={peak_rss_mib():.0f} wall_s={t3 - t1:.1f}")


if __name__ == "__main__":
    main()
