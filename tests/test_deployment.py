"""The Deployment controller as a learner meets it: kubectl, then advance/settle."""

from __future__ import annotations

from typing import Any

import pytest

from k8snb import Cluster
from k8snb.controllers.deployment import util

Obj = dict[str, Any]


def manifest(name: str = "web", replicas: int = 3, image: str = "nginx:1.26", *,
             strategy: str = "", extra_spec: str = "", annotations: str = "") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
{annotations}spec:
  replicas: {replicas}
{strategy}{extra_spec}  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: nginx
        image: {image}
"""


@pytest.fixture()
def c() -> Cluster:
    return Cluster(workers=3, seed=0)


def rss(c: Cluster, app: str = "web") -> list[Obj]:
    return util.replica_sets_by_creation(c.api.list("replicasets", "default",
                                                    label_selector=f"app={app}"))


def messages(c: Cluster, name: str = "web") -> list[str]:
    d = c.api.get("deployments", name)
    return [e["message"] for e in c.api.events_for(d) if e["reason"] == "ScalingReplicaSet"]


def conditions(c: Cluster, name: str = "web") -> dict[str, tuple[str, str]]:
    d = c.api.get("deployments", name)
    return {x["type"]: (x["status"], x["reason"]) for x in d["status"].get("conditions", [])}


def test_a_deployment_creates_a_replicaset_named_by_its_template_hash(c: Cluster) -> None:
    assert c.kubectl("apply -f -", stdin=manifest()).stdout == "deployment.apps/web created\n"
    [rs] = rss(c)
    h = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{h}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": h}
    assert rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == h
    assert rs["metadata"]["annotations"] == {util.DESIRED_REPLICAS_ANNOTATION: "3",
                                             util.MAX_REPLICAS_ANNOTATION: "4",
                                             util.REVISION_ANNOTATION: "1"}
    ref = rs["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"], ref["blockOwnerDeletion"]) == (
        "Deployment", "web", True, True)
    assert messages(c) == [f"Scaled up replica set web-{h} from 0 to 3"]
    c.settle()
    d = c.api.get("deployments", "web")
    assert d["metadata"]["annotations"][util.REVISION_ANNOTATION] == "1"
    st = d["status"]
    assert (st["replicas"], st["updatedReplicas"], st["readyReplicas"],
            st["availableReplicas"], st.get("unavailableReplicas", 0),
            st["terminatingReplicas"]) == (3, 3, 3, 3, 0, 0)
    assert conditions(c) == {"Available": ("True", "MinimumReplicasAvailable"),
                             "Progressing": ("True", "NewReplicaSetAvailable")}
    pods = c.api.list("pods", "default", label_selector=f"pod-template-hash={h}")
    assert len(pods) == 3 and all(p["metadata"]["name"].startswith(f"web-{h}-") for p in pods)
    out = c.kubectl("get deploy web").stdout.splitlines()
    assert out[1].split()[:4] == ["web", "3/3", "3", "3"]


def test_rolling_update_never_breaks_the_surge_and_unavailable_limits(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest(replicas=4, strategy="""  strategy:
    rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
"""))
    c.settle()
    seen: list[tuple[int, int]] = []

    def watch(kind: str, obj: Obj) -> None:
        if kind != "MODIFIED" or obj["metadata"]["name"] != "web":
            return
        owned = [rs for rs in c.informers.informer("replicasets").list("default")
                 if rs["metadata"]["name"].startswith("web-")]
        seen.append((util.replica_count(owned), util.available_replica_count(owned)))

    cancel = c.api.watch("deployments", watch)
    assert c.kubectl("set image deployment/web nginx=nginx:1.27").stdout == \
        "deployment.apps/web image updated\n"
    c.settle()
    cancel()
    assert seen and all(total <= 5 for total, _ in seen)  # replicas + maxSurge
    assert all(avail >= 3 for _, avail in seen)  # replicas - maxUnavailable
    old, new = rss(c)
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (0, 4)
    assert new["metadata"]["annotations"][util.REVISION_ANNOTATION] == "2"
    msgs = messages(c)
    old_name, new_name = old["metadata"]["name"], new["metadata"]["name"]
    # The first step surges by one and drops one unavailable at once (maxUnavailable: 1).
    assert msgs[1:3] == [f"Scaled up replica set {new_name} from 0 to 1",
                         f"Scaled down replica set {old_name} from 4 to 3"]
    assert msgs[-1] == f"Scaled down replica set {old_name} from 1 to 0"
    assert conditions(c)["Progressing"] == ("True", "NewReplicaSetAvailable")


def test_recreate_removes_every_old_pod_before_creating_new_ones(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest(replicas=2, strategy="""  strategy:
    type: Recreate
