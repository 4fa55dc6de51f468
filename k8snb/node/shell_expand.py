"""Word expansion for the shell: parameters, ``$(...)``, ``$((...))``, splitting, globbing.

`Expander` is a mixin of `Shell`; it uses the shell's ``ctx``, ``vars``, ``args``, ``status``,
``jobs``, ``arg0``, ``set_var``, ``error`` and ``fork``.
"""

from __future__ import annotations

import ast
import fnmatch
import glob as _glob
import operator
import posixpath
import re
from collections.abc import Generator
from typing import Any

from k8snb.node.fs import FSError
from k8snb.node.process import BufferSink, Wait
from k8snb.node.shell_parse import ShellSyntaxError, parse, skip_parens

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
PARAM = re.compile(rf"^(#)?({NAME}|[0-9]+|[?$#@*!])(?:(:?[-=+?])(.*))?$", re.S)


class ShellExit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class LoopControl(Exception):
    def __init__(self, kind: str, levels: int = 1) -> None:
        self.kind, self.levels = kind, levels


class Expander:
    """Expansion as POSIX sh does it, in order: ~, parameters and substitutions, field
    splitting on unquoted results, pathname expansion, quote removal."""

    ctx: Any
    vars: dict[str, str]
    args: list[str]
    status: int
    subst_status: int
    jobs: list[Any]
    arg0: str

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
            j = skip_parens(s, i + 1)
            inner = yield from self.expand_one(s[i + 3:j - 2])
            return str(self.arith(inner)), j
        if s.startswith("$(", i):
            j = skip_parens(s, i + 1)
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
        try:
            tree = parse(src)
        except ShellSyntaxError as e:
            self.error(f"syntax error: {e}")
            return ""
        buf = BufferSink()
        sub = self.fork(stdout=buf)
        self.subst_status = yield from sub.run_tree(tree)
        sub.ctx.exit()
        return buf.text.rstrip("\n")

    def arith(self, expr: str) -> int:
        try:
            # Variables are looked up as parameters are, so $((RANDOM % 6)) works too.
            return arithmetic(expr, lambda n: int(self.param(n) or 0))
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


def _dq_end(s: str, i: int) -> int:
    while i < len(s):
        if s[i] == "\\":
            i += 2
        elif s[i] == '"':
            return i + 1
        elif s.startswith("$(", i):
            i = skip_parens(s, i + 1)
        else:
            i += 1
    return len(s)


_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Mod: lambda a, b: a - b * int(a / b), ast.Div: lambda a, b: int(a / b),
        ast.FloorDiv: lambda a, b: int(a / b), ast.Pow: operator.pow,
        ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
        ast.LShift: operator.lshift, ast.RShift: operator.rshift}
_CMP = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
        ast.Eq: operator.eq, ast.NotEq: operator.ne}


def arithmetic(expr: str, lookup) -> int:
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
