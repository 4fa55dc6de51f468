"""kube-scheduler: watch pending pods, pick a node for each, write a Binding.

The component (``pkg/scheduler/scheduler.go``, ``schedule_one.go``) is a loop around three
parts of this package:

- the **cache** (:mod:`.cache`), fed by the shared node and pod informers, knows what every
  node has room for, counting pods the scheduler decided on but has not seen bound yet;
- the **scheduling queue** (:mod:`.queue`) hands out pending pods by priority and parks the
  ones that fit nowhere until a node or pod event might change that;
- the **framework** (:mod:`.schedule_one`, :mod:`.plugins`) filters and scores the nodes.

For each pod taken from the queue: schedule it; on success *assume* it onto the node in the
cache, write the ``pods/binding`` subresource (the API server sets ``spec.nodeName`` and
``PodScheduled=True``) and record ``Normal Scheduled  Successfully assigned default/web to
worker1``. On failure record ``Warning FailedScheduling 0/3 nodes are available: ...``, set
``PodScheduled=False`` with reason ``Unschedulable`` and park the pod.

Each decision leaves a compact :class:`Decision` (node, score, counts per reason), never a
node x plugin table: :meth:`Scheduler.explain` recomputes that table for the pod you ask
about, and :meth:`Scheduler.why` puts it in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.api.labels import EVERYTHING
from k8snb.api.server import set_condition
from k8snb.scheduler._helpers import Selector, selector_from_label_selector, selector_from_set
from k8snb.scheduler.cache import SchedulerCache
from k8snb.scheduler.framework import FitError, PodInfo
from k8snb.scheduler.profile import DEFAULT_SCHEDULER, Profile, default_profile
from k8snb.scheduler.queue import SchedulingQueue
from k8snb.scheduler.schedule_one import Algorithm, NoNodesAvailable
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    import pandas as pd

    from k8snb.cluster import Cluster

__all__ = ["Decision", "Scheduler"]

Obj = dict[str, Any]
COMPONENT = DEFAULT_SCHEDULER
#: ``validation.NoteLengthLimit``: longer event messages are cut with " ..."
NOTE_LENGTH_LIMIT = 1024

#: Which plugins care about which cluster event (their ``EventsToRegister``), so an event only
#: retries the waiting pods it might help.
NODE_CHANGE_PLUGINS = {
    "allocatable": ("NodeResourcesFit",),
    "labels": ("NodeAffinity", "PodTopologySpread", "NodeResourcesFit", "TaintToleration"),
    "taints": ("TaintToleration", "NodeUnschedulable", "NodeResourcesFit", "NodeAffinity"),
    "unschedulable": ("NodeUnschedulable",),
}
ASSIGNED_POD_DELETE_PLUGINS = ("NodeResourcesFit", "NodePorts", "PodTopologySpread")
ASSIGNED_POD_ADD_PLUGINS = ("PodTopologySpread",)
VOLUME_PLUGINS = ("VolumeBinding",)


@dataclass(frozen=True, slots=True)
class Decision:
    """The compact record of one scheduling attempt (what the scheduler remembers).

    ``node`` is where the pod went (None if nowhere); ``score`` its total (None when only one
    node fit and nothing was scored); ``feasible`` / ``evaluated`` / ``nodes`` count the nodes
    that fit, were looked at, exist; ``tied`` how many shared the top score; ``reasons`` the
    ``(reason, node count)`` histogram of a failure and ``message`` its FitError text.
    """

    pod: str
    node: str | None
    score: int | None
    feasible: int
    evaluated: int
    nodes: int
    tied: int
    reasons: tuple[tuple[str, int], ...]
    message: str
    attempt: int
    time: str


def _truncate(message: str) -> str:
    if len(message) <= NOTE_LENGTH_LIMIT:
        return message
    return message[: NOTE_LENGTH_LIMIT - 4] + " ..."


def _key(pod: Obj) -> str:
    meta = pod["metadata"]
    return f"{meta.get('namespace') or 'default'}/{meta['name']}"


def _assigned(pod: Obj) -> bool:
    return bool((pod.get("spec") or {}).get("nodeName"))


def _terminal(pod: Obj) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


class Scheduler:
    """The ``default-scheduler``: ``Scheduler(cluster)`` wires it to the cluster's informers.

    Public: :meth:`last_decision`, :meth:`explain`, :meth:`why`, :attr:`cache`,
    :attr:`queue`, :attr:`profile`.
    """

    def __init__(self, cluster: Cluster, profile: Profile | None = None) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.cache = SchedulerCache()
        self.claims = cluster.informers.informer("persistentvolumeclaims")
        self.profile = profile or default_profile(
            self.cache, self._default_selector, lambda ns, name: self.claims.get(ns, name)
        )
        self.algorithm = Algorithm(self.profile, self.cache, cluster.rng)
        self.queue = SchedulingQueue(cluster.clock)
        self.decisions: dict[str, Decision] = {}
        self._now_cache: tuple[float, str] = (-1.0, "")
        informers = cluster.informers
        self._owners = {}
        #: id(owner spec.selector) -> (that dict, its Selector, the default selector alone)
        self._parsed_selectors: dict[int, tuple[Any, Selector, Selector]] = {}
        for kind, resource in (
            ("Service", "services"),
            ("ReplicationController", "replicationcontrollers"),
            ("ReplicaSet", "replicasets"),
            ("StatefulSet", "statefulsets"),
        ):
            try:
                self._owners[kind] = informers.informer(resource)
            except StatusError:
                pass  # that API is not served (yet): no default spreading by it
        if "Service" in self._owners:
            self._owners["Service"].add_index(
                "namespace", lambda svc: [svc["metadata"].get("namespace", "")]
            )
        self.pod_informer = informers.informer("pods")
        self.node_informer = informers.informer("nodes")
        self.node_informer.add_handler(
            self._on_node_add, self._on_node_update, self._on_node_delete
        )
        self.pod_informer.add_handler(self._on_pod_add, self._on_pod_update, self._on_pod_delete)
        # VolumeBinding's EventsToRegister: a claim created or bound may let a pod in
        self.claims.add_handler(
            lambda c: self.queue.move_unschedulable(VOLUME_PLUGINS),
            lambda o, c: self.queue.move_unschedulable(VOLUME_PLUGINS),
        )
        cluster.register_queue(self.queue, self._schedule_one)  # type: ignore[arg-type]

    # ---- informer handlers ----------------------------------------------------------------

    def _responsible(self, pod: Obj) -> bool:
        return (pod.get("spec") or {}).get("schedulerName", DEFAULT_SCHEDULER) == self.profile.name

    def _on_node_add(self, node: Obj) -> None:
        self.cache.add_node(node)
        self.queue.move_unschedulable()

    def _on_node_update(self, old: Obj, node: Obj) -> None:
        changed = self.cache.update_node(node)
        plugins = {p for c in changed for p in NODE_CHANGE_PLUGINS.get(c, ())}
        if "added" in changed:
            self.queue.move_unschedulable()
        elif plugins:
            self.queue.move_unschedulable(plugins)

    def _on_node_delete(self, node: Obj) -> None:
        self.cache.remove_node(node["metadata"]["name"])

    def _on_pod_add(self, pod: Obj) -> None:
        if _assigned(pod):
            if not _terminal(pod):
                self.cache.add_pod(pod)
                self.queue.move_unschedulable(ASSIGNED_POD_ADD_PLUGINS)
        elif self._responsible(pod) and not _terminal(pod):
            self.queue.add(_key(pod), pod)

    def _on_pod_update(self, old: Obj, pod: Obj) -> None:
        key = _key(pod)
        if _assigned(pod):
            if key in self.queue:
                self.queue.done(key)
            had = self.cache.pod(key) is not None
            self.cache.update_pod(pod)
            if had and _terminal(pod) and not _terminal(old):
                # Succeeded/Failed pods leave the scheduler's view: their room is free again.
                self.queue.move_unschedulable(ASSIGNED_POD_DELETE_PLUGINS)
            elif not had or (old.get("metadata") or {}).get("labels") != pod["metadata"].get(
                "labels"
            ):
                self.queue.move_unschedulable(ASSIGNED_POD_ADD_PLUGINS)
        elif self._responsible(pod) and not _terminal(pod):
            self.queue.update(key, pod)
        else:
            self.queue.delete(key)

    def _on_pod_delete(self, pod: Obj) -> None:
        key = _key(pod)
        self.queue.delete(key)
        self.decisions.pop(key, None)
        if self.cache.pod(key) is not None:
            self.cache.remove_pod(key)
            self.queue.move_unschedulable(ASSIGNED_POD_DELETE_PLUGINS)

    # ---- default spreading -----------------------------------------------------------------

    def _default_selector(self, pod: PodInfo) -> Selector:
        """``helper.DefaultSelector``: the selectors of the pod's Services and controller."""
        merged: dict[str, str] = {}
        services = self._owners.get("Service")
        if services is not None:
            for svc in services.by_index("namespace", pod.namespace):
                sel = (svc.get("spec") or {}).get("selector")
                if sel is not None and all(pod.labels.get(k) == v for k, v in sel.items()):
                    merged.update(sel)
        selector = selector_from_set(merged)
        for ref in (pod.pod.get("metadata") or {}).get("ownerReferences") or ():
            if not ref.get("controller"):
                continue
            informer = self._owners.get(ref.get("kind", ""))
            owner = informer.get(pod.namespace, ref.get("name", "")) if informer else None
            if owner is None:
                break
            spec = owner.get("spec") or {}
            if ref["kind"] == "ReplicationController":
                merged.update(spec.get("selector") or {})
                selector = selector_from_set(merged)
            else:
                other, alone = self._owner_selector(spec.get("selector"))
                selector = alone if not merged else selector.add(*other.requirements)
            break
        return selector

    def _owner_selector(self, raw: Obj | None) -> tuple[Selector, Selector]:
        """A controller's ``spec.selector`` parsed, and the default selector it makes alone.

        Every replica of a ReplicaSet asks for the same selector: it is parsed once per owner
        object (stored objects are never mutated, and the cache holds the dict it was parsed
        from, so the identity check cannot be fooled by a reused id).
        """
        hit = self._parsed_selectors.get(id(raw))
        if hit is not None and hit[0] is raw:
            return hit[1], hit[2]
        other = selector_from_label_selector(raw)
        alone = EVERYTHING.add(*other.requirements)
        if len(self._parsed_selectors) >= 4096:
            self._parsed_selectors.clear()
        self._parsed_selectors[id(raw)] = (raw, other, alone)
        return other, alone

    # ---- one scheduling cycle ------------------------------------------------------------

    def _now(self) -> str:
        """The clock as RFC 3339, one string per instant (decisions made together share it)."""
        if self._now_cache[0] != self.clock.now:
            self._now_cache = (self.clock.now, self.clock.rfc3339())
        return self._now_cache[1]

    def _schedule_one(self, key: str) -> None:
        qp = self.queue.get(key)
        if qp is None:
            return
        ns, name = key.split("/", 1)
        pod = self.pod_informer.get(ns, name)
        if pod is None or _assigned(pod):
            self.queue.done(key)
            return
        if pod["metadata"].get("deletionTimestamp"):
            self.api.record_event(
                pod, "Warning", "FailedScheduling", f"skip schedule deleting pod: {key}", COMPONENT
            )
            self.queue.done(key)
            return
        qp.attempts += 1
        if qp.initial_attempt is None:
            qp.initial_attempt = self.clock.now
        info = PodInfo(pod)
        try:
            result = self.algorithm.schedule(info)
        except FitError as err:
            d = err.diagnosis
            self._failed(
                qp.key,
                pod,
                err.message(),
                plugins=d.unschedulable_plugins,
                decision=Decision(
                    key,
                    None,
                    None,
                    0,
                    len(self.cache),
                    len(self.cache),
                    0,
                    tuple(sorted(err.reason_counts().items())),
                    err.message(),
                    qp.attempts,
                    self._now(),
                ),
            )
            return
        except NoNodesAvailable as err:
            self._failed(
                qp.key,
                pod,
                str(err),
                plugins=(),
                decision=Decision(
                    key, None, None, 0, 0, 0, 0, (), str(err), qp.attempts, self._now()
                ),
            )
            return
        # assume, then bind (upstream binds asynchronously; here it is the next step)
        self.cache.assume(info, result.node)
        try:
            bound = self.api.bind(ns, name, result.node)
        except StatusError as err:
            self.cache.forget(key)
            self.queue.move_unschedulable(ASSIGNED_POD_DELETE_PLUGINS)
            if err.code == 404:
                self.queue.done(key)
                return
            self._failed(key, pod, err.message, plugins=(), reason="SchedulerError", backoff=True)
            return
        self.queue.done(key)
        self.decisions[key] = Decision(
            key,
            result.node,
            result.score,
            result.feasible,
            result.evaluated,
            len(self.cache),
            result.tied,
            (),
            "",
            qp.attempts,
            self._now(),
        )
        self.api.record_event(
            bound, "Normal", "Scheduled", f"Successfully assigned {key} to {result.node}", COMPONENT
        )

    def _failed(
        self,
        key: str,
        pod: Obj,
        message: str,
        *,
        plugins: Any,
        decision: Decision | None = None,
        reason: str = "Unschedulable",
        backoff: bool = False,
    ) -> None:
        """``handleSchedulingFailure``: event, PodScheduled=False, back into the queue."""
        if decision is not None:
            self.decisions[key] = decision
        if backoff:
            self.queue.add_backoff(key)
        else:
            self.queue.add_unschedulable(key, plugins)
        self.api.record_event(pod, "Warning", "FailedScheduling", _truncate(message), COMPONENT)
        for c in (pod.get("status") or {}).get("conditions") or ():
            if (
                c.get("type") == "PodScheduled"
                and c.get("status") == "False"
                and c.get("reason") == reason
                and c.get("message") == message
            ):
                return  # nothing new to write
        new = jcopy(pod)
        set_condition(
            new, "PodScheduled", "False", now=self.clock.rfc3339(), reason=reason, message=message
        )
        try:
            self.api.update_status(new)
        except StatusError:
            pass  # deleted or changed meanwhile; the informer will tell us

    # ---- asking why ------------------------------------------------------------------------

    def last_decision(self, namespace: str, name: str) -> Decision | None:
        """The latest compact decision for a pod (None if the scheduler never tried it)."""
        return self.decisions.get(f"{namespace}/{name}")

    def _pod(self, pod: Obj | str, namespace: str) -> Obj:
        if isinstance(pod, dict):
            return pod
        ns, _, name = pod.rpartition("/")
        return self.api.get("pods", name, ns or namespace)

    def explain(self, pod: Obj | str, namespace: str = "default") -> pd.DataFrame:
        """Every node x every plugin for ``pod`` (a manifest, ``"web"`` or ``"ns/web"``).

        See :func:`k8snb.scheduler.explain.explain`.
        """
        from k8snb.scheduler.explain import explain

        return explain(self, self._pod(pod, namespace))

    def why(self, pod: Obj | str, namespace: str = "default") -> str:
        """Why the pod went where it went, or why it fits nowhere, in a few sentences."""
        from k8snb.scheduler.explain import why

        return why(self, self._pod(pod, namespace))

    def __repr__(self) -> str:
        q = self.queue.counts()
        return (
            f"<Scheduler {self.profile.name}: {len(self.cache)} nodes, "
            f"{q['active']} active, {q['backoff']} backing off, {q['unschedulable']} unschedulable>"
        )
