"""Node IPAM hands each node a /24 of the cluster CIDR, as kube-controller-manager's range
allocator does: the search goes on after the last one handed out and wraps around."""

from __future__ import annotations

from k8snb import Cluster


def cidrs(c: Cluster) -> dict[str, str]:
    return {n["metadata"]["name"]: n["spec"].get("podCIDR", "") for n in c.api.list("nodes")}


def test_each_node_gets_its_own_24_and_pods_take_ips_from_it() -> None:
    c = Cluster(workers=2, seed=0)
    got = cidrs(c)
    assert len(set(got.values())) == 3 and all(v.endswith("/24") for v in got.values())
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n"
              "spec: {nodeName: worker2, containers: [{name: web, image: nginx}]}\n")
    c.settle()
    ip = c.api.get("pods", "web")["status"]["podIP"]
    assert ip.rsplit(".", 1)[0] == got["worker2"].rsplit(".", 1)[0]


def test_a_deleted_nodes_range_is_reused_only_after_wrapping_around() -> None:
    c = Cluster(workers=2, seed=0, pod_network_cidr="10.244.0.0/22")  # four /24s
    first = cidrs(c)
    c.kubectl("delete node worker1")
    c.settle()
    c.add_node("worker3")
    c.settle()
    after = cidrs(c)
    assert after["worker3"] not in first.values()  # the fourth /24, never used before
    c.add_node("worker4")
    c.settle()
    assert cidrs(c)["worker4"] == first["worker1"]  # wrapped around to the freed one
    c.add_node("worker5")
    c.settle()
    assert cidrs(c)["worker5"] == ""
    described = c.kubectl("describe node worker5").stdout
    assert "CIDRNotAvailable" in described
