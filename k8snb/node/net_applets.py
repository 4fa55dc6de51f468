"""Network applets: wget, curl, nslookup, ping, ip, netstat, as a learner runs them in a pod.

They all go through the pod network from the container's own sandbox, so ``localhost`` is the
pod (every container of it), and names resolve through /etc/hosts, then cluster DNS.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Generator
from urllib.parse import urlsplit

from k8snb.network.podnet import (
    ConnectionRefused,
    HostNotFound,
    HttpResponse,
    NetworkError,
    Timeout,
    is_ip,
)
from k8snb.node.fs import FSError
from k8snb.node.process import Context, Wait, number, program

CONNECT_TIMEOUT = 10.0  # seconds a SYN to nowhere takes to give up (simulated)


def split_url(url: str) -> tuple[str, int, str]:
    """``http://web:8080/x?y=1`` -> ("web", 8080, "/x?y=1"); the scheme may be left out."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValueError(f"bad address '{parts.netloc}'") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname or "", port, path


def fetch(ctx: Context, host: str, port: int, path: str, agent: str) -> HttpResponse:
    """GET through the pod network from this container's sandbox."""
    return ctx.network.http_get(ctx.sandbox, host, port, path, {"User-Agent": agent})


@program("wget")
def wget(ctx: Context, argv: list[str]) -> Generator[Wait, None, int]:
    quiet, out_file, timeout, spider, agent = False, None, None, False, "Wget"
    urls: list[str] = []
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a.startswith("--timeout="):
            timeout = number(a.split("=", 1)[1], float)
        elif a == "--spider":
            spider = True
        elif a.startswith("--"):
            continue
        elif a.startswith("-") and len(a) > 1:
            letters = a[1:]
            for i, c in enumerate(letters):
                if c == "q":
                    quiet = True
                elif c in "OTU":
                    value = letters[i + 1:] or (args.pop(0) if args else "")
                    if c == "O":
                        out_file = value
                    elif c == "T":
                        timeout = number(value, float)
                    else:
                        agent = value
                    break
        else:
            urls.append(a)
    if not urls:
        ctx.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
                "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
                "\t[-P DIR] [-U AGENT] [-T SEC] URL...\n")
        return 1
    host, port, path = split_url(urls[0])
    try:
        ip = ctx.network.resolve(ctx.sandbox, host)
    except HostNotFound:
        ctx.err(f"wget: bad address '{host}'\n")
        return 1
    if not quiet:
        ctx.err(f"Connecting to {host} ({ip}:{port})\n")
    try:
        resp = fetch(ctx, ip if host not in ctx.network.LOOPBACK else host, port, path, agent)
    except Timeout:
        yield Wait(timeout or CONNECT_TIMEOUT, ctx.looping > 0)
        ctx.err("wget: download timed out\n" if timeout
                else f"wget: can't connect to remote host ({ip}): Connection timed out\n")
        return 1
    except NetworkError as e:
        ctx.err(f"wget: can't connect to remote host ({ip}): {e}\n")
        return 1
    if resp.status >= 400:
        ctx.err(f"wget: server returned error: HTTP/1.1 {resp.status} {resp.reason}\n")
        return 1
    if spider:
        if not quiet:
            ctx.err("remote file exists\n")
        return 0
    name = out_file or posixpath.basename(path.split("?")[0]) or "index.html"
    size = len(resp.body.encode())
    progress = f"{'-' if name == '-' else name:<20} 100% |{'*' * 32}| {size:>5}  0:00:00 ETA\n"
    if name == "-":
        if not quiet:
            ctx.err("writing to stdout\n")
        ctx.out(resp.body)
        if not quiet:
            ctx.err(progress + "written to stdout\n")
        return 0
    target = ctx.abspath(name)
    if out_file is None and ctx.fs.exists(target):
        ctx.err(f"wget: can't open '{name}': File exists\n")
        return 1
    try:
        ctx.fs.write(target, resp.body)
    except FSError as e:
        ctx.err(f"wget: can't open '{name}': {e.strerror}\n")
        return 1
    if not quiet:
        ctx.err(f"saving to '{name}'\n{progress}'{name}' saved\n")
    return 0


