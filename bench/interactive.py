"""How long a learner waits: one action on the default cluster, then settle and redraw.

Measures, on ``Cluster(workers=2, seed=0)``: ``kubectl apply`` of a pod, ``settle()``, and
rendering the cluster diagram to SVG; then a ``kubectl get pods -o wide``. Prints p50/p95 per
step and for the whole action (target: p95 under 100 ms), and the import time of k8snb.

Run: ``.venv/bin/python bench/interactive.py``
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main(rounds: int = 40) -> None:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import k8snb"],
                         capture_output=True, text=True, check=True)
    wall_import = time.perf_counter() - t0
    total_us = int(out.stderr.strip().splitlines()[-1].split("|")[1])
    print(f"import_k8snb_s={total_us / 1e6:.3f} (process incl. interpreter {wall_import:.3f})")

    from k8snb import Cluster

    try:
        from k8snb.views import cluster_diagram
    except ImportError:  # views not installed yet
        cluster_diagram = None

    t0 = time.perf_counter()
    cluster = Cluster(workers=2, seed=0)
    print(f"cluster_create_s={time.perf_counter() - t0:.3f}")
    steps: dict[str, list[float]] = {"apply": [], "settle": [], "render": [], "get": [],
                                     "action": []}
    for i in range(rounds):
        manifest = (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  labels: {{app: b}}\n"
                    "spec:\n  containers:\n  - name: c\n    image: nginx:1.27\n")
        a = time.perf_counter()
        r = cluster.kubectl("apply -f -", stdin=manifest)
        b = time.perf_counter()
        cluster.settle()
        c = time.perf_counter()
        if cluster_diagram is not None:
            cluster_diagram(cluster)._repr_svg_()
        d = time.perf_counter()
        cluster.kubectl("get pods -o wide")
        e = time.perf_counter()
        assert r.returncode == 0, r.stderr
        steps["apply"].append(b - a)
        steps["settle"].append(c - b)
        steps["render"].append(d - c)
        steps["get"].append(e - d)
        steps["action"].append(d - a)
    for name, vals in steps.items():
        print(f"{name}_p50_ms={statistics.median(vals) * 1000:.1f} "
              f"{name}_p95_ms={pct(vals, 95) * 1000:.1f}")
    print(f"action_p95_ms={pct(steps['action'], 95) * 1000:.1f}")


if __name__ == "__main__":
    main()
