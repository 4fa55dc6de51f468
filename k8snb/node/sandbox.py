"""What a pod is made of on a node: the sandbox (pause container and the namespaces it holds),
its containers, and the processes running in them on clock timers.
"""

from __future__ import annotations

import math
import posixpath
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, NamedTuple

from k8snb.network.podnet import NetNamespace, PodNetwork
from k8snb.node.fs import Dir, File, Mount, MountedFS, Node, Volume
from k8snb.node.images import Image
from k8snb.node.process import (
    Context,
    LogLine,
    LogSink,
    PidNamespace,
    ProcEntry,
    Wait,
    signal_name,
    signal_number,
)

LONG_SLEEP = 300.0
"""A sleep at least this long counts as long-running work: its timer is recurring, so
``settle()`` does not wait for a ``sleep 3600`` keep-alive container."""


class ProcessRow(NamedTuple):
    """A process as views list it; ``pid`` is as seen inside its PID namespace."""

    pid: int
    container: str
    command: str
    user: str
    pid_namespace: int


# -- processes ----------------------------------------------------------------------------------
def default_action(name: str, pid: int, from_inside: bool) -> int | None:
    """What Linux does with a signal the process has no handler for: the exit code it dies
    with, or None when it is ignored (init, PID 1, ignores all but a KILL from outside)."""
    if pid == 1 and (from_inside or name != "KILL"):
        return None
    if name in ("CHLD", "WINCH", "URG", "CONT"):
        return None
    return 128 + signal_number(name)


class Process:
    """A program the runtime runs on clock timers: each Wait it yields becomes a timer."""

    __slots__ = ("clock", "ctx", "gen", "on_exit", "timer", "done", "exit_code", "_stepping",
                 "_pending")

    def __init__(self, clock: Any, ctx: Context, gen: Generator[Wait, None, int],
                 on_exit: Callable[[int], None]) -> None:
        self.clock, self.ctx, self.gen, self.on_exit = clock, ctx, gen, on_exit
        self.timer: Any = None
        self.done = False
        self.exit_code: int | None = None
        self._stepping = False
        self._pending: int | None = None
        ctx.entry.on_signal = self.signal

    def start(self) -> None:
        self._step()

    def _step(self) -> None:
        if self.done:
            return
        self.timer = None
        self._stepping = True
        try:
            w = next(self.gen)
        except StopIteration as stop:
            self._finish(int(stop.value or 0))
            return
        except Exception as e:  # a bug in a simulated program: it crashes, the cluster goes on
            self.ctx.err(f"k8snb: {self.ctx.entry.command.split()[0]} crashed: {e!r}\n")
            self._finish(1)
            return
        finally:
            self._stepping = False
        if self._pending is not None:
            self.terminate(self._pending)
            return
        if w.seconds == math.inf:
            return  # blocked until a signal
        clock = self.clock
        self.timer = clock.call_at(clock.now + w.seconds, self._step,
                                   recurring=w.background or w.seconds >= LONG_SLEEP)

    def signal(self, sig: str | int, from_inside: bool = False) -> None:
        """Deliver a signal as Linux does, including the init (PID 1) exemptions."""
        if self.done:
            return
        name = signal_name(sig)
        handler = self.ctx.signal_handlers.get(name)
        if handler is not None and name not in ("KILL", "STOP"):
            code = handler(name)
        else:
            code = default_action(name, self.ctx.pid, from_inside)
        if code is not None:
            self.terminate(code)

    def terminate(self, code: int) -> None:
        if self.done:
            return
        if self._stepping:  # the process signalled itself: stop after this step
            self._pending = code
            return
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.gen.close()
        self._finish(code)

    def _finish(self, code: int) -> None:
        self.done, self.exit_code = True, code
        self.ctx.stdout.flush()
        self.ctx.stderr.flush()
        self.ctx.exit()
        self.on_exit(code)