@program("curl")
def curl(ctx: Context, argv: list[str]) -> Generator[Wait, None, int]:
    silent = show_errors = head = fail_ = False
    out_file, timeout = None, None
    urls: list[str] = []
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a in ("-o", "--output") and args:
            out_file = args.pop(0)
        elif a in ("-m", "--max-time", "--connect-timeout") and args:
            timeout = number(args.pop(0), float)
        elif a.startswith("--"):
            silent = silent or a == "--silent"
            head = head or a == "--head"
            fail_ = fail_ or a == "--fail"
        elif a.startswith("-") and len(a) > 1:
            silent = silent or "s" in a
            show_errors = show_errors or "S" in a
            head = head or "I" in a
            fail_ = fail_ or "f" in a
        else:
            urls.append(a)
    if not urls:
        ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    host, port, path = split_url(urls[0])
    errors = not silent or show_errors
    try:
        resp = fetch(ctx, host, port, path, "curl/7.88.1")
    except HostNotFound:
        if errors:
            ctx.err(f"curl: (6) Could not resolve host: {host}\n")
        return 6
    except Timeout:
        wait = timeout or CONNECT_TIMEOUT
        yield Wait(wait, ctx.looping > 0)
        if errors:
            ctx.err(f"curl: (28) Failed to connect to {host} port {port} after {int(wait * 1000)}"
                    " ms: Timeout was reached\n")
        return 28
    except ConnectionRefused:
        if errors:
            ctx.err(f"curl: (7) Failed to connect to {host} port {port} after 0 ms: "
                    "Couldn't connect to server\n")
        return 7
    if fail_ and resp.status >= 400:
        if errors:
            ctx.err(f"curl: (22) The requested URL returned error: {resp.status}\n")
        return 22
    body = "".join(f"{k}: {v}\r\n" for k, v in resp.headers.items())
    body = f"HTTP/1.1 {resp.status} {resp.reason}\r\n{body}\r\n" if head else resp.body
    size = len(body.encode())
    if not silent:
        ctx.err("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
                "                                 Dload  Upload   Total   Spent    Left  Speed\n"
                f"100 {size:>5}  100 {size:>5}    0     0   {size:>4}      0 --:--:-- --:--:-- "
                f"--:--:-- {size:>5}\n")
    if out_file and out_file != "-":
        try:
            ctx.fs.write(ctx.abspath(out_file), body)
        except FSError as e:
            ctx.err(f"curl: (23) Failure writing output to destination: {e.strerror}\n")
            return 23
    else:
        ctx.out(body)
    return 0


@program("nslookup")
def nslookup(ctx: Context, argv: list[str]) -> int:
    """busybox nslookup: asks cluster DNS (never /etc/hosts), walking the search list."""
    names = [a for a in argv[1:] if not a.startswith("-")]
    if not names:
        ctx.err("Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n")
        return 1
    server = ctx.network.dns_server
    ctx.out(f"Server:\t\t{server}\nAddress:\t{server}:53\n\n")
    name = names[0]
    if is_ip(name):
        ctx.out(f"** server can't find {'.'.join(reversed(name.split('.')))}.in-addr.arpa: "
                "NXDOMAIN\n\n")
        return 1
    try:
        fqdn, ips = ctx.network.lookup(name, ctx.sandbox.namespace)
    except HostNotFound:
        ctx.out(f"** server can't find {name}: NXDOMAIN\n\n")
        return 1
    ctx.out(f"Name:\t{fqdn}\n" + "".join(f"Address: {ip}\n" for ip in ips) + "\n")
    return 0


