"""The API server as a learner meets it: errors in Kubernetes' words, nothing half-written."""

from __future__ import annotations

import pytest

from k8snb import Cluster, StatusError


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return Cluster(workers=1, seed=0)


def pod(name: str, image: str = "nginx", **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "app", "image": image}], **spec}}


def test_create_fills_metadata_and_defaults(cluster: Cluster) -> None:
    created = cluster.api.create(pod("defaults"))
    meta = created["metadata"]
    assert meta["namespace"] == "default"
    assert len(meta["uid"]) == 36 and meta["uid"][14] == "4"
    assert meta["creationTimestamp"] == cluster.clock.rfc3339()
    spec = created["spec"]
    assert spec["restartPolicy"] == "Always"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["containers"][0]["imagePullPolicy"] == "Always"  # no tag means :latest
    keys = {t["key"] for t in spec["tolerations"]}
    assert keys == {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}
    assert spec["serviceAccountName"] == "default"
    assert any(v["name"].startswith("kube-api-access-") for v in spec["volumes"])


def test_invalid_name_is_rejected_with_field_path(cluster: Cluster) -> None:
    with pytest.raises(StatusError) as e:
        cluster.api.create(pod("Web_1"))
    assert e.value.reason == "Invalid"
    assert e.value.message.startswith('The Pod "Web_1" is invalid: metadata.name: Invalid value: '
                                      '"Web_1": a lowercase RFC 1123 subdomain')
    assert cluster.store.get("pods", ("default", "Web_1")) is None


def test_missing_image_is_required(cluster: Cluster) -> None:
    bad = pod("noimage")
    del bad["spec"]["containers"][0]["image"]
    with pytest.raises(StatusError) as e:
        cluster.api.create(bad)
    assert e.value.message == ('The Pod "noimage" is invalid: spec.containers[0].image: '
                               "Required value")


def test_already_exists_and_not_found(cluster: Cluster) -> None:
    cluster.api.create(pod("twice"))
    with pytest.raises(StatusError) as e:
        cluster.api.create(pod("twice"))
    assert e.value.kubectl_message() == ('Error from server (AlreadyExists): pods "twice" '
                                         "already exists")
    with pytest.raises(StatusError) as e:
        cluster.api.get("pods", "nope")
    assert e.value.kubectl_message() == 'Error from server (NotFound): pods "nope" not found'


def test_stale_resource_version_conflicts(cluster: Cluster) -> None:
    first = cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": "cfg"}, "data": {"a": "1"}})
    newer = dict(first, data={"a": "2"})
    cluster.api.update(newer)
    stale = dict(first, data={"a": "3"})
    with pytest.raises(StatusError) as e:
        cluster.api.update(stale)
    assert e.value.reason == "Conflict"
    assert "the object has been modified" in e.value.message
    assert cluster.api.get("configmaps", "cfg")["data"] == {"a": "2"}


def test_resource_version_is_one_counter(cluster: Cluster) -> None:
    a = cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "rv1"}})
    b = cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "rv2"}})
    assert int(b["metadata"]["resourceVersion"]) > int(a["metadata"]["resourceVersion"])


def test_generate_name_uses_the_safe_alphabet(cluster: Cluster) -> None:
    created = cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"generateName": "gen-"}})
    suffix = created["metadata"]["name"][len("gen-"):]
    assert len(suffix) == 5 and set(suffix) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_protected_namespaces(cluster: Cluster) -> None:
    for ns in ("default", "kube-system", "kube-public"):
        with pytest.raises(StatusError) as e:
            cluster.api.delete("namespaces", ns)
        assert e.value.message == f'namespaces "{ns}" is forbidden: this namespace may not be deleted'


def test_unknown_field_is_a_strict_decoding_error(cluster: Cluster) -> None:
    bad = pod("typo")
    bad["spec"]["containers"][0]["imagee"] = "nginx"
    with pytest.raises(StatusError) as e:
        cluster.api.create(bad, field_validation="Strict")
    assert e.value.reason == "BadRequest"
    assert e.value.message.endswith('strict decoding error: unknown field '
                                    '"spec.containers[0].imagee"')


def test_deployment_validation_messages(cluster: Cluster) -> None:
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
           "spec": {"replicas": -1, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}
    with pytest.raises(StatusError) as e:
        cluster.api.create(dep)
    assert e.value.message == ('The Deployment "web" is invalid: spec.replicas: Invalid value: '
                               "-1: must be greater than or equal to 0")


def test_service_gets_a_cluster_ip_from_the_service_range(cluster: Cluster) -> None:
    svc = cluster.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                              "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}]}})
    assert svc["spec"]["clusterIP"].startswith("10.")
    assert svc["spec"]["ports"][0]["targetPort"] == 80
    assert cluster.api.get("services", "kubernetes")["spec"]["clusterIP"] == "10.96.0.1"


def test_namespace_deletion_empties_it_then_goes(cluster: Cluster) -> None:
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tmp"}})
    cluster.run_pending()
    cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": "c", "namespace": "tmp"}})
    ns = cluster.api.delete("namespaces", "tmp")
    assert ns["status"]["phase"] == "Terminating"
    with pytest.raises(StatusError) as e:
        cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": {"name": "d", "namespace": "tmp"}})
    assert "because it is being terminated" in e.value.message
    cluster.settle()
    assert cluster.store.get("namespaces", ("", "tmp")) is None
    assert cluster.store.get("configmaps", ("tmp", "c")) is None


def test_garbage_collector_background_and_orphan(cluster: Cluster) -> None:
    owner = cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": "owner"}})
    ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner",
           "uid": owner["metadata"]["uid"], "controller": True}
    cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": "dep", "ownerReferences": [ref]}})
    cluster.api.delete("configmaps", "owner")
    cluster.settle()
    assert cluster.store.get("configmaps", ("default", "dep")) is None

    owner = cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": "owner2"}})
    ref = dict(ref, name="owner2", uid=owner["metadata"]["uid"])
    cluster.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": "dep2", "ownerReferences": [ref]}})
    cluster.api.delete("configmaps", "owner2", propagation_policy="Orphan")
    cluster.settle()
    dep = cluster.store.get("configmaps", ("default", "dep2"))
    assert dep is not None and not dep["metadata"].get("ownerReferences")
    assert cluster.store.get("configmaps", ("default", "owner2")) is None


def test_create_copies_unless_the_caller_hands_the_object_over() -> None:
    c = Cluster(workers=0, seed=0)
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}}
    out = c.api.create(cm)
    out["data"]["k"] = "changed"
    cm["data"]["k"] = "changed too"
    assert c.api.get("configmaps", "a")["data"] == {"k": "v"}
    handed = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {}}
    stored = c.api.create(handed, owned=True)
    assert stored is handed and stored is c.api.get_shared("configmaps", "b")
    assert stored["metadata"]["resourceVersion"] and stored["metadata"]["namespace"] == "default"
