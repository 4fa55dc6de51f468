"""Shell-level and system applets (echo, test, sleep, kill, ps, id, date, ...) as busybox
ships them, with GNU's wording where an image has GNU coreutils; files and text live in
`file_applets`.

Each applet is a simulated binary: ``(ctx, argv) -> exit code``; the ones that take time
(``sleep``, ``tail -f``) are generators yielding `Wait`.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Generator

from k8snb.node.fs import Dir, File, FSError
from k8snb.node.process import FOREVER, Context, Wait, program, signal_name

KERNEL = "6.8.0-k8snb"


def fmt_date(t: float, fmt: str | None = None) -> str:
    """busybox/GNU ``date``: ``Thu Jan  1 00:00:00 UTC 2026``, or a ``+FORMAT``."""
    tm = time.gmtime(t)
    if fmt is None:
        return time.strftime("%a %b ", tm) + f"{tm.tm_mday:>2}" + time.strftime(
            " %H:%M:%S UTC %Y", tm)
    fmt = fmt.replace("%s", str(int(t))).replace("%N", f"{int(round((t % 1) * 1e9)):09d}")
    fmt = fmt.replace("%e", f"{tm.tm_mday:>2}").replace("%Z", "UTC").replace("%z", "+0000")
    return time.strftime(fmt, tm)


# -- shell-ish ----------------------------------------------------------------------------------
@program("true", ":")
def true_(ctx: Context, argv: list[str]) -> int:
    return 0


@program("false")
def false_(ctx: Context, argv: list[str]) -> int:
    return 1


ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "r": "\r", "0": "\0"}


def unescape(s: str) -> tuple[str, bool]:
    """Backslash escapes as echo -e / printf read them; True when ``\\c`` stops output."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            c = s[i + 1]
            if c == "c":
                return "".join(out), True
            out.append(ESCAPES.get(c, "\\" + c))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out), False


@program("echo")
def echo(ctx: Context, argv: list[str]) -> int:
    args, newline, escapes = argv[1:], True, False
    while args and re.fullmatch(r"-[neE]+", args[0]):
        newline = newline and "n" not in args[0]
        escapes = "e" in args[0] or (escapes and "E" not in args[0])
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = unescape(text)
        newline = newline and not stop
    ctx.out(text + ("\n" if newline else ""))
    return 0


@program("printf")
def printf(ctx: Context, argv: list[str]) -> int:
    if len(argv) < 2:
        ctx.err("printf: usage: printf format [arguments]\n" if ctx.gnu else
                "Usage: printf FORMAT [ARGUMENT]...\n")
        return 1
    fmt, args = unescape(argv[1])[0], argv[2:]
    specs = re.findall(r"%[-0-9.]*[sdiuxXfc%]", fmt)
    used = [s for s in specs if s != "%%"]
    while True:
        chunk = args[: len(used)]
        args = args[len(used):]
        vals = iter(chunk)

        def sub(m: re.Match, vals=vals) -> str:
            spec = m.group(0)
            if spec == "%%":
                return "%"
            v = next(vals, "")
            if spec[-1] in "diuxX":
                try:
                    return (spec[:-1] + ("d" if spec[-1] in "iu" else spec[-1])) % int(v or 0)
                except ValueError:
                    ctx.err(f"printf: invalid number '{v}'\n")
                    return "0"
            if spec[-1] == "f":
                return spec % float(v or 0)
            return (spec[:-1] + "s") % v

        ctx.out(re.sub(r"%[-0-9.]*[sdiuxXfc%]", sub, fmt))
        if not args or not used:
            return 0


def _test(ctx: Context, args: list[str]) -> bool:
    if not args:
        return False
    if args[0] == "!":
        return not _test(ctx, args[1:])
    for op, fn in (("-o", any), ("-a", all)):
        if op in args[1:-1]:
            i = args.index(op, 1)
            return fn((_test(ctx, args[:i]), _test(ctx, args[i + 1:])))
    if len(args) == 1:
        return args[0] != ""
    if len(args) == 2:
        op, arg = args
        if op == "-z":
            return arg == ""
        if op == "-n":
            return arg != ""
        path = ctx.abspath(arg)
        try:
            node = ctx.fs.lookup(path)
        except FSError:
            return False
        return {"-e": True, "-f": isinstance(node, File), "-d": isinstance(node, Dir),
                "-s": isinstance(node, Dir) or node.size > 0, "-r": True,
                "-w": not ctx.fs.read_only_at(path),
                "-x": isinstance(node, Dir) or node.executable}.get(op, False)
    a, op, b = args[0], args[1], args[2]
    if op in ("=", "=="):
        return a == b
    if op == "!=":
        return a != b
    nums = {"-eq": "__eq__", "-ne": "__ne__", "-lt": "__lt__", "-le": "__le__",
            "-gt": "__gt__", "-ge": "__ge__"}
    if op in nums:
        for v in (a, b):
            if not re.fullmatch(r"\s*-?\d+\s*", v):
                raise ValueError(v)
        return bool(getattr(int(a), nums[op])(int(b)))
    raise ValueError(op)


@program("test", "[")
def test(ctx: Context, argv: list[str]) -> int:
    args = argv[1:]
    if argv[0] == "[":
        if not args or args[-1] != "]":
            ctx.err("[: missing ]\n" if not ctx.gnu else "[: missing `]'\n")
            return 2
        args = args[:-1]
    try:
        return 0 if _test(ctx, args) else 1
    except ValueError as e:
        ctx.err(f"{argv[0]}: {e}: bad number\n" if not ctx.gnu
                else f"{argv[0]}: {e}: integer expression expected\n")
        return 2


