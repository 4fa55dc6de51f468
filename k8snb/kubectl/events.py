"""``kubectl events``: the events of a namespace (or of one object), oldest first.

A port of kubectl ``pkg/cmd/events``: columns ``LAST SEEN TYPE REASON OBJECT MESSAGE``
(``NAMESPACE`` first with ``-A``), OBJECT as ``Kind/name``, sorted by when each event last
happened, ``--for TYPE/NAME`` and ``--types=Normal,Warning`` filters, ``-o yaml|json``.
Unlike ``kubectl get events``, the order is by time, which is what tells the story.
"""

from __future__ import annotations

from k8snb.kubectl.cli import CommandError, Context
from k8snb.kubectl.describe import event_interval, event_time
from k8snb.kubectl.printers import escape_terminal, format_table, to_json, to_list, to_yaml
from k8snb.kubectl.resources import resolve

__all__ = ["events"]

EVENT_TYPES = ("Normal", "Warning")


def events(ctx: Context) -> None:
    a = ctx.args
    if a.bool("watch"):
        raise CommandError("--watch is not available in the simulated cluster; run "
                           "cluster.advance(seconds) and list the events again")
    if a.positional:
        raise CommandError(f"unknown command {a.positional[0]!r} for \"kubectl events\"")
    types = [t.strip() for t in (a.str("types") or "").split(",") if t.strip()]
    for t in types:
        if t.lower() not in ("normal", "warning"):
            raise CommandError("valid --types are Normal or Warning")
    kind = name = None
    if a.str("for"):
        target = a.str("for") or ""
        what, _, name = target.partition("/")
        if not name:
            raise CommandError(f"--for must be in resource/name form: {target}")
        try:
            kind = resolve(what).kind
        except Exception:
            raise CommandError(f'the server doesn\'t have a resource type "{what}"') from None
    all_ns = a.bool("all-namespaces")
    items = ctx.api.list("events", None if all_ns else ctx.namespace)
    items = [e for e in items
             if (kind is None or ((e.get("involvedObject") or {}).get("kind") == kind
                                  and e["involvedObject"].get("name") == name))
             and (not types or str(e.get("type", "")).lower() in {t.lower() for t in types})]
    items.sort(key=lambda e: (event_time(e), int(e["metadata"].get("resourceVersion") or 0)))
    out = a.str("output")
    if out in ("yaml", "json"):
        listed = to_list(items)
        ctx.out.write(to_yaml(listed) if out == "yaml" else to_json(listed))
        return
    if out:
        raise CommandError(f'unable to match a printer suitable for the output format "{out}", '
                           "allowed formats are: json,yaml")
    if not items:
        ctx.err.write("No events found.\n" if all_ns else
                      f"No events found in {ctx.namespace} namespace.\n")
        return
    now = ctx.cluster.clock.now
    headers = (["NAMESPACE"] if all_ns else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT",
                                                    "MESSAGE"]
    rows = []
    for e in items:
        involved = e.get("involvedObject") or {}
        row = [event_interval(e, now), e.get("type", ""), e.get("reason", ""),
               f"{involved.get('kind', '')}/{involved.get('name', '')}",
               escape_terminal(str(e.get("message", "")).strip())]
        rows.append(([e["metadata"].get("namespace", "")] if all_ns else []) + row)
    ctx.out.write(format_table(headers, rows, no_headers=a.bool("no-headers")))
