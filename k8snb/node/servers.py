"""What the images' programs do: nginx, httpd, agnhost, databases, control-plane binaries.

Each program prints the startup lines its real counterpart prints, binds its ports in the pod's
network namespace, answers HTTP where it speaks HTTP, and waits for a signal. A server stops
cleanly (exit 0) on its stop signal.
"""

from __future__ import annotations

import json
import posixpath
import re
import time
from collections.abc import Callable, Generator

from k8snb.network.podnet import AddressInUse, HttpRequest, HttpResponse
from k8snb.node.fs import Dir, File, FSError
from k8snb.node.process import FOREVER, Context, Wait, drive, program, run_file

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


# -- databases and brokers ----------------------------------------------------------------------
@program("redis-entrypoint", "memcached-entrypoint", "node-entrypoint", "mongo-entrypoint",
         "rabbitmq-entrypoint", "dumb-init")
def passthrough_entrypoint(ctx: Context, argv: list[str]) -> Gen:
    args = [a for a in argv[1:] if a != "--"] if argv[0].endswith("dumb-init") else argv[1:]
    return (yield from exec_args(ctx, args, argv[0]))


@program("redis")
def redis(ctx: Context, argv: list[str]) -> Gen:
    pid, v = ctx.pid, ctx.image.version

    def log(role: str, mark: str, msg: str) -> None:
        t = ctx.now
        ctx.out(f"{pid}:{role} {stamp(t, '%d %b %Y %H:%M:%S')}.{int(t % 1 * 1000):03d} {mark} {msg}\n")

    log("C", "*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
    log("C", "*", f"Redis version={v}, bits=64, commit=00000000, modified=0, pid={pid}, "
                  "just started")
    log("C", "#", "Warning: no config file specified, using the default config. In order to "
                  "specify a config file use redis-server /path/to/redis.conf")
    log("M", "*", "monotonic clock: POSIX clock_gettime")
    log("M", "*", "Running mode=standalone, port=6379.")
    log("M", "*", "Server initialized")
    log("M", "*", "Ready to accept connections tcp")
    ctx.entry.command = "redis-server *:6379"

    def stop(sig: str) -> int:
        ctx.out(f"{pid}:signal-handler ({int(ctx.now)}) Received SIG{sig} scheduling "
                "shutdown...\n")
        log("M", "#", "User requested shutdown...")
        log("M", "*", "Saving the final RDB snapshot before exiting.")
        log("M", "*", "DB saved on disk")
        log("M", "#", "Redis is now ready to exit, bye bye...")
        return 0

    return (yield from serve(ctx, {6379: None}, "redis-server", stop=stop))


def _needs_password(ctx: Context, names: tuple[str, ...]) -> bool:
    return not any(ctx.env.get(n) for n in names)


@program("postgres-entrypoint")
def postgres_entrypoint(ctx: Context, argv: list[str]) -> Gen:
    args = argv[1:]
    if args[:1] == ["postgres"]:
        pgdata = ctx.env.get("PGDATA", "/var/lib/postgresql/data")
        if ctx.fs.exists(f"{pgdata}/PG_VERSION"):
            ctx.out("\nPostgreSQL Database directory appears to contain a database; "
                    "Skipping initialization\n\n")
        elif _needs_password(ctx, ("POSTGRES_PASSWORD",)) and \
                ctx.env.get("POSTGRES_HOST_AUTH_METHOD") != "trust":
            ctx.err('Error: Database is uninitialized and superuser password is not specified.\n'
                    '       You must specify POSTGRES_PASSWORD to a non-empty value for the\n'
                    '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".\n'
                    "\n"
                    '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all\n'
                    "       connections without a password. This is *not* recommended.\n"
                    "\n"
                    '       See PostgreSQL documentation about "trust":\n'
                    "       https://www.postgresql.org/docs/current/auth-trust.html\n")
            return 1
        else:
            try:
                ctx.fs.mkdir(pgdata, parents=True)
                ctx.fs.write(f"{pgdata}/PG_VERSION", ctx.image.version.split(".")[0] + "\n")
            except FSError:
                pass
            ctx.out('The files belonging to this database system will be owned by user '
                    '"postgres".\n\nSuccess. You can now start the database server using:\n\n'
                    "PostgreSQL init process complete; ready for start up.\n\n")
    return (yield from exec_args(ctx, args, "docker-entrypoint.sh"))


@program("postgres")
def postgres(ctx: Context, argv: list[str]) -> Gen:
    def log(msg: str) -> None:
        ctx.err(f"{stamp(ctx.now, '%Y-%m-%d %H:%M:%S')}.000 UTC [{ctx.pid}] LOG:  {msg}\n")

    log(f"starting PostgreSQL {ctx.image.version} on x86_64-pc-linux-gnu")
    log('listening on IPv4 address "0.0.0.0", port 5432')
    log("database system is ready to accept connections")

    def stop(sig: str) -> int:
        log({"TERM": "received smart shutdown request", "INT": "received fast shutdown request"}
            .get(sig, "received immediate shutdown request"))
        log("database system is shut down")
        return 0

    return (yield from serve(ctx, {5432: None}, "postgres", stop=stop))


@program("mysql-entrypoint")
def mysql_entrypoint(ctx: Context, argv: list[str]) -> Gen:
    t = stamp(ctx.now, "%Y-%m-%d %H:%M:%S+00:00")
    v = ctx.image.version
    ctx.out(f"{t} [Note] [Entrypoint]: Entrypoint script for MySQL Server {v}-1.el9 started.\n")
    if argv[1:2] == ["mysqld"] and _needs_password(
            ctx, ("MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD")):
        ctx.err(f"{t} [ERROR] [Entrypoint]: Database is uninitialized and password option is "
                "not specified\n    You need to specify one of the following as an environment "
                "variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n"
                "    - MYSQL_RANDOM_ROOT_PASSWORD\n")
        return 1
    return (yield from exec_args(ctx, argv[1:], "docker-entrypoint.sh"))


@program("mysql")
def mysql(ctx: Context, argv: list[str]) -> Gen:
    t = stamp(ctx.now, "%Y-%m-%dT%H:%M:%S.000000Z")
    v = ctx.image.version
    ctx.err(f"{t} 0 [System] [MY-015015] [Server] MySQL Server - start.\n"
            f"{t} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. "
            f"Version: '{v}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL "
            "Community Server - GPL.\n")
    return (yield from serve(ctx, {3306: None, 33060: None}, "mysqld"))


@program("mongo")
def mongo(ctx: Context, argv: list[str]) -> Gen:
    t = stamp(ctx.now, "%Y-%m-%dT%H:%M:%S.000+00:00")
    ctx.out(json.dumps({"t": {"$date": t}, "s": "I", "c": "NETWORK", "id": 23016,
                        "ctx": "listener", "msg": "Waiting for connections",
                        "attr": {"port": 27017, "ssl": "off"}}, separators=(",", ":")) + "\n")
    return (yield from serve(ctx, {27017: None}, "mongod"))


@program("memcached")
def memcached(ctx: Context, argv: list[str]) -> Gen:
    return (yield from serve(ctx, {11211: None}, "memcached"))  # silent unless -v


@program("rabbitmq")
def rabbitmq(ctx: Context, argv: list[str]) -> Gen:
    v = ctx.image.version
    ctx.out(f"\n  ##  ##      RabbitMQ {v}\n  ##  ##\n  ##########  Copyright (c) 2007-2024 "
            "Broadcom Inc and/or its subsidiaries\n  ######  ##\n  ##########  Licensed under "
            "the MPL 2.0. Website: https://rabbitmq.com\n\n"
            f"{stamp(ctx.now, '%Y-%m-%d %H:%M:%S.000000+00:00')} [info] <0.9.0> Server startup "
            "complete; 0 plugins started.\n")
    ports: dict[int, Callable[[HttpRequest], HttpResponse] | None] = {5672: None}
    if "management" in ctx.image.tag:
        ports[15672] = lambda req: text_response("<title>RabbitMQ Management</title>\n",
                                                 ctype="text/html")
    return (yield from serve(ctx, ports, "beam.smp"))


# -- interpreters -------------------------------------------------------------------------------
def _prints(code: str) -> list[str] | None:
    """The output of code made only of print() calls on literals, else None."""
    import ast

    try:
        tree = ast.parse(code)
        out = []
        for stmt in tree.body:
            call = stmt.value if isinstance(stmt, ast.Expr) else None
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") in
                    ("print", "console.log")):
                return None
            out.append(" ".join(str(ast.literal_eval(a)) for a in call.args))
        return out
    except (SyntaxError, ValueError):
        return None


