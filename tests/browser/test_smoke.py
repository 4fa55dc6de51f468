"""Browser smoke test: open every notebook in a real JupyterLab, run it, look at it.

Starts ``jupyter lab`` on a free port with a random token, opens each notebook in
notebooks/ in headless Debian Chromium through Playwright, runs all cells, then checks:
no traceback in the outputs, no "Error displaying widget", at least one rendered widget
and one SVG diagram when the notebook is expected to have them. Saves a screenshot per
notebook to artifacts/screenshots/<notebook>.png.

What a notebook is expected to show is read from its committed outputs (a widget view
output means widgets, an ``image/svg+xml`` output or ``<svg`` in HTML means a diagram).
A notebook can override that in its metadata:
``"k8snb": {"smoke": {"widgets": true, "svg": false}}``.

Every phase has a budget. Playwright's own timeouts do not fire while the page's main
thread is stuck (seen: JupyterLab's HTML sanitizer looping on a ``style="..."`` attribute
with unescaped double quotes inside), so a watchdog kills this test's Chromium when a phase
overruns, and the whole module stops starting notebooks after SUITE_TIMEOUT.

Skipped when /usr/bin/chromium is missing (``apt-get install chromium``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking"]

# Budgets, in seconds. K8SNB_SMOKE_RUN_TIMEOUT: running one notebook's cells;
# K8SNB_SMOKE_SUITE_TIMEOUT: all notebooks together (CI has 90 minutes for everything).
SERVER_TIMEOUT = 90
PAGE_TIMEOUT = 60
KERNEL_TIMEOUT = 90
RUN_TIMEOUT = int(os.environ.get("K8SNB_SMOKE_RUN_TIMEOUT", "300"))
RENDER_TIMEOUT = 30
CHECK_TIMEOUT = 120  # rendering, screenshot and checks together
SUITE_TIMEOUT = int(os.environ.get("K8SNB_SMOKE_SUITE_TIMEOUT", "2400"))
MAX_SCREENSHOT_HEIGHT = 20000

# No news or update checks (the machine has no internet and the toast covers the page);
# no windowing, so every cell is in the DOM for the checks and the screenshot; no autosave,
# so the run never writes browser outputs into the committed notebooks.
LAB_OVERRIDES = {
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "scrollPastEnd": False},
}

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# A rendered widget view has classes like "jupyter-widgets widget-slider"; the
# "Error displaying widget" placeholder only gets "jupyter-widgets".
WIDGET_SELECTOR = '.jp-OutputArea-output .jupyter-widgets[class*="widget-"]'
# JupyterLab shows image/svg+xml as an <img>; HTML outputs and widgets hold inline <svg>.
SVG_SELECTOR = (
    '.jp-OutputArea-output[data-mime-type="image/svg+xml"] img, '
    ".jp-OutputArea-output svg"
)
STDERR_SELECTOR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def expectations(path: Path) -> dict[str, bool]:
    """What the notebook should render, from its committed outputs and metadata."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    widgets = svg = False
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            widgets |= WIDGET_MIME in data
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            svg |= "image/svg+xml" in data or "<svg" in html
    declared = nb.get("metadata", {}).get("k8snb", {}).get("smoke", {})
    return {"widgets": declared.get("widgets", widgets), "svg": declared.get("svg", svg)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base: str, token: str, path: str, method: str = "GET"):
    req = urllib.request.Request(f"{base}{path}", method=method,
                                 headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = resp.read()
    return json.loads(body) if body else None


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group (it shuts its kernels down), SIGKILL if stuck."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium")
    tmp = tmp_path_factory.mktemp("lab")
    app_settings = tmp / "app-settings"
    default_settings = Path(sys.prefix) / "share/jupyter/lab/settings"  # page_config.json etc.
    if default_settings.is_dir():
        shutil.copytree(default_settings, app_settings)
    else:
        app_settings.mkdir()
    overrides_file = app_settings / "overrides.json"
    overrides = json.loads(overrides_file.read_text()) if overrides_file.exists() else {}
    for plugin, settings in LAB_OVERRIDES.items():
        overrides.setdefault(plugin, {}).update(settings)
    overrides_file.write_text(json.dumps(overrides, indent=2))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(tmp / "config"),   # ignore the user's Jupyter config
               JUPYTER_DATA_DIR=str(tmp / "data"),       # and their kernels, secrets
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_PREFER_ENV_PATH="1")              # the venv's python3 kernel first
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", f"--IdentityProvider.token={token}",
           "--LabApp.expose_app_in_browser=True",
           f"--ServerApp.root_dir={NOTEBOOK_DIR}",
           f"--LabApp.app_settings_dir={app_settings}",
           f"--LabApp.user_settings_dir={tmp / 'user-settings'}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
           # An absolute path: no .ipynb_checkpoints/ folder left in notebooks/.
           f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}",
           "--ServerApp.port_retries=0"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    ARTIFACTS.mkdir(exist_ok=True)
    for stale in (ARTIFACTS / "screenshots").glob("*.png"):  # of notebooks since removed
        if not (NOTEBOOK_DIR / f"{stale.stem}.ipynb").exists():
            stale.unlink()
    log_path = ARTIFACTS / "jupyter-lab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited ({proc.returncode}); see {log_path}")
            try:
                api(base, token, "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab not up after {SERVER_TIMEOUT}s; see {log_path}")
                time.sleep(0.5)
        yield base, token
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def playwright(lab):
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def suite_deadline(lab):
    return time.monotonic() + SUITE_TIMEOUT