"""))
    c.settle()
    mixed: list[set[str]] = []

    def watch(kind: str, pod: Obj) -> None:
        pods = [p for p in c.informers.informer("pods").list("default")
                if p["metadata"]["name"].startswith("web-")]
        mixed.append({p["spec"]["containers"][0]["image"] for p in pods})

    cancel = c.api.watch("pods", watch)
    c.kubectl("set image deployment/web nginx=nginx:1.27")
    [old] = rss(c)  # no new ReplicaSet while the old pods are still there
    assert old["spec"]["replicas"] == 0
    c.settle()
    cancel()
    assert not any(len(images) > 1 for images in mixed)  # never both versions at once
    assert {} in [dict.fromkeys(s) for s in mixed]  # a moment with no pods at all
    old, new = rss(c)
    assert new["spec"]["replicas"] == 2
    assert messages(c)[1:] == [f"Scaled down replica set {old['metadata']['name']} from 2 to 0",
                               f"Scaled up replica set {new['metadata']['name']} from 0 to 2"]


def test_paused_deployment_scales_but_does_not_roll_out(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest())
    c.settle()
    assert c.kubectl("rollout pause deployment/web").stdout == "deployment.apps/web paused\n"
    assert conditions(c)["Progressing"] == ("Unknown", "DeploymentPaused")
    c.kubectl("set image deployment/web nginx=nginx:1.27")
    c.kubectl("scale deployment web --replicas=5")
    c.settle()
    [rs] = rss(c)
    assert rs["spec"]["replicas"] == 5
    assert rs["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert c.kubectl("rollout resume deployment/web").stdout == "deployment.apps/web resumed\n"
    assert conditions(c)["Progressing"][1] in ("DeploymentResumed", "NewReplicaSetCreated",
                                               "ReplicaSetUpdated")
    c.settle()
    old, new = rss(c)
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (0, 5)
    assert conditions(c)["Progressing"] == ("True", "NewReplicaSetAvailable")


def test_scaling_during_a_rollout_is_proportional(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest(replicas=10))
    c.settle()
    c.kubectl("set image deployment/web nginx=nginx:no-such-tag")
    c.advance(30)
    old, new = rss(c)
    # 10 replicas: maxSurge 3 (25% up), maxUnavailable 2 (25% down): 8 old + 5 new pods.
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (8, 5)
    c.kubectl("scale deployment web --replicas=20")
    old, new = rss(c)
    # 12 more pods (20 + 5 - 13) shared 8:5 of the old max-replicas 13.
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (15, 10)
    assert old["metadata"]["annotations"][util.MAX_REPLICAS_ANNOTATION] == "25"
    assert f"Scaled up replica set {old['metadata']['name']} from 8 to 15" in messages(c)


def test_progress_deadline_exceeded(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest(extra_spec="  progressDeadlineSeconds: 60\n"))
    c.settle()
    c.kubectl("set image deployment/web nginx=nginx:no-such-tag")
    c.advance(30)
    assert conditions(c)["Progressing"] == ("True", "ReplicaSetUpdated")
    c.advance(40)
    new = rss(c)[1]["metadata"]["name"]
    d = c.api.get("deployments", "web")
    cond = util.get_condition(d["status"], "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False", "ProgressDeadlineExceeded", f'ReplicaSet "{new}" has timed out progressing.')
    assert conditions(c)["Available"] == ("True", "MinimumReplicasAvailable")
    r = c.kubectl("rollout status deployment/web")
    assert (r.stderr, r.returncode) == ('error: deployment "web" exceeded its progress '
                                        "deadline\n", 1)


def test_min_ready_seconds_delays_availability(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest(replicas=2, extra_spec="  minReadySeconds: 20\n"))
    [rs] = rss(c)
    assert rs["spec"]["minReadySeconds"] == 20
    c.advance(10)
    st = c.api.get("deployments", "web")["status"]
    assert st["readyReplicas"] == 2 and st.get("availableReplicas", 0) == 0
    assert conditions(c)["Available"] == ("False", "MinimumReplicasUnavailable")
    c.advance(20)
    assert c.api.get("deployments", "web")["status"]["availableReplicas"] == 2


def test_old_replicasets_beyond_revision_history_limit_are_deleted(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest(extra_spec="  revisionHistoryLimit: 1\n"))
    c.settle()
    for tag in ("1.27", "1.25", "stable"):
        c.kubectl(f"set image deployment/web nginx=nginx:{tag}")
        c.settle()
    left = rss(c)
    assert [r["metadata"]["annotations"][util.REVISION_ANNOTATION] for r in left] == ["3", "4"]


def test_deleting_a_deployment_deletes_its_replicasets_and_pods(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest())
    c.settle()
    assert c.kubectl("delete deployment web").stdout == 'deployment.apps "web" deleted\n'
    c.settle()
    assert rss(c) == []
    assert c.api.list("pods", "default", label_selector="app=web") == []


def test_an_orphan_replicaset_matching_the_selector_is_adopted(c: Cluster) -> None:
    rs = """apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: stray, labels: {app: web}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx:1.25}]}
