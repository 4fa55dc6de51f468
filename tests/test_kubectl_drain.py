"""kubectl drain: cordon, refuse what would not come back, evict the rest."""

from __future__ import annotations

from k8snb import Cluster


def test_drain_refuses_bare_pods_without_force() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    node = c.api.get("pods", "web")["spec"]["nodeName"]
    r = c.kubectl(f"drain {node}")
    assert r.returncode == 1
    assert r.stdout == f"node/{node} cordoned\n"
    assert "cannot delete Pods that declare no controller (use --force to override): " \
           "default/web" in r.stderr
    assert c.api.get("pods", "web")["metadata"].get("deletionTimestamp") is None


def test_drain_with_force_evicts_and_keeps_static_pods() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    node = c.api.get("pods", "web")["spec"]["nodeName"]
    r = c.kubectl(f"drain {node} --force --ignore-daemonsets")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "evicting pod default/web" in lines and "pod/web evicted" in lines
    assert lines[-1] == f"node/{node} drained"  # (a CoreDNS pod may be evicted as well)
    assert "Ready,SchedulingDisabled" in c.kubectl(f"get node {node}").stdout
    assert c.kubectl("get pods").stderr == "No resources found in default namespace.\n"
    r = c.kubectl("drain control-plane --ignore-daemonsets")
    assert r.returncode == 0, r.stderr
    assert "kube-apiserver-control-plane" in c.kubectl("get pods -n kube-system").stdout
