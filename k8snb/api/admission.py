"""Admission: what kube-apiserver's built-in admission plugins do to a request.

* NamespaceLifecycle: no new objects in a missing or terminating namespace.
* ServiceAccount: pods run as ``default`` unless told otherwise, with the API token mounted
  as the projected volume ``kube-api-access-<5 random>``.
* DefaultTolerationSeconds: every pod tolerates ``not-ready`` and ``unreachable`` for 300 s.
* Priority: ``priority: 0`` when no PriorityClass is named.
* Service IP and NodePort allocation (the service REST strategy's allocators).
* Jobs: the generated selector and pod labels (the Job REST strategy); CronJobs: schedule,
  time zone and policy validation.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from k8snb.api import errors
from k8snb.api.validation import fmt_value, invalid_value

if TYPE_CHECKING:
    from k8snb.api.registry import ResourceInfo
    from k8snb.api.server import APIServer

__all__ = ["Admission", "SERVICE_CIDR", "NODE_PORT_RANGE"]

Obj = dict[str, Any]
SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")  # kubeadm's default
NODE_PORT_RANGE = (30000, 32767)
_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
_CLUSTER_SCOPED_OK = {"Namespace"}


class Admission:
    """Mutating and validating admission plus the Service allocators."""

    def __init__(self, server: APIServer) -> None:
        self.server = server
        self._cluster_ips: set[str] = set()
        self._node_ports: set[int] = set()
        server.store.watch("services", self._on_service)

    def _on_service(self, kind: str, obj: Obj, old: Obj | None) -> None:
        if kind == "DELETED":
            self._cluster_ips.discard(obj.get("spec", {}).get("clusterIP", ""))
            for p in obj.get("spec", {}).get("ports") or []:
                self._node_ports.discard(p.get("nodePort"))

    # -- create ------------------------------------------------------------------------------

    def admit_create(self, obj: Obj, info: ResourceInfo) -> None:
        if info.namespaced:
            self._namespace_lifecycle(obj, info)
        if info.kind == "Pod":
            if "kubernetes.io/config.mirror" not in (obj["metadata"].get("annotations") or {}):
                self._service_account(obj)
            self._default_tolerations(obj["spec"])
            self._priority(obj)
            obj["spec"].setdefault("preemptionPolicy", "PreemptLowerPriority")
        elif info.kind == "Job":
            self._job_selector(obj)
        elif info.kind == "CronJob":
            causes = cronjob_causes(obj)
            if causes:
                raise errors.invalid("CronJob", obj["metadata"].get("name", ""), causes)

    def _job_selector(self, job: Obj) -> None:
        """The Job REST strategy's ``generateSelector`` (``pkg/registry/batch/job/strategy.go``).

        Unless ``manualSelector`` is true, the pods get the labels
        ``batch.kubernetes.io/controller-uid``/``controller-uid`` (the Job's uid, known this
        early as upstream fills system fields before PrepareForCreate) and
        ``batch.kubernetes.io/job-name``/``job-name``, and the selector is exactly
        ``batch.kubernetes.io/controller-uid=<uid>``; a hand-written selector is refused.
        """
        meta, spec = job["metadata"], job.setdefault("spec", {})
        if spec.get("manualSelector"):
            return
        uid = meta["uid"] = self.server.new_uid()
        labels = spec.setdefault("template", {}).setdefault("metadata", {}).setdefault(
            "labels", {})
        for key in ("job-name", "batch.kubernetes.io/job-name"):
            labels.setdefault(key, meta.get("name", ""))
        for key in ("controller-uid", "batch.kubernetes.io/controller-uid"):
            labels.setdefault(key, uid)
        given = spec.get("selector")
        sel = spec.setdefault("selector", {})
        sel.setdefault("matchLabels", {}).setdefault("batch.kubernetes.io/controller-uid", uid)
        if given is not None and sel != {"matchLabels": {
                "batch.kubernetes.io/controller-uid": uid}}:
            raise errors.invalid("Job", meta.get("name", ""), [invalid_value(
                "spec.selector", _go_selector(sel), "`selector` not auto-generated")])

    def _namespace_lifecycle(self, obj: Obj, info: ResourceInfo) -> None:
        ns_name = obj["metadata"]["namespace"]
        ns = self.server.store.get("namespaces", ("", ns_name))
        if ns is None:
            raise errors.not_found("namespaces", ns_name)
        if ns.get("status", {}).get("phase") == "Terminating" and info.kind != "Event":
            raise errors.forbidden(
                f'{info.qualified} "{obj["metadata"].get("name", "")}" is forbidden: unable to '
                f"create new content in namespace {ns_name} because it is being terminated")

    def _service_account(self, pod: Obj) -> None:
        spec = pod["spec"]
        sa_name = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
        spec["serviceAccountName"] = sa_name
        spec["serviceAccount"] = sa_name
        ns = pod["metadata"]["namespace"]
        sa = self.server.store.get("serviceaccounts", (ns, sa_name))
        if sa is None and sa_name != "default":
            raise errors.forbidden(
                f'pods "{pod["metadata"].get("name", "")}" is forbidden: error looking up '
                f'service account {ns}/{sa_name}: serviceaccount "{sa_name}" not found')
        automount = spec.get("automountServiceAccountToken")
        if automount is None and sa is not None:
            automount = sa.get("automountServiceAccountToken")
        if automount is False:
            return
        from k8snb.api.names import generate_name

        vol_name = generate_name("kube-api-access-", self.server.rng)
        spec.setdefault("volumes", []).append({
            "name": vol_name,
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt",
                                   "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                    {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
                        "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
                ],
            },
        })
        for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
            mounts = c.setdefault("volumeMounts", [])
            if not any(m.get("mountPath") == _TOKEN_PATH for m in mounts):
                mounts.append({"name": vol_name, "readOnly": True, "mountPath": _TOKEN_PATH})

    def _priority(self, pod: Obj) -> None:
        """Priority admission: ``priorityClassName`` becomes the numeric ``priority``."""
        spec = pod["spec"]
        name = spec.get("priorityClassName")
        if not name:
            spec.setdefault("priority", 0)
            return
        pc = self.server.store.get("priorityclasses", ("", name))
        if pc is None:
            raise errors.forbidden(f'pods "{pod["metadata"].get("name", "")}" is forbidden: no '
                                   f"PriorityClass with name {name} was found")
        spec["priority"] = pc.get("value", 0)
        if pc.get("preemptionPolicy"):
            spec.setdefault("preemptionPolicy", pc["preemptionPolicy"])

    @staticmethod
    def _default_tolerations(spec: Obj) -> None:
        tolerations = spec.setdefault("tolerations", [])
        for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
            if any(t.get("key") in (key, None, "") and t.get("effect") in ("NoExecute", None, "")
                   and (t.get("key") or t.get("operator") == "Exists") for t in tolerations):
                continue
            tolerations.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                                "tolerationSeconds": 300})

    # -- allocation --------------------------------------------------------------------------

    def allocate(self, obj: Obj, info: ResourceInfo) -> None:
        """Give a new Service its clusterIP and nodePorts (random free values, as upstream)."""
        if info.kind != "Service":
            return
        spec = obj["spec"]
        name = obj["metadata"]["name"]
        if spec["type"] == "ExternalName":
            return
        ip = spec.get("clusterIP")
        if ip in (None, ""):
            ip = self._random_ip()
        elif ip != "None":
            try:
                addr = ipaddress.ip_address(ip)
            except ValueError:
                raise errors.invalid("Service", name, [invalid_value(
                    "spec.clusterIPs[0]", ip, "must be a valid IP address")]) from None
            if addr not in SERVICE_CIDR:
                raise errors.invalid("Service", name, [invalid_value(
                    "spec.clusterIPs[0]", ip,
                    f"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid "
                    f"range. The range of valid IPs is {SERVICE_CIDR}")])
            if ip in self._cluster_ips:
                raise errors.invalid("Service", name, [invalid_value(
                    "spec.clusterIPs", [ip],
                    f"failed to allocate IP {ip}: provided IP is already allocated")])
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]
        if ip != "None":
            self._cluster_ips.add(ip)
        if spec["type"] in ("NodePort", "LoadBalancer"):
            for i, p in enumerate(spec.get("ports") or []):
                port = p.get("nodePort")
                if port is None:
                    p["nodePort"] = self._random_node_port()
                elif port in self._node_ports:
                    raise errors.invalid("Service", name, [invalid_value(
                        f"spec.ports[{i}].nodePort", port,
                        "provided port is already allocated")])
                elif not NODE_PORT_RANGE[0] <= port <= NODE_PORT_RANGE[1]:
                    raise errors.invalid("Service", name, [invalid_value(
                        f"spec.ports[{i}].nodePort", port,
                        f"provided port is not in the valid range. The range of valid ports "
                        f"is {NODE_PORT_RANGE[0]}-{NODE_PORT_RANGE[1]}")])
                self._node_ports.add(p["nodePort"])

    def _random_ip(self) -> str:
        size = SERVICE_CIDR.num_addresses
        static = min(max(16, size // 16), 256)
        base = int(SERVICE_CIDR.network_address)
        while True:  # the upper band is huge; a free address comes at once
            ip = str(ipaddress.ip_address(base + self.server.rng.randrange(static, size - 1)))
            if ip not in self._cluster_ips:
                return ip

    def _random_node_port(self) -> int:
        lo, hi = NODE_PORT_RANGE
        static = min(max(16, (hi - lo + 1) // 32), 128)
        free = [p for p in range(lo + static, hi + 1) if p not in self._node_ports]
        if not free:
            free = [p for p in range(lo, lo + static) if p not in self._node_ports]
        return self.server.rng.choice(free)

    # -- update ------------------------------------------------------------------------------

    def validate_update(self, new: Obj, old: Obj, info: ResourceInfo) -> list[tuple[str, str]]:
        causes: list[tuple[str, str]] = []
        if info.kind == "Pod":
            causes += _pod_update(new, old)
        elif info.kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"):
            if new["spec"].get("selector") != old["spec"].get("selector"):
                causes.append(("spec.selector", f"Invalid value: {fmt_value(str(new['spec'].get('selector')))}: field is immutable"))
        elif info.kind == "Service":
            for f in ("clusterIP",):
                if new["spec"].get(f) in (None, ""):
                    new["spec"][f] = old["spec"].get(f)
                    new["spec"]["clusterIPs"] = old["spec"].get("clusterIPs")
                elif new["spec"].get(f) != old["spec"].get(f):
                    causes.append((f"spec.{f}", f"Invalid value: {fmt_value(new['spec'][f])}: "
                                   "field is immutable"))
            old_ports = {(p.get("port"), p.get("protocol")): p.get("nodePort")
                         for p in old["spec"].get("ports") or []}
            for p in new["spec"].get("ports") or []:
                if p.get("nodePort") is None and old_ports.get((p.get("port"), p.get("protocol"))):
                    p["nodePort"] = old_ports[(p.get("port"), p.get("protocol"))]
        elif info.kind == "Namespace":
            new["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = (
                new["metadata"]["name"])
        elif info.kind == "Job":
            if new["spec"].get("selector") != old["spec"].get("selector"):
                causes.append(("spec.selector", "Invalid value: "
                               f"{_go_selector(new['spec'].get('selector') or {})}: "
                               "field is immutable"))
        elif info.kind == "CronJob":
            causes += cronjob_causes(new)
        return causes


def _go_selector(sel: Obj) -> str:
    """A LabelSelector as Go's ``%v`` prints it in field errors (matchLabels only)."""
    pairs = " ".join(f"{k}:{v}" for k, v in sorted((sel.get("matchLabels") or {}).items()))
    return f"{{MatchLabels:map[{pairs}] MatchExpressions:[]}}"


