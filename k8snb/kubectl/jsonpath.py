"""kubectl's JSONPath template language and ``-o custom-columns``.

A port of client-go ``util/jsonpath`` (parser.go, jsonpath.go) and cli-runtime's
JSONPath and custom-columns printers, over objects in manifest form::

    >>> jsonpath("{.items[*].metadata.name}", {"items": [{"metadata": {"name": "a"}},
    ...                                                  {"metadata": {"name": "b"}}]})
    'a b'

What kubectl does, this does: results of one expression are joined by a space,
maps and lists print as compact JSON, missing keys print nothing unless
``allow_missing_keys=False`` (``--allow-missing-template-keys=false``).
Errors raise :class:`JSONPathError` worded as kubectl words them (without the
``error: `` prefix kubectl adds when it prints one).

Go iterates maps in random order for ``*`` and ``..``; here map values come in
sorted key order so that output is reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8snb.kubectl.printers import TabWriter, escape_terminal
from k8snb.util.gofmt import go_quote, go_sharp_v, go_sprint, json_marshal

__all__ = [
    "JSONPath",
    "JSONPathError",
    "custom_columns",
    "go_sprint",
    "jsonpath",
    "kubectl_jsonpath",
    "parse_custom_columns",
    "relaxed_jsonpath_expression",
]


class JSONPathError(Exception):
    """A JSONPath parse or execution error, with kubectl's message."""


# --------------------------------------------------------------------------- nodes


@dataclass
class ListNode:
    nodes: list = field(default_factory=list)


@dataclass
class TextNode:
    text: str


@dataclass
class FieldNode:
    value: str


@dataclass
class ParamsEntry:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass
class ArrayNode:
    params: list[ParamsEntry]


@dataclass
class FilterNode:
    left: ListNode
    right: ListNode
    operator: str


@dataclass
class IntNode:
    value: int


@dataclass
class FloatNode:
    value: float


@dataclass
class BoolNode:
    value: bool


@dataclass
class WildcardNode:
    pass


@dataclass
class RecursiveNode:
    pass


@dataclass
class UnionNode:
    nodes: list[ListNode]


@dataclass
class IdentifierNode:
    name: str


# --------------------------------------------------------------------------- parser

_EOF = ""
_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?\d*)(:-?\d*)?(:-?\d*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$", re.S)


def _is_space(r: str) -> bool:
    return r in (" ", "\t")


def _is_eol(r: str) -> bool:
    return r in ("\r", "\n")


def _is_terminator(r: str) -> bool:
    return r == _EOF or _is_space(r) or _is_eol(r) or r in ".,[]$@{}"


def _is_alnum(r: str) -> bool:
    return r != _EOF and (r == "_" or r.isalpha() or r.isdigit())


def _go_rune(r: str) -> str:
    """Go's ``%#U``: ``U+0023 '#'``."""
    code = f"U+{ord(r):04X}"
    return f"{code} '{r}'" if r.isprintable() else code


_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
}


