"""What every lab shares: terminal-style output, safe callbacks, diagrams into HTML widgets.

Labs hold no logic of their own: a click calls a ``Cluster`` method or ``cluster.kubectl``
and redraws. Everything is written kernel-side into ``HTML`` widgets (``html.value = ...``),
never printed into an ``Output`` widget, so a notebook run without a front end (nbval) shows
nothing in the cell and a browser shows the same as a test sees. No callback raises: an
unexpected error is shown in the lab in kubectl's words.
"""

from __future__ import annotations

import functools
import html
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from k8snb.views.diagram import Diagram

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["Lab", "LoggedLab", "terminal", "command_block", "diagram_html", "error_text", "guarded",
           "kubectl_line", "button", "note"]

TERMINAL_STYLE = ("background:#1e1e1e;color:#e6e6e6;padding:6px 8px;margin:2px 0;"
                  "border-radius:4px;font-size:12px;line-height:1.35;white-space:pre;"
                  "overflow-x:auto;max-height:26em;overflow-y:auto")


def terminal(body_html: str, *, wrap: bool = False) -> str:
    """A terminal-like ``<pre>`` around already-escaped HTML (``wrap``: wrap long lines)."""
    style = TERMINAL_STYLE.replace("white-space:pre;", "white-space:pre-wrap;") if wrap \
        else TERMINAL_STYLE
    return f'<pre class="k8snb-terminal" style="{style}">{body_html}</pre>'


def kubectl_line(args: list[str]) -> str:
    """``["get", "pods"]`` -> ``kubectl get pods`` (quoted as a shell would need it)."""
    return "kubectl " + shlex.join(args)


def command_block(command: str, stdout: str = "", stderr: str = "", *,
                  comment: str = "") -> str:
    """An optional ``# comment``, the prompt line, then its output (stderr in red), escaped."""
    out = note(comment) if comment else ""
    out += f'<span style="color:#8ae234">$</span> {html.escape(command)}\n'
    out += html.escape(stdout)
    if stderr:
        out += f'<span style="color:#ff6b6b">{html.escape(stderr)}</span>'
    return out


def note(text: str) -> str:
    """A grey ``# text`` line, escaped: what happened that no command printed."""
    return f'<span style="color:#9e9e9e"># {html.escape(text)}</span>\n'


def error_text(exc: BaseException) -> str:
    """An exception in kubectl's words: ``Error from server (NotFound): ...`` or ``error: ...``."""
    msg = getattr(exc, "kubectl_message", None)
    if callable(msg):
        try:
            return str(msg())
        except Exception:  # pragma: no cover - a broken error object still prints something
            pass
    return f"error: {exc}"


def diagram_html(make: Callable[[], Diagram]) -> str:
    """The SVG of ``make()`` for an HTML widget, or the error as terminal text."""
    try:
        svg = make().svg()
    except Exception as e:
        return terminal(html.escape(error_text(e)))
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    return f'<div class="k8snb-diagram" style="overflow:auto;max-width:100%">{svg}</div>'


def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a lab callback; an unexpected exception goes to the lab's ``report`` instead of up."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as e:
            self.report(error_text(e))
            return None

    return wrapper


def button(description: str, tooltip: str = "", style: str = "") -> widgets.Button:
    return widgets.Button(description=description, tooltip=tooltip or description,
                          button_style=style, layout=widgets.Layout(width="auto"))


class Lab(widgets.VBox):
    """A panel over one cluster: ``refresh()`` redraws, ``report(text)`` shows an error."""

    def __init__(self, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cluster = cluster

    def refresh(self) -> None:
        """Redraw from the cluster's current state."""

    def report(self, text: str) -> None:
        """Show an error message (subclasses route it to their output area)."""
        output = getattr(self, "output", None)
        if isinstance(output, widgets.HTML):
            output.value = terminal(f'<span style="color:#ff6b6b">{html.escape(text)}</span>')

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class LoggedLab(Lab):
    """A lab whose ``output`` terminal keeps its last ``log_entries`` blocks (each click's
    command and output, notes, errors) in ``entries``."""

    log_entries = 6

    def __init__(self, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(cluster, **kwargs)
        self.entries: list[str] = []

    def _append(self, block: str) -> None:
        self.entries.append(block)
        del self.entries[:-self.log_entries]
        self.output.value = terminal("".join(self.entries))

    def report(self, text: str) -> None:
        self._append(f'<span style="color:#ff6b6b">{html.escape(text)}</span>\n')
