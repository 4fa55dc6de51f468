"""Human-readable durations and ages, exactly as kubectl prints them.

A port of apimachinery ``pkg/util/duration/duration.go`` (``HumanDuration`` and
``ShortHumanDuration``) plus the ``translateTimestampSince`` helper that
``kubectl get`` and ``kubectl describe`` use for the AGE column::

    >>> human_duration(3 * 60 + 10)
    '3m10s'
    >>> age("2026-01-01T00:00:00Z", now=1767225600 + 90)
    '90s'
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = [
    "age",
    "format_rfc1123z",
    "human_duration",
    "parse_time",
    "short_human_duration",
]

_SECOND = 1_000_000_000
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE


def _nanos(seconds: float) -> int:
    """Seconds (float) to integer nanoseconds, like a Go ``time.Duration``."""
    return int(round(seconds * 1e9))


def _trunc_seconds(ns: int) -> int:
    """Go's ``int(d.Seconds())``: truncation toward zero."""
    return int(ns / 1e9)


def human_duration(seconds: float) -> str:
    """apimachinery ``HumanDuration``: about 2-3 significant figures.

    ``119s``, ``3m10s``, ``2m``, ``179m``, ``7h59m``, ``47h``, ``7d23h``,
    ``729d``, ``7y364d``, ``8y``; ``0s`` just below zero, ``<invalid>`` below -1s.
    """
    d = _nanos(seconds)
    secs = _trunc_seconds(d)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60 * 2:
        return f"{secs}s"
    minutes = d // _MINUTE
    if minutes < 10:
        s = (d // _SECOND) % 60
        if s == 0:
            return f"{minutes}m"
        return f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = d // _HOUR
    if hours < 8:
        m = (d // _MINUTE) % 60
        if m == 0:
            return f"{hours}h"
        return f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        if h == 0:
            return f"{hours // 24}d"
        return f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        if dy == 0:
            return f"{hours // 24 // 365}y"
        return f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(seconds: float) -> str:
    """apimachinery ``ShortHumanDuration``: one unit only (``59s``, ``5m``, ``3h``, ``12d``, ``2y``)."""
    d = _nanos(seconds)
    secs = _trunc_seconds(d)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60:
        return f"{secs}s"
    minutes = int(d / _MINUTE)
    if minutes < 60:
        return f"{minutes}m"
    hours = int(d / _HOUR)
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{int(d / _HOUR / 24 / 365)}y"


def parse_time(timestamp: str | None) -> float | None:
    """RFC 3339 timestamp (``2026-01-01T00:00:00Z``, fractions allowed) to Unix seconds."""
    if not timestamp:
        return None
    text = timestamp.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def age(timestamp_rfc3339: str | None, now: float) -> str:
    """kubectl's ``translateTimestampSince``: ``<unknown>`` for a missing timestamp."""
    t = parse_time(timestamp_rfc3339)
    if t is None:
        return "<unknown>"
    return human_duration(now - t)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_rfc1123z(timestamp_rfc3339: str | None) -> str:
    """Go's ``time.RFC1123Z`` layout in UTC: ``Thu, 01 Jan 2026 00:00:00 +0000``.

    kubectl prints local time; the simulated cluster always prints UTC. A missing
    timestamp prints Go's zero time, as kubectl does for an unset ``metav1.Time``.
    """
    t = parse_time(timestamp_rfc3339)
    if t is None:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    dt = datetime.fromtimestamp(int(t // 1), tz=UTC)
    return (
        f"{_DAYS[dt.weekday()]}, {dt.day:02d} {_MONTHS[dt.month - 1]} {dt.year:04d} "
        f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} +0000"
    )
