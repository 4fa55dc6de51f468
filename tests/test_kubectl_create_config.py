"""``kubectl create configmap|secret generic|serviceaccount`` as kubectl's generators make them."""

from __future__ import annotations

import base64

import yaml

from k8snb import Cluster


def test_configmap_from_literals_files_and_env_files(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.properties").write_text("color=blue\n")
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "a.txt").write_text("A")
    (conf / "b.txt").write_text("B")
    (tmp_path / "vars.env").write_text("# comment\nMODE=prod\n\nLEVEL=3\n")
    c = Cluster(workers=0, seed=0)
    out = c.kubectl("create configmap app --from-literal=mode=debug --from-file=app.properties "
                    "--from-file=renamed=app.properties --dry-run=client -o yaml").stdout
    assert yaml.safe_load(out) == {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"},
        "data": {"app.properties": "color=blue\n", "renamed": "color=blue\n", "mode": "debug"}}
    assert c.kubectl("create configmap dir --from-file=conf").stdout == "configmap/dir created\n"
    assert c.api.get("configmaps", "dir")["data"] == {"a.txt": "A", "b.txt": "B"}
    c.kubectl("create configmap env --from-env-file=vars.env")
    assert c.api.get("configmaps", "env")["data"] == {"MODE": "prod", "LEVEL": "3"}
    assert c.kubectl("create cm dup --from-literal=a=1 --from-literal=a=2").stderr == (
        'error: cannot add key "a", another key by that name already exists in Data for '
        'ConfigMap "dup"\n')
    assert c.kubectl("create cm x --from-literal=oops").stderr == \
        "error: invalid literal source oops, expected key=value\n"
    assert "is not a valid key name for a ConfigMap" in c.kubectl(
        "create cm x --from-literal=bad/key=1").stderr
    assert c.kubectl("create cm app2 --from-literal=a=1 -o name").stdout == "configmap/app2\n"


def test_secret_generic_is_base64_and_opaque_and_serviceaccounts_are_made() -> None:
    c = Cluster(workers=0, seed=0)
    assert c.kubectl("create secret generic db --from-literal=password=s3cret").stdout == \
        "secret/db created\n"
    secret = c.api.get("secrets", "db")
    assert secret["type"] == "Opaque"
    assert base64.b64decode(secret["data"]["password"]).decode() == "s3cret"
    assert "not available in the simulated cluster yet" in c.kubectl(
        "create secret tls cert").stderr
    assert c.kubectl("create serviceaccount robot -n kube-system").stdout == \
        "serviceaccount/robot created\n"
    assert c.api.get("serviceaccounts", "robot", "kube-system")


def test_binary_files_go_to_binary_data_and_bad_env_files_are_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "logo.bin").write_bytes(b"\x89PNG\xff\x00")
    (tmp_path / "env.bin").write_bytes(b"A=\xff\n")
    c = Cluster(workers=0, seed=0)
    assert c.kubectl("create configmap art --from-file=logo.bin").returncode == 0
    cm = c.api.get("configmaps", "art")
    assert "data" not in cm and base64.b64decode(cm["binaryData"]["logo.bin"]) == b"\x89PNG\xff\x00"
    c.kubectl("create secret generic blob --from-file=logo.bin")
    assert base64.b64decode(c.api.get("secrets", "blob")["data"]["logo.bin"]) == b"\x89PNG\xff\x00"
    assert c.kubectl("create cm e --from-env-file=env.bin").stderr == \
        "error: env file env.bin contains invalid utf8 bytes\n"
