"""Server-side table conversion: the columns ``kubectl get`` prints, per kind.

A port of kubernetes ``pkg/printers/internalversion/printers.go`` (modern, v1.32+)
over objects in manifest form. The API server converts objects to a table and
kubectl only lays it out, so the rules for STATUS, READY, RESTARTS, PORT(S)...
live here::

    headers, rows = table("Pod", pods, now=clock.now)
    # (["NAME", "READY", "STATUS", "RESTARTS", "AGE"], [["web", "1/1", "Running", "0", "5m"]])

Headers come upper-cased as kubectl prints them. ``wide=True`` adds the
priority-1 columns (``-o wide``). :func:`decorate` adds what kubectl itself adds:
the NAMESPACE column (``-A``), ``-L`` label columns and ``--show-labels``.
Kinds with no printer print ``NAME AGE`` (what custom resources show); Role,
ClusterRole and LimitRange print the API server's default ``NAME CREATED AT``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from k8snb.util.duration import age as _age
from k8snb.util.duration import human_duration, parse_time

__all__ = [
    "TableRows",
    "decorate",
    "format_label_selector",
    "format_labels",
    "join_host_port",
    "label_columns",
    "labels_column",
    "node_roles",
    "pod_status",
    "print_bool_ptr",
    "supported_kinds",
    "table",
    "with_kind",
    "with_namespace",
]

TableRows = tuple[list[str], list[list[str]]]

LOAD_BALANCER_WIDTH = 16
LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_LABEL_ROLE = "kubernetes.io/role"


# --------------------------------------------------------------------------- helpers


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _status(obj: dict) -> dict:
    return obj.get("status") or {}


def _name(obj: dict) -> str:
    return str(_meta(obj).get("name", ""))


def _created(obj: dict, now: float) -> str:
    return _age(_meta(obj).get("creationTimestamp"), now)


def _int(value: Any, default: int = 0) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _bool_word(value: bool) -> str:
    """Go's ``fmt.Sprint(bool)``, as a boolean table cell prints."""
    return "true" if value else "false"


def print_bool_ptr(value: Any) -> str:
    """printers.go ``printBoolPtr``: ``True``/``False``/``<unset>``."""
    if value is None:
        return "<unset>"
    return "True" if value else "False"


