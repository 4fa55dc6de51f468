"""Node lifecycle and taint-based eviction.

The node lifecycle controller watches each node's heartbeat (its Lease in ``kube-node-lease``,
renewed by the kubelet every 10 s). When no heartbeat came for the grace period
(``--node-monitor-grace-period``, 50 s since v1.32) it sets the node's conditions to
``Unknown`` ("Kubelet stopped posting node status."), taints it
``node.kubernetes.io/unreachable`` (NoSchedule and NoExecute) and marks its pods not ready.
The taint-eviction controller then deletes pods that do not tolerate a NoExecute taint, or
once their ``tolerationSeconds`` (300 s by default, added at admission) run out.
Sources: ``pkg/controller/nodelifecycle/node_lifecycle_controller.go``,
``pkg/controller/tainteviction/taint_eviction.go``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.api.server import set_condition
from k8snb.clock import parse_time
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["NodeLifecycleController", "GRACE_PERIOD", "MONITOR_PERIOD"]

Obj = dict[str, Any]
GRACE_PERIOD = 50.0
MONITOR_PERIOD = 5.0
UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
COMPONENT = "node-controller"


class NodeLifecycleController:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.nodes = cluster.informers.informer("nodes")
        self.leases = cluster.informers.informer("leases")
        self.pods = cluster.informers.informer("pods")
        self.queue = cluster.new_queue("node-lifecycle", self.reconcile)
        self.eviction_queue = cluster.new_queue("taint-eviction", self.evict_check)
        self._eviction_timers: dict[tuple[str, str], Any] = {}
        self.nodes.add_handler(lambda n: self._node_changed(n), lambda o, n: self._node_changed(n))
        self.pods.add_handler(self._pod_changed, lambda o, n: self._pod_changed(n))
        cluster.clock.call_later(MONITOR_PERIOD, self._monitor, recurring=True)

    # -- health ----------------------------------------------------------------------------------

    def _monitor(self) -> None:
        for node in self.nodes.list():
            self.queue.add(node["metadata"]["name"])
        self.cluster.clock.call_later(MONITOR_PERIOD, self._monitor, recurring=True)

    def reconcile(self, name: str) -> None:
        node = self.nodes.get("", name)
        if node is None:
            return
        lease = self.leases.get("kube-node-lease", name)
        now = self.cluster.clock.now
        if lease is None:
            return
        renewed = parse_time(lease["spec"].get("renewTime", "").replace(".000000Z", "Z")
                             or node["metadata"]["creationTimestamp"])
        ready = next((c for c in node.get("status", {}).get("conditions", [])
                      if c["type"] == "Ready"), None)
        if ready is None:
            return
        stale = now - renewed > GRACE_PERIOD
        if stale and ready["status"] != "Unknown":
            self._mark_unknown(node)
        elif not stale and ready["status"] == "True":
            self._untaint(node, UNREACHABLE)

    def _mark_unknown(self, node: Obj) -> None:
        new = jcopy(node)
        now = self.cluster.clock.rfc3339()
        for cond in new["status"].get("conditions", []):
            cond.update(status="Unknown", reason="NodeStatusUnknown",
                        message="Kubelet stopped posting node status.", lastTransitionTime=now)
        self.api.update_status(new)
        name = node["metadata"]["name"]
        self.api.record_event(node, "Normal", "NodeNotReady",
                              f"Node {name} status is now: NodeNotReady", COMPONENT)
        self._taint(name, UNREACHABLE)
        for pod in list(self.cluster.nodes.pods_on(name)):
            self._mark_pod_not_ready(pod)

    def _mark_pod_not_ready(self, pod: Obj) -> None:
        new = jcopy(pod)
        now = self.cluster.clock.rfc3339()
        set_condition(new, "Ready", "False", now=now)
        for c in new.get("status", {}).get("containerStatuses", []):
            c["ready"] = False
        try:
            self.api.update_status(new)
        except StatusError:
            return
        self.api.record_event(pod, "Warning", "NodeNotReady", "Node is not ready", COMPONENT)

    def _taint(self, name: str, key: str) -> None:
        node = self.api.get("nodes", name)
        taints = node["spec"].setdefault("taints", [])
        now = self.cluster.clock.rfc3339()
        changed = False
        for effect in ("NoSchedule", "NoExecute"):
            if not any(t["key"] == key and t["effect"] == effect for t in taints):
                taint = {"key": key, "effect": effect}
                if effect == "NoExecute":
                    taint["timeAdded"] = now
                taints.append(taint)
                changed = True
        if changed:
            self.api.update(node)

    def _untaint(self, node: Obj, key: str) -> None:
        taints = node["spec"].get("taints") or []
        if not any(t["key"] == key for t in taints):
            return
        new = jcopy(node)
        new["spec"]["taints"] = [t for t in taints if t["key"] != key]
        if not new["spec"]["taints"]:
            del new["spec"]["taints"]
        self.api.update(new)

    def _sync_unschedulable_taint(self, node: Obj) -> None:
        """TaintNodesByCondition: a cordoned node carries ``unschedulable:NoSchedule``."""
        spec = node.get("spec", {})
        taints = spec.get("taints") or []
        has = any(t["key"] == UNSCHEDULABLE for t in taints)
        if bool(spec.get("unschedulable")) == has:
            return
        new = jcopy(node)
        if has:
            new["spec"]["taints"] = [t for t in taints if t["key"] != UNSCHEDULABLE]
            if not new["spec"]["taints"]:
                del new["spec"]["taints"]
        else:
            new["spec"]["taints"] = [*taints, {"key": UNSCHEDULABLE, "effect": "NoSchedule",
                                               "timeAdded": self.cluster.clock.rfc3339()}]
        try:
            self.api.update(new)
        except StatusError:
            self.queue.add(node["metadata"]["name"])

    # -- taint-based eviction ----------------------------------------------------------------------

    def _node_changed(self, node: Obj) -> None:
        self._sync_unschedulable_taint(node)
        if any(t.get("effect") == "NoExecute" for t in node.get("spec", {}).get("taints") or []):
            for pod in self.cluster.nodes.pods_on(node["metadata"]["name"]):
                self.eviction_queue.add((pod["metadata"]["namespace"], pod["metadata"]["name"]))
        else:
            for pod in self.cluster.nodes.pods_on(node["metadata"]["name"]):
                key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
                timer = self._eviction_timers.pop(key, None)
                if timer is not None:
                    timer.cancel()

    def _pod_changed(self, pod: Obj) -> None:
        node = pod["spec"].get("nodeName")
        if not node:
            return
        n = self.nodes.get("", node)
        if n is not None and any(t.get("effect") == "NoExecute"
                                 for t in n.get("spec", {}).get("taints") or []):
            self.eviction_queue.add((pod["metadata"]["namespace"], pod["metadata"]["name"]))

    def evict_check(self, key: tuple[str, str]) -> None:
        from k8snb.api.taints import toleration_tolerates

        pod = self.pods.get(*key)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return
        node = self.nodes.get("", pod["spec"].get("nodeName", ""))
        if node is None:
            return
        taints = [t for t in node.get("spec", {}).get("taints") or []
                  if t.get("effect") == "NoExecute"]
        if not taints:
            return
        tolerations = pod["spec"].get("tolerations") or []
        delay = 0.0
        forever = True
        for taint in taints:
            matching = [t for t in tolerations if toleration_tolerates(t, taint)]
            if not matching:
                self._evict(pod)
                return
            seconds = [t["tolerationSeconds"] for t in matching if "tolerationSeconds" in t]
            if seconds:
                forever = False
                added = parse_time(taint.get("timeAdded") or self.cluster.clock.rfc3339())
                delay = max(delay, added + min(seconds) - self.cluster.clock.now)
        if forever:
            return
        if delay <= 0:
            self._evict(pod)
            return
        if key not in self._eviction_timers:
            def fire() -> None:
                self._eviction_timers.pop(key, None)
                self.eviction_queue.add(key)

            self._eviction_timers[key] = self.cluster.clock.call_later(delay, fire)

    def _evict(self, pod: Obj) -> None:
        ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        self.api.record_event(pod, "Normal", "TaintManagerEviction",
                              f"Marking for deletion Pod {ns}/{name}", "taint-eviction-controller")
        try:
            self.api.delete("pods", name, ns)
        except StatusError:
            pass
