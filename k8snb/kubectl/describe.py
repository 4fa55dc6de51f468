"""``kubectl describe``: the text kubectl prints for an object, its related objects and events.

A port of kubectl ``pkg/describe/describe.go`` over objects in manifest form. The
layout is kubectl's: a ``PrefixWriter`` (two spaces per level) over Go's
tabwriter (padding 2), so column blocks break on lines without a tab exactly
as they do in a terminal::

    text = describe(pod, events=cluster.api.events_for(pod), now=clock.now)

``events=None`` leaves the Events section out (``--show-events=false``).
Describers that need more than the object take it through ``extra``:

========================  ===================================================
kind                      ``extra`` keys
========================  ===================================================
Node                      ``pods`` (pods bound to it), ``lease`` (its Lease
                          in kube-node-lease, or None)
Namespace                 ``resource_quotas``, ``limit_ranges``
Service                   ``endpoint_slices`` (labelled with the service name)
Ingress                   ``services``, ``endpoint_slices`` of its namespace
Deployment                ``old_replica_sets``, ``new_replica_set``
ReplicaSet, RC, DaemonSet ``pods`` (counted when controlled by the object)
StatefulSet, Job
ServiceAccount            ``secrets`` (all Secrets of the namespace)
PersistentVolumeClaim     ``pods`` (pods of the namespace; users are found)
========================  ===================================================

Times print in UTC (kubectl prints the machine's local zone). Kinds without a
describer here (IngressClass, HPA, NetworkPolicy, ...) use kubectl's generic describer.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

from k8snb.api.tables import (
    access_modes_string,
    format_label_selector,
    format_labels,
    join_host_port,
    node_roles,
    print_bool_ptr,
)
from k8snb.kubectl.printers import TabWriter, escape_terminal
from k8snb.util.duration import age, format_rfc1123z, human_duration, parse_time
from k8snb.util.gofmt import go_sprint

__all__ = ["describe", "describe_events", "event_interval", "event_time", "smart_label_for"]

LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4 = range(5)
MAX_ANNOTATION_LEN = 140
SKIP_ANNOTATIONS = {"kubectl.kubernetes.io/last-applied-configuration"}


# --------------------------------------------------------------------------- writer


class PrefixWriter:
    """describe.go ``prefixWriter``: ``write(level, text)`` indents by two spaces a level."""

    def __init__(self, tw: TabWriter | None = None, indent: int = 0):
        self.tw = tw or TabWriter(minwidth=0, tabwidth=8, padding=2, padchar=" ")
        self.indent = indent

    def write(self, level: int, text: str) -> None:
        self.tw.write(escape_terminal("  " * (level + self.indent) + text))

    def write_line(self, *parts: Any) -> None:
        """Go ``Sprintln``: operands joined by spaces, then a newline."""
        if self.indent:
            self.write(0, " ".join(str(p) for p in parts) + "\n")
        else:
            self.tw.write(escape_terminal(" ".join(str(p) for p in parts) + "\n"))

    def flush(self) -> None:
        self.tw.flush()

    def nested(self, indent: int) -> PrefixWriter:
        return PrefixWriter(self.tw, self.indent + indent)

    def getvalue(self) -> str:
        return self.tw.getvalue()


# --------------------------------------------------------------------------- small helpers


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _status(obj: dict) -> dict:
    return obj.get("status") or {}


def _print_bool(value: Any) -> str:
    return "True" if value else "False"


def _string_or_none(s: str) -> str:
    return s if s else "<none>"


def _controller_of(obj: dict) -> dict | None:
    for ref in _meta(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def _print_controller(obj: dict) -> str:
    ref = _controller_of(obj)
    return f"{ref.get('kind', '')}/{ref.get('name', '')}" if ref else ""


def _int_or_string(value: Any) -> str:
    return "" if value is None else str(value)


def _selector_string(selector: dict | None) -> str:
    text = format_label_selector(selector)
    return "" if text == "<none>" else text


def _decoded_len(value: Any) -> int:
    if value is None:
        return 0
    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value).encode())


# --------------------------------------------------------------------------- quantities

_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {v: k for k, v in _DECIMAL.items()}
_QUANTITY = re.compile(r"^([+-]?[0-9]*\.?[0-9]*)([eE][+-]?[0-9]+|[a-zA-Z]*)$")


class Quantity:
    """Just enough of apimachinery ``resource.Quantity`` to sum and print node resources."""

    def __init__(self, value: Fraction, fmt: str = "DecimalSI"):
        self.value = value
        self.format = fmt

    @classmethod
    def parse(cls, text: Any) -> Quantity:
        if isinstance(text, int | float):
            return cls(Fraction(text), "DecimalSI")
        m = _QUANTITY.match(str(text).strip())
        if not m or m.group(1) in ("", "+", "-", "."):
            return cls(Fraction(0))
        number = Fraction(m.group(1))
        suffix = m.group(2)
        if suffix in _BINARY:
            return cls(number * 1024 ** _BINARY[suffix], "BinarySI")
        if suffix in _DECIMAL:
            return cls(number * Fraction(10) ** _DECIMAL[suffix], "DecimalSI")
        if suffix[:1] in ("e", "E"):
            return cls(number * Fraction(10) ** int(suffix[1:]), "DecimalExponent")
        return cls(Fraction(0))

    def add(self, other: Quantity) -> Quantity:
        return Quantity(self.value + other.value, self.format)

    def milli_value(self) -> int:
        return math.ceil(self.value * 1000)

    def int_value(self) -> int:
        return math.ceil(self.value)

    def __str__(self) -> str:
        # Quantity.String(): canonical form, never loses precision; at least nano scale.
        v = Fraction(math.ceil(self.value * 10**9), 10**9)
        if v == 0:
            return "0"
        fmt = self.format
        if fmt == "BinarySI":
            if -1024 < v < 1024 or v.denominator != 1:
                fmt = "DecimalSI"
            else:
                n, exp = v.numerator, 0
                while n % 1024 == 0 and exp < 6:
                    n //= 1024
                    exp += 1
                suffix = {0: ""} | {e: s for s, e in _BINARY.items()}
                return f"{n}{suffix[exp]}"
        # decimal: mantissa * 10**exp with the exponent a multiple of 3
        exp = -9
        n = int(v * 10**9)
        while n % 10 == 0 and n != 0:
            n //= 10
            exp += 1
        while exp % 3 != 0:
            n *= 10
            exp -= 1
        if fmt == "DecimalExponent":
            return f"{n}e{exp}" if exp else str(n)
        if exp > 18:
            n *= 10 ** (exp - 18)
            exp = 18
        return f"{n}{_DECIMAL_SUFFIX[exp]}"


def _q(resources: dict | None, name: str) -> Quantity:
    if resources and name in resources:
        return Quantity.parse(resources[name])
    return Quantity(Fraction(0))


def _add_list(total: dict[str, Quantity], new: dict | None) -> None:
    for name, value in (new or {}).items():
        q = Quantity.parse(value)
        total[name] = total[name].add(q) if name in total else q


def _max_list(total: dict[str, Quantity], new: dict[str, Quantity]) -> None:
    for name, q in new.items():
        if name not in total or q.value > total[name].value:
            total[name] = q


def pod_requests_and_limits(pod: dict) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """kubectl ``resourcehelper.PodRequestsAndLimits``: containers summed, init containers
    as a maximum (sidecars added to what follows them), plus the pod overhead."""
    spec = _spec(pod)
    reqs: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    for c in spec.get("containers") or []:
        res = c.get("resources") or {}
        _add_list(reqs, res.get("requests"))
        _add_list(limits, res.get("limits"))
    init_reqs: dict[str, Quantity] = {}
    init_limits: dict[str, Quantity] = {}
    sidecar_reqs: dict[str, Quantity] = {}
    sidecar_limits: dict[str, Quantity] = {}
    for c in spec.get("initContainers") or []:
        res = c.get("resources") or {}
        if c.get("restartPolicy") == "Always":
            _add_list(reqs, res.get("requests"))
            _add_list(limits, res.get("limits"))
            _add_list(sidecar_reqs, res.get("requests"))
            _add_list(sidecar_limits, res.get("limits"))
            step_reqs, step_limits = dict(sidecar_reqs), dict(sidecar_limits)
        else:
            step_reqs, step_limits = dict(sidecar_reqs), dict(sidecar_limits)
            _add_list(step_reqs, res.get("requests"))
            _add_list(step_limits, res.get("limits"))
        _max_list(init_reqs, step_reqs)
        _max_list(init_limits, step_limits)
    _max_list(reqs, init_reqs)
    _max_list(limits, init_limits)
    overhead = spec.get("overhead") or {}
    _add_list(reqs, overhead)
    if overhead:
        for name, value in overhead.items():
            if name in limits:
                limits[name] = limits[name].add(Quantity.parse(value))
    return reqs, limits


def _percent(part: int, whole: int) -> int:
    if whole == 0:
        return -(2**63)  # Go: int64(NaN or Inf) on amd64
    return int(part / whole * 100)


# --------------------------------------------------------------------------- shared sections


def _print_labels_multiline(
    w: PrefixWriter, title: str, labels: dict | None, initial_indent: str = "", inner: str = "\t"
) -> None:
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner}")
    if not labels:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i != 0:
            w.write(LEVEL_0, initial_indent)
            w.write(LEVEL_0, inner)
        w.write(LEVEL_0, f"{key}={labels[key]}\n")


def _shorten(s: str, max_length: int) -> str:
    return s[:max_length] + "..." if len(s) > max_length else s


def _print_annotations_multiline(w: PrefixWriter, title: str, annotations: dict | None) -> None:
    w.write(LEVEL_0, f"{title}:\t")
    keys = sorted(k for k in (annotations or {}) if k not in SKIP_ANNOTATIONS)
    if not keys:
        w.write_line("<none>")
        return
    indent = "\t"
    for i, key in enumerate(keys):
        if i != 0:
            w.write(LEVEL_0, indent)
        value = str(annotations[key]).removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(LEVEL_0, f"{key}:\n")
            for s in value.split("\n"):
                w.write(LEVEL_0, f"{indent}  {_shorten(s, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(LEVEL_0, f"{key}: {value}\n")


def _taint_string(t: dict) -> str:
    if t.get("value"):
        return f"{t.get('key', '')}={t['value']}:{t.get('effect', '')}"
    return f"{t.get('key', '')}:{t.get('effect', '')}"


def _print_taints_multiline(w: PrefixWriter, title: str, taints: list | None) -> None:
    w.write(LEVEL_0, f"{title}:\t")
    if not taints:
        w.write_line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, t in enumerate(ordered):
        if i != 0:
            w.write(LEVEL_0, "\t")
        w.write(LEVEL_0, _taint_string(t) + "\n")


def _print_tolerations_multiline(w: PrefixWriter, title: str, tolerations: list | None) -> None:
    w.write(LEVEL_0, f"{title}:\t")
    if not tolerations:
        w.write_line("<none>")
        return
    for i, t in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i != 0:
            w.write(LEVEL_0, "\t")
        text = str(t.get("key", ""))
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        w.write(LEVEL_0, text + "\n")


def event_interval(e: dict, now: float) -> str:
    """``getInterval`` (describe and ``kubectl events``): age of the first occurrence, or
    ``5s (x3 over 2m)`` for a repeated event."""
    first = age(e.get("eventTime"), now) if e.get("eventTime") else age(
        e.get("firstTimestamp"), now)
    series = e.get("series")
    count = int(e.get("count") or 0)
    if series is not None:
        return f"{age(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
    if count > 1:
        return f"{age(e.get('lastTimestamp'), now)} (x{count} over {first})"
    return first


def event_time(e: dict) -> float:
    """When an event last happened (``eventTime`` for a series, else ``lastTimestamp``)."""
    series = e.get("series")
    if series is not None:
        t = parse_time(series.get("lastObservedTime"))
    elif e.get("lastTimestamp"):
        t = parse_time(e.get("lastTimestamp"))
    else:
        t = parse_time(e.get("eventTime"))
    return t if t is not None else float("-inf")


def describe_events(events: Sequence[dict], w: PrefixWriter, now: float) -> None:
    """describe.go ``DescribeEvents``: the ``Type Reason Age From Message`` table."""
    if not events:
        w.write(LEVEL_0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n")
    for e in sorted(events, key=event_time):
        interval = event_interval(e, now)
        source = (e.get("source") or {}).get("component") or e.get("reportingController") or ""
        w.write(
            LEVEL_1,
            f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t{str(e.get('message', '')).strip()}\n",
        )


def _events(w: PrefixWriter, events: Sequence[dict] | None, now: float) -> None:
    if events is not None:
        describe_events(events, w, now)


# --------------------------------------------------------------------------- containers and volumes


def _describe_probe(probe: dict) -> str:
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
        f"#failure={probe.get('failureThreshold', 3)}"
    )
    if probe.get("exec") is not None:
        return f"exec {go_sprint(probe['exec'].get('command') or [])} {attrs}"
    if probe.get("httpGet") is not None:
        h = probe["httpGet"]
        scheme = str(h.get("scheme") or "HTTP").lower()
        port = str(h.get("port", ""))
        host = join_host_port(h.get("host", ""), port) if port else h.get("host", "")
        path = h.get("path", "")
        if path and not path.startswith("/") and host:
            path = "/" + path
        return f"http-get {scheme}://{host}{path} {attrs}"
    if probe.get("tcpSocket") is not None:
        t = probe["tcpSocket"]
        return f"tcp-socket {t.get('host', '')}:{t.get('port', '')} {attrs}"
    if probe.get("grpc") is not None:
        g = probe["grpc"]
        return f"grpc <pod>:{g.get('port', 0)} {g.get('service', '')} {attrs}"
    return f"unknown {attrs}"


_FIELD_REF = re.compile(r"^metadata\.(labels|annotations)\['(.*)'\]$")


def _resolve_field_ref(pod: dict, path: str) -> str:
    meta, spec, status = _meta(pod), _spec(pod), _status(pod)
    m = _FIELD_REF.match(path)
    if m:
        return str((meta.get(m.group(1)) or {}).get(m.group(2), ""))
    simple = {
        "metadata.name": meta.get("name"),
        "metadata.namespace": meta.get("namespace"),
        "metadata.uid": meta.get("uid"),
        "spec.nodeName": spec.get("nodeName"),
        "spec.serviceAccountName": spec.get("serviceAccountName"),
        "status.hostIP": status.get("hostIP"),
        "status.podIP": status.get("podIP"),
        "status.hostIPs": ",".join(i.get("ip", "") for i in status.get("hostIPs") or []),
        "status.podIPs": ",".join(i.get("ip", "") for i in status.get("podIPs") or []),
    }
    if path in ("metadata.labels", "metadata.annotations"):
        values = meta.get(path.split(".")[1]) or {}
        return "\n".join(f'{k}="{values[k]}"' for k in sorted(values))
    return str(simple.get(path) or "")


def _resource_field_value(ref: dict, container: dict) -> str:
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    section = (container.get("resources") or {}).get("limits" if kind == "limits" else "requests")
    q = _q(section, name)
    divisor = Quantity.parse(ref.get("divisor") or "1")
    if divisor.value == 0:
        divisor = Quantity(Fraction(1))
    return str(math.ceil(q.value / divisor.value))


def _describe_container_env(container: dict, pod: dict | None, w: PrefixWriter) -> None:
    env = container.get("env") or []
    w.write(LEVEL_2, "Environment:" + ("" if env else "\t<none>") + "\n")
    for e in env:
        name = e.get("name", "")
        value_from = e.get("valueFrom")
        if value_from is None:
            for i, s in enumerate(str(e.get("value", "")).split("\n")):
                w.write(LEVEL_3, f"{name}:\t{s}\n" if i == 0 else f"\t{s}\n")
            continue
        if value_from.get("fieldRef") is not None:
            ref = value_from["fieldRef"]
            value = _resolve_field_ref(pod, ref.get("fieldPath", "")) if pod is not None else ""
            w.write(
                LEVEL_3,
                f"{name}:\t{value} ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n",
            )
        elif value_from.get("resourceFieldRef") is not None:
            ref = value_from["resourceFieldRef"]
            value = _resource_field_value(ref, container)
            if value == "0" and ref.get("resource") in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(LEVEL_3, f"{name}:\t{value} ({ref.get('resource', '')})\n")
        elif value_from.get("secretKeyRef") is not None:
            ref = value_from["secretKeyRef"]
            optional = "true" if ref.get("optional") else "false"
            w.write(
                LEVEL_3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>"
                f"\tOptional: {optional}\n",
            )
        elif value_from.get("configMapKeyRef") is not None:
            ref = value_from["configMapKeyRef"]
            optional = "true" if ref.get("optional") else "false"
            w.write(
                LEVEL_3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>"
                f"\tOptional: {optional}\n",
            )


def _describe_container_env_from(container: dict, w: PrefixWriter) -> None:
    w.write(LEVEL_2, "Environment Variables from:\n")
    for e in container.get("envFrom") or []:
        source, name, optional = "", "", False
        if e.get("configMapRef") is not None:
            source, name = "ConfigMap", e["configMapRef"].get("name", "")
            optional = bool(e["configMapRef"].get("optional"))
        elif e.get("secretRef") is not None:
            source, name = "Secret", e["secretRef"].get("name", "")
            optional = bool(e["secretRef"].get("optional"))
        opt = "true" if optional else "false"
        if not e.get("prefix"):
            w.write(LEVEL_3, f"{name}\t{source}\tOptional: {opt}\n")
        else:
            w.write(LEVEL_3, f"{name}\t{source} with prefix '{e['prefix']}'\tOptional: {opt}\n")


def _describe_status(title: str, state: dict, w: PrefixWriter) -> None:
    if state.get("running") is not None:
        w.write(LEVEL_2, f"{title}:\tRunning\n")
        w.write(LEVEL_3, f"Started:\t{format_rfc1123z(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(LEVEL_2, f"{title}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(LEVEL_3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(LEVEL_2, f"{title}:\tTerminated\n")
        if t.get("reason"):
            w.write(LEVEL_3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(LEVEL_3, f"Message:\t{t['message']}\n")
        w.write(LEVEL_3, f"Exit Code:\t{int(t.get('exitCode') or 0)}\n")
        if int(t.get("signal") or 0) > 0:
            w.write(LEVEL_3, f"Signal:\t{int(t['signal'])}\n")
        w.write(LEVEL_3, f"Started:\t{format_rfc1123z(t.get('startedAt'))}\n")
        w.write(LEVEL_3, f"Finished:\t{format_rfc1123z(t.get('finishedAt'))}\n")
    else:
        w.write(LEVEL_2, f"{title}:\tWaiting\n")


def _describe_resources(resources: dict | None, w: PrefixWriter, level: int) -> None:
    if resources is None:
        return
    for section, title in (("limits", "Limits"), ("requests", "Requests")):
        values = resources.get(section) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{values[name]}\n")


def _describe_containers(
    label: str,
    containers: Sequence[dict],
    statuses: Sequence[dict] | None,
    pod: dict | None,
    w: PrefixWriter,
    space: str,
) -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(LEVEL_0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    name_indent = " " if space else ""
    for c in containers:
        status = by_name.get(c.get("name"))
        w.write(LEVEL_1, f"{name_indent}{c.get('name', '')}:\n")
        if status is not None:
            w.write(LEVEL_2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(LEVEL_2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(LEVEL_2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = c.get("ports") or []
        port_text = ", ".join(
            f"{p.get('containerPort', 0)}/{p.get('protocol') or 'TCP'}" for p in ports
        )
        host_text = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol') or 'TCP'}" for p in ports)
        if "," in port_text:
            w.write(LEVEL_2, f"Ports:\t{port_text}\n")
        else:
            w.write(LEVEL_2, f"Port:\t{_string_or_none(port_text)}\n")
        if "," in host_text:
            w.write(LEVEL_2, f"Host Ports:\t{host_text}\n")
        else:
            w.write(LEVEL_2, f"Host Port:\t{_string_or_none(host_text)}\n")
        seccomp = (c.get("securityContext") or {}).get("seccompProfile")
        if seccomp is not None:
            w.write(LEVEL_2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
            if seccomp.get("type") == "Localhost":
                w.write(LEVEL_3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
        for key, title in (("command", "Command"), ("args", "Args")):
            if c.get(key):
                w.write(LEVEL_2, f"{title}:\n")
                for part in c[key]:
                    for s in str(part).split("\n"):
                        w.write(LEVEL_3, f"{s}\n")
        if status is not None:
            _describe_status("State", status.get("state") or {}, w)
            last = status.get("lastState") or {}
            if last.get("terminated") is not None:
                _describe_status("Last State", last, w)
            w.write(LEVEL_2, f"Ready:\t{_print_bool(status.get('ready'))}\n")
            w.write(LEVEL_2, f"Restart Count:\t{int(status.get('restartCount') or 0)}\n")
        _describe_resources(c.get("resources") or {}, w, LEVEL_2)
        for key, title in (
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ):
            if c.get(key) is not None:
                w.write(LEVEL_2, f"{title}:\t{_describe_probe(c[key])}\n")
        if c.get("envFrom"):
            _describe_container_env_from(c, w)
        _describe_container_env(c, pod, w)
        mounts = c.get("volumeMounts") or []
        w.write(LEVEL_2, "Mounts:" + ("" if mounts else "\t<none>") + "\n")
        for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
            flags = ["ro" if m.get("readOnly") else "rw"]
            if m.get("subPath"):
                flags.append(f'path="{m["subPath"]}"')
            w.write(
                LEVEL_3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n"
            )
        devices = c.get("volumeDevices") or []
        if devices:
            w.write(LEVEL_2, "Devices:\n")
            for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
                w.write(LEVEL_3, f"{d.get('devicePath', '')} from {d.get('name', '')}\n")


def _print_volume_source(volume: dict, w: PrefixWriter) -> None:
    if volume.get("hostPath") is not None:
        hp = volume["hostPath"]
        hp_type = hp.get("type") if hp.get("type") is not None else "<none>"
        w.write(
            LEVEL_2,
            "Type:\tHostPath (bare host directory volume)\n"
            f"    Path:\t{hp.get('path', '')}\n    HostPathType:\t{hp_type}\n",
        )
    elif volume.get("emptyDir") is not None:
        ed = volume["emptyDir"]
        size = ed.get("sizeLimit")
        size_text = str(size) if size is not None and Quantity.parse(size).value > 0 else "<unset>"
        w.write(
            LEVEL_2,
            "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
            f"    Medium:\t{ed.get('medium', '')}\n    SizeLimit:\t{size_text}\n",
        )
    elif volume.get("secret") is not None:
        s = volume["secret"]
        w.write(
            LEVEL_2,
            "Type:\tSecret (a volume populated by a Secret)\n"
            f"    SecretName:\t{s.get('secretName', '')}\n    Optional:\t{go_sprint(bool(s.get('optional')))}\n",
        )
    elif volume.get("configMap") is not None:
        cm = volume["configMap"]
        w.write(
            LEVEL_2,
            "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
            f"    Name:\t{cm.get('name', '')}\n    Optional:\t{go_sprint(bool(cm.get('optional')))}\n",
        )
    elif volume.get("nfs") is not None:
        n = volume["nfs"]
        w.write(
            LEVEL_2,
            "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
            f"    Server:\t{n.get('server', '')}\n    Path:\t{n.get('path', '')}\n"
            f"    ReadOnly:\t{go_sprint(bool(n.get('readOnly')))}\n",
        )
    elif volume.get("persistentVolumeClaim") is not None:
        c = volume["persistentVolumeClaim"]
        w.write(
            LEVEL_2,
            "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
            f"    ClaimName:\t{c.get('claimName', '')}\n    ReadOnly:\t{go_sprint(bool(c.get('readOnly')))}\n",
        )
    elif volume.get("ephemeral") is not None:
        w.write(
            LEVEL_2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created "
            "and deleted with the pod)\n",
        )
        template = volume["ephemeral"].get("volumeClaimTemplate")
        if template is not None:
            claim = {"metadata": template.get("metadata") or {}, "spec": template.get("spec") or {}}
            _print_pvc_fields(w.nested(LEVEL_2), claim, full=False)
    elif volume.get("downwardAPI") is not None:
        w.write(
            LEVEL_2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
        )
        for item in volume["downwardAPI"].get("items") or []:
            if item.get("fieldRef") is not None:
                w.write(
                    LEVEL_3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n"
                )
            if item.get("resourceFieldRef") is not None:
                w.write(
                    LEVEL_3,
                    f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n",
                )
    elif volume.get("projected") is not None:
        w.write(
            LEVEL_2,
            "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
        )
        for src in volume["projected"].get("sources") or []:
            if src.get("secret") is not None:
                s = src["secret"]
                w.write(
                    LEVEL_2,
                    f"SecretName:\t{s.get('name', '')}\n    Optional:\t{go_sprint(bool(s.get('optional')))}\n",
                )
            elif src.get("downwardAPI") is not None:
                w.write(LEVEL_2, "DownwardAPI:\ttrue\n")
            elif src.get("configMap") is not None:
                c = src["configMap"]
                w.write(
                    LEVEL_2,
                    f"ConfigMapName:\t{c.get('name', '')}\n    Optional:\t{go_sprint(bool(c.get('optional')))}\n",
                )
            elif src.get("serviceAccountToken") is not None:
                seconds = src["serviceAccountToken"].get("expirationSeconds", 3600)
                w.write(LEVEL_2, f"TokenExpirationSeconds:\t{seconds}\n")
    elif volume.get("csi") is not None:
        c = volume["csi"]
        w.write(
            LEVEL_2,
            "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
            f"    Driver:\t{c.get('driver', '')}\n    FSType:\t{c.get('fsType', '')}\n"
            f"    ReadOnly:\t{go_sprint(bool(c.get('readOnly')))}\n",
        )
        _print_csi_attributes(w, c.get("volumeAttributes"))
    elif volume.get("image") is not None:
        im = volume["image"]
        w.write(
            LEVEL_2,
            "Type:\tImage (a container image or OCI artifact)\n"
            f"    Reference:\t{im.get('reference', '')}\n    PullPolicy:\t{im.get('pullPolicy', '')}\n",
        )
    else:
        w.write(LEVEL_1, "<unknown>\n")


def _print_csi_attributes(w: PrefixWriter, attributes: dict | None) -> None:
    w.write(LEVEL_2, "VolumeAttributes:\t")
    if not attributes:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i != 0:
            w.write(LEVEL_2, "")
            w.write(LEVEL_2, "\t")
        line = f"{key}={attributes[key]}"
        w.write(
            LEVEL_2,
            (line[:MAX_ANNOTATION_LEN] + "...\n")
            if len(line) > MAX_ANNOTATION_LEN
            else line + "\n",
        )


def _describe_volumes(volumes: Sequence[dict] | None, w: PrefixWriter, space: str) -> None:
    if not volumes:
        w.write(LEVEL_0, f"{space}Volumes:\t<none>\n")
        return
    w.write(LEVEL_0, f"{space}Volumes:\n")
    name_indent = " " if space else ""
    for v in volumes:
        w.write(LEVEL_1, f"{name_indent}{v.get('name', '')}:\n")
        _print_volume_source(v, w)


def _describe_topology_spread(tscs: Sequence[dict] | None, w: PrefixWriter, space: str) -> None:
    if not tscs:
        return
    w.write(LEVEL_0, f"{space}Topology Spread Constraints:\t")
    for i, tsc in enumerate(sorted(tscs, key=lambda t: t.get("topologyKey", ""))):
        if i != 0:
            w.write(LEVEL_0, space)
            w.write(LEVEL_0, "\t")
        text = f"{tsc.get('topologyKey', '')}:{tsc.get('whenUnsatisfiable', '')} when max skew {tsc.get('maxSkew', 0)} is exceeded"
        if tsc.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(tsc['labelSelector'])}"
        w.write(LEVEL_0, text + "\n")


def _describe_pod_template(template: dict | None, w: PrefixWriter) -> None:
    w.write(LEVEL_0, "Pod Template:\n")
    if template is None:
        w.write(LEVEL_1, "<unset>")
        return
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    _print_labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        _print_annotations_multiline(w, "  Annotations", meta.get("annotations"))
    if spec.get("serviceAccountName"):
        w.write(LEVEL_1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        _describe_containers("Init Containers", spec["initContainers"], None, None, w, "  ")
    _describe_containers("Containers", spec.get("containers") or [], None, None, w, "  ")
    _describe_volumes(spec.get("volumes"), w, "  ")
    _describe_topology_spread(spec.get("topologySpreadConstraints"), w, "  ")
    if spec.get("priorityClassName"):
        w.write(LEVEL_1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    _print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    _print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))


# --------------------------------------------------------------------------- QoS


def _pod_qos(pod: dict) -> str:
    """kubectl ``qos.GetPodQOS``: status.qosClass, else computed from cpu/memory."""
    if _status(pod).get("qosClass"):
        return _status(pod)["qosClass"]
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    spec = _spec(pod)
    for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        res = c.get("resources") or {}
        for name, value in (res.get("requests") or {}).items():
            if name in ("cpu", "memory") and Quantity.parse(value).value != 0:
                requests[name] = requests.get(name, Fraction(0)) + Quantity.parse(value).value
        found = set()
        for name, value in (res.get("limits") or {}).items():
            if name in ("cpu", "memory") and Quantity.parse(value).value != 0:
                found.add(name)
                limits[name] = limits.get(name, Fraction(0)) + Quantity.parse(value).value
        if found != {"cpu", "memory"}:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(requests.get(k) == limits.get(k) for k in requests) and len(limits) == 2:
        return "Guaranteed"
    return "Burstable"


# --------------------------------------------------------------------------- describers


def _describe_pod(pod: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(pod), _spec(pod), _status(pod)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(LEVEL_0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(LEVEL_0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(LEVEL_0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(LEVEL_0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if not spec.get("nodeName"):
        w.write(LEVEL_0, "Node:\t<none>\n")
    else:
        w.write(LEVEL_0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    if status.get("startTime"):
        w.write(LEVEL_0, f"Start Time:\t{format_rfc1123z(status['startTime'])}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], now)})\n")
        w.write(
            LEVEL_0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n"
        )
    else:
        w.write(LEVEL_0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(LEVEL_0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(LEVEL_0, f"Message:\t{status['message']}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp is not None:
        w.write(LEVEL_0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(LEVEL_0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
    w.write(LEVEL_0, f"IP:\t{status.get('podIP', '')}\n")
    pod_ips = status.get("podIPs") or []
    if not pod_ips:
        w.write(LEVEL_0, "IPs:\t<none>\n")
    else:
        w.write(LEVEL_0, "IPs:\n")
        for ip in pod_ips:
            w.write(LEVEL_1, f"IP:\t{ip.get('ip', '')}\n")
    controlled_by = _print_controller(pod)
    if controlled_by:
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    if status.get("nominatedNodeName"):
        w.write(LEVEL_0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(LEVEL_0, "Resources:\n")
        _describe_resources(spec["resources"], w, LEVEL_1)
    if spec.get("initContainers"):
        _describe_containers(
            "Init Containers",
            spec["initContainers"],
            status.get("initContainerStatuses"),
            pod,
            w,
            "",
        )
    _describe_containers(
        "Containers", spec.get("containers") or [], status.get("containerStatuses"), pod, w, ""
    )
    if spec.get("ephemeralContainers"):
        _describe_containers(
            "Ephemeral Containers",
            spec["ephemeralContainers"],
            status.get("ephemeralContainerStatuses"),
            pod,
            w,
            "",
        )
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            value = "<none>"
            for c in conditions:
                if c.get("type") == gate.get("conditionType"):
                    value = str(c.get("status", ""))
                    break
            w.write(LEVEL_1, f"{gate.get('conditionType', '')} \t{value} \n")
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    _describe_volumes(spec.get("volumes"), w, "")
    w.write(LEVEL_0, f"QoS Class:\t{_pod_qos(pod)}\n")
    _print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    _print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    _describe_topology_spread(spec.get("topologySpreadConstraints"), w, "")
    _events(w, events, now)
    return w.getvalue()


def _describe_node(node: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(node), _spec(node), _status(node)
    name = meta.get("name", "")
    w.write(LEVEL_0, f"Name:\t{name}\n")
    w.write(LEVEL_0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"CreationTimestamp:\t{format_rfc1123z(meta.get('creationTimestamp'))}\n")
    _print_taints_multiline(w, "Taints", spec.get("taints"))
    w.write(LEVEL_0, f"Unschedulable:\t{go_sprint(bool(spec.get('unschedulable')))}\n")
    lease = extra.get("lease")
    if lease is not None:
        lspec = _spec(lease)
        w.write(LEVEL_0, "Lease:\n")
        holder = lspec.get("holderIdentity")
        w.write(LEVEL_1, f"HolderIdentity:\t{holder if holder is not None else '<unset>'}\n")
        for key, title in (("acquireTime", "AcquireTime"), ("renewTime", "RenewTime")):
            value = format_rfc1123z(lspec[key]) if lspec.get(key) else "<unset>"
            w.write(LEVEL_1, f"{title}:\t{value}\n")
    else:
        w.write(
            LEVEL_0, f'Lease:\tFailed to get lease: leases.coordination.k8s.io "{name}" not found\n'
        )
    conditions = status.get("conditions") or []
    if conditions:
        w.write(
            LEVEL_0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        )
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                LEVEL_1,
                f"{c.get('type', '')} \t{c.get('status', '')} \t{format_rfc1123z(c.get('lastHeartbeatTime'))} "
                f"\t{format_rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n",
            )
    w.write(LEVEL_0, "Addresses:\n")
    for addr in status.get("addresses") or []:
        w.write(LEVEL_1, f"{addr.get('type', '')}:\t{addr.get('address', '')}\n")
    for key, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(LEVEL_0, f"{title}:\n")
            for res in sorted(values):
                w.write(LEVEL_0, f"  {res}:\t{values[res]}\n")
    info = status.get("nodeInfo") or {}
    w.write(LEVEL_0, "System Info:\n")
    for key, title in (
        ("machineID", "Machine ID"),
        ("systemUUID", "System UUID"),
        ("bootID", "Boot ID"),
        ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"),
        ("operatingSystem", "Operating System"),
        ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"),
        ("kubeletVersion", "Kubelet Version"),
        ("kubeProxyVersion", "Kube-Proxy Version"),
    ):
        w.write(LEVEL_0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(LEVEL_0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(LEVEL_0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(LEVEL_0, f"ProviderID:\t{spec['providerID']}\n")
    pods = [
        p
        for p in extra.get("pods") or []
        if _spec(p).get("nodeName") == name
        and _status(p).get("phase") not in ("Succeeded", "Failed")
    ]
    pods.sort(key=lambda p: (_meta(p).get("namespace", ""), _meta(p).get("name", "")))
    _describe_node_resource(pods, node, w, now)
    _events(w, events, now)
    return w.getvalue()


def _describe_node_resource(pods: list[dict], node: dict, w: PrefixWriter, now: float) -> None:
    w.write(LEVEL_0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(
        LEVEL_1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    )
    w.write(
        LEVEL_1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    )
    status = _status(node)
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    alloc_cpu = _q(allocatable, "cpu").milli_value()
    alloc_mem = _q(allocatable, "memory").int_value()
    for p in pods:
        req, lim = pod_requests_and_limits(p)
        zero = Quantity(Fraction(0))
        cpu_req, cpu_lim = req.get("cpu", zero), lim.get("cpu", zero)
        mem_req, mem_lim = req.get("memory", zero), lim.get("memory", zero)
        w.write(
            LEVEL_1,
            f"{_meta(p).get('namespace', '')}\t{_meta(p).get('name', '')}\t\t"
            f"{cpu_req} ({_percent(cpu_req.milli_value(), alloc_cpu)}%)\t"
            f"{cpu_lim} ({_percent(cpu_lim.milli_value(), alloc_cpu)}%)\t"
            f"{mem_req} ({_percent(mem_req.int_value(), alloc_mem)}%)\t"
            f"{mem_lim} ({_percent(mem_lim.int_value(), alloc_mem)}%)\t"
            f"{age(_meta(p).get('creationTimestamp'), now)}\n",
        )
    w.write(
        LEVEL_0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    )
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n")
    w.write(LEVEL_1, "--------\t--------\t------\n")
    reqs: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    for p in pods:
        r, lm = pod_requests_and_limits(p)
        for name, q in r.items():
            reqs[name] = reqs[name].add(q) if name in reqs else q
        for name, q in lm.items():
            limits[name] = limits[name].add(q) if name in limits else q
    zero = Quantity(Fraction(0))

    def line(name: str, whole: int, milli: bool) -> None:
        rq, lq = reqs.get(name, zero), limits.get(name, zero)
        rv = rq.milli_value() if milli else rq.int_value()
        lv = lq.milli_value() if milli else lq.int_value()
        rp = int(rv / whole * 100) if whole else 0
        lp = int(lv / whole * 100) if whole else 0
        w.write(LEVEL_1, f"{name}\t{rq} ({rp}%)\t{lq} ({lp}%)\n")

    line("cpu", alloc_cpu, True)
    line("memory", alloc_mem, False)
    line("ephemeral-storage", _q(allocatable, "ephemeral-storage").int_value(), False)
    standard = {"cpu", "memory", "ephemeral-storage", "pods"}
    for res in sorted(r for r in allocatable if r.startswith("hugepages-")):
        line(res, _q(allocatable, res).int_value(), False)
    for res in sorted(
        r for r in allocatable if r not in standard and not r.startswith("hugepages-")
    ):
        w.write(LEVEL_1, f"{res}\t{reqs.get(res, zero)}\t{limits.get(res, zero)}\n")


def _describe_namespace(ns: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, status = _meta(ns), _status(ns)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                LEVEL_1,
                f"{c.get('type', '')}\t{c.get('status', '')}\t{format_rfc1123z(c.get('lastTransitionTime'))}"
                f"\t{c.get('reason', '')}\t{c.get('message', '')}\n",
            )
    w.write(LEVEL_0, "\n")
    quotas = sorted(extra.get("resource_quotas") or [], key=lambda q: _meta(q).get("name", ""))
    if not quotas:
        w.write(LEVEL_0, "No resource quota.\n")
    else:
        w.write(LEVEL_0, "Resource Quotas\n")
        for q in quotas:
            w.write(LEVEL_1, f"Name:\t{_meta(q).get('name', '')}\n")
            scopes = sorted(_spec(q).get("scopes") or [])
            if scopes:
                w.write(LEVEL_1, f"Scopes:\t{', '.join(scopes)}\n")
            w.write(LEVEL_1, "Resource\tUsed\tHard\n")
            w.write(LEVEL_1, "--------\t---\t---\n")
            hard = _status(q).get("hard") or {}
            used = _status(q).get("used") or {}
            for res in sorted(hard):
                w.write(LEVEL_1, f"{res}\t{used.get(res, '0')}\t{hard[res]}\n")
    w.write(LEVEL_0, "\n")
    ranges = extra.get("limit_ranges") or []
    if not ranges:
        w.write(LEVEL_0, "No LimitRange resource.\n")
    else:
        w.write(
            LEVEL_0,
            "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
        )
        w.write(
            LEVEL_0,
            " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
        )
        for lr in ranges:
            for item in _spec(lr).get("limits") or []:
                keys = set()
                for field in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
                    keys |= set(item.get(field) or {})
                for res in sorted(keys):
                    cells = [
                        str((item.get(f) or {}).get(res, "-"))
                        for f in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")
                    ]
                    w.write(LEVEL_0, f" {item.get('type', '')}\t{res}\t" + "\t".join(cells) + "\n")
    return w.getvalue()


def _format_endpoint_slices(slices: Sequence[dict], ports: set[str] | None) -> str:
    if not slices:
        return "<none>"
    out: list[str] = []
    limit, more, count = 3, False, 0
    for eps in slices:
        endpoints = eps.get("endpoints") or []
        if not eps.get("ports"):
            for ep in endpoints:
                if len(out) == limit:
                    more = True
                ready = (ep.get("conditions") or {}).get("ready")
                if ready is False:
                    continue
                if not more:
                    out.append((ep.get("addresses") or [""])[0])
                count += 1
        else:
            for port in eps["ports"]:
                if ports is None or (port.get("name") or "") in ports:
                    for ep in endpoints:
                        if len(out) == limit:
                            more = True
                        ready = (ep.get("conditions") or {}).get("ready")
                        if ready is False:
                            continue
                        if not more:
                            out.append(
                                join_host_port((ep.get("addresses") or [""])[0], port.get("port"))
                            )
                        count += 1
    text = ",".join(out)
    if more:
        return f"{text} + {count - limit} more..."
    return text


def _describe_service(svc: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(svc), _spec(svc), _status(svc)
    slices = extra.get("endpoint_slices") or []
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(LEVEL_0, f"Type:\t{spec.get('type', 'ClusterIP')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(LEVEL_0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or []
    w.write(LEVEL_0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(LEVEL_0, f"IP:\t{spec.get('clusterIP', '')}\n")
    ips = spec.get("clusterIPs") or []
    w.write(LEVEL_0, f"IPs:\t{','.join(ips) if ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(LEVEL_0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(LEVEL_0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(LEVEL_0, f"External Name:\t{spec['externalName']}\n")
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        parts = []
        for ing in ingress:
            if ing.get("ip"):
                parts.append(ing["ip"] + (f" ({ing['ipMode']})" if ing.get("ipMode") else ""))
            else:
                parts.append(ing.get("hostname", ""))
        w.write(LEVEL_0, f"LoadBalancer Ingress:\t{', '.join(parts)}\n")
    for sp in spec.get("ports") or []:
        name = sp.get("name") or "<unset>"
        proto = sp.get("protocol") or "TCP"
        w.write(LEVEL_0, f"Port:\t{name}\t{sp.get('port')}/{proto}\n")
        target = sp.get("targetPort", sp.get("port"))
        w.write(LEVEL_0, f"TargetPort:\t{target}/{proto}\n")
        if sp.get("nodePort"):
            w.write(LEVEL_0, f"NodePort:\t{name}\t{sp['nodePort']}/{proto}\n")
        w.write(LEVEL_0, f"Endpoints:\t{_format_endpoint_slices(slices, {sp.get('name') or ''})}\n")
    w.write(LEVEL_0, f"Session Affinity:\t{spec.get('sessionAffinity', 'None')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(LEVEL_0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(LEVEL_0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(LEVEL_0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(
            LEVEL_0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n"
        )
    if spec.get("trafficDistribution"):
        w.write(LEVEL_0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")
    _events(w, events, now)
    return w.getvalue()


def _describe_ingress_backend(ns: str, backend: dict, extra: dict) -> str:
    """describe.go ``describeBackendV1``: ``svc:port (endpoints)`` or the resource reference."""
    service = backend.get("service")
    if service is not None:
        port = service.get("port") or {}
        sb = f"{service.get('name', '')}:{port.get('number') if port.get('number') else port.get('name', '')}"
        svc = next(
            (
                s
                for s in extra.get("services") or []
                if _meta(s).get("name") == service.get("name")
                and _meta(s).get("namespace", ns) == ns
            ),
            None,
        )
        if svc is None:
            return f'{sb} (<error: services "{service.get("name", "")}" not found>)'
        slices = [
            e
            for e in extra.get("endpoint_slices") or []
            if (_meta(e).get("labels") or {}).get("kubernetes.io/service-name")
            == service.get("name")
        ]
        sp_name = ""
        for sp in _spec(svc).get("ports") or []:
            if port.get("number") and port.get("number") == sp.get("port"):
                sp_name = sp.get("name") or ""
            elif port.get("name") and port.get("name") == sp.get("name"):
                sp_name = sp.get("name") or ""
        return f"{sb} ({_format_endpoint_slices(slices, {sp_name})})"
    resource = backend.get("resource")
    if resource is not None:
        group = resource.get("apiGroup")
        return (
            f"APIGroup: {group if group is not None else '<none>'}, Kind: {resource.get('kind', '')}, "
            f"Name: {resource.get('name', '')}"
        )
    return ""


def _describe_ingress(ing: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(ing), _spec(ing), _status(ing)
    ns = meta.get("namespace", "")
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    w.write(LEVEL_0, f"Namespace:\t{ns}\n")
    addresses = set()
    for lb in (status.get("loadBalancer") or {}).get("ingress") or []:
        if lb.get("ip"):
            addresses.add(lb["ip"])
        elif lb.get("hostname"):
            addresses.add(lb["hostname"])
    w.write(LEVEL_0, f"Address:\t{','.join(sorted(addresses))}\n")
    class_name = spec.get("ingressClassName")
    w.write(LEVEL_0, f"Ingress Class:\t{class_name if class_name is not None else '<none>'}\n")
    default = spec.get("defaultBackend")
    default_text = (
        _describe_ingress_backend(ns, default, extra) if default is not None else "<default>"
    )
    w.write(LEVEL_0, f"Default backend:\t{default_text}\n")
    if spec.get("tls"):
        w.write(LEVEL_0, "TLS:\n")
        for t in spec["tls"]:
            hosts = ",".join(t.get("hosts") or [])
            if not t.get("secretName"):
                w.write(LEVEL_1, f"SNI routes {hosts}\n")
            else:
                w.write(LEVEL_1, f"{t['secretName']} terminates {hosts}\n")
    w.write(LEVEL_0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(LEVEL_1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or []:
        if rule.get("http") is None:
            continue
        count += 1
        w.write(LEVEL_1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or []:
            backend = _describe_ingress_backend(ns, path.get("backend") or {}, extra)
            w.write(LEVEL_2, f"\t{path.get('path', '')} \t{backend}\n")
    if count == 0:
        w.write(LEVEL_1, f"*\t*\t{default_text}\n")
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    _events(w, events, now)
    return w.getvalue()


def _rs_summary(rs: dict) -> str:
    return f"{_meta(rs).get('name', '')} ({int(_status(rs).get('replicas') or 0)}/{int(_spec(rs).get('replicas', 1))} replicas created)"


def _describe_deployment(d: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(d), _spec(d), _status(d)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{format_rfc1123z(meta.get('creationTimestamp'))}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    w.write(
        LEVEL_0,
        f"Replicas:\t{int(spec.get('replicas', 1))} desired | {int(status.get('updatedReplicas') or 0)} updated | "
        f"{int(status.get('replicas') or 0)} total | {int(status.get('availableReplicas') or 0)} available | "
        f"{int(status.get('unavailableReplicas') or 0)} unavailable\n",
    )
    strategy = spec.get("strategy") or {}
    w.write(LEVEL_0, f"StrategyType:\t{strategy.get('type', 'RollingUpdate')}\n")
    w.write(LEVEL_0, f"MinReadySeconds:\t{int(spec.get('minReadySeconds') or 0)}\n")
    ru = strategy.get("rollingUpdate")
    if ru is not None:
        w.write(
            LEVEL_0,
            f"RollingUpdateStrategy:\t{_int_or_string(ru.get('maxUnavailable'))} max unavailable, "
            f"{_int_or_string(ru.get('maxSurge'))} max surge\n",
        )
    _describe_pod_template(spec.get("template"), w)
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(LEVEL_1, "----\t------\t------\n")
        for c in conditions:
            w.write(
                LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n"
            )
    old = list(extra.get("old_replica_sets") or [])
    new = [extra["new_replica_set"]] if extra.get("new_replica_set") else []
    if old or new:
        w.write(LEVEL_0, f"OldReplicaSets:\t{', '.join(_rs_summary(r) for r in old) or '<none>'}\n")
        w.write(LEVEL_0, f"NewReplicaSet:\t{', '.join(_rs_summary(r) for r in new) or '<none>'}\n")
    _events(w, events, now)
    return w.getvalue()


def _pod_counts(obj: dict, pods: Iterable[dict]) -> str:
    uid = _meta(obj).get("uid")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for p in pods:
        ref = _controller_of(p)
        if ref is None or ref.get("uid") != uid:
            continue
        phase = _status(p).get("phase")
        if phase in counts:
            counts[phase] += 1
    return (
        f"{counts['Running']} Running / {counts['Pending']} Waiting / "
        f"{counts['Succeeded']} Succeeded / {counts['Failed']} Failed"
    )


def _describe_replica_set(rs: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(rs), _spec(rs), _status(rs)
    rc = rs.get("kind") == "ReplicationController"
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    selector = (
        format_labels(spec.get("selector")) if rc else format_label_selector(spec.get("selector"))
    )
    w.write(LEVEL_0, f"Selector:\t{selector}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if not rc and _print_controller(rs):
        w.write(LEVEL_0, f"Controlled By:\t{_print_controller(rs)}\n")
    w.write(
        LEVEL_0,
        f"Replicas:\t{int(status.get('replicas') or 0)} current / {int(spec.get('replicas', 1))} desired\n",
    )
    w.write(LEVEL_0, f"Pods Status:\t{_pod_counts(rs, extra.get('pods') or [])}\n")
    _describe_pod_template(spec.get("template"), w)
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(LEVEL_1, "----\t------\t------\n")
        for c in conditions:
            w.write(
                LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n"
            )
    _events(w, events, now)
    return w.getvalue()


def _describe_daemon_set(ds: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(ds), _spec(ds), _status(ds)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w.write(LEVEL_0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    for key, title in (
        ("desiredNumberScheduled", "Desired Number of Nodes Scheduled"),
        ("currentNumberScheduled", "Current Number of Nodes Scheduled"),
        ("updatedNumberScheduled", "Number of Nodes Scheduled with Up-to-date Pods"),
        ("numberAvailable", "Number of Nodes Scheduled with Available Pods"),
        ("numberMisscheduled", "Number of Nodes Misscheduled"),
    ):
        w.write(LEVEL_0, f"{title}: {int(status.get(key) or 0)}\n")
    w.write(LEVEL_0, f"Pods Status:\t{_pod_counts(ds, extra.get('pods') or [])}\n")
    _describe_pod_template(spec.get("template"), w)
    _events(w, events, now)
    return w.getvalue()


def _describe_stateful_set(
    sts: dict, events: Sequence[dict] | None, now: float, extra: dict
) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(sts), _spec(sts), _status(sts)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{format_rfc1123z(meta.get('creationTimestamp'))}\n")
    w.write(LEVEL_0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(
        LEVEL_0,
        f"Replicas:\t{int(spec.get('replicas', 1))} desired | {int(status.get('replicas') or 0)} total\n",
    )
    strategy = spec.get("updateStrategy") or {}
    w.write(LEVEL_0, f"Update Strategy:\t{strategy.get('type', 'RollingUpdate')}\n")
    ru = strategy.get("rollingUpdate")
    if ru is not None and ru.get("partition") is not None:
        w.write(LEVEL_1, f"Partition:\t{ru['partition']}\n")
        if ru.get("maxUnavailable") is not None:
            w.write(LEVEL_1, f"MaxUnavailable:\t{ru['maxUnavailable']}\n")
    w.write(LEVEL_0, f"Pods Status:\t{_pod_counts(sts, extra.get('pods') or [])}\n")
    _describe_pod_template(spec.get("template"), w)
    templates = spec.get("volumeClaimTemplates") or []
    if not templates:
        w.write(LEVEL_0, "Volume Claims:\t<none>\n")
    else:
        w.write(LEVEL_0, "Volume Claims:\n")
        for pvc in templates:
            pmeta, pspec = _meta(pvc), _spec(pvc)
            w.write(LEVEL_1, f"Name:\t{pmeta.get('name', '')}\n")
            w.write(LEVEL_1, f"StorageClass:\t{_pvc_class(pvc)}\n")
            _print_labels_multiline(w, "Labels", pmeta.get("labels"), initial_indent="  ")
            _print_labels_multiline(w, "Annotations", pmeta.get("annotations"), initial_indent="  ")
            storage = ((pspec.get("resources") or {}).get("requests") or {}).get("storage")
            w.write(LEVEL_1, f"Capacity:\t{storage if storage is not None else '<default>'}\n")
            w.write(LEVEL_1, f"Access Modes:\t{go_sprint(pspec.get('accessModes') or [])}\n")
    _events(w, events, now)
    return w.getvalue()


def _describe_job(job: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(job), _spec(job), _status(job)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if _print_controller(job):
        w.write(LEVEL_0, f"Controlled By:\t{_print_controller(job)}\n")
    if spec.get("parallelism") is not None:
        w.write(LEVEL_0, f"Parallelism:\t{spec['parallelism']}\n")
    w.write(
        LEVEL_0,
        f"Completions:\t{spec['completions'] if spec.get('completions') is not None else '<unset>'}\n",
    )
    if spec.get("completionMode") is not None:
        w.write(LEVEL_0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(LEVEL_0, f"Suspend:\t{go_sprint(bool(spec['suspend']))}\n")
    if spec.get("backoffLimit") is not None:
        w.write(LEVEL_0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(LEVEL_0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    start, done = status.get("startTime"), status.get("completionTime")
    if start:
        w.write(LEVEL_0, f"Start Time:\t{format_rfc1123z(start)}\n")
    if done:
        w.write(LEVEL_0, f"Completed At:\t{format_rfc1123z(done)}\n")
    if start and done:
        w.write(LEVEL_0, f"Duration:\t{human_duration(parse_time(done) - parse_time(start))}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    active, succeeded, failed = (int(status.get(k) or 0) for k in ("active", "succeeded", "failed"))
    if status.get("ready") is None:
        w.write(
            LEVEL_0, f"Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n"
        )
    else:
        w.write(
            LEVEL_0,
            f"Pods Statuses:\t{active} Active ({int(status['ready'])} Ready) / {succeeded} Succeeded / {failed} Failed\n",
        )
    if spec.get("completionMode") == "Indexed":
        w.write(LEVEL_0, f"Completed Indexes:\t{status.get('completedIndexes') or '<none>'}\n")
    _describe_pod_template(spec.get("template"), w)
    _events(w, events, now)
    return w.getvalue()


def _describe_cron_job(cj: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(cj), _spec(cj), _status(cj)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(LEVEL_0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    w.write(LEVEL_0, f"Suspend:\t{print_bool_ptr(spec.get('suspend'))}\n")
    for key, title in (
        ("successfulJobsHistoryLimit", "Successful Job History Limit"),
        ("failedJobsHistoryLimit", "Failed Job History Limit"),
    ):
        w.write(LEVEL_0, f"{title}:\t{spec[key] if spec.get(key) is not None else '<unset>'}\n")
    deadline = spec.get("startingDeadlineSeconds")
    w.write(
        LEVEL_0,
        f"Starting Deadline Seconds:\t{f'{deadline}s' if deadline is not None else '<unset>'}\n",
    )
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if job_spec.get("selector") is not None:
        w.write(LEVEL_0, f"Selector:\t{_selector_string(job_spec['selector'])}\n")
    else:
        w.write(LEVEL_0, "Selector:\t<unset>\n")
    for key, title in (("parallelism", "Parallelism"), ("completions", "Completions")):
        w.write(
            LEVEL_0, f"{title}:\t{job_spec[key] if job_spec.get(key) is not None else '<unset>'}\n"
        )
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s\n")
    _describe_pod_template(job_spec.get("template"), w)
    last = status.get("lastScheduleTime")
    w.write(LEVEL_0, f"Last Schedule Time:\t{format_rfc1123z(last) if last else '<unset>'}\n")
    w.write(LEVEL_0, "Active Jobs:\t")
    active = status.get("active") or []
    if not active:
        w.write_line("<none>")
    else:
        w.write(LEVEL_0, ", ".join(j.get("name", "") for j in active))
        w.write_line("")
    _events(w, events, now)
    return w.getvalue()


def _describe_config_map(cm: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta = _meta(cm)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "\nData\n====\n")
    data = cm.get("data") or {}
    for key in sorted(data):
        w.write(LEVEL_0, f"{key}:\n----\n")
        w.write(LEVEL_0, f"{data[key]}\n")
        w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for key in sorted(binary):
        w.write(LEVEL_0, f"{key}: {_decoded_len(binary[key])} bytes\n")
    w.write(LEVEL_0, "\n")
    _events(w, events, now)
    return w.getvalue()


def _describe_secret(secret: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta = _meta(secret)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    type_ = secret.get("type") or "Opaque"
    w.write(LEVEL_0, f"\nType:\t{type_}\n")
    w.write(LEVEL_0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        if key == "token" and type_ == "kubernetes.io/service-account-token":
            try:
                token = base64.b64decode(str(data[key])).decode()
            except (binascii.Error, ValueError):
                token = str(data[key])
            w.write(LEVEL_0, f"{key}:\t{token}\n")
        else:
            w.write(LEVEL_0, f"{key}:\t{_decoded_len(data[key])} bytes\n")
    return w.getvalue()


def _describe_service_account(
    sa: dict, events: Sequence[dict] | None, now: float, extra: dict
) -> str:
    w = PrefixWriter()
    meta = _meta(sa)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    secrets = extra.get("secrets")
    existing = {_meta(s).get("name") for s in secrets or []}
    tokens = [
        _meta(s).get("name", "")
        for s in secrets or []
        if s.get("type") == "kubernetes.io/service-account-token"
        and (_meta(s).get("annotations") or {}).get("kubernetes.io/service-account.name")
        == meta.get("name")
        and (_meta(s).get("annotations") or {}).get("kubernetes.io/service-account.uid")
        == meta.get("uid")
    ]
    pull = [s.get("name", "") for s in sa.get("imagePullSecrets") or []]
    mount = [s.get("name", "") for s in sa.get("secrets") or []]
    missing = set() if secrets is None else {n for n in pull + mount if n not in existing}
    for header, names in (
        ("Image pull secrets:", pull),
        ("Mountable secrets: ", mount),
        ("Tokens:            ", tokens),
    ):
        if not names:
            w.write(LEVEL_0, f"{header}\t<none>\n")
            continue
        prefix = header
        for n in names:
            w.write(LEVEL_0, f"{prefix}\t{n}{' (not found)' if n in missing else ''}\n")
            prefix = " " * 19
    _events(w, events, now)
    return w.getvalue()


def _describe_binding(rb: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta = _meta(rb)
    ref = rb.get("roleRef") or {}
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "Role:\n")
    w.write(LEVEL_1, f"Kind:\t{ref.get('kind', '')}\n")
    w.write(LEVEL_1, f"Name:\t{ref.get('name', '')}\n")
    w.write(LEVEL_0, "Subjects:\n")
    w.write(LEVEL_1, "Kind\tName\tNamespace\n")
    w.write(LEVEL_1, "----\t----\t---------\n")
    for s in rb.get("subjects") or []:
        w.write(LEVEL_1, f"{s.get('kind', '')}\t{s.get('name', '')}\t{s.get('namespace', '')}\n")
    return w.getvalue()


def _breakdown_rule(rule: dict) -> list[dict]:
    """kubectl ``rbac.BreakdownRule``: one verb, resource and resource name per rule."""
    out = []
    for group in rule.get("apiGroups") or []:
        for resource in rule.get("resources") or []:
            for verb in rule.get("verbs") or []:
                names = rule.get("resourceNames") or []
                for name in names or [None]:
                    sub = {"apiGroups": [group], "resources": [resource], "verbs": [verb]}
                    if name is not None:
                        sub["resourceNames"] = [name]
                    out.append(sub)
    for url in rule.get("nonResourceURLs") or []:
        for verb in rule.get("verbs") or []:
            out.append({"nonResourceURLs": [url], "verbs": [verb]})
    return out


def _compact_rules(rules: list[dict]) -> list[dict]:
    """kubectl ``rbac.CompactRules``: merge the verbs of single group/resource/name rules."""
    compacted: list[dict] = []
    simple: dict[tuple, dict] = {}
    for rule in rules:
        names = rule.get("resourceNames") or []
        is_simple = (
            len(names) <= 1
            and not rule.get("nonResourceURLs")
            and len(rule.get("apiGroups") or []) == 1
            and len(rule.get("resources") or []) == 1
        )
        if not is_simple:
            compacted.append(rule)
            continue
        key = (rule["apiGroups"][0], rule["resources"][0], names[0] if names else None)
        if key in simple:
            for verb in rule.get("verbs") or []:
                if verb not in simple[key]["verbs"]:
                    simple[key]["verbs"].append(verb)
        else:
            simple[key] = {**rule, "verbs": list(rule.get("verbs") or [])}
    return compacted + list(simple.values())


def _policy_rule_string(rule: dict) -> str:
    """The generated ``PolicyRule.String()`` kubectl sorts rules by."""
    return (
        f"&PolicyRule{{Verbs:{go_sprint(rule.get('verbs') or [])},APIGroups:{go_sprint(rule.get('apiGroups') or [])},"
        f"Resources:{go_sprint(rule.get('resources') or [])},ResourceNames:{go_sprint(rule.get('resourceNames') or [])},"
        f"NonResourceURLs:{go_sprint(rule.get('nonResourceURLs') or [])},}}"
    )


def _combine_resource_group(resources: list, groups: list) -> str:
    if not resources:
        return ""
    parts = str(resources[0]).split("/", 1)
    combined = parts[0]
    if groups and groups[0] != "":
        combined += "." + groups[0]
    if len(parts) == 2:
        combined += "/" + parts[1]
    return combined


def _describe_role(role: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta = _meta(role)
    rules = [sub for rule in role.get("rules") or [] for sub in _breakdown_rule(rule)]
    compact = sorted(_compact_rules(rules), key=_policy_rule_string)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "PolicyRule:\n")
    w.write(LEVEL_1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n")
    w.write(LEVEL_1, "---------\t-----------------\t--------------\t-----\n")
    for r in compact:
        w.write(
            LEVEL_1,
            f"{_combine_resource_group(r.get('resources') or [], r.get('apiGroups') or [])}\t"
            f"{go_sprint(r.get('nonResourceURLs') or [])}\t{go_sprint(r.get('resourceNames') or [])}\t"
            f"{go_sprint(r.get('verbs') or [])}\n",
        )
    return w.getvalue()


def _pvc_class(pvc: dict) -> str:
    ann = _meta(pvc).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in ann:
        return ann["volume.beta.kubernetes.io/storage-class"]
    return str(_spec(pvc).get("storageClassName") or "")


def _print_pvc_fields(w: PrefixWriter, pvc: dict, full: bool, now: float = 0.0) -> None:
    meta, spec, status = _meta(pvc), _spec(pvc), _status(pvc)
    if full:
        w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
        w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"StorageClass:\t{_pvc_class(pvc)}\n")
    if full:
        if meta.get("deletionTimestamp"):
            w.write(
                LEVEL_0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], now)})\n"
            )
        else:
            w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    w.write(LEVEL_0, f"Volume:\t{spec.get('volumeName', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if full:
        w.write(LEVEL_0, f"Finalizers:\t{go_sprint(meta.get('finalizers') or [])}\n")
    capacity = access = ""
    if spec.get("volumeName"):
        access = access_modes_string(status.get("accessModes"))
        capacity = str((status.get("capacity") or {}).get("storage", "0"))
    w.write(LEVEL_0, f"Capacity:\t{capacity}\n")
    w.write(LEVEL_0, f"Access Modes:\t{access}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    ds = spec.get("dataSource")
    if ds is not None:
        w.write(LEVEL_0, "DataSource:\n")
        if ds.get("apiGroup") is not None:
            w.write(LEVEL_1, f"APIGroup:\t{ds['apiGroup']}\n")
        w.write(LEVEL_1, f"Kind:\t{ds.get('kind', '')}\n")
        w.write(LEVEL_1, f"Name:\t{ds.get('name', '')}\n")


def _describe_pvc(pvc: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    _print_pvc_fields(w, pvc, True, now)
    name, uid = _meta(pvc).get("name"), _meta(pvc).get("uid")
    users = []
    for p in extra.get("pods") or []:
        uses = any(
            (v.get("persistentVolumeClaim") or {}).get("claimName") == name
            for v in _spec(p).get("volumes") or []
        )
        owns = any(
            r.get("kind") == "Pod" and r.get("uid") == _meta(p).get("uid")
            for r in _meta(pvc).get("ownerReferences") or []
        )
        if uses or (owns and uid is not None):
            users.append(_meta(p).get("name", ""))
    w.write(LEVEL_0, "Used By:\t")
    if not users:
        w.write_line("<none>")
    else:
        for i, n in enumerate(sorted(users)):
            if i:
                w.write(LEVEL_0, "\t")
            w.write(LEVEL_0, f"{n}\n")
    conditions = _status(pvc).get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                LEVEL_1,
                f"{c.get('type', '')} \t{c.get('status', '')} \t{format_rfc1123z(c.get('lastProbeTime'))} "
                f"\t{format_rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n",
            )
    _events(w, events, now)
    return w.getvalue()


def _describe_pv(pv: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta, spec, status = _meta(pv), _spec(pv), _status(pv)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Finalizers:\t{go_sprint(meta.get('finalizers') or [])}\n")
    w.write(LEVEL_0, f"StorageClass:\t{_pvc_class(pv)}\n")
    if meta.get("deletionTimestamp"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], now)})\n")
    else:
        w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    claim = spec.get("claimRef")
    w.write(
        LEVEL_0,
        f"Claim:\t{claim.get('namespace', '') + '/' + claim.get('name', '') if claim else ''}\n",
    )
    w.write(LEVEL_0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(LEVEL_0, f"Access Modes:\t{access_modes_string(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(LEVEL_0, f"Capacity:\t{(spec.get('capacity') or {}).get('storage', '0')}\n")
    w.write(LEVEL_0, "Node Affinity:\t")
    required = (spec.get("nodeAffinity") or {}).get("required")
    if required is None:
        w.write_line("<none>")
    else:
        w.write_line("")
        w.write(LEVEL_1, "Required Terms:\t")
        terms = required.get("nodeSelectorTerms") or []
        if not terms:
            w.write_line("<none>")
        else:
            w.write_line("")
            for i, term in enumerate(terms):
                w.write(LEVEL_2, f"Term {i}:\t")
                exprs = term.get("matchExpressions") or []
                if not exprs:
                    w.write_line("<none>")
                for j, req in enumerate(exprs):
                    if j:
                        w.write(LEVEL_2, "\t")
                    text = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
                    if req.get("values"):
                        text += f" [{', '.join(req['values'])}]"
                    w.write(LEVEL_0, text + "\n")
    w.write(LEVEL_0, f"Message:\t{status.get('message', '')}\n")
    w.write(LEVEL_0, "Source:\n")
    if spec.get("local") is not None:
        w.write(
            LEVEL_2,
            "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n"
            f"    Path:\t{spec['local'].get('path', '')}\n",
        )
    elif spec.get("csi") is not None:
        c = spec["csi"]
        w.write(
            LEVEL_2,
            "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
            f"    Driver:\t{c.get('driver', '')}\n    FSType:\t{c.get('fsType', '')}\n"
            f"    VolumeHandle:\t{c.get('volumeHandle', '')}\n    ReadOnly:\t{go_sprint(bool(c.get('readOnly')))}\n",
        )
        _print_csi_attributes(w, c.get("volumeAttributes"))
    elif any(spec.get(k) is not None for k in ("hostPath", "nfs")):
        _print_volume_source(spec, w)
    else:
        w.write(LEVEL_1, "<unknown>\n")
    _events(w, events, now)
    return w.getvalue()


def _describe_storage_class(
    sc: dict, events: Sequence[dict] | None, now: float, extra: dict
) -> str:
    w = PrefixWriter()
    meta = _meta(sc)
    ann = meta.get("annotations") or {}
    default = (
        ann.get("storageclass.kubernetes.io/is-default-class") == "true"
        or ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true"
    )
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"IsDefaultClass:\t{'Yes' if default else 'No'}\n")
    w.write(LEVEL_0, f"Annotations:\t{format_labels(ann)}\n")
    w.write(LEVEL_0, f"Provisioner:\t{sc.get('provisioner', '')}\n")
    w.write(LEVEL_0, f"Parameters:\t{format_labels(sc.get('parameters'))}\n")
    w.write(LEVEL_0, f"AllowVolumeExpansion:\t{print_bool_ptr(sc.get('allowVolumeExpansion'))}\n")
    options = sc.get("mountOptions") or []
    if not options:
        w.write(LEVEL_0, "MountOptions:\t<none>\n")
    else:
        w.write(LEVEL_0, "MountOptions:\n")
        for o in options:
            w.write(LEVEL_1, f"{o}\n")
    if sc.get("reclaimPolicy") is not None:
        w.write(LEVEL_0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode") is not None:
        w.write(LEVEL_0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    _events(w, events, now)
    return w.getvalue()


def _describe_endpoints(ep: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta = _meta(ep)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "Subsets:\n")
    for ss in ep.get("subsets") or []:
        addrs = ",".join(a.get("ip", "") for a in ss.get("addresses") or [])
        w.write(LEVEL_1, f"Addresses:\t{addrs or '<none>'}\n")
        not_ready = ",".join(a.get("ip", "") for a in ss.get("notReadyAddresses") or [])
        w.write(LEVEL_1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        if ss.get("ports"):
            w.write(LEVEL_1, "Ports:\n")
            w.write(LEVEL_2, "Name\tPort\tProtocol\n")
            w.write(LEVEL_2, "----\t----\t--------\n")
            for p in ss["ports"]:
                w.write(
                    LEVEL_2,
                    f"{p.get('name') or '<unset>'}\t{p.get('port')}\t{p.get('protocol') or 'TCP'}\n",
                )
        w.write(LEVEL_0, "\n")
    _events(w, events, now)
    return w.getvalue()


# --------------------------------------------------------------------------- generic


def _camelcase_split(src: str) -> list[str]:
    """fatih/camelcase ``Split``: runs of one character class, ``HTTPServer`` -> HTTP, Server."""
    if not src:
        return []

    def cls(ch: str) -> int:
        if ch.islower():
            return 1
        if ch.isupper():
            return 2
        if ch.isdigit():
            return 3
        return 4

    runs: list[list[str]] = []
    last = 0
    for ch in src:
        c = cls(ch)
        if c == last and runs:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        last = c
    for i in range(len(runs) - 1):
        if runs[i][0].isupper() and runs[i + 1][0].islower():
            runs[i + 1] = [runs[i][-1], *runs[i + 1]]
            runs[i] = runs[i][:-1]
    return ["".join(r) for r in runs if r]


def smart_label_for(field: str) -> str:
    """describe.go ``smartLabelFor``: ``creationTimestamp`` -> ``Creation Timestamp``, ``apiVersion`` -> ``API Version``."""
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    out = []
    for part in _camelcase_split(field):
        if part == "_":
            continue
        if part.upper() in ("API", "URL", "UID", "OSB", "GUID"):
            out.append(part.upper())
        else:
            out.append(part[:1].upper() + part[1:])
    return " ".join(out)


def _print_unstructured(
    w: PrefixWriter, level: int, content: dict, prefix: str, skip: set[str]
) -> None:
    for key in sorted(content):
        value = content[key]
        path = f"{prefix}.{key}"
        if path in skip:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label_for(key)}:\n")
            _print_unstructured(w, level + 1, value, path, skip)
        elif isinstance(value, list):
            w.write(level, f"{smart_label_for(key)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _print_unstructured(w, level + 1, child, path, skip)
                else:
                    w.write(level + 1, f"{go_sprint(child)}\n")
        else:
            w.write(level, f"{smart_label_for(key)}:\t{go_sprint(value)}\n")


def _describe_generic(obj: dict, events: Sequence[dict] | None, now: float, extra: dict) -> str:
    w = PrefixWriter()
    meta = _meta(obj)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    skip = {
        ".metadata.managedFields",
        ".metadata.name",
        ".metadata.namespace",
        ".metadata.labels",
        ".metadata.annotations",
    }
    _print_unstructured(w, LEVEL_0, obj, "", skip)
    _events(w, events, now)
    return w.getvalue()


# --------------------------------------------------------------------------- entry point

_Describer = Callable[[dict, "Sequence[dict] | None", float, dict], str]

_DESCRIBERS: dict[str, _Describer] = {
    "Pod": _describe_pod,
    "Node": _describe_node,
    "Namespace": _describe_namespace,
    "Service": _describe_service,
    "Ingress": _describe_ingress,
    "Deployment": _describe_deployment,
    "ReplicaSet": _describe_replica_set,
    "ReplicationController": _describe_replica_set,
    "DaemonSet": _describe_daemon_set,
    "StatefulSet": _describe_stateful_set,
    "Job": _describe_job,
    "CronJob": _describe_cron_job,
    "ConfigMap": _describe_config_map,
    "Secret": _describe_secret,
    "ServiceAccount": _describe_service_account,
    "Role": _describe_role,
    "ClusterRole": _describe_role,
    "RoleBinding": _describe_binding,
    "ClusterRoleBinding": _describe_binding,
    "PersistentVolumeClaim": _describe_pvc,
    "PersistentVolume": _describe_pv,
    "StorageClass": _describe_storage_class,
    "Endpoints": _describe_endpoints,
}


def describe(
    obj: dict, events: Sequence[dict] | None, now: float, extra: dict | None = None
) -> str:
    """``kubectl describe`` text for ``obj`` (see the module docstring for ``extra``)."""
    fn = _DESCRIBERS.get(str(obj.get("kind", "")), _describe_generic)
    return fn(obj, events, now, extra or {})
