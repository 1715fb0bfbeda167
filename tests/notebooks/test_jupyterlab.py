"""JupyterLab for real: the server as ``make lab`` starts it, headless Chromium opens notebook 01 and runs it.

The test starts ``jupyter lab`` (headless, a random token, a free port on 127.0.0.1, the workbook's kernel as
default) on a copy of ``notebooks/01_audience_research.ipynb`` (so saving never touches the committed file),
opens it in headless Chromium (DevTools protocol, :mod:`browser`), chooses *Run → Run All Cells* and then
*File → Save Notebook* through the real menus, waits until the kernel is idle and every code cell has its
execution count, and checks the saved notebook: every code cell ran, none raised, and the session's kernel
was ``community-workbook`` (the workbook's .venv). A screenshot of the opened notebook is saved in the test's
tmp dir. The server and the browser are stopped by their process ids. Without a browser it is skipped with
a message, except under ``CI=true``.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser import DevTools, chromium, stop

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "01_audience_research.ipynb"
KERNEL = "community-workbook"

pytestmark = pytest.mark.slow

STATE = r"""(() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const prompts = cells.map(c => (c.querySelector('.jp-InputPrompt') || {}).textContent || '');
  return {cells: cells.length, prompts, kernel: (document.querySelector('.jp-KernelName') || {}).textContent || '',
          title: document.title};
})()"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base: str, token: str, path: str) -> object:
    req = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def evaluate(client: DevTools, expression: str) -> object:
    return client.send("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")


def click(client: DevTools, selector: str, timeout: float = 60, label: str | None = None) -> None:
    """Press and release the mouse on the centre of the first visible element matching ``selector`` (and, when
    given, whose text is ``label``), as a person would."""
    deadline = time.monotonic() + timeout
    find = (f"(() => {{ const e = [...document.querySelectorAll({json.dumps(selector)})].find(e => "
            f"{json.dumps(label)} === null || e.textContent.trim() === {json.dumps(label)}); if (!e) return null; "
            "const r = e.getBoundingClientRect(); return r.width ? [r.x + r.width / 2, r.y + r.height / 2] : null; })()")
    while (where := evaluate(client, find)) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector} {label or ''} did not appear within {timeout:.0f} s")
        time.sleep(0.25)
    x, y = where
    client.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    client.send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
    client.send("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)
    time.sleep(0.3)


def menu(client: DevTools, title: str, command: str) -> None:
    """Open the menu bar's ``title`` menu and choose the entry bound to ``command``."""
    click(client, ".lm-MenuBar-item", label=title)
    try:
        click(client, f'.lm-Menu-item[data-command="{command}"]', timeout=20)
    except AssertionError:
        items = evaluate(client, "[...document.querySelectorAll('.lm-Menu-item')].map(e => "
                                 "e.dataset.command + '=' + e.textContent.trim())")
        raise AssertionError(f"menu {title}: no entry {command}; entries: {items}") from None


def test_notebook_01_runs_in_jupyterlab(tmp_path):
    work = tmp_path / "lab"
    (work / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, work / "notebooks" / NOTEBOOK)
    saved = work / "notebooks" / NOTEBOOK
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    jupyter = Path(sys.executable).with_name("jupyter")
    t0 = time.monotonic()
    server = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--notebook-dir={work}", f"--MappingKernelManager.default_kernel_name={KERNEL}",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", "--LabApp.news_url=", "--ServerApp.open_browser=False",
         f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root, as make lab does there
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.log", "w"))  # noqa: SIM115
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                api(base, token, "/api/status")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
                time.sleep(0.5)
        specs = api(base, token, "/api/kernelspecs")
        assert KERNEL in specs["kernelspecs"], f"kernel {KERNEL} is not registered (make setup)"
        assert specs["kernelspecs"][KERNEL]["spec"]["argv"][0].startswith(str(ROOT / ".venv"))
        with chromium(tmp_path / "chromium-profile", extra=["--window-size=1400,1000"]) as client:
            for domain in ("Page", "Runtime"):
                client.send(f"{domain}.enable")
            client.send("Page.navigate", url=f"{base}/lab/tree/notebooks/{NOTEBOOK}?reset&token={token}")
            click(client, ".jp-Notebook .jp-CodeCell", timeout=120)  # the notebook is open (and focused)
            deadline = time.monotonic() + 120
            while not [s for s in api(base, token, "/api/sessions") if s["kernel"]["execution_state"] == "idle"]:
                assert time.monotonic() < deadline, "the notebook's kernel never became idle"
                time.sleep(0.5)
            opened = time.monotonic() - t0
            shot = tmp_path / "jupyterlab-01.png"
            shot.write_bytes(base64.b64decode(client.send("Page.captureScreenshot", format="png")["data"]))
            menu(client, "Run", "runmenu:run-all")
            t1 = time.monotonic()
            deadline = t1 + 900
            while True:
                state = evaluate(client, STATE)
                sessions = api(base, token, "/api/sessions")
                done = state["cells"] and all(p.strip().strip("[]:").isdigit() for p in state["prompts"])
                if done and all(s["kernel"]["execution_state"] == "idle" for s in sessions):
                    break
                assert time.monotonic() < deadline, f"cells still running after 900 s: {state['prompts']}"
                time.sleep(1)
            ran = time.monotonic() - t1
            before = saved.stat().st_mtime
            menu(client, "File", "docmanager:save")
            deadline = time.monotonic() + 60
            while saved.stat().st_mtime == before:
                assert time.monotonic() < deadline, "the notebook was not saved"
                time.sleep(0.3)
            time.sleep(1)
            shot_done = tmp_path / "jupyterlab-01-run.png"
            shot_done.write_bytes(base64.b64decode(client.send("Page.captureScreenshot", format="png")["data"]))
        assert [s["kernel"]["name"] for s in sessions] == [KERNEL], sessions
        nb = json.loads(saved.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert len(code) == state["cells"] and all(isinstance(c["execution_count"], int) for c in code)
        errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(code) for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, errors
        assert nb["metadata"]["kernelspec"]["name"] == KERNEL
        counts = [c["execution_count"] for c in code]
        assert counts == sorted(counts) and len(set(counts)) == len(counts)  # one run, top to bottom
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
        print(f"JupyterLab: server + notebook open {opened:.0f} s, run all {ran:.0f} s, screenshots {shot}")
    finally:
        stop(server)
