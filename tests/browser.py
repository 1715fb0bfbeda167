"""Headless Chromium for the browser tests, driven over the DevTools protocol (a small client on
``websocket-client``; Playwright's own browser download is not possible offline, Debian's chromium is used).

:func:`chromium` starts the browser (a fresh profile, a free DevTools port), yields a :class:`DevTools` client
of its first page and stops the browser by its process id. Without a browser the calling test is skipped with
a message, except under ``CI=true``, where a missing browser is a failure.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

def find_browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def need(condition: bool, what: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {what}; .ci/run must install it (apt-get install -y chromium)")
    pytest.skip(f"{what} (install Debian's chromium package to run the browser test; under CI=true this fails)")


class DevTools:
    """The smallest DevTools-protocol client this test needs: commands, collected events, dialog handling."""

    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def _on_event(self, msg: dict) -> None:
        self.events.append(msg)
        if msg.get("method") == "Page.javascriptDialogOpening":  # never leave a dialog blocking the page
            self.send("Page.handleJavaScriptDialog", accept=True, _wait=False)

    def send(self, method: str, _wait: bool = True, **params) -> dict:
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        if not _wait:
            return {}
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self._on_event(msg)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for msg in self.events:
            if msg.get("method") == event:
                self.events.remove(msg)
                return msg
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == event:
                return msg
            if "method" in msg:
                self._on_event(msg)
        raise TimeoutError(event)

    def close(self) -> None:
        self.ws.close()


@contextlib.contextmanager
def chromium(profile: Path, extra: Sequence[str] = ()) -> Iterator[DevTools]:
    """A headless Chromium with its profile in ``profile``; yields a client of its page, then stops it (by pid)."""
    exe = find_browser()
    need(exe is not None, "no Chromium/Chrome executable found")
    try:
        import websocket  # noqa: F401
    except ImportError:
        need(False, "the websocket-client package is missing (pip install -e '.[test]')")
    proc = subprocess.Popen(
        [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--disable-background-networking", "--disable-dev-shm-usage",
         "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={profile}", *extra,
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = None
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()) and time.monotonic() < deadline:
            if proc.poll() is not None:
                need(False, f"{exe} exited with status {proc.returncode} before it was ready")
            time.sleep(0.2)
        assert port_file.exists(), f"{exe} did not start its DevTools endpoint within 60 s"
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as resp:
            targets = json.loads(resp.read())
        page = next(t for t in targets if t.get("type") == "page")
        client = DevTools(page["webSocketDebuggerUrl"])
        yield client
    finally:
        if client is not None:
            client.close()
        stop(proc)


def stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a process this test started, by its pid: SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)
