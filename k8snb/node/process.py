"""Simulated processes: programs as generators, PID namespaces, output streams.

A program is a function ``(ctx, argv) -> int`` or a generator that yields `Wait` objects (how
long it sleeps) and returns its exit code. The runtime turns each Wait into a clock timer; an
exec runs the same generator straight through, so its sleeps take no simulated time.

    @program("true")
    def true_(ctx, argv):
        return 0
"""

from __future__ import annotations

import inspect
import math
import posixpath
import signal as _signal
import sys
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, NamedTuple

from k8snb.network.podnet import Listener
from k8snb.node.fs import File, FSError, MountedFS


@dataclass(frozen=True)
class Wait:
    """Yielded by a program: sleep ``seconds`` (inf = until a signal arrives).

    ``background`` marks the sleeps of an endless loop, whose timers are recurring.
    """

    seconds: float
    background: bool = False


FOREVER = Wait(math.inf, True)

ProgramResult = int | None | Generator[Wait, None, int | None]
Program = Callable[["Context", list[str]], ProgramResult]
PROGRAMS: dict[str, Program] = {}


def program(*names: str) -> Callable[[Program], Program]:
    """Register a simulated binary under one or more names (image files point to these)."""

    def deco(fn: Program) -> Program:
        for n in names:
            PROGRAMS[n] = fn
        return fn

    return deco


def signal_number(sig: str | int) -> int:
    """"TERM", "SIGTERM", "15" or 15 -> 15."""
    if isinstance(sig, int) or str(sig).isdigit():
        return int(sig)
    name = str(sig).upper()
    return int(getattr(_signal, name if name.startswith("SIG") else "SIG" + name))


def signal_name(sig: str | int) -> str:
    """15 or "SIGTERM" -> "TERM"."""
    return _signal.Signals(signal_number(sig)).name[3:]


