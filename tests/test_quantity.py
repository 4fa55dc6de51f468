"""Quantities: cases from apimachinery pkg/api/resource/quantity_test.go (TestQuantityParse,
TestQuantityString, TestQuantityParseNonNumericPanic) and what kubectl shows a learner."""

from fractions import Fraction

import pytest

from k8snb.api.quantity import (
    BINARY_SI,
    DECIMAL_EXPONENT,
    DECIMAL_SI,
    QuantityError,
    canonical_quantity,
    cpu_millis,
    format_bytes,
    format_cpu_millis,
    format_quantity,
    parse_quantity,
    parse_quantity_format,
    to_bytes,
)

FORMAT_WRONG = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)


@pytest.mark.parametrize(
    "text, value, fmt",
    [
        ("0", 0, DECIMAL_SI),
        ("0n", 0, DECIMAL_SI),
        ("0Ki", 0, BINARY_SI),
        ("1Ki", 1024, BINARY_SI),
        ("8Ki", 8 * 1024, BINARY_SI),
        ("7Mi", 7 * 2**20, BINARY_SI),
        ("6Gi", 6 * 2**30, BINARY_SI),
        ("5Ti", 5 * 2**40, BINARY_SI),
        ("4Pi", 4 * 2**50, BINARY_SI),
        ("3Ei", 3 * 2**60, BINARY_SI),
        ("5n", Fraction(5, 10**9), DECIMAL_SI),
        ("4u", Fraction(4, 10**6), DECIMAL_SI),
        ("3m", Fraction(3, 1000), DECIMAL_SI),
        ("9", 9, DECIMAL_SI),
        ("8k", 8000, DECIMAL_SI),
        ("7M", 7 * 10**6, DECIMAL_SI),
        ("6G", 6 * 10**9, DECIMAL_SI),
        ("5T", 5 * 10**12, DECIMAL_SI),
        ("2P", 2 * 10**15, DECIMAL_SI),
        ("1E", 10**18, DECIMAL_SI),
        ("1E-3", Fraction(1, 1000), DECIMAL_EXPONENT),
        ("1e3", 1000, DECIMAL_EXPONENT),
        ("1E6", 10**6, DECIMAL_EXPONENT),
        ("1e+3", 1000, DECIMAL_EXPONENT),
        (".001", Fraction(1, 1000), DECIMAL_SI),
        ("1.5", Fraction(3, 2), DECIMAL_SI),
        ("-1.5", Fraction(-3, 2), DECIMAL_SI),
        ("+5", 5, DECIMAL_SI),
        ("1.5Gi", 3 * 2**29, BINARY_SI),
    ],
)
def test_parse(text, value, fmt):
    assert parse_quantity_format(text) == (value, fmt)


def test_values_round_up_to_whole_nanos():
    # "if you want some resources, you should get some resources"
    assert parse_quantity("1e-10") == Fraction(1, 10**9)
    assert parse_quantity("0.0000000001") == Fraction(1, 10**9)
    assert parse_quantity("-0.0000000001") == Fraction(-1, 10**9)
    assert parse_quantity("1.0000000001") == 1 + Fraction(1, 10**9)


