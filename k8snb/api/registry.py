"""The API resources the server knows: group, version, kind, plural, short names, scope.

This is what ``kubectl api-resources`` lists and what kubectl uses to turn ``po`` or
``deploy`` into a REST path. Every kind the notes name is registered from the start, even
before a controller acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["REGISTRY", "Registry", "ResourceInfo"]

_ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceInfo:
    """One API resource, e.g. ``ResourceInfo("apps", "v1", "Deployment", "deployments")``."""

    group: str
    version: str
    kind: str
    plural: str
    short_names: tuple[str, ...] = ()
    namespaced: bool = True
    verbs: tuple[str, ...] = field(default=_ALL_VERBS)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """``pods`` for the core group, ``deployments.apps`` for others (as in error messages)."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def type_name(self) -> str:
        """``pod`` / ``deployment.apps`` as ``kubectl get -o name`` prints it."""
        return f"{self.singular}.{self.group}" if self.group else self.singular


_R = ResourceInfo
_RESOURCES = [
    _R("", "v1", "Binding", "bindings", verbs=("create",)),
    _R("", "v1", "ConfigMap", "configmaps", ("cm",)),
    _R("", "v1", "Endpoints", "endpoints", ("ep",)),
    _R("", "v1", "Event", "events", ("ev",)),
    _R("", "v1", "LimitRange", "limitranges", ("limits",)),
    _R("", "v1", "Namespace", "namespaces", ("ns",), namespaced=False,
       verbs=("create", "delete", "get", "list", "patch", "update", "watch")),
    _R("", "v1", "Node", "nodes", ("no",), namespaced=False),
    _R("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", ("pvc",)),
    _R("", "v1", "PersistentVolume", "persistentvolumes", ("pv",), namespaced=False),
    _R("", "v1", "Pod", "pods", ("po",)),
    _R("", "v1", "PodTemplate", "podtemplates"),
    _R("", "v1", "ReplicationController", "replicationcontrollers", ("rc",)),
    _R("", "v1", "ResourceQuota", "resourcequotas", ("quota",)),
    _R("", "v1", "Secret", "secrets"),
    _R("", "v1", "ServiceAccount", "serviceaccounts", ("sa",)),
    _R("", "v1", "Service", "services", ("svc",)),
    _R("apps", "v1", "ControllerRevision", "controllerrevisions"),
    _R("apps", "v1", "DaemonSet", "daemonsets", ("ds",)),
    _R("apps", "v1", "Deployment", "deployments", ("deploy",)),
    _R("apps", "v1", "ReplicaSet", "replicasets", ("rs",)),
    _R("apps", "v1", "StatefulSet", "statefulsets", ("sts",)),
    _R("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", ("hpa",)),
    _R("batch", "v1", "CronJob", "cronjobs", ("cj",)),
    _R("batch", "v1", "Job", "jobs"),
    _R("coordination.k8s.io", "v1", "Lease", "leases"),
    _R("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"),
    _R("networking.k8s.io", "v1", "IngressClass", "ingressclasses", namespaced=False),
    _R("networking.k8s.io", "v1", "Ingress", "ingresses", ("ing",)),
    _R("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", ("netpol",)),
    _R("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", ("pdb",)),
    _R("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings",
       namespaced=False),
    _R("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", namespaced=False),
    _R("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
    _R("rbac.authorization.k8s.io", "v1", "Role", "roles"),
    _R("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", ("pc",), namespaced=False),
    _R("storage.k8s.io", "v1", "StorageClass", "storageclasses", ("sc",), namespaced=False),
]


class Registry:
    """Look-ups by plural, singular, short name, ``plural.group`` and (apiVersion, kind)."""

    def __init__(self, resources: list[ResourceInfo]) -> None:
        self.resources = sorted(resources, key=lambda r: (r.group != "", r.group, r.plural))
        self._by_token: dict[str, ResourceInfo] = {}
        self._by_kind: dict[tuple[str, str], ResourceInfo] = {}
        self._by_kind_name: dict[str, ResourceInfo] = {}
        for r in self.resources:
            for token in (r.plural, r.singular, *r.short_names, r.qualified,
                          f"{r.singular}.{r.group}" if r.group else r.singular,
                          f"{r.plural}.{r.version}.{r.group}" if r.group else r.plural):
                self._by_token.setdefault(token, r)
            self._by_kind[(r.api_version, r.kind)] = r
            self._by_kind_name.setdefault(r.kind.lower(), r)

    def resolve(self, token: str | ResourceInfo) -> ResourceInfo:
        """``"po"``, ``"pod"``, ``"Pods"``, ``"deployments.apps"`` -> ResourceInfo; KeyError if unknown."""
        if isinstance(token, ResourceInfo):
            return token
        found = self._by_token.get(token) or self._by_token.get(token.lower())
        if found is None:
            found = self._by_kind_name.get(token.lower())
        if found is None:
            raise KeyError(token)
        return found

    def for_kind(self, api_version: str, kind: str) -> ResourceInfo:
        """The resource serving ``kind`` in ``api_version``; KeyError if there is none."""
        return self._by_kind[(api_version, kind)]

    def kinds_named(self, kind: str) -> list[ResourceInfo]:
        return [r for r in self.resources if r.kind == kind]


REGISTRY = Registry(_RESOURCES)