# -- output streams -----------------------------------------------------------------------------
class Sink:
    """Where a process writes: a log, a buffer, a file, or nowhere."""

    def write(self, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def flush(self) -> None:
        pass


class NullSink(Sink):
    def write(self, text: str) -> None:
        pass


class BufferSink(Sink):
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class LogLine(NamedTuple):
    """One line a container wrote, as the kubelet's log file keeps it."""

    time: float
    stream: str  # "stdout" | "stderr"
    text: str


class LogSink(Sink):
    """Line-buffered writes into a container log, stamped with the simulated time."""

    MAX_LINES = 10_000  # older lines are dropped, like log rotation

    def __init__(self, log: list[LogLine], stream: str, now: Callable[[], float]) -> None:
        self.log, self.stream, self.now = log, stream, now
        self._partial = ""

    def write(self, text: str) -> None:
        *lines, self._partial = (self._partial + text).split("\n")
        now = self.now()
        for line in lines:  # interned: every nginx pod logs the same startup lines
            self.log.append(LogLine(now, self.stream, sys.intern(line)))
        if len(self.log) > self.MAX_LINES:
            del self.log[: len(self.log) - self.MAX_LINES]

    def flush(self) -> None:
        if self._partial:
            self.write("\n")


class FileSink(Sink):
    """``> file`` / ``>> file``: each write lands in the file at once."""

    def __init__(self, fs: MountedFS, path: str) -> None:
        self.fs, self.path = fs, path

    def write(self, text: str) -> None:
        if self.path != "/dev/null":
            self.fs.write(self.path, text, append=True)


# -- PID namespaces -----------------------------------------------------------------------------
@dataclass(slots=True)
class ProcEntry:
    """A process table row. ``on_signal(sig, from_inside)`` delivers a signal, if it can."""

    pid: int
    command: str
    container: str
    user: str = "0"  # numeric uid; ps and id look the name up in /etc/passwd
    started: float = 0.0
    on_signal: Callable[[str, bool], None] | None = None


class PidNamespace:
    """PIDs count up from 1 in each namespace; the first process is its init.

    Most namespaces only ever hold their init, so the table is a dict from the second
    process on (or the first time someone reads ``procs``)."""

    __slots__ = ("inode", "_procs", "_first", "_next")

    def __init__(self, inode: int) -> None:
        self.inode = inode
        self._procs: dict[int, ProcEntry] | None = None
        self._first: ProcEntry | None = None
        self._next = 1

    @property
    def procs(self) -> dict[int, ProcEntry]:
        """PID -> process table row."""
        if self._procs is None:
            self._procs = {} if self._first is None else {self._first.pid: self._first}
            self._first = None
        return self._procs

    def spawn(self, command: str, container: str, user: str = "0", now: float = 0.0,
              on_signal: Callable[[str, bool], None] | None = None) -> ProcEntry:
        entry = ProcEntry(self._next, command, container, user, now, on_signal)
        if self._procs is None and self._first is None:
            self._first = entry
        else:
            self.procs[entry.pid] = entry
        self._next += 1
        return entry

    def skip(self, n: int) -> None:
        """Let ``n`` short-lived processes come and go (PIDs are never reused soon)."""
        self._next += n

    def release(self, pid: int) -> None:
        if self._procs is None:
            if self._first is not None and self._first.pid == pid:
                self._first = None
            return
        self._procs.pop(pid, None)

    def release_entry(self, entry: ProcEntry) -> None:
        """Free ``entry``'s PID, unless the PID already belongs to another process."""
        if self._procs is None:
            if self._first is entry:
                self._first = None
        elif self._procs.get(entry.pid) is entry:
            del self._procs[entry.pid]

    def release_container(self, container: str) -> None:
        for pid in [p for p, e in self.procs.items() if e.container == container]:
            del self.procs[pid]

    def rows(self) -> list[ProcEntry]:
        if self._procs is None:
            return [] if self._first is None else [self._first]
        return [self._procs[p] for p in sorted(self._procs)]


# -- the context a program runs in --------------------------------------------------------------
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def which(name: str, path_var: str, cwd: str, lookup: Callable[[str], Any]) -> str | None:
    """execvp's search: ``name`` as a path if it has a slash, else in each $PATH directory
    (relative ones from ``cwd``); the first executable regular file ``lookup`` finds."""
    def absolute(path: str) -> str:
        return posixpath.normpath(posixpath.join(cwd, path)) if path else cwd

    paths = [absolute(name)] if "/" in name else [
        posixpath.join(d or ".", name) for d in path_var.split(":")]
    for path in paths:
        full = absolute(path)
        try:
            node = lookup(full)
        except FSError:
            continue
        if isinstance(node, File) and node.executable:
            return full
    return None


class Context:
    """What a running program sees: its container's files, environment, streams and PID.

    ``host`` is the runtime's container record: ``.fs``, ``.name``, ``.pidns``, ``.image``,
    ``.sandbox`` (``hostname``, ``ip``, ``namespace``, ``netns``), ``.network``, ``.clock``,
    ``.rng``.
    """

    def __init__(self, host: Any, entry: ProcEntry, env: dict[str, str], cwd: str = "/",
                 stdin: str | None = None, stdout: Sink | None = None,
                 stderr: Sink | None = None, looping: int = 0) -> None:
        self.host = host
        self.entry = entry
        self.env = env
        self.cwd = cwd
        self.stdin = stdin
        self.stdout = stdout or NullSink()
        self.stderr = stderr or NullSink()
        self.looping = looping  # >0 inside an endless loop: sleeps are background work
        # signal name -> handler; the handler returns an exit code, or None to keep running
        self.signal_handlers: dict[str, Callable[[str], int | None]] = {}
        self.ports: list[int] = []

    # conveniences
    @property
    def pid(self) -> int:
        return self.entry.pid

    @property
    def fs(self) -> MountedFS:
        return self.host.fs

    @property
    def sandbox(self) -> Any:
        return self.host.sandbox

    @property
    def image(self) -> Any:
        return self.host.image

    @property
    def network(self) -> Any:
        return self.host.network

    @property
    def now(self) -> float:
        return self.host.clock.now

    @property
    def gnu(self) -> bool:
        """True for GNU coreutils images (Debian, Ubuntu), False for busybox ones."""
        return self.image.userland == "gnu"

    def out(self, text: str) -> None:
        self.stdout.write(text)

    def err(self, text: str) -> None:
        self.stderr.write(text)

    def abspath(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.cwd, path)) if path else self.cwd

    def which(self, name: str, path_var: str | None = None) -> str | None:
        """The executable ``name`` resolves to through $PATH (or as a path), like execvp."""
        return which(name, path_var or self.env.get("PATH") or DEFAULT_PATH, self.cwd,
                     self.fs.lookup)

    def child(self, argv: list[str], *, stdin: str | None = None, stdout: Sink | None = None,
              stderr: Sink | None = None, env: dict[str, str] | None = None) -> Context:
        """A new process (fork + exec) in the same container: the next PID of the namespace.

        It inherits the streams, environment and directory unless given others.
        """
        entry = self.host.pidns.spawn(" ".join(argv), self.host.name, self.entry.user, self.now)
        return Context(self.host, entry, dict(self.env if env is None else env), self.cwd,
                       self.stdin if stdin is None else stdin, stdout or self.stdout,
                       stderr or self.stderr, self.looping)

    def listen(self, port: int, handler: Any, program: str) -> None:
        """bind() + listen() on all addresses of the pod; raises AddressInUse."""
        self.sandbox.netns.listen(Listener(port, handler, program, self.host.name, self.pid,
                                           self.sandbox.id))
        self.ports.append(port)

    def exit(self) -> None:
        """The process is gone: free its PID and its sockets."""
        for port in self.ports:
            lst = self.sandbox.netns.listeners.get(port)
            if lst is not None and lst.pid == self.pid and lst.container == self.host.name:
                self.sandbox.netns.close(port)
        self.ports.clear()
        if self.host.pidns.procs.get(self.pid) is self.entry:
            self.host.pidns.release(self.pid)


