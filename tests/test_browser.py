"""Built pages in headless Chromium with the network off: plotly draws, no console errors,
no alert from article text. Drives Chromium over the DevTools protocol (websocket-client)."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import make_notebook
from sanctionlens.reports import build
from test_reports import BROKEN, FIGURES, XSS_IMG, XSS_SCRIPT

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update",
                  "--disable-sync", "--proxy-server=http://127.0.0.1:9",
                  "--remote-allow-origins=*", "--remote-debugging-port=0"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists()
                                      else None)
        if path:
            return path
    pytest.skip("chromium is not installed (`make browser` installs it with apt)")


class Browser:
    """Minimal DevTools-protocol client: one page, events collected."""

    def __init__(self, tmp: Path) -> None:
        import websocket

        profile = tmp / "profile"
        self.proc = subprocess.Popen([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                      "about:blank"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                pytest.fail("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        import urllib.request

        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call("Network.enable")
        self.call("Network.emulateNetworkConditions", offline=True, latency=0,
                  downloadThroughput=0, uploadThroughput=0)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._event(msg)

    def _event(self, msg: dict[str, Any]) -> None:
        if "method" not in msg:
            return
        self.events.append(msg)
        if msg["method"] == "Page.javascriptDialogOpening":  # an alert(): record, dismiss
            self.ws.send(json.dumps({"id": 10_000 + len(self.events),
                                     "method": "Page.handleJavaScriptDialog",
                                     "params": {"accept": True}}))

    def open(self, url: str, settle: float = 3.0) -> None:
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                pytest.fail(f"{url} did not load")
            self.call("Runtime.evaluate", expression="1")
            time.sleep(0.1)
        end = time.monotonic() + settle
        while time.monotonic() < end:
            self.call("Runtime.evaluate", expression="1")
            time.sleep(0.1)

    def evaluate(self, expression: str) -> Any:
        return self.call("Runtime.evaluate", expression=expression,
                         returnByValue=True)["result"].get("value")

    def problems(self) -> list[str]:
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                out.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append("console.error: " + json.dumps(p.get("args", []))[:300])
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append("log: " + p["entry"].get("text", "")[:300])
            elif e["method"] == "Page.javascriptDialogOpening":
                out.append("dialog: " + p.get("message", ""))
        return out

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            if hasattr(self, "ws"):
                self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium()
    folder = tmp_path_factory.mktemp("site")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "001_xss.txt").write_text(
        f"Hikvision {XSS_SCRIPT} sanctions story\n\nHikvision was added to the Entity List. "
        f"{XSS_IMG} Shares fell.\n", encoding="utf-8")
    make_notebook(folder / "figures.ipynb", FIGURES)
    make_notebook(folder / "broken.ipynb", BROKEN)
    (folder / "plan.toml").write_text('[[report]]\nnotebook = "figures.ipynb"\n\n'
                                      '[[report]]\nnotebook = "broken.ipynb"\n', encoding="utf-8")
    build(folder / "plan.toml", folder / "out", corpus=str(corpus), jobs=2, timeout=120,
          stream=io.StringIO())
    return folder / "out"


@pytest.fixture
def browser(tmp_path: Path):
    b = Browser(tmp_path)
    yield b
    b.close()


@pytest.mark.parametrize("page", ["figures.html", "analyst/figures.html"])
def test_plotly_draws_offline_without_errors(site: Path, browser: Browser, page: str,
                                             tmp_path: Path) -> None:
    browser.open((site / page).as_uri())
    assert browser.evaluate("typeof window.Plotly") == "object"
    assert browser.evaluate("document.querySelectorAll('.main-svg').length") >= 1
    # the article's markup is shown as text, not turned into elements
    assert browser.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert XSS_SCRIPT in browser.evaluate("document.body.innerText")
    browser.screenshot(tmp_path / "page.png")
    assert (tmp_path / "page.png").stat().st_size > 1000
    assert browser.problems() == []


def test_index_opens_without_errors(site: Path, browser: Browser, tmp_path: Path) -> None:
    browser.open((site / "index.html").as_uri(), settle=0.5)
    links = browser.evaluate("Array.from(document.links).map(a => a.getAttribute('href'))")
    assert "figures.html" in links and "analyst/broken.html" in links
    assert "failed" in browser.evaluate("document.body.innerText")
    browser.screenshot(tmp_path / "index.png")
    assert browser.problems() == []


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real plan's corpus tour and chronology, built from the bundled seeds."""
    chromium()
    out = tmp_path_factory.mktemp("seed_site")
    results = build(None, out, only="0[01]_*", jobs=2, timeout=300, stream=io.StringIO())
    assert [r.status for r in results] == ["ok", "ok"], [(r.name, r.error) for r in results]
    return out


def test_real_index_and_chronology_page(seed_site: Path, browser: Browser,
                                        tmp_path: Path) -> None:
    browser.open((seed_site / "index.html").as_uri())
    assert browser.evaluate("document.querySelectorAll('a[href]').length") >= 2
    assert "01_sanction_chronology.html" in browser.evaluate("document.body.innerHTML")
    browser.screenshot(tmp_path / "index.png")
    browser.open((seed_site / "01_sanction_chronology.html").as_uri())
    assert browser.evaluate("typeof window.Plotly") == "object"
    assert browser.evaluate("document.querySelectorAll('.main-svg').length") >= 2
    assert browser.evaluate("document.querySelectorAll('.scatterlayer .point').length") >= 10
    browser.screenshot(tmp_path / "chronology.png")
    assert (tmp_path / "chronology.png").stat().st_size > 10_000
    assert browser.problems() == []
