"""``kubectl create configmap|secret generic|serviceaccount``: kubectl's generators.

As ``pkg/cmd/create/create_configmap.go`` and ``create_secret.go``: data comes from
``--from-literal=key=value``, ``--from-file=[key=]path`` (a file, or every file of a directory,
read from the notebook's working directory) and ``--from-env-file=path`` (``KEY=value`` lines);
keys must be valid config keys and may not repeat. A Secret's values are base64-encoded into
``data``, with ``type: Opaque``.
"""

from __future__ import annotations

import base64
import os
import re
from typing import Any

from k8snb.kubectl.cli import CommandError, Context
from k8snb.kubectl.create_workloads import one_name

__all__ = ["create_configmap", "create_secret", "create_serviceaccount"]

Obj = dict[str, Any]
_CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_KEY_ERROR = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
              "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
              "'[-._a-zA-Z0-9]+')")


def _sources(ctx: Context, kind: str, name: str) -> dict[str, str | bytes]:
    """key -> value from the --from-* flags, in kubectl's order: files, literals, env files.

    A file that is not UTF-8 text comes back as bytes (a ConfigMap's ``binaryData``)."""
    data: dict[str, str | bytes] = {}

    def add(key: str, value: str | bytes) -> None:
        if not _CONFIG_KEY.match(key):
            raise CommandError(f'"{key}" is not a valid key name for a {kind}: {_KEY_ERROR}')
        if key in data:
            raise CommandError(f'cannot add key "{key}", another key by that name already '
                               f'exists in Data for {kind} "{name}"')
        data[key] = value

    for source in ctx.args.list("from-file"):
        key, sep, path = source.partition("=")
        if not sep:
            key, path = "", source
        if os.path.isdir(path):
            if key:
                raise CommandError("cannot give a key name for a directory path")
            for entry in sorted(os.listdir(path)):
                full = os.path.join(path, entry)
                if os.path.isfile(full) and _CONFIG_KEY.match(entry):
                    add(entry, _read(full))
            continue
        if not os.path.isfile(path):
            raise CommandError(f"error reading {path}: no such file or directory")
        add(key or os.path.basename(path), _read(path))
    for source in ctx.args.list("from-literal"):
        key, sep, value = source.partition("=")
        if not sep:
            raise CommandError(f"invalid literal source {source}, expected key=value")
        add(key, value)
    for path in ctx.args.list("from-env-file"):
        if not os.path.isfile(path):
            raise CommandError(f"error reading {path}: no such file or directory")
        text = _read(path)
        if isinstance(text, bytes):
            raise CommandError(f"env file {path} contains invalid utf8 bytes")
        for line in text.splitlines():
            line = line.lstrip()
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition("=")
            add(key.strip(), value)
    return data


def _read(path: str) -> str | bytes:
    """A file's text, or its bytes when it is not UTF-8."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise CommandError(f"error reading {path}: {(e.strerror or str(e)).lower()}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def _b64(value: str | bytes) -> str:
    return base64.b64encode(value.encode() if isinstance(value, str) else value).decode()


def _create(ctx: Context, obj: Obj) -> None:
    from k8snb.kubectl.apply import _create_one

    _create_one(ctx, obj, ctx.namespace, "")


def create_configmap(ctx: Context) -> None:
    """``kubectl create configmap NAME [--from-literal=k=v] [--from-file=...]``."""
    name = one_name(ctx.args.positional[1:])
    data = _sources(ctx, "ConfigMap", name)
    obj: Obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
    text = {k: v for k, v in data.items() if isinstance(v, str)}
    binary = {k: _b64(v) for k, v in data.items() if isinstance(v, bytes)}
    if binary:
        obj["binaryData"] = binary
    if text:
        obj["data"] = text
    _create(ctx, obj)


def create_secret(ctx: Context) -> None:
    """``kubectl create secret generic NAME [--from-literal=k=v] [--type=...]``."""
    words = ctx.args.positional[1:]
    if not words:
        raise CommandError("create secret requires a type: generic, docker-registry or tls")
    if words[0] != "generic":
        raise CommandError(f'"kubectl create secret {words[0]}" is not available in the '
                           "simulated cluster yet: use kubectl create secret generic")
    name = one_name(words[1:])
    data = _sources(ctx, "Secret", name)
    obj: Obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}}
    if data:
        obj["data"] = {k: _b64(v) for k, v in data.items()}
    obj["type"] = ctx.args.str("type") or "Opaque"
    _create(ctx, obj)


def create_serviceaccount(ctx: Context) -> None:
    """``kubectl create serviceaccount NAME``."""
    name = one_name(ctx.args.positional[1:])
    _create(ctx, {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}})
