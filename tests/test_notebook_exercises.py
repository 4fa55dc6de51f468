"""The notebooks' exercise checks (k8snb.exercises): fresh, half-done and solved clusters."""

from __future__ import annotations

import pytest

from k8snb import Cluster, exercises
from k8snb.exercises import Check


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=0)


def apply(cluster: Cluster, manifest: str) -> None:
    result = cluster.kubectl("apply -f -", stdin=manifest)
    assert result.returncode == 0, result.stderr


def marks(check: Check) -> list[str]:
    return [mark for mark, _ in check.steps]


# -- the Check object ---------------------------------------------------------------------------


def test_check_text_lists_steps_and_verdict() -> None:
    check = Check("demo", [("done", "one"), ("missing", "two: why"), ("todo", "three")])
    assert not check.ok
    assert str(check).splitlines() == [
        "Exercise: demo",
        "  ✅ one",
        "  ❌ two: why",
        "  ⬜ three",
        "Not yet: 1 of 3 steps done.",
    ]
    assert repr(check) == str(check)
    assert "Not yet" in check._repr_html_()


def test_check_done() -> None:
    check = Check("demo", [("done", "one")], success="Well done.")
    assert check.ok
    assert str(check).endswith("✅ Done! Well done.")


ALL_CHECKS = [
    exercises.check_welcome,
    exercises.check_control_plane_pod,
    exercises.check_unschedulable_pod,
    exercises.check_shared_volume,
    exercises.check_team_namespace,
]


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda f: f.__name__)
def test_fresh_cluster_is_not_done_and_output_is_stable(check) -> None:
    first = check(Cluster(seed=0))
    second = check(Cluster(seed=0))
    assert not first.ok
    assert marks(first)[0] == "missing"
    assert set(marks(first)[1:]) <= {"todo"}
    assert str(first) == str(second)
    assert "0x" not in str(first)


def test_check_does_not_change_the_cluster(cluster: Cluster) -> None:
    before, now = cluster.store.revision, cluster.clock.now
    for check in ALL_CHECKS:
        check(cluster)
    assert (cluster.store.revision, cluster.clock.now) == (before, now)


# -- 00 welcome ---------------------------------------------------------------------------------


def test_welcome_solved(cluster: Cluster) -> None:
    cluster.kubectl("create namespace playground")
    cluster.kubectl("run hello --image=nginx -n playground")
    cluster.settle()
    check = exercises.check_welcome(cluster)
    assert check.ok, str(check)


def test_welcome_pod_in_wrong_namespace(cluster: Cluster) -> None:
    cluster.kubectl("create namespace playground")
    cluster.kubectl("run hello --image=nginx")
    check = exercises.check_welcome(cluster)
    assert marks(check) == ["done", "missing", "todo"]
    assert "there is one in default" in check.steps[1][1]


def test_welcome_wrong_image(cluster: Cluster) -> None:
    cluster.kubectl("create namespace playground")
    cluster.kubectl("run hello --image=httpd -n playground")
    check = exercises.check_welcome(cluster)
    assert "not nginx" in check.steps[1][1]


def test_welcome_not_running_yet(cluster: Cluster) -> None:
    cluster.kubectl("create namespace playground")
    cluster.kubectl("run hello --image=nginx -n playground")
    check = exercises.check_welcome(cluster)
    assert marks(check) == ["done", "done", "missing"]
    assert "settle" in check.steps[2][1]


# -- 01 cluster ---------------------------------------------------------------------------------

CP_POD = """
apiVersion: v1
kind: Pod
metadata: {name: on-control-plane}
spec:
  %s
  tolerations:
  - key: node-role.kubernetes.io/control-plane
    operator: Exists
    effect: NoSchedule
  containers: [{name: app, image: "nginx:1.27"}]
"""


def test_control_plane_solved(cluster: Cluster) -> None:
    apply(cluster, CP_POD % 'nodeSelector: {"node-role.kubernetes.io/control-plane": ""}')
    cluster.settle()
    check = exercises.check_control_plane_pod(cluster)
    assert check.ok, str(check)


def test_control_plane_toleration_alone_does_not_attract(cluster: Cluster) -> None:
    apply(cluster, CP_POD % "")
    cluster.settle()
    check = exercises.check_control_plane_pod(cluster)
    assert marks(check) == ["done", "done", "missing", "todo"], str(check)
    assert "does not attract" in check.steps[2][1]


