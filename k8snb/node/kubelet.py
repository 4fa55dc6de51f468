"""The kubelet: the node agent that turns Pods bound to its node into running containers.

For each pod the kubelet's sync loop (``syncPod`` upstream) compares the pod's spec with what
the container runtime runs: it creates the pod sandbox (the pause container, which holds the
pod's IP), pulls images, creates and starts containers, restarts them under the pod's
``restartPolicy`` with a back-off of 10 s doubling to 5 min (``CrashLoopBackOff``), and
writes what it sees back as the pod's status (phase, conditions, container states). It also
renews the node's Lease every 10 s: that heartbeat is how the control plane knows the node is
alive. Source: ``pkg/kubelet/kubelet.go``, ``kuberuntime_manager.go``, ``status/generate.go``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.api.server import set_condition
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster
    from k8snb.node.runtime import ContainerRuntime

__all__ = ["Kubelet", "BACKOFF_INITIAL", "BACKOFF_MAX", "LEASE_RENEW_SECONDS"]

Obj = dict[str, Any]
BACKOFF_INITIAL = 10.0
BACKOFF_MAX = 300.0
BACKOFF_RESET = 600.0  # a container that ran 10 min without trouble starts over
LEASE_RENEW_SECONDS = 10.0
STATUS_REPORT_SECONDS = 300.0  # nodeStatusReportFrequency: full status at least every 5 min
COMPONENT = "kubelet"


@dataclass(slots=True)
class ContainerRecord:
    """What the kubelet remembers about one container of a pod."""

    name: str
    image: str
    container_id: str | None = None
    state: str = "waiting"  # waiting | running | terminated
    reason: str = "ContainerCreating"
    message: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int | None = None
    restart_count: int = 0
    last_state: Obj = field(default_factory=dict)
    backoff: float = 0.0  # the next crash back-off; 0 means restart at once
    pulling: bool = False
    pull_blocked: bool = False  # a failed pull waits out its back-off before the next try
    image_backoff: float = 0.0
    image_id: str = ""
    init: bool = False


@dataclass(slots=True)
class PodRecord:
    uid: str
    namespace: str
    name: str
    sandbox_id: str | None = None
    ip: str | None = None
    containers: dict[str, ContainerRecord] = field(default_factory=dict)
    started: float | None = None
    killing: bool = False
    volumes: dict[str, Any] = field(default_factory=dict)


class Kubelet:
    """One node's kubelet with its container runtime."""

    def __init__(self, cluster: Cluster, node_name: str, runtime: ContainerRuntime,
                 node_ip: str, *, static: bool = False) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.node_name = node_name
        self.runtime = runtime
        self.node_ip = node_ip
        self.running = True
        self.pods: dict[str, PodRecord] = {}  # by pod uid
        self._by_name: dict[tuple[str, str], PodRecord] = {}  # the same, by namespace/name
        self._ip_next = 2
        self._net: tuple[str, Any] | None = None  # podCIDR, parsed once
        self._timers: list[Any] = []
        self.queue = cluster.nodes.queue
        self._schedule_heartbeats()

    # -- lifecycle -----------------------------------------------------------------------------

    def _schedule_heartbeats(self) -> None:
        self._timers = [
            self.clock.call_later(LEASE_RENEW_SECONDS, self._renew_lease, recurring=True),
            self.clock.call_later(STATUS_REPORT_SECONDS, self._report_status, recurring=True),
        ]

    def stop(self) -> None:
        """Power off: no more heartbeats; every container and sandbox is gone."""
        if not self.running:
            return
        self.running = False
        for t in self._timers:
            t.cancel()
        pods, self.pods, self._by_name = list(self.pods.values()), {}, {}
        for rec in pods:  # records go first, so exit callbacks of dying containers are ignored
            if rec.sandbox_id is not None:
                self.runtime.remove_pod_sandbox(rec.sandbox_id)

    def start(self) -> None:
        """Power on: renew the lease, mark the node Ready and re-sync every pod bound here."""
        if self.running:
            return
        self.running = True
        self._schedule_heartbeats()
        self._renew_lease(reschedule=False)
        self._report_status(reschedule=False)
        for pod in self.cluster.nodes.pods_on(self.node_name):
            self.queue.add((self.node_name, pod["metadata"]["namespace"], pod["metadata"]["name"]))

    def _renew_lease(self, reschedule: bool = True) -> None:
        if not self.running:
            return
        lease = self.api.store.get("leases", ("kube-node-lease", self.node_name))
        if lease is not None:
            new = jcopy(lease)
            new["spec"]["renewTime"] = _micro(self.clock.rfc3339())
            self.api.store.put("leases", ("kube-node-lease", self.node_name), new)
        if reschedule:
            self._timers[0] = self.clock.call_later(LEASE_RENEW_SECONDS, self._renew_lease,
                                                    recurring=True)

    def _report_status(self, reschedule: bool = True) -> None:
        if not self.running:
            return
        try:
            node = self.api.get("nodes", self.node_name)
        except StatusError:
            return
        now = self.clock.rfc3339()
        for cond in node.get("status", {}).get("conditions", []):
            cond["lastHeartbeatTime"] = now
            if cond["type"] == "Ready" and cond["status"] != "True":
                cond.update(status="True", reason="KubeletReady", lastTransitionTime=now,
                            message="kubelet is posting ready status")
        self.api.update_status(node)
        if reschedule:
            self._timers[1] = self.clock.call_later(STATUS_REPORT_SECONDS, self._report_status,
                                                    recurring=True)

    # -- the sync loop -------------------------------------------------------------------------

    def sync(self, namespace: str, name: str) -> None:
        """Reconcile one pod: the heart of the kubelet (``syncPod``)."""
        if not self.running:
            return
        pod = self.cluster.nodes.pod_informer.get(namespace, name)
        if pod is not None and pod["spec"].get("nodeName") != self.node_name:
            pod = None
        rec = self._by_name.get((namespace, name))
        if pod is None:
            if rec is not None:  # deleted from the API: tear down what is left
                self._teardown(rec)
            return
        if rec is not None and rec.uid != pod["metadata"]["uid"]:
            self._teardown(rec)
            rec = None
        if rec is None:
            if pod.get("status", {}).get("phase") in ("Succeeded", "Failed"):
                return
            rec = PodRecord(pod["metadata"]["uid"], namespace, name)
            self.pods[rec.uid] = self._by_name[(namespace, name)] = rec
        if pod["metadata"].get("deletionTimestamp"):
            self._terminate(pod, rec)
            return
        if pod.get("status", {}).get("phase") in ("Succeeded", "Failed"):
            self._stop_all(rec)
            return
        if rec.sandbox_id is None and not self._create_sandbox(pod, rec):
            return
        self._sync_containers(pod, rec)
        self._write_status(pod, rec)

    def _create_sandbox(self, pod: Obj, rec: PodRecord) -> bool:
        """Mount the volumes and start the pause container; False when a mount failed."""
        from k8snb.node.runtime import RuntimeFailure

        spec = pod["spec"]
        host_network = bool(spec.get("hostNetwork"))
        ip = self.node_ip if host_network else self._allocate_ip()
        hostname = spec.get("hostname") or pod["metadata"]["name"]
        rec.volumes = self.cluster.nodes.volumes.build(pod, self)
        try:
            rec.sandbox_id = self.runtime.run_pod_sandbox(
                rec.uid, rec.name, rec.namespace, hostname, ip,
                bool(spec.get("shareProcessNamespace")), rec.volumes,
                subdomain=spec.get("subdomain"), host_network=host_network)
        except RuntimeFailure as e:
            name = next((v.name for v in rec.volumes.values() if v.kind == "hostPath"), "")
            self._event(pod, "Warning", "FailedMount",
                        f'MountVolume.SetUp failed for volume "{name}" : {e}')
            self._forget(rec)
            self._write_waiting(pod)
            self.queue.add_after((self.node_name, rec.namespace, rec.name), 10.0,
                                 recurring=True)
            return False
        rec.ip = ip
        rec.started = self.clock.now
        for c in spec.get("initContainers") or []:
            rec.containers[c["name"]] = ContainerRecord(c["name"], c["image"], init=True,
                                                        reason="PodInitializing")
        for c in spec["containers"]:
            rec.containers[c["name"]] = ContainerRecord(c["name"], c["image"])
        return True

    def _allocate_ip(self) -> str:
        node = self.cluster.nodes.node_informer.get("", self.node_name)
        cidr = (node or {}).get("spec", {}).get("podCIDR") or "10.244.0.0/24"
        if self._net is None or self._net[0] != cidr:
            self._net = (cidr, ipaddress.ip_network(cidr))
        net = self._net[1]
        used = {r.ip for r in self.pods.values()}
        size = net.num_addresses
        for _ in range(size):
            ip = str(net.network_address + self._ip_next)
            self._ip_next = self._ip_next + 1 if self._ip_next < size - 2 else 2
            if ip not in used:
                return ip
        raise RuntimeError(f"no free pod IP on {self.node_name}")

    def _containers_in_order(self, pod: Obj, rec: PodRecord) -> list[tuple[Obj, ContainerRecord]]:
        """Init containers one at a time until each succeeded, then all app containers."""
        spec = pod["spec"]
        for c in spec.get("initContainers") or []:
            cr = rec.containers[c["name"]]
            if not (cr.state == "terminated" and cr.exit_code == 0):
                return [(c, cr)]
        return [(c, rec.containers[c["name"]]) for c in spec["containers"]]

    def _sync_containers(self, pod: Obj, rec: PodRecord) -> None:
        policy = pod["spec"].get("restartPolicy", "Always")
        for spec, cr in self._containers_in_order(pod, rec):
            if cr.state == "running" or cr.pulling or cr.pull_blocked:
                continue
            if cr.state == "terminated":
                if cr.init:
                    if cr.exit_code == 0 or policy == "Never":
                        continue
                elif policy == "Never" or (policy == "OnFailure" and cr.exit_code == 0):
                    continue
                if cr.reason == "CrashLoopBackOff":
                    continue
                self._restart_later(pod, rec, cr)
                continue
            if cr.reason in ("ImagePullBackOff", "CrashLoopBackOff"):
                continue
            if cr.state == "waiting" and cr.reason in ("ContainerCreating", "PodInitializing",
                                                       "ErrImagePull"):
                self._pull_then_start(pod, rec, spec, cr)

    def _pull_then_start(self, pod: Obj, rec: PodRecord, spec: Obj, cr: ContainerRecord) -> None:
        image = spec["image"]
        policy = spec.get("imagePullPolicy", "IfNotPresent")
        present = self.runtime.has_image(image)
        if policy == "Never" and not present:
            cr.reason = "ErrImageNeverPull"
            cr.message = (f'Container image "{image}" is not present with pull policy of Never')
            self._event(pod, "Warning", "ErrImageNeverPull", cr.message)
            return
        if present and policy != "Always":
            self._event(pod, "Normal", "Pulled",
                        f'Container image "{image}" already present on machine and can be '
                        "accessed by the pod")
            self._start(pod, rec, spec, cr)
            return
        self._event(pod, "Normal", "Pulling", f'Pulling image "{image}"')
        result = self.runtime.pull_image(image)
        cr.pulling = True
        uid = rec.uid

        def done() -> None:
            cr.pulling = False
            if not self.running or self.pods.get(uid) is not rec:
                return
            live = self.cluster.nodes.pod_informer.get(rec.namespace, rec.name)
            if live is None or live["metadata"]["uid"] != uid:
                return
            if live["metadata"].get("deletionTimestamp"):
                self.queue.add((self.node_name, rec.namespace, rec.name))
                return
            if result.ok:
                cr.image_backoff = 0.0
                took = f"{result.duration:.3f}s"
                self._event(live, "Normal", "Pulled",
                            f'Successfully pulled image "{image}" in {took} ({took} including '
                            f"waiting). Image size: {result.size} bytes.")
                self._start(live, rec, spec, cr)
            else:
                self._image_failed(live, rec, cr, image, result.error)
            self._write_status(live, rec)

        # Even a failed pull takes a moment: the registry has to answer first.
        self.clock.call_later(result.duration if result.ok else max(result.duration, 1.0), done)

    def _image_failed(self, pod: Obj, rec: PodRecord, cr: ContainerRecord, image: str,
                      error: str) -> None:
        self._event(pod, "Warning", "Failed", f'Failed to pull image "{image}": {error}')
        self._event(pod, "Warning", "Failed", "Error: ErrImagePull")
        cr.state, cr.reason, cr.message = "waiting", "ErrImagePull", error
        cr.pull_blocked = True
        cr.image_backoff = BACKOFF_INITIAL if not cr.image_backoff else min(
            cr.image_backoff * 2, BACKOFF_MAX)
        delay = cr.image_backoff
        key = (self.node_name, rec.namespace, rec.name)

        def back_off() -> None:
            # After the failed pull the kubelet waits, showing ImagePullBackOff, then retries.
            if cr.reason != "ErrImagePull" or self.pods.get(rec.uid) is not rec:
                return
            cr.reason = "ImagePullBackOff"
            cr.message = f'Back-off pulling image "{image}": ErrImagePull: {error}'
            live = self.cluster.nodes.pod_informer.get(rec.namespace, rec.name)
            if live is not None:
                self._event(live, "Normal", "BackOff", f'Back-off pulling image "{image}"')
                self._event(live, "Warning", "Failed", "Error: ImagePullBackOff")
                self._write_status(live, rec)

            def retry() -> None:
                if cr.reason == "ImagePullBackOff" and self.pods.get(rec.uid) is rec:
                    cr.reason = "ErrImagePull"
                    cr.pull_blocked = False
                    self.queue.add(key)

            self.clock.call_later(delay, retry, recurring=True)

        self.clock.call_later(1.0, back_off)

    def _start(self, pod: Obj, rec: PodRecord, spec: Obj, cr: ContainerRecord) -> None:
        env = self.cluster.nodes.env.resolve(pod, spec, rec)
        if isinstance(env, str):  # a missing ConfigMap/Secret key: the container cannot start
            cr.state, cr.reason, cr.message = "waiting", "CreateContainerConfigError", env
            self._event(pod, "Warning", "Failed", f"Error: {env}")
            return
        mounts = [(m["name"], m["mountPath"], bool(m.get("readOnly")))
                  for m in spec.get("volumeMounts") or []]
        cid = self.runtime.create_container(rec.sandbox_id, spec, env, mounts)
        self._event(pod, "Normal", "Created", f"Created container: {spec['name']}")
        cr.container_id = cid
        image = self.runtime.image(spec["image"])
        cr.image_id = image.id if image is not None else ""
        cr.state, cr.reason, cr.message = "running", "", None
        cr.started_at = self.clock.now
        uid = rec.uid

        def on_exit(code: int, reason: str) -> None:
            if self.pods.get(uid) is not rec or cr.container_id != cid:
                return
            cr.state = "terminated"
            cr.exit_code = code
            cr.reason = reason or ("Completed" if code == 0 else "Error")
            if reason == "StartError":
                cr.message = getattr(self.runtime.container(cid), "message", None)
            cr.finished_at = self.clock.now
            if cr.started_at is not None and self.clock.now - cr.started_at >= BACKOFF_RESET:
                cr.backoff = 0.0
            self.queue.add((self.node_name, rec.namespace, rec.name))

        self.runtime.start_container(cid, on_exit)
        self._event(pod, "Normal", "Started", f"Started container {spec['name']}")

    def _restart_later(self, pod: Obj, rec: PodRecord, cr: ContainerRecord) -> None:
        """CrashLoopBackOff: restart at once the first time, then after 10 s, 20 s, … 5 min."""
        spec = next(c for c in (pod["spec"].get("initContainers") or []) + pod["spec"][
            "containers"] if c["name"] == cr.name)
        cr.last_state = {"terminated": self._terminated_state(cr)}
        if cr.backoff == 0.0:
            cr.backoff = BACKOFF_INITIAL
            cr.restart_count += 1
            cr.state = "waiting"
            cr.reason = "ContainerCreating"
            self._pull_then_start(pod, rec, spec, cr)
            return
        delay = cr.backoff
        cr.backoff = min(cr.backoff * 2, BACKOFF_MAX)
        cr.state = "waiting"
        cr.reason = "CrashLoopBackOff"
        ident = f"{rec.name}_{rec.namespace}({rec.uid})"
        cr.message = f"back-off {_dur(delay)} restarting failed container={cr.name} pod={ident}"
        self._event(pod, "Warning", "BackOff",
                    f"Back-off restarting failed container {cr.name} in pod {ident}")
        key = (self.node_name, rec.namespace, rec.name)

        def restart() -> None:
            if cr.reason != "CrashLoopBackOff" or self.pods.get(rec.uid) is not rec:
                return
            cr.restart_count += 1
            cr.reason = "ContainerCreating"
            self.queue.add(key)

        self.clock.call_later(delay, restart, recurring=True)

    def _terminate(self, pod: Obj, rec: PodRecord) -> None:
        """Graceful deletion: SIGTERM, wait for exit (at most the grace period), then remove."""
        running = [cr for cr in rec.containers.values() if cr.state == "running"]
        if not rec.killing:
            rec.killing = True
            grace = pod["metadata"].get("deletionGracePeriodSeconds", 30) or 0
            for cr in running:
                self._event(pod, "Normal", "Killing", f"Stopping container {cr.name}")
                self.runtime.kill_container(cr.container_id, "TERM")
            if running and grace > 0:
                def kill() -> None:
                    for cr in rec.containers.values():
                        if cr.state == "running" and cr.container_id:
                            self.runtime.kill_container(cr.container_id, "KILL")
                    self.queue.add((self.node_name, rec.namespace, rec.name))

                self.clock.call_later(grace, kill)
                running = [cr for cr in rec.containers.values() if cr.state == "running"]
        if any(cr.state == "running" for cr in rec.containers.values()):
            self._write_status(pod, rec)
            return
        self._teardown(rec)
        try:
            self.api.delete("pods", rec.name, rec.namespace, grace_period_seconds=0)
        except StatusError:
            pass

    def _stop_all(self, rec: PodRecord) -> None:
        for cr in rec.containers.values():
            if cr.state == "running" and cr.container_id:
                self.runtime.kill_container(cr.container_id, "KILL")

    def _forget(self, rec: PodRecord) -> None:
        self.pods.pop(rec.uid, None)
        if self._by_name.get((rec.namespace, rec.name)) is rec:
            del self._by_name[(rec.namespace, rec.name)]

    def _teardown(self, rec: PodRecord) -> None:
        self._forget(rec)
        if rec.sandbox_id is not None:
            self.runtime.remove_pod_sandbox(rec.sandbox_id)
        rec.sandbox_id = None

    # -- status ----------------------------------------------------------------------------------

    def _terminated_state(self, cr: ContainerRecord) -> Obj:
        return {
            "containerID": f"containerd://{cr.container_id}",
            "exitCode": cr.exit_code,
            "finishedAt": self.clock.rfc3339(cr.finished_at or self.clock.now),
            "reason": cr.reason if cr.reason in ("Completed", "Error", "OOMKilled",
                                                 "StartError") else (
                "Completed" if cr.exit_code == 0 else "Error"),
            "startedAt": self.clock.rfc3339(cr.started_at or self.clock.now),
            **({"message": cr.message} if cr.reason == "StartError" and cr.message else {}),
        }

    def _container_status(self, spec: Obj, cr: ContainerRecord) -> Obj:
        if cr.state == "running":
            state: Obj = {"running": {"startedAt": self.clock.rfc3339(cr.started_at)}}
        elif cr.state == "terminated":
            state = {"terminated": self._terminated_state(cr)}
        else:
            waiting: Obj = {"reason": cr.reason}
            if cr.message:
                waiting["message"] = cr.message
            state = {"waiting": waiting}
        status: Obj = {
            "name": cr.name,
            "state": state,
            "lastState": cr.last_state,
            "ready": cr.state == "running" and not cr.init,
            "restartCount": cr.restart_count,
            "image": _normalise(spec["image"]) if cr.image_id else spec["image"],
            "imageID": cr.image_id,
            "started": cr.state == "running",
        }
        if cr.container_id:
            status["containerID"] = f"containerd://{cr.container_id}"
        if cr.init:
            status["ready"] = cr.state == "terminated" and cr.exit_code == 0
            status["started"] = False
        return status

    def _phase(self, pod: Obj, rec: PodRecord) -> str:
        policy = pod["spec"].get("restartPolicy", "Always")
        app = [rec.containers[c["name"]] for c in pod["spec"]["containers"]]
        inits = [rec.containers[c["name"]] for c in pod["spec"].get("initContainers") or []]
        if any(cr.state == "terminated" and cr.exit_code != 0 for cr in inits) and (
                policy == "Never"):
            return "Failed"
        if not all(cr.state == "terminated" and cr.exit_code == 0 for cr in inits):
            return "Pending"
        if any(cr.state == "running" for cr in app):
            return "Running"
        if all(cr.state == "terminated" for cr in app):
            if policy == "Always":
                return "Running"
            if all(cr.exit_code == 0 for cr in app):
                return "Succeeded"
            if policy == "Never":
                return "Failed"
            return "Running"
        if any(cr.restart_count or cr.state == "terminated" for cr in app):
            return "Running"
        return "Pending"

    def _write_status(self, pod: Obj, rec: PodRecord) -> None:
        live = self.cluster.nodes.pod_informer.get(rec.namespace, rec.name)
        if live is None or live["metadata"]["uid"] != rec.uid:
            return
        # Only the status is ours to write: share the rest with the cached object. The status
        # is copied one level (and its conditions, which set_condition edits); what is not
        # rewritten below is deep-copied at the end, so nothing stored is ever shared mutable.
        old = live.get("status") or {}
        status = dict(old)
        conds = old.get("conditions")
        if isinstance(conds, list):
            status["conditions"] = [dict(c) if isinstance(c, dict) else jcopy(c) for c in conds]
        new = {"apiVersion": "v1", "kind": "Pod", "metadata": live["metadata"], "status": status}
        now = self.clock.rfc3339()
        phase = self._phase(live, rec)
        status["phase"] = phase
        status["hostIP"] = self.node_ip
        status["hostIPs"] = [{"ip": self.node_ip}]
        if rec.ip:
            status["podIP"] = rec.ip
            status["podIPs"] = [{"ip": rec.ip}]
        status["startTime"] = status.get("startTime") or self.clock.rfc3339(rec.started)
        spec = live["spec"]
        status["containerStatuses"] = [self._container_status(c, rec.containers[c["name"]])
                                       for c in spec["containers"]]
        if spec.get("initContainers"):
            status["initContainerStatuses"] = [
                self._container_status(c, rec.containers[c["name"]])
                for c in spec["initContainers"]]
        app = [rec.containers[c["name"]] for c in spec["containers"]]
        inits_done = all(rec.containers[c["name"]].state == "terminated"
                         and rec.containers[c["name"]].exit_code == 0
                         for c in spec.get("initContainers") or [])
        terminal = phase in ("Succeeded", "Failed")
        not_ready = [cr.name for cr in app if cr.state != "running"]
        set_condition(new, "PodReadyToStartContainers",
                      "False" if terminal or rec.sandbox_id is None else "True", now=now)
        if inits_done:
            set_condition(new, "Initialized", "True", now=now)
        else:
            pending = [c["name"] for c in spec.get("initContainers") or []
                       if rec.containers[c["name"]].state != "terminated"
                       or rec.containers[c["name"]].exit_code != 0]
            set_condition(new, "Initialized", "False", now=now, reason="ContainersNotInitialized",
                          message=f"containers with incomplete status: [{' '.join(pending)}]")
        if terminal:
            reason = "PodCompleted"
            for t in ("Ready", "ContainersReady"):
                set_condition(new, t, "False", now=now, reason=reason)
        elif not_ready:
            msg = f"containers with unready status: [{' '.join(not_ready)}]"
            set_condition(new, "Ready", "False", now=now, reason="ContainersNotReady",
                          message=msg)
            set_condition(new, "ContainersReady", "False", now=now, reason="ContainersNotReady",
                          message=msg)
        else:
            set_condition(new, "Ready", "True", now=now)
            set_condition(new, "ContainersReady", "True", now=now)
        order = {"PodReadyToStartContainers": 0, "Initialized": 1, "Ready": 2,
                 "ContainersReady": 3, "PodScheduled": 4}
        status["conditions"].sort(key=lambda c: order.get(c["type"], 9))
        for k, v in status.items():
            if v is old.get(k) and isinstance(v, dict | list):
                status[k] = jcopy(v)
        if new.get("status") != live.get("status"):
            try:
                self.api.update_status(new, owned=True)
            except StatusError:
                self.queue.add_after((self.node_name, rec.namespace, rec.name), 1.0)

    def _write_waiting(self, pod: Obj) -> None:
        """Volumes not ready: the containers wait in ContainerCreating (what kubectl shows)."""
        status = jcopy(pod.get("status") or {})
        status["hostIP"] = self.node_ip
        status["hostIPs"] = [{"ip": self.node_ip}]
        status["containerStatuses"] = [
            {"name": c["name"], "image": c["image"], "imageID": "", "ready": False,
             "restartCount": 0, "started": False, "lastState": {},
             "state": {"waiting": {"reason": "ContainerCreating"}}}
            for c in pod["spec"]["containers"]]
        if status != pod.get("status"):
            try:
                self.api.update_status({"apiVersion": "v1", "kind": "Pod",
                                        "metadata": pod["metadata"], "status": status},
                                       owned=True)
            except StatusError:
                pass

    def _event(self, pod: Obj, type_: str, reason: str, message: str) -> None:
        self.api.record_event(pod, type_, reason, message, COMPONENT, host=self.node_name)

    # -- for views and kubectl -------------------------------------------------------------------

    def record_for(self, namespace: str, name: str) -> PodRecord | None:
        return self._by_name.get((namespace, name))


def _dur(seconds: float) -> str:
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    m, s = divmod(s, 60)
    return f"{m}m{s}s" if s else f"{m}m0s"


def _micro(rfc: str) -> str:
    return rfc.replace("Z", ".000000Z")


def _normalise(image: str) -> str:
    """``nginx`` -> ``docker.io/library/nginx:latest`` as containerd reports it."""
    ref = image
    name = ref.split("@")[0]
    first = name.split("/")[0]
    if "/" not in name or ("." not in first and ":" not in first and first != "localhost"):
        ref = ("docker.io/library/" if "/" not in name else "docker.io/") + ref
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in last:
        ref += ":latest"
    return ref
