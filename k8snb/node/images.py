"""The image catalog: what a registry would serve, and image names normalised like containerd.

    >>> normalize("nginx")
    'docker.io/library/nginx:latest'
    >>> CATALOG.find("nginx:1.27").version
    '1.27.3'

Each image has a default ENTRYPOINT and CMD, a size (what ``crictl images`` shows), the ports
its program listens on, a base distribution (which decides its shell and tools) and the program
it runs (see `servers`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field

from k8snb.node.fs import Dir, File
from k8snb.node.image_files import (
    HTTPD_INDEX,
    NGINX_50X,
    NGINX_CONF,
    NGINX_DEFAULT_CONF,
    NGINX_INDEX,
    exe,
    make_tree,
    script,
)

MB = 1_000_000
PULL_BANDWIDTH = 25 * MB  # bytes per simulated second
PULL_LATENCY = 0.5  # seconds to resolve the reference and fetch the manifest


class InvalidImageName(ValueError):
    """A reference containerd cannot parse (kubelet reason ``InvalidImageName``)."""


_REF = re.compile(r"^(?P<name>[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[0-9]+)?"
                  r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
                  r"(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$")


@functools.lru_cache(maxsize=1024)
def split_ref(image: str) -> tuple[str, str, str | None]:
    """``nginx:1.27`` -> ("docker.io/library/nginx", "1.27", None); raises InvalidImageName.

    Remembered per reference: every pod start asks about the same few images."""
    m = _REF.match(image)
    if not m:
        why = "repository name must be lowercase" if image != image.lower() else \
            "invalid reference format"
        raise InvalidImageName(
            f'Failed to apply default image tag "{image}": couldn\'t parse image name '
            f'"{image}": invalid reference format' + (f": {why}" if "lowercase" in why else ""))
    name, tag, digest = m.group("name"), m.group("tag"), m.group("digest")
    first = name.split("/", 1)[0]
    if "/" not in name or not ("." in first or ":" in first or first == "localhost"):
        name = "docker.io/" + (name if "/" in name else "library/" + name)
    name = name.replace("index.docker.io/", "docker.io/", 1)
    if name.startswith("docker.io/") and name.count("/") == 1:
        name = "docker.io/library/" + name[len("docker.io/"):]
    if name.startswith("k8s.gcr.io/"):  # the old registry now redirects to the new one
        name = "registry.k8s.io/" + name[len("k8s.gcr.io/"):]
    return name, tag or ("" if digest else "latest"), digest


def normalize(image: str) -> str:
    """The full reference containerd stores: ``docker.io/library/nginx:latest``."""
    repo, tag, digest = split_ref(image)
    return f"{repo}@{digest}" if digest and not tag else f"{repo}:{tag}"


def _sha(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def manifest_digest(repository: str, tag: str) -> str:
    """The (made-up, stable) manifest digest of ``repository:tag``."""
    return _sha(f"{repository}:{tag}#manifest")


@dataclass(frozen=True)
class ImageSpec:
    """One repository of the catalog."""

    repository: str
    tags: dict[str, str]  # tag -> application version it holds
    size: int  # bytes, compressed, as `crictl images` reports
    base: str  # busybox | alpine | debian | ubuntu | distroless | scratch
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    ports: tuple[int, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    workdir: str = "/"
    files: dict[str, str | File] = field(default_factory=dict)
    stop_signal: str = "TERM"
    description: str = ""


@dataclass
class Image:
    """A concrete image: one tag of a repository, as pulled onto a node."""

    ref: str
    spec: ImageSpec
    tag: str
    version: str
    base: str
    size: int
    _tree: Dir | None = None

    @property
    def id(self) -> str:
        return _sha(f"{self.spec.repository}:{self.tag}#config")

    @property
    def digest(self) -> str:
        return manifest_digest(self.spec.repository, self.tag)

    @property
    def repo_digest(self) -> str:
        return f"{self.spec.repository}@{self.digest}"

    @property
    def userland(self) -> str:
        """busybox | gnu | none: which tools and messages the image's shell has."""
        return {"busybox": "busybox", "alpine": "busybox", "debian": "gnu",
                "ubuntu": "gnu"}.get(self.base, "none")

    @property
    def env(self) -> dict[str, str]:
        return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                **dict(self.spec.env)}

    def rootfs(self) -> Dir:
        """The image's files. Shared by every container of the image: never change it, mount
        it with ``MountedFS(..., shared=True)`` (copy-on-write)."""
        if self._tree is None:
            self._tree = make_tree(self.base, self.spec.files)
        return self._tree

    @property
    def pull_duration(self) -> float:
        return round(PULL_LATENCY + self.size / PULL_BANDWIDTH, 3)


