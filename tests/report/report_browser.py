"""A tiny Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (no extra packages).

Chromium reads commands from fd 3 and writes replies and events to fd 4, each message a JSON
object ended by a NUL byte. :func:`render` opens a page in headless Debian chromium and
returns its text, console errors, every URL it requested and a full-page screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


def chromium_path() -> str | None:
    """The chromium executable the test uses, or None when it is not installed."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium")


@dataclass
class Page:
    """What a rendered page showed and did."""

    text: str
    dom_html: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    images_ok: bool = False
    font_loaded: bool = False
    height: int = 0
    #: ``document.documentElement.scrollWidth`` and ``window.innerWidth``: the page scrolls
    #: sideways when the first is larger.
    scroll_width: int = 0
    viewport_width: int = 0
    #: Elements (tag#id.class) whose right edge lies beyond the viewport.
    overflowing: list[str] = field(default_factory=list)


class _Pipe:
    def __init__(self, proc: subprocess.Popen, write_fd: int, read_fd: int) -> None:
        self.proc, self.wfd, self.rfd = proc, write_fd, read_fd
        self.buf = b""
        self.next_id = 0
        self.events: list[dict] = []

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict:
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        try:
            os.write(self.wfd, json.dumps(msg).encode() + b"\0")
        except BrokenPipeError:
            raise RuntimeError(f"chromium is not running (exit code {self.proc.poll()})") from None
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30) -> dict:
        for i, ev in enumerate(self.events):
            if ev.get("method") == method:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            ev = self._read(max(0.1, deadline - time.monotonic()))
            if ev.get("method") == method:
                return ev
            self.events.append(ev)

    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.rfd], [], [], left)
            if ready:
                chunk = os.read(self.rfd, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)


def render(
    html_file: Path, screenshot: Path, profile: Path, width: int = 1280, pdf: Path | None = None
) -> Page:
    """Open ``html_file`` in headless chromium, wait for it to load, screenshot the whole page;
    with ``pdf``, also print it to an A4 PDF (the page's print stylesheet, ``@page`` size).
    """
    exe = chromium_path()
    if exe is None:
        raise FileNotFoundError("chromium is not installed")
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()

    def wire_fds() -> None:  # runs in the child: chromium expects the pipe on fds 3 and 4
        # Move both ends out of the way first: os.pipe() may itself have returned 3 or 4.
        high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
        high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)
        os.set_inheritable(3, True)
        os.set_inheritable(4, True)

    proc = subprocess.Popen(
        [exe, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},900", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=wire_fds,  # noqa: PLW1509 - single-threaded test helper
        close_fds=False,
    )
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    pipe = _Pipe(proc, to_chrome_w, from_chrome_r)
    try:
        return _drive(pipe, html_file, screenshot, width, pdf)
    finally:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            pipe.send("Browser.close", timeout=5)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        os.close(to_chrome_w)
        os.close(from_chrome_r)


def _drive(pipe: _Pipe, html_file: Path, screenshot: Path, width: int, pdf: Path | None) -> Page:
    target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        pipe.send(f"{domain}.enable", session=session)
    pipe.send("Emulation.setDeviceMetricsOverride",
              {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)  # fmt: skip
    pipe.send("Page.navigate", {"url": html_file.resolve().as_uri()}, session=session)
    pipe.wait_event("Page.loadEventFired", timeout=60)

    def js(expr: str) -> object:
        res = pipe.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True},
                        session=session)  # fmt: skip
        return res.get("result", {}).get("value")

    font_loaded = bool(
        js(
            "document.fonts.ready.then(() => Array.from(document.fonts).some("
            "f => f.family.includes('Symbio') && f.status === 'loaded'))"
        )  # fmt: skip
    )
    images_ok = bool(js("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"))
    text = str(js("document.body.innerText") or "")
    dom = str(js("document.documentElement.outerHTML") or "")
    height = int(js("Math.ceil(document.documentElement.scrollHeight)") or 900)
    scroll_width = int(js("document.documentElement.scrollWidth") or 0)
    viewport_width = int(js("window.innerWidth") or 0)
    overflowing = js(
        "Array.from(document.body.querySelectorAll('*')).filter(e => {"
        " const r = e.getBoundingClientRect(); if (r.right <= window.innerWidth + 0.5) return false;"
        " for (let a = e.parentElement; a; a = a.parentElement) {"
        "  if (getComputedStyle(a).overflowX !== 'visible') return false; }"
        " return true; }).slice(0, 20).map(e => e.tagName.toLowerCase()"
        " + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))"
    )  # fmt: skip
    shot = pipe.send(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
        session=session,
        timeout=60,
    )  # fmt: skip
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    if pdf is not None:
        printed = pipe.send(
            "Page.printToPDF",
            {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True,
             "printBackground": True},
            session=session,
            timeout=120,
        )  # fmt: skip
        pdf.write_bytes(base64.b64decode(printed["data"]))
    page = Page(
        text=text,
        dom_html=dom,
        images_ok=images_ok,
        font_loaded=font_loaded,
        height=height,
        scroll_width=scroll_width,
        viewport_width=viewport_width,
        overflowing=[str(x) for x in overflowing or []],
    )
    for ev in pipe.events:
        method, params = ev.get("method"), ev.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            page.console_errors.append(
                " ".join(str(a.get("value", a.get("description"))) for a in params.get("args", []))
            )
        elif method == "Runtime.exceptionThrown":
            page.console_errors.append(str(params.get("exceptionDetails", {}).get("text")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            page.console_errors.append(str(params["entry"].get("text")))
        elif method == "Network.loadingFailed":
            page.console_errors.append(f"load failed: {params.get('errorText')}")
        elif method == "Network.requestWillBeSent":
            page.requests.append(str(params.get("request", {}).get("url", "")))
    return page