@program("python")
def python(ctx: Context, argv: list[str]) -> Gen:
    args = [a for a in argv[1:] if a not in ("-u", "-B")]
    if not args:
        return 0  # no terminal attached: the REPL reads end-of-file and exits at once
    if args[0] in ("--version", "-V"):
        ctx.out(f"Python {ctx.image.version}\n")
        return 0
    if args[:2] == ["-m", "http.server"]:
        port = int(args[2]) if len(args) > 2 and args[2].isdigit() else 8000
        cwd = ctx.cwd
        ctx.out(f"Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...\n")

        def handle(req: HttpRequest) -> HttpResponse:
            status, body, _ = static_file(ctx, cwd, req.path)
            if status != 200 and ctx.fs.is_dir(ctx.abspath(posixpath.join(cwd, req.path[1:]))):
                names = ctx.fs.listdir(posixpath.join(cwd, req.path[1:]) or "/")
                body = "".join(f'<li><a href="{n}">{n}</a></li>\n' for n in names)
                body = f"<!DOCTYPE HTML>\n<html>\n<body>\n<ul>\n{body}</ul>\n</body>\n</html>\n"
                status = 200
            elif status != 200:
                body = "Error response\nError code: 404\nMessage: File not found.\n"
                status = 404
            ctx.err(f'{req.client_ip} - - [{stamp(ctx.now, "%d/%b/%Y %H:%M:%S")}] '
                    f'"GET {req.target} HTTP/1.1" {status} -\n')
            return text_response(body, status, "text/html; charset=utf-8")

        return (yield from serve(ctx, {port: handle}, "python3"))
    code = args[1] if args[0] == "-c" and len(args) > 1 else None
    if code is None:
        try:
            code = ctx.fs.read(ctx.abspath(args[0]))
        except FSError:
            ctx.err(f"{posixpath.basename(argv[0])}: can't open file "
                    f"'{ctx.abspath(args[0])}': [Errno 2] No such file or directory\n")
            return 2
    lines = _prints(code)
    if lines is None:
        ctx.err("k8snb: this simulated Python runs print() of literals and -m http.server\n")
        return 1
    ctx.out("".join(x + "\n" for x in lines))
    return 0