class Sleeper:
    """The pause binary's process: it installs SIGTERM/SIGINT handlers and blocks until a
    signal, for ever. Thousands of pods run it (every sandbox, and pods whose command is
    /pause), so instead of a generator and a Context it is this small record that only knows
    how to react to a signal, as ``pause.c`` does: SIGTERM or SIGINT print "Shutting down, got
    signal" and exit 0; any other follows the default action.

    ``on_exit(code)`` is called when it ends; when None, the runtime's
    ``main_process_exited(container, code)`` is (this saves a closure per pod).
    """

    __slots__ = ("host", "entry", "on_exit", "exit_code")
    ctx = None  # no Context: nothing inside it can ask to exit

    def __init__(self, host: Container, entry: ProcEntry,
                 on_exit: Callable[[int], None] | None = None) -> None:
        self.host, self.entry, self.on_exit = host, entry, on_exit
        self.exit_code: int | None = None
        entry.on_signal = self

    @property
    def done(self) -> bool:
        return self.exit_code is not None

    def start(self) -> None:
        """Nothing to run: /pause is blocked in pause(2) from its first instant."""

    def __call__(self, sig: str | int, from_inside: bool = False) -> None:
        self.signal(sig, from_inside)

    def signal(self, sig: str | int, from_inside: bool = False) -> None:
        """Deliver a signal as `Process.signal` does to the pause program."""
        if self.done:
            return
        name = signal_name(sig)
        if name in ("TERM", "INT"):
            host = self.host
            if host.sandbox.pause_container is not host:  # the sandbox's has no log
                clock = host.runtime.clock
                LogSink(host.log, "stderr", lambda: clock.now).write(
                    "Shutting down, got signal: "
                    f"{'Terminated' if name == 'TERM' else 'Interrupt'}\n")
            self.terminate(0)
            return
        code = default_action(name, self.entry.pid, from_inside)
        if code is not None:
            self.terminate(code)

    def terminate(self, code: int) -> None:
        if self.done:
            return
        self.exit_code = code
        self.host.pidns.release_entry(self.entry)
        if self.on_exit is not None:
            self.on_exit(code)
        else:
            self.host.runtime.main_process_exited(self.host, code)


# -- containers and sandboxes -------------------------------------------------------------------
MountArgs = tuple[str, int, bool, str, str, "Node | None"]
"""A volume mount: path, the volume's position in the sandbox's volumes, read only, source,
fstype, and the node mounted when it is not the volume's root (a subPath)."""


class Container:
    """One container (one attempt: a restart is a new Container with the same name).

    Its filesystem is put together on first use (an exec, a program reading a file,
    /proc/<pid>/root), from its image, the pod's /etc files and ``volume_mounts``: a container
    nobody looks into costs no tree. ``volume_mounts`` None means the image alone (the pause
    container). ``env`` is built on each read from the image, the hostname and ``base_env``
    (the kubelet's part, shared between containers where equal).
    """

    __slots__ = ("id", "name", "sandbox", "spec", "image", "base_env", "volume_mounts", "pidns",
                 "mnt_ns", "argv", "workdir", "user", "runtime", "attempt", "state",
                 "created_at", "started_at", "finished_at", "exit_code", "reason", "message",
                 "process", "exit_callback", "_fs", "_log", "_jobs")

    def __init__(self, id: str, name: str, sandbox: Sandbox, spec: dict, image: Image,
                 base_env: dict[str, str] | None, volume_mounts: tuple[MountArgs, ...] | None,
                 pidns: PidNamespace, mnt_ns: int, argv: tuple[str, ...], workdir: str, user: str,
                 runtime: Any, attempt: int = 0, state: str = "CREATED",
                 created_at: float = 0.0, started_at: float | None = None) -> None:
        self.id, self.name, self.sandbox, self.spec, self.image = id, name, sandbox, spec, image
        self.base_env, self.volume_mounts, self.pidns, self.mnt_ns = (base_env, volume_mounts,
                                                                      pidns, mnt_ns)
        self.argv, self.workdir, self.user = argv, workdir, user
        self.runtime = runtime  # the ContainerRuntime: network, clock, rng
        self.attempt, self.state = attempt, state  # state: CREATED | RUNNING | EXITED
        self.created_at, self.started_at = created_at, started_at
        self.finished_at: float | None = None
        self.exit_code: int | None = None
        self.reason = self.message = ""
        self.process: Process | Sleeper | None = None
        self.exit_callback: Callable[[int, str], None] | None = None
        self._fs: MountedFS | None = None
        self._log: list[LogLine] | None = None
        self._jobs: list[Process] | None = None

    def __repr__(self) -> str:
        return f"Container({self.name!r}, id={self.id[:13]!r}, state={self.state!r})"

    @property
    def fs(self) -> MountedFS:
        """The container's view of files (its image's tree, copy-on-write, and its mounts)."""
        if self._fs is None:
            self._fs = self._build_fs()
        return self._fs

    @property
    def fs_built(self) -> bool:
        return self._fs is not None

    def _build_fs(self) -> MountedFS:
        if self.volume_mounts is None:
            return MountedFS(self.image.rootfs(), shared=True)
        clock = self.runtime.clock
        fs = MountedFS(self.image.rootfs(), clock_now=lambda: clock.now, shared=True)
        sb = self.sandbox
        fs.mount(Mount("/etc/hosts", sb.hosts_file, source="/dev/vda1"))
        fs.mount(Mount("/etc/hostname", sb.hostname_file, source="/dev/vda1"))
        fs.mount(Mount("/etc/resolv.conf", sb.resolv_file, source="/dev/vda1"))
        volumes = list(sb.volumes.items())
        for path, index, read_only, source, fstype, node in self.volume_mounts:
            name, vol = volumes[index]
            fs.mount(Mount(path, vol.root if node is None else node, read_only, source, fstype,
                           name))
        fs.proc = proc_files(self)
        return fs

    @property
    def env(self) -> dict[str, str]:
        """The process environment: PATH and HOSTNAME, the image's ENV, the pod's, HOME."""
        if self.base_env is None:
            return {}
        image_env = self.image.env
        full_env = {"PATH": image_env["PATH"], "HOSTNAME": self.sandbox.hostname}
        full_env.update({k: v for k, v in image_env.items() if k != "PATH"})
        full_env.update(self.base_env)
        full_env.setdefault("HOME", "/root")
        return full_env

    @property
    def log(self) -> list[LogLine]:
        """What the container wrote, line by line (the list is made on the first line)."""
        if self._log is None:
            self._log = []
        return self._log

    @property
    def jobs(self) -> list[Process]:
        """Background processes (``cmd &``)."""
        if self._jobs is None:
            self._jobs = []
        return self._jobs

    # what a Context needs from its host
    @property
    def network(self) -> PodNetwork:
        return self.runtime.network

    @property
    def clock(self) -> Any:
        return self.runtime.clock

    @property
    def rng(self) -> random.Random:
        return self.runtime.rng

    @property
    def namespaces(self) -> dict[str, str]:
        """Namespace links as /proc/<pid>/ns shows them; shared ones equal the pause's."""
        sb = self.sandbox
        return {"net": f"net:[{sb.netns.inode}]", "uts": f"uts:[{sb.uts_ns}]",
                "ipc": f"ipc:[{sb.ipc_ns}]", "pid": f"pid:[{self.pidns.inode}]",
                "mnt": f"mnt:[{self.mnt_ns}]"}

    @property
    def mounts(self) -> list[Mount]:
        return self.fs.mounts

    def background(self, ctx: Context, gen: Generator[Wait, None, int]) -> None:
        """``cmd &``: a process of this container that runs on its own timers."""
        proc = Process(self.clock, ctx, gen, lambda code: None)
        self.jobs.append(proc)
        proc.start()

    def request_exit(self, ctx: Context, code: int) -> None:
        """A program asked to exit from inside a request handler (agnhost /exit)."""
        proc = next((p for p in [self.process, *(self._jobs or ())] if p and p.ctx is ctx),
                    None)
        if proc is not None:
            self.runtime.clock.call_at(self.runtime.clock.now, lambda: proc.terminate(code))


