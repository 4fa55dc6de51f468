"""A small busybox-like ``sh``: expansion, redirection, pipes, loops, builtins.

Commands that are not builtins run as child processes (each gets the next PID of the
container's PID namespace) from the executables the image ships in its $PATH, so an image
without ``ps`` answers ``sh: ps: not found`` like the real one. Applets live in
`shell_applets` and `net_applets`.

Three dialects differ only in their messages: ``ash`` (busybox, Alpine), ``dash`` (Debian's
/bin/sh) and ``bash``.
"""

from __future__ import annotations

import ast
import copy
import fnmatch
import glob as _glob
import operator
import posixpath
import re
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
    drive,
    program,
    run_file,
)
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
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
PARAM = re.compile(rf"^(#)?({NAME}|[0-9]+|[?$#@*!])(?:(:?[-=+?])(.*))?$", re.S)
ENDLESS = (["true"], [":"], ["/bin/true"], ["[", "1", "]"])


class ShellExit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class LoopControl(Exception):
    def __init__(self, kind: str, levels: int = 1) -> None:
        self.kind, self.levels = kind, levels


class Shell:
    """One shell process: its variables, positional parameters and last exit status."""

    BUILTINS = ("cd", "exit", "export", "unset", "set", "shift", "read", "exec", "trap",
                "wait", "eval", ".", "source", "break", "continue", "command", "type")
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
            while True:
                ok = (yield from self.exec_node(node.cond, True)) == 0
                if ok == node.until:
                    break
                try:
                    status = yield from self.exec_node(node.body)
                except LoopControl as lc:
                    if lc.levels > 1:
                        lc.levels -= 1
                        raise
                    if lc.kind == "break":
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
            try:
                status = yield from self.exec_node(node.body)
            except LoopControl as lc:
                if lc.levels > 1:
                    lc.levels -= 1
                    raise
                if lc.kind == "break":
                    break
        return status

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
        ctx = self.ctx.child([self.ctx.entry.command], stdin=stdin if stdin is not None
                             else self.ctx.stdin, stdout=stdout)
        ctx.env = dict(self.ctx.env)
        sub = copy.copy(self)
        sub.ctx, sub.vars, sub.exported = ctx, dict(self.vars), set(self.exported)
        return sub

    # -- simple commands --------------------------------------------------------------------
    def exec_simple(self, node: Simple) -> Gen:
        self.line = node.line
        argv: list[str] = []
        for w in node.words:
            argv += yield from self.expand(w)
        values = []
        for name, raw in node.assigns:
            values.append((name, (yield from self.expand_one(raw))))
        if not argv:
            for name, value in values:
                self.set_var(name, value)
            return (yield from self.with_redirs(node.redirs, _returns(0)))
        env = dict(self.ctx.env)
        env.update(values)
        return (yield from self.with_redirs(node.redirs, self.command(argv, env)))

    def command(self, argv: list[str], env: dict[str, str]) -> Gen:
        name = argv[0]
        if name in self.BUILTINS:
            return (yield from self.builtin(argv))
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

    # -- builtins ---------------------------------------------------------------------------
    def builtin(self, argv: list[str]) -> Gen:
        name, args = argv[0], argv[1:]
        ctx = self.ctx
        if name == "cd":
            target = args[0] if args else self.vars.get("HOME", "/")
            if target == "-":
                target = self.vars.get("OLDPWD", ctx.cwd)
            path = ctx.abspath(target)
            if not ctx.fs.is_dir(path):
                why = "Not a directory" if ctx.fs.exists(path) else ENOENT
                self.error(f"cd: {target}: {why}" if self.dialect == "bash"
                           else f"cd: can't cd to {target}" + (f": {why}" if self.dialect == "ash" else ""))
                return 2 if self.dialect != "bash" else 1
            self.set_var("OLDPWD", ctx.cwd)
            ctx.cwd = path
            self.set_var("PWD", path)
            return 0
        if name == "exit":
            raise ShellExit(int(args[0]) & 255 if args and args[0].lstrip("-").isdigit()
                            else self.status)
        if name == "export":
            for a in args:
                if a == "-p":
                    continue
                key, eq, value = a.partition("=")
                if eq:
                    self.vars[key] = value
                self.exported.add(key)
                ctx.env[key] = self.vars.get(key, "")
            if not args or args == ["-p"]:
                for k in sorted(ctx.env):
                    ctx.out(f"export {k}='{ctx.env[k]}'\n")
            return 0
        if name == "unset":
            for a in args:
                self.vars.pop(a, None)
                ctx.env.pop(a, None)
                self.exported.discard(a)
            return 0
        if name == "set":
            for a in args:
                if a in ("-e", "+e"):
                    self.errexit = a == "-e"
            if "--" in args:
                self.args = args[args.index("--") + 1:]
            return 0
        if name == "shift":
            n = int(args[0]) if args else 1
            if n > len(self.args):
                return 1
            self.args = self.args[n:]
            return 0
        if name == "read":
            data = ctx.stdin or ""
            if not data:
                return 1
            line, _, rest = data.partition("\n")
            ctx.stdin = rest
            names = [a for a in args if not a.startswith("-")] or ["REPLY"]
            fields = line.split(None, len(names) - 1)
            for i, n in enumerate(names):
                self.set_var(n, fields[i] if i < len(fields) else "")
            return 0
        if name == "exec":
            if not args:
                return 0
            ctx.entry.command = " ".join(args)
            path = ctx.which(args[0])
            if path is None:
                self.not_found(args[0])
                raise ShellExit(127)
            raise ShellExit((yield from run_file(ctx, path, args)))
        if name == "trap":
            return self.trap(args)
        if name == "wait":
            while any(ctx.host.pidns.procs.get(j.pid) is j.entry for j in self.jobs):
                yield Wait(1, ctx.looping > 0)
            return 0
        if name in ("eval", ".", "source"):
            if name == "eval":
                src = " ".join(args)
            else:
                try:
                    src = ctx.fs.read(ctx.abspath(args[0]))
                except (FSError, IndexError):
                    self.error(f"{name}: can't open '{args[0] if args else ''}'")
                    return 2
            return (yield from self.exec_node(parse(src)))
        if name in ("break", "continue"):
            raise LoopControl(name, int(args[0]) if args else 1)
        if name in ("command", "type"):
            names = [a for a in args if not a.startswith("-")]
            status = 0
            for n in names:
                path = None if n in self.BUILTINS + self.FORKLESS else ctx.which(n)
                known = path or n in self.BUILTINS + self.FORKLESS
                if not known:
                    status = 1
                    if name == "type":
                        ctx.out(f"{n}: not found\n")
                elif name == "command":
                    ctx.out(f"{path or n}\n")
                else:
                    ctx.out(f"{n} is {path}\n" if path else f"{n} is a shell builtin\n")
            if name == "command" and "-v" not in args and names:
                return (yield from self.command(names, dict(ctx.env)))
            return status
        return 0  # pragma: no cover

    def trap(self, args: list[str]) -> int:
        """``trap 'commands' TERM``: run the commands when the signal arrives, then go on."""
        if len(args) < 2:
            return 0
        action, signals = args[0], args[1:]
        for sig in signals:
            sig = sig.upper().removeprefix("SIG")
            if sig in ("0", "EXIT"):
                continue
            if action == "-":
                self.ctx.signal_handlers.pop(sig, None)
                continue

            def handler(_sig: str, action: str = action) -> int | None:
                try:
                    drive(self.exec_node(parse(action)))
                except ShellExit as e:
                    return e.code
                return None

            self.ctx.signal_handlers[sig] = handler
        return 0

    # -- expansion --------------------------------------------------------------------------
    def expand(self, raw: str) -> Generator[Wait, None, list[str]]:
        """Full word expansion: parameters, $(...), $((...)), field splitting, globbing."""
        pieces = yield from self.pieces(raw)
        fields: list[list[tuple[str, bool]]] = []
        cur: list[tuple[str, bool]] = []
        have = False
        for text, quoted in pieces:
            if quoted:
                cur.append((text, True))
                have = True
                continue
            for k, part in enumerate(re.split(r"[ \t\n]+", text)):
                if k > 0 and (have or cur):
                    fields.append(cur)
                    cur, have = [], False
                if part:
                    cur.append((part, False))
        if have or cur:
            fields.append(cur)
        words: list[str] = []
        for f in fields:
            word = "".join(t for t, _ in f)
            if any(not q and _glob.has_magic(t) for t, q in f):
                pattern = "".join(t if not q else _glob.escape(t) for t, q in f)
                matches = self.glob(pattern)
                words += matches or [word]
            else:
                words.append(word)
        return words

    def expand_one(self, raw: str) -> Generator[Wait, None, str]:
        """Expansion without splitting or globbing (assignments, redirection targets)."""
        pieces = yield from self.pieces(raw)
        return "".join(t for t, _ in pieces)

    def pieces(self, s: str, in_dq: bool = False) -> Generator[Wait, None, list[tuple[str, bool]]]:
        out: list[tuple[str, bool]] = []
        i = 0
        if not in_dq and (s == "~" or s.startswith("~/")):
            out.append((self.vars.get("HOME", "/"), True))
            i = 1
        while i < len(s):
            c = s[i]
            if c == "\\":
                nxt = s[i + 1:i + 2]
                if in_dq and nxt not in ('$', '`', '"', "\\", "\n"):
                    out.append(("\\", True))
                    i += 1
                else:
                    out.append((nxt, True))
                    i += 2
            elif c == "'" and not in_dq:
                j = s.index("'", i + 1)
                out.append((s[i + 1:j], True))
                i = j + 1
            elif c == '"' and not in_dq:
                j = _dq_end(s, i + 1)
                inner = yield from self.pieces(s[i + 1:j - 1], in_dq=True)
                out.append(("".join(t for t, _ in inner), True))
                i = j
            elif c == "$":
                text, i = yield from self.dollar(s, i)
                out.append((text, in_dq))
            elif c == "`":
                j = s.index("`", i + 1)
                out.append(((yield from self.substitute(s[i + 1:j])), in_dq))
                i = j + 1
            else:
                out.append((c, in_dq))
                i += 1
        return out

    def dollar(self, s: str, i: int) -> Generator[Wait, None, tuple[str, int]]:
        """Expand the ``$...`` at ``s[i]``: (text, index after it)."""
        if s.startswith("$((", i):
            j = _match_paren(s, i + 1)
            inner = yield from self.expand_one(s[i + 3:j - 2])
            return str(self.arith(inner)), j
        if s.startswith("$(", i):
            j = _match_paren(s, i + 1)
            return (yield from self.substitute(s[i + 2:j - 1])), j
        if s.startswith("${", i):
            j = s.index("}", i)
            return (yield from self.param_expr(s[i + 2:j])), j + 1
        m = re.match(rf"{NAME}|[0-9]|[?$#@*!]", s[i + 1:])
        if not m:
            return "$", i + 1
        return self.param(m.group(0)) or "", i + 1 + m.end()

    def param(self, name: str) -> str | None:
        ctx = self.ctx
        special = {"?": str(self.status), "$": str(ctx.pid), "#": str(len(self.args)),
                   "@": " ".join(self.args), "*": " ".join(self.args), "!": str(self.jobs[-1].pid) if self.jobs else "",
                   "0": self.arg0}
        if name in special:
            return special[name]
        if name.isdigit():
            n = int(name)
            return self.args[n - 1] if 0 < n <= len(self.args) else ""
        if name == "RANDOM":
            return str(ctx.host.rng.randrange(32768))
        if name == "PWD":
            return ctx.cwd
        return self.vars.get(name)

    def param_expr(self, expr: str) -> Generator[Wait, None, str]:
        m = PARAM.match(expr)
        if not m:
            self.error("syntax error: bad substitution")
            raise ShellExit(2)
        length, name, op, word = m.groups()
        value = self.param(name)
        if length:
            return str(len(value or ""))
        if not op:
            return value or ""
        unset = value is None or (op.startswith(":") and value == "")
        kind = op[-1]
        if kind == "-":
            return (yield from self.expand_one(word)) if unset else value or ""
        if kind == "=":
            if unset:
                self.set_var(name, (yield from self.expand_one(word)))
            return self.vars.get(name, "")
        if kind == "+":
            return "" if unset else (yield from self.expand_one(word))
        if unset:  # "?"
            self.error(f"{name}: {(yield from self.expand_one(word)) or 'parameter not set'}")
            raise ShellExit(1)
        return value or ""

    def substitute(self, src: str) -> Generator[Wait, None, str]:
        """``$(commands)``: their output, trailing newlines removed."""
        buf = BufferSink()
        sub = self.fork(stdout=buf)
        try:
            tree = parse(src)
        except ShellSyntaxError as e:
            self.error(f"syntax error: {e}")
            return ""
        self.status = yield from sub.run_tree(tree)
        sub.ctx.exit()
        return buf.text.rstrip("\n")

    def arith(self, expr: str) -> int:
        try:
            return _arith(expr, lambda n: int(self.vars.get(n) or 0))
        except ZeroDivisionError:
            self.error("divide by zero")
            raise ShellExit(2) from None
        except (SyntaxError, ValueError, TypeError):
            self.error("arithmetic syntax error" if self.dialect == "ash"
                       else f"Illegal number: {expr}" if self.dialect == "dash"
                       else f"{expr}: syntax error in expression")
            raise ShellExit(2) from None

    def glob(self, pattern: str) -> list[str]:
        fs = self.ctx.fs
        absolute = pattern.startswith("/")
        found = [""]
        for part in [p for p in pattern.split("/") if p]:
            nxt = []
            for base in found:
                here = ("/" + base) if absolute else self.ctx.abspath(base or ".")
                if _glob.has_magic(part):
                    try:
                        names = fs.listdir(here)
                    except FSError:
                        continue
                    nxt += [posixpath.join(base, n) for n in names
                            if fnmatch.fnmatchcase(n, part)
                            and (not n.startswith(".") or part.startswith("."))]
                else:
                    candidate = posixpath.join(base, part)
                    path = ("/" + candidate) if absolute else self.ctx.abspath(candidate)
                    if fs.exists(path):
                        nxt.append(candidate)
            found = nxt
        return sorted(("/" + f) if absolute else f for f in found)


