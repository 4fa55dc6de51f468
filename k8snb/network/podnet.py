"""The pod network: one flat, cluster-wide address space where every pod IP reaches a sandbox.

Each pod sandbox holds a network namespace (`NetNamespace`): one IP, a loopback shared by all
its containers, and the sockets its processes listen on. `PodNetwork` maps IPs to sandboxes and
carries requests between them:

    >>> net = PodNetwork()
    >>> net.register("10.244.1.5", sandbox)          # the runtime does this
    >>> net.http_get(client, "10.244.1.5", 80, "/")  # -> HttpResponse(200, {...}, "<!DOCTYPE html>...")

Names go through, in order: `localhost`, the caller's /etc/hosts, then DNS with the pod's search
list (`<ns>.svc.cluster.local svc.cluster.local cluster.local`, ndots 5) through the pluggable
`resolver`. Service virtual IPs go through the pluggable `nat` hook (kube-proxy's job).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 400: "Bad Request",
           403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class NetworkError(Exception):
    """A connection that failed; ``str()`` is the Linux wording after the address."""


class ConnectionRefused(NetworkError):
    """Something answered, but nothing listens on that port (TCP RST)."""


class Timeout(NetworkError):
    """Nobody answered: an IP no pod holds, or a dropped packet."""


class HostNotFound(NetworkError):
    """A name DNS could not resolve (NXDOMAIN)."""


class AddressInUse(NetworkError):
    """bind() on a port another process of the same network namespace already holds."""


@dataclass
class HttpRequest:
    """What a listening process receives: ``path`` without the query, ``query`` parsed."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    client_ip: str
    host: str
    port: int

    @property
    def target(self) -> str:
        q = "&".join(f"{k}={v}" for k, v in self.query.items())
        return self.path + (f"?{q}" if q else "")


@dataclass
class HttpResponse:
    """Status, headers, body; unpacks like the ``(status, headers, body)`` tuple."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    @property
    def reason(self) -> str:
        return REASONS.get(self.status, "")

    def __iter__(self):
        return iter((self.status, self.headers, self.body))


Handler = Callable[[HttpRequest], HttpResponse]


@dataclass
class Listener:
    """A listening TCP socket. ``handler`` is None for servers that do not speak HTTP."""

    port: int
    handler: Handler | None
    program: str
    container: str
    pid: int
    sandbox: str = ""  # the sandbox id of the owner (host-network pods share a namespace)


_NO_LISTENERS: Mapping[int, Listener] = MappingProxyType({})


class NetNamespace:
    """What the pause container holds for the pod: its IP, loopback and listening sockets.

    Most pods of a large cluster never listen: the socket table exists from the first one.
    """

    __slots__ = ("inode", "ip", "_listeners")

    def __init__(self, inode: int, ip: str) -> None:
        self.inode = inode
        self.ip = ip
        self._listeners: dict[int, Listener] | None = None

    @property
    def listeners(self) -> Mapping[int, Listener]:
        """Listening sockets by port (read-only: use listen and close)."""
        return self._listeners if self._listeners is not None else _NO_LISTENERS

    def listen(self, listener: Listener) -> None:
        if listener.port in self.listeners:
            raise AddressInUse("Address in use")
        if self._listeners is None:
            self._listeners = {}
        self._listeners[listener.port] = listener

    def close(self, port: int) -> None:
        if self._listeners is not None:
            self._listeners.pop(port, None)

    def close_all(self, sandbox: str, container: str | None = None) -> None:
        """Close the sockets of a sandbox's processes, or of one of its containers."""
        for port, lst in list(self.listeners.items()):
            if lst.sandbox == sandbox and (container is None or lst.container == container):
                self.close(port)


class Endpoint(Protocol):
    """What the network needs from a registered sandbox (or the node itself)."""

    id: str
    ip: str
    namespace: str
    netns: NetNamespace

    def etc_hosts(self, name: str) -> str | None: ...


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