class Sandbox:
    """A pod sandbox: the pause container and the namespaces it holds for the pod.

    The pod's /etc/hosts, /etc/hostname and /etc/resolv.conf are written when first needed
    (a container's filesystem is put together), from the fields kept here.
    """

    __slots__ = ("id", "pod_uid", "name", "namespace", "hostname", "ip",
                 "share_process_namespace", "volumes", "netns", "uts_ns", "ipc_ns", "pidns",
                 "fqdn", "host_aliases", "resolv_conf", "created_at", "state", "host_network",
                 "pause", "pause_container", "attempts", "_hosts_file", "_hostname_file",
                 "_resolv_file")

    def __init__(self, id: str, pod_uid: str, name: str, namespace: str, hostname: str, ip: str,
                 share_process_namespace: bool, volumes: dict[str, Volume],
                 netns: NetNamespace, uts_ns: int, ipc_ns: int, pidns: PidNamespace,
                 fqdn: str | None, host_aliases: list[tuple[str, list[str]]] | None,
                 resolv_conf: str, created_at: float, host_network: bool = False) -> None:
        self.id, self.pod_uid, self.name, self.namespace = id, pod_uid, name, namespace
        self.hostname, self.ip, self.share_process_namespace = (hostname, ip,
                                                                share_process_namespace)
        self.volumes, self.netns, self.uts_ns, self.ipc_ns, self.pidns = (volumes, netns, uts_ns,
                                                                          ipc_ns, pidns)
        self.fqdn, self.host_aliases, self.resolv_conf = fqdn, host_aliases or None, resolv_conf
        self.created_at, self.host_network = created_at, host_network
        self.state = "READY"  # READY | STOPPING | NOTREADY
        self.pause: Process | Sleeper | None = None
        self.pause_container: Container | None = None
        self.attempts: tuple[Container, ...] = ()
        """The containers the runtime keeps for the pod: the last two attempts of each name,
        oldest first, the names in the order `containers` lists them."""
        self._hosts_file: File | None = None
        self._hostname_file: File | None = None
        self._resolv_file: File | None = None

    def __repr__(self) -> str:
        return f"Sandbox({self.namespace}/{self.name}, id={self.id[:13]!r}, state={self.state!r})"

    def _hosts_text(self) -> str:
        return hosts_file(self.ip, self.hostname, self.fqdn, self.host_aliases or [])

    @property
    def hosts_file(self) -> File:
        """/etc/hosts, shared by the pod's containers (which may edit it)."""
        if self._hosts_file is None:
            self._hosts_file = File(self._hosts_text())
        return self._hosts_file

    @property
    def hostname_file(self) -> File:
        if self._hostname_file is None:
            self._hostname_file = File(self.hostname + "\n")
        return self._hostname_file

    @property
    def resolv_file(self) -> File:
        if self._resolv_file is None:
            self._resolv_file = File(self.resolv_conf)
        return self._resolv_file

    def etc_hosts(self, name: str) -> str | None:
        """Look ``name`` up in the pod's /etc/hosts (which containers may edit)."""
        text = self._hosts_file.data if self._hosts_file is not None else self._hosts_text()
        for line in text.splitlines():
            fields = line.split("#", 1)[0].split()
            if len(fields) > 1 and name in fields[1:] and "." in fields[0]:
                return fields[0]
        return None

    @property
    def containers(self) -> dict[str, Container]:
        """The current container of each name (until it is removed)."""
        latest = {c.name: c for c in self.attempts}  # each name where it first comes
        return {name: c for name, c in latest.items() if c.runtime.is_current(c)}

    @property
    def history(self) -> dict[str, list[Container]]:
        """Name -> its last two attempts, oldest first (``kubectl logs --previous``)."""
        out: dict[str, list[Container]] = {}
        for c in self.attempts:
            out.setdefault(c.name, []).append(c)
        return out

    def add_attempt(self, c: Container) -> None:
        """A new container: it replaces the current one of its name in place, or comes last
        when there is none (any more); only the previous attempt is kept besides it."""
        mine = [a for a in self.attempts if a.name == c.name]
        others = [a for a in self.attempts if a.name != c.name]
        kept = (*mine[-1:], c)
        if mine and mine[-1].runtime.is_current(mine[-1]):
            at = self.attempts.index(mine[0])
            others[at:at] = kept
            self.attempts = tuple(others)
        else:
            self.attempts = (*others, *kept)

    def container_named(self, name: str) -> Container | None:
        """The current container ``name``, or the pause container for "pause"."""
        return self.pause_container if name == "pause" else self.containers.get(name)

    def namespace_table(self) -> list[dict[str, str]]:
        """One row per container (pause first): which namespace each is in."""
        rows = []
        for c in [self.pause_container, *self.containers.values()]:
            if c is not None:
                rows.append({"container": c.name, **c.namespaces})
        return rows


