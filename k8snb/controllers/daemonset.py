"""The DaemonSet controller: one pod on every node that qualifies.

For each DaemonSet the controller (``pkg/controller/daemon/daemon_controller.go``) looks at
every node and asks ``NodeShouldRunDaemonPod``: does the pod's ``nodeSelector`` and required
node affinity match the node, and does the pod tolerate the node's NoSchedule and NoExecute
taints? Every daemon pod gets extra tolerations first (``not-ready`` and ``unreachable``
NoExecute, the ``*-pressure`` and ``unschedulable`` NoSchedule taints, and
``network-unavailable`` with ``hostNetwork``; ``util/daemonset_util.go``), which is why
DaemonSet pods run on cordoned nodes and survive a node going NotReady. Then:

- a node that should run the pod and has none gets one: the controller creates it with a
  required node affinity on ``metadata.name`` (a ``matchFields`` term) naming that node and
  lets the default scheduler bind it;
- a node that should not run it (labels changed, an untolerated NoExecute taint) loses it;
  an untolerated NoSchedule taint alone keeps an existing pod but places no new one;
- a failed daemon pod is deleted and replaced (``Found failed daemon pod ...``).

Pods carry ``controller-revision-hash`` (the template hash of the ControllerRevision they come
from) and ``pod-template-generation``. ``RollingUpdate`` (``update.go``) deletes old pods one
node at a time (``maxUnavailable: 1``), the replacement coming from the loop above; ``OnDelete``
waits for you to delete them. The status counts desired, current, ready, up-to-date and
available nodes, and nodes running a pod they should not (misscheduled).

Deviation: pods bound to a node that was deleted are force-deleted here, standing in for the
pod garbage collector (``pkg/controller/podgc``) that does this upstream for every pod.
Not modelled: ``maxSurge`` above 0 (surge updates), the failed-pod back-off.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.api.taints import find_untolerated_taint
from k8snb.controllers.history import (
    CONTROLLER_REVISION_HASH_LABEL,
    ControllerHistory,
    compute_hash,
    next_revision,
    template_patch,
)
from k8snb.controllers.podcontrol import (
    CONTROLLER_UID_INDEX,
    PodControl,
    controller_ref,
    controller_uid_index,
    ensure_index,
    is_pod_available,
    is_pod_ready,
)
from k8snb.scheduler.plugins.node_affinity import term_matches
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = [
    "DAEMON_TOLERATIONS",
    "DaemonSetController",
    "TEMPLATE_GENERATION_LABEL",
    "add_daemon_tolerations",
    "daemon_pod_spec",
    "daemonset_rollout_status",
    "node_should_run_daemon_pod",
]

Obj = dict[str, Any]
COMPONENT = "daemonset-controller"
TEMPLATE_GENERATION_LABEL = "pod-template-generation"

# Event reasons and messages (daemon_controller.go).
# SuccessfulCreate "Created pod: <name>" and SuccessfulDelete come from PodControl.
REASON_DELETED = "SuccessfulDelete"
MSG_DELETED = "Deleted pod: {pod}"
REASON_FAILED_DAEMON_POD = "FailedDaemonPod"
MSG_FAILED_DAEMON_POD = "Found failed daemon pod {ns}/{pod} on node {node}, will try to kill it"

#: (key, effect) of the tolerations every daemon pod gets, operator Exists, forever.
DAEMON_TOLERATIONS = (
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
)
NETWORK_UNAVAILABLE = ("node.kubernetes.io/network-unavailable", "NoSchedule")


def add_daemon_tolerations(spec: Obj) -> None:
    """``AddOrUpdateDaemonPodTolerations``: add (or replace) the daemon tolerations in place."""
    wanted = list(DAEMON_TOLERATIONS)
    if spec.get("hostNetwork"):
        wanted.append(NETWORK_UNAVAILABLE)
    tolerations = list(spec.get("tolerations") or [])
    for key, effect in wanted:
        tol = {"key": key, "operator": "Exists", "effect": effect}
        for i, t in enumerate(tolerations):
            if t.get("key") == key and t.get("effect") == effect:
                tolerations[i] = tol  # AddOrUpdateTolerationInPodSpec replaces same key+effect
                break
        else:
            tolerations.append(tol)
    spec["tolerations"] = tolerations


def _matches_node(spec: Obj, node: Obj) -> bool:
    """``nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)``: nodeSelector and terms."""
    labels = node["metadata"].get("labels") or {}
    for k, v in (spec.get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if required is None:
        return True
    name = node["metadata"]["name"]
    return any(term_matches(t, labels, name) for t in required.get("nodeSelectorTerms") or ())


def daemon_pod_spec(ds: Obj) -> Obj:
    """The template's pod spec with the daemon tolerations added (what a new pod gets)."""
    spec = jcopy(((ds.get("spec") or {}).get("template") or {}).get("spec") or {})
    add_daemon_tolerations(spec)
    return spec