def test_control_plane_without_toleration_is_pending(cluster: Cluster) -> None:
    apply(cluster, """
apiVersion: v1
kind: Pod
metadata: {name: on-control-plane}
spec:
  nodeSelector: {"node-role.kubernetes.io/control-plane": ""}
  containers: [{name: app, image: "nginx:1.27"}]
""")
    cluster.settle()
    check = exercises.check_control_plane_pod(cluster)
    assert marks(check) == ["done", "missing", "todo", "todo"]


# -- 02 node components -------------------------------------------------------------------------

BIG_POD = """
apiVersion: v1
kind: Pod
metadata: {name: too-big}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources: {requests: {cpu: "%s"}}
"""


def test_unschedulable_solved(cluster: Cluster) -> None:
    apply(cluster, BIG_POD % "8")
    cluster.settle()
    check = exercises.check_unschedulable_pod(cluster)
    assert check.ok, str(check)


def test_unschedulable_but_it_fits(cluster: Cluster) -> None:
    apply(cluster, BIG_POD % "1")
    cluster.settle()
    check = exercises.check_unschedulable_pod(cluster)
    assert marks(check) == ["done", "done", "missing"]
    assert "it was scheduled to worker" in check.steps[2][1]


def test_unschedulable_without_request(cluster: Cluster) -> None:
    cluster.kubectl("run too-big --image=nginx")
    check = exercises.check_unschedulable_pod(cluster)
    assert marks(check) == ["done", "missing", "todo"]


# -- 03 pod -------------------------------------------------------------------------------------

SHARED_POD = """
apiVersion: v1
kind: Pod
metadata: {name: shared}
spec:
  volumes: [{name: data, emptyDir: {}}]
  containers:
  - name: writer
    image: busybox:1.36
    command: ["sh", "-c", "%s"]
    volumeMounts: [{name: data, mountPath: /data}]
  - name: reader
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts: [{name: data, mountPath: %s}]
"""


def test_shared_volume_solved(cluster: Cluster) -> None:
    apply(cluster, SHARED_POD % ("date > /data/msg; sleep 3600", "/in"))
    cluster.settle()
    check = exercises.check_shared_volume(cluster)
    assert check.ok, str(check)


def test_shared_volume_nothing_written(cluster: Cluster) -> None:
    apply(cluster, SHARED_POD % ("sleep 3600", "/data"))
    cluster.settle()
    check = exercises.check_shared_volume(cluster)
    assert marks(check) == ["done", "done", "done", "missing"], str(check)
    assert "is empty" in check.steps[3][1]


def test_shared_volume_without_volume(cluster: Cluster) -> None:
    apply(cluster, """
apiVersion: v1
kind: Pod
metadata: {name: shared}
spec:
  containers:
  - {name: writer, image: "busybox:1.36", command: ["sleep", "3600"]}
  - {name: reader, image: "busybox:1.36", command: ["sleep", "3600"]}
""")
    check = exercises.check_shared_volume(cluster)
    assert marks(check) == ["done", "missing", "todo", "todo"]


# -- 04 resources and namespaces ----------------------------------------------------------------

DB_POD = """
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: team-a}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: db, image: "nginx:1.27"}]
"""


def test_team_namespace_solved(cluster: Cluster) -> None:
    cluster.kubectl("create namespace team-a")
    cluster.kubectl("label node worker2 disk=ssd")
    apply(cluster, DB_POD)
    cluster.settle()
    check = exercises.check_team_namespace(cluster)
    assert check.ok, str(check)


def test_team_namespace_label_on_two_nodes(cluster: Cluster) -> None:
    cluster.kubectl("create namespace team-a")
    cluster.kubectl("label node worker1 disk=ssd")
    cluster.kubectl("label node worker2 disk=ssd")
    check = exercises.check_team_namespace(cluster)
    assert marks(check) == ["done", "missing", "todo", "todo"]
    assert "worker1 also has disk=ssd" in check.steps[1][1]


def test_team_namespace_pod_without_selector(cluster: Cluster) -> None:
    cluster.kubectl("create namespace team-a")
    cluster.kubectl("label node worker2 disk=ssd")
    cluster.kubectl("run db --image=nginx:1.27 -n team-a")
    check = exercises.check_team_namespace(cluster)
    assert marks(check) == ["done", "done", "missing", "todo"]


# -- 05 pod controllers -------------------------------------------------------------------------

CONTROLLER_CHECKS = [
    exercises.check_replicaset,
    exercises.check_rollout,
    exercises.check_statefulset,
    exercises.check_daemonset_everywhere,
    exercises.check_job,
    exercises.check_cronjob,
]


