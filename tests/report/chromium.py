"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``):
no listening port, no extra package. Every request the page attempts goes through the Fetch
domain; only ``file:`` and ``data:`` are let through, anything else is failed and recorded.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
         # Belt and braces: even a request the Fetch domain let through could not leave the machine.
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
         "--remote-debugging-pipe")
LOCAL_SCHEMES = ("file:", "data:", "about:")


def find_chromium() -> str | None:
    """The Chromium to use: ``$CROSSPOST_CHROMIUM``, else the first browser on PATH."""
    explicit = os.environ.get("CROSSPOST_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return next((path for path in map(shutil.which, CANDIDATES) if path), None)


@dataclass
class PageVisit:
    """What happened while a page loaded."""

    blocked: list[str] = field(default_factory=list)  # URLs of requests to any host
    requests: list[str] = field(default_factory=list)  # every URL requested
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, error log entries
    screenshot: bytes = b""
    values: dict = field(default_factory=dict)  # results of the expressions evaluated


class Chromium:
    """One headless browser process with a fresh profile; use as a context manager."""

    def __init__(self, executable: str, width: int = 1366, height: int = 900):
        self.executable, self.width, self.height = executable, width, height
        self._ids, self._lock = 0, threading.Lock()
        self._replies: dict[int, queue.Queue] = {}
        self.events: queue.Queue = queue.Queue()
        self.visit = PageVisit()

    def __enter__(self):
        self._profile = tempfile.mkdtemp(prefix="crosspost-chromium-")
        to_child, self._write = _pipe()
        self._read, from_child = _pipe()

        # The protocol's fixed descriptors (3: commands in, 4: replies out), wired by bash (dash
        # takes no descriptor above 9)
        # after subprocess has set up its own, so nothing of subprocess's can sit on 3 or 4.
        wire = f'exec "$@" 3<&{to_child} 4>&{from_child} {to_child}<&- {from_child}>&-'
        self.proc = subprocess.Popen(["/bin/bash", "-c", wire, "bash", self.executable, *FLAGS,
                                      f"--user-data-dir={self._profile}", f"--window-size={self.width},{self.height}",
                                      "about:blank"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, pass_fds=(to_child, from_child))
        os.close(to_child)
        os.close(from_child)
        threading.Thread(target=self._reader, daemon=True).start()
        return self

    def __exit__(self, *exc):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:  # already gone: kill below
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._write)
        shutil.rmtree(self._profile, ignore_errors=True)

    def _reader(self) -> None:
        buffer = b""
        with os.fdopen(self._read, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for raw in messages:
                    self._dispatch(json.loads(raw))

    def _dispatch(self, message: dict) -> None:
        if "id" in message and message["id"] in self._replies:
            self._replies[message["id"]].put(message)
        elif message.get("method") == "Fetch.requestPaused":
            self._decide(message)  # at once, from this thread: the page waits for the answer
        elif "method" in message:
            self._record(message)
            self.events.put(message)

    def _post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        with self._lock:
            self._ids += 1
            ident = self._ids
            self._replies[ident] = queue.Queue()
            body = {"id": ident, "method": method, "params": params or {}}
            if session:
                body["sessionId"] = session
            os.write(self._write, json.dumps(body).encode() + b"\0")
        return ident

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30):
        """Send a command and return its result (RuntimeError on a protocol error)."""
        reply = self._replies[self._post(method, params, session)].get(timeout=timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def _decide(self, message: dict) -> None:
        params, session = message["params"], message.get("sessionId")
        url = params["request"]["url"]
        if url.startswith(LOCAL_SCHEMES):
            self._post("Fetch.continueRequest", {"requestId": params["requestId"]}, session)
        else:
            self.visit.blocked.append(url)
            self._post("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                       session)

    def _record(self, event: dict) -> None:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            self.visit.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.visit.errors.append("console: " + " ".join(str(a.get("value", a.get("description")))
                                                           for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            self.visit.errors.append("exception: " + json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.visit.errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")

    def open(self, path: str, expressions: dict[str, str] | None = None, full_page: bool = False,
             timeout: float = 60) -> PageVisit:
        """Load a local file, evaluate ``expressions`` (name -> JS), take a PNG screenshot."""
        session = self._attach()
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=session)
        self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                         "deviceScaleFactor": 1, "mobile": False}, session=session)
        self.send("Page.navigate", {"url": "file://" + os.path.abspath(path)}, session=session)
        self._wait_for("Page.loadEventFired", timeout)
        time.sleep(0.3)  # late console messages and requests of the page's first frame
        for name, expression in (expressions or {}).items():
            result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                               session=session)
            self.visit.values[name] = result.get("result", {}).get("value")
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full_page},
                         session=session)
        self.visit.screenshot = base64.b64decode(shot["data"])
        return self.visit

    def _attach(self) -> str:
        targets = self.send("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        return self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]

    def _wait_for(self, method: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            event = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            if event["method"] == method:
                return event


def _pipe() -> tuple[int, int]:
    """A pipe whose ends sit above 10, so wiring them to 3 and 4 in the child cannot clobber them."""
    read, write = os.pipe()
    high = fcntl.fcntl(read, fcntl.F_DUPFD_CLOEXEC, 10), fcntl.fcntl(write, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(read)
    os.close(write)
    return high
