"""File and text applets (cat, ls, rm, grep, head, tail, mount, df, ...) as busybox ships
them, with GNU coreutils' wording where an image has GNU coreutils.
"""

from __future__ import annotations

import posixpath
import re
import time
from collections.abc import Generator

from k8snb.node.fs import EISDIR, ENOENT, Dir, File, FSError
from k8snb.node.process import FOREVER, Context, Wait, number, program


def fail(ctx: Context, cmd: str, verb: str, path: str, err: FSError | str) -> int:
    """``cat: can't open '/x': No such file or directory`` (busybox) or the GNU wording."""
    why = err.strerror if isinstance(err, FSError) else err
    if ctx.gnu:
        gnu_verb = {"can't open": "", "can't remove": "cannot remove",
                    "can't create directory": "cannot create directory",
                    "can't stat": "cannot stat", "can't access": "cannot access"}.get(verb, verb)
        ctx.err(f"{cmd}: {gnu_verb + ' ' if gnu_verb else ''}"
                f"{repr_path(path) if gnu_verb else path}: {why}\n")
    elif verb:
        ctx.err(f"{cmd}: {verb} '{path}': {why}\n")
    else:
        ctx.err(f"{cmd}: {path}: {why}\n")
    return 1


def repr_path(path: str) -> str:
    return f"'{path}'"


def read_inputs(ctx: Context, cmd: str, files: list[str]) -> tuple[list[tuple[str, str]], int]:
    """[(name, text)] of files (stdin for none or "-"), and 1 if any could not be read."""
    if not files:
        return [("", ctx.stdin or "")], 0
    out, status = [], 0
    for f in files:
        if f == "-":
            out.append(("-", ctx.stdin or ""))
            continue
        if f == "/dev/null":
            out.append((f, ""))
            continue
        try:
            out.append((f, ctx.fs.read(ctx.abspath(f))))
        except FSError as e:
            status = fail(ctx, cmd, "can't open", f, e)
    return out, status


def flags(argv: list[str], known: str) -> tuple[set[str], list[str]]:
    """Split ``-la`` style flags (from ``known``) from operands."""
    opts: set[str] = set()
    rest = []
    for i, a in enumerate(argv):
        if a == "--":
            rest += argv[i + 1:]
            break
        if a.startswith("-") and len(a) > 1 and all(c in known for c in a[1:]):
            opts.update(a[1:])
        else:
            rest.append(a)
    return opts, rest


# -- files --------------------------------------------------------------------------------------
@program("cat")
def cat(ctx: Context, argv: list[str]) -> int:
    opts, files = flags(argv[1:], "nu")
    inputs, status = read_inputs(ctx, "cat", files)
    for _, text in inputs:
        if "n" in opts:
            text = "".join(f"{i:>6}\t{line}\n" for i, line in enumerate(text.splitlines(), 1))
        ctx.out(text)
    return status


def _mode_string(node: File | Dir) -> str:
    bits = "rwxrwxrwx"
    perm = "".join(b if node.mode & (1 << (8 - i)) else "-" for i, b in enumerate(bits))
    if node.mode & 0o1000:  # sticky, as on /tmp
        perm = perm[:-1] + ("t" if perm[-1] == "x" else "T")
    return ("d" if isinstance(node, Dir) else "-") + perm


def _ls_long(ctx: Context, name: str, node: File | Dir) -> str:
    size = 4096 if isinstance(node, Dir) else node.size
    links = 2 if isinstance(node, Dir) else 1
    tm = time.gmtime(node.mtime)
    stamp = time.strftime("%b ", tm) + f"{tm.tm_mday:>2}" + (
        time.strftime(" %H:%M", tm) if abs(ctx.now - node.mtime) < 182 * 86400
        else time.strftime("  %Y", tm))
    if ctx.gnu:
        return f"{_mode_string(node)} {links} root root {size:>5} {stamp} {name}"
    return f"{_mode_string(node)} {links:>4} root     root     {size:>9} {stamp} {name}"


