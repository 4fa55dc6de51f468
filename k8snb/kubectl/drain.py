"""``kubectl drain``: cordon a node, then evict its pods so their controllers move them.

As upstream (``kubectl/pkg/drain``): mirror (static) pods are left alone; DaemonSet pods
make drain refuse unless ``--ignore-daemonsets`` (they would come straight back); pods with
no controller refuse unless ``--force`` (nothing would recreate them); pods with emptyDir
data refuse unless ``--delete-emptydir-data``. The model evicts through a graceful delete
(there are no PodDisruptionBudgets yet) and waits, in simulated time, for the pods to go.
"""

from __future__ import annotations

from typing import Any

from k8snb.api.errors import StatusError
from k8snb.kubectl.cli import CommandError, Context

__all__ = ["drain"]

Obj = dict[str, Any]


def _controller(pod: Obj) -> Obj | None:
    return next((r for r in pod["metadata"].get("ownerReferences") or []
                 if r.get("controller")), None)


def drain(ctx: Context) -> None:
    a = ctx.args
    names = [w.split("/", 1)[-1] for w in a.positional if w not in ("node", "nodes")]
    if not names:
        raise CommandError("USAGE: drain NODE [flags]")
    for name in names:
        node = ctx.api.get("nodes", name)
        if node["spec"].get("unschedulable"):
            ctx.print(f"node/{name} already cordoned")
        else:
            node["spec"]["unschedulable"] = True
            ctx.api.update(node)
            ctx.print(f"node/{name} cordoned")
        pods = sorted(ctx.cluster.nodes.pods_on(name),
                      key=lambda p: (p["metadata"]["namespace"], p["metadata"]["name"]))
        evict, daemon, bare, local = [], [], [], []
        for pod in pods:
            meta = pod["metadata"]
            if pod.get("status", {}).get("phase") in ("Succeeded", "Failed"):
                evict.append(pod)
                continue
            if "kubernetes.io/config.mirror" in (meta.get("annotations") or {}):
                continue
            ref = _controller(pod)
            ident = f"{meta['namespace']}/{meta['name']}"
            if ref is not None and ref.get("kind") == "DaemonSet":
                daemon.append(ident)
                continue
            if ref is None and not a.bool("force"):
                bare.append(ident)
            if any("emptyDir" in v for v in pod["spec"].get("volumes") or []) and not a.bool(
                    "delete-emptydir-data"):
                local.append(ident)
            evict.append(pod)
        problems = []
        if daemon and not a.bool("ignore-daemonsets"):
            problems.append("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to "
                            f"ignore): {', '.join(daemon)}")
        if bare:
            problems.append("cannot delete Pods that declare no controller (use --force to "
                            f"override): {', '.join(bare)}")
        if local:
            problems.append("cannot delete Pods with local storage (use --delete-emptydir-data "
                            f"to override): {', '.join(local)}")
        if problems:
            ctx.error(f'error: unable to drain node "{name}" due to error: '
                      + ", ".join(problems) + ", continuing command...\n"
                      "There are pending nodes to be drained:\n " + name)
            for p in problems:
                ctx.err.write(f"error: {p}\n")
            continue
        if daemon:
            ctx.err.write(f"Warning: ignoring DaemonSet-managed Pods: {', '.join(daemon)}\n")
        unmanaged = [f"{p['metadata']['namespace']}/{p['metadata']['name']}" for p in evict
                     if _controller(p) is None]
        if unmanaged and a.bool("force"):
            ctx.err.write("Warning: deleting Pods that declare no controller: "
                          f"{', '.join(unmanaged)}\n")
        grace = a.str("grace-period")
        grace_s = int(grace) if grace and grace.lstrip("-").isdigit() and int(grace) >= 0 \
            else None
        gone = []
        for pod in evict:
            meta = pod["metadata"]
            ctx.print(f"evicting pod {meta['namespace']}/{meta['name']}")
            try:
                ctx.api.delete("pods", meta["name"], meta["namespace"],
                               grace_period_seconds=grace_s)
            except StatusError as e:
                if e.reason != "NotFound":
                    ctx.fail(e)
                    continue
            ctx.api.record_event(pod, "Normal", "Killing", "Evicted by kubectl drain",
                                 "kubectl")
            gone.append(pod)
        from k8snb.kubectl.apply import _wait_gone
        from k8snb.kubectl.resources import resolve

        pods_info = resolve("pods")
        _wait_gone(ctx, [(pods_info, p["metadata"]["name"], p["metadata"]["namespace"])
                         for p in gone])
        for pod in gone:
            ctx.print(f"pod/{pod['metadata']['name']} evicted")
        ctx.print(f"node/{name} drained")