@pytest.mark.parametrize("check", CONTROLLER_CHECKS, ids=lambda f: f.__name__)
def test_controller_checks_fresh_are_stable_and_read_only(check) -> None:
    c = Cluster(seed=0)
    before = (c.store.revision, c.clock.now)
    first, second = check(c), check(Cluster(seed=0))
    assert not first.ok and marks(first)[0] == "missing"
    assert set(marks(first)[1:]) <= {"todo"} and str(first) == str(second)
    assert (c.store.revision, c.clock.now) == before


def test_replicaset_solved(cluster: Cluster) -> None:
    apply(cluster, """apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: frontend}
spec:
  replicas: 3
  selector: {matchLabels: {tier: frontend}}
  template:
    metadata: {labels: {tier: frontend}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
""")
    assert marks(exercises.check_replicaset(cluster))[-1] == "missing"  # pods not running yet
    cluster.settle()
    assert exercises.check_replicaset(cluster).ok


def test_rollout_needs_an_update_with_max_unavailable_zero(cluster: Cluster) -> None:
    cluster.kubectl("create deployment shop --image=nginx:1.27 --replicas=2")
    check = exercises.check_rollout(cluster)
    assert marks(check)[:2] == ["done", "missing"]
    cluster.kubectl(["patch", "deployment", "shop", "--type=merge", "-p",
                     '{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":0}}}}'])
    check = exercises.check_rollout(cluster)
    assert marks(check)[2] == "missing" and "revision 1" in check.steps[2][1]
    cluster.kubectl("set image deployment/shop nginx=nginx:1.26")
    cluster.settle()
    cluster.kubectl("set image deployment/shop nginx=nginx:1.27")
    cluster.settle()
    assert exercises.check_rollout(cluster).ok


def test_statefulset_solved(cluster: Cluster) -> None:
    apply(cluster, """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: counter}
spec:
  serviceName: counter
  replicas: 3
  selector: {matchLabels: {app: counter}}
  template:
    metadata: {labels: {app: counter}}
    spec: {containers: [{name: c, image: nginx:1.27}]}
""")
    assert "one at a time" in str(exercises.check_statefulset(cluster)) or \
        not exercises.check_statefulset(cluster).ok
    cluster.settle()
    assert exercises.check_statefulset(cluster).ok


DS = """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      containers: [{name: agent, image: busybox:1.36, command: [sleep, "3600"]}]
"""


def test_daemonset_needs_the_control_plane_toleration(cluster: Cluster) -> None:
    apply(cluster, DS)
    cluster.settle()
    check = exercises.check_daemonset_everywhere(cluster)
    assert marks(check)[1] == "missing" and "toleration" in check.steps[1][1]
    cluster.kubectl("delete ds log-agent")
    apply(cluster, DS.replace("      containers:", "      tolerations: [{key: "
                              "node-role.kubernetes.io/control-plane, operator: Exists, "
                              "effect: NoSchedule}]\n      containers:"))
    cluster.settle()
    assert exercises.check_daemonset_everywhere(cluster).ok


def test_job_solved_and_kept(cluster: Cluster) -> None:
    apply(cluster, """apiVersion: batch/v1
kind: Job
metadata: {name: countdown}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.36, command: [sh, -c, "sleep 2; echo done"]}]
""")
    assert marks(exercises.check_job(cluster))[2] == "missing"
    cluster.settle()
    assert exercises.check_job(cluster).ok


def test_cronjob_solved(cluster: Cluster) -> None:
    cluster.kubectl(["create", "cronjob", "backup", "--image=busybox:1.36",
                     "--schedule=0 2 * * 1", "--", "sh", "-c", "date"])
    check = exercises.check_cronjob(cluster)
    assert marks(check)[1] == "missing" and "not every day" in check.steps[1][1]
    cluster.kubectl("delete cronjob backup")
    cluster.kubectl(["create", "cronjob", "backup", "--image=busybox:1.36",
                     "--schedule=0 2 * * *", "--", "sh", "-c", "date"])
    cluster.kubectl(["patch", "cronjob", "backup", "--type=merge", "-p",
                     '{"spec":{"concurrencyPolicy":"Forbid"}}'])
    assert marks(exercises.check_cronjob(cluster))[-1] == "missing"
    cluster.kubectl("create job backup-now --from=cronjob/backup")
    assert exercises.check_cronjob(cluster).ok
