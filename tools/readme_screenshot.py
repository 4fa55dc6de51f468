"""Take the README's picture: a lab running in JupyterLab, in Debian's Chromium.

    .venv/bin/python tools/readme_screenshot.py [NOTEBOOK] [OUT.png]

Starts JupyterLab on notebooks/, opens the notebook (default 00-welcome), runs all cells, scrolls
to its first lab widget and saves the visible window (default docs/images/lab.png).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking"]


def main() -> None:
    notebook = sys.argv[1] if len(sys.argv) > 1 else "00-welcome.ipynb"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs/images/lab.png"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    tmp = Path(tempfile.mkdtemp())
    notes = tmp / "u/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    notes.parent.mkdir(parents=True)
    notes.write_text('{"fetchNews": "false", "checkForUpdates": false}')  # no news toast
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "c"), JUPYTER_DATA_DIR=str(tmp / "d"),
               JUPYTER_RUNTIME_DIR=str(tmp / "r"), JUPYTER_PREFER_ENV_PATH="1")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", f"--IdentityProvider.token={token}",
           "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={ROOT / 'notebooks'}",
           f"--LabApp.workspaces_dir={tmp / 'w'}", f"--LabApp.user_settings_dir={tmp / 'u'}", f"--FileCheckpoints.checkpoint_dir={tmp}",
           "--allow-root"]
    lab = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/lab/tree/{notebook}?reset&token={token}")
            page.wait_for_function("() => window.jupyterapp?.shell?.currentWidget?.sessionContext"
                                   "?.session?.kernel")
            page.wait_for_timeout(3000)
            page.evaluate("() => { const a = window.jupyterapp; a.shell.collapseLeft(); "
                          "return a.commands.execute('notebook:run-all-cells'); }")
            page.wait_for_function(
                "() => { const p = window.jupyterapp.shell.currentWidget; return "
                "p.sessionContext.session?.kernel?.status === 'idle' && p.content.widgets"
                ".every(c => c.model.executionState !== 'running'); }", timeout=300_000)
            widget = page.locator(".jp-OutputArea-output .widget-vbox").first
            widget.wait_for(timeout=60_000)
            widget.scroll_into_view_if_needed()
            page.wait_for_timeout(1500)
            widget.evaluate("el => el.closest('.jp-Cell').scrollIntoView({block: 'start'})")
            page.wait_for_timeout(1000)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        os.killpg(lab.pid, 15)
    print(f"saved {out}")


if __name__ == "__main__":
    main()