"""
    c.kubectl("apply -f -", stdin=rs)
    c.settle()
    c.kubectl("apply -f -", stdin=manifest())
    stray = c.api.get("replicasets", "stray")
    assert util.controller_of(stray)["name"] == "web"
    c.settle()
    # The stray template differs: it is an old ReplicaSet and is scaled away.
    assert c.api.get("replicasets", "stray")["spec"]["replicas"] == 0
    assert c.api.get("deployments", "web")["status"]["availableReplicas"] == 3


def test_rollback_annotation_is_honoured_by_the_controller(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest())
    c.settle()
    c.kubectl("set image deployment/web nginx=nginx:1.27")
    c.settle()
    c.kubectl(f"annotate deployment web {util.ROLLBACK_TO_ANNOTATION}=0")
    d = c.api.get("deployments", "web")
    assert util.ROLLBACK_TO_ANNOTATION not in d["metadata"]["annotations"]
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"
    events = [(e["reason"], e["message"]) for e in c.api.events_for(d)]
    assert ("DeploymentRollback", 'Rolled back deployment "web" to revision 1') in events
    c.settle()
    first = rss(c)[0]
    assert first["metadata"]["annotations"][util.REVISION_ANNOTATION] == "3"
    assert first["metadata"]["annotations"][util.REVISION_HISTORY_ANNOTATION] == "1"


def test_a_hash_collision_bumps_collision_count(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=manifest(extra_spec="  paused: true\n"))
    d = c.api.get("deployments", "web")
    taken = f"web-{util.compute_hash(d['spec']['template'])}"
    squatter = f"""apiVersion: apps/v1
kind: ReplicaSet
metadata: {{name: {taken}, labels: {{other: x}}}}
spec:
  replicas: 0
  selector: {{matchLabels: {{other: x}}}}
  template:
    metadata: {{labels: {{other: x}}}}
    spec: {{containers: [{{name: c, image: busybox}}]}}
"""
    c.kubectl("apply -f -", stdin=squatter)
    c.kubectl("rollout resume deployment/web")
    c.settle()
    d = c.api.get("deployments", "web")
    assert d["status"]["collisionCount"] == 1
    [rs] = rss(c)
    assert rs["metadata"]["name"] == f"web-{util.compute_hash(d['spec']['template'], 1)}"
    assert d["status"]["availableReplicas"] == 3


def test_rollout_of_many_deployments_settles(c: Cluster) -> None:
    for i in range(10):
        c.kubectl("apply -f -", stdin=manifest(name=f"app{i}", replicas=4))
    c.settle()
    for i in range(10):
        c.kubectl(f"set image deployment/app{i} nginx=nginx:1.27")
    c.settle()
    for i in range(10):
        st = c.api.get("deployments", f"app{i}")["status"]
        assert (st["updatedReplicas"], st["availableReplicas"], st["replicas"]) == (4, 4, 4)
