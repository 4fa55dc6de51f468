"""kubectl's output printers: table layout, ``-o yaml``, ``-o json``, ``-o name``.

Everything here is a pure function of plain dicts and strings.

* :class:`TabWriter` is a port of Go's ``text/tabwriter`` (the algorithm both
  ``kubectl get`` and ``kubectl describe`` lay their text out with).
* :func:`format_table` lays out headers and rows the way ``kubectl get`` does
  (cli-runtime ``printers/tableprinter.go`` over ``GetNewTabWriter``: min width 6,
  padding 3, last column unpadded).
* :func:`to_yaml` / :func:`to_json` reproduce ``kubectl get -o yaml|json`` for
  objects in manifest form: keys sorted (kubectl prints unstructured maps), Go's
  JSON escaping and number format, yaml.v2's quoting rules.
* :func:`to_name` and :func:`to_list` cover ``-o name`` and the ``kind: List``
  wrapper kubectl prints for list queries.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

import yaml

from k8snb.util.gofmt import go_format_float, json_marshal

__all__ = [
    "TabWriter",
    "escape_terminal",
    "format_table",
    "go_format_float",
    "json_marshal",
    "to_json",
    "to_list",
    "to_name",
    "to_yaml",
]


# --------------------------------------------------------------------------- tabwriter


class TabWriter:
    """Go ``text/tabwriter.Writer`` with ``flags == 0`` (left aligned, no discard).

    Text is written with ``\\t``-terminated cells and ``\\n``-terminated lines.
    A column block is a run of consecutive lines that all have a tab-terminated
    cell in that column; each block is padded to its widest cell plus
    ``padding`` (at least ``minwidth``). The last cell of a line is never padded.
    :meth:`flush` ends all blocks, as ``Flush()`` does in Go.
    """

    def __init__(self, minwidth: int = 0, tabwidth: int = 8, padding: int = 1, padchar: str = " "):
        self.minwidth = minwidth
        self.tabwidth = tabwidth
        self.padding = padding
        self.padchar = padchar
        self._buf: list[str] = []
        self._out: list[str] = []

    def write(self, text: str) -> None:
        """Buffer ``text``; nothing is laid out until :meth:`flush`."""
        self._buf.append(text)

    def flush(self) -> None:
        """Lay out everything buffered so far and start fresh column blocks."""
        text = "".join(self._buf)
        self._buf = []
        if text:
            self._out.append(_tabwrite(text, self.minwidth, self.padding, self.padchar))

    def getvalue(self) -> str:
        """Flush and return all output written so far."""
        self.flush()
        return "".join(self._out)


def _tabwrite(text: str, minwidth: int, padding: int, padchar: str) -> str:
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []

    def write_lines(widths: list[int], line0: int, line1: int) -> None:
        for i in range(line0, line1):
            line = lines[i]
            for j, cell in enumerate(line):
                out.append(cell)
                if j < len(widths):
                    out.append(padchar * (widths[j] - len(cell)))
            if i + 1 < len(lines):
                out.append("\n")

    def fmt(widths: list[int], line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            # a cell exists in this column: a column block begins here
            write_lines(widths, line0, this)
            line0 = this
            width = minwidth
            while this < line1:
                line = lines[this]
                if column >= len(line) - 1:
                    break
                width = max(width, len(line[column]) + padding)
                this += 1
            fmt([*widths, width], line0, this)
            line0 = this
        write_lines(widths, line0, line1)

    fmt([], 0, len(lines))
    return "".join(out)


# --------------------------------------------------------------------------- tables

_TERMINAL_ESCAPES = (("\x1b", "^["), ("\r", "\\r"))


def escape_terminal(text: str) -> str:
    """cli-runtime ``EscapeTerminal``: defuse ESC and carriage return."""
    for old, new in _TERMINAL_ESCAPES:
        text = text.replace(old, new)
    return text


_CELL_BREAK = re.compile(r"[\f\n\r]")


def _cell_text(value: Any) -> str:
    """A table cell as ``appendCellValue`` writes it: cut at a line break, add ``...``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = go_format_float(value)
    else:
        text = str(value)
    m = _CELL_BREAK.search(text)
    if m:
        return escape_terminal(text[: m.start()]) + "..."
    return escape_terminal(text)


def format_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, no_headers: bool = False
) -> str:
    """Lay out a ``kubectl get`` table: columns padded to width + 3, last column unpadded.

    Returns ``""`` when there are no rows (kubectl then prints *No resources found*
    on stderr, which is the caller's business).

    >>> print(format_table(["NAME", "READY"], [["web", "1/1"]]), end="")
    NAME   READY
    web    1/1
    """
    rows = [list(r) for r in rows]
    if not rows:
        return ""
    tw = TabWriter(minwidth=6, tabwidth=4, padding=3)
    if not no_headers:
        tw.write("\t".join(h.upper() for h in headers) + "\n")
    for row in rows:
        tw.write("\t".join(_cell_text(c) for c in row) + "\n")
    return tw.getvalue()


# --------------------------------------------------------------------------- -o name


def _group_of(api_version: str) -> str:
    return api_version.split("/", 1)[0] if "/" in api_version else ""


def to_name(obj: dict, resource: str | None = None) -> str:
    """``-o name``: ``pod/web``, ``deployment.apps/web``, ``ingress.networking.k8s.io/web``.

    ``resource`` overrides the ``kind.group`` prefix computed from the object.
    """
    name = (obj.get("metadata") or {}).get("name", "")
    if resource is None:
        kind = str(obj.get("kind", "")).lower()
        group = _group_of(str(obj.get("apiVersion", "")))
        resource = f"{kind}.{group}" if group else kind
    return f"{resource}/{name}"