def own_chromium_pids() -> list[int]:
    """Chromium processes descended from this test process (never anyone else's)."""
    parent, comm = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            pid = int(text[:text.index(" ")])
            comm[pid] = text[text.index("(") + 1:text.rindex(")")]
            parent[pid] = int(text[text.rindex(")") + 2:].split()[1])
    mine = {os.getpid()}
    changed = True
    while changed:
        new = {pid for pid, ppid in parent.items() if ppid in mine} - mine
        mine |= new
        changed = bool(new)
    return [pid for pid in mine if comm.get(pid, "").startswith("chrom")]


class Watchdog:
    """Kill our Chromium when a phase overruns its budget, so a stuck page fails the test."""

    def __init__(self) -> None:
        self.timer: threading.Timer | None = None
        self.phase, self.budget, self.fired = "", 0, False

    def arm(self, phase: str, seconds: float) -> None:
        self.disarm()
        self.phase, self.budget = phase, seconds
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True
        self.timer.start()

    def disarm(self) -> None:
        if self.timer:
            self.timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        for pid in own_chromium_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def explain(self, name: str) -> str:
        return (f"{name}: the page was still stuck in '{self.phase}' after {self.budget:.0f}s, "
                "so Chromium was killed. If the page froze (JupyterLab spinning on an output), "
                "look for malformed HTML in the outputs, e.g. double quotes inside style=\"...\".")


# JS run in the page. Each awaits with its own bound so a hang fails instead of blocking.
JS_WAIT_KERNEL = """
async ([path, ms]) => {
  const bound = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`kernel not ready after ${ms} ms`)), ms));
  const ready = (async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    const kernel = panel.sessionContext.session?.kernel;
    if (!kernel) throw new Error(`no kernel for ${path} (kernel picker dialog?)`);
    const info = await kernel.info;
    return {kernel: kernel.name, language: info.language_info.name};
  })();
  return Promise.race([ready, bound]);
}
"""

JS_RUN_ALL = """
async (ms) => {
  const bound = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`run-all-cells not finished after ${ms} ms`)), ms));
  return Promise.race([window.jupyterapp.commands.execute('notebook:run-all-cells'), bound]);
}
"""

# True when the kernel is idle and no cell is still running. (After an error, run-all
# stops and the later cells keep executionCount null: JS_NOT_RUN reports those.)
JS_FINISHED = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session?.kernel;
  return kernel?.status === 'idle'
    && panel.content.widgets.every(c => c.model.executionState !== 'running');
}
"""

JS_NOT_RUN = """
() => window.jupyterapp.shell.currentWidget.content.widgets
  .map((c, i) => [i, c])
  .filter(([i, c]) => c.model.type === 'code' && c.model.sharedModel.getSource().trim() !== ''
          && c.model.executionCount === null)
  .map(([i, c]) => i)
"""

# Make room for the whole notebook: hide the side bars, scroll to the top, and return how
# much taller than the visible part the content is (the notebook scrolls in its own panel).
JS_FIT = """
() => {
  const app = window.jupyterapp;
  app.shell.collapseLeft();
  app.shell.collapseRight();
  const outer = app.shell.currentWidget.content.node.querySelector('.jp-WindowedPanel-outer');
  if (!outer) return 0;
  outer.scrollTop = 0;
  return Math.max(outer.scrollHeight - outer.clientHeight, 0);
}
"""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(lab, playwright, suite_deadline, path: Path):
    base, token = lab
    # A Chromium crash on a busy machine is not the notebook's fault: one retry, said aloud.
    for attempt in (1, 2):
        if time.monotonic() > suite_deadline:
            pytest.fail(f"browser smoke budget ({SUITE_TIMEOUT}s) used up before {path.name}")
        try:
            run_in_fresh_browser(playwright, base, token, path)
            return
        except ChromiumCrashed as exc:
            if attempt == 2:
                raise
            print(f"{path.name}: {exc}; retrying once")


class ChromiumCrashed(Exception):
    """The browser or the page's renderer died on its own (not killed by the watchdog)."""