@program("ls")
def ls(ctx: Context, argv: list[str]) -> int:
    opts, paths = flags(argv[1:], "laA1dhFR")
    status = 0
    paths = paths or ["."]
    for n, arg in enumerate(paths):
        path = ctx.abspath(arg)
        try:
            node = ctx.fs.lookup(path)
        except FSError as e:
            status = fail(ctx, "ls", "can't access" if ctx.gnu else "", arg, e) + ctx.gnu
            continue
        if isinstance(node, File) or "d" in opts:
            ctx.out((_ls_long(ctx, arg, node) if "l" in opts else arg) + "\n")
            continue
        if len(paths) > 1:
            ctx.out(("\n" if n else "") + f"{arg}:\n")
        names = [x for x in ctx.fs.listdir(path) if "a" in opts or "A" in opts
                 or not x.startswith(".")]
        if "a" in opts:
            names = [".", ".."] + names
        if "l" in opts:
            if ctx.gnu:
                ctx.out(f"total {4 * len(names)}\n")
            for x in names:
                child = ctx.fs.lookup(posixpath.join(path, x)) if x not in (".", "..") else node
                ctx.out(_ls_long(ctx, x, child) + "\n")
        else:
            ctx.out("".join(x + "\n" for x in names))
    return status


@program("touch")
def touch(ctx: Context, argv: list[str]) -> int:
    status = 0
    for f in flags(argv[1:], "c")[1]:
        try:
            ctx.fs.touch(ctx.abspath(f))
        except FSError as e:
            status = fail(ctx, "touch", "cannot touch" if ctx.gnu else "", f, e)
    return status


@program("mkdir")
def mkdir(ctx: Context, argv: list[str]) -> int:
    opts, dirs = flags(argv[1:], "p")
    status = 0
    for d in dirs:
        try:
            ctx.fs.mkdir(ctx.abspath(d), parents="p" in opts)
        except FSError as e:
            status = fail(ctx, "mkdir", "can't create directory", d, e)
    return status


@program("rm")
def rm(ctx: Context, argv: list[str]) -> int:
    opts, files = flags(argv[1:], "rRfv")
    status = 0
    for f in files:
        path = ctx.abspath(f)
        if not ctx.fs.exists(path):
            if "f" not in opts:
                status = fail(ctx, "rm", "can't remove", f, ENOENT)
            continue
        try:
            if ctx.fs.is_dir(path) and not opts & {"r", "R"}:
                raise FSError(EISDIR, path)
            ctx.fs.remove(path, recursive=True)
        except FSError as e:
            if "f" not in opts or e.strerror != ENOENT:
                status = fail(ctx, "rm", "can't remove", f, e)
    return status


@program("rmdir")
def rmdir(ctx: Context, argv: list[str]) -> int:
    status = 0
    for d in argv[1:]:
        try:
            ctx.fs.rmdir(ctx.abspath(d))
        except FSError as e:
            status = fail(ctx, "rmdir", "failed to remove" if ctx.gnu else "", d, e)
    return status


@program("cp", "mv")
def cp(ctx: Context, argv: list[str]) -> int:
    _, args = flags(argv[1:], "rfpa")
    if len(args) < 2:
        ctx.err(f"{argv[0]}: missing file operand\n")
        return 1
    *srcs, dst = args
    status = 0
    for s in srcs:
        try:
            ctx.fs.copy(ctx.abspath(s), ctx.abspath(dst))
            if argv[0] == "mv":
                ctx.fs.remove(ctx.abspath(s))
        except FSError as e:
            status = fail(ctx, argv[0], "can't stat", s, e)
    return status


@program("chmod")
def chmod(ctx: Context, argv: list[str]) -> int:
    if len(argv) < 3:
        ctx.err("chmod: missing operand\n")
        return 1
    mode, status = argv[1], 0
    for f in argv[2:]:
        path = ctx.abspath(f)
        try:
            node = ctx.fs.lookup(path)
            new = int(mode, 8) if mode.isdigit() else (
                node.mode | 0o111 if mode.endswith("+x") else node.mode & ~0o111
                if mode.endswith("-x") else node.mode)
            ctx.fs.chmod(path, new)
        except FSError as e:
            status = fail(ctx, "chmod", "", f, e)
    return status


