"""Object names and the validation rules the API server applies to them.

Every function returns what apimachinery returns: a list of error messages, empty when the
value is valid. The callers (validation of ``metadata.name``, label keys, ...) put the
messages after ``<field>: Invalid value: "<value>": ``.

Upstream: apimachinery ``pkg/util/validation/validation.go`` and
``pkg/api/validate/content/{dns,kube}.go`` (messages), apiserver
``pkg/storage/names/generate.go`` (generateName), apimachinery ``pkg/util/rand/rand.go``
(the random alphabet and ``SafeEncodeString``).
"""

from __future__ import annotations

import random
import re

__all__ = [
    "DNS1035_LABEL_MAX_LENGTH",
    "DNS1123_LABEL_MAX_LENGTH",
    "DNS1123_SUBDOMAIN_MAX_LENGTH",
    "LABEL_VALUE_MAX_LENGTH",
    "MAX_GENERATED_NAME_LENGTH",
    "NAME_ALPHABET",
    "empty_error",
    "fnv32a",
    "generate_name",
    "is_dns1035_label",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_qualified_name",
    "is_valid_label_value",
    "max_len_error",
    "random_string",
    "regex_error",
    "safe_encode",
]

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63
LABEL_VALUE_MAX_LENGTH = 63
_LABEL_KEY_NAME_MAX_LENGTH = 63

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_LABEL_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
_LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_KEY_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_LABEL_VALUE_FMT = "(" + _LABEL_KEY_FMT + ")?"
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)

# fullmatch, not match: Python's "$" also matches before a trailing newline, Go's does not.
_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL_FMT)
_LABEL_KEY_RE = re.compile(_LABEL_KEY_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)


def _byte_len(value: str) -> int:
    """Go's ``len(string)`` counts UTF-8 bytes, not characters."""
    return len(value) if value.isascii() else len(value.encode())


def max_len_error(length: int) -> str:
    """``must be no more than 63 characters`` (``validation.MaxLenError``)."""
    return f"must be no more than {length} characters"


def empty_error() -> str:
    """``must be non-empty`` (``validation.EmptyError``)."""
    return "must be non-empty"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """The ``(e.g. 'a',  or 'b', regex used for validation is '...')`` tail of a message.

    Upstream joins examples with ``" or "`` after ``"', "``, hence the double space.
    """
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    parts = " or ".join(f"'{example}', " for example in examples)
    return f"{msg} (e.g. {parts}regex used for validation is '{fmt}')"


def is_dns1123_label(value: str) -> list[str]:
    """Check an RFC 1123 label (Namespace and Service names): ``[]`` when valid.

    >>> is_dns1123_label("my.name")
    ['must not contain dots']
    """
    errs = []
    if _byte_len(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            # A valid subdomain but not a label: with the length checked, it must be the dots.
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS1123_LABEL_MSG, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    """Check an RFC 1123 subdomain (most object names: Pods, Deployments, ConfigMaps ...)."""
    errs = []
    if _byte_len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_MSG, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    """Check an RFC 1035 label: like an RFC 1123 label but starting with a letter."""
    errs = []
    if _byte_len(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _DNS1035_LABEL_RE.fullmatch(value):
        errs.append(regex_error(_DNS1035_LABEL_MSG, _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    """Check a "qualified name", the form of label keys: ``[prefix/]name``.

    The optional prefix is a DNS subdomain; the name part is at most 63 characters of
    alphanumerics, ``-``, ``_``, ``.``, alphanumeric at both ends (``content.IsLabelKey``).
    """
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + msg for msg in is_dns1123_subdomain(prefix))
    else:
        return [
            "a valid label key "
            + regex_error(_LABEL_KEY_MSG, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part " + empty_error())
    elif _byte_len(name) > _LABEL_KEY_NAME_MAX_LENGTH:
        errs.append("name part " + max_len_error(_LABEL_KEY_NAME_MAX_LENGTH))
    if not _LABEL_KEY_RE.fullmatch(name):
        errs.append(
            "name part "
            + regex_error(_LABEL_KEY_MSG, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
        )
    return errs


def is_valid_label_value(value: str) -> list[str]:
    """Check a label value: empty, or up to 63 characters shaped like a label key's name part."""
    errs = []
    if _byte_len(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _LABEL_VALUE_RE.fullmatch(value):
        errs.append(regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# --- generateName -------------------------------------------------------------------------

#: The 27 characters ``rand.String`` draws from: no vowels and no 0, 1, 3, so no words.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_ALPHANUMS_IDX_BITS = 5
_ALPHANUMS_IDX_MASK = (1 << _ALPHANUMS_IDX_BITS) - 1
_MAX_ALPHANUMS_PER_INT = 63 // _ALPHANUMS_IDX_BITS

_RANDOM_LENGTH = 5
#: A generateName prefix longer than this is cut before the random suffix is added.
MAX_GENERATED_NAME_LENGTH = 63 - _RANDOM_LENGTH


def random_string(n: int, rng: random.Random) -> str:
    """``n`` characters of :data:`NAME_ALPHABET`, drawn as ``rand.String`` draws them.

    Five bits of a 63-bit random number per character; values 27..31 are skipped.
    """
    out = []
    bits = rng.getrandbits(63)
    remaining = _MAX_ALPHANUMS_PER_INT
    while len(out) < n:
        if remaining == 0:
            bits, remaining = rng.getrandbits(63), _MAX_ALPHANUMS_PER_INT
        idx = bits & _ALPHANUMS_IDX_MASK
        if idx < len(NAME_ALPHABET):
            out.append(NAME_ALPHABET[idx])
        bits >>= _ALPHANUMS_IDX_BITS
        remaining -= 1
    return "".join(out)


def generate_name(prefix: str, rng: random.Random) -> str:
    """The name the API server gives an object created with ``generateName: prefix``.

    >>> generate_name("web-7d9c8f6b5-", random.Random(1))  # doctest: +SKIP
    'web-7d9c8f6b5-x2k4q'
    """
    if len(prefix) > MAX_GENERATED_NAME_LENGTH:
        prefix = prefix[:MAX_GENERATED_NAME_LENGTH]
    return prefix + random_string(_RANDOM_LENGTH, rng)


def safe_encode(s: str) -> str:
    """Map each character onto :data:`NAME_ALPHABET` (``rand.SafeEncodeString``).

    The Deployment controller names ReplicaSets ``<deployment>-<safe_encode(str(hash))>``,
    so a pod-template-hash never spells a word: ``safe_encode("3486526395")``.
    """
    return "".join(NAME_ALPHABET[ord(c) % len(NAME_ALPHABET)] for c in s)


_FNV32_OFFSET = 0x811C9DC5
_FNV32_PRIME = 0x01000193


def fnv32a(data: bytes) -> int:
    """32-bit FNV-1a hash, the hash Kubernetes uses for pod-template-hash and revisions."""
    h = _FNV32_OFFSET
    for byte in data:
        h ^= byte
        h = (h * _FNV32_PRIME) & 0xFFFFFFFF
    return h
