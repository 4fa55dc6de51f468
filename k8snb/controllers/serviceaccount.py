"""Per-namespace defaults: the ``default`` ServiceAccount and the ``kube-root-ca.crt`` ConfigMap.

The service-account controller makes sure every namespace has a ServiceAccount named
``default`` (pods run as it unless they name another); the root-CA publisher puts the
cluster's CA certificate in every namespace so pods can verify the API server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8snb.api.errors import StatusError

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["ServiceAccountController", "CA_CERT"]

CA_CERT = ("-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIk8snbSimulatedCA\n"
           "-----END CERTIFICATE-----\n")


class ServiceAccountController:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.namespaces = cluster.informers.informer("namespaces")
        self.accounts = cluster.informers.informer("serviceaccounts")
        self.configmaps = cluster.informers.informer("configmaps")
        self.queue = cluster.new_queue("serviceaccount", self.reconcile)
        self.namespaces.add_handler(lambda ns: self.queue.add(ns["metadata"]["name"]))
        self.accounts.add_handler(on_delete=lambda sa: self.queue.add(sa["metadata"]["namespace"]))
        self.configmaps.add_handler(on_delete=lambda c: self.queue.add(c["metadata"]["namespace"]))

    def reconcile(self, ns: str) -> None:
        namespace = self.namespaces.get("", ns)
        if namespace is None or namespace["metadata"].get("deletionTimestamp"):
            return
        api = self.cluster.api
        try:
            if self.accounts.get(ns, "default") is None:
                api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                            "metadata": {"name": "default", "namespace": ns}})
            if self.configmaps.get(ns, "kube-root-ca.crt") is None:
                api.create({"apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": {"name": "kube-root-ca.crt", "namespace": ns,
                                         "annotations": {
                                             "kubernetes.io/description":
                                             "Contains a CA bundle that can be used to verify "
                                             "the kube-apiserver when using internal endpoints "
                                             "such as the internal service IP or "
                                             "kubernetes.default.svc. No other usage is "
                                             "guaranteed across distributions of Kubernetes "
                                             "clusters."}},
                            "data": {"ca.crt": CA_CERT}})
        except StatusError as e:
            if e.reason not in ("AlreadyExists", "Forbidden"):
                raise
