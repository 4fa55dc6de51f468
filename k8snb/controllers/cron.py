"""Cron schedules, as the CronJob controller reads them: a port of robfig/cron v3.

Kubernetes parses ``spec.schedule`` with ``cron.ParseStandard`` from github.com/robfig/cron/v3
(``parser.go``, ``spec.go``, ``constantdelay.go``) and asks the schedule for ``Next(t)``. This
module follows that code line by line so that a learner's schedule fires exactly when a real
cluster's would:

* five fields, ``minute hour day-of-month month day-of-week``; names (``jan``, ``MON``) are
  case-insensitive; ``*`` and ``?`` mean any; ``a-b`` ranges, ``a,b`` lists, ``/step``, and
  ``N/step`` meaning ``N-max/step``; day-of-week ``7`` is rejected (the maximum is 6);
* descriptors ``@yearly``/``@annually``, ``@monthly``, ``@weekly``, ``@daily``/``@midnight``,
  ``@hourly`` and ``@every <duration>``;
* the day rule: if day-of-month or day-of-week is a star (``*``, ``?``, also ``*/1``) both must
  match, otherwise either may (``*/2`` is not a star: a step over 1 clears the star bit);
* ``Next`` looks at most five years ahead and returns ``None`` (Go's zero time) after that,
  e.g. for ``0 0 30 2 *`` (February 30th);
* a ``TZ=``/``CRON_TZ=`` prefix picks the zone (the controller adds ``TZ=<spec.timeZone>``).

>>> s = parse_standard("*/15 9-17 * * mon-fri")
>>> s.next(datetime(2026, 1, 5, 9, 7, tzinfo=UTC)).isoformat()
'2026-01-05T09:15:00+00:00'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "CronError", "Parser", "Schedule", "SpecSchedule", "ConstantDelaySchedule",
    "parse_standard", "STANDARD_PARSER", "SECOND", "SECOND_OPTIONAL", "MINUTE", "HOUR", "DOM",
    "MONTH", "DOW", "DOW_OPTIONAL", "DESCRIPTOR", "parse_go_duration",
]


class CronError(ValueError):
    """A schedule robfig/cron refuses; ``str(e)`` is the library's error text."""


# ParseOption bits (parser.go).
SECOND = 1 << 0
SECOND_OPTIONAL = 1 << 1
MINUTE = 1 << 2
HOUR = 1 << 3
DOM = 1 << 4
MONTH = 1 << 5
DOW = 1 << 6
DOW_OPTIONAL = 1 << 7
DESCRIPTOR = 1 << 8

_PLACES = (SECOND, MINUTE, HOUR, DOM, MONTH, DOW)
_DEFAULTS = ("0", "0", "0", "*", "*", "*")

STAR_BIT = 1 << 63


@dataclass(frozen=True)
class _Bounds:
    min: int
    max: int
    names: dict[str, int] | None = None


_SECONDS = _Bounds(0, 59)
_MINUTES = _Bounds(0, 59)
_HOURS = _Bounds(0, 23)
_DOM = _Bounds(1, 31)
_MONTHS = _Bounds(1, 12, {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))})
_DOW = _Bounds(0, 6, {d: i for i, d in enumerate(
    ("sun", "mon", "tue", "wed", "thu", "fri", "sat"))})


def _bits(lo: int, hi: int, step: int) -> int:
    """getBits: the bits lo..hi every step (step 1 is a contiguous run)."""
    if step == 1:
        return ~(~0 << (hi + 1)) & (~0 << lo)
    bits = 0
    for i in range(lo, hi + 1, step):
        bits |= 1 << i
    return bits


def _all(r: _Bounds) -> int:
    return _bits(r.min, r.max, 1) | STAR_BIT


_INT = re.compile(r"[+-]?[0-9]+")


def _must_parse_int(expr: str) -> int:
    if not _INT.fullmatch(expr):
        raise CronError(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": '
                        "invalid syntax")
    num = int(expr)
    if not -(1 << 63) <= num < (1 << 63):
        raise CronError(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": '
                        "value out of range")
    if num < 0:
        raise CronError(f"negative number ({num}) not allowed: {expr}")
    return num


def _parse_int_or_name(expr: str, names: dict[str, int] | None) -> int:
    if names is not None and expr.lower() in names:
        return names[expr.lower()]
    return _must_parse_int(expr)


