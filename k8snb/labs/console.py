"""``console``: type kubectl commands, see the output and the cluster change.

    >>> lab = console(cluster)                          # doctest: +SKIP
    >>> lab.command.value = "run web --image=nginx"     # "kubectl " in front is optional
    >>> lab.run.click()                                 # or press Enter in the box
    >>> lab.output.value                                # '<pre ...>$ kubectl run web ...'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from k8snb.labs._base import Lab, button, command_block, diagram_html, guarded, terminal
from k8snb.labs.clock import ClockLab
from k8snb.views.diagram import Diagram, cluster_diagram

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["Console", "console"]

HISTORY = 10


def _diagram_maker(cluster: Cluster, diagram: Any) -> Callable[[], Diagram] | None:
    if diagram is None or diagram is False or diagram == "none":
        return None
    if callable(diagram):
        return lambda: diagram(cluster)
    if diagram == "cluster":
        return lambda: cluster_diagram(cluster)
    raise ValueError(f'diagram must be "cluster", None or a function of the cluster, '
                     f"not {diagram!r}")


class Console(Lab):
    """Parts: ``.command`` (Text), ``.run`` (Button), ``.output`` (HTML terminal),
    ``.history`` (Select: click an entry to reuse it), ``.clock``, ``.diagram`` (HTML)."""

    def __init__(self, cluster: Cluster, diagram: Any = "cluster") -> None:
        super().__init__(cluster)
        self._make_diagram = _diagram_maker(cluster, diagram)
        self.commands: list[str] = []
        self.command = widgets.Text(placeholder="get pods -o wide   (kubectl … ; Enter runs it)",
                                    layout=widgets.Layout(width="32em"))
        self.run = button("Run", "run the kubectl command", "primary")
        self.run.on_click(lambda _b: self.submit())
        with warnings.catch_warnings():  # on_submit is the one way to hear Enter alone
            warnings.simplefilter("ignore", DeprecationWarning)
            self.command.on_submit(lambda _t: self.submit())
        self.history = widgets.Select(options=[], rows=4, description="history",
                                      layout=widgets.Layout(width="32em"))
        self.history.observe(self._reuse, "value")
        self.output = widgets.HTML(terminal("<span style='color:#9e9e9e'># type a kubectl "
                                            "command, e.g. get nodes</span>"))
        self.clock = ClockLab(cluster, on_change=self.refresh_diagram)
        self.diagram = widgets.HTML()
        prompt = widgets.HTML("<code>$ kubectl</code>")
        self.children = [widgets.HBox([prompt, self.command, self.run],
                                      layout=widgets.Layout(align_items="center")),
                         self.output, self.history, self.clock, self.diagram]
        self.refresh_diagram()

    def _reuse(self, change: dict) -> None:
        if change.get("new"):
            self.command.value = change["new"]

    @guarded
    def submit(self) -> None:
        """Run what is in the command box, then clear it."""
        text = self.command.value.strip()
        if not text:
            return
        self.execute(text)
        self.command.value = ""

    @guarded
    def execute(self, text: str) -> Any:
        """Run one kubectl command line (``kubectl`` in front is optional) and redraw."""
        line = text.strip()
        for prefix in ("kubectl ", "k "):
            if line.startswith(prefix):
                line = line[len(prefix):].strip()
        if line == "kubectl":
            line = ""
        result = self.cluster.kubectl(line)
        self.output.value = terminal(command_block("kubectl " + line, result.stdout,
                                                   result.stderr))
        self._remember("kubectl " + line if line else "kubectl")
        self.refresh()
        return result

    def _remember(self, line: str) -> None:
        if line in self.commands:
            self.commands.remove(line)
        self.commands.insert(0, line)
        del self.commands[HISTORY:]
        self.history.unobserve(self._reuse, "value")
        self.history.options = list(self.commands)
        self.history.value = None
        self.history.observe(self._reuse, "value")

    def refresh(self) -> None:
        self.clock.refresh()
        self.refresh_diagram()

    def refresh_diagram(self) -> None:
        if self._make_diagram is None:
            self.diagram.value = ""
        else:
            self.diagram.value = diagram_html(self._make_diagram)


def console(cluster: Cluster, diagram: Any = "cluster") -> Console:
    """A kubectl prompt with its output, the last commands, a clock and a live diagram.

    ``diagram``: ``"cluster"`` (default), ``None`` for none, or a function
    ``cluster -> Diagram`` (e.g. ``lambda c: node_diagram(c, "worker1")``).
    """
    return Console(cluster, diagram)
