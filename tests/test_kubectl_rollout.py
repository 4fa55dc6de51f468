"""kubectl rollout, set image and create deployment: kubectl's words, simulated time."""

from __future__ import annotations

import pytest

from k8snb import Cluster


@pytest.fixture()
def c() -> Cluster:
    c = Cluster(workers=2, seed=0)
    assert c.kubectl("create deployment web --image=nginx:1.26 --replicas=3").stdout == \
        "deployment.apps/web created\n"
    return c


def test_create_deployment_builds_what_kubectl_builds(c: Cluster) -> None:
    d = c.api.get("deployments", "web")
    assert d["metadata"]["labels"] == {"app": "web"}
    assert d["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    [container] = d["spec"]["template"]["spec"]["containers"]
    assert (container["name"], container["image"]) == ("nginx", "nginx:1.26")
    c.kubectl("create deploy api --image=docker.io/library/nginx:1.27 --port=8080")
    [container] = c.api.get("deployments", "api")["spec"]["template"]["spec"]["containers"]
    assert container["name"] == "nginx" and container["ports"] == [
        {"containerPort": 8080, "protocol": "TCP"}]
    assert c.api.get("deployments", "api")["spec"]["replicas"] == 1
    r = c.kubectl("create deployment nope")
    assert (r.stderr, r.returncode) == ('error: required flag(s) "image" not set\n', 1)
    r = c.kubectl("create deployment web --image=nginx")
    assert r.stderr == 'Error from server (AlreadyExists): deployments.apps "web" already exists\n'


def test_rollout_status_runs_time_until_the_rollout_is_done(c: Cluster) -> None:
    start = c.clock.now
    r = c.kubectl("rollout status deployment/web")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0] == 'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas ' \
        "are available..."
    assert 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are ' \
        "available..." in lines
    assert lines[-1] == 'deployment "web" successfully rolled out'
    assert c.clock.now > start
    assert c.kubectl("rollout status deploy web").stdout == \
        'deployment "web" successfully rolled out\n'
    c.kubectl("set image deployment/web nginx=nginx:1.27")
    out = c.kubectl("rollout status deployment/web").stdout.splitlines()
    assert out[0] == 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas ' \
        "have been updated..."
    assert out[-1] == 'deployment "web" successfully rolled out'


def test_rollout_status_watch_false_and_timeout(c: Cluster) -> None:
    r = c.kubectl("rollout status deployment/web --watch=false")
    assert (r.stdout, r.returncode) == (
        'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are '
        "available...\n", 0)
    c.settle()
    c.kubectl("set image deployment/web nginx=nginx:no-such-tag")
    start = c.clock.now
    r = c.kubectl("rollout status deployment/web --timeout=20s")
    assert r.stderr == "error: timed out waiting for the condition\n" and r.returncode == 1
    assert c.clock.now == start + 20
    r = c.kubectl("rollout status deployment/web --revision=1")
    assert r.stderr == ("error: desired revision (1) is different from the running revision "
                        "(2)\n")
    r = c.kubectl("rollout status deployment/nope")
    assert r.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    r = c.kubectl("rollout status pod/x")
    assert r.returncode == 1


def test_history_and_undo(c: Cluster) -> None:
    c.settle()
    # As the docs do: annotate after the change (the annotation is copied to the ReplicaSet
    # that is new at the time).
    c.kubectl("set image deployment/web nginx=nginx:1.27")
    c.kubectl("annotate deployment web kubernetes.io/change-cause=nginx-1.27")
    c.settle()
    assert c.kubectl("rollout history deployment/web").stdout == (
        "deployment.apps/web \n"
        "REVISION  CHANGE-CAUSE\n"
        "1         <none>\n"
        "2         nginx-1.27\n"
        "\n")
    detail = c.kubectl("rollout history deployment/web --revision=1").stdout
    assert detail.startswith("deployment.apps/web with revision #1\nPod Template:\n")
    assert "    Image:         nginx:1.26\n" in detail
    r = c.kubectl("rollout history deployment/web --revision=7")
    assert r.stderr == "error: unable to find the specified revision\n"
    assert c.kubectl("rollout undo deployment/web").stdout == \
        "deployment.apps/web rolled back\n"
    d = c.api.get("deployments", "web")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert "kubernetes.io/change-cause" not in d["metadata"]["annotations"]
    c.settle()
    assert c.kubectl("rollout history deploy/web").stdout.splitlines()[2:] == [
        "2         nginx-1.27", "3         <none>", ""]
    assert c.kubectl("rollout undo deployment/web --to-revision=3").stdout == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n")
    r = c.kubectl("rollout undo deployment/web --to-revision=1")
    assert (r.stderr, r.returncode) == (
        "error: unable to find specified revision 1 in history\n", 1)


def test_pause_resume_restart(c: Cluster) -> None:
    c.kubectl("set image deployment/web nginx=nginx:1.27")
    c.settle()
    assert c.kubectl("rollout pause deployment/web").stdout == "deployment.apps/web paused\n"
    assert c.kubectl("rollout pause deployment/web").stderr == \
        'error: deployments.apps "web" is already paused\n'
    assert c.kubectl("rollout restart deployment/web").stderr == \
        ('error: deployments.apps "web" can\'t restart paused deployment (run rollout resume '
         "first)\n")
    assert c.kubectl("rollout undo deployment/web").stderr.startswith(
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
        "resume deployment/web' and try again")
    assert c.kubectl("rollout resume deployment/web").stdout == "deployment.apps/web resumed\n"
    assert c.kubectl("rollout resume deployment/web").stderr == \
        'error: deployments.apps "web" is not paused\n'
    assert c.kubectl("rollout restart deployment/web").stdout == \
        "deployment.apps/web restarted\n"
    template = c.api.get("deployments", "web")["spec"]["template"]
    assert template["metadata"]["annotations"] == {
        "kubectl.kubernetes.io/restartedAt": c.clock.rfc3339()}
    assert "failed to create patch for web" in c.kubectl("rollout restart deployment/web").stderr
    c.settle()
    assert len(c.api.list("replicasets", "default")) == 3


def test_set_image(c: Cluster) -> None:
    assert c.kubectl("set image deployment/web nginx=nginx:1.27").stdout == \
        "deployment.apps/web image updated\n"
    r = c.kubectl("set image deployment/web nginx=nginx:1.27")
    assert (r.stdout, r.stderr, r.returncode) == ("", "", 0)  # no change, no patch
    r = c.kubectl("set image deployment web app=nginx:1.27")
    assert r.stderr == 'error: unable to find container named "app"\n'
    assert c.kubectl("set image deployment/web *=nginx:1.25").stdout == \
        "deployment.apps/web image updated\n"
    assert c.kubectl("set image deployment/web").stderr == \
        "error: at least one image update is required\n"
