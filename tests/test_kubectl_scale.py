"""kubectl scale: what it prints, which preconditions it checks, which kinds it accepts."""

from __future__ import annotations

import yaml

from k8snb import Cluster


def workload(kind: str, name: str = "web", replicas: int = 1) -> str:
    api = "v1" if kind == "ReplicationController" else "apps/v1"
    labels = {"app": name}
    spec: dict = {"replicas": replicas,
                  "template": {"metadata": {"labels": labels},
                               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
    if kind != "ReplicationController":
        spec["selector"] = {"matchLabels": labels}
    if kind == "StatefulSet":
        spec["serviceName"] = name
    return yaml.safe_dump({"apiVersion": api, "kind": kind, "metadata": {"name": name},
                           "spec": spec})


def replicas(c: Cluster, resource: str, name: str = "web") -> int:
    return c.api.get(resource, name)["spec"]["replicas"]


def test_scales_every_scalable_kind() -> None:
    c = Cluster(workers=2, seed=0)
    for kind, resource, short, printed in (
            ("Deployment", "deployments", "deploy", "deployment.apps"),
            ("ReplicaSet", "replicasets", "rs", "replicaset.apps"),
            ("ReplicationController", "replicationcontrollers", "rc", "replicationcontroller"),
            ("StatefulSet", "statefulsets", "sts", "statefulset.apps")):
        c.kubectl("apply -f -", stdin=workload(kind, name=short))
        r = c.kubectl(f"scale {short}/{short} --replicas=3")
        assert (r.stdout, r.stderr, r.returncode) == (f"{printed}/{short} scaled\n", "", 0)
        assert replicas(c, resource, short) == 3
        r = c.kubectl(f"scale {short} {short} --replicas=0 -o name")
        assert r.stdout == f"{printed}/{short}\n"
        assert replicas(c, resource, short) == 0


def test_scale_rs_creates_and_removes_pods() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=workload("ReplicaSet"))
    c.kubectl("scale rs web --replicas=4")
    assert "4         4" in c.kubectl("get rs web").stdout
    c.kubectl("scale rs web --replicas=0")
    c.settle()
    assert c.kubectl("get pods").stderr == "No resources found in default namespace.\n"
    rs = c.api.get("replicasets", "web")
    assert rs["metadata"]["generation"] == 3 and rs["status"]["observedGeneration"] == 3


def test_current_replicas_precondition() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=workload("Deployment", replicas=2))
    r = c.kubectl("scale --current-replicas=3 --replicas=5 deployment/web")
    assert (r.stdout, r.stderr, r.returncode) == (
        "", "error: Expected replicas to be 3, was 2\n", 1)
    assert replicas(c, "deployments") == 2
    r = c.kubectl("scale --current-replicas=2 --replicas=5 deployment/web")
    assert r.stdout == "deployment.apps/web scaled\n"
    assert replicas(c, "deployments") == 5
    rv = c.api.get("deployments", "web")["metadata"]["resourceVersion"]
    r = c.kubectl("scale deploy web --resource-version=1 --replicas=1")
    assert r.stderr == f"error: Expected resource version to be 1, was {rv}\n"
    assert c.kubectl(f"scale deploy web --resource-version={rv} --replicas=1").returncode == 0


def test_errors_in_kubectl_words() -> None:
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=workload("ReplicaSet"))
    c.kubectl("run solo --image=nginx")
    cases = {
        "scale rs web": 'error: required flag(s) "replicas" not set\n',
        "scale rs web --replicas=-1": "error: The --replicas=COUNT flag is required, and COUNT "
                                      "must be greater than or equal to 0\n",
        "scale rs web --replicas=two": 'error: invalid argument "two" for "--replicas" flag: '
                                       'strconv.ParseInt: parsing "two": invalid syntax\n'
                                       "See 'kubectl scale --help' for usage.\n",
        "scale rs --replicas=2": "error: resource(s) were provided, but no name was specified\n",
        "scale deploy nope --replicas=2":
            'Error from server (NotFound): deployments.apps "nope" not found\n',
        "scale pod solo --replicas=2":
            "Error from server (NotFound): the server could not find the requested resource\n",
        "scale widgets web --replicas=2":
            'error: the server doesn\'t have a resource type "widgets"\n',
    }
    for cmd, err in cases.items():
        r = c.kubectl(cmd)
        assert (r.stdout, r.stderr, r.returncode) == ("", err, 1), cmd
    r = c.kubectl("scale --replicas=2")
    assert r.stderr.startswith("error: You must provide one or more resources by argument or "
                               "filename.\nExample resource specifications include:\n")
    assert replicas(c, "replicasets") == 1


def test_selector_all_multiple_and_dry_run() -> None:
    c = Cluster(workers=2, seed=0)
    for name in ("a", "b"):
        doc = yaml.safe_load(workload("ReplicaSet", name=name))
        doc["metadata"]["labels"] = {"tier": "front"}
        c.kubectl("apply -f -", stdin=yaml.safe_dump(doc))
    r = c.kubectl("scale rs -l tier=front --replicas=2")
    assert r.stdout == "replicaset.apps/a scaled\nreplicaset.apps/b scaled\n"
    r = c.kubectl("scale rs a b --replicas=2 --resource-version=5")
    assert r.stderr == "error: cannot use --resource-version with multiple resources\n"
    r = c.kubectl("scale rs --all --replicas=0 --dry-run=client")
    assert r.stdout == "replicaset.apps/a scaled (dry run)\nreplicaset.apps/b scaled (dry run)\n"
    assert replicas(c, "replicasets", "a") == 2
    r = c.kubectl("scale rs a missing --replicas=1")
    assert r.stdout == "replicaset.apps/a scaled\n"
    assert r.stderr == 'Error from server (NotFound): replicasets.apps "missing" not found\n'
    assert r.returncode == 1
    r = c.kubectl("scale rs -l tier=back --replicas=1")
    assert r.stderr == "error: no objects passed to scale\n"
