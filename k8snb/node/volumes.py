"""Pod volumes as the kubelet's volume manager prepares them before containers start.

``emptyDir`` is a fresh directory that lives as long as the pod on this node; ``hostPath`` is
a directory of the node's own filesystem; ``configMap``/``secret``/``downwardAPI`` and the
projected service-account token are read-only files, one per key.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from k8snb.node.env import _data, field_ref
from k8snb.node.fs import Volume

if TYPE_CHECKING:
    from k8snb.cluster import Cluster
    from k8snb.node.kubelet import Kubelet

__all__ = ["VolumeBuilder"]

Obj = dict[str, Any]
_CA = "-----BEGIN CERTIFICATE-----\nMIIB...k8snb simulated cluster CA...\n-----END CERTIFICATE-----\n"


class VolumeBuilder:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def build(self, pod: Obj, kubelet: Kubelet) -> dict[str, Volume]:
        out: dict[str, Volume] = {}
        for v in pod["spec"].get("volumes") or []:
            out[v["name"]] = self._one(pod, v, kubelet)
        return out

    def _one(self, pod: Obj, v: Obj, kubelet: Kubelet) -> Volume:
        name = v["name"]
        ns = pod["metadata"]["namespace"]
        store = self.cluster.store
        if "emptyDir" in v:
            return Volume.empty_dir(name, (v.get("emptyDir") or {}).get("medium", ""))
        if "hostPath" in v:  # resolved on the node's filesystem by the runtime
            return Volume(name, "hostPath", source=dict(v["hostPath"]))
        if "configMap" in v or "secret" in v:
            kind = "configMap" if "configMap" in v else "secret"
            src = v[kind]
            ref = src.get("name") or src.get("secretName", "")
            obj = store.get("configmaps" if kind == "configMap" else "secrets", (ns, ref))
            data = _data(obj) if obj is not None else {}
            items = src.get("items")
            files = ({i["path"]: data.get(i["key"], "") for i in items} if items else data)
            return Volume.from_files(name, kind, files, src.get("defaultMode", 420))
        if "downwardAPI" in v:
            files = {i["path"]: field_ref(pod, i["fieldRef"]["fieldPath"])
                     for i in v["downwardAPI"].get("items") or [] if "fieldRef" in i}
            return Volume.from_files(name, "downwardAPI", files)
        if "projected" in v:
            files: dict[str, str] = {}
            for s in v["projected"].get("sources") or []:
                if "serviceAccountToken" in s:
                    sa = pod["spec"].get("serviceAccountName", "default")
                    files[s["serviceAccountToken"].get("path", "token")] = sys.intern(
                        f"eyJhbGciOiJSUzI1NiJ9.simulated-token-for-system:serviceaccount:{ns}:{sa}")
                elif "configMap" in s:
                    obj = store.get("configmaps", (ns, s["configMap"].get("name", "")))
                    data = _data(obj) if obj is not None else {"ca.crt": _CA}
                    for i in s["configMap"].get("items") or [{"key": k, "path": k}
                                                             for k in data]:
                        files[i["path"]] = data.get(i["key"], "")
                elif "downwardAPI" in s:
                    for i in s["downwardAPI"].get("items") or []:
                        if "fieldRef" in i:
                            files[i["path"]] = field_ref(pod, i["fieldRef"]["fieldPath"])
                elif "secret" in s:
                    obj = store.get("secrets", (ns, s["secret"].get("name", "")))
                    files.update(_data(obj) if obj is not None else {})
            return Volume.from_files(name, "projected", files)
        kind = next((k for k in v if k != "name"), "emptyDir")
        return Volume(name, kind, source=dict(v.get(kind) or {}))
