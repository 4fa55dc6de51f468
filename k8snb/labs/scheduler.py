"""``scheduler_lab``: pick a pod, see how the scheduler judged every node for it.

The table is the scheduler's own explanation (every node x every plugin: filter verdicts and
scores); the text under it says in a few sentences why the pod went where it went, or why it
fits nowhere (the ``0/4 nodes are available: ...`` message of ``kubectl describe pod``).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets

from k8snb.labs._base import Lab, button, error_text, guarded, terminal
from k8snb.views.frames import scheduling_frame

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["SchedulerLab", "scheduler_lab"]

TABLE_STYLE = ("<style>.k8snb-explain td,.k8snb-explain th{padding:2px 6px;font-size:12px;"
               "text-align:left}</style>")


class SchedulerLab(Lab):
    """Parts: ``.pod`` (Dropdown of ``namespace/name``), ``.explain`` and ``.reload``
    (Buttons), ``.table`` (HTML: the explanation frame), ``.why`` (HTML terminal)."""

    def __init__(self, cluster: Cluster, pod: str | None = None) -> None:
        super().__init__(cluster)
        self.pod = widgets.Dropdown(description="pod", layout=widgets.Layout(width="28em"))
        self.explain = button("explain", "ask the scheduler", "primary")
        self.reload = button("reload pods", "list the pods again")
        self.table = widgets.HTML()
        self.why = widgets.HTML()
        self.output = self.why
        self.explain.on_click(lambda _b: self.show())
        self.reload.on_click(lambda _b: self.refresh())
        self._quiet = False
        self.pod.observe(lambda _c: None if self._quiet else self.show(), "value")
        self.children = [widgets.HBox([self.pod, self.explain, self.reload]), self.table,
                         self.why]
        self.refresh(select=pod)

    def refresh(self, select: str | None = None) -> None:
        """List the pods again (pending ones first) and explain the selected one."""
        try:
            pods = self.cluster.api.list("pods")
        except Exception as e:
            self.report(error_text(e))
            return
        pending = [p for p in pods if not p["spec"].get("nodeName")]
        ordered = pending + [p for p in pods if p["spec"].get("nodeName")]
        keys = [f'{p["metadata"]["namespace"]}/{p["metadata"]["name"]}' for p in ordered]
        current = select or self.pod.value
        if current not in keys and current and f"default/{current}" in keys:
            current = f"default/{current}"
        if current not in keys:
            user = [k for k in keys if not k.startswith("kube-system/")]
            current = (user or keys or [None])[0]
        self._quiet = True  # one explanation per refresh, not one per trait change
        try:
            if list(self.pod.options) != keys:
                self.pod.options = keys
            self.pod.value = current
        finally:
            self._quiet = False
        self.show()

    @guarded
    def show(self) -> None:
        """Explain the selected pod: the node x plugin table and the why text."""
        key = self.pod.value
        if not key:
            self.table.value = ""
            self.why.value = terminal('<span style="color:#9e9e9e"># no pods yet: create one, '
                                      "then reload</span>")
            return
        namespace, _, name = key.partition("/")
        self.table.value = ""
        frame = scheduling_frame(self.cluster, name, namespace)
        self.table.value = (TABLE_STYLE + '<div style="overflow-x:auto;max-width:100%">'
                            + frame.to_html(classes="k8snb-explain", border=0) + "</div>")
        text = self.cluster.scheduler.why(name, namespace)
        self.why.value = terminal(html.escape(str(text)), wrap=True)


def scheduler_lab(cluster: Cluster, pod: str | None = None) -> SchedulerLab:
    """Pick a pod (``"web"`` or ``"ns/web"`` preselects one); shows the scheduler's
    node x plugin table and its "why"."""
    return SchedulerLab(cluster, pod)