def unquote_extend(s: str) -> str:
    """Go ``UnquoteExtend``: ``strconv.Unquote`` that also accepts single quotes."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise ValueError("invalid syntax")
    quote, body = s[0], s[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == quote:
            raise ValueError("invalid syntax")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            raise ValueError("invalid syntax")
        e = body[i + 1]
        i += 2
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
        elif e in "'\"":
            if e != quote:
                raise ValueError("invalid syntax")
            out.append(e)
        elif e in "xuU":
            n = {"x": 2, "u": 4, "U": 8}[e]
            digits = body[i : i + n]
            if len(digits) < n or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise ValueError("invalid syntax")
            out.append(chr(int(digits, 16)))
            i += n
        elif e in "01234567":
            digits = body[i - 1 : i + 2]
            if len(digits) < 3 or not all(d in "01234567" for d in digits) or int(digits, 8) > 255:
                raise ValueError("invalid syntax")
            out.append(chr(int(digits, 8)))
            i += 2
        else:
            raise ValueError("invalid syntax")
    return "".join(out)


class _Parser:
    """client-go ``jsonpath.Parser``: a hand-written scanner over the template text."""

    def __init__(self, name: str):
        self.name = name
        self.root = ListNode()
        self.input = ""
        self.pos = 0
        self.start = 0
        self.width = 0

    # --- scanning
    def parse(self, text: str) -> ListNode:
        self.input = text
        self.root = ListNode()
        self.pos = 0
        step: Any = (self._parse_text, self.root)
        while step is not None:  # a trampoline instead of Go's tail calls
            fn, cur = step
            step = fn(cur)
        return self.root

    def _consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        r = self.input[self.pos]
        self.width = 1
        self.pos += 1
        return r

    def _peek(self) -> str:
        r = self._next()
        self._backup()
        return r

    def _backup(self) -> None:
        self.pos -= self.width

    # --- states
    def _parse_text(self, cur: ListNode):
        while True:
            if self.input.startswith("{", self.pos):
                if self.pos > self.start:
                    cur.nodes.append(TextNode(self._consume()))
                return (self._parse_left_delim, cur)
            if self._next() == _EOF:
                break
        if self.pos > self.start:
            cur.nodes.append(TextNode(self._consume()))
        return None

    def _parse_left_delim(self, cur: ListNode):
        self.pos += 1
        self._consume()
        node = ListNode()
        cur.nodes.append(node)
        return (self._parse_inside_action, node)

    def _parse_inside_action(self, cur: ListNode):
        rest = self.input[self.pos :]
        if rest.startswith("}"):
            return self._parse_right_delim(cur)
        if rest.startswith("[?("):
            return self._parse_filter(cur)
        if rest.startswith(".."):
            return self._parse_recursive(cur)
        r = self._next()
        if r == _EOF or _is_eol(r):
            raise JSONPathError("unclosed action")
        if r == " " or r in "@$":
            self._consume()
        elif r == "[":
            return self._parse_array(cur)
        elif r in "\"'":
            return self._parse_quote(cur, r)
        elif r == ".":
            return self._parse_field(cur)
        elif r in "+-" or r.isdigit():
            self._backup()
            return self._parse_number(cur)
        elif _is_alnum(r):
            self._backup()
            return self._parse_identifier(cur)
        else:
            raise JSONPathError(f"unrecognized character in action: {_go_rune(r)}")
        return (self._parse_inside_action, cur)

    def _parse_right_delim(self, cur: ListNode):
        self.pos += 1
        self._consume()
        return (self._parse_text, self.root)

    def _parse_identifier(self, cur: ListNode):
        while True:
            r = self._next()
            if _is_terminator(r):
                self._backup()
                break
        value = self._consume()
        if value in ("true", "false"):
            cur.nodes.append(BoolNode(value == "true"))
        else:
            cur.nodes.append(IdentifierNode(value))
        return (self._parse_inside_action, cur)

    def _parse_recursive(self, cur: ListNode):
        if cur.nodes and isinstance(cur.nodes[-1], RecursiveNode):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self._consume()
        cur.nodes.append(RecursiveNode())
        if _is_alnum(self._peek()):
            return self._parse_field(cur)
        return (self._parse_inside_action, cur)

    def _parse_number(self, cur: ListNode):
        r = self._peek()
        if r and r in "+-":
            self._next()
        while True:
            r = self._next()
            if r != "." and not r.isdigit():
                self._backup()
                break
        value = self._consume()
        if re.fullmatch(r"[-+]?\d+", value):
            cur.nodes.append(IntNode(int(value)))
            return (self._parse_inside_action, cur)
        try:
            if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", value):
                raise ValueError
            cur.nodes.append(FloatNode(float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None
        return (self._parse_inside_action, cur)

    def _parse_array(self, cur: ListNode):
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated array")
            if r == "]":
                break
        text = self._consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            union = [_parse_action("union", f"[{p.strip(' ')}]") for p in parts]
            cur.nodes.append(UnionNode(union))
            return (self._parse_inside_action, cur)
        m = _DICT_KEY.match(text)
        if m:
            for node in _parse_action("arraydict", f".{m.group(1)}").nodes:
                cur.nodes.append(node)
            return (self._parse_inside_action, cur)
        m = _SLICE.match(text)
        if not m:
            raise JSONPathError(f"invalid array index {text}")
        groups = [m.group(1) or "", m.group(2) or "", m.group(3) or ""]
        params = [ParamsEntry(), ParamsEntry(), ParamsEntry()]
        for i in range(3):
            value = groups[i]
            if value != "":
                if i > 0:
                    value = value[1:]
                if i > 0 and value == "":
                    params[i].known = False
                else:
                    try:
                        params[i].value = int(value)
                    except ValueError:
                        raise JSONPathError(f"array index {value} is not a number") from None
                    params[i].known = True
            elif i == 1:
                params[i] = ParamsEntry(params[0].value + 1, True, True)
            else:
                params[i] = ParamsEntry(0, False)
        cur.nodes.append(ArrayNode(params))
        return (self._parse_inside_action, cur)

    def _parse_filter(self, cur: ListNode):
        self.pos += 3
        self._consume()
        begin = end = False
        pair = ""
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self._next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self._consume()[:-2]
        m = _FILTER.match(text)
        if m is None:
            cur.nodes.append(FilterNode(_parse_action("text", text), ListNode(), "exists"))
        else:
            left = _parse_action("left", m.group(1))
            right = _parse_action("right", m.group(3))
            cur.nodes.append(FilterNode(left, right, m.group(2)))
        return (self._parse_inside_action, cur)

    def _parse_quote(self, cur: ListNode, end: str):
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self._consume()
        try:
            s = unquote_extend(value)
        except ValueError as err:
            raise JSONPathError(f"unquote string {value} error {err}") from None
        cur.nodes.append(TextNode(s))
        return (self._parse_inside_action, cur)

    def _parse_field(self, cur: ListNode):
        self._consume()
        while self._advance():
            pass
        value = self._consume()
        if value == "*":
            cur.nodes.append(WildcardNode())
        else:
            cur.nodes.append(FieldNode(value.replace("\\", "")))
        return (self._parse_inside_action, cur)

    def _advance(self) -> bool:
        r = self._next()
        if r == "\\":
            self._next()
        elif _is_terminator(r):
            self._backup()
            return False
        return True


def _parse_action(name: str, text: str) -> ListNode:
    root = _Parser(name).parse("{" + text + "}")
    return root.nodes[0]


# --------------------------------------------------------------------------- Go value printing


class _Byte(int):
    """A byte of a string reached by ``[*]``/``..`` (Go indexes strings by byte)."""


def _go_type(value: Any) -> str:
    if value is None:
        return "<nil>"
    if isinstance(value, _Byte):
        return "uint8"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list | tuple):
        return "[]interface {}"
    return type(value).__name__


# --------------------------------------------------------------------------- comparisons (text/template funcs)

_BAD_COMPARISON = "incompatible types for comparison"
_BAD_COMPARISON_TYPE = "invalid type for comparison"


def _basic_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    raise JSONPathError(_BAD_COMPARISON_TYPE)


def _equal(a: Any, b: Any) -> bool:
    if _basic_kind(a) != _basic_kind(b):
        raise JSONPathError(_BAD_COMPARISON)
    return a == b


def _less(a: Any, b: Any) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka != kb:
        raise JSONPathError(_BAD_COMPARISON)
    if ka == "bool":
        raise JSONPathError(_BAD_COMPARISON_TYPE)
    return a < b


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<": _less,
    ">": lambda a, b: not (_less(a, b) or _equal(a, b)),
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<=": lambda a, b: _less(a, b) or _equal(a, b),
    ">=": lambda a, b: not _less(a, b),
}


# --------------------------------------------------------------------------- evaluation


def _children(value: Any) -> list:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return [_Byte(b) for b in value.encode()]
    return []


class JSONPath:
    """A parsed template; :meth:`execute` renders it against a value.

    >>> JSONPath("{range .items[*]}[{.name}]{end}").execute({"items": [{"name": "a"}]})
    '[a]'
    """

    def __init__(self, template: str, *, allow_missing_keys: bool = True, name: str = "out"):
        self.template = template
        self.allow_missing_keys = allow_missing_keys
        self.nodes = _Parser(name).parse(template).nodes
        self._begin_range = 0
        self._in_range = 0
        self._end_range = 0
        self._last_end: int | None = None

    # --- results
    def find_results(self, data: Any) -> list[list[Any]]:
        """Every top-level expression's values (client-go ``FindResults``)."""
        self._begin_range = self._in_range = self._end_range = 0
        self._last_end = None
        return self._find(data, 0)

    def _find(self, data: Any, start: int) -> list[list[Any]]:
        cur = [data]
        nodes = self.nodes
        full: list[list[Any]] = []
        i = start
        while i < len(nodes):
            results = self._walk(cur, nodes[i])
            # an end node breaks the current block
            if self._end_range > 0 and self._end_range <= self._in_range:
                self._end_range -= 1
                self._last_end = i
                break
            # a range node starts a loop over its results
            if self._begin_range > 0:
                self._begin_range -= 1
                self._in_range += 1
                if results:
                    for value in results:
                        full.extend(self._find(value, i + 1))
                else:
                    self._find(None, i + 1)
                self._in_range -= 1
                for k in range(i + 1, len(nodes)):
                    if k == self._last_end:
                        i = k
                        break
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def execute(self, data: Any, *, json_output: bool = False) -> str:
        """Render the template (``-o jsonpath``; ``json_output`` is ``-o jsonpath-as-json``)."""
        return "".join(self._print(r, json_output) for r in self.find_results(data))

    @staticmethod
    def _print(results: list[Any], json_output: bool) -> str:
        if json_output:
            return json_marshal(list(results), "    ") + "\n"
        texts = []
        for r in results:
            if isinstance(r, dict | list | tuple):
                texts.append(json_marshal(r))
            else:
                texts.append(go_sprint(r))
        return " ".join(texts)

    # --- walking
    def _walk(self, value: list[Any], node: Any) -> list[Any]:
        if isinstance(node, ListNode):
            return self._eval_list(value, node)
        if isinstance(node, TextNode):
            return [node.text]
        if isinstance(node, FieldNode):
            return self._eval_field(value, node)
        if isinstance(node, ArrayNode):
            return self._eval_array(value, node)
        if isinstance(node, FilterNode):
            return self._eval_filter(value, node)
        if isinstance(node, IntNode | FloatNode | BoolNode):
            return [node.value for _ in value]
        if isinstance(node, WildcardNode):
            return [c for v in value if v is not None for c in _children(v)]
        if isinstance(node, RecursiveNode):
            return self._eval_recursive(value)
        if isinstance(node, UnionNode):
            return [r for n in node.nodes for r in self._eval_list(value, n)]
        if isinstance(node, IdentifierNode):
            return self._eval_identifier(value, node)
        raise JSONPathError(f"unexpected Node {node}")

    def _eval_list(self, value: list[Any], node: ListNode) -> list[Any]:
        cur = value
        for n in node.nodes:
            cur = self._walk(cur, n)
        return cur

    def _eval_identifier(self, value: list[Any], node: IdentifierNode) -> list[Any]:
        if node.name == "range":
            self._begin_range += 1
            return value
        if node.name == "end":
            if self._in_range > 0:
                self._end_range += 1
                return []
            raise JSONPathError("not in range, nothing to end")
        raise JSONPathError(f"unrecognized identifier {node.name}")

    def _eval_field(self, value: list[Any], node: FieldNode) -> list[Any]:
        if not value:
            return []
        results = []
        for v in value:
            if isinstance(v, dict) and node.value in v:
                results.append(v[node.value])
        if not results and not self.allow_missing_keys:
            raise JSONPathError(f"{node.value} is not found")
        return results

    def _eval_array(self, value: list[Any], node: ArrayNode) -> list[Any]:
        result: list[Any] = []
        for v in value:
            if v is None:
                continue
            if not isinstance(v, list | tuple):
                raise JSONPathError(f"{_go_type(v)} is not array or slice")
            n = len(v)
            p = [ParamsEntry(e.value, e.known, e.derived) for e in node.params]
            if not p[0].known:
                p[0].value = 0
            if p[0].value < 0:
                p[0].value += n
            if not p[1].known:
                p[1].value = n
            if p[1].value < 0 or (p[1].value == 0 and p[1].derived):
                p[1].value += n
            if p[1].value == p[0].value:
                return result
            if p[0].value >= n or p[0].value < 0:
                raise JSONPathError(f"array index out of bounds: index {p[0].value}, length {n}")
            if p[1].value > n or p[1].value < 0:
                raise JSONPathError(
                    f"array index out of bounds: index {p[1].value - 1}, length {n}"
                )
            if p[0].value > p[1].value:
                raise JSONPathError(
                    f"starting index {p[0].value} is greater than ending index {p[1].value}"
                )
            step = 1
            if p[2].known:
                if p[2].value <= 0:
                    raise JSONPathError("step must be > 0")
                step = p[2].value
            result.extend(list(v[p[0].value : p[1].value])[::step])
        return result

    def _eval_recursive(self, value: list[Any]) -> list[Any]:
        result: list[Any] = []
        for v in value:
            if v is None:
                continue
            kids = _children(v)
            if kids:
                result.append(v)
                result.extend(self._eval_recursive(kids))
        return result

    def _eval_filter(self, value: list[Any], node: FilterNode) -> list[Any]:
        results: list[Any] = []
        for v in value:
            if not isinstance(v, list | tuple):
                raise JSONPathError(f"{go_sprint(v)} is not array or slice and cannot be filtered")
            for item in v:
                try:
                    lefts = self._eval_list([item], node.left)
                    err = None
                except JSONPathError as e:
                    lefts, err = [], e
                if node.operator == "exists":
                    if lefts:
                        results.append(item)
                    continue
                if err is not None:
                    raise err
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise JSONPathError("can only compare one element at a time")
                rights = self._eval_list([item], node.right)
                if not rights:
                    continue
                if len(rights) > 1:
                    raise JSONPathError("can only compare one element at a time")
                op = _OPERATORS.get(node.operator)
                if op is None:
                    raise JSONPathError(f"unrecognized filter operator {node.operator}")
                if op(lefts[0], rights[0]):
                    results.append(item)
        return results


