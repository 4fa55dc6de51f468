"""``clock``: the cluster's simulated time, moved on by buttons.

Nothing happens in the cluster between two calls: images are pulled, heartbeats missed and
back-offs waited out only when time advances. "settle" runs until no work is left (repeating
heartbeats aside), the way you would wait for ``kubectl get pods`` to calm down.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from k8snb.labs._base import button, guarded

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["ClockLab", "clock"]

STEPS = (("+1 s", 1.0), ("+10 s", 10.0), ("+1 min", 60.0))


def _seconds(s: float) -> str:
    s = round(s)
    if s < 60:
        return f"{s} s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m} min {s} s" if s else f"{m} min"
    h, m = divmod(m, 60)
    return f"{h} h {m} min"


class ClockLab(widgets.HBox):
    """Time display and buttons: ``.time`` (HTML), ``.plus_1s``, ``.plus_10s``, ``.plus_1min``,
    ``.settle`` (Buttons); ``.linked`` are refreshed after every step."""

    def __init__(self, cluster: Cluster, on_change: Any = None) -> None:
        self.cluster = cluster
        self.start = cluster.clock.now
        self.linked: list[Any] = []
        self.time = widgets.HTML()
        self.plus_1s, self.plus_10s, self.plus_1min = (
            button(label, f"advance simulated time by {label[1:]}") for label, _ in STEPS)
        self.settle = button("settle", "run until nothing is left to do (at most 10 min)")
        for b, (_, seconds) in zip((self.plus_1s, self.plus_10s, self.plus_1min), STEPS,
                                   strict=True):
            b.on_click(lambda _b, s=seconds: self.advance(s))
        self.settle.on_click(lambda _b: self.do_settle())
        self.note = ""
        super().__init__([self.time, self.plus_1s, self.plus_10s, self.plus_1min, self.settle],
                         layout=widgets.Layout(align_items="center"))
        if on_change is not None:
            for target in on_change if isinstance(on_change, list | tuple) else [on_change]:
                self.link(target)
        self.refresh()

    def link(self, target: Callable[[], Any] | Any) -> None:
        """Refresh ``target`` (a callable, or anything with ``.refresh()``) after each step."""
        self.linked.append(target)

    @guarded
    def advance(self, seconds: float) -> None:
        """Advance simulated time by ``seconds`` and redraw what is linked."""
        self.cluster.advance(seconds)
        self.note = f"advanced {_seconds(seconds)}"
        self.changed()

    @guarded
    def do_settle(self) -> None:
        """Run until the cluster has nothing left to do (at most 10 simulated minutes)."""
        took = self.cluster.settle()
        self.note = f"settled after {_seconds(took)}" if took else "already settled"
        self.changed()

    def changed(self) -> None:
        self.refresh()
        for target in self.linked:
            try:
                if hasattr(target, "refresh"):
                    target.refresh()
                else:
                    target()
            except Exception as e:  # one broken view must not stop the clock
                self.note = f"error refreshing a view: {e}"
                self.refresh()

    def refresh(self) -> None:
        now = self.cluster.now.strftime("%Y-%m-%d %H:%M:%S UTC")
        since = _seconds(self.cluster.clock.now - self.start)
        note = (f' <span style="color:#777">· {html.escape(self.note)}</span>'
                if self.note else "")
        self.time.value = (f'<span style="font-family:monospace">simulated time {now}</span> '
                           f'<span style="color:#777">(+{since})</span>{note}')

    def report(self, text: str) -> None:
        self.note = text
        self.refresh()

    def __repr__(self) -> str:
        return "<ClockLab>"


def clock(cluster: Cluster, on_change: Any = None) -> ClockLab:
    """Simulated time with "+1 s", "+10 s", "+1 min" and "settle" buttons.

    ``on_change``: a callable, an object with ``.refresh()`` (another lab, say), or a list of
    them, redrawn after every step.
    """
    return ClockLab(cluster, on_change)
