"""The container runtime (containerd's part of a node): images, pod sandboxes, containers.

A pod sandbox is the pause container: it holds the pod's network namespace (its IP, the
``localhost`` every container shares), its UTS namespace (hostname) and IPC namespace, and, with
``shareProcessNamespace``, the PID namespace where ``/pause`` is PID 1. Containers join the
sandbox; each gets a private root filesystem copied from its image, with the pod's volumes
mounted over it (the model copies on write, and puts it together on first use). Processes are
generators that the runtime resumes on clock timers; ``/pause``, which only waits for a
signal, is a small `Sleeper` record instead.

The kubelet drives it like a CRI runtime:

    rt = ContainerRuntime("node-1", clock, network, random.Random(0))
    rt.pull_image("nginx")                       # -> PullResult(ok=True, duration=3.38, ...)
    sb = rt.run_pod_sandbox(uid, "web", "default", "web", "10.244.1.5", False, volumes)
    cid = rt.create_container(sb, {"name": "nginx", "image": "nginx"}, {}, [])
    rt.start_container(cid, on_exit=lambda code, reason: ...)
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from k8snb.network.podnet import NetNamespace, PodNetwork
from k8snb.node import (  # noqa: F401  (importing them registers their programs)
    backends,
    file_applets,
    kube_programs,
    net_applets,
    servers,
    shell,
    shell_applets,
)
from k8snb.node.fs import ENOENT, ENOTDIR, Dir, File, FSError, MountedFS, Volume, norm
from k8snb.node.images import (
    CATALOG,
    PAUSE_IMAGE,
    PULL_LATENCY,
    Catalog,
    Image,
    InvalidImageName,
    normalize,
)
from k8snb.node.process import (
    DEFAULT_PATH,
    PROGRAMS,
    BufferSink,
    Context,
    ExecResult,
    LogSink,
    PidNamespace,
    drive,
    run_file,
    signal_name,
    which,
)
from k8snb.node.sandbox import (
    LONG_SLEEP,
    Container,
    MountArgs,
    NodeEndpoint,
    Process,
    ProcessRow,
    Sandbox,
    Sleeper,
)

FIRST_NS_INODE = 4026532000
ExitCallback = Callable[[int, str], None]


class RuntimeFailure(Exception):
    """A CRI call that failed; ``str()`` is the runtime's message."""


class NotFound(RuntimeFailure):
    """No such sandbox, container or log."""


@dataclass
class PullResult:
    """Outcome of a pull. ``reason`` is the kubelet's waiting reason when it failed."""

    ok: bool
    image: str
    image_id: str = ""
    size: int = 0
    duration: float = 0.0
    error: str = ""
    reason: str = ""