def run_in_fresh_browser(playwright, base: str, token: str, path: Path) -> None:
    watchdog = Watchdog()
    watchdog.arm("launching chromium", 60)
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         headless=True, timeout=60_000)
    crashes: list[str] = []
    browser.on("disconnected", lambda _: crashes.append("browser disconnected"))
    try:
        check_notebook(browser, base, token, path, watchdog, crashes)
    except Exception as exc:
        if watchdog.fired:
            pytest.fail(watchdog.explain(path.name), pytrace=False)
        if crashes:
            raise ChromiumCrashed(f"Chromium crashed ({', '.join(crashes)})") from exc
        raise
    finally:
        watchdog.disarm()
        with contextlib.suppress(Exception):
            browser.close()
        shutdown_sessions(base, token)


def check_notebook(browser, base: str, token: str, path: Path, watchdog: Watchdog,
                   crashes: list[str]) -> None:
    expect = expectations(path)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("crash", lambda _: crashes.append("page renderer crashed"))
    page.set_default_timeout(PAGE_TIMEOUT * 1000)
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    clock = Phases()

    watchdog.arm("opening the notebook", PAGE_TIMEOUT + KERNEL_TIMEOUT + 10)
    # ?reset: start from an empty workspace, not with the previous notebooks' tabs.
    page.goto(f"{base}/lab/tree/{path.name}?reset&token={token}")
    page.wait_for_function(
        "(name) => window.jupyterapp?.shell?.currentWidget?.sessionContext"
        " && window.jupyterapp.shell.currentWidget.context.path.endsWith(name)",
        arg=path.name)
    clock.lap("open")
    kernel = page.evaluate(JS_WAIT_KERNEL, [path.name, KERNEL_TIMEOUT * 1000])
    assert kernel["language"] == "python", kernel
    clock.lap("kernel")
    # Look only inside this notebook's panel.
    panel = page.locator("#" + page.evaluate("() => window.jupyterapp.shell.currentWidget.id"))

    watchdog.arm("running all cells", RUN_TIMEOUT + 10)
    page.evaluate(JS_RUN_ALL, RUN_TIMEOUT * 1000)
    page.wait_for_function(JS_FINISHED, timeout=RUN_TIMEOUT * 1000)
    clock.lap("run")

    watchdog.arm("rendering, screenshot and checks", CHECK_TIMEOUT)
    # Widget views and images render asynchronously after the kernel goes idle.
    for wanted, selector in ((expect["widgets"], WIDGET_SELECTOR),
                             (expect["svg"], SVG_SELECTOR)):
        if wanted:
            with contextlib.suppress(PlaywrightTimeout):  # reported below, after the screenshot
                panel.locator(selector).first.wait_for(timeout=RENDER_TIMEOUT * 1000)
    page.wait_for_timeout(500)
    clock.lap("render")

    screenshot(page, path)
    clock.lap("screenshot")

    stderr = panel.locator(STDERR_SELECTOR).all_inner_texts()
    tracebacks = [t for t in stderr if "Traceback" in t]
    not_run = page.evaluate(JS_NOT_RUN)
    notebook_text = panel.inner_text()
    widgets = panel.locator(WIDGET_SELECTOR).count()
    svgs = panel.locator(SVG_SELECTOR).count()
    watchdog.disarm()
    print(f"{path.name}: {clock}; {widgets} widgets, {svgs} SVGs")

    assert not tracebacks, f"{path.name}: error output:\n" + "\n---\n".join(tracebacks)
    assert not not_run, f"{path.name}: code cells never ran (indices): {not_run}"
    assert "Error displaying widget" not in notebook_text, \
        f"{path.name}: a widget failed to display; page errors: {page_errors}"
    if expect["widgets"]:
        assert widgets > 0, f"{path.name}: no widget rendered; page errors: {page_errors}"
    if expect["svg"]:
        assert svgs > 0, f"{path.name}: no SVG diagram rendered"


class Phases:
    """Seconds spent in each phase, for the log: 'open 5.9s, kernel 3.8s, ...'."""

    def __init__(self) -> None:
        self.last, self.laps = time.monotonic(), []

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps.append(f"{name} {now - self.last:.1f}s")
        self.last = now

    def __str__(self) -> str:
        return ", ".join(self.laps)


def screenshot(page, path: Path) -> None:
    """Save a screenshot of the whole notebook, grown to its full height."""
    extra = page.evaluate(JS_FIT)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"],
                            "height": min(size["height"] + extra, MAX_SCREENSHOT_HEIGHT)})
    page.wait_for_timeout(500)
    page.evaluate(JS_FIT)  # the layout changed: back to the top
    out = ARTIFACTS / "screenshots" / f"{path.stem}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), full_page=True, timeout=60_000)


def shutdown_sessions(base: str, token: str) -> None:
    """Stop this notebook's kernel so kernels don't pile up across notebooks."""
    try:
        for session in api(base, token, "/api/sessions") or []:
            api(base, token, f"/api/sessions/{session['id']}", method="DELETE")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        pass
