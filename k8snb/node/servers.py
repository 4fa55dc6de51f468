"""What the images' programs do: pause, nginx, httpd and small web apps, plus the helpers every
server uses (`backends` has the databases and language runtimes, `kube_programs` agnhost and
the Kubernetes components).

Each program prints the startup lines its real counterpart prints, binds its ports in the pod's
network namespace, answers HTTP where it speaks HTTP, and waits for a signal. A server stops
cleanly (exit 0) on its stop signal.
"""

from __future__ import annotations

import posixpath
import re
import time
from collections.abc import Callable, Generator

from k8snb.network.podnet import AddressInUse, HttpRequest, HttpResponse
from k8snb.node.fs import Dir, File, FSError
from k8snb.node.process import FOREVER, Context, Wait, program, run_file

Gen = Generator[Wait, None, int]


# -- helpers ------------------------------------------------------------------------------------
def exec_args(ctx: Context, args: list[str], who: str) -> Gen:
    """``exec "$@"`` at the end of an entrypoint script: the same process runs ``args``."""
    if not args:
        return 0
    path = ctx.which(args[0])
    if path is None:
        ctx.err(f"{who}: exec: line 1: {args[0]}: not found\n")
        return 127
    ctx.entry.command = " ".join(args)
    return (yield from run_file(ctx, path, args))


def stamp(t: float, fmt: str) -> str:
    return time.strftime(fmt, time.gmtime(t))


def klog(ctx: Context, source: str, msg: str, level: str = "I") -> None:
    """A klog line as Kubernetes components print them."""
    t = ctx.now
    ctx.err(f"{level}{stamp(t, '%m%d %H:%M:%S')}.{int(t % 1 * 1e6):06d}       {ctx.pid} "
            f"{source}] {msg}\n")


def serve(ctx: Context, ports: dict[int, Callable[[HttpRequest], HttpResponse] | None],
          name: str, stop: Callable[[str], int | None] | None = None,
          signals: tuple[str, ...] = ("TERM", "INT", "QUIT")) -> Gen:
    """Listen on ``ports`` (handler None: not HTTP), then wait for a stop signal."""
    for port, handler in ports.items():
        try:
            ctx.listen(port, handler, name)
        except AddressInUse:
            ctx.err(f"listen tcp :{port}: bind: address already in use\n")
            return 1
    for sig in signals:
        ctx.signal_handlers[sig] = stop or (lambda _sig: 0)
    yield FOREVER
    return 0


def text_response(body: str, status: int = 200, ctype: str = "text/plain; charset=utf-8",
                  **headers: str) -> HttpResponse:
    return HttpResponse(status, {"Content-Type": ctype,
                                 "Content-Length": str(len(body.encode())), **headers}, body)


def static_file(ctx: Context, root: str, path: str, index: str = "index.html"
                ) -> tuple[int, str, str]:
    """(status, body, file path) for ``path`` under ``root``, through the container's mounts."""
    target = posixpath.normpath(posixpath.join(root, path.lstrip("/")))
    if not (target + "/").startswith(root.rstrip("/") + "/"):
        return 400, "", target
    try:
        node = ctx.fs.lookup(target)
        if isinstance(node, Dir):
            target = posixpath.join(target, index)
            node = ctx.fs.lookup(target)
            if isinstance(node, Dir):
                return 403, "", target
    except FSError:
        return (403 if ctx.fs.is_dir(posixpath.dirname(target)) and target.endswith(index)
                and path.endswith("/") else 404), "", target
    assert isinstance(node, File)
    return 200, node.data, target


# -- pause: the sandbox's first process ---------------------------------------------------------
@program("pause")
def pause(ctx: Context, argv: list[str]) -> Gen:
    """Holds the pod's namespaces open and reaps zombies; does nothing else, for ever."""
    def stop(sig: str) -> int:
        ctx.err(f"Shutting down, got signal: {'Terminated' if sig == 'TERM' else 'Interrupt'}\n")
        return 0

    for sig in ("TERM", "INT"):
        ctx.signal_handlers[sig] = stop
    yield FOREVER
    return 0