# -- running programs ---------------------------------------------------------------------------
def number(text: str, kind: type = int) -> Any:
    """Parse a command-line number; a ValueError carries busybox's wording."""
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"invalid number '{text}'") from None


def call(ctx: Context, fn: Program, argv: list[str]) -> Generator[Wait, None, int]:
    """Run a program function, whether it sleeps (a generator) or not.

    A ValueError from its argument parsing is the program's error message (exit code 1).
    """
    try:
        res = fn(ctx, argv)
        if inspect.isgenerator(res):
            res = yield from res
    except ValueError as e:
        ctx.err(f"{posixpath.basename(argv[0])}: {e}\n")
        return 1
    return int(res or 0)


def run_file(ctx: Context, path: str, argv: list[str]) -> Generator[Wait, None, int]:
    """execve(path, argv): a simulated binary, or a script with a ``#!`` line."""
    node = ctx.fs.lookup(path)
    assert isinstance(node, File)
    if node.program is not None:
        fn = PROGRAMS.get(node.program)
        if fn is None:  # pragma: no cover - catalog and registry disagree
            ctx.err(f"{argv[0]}: exec format error\n")
            return 126
        return (yield from call(ctx, fn, argv))
    first = node.data.split("\n", 1)[0]
    interp = first[2:].split() if first.startswith("#!") else ["/bin/sh"]
    target = ctx.which(interp[0])
    if target is None:
        ctx.err(f"{argv[0]}: exec {interp[0]}: No such file or directory\n")
        return 127
    return (yield from run_file(ctx, target, [*interp, path, *argv[1:]]))


def drive(gen: Generator[Wait, None, int], budget: float = 60.0) -> tuple[int, bool]:
    """Run a program straight through, ignoring its sleeps: (exit code, interrupted).

    A program that would run on (a server, ``sleep infinity``, ``while true``) is stopped at
    its first wait for ever or once its sleeps add up to ``budget`` simulated seconds, like a
    user pressing Ctrl-C; its output so far is kept.
    """
    slept, steps = 0.0, 0
    try:
        while True:
            w = next(gen)
            slept, steps = slept + w.seconds, steps + 1
            if slept > budget or steps > 10_000:
                gen.close()
                return 130, True
    except StopIteration as stop:
        return int(stop.value or 0), False


@dataclass
class ExecResult:
    """What ``kubectl exec`` shows: the streams and the exit code.

    ``error`` is set when the process could not start at all (the runtime's message, e.g.
    ``exec: "sh": executable file not found in $PATH``); ``interrupted`` when the command
    would have run for ever and was stopped.
    """

    stdout: str
    stderr: str
    exit_code: int
    error: str | None = None
    interrupted: bool = False
