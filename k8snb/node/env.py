"""A container's environment, as the kubelet builds it (``kubelet_pods.go`` makeEnvironmentVariables).

Order: service-link variables (``KUBERNETES_SERVICE_HOST`` and one set per Service in the
namespace when ``enableServiceLinks``), then ``envFrom`` sources, then ``env`` entries, which
may read a ConfigMap or Secret key or a field of the pod itself (the Downward API). A missing
ConfigMap, Secret or key stops the container with ``CreateContainerConfigError``.
"""

from __future__ import annotations

import base64
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["EnvResolver", "field_ref"]

Obj = dict[str, Any]
_VAR_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def field_ref(pod: Obj, path: str, pod_ip: str | None = None) -> str:
    """The value of a Downward API ``fieldRef`` such as ``metadata.labels['app']``."""
    meta, spec, status = pod["metadata"], pod["spec"], pod.get("status", {})
    m = re.fullmatch(r"metadata\.(labels|annotations)\['(.+)'\]", path)
    if m:
        return str((meta.get(m.group(1)) or {}).get(m.group(2), ""))
    if path in ("metadata.labels", "metadata.annotations"):
        items = sorted((meta.get(path.split(".")[1]) or {}).items())
        return "\n".join(f'{k}="{v}"' for k, v in items)
    simple = {
        "metadata.name": meta.get("name", ""),
        "metadata.namespace": meta.get("namespace", ""),
        "metadata.uid": meta.get("uid", ""),
        "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.hostIP": status.get("hostIP", ""),
        "status.hostIPs": status.get("hostIP", ""),
        "status.podIP": pod_ip or status.get("podIP", ""),
        "status.podIPs": pod_ip or status.get("podIP", ""),
    }
    return str(simple.get(path, ""))


def _service_env(svc: Obj) -> dict[str, str]:
    name = svc["metadata"]["name"].upper().replace("-", "_")
    spec = svc.get("spec", {})
    ip = spec.get("clusterIP")
    ports = spec.get("ports") or []
    if not ip or ip == "None" or not ports:
        return {}
    env = {f"{name}_SERVICE_HOST": ip, f"{name}_SERVICE_PORT": str(ports[0]["port"])}
    for p in ports:
        proto = p.get("protocol", "TCP")
        if p.get("name"):
            env[f"{name}_SERVICE_PORT_{p['name'].upper().replace('-', '_')}"] = str(p["port"])
        prefix = f"{name}_PORT_{p['port']}_{proto}"
        env[prefix] = f"{proto.lower()}://{ip}:{p['port']}"
        env[f"{prefix}_PROTO"] = proto.lower()
        env[f"{prefix}_PORT"] = str(p["port"])
        env[f"{prefix}_ADDR"] = ip
    first = ports[0]
    env[f"{name}_PORT"] = f"{first.get('protocol', 'TCP').lower()}://{ip}:{first['port']}"
    # interned: every pod of the namespace carries the same service variables
    return {sys.intern(k): sys.intern(v) for k, v in env.items()}


class EnvResolver:
    """Builds container environments from the API (ConfigMaps, Secrets, Services)."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        #: id(Service) -> (that Service, its variables): stored objects are never changed in
        #: place, so one Service's variables are built once, not once per container started
        self._svc_env: dict[int, tuple[Obj, dict[str, str]]] = {}

    def _service_env(self, svc: Obj) -> dict[str, str]:
        hit = self._svc_env.get(id(svc))
        if hit is not None and hit[0] is svc:
            return hit[1]
        env = _service_env(svc)
        if len(self._svc_env) >= 1024:
            self._svc_env.clear()
        self._svc_env[id(svc)] = (svc, env)
        return env

    def resolve(self, pod: Obj, container: Obj, rec: Any) -> dict[str, str] | str:
        """The environment, or the ``CreateContainerConfigError`` message."""
        store = self.cluster.store
        ns = pod["metadata"]["namespace"]
        env: dict[str, str] = {}
        if pod["spec"].get("enableServiceLinks", True):
            services = sorted(store.items("services", ns), key=lambda s: s["metadata"]["name"])
            for svc in services:
                env.update(self._service_env(svc))
        master = store.get("services", ("default", "kubernetes"))
        if master is not None:
            env.update(self._service_env(master))
        for src in container.get("envFrom") or []:
            prefix = src.get("prefix", "")
            data, err = self._source(ns, src, None)
            if err:
                return err
            for k, v in (data or {}).items():
                env[prefix + k] = v
        for item in container.get("env") or []:
            if "value" in item or "valueFrom" not in item:
                env[item["name"]] = _VAR_REF.sub(
                    lambda m: env.get(m.group(1), m.group(0)), str(item.get("value", "")))
                continue
            vf = item["valueFrom"]
            if "fieldRef" in vf:
                env[item["name"]] = field_ref(pod, vf["fieldRef"]["fieldPath"], rec.ip)
            elif "resourceFieldRef" in vf:
                env[item["name"]] = self._resource(container, vf["resourceFieldRef"])
            else:
                value, err = self._key(ns, vf)
                if err:
                    return err
                if value is not None:
                    env[item["name"]] = value
        return env

    def _source(self, ns: str, src: Obj, _: Any) -> tuple[dict[str, str] | None, str | None]:
        if "configMapRef" in src:
            ref, kind, plural = src["configMapRef"], "configmap", "configmaps"
        else:
            ref, kind, plural = src.get("secretRef", {}), "secret", "secrets"
        obj = self.cluster.store.get(plural, (ns, ref.get("name", "")))
        if obj is None:
            if ref.get("optional"):
                return {}, None
            return None, f'{kind} "{ref.get("name")}" not found'
        return _data(obj), None

    def _key(self, ns: str, vf: Obj) -> tuple[str | None, str | None]:
        if "configMapKeyRef" in vf:
            ref, kind, plural, title = vf["configMapKeyRef"], "configmap", "configmaps", \
                "ConfigMap"
        else:
            ref, kind, plural, title = vf.get("secretKeyRef", {}), "secret", "secrets", "Secret"
        obj = self.cluster.store.get(plural, (ns, ref.get("name", "")))
        if obj is None:
            if ref.get("optional"):
                return None, None
            return None, f'{kind} "{ref.get("name")}" not found'
        data = _data(obj)
        if ref.get("key") not in data:
            if ref.get("optional"):
                return None, None
            return None, f"couldn't find key {ref.get('key')} in {title} {ns}/{ref.get('name')}"
        return data[ref["key"]], None

    @staticmethod
    def _resource(container: Obj, ref: Obj) -> str:
        from k8snb.api.quantity import parse_quantity

        kind, _, res = ref.get("resource", "").partition(".")
        value = ((container.get("resources") or {}).get(kind) or {}).get(res)
        if value is None:
            value = {"cpu": "4", "memory": "8Gi"}.get(res, "0")
        divisor = parse_quantity(ref.get("divisor") or "1")
        q = parse_quantity(value) / divisor
        return str(-(-q.numerator // q.denominator))  # rounded up, as the kubelet does


def _data(obj: Obj) -> dict[str, str]:
    if obj.get("kind") == "Secret":
        out = {}
        for k, v in (obj.get("data") or {}).items():
            try:
                out[k] = base64.b64decode(v).decode("utf-8", "replace")
            except ValueError:
                out[k] = ""
        out.update(obj.get("stringData") or {})
        return out
    return {k: str(v) for k, v in (obj.get("data") or {}).items()}