def to_list(items: Iterable[dict]) -> dict:
    """The ``kind: List`` wrapper kubectl prints for list queries with ``-o yaml|json``."""
    return {
        "apiVersion": "v1",
        "items": list(items),
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


def _strip_managed_fields(obj: Any) -> Any:
    if not isinstance(obj, dict):
        return obj
    out = dict(obj)
    meta = out.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        out["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    if isinstance(out.get("items"), list):
        out["items"] = [_strip_managed_fields(i) for i in out["items"]]
    return out


def to_json(obj: Any, *, show_managed_fields: bool = False) -> str:
    """``kubectl get -o json``: 4-space indent, sorted keys, trailing newline."""
    if not show_managed_fields:
        obj = _strip_managed_fields(obj)
    return json_marshal(obj, "    ") + "\n"


# --------------------------------------------------------------------------- YAML
# kubectl prints YAML with sigs.k8s.io/yaml, i.e. go-yaml v2: keys sorted in its
# "natural" order, strings quoted with double quotes when a plain scalar would
# read back as another type, multi-line strings as literal blocks.

_STR = "tag:yaml.org,2002:str"
_V2_SPECIAL = {
    **dict.fromkeys(
        ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"], "bool"
    ),
    **dict.fromkeys(
        ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], "bool"
    ),
    **dict.fromkeys(["", "~", "null", "Null", "NULL"], "null"),
    **dict.fromkeys(
        [".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"], "float"
    ),
    **dict.fromkeys(["-.inf", "-.Inf", "-.INF"], "float"),
    "<<": "merge",
}
_V2_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_V2_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_GO_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}"
    r"(?:(?:[Tt]| )\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2})?)?$"
)


def _v2_resolve(s: str) -> str:
    """The kind go-yaml v2 would read an unquoted ``s`` as: str, bool, int, float, null, ..."""
    if s in _V2_SPECIAL:
        return _V2_SPECIAL[s]
    c = s[0]
    if c == ".":
        try:
            float(s)
            return "float"
        except ValueError:
            return "str"
    if c.isdigit() or c in "+-":
        if c.isdigit() and _TIMESTAMP.match(s):
            return "timestamp"
        plain = s.replace("_", "")
        if _GO_INT.match(plain):
            return "int"
        if _V2_FLOAT.match(plain):
            return "float"
        if re.match(r"^-?0b[01]+$", plain):
            return "int"
    return "str"


def _v2_needs_quotes(s: str) -> bool:
    return _v2_resolve(s) != "str" or bool(_V2_BASE60.match(s))


def _v2_key_less(a: Any, b: Any) -> bool:
    """go-yaml v2 ``keyList.Less``: letters after other runes, digit runs compared as numbers."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return str(a) < str(b)
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al, bl = ar[i].isalpha(), br[i].isalpha()
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdigit():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and ar[ai].isdigit():
            an = an * 10 + int(ar[ai])
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdigit():
            bn = bn * 10 + int(br[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


def _v2_key_cmp(a: Any, b: Any) -> int:
    if _v2_key_less(a, b):
        return -1
    if _v2_key_less(b, a):
        return 1
    return 0


class _KubeDumper(yaml.SafeDumper):
    """SafeDumper tuned to print what go-yaml v2 prints."""

    def resolve(self, kind, value, implicit):  # noqa: D102 - yaml hook
        if kind is yaml.ScalarNode and implicit[0]:
            v2 = _v2_resolve(value)
            return {
                "str": _STR,
                "bool": "tag:yaml.org,2002:bool",
                "int": "tag:yaml.org,2002:int",
                "float": "tag:yaml.org,2002:float",
                "null": "tag:yaml.org,2002:null",
                "timestamp": "tag:yaml.org,2002:timestamp",
                "merge": "tag:yaml.org,2002:merge",
            }[v2]
        return super().resolve(kind, value, implicit)


def _represent_str(dumper: yaml.SafeDumper, s: str) -> yaml.ScalarNode:
    if "\n" in s:
        style = "|"
    elif _v2_needs_quotes(s):
        style = '"'
    else:
        style = None
    return dumper.represent_scalar(_STR, s, style=style)


def _represent_dict(dumper: yaml.SafeDumper, d: dict) -> yaml.MappingNode:
    items = sorted(d.items(), key=functools.cmp_to_key(lambda x, y: _v2_key_cmp(x[0], y[0])))
    return dumper.represent_mapping("tag:yaml.org,2002:map", items)


def _represent_float(dumper: yaml.SafeDumper, f: float) -> yaml.ScalarNode:
    text = go_format_float(f)
    text = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_none(dumper: yaml.SafeDumper, _: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_KubeDumper.add_representer(str, _represent_str)
_KubeDumper.add_representer(dict, _represent_dict)
_KubeDumper.add_representer(float, _represent_float)
_KubeDumper.add_representer(type(None), _represent_none)


def to_yaml(obj: Any, *, show_managed_fields: bool = False) -> str:
    """``kubectl get -o yaml`` for an object (or a :func:`to_list` wrapper)."""
    if not show_managed_fields:
        obj = _strip_managed_fields(obj)
    return yaml.dump(
        obj,
        Dumper=_KubeDumper,
        default_flow_style=False,
        allow_unicode=True,
        sort_keys=False,
        width=80,
        indent=2,
    )
