"""The image catalog: names as containerd normalises them, pull errors, every image's program."""

from __future__ import annotations

import pytest
from test_runtime import Node

from k8snb.node.images import CATALOG, PULL_BANDWIDTH, PULL_LATENCY, InvalidImageName, normalize


@pytest.mark.parametrize("name, full", [
    ("nginx", "docker.io/library/nginx:latest"),
    ("nginx:1.27", "docker.io/library/nginx:1.27"),
    ("library/nginx", "docker.io/library/nginx:latest"),
    ("docker.io/nginx", "docker.io/library/nginx:latest"),
    ("index.docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36"),
    ("hashicorp/http-echo", "docker.io/hashicorp/http-echo:latest"),
    ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
    ("k8s.gcr.io/pause:3.2", "registry.k8s.io/pause:3.2"),
    ("localhost:5000/app", "localhost:5000/app:latest"),
    ("registry.k8s.io/e2e-test-images/agnhost:2.53",
     "registry.k8s.io/e2e-test-images/agnhost:2.53"),
])
def test_normalize_like_containerd(name: str, full: str) -> None:
    assert normalize(name) == full


def test_invalid_names() -> None:
    with pytest.raises(InvalidImageName, match="repository name must be lowercase"):
        normalize("Nginx")
    with pytest.raises(InvalidImageName, match="invalid reference format"):
        normalize("nginx:")


def test_catalog_covers_the_common_images() -> None:
    wanted = ["nginx", "nginx:1.27", "busybox", "alpine", "ubuntu", "debian", "redis", "postgres",
              "mysql", "httpd", "python", "node", "golang", "memcached", "mongo", "rabbitmq",
              "traefik", "registry.k8s.io/ingress-nginx/controller:v1.11.3",
              "registry.k8s.io/pause:3.10", "registry.k8s.io/e2e-test-images/agnhost:2.53",
              "registry.k8s.io/etcd:3.5.16-0", "registry.k8s.io/kube-apiserver:v1.33.0",
              "registry.k8s.io/kube-controller-manager:v1.33.0",
              "registry.k8s.io/kube-scheduler:v1.33.0", "registry.k8s.io/kube-proxy:v1.33.0",
              "registry.k8s.io/coredns/coredns:v1.11.3", "k8s.gcr.io/echoserver:1.4"]
    for name in wanted:
        assert CATALOG.find(name).spec.repository
    assert len(CATALOG.specs) >= 20


def test_pull_errors_read_like_containerd() -> None:
    with pytest.raises(LookupError) as typo:
        CATALOG.find("ngnix")
    assert str(typo.value.args[0]) == (
        'failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve '
        'reference "docker.io/library/ngnix:latest": pull access denied, repository does not '
        "exist or may require authorization: server message: insufficient_scope: "
        "authorization failed")
    with pytest.raises(LookupError, match=r"docker.io/library/nginx:1.277: not found"):
        CATALOG.find("nginx:1.277")
    with pytest.raises(LookupError, match="lookup registry.example.com: no such host"):
        CATALOG.find("registry.example.com/team/app:v1")


def test_images_are_deterministic() -> None:
    a, b = CATALOG.find("nginx"), CATALOG.find("nginx:latest")
    assert a.id == b.id and a.id.startswith("sha256:") and len(a.id) == 71
    assert a.id != CATALOG.find("nginx:1.25").id
    assert CATALOG.find(f"nginx@{a.digest}").ref == f"docker.io/library/nginx@{a.digest}"
    assert a.pull_duration == round(PULL_LATENCY + a.size / PULL_BANDWIDTH, 3) == 3.38
    assert CATALOG.find("busybox").pull_duration == 0.586
    assert CATALOG.find("nginx:1.25").version == "1.25.5"


def test_image_files_are_shared_until_written() -> None:
    img = CATALOG.find("busybox")
    assert img.rootfs() is img.rootfs()


