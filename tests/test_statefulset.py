"""The StatefulSet controller, as a learner sees it through kubectl and the clock."""

from __future__ import annotations

import pytest
import yaml

from k8snb import Cluster
from k8snb.controllers.statefulset import statefulset_rollout_status


def sts_manifest(replicas: int = 3, *, policy: str | None = None, strategy: dict | None = None,
                 claims: bool = False, image: str = "nginx:1.27", start: int | None = None) -> str:
    container: dict = {"name": "nginx", "image": image}
    spec: dict = {"serviceName": "nginx", "replicas": replicas,
                  "selector": {"matchLabels": {"app": "nginx"}},
                  "template": {"metadata": {"labels": {"app": "nginx"}},
                               "spec": {"containers": [container]}}}
    if policy:
        spec["podManagementPolicy"] = policy
    if strategy:
        spec["updateStrategy"] = strategy
    if start is not None:
        spec["ordinals"] = {"start": start}
    if claims:
        container["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
        spec["volumeClaimTemplates"] = [{
            "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}}]
    return yaml.safe_dump({"apiVersion": "apps/v1", "kind": "StatefulSet",
                           "metadata": {"name": "web"}, "spec": spec})


def make(c: Cluster, **kw: object) -> None:
    r = c.kubectl("apply -f -", stdin=sts_manifest(**kw))  # type: ignore[arg-type]
    assert r.returncode == 0, r.stderr


def pods(c: Cluster) -> dict[str, dict]:
    return {p["metadata"]["name"]: p for p in c.api.list("pods", "default",
                                                          label_selector="app=nginx")}


def sts_events(c: Cluster) -> list[tuple[str, str]]:
    return [(e["reason"], e["message"]) for e in c.api.events_for(c.api.get("sts", "web"))]


def set_image(c: Cluster, image: str) -> None:
    patch = ('{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"'
             + image + '"}]}}}}')
    r = c.kubectl(["patch", "sts", "web", "-p", patch])
    assert r.returncode == 0, r.stderr


def test_ordered_ready_creates_one_pod_at_a_time() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    assert list(pods(c)) == ["web-0"]  # web-1 waits for web-0 to be Running and Ready
    c.advance(1)
    assert list(pods(c)) == ["web-0"]
    c.settle()
    got = pods(c)
    assert list(got) == ["web-0", "web-1", "web-2"]
    assert all(p["status"]["phase"] == "Running" for p in got.values())
    created = [got[n]["metadata"]["creationTimestamp"] for n in got]
    assert created == sorted(created) and created[0] < created[2]
    assert sts_events(c) == [("SuccessfulCreate", f"create Pod web-{i} in StatefulSet web "
                              "successful") for i in range(3)]
    assert c.kubectl("get sts").stdout.splitlines()[1].split()[:2] == ["web", "3/3"]


def test_pod_identity_labels_hostname_and_owner() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=2)
    c.settle()
    sts = c.api.get("sts", "web")
    pod = c.api.get("pods", "web-1")
    labels = pod["metadata"]["labels"]
    assert labels["statefulset.kubernetes.io/pod-name"] == "web-1"
    assert labels["apps.kubernetes.io/pod-index"] == "1"
    assert labels["controller-revision-hash"] == sts["status"]["updateRevision"]
    assert pod["spec"]["hostname"] == "web-1" and pod["spec"]["subdomain"] == "nginx"
    ref = pod["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"]) == ("StatefulSet", "web", True)
    revs = c.api.list("controllerrevisions", "default")
    assert [r["metadata"]["name"] for r in revs] == [sts["status"]["updateRevision"]]
    assert revs[0]["revision"] == 1
    assert "statefulset.apps/web" in c.kubectl("get controllerrevisions").stdout


def test_ordinals_start() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=2, start=5)
    c.settle()
    assert list(pods(c)) == ["web-5", "web-6"]