@program("ping")
def ping(ctx: Context, argv: list[str]) -> Generator[Wait, None, int]:
    """ICMP echo: pods answer; a Service's virtual IP has nobody behind it to answer."""
    count, args = None, argv[1:]
    hosts = []
    while args:
        a = args.pop(0)
        if a == "-c" and args:
            count = number(args.pop(0))
        elif re.fullmatch(r"-c\d+", a):
            count = number(a[2:])
        elif not a.startswith("-"):
            hosts.append(a)
    if not hosts:
        ctx.err("Usage: ping [OPTIONS] HOST\n")
        return 1
    host = hosts[0]
    try:
        ip = ctx.network.resolve(ctx.sandbox, host)
    except HostNotFound:
        ctx.err(f"ping: bad address '{host}'\n")
        return 1
    answers = ip == "127.0.0.1" or ctx.network.sandbox_at(ip) is not None
    ctx.out(f"PING {host} ({ip}): 56 data bytes\n")
    sent = received = 0
    while count is None or sent < count:
        if sent:
            yield Wait(1.0, ctx.looping > 0 or count is None)
        if answers:
            ctx.out(f"64 bytes from {ip}: seq={sent} ttl={64 if ip == ctx.sandbox.ip or ip == '127.0.0.1' else 63} "
                    "time=0.080 ms\n")
            received += 1
        sent += 1
    loss = 100 - received * 100 // sent
    ctx.out(f"\n--- {host} ping statistics ---\n"
            f"{sent} packets transmitted, {received} packets received, {loss}% packet loss\n")
    if received:
        ctx.out("round-trip min/avg/max = 0.080/0.080/0.080 ms\n")
    return 0 if received else 1


def _mac(ip: str) -> str:
    parts = [int(p) for p in ip.split(".")] if "." in ip else [0, 0, 0, 0]
    return "0a:58:" + ":".join(f"{p:02x}" for p in parts)


def _subnet(ip: str) -> tuple[str, str, str]:
    """(network/24, gateway, broadcast) of a pod IP, as a node's pod CIDR gives them."""
    a, b, c, _ = ip.split(".")
    return f"{a}.{b}.{c}.0/24", f"{a}.{b}.{c}.1", f"{a}.{b}.{c}.255"


@program("ip")
def ip_(ctx: Context, argv: list[str]) -> int:
    """``ip addr`` / ``ip route``: one eth0 with the pod IP, shared by the whole pod."""
    sb = ctx.sandbox
    what = argv[1] if len(argv) > 1 else ""
    if what in ("a", "addr", "address"):
        _, _, brd = _subnet(sb.ip)
        ctx.out("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n"
                "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
                "    inet 127.0.0.1/8 scope host lo\n"
                "       valid_lft forever preferred_lft forever\n"
                f"2: eth0@if{sb.netns.inode % 1000}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> "
                "mtu 1500 qdisc noqueue\n"
                f"    link/ether {_mac(sb.ip)} brd ff:ff:ff:ff:ff:ff\n"
                f"    inet {sb.ip}/24 brd {brd} scope global eth0\n"
                "       valid_lft forever preferred_lft forever\n")
        return 0
    if what in ("r", "route"):
        net, gw, _ = _subnet(sb.ip)
        ctx.out(f"default via {gw} dev eth0 \n{net} dev eth0 scope link  src {sb.ip} \n")
        return 0
    ctx.err("Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n")
    return 1


@program("netstat")
def netstat(ctx: Context, argv: list[str]) -> int:
    """Listening sockets of the pod's network namespace: every container's servers show up."""
    show_pid = any("p" in a for a in argv[1:] if a.startswith("-"))
    ctx.out("Active Internet connections (only servers)\n"
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       "
            + ("PID/Program name" if show_pid else "") + "\n")
    for port in sorted(ctx.sandbox.netns.listeners):
        lst = ctx.sandbox.netns.listeners[port]
        row = f"tcp        0      0 {'0.0.0.0:' + str(port):<23} {'0.0.0.0:*':<23} LISTEN      "
        if show_pid:
            entry = ctx.host.pidns.procs.get(lst.pid)
            seen = entry is not None and entry.container == lst.container
            row += f"{lst.pid}/{lst.program}"[:20] if seen else "-"
        ctx.out(row.rstrip() + "\n")
    return 0