# -- nginx --------------------------------------------------------------------------------------
NGINX_404 = ("<html>\n<head><title>{status} {reason}</title></head>\n<body>\n"
             "<center><h1>{status} {reason}</h1></center>\n<hr><center>nginx/{version}</center>\n"
             "</body>\n</html>\n")


@program("nginx-entrypoint")
def nginx_entrypoint(ctx: Context, argv: list[str]) -> Gen:
    """/docker-entrypoint.sh: runs the config scripts, then ``exec "$@"``."""
    args = argv[1:]
    if args and args[0] in ("nginx", "nginx-debug"):
        d = "/docker-entrypoint.d/"
        ctx.out(f"/docker-entrypoint.sh: {d} is not empty, will attempt to perform configuration\n"
                f"/docker-entrypoint.sh: Looking for shell scripts in {d}\n"
                f"/docker-entrypoint.sh: Launching {d}10-listen-on-ipv6-by-default.sh\n"
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of "
                "/etc/nginx/conf.d/default.conf\n"
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in "
                "/etc/nginx/conf.d/default.conf\n"
                f"/docker-entrypoint.sh: Sourcing {d}15-local-resolvers.envsh\n"
                f"/docker-entrypoint.sh: Launching {d}20-envsubst-on-templates.sh\n"
                f"/docker-entrypoint.sh: Launching {d}30-tune-worker-processes.sh\n"
                "/docker-entrypoint.sh: Configuration complete; ready for start up\n")
        ctx.host.pidns.skip(27)  # the scripts' short-lived processes used these PIDs
    return (yield from exec_args(ctx, args, "/docker-entrypoint.sh"))


def nginx_site(ctx: Context) -> tuple[int, str]:
    """(listen port, root) of the first server block in /etc/nginx/conf.d/*.conf."""
    port, root = 80, "/usr/share/nginx/html"
    try:
        names = [n for n in ctx.fs.listdir("/etc/nginx/conf.d") if n.endswith(".conf")]
        conf = "".join(ctx.fs.read(f"/etc/nginx/conf.d/{n}") for n in names)
    except FSError:
        return port, root
    if m := re.search(r"^\s*listen\s+(?:[\d.]+:)?(\d+)", conf, re.M):
        port = int(m.group(1))
    if m := re.search(r"^\s*root\s+([^;\s]+)\s*;", conf, re.M):
        root = m.group(1)
    return port, root


