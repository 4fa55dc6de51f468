"""Re-execute notebooks and write their outputs back, so committed outputs stay current.

    python tools/run_notebooks.py [NOTEBOOK ...]     (default: notebooks/*.ipynb)

Runs each notebook top to bottom in the ``python3`` kernel from its own folder, with
``store_widget_state=False`` and no timing metadata, to keep diffs small. Stops at the first
notebook that raises (it is left unchanged on disk). ``make notebooks`` calls this.
nbformat/nbclient are imported here only: they are slow to import and not part of k8snb.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def run_notebook(path: Path, timeout: int) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        store_widget_state=False,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    # Never commit widget state: it is large, random and useless without a kernel.
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        print("run_notebooks: no notebooks to run")
        return 0
    for path in paths:
        start = time.monotonic()
        print(f"run_notebooks: running {path}", flush=True)
        try:
            run_notebook(path, args.timeout)
        except CellExecutionError as exc:
            print(exc, file=sys.stderr)
            print(f"run_notebooks: {path.name} FAILED (left unchanged)")
            return 1
        print(f"run_notebooks: {path.name} ok ({time.monotonic() - start:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
