"""Databases, brokers and language runtimes: redis, postgres, mysql, mongo, memcached,
rabbitmq, python, node, go. Databases refuse to start without their password variables, as
their images' entrypoints do.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable

from k8snb.network.podnet import HttpRequest, HttpResponse
from k8snb.node.fs import FSError
from k8snb.node.process import Context, program
from k8snb.node.servers import Gen, exec_args, serve, stamp, static_file, text_response


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
            if not (isinstance(call, ast.Call) and ast.unparse(call.func) in
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
