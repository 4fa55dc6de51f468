"""Names: upstream cases from apimachinery validation_test.go and kube_test.go."""

import random

import pytest

from k8snb.api.names import (
    MAX_GENERATED_NAME_LENGTH,
    NAME_ALPHABET,
    fnv32a,
    generate_name,
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_label_value,
    random_string,
    safe_encode,
)

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
NAME_PART_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)


@pytest.mark.parametrize(
    "name", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "a" * 63]
)
def test_dns1123_label_accepts(name):
    assert is_dns1123_label(name) == []


@pytest.mark.parametrize(
    "name",
    [
        "",
        "A",
        "ABC",
        "aBc",
        "A1",
        "A-1",
        "1-A",
        "-",
        "a-",
        "-a",
        "1-",
        "-1",
        "_",
        "a_",
        "a b",
        "a\n",
    ],
)
def test_dns1123_label_rejects_with_the_regex_message(name):
    assert is_dns1123_label(name) == [LABEL_MSG]


def test_dns1123_label_with_dots_says_so():
    assert is_dns1123_label("my.name") == ["must not contain dots"]


def test_dns1123_label_too_long():
    assert is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]


@pytest.mark.parametrize("name", ["a", "a.b.c.d.e", "aaa.bbb.ccc", "11.22.33.44.55", "a" * 253])
def test_subdomain_accepts(name):
    assert is_dns1123_subdomain(name) == []


@pytest.mark.parametrize("name", ["Web_1", "a..b", ".a", "a.", "a.-b", "UPPER", "a@b"])
def test_subdomain_rejects_like_the_api_server(name):
    assert is_dns1123_subdomain(name) == [SUBDOMAIN_MSG]


def test_subdomain_too_long_reports_length_first():
    assert is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]
    assert is_dns1123_subdomain("A" * 254) == ["must be no more than 253 characters", SUBDOMAIN_MSG]


def test_dns1035_label_must_start_with_a_letter():
    assert is_dns1035_label("web") == []
    assert is_dns1035_label("1web") == [
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
        "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
        "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    ]


@pytest.mark.parametrize(
    "key",
    [
        "simple",
        "now-with-dashes",
        "1-starts-with-num",
        "1234",
        "simple/simple",
        "now-with-dashes/simple",
        "now.with.dots/simple",
        "1-num.2-num/3-num",
        "1.2.3.4/5678",
        "Uppercase_Is_OK_123",
        "example.com/Uppercase_Is_OK_123",
        "requests.storage-foo",
        "a" * 63,
        "a" * 253 + "/" + "b" * 63,
        "app.kubernetes.io/name",
    ],
)
def test_qualified_name_accepts(key):
    assert is_qualified_name(key) == []


@pytest.mark.parametrize(
    "key",
    [
        "nospecialchars%^=@",
        "cantendwithadash-",
        "-cantstartwithadash-",
        "only/one/slash",
        "Example.com/abc",
        "example_com/abc",
        "example.com/",
        "/simple",
        "a" * 64,
        "a" * 254 + "/abc",
    ],
)
def test_qualified_name_rejects(key):
    assert is_qualified_name(key)


def test_qualified_name_messages_match_kubectl_output():
    # kubectl get pods -l "app:monolith" prints this message (seen in real clusters).
    assert is_qualified_name("app:monolith") == [NAME_PART_MSG]
    assert is_qualified_name("example.com/") == [
        "name part must be non-empty",
        NAME_PART_MSG,
    ]
    assert is_qualified_name("app.kubernetes_io/name") == ["prefix part " + SUBDOMAIN_MSG]
    assert is_qualified_name("a" * 64) == ["name part must be no more than 63 characters"]
    assert is_qualified_name("a/b/c")[0].startswith("a valid label key must consist of")
    assert is_qualified_name("a/b/c")[0].endswith(
        "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
    )


@pytest.mark.parametrize(
    "value", ["", "simple", "now-with-dashes", "1-starts-with-num", "end-1", "1234", "a" * 63]
)
def test_label_value_accepts(value):
    assert is_valid_label_value(value) == []


@pytest.mark.parametrize(
    "value",
    [
        "nospecialchars%^=@",
        "Tama-nui-te-rā.is.Māori.sun",
        "\\backslashes\\are\\bad",
        "-starts-with-dash",
        "ends-with-dash-",
        ".starts.with.dot",
        "ends.with.dot.",
        "a b",
    ],
)
def test_label_value_rejects(value):
    assert is_valid_label_value(value) == [VALUE_MSG]


def test_label_value_length_counts_bytes_like_go():
    assert is_valid_label_value("a" * 64) == ["must be no more than 63 characters"]
    # 32 two-byte characters are 64 bytes: too long for Go's len().
    assert "must be no more than 63 characters" in is_valid_label_value("é" * 32)


def test_generate_name_appends_five_safe_characters():
    rng = random.Random(7)
    name = generate_name("web-7d9c8f6b5-", rng)
    assert name.startswith("web-7d9c8f6b5-")
    suffix = name[len("web-7d9c8f6b5-") :]
    assert len(suffix) == 5
    assert set(suffix) <= set(NAME_ALPHABET)


def test_generate_name_cuts_long_prefix_to_58():
    name = generate_name("x" * 70, random.Random(0))
    assert len(name) == 63
    assert name[:MAX_GENERATED_NAME_LENGTH] == "x" * 58
    assert is_dns1123_label(name) == []


def test_generate_name_is_deterministic_per_seed():
    assert generate_name("p-", random.Random(42)) == generate_name("p-", random.Random(42))
    names = {generate_name("p-", random.Random(s)) for s in range(50)}
    assert len(names) > 45


def test_alphabet_has_no_vowels_and_no_confusable_digits():
    assert NAME_ALPHABET == "bcdfghjklmnpqrstvwxz2456789"
    assert not set("aeiou013") & set(NAME_ALPHABET)
    assert all(c in NAME_ALPHABET for c in random_string(200, random.Random(3)))


def test_safe_encode_maps_digits_into_the_alphabet():
    # '0' is 48: 48 % 27 == 21 -> '4'; '9' is 57: 57 % 27 == 3 -> 'f'.
    assert safe_encode("0") == "4"
    assert safe_encode("9") == "f"
    encoded = safe_encode("3486526395")
    assert len(encoded) == 10 and set(encoded) <= set(NAME_ALPHABET)


def test_fnv32a_known_vectors():
    assert fnv32a(b"") == 0x811C9DC5
    assert fnv32a(b"a") == 0xE40C292C
    assert fnv32a(b"foobar") == 0xBF9CF968
