"""Resource quantities (``100m``, ``128Mi``, ``1.5``, ``2e3``), as ``resource.Quantity``.

A quantity is an exact decimal: here a :class:`fractions.Fraction`, never a float. Parsing
follows apimachinery's scanner: a signed number, then one suffix, binary (``Ki Mi Gi Ti Pi
Ei``), decimal (``n u m "" k M G T P E``) or a decimal exponent (``e3``, ``E-2``). Values are
rounded up (away from zero) to whole nano units, and binary quantities are capped at
2^63-1, as upstream does.

Printing uses the canonical form the API server writes back and ``kubectl`` shows: the
largest suffix of the quantity's own kind that keeps the number whole, with exponents in
steps of three (``1.5`` prints ``1500m``, ``1.5Gi`` prints ``1536Mi``, ``1000m`` prints ``1``).

Parsing is cached: the same few strings (``100m``, ``128Mi``) repeat on every pod.

Upstream: apimachinery ``pkg/api/resource/quantity.go`` (``ParseQuantity``,
``CanonicalizeBytes``, ``MilliValue``), ``suffix.go``, ``amount.go``.
"""

from __future__ import annotations

import functools
from fractions import Fraction

__all__ = [
    "BINARY_SI",
    "DECIMAL_EXPONENT",
    "DECIMAL_SI",
    "QuantityError",
    "canonical_quantity",
    "cpu_millis",
    "format_bytes",
    "format_cpu_millis",
    "format_quantity",
    "parse_quantity",
    "parse_quantity_format",
    "to_bytes",
]

#: The three formats a quantity remembers from its suffix.
DECIMAL_SI = "DecimalSI"  # 12M, 100m, 1
BINARY_SI = "BinarySI"  # 12Mi
DECIMAL_EXPONENT = "DecimalExponent"  # 12e6

_SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{_SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

_NANO = 10**9
_MAX_INT64 = 2**63 - 1
_MAX_INT64_FACTORS = 18
_MAX_DECIMAL_EXPONENT = 1000

_DECIMAL_SUFFIXES = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_BY_EXPONENT = {e: s for s, e in _DECIMAL_SUFFIXES.items()}
_BINARY_BY_POWER = {p // 10: s for s, p in _BINARY_SUFFIXES.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")


class QuantityError(ValueError):
    """A string that is not a quantity; ``str(error)`` is apimachinery's message."""


def _scan(s: str) -> tuple[bool, str, str, str, str]:
    """``parseQuantityString``: sign, value text, numerator, denominator, suffix."""
    positive = True
    pos, end = 0, len(s)
    if pos < end and s[0] in "+-":
        positive = s[0] == "+"
        pos += 1
    # strip leading zeros
    while True:
        if pos >= end:
            return positive, "0", "0", "", ""
        if s[pos] != "0":
            break
        pos += 1
    # the numerator
    i = pos
    while i < end and s[i] in _DIGITS:
        i += 1
    if i >= end:
        return positive, s, s[pos:end] or "0", "", ""
    num, pos = s[pos:i] or "0", i
    denom = ""
    if s[pos] == ".":
        pos += 1
        i = pos
        while i < end and s[i] in _DIGITS:
            i += 1
        if i >= end:
            return positive, s, num, s[pos:end], ""
        denom, pos = s[pos:i], i
    value = s[:pos]
    # the suffix: letters, then an optional sign and digits for an exponent
    suffix_start = i = pos
    while i < end and s[i] in _SUFFIX_CHARS:
        i += 1
    if i >= end:
        return positive, value, num, denom, s[suffix_start:]
    pos = i
    if s[pos] in "+-":
        pos += 1
    while pos < end and s[pos] in _DIGITS:
        pos += 1
    if pos >= end:
        return positive, value, num, denom, s[suffix_start:]
    raise QuantityError(ERR_FORMAT_WRONG)


def _interpret(suffix: str) -> tuple[int, int, str]:
    """``suffixer.interpret``: (base, exponent, format)."""
    if suffix in _DECIMAL_SUFFIXES:
        return 10, _DECIMAL_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BINARY_SUFFIXES:
        return 2, _BINARY_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        body = digits[1:] if digits[:1] in "+-" else digits
        if body and body.isdigit():
            exponent = int(digits)
            if -(2**63) <= exponent < 2**63:
                # Go truncates the int64 to int32.
                exponent = (exponent + 2**31) % 2**32 - 2**31
                return 10, exponent, DECIMAL_EXPONENT
    raise QuantityError(ERR_SUFFIX)


def _round_up(value: Fraction, unit: int) -> Fraction:
    """Round away from zero to a multiple of ``1/unit`` (``inf.RoundUp``)."""
    scaled = value * unit
    if scaled.denominator == 1:
        return value
    n = -((-abs(scaled.numerator)) // scaled.denominator)
    return Fraction(n if value > 0 else -n, unit)


@functools.lru_cache(maxsize=4096)
def _parse(s: str) -> tuple[Fraction, str, str | None]:
    """(value, format, the string itself when upstream keeps it as the printed form)."""
    if not s:
        raise QuantityError(ERR_FORMAT_WRONG)
    if s == "0":
        return Fraction(0), DECIMAL_SI, s
    positive, value_text, num, denom, suffix = _scan(s)
    base, exponent, fmt = _interpret(suffix)

    # The int64 fast path decides whether the input string is kept as the printed form.
    reused = None
    if fmt == BINARY_SI:
        fast = not denom and 15 - len(num) - int(exponent * 3 / 10) - 1 >= 0
        scale = 0
    else:
        fast = _MAX_INT64_FACTORS - len(num) - len(denom) >= 0
        scale = exponent
    scale -= len(denom)
    if fast and scale >= -9:
        shifted = num + denom
        digits = int(shifted)
        mantissa = 1 << exponent if fmt == BINARY_SI else 1
        if abs(digits * mantissa) <= _MAX_INT64:
            if fmt == BINARY_SI:
                if exponent % 10 == 0 and digits & 0x07 != 0:
                    reused = s
            elif scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                reused = s
    elif not any(c in _DIGITS for c in value_text):
        raise QuantityError(ERR_NUMERIC)  # e.g. ".e-10": inf.Dec cannot read "."

    amount = Fraction(int(num + denom), 10 ** len(denom))
    if base == 10:
        if exponent > _MAX_DECIMAL_EXPONENT:
            # Deliberate limit: Go keeps such a number symbolically; Python would expand it.
            raise QuantityError(ERR_NUMERIC)
        if exponent < -_MAX_DECIMAL_EXPONENT:
            amount = Fraction(1, _NANO) if amount else amount  # rounds up to 1n, or stays 0
        elif exponent >= 0:
            amount *= 10**exponent
        else:
            amount /= 10**-exponent
    else:
        amount *= 1 << exponent
    amount = _round_up(amount, _NANO)
    if fmt == BINARY_SI:
        amount = min(amount, Fraction(_MAX_INT64))
        if 0 < amount < 1:
            fmt = DECIMAL_SI  # avoids rounding 0.5Ki-style values to whole bytes
    if not positive:
        amount = -amount
    return amount, fmt, reused


def _as_text(quantity: str | int | float) -> str:
    if isinstance(quantity, bool):
        raise TypeError("a quantity cannot be a bool")
    if isinstance(quantity, str):
        return quantity.strip()  # UnmarshalJSON trims surrounding whitespace
    if isinstance(quantity, (int, float)):
        return repr(quantity)  # a JSON number reaches ParseQuantity as its text
    raise TypeError(f"cannot read a quantity from {type(quantity).__name__}")


def parse_quantity_format(quantity: str | int | float) -> tuple[Fraction, str]:
    """The exact value and the format (``DecimalSI``, ``BinarySI``, ``DecimalExponent``)."""
    value, fmt, _ = _parse(_as_text(quantity))
    return value, fmt


def parse_quantity(quantity: str | int | float | Fraction) -> Fraction:
    """Parse ``"100m"``, ``"128Mi"``, ``"1.5"``, ``2`` or ``"1e3"`` into an exact value.

    >>> parse_quantity("100m"), parse_quantity("1Ki")
    (Fraction(1, 10), Fraction(1024, 1))

    Raises :class:`QuantityError` with upstream's message, e.g.
    ``quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'``.
    """
    if isinstance(quantity, Fraction):
        return quantity
    return _parse(_as_text(quantity))[0]


def _ceil_away(value: Fraction) -> int:
    """Round to an integer away from zero, as ``ScaledValue`` does."""
    magnitude = -(-abs(value.numerator) // value.denominator)
    return magnitude if value >= 0 else -magnitude


@functools.lru_cache(maxsize=4096)
def _cpu_millis_text(text: str) -> int:
    return _ceil_away(_parse(text)[0] * 1000)


@functools.lru_cache(maxsize=4096)
def _bytes_text(text: str) -> int:
    return _ceil_away(_parse(text)[0])


def cpu_millis(quantity: str | int | float | Fraction) -> int:
    """``MilliValue()``: thousandths, rounded up away from zero (``"0.1m"`` gives 1)."""
    if isinstance(quantity, Fraction):
        return _ceil_away(quantity * 1000)
    return _cpu_millis_text(_as_text(quantity))


def to_bytes(quantity: str | int | float | Fraction) -> int:
    """``Value()``: the whole value rounded up away from zero (``"1Ki"`` gives 1024)."""
    if isinstance(quantity, Fraction):
        return _ceil_away(quantity)
    return _bytes_text(_as_text(quantity))


def _remove_factors(n: int, base: int) -> tuple[int, int]:
    """``removeInt64Factors``: divide out ``base`` while the magnitude stays >= base."""
    times = 0
    sign = -1 if n < 0 else 1
    n = abs(n)
    while n >= base and n % base == 0:
        n //= base
        times += 1
    return sign * n, times


def format_quantity(value: Fraction | int, fmt: str = DECIMAL_SI) -> str:
    """The canonical string of a quantity (``Quantity.String()``).

    >>> format_quantity(Fraction(3, 2)), format_quantity(Fraction(3, 2) * 2**30, BINARY_SI)
    ('1500m', '1536Mi')
    """
    value = _round_up(Fraction(value), _NANO)
    if value == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 < value < 1024:
            fmt = DECIMAL_SI
        else:
            whole = _ceil_away(value)
            if whole != value:
                fmt = DECIMAL_SI  # showing whole bytes would lose precision
            else:
                number, power = _remove_factors(whole, 1024)
                return f"{number}{_BINARY_BY_POWER.get(power, '')}"
    elif fmt != DECIMAL_EXPONENT:
        fmt = DECIMAL_SI
    number, exponent = _remove_factors(int(value * _NANO), 10)
    exponent -= 9
    shift = exponent % 3  # move the exponent down to a multiple of three
    number *= 10**shift
    exponent -= shift
    if fmt == DECIMAL_EXPONENT:
        return f"{number}e{exponent}" if exponent else str(number)
    return f"{number}{_DECIMAL_BY_EXPONENT.get(exponent, '')}"


@functools.lru_cache(maxsize=4096)
def _canonical_text(text: str) -> str:
    value, fmt, reused = _parse(text)
    return reused if reused is not None else format_quantity(value, fmt)


def canonical_quantity(quantity: str | int | float) -> str:
    """How the API server writes a submitted quantity back (``kubectl get -o yaml``).

    ``"1.5Gi"`` comes back ``1536Mi``, ``"1000m"`` comes back ``1``, ``"0.1"`` comes back
    ``100m``. Upstream keeps the submitted string when it is already canonical-looking
    (``"100m"``, ``"1Gi"``, and quirks such as ``"+1"`` or ``"1E3"``).
    """
    return _canonical_text(_as_text(quantity))


def format_cpu_millis(millis: int) -> str:
    """CPU from thousandths, as kubectl prints it: 100 gives ``100m``, 2000 gives ``2``."""
    return format_quantity(Fraction(millis, 1000), DECIMAL_SI)


def format_bytes(n: int) -> str:
    """Bytes as a binary quantity: 134217728 gives ``128Mi``.

    Values under 1024 print in decimal form, as upstream does: 1000 gives ``1k``.
    """
    return format_quantity(n, BINARY_SI)