def test_alpine_variants_have_busybox_tools() -> None:
    assert CATALOG.find("nginx").userland == "gnu"
    assert CATALOG.find("nginx:alpine").userland == "busybox"
    assert CATALOG.find("nginx:alpine").size < CATALOG.find("nginx").size


# every image, started with its own ENTRYPOINT and CMD, like `kubectl run x --image=...`
EXITS = {
    "docker.io/library/busybox": (0, ""),  # `sh` with nothing on stdin ends at once
    "docker.io/library/alpine": (0, ""),
    "docker.io/library/ubuntu": (0, ""),
    "docker.io/library/debian": (0, ""),
    "docker.io/library/python": (0, ""),
    "docker.io/library/node": (0, ""),
    "docker.io/library/golang": (0, ""),
    "docker.io/nicolaka/netshoot": (0, ""),
    "docker.io/library/postgres": (1, "Error: Database is uninitialized and superuser password"),
    "docker.io/library/mysql": (1, "[ERROR] [Entrypoint]: Database is uninitialized"),
    "docker.io/hashicorp/http-echo": (127, "Missing -text option!"),
    "docker.io/curlimages/curl": (2, "curl: try 'curl --help'"),
    "gcr.io/distroless/static-debian12": (128, ""),
}
FIRST_LINE = {
    "docker.io/library/nginx": "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty",
    "docker.io/library/redis": "1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting",
    "docker.io/library/httpd": "AH00558: httpd: Could not reliably determine",
    "registry.k8s.io/e2e-test-images/agnhost": "Paused",
    "registry.k8s.io/kube-apiserver": "I0101 00:00:00.000000       1 server.go:142] Version:",
    "registry.k8s.io/coredns/coredns": ".:53",
    "registry.k8s.io/etcd": '{"level":"info","ts":"2026-01-01T00:00:00.000000Z"',
    "registry.k8s.io/ingress-nginx/controller": "-" * 79,
    "docker.io/library/traefik": "2026-01-01T00:00:00Z INF Traefik version 3.2.3",
}


@pytest.mark.parametrize("repo", sorted(CATALOG.specs))
def test_every_image_runs_its_default_program(repo: str) -> None:
    spec = CATALOG.specs[repo]
    tag = next(iter(spec.tags))
    node = Node(preloaded=("registry.k8s.io/pause:3.10", f"{repo}:{tag}"))
    sb = node.pod("p", {"name": "c", "image": f"{repo}:{tag}"})
    node.clock.advance(1)
    logs = node.rt.logs(sb, "c")
    if repo in EXITS:
        code, start = EXITS[repo]
        assert node.exits == [("c", code, "StartError" if code == 128 else
                               "Completed" if code == 0 else "Error")]
        assert start in logs
        return
    assert node.exits == []
    assert sorted(node.rt.sandbox(sb).netns.listeners) == sorted(spec.ports)
    assert logs.startswith(FIRST_LINE.get(repo, ""))
    node.rt.kill_container(node.rt.sandbox(sb).containers["c"].id)
    node.clock.advance(0)
    assert node.exits == [("c", 0, "Completed")]  # every server stops on its stop signal


def test_language_runtimes_run_print_statements() -> None:
    node = Node(preloaded=("registry.k8s.io/pause:3.10", "node", "python"))
    sb = node.pod("p", {"name": "js", "image": "node", "command": ["node", "-e", "console.log('hi')"]},
                  {"name": "py", "image": "python", "command": ["python", "-c", "print('hello', 1)"]},
                  {"name": "web", "image": "python", "command": ["python", "-m", "http.server"]})
    node.clock.advance(0)
    assert sorted(node.exits) == [("js", 0, "Completed"), ("py", 0, "Completed")]
    assert (node.rt.logs(sb, "js"), node.rt.logs(sb, "py")) == ("hi\n", "hello 1\n")
    assert node.rt.logs(sb, "web") == (
        "Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...\n")
    assert 8000 in node.rt.sandbox(sb).netns.listeners
