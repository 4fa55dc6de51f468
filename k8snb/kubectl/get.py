"""``kubectl get`` and ``kubectl describe``."""

from __future__ import annotations

from typing import Any

from k8snb.api.errors import StatusError
from k8snb.api.registry import ResourceInfo
from k8snb.kubectl.cli import CommandError, Context
from k8snb.kubectl.resources import targets

__all__ = ["get", "describe", "fetch"]

Obj = dict[str, Any]


def fetch(ctx: Context, info: ResourceInfo, names: list[str]) -> tuple[list[Obj], list[str]]:
    """Objects named (or selected); returns (objects, NotFound messages)."""
    a = ctx.args
    all_ns = a.bool("all-namespaces") and not names
    ns = None if (all_ns or not info.namespaced) else ctx.namespace
    if names:
        objs, missing = [], []
        for name in names:
            try:
                objs.append(ctx.api.get(info, name, ns))
            except StatusError as e:
                if a.bool("ignore-not-found") and e.reason == "NotFound":
                    continue
                missing.append(e.kubectl_message())
        return objs, missing
    objs = ctx.api.list(info, ns, label_selector=a.str("selector"),
                        field_selector=a.str("field-selector"))
    if info.kind == "Event":
        objs.sort(key=lambda e: (e.get("lastTimestamp") or e.get("eventTime") or "",
                                 int(e["metadata"].get("resourceVersion", "0"))))
    return objs, []


def _labels(obj: Obj) -> str:
    labels = obj["metadata"].get("labels") or {}
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>"


def _table(ctx: Context, info: ResourceInfo, objs: list[Obj], *, wide: bool,
           with_kind: bool) -> tuple[list[str], list[list[str]]]:
    from k8snb.api.tables import table

    headers, rows = table(info.kind, objs, ctx.cluster.clock.now, wide=wide)
    headers, rows = list(headers), [list(r) for r in rows]
    if with_kind:
        for r in rows:
            r[0] = f"{info.type_name}/{r[0]}"
    for key in ctx.args.list("label-columns"):
        headers.append(key.rsplit("/", 1)[-1].upper())
        for r, o in zip(rows, objs, strict=True):
            r.append((o["metadata"].get("labels") or {}).get(key, ""))
    if ctx.args.bool("show-labels"):
        headers.append("LABELS")
        for r, o in zip(rows, objs, strict=True):
            r.append(_labels(o))
    if ctx.args.bool("all-namespaces") and info.namespaced:
        headers.insert(0, "NAMESPACE")
        for r, o in zip(rows, objs, strict=True):
            r.insert(0, o["metadata"].get("namespace", ""))
    return headers, rows


def get(ctx: Context) -> None:
    from k8snb.kubectl import printers
    from k8snb.kubectl.jsonpath import JSONPathError, custom_columns, kubectl_jsonpath

    a = ctx.args
    words = a.positional
    if a.bool("watch"):
        raise CommandError("--watch is not available in the simulated cluster; run "
                           "cluster.advance(seconds) and get again")
    if a.list("filename"):
        from k8snb.kubectl.apply import objects_from_files

        pairs = []
        for _, obj in objects_from_files(ctx):
            if obj is not None:
                info = ctx.api.registry.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
                pairs.append((info, [obj["metadata"]["name"]]))
    else:
        if not words:
            raise CommandError(
                "You must specify the type of resource to get. Use \"kubectl api-resources\" "
                "for a complete list of supported resources.")
        pairs = targets(words)
    output = a.str("output") or ""
    found: list[tuple[ResourceInfo, list[Obj]]] = []
    errors: list[str] = []
    for info, names in pairs:
        objs, missing = fetch(ctx, info, names)
        errors += missing
        found.append((info, objs))
    total = sum(len(objs) for _, objs in found)
    if output in ("yaml", "json") or output.startswith(("jsonpath", "custom-columns")):
        items = [o for _, objs in found for o in objs]
        single = len(pairs) == 1 and len(pairs[0][1]) == 1
        if single and items:
            data: Any = items[0]
        else:
            data = printers.to_list(items)
        if output == "yaml":
            ctx.out.write(printers.to_yaml(data))
        elif output == "json":
            ctx.out.write(printers.to_json(data))
        elif output.startswith("custom-columns"):

            try:
                ctx.out.write(custom_columns(items, output.split("=", 1)[1],
                                             no_headers=a.bool("no-headers")))
            except JSONPathError as e:
                raise CommandError(str(e)) from None
        else:
            template = output.split("=", 1)[1] if "=" in output else ""
            try:
                ctx.out.write(kubectl_jsonpath(template, data))
            except JSONPathError as e:
                raise CommandError(str(e)) from None
    elif output == "name":
        for info, objs in found:
            for o in objs:
                ctx.print(f"{info.type_name}/{o['metadata']['name']}")
    elif output in ("", "wide"):
        multi = len(pairs) > 1 or (len(words) == 1 and words[0].split(",")[0] == "all")
        blocks = []
        for info, objs in found:
            if not objs:
                continue
            headers, rows = _table(ctx, info, objs, wide=output == "wide", with_kind=multi)
            blocks.append(printers.format_table(headers, rows,
                                                no_headers=a.bool("no-headers")))
        ctx.out.write("\n".join(blocks))
    else:
        raise CommandError(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            "formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,"
            "jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")
    for e in errors:
        ctx.error(e)
    if total == 0 and not errors and not any(names for _, names in pairs):
        if a.bool("all-namespaces") or not all(info.namespaced for info, _ in pairs):
            ctx.err.write("No resources found\n")
        else:
            ctx.err.write(f"No resources found in {ctx.namespace} namespace.\n")


def describe(ctx: Context) -> None:
    from k8snb.kubectl.describe import describe as render

    words = ctx.args.positional
    if not words:
        raise CommandError('You must specify the type of resource to describe. Use "kubectl '
                           'api-resources" for a complete list of supported resources.')
    pairs = targets(words)
    blocks: list[str] = []
    errors: list[str] = []
    for info, names in pairs:
        if names:
            objs, missing = fetch(ctx, info, names)
            errors += missing
        else:
            objs, _ = fetch(ctx, info, [])
            if not objs:
                ns = "" if not info.namespaced else f" in {ctx.namespace} namespace"
                ctx.err.write(f"No resources found{ns}.\n")
        for obj in objs:
            blocks.append(render(obj, ctx.api.events_for(obj), ctx.cluster.clock.now,
                                 extra=_extra(ctx, obj)))
    ctx.out.write("\n\n".join(b.rstrip("\n") for b in blocks) + ("\n" if blocks else ""))
    for e in errors:
        ctx.error(e)


def _extra(ctx: Context, obj: Obj) -> dict[str, Any]:
    kind = obj.get("kind")
    if kind == "Node":
        pods = [p for p in ctx.cluster.nodes.pods_on(obj["metadata"]["name"])
                if p.get("status", {}).get("phase") not in ("Succeeded", "Failed")]
        lease = ctx.cluster.store.get("leases", ("kube-node-lease", obj["metadata"]["name"]))
        return {"pods": pods, "lease": lease}
    if kind == "Deployment":
        from k8snb.controllers.deployment.util import replica_sets_of

        new, old, _ = replica_sets_of(ctx.api, obj)
        return {"new_replica_set": new, "old_replica_sets": old}
    if kind in ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet",
                "DaemonSet", "Job"):
        return {"pods": ctx.api.list("pods", obj["metadata"].get("namespace"))}
    if kind == "Namespace":
        return {}
    return {}
