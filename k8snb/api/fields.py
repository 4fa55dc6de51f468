"""Field selectors (``kubectl get pods --field-selector spec.nodeName=node-1``).

A field selector is a comma-separated AND of ``field=value``, ``field==value`` and
``field!=value`` terms. Unlike label selectors, each kind supports only a few fields, all
server-side; any other field is refused with the kind's own message, e.g.
``field label not supported: spec.foo`` for pods or ``"foo.bar" is not a known field
selector: only "metadata.name", "metadata.namespace"`` for kinds without a table.

A field that is absent from an object counts as the empty string, so ``spec.nodeName=``
selects unscheduled pods and ``spec.nodeName!=`` the scheduled ones. Values may escape
``\\``, ``,`` and ``=`` with a backslash.

Upstream: apimachinery ``pkg/fields/selector.go`` (parser, escaping, messages),
kubernetes ``pkg/apis/core/v1/conversion.go`` (the supported fields per kind),
``pkg/registry/core/*/strategy.go`` (the field values), apimachinery
``pkg/runtime/conversion.go`` (``DefaultMetaV1FieldSelectorConversion``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "SUPPORTED_FIELDS",
    "FieldSelector",
    "FieldSelectorError",
    "escape_value",
    "field_value",
    "parse_field_selector",
]

Obj = Mapping[str, Any]


class FieldSelectorError(ValueError):
    """A field selector that does not parse or names an unsupported field."""


_GENERIC = ("metadata.name", "metadata.namespace")

#: Fields each kind accepts (core/v1 conversion.go); kinds not listed accept only the two
#: generic fields and answer other fields with the generic message.
SUPPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "Pod": (
        "metadata.name",
        "metadata.namespace",
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.nominatedNodeName",
        "spec.host",  # an old name for spec.nodeName, still accepted
    ),
    "Node": ("metadata.name", "spec.unschedulable"),
    "Event": (
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "source",
        "type",
        "metadata.namespace",
        "metadata.name",
    ),
    "Namespace": ("status.phase", "metadata.name"),
    "Secret": ("type", "metadata.namespace", "metadata.name"),
    "Service": ("metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"),
    "ReplicationController": ("metadata.name", "metadata.namespace", "status.replicas"),
}

# Fields renamed by the conversion before matching.
_RENAMED = {("Pod", "spec.host"): "spec.nodeName"}

_KIND_ALIASES = {
    "pod": "Pod",
    "pods": "Pod",
    "node": "Node",
    "nodes": "Node",
    "event": "Event",
    "events": "Event",
    "namespace": "Namespace",
    "namespaces": "Namespace",
    "secret": "Secret",
    "secrets": "Secret",
    "service": "Service",
    "services": "Service",
    "replicationcontroller": "ReplicationController",
    "replicationcontrollers": "ReplicationController",
}


def _kind_name(kind: str | None) -> str | None:
    if kind is None:
        return None
    return _KIND_ALIASES.get(kind, kind)


def _text(value: Any) -> str:
    """A field value as the server's field set holds it: strings, ``true``/``false``, ints."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return ""


def _path_getter(path: str) -> Callable[[Obj], str]:
    parts = tuple(path.split("."))

    def get(obj: Obj) -> str:
        cur: Any = obj
        for part in parts:
            if not isinstance(cur, Mapping):
                return ""
            cur = cur.get(part)
        return _text(cur)

    return get


def _pod_ip(obj: Obj) -> str:
    status = obj.get("status") or {}
    ips = status.get("podIPs") or []
    if ips and isinstance(ips[0], Mapping):
        return _text(ips[0].get("ip"))
    return _text(status.get("podIP"))


def _event_source(obj: Obj) -> str:
    component = (obj.get("source") or {}).get("component") or ""
    return component or _text(obj.get("reportingComponent"))


def _bool_field(path: str) -> Callable[[Obj], str]:
    get = _path_getter(path)
    return lambda obj: get(obj) or "false"


def _int_field(path: str) -> Callable[[Obj], str]:
    get = _path_getter(path)
    return lambda obj: get(obj) or "0"


# Fields whose value is not simply the dotted path (the registries' ToSelectableFields).
_SPECIAL: dict[tuple[str, str], Callable[[Obj], str]] = {
    ("Pod", "spec.hostNetwork"): _bool_field("spec.hostNetwork"),
    ("Pod", "status.podIP"): _pod_ip,
    ("Node", "spec.unschedulable"): _bool_field("spec.unschedulable"),
    ("Event", "source"): _event_source,
    ("ReplicationController", "status.replicas"): _int_field("status.replicas"),
}