class PodNetwork:
    """Cluster-wide: pod IP -> sandbox; name resolution; TCP connects and HTTP GETs."""

    LOOPBACK = ("localhost", "127.0.0.1", "::1")

    def __init__(self, cluster_domain: str = "cluster.local", dns_server: str = "10.96.0.10"):
        self.cluster_domain = cluster_domain
        self.dns_server = dns_server
        self.resolver: Callable[[str, str], list[str]] | None = None
        """DNS: (fully qualified name, caller's namespace) -> IPs; set by the cluster."""
        self.nat: Callable[[str, int], tuple[str, int] | None] | None = None
        """Destination rewrite (kube-proxy): (ip, port) -> (ip, port), None to leave as is;
        may raise ConnectionRefused (a Service without endpoints)."""
        self._by_ip: dict[str, Endpoint] = {}

    # -- addresses ----------------------------------------------------------------------------
    def register(self, ip: str, sandbox: Endpoint) -> None:
        self._by_ip[ip] = sandbox

    def unregister(self, ip: str) -> None:
        self._by_ip.pop(ip, None)

    def sandbox_at(self, ip: str) -> Endpoint | None:
        return self._by_ip.get(ip)

    def ips(self) -> list[str]:
        return sorted(self._by_ip, key=lambda ip: ipaddress.ip_address(ip))

    # -- names --------------------------------------------------------------------------------
    def search_domains(self, namespace: str) -> list[str]:
        d = self.cluster_domain
        return [f"{namespace}.svc.{d}", f"svc.{d}", d]

    def resolv_conf(self, namespace: str) -> str:
        """The /etc/resolv.conf a ClusterFirst pod gets."""
        return (f"search {' '.join(self.search_domains(namespace))}\n"
                f"nameserver {self.dns_server}\noptions ndots:5\n")

    def lookup(self, name: str, namespace: str) -> tuple[str, list[str]]:
        """DNS as a pod's resolver does it: (fully qualified name, IPs) or HostNotFound."""
        absolute, name = name.endswith("."), name.rstrip(".")
        candidates = [name]
        if not absolute and name.count(".") < 5:
            candidates = [f"{name}.{d}" for d in self.search_domains(namespace)] + [name]
        if self.resolver is not None:
            for fqdn in candidates:
                ips = self.resolver(fqdn, namespace)
                if ips:
                    return fqdn, list(ips)
        raise HostNotFound(f"{name}: NXDOMAIN")

    def resolve(self, src: Endpoint | None, host: str) -> str:
        """One IP for ``host`` as seen from ``src`` (None = the node's own network)."""
        if host in self.LOOPBACK:
            return "127.0.0.1"
        if is_ip(host):
            return host
        if src is not None:
            ip = src.etc_hosts(host)
            if ip:
                return ip
        return self.lookup(host, src.namespace if src is not None else "default")[1][0]

    # -- connections --------------------------------------------------------------------------
    def connect(self, src: Endpoint | None, host: str, port: int) -> tuple[Listener, str]:
        """Open a TCP connection: (the listener reached, the client's source IP)."""
        ip = self.resolve(src, host)
        if ip == "127.0.0.1":
            if src is None:
                raise ConnectionRefused("Connection refused")
            target, client_ip = src, "127.0.0.1"
        else:
            if self.nat is not None:
                rewritten = self.nat(ip, port)
                if rewritten is not None:
                    ip, port = rewritten
            found = self._by_ip.get(ip)
            if found is None:
                raise Timeout("Connection timed out")
            target = found
            client_ip = src.ip if src is not None else "10.0.0.1"
        listener = target.netns.listeners.get(port)
        if listener is None:
            raise ConnectionRefused("Connection refused")
        return listener, client_ip

    def tcp_connect(self, src: Endpoint | None, host: str, port: int) -> None:
        """Succeeds silently or raises (a TCP socket probe)."""
        self.connect(src, host, port)

    def http_get(self, src: Endpoint | None, host: str, port: int, path: str = "/",
                 headers: dict[str, str] | None = None) -> HttpResponse:
        """One HTTP GET; raises ConnectionRefused, Timeout or HostNotFound."""
        listener, client_ip = self.connect(src, host, port)
        if listener.handler is None:
            raise ConnectionRefused("Connection reset by peer")
        parts = urlsplit(path if path.startswith("/") else "/" + path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        req = HttpRequest("GET", parts.path or "/", query, dict(headers or {}), client_ip,
                          host, port)
        return listener.handler(req)