def _get_range(expr: str, r: _Bounds) -> int:
    """getRange: one ``a``, ``a-b``, ``*``, ``?`` with an optional ``/step``."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single_digit = len(low_and_high) == 1
    extra = 0
    if low_and_high[0] in ("*", "?"):
        start, end, extra = r.min, r.max, STAR_BIT
    else:
        start = _parse_int_or_name(low_and_high[0], r.names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _parse_int_or_name(low_and_high[1], r.names)
        else:
            raise CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _must_parse_int(range_and_step[1])
        if single_digit:  # "N/step" means "N-max/step"
            end = r.max
        if step > 1:
            extra = 0
    else:
        raise CronError(f"too many slashes: {expr}")
    if start < r.min:
        raise CronError(f"beginning of range ({start}) below minimum ({r.min}): {expr}")
    if end > r.max:
        raise CronError(f"end of range ({end}) above maximum ({r.max}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")
    return _bits(start, end, step) | extra


def _get_field(field: str, r: _Bounds) -> int:
    bits = 0
    for expr in field.split(","):
        bits |= _get_range(expr, r)
    return bits


def _go_list(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"


# -- Go's time.ParseDuration (for @every) ---------------------------------------------------

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0,
          "h": 3600.0}
_DUR_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)?")


def parse_go_duration(text: str) -> float:
    """Go's ``time.ParseDuration`` in seconds: ``"1h30m"``, ``"90s"``, ``"1.5h"``, ``"-2m"``."""
    orig, s, sign = text, text, 1.0
    if s[:1] in ("+", "-"):
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise CronError(f'time: invalid duration "{orig}"')
    total = 0.0
    while s:
        m = _DUR_PART.match(s)
        num, unit = m.group(1), m.group(2)
        if not num or num == ".":
            raise CronError(f'time: invalid duration "{orig}"')
        if unit is None:
            raise CronError(f'time: missing unit in duration "{orig}"')
        total += float(num) * _UNITS[unit]
        s = s[m.end():]
    return sign * total


# -- schedules ------------------------------------------------------------------------------


class Schedule:
    """What ``Parser.parse`` returns: something with ``next(t)``."""

    def next(self, t: datetime) -> datetime | None:  # pragma: no cover - interface
        raise NotImplementedError


def _offset(ts: int, loc: tzinfo) -> int:
    off = datetime.fromtimestamp(ts, UTC).astimezone(loc).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


_EPOCH_ORD = date(1970, 1, 1).toordinal()


def _go_date(y: int, mo: int, d: int, h: int, mi: int, s: int, loc: tzinfo) -> int:
    """Go's ``time.Date`` (fields may overflow and are normalised) as Unix seconds."""
    y += (mo - 1) // 12
    mo = (mo - 1) % 12 + 1
    if y < 1:
        return -(1 << 62)
    unix = ((date(y, mo, 1).toordinal() - _EPOCH_ORD + d - 1) * 86400 + h * 3600 + mi * 60 + s)
    off = _offset(unix, loc)
    return unix - _offset(unix - off, loc)


class _Time:
    """A Go ``time.Time`` reduced to what ``SpecSchedule.Next`` needs: Unix seconds + zone."""

    __slots__ = ("ts", "loc", "w")

    def __init__(self, ts: int, loc: tzinfo) -> None:
        self.ts = ts
        self.loc = loc
        self.w = datetime.fromtimestamp(ts, UTC).astimezone(loc)

    def add(self, seconds: int) -> _Time:
        return _Time(self.ts + seconds, self.loc)

    def weekday(self) -> int:  # Go: Sunday = 0
        return (self.w.weekday() + 1) % 7


