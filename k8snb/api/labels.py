"""Label selectors, ported from apimachinery ``pkg/labels/selector.go``.

A selector is a list of requirements that must all hold (AND)::

    >>> sel = parse_selector("app=web,tier in (front, back),!canary")
    >>> str(sel)                       # sorted by key, as the parser sorts them
    'app=web,!canary,tier in (back,front)'
    >>> sel.matches({"app": "web", "tier": "front"})
    True

The lexer, the parser and their error messages follow upstream closely, so a learner who types
a broken ``kubectl get -l`` sees the message a real API server sends. Matching is on hot paths
(controllers match every pod of a namespace), so each requirement is compiled once into a
small function and :meth:`Selector.matches` does no parsing and no regex work.

Upstream: apimachinery ``pkg/labels/selector.go`` (parser, ``Requirement``), ``pkg/selection``
(operator names), ``pkg/apis/meta/v1/helpers.go`` (``LabelSelectorAsSelector``),
``pkg/apis/meta/v1/validation/validation.go`` (``ValidateLabels``),
``pkg/util/validation/field/errors.go`` (how field errors print).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from k8snb.api.names import is_qualified_name, is_valid_label_value

__all__ = [
    "DOES_NOT_EXIST",
    "DOUBLE_EQUALS",
    "EQUALS",
    "EVERYTHING",
    "EXISTS",
    "GREATER_THAN",
    "IN",
    "LESS_THAN",
    "NOTHING",
    "NOT_EQUALS",
    "NOT_IN",
    "Requirement",
    "Selector",
    "SelectorError",
    "everything",
    "format_label_selector",
    "new_requirement",
    "parse_selector",
    "selector_from_label_selector",
    "selector_from_set",
    "validate_labels",
]

# Operator names, as ``k8s.io/apimachinery/pkg/selection`` spells them.
DOES_NOT_EXIST = "!"
EQUALS = "="
DOUBLE_EQUALS = "=="
IN = "in"
NOT_EQUALS = "!="
NOT_IN = "notin"
EXISTS = "exists"
GREATER_THAN = "gt"
LESS_THAN = "lt"

_BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
_UNARY_OPERATORS = (EXISTS, DOES_NOT_EXIST)
_VALID_OPERATORS = _BINARY_OPERATORS + _UNARY_OPERATORS

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

Labels = Mapping[str, str]


class SelectorError(ValueError):
    """A selector that does not parse or a requirement that is not valid.

    ``str(error)`` is the message the API server puts in its 400 Bad Request, e.g.
    ``unable to parse requirement: <nil>: Invalid value: "app:web": name part must ...``.
    """


# --- field errors, printed as apimachinery prints them --------------------------------------


_GO_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def _go_quote(s: str) -> str:
    """Go's ``%q`` for a string (``strconv.Quote``)."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _go_json(value: Any) -> str:
    """``json.Marshal``: compact, with ``<``, ``>``, ``&`` escaped as Go does."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _bad_value(value: Any) -> str:
    """How ``field.Error`` renders the bad value: strings with %q, the rest as JSON."""
    if isinstance(value, str):
        return _go_quote(value)
    return _go_json(value)


def _invalid(field: str, value: Any, detail: str) -> str:
    """``field.Invalid(path, value, detail).Error()``; a nil path prints as ``<nil>``."""
    return f"{field}: Invalid value: {_bad_value(value)}: {detail}"


def _aggregate(messages: list[str]) -> str:
    """``utilerrors.NewAggregate(...).Error()``: one message alone, several in ``[a, b]``."""
    seen: list[str] = []
    for msg in messages:
        if msg not in seen:
            seen.append(msg)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


def _child(path: str | None, name: str) -> str:
    return name if path is None else f"{path}.{name}"


def _validate_key(key: str, path: str | None) -> str | None:
    errs = is_qualified_name(key)
    if errs:
        return _invalid("<nil>" if path is None else path, key, "; ".join(errs))
    return None


# --- requirements ---------------------------------------------------------------------------


def _parse_int64(s: str) -> int | None:
    """``strconv.ParseInt(s, 10, 64)``: optional sign, ASCII digits only, int64 range."""
    digits = s[1:] if s[:1] in "+-" else s
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    n = int(s)
    return n if _INT64_MIN <= n <= _INT64_MAX else None


def _compile(key: str, op: str, values: tuple[str, ...]) -> Callable[[Labels], bool]:
    """One requirement as a closure over plain dict operations (``Requirement.Matches``)."""
    if op in (IN, EQUALS, DOUBLE_EQUALS):
        if len(values) == 1:
            v = values[0]
            return lambda ls: ls.get(key) == v
        vs = frozenset(values)
        return lambda ls: ls.get(key) in vs  # an absent key gives None, never in vs
    if op in (NOT_IN, NOT_EQUALS):
        if len(values) == 1:
            v = values[0]
            return lambda ls: ls.get(key) != v  # absent key: matches
        vs = frozenset(values)
        return lambda ls: ls.get(key) not in vs
    if op == EXISTS:
        return lambda ls: key in ls
    if op == DOES_NOT_EXIST:
        return lambda ls: key not in ls
    if op in (GREATER_THAN, LESS_THAN):
        bound = _parse_int64(values[0]) if len(values) == 1 else None
        if bound is None:
            return lambda ls: False
        greater = op == GREATER_THAN

        def compare(ls: Labels) -> bool:
            raw = ls.get(key)
            if raw is None:
                return False
            n = _parse_int64(raw)
            if n is None:  # a label value that is not an integer never matches
                return False
            return n > bound if greater else n < bound

        return compare
    return lambda ls: False


class Requirement:
    """One ``key operator values`` term of a selector.

    ``operator`` uses apimachinery's names: ``in``, ``notin``, ``=``, ``==``, ``!=``,
    ``exists``, ``!`` (does not exist), ``gt``, ``lt``. A requirement unpacks as
    ``key, operator, values = req``. Build checked requirements with :func:`new_requirement`.
    """

    __slots__ = ("key", "operator", "values", "matches")

    key: str
    operator: str
    values: tuple[str, ...]
    #: ``matches(labels) -> bool``, compiled once.
    matches: Callable[[Labels], bool]

    def __init__(self, key: str, operator: str, values: Iterable[str] = ()) -> None:
        self.key = key
        self.operator = operator
        self.values = tuple(values)
        self.matches = _compile(key, operator, self.values)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.key, self.operator, self.values))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Requirement):
            return NotImplemented
        return (self.key, self.operator, self.values) == (other.key, other.operator, other.values)

    def __hash__(self) -> int:
        return hash((self.key, self.operator, self.values))

    def __repr__(self) -> str:
        return f"Requirement({self.key!r}, {self.operator!r}, {list(self.values)!r})"

    def __str__(self) -> str:
        """``x in (a,b)``, ``x!=a``, ``!x``: the form ``Requirement.String`` prints."""
        op = self.operator
        if op == EXISTS:
            return self.key
        if op == DOES_NOT_EXIST:
            return "!" + self.key
        vals = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if op in (IN, NOT_IN):
            return f"{self.key} {op} ({vals})"
        symbol = {GREATER_THAN: ">", LESS_THAN: "<"}.get(op, op)
        return f"{self.key}{symbol}{vals}"


def _new_requirement(
    key: str, op: str, values: list[str] | None, path: str | None = None
) -> tuple[Requirement, list[str]]:
    """``labels.NewRequirement``: the requirement and its field errors (maybe empty).

    ``values=None`` stands for a Go nil slice, which prints as ``null`` in messages.
    """
    errs: list[str] = []
    key_err = _validate_key(key, _child(path, "key"))
    if key_err:
        errs.append(key_err)
    vals = list(values or [])
    shown: Any = values if values is not None else None
    values_path = _child(path, "values")
    if op in (IN, NOT_IN):
        if not vals:
            errs.append(
                _invalid(
                    values_path, shown, "for 'in', 'notin' operators, values set can't be empty"
                )
            )
    elif op in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(vals) != 1:
            errs.append(
                _invalid(values_path, shown, "exact-match compatibility requires one single value")
            )
    elif op in (EXISTS, DOES_NOT_EXIST):
        if vals:
            errs.append(
                _invalid(
                    values_path, shown, "values set must be empty for exists and does not exist"
                )
            )
    elif op in (GREATER_THAN, LESS_THAN):
        if len(vals) != 1:
            errs.append(
                _invalid(
                    values_path, shown, "for 'Gt', 'Lt' operators, exactly one value is required"
                )
            )
        for i, v in enumerate(vals):
            if _parse_int64(v) is None:
                errs.append(
                    _invalid(
                        f"{values_path}[{i}]",
                        v,
                        "for 'Gt', 'Lt' operators, the value must be an integer",
                    )
                )
    else:
        supported = ", ".join(_go_quote(o) for o in _VALID_OPERATORS)
        errs.append(
            f"{_child(path, 'operator')}: Unsupported value: {_go_json(op)}: supported values: {supported}"
        )
    for i, v in enumerate(vals):
        value_errs = is_valid_label_value(v)
        if value_errs:
            errs.append(_invalid(f"{values_path}[{i}][{key}]", v, "; ".join(value_errs)))
    return Requirement(key, op, vals), errs


def new_requirement(key: str, operator: str, values: Iterable[str] | None = None) -> Requirement:
    """A checked :class:`Requirement`, or :class:`SelectorError` with upstream's message.

    >>> new_requirement("x", "gt", ["a"])
    Traceback (most recent call last):
    SelectorError: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer
    """
    req, errs = _new_requirement(key, operator, None if values is None else list(values))
    if errs:
        raise SelectorError(_aggregate(errs))
    return req


# --- selectors ------------------------------------------------------------------------------


def _match_everything(labels: Labels | None) -> bool:
    return True


def _match_nothing(labels: Labels | None) -> bool:
    return False


_EMPTY: Mapping[str, str] = {}


def _compile_selector(reqs: tuple[Requirement, ...]) -> Callable[[Labels | None], bool]:
    if not reqs:
        return _match_everything
    if all(r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1 for r in reqs):
        # The common case (matchLabels, Service selectors).
        if len(reqs) == 1:
            key, value = reqs[0].key, reqs[0].values[0]

            def match_pair(labels: Labels | None) -> bool:
                return labels is not None and labels.get(key) == value

            return match_pair
        # Several pairs: one subset test, done in C.
        wanted = frozenset((r.key, r.values[0]) for r in reqs)
        if len(wanted) == len(reqs):

            def match_set(labels: Labels | None) -> bool:
                return labels is not None and labels.items() >= wanted

            return match_set
    if len(reqs) == 1:
        only = reqs[0].matches

        def match_one(labels: Labels | None) -> bool:
            return only(_EMPTY if labels is None else labels)

        return match_one
    fns = tuple(r.matches for r in reqs)

    def match_all(labels: Labels | None) -> bool:
        if labels is None:
            labels = _EMPTY
        for fn in fns:
            if not fn(labels):
                return False
        return True

    return match_all


class _EmptyAccessor:
    """``Selector.empty``: a predicate on an instance, the match-everything selector on the class.

    ``sel.empty()`` answers upstream's ``Empty()`` ("does not restrict the selection");
    ``Selector.empty()`` returns a selector that matches everything (``labels.Everything()``).
    """

    def __get__(self, instance: Selector | None, owner: type) -> Callable[[], Any]:
        if instance is None:
            return everything
        return instance._is_empty


class Selector:
    """A parsed label selector: requirements sorted by key, all of which must hold.

    ``sel.matches(labels)`` takes a label mapping (``None`` counts as no labels).
    ``str(sel)`` is the canonical form; ``sel.requirements`` the parsed terms.
    ``sel.empty()`` is true when the selector restricts nothing (matches everything).
    """

    __slots__ = ("requirements", "matches", "_text")

    requirements: tuple[Requirement, ...]
    #: ``matches(labels) -> bool``, compiled once for speed.
    matches: Callable[[Labels | None], bool]

    empty = _EmptyAccessor()

    def __init__(self, requirements: Iterable[Requirement] = ()) -> None:
        reqs = tuple(sorted(requirements, key=lambda r: r.key))  # stable, like sort.Sort(ByKey)
        self.requirements = reqs
        self.matches = _compile_selector(reqs)
        self._text: str | None = None

    def _is_empty(self) -> bool:
        return not self.requirements

    def add(self, *requirements: Requirement) -> Selector:
        """A new selector with more requirements (``Selector.Add``)."""
        return Selector(self.requirements + requirements)

    def requires_exact_match(self, label: str) -> str | None:
        """The value ``label`` must have, if the selector pins it to one (``RequiresExactMatch``)."""
        for r in self.requirements:
            if r.key == label:
                if r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1:
                    return r.values[0]
                return None
        return None

    def __str__(self) -> str:
        if self._text is None:
            self._text = ",".join(str(r) for r in self.requirements)
        return self._text

    def __repr__(self) -> str:
        return f"<Selector {str(self)!r}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Selector):
            return NotImplemented
        return type(self) is type(other) and self.requirements == other.requirements

    def __hash__(self) -> int:
        return hash((type(self), self.requirements))


class _NothingSelector(Selector):
    """``labels.Nothing()``: matches no labels at all; what a nil LabelSelector means."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__()
        self.matches = _match_nothing

    def _is_empty(self) -> bool:
        return False

    def add(self, *requirements: Requirement) -> Selector:
        return self

    def __repr__(self) -> str:
        return "<Selector nothing>"


