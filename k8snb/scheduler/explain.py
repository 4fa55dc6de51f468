"""Why did the scheduler put this pod there, or nowhere?

The scheduler keeps only a compact :class:`~k8snb.scheduler.scheduler.Decision` per pod. When a
learner asks about one pod, this module recomputes the full picture with the node-by-node form
of every plugin (:func:`k8snb.scheduler.schedule_one.evaluate`): a pandas DataFrame with one
row per node and, per plugin, the Filter verdict and the Score (raw and weighted), the total and
the winner; and a few sentences saying what decided it.

The table shows the cluster *now*. For a pod already on a node, that pod is first taken off its
node, so the question is "would it go there again?"; the recorded decision says what happened at
the time. Unlike a real cycle the table filters every node and scores every feasible one (the
scheduler itself stops after ``numFeasibleNodesToFind`` nodes in clusters of 100 nodes or more).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from k8snb.api.quantity import format_bytes, format_cpu_millis
from k8snb.scheduler.framework import NodeInfo, PodInfo
from k8snb.scheduler.schedule_one import Evaluation, evaluate

if TYPE_CHECKING:
    from k8snb.scheduler.scheduler import Scheduler

__all__ = ["explain", "why"]

Obj = dict[str, Any]
PASS = "pass"
SKIP = "skip"


def _evaluate(scheduler: Scheduler, pod: Obj) -> tuple[PodInfo, Evaluation]:
    if (pod.get("spec") or {}).get("nodeName"):
        # Already bound: ask where it would go, as the scheduler saw it before binding.
        pod = {**pod, "spec": {k: v for k, v in pod["spec"].items() if k != "nodeName"}}
    info = PodInfo(pod)
    placed = scheduler.cache.pod(info.key) is not None
    return info, evaluate(
        scheduler.profile, scheduler.cache, info, without=info.key if placed else None
    )


def _winners(ev: Evaluation, bound_to: str | None) -> set[str]:
    if bound_to is not None:
        return {bound_to}
    if len(ev.feasible) == 1:
        return {ev.nodes[ev.feasible[0]]}
    if not ev.feasible:
        return set()
    best = ev.total.max()
    return {ev.nodes[j] for j, t in zip(ev.feasible, ev.total.tolist(), strict=True) if t == best}


def explain(scheduler: Scheduler, pod: Obj) -> pd.DataFrame:
    """One row per node (in the scheduler's order); columns:

    - one per Filter plugin: ``pass``, ``skip`` (the plugin had nothing to check for this pod)
      or the reason it rejects the node;
    - ``fits``: whether every filter passed; ``reason``: what the scheduler reports for the node
      (the first failing filter, as upstream stops there);
    - per Score plugin ``<plugin>`` (its raw score) and ``<plugin> xW`` (normalized to 0..100,
      times its weight W), then ``total``;
    - ``winner``: the node the pod is bound to, or the node(s) it would go to now (several if
      tied: the scheduler breaks a tie at random).
    """
    info, ev = _evaluate(scheduler, pod)
    data: dict[str, list[Any]] = {}
    for plugin in (p.name for p in scheduler.profile.filter_plugins):
        if plugin in ev.filters:
            data[plugin] = [PASS if s is None else s.message for s in ev.filters[plugin]]
        else:
            data[plugin] = [SKIP] * len(ev.nodes)
    data["fits"] = [v is None for v in ev.verdict]
    data["reason"] = ["" if v is None else v.message for v in ev.verdict]
    feasible_pos = {j: k for k, j in enumerate(ev.feasible)}
    scores = []
    for plugin, weight in ev.weights.items():
        raw = ev.raw.get(plugin)
        norm = ev.normalized.get(plugin)
        scores += [f"{plugin} raw", f"{plugin} x{weight}"]
        data[scores[-2]] = [
            raw[feasible_pos[j]] if raw is not None and j in feasible_pos else None
            for j in range(len(ev.nodes))
        ]
        data[scores[-1]] = [
            norm[feasible_pos[j]] * weight if norm is not None and j in feasible_pos else None
            for j in range(len(ev.nodes))
        ]
    data["total"] = [
        int(ev.total[feasible_pos[j]]) if j in feasible_pos and len(ev.feasible) > 1 else None
        for j in range(len(ev.nodes))
    ]
    bound_to = (pod.get("spec") or {}).get("nodeName") or scheduler.cache.pod_node(info.key)
    winners = _winners(ev, bound_to)
    data["winner"] = [n in winners for n in ev.nodes]
    df = pd.DataFrame(data, index=pd.Index(ev.nodes, name="node"))
    for col in [*scores, "total"]:
        df[col] = df[col].astype("Int64")  # integers with <NA> where a node was not scored
    return df


def _fit_detail(pod: PodInfo, node: NodeInfo, reason: str) -> str:
    """Numbers behind an ``Insufficient ...`` / ``Too many pods`` reason."""
    if reason == "Insufficient cpu":
        return (
            f"asks for {format_cpu_millis(pod.cpu)} cpu; {node.name} has "
            f"{format_cpu_millis(node.alloc_cpu)} allocatable, "
            f"{format_cpu_millis(node.cpu)} already requested"
        )
    if reason == "Insufficient memory":
        return (
            f"asks for {format_bytes(pod.memory)} memory; {node.name} has "
            f"{format_bytes(node.alloc_memory)} allocatable, "
            f"{format_bytes(node.memory)} already requested"
        )
    if reason == "Too many pods":
        return f"{node.name} already runs {len(node.pods)} of its {node.alloc_pods} pods"
    return ""


_HINTS = {
    "NodeUnschedulable": "the node is cordoned (`kubectl uncordon` lifts it)",
    "TaintToleration": "the pod has no toleration for that taint",
    "NodeAffinity": "the node's labels do not match the pod's nodeSelector / node affinity",
    "NodePorts": "another pod on the node already holds that hostPort",
    "NodeName": "the pod names another node in spec.nodeName",
    "PodTopologySpread": "placing it there would spread the matching pods too unevenly",
}


def _not_modelled(info: PodInfo) -> list[str]:
    """Say so when the pod asks for something this model's scheduler does not check."""
    notes = []
    if info.affinity.get("podAffinity") or info.affinity.get("podAntiAffinity"):
        notes.append(
            "Note: podAffinity/podAntiAffinity (the InterPodAffinity plugin) is not "
            "modelled here; a real scheduler would also apply it."
        )
    volumes = (info.pod.get("spec") or {}).get("volumes") or ()
    if any("persistentVolumeClaim" in v for v in volumes):
        notes.append(
            "Note: of volume binding (the VolumeBinding plugin) only its first check is "
            "modelled here: the PersistentVolumeClaims must exist and be bound; a real "
            "scheduler would also match volumes to nodes."
        )
    return notes


def why(scheduler: Scheduler, pod: Obj) -> str:
    """A short explanation: where the pod went and what decided it, or why nothing fits."""
    info, ev = _evaluate(scheduler, pod)
    decision = scheduler.decisions.get(info.key)
    bound_to = (pod.get("spec") or {}).get("nodeName") or scheduler.cache.pod_node(info.key)
    lines: list[str] = []
    infos = {i.name: i for i in scheduler.cache.node_infos()}

    def rejected() -> None:
        for j, v in enumerate(ev.verdict):
            if v is None:
                continue
            name = ev.nodes[j]
            details = [d for r in v.reasons if (d := _fit_detail(info, infos[name], r))]
            hint = _HINTS.get(v.plugin, "")
            more = "; ".join(details) or hint
            lines.append(
                f"  - {name}: {v.message} ({v.plugin or 'PreFilter'})"
                + (f": {more}" if more else "")
            )

    if bound_to:
        lines.append(f"{info.key} is bound to {bound_to}.")
        if decision is None:
            lines.append(
                "The scheduler did not place it: it was created with spec.nodeName "
                "already set (a static pod, or bound by someone else). Below is where "
                "the scheduler would put it."
            )
        elif decision.node == bound_to:
            if decision.score is None:
                lines.append(f"When it was scheduled only {bound_to} fit, so nothing was scored.")
            else:
                tie = (
                    f", tied with {decision.tied - 1} other node(s); the tie was broken at random"
                    if decision.tied > 1
                    else ""
                )
                lines.append(
                    f"When it was scheduled, {decision.feasible} of {decision.nodes} "
                    f"node(s) fit and {bound_to} scored highest with "
                    f"{decision.score}{tie}."
                )
    elif decision is not None and decision.node is None:
        lines.append(f"{info.key} is Pending: {decision.message}")
    else:
        lines.append(f"{info.key} is Pending and the scheduler has not tried it yet.")

    lines.extend(_not_modelled(info))
    if not ev.feasible:
        if ev.pre_filter is not None:
            lines.append(f"Right now no node is even looked at: {ev.pre_filter.message}.")
        else:
            lines.append("Right now no node fits:")
            rejected()
        return "\n".join(lines)

    ranking = (
        sorted(zip(ev.feasible, ev.total.tolist(), strict=True), key=lambda t: -t[1])
        if len(ev.feasible) > 1
        else [(ev.feasible[0], None)]
    )
    fit_names = [ev.nodes[j] for j, _ in ranking]
    lines.append(
        f"Right now {len(ev.feasible)} of {len(ev.nodes)} node(s) fit"
        + (f" ({', '.join(fit_names)})." if len(fit_names) <= 8 else ".")
    )
    if len(ev.feasible) > 1:
        (top, top_total), (second, second_total) = ranking[0], ranking[1]
        k_top, k_second = ev.feasible.index(top), ev.feasible.index(second)
        if top_total == second_total:
            lines.append(
                f"{ev.nodes[top]} and {ev.nodes[second]} tie at {top_total}; the "
                "scheduler picks among tied nodes at random."
            )
        else:
            lines.append(
                f"{ev.nodes[top]} would win with {top_total} against "
                f"{ev.nodes[second]}'s {second_total}:"
            )
            for plugin, w in ev.weights.items():
                norm = ev.normalized.get(plugin)
                if norm is None:
                    continue
                a, b = int(norm[k_top]) * w, int(norm[k_second]) * w
                if a != b:
                    lines.append(f"  - {plugin}: {a} vs {b}")
    if any(v is not None for v in ev.verdict):
        lines.append("Filtered out:")
        rejected()
    return "\n".join(lines)