def _returns(value: int) -> Gen:
    """A generator that sleeps never and returns ``value``."""
    return value
    yield  # pragma: no cover


def _dq_end(s: str, i: int) -> int:
    while i < len(s):
        if s[i] == "\\":
            i += 2
        elif s[i] == '"':
            return i + 1
        elif s.startswith("$(", i):
            i = _match_paren(s, i + 1)
        else:
            i += 1
    return len(s)


def _match_paren(s: str, i: int) -> int:
    from k8snb.node.shell_parse import _skip_parens

    return _skip_parens(s, i)


_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Mod: lambda a, b: a - b * int(a / b), ast.Div: lambda a, b: int(a / b),
        ast.FloorDiv: lambda a, b: int(a / b), ast.Pow: operator.pow,
        ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
        ast.LShift: operator.lshift, ast.RShift: operator.rshift}
_CMP = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
        ast.Eq: operator.eq, ast.NotEq: operator.ne}


def _arith(expr: str, lookup) -> int:
    """Integer arithmetic as in ``$((i + 1))``: + - * / % ** comparisons && || !."""
    text = expr.replace("&&", " and ").replace("||", " or ")
    text = re.sub(r"!(?!=)", " not ", text)
    text = re.sub(r"(?<![<>=!])/(?!/)", "//", text)

    def ev(n: ast.AST) -> int:
        if isinstance(n, ast.Expression):
            return ev(n.body)
        if isinstance(n, ast.Constant) and isinstance(n.value, int):
            return n.value
        if isinstance(n, ast.Name):
            return lookup(n.id)
        if isinstance(n, ast.BinOp) and type(n.op) in _BIN:
            a, b = ev(n.left), ev(n.right)
            if isinstance(n.op, ast.Mod | ast.Div | ast.FloorDiv) and b == 0:
                raise ZeroDivisionError
            return int(_BIN[type(n.op)](a, b))
        if isinstance(n, ast.UnaryOp):
            v = ev(n.operand)
            return {ast.USub: -v, ast.UAdd: v, ast.Not: int(not v), ast.Invert: ~v}[type(n.op)]
        if isinstance(n, ast.Compare) and len(n.ops) == 1 and type(n.ops[0]) in _CMP:
            return int(_CMP[type(n.ops[0])](ev(n.left), ev(n.comparators[0])))
        if isinstance(n, ast.BoolOp):
            vals = [ev(v) for v in n.values]
            return int(all(vals) if isinstance(n.op, ast.And) else any(vals))
        raise SyntaxError(expr)

    return ev(ast.parse(text.strip() or "0", mode="eval"))


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
