"""``kubectl label``, ``annotate``, ``taint``, ``cordon`` and ``uncordon``."""

from __future__ import annotations

from typing import Any

from k8snb.kubectl.cli import CommandError, Context
from k8snb.kubectl.get import fetch
from k8snb.kubectl.resources import targets

__all__ = ["label", "annotate", "taint", "cordon", "uncordon"]

Obj = dict[str, Any]


def _split_changes(words: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
    resources, sets, removes = [], {}, []
    for w in words:
        if "=" in w:
            k, _, v = w.partition("=")
            sets[k] = v
        elif w.endswith("-") and len(w) > 1:
            removes.append(w[:-1])
        else:
            resources.append(w)
    return resources, sets, removes


def _meta_edit(ctx: Context, field: str, verb: str) -> None:
    words = ctx.args.positional
    resources, sets, removes = _split_changes(words)
    if not sets and not removes:
        raise CommandError(f"at least one {field[:-1]} update is required")
    if field == "labels":
        from k8snb.api.labels import validate_labels

        for k, v in sets.items():
            problems = validate_labels({k: v})
            if problems:
                raise CommandError(f"invalid label value: \"{k}={v}\": {problems[0][1]}")
    pairs = targets(resources)
    if not pairs:
        raise CommandError("one or more resources must be specified as <resource> <name> or "
                           "<resource>/<name>")
    for info, names in pairs:
        if not names and not (ctx.args.str("selector") or ctx.args.bool("all")):
            raise CommandError("resource(s) were provided, but no name was specified")
        objs, missing = fetch(ctx, info, names)
        for m in missing:
            ctx.error(m)
        for obj in objs:
            current = obj["metadata"].get(field) or {}
            if not ctx.args.bool("overwrite"):
                for k, v in sets.items():
                    if k in current and current[k] != v:
                        raise CommandError(f"'{k}' already has a value ({current[k]}), and "
                                           "--overwrite is false")
            new = dict(current)
            new.update(sets)
            for k in removes:
                new.pop(k, None)
            name = f"{info.type_name}/{obj['metadata']['name']}"
            if new == current:
                ctx.print(f"{name} not {verb}")
                continue
            obj["metadata"][field] = new
            ctx.api.update(obj)
            past = verb if sets or not removes else "un" + verb
            ctx.print(f"{name} {past}")


def label(ctx: Context) -> None:
    _meta_edit(ctx, "labels", "labeled")


def annotate(ctx: Context) -> None:
    _meta_edit(ctx, "annotations", "annotated")


def taint(ctx: Context) -> None:
    from k8snb.api.taints import parse_taint

    words = ctx.args.positional
    if not words:
        raise CommandError("at least one taint update is required")
    if words[0] in ("node", "nodes", "no"):
        words = words[1:]
    elif words[0].startswith(("node/", "nodes/")):
        words = [words[0].split("/", 1)[1], *words[1:]]
    if len(words) < 2:
        raise CommandError("at least one taint update is required")
    node_names = [words[0]] if not ctx.args.str("selector") else []
    specs = words[1:]
    changes = []
    for spec in specs:
        try:
            changes.append(parse_taint(spec))
        except ValueError as e:
            raise CommandError(str(e)) from None
    if ctx.args.str("selector") or ctx.args.bool("all"):
        node_names = [n["metadata"]["name"] for n in
                      ctx.api.list("nodes", label_selector=ctx.args.str("selector"))]
    for name in node_names:
        node = ctx.api.get("nodes", name)
        taints: list[Obj] = list(node["spec"].get("taints") or [])
        removed_any = added_any = False
        for t, remove in changes:
            if remove:
                before = len(taints)
                taints = [x for x in taints if not (x["key"] == t["key"] and (
                    not t.get("effect") or x["effect"] == t["effect"]))]
                if len(taints) == before:
                    label = t["key"] + (f":{t['effect']}" if t.get("effect") else "")
                    raise CommandError(f"taint \"{label}\" not found")
                removed_any = True
            else:
                same = [x for x in taints if x["key"] == t["key"] and x["effect"] == t["effect"]]
                if same and not ctx.args.bool("overwrite"):
                    raise CommandError(f"node {name} already has {t['key']} taint(s) with same "
                                       "effect(s) and --overwrite is false")
                taints = [x for x in taints if x not in same] + [t]
                added_any = True
        node["spec"]["taints"] = taints
        if not taints:
            del node["spec"]["taints"]
        ctx.api.update(node)
        verb = "modified" if added_any and removed_any else ("tainted" if added_any
                                                              else "untainted")
        ctx.print(f"node/{name} {verb}")


def _cordon(ctx: Context, value: bool) -> None:
    words = ctx.args.positional
    names = [w.split("/", 1)[-1] for w in words if w not in ("node", "nodes")]
    if ctx.args.str("selector"):
        names = [n["metadata"]["name"] for n in
                 ctx.api.list("nodes", label_selector=ctx.args.str("selector"))]
    if not names:
        raise CommandError("USAGE: cordon NODE [flags]" if value else
                           "USAGE: uncordon NODE [flags]")
    word = "cordoned" if value else "uncordoned"
    for name in names:
        node = ctx.api.get("nodes", name)
        if bool(node["spec"].get("unschedulable")) == value:
            ctx.print(f"node/{name} already {word}")
            continue
        if value:
            node["spec"]["unschedulable"] = True
        else:
            node["spec"].pop("unschedulable", None)
        ctx.api.update(node)
        ctx.print(f"node/{name} {word}")


def cordon(ctx: Context) -> None:
    _cordon(ctx, True)


def uncordon(ctx: Context) -> None:
    _cordon(ctx, False)