def cronjob_causes(cj: Obj) -> list[tuple[str, str]]:
    """CronJob validation (``pkg/apis/batch/validation``): the schedule must parse with
    robfig/cron ``ParseStandard`` and may not carry ``TZ=``/``CRON_TZ=`` (use ``timeZone``),
    the time zone must exist, the policy must be known, and the name leave room for the
    ``-<minutes>`` suffix of its Jobs (52 characters)."""
    from k8snb.controllers.cron import CronError, load_location, parse_standard

    causes: list[tuple[str, str]] = []
    meta, spec = cj.get("metadata") or {}, cj.get("spec") or {}
    name = meta.get("name") or ""
    if len(name) > 52:
        causes.append(invalid_value("metadata.name", name, "must be no more than 52 characters"))
    schedule = spec.get("schedule")
    if not schedule:
        causes.append(("spec.schedule", "Required value"))
    else:
        try:
            parse_standard(schedule)
        except CronError as e:
            causes.append(invalid_value("spec.schedule", schedule, str(e)))
        if "TZ" in schedule:
            causes.append(invalid_value("spec.schedule", schedule, "cannot use TZ or CRON_TZ "
                                        "in schedule, use timeZone field instead"))
    tz = spec.get("timeZone")
    if tz is not None:
        if tz == "":
            causes.append(invalid_value("spec.timeZone", tz,
                                        "timeZone must be nil or non-empty string"))
        else:
            try:
                load_location(tz)
            except CronError:
                causes.append(invalid_value("spec.timeZone", tz, f"unknown time zone {tz}"))
    policy = spec.get("concurrencyPolicy")
    if policy not in ("Allow", "Forbid", "Replace"):
        causes.append(("spec.concurrencyPolicy", f"Unsupported value: {fmt_value(policy)}: "
                       'supported values: "Allow", "Forbid", "Replace"'))
    for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit",
                "failedJobsHistoryLimit"):
        v = spec.get(key)
        if isinstance(v, int) and v < 0:
            causes.append(invalid_value(f"spec.{key}", v, "must be greater than or equal to 0"))
    tspec = (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get(
        "spec") or {}
    rp = tspec.get("restartPolicy")
    if rp not in ("OnFailure", "Never"):
        causes.append(("spec.jobTemplate.spec.template.spec.restartPolicy",
                       'Required value: valid values: "OnFailure", "Never"' if rp is None
                       else f"Unsupported value: {fmt_value(rp)}: supported values: "
                       '"OnFailure", "Never"'))
    return causes


_MUTABLE_POD_NOTE = (
    "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
    "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
    "set to 1 if it was previously negative)")


def _pod_update(new: Obj, old: Obj) -> list[tuple[str, str]]:
    def strip(spec: Obj) -> Obj:
        s = {k: v for k, v in spec.items()
             if k not in ("activeDeadlineSeconds", "tolerations", "nodeName", "schedulingGates")}
        for key in ("containers", "initContainers"):
            if key in s:
                s[key] = [{k: v for k, v in c.items() if k != "image"} for c in s[key]]
        return s

    if strip(new.get("spec", {})) != strip(old.get("spec", {})):
        return [("spec", _MUTABLE_POD_NOTE)]
    if old["spec"].get("nodeName") and new["spec"].get("nodeName") != old["spec"]["nodeName"]:
        return [("spec", _MUTABLE_POD_NOTE)]
    old_gates = [g.get("name") for g in old["spec"].get("schedulingGates") or []]
    new_gates = [g.get("name") for g in new["spec"].get("schedulingGates") or []]
    if any(g not in old_gates for g in new_gates):  # gates may only be removed
        return [("spec.schedulingGates", "Forbidden: only deletion is allowed, but found new "
                 "scheduling gate '" + next(g for g in new_gates if g not in old_gates) + "'")]
    return []
