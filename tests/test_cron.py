"""robfig/cron v3's parser and spec tests (``parser_test.go``, ``spec_test.go``), ported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from k8snb.controllers import cron
from k8snb.controllers.cron import (
    DESCRIPTOR,
    DOM,
    DOW,
    DOW_OPTIONAL,
    HOUR,
    MINUTE,
    MONTH,
    SECOND,
    SECOND_OPTIONAL,
    STAR_BIT,
    ConstantDelaySchedule,
    CronError,
    Parser,
    SpecSchedule,
    parse_standard,
)

SECOND_PARSER = Parser(SECOND | MINUTE | HOUR | DOM | MONTH | DOW | DESCRIPTOR)
NY = ZoneInfo("America/New_York")


def get_time(value: str) -> datetime | None:
    """spec_test.go getTime: three layouts; the RFC 3339-ish one is moved to New York."""
    if value == "":
        return None
    for layout in ("%a %b %d %H:%M %Y", "%a %b %d %H:%M:%S %Y"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=UTC)
        except ValueError:
            pass
    tz = None
    if value.startswith("TZ="):
        name, value = value[3:].split(" ", 1)
        tz = ZoneInfo(name)
    t = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    return t.astimezone(tz or NY)


@pytest.mark.parametrize("expr,lo,hi,expected,err", [
    ("5", 0, 7, 1 << 5, ""),
    ("0", 0, 7, 1 << 0, ""),
    ("7", 0, 7, 1 << 7, ""),
    ("5-5", 0, 7, 1 << 5, ""),
    ("5-6", 0, 7, 1 << 5 | 1 << 6, ""),
    ("5-7", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
    ("5-6/2", 0, 7, 1 << 5, ""),
    ("5-7/2", 0, 7, 1 << 5 | 1 << 7, ""),
    ("5-7/1", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
    ("*", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT, ""),
    ("*/2", 1, 3, 1 << 1 | 1 << 3, ""),
    ("5--5", 0, 0, 0, "too many hyphens"),
    ("jan-x", 0, 0, 0, "failed to parse int from"),
    ("2-x", 1, 5, 0, "failed to parse int from"),
    ("*/-12", 0, 0, 0, "negative number"),
    ("*//2", 0, 0, 0, "too many slashes"),
    ("1", 3, 5, 0, "below minimum"),
    ("6", 3, 5, 0, "above maximum"),
    ("5-3", 3, 5, 0, "beyond end of range"),
    ("*/0", 0, 0, 0, "should be a positive number"),
])
def test_range(expr: str, lo: int, hi: int, expected: int, err: str) -> None:
    bounds = cron._Bounds(lo, hi)
    if err:
        with pytest.raises(CronError, match=err):
            cron._get_range(expr, bounds)
    else:
        assert cron._get_range(expr, bounds) == expected


@pytest.mark.parametrize("expr,lo,hi,expected", [
    ("5", 1, 7, 1 << 5),
    ("5,6", 1, 7, 1 << 5 | 1 << 6),
    ("5,6,7", 1, 7, 1 << 5 | 1 << 6 | 1 << 7),
    ("1,5-7/2,3", 1, 7, 1 << 1 | 1 << 5 | 1 << 7 | 1 << 3),
])
def test_field(expr: str, lo: int, hi: int, expected: int) -> None:
    assert cron._get_field(expr, cron._Bounds(lo, hi)) == expected


def test_all_bits() -> None:
    for r, expected in ((cron._MINUTES, 0xfffffffffffffff), (cron._HOURS, 0xffffff),
                        (cron._DOM, 0xfffffffe), (cron._MONTHS, 0x1ffe), (cron._DOW, 0x7f)):
        assert cron._all(r) == expected | STAR_BIT
    for lo, hi, step, expected in ((0, 0, 1, 0x1), (1, 1, 1, 0x2), (1, 5, 2, 0x2a),
                                   (1, 4, 2, 0xa)):
        assert cron._bits(lo, hi, step) == expected


@pytest.mark.parametrize("spec,err", [
    ("* 5 j * * *", "failed to parse int from"),
    ("@every Xm", "failed to parse duration"),
    ("@unrecognized", "unrecognized descriptor"),
    ("* * * *", "expected 5 to 6 fields"),
    ("", "empty spec string"),
])
def test_parse_schedule_errors(spec: str, err: str) -> None:
    parser = Parser(SECOND_OPTIONAL | MINUTE | HOUR | DOM | MONTH | DOW | DESCRIPTOR)
    with pytest.raises(CronError, match=err):
        parser.parse(spec)


def _every5min(loc: object = None) -> SpecSchedule:
    return SpecSchedule(1 << 0, 1 << 5, cron._all(cron._HOURS), cron._all(cron._DOM),
                        cron._all(cron._MONTHS), cron._all(cron._DOW), loc)


def test_parse_schedule() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    for parser, spec, expected in (
        (SECOND_PARSER, "0 5 * * * *", _every5min()),
        (parse_standard, "5 * * * *", _every5min()),
        (SECOND_PARSER, "CRON_TZ=UTC  0 5 * * * *", _every5min(UTC)),
        (parse_standard, "CRON_TZ=UTC  5 * * * *", _every5min(UTC)),
        (SECOND_PARSER, "CRON_TZ=Asia/Tokyo 0 5 * * * *", _every5min(tokyo)),
        (SECOND_PARSER, "@every 5m", ConstantDelaySchedule(300)),
        (SECOND_PARSER, "@midnight", SpecSchedule(1, 1, 1, cron._all(cron._DOM),
                                                  cron._all(cron._MONTHS),
                                                  cron._all(cron._DOW))),
        (SECOND_PARSER, "TZ=UTC  @midnight", SpecSchedule(1, 1, 1, cron._all(cron._DOM),
                                                          cron._all(cron._MONTHS),
                                                          cron._all(cron._DOW), UTC)),
        (SECOND_PARSER, "@yearly", SpecSchedule(1, 1, 1, 1 << 1, 1 << 1,
                                                cron._all(cron._DOW))),
        (SECOND_PARSER, "@annually", SpecSchedule(1, 1, 1, 1 << 1, 1 << 1,
                                                  cron._all(cron._DOW))),
        (SECOND_PARSER, "* 5 * * * *", SpecSchedule(cron._all(cron._SECONDS), 1 << 5,
                                                    cron._all(cron._HOURS),
                                                    cron._all(cron._DOM),
                                                    cron._all(cron._MONTHS),
                                                    cron._all(cron._DOW))),
    ):
        fn = parser.parse if isinstance(parser, Parser) else parser
        assert fn(spec) == expected, spec


def test_optional_second_and_dow() -> None:
    opt_sec = Parser(SECOND_OPTIONAL | MINUTE | HOUR | DOM | MONTH | DOW | DESCRIPTOR)
    assert opt_sec.parse("5 * * * *") == _every5min()
    assert opt_sec.parse("0 5 * * * *") == _every5min()
    opt_dow = Parser(SECOND | MINUTE | HOUR | DOM | MONTH | DOW_OPTIONAL)
    assert opt_dow.parse("0 5 * * *") == _every5min()
    with pytest.raises(ValueError):
        Parser(SECOND_OPTIONAL | DOW_OPTIONAL)


def test_standard_spec_schedule() -> None:
    assert parse_standard("5 * * * *") == _every5min()
    assert parse_standard("@every 5m") == ConstantDelaySchedule(300)
    with pytest.raises(CronError, match="failed to parse int from"):
        parse_standard("5 j * * *")
    with pytest.raises(CronError, match=r"expected exactly 5 fields, found 4: \[\* \* \* \*\]"):
        parse_standard("* * * *")
    with pytest.raises(CronError, match="expected exactly 5 fields, found 6"):
        parse_standard("0 5 * * * *")


def test_no_descriptor_parser() -> None:
    with pytest.raises(CronError, match="parser does not accept descriptors"):
        Parser(MINUTE | HOUR).parse("@every 1m")


def test_kubernetes_facts() -> None:
    """Day-of-week 7 is rejected; names are case-insensitive; ``?`` means any."""
    with pytest.raises(CronError, match=r"end of range \(7\) above maximum \(6\): 7"):
        parse_standard("0 0 * * 7")
    assert parse_standard("0 0 * JAN-mar Mon") == parse_standard("0 0 * 1-3 1")
    assert parse_standard("0 0 ? * *") == parse_standard("0 0 * * *")
    with pytest.raises(CronError, match="unrecognized descriptor: @Daily"):
        parse_standard("@Daily")
    with pytest.raises(CronError, match="provided bad location Mars/Olympus"):
        parse_standard("TZ=Mars/Olympus * * * * *")


@pytest.mark.parametrize("when,spec,expected", [
    ("Mon Jul 9 15:00 2012", "0/15 * * * *", True),
    ("Mon Jul 9 15:45 2012", "0/15 * * * *", True),
    ("Mon Jul 9 15:40 2012", "0/15 * * * *", False),
    ("Mon Jul 9 15:05 2012", "5/15 * * * *", True),
    ("Mon Jul 9 15:20 2012", "5/15 * * * *", True),
    ("Mon Jul 9 15:50 2012", "5/15 * * * *", True),
    ("Sun Jul 15 15:00 2012", "0/15 * * Jul *", True),
    ("Sun Jul 15 15:00 2012", "0/15 * * Jun *", False),
    ("Sun Jul 15 08:30 2012", "30 08 ? Jul Sun", True),
    ("Sun Jul 15 08:30 2012", "30 08 15 Jul ?", True),
    ("Mon Jul 16 08:30 2012", "30 08 ? Jul Sun", False),
    ("Mon Jul 16 08:30 2012", "30 08 15 Jul ?", False),
    ("Mon Jul 9 15:00 2012", "@hourly", True),
    ("Mon Jul 9 15:04 2012", "@hourly", False),
    ("Mon Jul 9 15:00 2012", "@daily", False),
    ("Mon Jul 9 00:00 2012", "@daily", True),
    ("Mon Jul 9 00:00 2012", "@weekly", False),
    ("Sun Jul 8 00:00 2012", "@weekly", True),
    ("Sun Jul 8 01:00 2012", "@weekly", False),
    ("Sun Jul 8 00:00 2012", "@monthly", False),
    ("Sun Jul 1 00:00 2012", "@monthly", True),
    # If both day fields are restricted, only one needs to match.
    ("Sun Jul 15 00:00 2012", "* * 1,15 * Sun", True),
    ("Fri Jun 15 00:00 2012", "* * 1,15 * Sun", True),
    ("Wed Aug 1 00:00 2012", "* * 1,15 * Sun", True),
    ("Sun Jul 15 00:00 2012", "* * */10 * Sun", True),  # verifies #70
    # However, if one has a star, then both need to match.
    ("Sun Jul 15 00:00 2012", "* * * * Mon", False),
    ("Mon Jul 9 00:00 2012", "* * 1,15 * *", False),
    ("Sun Jul 15 00:00 2012", "* * 1,15 * *", True),
    ("Sun Jul 15 00:00 2012", "* * */2 * Sun", True),
])
def test_activation(when: str, spec: str, expected: bool) -> None:
    t = get_time(when)
    actual = parse_standard(spec).next(t - timedelta(seconds=1))
    assert (actual == t) is expected


@pytest.mark.parametrize("when,spec,expected", [
    ("Mon Jul 9 14:45 2012", "0 0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 14:59 2012", "0 0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 14:59:59 2012", "0 0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 15:45 2012", "0 20-35/15 * * * *", "Mon Jul 9 16:20 2012"),
    ("Mon Jul 9 23:46 2012", "0 */15 * * * *", "Tue Jul 10 00:00 2012"),
    ("Mon Jul 9 23:45 2012", "0 20-35/15 * * * *", "Tue Jul 10 00:20 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 * * * *", "Tue Jul 10 00:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 1/2 * * *", "Tue Jul 10 01:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 10-12 * * *", "Tue Jul 10 10:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 1/2 */2 * *", "Thu Jul 11 01:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 * 9-20 * *", "Wed Jul 10 00:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 * 9-20 Jul *", "Wed Jul 10 00:20:15 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 0 9 Apr-Oct ?", "Thu Aug 9 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 0 */5 Apr,Aug,Oct Mon", "Wed Aug 1 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 0 */5 Oct Mon", "Mon Oct 1 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 0 * Feb Mon", "Mon Feb 4 00:00 2013"),
    ("Mon Jul 9 23:35 2012", "0 0 0 * Feb Mon/2", "Fri Feb 1 00:00 2013"),
    ("Mon Dec 31 23:59:45 2012", "0 * * * * *", "Tue Jan 1 00:00:00 2013"),
    ("Mon Jul 9 23:35 2012", "0 0 0 29 Feb ?", "Mon Feb 29 00:00 2016"),
    # Daylight saving time 2am EST (-5) -> 3am EDT (-4)
    ("2012-03-11T00:00:00-0500", "TZ=America/New_York 0 30 2 11 Mar ?",
     "2013-03-11T02:30:00-0400"),
    ("2012-03-11T00:00:00-0500", "TZ=America/New_York 0 0 * * * ?",
     "2012-03-11T01:00:00-0500"),
    ("2012-03-11T01:00:00-0500", "TZ=America/New_York 0 0 * * * ?",
     "2012-03-11T03:00:00-0400"),
    ("2012-03-11T03:00:00-0400", "TZ=America/New_York 0 0 * * * ?",
     "2012-03-11T04:00:00-0400"),
    ("2012-03-11T04:00:00-0400", "TZ=America/New_York 0 0 * * * ?",
     "2012-03-11T05:00:00-0400"),
    ("2012-03-11T00:00:00-0500", "0 0 1 * * ?", "2012-03-11T01:00:00-0500"),
    ("2012-03-11T01:00:00-0500", "0 0 1 * * ?", "2012-03-12T01:00:00-0400"),
    ("2012-03-11T00:00:00-0500", "0 0 2 * * ?", "2012-03-12T02:00:00-0400"),
    # Daylight saving time 2am EDT (-4) => 1am EST (-5)
    ("2012-11-04T00:00:00-0400", "TZ=America/New_York 0 30 2 04 Nov ?",
     "2012-11-04T02:30:00-0500"),
    ("2012-11-04T01:45:00-0400", "TZ=America/New_York 0 30 1 04 Nov ?",
     "2012-11-04T01:30:00-0500"),
    ("2012-11-04T00:00:00-0400", "0 0 * * * ?", "2012-11-04T01:00:00-0400"),
    ("2012-11-04T01:00:00-0400", "0 0 * * * ?", "2012-11-04T01:00:00-0500"),
    ("2012-11-04T01:00:00-0500", "0 0 * * * ?", "2012-11-04T02:00:00-0500"),
    ("2012-11-04T00:00:00-0400", "0 0 1 * * ?", "2012-11-04T01:00:00-0400"),
    ("2012-11-04T01:00:00-0400", "0 0 1 * * ?", "2012-11-04T01:00:00-0500"),
    ("2012-11-04T01:00:00-0500", "0 0 1 * * ?", "2012-11-05T01:00:00-0500"),
    ("2012-11-04T00:00:00-0400", "0 0 2 * * ?", "2012-11-04T02:00:00-0500"),
    ("2012-11-04T02:00:00-0500", "0 0 2 * * ?", "2012-11-05T02:00:00-0500"),
    ("2012-11-04T00:00:00-0400", "0 0 3 * * ?", "2012-11-04T03:00:00-0500"),
    ("2012-11-04T03:00:00-0500", "0 0 3 * * ?", "2012-11-05T03:00:00-0500"),
    # Unsatisfiable
    ("Mon Jul 9 23:35 2012", "0 0 0 30 Feb ?", ""),
    ("Mon Jul 9 23:35 2012", "0 0 0 31 Apr ?", ""),
    # Monthly job
    ("TZ=America/New_York 2012-11-04T00:00:00-0400", "0 0 3 3 * ?",
     "2012-12-03T03:00:00-0500"),
    # DST making midnight invalid (robfig/cron#157)
    ("2018-10-17T05:00:00-0400", "TZ=America/Sao_Paulo 0 0 9 10 * ?",
     "2018-11-10T06:00:00-0500"),
    ("2018-02-14T05:00:00-0500", "TZ=America/Sao_Paulo 0 0 9 22 * ?",
     "2018-02-22T07:00:00-0500"),
])
def test_next(when: str, spec: str, expected: str) -> None:
    actual = SECOND_PARSER.parse(spec).next(get_time(when))
    want = get_time(expected)
    assert actual == want, (when, spec, actual, want)


@pytest.mark.parametrize("spec", ["xyz", "60 0 * * *", "0 60 * * *", "0 0 * * XYZ"])
def test_errors(spec: str) -> None:
    with pytest.raises(CronError):
        parse_standard(spec)


@pytest.mark.parametrize("when,spec,expected", [
    ("2016-01-03T13:09:03+0530", "14 14 * * *", "2016-01-03T14:14:00+0530"),
    ("2016-01-03T04:09:03+0530", "14 14 * * ?", "2016-01-03T14:14:00+0530"),
    ("2016-01-03T14:09:03+0530", "14 14 * * *", "2016-01-03T14:14:00+0530"),
    ("2016-01-03T14:00:00+0530", "14 14 * * ?", "2016-01-03T14:14:00+0530"),
])
def test_next_with_tz(when: str, spec: str, expected: str) -> None:
    t = datetime.strptime(when, "%Y-%m-%dT%H:%M:%S%z")
    got = parse_standard(spec).next(t)
    assert got == datetime.strptime(expected, "%Y-%m-%dT%H:%M:%S%z")
    assert got.utcoffset() == timedelta(hours=5, minutes=30)


def test_constant_delay_next() -> None:
    """constantdelay_test.go: activations ``delay`` after the time asked, rounded to seconds."""
    t = datetime(2012, 7, 9, 14, 45, tzinfo=UTC)
    assert cron.parse_standard("@every 15m").next(t) == t + timedelta(minutes=15)
    assert cron.parse_standard("@every 1h30m").next(t) == t + timedelta(minutes=90)
    assert cron.parse_standard("@every 500ms").next(t) == t + timedelta(seconds=1)
    assert cron.parse_go_duration("1.5h") == 5400


def test_five_years_then_zero_time() -> None:
    assert parse_standard("0 0 30 2 *").next(datetime(2026, 1, 1, tzinfo=UTC)) is None


def test_day_of_week_star_step_rule() -> None:
    """``*/1`` is still a star (both must match); ``*/2`` is not (either may match)."""
    mon = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday, day 5
    assert parse_standard("0 0 */1 * 0").next(mon) == datetime(2026, 1, 11, tzinfo=UTC)
    assert parse_standard("0 0 */2 * 0").next(mon) == datetime(2026, 1, 7, tzinfo=UTC)
