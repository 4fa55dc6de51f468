"""Semantic validation, as ``pkg/apis/core/validation`` and ``pkg/apis/apps/validation`` do it.

Each check returns ``(field path, message)`` causes; the API server turns a non-empty list into
``The Pod "x" is invalid: <field>: <message>`` (422 Invalid) and stores nothing. Schema checks
for what a learner submits (unknown fields, wrong types) live in :mod:`k8snb.api.schema`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8snb.api import names
from k8snb.api.labels import validate_labels

__all__ = ["validate", "fmt_value", "invalid_value", "required"]

Obj = dict[str, Any]
Causes = list[tuple[str, str]]

# Kinds whose names are DNS-1123 labels / DNS-1035 labels; every other kind uses subdomains.
_LABEL_NAMES = {"Namespace"}
_DNS1035_NAMES = {"Service"}
_RESTART_POLICIES = ("Always", "OnFailure", "Never")


def fmt_value(value: Any) -> str:
    """Render a value as Go's ``%#v``-ish form in field errors: strings quoted, ints bare."""
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def invalid_value(field: str, value: Any, detail: str) -> tuple[str, str]:
    return field, f"Invalid value: {fmt_value(value)}: {detail}"


def required(field: str, detail: str = "") -> tuple[str, str]:
    return field, "Required value" + (f": {detail}" if detail else "")


def unsupported(field: str, value: Any, supported: tuple[str, ...]) -> tuple[str, str]:
    values = ", ".join(fmt_value(s) for s in supported)
    return field, f"Unsupported value: {fmt_value(value)}: supported values: {values}"


def validate_metadata(obj: Obj, namespaced: bool) -> Causes:
    causes: Causes = []
    meta = obj.get("metadata") or {}
    kind = obj.get("kind", "")
    name = meta.get("name")
    if not name and not meta.get("generateName"):
        causes.append(required("metadata.name", "name or generateName is required"))
    elif name:
        if kind in _LABEL_NAMES:
            errs = names.is_dns1123_label(name)
        elif kind in _DNS1035_NAMES:
            errs = names.is_dns1035_label(name)
        else:
            errs = names.is_dns1123_subdomain(name)
        causes.extend(invalid_value("metadata.name", name, e) for e in errs)
    if namespaced and meta.get("namespace"):
        for e in names.is_dns1123_label(meta["namespace"]):
            causes.append(invalid_value("metadata.namespace", meta["namespace"], e))
    for key, value in (meta.get("labels") or {}).items():
        for field, msg in validate_labels({key: value}):
            causes.append(("metadata.labels", msg) if not field else (field, msg))
    return causes


def _container(c: Any, path: str, seen: set[str]) -> Causes:
    causes: Causes = []
    if not isinstance(c, dict):
        return [invalid_value(path, c, "must be an object")]
    name = c.get("name")
    if not name:
        causes.append(required(f"{path}.name"))
    else:
        causes.extend(invalid_value(f"{path}.name", name, e) for e in names.is_dns1123_label(name))
        if name in seen:
            causes.append((f"{path}.name", f"Duplicate value: {fmt_value(name)}"))
        seen.add(name)
    if not c.get("image"):
        causes.append(required(f"{path}.image"))
    for j, p in enumerate(c.get("ports") or []):
        port = p.get("containerPort")
        if port is None:
            causes.append(required(f"{path}.ports[{j}].containerPort"))
        elif not isinstance(port, int) or not 1 <= port <= 65535:
            causes.append(invalid_value(f"{path}.ports[{j}].containerPort", port,
                                        "must be between 1 and 65535, inclusive"))
    return causes