@program("nginx")
def nginx(ctx: Context, argv: list[str]) -> Gen:
    version = ctx.image.version
    args = " ".join(argv[1:])
    if "-v" in argv[1:] or "-V" in argv[1:]:
        ctx.err(f"nginx version: nginx/{version}\n")
        return 0
    if "-t" in argv[1:]:
        ctx.err("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                "nginx: configuration file /etc/nginx/nginx.conf test is successful\n")
        return 0
    pid = ctx.pid

    def log(level: str, msg: str) -> None:
        ctx.err(f"{stamp(ctx.now, '%Y/%m/%d %H:%M:%S')} [{level}] {pid}#{pid}: {msg}\n")

    port, root = nginx_site(ctx)
    for msg in ('using the "epoll" event method', f"nginx/{version}",
                "built by gcc 12.2.0 (Debian 12.2.0-14)", "OS: Linux 6.8.0-k8snb",
                "getrlimit(RLIMIT_NOFILE): 1048576:1048576"):
        log("notice", msg)
    if "daemon off" not in args:
        return 0  # nginx forks into the background and PID 1 exits: the container ends

    def handle(req: HttpRequest) -> HttpResponse:
        status, body, path = static_file(ctx, root, req.path)
        if status != 200:
            reason = {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}[status]
            body = NGINX_404.format(status=status, reason=reason, version=version)
            why = "(2: No such file or directory)" if status == 404 else "(13: Permission denied)"
            log("error", f'*1 open() "{path}" failed {why}, client: {req.client_ip}, '
                         f'server: localhost, request: "GET {req.target} HTTP/1.1", '
                         f'host: "{req.host}"')
        size = len(body.encode())
        ctx.out(f'{req.client_ip} - - [{stamp(ctx.now, "%d/%b/%Y:%H:%M:%S +0000")}] '
                f'"GET {req.target} HTTP/1.1" {status} {size} "-" '
                f'"{req.headers.get("User-Agent", "-")}" "-"\n')
        return text_response(body, status, "text/html", Server=f"nginx/{version}")

    def bind_error(port: int) -> None:
        log("emerg", f"bind() to 0.0.0.0:{port} failed (98: Address in use)")
        ctx.err(f"nginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address in use)\n")
        log("emerg", "still could not bind()")
        ctx.err("nginx: [emerg] still could not bind()\n")

    def stop(sig: str) -> int | None:
        if sig == "HUP":
            log("notice", "signal 1 (SIGHUP) received from 1, reconfiguring")
            return None
        if sig == "QUIT":
            log("notice", "signal 3 (SIGQUIT) received, shutting down")
        else:
            n = {"TERM": 15, "INT": 2}[sig]
            log("notice", f"signal {n} (SIG{sig}) received, exiting")
        for w in workers:
            log("notice", f"worker process {w} exited with code 0")
        log("notice", "exit")
        return 0

    ctx.entry.command = "nginx: master process " + " ".join(argv)
    try:
        ctx.listen(port, handle, "nginx: master")
    except AddressInUse:
        bind_error(port)
        return 1
    log("notice", "start worker processes")
    workers: list[int] = []
    for _ in range(2):
        w = ctx.host.pidns.spawn("nginx: worker process", ctx.host.name, "101", ctx.now)
        workers.append(w.pid)
        log("notice", f"start worker process {w.pid}")
    for sig in ("TERM", "INT", "QUIT", "HUP"):
        ctx.signal_handlers[sig] = stop
    yield FOREVER
    return 0


# -- httpd --------------------------------------------------------------------------------------
@program("httpd")
def httpd(ctx: Context, argv: list[str]) -> Gen:
    t = lambda: stamp(ctx.now, "%a %b %d %H:%M:%S.000000 %Y")  # noqa: E731
    ip = ctx.sandbox.ip
    msg = (f"AH00558: httpd: Could not reliably determine the server's fully qualified domain "
           f"name, using {ip}. Set the 'ServerName' directive globally to suppress this message\n")
    ctx.err(msg + msg)
    ctx.err(f"[{t()}] [mpm_event:notice] [pid {ctx.pid}:tid {ctx.pid}] AH00489: "
            f"Apache/{ctx.image.version} (Unix) configured -- resuming normal operations\n"
            f"[{t()}] [core:notice] [pid {ctx.pid}:tid {ctx.pid}] AH00094: Command line: "
            "'httpd -D FOREGROUND'\n")
    ctx.entry.command = "httpd -DFOREGROUND"

    def handle(req: HttpRequest) -> HttpResponse:
        status, body, _ = static_file(ctx, "/usr/local/apache2/htdocs", req.path)
        if status != 200:
            body = ("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
                    "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
                    "<p>The requested URL was not found on this server.</p>\n</body></html>\n")
            status = 404
        ctx.out(f'{req.client_ip} - - [{stamp(ctx.now, "%d/%b/%Y:%H:%M:%S +0000")}] '
                f'"GET {req.target} HTTP/1.1" {status} {len(body.encode())}\n')
        return text_response(body, status, "text/html", Server=f"Apache/{ctx.image.version} (Unix)")

    def stop(sig: str) -> int:
        ctx.err(f"[{t()}] [mpm_event:notice] [pid {ctx.pid}:tid {ctx.pid}] AH00492: caught "
                f"SIG{sig}, shutting down gracefully\n")
        return 0

    return (yield from serve(ctx, {80: handle}, "httpd", stop=stop,
                             signals=("TERM", "INT", "WINCH", "QUIT")))


# -- small web apps -----------------------------------------------------------------------------
@program("hello-app")
def hello_app(ctx: Context, argv: list[str]) -> Gen:
    port = int(ctx.env.get("PORT", "8080"))
    ctx.err(f"{stamp(ctx.now, '%Y/%m/%d %H:%M:%S')} Server listening on port {port}\n")

    def handle(req: HttpRequest) -> HttpResponse:
        ctx.err(f"{stamp(ctx.now, '%Y/%m/%d %H:%M:%S')} Serving request: {req.path}\n")
        return text_response(f"Hello, world!\nVersion: {ctx.image.version}\n"
                             f"Hostname: {ctx.sandbox.hostname}\n")

    return (yield from serve(ctx, {port: handle}, "hello-app"))


@program("http-echo")
def http_echo(ctx: Context, argv: list[str]) -> Gen:
    text, listen = None, ":5678"
    args = argv[1:]
    while args:
        a = args.pop(0).lstrip("-")
        key, eq, value = a.partition("=")
        if not eq and args:
            value = args.pop(0)
        if key == "text":
            text = value
        elif key == "listen":
            listen = value
    if text is None:
        ctx.err("Missing -text option!\n")
        return 127
    port = int(listen.rsplit(":", 1)[-1])
    ctx.err(f"{stamp(ctx.now, '%Y/%m/%d %H:%M:%S')} [INFO] server is listening on {listen}\n")

    def handle(req: HttpRequest) -> HttpResponse:
        ctx.err(f"{stamp(ctx.now, '%Y/%m/%d %H:%M:%S')} {req.host}:{req.port} "
                f"{req.client_ip} \"GET {req.target} HTTP/1.1\" 200 {len(text) + 1} "
                f"\"{req.headers.get('User-Agent', '')}\" 12.345µs\n")
        return text_response(text + "\n", **{"X-App-Name": "http-echo"})

    return (yield from serve(ctx, {port: handle}, "http-echo"))


@program("echoserver")
def echoserver(ctx: Context, argv: list[str]) -> Gen:
    def handle(req: HttpRequest) -> HttpResponse:
        headers = "".join(f"{k.lower()}={v}\n" for k, v in sorted(
            {**req.headers, "Host": f"{req.host}:{req.port}"}.items()))
        body = (f"CLIENT VALUES:\nclient_address={req.client_ip}\ncommand=GET\n"
                f"real path={req.path}\nquery={'&'.join(f'{k}={v}' for k, v in req.query.items()) or 'nil'}\n"
                f"request_version=1.1\nrequest_uri=http://{req.host}:{req.port}{req.target}\n\n"
                f"SERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\n"
                f"HEADERS RECEIVED:\n{headers}BODY:\n-no body in request-")
        ctx.out(f'{req.client_ip} - - [{stamp(ctx.now, "%d/%b/%Y:%H:%M:%S +0000")}] '
                f'"GET {req.target} HTTP/1.1" 200 {len(body)} "-" '
                f'"{req.headers.get("User-Agent", "-")}"\n')
        return text_response(body)

    return (yield from serve(ctx, {8080: handle}, "nginx"))


@program("traefik")
def traefik(ctx: Context, argv: list[str]) -> Gen:
    t = stamp(ctx.now, "%Y-%m-%dT%H:%M:%SZ")
    ctx.out(f"{t} INF Traefik version {ctx.image.version.lstrip('v')} built on 2024-12-10T00:00:00Z"
            " version=" + ctx.image.version.lstrip("v") + "\n")
    not_found = lambda req: text_response("404 page not found\n", 404)  # noqa: E731
    return (yield from serve(ctx, {80: not_found, 8080: not_found}, "traefik"))


@program("ingress-nginx")
def ingress_nginx(ctx: Context, argv: list[str]) -> Gen:
    v = ctx.image.version
    ctx.out("-" * 79 + f"\nNGINX Ingress controller\n  Release:       {v}\n"
            "  Build:         k8snb\n  Repository:    https://github.com/kubernetes/ingress-nginx\n"
            "  nginx version: nginx/1.25.5\n\n" + "-" * 79 + "\n\n")
    klog(ctx, "main.go:205", "Creating API client for https://10.96.0.1:443")
    default = lambda req: text_response(NGINX_404.format(  # noqa: E731
        status=404, reason="Not Found", version="1.25.5"), 404, "text/html")
    health = lambda req: text_response("ok")  # noqa: E731
    return (yield from serve(ctx, {80: default, 443: default, 10254: health}, "nginx"))