def node_should_run_daemon_pod(node: Obj, ds: Obj, spec: Obj | None = None) -> tuple[bool, bool]:
    """``NodeShouldRunDaemonPod``: (should a new pod run here, may an existing one stay).

    The pod's name must match (if the template sets ``nodeName``), its node selector and
    required node affinity must match; with an untolerated NoSchedule/NoExecute taint no new
    pod goes there, and an existing one stays only if no NoExecute taint is untolerated.
    ``spec`` is :func:`daemon_pod_spec` of ``ds``, when the caller has it already.
    """
    if spec is None:
        spec = daemon_pod_spec(ds)
    name = node["metadata"]["name"]
    if spec.get("nodeName") and spec["nodeName"] != name:
        return False, False
    if not _matches_node(spec, node):
        return False, False
    taints = (node.get("spec") or {}).get("taints") or []
    tolerations = spec.get("tolerations") or []
    if find_untolerated_taint(taints, tolerations) is not None:
        stays = find_untolerated_taint(taints, tolerations, ("NoExecute",)) is None
        return False, stays
    return True, True


def target_node(pod: Obj) -> str:
    """``GetTargetNodeName``: ``spec.nodeName``, or the node its affinity pins it to."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in required.get("nodeSelectorTerms") or ():
        for f in term.get("matchFields") or ():
            if f.get("key") == "metadata.name" and f.get("operator") == "In":
                values = f.get("values") or []
                return values[0] if len(values) == 1 else ""
    return ""


def pin_to_node(affinity: Obj | None, node: str) -> Obj:
    """``ReplaceDaemonSetPodNodeNameNodeAffinity``: required affinity = this node only."""
    affinity = jcopy(affinity or {})
    na = affinity.setdefault("nodeAffinity", {})
    na["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}
    return affinity


def _scaled(value: Any, total: int, round_up: bool) -> int:
    """``GetScaledValueFromIntOrPercent``: an int, or a percentage of ``total``."""
    if isinstance(value, str) and value.endswith("%"):
        pct = int(value[:-1])
        return -(-total * pct // 100) if round_up else total * pct // 100
    return int(value or 0)


def daemonset_rollout_status(ds: Obj) -> tuple[str, bool]:
    """What ``kubectl rollout status ds/<name>`` prints for ``ds`` now, and whether it is done.

    (kubectl ``pkg/polymorphichelpers/rollout_status.go`` DaemonSetStatusViewer; no trailing
    newline.) Raises ``ValueError`` for ``OnDelete``:
    ``rollout status is only available for RollingUpdate strategy type``.
    """
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        raise ValueError("rollout status is only available for RollingUpdate strategy type")
    name = ds["metadata"]["name"]
    if int(ds["metadata"].get("generation") or 0) <= int(status.get("observedGeneration") or 0):
        desired = int(status.get("desiredNumberScheduled") or 0)
        updated = int(status.get("updatedNumberScheduled") or 0)
        available = int(status.get("numberAvailable") or 0)
        if updated < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of '
                    f"{desired} new pods have been updated...", False)
        if available < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {available} of '
                    f"{desired} updated pods are available...", False)
        return f'daemon set "{name}" successfully rolled out', True
    return "Waiting for daemon set spec update to be observed...", False


def _by_age(pods: Iterable[Obj]) -> list[Obj]:
    """``podByCreationTimestampAndPhase``: oldest first, running before not-yet-running."""
    return sorted(pods, key=lambda p: (p["metadata"].get("creationTimestamp") or "",
                                       (p.get("status") or {}).get("phase") != "Running",
                                       p["metadata"]["name"]))


class DaemonSetController:
    """``DaemonSetController(cluster)``: one work queue of ``(namespace, name)`` keys."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.sets = cluster.informers.informer("daemonsets")
        self.pods = cluster.informers.informer("pods")
        self.nodes = cluster.informers.informer("nodes")
        self.history = ControllerHistory(cluster)
        ensure_index(self.pods, CONTROLLER_UID_INDEX, controller_uid_index)
        self.pod_control = PodControl(self.api, COMPONENT)
        self.queue = cluster.new_queue("daemonset", self.sync)
        self.sets.add_handler(self._enqueue, lambda old, new: self._enqueue(new),
                              lambda ds: self.queue.forget(self._key(ds)))
        self.pods.add_handler(self._pod_changed, self._pod_updated, self._pod_changed)
        self.nodes.add_handler(self._node_added, self._node_updated, self._node_deleted)

    # -- event handlers --------------------------------------------------------------------------

    @staticmethod
    def _key(obj: Obj) -> tuple[str, str]:
        return obj["metadata"].get("namespace", ""), obj["metadata"]["name"]

    def _enqueue(self, ds: Obj) -> None:
        self.queue.add(self._key(ds))

    def _pod_changed(self, pod: Obj) -> None:
        for ref in pod["metadata"].get("ownerReferences") or ():
            if ref.get("controller"):
                if ref.get("kind") == "DaemonSet":
                    self.queue.add((pod["metadata"].get("namespace", ""), ref.get("name", "")))
                return

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        self._pod_changed(new)
        if old["metadata"].get("ownerReferences") != new["metadata"].get("ownerReferences"):
            self._pod_changed(old)

    def _node_added(self, node: Obj) -> None:
        for ds in self.sets.list():
            if node_should_run_daemon_pod(node, ds)[0]:
                self._enqueue(ds)

    def _node_updated(self, old: Obj, new: Obj) -> None:
        if (old["metadata"].get("labels") == new["metadata"].get("labels")
                and (old.get("spec") or {}).get("taints") == (new.get("spec") or {}).get("taints")):
            return  # only labels and taints change what runs where (shouldIgnoreNodeUpdate)
        for ds in self.sets.list():
            if node_should_run_daemon_pod(old, ds) != node_should_run_daemon_pod(new, ds):
                self._enqueue(ds)

    def _node_deleted(self, node: Obj) -> None:
        for ds in self.sets.list():
            self._enqueue(ds)

    # -- the reconcile loop ----------------------------------------------------------------------

    def sync(self, key: tuple[str, str]) -> None:
        ns, name = key
        ds = self.sets.get(ns, name)
        if ds is None or ds["metadata"].get("deletionTimestamp"):
            return
        nodes = sorted(self.nodes.list(), key=lambda n: n["metadata"]["name"])
        spec = daemon_pod_spec(ds)
        verdicts = {n["metadata"]["name"]: node_should_run_daemon_pod(n, ds, spec)
                    for n in nodes}
        current, hash_ = self._construct_history(ds)
        self._manage(ds, nodes, verdicts, hash_, current)
        strategy = (ds["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate")
        if strategy == "RollingUpdate":
            self._rolling_update(ds, verdicts, hash_)
        self._cleanup_history(ds, current)
        self._update_status(ds, nodes, verdicts, hash_)

    def _daemon_pods(self, ds: Obj) -> dict[str, list[Obj]]:
        """``getNodesToDaemonPods``: the DaemonSet's pods grouped by the node they are for."""
        out: dict[str, list[Obj]] = {}
        for pod in self.pods.by_index(CONTROLLER_UID_INDEX, ds["metadata"]["uid"]):
            if pod["metadata"].get("deletionTimestamp") and \
                    (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            out.setdefault(target_node(pod), []).append(pod)
        return out

    def _construct_history(self, ds: Obj) -> tuple[Obj, str]:
        """``constructHistory``: the revision of the current template (made if missing)."""
        collisions = (ds.get("status") or {}).get("collisionCount")
        template = (ds["spec"].get("template") or {})
        hash_ = compute_hash(template, collisions)
        data = template_patch(ds)
        revisions = self.history.list_for(ds)
        current = [r for r in revisions
                   if (r["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL)
                   == hash_ or r.get("data") == data]
        old = [r for r in revisions if r not in current]
        number = next_revision(old)
        if current:
            cur = self.history.set_revision(current[-1], max(number,
                                                             int(current[-1]["revision"])))
        else:
            labels = dict((template.get("metadata") or {}).get("labels") or {})
            labels[CONTROLLER_REVISION_HASH_LABEL] = hash_
            revision = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
                        "metadata": {"labels": labels,
                                     "ownerReferences": [controller_ref(ds)]},
                        "data": data, "revision": number}
            if ds["metadata"].get("annotations"):
                revision["metadata"]["annotations"] = dict(ds["metadata"]["annotations"])
            name = ds["metadata"]["name"]
            cur, _ = self.history.create(ds, revision,
                                         lambda c: (f"{name}-{hash_}", None), 0)
        return cur, (cur["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL,
                                                               hash_)

    def _manage(self, ds: Obj, nodes: list[Obj], verdicts: dict[str, tuple[bool, bool]],
                hash_: str, current: Obj) -> None:
        """``manage``: which nodes need a daemon pod, which pods must go."""
        by_node = self._daemon_pods(ds)
        known = {n["metadata"]["name"] for n in nodes}
        to_create: list[str] = []
        to_delete: list[Obj] = []
        for node in nodes:
            name = node["metadata"]["name"]
            should_run, should_stay = verdicts[name]
            pods = by_node.get(name, [])
            if should_run and not pods:
                to_create.append(name)
            elif should_stay:
                running = []
                for pod in pods:
                    if pod["metadata"].get("deletionTimestamp"):
                        continue
                    phase = (pod.get("status") or {}).get("phase")
                    if phase == "Failed":
                        self.api.record_event(
                            ds, "Warning", REASON_FAILED_DAEMON_POD,
                            MSG_FAILED_DAEMON_POD.format(ns=pod["metadata"]["namespace"],
                                                         pod=pod["metadata"]["name"], node=name),
                            COMPONENT)
                        to_delete.append(pod)
                    elif phase == "Succeeded":
                        to_delete.append(pod)
                    else:
                        running.append(pod)
                to_delete += _by_age(running)[1:]  # more than one: keep the oldest
            else:
                to_delete += [p for p in pods if not p["metadata"].get("deletionTimestamp")]
        for name, pods in sorted(by_node.items()):
            if name not in known:  # the node is gone (podgc's job upstream, see above)
                for pod in pods:
                    force = bool(pod["spec"].get("nodeName"))
                    if force or not pod["metadata"].get("deletionTimestamp"):
                        self._delete(ds, pod, force=force)
        for pod in to_delete:
            self._delete(ds, pod)
        template = self._pod_template(ds, hash_, current)
        for node in to_create:
            self._create(ds, template, node)

    def _pod_template(self, ds: Obj, hash_: str, current: Obj) -> Obj:
        """``CreatePodTemplate``: the template plus daemon tolerations and the two labels."""
        template = jcopy(ds["spec"].get("template") or {})
        meta = template.setdefault("metadata", {})
        labels = meta.setdefault("labels", {})
        labels[CONTROLLER_REVISION_HASH_LABEL] = hash_
        labels[TEMPLATE_GENERATION_LABEL] = str(ds["metadata"].get("generation", 1))
        add_daemon_tolerations(template.setdefault("spec", {}))
        return template

    def _create(self, ds: Obj, template: Obj, node: str) -> None:
        """One pod for ``node``: generateName ``<ds>-``, pinned there by node affinity."""
        pinned = {**template, "spec": {**template["spec"],
                                       "affinity": pin_to_node(template["spec"].get("affinity"),
                                                               node)}}
        try:
            self.pod_control.create_pod(ds["metadata"].get("namespace", "default"), pinned, ds,
                                        controller_ref(ds))
        except StatusError:
            self.queue.add_after(self._key(ds), 10.0, recurring=True)  # rate-limited upstream

    def _delete(self, ds: Obj, pod: Obj, *, force: bool = False) -> None:
        ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        try:
            if force:  # what podgc does for a pod whose node is gone: no grace period
                self.api.delete("pods", name, ns, grace_period_seconds=0)
                self.api.record_event(ds, "Normal", REASON_DELETED, MSG_DELETED.format(pod=name),
                                      COMPONENT)
            else:
                self.pod_control.delete_pod(ns, name, ds)
        except StatusError as e:
            if e.reason != "NotFound":
                self.queue.add_after(self._key(ds), 10.0, recurring=True)

    def _rolling_update(self, ds: Obj, verdicts: dict[str, tuple[bool, bool]],
                        hash_: str) -> None:
        """``rollingUpdate`` without surge: replace old pods, at most maxUnavailable at once."""
        by_node = self._daemon_pods(ds)
        min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        now = self.clock.now
        desired = sum(1 for run, _ in verdicts.values() if run)
        ru = (ds["spec"].get("updateStrategy") or {}).get("rollingUpdate") or {}
        max_unavailable = _scaled(ru.get("maxUnavailable", 1), desired, True)
        if max_unavailable == 0 and _scaled(ru.get("maxSurge", 0), desired, True) == 0:
            max_unavailable = 1
        unavailable = 0
        replace: list[Obj] = []
        candidates: list[Obj] = []
        for node in sorted(by_node):
            pods = [p for p in by_node[node] if not p["metadata"].get("deletionTimestamp")]
            terminating = len(pods) != len(by_node[node])
            new = [p for p in pods if self._updated(p, hash_, ds)]
            old = [p for p in pods if not self._updated(p, hash_, ds)]
            if len(new) > 1 or len(old) > 1 or terminating or (new and old) or not pods:
                unavailable += 1  # the manage loop is still sorting this node out
            elif new:
                if not is_pod_available(new[0], min_ready, now):
                    unavailable += 1
            elif not is_pod_available(old[0], min_ready, now):
                replace.append(old[0])  # not available anyway: replace it at once
            elif unavailable < max_unavailable:
                candidates.append(old[0])
        room = max(0, min(max_unavailable - unavailable, len(candidates)))
        for pod in replace + candidates[:room]:
            self._delete(ds, pod)

    @staticmethod
    def _updated(pod: Obj, hash_: str, ds: Obj) -> bool:
        """``IsPodUpdated``: the pod's revision hash (or template generation) is current."""
        labels = pod["metadata"].get("labels") or {}
        return labels.get(CONTROLLER_REVISION_HASH_LABEL) == hash_

    def _cleanup_history(self, ds: Obj, current: Obj) -> None:
        """``cleanupHistory``: keep live revisions and ``revisionHistoryLimit`` old ones."""
        live = {current["metadata"]["name"]}
        hashes = {(p["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL)
                  for p in self.pods.by_index(CONTROLLER_UID_INDEX, ds["metadata"]["uid"])}
        revisions = self.history.list_for(ds)
        for r in revisions:
            if (r["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL) in hashes:
                live.add(r["metadata"]["name"])
        self.history.truncate(revisions, live, int(ds["spec"].get("revisionHistoryLimit", 10)))

    def _update_status(self, ds: Obj, nodes: list[Obj], verdicts: dict[str, tuple[bool, bool]],
                       hash_: str) -> None:
        """``updateDaemonSetStatus``: count nodes, using the oldest daemon pod on each."""
        by_node = self._daemon_pods(ds)
        min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        now = self.clock.now
        desired = current = ready = available = updated = misscheduled = 0
        for node in nodes:
            name = node["metadata"]["name"]
            pods = by_node.get(name)
            if verdicts[name][0]:
                desired += 1
                if not pods:
                    continue
                current += 1
                pod = _by_age(pods)[0]
                if is_pod_ready(pod):
                    ready += 1
                    if is_pod_available(pod, min_ready, now):
                        available += 1
                if self._updated(pod, hash_, ds):
                    updated += 1
            elif pods:
                misscheduled += 1
        if min_ready and ready != available:
            self.queue.add_after(self._key(ds), min_ready)
        status: Obj = {"currentNumberScheduled": current, "numberMisscheduled": misscheduled,
                       "desiredNumberScheduled": desired, "numberReady": ready,
                       "observedGeneration": ds["metadata"].get("generation", 1)}
        for k, v in (("updatedNumberScheduled", updated), ("numberAvailable", available),
                     ("numberUnavailable", desired - available)):
            if v:
                status[k] = v
        old = ds.get("status") or {}
        if "collisionCount" in old:
            status["collisionCount"] = old["collisionCount"]
        if old.get("conditions"):
            status["conditions"] = old["conditions"]
        if old == status:
            return
        try:
            self.api.update_status({**ds, "status": status})
        except StatusError as e:
            if e.reason == "Conflict":
                self.queue.add(self._key(ds))
            elif e.reason != "NotFound":
                raise
