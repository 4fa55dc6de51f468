"""Go's ways of printing a value, for the places that must print exactly what Go prints.

One implementation for kubectl's printers, JSONPath, ``kubectl describe`` and the API
server's patch messages:

* :func:`go_format_float`: ``strconv.FormatFloat(f, 'g', -1, 64)``, fmt's ``%v`` of a float64.
* :func:`go_sprint`: ``fmt.Sprint`` / ``%v`` of an unstructured value (``map[a:1]``, ``[a b]``).
* :func:`go_quote`: ``%q`` of a string; :func:`go_sharp_v`: ``%#v`` of an unstructured value.
* :func:`json_marshal`: ``encoding/json`` ``Marshal`` / ``MarshalIndent`` (sorted keys, Go's
  escaping of ``<``, ``>``, ``&`` and its number format).

Upstream: Go ``src/strconv/ftoa.go``, ``src/fmt/print.go``, ``src/encoding/json/encode.go``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

__all__ = ["go_format_float", "go_quote", "go_sharp_v", "go_sprint", "json_marshal"]


# --------------------------------------------------------------------------- numbers


def _decimal_digits(f: float) -> tuple[str, int]:
    """Shortest round-trip digits of ``abs(f)`` (no trailing zeros) and ``dp``: value = 0.digits * 10**dp."""
    _, digits, exp = Decimal(repr(abs(f))).as_tuple()
    ds = "".join(map(str, digits))
    stripped = ds.rstrip("0")
    exp = int(exp) + (len(ds) - len(stripped))
    return stripped, len(stripped) + exp


def _format_e(digits: str, dp: int) -> str:
    exp = dp - 1
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{mant}e{sign}{abs(exp):02d}"


def _format_f(digits: str, dp: int) -> str:
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def go_format_float(f: float) -> str:
    """Go ``strconv.FormatFloat(f, 'g', -1, 64)`` (also fmt's ``%v``): ``1.5``, ``100``, ``1e+06``."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    digits, dp = _decimal_digits(f)
    exp = dp - 1
    # shortest %g switches to %e when exp < -4 || exp >= 6
    body = _format_e(digits, dp) if exp < -4 or exp >= 6 else _format_f(digits, dp)
    return ("-" if f < 0 else "") + body


def _go_json_float(f: float) -> str:
    """Go ``encoding/json`` float encoding (ES6-like): ``1.5``, ``100``, ``1e-7``, ``1e+21``."""
    if math.isnan(f) or math.isinf(f):
        raise ValueError(f"json: unsupported value: {f!r}")
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    digits, dp = _decimal_digits(f)
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        body = _format_e(digits, dp)
        body = re.sub(r"e([-+])0(\d)$", r"e\g<1>\2", body)
    else:
        body = _format_f(digits, dp)
    return ("-" if f < 0 else "") + body


# --------------------------------------------------------------------------- JSON


def _json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif o < 0x20 or ch in "<>&" or o in (0x2028, 0x2029):
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _json_scalar(v: Any) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _go_json_float(v)
    if isinstance(v, str):
        return _json_string(v)
    raise TypeError(f"json: unsupported type: {type(v).__name__}")


def json_marshal(value: Any, indent: str | None = None, _level: int = 0) -> str:
    """Go ``json.Marshal`` / ``json.MarshalIndent(v, "", indent)`` for plain data.

    Map keys are sorted; ``<``, ``>``, ``&`` are escaped as ``\\u003c`` etc.
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = sorted(value.items(), key=lambda kv: kv[0])
        if indent is None:
            return (
                "{" + ",".join(f"{_json_string(str(k))}:{json_marshal(v)}" for k, v in items) + "}"
            )
        inner = indent * (_level + 1)
        body = ",\n".join(
            f"{inner}{_json_string(str(k))}: {json_marshal(v, indent, _level + 1)}"
            for k, v in items
        )
        return "{\n" + body + "\n" + indent * _level + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if indent is None:
            return "[" + ",".join(json_marshal(v) for v in value) + "]"
        inner = indent * (_level + 1)
        body = ",\n".join(f"{inner}{json_marshal(v, indent, _level + 1)}" for v in value)
        return "[\n" + body + "\n" + indent * _level + "]"
    return _json_scalar(value)


# --------------------------------------------------------------------------- fmt


def go_sprint(value: Any) -> str:
    """Go ``fmt.Sprint`` of an unstructured value: ``map[a:1 b:x]``, ``[a b]``, ``<nil>``."""
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return go_format_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def go_quote(s: str) -> str:
    """Go ``%q`` of a string (``strconv.Quote`` as kubectl's JSONPath errors print it)."""
    out = []
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif not ch.isprintable():
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def go_sharp_v(value: Any) -> str:
    """Go ``%#v`` of an unstructured value, as kubectl's debug dump prints it."""
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_format_float(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, dict):
        body = ", ".join(f"{go_quote(str(k))}:{go_sharp_v(value[k])}" for k in sorted(value))
        return "map[string]interface {}{" + body + "}"
    if isinstance(value, list | tuple):
        return "[]interface {}{" + ", ".join(go_sharp_v(v) for v in value) + "}"
    return repr(value)