@program("node")
def node(ctx: Context, argv: list[str]) -> int:
    args = argv[1:]
    if not args:
        return 0  # no terminal: the REPL exits at once
    if args[0] in ("--version", "-v"):
        ctx.out(f"v{ctx.image.version}\n")
        return 0
    lines = _prints(args[1]) if args[0] in ("-e", "-p") and len(args) > 1 else None
    if lines is None:
        ctx.err("k8snb: this simulated Node.js runs console.log() of literals only\n")
        return 1
    ctx.out("".join(x + "\n" for x in lines))
    return 0


@program("go")
def go(ctx: Context, argv: list[str]) -> int:
    if argv[1:2] == ["version"]:
        ctx.out(f"go version go{ctx.image.version} linux/amd64\n")
        return 0
    ctx.err("Go is a tool for managing Go source code.\n\nUsage:\n\n\tgo <command> "
            "[arguments]\n")
    return 2


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


# -- agnhost ------------------------------------------------------------------------------------
AGNHOST_COMMANDS = ("dns-server-list", "dns-suffix", "entrypoint-tester", "liveness", "netexec",
                    "pause", "serve-hostname")


def _flag(args: list[str], name: str, default: str) -> str:
    for i, a in enumerate(args):
        if a.startswith(f"--{name}="):
            return a.split("=", 1)[1]
        if a == f"--{name}" and i + 1 < len(args):
            return args[i + 1]
    return default


@program("agnhost")
def agnhost(ctx: Context, argv: list[str]) -> Gen:
    """Kubernetes' e2e test image: one binary, many small servers."""
    cmd, args = (argv[1] if len(argv) > 1 else ""), argv[2:]
    if cmd == "pause":
        ctx.out("Paused\n")
        return (yield from pause(ctx, argv))
    if cmd == "serve-hostname":
        port = int(_flag(args, "port", "9376"))
        ctx.err(f"{stamp(ctx.now, '%Y/%m/%d %H:%M:%S')} Serving on port {port}.\n")
        return (yield from serve(ctx, {port: lambda req: text_response(ctx.sandbox.hostname)},
                                 "agnhost"))
    if cmd == "netexec":
        return (yield from netexec(ctx, int(_flag(args, "http-port", "8080"))))
    if cmd == "liveness":
        started = ctx.now

        def healthz(req: HttpRequest) -> HttpResponse:
            age = ctx.now - started
            if age > 10:
                return text_response(f"error: {age:.6f}", 500)
            return text_response("ok")

        return (yield from serve(ctx, {8080: healthz}, "agnhost"))
    if cmd == "entrypoint-tester":
        ctx.out(repr(argv).replace("'", "").replace(",", "") + "\n")
        return 0
    if cmd in ("dns-suffix", "dns-server-list"):
        try:
            conf = ctx.fs.read("/etc/resolv.conf")
        except FSError:
            conf = ""
        key = "search" if cmd == "dns-suffix" else "nameserver"
        ctx.out(",".join(w for ln in conf.splitlines() if ln.startswith(key)
                         for w in ln.split()[1:]) + "\n")
        return 0
    if cmd:
        ctx.err(f'Error: unknown command "{cmd}" for "app"\nRun \'app --help\' for usage.\n')
        return 1
    ctx.out("Usage:\n  app [command]\n\nAvailable Commands:\n"
            + "".join(f"  {c}\n" for c in AGNHOST_COMMANDS))
    return 0