def validate_pod_spec(spec: Any, path: str, restart_policies: tuple[str, ...] = _RESTART_POLICIES
                      ) -> Causes:
    if not isinstance(spec, dict):
        return [required(path)]
    causes: Causes = []
    containers = spec.get("containers")
    if not containers:
        causes.append(required(f"{path}.containers"))
    seen: set[str] = set()
    for i, c in enumerate(spec.get("initContainers") or []):
        causes.extend(_container(c, f"{path}.initContainers[{i}]", seen))
    for i, c in enumerate(containers or []):
        causes.extend(_container(c, f"{path}.containers[{i}]", seen))
    rp = spec.get("restartPolicy")
    if rp is not None and rp not in restart_policies:
        causes.append(unsupported(f"{path}.restartPolicy", rp, restart_policies))
    vol_names: set[str] = set()
    for i, v in enumerate(spec.get("volumes") or []):
        vname = v.get("name") if isinstance(v, dict) else None
        if not vname:
            causes.append(required(f"{path}.volumes[{i}].name"))
            continue
        if vname in vol_names:
            causes.append((f"{path}.volumes[{i}].name", f"Duplicate value: {fmt_value(vname)}"))
        vol_names.add(vname)
    for i, c in enumerate(containers or []):
        if not isinstance(c, dict):
            continue
        for j, m in enumerate(c.get("volumeMounts") or []):
            if m.get("name") not in vol_names:
                causes.append((f"{path}.containers[{i}].volumeMounts[{j}].name",
                               f"Not found: {fmt_value(m.get('name'))}"))
    return causes


def _replicas(spec: Obj, causes: Causes) -> None:
    r = spec.get("replicas")
    if isinstance(r, int) and r < 0:
        causes.append(invalid_value("spec.replicas", r, "must be greater than or equal to 0"))


def _selector_matches_template(spec: Obj, causes: Causes, *, required_selector: bool) -> None:
    from k8snb.api.labels import selector_from_label_selector

    sel = spec.get("selector")
    if sel is None:
        if required_selector:
            causes.append(required("spec.selector"))
        return
    if required_selector and not (sel.get("matchLabels") or sel.get("matchExpressions")):
        causes.append(invalid_value("spec.selector", "{}",
                                    "empty selector is invalid for deployment"))
        return
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    try:
        ok = selector_from_label_selector(sel).matches(labels)
    except ValueError as e:
        causes.append(invalid_value("spec.selector", sel, str(e)))
        return
    if not ok:
        rendered = "map[string]string{" + ", ".join(
            f"{fmt_value(k)}:{fmt_value(v)}" for k, v in sorted(labels.items())) + "}"
        causes.append(("spec.template.metadata.labels",
                       f"Invalid value: {rendered}: `selector` does not match template `labels`"))


def _workload(obj: Obj, *, restart: tuple[str, ...] = ("Always",)) -> Causes:
    causes: Causes = []
    spec = obj.get("spec") or {}
    _replicas(spec, causes)
    _selector_matches_template(spec, causes, required_selector=True)
    causes.extend(validate_pod_spec((spec.get("template") or {}).get("spec"),
                                    "spec.template.spec", restart))
    return causes


def _deployment(obj: Obj) -> Causes:
    causes = _workload(obj)
    ru = (((obj.get("spec") or {}).get("strategy") or {}).get("rollingUpdate")) or {}
    for key in ("maxSurge", "maxUnavailable"):
        v = ru.get(key)
        if isinstance(v, str) and not (v.endswith("%") and v[:-1].isdigit()):
            causes.append(invalid_value(f"spec.strategy.rollingUpdate.{key}", v,
                                        "a valid percent string must be a numeric string "
                                        "followed by an ending '%' (e.g. '1%',  or '93%', "
                                        "regex used for validation is '[0-9]+%')"))
    if ru and str(ru.get("maxSurge")) in ("0", "0%") and str(ru.get("maxUnavailable")) in (
            "0", "0%"):
        causes.append(invalid_value("spec.strategy.rollingUpdate.maxUnavailable",
                                    ru.get("maxUnavailable"),
                                    "may not be 0 when `maxSurge` is 0"))
    return causes


