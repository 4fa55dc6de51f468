"""The shell's builtins: cd, exit, export, read, exec, trap, set, eval, command, ...

They run inside the shell process (no new PID) and change the shell itself.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

from k8snb.node.fs import ENOENT, FSError
from k8snb.node.process import Wait, drive, run_file
from k8snb.node.shell_expand import LoopControl, ShellExit
from k8snb.node.shell_parse import ShellSyntaxError, parse

if TYPE_CHECKING:
    from k8snb.node.shell import Shell

Gen = Generator[Wait, None, int]
BUILTINS = ("cd", "exit", "export", "unset", "set", "shift", "read", "exec", "trap", "wait",
            "eval", ".", "source", "break", "continue", "command", "type")


def builtin(self: Shell, argv: list[str]) -> Gen:
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
        if args and not args[0].lstrip("-").isdigit():
            self.error(f"exit: Illegal number: {args[0]}" if self.dialect != "bash"
                       else f"exit: {args[0]}: numeric argument required")
            raise ShellExit(2)
        raise ShellExit(int(args[0]) & 255 if args else self.status)
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
        return trap(self, args)
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
        try:
            tree = parse(src)
        except ShellSyntaxError as e:
            self.error(f"syntax error: {e}")
            return 2
        return (yield from self.exec_node(tree))
    if name in ("break", "continue"):
        raise LoopControl(name, int(args[0]) if args else 1)
    if name in ("command", "type"):
        names = [a for a in args if not a.startswith("-")]
        status = 0
        for n in names:
            path = None if n in BUILTINS + self.FORKLESS else ctx.which(n)
            known = path or n in BUILTINS + self.FORKLESS
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

def trap(self: Shell, args: list[str]) -> int:
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