def rfc3339_nano(t: float) -> str:
    """The kubelet's log timestamp: ``2026-01-01T00:00:05.000000000Z`` (to the microsecond)."""
    whole, micros = divmod(round(t * 1_000_000), 1_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{micros:06d}000Z"


# -- the runtime --------------------------------------------------------------------------------
class ContainerRuntime:
    """One node's container runtime. Deterministic: ids come from ``rng``, time from ``clock``."""

    def __init__(self, node_name: str, clock: Any, network: PodNetwork, rng: random.Random,
                 catalog: Catalog = CATALOG, preloaded: tuple[str, ...] = (PAUSE_IMAGE,)) -> None:
        self.node_name = node_name
        self.clock = clock
        self.network = network
        self.rng = rng
        self.catalog = catalog
        self._images: dict[str, tuple[Image, float]] = {}  # ref -> (image, ready at)
        self._sandboxes: dict[str, Sandbox] = {}
        self._containers: dict[str, Container] = {}
        self._envs: dict[tuple, dict[str, str]] = {}  # see _shared_env
        self._mount_sets: dict[tuple, tuple] = {}  # see _shared_mounts
        self._ns_inode = FIRST_NS_INODE
        self._node_uts = self._new_inode()
        self._node_endpoint: NodeEndpoint | None = None
        self.on_sandbox_exit: Callable[[str], None] | None = None
        """Set by the kubelet: called (on a timer) with a sandbox id whose pause process died."""
        self.host_fs = MountedFS(Dir(), clock_now=lambda: self.clock.now)
        """The node's own filesystem, where hostPath volumes live."""
        for d in ("/etc", "/var/log/pods", "/var/lib/kubelet", "/tmp", "/data", "/run",
                  "/lib/modules"):
            self.host_fs.mkdir(d, parents=True)
        self.host_fs.write("/etc/hostname", node_name + "\n")
        for ref in preloaded:
            self._images[normalize(ref)] = (self.catalog.find(ref), clock.now)

    # -- ids ----------------------------------------------------------------------------------
    def _new_id(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    def _new_inode(self) -> int:
        self._ns_inode += 1
        return self._ns_inode

    # -- images -------------------------------------------------------------------------------
    def pull_image(self, image: str) -> PullResult:
        """Pull (or join an ongoing pull of) an image; the duration depends on its size."""
        try:
            ref = normalize(image)
            found = self.catalog.find(image)
        except InvalidImageName as e:
            return PullResult(False, image, error=str(e), reason="InvalidImageName")
        except LookupError as e:
            return PullResult(False, image, error=str(e.args[0]), reason="ErrImagePull")
        now = self.clock.now
        if ref in self._images:  # join a pull in progress, or only check the manifest again
            found, ready = self._images[ref]
            duration = ready - now if ready > now else PULL_LATENCY
        else:
            duration = found.pull_duration
            self._images[ref] = (found, now + duration)
        return PullResult(True, ref, found.id, found.size, round(duration, 3))

    def _entry(self, image: str) -> tuple[Image, float] | None:
        try:
            return self._images.get(normalize(image))
        except InvalidImageName:
            return None

    def has_image(self, image: str) -> bool:
        """Whether the image is on the node (its pull has finished)."""
        entry = self._entry(image)
        return entry is not None and entry[1] <= self.clock.now

    def images(self) -> list[tuple[str, int]]:
        """(reference, size) of every image on the node, as ``crictl images`` lists them."""
        return sorted((ref, img.size) for ref, (img, ready) in self._images.items()
                      if ready <= self.clock.now)

    def image(self, image: str) -> Image | None:
        """The image record (id, digest, size, spec), also while it is being pulled."""
        entry = self._entry(image)
        return entry[0] if entry else None

    def remove_image(self, image: str) -> None:
        if self._entry(image) is not None:
            del self._images[normalize(image)]

    # -- volumes ------------------------------------------------------------------------------
    def host_path_volume(self, name: str, path: str, type: str = "") -> Volume:
        """A hostPath volume on this node's filesystem, checked like the kubelet checks it."""
        fs = self.host_fs
        exists = fs.exists(path)
        if type in ("", "DirectoryOrCreate") and not exists:
            fs.mkdir(path, parents=True)
        elif type == "FileOrCreate" and not exists:
            try:
                fs.write(path, "")
            except FSError as e:
                raise RuntimeFailure(f"hostPath type check failed: {path}: {e.strerror}") from e
        elif type == "Directory" and not fs.is_dir(path):
            raise RuntimeFailure(f"hostPath type check failed: {path} is not a directory")
        elif type == "File" and (not exists or fs.is_dir(path)):
            raise RuntimeFailure(f"hostPath type check failed: {path} is not a file")
        return Volume(name, "hostPath", fs.lookup(path), {"path": path, "type": type})

    # -- sandboxes ----------------------------------------------------------------------------
    def run_pod_sandbox(self, pod_uid: str, name: str, namespace: str, hostname: str, ip: str,
                        share_process_namespace: bool, volumes: dict[str, Volume], *,
                        subdomain: str | None = None,
                        host_aliases: list[tuple[str, list[str]]] | None = None,
                        resolv_conf: str | None = None, host_network: bool = False) -> str:
        """Start the pause container: it creates the pod's namespaces and holds them.

        hostPath volumes are resolved on this node's filesystem here (RuntimeFailure when a
        type check fails). With ``host_network`` the pod joins the node's own network and UTS
        namespaces: ``ip`` is the node's IP and the hostname is the node's name. ``volumes``
        is kept as given (the kubelet's dict, not a copy).
        """
        for vol in volumes.values():
            if vol.kind == "hostPath" and "path" in vol.source:
                vol.root = self.host_path_volume(vol.name, vol.source["path"],
                                                 vol.source.get("type", "")).root
        sid = self._new_id()
        if host_network:
            hostname = self.node_name
        fqdn = f"{hostname}.{subdomain}.{namespace}.svc.{self.network.cluster_domain}" \
            if subdomain else None
        sb = Sandbox(
            sid, pod_uid, name, namespace, hostname, ip, share_process_namespace, volumes,
            self._node_netns(ip) if host_network else NetNamespace(self._new_inode(), ip),
            self._node_uts if host_network else self._new_inode(), self._new_inode(),
            PidNamespace(self._new_inode()), fqdn, host_aliases,
            sys.intern(resolv_conf if resolv_conf is not None
                       else self.network.resolv_conf(namespace)),
            self.clock.now, host_network)
        pause_image = self.image(PAUSE_IMAGE) or self.catalog.find(PAUSE_IMAGE)
        now = self.clock.now
        pause = Container(self._new_id(), "pause", sb, PAUSE_SPEC, pause_image, None, None,
                          sb.pidns, self._new_inode(), ("/pause",), "/", "65535", self,
                          state="RUNNING", created_at=now, started_at=now)
        sb.pause_container = pause
        entry = sb.pidns.spawn("/pause", "pause", "65535", now)
        if _runs_pause(pause_image.rootfs().entries.get("pause")):
            sb.pause = Sleeper(pause, entry)
        else:  # a catalog whose pause image runs something else
            ctx = Context(pause, entry, {})
            sb.pause = Process(self.clock, ctx, run_file(ctx, "/pause", ["/pause"]),
                               lambda code: self._sandbox_down(sb))
        sb.pause.start()
        self._sandboxes[sid] = sb
        if host_network:
            self.network.register(ip, self._node_endpoint)
        else:
            self.network.register(ip, sb)
        return sid

    def _node_netns(self, ip: str) -> NetNamespace:
        """The node's own network namespace, shared by every hostNetwork pod."""
        if self._node_endpoint is None:
            self._node_endpoint = NodeEndpoint(ip, "default", NetNamespace(self._new_inode(), ip))
        return self._node_endpoint.netns

    def sandbox(self, sandbox_id: str) -> Sandbox:
        sb = self._sandboxes.get(sandbox_id)
        if sb is None:
            raise NotFound(f'sandbox "{sandbox_id}" not found')
        return sb

    def sandboxes(self) -> list[Sandbox]:
        return list(self._sandboxes.values())

    def stop_pod_sandbox(self, sandbox_id: str) -> None:
        """Kill what still runs in the pod, then the pause container; release the IP."""
        sb = self.sandbox(sandbox_id)
        if sb.state == "READY":
            sb.state = "STOPPING"
            if sb.pause is not None:
                sb.pause.terminate(137)

    def _sandbox_down(self, sb: Sandbox) -> None:
        """The pause process is gone (stopped, or killed from inside a shared PID namespace):
        the pod's containers die with it and its IP is released."""
        unexpected = sb.state == "READY"
        sb.state = "NOTREADY"
        for c in list(sb.containers.values()):
            if c.process is not None and not c.process.done:
                c.process.terminate(137)
        if sb.pause_container is not None:
            sb.pause_container.state = "EXITED"
        sb.netns.close_all(sb.id)
        if not sb.host_network:
            self.network.unregister(sb.ip)
        if unexpected and self.on_sandbox_exit is not None:
            hook = self.on_sandbox_exit
            self.clock.call_at(self.clock.now, lambda: hook(sb.id))

    def remove_pod_sandbox(self, sandbox_id: str) -> None:
        sb = self._sandboxes.get(sandbox_id)
        if sb is None:
            return
        self.stop_pod_sandbox(sandbox_id)
        for c in sb.attempts:
            self._containers.pop(c.id, None)
        del self._sandboxes[sandbox_id]

    # -- containers ---------------------------------------------------------------------------
    def is_current(self, c: Container) -> bool:
        """Whether ``c`` is still created here (not removed)."""
        return self._containers.get(c.id) is c

    def container(self, container_id: str) -> Container:
        c = self._containers.get(container_id)
        if c is None:
            raise NotFound(f'container "{container_id}" not found')
        return c

    def create_container(self, sandbox_id: str, spec: dict, env: dict[str, str],
                         mounts: list[tuple]) -> str:
        """Create a container from a Kubernetes container spec.

        ``env`` is the resolved environment (the kubelet expands valueFrom and $(VAR));
        ``mounts`` holds (volume name, mount path, read only[, sub path]) tuples.
        """
        sb = self.sandbox(sandbox_id)
        if sb.state != "READY":
            raise RuntimeFailure(f'sandbox "{sandbox_id}" is not running')
        image = self.image(spec["image"])
        if image is None or not self.has_image(spec["image"]):
            raise RuntimeFailure(f'failed to get image "{spec["image"]}": image not found')
        volume_mounts = []
        for m in mounts:
            vol_name, path, read_only = m[0], m[1], bool(m[2])
            vol = sb.volumes.get(vol_name)
            if vol is None:
                raise RuntimeFailure(f'volume "{vol_name}" not found in pod sandbox')
            node = vol.root
            if len(m) > 3 and m[3]:
                sub = MountedFS(node) if isinstance(node, Dir) else None
                if sub is None:
                    raise RuntimeFailure(f"subPath {m[3]} of a file volume")
                if not sub.exists(m[3]):
                    sub.mkdir(m[3], parents=True)
                node = sub.lookup(m[3])
            kind = vol.kind
            tmpfs = kind in ("secret", "projected") or vol.source.get("medium") == "Memory"
            volume_mounts.append((sys.intern(path), list(sb.volumes).index(vol_name),
                                  read_only or vol.read_only, "tmpfs" if tmpfs else "/dev/vda1",
                                  "tmpfs" if tmpfs else "ext4", None if node is vol.root else node))
        command, args = spec.get("command"), spec.get("args")
        argv = (tuple(command) if command else image.spec.entrypoint) + (
            tuple(args) if args is not None else (() if command else image.spec.cmd))
        workdir = spec.get("workingDir") or image.spec.workdir
        run_as = (spec.get("securityContext") or {}).get("runAsUser")
        pidns = sb.pidns if sb.share_process_namespace else PidNamespace(self._new_inode())
        name = spec["name"]
        attempt = sum(1 for a in sb.attempts if a.name == name)
        c = Container(self._new_id(), name, sb, spec, image, self._shared_env(env),
                      self._shared_mounts(tuple(volume_mounts)), pidns, self._new_inode(), argv,
                      workdir, sys.intern(str(run_as if run_as is not None else 0)), self,
                      attempt=attempt, created_at=self.clock.now)
        # The filesystem is put together on first use, unless making the working directory
        # has to happen now (it may land in a shared volume, and its mtime is now).
        if not _image_has_dir(c, workdir):
            fs = c.fs
            if not fs.exists(workdir):
                fs.mkdir(workdir, parents=True)
        sb.add_attempt(c)  # the current and the previous attempt, as the kubelet keeps them
        self._containers[c.id] = c
        return c.id

    def _shared_mounts(self, mounts: tuple[MountArgs, ...]) -> tuple[MountArgs, ...]:
        """One tuple for all equal mount lists (every replica of a pod template mounts the
        same volumes, by position, at the same paths); those with a subPath stay their own."""
        if any(m[5] is not None for m in mounts):
            return mounts
        found = self._mount_sets.get(mounts)
        if found is None:
            if len(self._mount_sets) >= 64:
                self._mount_sets.clear()
            found = self._mount_sets[mounts] = mounts
        return found

    def _shared_env(self, env: dict[str, str]) -> dict[str, str]:
        """The kubelet's environment for a container, one dict for all equal ones (every pod
        of a namespace gets the same service variables); never changed once made."""
        key = tuple(env.items())
        found = self._envs.get(key)
        if found is None:
            if len(self._envs) >= 64:
                self._envs.clear()
            found = self._envs[key] = dict(env)
        return found

    def start_container(self, container_id: str, on_exit: ExitCallback) -> None:
        """Start the container's process; ``on_exit(code, reason)`` fires on a timer when it
        ends (reason Completed, Error or StartError; ``Container.message`` has details)."""
        c = self.container(container_id)
        if c.state != "CREATED":
            raise RuntimeFailure(f'container "{container_id}" is in state {c.state}')
        now = self.clock.now
        c.started_at = now
        c.state = "RUNNING"
        if c.pidns is c.sandbox.pidns:
            c.pidns.skip(5)  # runc's own short-lived processes in the shared namespace
        entry = c.pidns.spawn(" ".join(c.argv), c.name, c.user, now)
        env = c.env
        path = self._which(c, env, c.argv[0]) if c.argv else None
        if path is None:
            c.pidns.release(entry.pid)
            what = "no command specified" if not c.argv else (
                f'exec: "{c.argv[0]}": stat {c.argv[0]}: no such file or directory'
                if "/" in c.argv[0] else
                f'exec: "{c.argv[0]}": executable file not found in $PATH')
            c.message = ("failed to create containerd task: failed to create shim task: OCI "
                         "runtime create failed: runc create failed: unable to start container "
                         f"process: {what}: unknown")
            self._exited(c, 128, "StartError", on_exit)
            return
        c.exit_callback = on_exit
        node = c.fs.lookup(path) if c.fs_built else _image_probe(c)(path)
        if _runs_pause(node):
            c.process = Sleeper(c, entry)
            return
        ctx = Context(c, entry, env, c.workdir,
                      stdout=LogSink(c.log, "stdout", lambda: self.clock.now),
                      stderr=LogSink(c.log, "stderr", lambda: self.clock.now))

        def main_exit(code: int) -> None:
            self._exited(c, code, "Completed" if code == 0 else "Error", on_exit)

        c.process = Process(self.clock, ctx, run_file(ctx, path, list(c.argv)), main_exit)
        c.process.start()

    def _which(self, c: Container, env: dict[str, str], name: str) -> str | None:
        """What ``name`` resolves to in the container (execvp), without putting its filesystem
        together when the answer lies in its image alone."""
        if not c.fs_built:
            try:
                return which(name, env.get("PATH") or DEFAULT_PATH, c.workdir, _image_probe(c))
            except _NeedsFS:
                pass
        return which(name, env.get("PATH") or DEFAULT_PATH, c.workdir, c.fs.lookup)

    def main_process_exited(self, c: Container, code: int) -> None:
        """A container's `Sleeper` ended: the sandbox goes down, or the container exits."""
        if c.sandbox.pause_container is c:
            self._sandbox_down(c.sandbox)
        else:
            self._exited(c, code, "Completed" if code == 0 else "Error", c.exit_callback)

    def _exited(self, c: Container, code: int, reason: str, on_exit: ExitCallback) -> None:
        """The main process ended: everything else in the container dies with it."""
        c.state, c.exit_code, c.reason, c.finished_at = "EXITED", code, reason, self.clock.now
        for p in c._jobs or ():
            p.terminate(137)
        c.pidns.release_container(c.name)
        c.sandbox.netns.close_all(c.sandbox.id, c.name)
        self.clock.call_at(self.clock.now, lambda: on_exit(code, reason))

    def kill_container(self, container_id: str, signal: str = "TERM") -> None:
        """Signal the main process. "TERM" means "stop": the image's STOPSIGNAL is sent
        (SIGQUIT for nginx), as containerd does. A PID 1 without a handler ignores it."""
        c = self.container(container_id)
        if c.process is None or c.process.done:
            return
        sig = c.image.spec.stop_signal if signal_name(signal) == "TERM" else signal
        c.process.signal(sig)

    def remove_container(self, container_id: str) -> None:
        c = self._containers.pop(container_id, None)
        if c is None:
            return
        if c.process is not None and not c.process.done:
            c.process.on_exit = lambda code: None
            c.process.terminate(137)
            c.state = "EXITED"
        if c.sandbox.containers.get(c.name) is c:
            del c.sandbox.containers[c.name]

    # -- exec and logs ------------------------------------------------------------------------
    def _running(self, sandbox_id: str, name: str) -> Container | None:
        c = self.sandbox(sandbox_id).containers.get(name)
        return c if c is not None and c.state == "RUNNING" else None

    def exec(self, sandbox_id: str, container_name: str, argv: list[str],
             stdin: str | None = None) -> ExecResult:
        """Run a command in a running container, synchronously; its sleeps take no time."""
        c = self._running(sandbox_id, container_name)
        if c is None:
            return ExecResult("", "", 1, error=f'container not found ("{container_name}")')
        out, err = BufferSink(), BufferSink()
        entry = c.pidns.spawn(" ".join(argv), c.name, c.user, self.clock.now)
        ctx = Context(c, entry, dict(c.env), c.workdir, stdin, out, err)
        path = ctx.which(argv[0]) if argv else None
        if path is None:  # kubectl shows this on stderr, then "command terminated with exit code"
            ctx.exit()
            error = ("OCI runtime exec failed: exec failed: unable to start container process: "
                     f'exec: "{argv[0] if argv else ""}": executable file not found in $PATH: '
                     "unknown")
            return ExecResult("", error + "\n", 126, error=error)
        try:
            code, interrupted = drive(run_file(ctx, path, argv))
        finally:
            ctx.exit()
        return ExecResult(out.text, err.text, code, interrupted=interrupted)

    def shell(self, sandbox_id: str, container_name: str) -> Callable[[str], ExecResult]:
        """An interactive ``sh`` session (``kubectl exec -it ... -- sh``): call it with one
        command line at a time; variables and the working directory persist."""
        c = self._running(sandbox_id, container_name)
        if c is None:
            raise NotFound(f'container not found ("{container_name}")')
        entry = c.pidns.spawn("sh", c.name, c.user, self.clock.now)
        ctx = Context(c, entry, dict(c.env), c.workdir)
        if ctx.which("sh") is None:
            ctx.exit()
            raise RuntimeFailure('exec: "sh": executable file not found in $PATH')
        session = shell.Shell(ctx, "sh", "ash" if c.image.userland == "busybox" else "dash")

        def run(line: str) -> ExecResult:
            out, err = BufferSink(), BufferSink()
            ctx.stdout, ctx.stderr = out, err
            code, interrupted = drive(session.run(line))
            session.status = code
            return ExecResult(out.text, err.text, code, interrupted=interrupted)

        return run

    def logs(self, sandbox_id: str, container_name: str, previous: bool = False,
             timestamps: bool = False, tail: int | None = None) -> str:
        """What the container's process wrote to stdout and stderr, up to now."""
        sb = self.sandbox(sandbox_id)
        history = sb.history.get(container_name, [])
        if previous:
            if len(history) < 2:
                raise NotFound(f'previous terminated container "{container_name}" in pod '
                               f'"{sb.name}" not found')
            c = history[-2]
        elif history:
            c = history[-1]
        else:
            raise NotFound(f'container "{container_name}" in pod "{sb.name}" is waiting to '
                           "start: ContainerCreating")
        now = self.clock.now
        lines = [ln for ln in c._log or () if ln.time <= now]
        if tail is not None and tail >= 0:
            lines = lines[len(lines) - tail:] if tail else []
        return "".join((f"{rfc3339_nano(ln.time)} " if timestamps else "") + ln.text + "\n"
                       for ln in lines)

    def processes(self, sandbox_id: str) -> list[ProcessRow]:
        """Every process of the pod, grouped by PID namespace (pause's first)."""
        sb = self.sandbox(sandbox_id)
        spaces = [sb.pidns] + [c.pidns for c in sb.containers.values()
                               if c.pidns is not sb.pidns and c.state == "RUNNING"]
        return [ProcessRow(e.pid, e.container, e.command, e.user, ns.inode)
                for ns in spaces for e in ns.rows()]


PAUSE_SPEC = {"name": "pause", "image": PAUSE_IMAGE}
"""The pause container's spec, one for every sandbox (never changed)."""


def _runs_pause(node: Any) -> bool:
    """Whether executing ``node`` runs the pause program (which a `Sleeper` stands for)."""
    return isinstance(node, File) and node.program == "pause" and \
        PROGRAMS.get("pause") is servers.pause


class _NeedsFS(Exception):
    """The answer depends on what is mounted: the container's filesystem is needed."""


def _image_probe(c: Container) -> Callable[[str], Any]:
    """Look paths up in the container's image alone: exact, before its filesystem is put
    together, for every path outside its mount points and /proc (those raise _NeedsFS)."""
    tops = [] if c.volume_mounts is None else [
        "/proc", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
        *(norm(m[0]) for m in c.volume_mounts)]

    def lookup(path: str) -> Any:
        path = norm(path)
        for top in tops:
            if path == top or path.startswith(top.rstrip("/") + "/"):
                raise _NeedsFS(path)
        node: Any = c.image.rootfs()
        for part in path.split("/")[1:] if path != "/" else ():
            if not isinstance(node, Dir):
                raise FSError(ENOTDIR, path)
            node = node.entries.get(part)
            if node is None:
                raise FSError(ENOENT, path)
        return node

    return lookup


def _image_has_dir(c: Container, path: str) -> bool:
    """Whether ``path`` is a directory of the image, outside every mount point."""
    try:
        return isinstance(_image_probe(c)(path), Dir)
    except (FSError, _NeedsFS):
        return False


__all__ = ["LONG_SLEEP", "PAUSE_IMAGE", "Container", "ContainerRuntime", "ExecResult", "NotFound",
           "ProcessRow", "PullResult", "RuntimeFailure", "Sandbox", "Volume"]