@program("head", "tail")
def head_tail(ctx: Context, argv: list[str]) -> Generator[Wait, None, int]:
    cmd, args, n, follow = argv[0], argv[1:], 10, False
    files = []
    while args:
        a = args.pop(0)
        if a == "-n" and args:
            n = number(args.pop(0).lstrip("+"))
        elif re.fullmatch(r"-n?\d+", a):
            n = number(a.lstrip("-n"))
        elif a in ("-f", "-F"):
            follow = True
        else:
            files.append(a)
    inputs, status = read_inputs(ctx, cmd, files)
    for _, text in inputs:
        lines = text.splitlines(keepends=True)
        ctx.out("".join(lines[:n] if cmd == "head" else lines[-n:] if n else []))
    if follow and cmd == "tail":
        if not files or files == ["/dev/null"]:
            yield FOREVER
        path = ctx.abspath(files[-1])
        seen = len(inputs[-1][1]) if inputs else 0
        while True:  # poll the file like inotify would wake us
            yield Wait(1.0, True)
            try:
                data = ctx.fs.read(path)
            except FSError:
                continue
            if len(data) > seen:
                ctx.out(data[seen:])
            seen = len(data)
    return status


@program("grep")
def grep(ctx: Context, argv: list[str]) -> int:
    opts, args = flags(argv[1:], "ivcnqEFlsowr")
    if not args:
        ctx.err("Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... "
                "| -f FILE... } [FILE]...\n")
        return 2
    pattern, files = args[0], args[1:]
    if "F" in opts:
        pattern = re.escape(pattern)
    elif "E" not in opts:
        pattern = pattern.replace(r"\|", "|").replace(r"\(", "(").replace(r"\)", ")")
    if "w" in opts:
        pattern = rf"\b(?:{pattern})\b"
    try:
        rx = re.compile(pattern, re.I if "i" in opts else 0)
    except re.error as e:
        ctx.err(f"grep: bad regex '{args[0]}': {e.msg}\n")
        return 2
    inputs, status = read_inputs(ctx, "grep", files)
    found = 0
    for name, text in inputs:
        count = 0
        for i, line in enumerate(text.splitlines(), 1):
            if bool(rx.search(line)) == ("v" not in opts):
                count += 1
                if not opts & {"c", "q", "l"}:
                    prefix = (f"{name}:" if len(files) > 1 else "") + (f"{i}:" if "n" in opts else "")
                    ctx.out(prefix + line + "\n")
        if "c" in opts:
            ctx.out((f"{name}:" if len(files) > 1 else "") + f"{count}\n")
        if "l" in opts and count:
            ctx.out(name + "\n")
        found += count
    if "q" in opts:
        return 0 if found else 1
    return 2 if status and not found else (0 if found else 1)


@program("wc")
def wc(ctx: Context, argv: list[str]) -> int:
    opts, files = flags(argv[1:], "lwcm")
    inputs, status = read_inputs(ctx, "wc", files)
    wanted = [k for k in "lwc" if k in opts or (k == "c" and "m" in opts)] or ["l", "w", "c"]
    for name, text in inputs:
        counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode())}
        cols = [str(counts[k]) for k in wanted]
        line = cols[0] if len(cols) == 1 else " ".join(f"{c:>7}" for c in cols)
        ctx.out(line + (f" {name}" if name else "") + "\n")
    return status


@program("tee")
def tee(ctx: Context, argv: list[str]) -> int:
    opts, files = flags(argv[1:], "a")
    data = ctx.stdin or ""
    status = 0
    for f in files:
        try:
            ctx.fs.write(ctx.abspath(f), data, append="a" in opts)
        except FSError as e:
            status = fail(ctx, "tee", "", f, e)
    ctx.out(data)
    return status


@program("sort")
def sort(ctx: Context, argv: list[str]) -> int:
    opts, files = flags(argv[1:], "rnu")
    inputs, status = read_inputs(ctx, "sort", files)
    lines = [ln for _, text in inputs for ln in text.splitlines()]
    if "u" in opts:
        lines = list(dict.fromkeys(lines))

    def key(s: str):
        m = re.match(r"\s*(-?\d+(?:\.\d+)?)", s)
        return (float(m.group(1)) if m else 0.0, s)

    lines.sort(key=key if "n" in opts else None, reverse="r" in opts)
    ctx.out("".join(ln + "\n" for ln in lines))
    return status