@dataclass(frozen=True)
class SpecSchedule(Schedule):
    """A parsed cron line: one bit per allowed value (bit 63 marks a star)."""

    second: int
    minute: int
    hour: int
    dom: int
    month: int
    dow: int
    location: tzinfo | None = None  # None: Go's time.Local, i.e. the zone of the time given

    def _day_matches(self, t: _Time) -> bool:
        dom_match = bool(1 << t.w.day & self.dom)
        dow_match = bool(1 << t.weekday() & self.dow)
        if self.dom & STAR_BIT or self.dow & STAR_BIT:
            return dom_match and dow_match
        return dom_match or dow_match

    def next(self, t: datetime) -> datetime | None:
        """The first activation strictly after ``t`` (``None``: none in the next 5 years)."""
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        orig = t.tzinfo
        loc = self.location if self.location is not None else orig
        # Start at the earliest possible time (the upcoming second).
        cur = _Time(math.floor(t.timestamp()) + 1, loc)
        added = False
        year_limit = cur.w.year + 5
        while True:  # WRAP
            if cur.w.year > year_limit:
                return None
            wrapped = False
            while not (1 << cur.w.month) & self.month:  # the first applicable month
                if not added:
                    added = True
                    cur = _Time(_go_date(cur.w.year, cur.w.month, 1, 0, 0, 0, loc), loc)
                w = cur.w
                cur = _Time(_go_date(w.year, w.month + 1, w.day, w.hour, w.minute, w.second,
                                     loc), loc)
                if cur.w.month == 1:
                    wrapped = True
                    break
            if wrapped:
                continue
            while not self._day_matches(cur):  # a day in that month
                if not added:
                    added = True
                    w = cur.w
                    cur = _Time(_go_date(w.year, w.month, w.day, 0, 0, 0, loc), loc)
                w = cur.w
                cur = _Time(_go_date(w.year, w.month, w.day + 1, w.hour, w.minute, w.second,
                                     loc), loc)
                # Notice if the hour is no longer midnight due to DST.
                if cur.w.hour != 0:
                    h = cur.w.hour
                    cur = cur.add((24 - h) * 3600 if h > 12 else -h * 3600)
                if cur.w.day == 1:
                    wrapped = True
                    break
            if wrapped:
                continue
            while not (1 << cur.w.hour) & self.hour:
                if not added:
                    added = True
                    w = cur.w
                    cur = _Time(_go_date(w.year, w.month, w.day, w.hour, 0, 0, loc), loc)
                cur = cur.add(3600)
                if cur.w.hour == 0:
                    wrapped = True
                    break
            if wrapped:
                continue
            if not (1 << cur.w.minute) & self.minute:
                if not added:
                    added = True
                    cur = _Time(cur.ts - cur.ts % 60, loc)  # t.Truncate(time.Minute)
                cur, wrapped = self._advance(cur, "minute", self.minute, 60)
                if wrapped:
                    continue
            if not (1 << cur.w.second) & self.second:
                if not added:
                    added = True
                cur, wrapped = self._advance(cur, "second", self.second, 1)
                if wrapped:
                    continue
            return cur.w.astimezone(orig)

    @staticmethod
    def _advance(cur: _Time, attr: str, mask: int, unit: int) -> tuple[_Time, bool]:
        """``for bit(t.X()) not in mask { t = t.Add(unit); if t.X() == 0 { goto WRAP } }``,
        jumping straight to the answer (and checking it against the zone's wall clock)."""
        value = getattr(cur.w, attr)
        later = mask & ((1 << 60) - 1) & ~((1 << (value + 1)) - 1)  # allowed values > value
        k = ((later & -later).bit_length() - 1 - value) if later else 60 - value
        jumped = cur.add(k * unit)
        if getattr(jumped.w, attr) == (value + k) % 60:
            return jumped, value + k == 60
        while True:  # a zone transition inside the jump: step one unit at a time, as Go does
            cur = cur.add(unit)
            v = getattr(cur.w, attr)
            if v == 0:
                return cur, True
            if (1 << v) & mask:
                return cur, False


@dataclass(frozen=True)
class ConstantDelaySchedule(Schedule):
    """``@every <duration>``: activations ``delay`` seconds apart (rounded down to seconds,
    at least one second), counted from the time asked about."""

    delay: int

    def next(self, t: datetime) -> datetime | None:
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        return datetime.fromtimestamp(math.floor(t.timestamp()) + self.delay, t.tzinfo)


def _every(seconds: float) -> ConstantDelaySchedule:
    if seconds < 1:
        seconds = 1
    return ConstantDelaySchedule(int(seconds))