def test_binary_quantities_below_one_become_decimal_and_huge_ones_are_capped():
    assert parse_quantity_format("0.5Ki") == (512, BINARY_SI)
    assert parse_quantity_format("0.0001Ki")[1] == DECIMAL_SI  # 0.1024 is not a whole byte
    assert parse_quantity("16Ei") == 2**63 - 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("", FORMAT_WRONG),
        ("aoeu", FORMAT_WRONG),
        ("1.1.M", FORMAT_WRONG),
        ("1+1.0M", FORMAT_WRONG),
        ("0.1am", FORMAT_WRONG),
        ("1 Mi", FORMAT_WRONG),
        ("0.1mi", "unable to parse quantity's suffix"),
        (".5i", "unable to parse quantity's suffix"),
        ("1i", "unable to parse quantity's suffix"),
        ("-3.01e-", "unable to parse quantity's suffix"),
        ("1e", "unable to parse quantity's suffix"),
        ("1gi", FORMAT_WRONG),  # suffixes are case-sensitive: g is not a suffix letter
        ("1K", "unable to parse quantity's suffix"),  # kilo is a lowercase k
        (".e-10", "unable to parse numeric part of quantity"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(QuantityError) as e:
        parse_quantity(text)
    assert str(e.value) == message


def test_numbers_from_yaml_parse_like_their_json_text():
    assert parse_quantity(2) == 2
    assert parse_quantity(0.5) == Fraction(1, 2)
    assert parse_quantity(1e-07) == Fraction(1, 10**7)
    with pytest.raises(TypeError):
        parse_quantity(True)


@pytest.mark.parametrize(
    "value, fmt, text",
    [
        (2**30, BINARY_SI, "1Gi"),
        (300 * 2**20, BINARY_SI, "300Mi"),
        (6 * 1024, BINARY_SI, "6Ki"),
        (1001 * 2**30, BINARY_SI, "1001Gi"),
        (2**40, BINARY_SI, "1Ti"),
        (5, BINARY_SI, "5"),
        (Fraction(1, 2), BINARY_SI, "500m"),
        (10**9, DECIMAL_SI, "1G"),
        (Fraction(1, 1000), DECIMAL_SI, "1m"),
        (Fraction(80, 1000), DECIMAL_SI, "80m"),
        (Fraction(1080, 1000), DECIMAL_SI, "1080m"),
        (300 * 10**6, DECIMAL_SI, "300M"),
        (10**12, DECIMAL_SI, "1T"),
        (1234567 * 10**6, DECIMAL_SI, "1234567M"),
        (Fraction(1234567, 1000), BINARY_SI, "1234567m"),
        (3000, DECIMAL_SI, "3k"),
        (1025, BINARY_SI, "1025"),
        (0, DECIMAL_SI, "0"),
        (0, BINARY_SI, "0"),
        (10**9, DECIMAL_EXPONENT, "1e9"),
        (Fraction(1, 1000), DECIMAL_EXPONENT, "1e-3"),
        (Fraction(1, 10**9), DECIMAL_EXPONENT, "1e-9"),
        (Fraction(80, 1000), DECIMAL_EXPONENT, "80e-3"),
        (300 * 10**6, DECIMAL_EXPONENT, "300e6"),
        (3000, DECIMAL_EXPONENT, "3e3"),
        (0, DECIMAL_EXPONENT, "0"),
        (Fraction(1, 10**9), DECIMAL_SI, "1n"),
        (Fraction(80, 10**9), DECIMAL_SI, "80n"),
        (Fraction(1, 10**6), DECIMAL_SI, "1u"),
        (Fraction(-3, 2), DECIMAL_SI, "-1500m"),
        (-(2**30), BINARY_SI, "-1Gi"),
    ],
)
def test_canonical_strings(value, fmt, text):
    assert format_quantity(value, fmt) == text


@pytest.mark.parametrize(
    "submitted, stored",
    [
        ("1.5", "1500m"),
        ("0.1", "100m"),
        ("1000m", "1"),
        ("1.5Gi", "1536Mi"),
        ("2048Mi", "2Gi"),
        ("2.5Mi", "2560Ki"),
        ("100m", "100m"),
        ("128Mi", "128Mi"),
        ("1.5k", "1500"),
        ("1e3", "1e3"),
        ("0.5Ki", "512"),
        (2, "2"),
        (0.25, "250m"),
    ],
)
def test_what_the_api_server_writes_back(submitted, stored):
    assert canonical_quantity(submitted) == stored


def test_already_canonical_looking_strings_are_kept_verbatim_as_upstream_does():
    assert canonical_quantity("+1") == "+1"
    assert canonical_quantity("1E3") == "1E3"
    assert canonical_quantity("1Gi") == "1Gi"


@pytest.mark.parametrize(
    "text, millis",
    [
        ("100m", 100),
        ("1", 1000),
        ("1.5", 1500),
        ("0.1m", 1),
        ("1.0001", 1001),
        ("2", 2000),
        ("250m", 250),
        ("-0.1m", -1),
    ],
)
def test_cpu_millis_rounds_up_like_milli_value(text, millis):
    assert cpu_millis(text) == millis


def test_to_bytes():
    assert to_bytes("128Mi") == 134217728
    assert to_bytes("1G") == 10**9
    assert to_bytes("1.5") == 2  # Value() rounds up
    assert to_bytes(Fraction(1, 2)) == 1
    assert cpu_millis(Fraction(1, 10)) == 100


def test_kubectl_style_helpers():
    assert format_cpu_millis(100) == "100m"
    assert format_cpu_millis(2000) == "2"
    assert format_cpu_millis(850) == "850m"
    assert format_bytes(134217728) == "128Mi"
    assert format_bytes(290 * 2**20) == "290Mi"
    assert format_bytes(1000) == "1k"  # under 1024 a binary quantity prints as decimal


def test_repeated_strings_are_cached():
    from k8snb.api.quantity import _parse

    _parse.cache_clear()
    for _ in range(100):
        cpu_millis("100m")
        parse_quantity("100m")
    info = _parse.cache_info()
    assert info.misses == 1
