"""Parser for the busybox ``sh`` subset: words, pipelines, lists, ``if``/``while``/``for``.

Words keep their quotes; the interpreter expands them when the command runs, as sh does.

    >>> parse("while true; do date; sleep 5; done")
    Seq(items=[(While(cond=..., body=..., until=False), False)])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class ShellSyntaxError(Exception):
    """``str()`` is what follows ``sh: syntax error: `` (ash wording)."""


# -- tokens -------------------------------------------------------------------------------------
@dataclass
class Tok:
    kind: str  # "word" | "op" | "nl" | "eof"
    text: str
    line: int
    fd: int | None = None  # explicit descriptor of a redirection, as in 2>


OPS = ("&&", "||", ";;", ">>", ">&", "<&", ";", "&", "|", ">", "<", "(", ")")
BREAK_CHARS = " \t\n;&|<>()"


def _skip_quote(src: str, i: int, quote: str) -> int:
    """Index just past the closing quote; ``i`` is just past the opening one."""
    while i < len(src):
        c = src[i]
        if c == "\\" and quote != "'":
            i += 2
            continue
        if c == quote:
            return i + 1
        if quote == '"' and src.startswith("$(", i):
            i = skip_parens(src, i + 1)
            continue
        i += 1
    raise ShellSyntaxError("unterminated quoted string")


def skip_parens(src: str, i: int) -> int:
    """Index just past the ``)`` matching the ``(`` at ``i``."""
    depth = 0
    while i < len(src):
        c = src[i]
        if c in "'\"`":
            i = _skip_quote(src, i + 1, c)
            continue
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ShellSyntaxError("unexpected end of file (expecting \")\")")


def _scan_word(src: str, i: int) -> int:
    while i < len(src):
        c = src[i]
        if c in BREAK_CHARS:
            break
        if c == "\\":
            i += 2
        elif c in "'\"`":
            i = _skip_quote(src, i + 1, c)
        elif src.startswith("$(", i):
            i = skip_parens(src, i + 1)
        elif src.startswith("${", i):
            end = src.find("}", i)
            if end < 0:
                raise ShellSyntaxError("missing '}'")
            i = end + 1
        else:
            i += 1
    return min(i, len(src))


def tokenize(src: str) -> list[Tok]:
    toks: list[Tok] = []
    i, line = 0, 1
    while i < len(src):
        c = src[i]
        if c in " \t":
            i += 1
        elif c == "\\" and src.startswith("\\\n", i):
            i, line = i + 2, line + 1
        elif c == "\n":
            toks.append(Tok("nl", "\n", line))
            i, line = i + 1, line + 1
        elif c == "#":
            while i < len(src) and src[i] != "\n":
                i += 1
        else:
            op = next((o for o in OPS if src.startswith(o, i)), None)
            if op is not None:
                toks.append(Tok("op", op, line))
                i += len(op)
                continue
            j = _scan_word(src, i)
            word = src[i:j]
            nxt = next((o for o in (">>", ">&", "<&", ">", "<") if src.startswith(o, j)), None)
            if word.isdigit() and nxt is not None:
                toks.append(Tok("op", nxt, line, fd=int(word)))
                j += len(nxt)
            else:
                toks.append(Tok("word", word, line))
            line += word.count("\n")
            i = j
    toks.append(Tok("eof", "", line))
    return toks


# -- syntax tree --------------------------------------------------------------------------------
@dataclass
class Redir:
    fd: int
    op: str  # ">", ">>", "<", ">&", "<&"
    target: str


@dataclass
class Simple:
    assigns: list[tuple[str, str]]
    words: list[str]
    redirs: list[Redir]
    line: int = 1


@dataclass
class Pipeline:
    cmds: list
    negate: bool = False


@dataclass
class AndOr:
    parts: list[tuple[str | None, object]]  # (None | "&&" | "||", node)


@dataclass
class Seq:
    items: list[tuple[object, bool]] = field(default_factory=list)  # (node, run in background)


@dataclass
class If:
    branches: list[tuple[Seq, Seq]]
    orelse: Seq | None


@dataclass
class While:
    cond: Seq
    body: Seq
    until: bool = False


@dataclass
class For:
    var: str
    words: list[str] | None  # None: "$@"
    body: Seq


@dataclass
class Group:
    body: Seq
    subshell: bool = False


@dataclass
class Redirected:
    node: object
    redirs: list[Redir]


ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=", re.S)
STRAY = {"then", "else", "elif", "fi", "do", "done", "}", "in", "esac"}


class Parser:
    def __init__(self, src: str) -> None:
        self.toks = tokenize(src)
        self.i = 0

    # helpers
    def peek(self) -> Tok:
        return self.toks[self.i]

    def next(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at_word(self, *words: str) -> bool:
        t = self.peek()
        return t.kind == "word" and t.text in words

    def at_op(self, *ops: str) -> bool:
        t = self.peek()
        return t.kind == "op" and t.text in ops

    def skip_nl(self) -> None:
        while self.peek().kind == "nl":
            self.i += 1

    def unexpected(self) -> ShellSyntaxError:
        t = self.peek()
        if t.kind == "eof":
            return ShellSyntaxError("unexpected end of file")
        return ShellSyntaxError(f'unexpected "{t.text if t.kind != "nl" else "newline"}"')

    def expect(self, word: str) -> None:
        if not self.at_word(word):
            if self.peek().kind == "eof":
                raise ShellSyntaxError(f'unexpected end of file (expecting "{word}")')
            raise self.unexpected()
        self.next()

    # grammar
    def parse(self) -> Seq:
        seq = self.parse_list(set())
        if self.peek().kind != "eof":
            raise self.unexpected()
        return seq

    def parse_list(self, stop: set[str]) -> Seq:
        seq = Seq()
        self.skip_nl()
        while True:
            t = self.peek()
            if t.kind == "eof" or (t.kind == "word" and t.text in stop) or self.at_op(")"):
                return seq
            node = self.parse_and_or()
            background = False
            if self.at_op(";", "&"):
                background = self.next().text == "&"
            elif self.peek().kind not in ("nl", "eof") and not self.at_op(")"):
                raise self.unexpected()
            seq.items.append((node, background))
            self.skip_nl()

    def parse_and_or(self) -> object:
        parts: list[tuple[str | None, object]] = [(None, self.parse_pipeline())]
        while self.at_op("&&", "||"):
            op = self.next().text
            self.skip_nl()
            parts.append((op, self.parse_pipeline()))
        return parts[0][1] if len(parts) == 1 else AndOr(parts)

    def parse_pipeline(self) -> object:
        negate = False
        if self.at_word("!"):
            self.next()
            negate = True
        cmds = [self.parse_command()]
        while self.at_op("|"):
            self.next()
            self.skip_nl()
            cmds.append(self.parse_command())
        return cmds[0] if len(cmds) == 1 and not negate else Pipeline(cmds, negate)

    def parse_command(self) -> object:
        t = self.peek()
        node: object
        if t.kind == "word" and t.text in STRAY:
            raise self.unexpected()
        if self.at_word("if"):
            node = self.parse_if()
        elif self.at_word("while", "until"):
            until = self.next().text == "until"
            cond = self.parse_list({"do"})
            self.expect("do")
            body = self.parse_list({"done"})
            self.expect("done")
            node = While(cond, body, until)
        elif self.at_word("for"):
            node = self.parse_for()
        elif self.at_word("{"):
            self.next()
            body = self.parse_list({"}"})
            self.expect("}")
            node = Group(body)
        elif self.at_op("("):
            self.next()
            body = self.parse_list(set())
            if not self.at_op(")"):
                raise self.unexpected()
            self.next()
            node = Group(body, subshell=True)
        else:
            return self.parse_simple()
        redirs = self.parse_redirs()
        return Redirected(node, redirs) if redirs else node

    def parse_if(self) -> If:
        self.next()
        branches = []
        while True:
            cond = self.parse_list({"then"})
            self.expect("then")
            branches.append((cond, self.parse_list({"elif", "else", "fi"})))
            if self.at_word("elif"):
                self.next()
                continue
            break
        orelse = None
        if self.at_word("else"):
            self.next()
            orelse = self.parse_list({"fi"})
        self.expect("fi")
        return If(branches, orelse)

    def parse_for(self) -> For:
        self.next()
        name = self.next()
        if name.kind != "word" or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name.text):
            raise ShellSyntaxError("bad for loop variable")
        self.skip_nl()
        words = None
        if self.at_word("in"):
            self.next()
            words = []
            while self.peek().kind == "word":
                words.append(self.next().text)
        if self.at_op(";"):
            self.next()
        self.skip_nl()
        self.expect("do")
        body = self.parse_list({"done"})
        self.expect("done")
        return For(name.text, words, body)

    def parse_redirs(self) -> list[Redir]:
        redirs = []
        while self.at_op(">", ">>", "<", ">&", "<&"):
            op = self.next()
            target = self.next()
            if target.kind != "word":
                raise self.unexpected() if target.kind != "eof" else ShellSyntaxError(
                    "unexpected end of file")
            fd = op.fd if op.fd is not None else (0 if op.text[0] == "<" else 1)
            redirs.append(Redir(fd, op.text, target.text))
        return redirs

    def parse_simple(self) -> Simple:
        line = self.peek().line
        assigns: list[tuple[str, str]] = []
        words: list[str] = []
        redirs: list[Redir] = []
        while True:
            if self.at_op(">", ">>", "<", ">&", "<&"):
                redirs.extend(self.parse_redirs())
            elif self.peek().kind == "word":
                text = self.next().text
                m = ASSIGN.match(text)
                if m and not words:
                    assigns.append((text[: m.end() - 1], text[m.end():]))
                else:
                    words.append(text)
            else:
                break
        if not (assigns or words or redirs):
            raise self.unexpected()
        return Simple(assigns, words, redirs, line)


def parse(src: str) -> Seq:
    """Parse a script; raises ShellSyntaxError."""
    return Parser(src).parse()