def _statefulset(obj: Obj) -> Causes:
    """As a workload, with each volumeClaimTemplate counted as a volume the pods will have
    (upstream does not check the template's volume mounts at all for StatefulSets)."""
    spec = obj.get("spec") or {}
    template = spec.get("template") or {}
    pod_spec = template.get("spec")
    claims = [t.get("metadata", {}).get("name") for t in spec.get("volumeClaimTemplates") or []
              if isinstance(t, dict)]
    if not claims or not isinstance(pod_spec, dict):
        return _workload(obj)
    volumes = list(pod_spec.get("volumes") or [])
    have = {v.get("name") for v in volumes if isinstance(v, dict)}
    volumes += [{"name": n, "persistentVolumeClaim": {"claimName": n}} for n in claims
                if n not in have]
    return _workload({**obj, "spec": {**spec, "template": {
        **template, "spec": {**pod_spec, "volumes": volumes}}}})


def _rc(obj: Obj) -> Causes:
    causes: Causes = []
    spec = obj.get("spec") or {}
    _replicas(spec, causes)
    causes.extend(validate_pod_spec((spec.get("template") or {}).get("spec"),
                                    "spec.template.spec", ("Always",)))
    return causes


def _job(obj: Obj) -> Causes:
    causes: Causes = []
    spec = obj.get("spec") or {}
    tspec = (spec.get("template") or {}).get("spec") or {}
    rp = tspec.get("restartPolicy")
    if rp not in ("OnFailure", "Never"):
        causes.append(("spec.template.spec.restartPolicy",
                       "Required value: valid values: \"OnFailure\", \"Never\"" if rp is None
                       else f"Unsupported value: {fmt_value(rp)}: supported values: "
                       '"OnFailure", "Never"'))
    for key in ("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds"):
        v = spec.get(key)
        if isinstance(v, int) and v < 0:
            causes.append(invalid_value(f"spec.{key}", v, "must be greater than or equal to 0"))
    causes.extend(c for c in validate_pod_spec(tspec, "spec.template.spec", ("OnFailure", "Never"))
                  if not c[0].endswith("restartPolicy"))
    return causes


def _service(obj: Obj) -> Causes:
    causes: Causes = []
    spec = obj.get("spec") or {}
    t = spec.get("type", "ClusterIP")
    types = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
    if t not in types:
        causes.append(unsupported("spec.type", t, types))
    if t == "ExternalName":
        if not spec.get("externalName"):
            causes.append(required("spec.externalName"))
    elif not spec.get("ports"):
        causes.append(required("spec.ports"))
    for i, p in enumerate(spec.get("ports") or []):
        port = p.get("port")
        if not isinstance(port, int) or not 1 <= port <= 65535:
            causes.append(invalid_value(f"spec.ports[{i}].port", port,
                                        "must be between 1 and 65535, inclusive"))
        if len(spec.get("ports") or []) > 1 and not p.get("name"):
            causes.append(required(f"spec.ports[{i}].name"))
    return causes


def _node(obj: Obj) -> Causes:
    causes: Causes = []
    for i, t in enumerate((obj.get("spec") or {}).get("taints") or []):
        eff = t.get("effect")
        if eff not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            causes.append(unsupported(f"spec.taints[{i}].effect", eff,
                                      ("NoSchedule", "PreferNoSchedule", "NoExecute")))
    return causes


_VALIDATORS: dict[str, Callable[[Obj], Causes]] = {
    "Pod": lambda o: validate_pod_spec(o.get("spec"), "spec"),
    "Deployment": _deployment,
    "ReplicaSet": _workload,
    "StatefulSet": _statefulset,
    "DaemonSet": _workload,
    "ReplicationController": _rc,
    "Job": _job,
    "Service": _service,
    "Node": _node,
}


def validate(obj: Obj, namespaced: bool) -> Causes:
    """All causes that make ``obj`` invalid (empty when it is valid)."""
    causes = validate_metadata(obj, namespaced)
    fn = _VALIDATORS.get(obj.get("kind", ""))
    if fn is not None:
        causes.extend(fn(obj))
    return causes
