"""Small helpers shared by the DOT views: quoting, HTML-label escaping, status colours.

Every view writes DOT text by hand (it is short and readable in a test failure); these helpers
keep the quoting and the colour vocabulary in one place, so a Running pod is the same green in
every diagram.
"""

from __future__ import annotations

import html
from typing import Any

from k8snb.api.tables import pod_status

__all__ = [
    "quote",
    "esc",
    "shorten",
    "pod_word",
    "status_style",
    "legend_dot",
    "node_ready",
    "node_ip",
    "taint_text",
    "FONT",
    "GRAPH_ATTRS",
]

Obj = dict[str, Any]

FONT = "Helvetica"
GRAPH_ATTRS = (
    f'  graph [fontname="{FONT}", fontsize=11, nodesep=0.25, ranksep=0.35];\n'
    f'  node [fontname="{FONT}", fontsize=10];\n'
    f'  edge [fontname="{FONT}", fontsize=9];\n'
)

#: (fill, border/text) per status class; the same five words appear in every legend.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "running": ("#d9f2d9", "#2e7d32"),
    "pending": ("#fff1cc", "#b26a00"),
    "failed": ("#fbd5d5", "#c62828"),
    "terminating": ("#e6e6e6", "#616161"),
    "done": ("#dbe8fb", "#1f5fae"),
}
LEGEND = [
    ("running", "Running"),
    ("pending", "Pending / creating"),
    ("failed", "Failed / CrashLoopBackOff"),
    ("terminating", "Terminating / Unknown"),
    ("done", "Completed"),
]
_PENDING_WORDS = {"Pending", "ContainerCreating", "PodInitializing", "SchedulingGated"}


def quote(text: str) -> str:
    """A DOT double-quoted string: ``web-1`` -> ``"web-1"``."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def esc(text: Any) -> str:
    """Escape text for an HTML-like label (``<``, ``>``, ``&``, quotes)."""
    return html.escape(str(text), quote=True)


def shorten(name: str, limit: int = 24) -> str:
    """Truncate a long name in the middle, keeping its tail (the part that tells pods apart).

    >>> shorten("payments-frontend-canary-7c9d8f6b5-x2k4q", 24)
    'payments-front…6b5-x2k4q'
    """
    if len(name) <= limit:
        return name
    tail = min(10, (limit - 1) // 2)
    head = limit - 1 - tail
    return name[:head] + "…" + name[-tail:]


def pod_word(pod: Obj, now: float) -> str:
    """The STATUS word ``kubectl get pods`` shows (``Running``, ``CrashLoopBackOff``, …)."""
    return pod_status(pod, now)[1] or "Unknown"


def status_class(word: str) -> str:
    """Map a STATUS word to one of the legend's classes."""
    if word == "Running":
        return "running"
    if word in ("Terminating", "Unknown"):
        return "terminating"
    if word in ("Completed", "Succeeded"):
        return "done"
    if word in _PENDING_WORDS or word.startswith("Init:") and word[5:6].isdigit():
        return "pending"
    return "failed"


def status_style(word: str) -> tuple[str, str]:
    """(fill colour, border colour) for a STATUS word."""
    return STATUS_COLOURS[status_class(word)]


def legend_dot(name: str = "legend") -> str:
    """A small plaintext node explaining the colours."""
    rows = "".join(
        f'<TR><TD BGCOLOR="{STATUS_COLOURS[c][0]}" COLOR="{STATUS_COLOURS[c][1]}" '
        f'BORDER="1" WIDTH="14"> </TD><TD ALIGN="LEFT">{esc(text)}</TD></TR>'
        for c, text in LEGEND
    )
    return (
        f'  {quote(name)} [shape=plain, fontsize=9, label=<<TABLE BORDER="0" CELLSPACING="3" '
        f'CELLPADDING="1"><TR><TD COLSPAN="2" ALIGN="LEFT"><B>pod status</B></TD></TR>'
        f"{rows}</TABLE>>];\n"
    )


def node_ready(node: Obj) -> str:
    """``Ready``, ``NotReady`` or ``Unknown``, from the Ready condition, as kubectl prints it."""
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return "Ready" if cond.get("status") == "True" else "NotReady"
    return "Unknown"


def node_ip(node: Obj) -> str:
    for addr in (node.get("status") or {}).get("addresses") or []:
        if addr.get("type") == "InternalIP":
            return str(addr.get("address", ""))
    return ""


def taint_text(taint: Obj) -> str:
    """``key=value:Effect`` (``key:Effect`` without a value), as ``kubectl describe`` shows it."""
    key = taint.get("key", "")
    value = taint.get("value")
    return f"{key}={value}:{taint.get('effect', '')}" if value else f"{key}:{taint.get('effect', '')}"
