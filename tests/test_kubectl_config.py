"""``kubectl config``: kubeadm's admin kubeconfig, and a context namespace that later commands
use when they are given no ``-n``."""

from __future__ import annotations

import yaml

from k8snb import Cluster


def test_kubeadm_kubeconfig_and_switching_the_default_namespace() -> None:
    c = Cluster(workers=1, seed=0)
    assert c.kubectl("config current-context").stdout == "kubernetes-admin@kubernetes\n"
    rows = c.kubectl("config get-contexts").stdout.splitlines()
    assert rows[0].split() == ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
    assert rows[1].split() == ["*", "kubernetes-admin@kubernetes", "kubernetes",
                               "kubernetes-admin"]
    c.kubectl("create namespace team")
    assert c.kubectl("config set-context --current --namespace=team").stdout == \
        'Context "kubernetes-admin@kubernetes" modified.\n'
    c.kubectl("run web --image=nginx")
    c.settle()
    assert c.api.get("pods", "web", "team")["metadata"]["namespace"] == "team"
    assert "web" in c.kubectl("get pods").stdout
    assert c.kubectl("get pods -n default").stderr == "No resources found in default namespace.\n"
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n")
    assert c.api.get("configmaps", "cfg", "team")
    view = yaml.safe_load(c.kubectl("config view --minify").stdout)
    assert view["contexts"][0]["context"]["namespace"] == "team"
    assert view["users"][0]["user"]["client-key-data"] == "DATA+OMITTED"
    c.kubectl("config set-context --current --namespace=")
    assert c.kubectl("get pods").stderr == "No resources found in default namespace.\n"


def test_contexts_can_be_added_and_used() -> None:
    c = Cluster(workers=0, seed=0)
    out = c.kubectl("config set-context dev --cluster=kubernetes --user=kubernetes-admin "
                    "--namespace=kube-system").stdout
    assert out == 'Context "dev" created.\n'
    assert c.kubectl("config use-context dev").stdout == 'Switched to context "dev".\n'
    assert "kube-scheduler-control-plane" in c.kubectl("get pods").stdout
    assert c.kubectl("config use-context nope").stderr == \
        'error: no context exists with the name: "nope"\n'
    assert [r.split()[0] for r in c.kubectl("config get-contexts").stdout.splitlines()[1:]] == \
        ["*", "kubernetes-admin@kubernetes"]