def netexec(ctx: Context, port: int) -> Gen:
    started = ctx.now
    klog(ctx, "log.go:245", f"Started HTTP server on port {port}")
    klog(ctx, "log.go:245", "Started UDP server on port  8081")
    exit_code: list[int] = []

    def handle(req: HttpRequest) -> HttpResponse:
        klog(ctx, "log.go:245", f"GET {req.target}")
        p = req.path
        if p == "/":
            t = ctx.now
            return text_response(f"NOW: {stamp(t, '%Y-%m-%d %H:%M:%S')}.{int(t % 1 * 1e9):09d} "
                                 f"+0000 UTC m=+{t - started:.9f}")
        if p in ("/hostname", "/hostName"):
            return text_response(ctx.sandbox.hostname)
        if p == "/echo":
            return text_response(req.query.get("msg", ""))
        if p == "/clientip":
            return text_response(f"{req.client_ip}:40000")
        if p == "/healthz":
            return text_response("")
        if p == "/header":
            return text_response(req.headers.get(req.query.get("key", ""), ""))
        if p == "/shell":
            from k8snb.node.process import BufferSink

            out, err = BufferSink(), BufferSink()
            child = ctx.child(["sh", "-c", req.query.get("cmd", "")], stdout=out, stderr=err)
            try:
                sh = child.which("sh")
                code = drive(run_file(child, sh, ["sh", "-c", req.query.get("cmd", "")]))[0] \
                    if sh else 127
            finally:
                child.exit()
            result = {"output": out.text} if code == 0 else {
                "error": f"exit status {code}", "output": out.text + err.text}
            return text_response(json.dumps(result), ctype="application/json")
        if p == "/exit":
            exit_code.append(int(req.query.get("code", "0")))
            ctx.host.request_exit(ctx, exit_code[0])
            return text_response("")
        return text_response("404 page not found\n", 404)

    return (yield from serve(ctx, {port: handle}, "agnhost"))


# -- Kubernetes components ----------------------------------------------------------------------
@program("etcd")
def etcd(ctx: Context, argv: list[str]) -> Gen:
    def log(caller: str, msg: str, **attrs: object) -> None:
        line = {"level": "info", "ts": stamp(ctx.now, "%Y-%m-%dT%H:%M:%S.000000Z"),
                "caller": caller, "msg": msg, **attrs}
        ctx.err(json.dumps(line, separators=(",", ":")) + "\n")

    log("etcdmain/etcd.go:73", "Running: ", args=argv)
    log("embed/etcd.go:311", "starting an etcd server", **{"etcd-version": ctx.image.version})
    log("embed/serve.go:250", "serving client traffic insecurely; this is strongly discouraged!",
        traffic="grpc+http", address="[::]:2379")
    health = lambda req: text_response('{"health":"true","reason":""}')  # noqa: E731
    return (yield from serve(ctx, {2379: health, 2380: None}, "etcd"))


def _component(name: str, source: str, first: str) -> Callable[[Context, list[str]], Gen]:
    def run(ctx: Context, argv: list[str]) -> Gen:
        if name == "coredns":
            ctx.out(f".:53\nCoreDNS-{ctx.image.version}\nlinux/amd64, go1.22.8, k8snb\n")
        else:
            klog(ctx, source, first.format(version=ctx.image.version))
        ok = lambda req: text_response("ok")  # noqa: E731
        return (yield from serve(ctx, {p: ok for p in ctx.image.spec.ports}, name))

    return run


for _name, _source, _first in (
        ("kube-apiserver", "server.go:142", "Version: {version}"),
        ("kube-controller-manager", "controllermanager.go:189", "\"Starting\" version=\"{version}\""),
        ("kube-scheduler", "server.go:167", "\"Starting Kubernetes Scheduler\" version=\"{version}\""),
        ("kube-proxy", "server_linux.go:66", "\"Using iptables proxy\""),
        ("coredns", "", "")):
    program(_name)(_component(_name, _source, _first))