#: Matches every label set (``labels.Everything()``).
EVERYTHING = Selector()
#: Matches no label set (``labels.Nothing()``), e.g. a workload whose selector is nil.
NOTHING = _NothingSelector()


def everything() -> Selector:
    """The selector that matches everything (``labels.Everything()``)."""
    return EVERYTHING


def selector_from_set(labels: Mapping[str, str] | None) -> Selector:
    """Equality requirements for every pair, like a Service's ``spec.selector`` map.

    Not validated, as upstream ``SelectorFromSet``. An empty or ``None`` map matches everything.
    """
    if not labels:
        return EVERYTHING
    return Selector(Requirement(k, EQUALS, (v,)) for k, v in labels.items())


def selector_from_label_selector(selector: Mapping[str, Any] | None) -> Selector:
    """Convert a ``LabelSelector`` object (``matchLabels`` + ``matchExpressions``).

    ``None`` matches nothing; ``{}`` matches everything (``LabelSelectorAsSelector``).
    Operators are ``In``, ``NotIn``, ``Exists``, ``DoesNotExist``; anything else raises
    ``"Gt" is not a valid pod selector operator``.
    """
    if selector is None:
        return NOTHING
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not match_labels and not expressions:
        return EVERYTHING
    reqs = []
    for key in sorted(match_labels):  # Go iterates a map at random; sorted is one of its orders
        req, errs = _new_requirement(key, EQUALS, [match_labels[key]])
        if errs:
            raise SelectorError(_aggregate(errs))
        reqs.append(req)
    ops = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}
    for expr in expressions:
        raw_op = expr.get("operator", "")
        op = ops.get(raw_op)
        if op is None:
            raise SelectorError(f"{_go_quote(str(raw_op))} is not a valid pod selector operator")
        values = expr.get("values")
        req, errs = _new_requirement(expr.get("key", ""), op, list(values) if values else None)
        if errs:
            raise SelectorError(_aggregate(errs))
        reqs.append(req)
    return Selector(reqs)