def format_labels(labels: dict | None) -> str:
    """apimachinery ``labels.FormatLabels``: ``a=b,c=d`` sorted by key, ``<none>`` if empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def _selector_string(selector: dict | None) -> str:
    """``LabelSelectorAsSelector(sel).String()``: requirements sorted by key."""
    if not selector:
        return ""
    reqs: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        reqs.append((key, f"{key}={value}"))
    for expr in selector.get("matchExpressions") or []:
        key = expr.get("key", "")
        op = expr.get("operator", "")
        values = sorted(expr.get("values") or [])
        if op == "In":
            reqs.append((key, f"{key} in ({','.join(values)})"))
        elif op == "NotIn":
            reqs.append((key, f"{key} notin ({','.join(values)})"))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, f"!{key}"))
        else:
            raise ValueError(f"{op!r} is not a valid label selector operator")
    reqs.sort(key=lambda r: r[0])
    return ",".join(text for _, text in reqs)


def format_label_selector(selector: dict | None) -> str:
    """metav1 ``FormatLabelSelector``: the selector string, ``<none>`` if empty."""
    try:
        text = _selector_string(selector)
    except ValueError:
        return "<error>"
    return text or "<none>"


def _layout_container_cells(containers: Sequence[dict] | None) -> tuple[str, str]:
    containers = containers or []
    names = ",".join(str(c.get("name", "")) for c in containers)
    images = ",".join(str(c.get("image", "")) for c in containers)
    return names, images


def _template_containers(template: dict | None) -> list[dict]:
    return ((template or {}).get("spec") or {}).get("containers") or []


def join_host_port(host: str, port: Any) -> str:
    """Go ``net.JoinHostPort``: brackets around IPv6 hosts."""
    if ":" in host:
        return f"[{host}]:{port}"
    return f"{host}:{port}"


def _rfc3339_utc(timestamp: str | None) -> str:
    t = parse_time(timestamp)
    if t is None:
        return "0001-01-01T00:00:00Z"
    return datetime.fromtimestamp(int(t // 1), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _has_condition(conditions: Iterable[dict] | None, type_: str) -> bool:
    """printers.go ``hasJobCondition``: the first condition of the type decides."""
    for c in conditions or []:
        if c.get("type") == type_:
            return c.get("status") == "True"
    return False


# --------------------------------------------------------------------------- pods


def _is_restartable_init(container: dict | None) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


def _terminated_at(status: dict) -> float | None:
    term = (status.get("lastState") or {}).get("terminated")
    if term is None:
        return None
    return parse_time(term.get("finishedAt"))


def _later(a: float | None, b: float | None) -> float | None:
    if b is None:
        return a
    if a is None or a < b:
        return b
    return a


def pod_status(pod: dict, now: float) -> tuple[str, str, str]:
    """READY, STATUS and RESTARTS of ``kubectl get pods`` (printers.go ``printPod``).

    >>> pod_status({"spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Pending"}}, 0)
    ('0/1', 'Pending', '0')
    """
    spec = _spec(pod)
    status = _status(pod)
    restarts = 0
    restartable_init_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart: float | None = None
    last_restartable_init_restart: float | None = None

    phase = status.get("phase", "") or ""
    reason = status.get("reason") or phase

    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs: dict[str, dict] = {}
    for c in spec.get("initContainers") or []:
        init_specs[c.get("name", "")] = c
        if _is_restartable_init(c):
            total += 1

    initializing = False
    n_init = len(spec.get("initContainers") or [])
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += _int(cs.get("restartCount"))
        last_restart = _later(last_restart, _terminated_at(cs))
        sidecar = _is_restartable_init(init_specs.get(cs.get("name", "")))
        if sidecar:
            restartable_init_restarts += _int(cs.get("restartCount"))
            last_restartable_init_restart = _later(
                last_restartable_init_restart, _terminated_at(cs)
            )
        state = cs.get("state") or {}
        terminated = state.get("terminated")
        waiting = state.get("waiting")
        if terminated is not None and _int(terminated.get("exitCode")) == 0:
            continue
        if sidecar and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if not terminated.get("reason"):
                if _int(terminated.get("signal")) != 0:
                    reason = f"Init:Signal:{_int(terminated.get('signal'))}"
                else:
                    reason = f"Init:ExitCode:{_int(terminated.get('exitCode'))}"
            else:
                reason = "Init:" + terminated["reason"]
            initializing = True
        elif (
            waiting is not None
            and waiting.get("reason")
            and waiting.get("reason") != "PodInitializing"
        ):
            reason = "Init:" + waiting["reason"]
            initializing = True
        else:
            reason = f"Init:{i}/{n_init}"
            initializing = True
        break

    if not initializing or _has_condition(status.get("conditions"), "Initialized"):
        restarts = restartable_init_restarts
        last_restart = last_restartable_init_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += _int(cs.get("restartCount"))
            last_restart = _later(last_restart, _terminated_at(cs))
            state = cs.get("state") or {}
            waiting = state.get("waiting")
            terminated = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if _int(terminated.get("signal")) != 0:
                    reason = f"Signal:{_int(terminated.get('signal'))}"
                else:
                    reason = f"ExitCode:{_int(terminated.get('exitCode'))}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        # a pod whose last container completed while another still runs is not Completed
        if reason == "Completed" and has_running:
            reason = "Running" if _has_condition(status.get("conditions"), "Ready") else "NotReady"

    deleting = _meta(pod).get("deletionTimestamp") is not None
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_str = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_str = f"{restarts} ({human_duration(now - last_restart)} ago)"
    return f"{ready}/{total}", reason, restarts_str


def _print_pod(pod: dict, now: float, wide: bool) -> list[str]:
    ready, reason, restarts = pod_status(pod, now)
    row = [_name(pod), ready, reason, restarts, _created(pod, now)]
    spec, status = _spec(pod), _status(pod)
    pod_ips = status.get("podIPs") or []
    pod_ip = (pod_ips[0] or {}).get("ip", "") if pod_ips else ""
    gates = spec.get("readinessGates") or []
    readiness = "<none>"
    if gates:
        true_conditions = 0
        for gate in gates:
            for cond in status.get("conditions") or []:
                if cond.get("type") == gate.get("conditionType"):
                    if cond.get("status") == "True":
                        true_conditions += 1
                    break
        readiness = f"{true_conditions}/{len(gates)}"
    row += [
        pod_ip or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        readiness,
    ]
    return row


# --------------------------------------------------------------------------- nodes


def node_roles(node: dict) -> list[str]:
    """printers.go ``findNodeRoles``: roles from ``node-role.kubernetes.io/<role>`` and ``kubernetes.io/role`` labels, sorted."""
    roles: set[str] = set()
    for key, value in (_meta(node).get("labels") or {}).items():
        if key.startswith(LABEL_NODE_ROLE_PREFIX):
            role = key[len(LABEL_NODE_ROLE_PREFIX) :]
            if role:
                roles.add(role)
        elif key == NODE_LABEL_ROLE and value:
            roles.add(value)
    return sorted(roles)


def _node_address(node: dict, type_: str) -> str:
    for addr in _status(node).get("addresses") or []:
        if addr.get("type") == type_:
            return str(addr.get("address", ""))
    return "<none>"


def _print_node(node: dict, now: float, wide: bool) -> list[str]:
    status_parts: list[str] = []
    conditions = {c.get("type"): c for c in _status(node).get("conditions") or []}
    if "Ready" in conditions:
        status_parts.append("Ready" if conditions["Ready"].get("status") == "True" else "NotReady")
    if not status_parts:
        status_parts.append("Unknown")
    if _spec(node).get("unschedulable"):
        status_parts.append("SchedulingDisabled")
    roles = ",".join(node_roles(node)) or "<none>"
    info = _status(node).get("nodeInfo") or {}
    row = [
        _name(node),
        ",".join(status_parts),
        roles,
        _created(node, now),
        str(info.get("kubeletVersion", "")),
    ]
    row += [
        _node_address(node, "InternalIP"),
        _node_address(node, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]
    return row


# --------------------------------------------------------------------------- services


def _lb_status_string(lb: dict | None, wide: bool) -> str:
    result = set()
    for ing in (lb or {}).get("ingress") or []:
        if ing.get("ip"):
            result.add(ing["ip"])
        elif ing.get("hostname"):
            result.add(ing["hostname"])
    text = ",".join(sorted(result))
    if not wide and len(text) > LOAD_BALANCER_WIDTH:
        text = text[: LOAD_BALANCER_WIDTH - 3] + "..."
    return text


def _service_external_ip(svc: dict, wide: bool) -> str:
    spec = _spec(svc)
    type_ = spec.get("type") or "ClusterIP"
    external_ips = spec.get("externalIPs") or []
    if type_ in ("ClusterIP", "NodePort"):
        return ",".join(external_ips) if external_ips else "<none>"
    if type_ == "LoadBalancer":
        lb_ips = _lb_status_string(_status(svc).get("loadBalancer"), wide)
        if external_ips:
            results = lb_ips.split(",") if lb_ips else []
            return ",".join([*results, *external_ips])
        return lb_ips or "<pending>"
    if type_ == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<unknown>"


def _port_string(ports: Sequence[dict] | None) -> str:
    pieces = []
    for p in ports or []:
        proto = p.get("protocol") or "TCP"
        if _int(p.get("nodePort")) > 0:
            pieces.append(f"{p.get('port')}:{p.get('nodePort')}/{proto}")
        else:
            pieces.append(f"{p.get('port')}/{proto}")
    return ",".join(pieces)


def _print_service(svc: dict, now: float, wide: bool) -> list[str]:
    spec = _spec(svc)
    # printers.go reads clusterIPs[0]; fall back to clusterIP for objects written before
    # the API server filled clusterIPs (the API server sets both).
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    internal_ip = cluster_ips[0] if cluster_ips else "<none>"
    ports = _port_string(spec.get("ports")) or "<none>"
    return [
        _name(svc),
        spec.get("type") or "ClusterIP",
        internal_ip,
        _service_external_ip(svc, wide),
        ports,
        _created(svc, now),
        format_labels(spec.get("selector")),
    ]


def _format_endpoints(ep: dict) -> str:
    subsets = ep.get("subsets") or []
    if not subsets:
        return "<none>"
    out: list[str] = []
    limit, more, count = 3, False, 0
    for ss in subsets:
        addresses = ss.get("addresses") or []
        ports = ss.get("ports") or []
        if not ports:
            count += len(addresses)
            for addr in addresses:
                if len(out) == limit:
                    more = True
                    break
                out.append(str(addr.get("ip", "")))
            continue
        for port in ports:
            count += len(addresses)
            for addr in addresses:
                if len(out) == limit:
                    more = True
                    break
                out.append(join_host_port(str(addr.get("ip", "")), port.get("port")))
    text = ",".join(out)
    if more:
        return f"{text} + {count - limit} more..."
    return text


def _print_endpoints(ep: dict, now: float, wide: bool) -> list[str]:
    return [_name(ep), _format_endpoints(ep), _created(ep, now)]


def _list_with_more(items: list[str], more: bool, count: int, limit: int) -> str:
    text = ",".join(items)
    if more:
        return f"{text} + {count - limit} more..."
    return text or "<unset>"


def _print_endpoint_slice(eps: dict, now: float, wide: bool) -> list[str]:
    ports: list[str] = []
    limit, more, count = 3, False, 0
    for port in eps.get("ports") or []:
        if len(ports) < limit:
            if port.get("port") is not None:
                ports.append(str(port["port"]))
            elif port.get("name") is not None:
                ports.append(str(port["name"]))
            else:
                ports.append("*")
        elif len(ports) == limit:
            more = True
        count += 1
    ports_text = _list_with_more(ports, more, count, limit)
    addrs: list[str] = []
    amore, acount = False, 0
    for endpoint in eps.get("endpoints") or []:
        for address in endpoint.get("addresses") or []:
            if len(addrs) < limit:
                addrs.append(str(address))
            elif len(addrs) == limit:
                amore = True
            acount += 1
    return [
        _name(eps),
        str(eps.get("addressType", "")),
        ports_text,
        _list_with_more(addrs, amore, acount, limit),
        _created(eps, now),
    ]


def _print_ingress(ing: dict, now: float, wide: bool) -> list[str]:
    spec = _spec(ing)
    rules = spec.get("rules") or []
    hosts: list[str] = []
    limit, more = 3, False
    for rule in rules:
        if len(hosts) == limit:
            more = True
        if not more and rule.get("host"):
            hosts.append(rule["host"])
    if not hosts:
        hosts_text = "*"
    else:
        hosts_text = ",".join(hosts)
        if more:
            hosts_text = f"{hosts_text} + {len(rules) - limit} more..."
    ports = "80, 443" if spec.get("tls") else "80"
    class_name = spec.get("ingressClassName")
    return [
        _name(ing),
        class_name if class_name is not None else "<none>",
        hosts_text,
        _lb_status_string(_status(ing).get("loadBalancer"), wide),
        ports,
        _created(ing, now),
    ]


def _print_ingress_class(ic: dict, now: float, wide: bool) -> list[str]:
    spec = _spec(ic)
    params = spec.get("parameters")
    parameters = "<none>"
    if params:
        parameters = str(params.get("kind", ""))
        if params.get("apiGroup") is not None:
            parameters += "." + str(params["apiGroup"])
        parameters += "/" + str(params.get("name", ""))
    return [_name(ic), str(spec.get("controller", "")), parameters, _created(ic, now)]


# --------------------------------------------------------------------------- workloads


def _print_deployment(d: dict, now: float, wide: bool) -> list[str]:
    spec, status = _spec(d), _status(d)
    try:
        selector = _selector_string(spec.get("selector"))
    except ValueError:
        selector = "<invalid>"
    names, images = _layout_container_cells(_template_containers(spec.get("template")))
    return [
        _name(d),
        f"{_int(status.get('readyReplicas'))}/{_int(spec.get('replicas'), 1)}",
        str(_int(status.get("updatedReplicas"))),
        str(_int(status.get("availableReplicas"))),
        _created(d, now),
        names,
        images,
        selector,
    ]


def _print_replica_set(rs: dict, now: float, wide: bool) -> list[str]:
    spec, status = _spec(rs), _status(rs)
    names, images = _layout_container_cells(_template_containers(spec.get("template")))
    selector = spec.get("selector")
    if rs.get("kind") == "ReplicationController":
        selector_text = format_labels(selector)
    else:
        selector_text = format_label_selector(selector)
    return [
        _name(rs),
        str(_int(spec.get("replicas"), 1)),
        str(_int(status.get("replicas"))),
        str(_int(status.get("readyReplicas"))),
        _created(rs, now),
        names,
        images,
        selector_text,
    ]


def _print_stateful_set(sts: dict, now: float, wide: bool) -> list[str]:
    spec, status = _spec(sts), _status(sts)
    names, images = _layout_container_cells(_template_containers(spec.get("template")))
    return [
        _name(sts),
        f"{_int(status.get('readyReplicas'))}/{_int(spec.get('replicas'), 1)}",
        _created(sts, now),
        names,
        images,
    ]


def _print_daemon_set(ds: dict, now: float, wide: bool) -> list[str]:
    spec, status = _spec(ds), _status(ds)
    template = spec.get("template") or {}
    names, images = _layout_container_cells(_template_containers(template))
    return [
        _name(ds),
        str(_int(status.get("desiredNumberScheduled"))),
        str(_int(status.get("currentNumberScheduled"))),
        str(_int(status.get("numberReady"))),
        str(_int(status.get("updatedNumberScheduled"))),
        str(_int(status.get("numberAvailable"))),
        format_labels((template.get("spec") or {}).get("nodeSelector")),
        _created(ds, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _print_job(job: dict, now: float, wide: bool) -> list[str]:
    spec, status = _spec(job), _status(job)
    succeeded = _int(status.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{_int(spec['completions'])}"
    else:
        parallelism = _int(spec.get("parallelism"))
        completions = f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"
    start = parse_time(status.get("startTime"))
    done = parse_time(status.get("completionTime"))
    if start is None:
        duration = ""
    elif done is None:
        duration = human_duration(now - start)
    else:
        duration = human_duration(done - start)
    conditions = status.get("conditions")
    if _has_condition(conditions, "Complete"):
        state = "Complete"
    elif _has_condition(conditions, "Failed"):
        state = "Failed"
    elif _meta(job).get("deletionTimestamp") is not None:
        state = "Terminating"
    elif _has_condition(conditions, "Suspended"):
        state = "Suspended"
    elif _has_condition(conditions, "FailureTarget"):
        state = "FailureTarget"
    else:
        state = "Running"
    names, images = _layout_container_cells(_template_containers(spec.get("template")))
    return [
        _name(job),
        state,
        completions,
        duration,
        _created(job, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _print_cron_job(cj: dict, now: float, wide: bool) -> list[str]:
    spec, status = _spec(cj), _status(cj)
    last = status.get("lastScheduleTime")
    job_spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    names, images = _layout_container_cells(_template_containers(job_spec.get("template")))
    tz = spec.get("timeZone")
    return [
        _name(cj),
        str(spec.get("schedule", "")),
        tz if tz is not None else "<none>",
        print_bool_ptr(spec.get("suspend")),
        str(len(status.get("active") or [])),
        _age(last, now) if last is not None else "<none>",
        _created(cj, now),
        names,
        images,
        format_label_selector(job_spec.get("selector")),
    ]


# --------------------------------------------------------------------------- storage


_ACCESS_MODE_SHORT = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes_string(modes: Iterable[str] | None) -> str:
    """``GetAccessModesAsString``: ``RWO,ROX,RWX,RWOP`` in that fixed order."""
    present = set(modes or [])
    return ",".join(short for long, short in _ACCESS_MODE_SHORT if long in present)


def _pv_class(pv: dict) -> str:
    ann = _meta(pv).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in ann:
        return ann["volume.beta.kubernetes.io/storage-class"]
    return str(_spec(pv).get("storageClassName") or "")


def _print_pv(pv: dict, now: float, wide: bool) -> list[str]:
    spec, status = _spec(pv), _status(pv)
    claim = spec.get("claimRef")
    claim_text = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    phase = status.get("phase", "")
    if _meta(pv).get("deletionTimestamp") is not None:
        phase = "Terminating"
    vac = spec.get("volumeAttributesClassName")
    mode = spec.get("volumeMode")
    return [
        _name(pv),
        str((spec.get("capacity") or {}).get("storage", "0")),
        access_modes_string(spec.get("accessModes")),
        str(spec.get("persistentVolumeReclaimPolicy", "")),
        str(phase),
        claim_text,
        _pv_class(pv),
        vac if vac is not None else "<unset>",
        str(status.get("reason", "")),
        _created(pv, now),
        mode if mode is not None else "<unset>",
    ]


def _print_pvc(pvc: dict, now: float, wide: bool) -> list[str]:
    spec, status = _spec(pvc), _status(pvc)
    phase = status.get("phase", "")
    if _meta(pvc).get("deletionTimestamp") is not None:
        phase = "Terminating"
    capacity = access = ""
    if spec.get("volumeName"):
        access = access_modes_string(status.get("accessModes"))
        capacity = str((status.get("capacity") or {}).get("storage", "0"))
    vac = spec.get("volumeAttributesClassName")
    mode = spec.get("volumeMode")
    return [
        _name(pvc),
        str(phase),
        str(spec.get("volumeName", "")),
        capacity,
        access,
        _pv_class(pvc),
        vac if vac is not None else "<unset>",
        _created(pvc, now),
        mode if mode is not None else "<unset>",
    ]


def _is_default_class(obj: dict) -> bool:
    ann = _meta(obj).get("annotations") or {}
    return (
        ann.get("storageclass.kubernetes.io/is-default-class") == "true"
        or ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true"
    )


def _print_storage_class(sc: dict, now: float, wide: bool) -> list[str]:
    name = _name(sc) + (" (default)" if _is_default_class(sc) else "")
    return [
        name,
        str(sc.get("provisioner", "")),
        sc.get("reclaimPolicy") or "Delete",
        sc.get("volumeBindingMode") or "Immediate",
        _bool_word(bool(sc.get("allowVolumeExpansion"))),
        _created(sc, now),
    ]


# --------------------------------------------------------------------------- config, rbac, misc


def _print_config_map(cm: dict, now: float, wide: bool) -> list[str]:
    data = len(cm.get("data") or {}) + len(cm.get("binaryData") or {})
    return [_name(cm), str(data), _created(cm, now)]


def _print_secret(secret: dict, now: float, wide: bool) -> list[str]:
    return [
        _name(secret),
        str(secret.get("type") or "Opaque"),
        str(len(secret.get("data") or {})),
        _created(secret, now),
    ]


def _print_service_account(sa: dict, now: float, wide: bool) -> list[str]:
    return [_name(sa), str(len(sa.get("secrets") or [])), _created(sa, now)]


def _print_namespace(ns: dict, now: float, wide: bool) -> list[str]:
    return [_name(ns), str(_status(ns).get("phase", "")), _created(ns, now)]


def _subjects_strings(subjects: Iterable[dict] | None) -> tuple[str, str, str]:
    users, groups, sas = [], [], []
    for s in subjects or []:
        kind = s.get("kind")
        if kind == "User":
            users.append(str(s.get("name", "")))
        elif kind == "Group":
            groups.append(str(s.get("name", "")))
        elif kind == "ServiceAccount":
            sas.append(f"{s.get('namespace', '')}/{s.get('name', '')}")
    return ", ".join(users), ", ".join(groups), ", ".join(sas)


def _print_binding(rb: dict, now: float, wide: bool) -> list[str]:
    ref = rb.get("roleRef") or {}
    users, groups, sas = _subjects_strings(rb.get("subjects"))
    return [
        _name(rb),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        _created(rb, now),
        users,
        groups,
        sas,
    ]


def _print_created_at(obj: dict, now: float, wide: bool) -> list[str]:
    return [_name(obj), _rfc3339_utc(_meta(obj).get("creationTimestamp"))]


def _print_default(obj: dict, now: float, wide: bool) -> list[str]:
    return [_name(obj), _created(obj, now)]


def _print_lease(lease: dict, now: float, wide: bool) -> list[str]:
    holder = _spec(lease).get("holderIdentity")
    return [_name(lease), holder if holder is not None else "", _created(lease, now)]


def _event_source(event: dict) -> str:
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingController") or ""
    host = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {host}" if host else component


def _print_event(ev: dict, now: float, wide: bool) -> list[str]:
    first_ts = ev.get("firstTimestamp")
    first = _age(first_ts, now) if first_ts else _age(ev.get("eventTime"), now)
    last_ts = ev.get("lastTimestamp")
    last = _age(last_ts, now) if last_ts else first
    count = _int(ev.get("count"))
    series = ev.get("series")
    if series is not None:
        last = _age(series.get("lastObservedTime"), now)
        count = _int(series.get("count"))
    elif count == 0:
        count = 1
    involved = ev.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    return [
        last,
        str(ev.get("type", "")),
        str(ev.get("reason", "")),
        target,
        str(involved.get("fieldPath", "")),
        _event_source(ev),
        str(ev.get("message", "")).strip(),
        first,
        str(count),
        _name(ev),
    ]


def _print_network_policy(np_: dict, now: float, wide: bool) -> list[str]:
    return [
        _name(np_),
        format_label_selector(_spec(np_).get("podSelector") or {}),
        _created(np_, now),
    ]


def _int_or_string(value: Any) -> str:
    return "N/A" if value is None else str(value)


def _print_pdb(pdb: dict, now: float, wide: bool) -> list[str]:
    spec = _spec(pdb)
    return [
        _name(pdb),
        _int_or_string(spec.get("minAvailable")),
        _int_or_string(spec.get("maxUnavailable")),
        str(_int(_status(pdb).get("disruptionsAllowed"))),
        _created(pdb, now),
    ]


def _print_priority_class(pc: dict, now: float, wide: bool) -> list[str]:
    return [
        _name(pc),
        str(_int(pc.get("value"))),
        _bool_word(bool(pc.get("globalDefault"))),
        _created(pc, now),
        str(pc.get("preemptionPolicy") or ""),
    ]


def _print_controller_revision(cr: dict, now: float, wide: bool) -> list[str]:
    controller = "<none>"
    for ref in _meta(cr).get("ownerReferences") or []:
        if ref.get("controller"):
            api_version = str(ref.get("apiVersion", ""))
            group = api_version.split("/", 1)[0] if "/" in api_version else ""
            kind = str(ref.get("kind", ""))
            qualified = f"{kind}.{group}" if group else kind
            controller = (
                f"{qualified.lower()}/{ref.get('name', '')}" if kind else str(ref.get("name", ""))
            )
            break
    return [_name(cr), controller, str(_int(cr.get("revision"))), _created(cr, now)]


def _print_resource_quota(rq: dict, now: float, wide: bool) -> list[str]:
    status = _status(rq)
    hard = status.get("hard") or {}
    used = status.get("used") or {}
    requests, limits = [], []
    for res in sorted(hard):
        text = f"{res}: {used.get(res, '0')}/{hard[res]}"
        (limits if res.split(".")[0] == "limits" and "." in res else requests).append(text)
    return [_name(rq), ", ".join(requests), ", ".join(limits), _created(rq, now)]


def _print_pod_template(pt: dict, now: float, wide: bool) -> list[str]:
    template = pt.get("template") or {}
    names, images = _layout_container_cells(_template_containers(template))
    return [_name(pt), names, images, format_labels((template.get("metadata") or {}).get("labels"))]


# --------------------------------------------------------------------------- registry

# (header, priority); priority 1 columns appear with -o wide only.
_Columns = list[tuple[str, int]]
_Printer = Callable[[dict, float, bool], list[str]]

_WORKLOAD_WIDE: _Columns = [("CONTAINERS", 1), ("IMAGES", 1), ("SELECTOR", 1)]
_RS_COLUMNS: _Columns = [
    ("NAME", 0),
    ("DESIRED", 0),
    ("CURRENT", 0),
    ("READY", 0),
    ("AGE", 0),
    *_WORKLOAD_WIDE,
]
_BINDING_COLUMNS: _Columns = [
    ("NAME", 0),
    ("ROLE", 0),
    ("AGE", 0),
    ("USERS", 1),
    ("GROUPS", 1),
    ("SERVICEACCOUNTS", 1),
]
_CREATED_AT: _Columns = [("NAME", 0), ("CREATED AT", 0)]

_PRINTERS: dict[str, tuple[_Columns, _Printer]] = {
    "Pod": (
        [
            ("NAME", 0),
            ("READY", 0),
            ("STATUS", 0),
            ("RESTARTS", 0),
            ("AGE", 0),
            ("IP", 1),
            ("NODE", 1),
            ("NOMINATED NODE", 1),
            ("READINESS GATES", 1),
        ],
        _print_pod,
    ),
    "Node": (
        [
            ("NAME", 0),
            ("STATUS", 0),
            ("ROLES", 0),
            ("AGE", 0),
            ("VERSION", 0),
            ("INTERNAL-IP", 1),
            ("EXTERNAL-IP", 1),
            ("OS-IMAGE", 1),
            ("KERNEL-VERSION", 1),
            ("CONTAINER-RUNTIME", 1),
        ],
        _print_node,
    ),
    "Namespace": ([("NAME", 0), ("STATUS", 0), ("AGE", 0)], _print_namespace),
    "Service": (
        [
            ("NAME", 0),
            ("TYPE", 0),
            ("CLUSTER-IP", 0),
            ("EXTERNAL-IP", 0),
            ("PORT(S)", 0),
            ("AGE", 0),
            ("SELECTOR", 1),
        ],
        _print_service,
    ),
    "Endpoints": ([("NAME", 0), ("ENDPOINTS", 0), ("AGE", 0)], _print_endpoints),
    "EndpointSlice": (
        [("NAME", 0), ("ADDRESSTYPE", 0), ("PORTS", 0), ("ENDPOINTS", 0), ("AGE", 0)],
        _print_endpoint_slice,
    ),
    "Deployment": (
        [
            ("NAME", 0),
            ("READY", 0),
            ("UP-TO-DATE", 0),
            ("AVAILABLE", 0),
            ("AGE", 0),
            *_WORKLOAD_WIDE,
        ],
        _print_deployment,
    ),
    "ReplicaSet": (_RS_COLUMNS, _print_replica_set),
    "ReplicationController": (_RS_COLUMNS, _print_replica_set),
    "StatefulSet": (
        [("NAME", 0), ("READY", 0), ("AGE", 0), ("CONTAINERS", 1), ("IMAGES", 1)],
        _print_stateful_set,
    ),
    "DaemonSet": (
        [
            ("NAME", 0),
            ("DESIRED", 0),
            ("CURRENT", 0),
            ("READY", 0),
            ("UP-TO-DATE", 0),
            ("AVAILABLE", 0),
            ("NODE SELECTOR", 0),
            ("AGE", 0),
            *_WORKLOAD_WIDE,
        ],
        _print_daemon_set,
    ),
    "Job": (
        [
            ("NAME", 0),
            ("STATUS", 0),
            ("COMPLETIONS", 0),
            ("DURATION", 0),
            ("AGE", 0),
            *_WORKLOAD_WIDE,
        ],
        _print_job,
    ),
    "CronJob": (
        [
            ("NAME", 0),
            ("SCHEDULE", 0),
            ("TIMEZONE", 0),
            ("SUSPEND", 0),
            ("ACTIVE", 0),
            ("LAST SCHEDULE", 0),
            ("AGE", 0),
            *_WORKLOAD_WIDE,
        ],
        _print_cron_job,
    ),
    "Ingress": (
        [("NAME", 0), ("CLASS", 0), ("HOSTS", 0), ("ADDRESS", 0), ("PORTS", 0), ("AGE", 0)],
        _print_ingress,
    ),
    "IngressClass": (
        [("NAME", 0), ("CONTROLLER", 0), ("PARAMETERS", 0), ("AGE", 0)],
        _print_ingress_class,
    ),
    "PersistentVolume": (
        [
            ("NAME", 0),
            ("CAPACITY", 0),
            ("ACCESS MODES", 0),
            ("RECLAIM POLICY", 0),
            ("STATUS", 0),
            ("CLAIM", 0),
            ("STORAGECLASS", 0),
            ("VOLUMEATTRIBUTESCLASS", 0),
            ("REASON", 0),
            ("AGE", 0),
            ("VOLUMEMODE", 1),
        ],
        _print_pv,
    ),
    "PersistentVolumeClaim": (
        [
            ("NAME", 0),
            ("STATUS", 0),
            ("VOLUME", 0),
            ("CAPACITY", 0),
            ("ACCESS MODES", 0),
            ("STORAGECLASS", 0),
            ("VOLUMEATTRIBUTESCLASS", 0),
            ("AGE", 0),
            ("VOLUMEMODE", 1),
        ],
        _print_pvc,
    ),
    "StorageClass": (
        [
            ("NAME", 0),
            ("PROVISIONER", 0),
            ("RECLAIMPOLICY", 0),
            ("VOLUMEBINDINGMODE", 0),
            ("ALLOWVOLUMEEXPANSION", 0),
            ("AGE", 0),
        ],
        _print_storage_class,
    ),
    "ConfigMap": ([("NAME", 0), ("DATA", 0), ("AGE", 0)], _print_config_map),
    "Secret": ([("NAME", 0), ("TYPE", 0), ("DATA", 0), ("AGE", 0)], _print_secret),
    "ServiceAccount": ([("NAME", 0), ("SECRETS", 0), ("AGE", 0)], _print_service_account),
    "Role": (_CREATED_AT, _print_created_at),
    "ClusterRole": (_CREATED_AT, _print_created_at),
    "LimitRange": (_CREATED_AT, _print_created_at),
    "RoleBinding": (_BINDING_COLUMNS, _print_binding),
    "ClusterRoleBinding": (_BINDING_COLUMNS, _print_binding),
    "Event": (
        [
            ("LAST SEEN", 0),
            ("TYPE", 0),
            ("REASON", 0),
            ("OBJECT", 0),
            ("SUBOBJECT", 1),
            ("SOURCE", 1),
            ("MESSAGE", 0),
            ("FIRST SEEN", 1),
            ("COUNT", 1),
            ("NAME", 1),
        ],
        _print_event,
    ),
    "Lease": ([("NAME", 0), ("HOLDER", 0), ("AGE", 0)], _print_lease),
    "NetworkPolicy": ([("NAME", 0), ("POD-SELECTOR", 0), ("AGE", 0)], _print_network_policy),
    "PodDisruptionBudget": (
        [
            ("NAME", 0),
            ("MIN AVAILABLE", 0),
            ("MAX UNAVAILABLE", 0),
            ("ALLOWED DISRUPTIONS", 0),
            ("AGE", 0),
        ],
        _print_pdb,
    ),
    "PriorityClass": (
        [("NAME", 0), ("VALUE", 0), ("GLOBAL-DEFAULT", 0), ("AGE", 0), ("PREEMPTIONPOLICY", 1)],
        _print_priority_class,
    ),
    "ControllerRevision": (
        [("NAME", 0), ("CONTROLLER", 0), ("REVISION", 0), ("AGE", 0)],
        _print_controller_revision,
    ),
    "ResourceQuota": (
        [("NAME", 0), ("REQUEST", 0), ("LIMIT", 0), ("AGE", 0)],
        _print_resource_quota,
    ),
    "PodTemplate": (
        [("NAME", 0), ("CONTAINERS", 0), ("IMAGES", 0), ("POD LABELS", 0)],
        _print_pod_template,
    ),
}

_DEFAULT: tuple[_Columns, _Printer] = ([("NAME", 0), ("AGE", 0)], _print_default)


def supported_kinds() -> list[str]:
    """Kinds with a dedicated printer (anything else prints ``NAME AGE``)."""
    return sorted(_PRINTERS)


def table(kind: str, objects: Sequence[dict], now: float, wide: bool = False) -> TableRows:
    """Headers and rows ``kubectl get`` prints for ``objects`` of ``kind``.

    Row cells are strings; an empty string is an empty cell. Rows keep the
    order of ``objects``.
    """
    columns, printer = _PRINTERS.get(kind, _DEFAULT)
    keep = [i for i, (_, prio) in enumerate(columns) if prio == 0 or wide]
    headers = [columns[i][0] for i in keep]
    rows = []
    for obj in objects:
        cells = printer(obj, now, wide)
        rows.append([cells[i] for i in keep])
    return headers, rows


# --------------------------------------------------------------------------- kubectl's decorations


def with_namespace(
    headers: Sequence[str], rows: Sequence[Sequence[str]], objects: Sequence[dict]
) -> TableRows:
    """Prepend the NAMESPACE column, as ``kubectl get -A`` does."""
    return (
        ["NAMESPACE", *headers],
        [
            [str(_meta(obj).get("namespace", "")), *row]
            for obj, row in zip(objects, rows, strict=True)
        ],
    )


def label_columns(objects: Sequence[dict], keys: Sequence[str]) -> TableRows:
    """``-L key1,key2``: one column per key, header = last ``/`` segment upper-cased."""
    headers = [k.split("/")[-1].upper() for k in keys]
    rows = [[str((_meta(obj).get("labels") or {}).get(k, "")) for k in keys] for obj in objects]
    return headers, rows


def labels_column(objects: Sequence[dict]) -> TableRows:
    """``--show-labels``: the LABELS column (``a=b,c=d`` or ``<none>``)."""
    return ["LABELS"], [[format_labels(_meta(obj).get("labels"))] for obj in objects]


def with_kind(headers: Sequence[str], rows: Sequence[Sequence[str]], kind: str) -> TableRows:
    """Prefix the NAME column with ``kind/`` (``pod/web``), as for ``kubectl get pods,svc``."""
    headers = list(headers)
    if "NAME" not in headers:
        return headers, [list(r) for r in rows]
    i = headers.index("NAME")
    out = []
    for row in rows:
        row = list(row)
        row[i] = f"{kind.lower()}/{row[i]}"
        out.append(row)
    return headers, out


def decorate(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    objects: Sequence[dict],
    *,
    namespace: bool = False,
    label_keys: Sequence[str] = (),
    show_labels: bool = False,
    kind: str | None = None,
) -> TableRows:
    """kubectl's ``decorateTable``: kind prefix, NAMESPACE first, ``-L`` columns, then LABELS."""
    h, r = list(headers), [list(row) for row in rows]
    if kind:
        h, r = with_kind(h, r, kind)
    if namespace:
        h, r = with_namespace(h, r, objects)
    if label_keys:
        lh, lr = label_columns(objects, label_keys)
        h, r = [*h, *lh], [[*a, *b] for a, b in zip(r, lr, strict=True)]
    if show_labels:
        lh, lr = labels_column(objects)
        h, r = [*h, *lh], [[*a, *b] for a, b in zip(r, lr, strict=True)]
    return h, r
