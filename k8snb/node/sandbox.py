"""What a pod is made of on a node: the sandbox (pause container and the namespaces it holds),
its containers, and the processes running in them on clock timers.
"""

from __future__ import annotations

import math
import posixpath
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from k8snb.network.podnet import NetNamespace, PodNetwork
from k8snb.node.fs import Dir, File, Mount, MountedFS, Volume
from k8snb.node.images import Image
from k8snb.node.process import (
    Context,
    LogLine,
    PidNamespace,
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
class Process:
    """A program the runtime runs on clock timers: each Wait it yields becomes a timer."""

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
            if code is not None:
                self.terminate(code)
        elif self.ctx.pid == 1 and (from_inside or name != "KILL"):
            return  # init ignores signals it has no handler for (even KILL from inside)
        elif name in ("CHLD", "WINCH", "URG", "CONT"):
            return  # ignored by default
        else:
            self.terminate(128 + signal_number(name))

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


# -- containers and sandboxes -------------------------------------------------------------------
@dataclass
class Container:
    """One container (one attempt: a restart is a new Container with the same name)."""

    id: str
    name: str
    sandbox: Sandbox
    spec: dict
    image: Image
    env: dict[str, str]
    fs: MountedFS
    pidns: PidNamespace
    mnt_ns: int
    argv: list[str]
    workdir: str
    user: str
    runtime: Any  # the ContainerRuntime: network, clock, rng
    attempt: int = 0
    state: str = "CREATED"  # CREATED | RUNNING | EXITED
    created_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int | None = None
    reason: str = ""
    message: str = ""
    log: list[LogLine] = field(default_factory=list)
    process: Process | None = None
    jobs: list[Process] = field(default_factory=list)  # background processes (cmd &)

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
        proc = next((p for p in [self.process, *self.jobs] if p and p.ctx is ctx), None)
        if proc is not None:
            self.runtime.clock.call_at(self.runtime.clock.now, lambda: proc.terminate(code))


@dataclass
class Sandbox:
    """A pod sandbox: the pause container and the namespaces it holds for the pod."""

    id: str
    pod_uid: str
    name: str
    namespace: str
    hostname: str
    ip: str
    share_process_namespace: bool
    volumes: dict[str, Volume]
    netns: NetNamespace
    uts_ns: int
    ipc_ns: int
    pidns: PidNamespace
    hosts_file: File
    hostname_file: File
    resolv_file: File
    created_at: float
    state: str = "READY"  # READY | STOPPING | NOTREADY
    host_network: bool = False
    pause: Process | None = None
    pause_container: Container | None = None
    containers: dict[str, Container] = field(default_factory=dict)
    history: dict[str, list[Container]] = field(default_factory=dict)

    def etc_hosts(self, name: str) -> str | None:
        """Look ``name`` up in the pod's /etc/hosts (which containers may edit)."""
        for line in self.hosts_file.data.splitlines():
            fields = line.split("#", 1)[0].split()
            if len(fields) > 1 and name in fields[1:] and "." in fields[0]:
                return fields[0]
        return None

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