def format_label_selector(selector: Mapping[str, Any] | None) -> str:
    """A LabelSelector as kubectl prints it: ``app=web``, ``<none>`` or ``<error>``."""
    try:
        text = str(selector_from_label_selector(selector))
    except SelectorError:
        return "<error>"
    return text or "<none>"


def validate_labels(labels: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """Check ``metadata.labels`` as ``ValidateLabels`` does: ``[(field_suffix, message)]``.

    Upstream reports every problem at the labels map itself, so ``field_suffix`` is ``""``
    and ``message`` is the body of the field error; prefix it with the map's path::

        >>> validate_labels({"app": "a b"})[0][1][:42]
        'Invalid value: "a b": a valid label must b'

    which prints as ``metadata.labels: Invalid value: "a b": a valid label must be ...``.
    """
    issues: list[tuple[str, str]] = []
    for key, value in (labels or {}).items():
        for msg in is_qualified_name(key):
            issues.append(("", f"Invalid value: {_bad_value(key)}: {msg}"))
        if not isinstance(value, str):
            issues.append(("", f"Invalid value: {_bad_value(value)}: must be a string"))
            continue
        for msg in is_valid_label_value(value):
            issues.append(("", f"Invalid value: {_bad_value(value)}: {msg}"))
    return issues


# --- the lexer ------------------------------------------------------------------------------

# Token kinds, in upstream's order.
_ERROR = 0
_END = 1
_CLOSED_PAR = 2
_COMMA = 3
_DOES_NOT_EXIST = 4
_DOUBLE_EQUALS = 5
_EQUALS = 6
_GREATER_THAN = 7
_IDENTIFIER = 8
_IN = 9
_LESS_THAN = 10
_NOT_EQUALS = 11
_NOT_IN = 12
_OPEN_PAR = 13

_STRING_TO_TOKEN = {
    ")": _CLOSED_PAR,
    ",": _COMMA,
    "!": _DOES_NOT_EXIST,
    "==": _DOUBLE_EQUALS,
    "=": _EQUALS,
    ">": _GREATER_THAN,
    "in": _IN,
    "<": _LESS_THAN,
    "!=": _NOT_EQUALS,
    "notin": _NOT_IN,
    "(": _OPEN_PAR,
}
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")


class _Lexer:
    """``labels.Lexer``: splits a selector into tokens; special symbols take the longest match."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0

    def _read(self) -> str:
        if self.pos < len(self.s):
            ch = self.s[self.pos]
            self.pos += 1
            return "" if ch == "\x00" else ch  # Go's lexer reads a NUL byte as the end
        return ""

    def _unread(self) -> None:
        self.pos -= 1

    def _scan_id_or_keyword(self) -> tuple[int, str]:
        buf = []
        while True:
            ch = self._read()
            if ch == "":
                break
            if ch in _SPECIAL or ch in _WHITESPACE:
                self._unread()
                break
            buf.append(ch)
        text = "".join(buf)
        return _STRING_TO_TOKEN.get(text, _IDENTIFIER), text

    def _scan_special_symbol(self) -> tuple[int, str]:
        last_tok, last_lit = 0, ""
        buf = ""
        while True:
            ch = self._read()
            if ch == "":
                break
            if ch in _SPECIAL:
                buf += ch
                tok = _STRING_TO_TOKEN.get(buf)
                if tok is not None:
                    last_tok, last_lit = tok, buf
                elif last_tok != 0:
                    self._unread()
                    break
            else:
                self._unread()
                break
        if last_tok == 0:
            return _ERROR, f"error expected: keyword found '{buf}'"
        return last_tok, last_lit

    def lex(self) -> tuple[int, str]:
        ch = self._read()
        while ch in _WHITESPACE and ch != "":
            ch = self._read()
        if ch == "":
            return _END, ""
        self._unread()
        if ch in _SPECIAL:
            return self._scan_special_symbol()
        return self._scan_id_or_keyword()


# --- the parser -----------------------------------------------------------------------------

_KEY_AND_OPERATOR = 0
_VALUES = 1


class _Parser:
    """``labels.Parser``: recursive descent over the scanned tokens."""

    def __init__(self, text: str) -> None:
        lexer = _Lexer(text)
        self.items: list[tuple[int, str]] = []
        while True:
            tok, lit = lexer.lex()
            self.items.append((tok, lit))
            if tok == _END:
                break
        self.position = 0

    def lookahead(self, context: int) -> tuple[int, str]:
        tok, lit = self.items[self.position]
        if context == _VALUES and tok in (_IN, _NOT_IN):
            tok = _IDENTIFIER  # 'in' and 'notin' are plain words where values are expected
        return tok, lit

    def consume(self, context: int) -> tuple[int, str]:
        tok, lit = self.lookahead(context)
        self.position += 1
        return tok, lit

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            tok, lit = self.lookahead(_VALUES)
            if tok in (_IDENTIFIER, _DOES_NOT_EXIST):
                try:
                    req = self.parse_requirement()
                except SelectorError as e:
                    raise SelectorError(f"unable to parse requirement: {e}") from None
                requirements.append(req)
                t, lit2 = self.consume(_VALUES)
                if t == _END:
                    return requirements
                if t == _COMMA:
                    t2, lit3 = self.lookahead(_VALUES)
                    if t2 not in (_IDENTIFIER, _DOES_NOT_EXIST):
                        raise SelectorError(f"found '{lit3}', expected: identifier after ','")
                else:
                    raise SelectorError(f"found '{lit2}', expected: ',' or 'end of string'")
            elif tok == _END:
                return requirements
            else:
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def parse_requirement(self) -> Requirement:
        key, op = self.parse_key_and_infer_operator()
        if op in (EXISTS, DOES_NOT_EXIST):
            return self._checked(key, op, [])
        op = self.parse_operator()
        if op in (IN, NOT_IN):
            values = self.parse_values()
        else:
            values = self.parse_exact_value()
        return self._checked(key, op, sorted(values))

    @staticmethod
    def _checked(key: str, op: str, values: list[str]) -> Requirement:
        req, errs = _new_requirement(key, op, values)
        if errs:
            raise SelectorError(_aggregate(errs))
        return req

    def parse_key_and_infer_operator(self) -> tuple[str, str]:
        op = ""
        tok, literal = self.consume(_VALUES)
        if tok == _DOES_NOT_EXIST:
            op = DOES_NOT_EXIST
            tok, literal = self.consume(_VALUES)
        if tok != _IDENTIFIER:
            raise SelectorError(f"found '{literal}', expected: identifier")
        err = _validate_key(literal, None)
        if err:
            raise SelectorError(err)
        t, _ = self.lookahead(_VALUES)
        if t in (_END, _COMMA) and op != DOES_NOT_EXIST:
            op = EXISTS
        return literal, op

    def parse_operator(self) -> str:
        tok, lit = self.consume(_KEY_AND_OPERATOR)
        ops = {
            _IN: IN,
            _EQUALS: EQUALS,
            _DOUBLE_EQUALS: DOUBLE_EQUALS,
            _GREATER_THAN: GREATER_THAN,
            _LESS_THAN: LESS_THAN,
            _NOT_IN: NOT_IN,
            _NOT_EQUALS: NOT_EQUALS,
        }
        if tok not in ops:
            raise SelectorError(f"found '{lit}', expected: {', '.join(_BINARY_OPERATORS)}")
        return ops[tok]

    def parse_values(self) -> set[str]:
        tok, lit = self.consume(_VALUES)
        if tok != _OPEN_PAR:
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead(_VALUES)
        if tok in (_IDENTIFIER, _COMMA):
            values = self.parse_identifiers_list()
            if self.consume(_VALUES)[0] != _CLOSED_PAR:
                raise SelectorError(f"found '{lit}', expected: ')'")
            return values
        if tok == _CLOSED_PAR:  # "()" means the empty string
            self.consume(_VALUES)
            return {""}
        raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")

    def parse_identifiers_list(self) -> set[str]:
        values: set[str] = set()
        while True:
            tok, lit = self.consume(_VALUES)
            if tok == _IDENTIFIER:
                values.add(lit)
                tok2, lit2 = self.lookahead(_VALUES)
                if tok2 == _COMMA:
                    continue
                if tok2 == _CLOSED_PAR:
                    return values
                raise SelectorError(f"found '{lit2}', expected: ',' or ')'")
            if tok == _COMMA:  # "(," and ",," and ",)" stand for empty strings
                if not values:
                    values.add("")
                tok2, _ = self.lookahead(_VALUES)
                if tok2 == _CLOSED_PAR:
                    values.add("")
                    return values
                if tok2 == _COMMA:
                    self.consume(_VALUES)
                    values.add("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def parse_exact_value(self) -> set[str]:
        tok, _ = self.lookahead(_VALUES)
        if tok in (_END, _COMMA):
            return {""}
        tok, lit = self.consume(_VALUES)
        if tok == _IDENTIFIER:
            return {lit}
        raise SelectorError(f"found '{lit}', expected: identifier")


def parse_selector(text: str) -> Selector:
    """Parse the string form of a label selector, as ``kubectl get -l`` sends it.

    Raises :class:`SelectorError` with the API server's message::

        >>> parse_selector("x=a||y=b")
        Traceback (most recent call last):
        SelectorError: unable to parse requirement: values[0][x]: Invalid value: "a||y": ...

    The message is complete: the API server sends it as is, with no prefix added.
    """
    return Selector(_Parser(text).parse())