def jsonpath(
    template: str, data: Any, *, allow_missing_keys: bool = True, json_output: bool = False
) -> str:
    """Parse and render ``template`` against ``data`` (raw client-go errors)."""
    return JSONPath(template, allow_missing_keys=allow_missing_keys).execute(
        data, json_output=json_output
    )


def kubectl_jsonpath(
    template: str, obj: Any, *, allow_missing_keys: bool = True, json_output: bool = False
) -> str:
    """``kubectl get -o jsonpath=TEMPLATE``: output text, or a JSONPathError worded by kubectl.

    The message is what follows ``error: `` on kubectl's stderr, e.g.
    ``error parsing jsonpath {.metadata.name, unclosed action``.
    """
    try:
        jp = JSONPath(template, allow_missing_keys=allow_missing_keys)
    except JSONPathError as err:
        raise JSONPathError(f"error parsing jsonpath {template}, {err}") from None
    try:
        return jp.execute(obj, json_output=json_output)
    except JSONPathError as err:
        debug = (
            f"Error executing template: {err}. Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{go_sharp_v(obj)}\n\n"
        )
        raise JSONPathError(f"error executing jsonpath {go_quote(template)}: {debug}\n") from None


# --------------------------------------------------------------------------- custom columns

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed_jsonpath_expression(path: str) -> str:
    """cli-runtime ``RelaxedJSONPathExpression``: ``.a.b``, ``a.b``, ``{a.b}`` all mean ``{.a.b}``."""
    if not path:
        return path
    m = _RELAXED.match(path)
    if m is None:
        raise JSONPathError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (m.group(1) or m.group(2)) + "}"