def proc_files(c: Container) -> Callable[[list[str]], Any]:
    """/proc as container ``c`` sees it: a directory per process of its PID namespace, with
    ``cmdline``, ``comm``, ``status`` and ``root`` (that process's filesystem, the way to reach
    another container's files when the PID namespace is shared)."""

    def lookup(parts: list[str]) -> Any:
        procs = c.pidns.procs
        if not parts:
            return Dir({str(pid): Dir(mode=0o555) for pid in sorted(procs)}, mode=0o555)
        entry = procs.get(int(parts[0])) if parts[0].isdigit() else None
        owner = c.sandbox.container_named(entry.container) if entry else None
        if entry is None or owner is None:
            return None
        argv = entry.command.split()
        comm = posixpath.basename(argv[0] if argv else "").rstrip(":")[:15]
        files = {"cmdline": File("\0".join(argv) + "\0", 0o444),
                 "comm": File(comm + "\n", 0o444),
                 "status": File(f"Name:\t{comm}\nState:\tS (sleeping)\nPid:\t{entry.pid}\n"
                                f"PPid:\t{0 if entry.pid == 1 else 1}\n"
                                f"Uid:\t{entry.user}\t{entry.user}\t{entry.user}\t{entry.user}\n",
                                0o444)}
        if len(parts) == 1:
            return Dir({**files, "root": Dir()}, mode=0o555)
        if parts[1] == "root":
            return owner.fs, "/" + "/".join(parts[2:])
        return files.get(parts[1]) if len(parts) == 2 else None

    return lookup


@dataclass
class NodeEndpoint:
    """The node itself on the pod network (what hostNetwork pods listen on)."""

    ip: str
    namespace: str
    netns: NetNamespace
    id: str = "node"

    def etc_hosts(self, name: str) -> str | None:
        return None


def hosts_file(ip: str, hostname: str, fqdn: str | None,
               aliases: list[tuple[str, list[str]]]) -> str:
    """/etc/hosts as the kubelet writes it."""
    text = ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
            "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")
    text += f"{ip}\t{fqdn}\t{hostname}\n" if fqdn else f"{ip}\t{hostname}\n"
    if aliases:
        text += "\n# Entries added by HostAliases.\n"
        text += "".join(f"{a}\t{chr(9).join(names)}\n" for a, names in aliases)
    return text
