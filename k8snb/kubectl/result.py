"""What ``Cluster.kubectl`` returns: stdout, stderr and a return code, shown like a terminal."""

from __future__ import annotations

import html
import shlex
from dataclasses import dataclass

__all__ = ["KubectlResult"]


@dataclass
class KubectlResult:
    """Like ``subprocess.CompletedProcess``: ``.stdout``, ``.stderr``, ``.returncode``."""

    args: list[str]
    stdout: str
    stderr: str
    returncode: int

    @property
    def command(self) -> str:
        """The command line, quoted so that it can be pasted into a shell as it is."""
        return "kubectl " + shlex.join(self.args)

    @property
    def output(self) -> str:
        """stdout followed by stderr, as a terminal shows them."""
        return self.stdout + self.stderr

    def check_returncode(self) -> None:
        if self.returncode:
            raise RuntimeError(f"{self.command} failed: {self.stderr.strip()}")

    def __str__(self) -> str:
        return self.output

    def _repr_pretty_(self, p: object, cycle: bool) -> None:
        text = self.output.rstrip("\n")
        p.text(text)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return self.output.rstrip("\n")

    def _repr_html_(self) -> str:
        out = html.escape(self.stdout)
        err = html.escape(self.stderr)
        err_html = f'<span style="color:#f28b82">{err}</span>' if err else ""
        return ('<pre style="background:#1e1e1e;color:#e8e8e8;padding:8px 10px;'
                'border-radius:4px;font-size:12px;line-height:1.35;overflow-x:auto;'
                "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',"
                'monospace">'
                f'<span style="color:#8ab4f8">$ {html.escape(self.command)}'
                f"</span>\n{out}{err_html}</pre>")