def parse_custom_columns(spec: str) -> list[tuple[str, str]]:
    """``-o custom-columns=NAME:.metadata.name,...`` into (header, template) pairs."""
    if not spec:
        raise JSONPathError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise JSONPathError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append((header, relaxed_jsonpath_expression(path)))
    return columns


def custom_columns(objects: Sequence[dict], spec: str, *, no_headers: bool = False) -> str:
    """Print ``objects`` as ``kubectl get -o custom-columns=SPEC`` does.

    Headers are printed as given; a column with no value prints ``<none>``;
    several values are joined with commas.
    """
    columns = parse_custom_columns(spec)
    parsers = [
        JSONPath(tmpl, allow_missing_keys=True, name=f"column{i}")
        for i, (_, tmpl) in enumerate(columns)
    ]
    tw = TabWriter(minwidth=6, tabwidth=4, padding=3)
    if not no_headers:
        tw.write("\t".join(h for h, _ in columns) + "\n")
    for obj in objects:
        cells = []
        for parser in parsers:
            values = parser.find_results(obj)
            texts = []
            if not values or not values[0]:
                texts.append("<none>")
            for group in values:
                for v in group:
                    texts.append(escape_terminal(go_sprint(v)))
            cells.append(",".join(texts))
        tw.write("\t".join(cells) + "\n")
    return tw.getvalue()
