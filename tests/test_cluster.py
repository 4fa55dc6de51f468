"""The public contract: Cluster(workers, seed, start), kubectl, advance/settle, nodes."""

from __future__ import annotations

from datetime import UTC, datetime

from k8snb import Cluster


def test_fresh_cluster_shape() -> None:
    c = Cluster(workers=2, seed=0)
    nodes = c.kubectl("get nodes")
    assert nodes.returncode == 0
    lines = nodes.stdout.splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == {"control-plane", "worker1", "worker2"}
    assert rows["control-plane"][1:3] == ["Ready", "control-plane"]
    assert rows["worker1"][1:3] == ["Ready", "<none>"]
    ns = c.kubectl("get ns -o name").stdout.split()
    assert ns == ["namespace/default", "namespace/kube-node-lease", "namespace/kube-public",
                  "namespace/kube-system"]
    pods = c.kubectl("get pods -n kube-system").stdout
    for name in ("etcd-control-plane", "kube-apiserver-control-plane",
                 "kube-controller-manager-control-plane", "kube-scheduler-control-plane"):
        assert name in pods
    assert "Running" in pods and "Pending" not in pods
    node = c.api.get("nodes", "control-plane")
    assert node["spec"]["taints"] == [{"key": "node-role.kubernetes.io/control-plane",
                                       "effect": "NoSchedule"}]
    assert node["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] == ""


def test_start_and_now() -> None:
    c = Cluster(workers=1, seed=0, start="2030-05-01T12:00:00Z")
    assert c.now == datetime(2030, 5, 1, 12, tzinfo=UTC)
    c.advance(90)
    assert c.now == datetime(2030, 5, 1, 12, 1, 30, tzinfo=UTC)


def test_same_seed_same_output() -> None:
    def session(seed: int) -> str:
        c = Cluster(workers=2, seed=seed)
        c.kubectl("run web --image=nginx")
        c.kubectl("run db --image=redis")
        c.settle()
        return (c.kubectl("get pods -o wide").stdout + c.kubectl("get events").stdout
                + c.kubectl("get pods -o yaml").stdout)

    assert session(0) == session(0)
    assert session(0) != session(1)


def test_run_pull_and_settle() -> None:
    c = Cluster(workers=2, seed=0)
    r = c.kubectl("run web --image=nginx")
    assert (r.stdout, r.returncode) == ("pod/web created\n", 0)
    assert "ContainerCreating" in c.kubectl("get pod web").stdout
    took = c.settle()
    assert 0 < took < 60
    out = c.kubectl("get pod web -o wide").stdout
    assert "Running" in out and "1/1" in out
    pod = c.api.get("pods", "web")
    assert pod["spec"]["nodeName"].startswith("worker")
    assert pod["status"]["podIP"].startswith("10.244.")
    reasons = [e["reason"] for e in c.api.events_for(pod)]
    assert reasons[:2] == ["Scheduled", "Pulling"]
    assert "Started" in reasons


def test_image_typo_backs_off() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("run typo --image=ngnix")
    c.advance(5)
    status = c.kubectl("get pod typo").stdout
    assert "ErrImagePull" in status or "ImagePullBackOff" in status
    c.advance(30)
    assert "ImagePullBackOff" in c.kubectl("get pod typo").stdout or \
        "ErrImagePull" in c.kubectl("get pod typo").stdout


def test_crash_loop_back_off_doubles() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl(["run", "crash", "--image=busybox", "--", "sh", "-c", "echo boom; exit 1"])
    c.advance(60)
    out = c.kubectl("get pod crash").stdout
    assert "CrashLoopBackOff" in out or "Error" in out
    pod = c.api.get("pods", "crash")
    restarts = pod["status"]["containerStatuses"][0]["restartCount"]
    c.advance(600)
    later = c.api.get("pods", "crash")["status"]["containerStatuses"][0]["restartCount"]
    # 10 s, 20 s, 40 s ... capped at 5 min: only a handful of restarts in ten minutes
    assert restarts >= 2 and 3 <= later - restarts <= 6
    assert "boom" in c.kubectl("logs crash").stdout


def test_stop_node_goes_not_ready_and_pods_are_evicted() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    node = c.api.get("pods", "web")["spec"]["nodeName"]
    c.stop_node(node)
    c.advance(60)
    assert "NotReady" in c.kubectl(f"get node {node}").stdout
    taints = {t["key"] for t in c.api.get("nodes", node)["spec"]["taints"]}
    assert "node.kubernetes.io/unreachable" in taints
    assert c.api.get("pods", "web")["metadata"].get("deletionTimestamp") is None
    c.advance(300)
    assert c.api.get("pods", "web")["metadata"].get("deletionTimestamp") is not None
    c.start_node(node)
    c.advance(30)
    assert c.kubectl(f"get node {node}").stdout.split()[6] == "Ready"


def test_add_node_and_node_applied_through_the_api() -> None:
    c = Cluster(workers=1, seed=0)
    c.add_node("big", cpu="16", memory="64Gi", labels={"disk": "ssd"})
    assert "big" in c.kubectl("get nodes -l disk=ssd").stdout
    r = c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Node\nmetadata:\n  name: kwok-1\n")
    assert r.stdout == "node/kwok-1 created\n"
    c.settle()
    row = c.kubectl("get node kwok-1").stdout.splitlines()[1].split()
    assert row[1] == "Ready"


def test_cordon_keeps_new_pods_off() -> None:
    c = Cluster(workers=2, seed=0)
    assert c.kubectl("cordon worker1").stdout == "node/worker1 cordoned\n"
    assert "Ready,SchedulingDisabled" in c.kubectl("get node worker1").stdout
    for i in range(4):
        c.kubectl(f"run p{i} --image=nginx")
    c.settle()
    assert {c.api.get("pods", f"p{i}")["spec"]["nodeName"] for i in range(4)} == {"worker2"}


def test_failed_host_path_mount_waits_in_container_creating() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="""
apiVersion: v1
kind: Pod
metadata: {name: hp}
spec:
  volumes: [{name: h, hostPath: {path: /nope, type: Directory}}]
  containers:
  - {name: c, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: h, mountPath: /h}]}
""")
    c.advance(30)
    assert "ContainerCreating" in c.kubectl("get pod hp").stdout
    events = c.kubectl("get events --field-selector involvedObject.name=hp").stdout
    assert ('MountVolume.SetUp failed for volume "h" : hostPath type check failed: /nope is not '
            "a directory") in events
