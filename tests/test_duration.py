"""Tests for k8snb.util.duration, ported from apimachinery duration_test.go."""

import pytest

from k8snb.util.duration import (
    age,
    format_rfc1123z,
    human_duration,
    parse_time,
    short_human_duration,
)

S = 1.0
MS = 0.001
MIN = 60.0
H = 3600.0
D = 24 * H
Y = 365 * D

HUMAN = [
    (S, "1s"),
    (70 * S, "70s"),
    (190 * S, "3m10s"),
    (70 * MIN, "70m"),
    (47 * H, "47h"),
    (49 * H, "2d1h"),
    ((8 * 24 + 2) * H, "8d"),
    (367 * 24 * H, "367d"),
    ((365 * 2 * 24 + 25) * H, "2y1d"),
    ((365 * 8 * 24 + 2) * H, "8y"),
    # boundaries
    (-2 * S, "<invalid>"),
    (-2 * S + 1e-9, "0s"),
    (0, "0s"),
    (S - MS, "0s"),
    (2 * MIN - MS, "119s"),
    (2 * MIN, "2m"),
    (2 * MIN + S, "2m1s"),
    (10 * MIN - MS, "9m59s"),
    (10 * MIN, "10m"),
    (10 * MIN + S, "10m"),
    (3 * H - MS, "179m"),
    (3 * H, "3h"),
    (3 * H + MIN, "3h1m"),
    (8 * H - MS, "7h59m"),
    (8 * H, "8h"),
    (8 * H + 59 * MIN, "8h"),
    (2 * D - MS, "47h"),
    (2 * D, "2d"),
    (2 * D + H, "2d1h"),
    (8 * D - MS, "7d23h"),
    (8 * D, "8d"),
    (8 * D + 23 * H, "8d"),
    (2 * Y - MS, "729d"),
    (2 * Y, "2y"),
    (2 * Y + 23 * H, "2y"),
    (2 * Y + 23 * H + 59 * MIN, "2y"),
    (2 * Y + 24 * H - MS, "2y"),
    (2 * Y + 24 * H, "2y1d"),
    (3 * Y, "3y"),
    (7 * Y, "7y"),
    (8 * Y - MS, "7y364d"),
    (8 * Y, "8y"),
    (8 * Y + 364 * D, "8y"),
    (9 * Y, "9y"),
]


@pytest.mark.parametrize(("seconds", "want"), HUMAN)
def test_human_duration(seconds, want):
    assert human_duration(seconds) == want


SHORT = [
    (-2 * S, "<invalid>"),
    (-2 * S + 1e-9, "0s"),
    (0, "0s"),
    (S - MS, "0s"),
    (S, "1s"),
    (2 * S - MS, "1s"),
    (MIN - MS, "59s"),
    (MIN, "1m"),
    (2 * MIN - MS, "1m"),
    (H - MS, "59m"),
    (H, "1h"),
    (2 * H - MS, "1h"),
    (D - MS, "23h"),
    (D, "1d"),
    (2 * D - MS, "1d"),
    (Y - MS, "364d"),
    (Y, "1y"),
    (2 * Y - MS, "1y"),
    (2 * Y, "2y"),
]


@pytest.mark.parametrize(("seconds", "want"), SHORT)
def test_short_human_duration(seconds, want):
    assert short_human_duration(seconds) == want


NOW = 1767225600.0  # 2026-01-01T00:00:00Z


def test_parse_time_forms():
    assert parse_time("2026-01-01T00:00:00Z") == NOW
    assert parse_time("2026-01-01T00:00:00.500000Z") == NOW + 0.5
    assert parse_time("2026-01-01T01:00:00+01:00") == NOW
    assert parse_time(None) is None
    assert parse_time("") is None


def test_age():
    assert age("2026-01-01T00:00:00Z", NOW + 42) == "42s"
    assert age("2026-01-01T00:00:00Z", NOW + 5 * 60 + 7) == "5m7s"
    assert age("2026-01-01T00:00:00Z", NOW + 3 * D) == "3d"
    assert age(None, NOW) == "<unknown>"
    # a clock skew of a second is still "now"
    assert age("2026-01-01T00:00:01Z", NOW) == "0s"
    assert age("2026-01-01T00:00:05Z", NOW) == "<invalid>"


def test_format_rfc1123z():
    assert format_rfc1123z("2026-01-01T00:00:00Z") == "Thu, 01 Jan 2026 00:00:00 +0000"
    assert format_rfc1123z("2026-03-09T17:05:09Z") == "Mon, 09 Mar 2026 17:05:09 +0000"
    assert format_rfc1123z(None) == "Mon, 01 Jan 0001 00:00:00 +0000"
