"""A small busybox-like ``sh``: expansion, redirection, pipes, loops, builtins.

Commands that are not builtins run as child processes (each gets the next PID of the
container's PID namespace) from the executables the image ships in its $PATH, so an image
without ``ps`` answers ``sh: ps: not found`` like the real one. Applets live in
`shell_applets` and `net_applets`.

Three dialects differ only in their messages: ``ash`` (busybox, Alpine), ``dash`` (Debian's
/bin/sh) and ``bash``.
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Generator

from k8snb.node.fs import ENOENT, FSError
from k8snb.node.process import (
    PROGRAMS,
    BufferSink,
    Context,
    FileSink,
    NullSink,
    Sink,
    Wait,
    call,
    program,
    run_file,
)
from k8snb.node.shell_builtins import BUILTINS, builtin
from k8snb.node.shell_expand import Expander, LoopControl, ShellExit
from k8snb.node.shell_parse import (
    AndOr,
    For,
    Group,
    If,
    Pipeline,
    Redir,
    Redirected,
    Seq,
    ShellSyntaxError,
    Simple,
    While,
    parse,
)

Gen = Generator[Wait, None, int]
ENDLESS = (["true"], [":"], ["/bin/true"], ["[", "1", "]"])


class Shell(Expander):
    """One shell process: its variables, positional parameters and last exit status."""

    FORKLESS = ("echo", "printf", "test", "[", "true", "false", ":", "pwd", "kill")

    def __init__(self, ctx: Context, name: str = "sh", dialect: str = "ash",
                 args: list[str] | None = None) -> None:
        self.ctx = ctx
        self.name = name
        self.dialect = dialect
        self.vars: dict[str, str] = dict(ctx.env)
        self.exported: set[str] = set(ctx.env)
        self.args = list(args or [])
        self.status = 0
        self.subst_status = 0  # exit status of the last $(...) of the current command
        self.errexit = False
        self.line = 1
        self.jobs: list[Context] = []  # background processes started with &
        self.arg0 = name

    # -- messages ---------------------------------------------------------------------------
    def prefix(self) -> str:
        if self.dialect == "dash":
            return f"{self.name}: {self.line}: "
        if self.dialect == "bash":
            return f"{self.name}: line {self.line}: "
        return f"{self.name}: "

    def error(self, msg: str) -> None:
        self.ctx.err(self.prefix() + msg + "\n")

    def not_found(self, cmd: str) -> None:
        self.error(f"{cmd}: command not found" if self.dialect == "bash" else f"{cmd}: not found")

    # -- entry points -----------------------------------------------------------------------
    def run(self, src: str) -> Gen:
        """Parse and run a script; returns its exit status."""
        try:
            tree = parse(src)
        except ShellSyntaxError as e:
            if self.dialect == "dash":
                self.ctx.err(f"{self.name}: {self.line}: Syntax error: {e}\n")
            else:
                self.ctx.err(f"{self.name}: syntax error: {e}\n")
            return 2
        try:
            return (yield from self.exec_node(tree))
        except ShellExit as e:
            return e.code
        except LoopControl:
            return self.status

    def set_var(self, name: str, value: str) -> None:
        self.vars[name] = value
        if name in self.exported:
            self.ctx.env[name] = value

    # -- execution --------------------------------------------------------------------------
    def exec_node(self, node: object, cond: bool = False) -> Gen:
        if isinstance(node, Seq):
            status = 0
            for item, background in node.items:
                if background:
                    status = self.spawn_background(item)
                else:
                    status = yield from self.exec_node(item, cond)
                self.status = status
                if status and self.errexit and not cond:
                    raise ShellExit(status)
            return status
        if isinstance(node, Simple):
            self.status = yield from self.exec_simple(node)
        elif isinstance(node, Pipeline):
            self.status = yield from self.exec_pipeline(node)
        elif isinstance(node, AndOr):
            status = 0
            for i, (op, part) in enumerate(node.parts):
                if op == "&&" and status != 0 or op == "||" and status == 0:
                    continue
                last = i == len(node.parts) - 1
                status = yield from self.exec_node(part, cond or not last)
            self.status = status
        elif isinstance(node, If):
            self.status = 0
            for test, body in node.branches:
                if (yield from self.exec_node(test, True)) == 0:
                    self.status = yield from self.exec_node(body, cond)
                    break
            else:
                if node.orelse is not None:
                    self.status = yield from self.exec_node(node.orelse, cond)
        elif isinstance(node, While):
            self.status = yield from self.exec_while(node)
        elif isinstance(node, For):
            self.status = yield from self.exec_for(node)
        elif isinstance(node, Group):
            if node.subshell:
                sub = self.fork()
                self.status = yield from sub.run_tree(node.body)
                sub.ctx.exit()
            else:
                self.status = yield from self.exec_node(node.body, cond)
        elif isinstance(node, Redirected):
            self.status = yield from self.with_redirs(node.redirs, self.exec_node(node.node, cond))
        return self.status

    def run_tree(self, tree: Seq) -> Gen:
        try:
            return (yield from self.exec_node(tree))
        except ShellExit as e:
            return e.code

    def exec_while(self, node: While) -> Gen:
        cond_words = node.cond.items[0][0].words if (
            len(node.cond.items) == 1 and isinstance(node.cond.items[0][0], Simple)) else None
        endless = (cond_words in ENDLESS and not node.until) or (
            cond_words == ["false"] and node.until)
        self.ctx.looping += endless
        status = 0
        try:
            while ((yield from self.exec_node(node.cond, True)) == 0) != node.until:
                status, stop = yield from self.loop_body(node.body)
                if stop:
                    break
        finally:
            self.ctx.looping -= endless
        return status

    def exec_for(self, node: For) -> Gen:
        values: list[str] = []
        if node.words is None:
            values = list(self.args)
        else:
            for w in node.words:
                values += yield from self.expand(w)
        status = 0
        for v in values:
            self.set_var(node.var, v)
            status, stop = yield from self.loop_body(node.body)
            if stop:
                break
        return status

    def loop_body(self, body: Seq) -> Generator[Wait, None, tuple[int, bool]]:
        """One pass of a loop body: (status, True if ``break`` ended the loop)."""
        try:
            return (yield from self.exec_node(body)), False
        except LoopControl as lc:
            if lc.levels > 1:  # break 2 / continue 2: the enclosing loop handles it
                lc.levels -= 1
                raise
            return self.status, lc.kind == "break"

    def exec_pipeline(self, node: Pipeline) -> Gen:
        data: str | None = self.ctx.stdin
        status = 0
        for i, cmd in enumerate(node.cmds):
            last = i == len(node.cmds) - 1
            buf = BufferSink()
            sub = self.fork(stdin=data, stdout=None if last else buf) if len(node.cmds) > 1 else self
            status = yield from sub.run_tree(Seq([(cmd, False)]))
            if sub is not self:
                sub.ctx.exit()
            data = buf.text
        return int(not status) if node.negate else status

    def spawn_background(self, node: object) -> int:
        """``cmd &``: a separate process the runtime drives on its own timers."""
        sub = self.fork()
        self.jobs.append(sub.ctx)
        self.ctx.host.background(sub.ctx, sub.run_tree(Seq([(node, False)])))
        return 0

    def fork(self, stdin: str | None = None, stdout: Sink | None = None) -> Shell:
        """A subshell: a copy of this shell in a new process."""
        sub = copy.copy(self)
        sub.ctx = self.ctx.child([self.ctx.entry.command], stdin=stdin, stdout=stdout)
        sub.vars, sub.exported, sub.jobs = dict(self.vars), set(self.exported), []
        return sub

    # -- simple commands --------------------------------------------------------------------
    def exec_simple(self, node: Simple) -> Gen:
        self.line = node.line
        self.subst_status = 0
        argv: list[str] = []
        for w in node.words:
            argv += yield from self.expand(w)
        values = []
        for name, raw in node.assigns:
            values.append((name, (yield from self.expand_one(raw))))
        if not argv:  # assignments only: the status is that of the last $(...)
            for name, value in values:
                self.set_var(name, value)
            return (yield from self.with_redirs(node.redirs, _returns(self.subst_status)))
        if argv == ["exec"]:  # `exec >file`: the redirections stay for the rest of the shell
            for r in node.redirs:
                if not self.redirect(r, (yield from self.expand_one(r.target))):
                    return 1
            return 0
        env = dict(self.ctx.env)
        env.update(values)
        return (yield from self.with_redirs(node.redirs, self.command(argv, env)))

    def command(self, argv: list[str], env: dict[str, str]) -> Gen:
        name = argv[0]
        if name in BUILTINS:
            return (yield from builtin(self, argv))
        if name in self.FORKLESS:
            ctx = copy.copy(self.ctx)
            ctx.env = env
            return (yield from call(ctx, PROGRAMS[name], argv))
        path = self.ctx.which(name, env.get("PATH"))
        if path is None:
            if "/" in name:
                self.error(f"{name}: not found" if self.dialect != "bash"
                           else f"{name}: No such file or directory")
            else:
                self.not_found(name)
            return 127
        child = self.ctx.child(argv, env=env)
        try:
            return (yield from run_file(child, path, argv))
        finally:
            child.exit()

    def with_redirs(self, redirs: list[Redir], body: Gen) -> Gen:
        """Run ``body`` with this shell's streams redirected (restored afterwards).

        Only redirected streams are restored: ``read`` consumes stdin for the next command.
        """
        if not redirs:
            return (yield from body)
        saved = self.ctx.stdin, self.ctx.stdout, self.ctx.stderr
        try:
            for r in redirs:
                target = yield from self.expand_one(r.target)
                if not self.redirect(r, target):
                    body.close()
                    return 1
            return (yield from body)
        finally:
            self.ctx.stdin, self.ctx.stdout, self.ctx.stderr = saved

    def redirect(self, r: Redir, target: str) -> bool:
        ctx = self.ctx
        if r.op in (">&", "<&"):
            dup = {"1": ctx.stdout, "2": ctx.stderr, "-": NullSink()}.get(target)
            if dup is None:
                self.error(f"{target}: bad file descriptor" if self.dialect != "bash"
                           else f"{target}: ambiguous redirect")
                return False
            if r.fd == 2:
                ctx.stderr = dup
            elif r.fd == 1:
                ctx.stdout = dup
            return True
        path = ctx.abspath(target)
        if r.op == "<":
            try:
                ctx.stdin = "" if path == "/dev/null" else ctx.fs.read(path)
            except FSError as e:
                self.error(f"can't open '{target}': {e.strerror}" if self.dialect == "ash"
                           else f"cannot open {target}: {'No such file' if e.strerror == ENOENT else e.strerror}")
                return False
            return True
        sink: Sink
        if path == "/dev/null":
            sink = NullSink()
        elif path in ("/dev/stdout", "/dev/stderr"):
            sink = ctx.stdout if path == "/dev/stdout" else ctx.stderr
        else:
            try:
                ctx.fs.write(path, "", append=r.op == ">>")
            except FSError as e:
                why = e.strerror
                if self.dialect == "ash":
                    self.error(f"can't create {target}: "
                               + ("nonexistent directory" if why == ENOENT else why))
                elif self.dialect == "dash":
                    self.error(f"cannot create {target}: "
                               + ("Directory nonexistent" if why == ENOENT else why))
                else:
                    self.error(f"{target}: {why}")
                return False
            sink = FileSink(ctx.fs, path)
        if r.fd == 2:
            ctx.stderr = sink
        else:
            ctx.stdout = sink
        return True

def _returns(value: int) -> Gen:
    """A generator that sleeps never and returns ``value``."""
    return value
    yield  # pragma: no cover


# -- the sh / bash programs ---------------------------------------------------------------------
def shell_main(ctx: Context, argv: list[str], dialect: str) -> Gen:
    """``sh -c 'script' [name args...]``, ``sh script.sh args...``, or a script on stdin."""
    name = posixpath.basename(argv[0]) if dialect != "ash" else "sh"
    args = argv[1:]
    errexit = False
    while args and args[0].startswith("-") and args[0] not in ("-c", "-", "--"):
        errexit = errexit or "e" in args[0]
        args = args[1:]
    if args and args[0] == "-c":
        if len(args) < 2:
            ctx.err(f"{name}: -c requires an argument\n")
            return 2
        script, rest = args[1], args[2:]
        shell = Shell(ctx, name, dialect, rest[1:])
        shell.arg0 = rest[0] if rest else name
    elif args and args[0] not in ("-", "--"):
        try:
            script = ctx.fs.read(ctx.abspath(args[0]))
        except FSError as e:
            ctx.err(f"{name}: can't open '{args[0]}': {e.strerror}\n" if dialect == "ash"
                    else f"{name}: 0: cannot open {args[0]}: No such file\n" if dialect == "dash"
                    else f"{name}: {args[0]}: {e.strerror}\n")
            return 127 if dialect != "dash" else 2
        shell = Shell(ctx, name, dialect, args[1:])
    else:
        script = ctx.stdin or ""  # no terminal: a shell with nothing on stdin exits at once
        ctx.stdin = ""
        shell = Shell(ctx, name, dialect)
    shell.errexit = errexit
    return (yield from shell.run(script))


@program("sh", "ash")
def sh(ctx: Context, argv: list[str]) -> Gen:
    return shell_main(ctx, argv, "ash")


@program("dash")
def dash(ctx: Context, argv: list[str]) -> Gen:
    return shell_main(ctx, argv, "dash")


@program("bash")
def bash(ctx: Context, argv: list[str]) -> Gen:
    return shell_main(ctx, argv, "bash")