@program("uniq")
def uniq(ctx: Context, argv: list[str]) -> int:
    opts, files = flags(argv[1:], "c")
    inputs, status = read_inputs(ctx, "uniq", files[:1])
    runs: list[list] = []
    for ln in inputs[0][1].splitlines() if inputs else []:
        if runs and runs[-1][0] == ln:
            runs[-1][1] += 1
        else:
            runs.append([ln, 1])
    ctx.out("".join((f"{c:>7} {ln}\n" if "c" in opts else f"{ln}\n") for ln, c in runs))
    return status


@program("basename", "dirname")
def basename(ctx: Context, argv: list[str]) -> int:
    if len(argv) < 2:
        ctx.err(f"{argv[0]}: missing operand\n")
        return 1
    p = argv[1].rstrip("/") or "/"
    if argv[0] == "dirname":
        ctx.out((posixpath.dirname(p) or ".") + "\n")
    else:
        base = posixpath.basename(p) or "/"
        if len(argv) > 2 and base.endswith(argv[2]) and base != argv[2]:
            base = base[: -len(argv[2])]
        ctx.out(base + "\n")
    return 0


@program("which")
def which(ctx: Context, argv: list[str]) -> int:
    status = 0
    for name in argv[1:]:
        path = ctx.which(name)
        if path:
            ctx.out(path + "\n")
        else:
            status = 1
    return status


@program("seq")
def seq(ctx: Context, argv: list[str]) -> int:
    try:
        nums = [int(a) for a in argv[1:]]
    except ValueError as e:
        ctx.err(f"seq: invalid number '{str(e).split()[-1].strip(chr(39))}'\n")
        return 1
    if not 1 <= len(nums) <= 3:
        ctx.err("Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n")
        return 1
    first, inc, last = (1, 1, nums[0]) if len(nums) == 1 else (
        (nums[0], 1, nums[1]) if len(nums) == 2 else tuple(nums))
    ctx.out("".join(f"{i}\n" for i in range(first, last + (1 if inc > 0 else -1), inc or 1)))
    return 0


@program("mount")
def mount(ctx: Context, argv: list[str]) -> int:
    """The container's mount table: its overlay root, kernel filesystems, then its volumes."""
    lines = ["overlay on / type overlay (rw,relatime,lowerdir=/var/lib/containerd/"
             "io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs)",
             "proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)",
             "tmpfs on /dev type tmpfs (rw,nosuid,size=65536k,mode=755)",
             "sysfs on /sys type sysfs (ro,nosuid,nodev,noexec,relatime)"]
    for m in ctx.fs.mounts:
        lines.append(f"{m.source or '/dev/vda1'} on {m.path} type {m.fstype} "
                     f"({'ro' if m.read_only else 'rw'},relatime)")
    ctx.out("".join(ln + "\n" for ln in lines))
    return 0


def _tree_bytes(node: File | Dir) -> int:
    if isinstance(node, File):
        return node.size
    return sum(_tree_bytes(c) for c in node.entries.values())


@program("df")
def df(ctx: Context, argv: list[str]) -> int:
    human = "-h" in argv
    disk_kb = 40 * 1024 * 1024
    rows = [("overlay", disk_kb, _tree_bytes(ctx.fs.root) // 1024 + 1, "/")]
    for m in ctx.fs.mounts:
        size = 65536 if m.fstype == "tmpfs" else disk_kb
        rows.append((m.source or "/dev/vda1", size, _tree_bytes(m.node) // 1024 + 1, m.path))

    def h(kb: int) -> str:
        for unit, div in (("G", 1024 * 1024), ("M", 1024)):
            if kb >= div:
                return f"{kb / div:.1f}{unit}"
        return f"{kb}K"

    ctx.out(f"{'Filesystem':<20}{'Size' if human else '1K-blocks':>10}{'Used':>10}"
            f"{'Available':>10} Use% Mounted on\n")
    for src, size, used, path in rows:
        f = h if human else str
        pct = f"{max(1, used * 100 // size)}%"
        ctx.out(f"{src:<20}{f(size):>10}{f(used):>10}{f(size - used):>10} {pct:>4} {path}\n")
    return 0