class Catalog:
    """All repositories a registry serves; unknown ones fail to pull."""

    def __init__(self, specs: list[ImageSpec]) -> None:
        self.specs = {s.repository: s for s in specs}

    def find(self, image: str) -> Image:
        """The image a reference names; raises LookupError with containerd's message."""
        repo, tag, digest = split_ref(image)
        ref = normalize(image)
        spec = self.specs.get(repo)
        if spec is None:
            host = repo.split("/", 1)[0]
            if host not in ("docker.io", "registry.k8s.io", "gcr.io", "quay.io", "ghcr.io"):
                raise LookupError(
                    f'failed to pull and unpack image "{ref}": failed to resolve reference '
                    f'"{ref}": failed to do request: Head "https://{host}/v2/'
                    f'{repo.split("/", 1)[1]}/manifests/{tag or digest}": dial tcp: lookup '
                    f"{host}: no such host")
            raise LookupError(
                f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": '
                "pull access denied, repository does not exist or may require authorization: "
                "server message: insufficient_scope: authorization failed")
        if digest and not tag:  # pinned by digest: find the tag that has it
            tag = next((t for t in spec.tags if manifest_digest(repo, t) == digest), "")
        version = spec.tags.get(tag)
        variant = None if version is None else Image(
            ref, spec, tag, version, spec.base, spec.size)
        if variant is not None and digest and digest != variant.digest:
            variant = None
        if variant is None:
            raise LookupError(f'failed to pull and unpack image "{ref}": failed to resolve '
                              f'reference "{ref}": {ref}: not found')
        if "alpine" in tag and spec.base in ("debian", "ubuntu"):
            variant.base, variant.size = "alpine", max(spec.size // 3, 5 * MB)
        elif "slim" in tag:
            variant.size = max(spec.size // 4, 30 * MB)
        return variant


def _entry(program: str) -> dict[str, File]:
    return {"/usr/local/bin/docker-entrypoint.sh": exe(program)}


PY_TAGS = {"latest": "3.13.1", "3": "3.13.1", "3.13": "3.13.1", "3.12": "3.12.8",
           "3.11": "3.11.11", "slim": "3.13.1", "3.12-slim": "3.12.8", "alpine": "3.13.1"}
K8S = {"v1.35.0": "v1.35.0", "v1.34.0": "v1.34.0", "v1.33.0": "v1.33.0", "v1.32.0": "v1.32.0", "v1.31.0": "v1.31.0", "v1.30.0": "v1.30.0"}


def _control_plane(name: str, size: int, port: int) -> ImageSpec:
    return ImageSpec(f"registry.k8s.io/{name}", K8S, size, "distroless",
                     (f"/usr/local/bin/{name}",), (), (port,),
                     files={f"/usr/local/bin/{name}": exe(name)},
                     description=f"Kubernetes {name}")


CATALOG = Catalog([
    ImageSpec("docker.io/library/nginx",
              {"latest": "1.27.3", "1.27": "1.27.3", "1.27.3": "1.27.3", "mainline": "1.27.3",
               "stable": "1.26.2", "1.26": "1.26.2", "1.25": "1.25.5", "alpine": "1.27.3",
               "1.27-alpine": "1.27.3", "stable-alpine": "1.26.2"},
              72 * MB, "debian", ("/docker-entrypoint.sh",), ("nginx", "-g", "daemon off;"),
              (80,), (("NGINX_VERSION", "1.27.3"),), stop_signal="QUIT",
              files={"/docker-entrypoint.sh": exe("nginx-entrypoint"),
                     "/usr/sbin/nginx": exe("nginx"), "/usr/bin/curl": exe("curl"),
                     "/etc/nginx/nginx.conf": NGINX_CONF,
                     "/etc/nginx/conf.d/default.conf": NGINX_DEFAULT_CONF,
                     "/usr/share/nginx/html/index.html": NGINX_INDEX,
                     "/usr/share/nginx/html/50x.html": NGINX_50X,
                     "/var/log/nginx/access.log": "", "/var/log/nginx/error.log": "",
                     "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\n"
                                    "nginx:x:101:101:nginx user:/nonexistent:/bin/false\n"},
              description="the nginx web server"),
    ImageSpec("docker.io/library/busybox",
              {"latest": "1.37.0", "1.37": "1.37.0", "1.36": "1.36.1", "1.36.1": "1.36.1",
               "1.28": "1.28.4", "stable": "1.37.0", "musl": "1.37.0", "glibc": "1.37.0",
               "uclibc": "1.37.0"},
              2_160_000, "busybox", (), ("sh",), description="the busybox toolbox"),
    ImageSpec("docker.io/library/alpine",
              {"latest": "3.21.2", "3.21": "3.21.2", "3.20": "3.20.5", "3.19": "3.19.6",
               "edge": "3.22_alpha"},
              3_650_000, "alpine", (), ("/bin/sh",), description="Alpine Linux"),
    ImageSpec("docker.io/library/ubuntu",
              {"latest": "24.04", "24.04": "24.04", "noble": "24.04", "22.04": "22.04",
               "jammy": "22.04", "20.04": "20.04", "focal": "20.04"},
              29_700_000, "ubuntu", (), ("/bin/bash",), description="Ubuntu"),
    ImageSpec("docker.io/library/debian",
              {"latest": "12.8", "12": "12.8", "bookworm": "12.8", "bookworm-slim": "12.8",
               "11": "11.11", "bullseye": "11.11", "trixie": "13"},
              48_500_000, "debian", (), ("bash",), description="Debian"),
    ImageSpec("docker.io/library/redis",
              {"latest": "7.4.1", "7": "7.4.1", "7.4": "7.4.1", "7.2": "7.2.6", "6": "6.2.16",
               "alpine": "7.4.1", "7-alpine": "7.4.1"},
              45_000_000, "debian", ("docker-entrypoint.sh",), ("redis-server",), (6379,),
              files={**_entry("redis-entrypoint"), "/usr/local/bin/redis-server": exe("redis"),
                     "/usr/local/bin/redis-cli": exe("redis-cli")},
              workdir="/data", description="the Redis key-value store"),
    ImageSpec("docker.io/library/postgres",
              {"latest": "17.2", "17": "17.2", "16": "16.6", "15": "15.10", "14": "14.15",
               "alpine": "17.2", "16-alpine": "16.6"},
              158_000_000, "debian", ("docker-entrypoint.sh",), ("postgres",), (5432,),
              (("PGDATA", "/var/lib/postgresql/data"),), stop_signal="INT",
              files={**_entry("postgres-entrypoint"), "/usr/local/bin/postgres": exe("postgres")},
              description="the PostgreSQL database"),
    ImageSpec("docker.io/library/mysql",
              {"latest": "9.1.0", "9": "9.1.0", "8.4": "8.4.3", "lts": "8.4.3", "8.0": "8.0.40",
               "8": "8.0.40"},
              170_000_000, "debian", ("docker-entrypoint.sh",), ("mysqld",), (3306, 33060),
              files={**_entry("mysql-entrypoint"), "/usr/sbin/mysqld": exe("mysql")},
              description="the MySQL database"),
    ImageSpec("docker.io/library/httpd",
              {"latest": "2.4.62", "2.4": "2.4.62", "2": "2.4.62", "alpine": "2.4.62"},
              58_000_000, "debian", (), ("httpd-foreground",), (80,),
              (("HTTPD_PREFIX", "/usr/local/apache2"),), "/usr/local/apache2", stop_signal="WINCH",
              files={"/usr/local/bin/httpd-foreground": exe("httpd"),
                     "/usr/local/apache2/htdocs/index.html": HTTPD_INDEX,
                     "/usr/local/apache2/conf/httpd.conf": "Listen 80\nServerRoot "
                     '"/usr/local/apache2"\nDocumentRoot "/usr/local/apache2/htdocs"\n'},
              description="the Apache HTTP server"),
    ImageSpec("docker.io/library/python", PY_TAGS, 380_000_000, "debian", (), ("python3",),
              files={"/usr/local/bin/python3": exe("python"),
                     "/usr/local/bin/python": exe("python")},
              description="the Python interpreter"),
    ImageSpec("docker.io/library/node",
              {"latest": "23.4.0", "23": "23.4.0", "22": "22.12.0", "lts": "22.12.0",
               "20": "20.18.1", "18": "18.20.5", "alpine": "23.4.0", "slim": "23.4.0"},
              390_000_000, "debian", ("docker-entrypoint.sh",), ("node",),
              files={**_entry("node-entrypoint"), "/usr/local/bin/node": exe("node")},
              description="the Node.js runtime"),
    ImageSpec("docker.io/library/golang",
              {"latest": "1.23.4", "1.23": "1.23.4", "1.22": "1.22.10", "alpine": "1.23.4"},
              280_000_000, "debian", (), ("bash",), workdir="/go",
              files={"/usr/local/go/bin/go": exe("go")},
              env=(("GOPATH", "/go"), ("PATH", "/go/bin:/usr/local/go/bin:/usr/local/sbin:"
                                       "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")),
              description="the Go toolchain"),
    ImageSpec("docker.io/library/memcached",
              {"latest": "1.6.34", "1.6": "1.6.34", "1": "1.6.34", "alpine": "1.6.34"},
              32_000_000, "debian", ("docker-entrypoint.sh",), ("memcached",), (11211,),
              files={**_entry("memcached-entrypoint"),
                     "/usr/local/bin/memcached": exe("memcached")},
              description="the memcached cache"),
    ImageSpec("docker.io/library/mongo",
              {"latest": "8.0.4", "8": "8.0.4", "7": "7.0.16", "6": "6.0.19"},
              270_000_000, "ubuntu", ("docker-entrypoint.sh",), ("mongod",), (27017,),
              files={**_entry("mongo-entrypoint"), "/usr/bin/mongod": exe("mongo")},
              description="the MongoDB database"),
    ImageSpec("docker.io/library/rabbitmq",
              {"latest": "4.0.5", "4": "4.0.5", "3": "3.13.7", "management": "4.0.5",
               "3-management": "3.13.7"},
              95_000_000, "ubuntu", ("docker-entrypoint.sh",), ("rabbitmq-server",), (5672,),
              (("PATH", "/opt/rabbitmq/sbin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
                        "/sbin:/bin"),),
              files={**_entry("rabbitmq-entrypoint"),
                     "/opt/rabbitmq/sbin/rabbitmq-server": exe("rabbitmq")},
              description="the RabbitMQ message broker"),
    ImageSpec("docker.io/library/traefik",
              {"latest": "v3.2.3", "v3": "v3.2.3", "v3.2": "v3.2.3", "v2.11": "v2.11.16"},
              55_000_000, "alpine", ("/entrypoint.sh",), ("traefik",), (80, 8080),
              files={"/entrypoint.sh": exe("traefik"), "/usr/local/bin/traefik": exe("traefik")},
              description="the Traefik proxy"),
    ImageSpec("registry.k8s.io/ingress-nginx/controller",
              {"v1.12.0": "v1.12.0", "v1.11.3": "v1.11.3", "v1.10.1": "v1.10.1"},
              105_000_000, "alpine", ("/usr/bin/dumb-init", "--"), ("/nginx-ingress-controller",),
              (80, 443, 10254),
              files={"/usr/bin/dumb-init": exe("dumb-init"),
                     "/nginx-ingress-controller": exe("ingress-nginx"),
                     "/etc/nginx/nginx.conf": NGINX_CONF},
              description="the NGINX Ingress controller"),
    ImageSpec("registry.k8s.io/pause", {"3.10": "3.10", "3.9": "3.9", "3.8": "3.8",
                                        "3.6": "3.6", "3.2": "3.2", "latest": "3.10"},
              320_000, "scratch", ("/pause",), files={"/pause": exe("pause")},
              description="the pod sandbox's infrastructure container"),
    ImageSpec("registry.k8s.io/e2e-test-images/agnhost",
              {"2.53": "2.53", "2.52": "2.52", "2.47": "2.47", "2.39": "2.39"},
              51_000_000, "alpine", ("/agnhost",), ("pause",),
              files={"/agnhost": exe("agnhost")}, description="Kubernetes' e2e test server"),
    ImageSpec("registry.k8s.io/etcd",
              {"3.5.16-0": "3.5.16", "3.5.15-0": "3.5.15", "3.5.12-0": "3.5.12"},
              57_000_000, "distroless", ("/usr/local/bin/etcd",), (), (2379, 2380),
              files={"/usr/local/bin/etcd": exe("etcd"), "/usr/local/bin/etcdctl": exe("etcd")},
              description="the etcd key-value store"),
    _control_plane("kube-apiserver", 28_000_000, 6443),
    _control_plane("kube-controller-manager", 26_000_000, 10257),
    _control_plane("kube-scheduler", 20_000_000, 10259),
    _control_plane("kube-proxy", 30_000_000, 10256),
    ImageSpec("registry.k8s.io/coredns/coredns",
              {"v1.12.0": "1.12.0", "v1.11.3": "1.11.3", "v1.11.1": "1.11.1"},
              18_000_000, "distroless", ("/coredns",), (), (53, 9153, 8080, 8181),
              files={"/coredns": exe("coredns")}, description="the cluster DNS server"),
    ImageSpec("registry.k8s.io/echoserver", {"1.10": "1.10", "1.4": "1.4"},
              40_000_000, "debian", (), ("/usr/sbin/nginx", "-g", "daemon off;"), (8080,),
              files={"/usr/sbin/nginx": exe("echoserver")},
              description="echoes the HTTP request back"),
    ImageSpec("gcr.io/google-samples/hello-app", {"1.0": "1.0.0", "2.0": "2.0.0"},
              10_000_000, "distroless", ("/hello-app",), (), (8080,),
              files={"/hello-app": exe("hello-app")}, description="a hello-world web app"),
    ImageSpec("docker.io/hashicorp/http-echo",
              {"latest": "1.0.0", "1.0": "1.0.0", "1.0.0": "1.0.0", "0.2.3": "0.2.3"},
              4_000_000, "scratch", ("/http-echo",), (), (5678,),
              files={"/http-echo": exe("http-echo")}, description="answers with fixed text"),
    ImageSpec("docker.io/curlimages/curl", {"latest": "8.11.1", "8.11.1": "8.11.1"},
              12_000_000, "alpine", ("/entrypoint.sh",), ("curl",),
              files={"/entrypoint.sh": script('#!/bin/sh\nexec "$@"\n'),
                     "/usr/bin/curl": exe("curl")}, description="curl and nothing else"),
    ImageSpec("docker.io/nicolaka/netshoot", {"latest": "0.13", "v0.13": "0.13"},
              180_000_000, "alpine", (), ("zsh",),
              files={"/usr/bin/curl": exe("curl"), "/bin/bash": exe("bash"),
                     "/bin/zsh": exe("bash")}, description="a network troubleshooting toolbox"),
    ImageSpec("gcr.io/distroless/static-debian12",
              {"latest": "12", "nonroot": "12", "debug": "12"},
              1_000_000, "distroless", description="no shell, no package manager"),
])

PAUSE_IMAGE = "registry.k8s.io/pause:3.10"
