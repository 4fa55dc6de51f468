"""kubeadm's add-ons: kube-proxy and CoreDNS, as ``kubeadm init`` installs them.

``kubeadm init`` ends with its ``addon`` phase (``cmd/kubeadm/app/phases/addons/proxy`` and
``.../dns`` in kubernetes/kubernetes): it creates

- the ``kube-proxy`` ServiceAccount and ConfigMap (``config.conf``, ``kubeconfig.conf``) and
  the ``kube-proxy`` DaemonSet: one host-network pod per node, tolerating every taint
  (``operator: Exists``), priority class ``system-node-critical``;
- the ``coredns`` ServiceAccount and ConfigMap (its ``Corefile``), the ``coredns`` Deployment
  (2 replicas, labels ``k8s-app: kube-dns``, priority class ``system-cluster-critical``,
  tolerating the control-plane taint) and the ``kube-dns`` Service at ``10.96.0.10`` (the
  tenth address of the service range) with ports ``dns`` 53/UDP, ``dns-tcp`` 53/TCP and
  ``metrics`` 9153/TCP.

The manifests follow kubeadm's templates (``manifests.go``); RBAC objects are left out.
:func:`addon_objects` returns them in creation order.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COREDNS_IMAGE", "DNS_SERVICE_IP", "KUBE_PROXY_IMAGE", "addon_objects"]

Obj = dict[str, Any]
KUBE_PROXY_IMAGE = "registry.k8s.io/kube-proxy:v1.35.0"
COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.12.0"
DNS_SERVICE_IP = "10.96.0.10"
NS = "kube-system"

KUBE_PROXY_CONFIG = """\
apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
clusterCIDR: 10.244.0.0/16
healthzBindAddress: 0.0.0.0:10256
kind: KubeProxyConfiguration
metricsBindAddress: 127.0.0.1:10249
mode: iptables
"""

KUBE_PROXY_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://control-plane:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
"""

COREFILE = """\
.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""


def _meta(name: str, labels: dict[str, str] | None = None) -> Obj:
    meta: Obj = {"name": name, "namespace": NS}
    if labels:
        meta["labels"] = labels
    return meta


def _kube_proxy() -> list[Obj]:
    labels = {"k8s-app": "kube-proxy"}
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta("kube-proxy")},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("kube-proxy", dict(labels)),
         "data": {"config.conf": KUBE_PROXY_CONFIG, "kubeconfig.conf": KUBE_PROXY_KUBECONFIG}},
        {"apiVersion": "apps/v1", "kind": "DaemonSet",
         "metadata": _meta("kube-proxy", dict(labels)),
         "spec": {
             "selector": {"matchLabels": dict(labels)},
             "updateStrategy": {"type": "RollingUpdate"},
             "template": {
                 "metadata": {"labels": dict(labels)},
                 "spec": {
                     "priorityClassName": "system-node-critical",
                     "containers": [{
                         "name": "kube-proxy",
                         "image": KUBE_PROXY_IMAGE,
                         "imagePullPolicy": "IfNotPresent",
                         "command": ["/usr/local/bin/kube-proxy",
                                     "--config=/var/lib/kube-proxy/config.conf",
                                     "--hostname-override=$(NODE_NAME)"],
                         "securityContext": {"privileged": True},
                         "volumeMounts": [
                             {"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                             {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                             {"mountPath": "/lib/modules", "name": "lib-modules",
                              "readOnly": True},
                         ],
                         "env": [{"name": "NODE_NAME", "valueFrom": {
                             "fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                     }],
                     "hostNetwork": True,
                     "serviceAccountName": "kube-proxy",
                     "volumes": [
                         {"name": "kube-proxy", "configMap": {"name": "kube-proxy"}},
                         {"name": "xtables-lock",
                          "hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"}},
                         {"name": "lib-modules", "hostPath": {"path": "/lib/modules"}},
                     ],
                     "tolerations": [{"operator": "Exists"}],
                     "nodeSelector": {"kubernetes.io/os": "linux"},
                 },
             },
         }},
    ]


def _coredns() -> list[Obj]:
    labels = {"k8s-app": "kube-dns"}
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta("coredns")},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("coredns"),
         "data": {"Corefile": COREFILE}},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": _meta("coredns", dict(labels)),
         "spec": {
             "replicas": 2,
             "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
             "selector": {"matchLabels": dict(labels)},
             "template": {
                 "metadata": {"labels": dict(labels)},
                 "spec": {
                     "priorityClassName": "system-cluster-critical",
                     "serviceAccountName": "coredns",
                     "affinity": {"podAntiAffinity": {
                         "preferredDuringSchedulingIgnoredDuringExecution": [{
                             "weight": 100,
                             "podAffinityTerm": {
                                 "labelSelector": {"matchExpressions": [
                                     {"key": "k8s-app", "operator": "In",
                                      "values": ["kube-dns"]}]},
                                 "topologyKey": "kubernetes.io/hostname"}}]}},
                     "tolerations": [
                         {"key": "CriticalAddonsOnly", "operator": "Exists"},
                         {"key": "node-role.kubernetes.io/control-plane",
                          "effect": "NoSchedule"},
                     ],
                     "nodeSelector": {"kubernetes.io/os": "linux"},
                     "containers": [{
                         "name": "coredns",
                         "image": COREDNS_IMAGE,
                         "imagePullPolicy": "IfNotPresent",
                         "resources": {"limits": {"memory": "170Mi"},
                                       "requests": {"cpu": "100m", "memory": "70Mi"}},
                         "args": ["-conf", "/etc/coredns/Corefile"],
                         "volumeMounts": [{"name": "config-volume",
                                           "mountPath": "/etc/coredns", "readOnly": True}],
                         "ports": [
                             {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                             {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                             {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
                         ],
                         "securityContext": {
                             "allowPrivilegeEscalation": False,
                             "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
                             "readOnlyRootFilesystem": True},
                         "livenessProbe": {
                             "httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
                             "initialDelaySeconds": 60, "timeoutSeconds": 5,
                             "successThreshold": 1, "failureThreshold": 5},
                         "readinessProbe": {
                             "httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}},
                     }],
                     "dnsPolicy": "Default",
                     "volumes": [{"name": "config-volume", "configMap": {
                         "name": "coredns", "items": [{"key": "Corefile", "path": "Corefile"}]}}],
                 },
             },
         }},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {**_meta("kube-dns", {**labels, "kubernetes.io/cluster-service": "true",
                                            "kubernetes.io/name": "CoreDNS"}),
                      "annotations": {"prometheus.io/port": "9153",
                                      "prometheus.io/scrape": "true"}},
         "spec": {
             "selector": dict(labels),
             "clusterIP": DNS_SERVICE_IP,
             "ports": [
                 {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                 {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                 {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
             ],
         }},
    ]


def addon_objects() -> list[Obj]:
    """The add-on objects, in the order kubeadm applies them (CoreDNS, then kube-proxy)."""
    return _coredns() + _kube_proxy()