@program("pwd")
def pwd(ctx: Context, argv: list[str]) -> int:
    ctx.out(ctx.cwd + "\n")
    return 0


@program("sleep")
def sleep(ctx: Context, argv: list[str]) -> Generator[Wait, None, int]:
    if len(argv) < 2:
        ctx.err("sleep: missing operand\n" if ctx.gnu else "Usage: sleep [N]...\n")
        return 1
    total = 0.0
    for a in argv[1:]:
        if a in ("infinity", "inf"):
            total = math.inf
            continue
        m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", a)
        if not m:
            ctx.err(f"sleep: invalid time interval '{a}'\n" if ctx.gnu
                    else f"sleep: invalid number '{a}'\n")
            return 1
        total += float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    yield FOREVER if total == math.inf else Wait(total, ctx.looping > 0)
    return 0


@program("kill")
def kill(ctx: Context, argv: list[str]) -> int:
    args, sig = argv[1:], "TERM"
    if args and args[0] == "-l":
        ctx.out(" ".join(signal_name(n) for n in (1, 2, 3, 9, 15)) + "\n")
        return 0
    if args and args[0] == "-s" and len(args) > 1:
        sig, args = args[1], args[2:]
    elif args and args[0].startswith("-"):
        sig, args = args[0][1:], args[1:]
    try:
        sig = signal_name(sig)
    except (ValueError, AttributeError):
        ctx.err(f"kill: bad signal name '{sig}'\n")
        return 1
    status = 0
    for a in args:
        entry = ctx.host.pidns.procs.get(int(a)) if a.isdigit() else None
        if entry is None:
            ctx.err(f"kill: can't kill pid {a}: No such process\n")
            status = 1
        elif entry.on_signal is not None:
            entry.on_signal(sig, True)
    return status


# -- the system ---------------------------------------------------------------------------------
@program("env", "printenv")
def env(ctx: Context, argv: list[str]) -> int:
    names = [a for a in argv[1:] if not a.startswith("-")]
    if argv[0] == "printenv" and names:
        vals = [ctx.env[n] for n in names if n in ctx.env]
        ctx.out("".join(v + "\n" for v in vals))
        return 0 if len(vals) == len(names) else 1
    ctx.out("".join(f"{k}={v}\n" for k, v in ctx.env.items()))
    return 0


@program("hostname")
def hostname(ctx: Context, argv: list[str]) -> int:
    """The UTS namespace's name, which the pause container holds for the whole pod."""
    sb = ctx.sandbox
    ctx.out((sb.ip if "-i" in argv else sb.hostname) + "\n")
    return 0


def user_name(ctx: Context, uid: str) -> str | None:
    try:
        passwd = ctx.fs.read("/etc/passwd")
    except FSError:
        return None
    for line in passwd.splitlines():
        f = line.split(":")
        if len(f) > 2 and (f[2] == uid or f[0] == uid):
            return f[0]
    return None


def uid_of(ctx: Context) -> str:
    """The numeric user ID the process runs as (ProcEntry.user holds it)."""
    return ctx.entry.user


@program("id")
def id_(ctx: Context, argv: list[str]) -> int:
    uid = uid_of(ctx)
    name = user_name(ctx, uid)
    if "-u" in argv:
        ctx.out(uid + "\n")
        return 0
    u = f"{uid}({name})" if name else uid
    ctx.out(f"uid={u} gid=0(root) groups=0(root)\n" if uid == "0" else f"uid={u} gid={u}\n")
    return 0


@program("whoami")
def whoami(ctx: Context, argv: list[str]) -> int:
    uid = uid_of(ctx)
    name = user_name(ctx, uid)
    if name is None:
        ctx.err(f"whoami: unknown uid {uid}\n" if not ctx.gnu
                else f"whoami: cannot find name for user ID {uid}\n")
        return 1
    ctx.out(name + "\n")
    return 0


@program("uname")
def uname(ctx: Context, argv: list[str]) -> int:
    fields = {"s": "Linux", "n": ctx.sandbox.hostname, "r": KERNEL,
              "v": "#1 SMP PREEMPT_DYNAMIC", "m": "x86_64", "o": "GNU/Linux"}
    opts = set("".join(a[1:] for a in argv[1:] if a.startswith("-"))) or {"s"}
    keys = "snrvmo" if "a" in opts else [k for k in "snrvmo" if k in opts]
    ctx.out(" ".join(fields[k] for k in keys) + "\n")
    return 0


@program("date")
def date(ctx: Context, argv: list[str]) -> int:
    fmt = next((a[1:] for a in argv[1:] if a.startswith("+")), None)
    ctx.out(fmt_date(ctx.now, fmt) + "\n")
    return 0


@program("ps")
def ps(ctx: Context, argv: list[str]) -> int:
    """The processes of this container's PID namespace (the whole pod's when shared)."""
    rows = ctx.host.pidns.rows()
    if ctx.gnu:
        ctx.out("UID          PID    PPID  C STIME TTY          TIME CMD\n")
        for r in rows:
            stime = time.strftime("%H:%M", time.gmtime(r.started))
            user = user_name(ctx, r.user) or r.user
            ppid = 0 if r.pid == 1 else 1
            ctx.out(f"{user:<8} {r.pid:>7} {ppid:>7}  0 {stime} ?        00:00:00 {r.command}\n")
        return 0
    ctx.out("PID   USER     TIME  COMMAND\n")
    for r in rows:
        user = user_name(ctx, r.user) or r.user
        ctx.out(f"{r.pid:>5} {user[:8]:<8} {'0:00':>5} {r.command}\n")
    return 0
