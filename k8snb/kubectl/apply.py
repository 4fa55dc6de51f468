"""``kubectl apply``, ``create``, ``replace``, ``patch`` and ``delete``: writing objects.

``apply`` records what you applied in the ``kubectl.kubernetes.io/last-applied-configuration``
annotation and sends a three-way strategic merge patch (last applied, live, new), so fields
you removed from the file are removed from the object while fields set by controllers stay.
In a multi-document apply each document stands alone: good ones apply, bad ones print an error.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

from k8snb.api.errors import StatusError
from k8snb.kubectl.cli import CommandError, Context, command_at
from k8snb.kubectl.resources import targets
from k8snb.util.jsoncopy import jcopy

__all__ = ["apply", "create", "delete", "replace", "patch", "objects_from_files"]

Obj = dict[str, Any]
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def _read_sources(ctx: Context) -> list[tuple[str, str]]:
    sources: list[tuple[str, str]] = []
    files = ctx.args.list("filename")
    if not files:
        raise CommandError("must specify one of -f and -k")
    for f in files:
        if f == "-":
            sources.append(("STDIN", ctx.stdin or ""))
        elif os.path.isdir(f):
            for root, _, names in sorted(os.walk(f)):
                for n in sorted(names):
                    if n.endswith((".yaml", ".yml", ".json")):
                        p = os.path.join(root, n)
                        with open(p, encoding="utf-8") as fh:
                            sources.append((p, fh.read()))
                if not ctx.args.bool("recursive"):
                    break
        elif os.path.isfile(f):
            with open(f, encoding="utf-8") as fh:
                sources.append((f, fh.read()))
        else:
            raise CommandError(f'the path "{f}" does not exist')
    return sources


def objects_from_files(ctx: Context) -> list[tuple[str, Obj | None]]:
    """Every document of every -f source; a bad document is reported and yields None."""
    out: list[tuple[str, Obj | None]] = []
    for source, text in _read_sources(ctx):
        try:
            docs = list(yaml.safe_load_all(text))
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = f"line {mark.line + 1}: " if mark is not None else ""
            problem = getattr(e, "problem", None) or str(e)
            ctx.error(f"error: error parsing {source}: error converting YAML to JSON: yaml: "
                      f"{line}{problem}")
            out.append((source, None))
            continue
        for doc in docs:
            if doc is None:
                continue
            if not isinstance(doc, dict):
                ctx.error(f"error: error parsing {source}: error unmarshaling JSON: json: "
                          "cannot unmarshal string into Go value of type map[string]interface {}")
                out.append((source, None))
                continue
            if doc.get("kind") == "List" or (str(doc.get("kind", "")).endswith("List")
                                             and "items" in doc):
                out.extend((source, _check(ctx, source, i)) for i in doc.get("items") or [])
                continue
            out.append((source, _check(ctx, source, doc)))
    return out


def _check(ctx: Context, source: str, doc: Obj) -> Obj | None:
    if not doc.get("apiVersion"):
        ctx.error(f'error: error validating "{source}": error validating data: apiVersion not '
                  "set; if you choose to ignore these errors, turn validation off with "
                  "--validate=false")
        return None
    if not doc.get("kind"):
        ctx.error(f'error: error validating "{source}": error validating data: kind not set; '
                  "if you choose to ignore these errors, turn validation off with "
                  "--validate=false")
        return None
    meta = doc.get("metadata")
    if not isinstance(meta, dict):
        doc["metadata"] = meta = {}
    try:
        ctx.api.registry.for_kind(doc["apiVersion"], doc["kind"])
    except KeyError:
        ctx.error(f'error: resource mapping not found for name: "{meta.get("name", "")}" '
                  f'namespace: "{meta.get("namespace", "")}" from "{source}": no matches for '
                  f'kind "{doc["kind"]}" in version "{doc["apiVersion"]}"\n'
                  "ensure CRDs are installed first")
        return None
    return doc


def _ns_for(ctx: Context, obj: Obj) -> str | None:
    info = ctx.api.registry.for_kind(obj["apiVersion"], obj["kind"])
    if not info.namespaced:
        return None
    explicit = ctx.args.str("namespace")
    meta_ns = obj["metadata"].get("namespace")
    if explicit and meta_ns and explicit != meta_ns:
        raise CommandError(
            f"the namespace from the provided object \"{meta_ns}\" does not match the "
            f"namespace \"{explicit}\". You must pass '--namespace={meta_ns}' to perform this "
            "operation.")
    return meta_ns or ctx.namespace


def _validation(ctx: Context) -> str | None:
    v = (ctx.args.str("validate") or "strict").lower()
    return {"strict": "Strict", "true": "Strict", "warn": None, "ignore": None,
            "false": None}.get(v, "Strict")


def _dry(ctx: Context) -> str:
    d = ctx.args.str("dry-run") or "none"
    if d not in ("none", "client", "server"):
        raise CommandError(f'Invalid dry-run value ({d}). Must be "none", "server", or '
                           '"client".')
    return {"client": " (dry run)", "server": " (server dry run)"}.get(d, "")


def apply(ctx: Context) -> None:
    from k8snb.api import patch as patching

    dry = _dry(ctx)
    for source, obj in objects_from_files(ctx):
        if obj is None:
            continue
        info = ctx.api.registry.for_kind(obj["apiVersion"], obj["kind"])
        name = obj["metadata"].get("name")
        try:
            ns = _ns_for(ctx, obj)
        except CommandError as e:
            ctx.error(f"error: {e}")
            continue
        if not name:
            ctx.error(f'error: error when retrieving current configuration of:\nResource: '
                      f'"{info.qualified}", GroupVersionKind: "{info.api_version}, '
                      f'Kind={info.kind}"\nName: "", Namespace: "{ns or ""}"\nfrom server for: '
                      f'"{source}": resource name may not be empty')
            continue
        manifest = patching.with_last_applied(obj)
        try:
            live = ctx.api.get(info, name, ns)
        except StatusError as e:
            if e.reason != "NotFound":
                ctx.fail(e)
                continue
            live = None
        label = f"{info.type_name}/{name}"
        try:
            if live is None:
                ctx.api.create(manifest, ns, field_validation=_validation(ctx),
                               dry_run=bool(dry))
                ctx.print(f"{label} created{dry}")
                continue
            prev_text = (live["metadata"].get("annotations") or {}).get(LAST_APPLIED)
            p = patching.three_way_apply(prev_text, live, obj, info.kind)
            if not p:
                ctx.print(f"{label} unchanged{dry}")
                continue
            new = patching.strategic_merge_patch(live, p, info.kind)
            if new == live:
                ctx.print(f"{label} unchanged{dry}")
                continue
            if not dry:
                ctx.api.update(new, field_validation=_validation(ctx))
            ctx.print(f"{label} configured{dry}")
        except StatusError as e:
            verb = "creating" if live is None else "patching"
            if e.reason == "Invalid":
                ctx.error(e.message)
            else:
                ctx.error(f'Error from server ({e.reason}): error when {verb} "{source}": '
                          f"{e.message}")


#: ``kubectl create <word>`` -> the ``"module:function"`` of ``k8snb.kubectl`` that builds it
CREATE_SUBCOMMANDS: dict[str, str] = {
    "namespace": "apply:create_namespace", "ns": "apply:create_namespace",
    "deployment": "create_workloads:create_deployment",
    "deploy": "create_workloads:create_deployment",
    "job": "create_workloads:create_job",
    "cronjob": "create_workloads:create_cronjob", "cj": "create_workloads:create_cronjob",
    "configmap": "create_config:create_configmap", "cm": "create_config:create_configmap",
    "secret": "create_config:create_secret",
    "serviceaccount": "create_config:create_serviceaccount",
    "sa": "create_config:create_serviceaccount",
}

#: kubectl create's other subcommands (kubectl 1.35), not generated here yet
_UPSTREAM_CREATE = frozenset({
    "clusterrole", "clusterrolebinding", "ingress", "ing", "poddisruptionbudget", "pdb",
    "priorityclass", "pc", "quota", "resourcequota", "role", "rolebinding", "service", "svc",
    "token"})


def create_namespace(ctx: Context) -> None:
    """``kubectl create namespace NAME``."""
    from k8snb.kubectl.create_workloads import one_name

    name = one_name(ctx.args.positional[1:])
    _create_one(ctx, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name},
                      "spec": {}, "status": {}}, None, "")


def create(ctx: Context) -> None:
    words = ctx.args.positional
    generator = command_at(CREATE_SUBCOMMANDS[words[0]]) \
        if words and words[0] in CREATE_SUBCOMMANDS else None
    if generator is not None:
        generator(ctx)
        return
    if words and words[0] in _UPSTREAM_CREATE:
        raise CommandError(f'"kubectl create {words[0]}" is not available in the simulated '
                           "cluster yet: write the object as YAML and use kubectl apply -f")
    if words:  # not a kubectl create subcommand at all: kubectl's own answer
        ctx.err.write("Error: must specify one of -f and -k\n\n")
        raise CommandError(f'unknown command "{" ".join(words)}"\n'
                           "See 'kubectl create -h' for help and examples")
    for source, obj in objects_from_files(ctx):
        if obj is None:
            continue
        try:
            ns = _ns_for(ctx, obj)
        except CommandError as e:
            ctx.error(f"error: {e}")
            continue
        _create_one(ctx, obj, ns, source)


def _create_one(ctx: Context, obj: Obj, ns: str | None, source: str) -> None:
    dry = _dry(ctx)
    info = ctx.api.registry.for_kind(obj["apiVersion"], obj["kind"])
    if ctx.args.str("dry-run") == "client":
        # Nothing is sent: the object is printed as kubectl built or read it (the way to write
        # a manifest: `kubectl run web --image=nginx --dry-run=client -o yaml > pod.yaml`).
        created = jcopy(obj)
        if ctx.args.str("namespace") and info.namespaced:
            created.setdefault("metadata", {})["namespace"] = ctx.namespace
        _print_created(ctx, info, created, dry)
        return
    try:
        created = ctx.api.create(obj, ns, field_validation=_validation(ctx), dry_run=bool(dry))
    except StatusError as e:
        if e.reason == "Invalid":
            ctx.error(e.message)
        elif source:
            ctx.error(f'Error from server ({e.reason}): error when creating "{source}": '
                      f"{e.message}")
        else:
            ctx.fail(e)
        return
    _print_created(ctx, info, created, dry)


def _print_created(ctx: Context, info: Any, created: Obj, dry: str) -> None:
    out = ctx.args.str("output")
    if out in ("yaml", "json"):
        from k8snb.kubectl import printers

        ctx.out.write(printers.to_yaml(created) if out == "yaml"
                      else printers.to_json(created))
        return
    if out == "name":
        ctx.print(f"{info.type_name}/{created['metadata']['name']}")
        return
    ctx.print(f"{info.type_name}/{created['metadata']['name']} created{dry}")


def replace(ctx: Context) -> None:
    for source, obj in objects_from_files(ctx):
        if obj is None:
            continue
        info = ctx.api.registry.for_kind(obj["apiVersion"], obj["kind"])
        try:
            ns = _ns_for(ctx, obj)
            if ns:
                obj["metadata"]["namespace"] = ns
            ctx.api.update(obj, field_validation=_validation(ctx))
            ctx.print(f"{info.type_name}/{obj['metadata']['name']} replaced")
        except StatusError as e:
            ctx.error(e.message if e.reason == "Invalid" else
                      f'Error from server ({e.reason}): error when replacing "{source}": '
                      f"{e.message}")


def patch(ctx: Context) -> None:
    body = ctx.args.str("patch")
    if body is None:
        raise CommandError("must specify -p to patch")
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as e:
        raise CommandError(f"unable to parse \"{body}\": {e}") from None
    kind = ctx.args.str("type") or "strategic"
    if kind not in ("strategic", "merge", "json"):
        raise CommandError(f'--type must be one of [json merge strategic], not "{kind}"')
    for info, names in targets(ctx.args.positional):
        for name in names:
            before = ctx.api.get(info, name, ctx.namespace)
            after = ctx.api.patch(info, name, data, ctx.namespace, kind)
            same = {k: v for k, v in before.items() if k != "metadata"} == {
                k: v for k, v in after.items() if k != "metadata"} and before["metadata"].get(
                "labels") == after["metadata"].get("labels") and before["metadata"].get(
                "annotations") == after["metadata"].get("annotations")
            ctx.print(f"{info.type_name}/{name} patched" + (" (no change)" if same else ""))


def delete(ctx: Context) -> None:
    a = ctx.args
    cascade = (a.str("cascade") or "background").lower()
    policy = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan",
              "true": "Background", "false": "Orphan"}.get(cascade)
    if policy is None:
        raise CommandError(f'invalid cascade value ({cascade}). Must be "background", '
                           '"foreground", or "orphan".')
    grace = a.str("grace-period")
    grace_s = int(grace) if grace is not None and grace.lstrip("-").isdigit() else None
    if a.bool("now"):
        grace_s = 1
    if a.bool("force"):
        if grace_s is None:
            grace_s = 0
        ctx.err.write("Warning: Immediate deletion does not wait for confirmation that the "
                      "running resource has been terminated. The resource may continue to run "
                      "on the cluster indefinitely.\n")
    items: list[tuple[Any, str, str | None]] = []
    if a.list("filename"):
        for _, obj in objects_from_files(ctx):
            if obj is not None:
                info = ctx.api.registry.for_kind(obj["apiVersion"], obj["kind"])
                items.append((info, obj["metadata"].get("name", ""), _ns_for(ctx, obj)))
    else:
        pairs = targets(a.positional)
        if not pairs:
            raise CommandError("You must provide one or more resources by argument or "
                               "filename.\nExample resource specifications include:\n   "
                               "'-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> "
                               "<name>'\n   '<resource>'")
        for info, names in pairs:
            ns = ctx.namespace if info.namespaced else None
            if names:
                items += [(info, n, ns) for n in names]
            elif a.str("selector") or a.bool("all") or a.str("field-selector"):
                objs = ctx.api.list(info, None if a.bool("all-namespaces") else ns,
                                    label_selector=a.str("selector"),
                                    field_selector=a.str("field-selector"))
                items += [(info, o["metadata"]["name"], o["metadata"].get("namespace"))
                          for o in objs]
                if not objs:
                    ctx.err.write("No resources found\n")
            else:
                raise CommandError("resource(s) were provided, but no name was specified")
    deleted = []
    for info, name, ns in items:
        try:
            ctx.api.delete(info, name, ns, propagation_policy=policy,
                           grace_period_seconds=grace_s)
        except StatusError as e:
            if a.bool("ignore-not-found") and e.reason == "NotFound":
                continue
            ctx.fail(e)
            continue
        ctx.print(f'{info.type_name} "{name}" deleted')
        deleted.append((info, name, ns))
    if deleted and (a.str("wait") or "true").lower() != "false":
        _wait_gone(ctx, deleted)


def _wait_gone(ctx: Context, items: list[tuple[Any, str, str | None]]) -> None:
    """kubectl waits for the objects to disappear: run the cluster until they have."""
    cluster = ctx.cluster

    def gone() -> bool:
        return all(cluster.store.get(i.plural, (ns or "", n)) is None for i, n, ns in items)

    cluster.run_until(gone, 120, wait_out_timeout=False)