class Parser:
    """``cron.NewParser(options)``; :data:`STANDARD_PARSER` is ``ParseStandard``'s."""

    def __init__(self, options: int) -> None:
        optionals = 0
        if options & DOW_OPTIONAL:
            optionals += 1
        if options & SECOND_OPTIONAL:
            optionals += 1
        if optionals > 1:
            raise ValueError("multiple optionals may not be configured")
        self.options = options

    def parse(self, spec: str) -> Schedule:
        """Parse ``spec`` or raise :class:`CronError` with robfig's message."""
        if len(spec) == 0:
            raise CronError("empty spec string")
        loc: tzinfo | None = None
        if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
            i = spec.find(" ")
            eq = spec.find("=")
            name = spec[eq + 1:i] if i >= 0 else spec[eq + 1:-1]
            loc = load_location(name)
            spec = spec[i:].strip() if i >= 0 else ""
        if spec.startswith("@"):
            if not self.options & DESCRIPTOR:
                raise CronError(f"parser does not accept descriptors: {spec}")
            return _parse_descriptor(spec, loc)
        fields = self._normalize(spec.split())
        return SpecSchedule(
            second=_get_field(fields[0], _SECONDS), minute=_get_field(fields[1], _MINUTES),
            hour=_get_field(fields[2], _HOURS), dom=_get_field(fields[3], _DOM),
            month=_get_field(fields[4], _MONTHS), dow=_get_field(fields[5], _DOW),
            location=loc)

    def _normalize(self, fields: list[str]) -> list[str]:
        options = self.options
        optionals = 0
        if options & SECOND_OPTIONAL:
            options |= SECOND
            optionals += 1
        if options & DOW_OPTIONAL:
            options |= DOW
            optionals += 1
        mx = sum(1 for p in _PLACES if options & p)
        mn = mx - optionals
        count = len(fields)
        if count < mn or count > mx:
            if mn == mx:
                raise CronError(f"expected exactly {mn} fields, found {count}: "
                                f"{_go_list(fields)}")
            raise CronError(f"expected {mn} to {mx} fields, found {count}: {_go_list(fields)}")
        fields = list(fields)
        if options & DOW_OPTIONAL and count < mx:
            fields.append(_DEFAULTS[5])
        elif options & SECOND_OPTIONAL and count < mx:
            fields.insert(0, _DEFAULTS[0])
        expanded = []
        for i, place in enumerate(_PLACES):
            if options & place:
                expanded.append(fields.pop(0))
            else:
                expanded.append(_DEFAULTS[i])
        return expanded


def _parse_descriptor(descriptor: str, loc: tzinfo | None) -> Schedule:
    one = {"second": 1 << _SECONDS.min, "minute": 1 << _MINUTES.min, "hour": 1 << _HOURS.min}
    if descriptor in ("@yearly", "@annually"):
        return SpecSchedule(**one, dom=1 << _DOM.min, month=1 << _MONTHS.min, dow=_all(_DOW),
                            location=loc)
    if descriptor == "@monthly":
        return SpecSchedule(**one, dom=1 << _DOM.min, month=_all(_MONTHS), dow=_all(_DOW),
                            location=loc)
    if descriptor == "@weekly":
        return SpecSchedule(**one, dom=_all(_DOM), month=_all(_MONTHS), dow=1 << _DOW.min,
                            location=loc)
    if descriptor in ("@daily", "@midnight"):
        return SpecSchedule(**one, dom=_all(_DOM), month=_all(_MONTHS), dow=_all(_DOW),
                            location=loc)
    if descriptor == "@hourly":
        return SpecSchedule(second=one["second"], minute=one["minute"], hour=_all(_HOURS),
                            dom=_all(_DOM), month=_all(_MONTHS), dow=_all(_DOW), location=loc)
    every = "@every "
    if descriptor.startswith(every):
        try:
            seconds = parse_go_duration(descriptor[len(every):])
        except CronError as e:
            raise CronError(f"failed to parse duration {descriptor}: {e}") from None
        return _every(seconds)
    raise CronError(f"unrecognized descriptor: {descriptor}")


def load_location(name: str) -> tzinfo:
    """Go's ``time.LoadLocation``: ``""`` and ``"UTC"`` are UTC; otherwise the IANA zone."""
    if name in ("", "UTC"):
        return UTC
    try:
        if name.startswith("/") or ".." in name.split("/"):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CronError(f"provided bad location {name}: unknown time zone {name}") from None


STANDARD_PARSER = Parser(MINUTE | HOUR | DOM | MONTH | DOW | DESCRIPTOR)


def parse_standard(spec: str) -> Schedule:
    """``cron.ParseStandard``: five fields or a descriptor, as CronJob schedules are read."""
    return STANDARD_PARSER.parse(spec)