def test_status_fields() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    status = c.api.get("sts", "web")["status"]
    assert {k: status[k] for k in ("replicas", "readyReplicas", "currentReplicas",
                                   "updatedReplicas", "availableReplicas")} == {
        "replicas": 3, "readyReplicas": 3, "currentReplicas": 3, "updatedReplicas": 3,
        "availableReplicas": 3}
    assert status["currentRevision"] == status["updateRevision"].strip()
    assert status["observedGeneration"] == 1 and status["collisionCount"] == 0


def test_scale_down_from_the_highest_ordinal_one_at_a_time() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    c.kubectl("scale sts web --replicas=1")
    got = pods(c)
    assert got["web-2"]["metadata"].get("deletionTimestamp")  # the highest goes first
    assert not got["web-1"]["metadata"].get("deletionTimestamp")  # and waits for it
    c.settle()
    assert list(pods(c)) == ["web-0"]
    deletes = [m for r, m in sts_events(c) if r == "SuccessfulDelete"]
    assert deletes == ["delete Pod web-2 in StatefulSet web successful",
                       "delete Pod web-1 in StatefulSet web successful"]


def test_parallel_creates_all_at_once() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, policy="Parallel")
    assert list(pods(c)) == ["web-0", "web-1", "web-2"]
    c.settle()
    c.kubectl("scale sts web --replicas=0")
    assert all(p["metadata"].get("deletionTimestamp") for p in pods(c).values())


def test_deleted_pod_comes_back_with_the_same_name() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    old_uid = c.api.get("pods", "web-1")["metadata"]["uid"]
    c.kubectl("delete pod web-1")
    c.settle()
    pod = c.api.get("pods", "web-1")
    assert pod["metadata"]["uid"] != old_uid and pod["status"]["phase"] == "Running"
    again = [e for e in c.api.events_for(c.api.get("sts", "web"))
             if e["message"] == "create Pod web-1 in StatefulSet web successful"]
    assert [e["count"] for e in again] == [2]  # the same event, seen twice


def test_rolling_update_from_the_highest_ordinal() -> None:
    c = Cluster(workers=2, seed=0)
    make(c)
    c.settle()
    old_rev = c.api.get("sts", "web")["status"]["currentRevision"]
    set_image(c, "nginx:1.26")
    sts = c.api.get("sts", "web")
    new_rev = sts["status"]["updateRevision"]
    assert new_rev != old_rev and sts["status"]["currentRevision"] == old_rev
    assert pods(c)["web-2"]["metadata"].get("deletionTimestamp")
    assert not pods(c)["web-1"]["metadata"].get("deletionTimestamp")
    msg, done = statefulset_rollout_status(sts)
    assert not done
    c.settle()
    got = pods(c)
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in got.values()} == {
        new_rev}
    assert {p["spec"]["containers"][0]["image"] for p in got.values()} == {"nginx:1.26"}
    deletes = [m for r, m in sts_events(c) if r == "SuccessfulDelete"]
    assert deletes == [f"delete Pod web-{i} in StatefulSet web successful" for i in (2, 1, 0)]
    sts = c.api.get("sts", "web")
    assert sts["status"]["currentRevision"] == new_rev
    assert statefulset_rollout_status(sts) == (
        "partitioned roll out complete: 3 new pods have been updated...", True)
    revs = {r["metadata"]["name"]: r["revision"] for r in c.api.list("controllerrevisions", "default")}
    assert revs == {old_rev: 1, new_rev: 2}


def test_rollback_renumbers_the_old_revision() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=1)
    c.settle()
    first = c.api.get("sts", "web")["status"]["updateRevision"]
    set_image(c, "nginx:1.26")
    c.settle()
    set_image(c, "nginx:1.27")
    c.settle()
    revs = {r["metadata"]["name"]: r["revision"] for r in c.api.list("controllerrevisions", "default")}
    assert len(revs) == 2 and revs[first] == 3
    assert c.api.get("sts", "web")["status"]["updateRevision"] == first


