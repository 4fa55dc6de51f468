"""``kubectl scale``: set ``spec.replicas`` through the ``/scale`` subresource.

Upstream (kubectl ``pkg/cmd/scale/scale.go``, ``pkg/scale/scale.go``) resolves the objects like
every resource command (``deploy/web``, ``rs web``, ``-l app=web``, ``--all``, ``-f``), checks
the preconditions ``--current-replicas`` and ``--resource-version`` against the current Scale,
and patches ``{"spec":{"replicas":N}}`` into ``<resource>/<name>/scale``. Only Deployments,
ReplicaSets, ReplicationControllers and StatefulSets have that subresource; anything else is a
404 from the server. The controllers then do the work: kubectl only changes a number.

    $ kubectl scale deploy/web --replicas=3
    deployment.apps/web scaled
    $ kubectl scale rs web --current-replicas=2 --replicas=0
    error: Expected replicas to be 2, was 3
"""

from __future__ import annotations

import re
from typing import Any

from k8snb.api.errors import StatusError
from k8snb.api.registry import ResourceInfo
from k8snb.kubectl.cli import CommandError, Context
from k8snb.kubectl.resources import targets

__all__ = ["scale", "SCALABLE_KINDS"]

Obj = dict[str, Any]

#: Kinds served with a ``/scale`` subresource.
SCALABLE_KINDS = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")

_NO_RESOURCES = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'")
_BAD_COUNT = ("The --replicas=COUNT flag is required, and COUNT must be greater than or equal "
              "to 0")
_NO_SCALE = "the server could not find the requested resource"
_INT_RE = re.compile(r"[+-]?[0-9]+")  # strconv.ParseInt, base 10


class _FlagError(Exception):
    """A flag value pflag cannot parse; printed with the usage hint."""


def _int_flag(ctx: Context, name: str, default: int) -> int:
    raw = ctx.args.str(name)
    if raw is None:
        return default
    if not _INT_RE.fullmatch(raw):
        raise _FlagError(f'invalid argument "{raw}" for "--{name}" flag: strconv.ParseInt: '
                         f'parsing "{raw}": invalid syntax')
    return int(raw)


def _objects(ctx: Context) -> tuple[list[tuple[ResourceInfo, str]], list[str]]:
    """(resource, name) pairs to scale and the errors met finding them, as kubectl's builder."""
    a = ctx.args
    ns = ctx.namespace
    if a.list("filename"):
        from k8snb.kubectl.apply import objects_from_files

        pairs = []
        for _, obj in objects_from_files(ctx):
            if obj is not None:
                info = ctx.api.registry.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
                pairs.append((info, obj["metadata"]["name"]))
        return pairs, []
    words = a.positional
    if not words:
        raise CommandError(_NO_RESOURCES)
    selector, everything = a.str("selector"), a.bool("all")
    out: list[tuple[ResourceInfo, str]] = []
    errors: list[str] = []
    for info, names in targets(words):
        if names:
            for name in names:
                try:
                    ctx.api.get_shared(info, name, ns)
                except StatusError as e:
                    errors.append(e.kubectl_message())
                    continue
                out.append((info, name))
        elif selector or everything:
            for obj in ctx.api.list(info, ns, label_selector=selector or None):
                out.append((info, obj["metadata"]["name"]))
        else:
            raise CommandError("resource(s) were provided, but no name was specified")
    return out, errors


def scale(ctx: Context) -> None:
    """``kubectl scale [--current-replicas=N] [--resource-version=V] --replicas=N TYPE NAME``."""
    a = ctx.args
    if a.str("replicas") is None:
        raise CommandError('required flag(s) "replicas" not set')
    try:
        replicas = _int_flag(ctx, "replicas", 0)
        current = _int_flag(ctx, "current-replicas", -1)
    except _FlagError as e:
        ctx.error(f"error: {e}\nSee 'kubectl scale --help' for usage.")
        return
    if replicas < 0:
        raise CommandError(_BAD_COUNT)
    dry = (a.str("dry-run") or "none").lower()
    if dry not in ("none", "client", "server"):
        raise CommandError(f'Invalid dry-run value ({dry}). Must be "none", "server", or '
                           '"client".')
    pairs, errors = _objects(ctx)
    resource_version = a.str("resource-version") or ""
    if resource_version and len(pairs) > 1:
        raise CommandError("cannot use --resource-version with multiple resources")
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    for info, name in pairs:
        try:
            _scale_one(ctx, info, name, replicas, current, resource_version, dry)
        except StatusError as e:
            errors.append(e.kubectl_message())
            continue
        except CommandError as e:
            errors.append(f"error: {e}")
            continue
        if a.str("output") == "name":
            ctx.print(f"{info.type_name}/{name}")
        else:
            ctx.print(f"{info.type_name}/{name} scaled{suffix}")
    if not pairs and not errors:
        errors.append("error: no objects passed to scale")
    for e in errors:
        ctx.error(e)


def _scale_one(ctx: Context, info: ResourceInfo, name: str, replicas: int, current: int,
               resource_version: str, dry: str) -> None:
    """``ScaleSimple``: check the preconditions, then patch ``spec.replicas``."""
    ns = ctx.namespace if info.namespaced else None
    if info.kind not in SCALABLE_KINDS:
        raise StatusError(404, "NotFound", _NO_SCALE)
    obj = ctx.api.get_shared(info, name, ns)
    spec_replicas = (obj.get("spec") or {}).get("replicas")
    spec_replicas = 1 if spec_replicas is None else spec_replicas
    if current != -1 and spec_replicas != current:
        raise CommandError(f"Expected replicas to be {current}, was {spec_replicas}")
    rv = obj["metadata"].get("resourceVersion", "")
    if resource_version and rv != resource_version:
        raise CommandError(f"Expected resource version to be {resource_version}, was {rv}")
    if dry != "none":
        return
    ctx.api.patch(info, name, {"spec": {"replicas": replicas}}, ns, patch_type="merge")
