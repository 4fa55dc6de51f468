"""Kubernetes' own images: agnhost (the e2e test server) and the control-plane components."""

from __future__ import annotations

import json
from collections.abc import Callable

from k8snb.network.podnet import HttpRequest, HttpResponse
from k8snb.node.fs import FSError
from k8snb.node.process import BufferSink, Context, drive, program, run_file
from k8snb.node.servers import Gen, klog, pause, serve, stamp, text_response

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