def test_partition_updates_only_ordinals_at_or_above_it() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, strategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 2}})
    c.settle()
    set_image(c, "nginx:1.26")
    c.settle()
    images = {n: p["spec"]["containers"][0]["image"] for n, p in pods(c).items()}
    assert images == {"web-0": "nginx:1.27", "web-1": "nginx:1.27", "web-2": "nginx:1.26"}
    sts = c.api.get("sts", "web")
    assert sts["status"]["updatedReplicas"] == 1 and sts["status"]["currentReplicas"] == 2
    assert statefulset_rollout_status(sts) == (
        "partitioned roll out complete: 1 new pods have been updated...", True)
    c.kubectl("delete pod web-0")  # a pod below the partition comes back at the old revision
    c.settle()
    assert c.api.get("pods", "web-0")["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_on_delete_waits_for_you() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, strategy={"type": "OnDelete"})
    c.settle()
    set_image(c, "nginx:1.26")
    c.settle()
    assert {p["spec"]["containers"][0]["image"] for p in pods(c).values()} == {"nginx:1.27"}
    c.kubectl("delete pod web-1")
    c.settle()
    assert c.api.get("pods", "web-1")["spec"]["containers"][0]["image"] == "nginx:1.26"
    with pytest.raises(ValueError, match="only available for RollingUpdate"):
        statefulset_rollout_status(c.api.get("sts", "web"))


def test_claims_from_templates_and_pending_until_bound() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=2, claims=True)
    c.settle()
    pvc = c.api.get("pvc", "data-web-0")
    assert pvc["metadata"]["labels"] == {"app": "nginx"}
    assert pvc["spec"]["resources"]["requests"]["storage"] == "1Gi"
    pod = c.api.get("pods", "web-0")
    assert pod["status"]["phase"] == "Pending"
    assert {"name": "data", "persistentVolumeClaim": {"claimName": "data-web-0"}} in \
        pod["spec"]["volumes"]
    assert list(pods(c)) == ["web-0"]  # web-1 waits behind the Pending web-0
    warning = [e["message"] for e in c.api.events_for(pod) if e["reason"] == "FailedScheduling"]
    assert warning == ["0/3 nodes are available: pod has unbound immediate "
                       "PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 "
                       "Preemption is not helpful for scheduling."]
    assert sts_events(c)[:2] == [
        ("SuccessfulCreate", "create Claim data-web-0 Pod web-0 in StatefulSet web success"),
        ("SuccessfulCreate", "create Pod web-0 in StatefulSet web successful")]
    # once a volume is bound to the claim the scheduler lets the pod in
    c.kubectl(["patch", "pvc", "data-web-0", "-p", '{"spec":{"volumeName":"pv-0"}}'])
    c.settle()
    assert c.api.get("pods", "web-0")["spec"].get("nodeName")
    assert "data-web-1" in c.kubectl("get pvc").stdout


def test_claims_outlive_scale_down_and_deletion() -> None:
    c = Cluster(workers=2, seed=0)
    make(c, replicas=2, claims=True, policy="Parallel")
    c.settle()
    c.kubectl("scale sts web --replicas=1")
    c.settle()
    assert list(pods(c)) == ["web-0"]
    c.kubectl("delete sts web")
    c.settle()
    assert pods(c) == {}
    names = [p["metadata"]["name"] for p in c.api.list("pvc", "default")]
    assert names == ["data-web-0", "data-web-1"]  # Retain: the data stays


def test_rollout_status_messages() -> None:
    sts = {"metadata": {"name": "web", "generation": 2},
           "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate"}},
           "status": {"observedGeneration": 1}}
    assert statefulset_rollout_status(sts) == (
        "Waiting for statefulset spec update to be observed...", False)
    sts["status"] = {"observedGeneration": 2, "readyReplicas": 1}
    assert statefulset_rollout_status(sts) == ("Waiting for 2 pods to be ready...", False)
    sts["status"].update(readyReplicas=3, updatedReplicas=2, currentRevision="web-a",
                         updateRevision="web-b")
    assert statefulset_rollout_status(sts) == (
        "waiting for statefulset rolling update to complete 2 pods at revision web-b...", False)
    sts["spec"]["updateStrategy"]["rollingUpdate"] = {"partition": 0}
    assert statefulset_rollout_status(sts) == (
        "Waiting for partitioned roll out to finish: 2 out of 3 new pods have been "
        "updated...", False)