def field_value(obj: Obj, field: str, kind: str | None = None) -> str:
    """The value ``field`` has on ``obj`` for selection; absent fields are ``""``."""
    kind = _kind_name(kind)
    field = _RENAMED.get((kind or "", field), field)
    getter = _SPECIAL.get((kind or "", field)) or _path_getter(field)
    return getter(obj)


def escape_value(value: str) -> str:
    """Escape ``\\``, ``,`` and ``=`` in a value (``fields.EscapeValue``)."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def _unescape_value(value: str) -> str:
    """``fields.UnescapeValue``; Go prints the offending rune as its code point."""
    if not any(c in value for c in "\\,="):
        return value
    out = []
    in_slash = False
    for c in value:
        if in_slash:
            if c in "\\,=":
                out.append(c)
            else:
                raise FieldSelectorError(f"invalid field selector: invalid escape sequence: \\{c}")
            in_slash = False
            continue
        if c == "\\":
            in_slash = True
        elif c in ",=":
            raise FieldSelectorError(
                f"invalid field selector: unescaped character in value: {ord(c)}"
            )
        else:
            out.append(c)
    if in_slash:
        raise FieldSelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def _split_terms(text: str) -> list[str]:
    """Split on commas that are not escaped (``splitTerms``)."""
    if not text:
        return []
    terms, start, in_slash = [], 0, False
    for i, c in enumerate(text):
        if in_slash:
            in_slash = False
        elif c == "\\":
            in_slash = True
        elif c == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    """The first operator, scanning left to right, splits the term (``splitTerm``)."""
    for i in range(len(term)):
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op) :]
    return None


def _check_field(kind: str | None, field: str) -> str:
    """The conversion function of ``kind``: the field to match on, or an error."""
    if kind is None:
        return field
    supported = SUPPORTED_FIELDS.get(kind)
    if supported is None:
        if field in _GENERIC:
            return field
        raise FieldSelectorError(
            f'"{field}" is not a known field selector: only "metadata.name", "metadata.namespace"'
        )
    if field not in supported:
        raise FieldSelectorError(f"field label not supported: {field}")
    return _RENAMED.get((kind, field), field)


class FieldSelector:
    """Parsed field selector: ``terms`` are ``(field, operator, value)`` with ``=`` or ``!=``.

    ``sel.matches(obj)`` reads the fields from a manifest-form dict.
    """

    __slots__ = ("terms", "kind", "_getters")

    def __init__(self, terms: list[tuple[str, str, str]], kind: str | None = None) -> None:
        self.terms = tuple(terms)
        self.kind = kind
        self._getters = tuple(
            (_SPECIAL.get((kind or "", f)) or _path_getter(f), op == "!=", v) for f, op, v in terms
        )

    def matches(self, obj: Obj) -> bool:
        """All terms hold for ``obj``."""
        for get, negate, value in self._getters:
            if (get(obj) == value) == negate:
                return False
        return True

    def empty(self) -> bool:
        """True when the selector restricts nothing."""
        return not self.terms

    def requires_exact_match(self, field: str) -> str | None:
        """The value ``field`` must equal, if a ``=`` term pins it."""
        for f, op, v in self.terms:
            if f == field and op == "=":
                return v
        return None

    def __str__(self) -> str:
        return ",".join(f"{f}{op}{escape_value(v)}" for f, op, v in self.terms)

    def __repr__(self) -> str:
        return f"<FieldSelector {str(self)!r}>"


def parse_field_selector(text: str, kind: str | None = None) -> FieldSelector:
    """Parse ``--field-selector``; with ``kind`` (``"Pod"``, ``"pods"``...) check the fields.

    >>> parse_field_selector("status.phase!=Running,spec.nodeName=node-1", "Pod").matches(
    ...     {"spec": {"nodeName": "node-1"}, "status": {"phase": "Pending"}})
    True

    Errors carry the API server's words: ``invalid selector: 'x'; can't understand 'x'``,
    ``field label not supported: spec.foo``, or the generic message for other kinds.
    """
    kind = _kind_name(kind)
    terms: list[tuple[str, str, str]] = []
    for part in sorted(_split_terms(text)):  # upstream sorts the raw terms
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise FieldSelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        field, op, raw = split
        value = _unescape_value(raw)
        terms.append((field, "!=" if op == "!=" else "=", value))
    checked = [(_check_field(kind, f), op, v) for f, op, v in terms]
    return FieldSelector(checked, kind)
