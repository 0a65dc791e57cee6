"""Built pages in headless Chromium with the network off: plotly draws, no console errors,
no alert from article text. Drives Chromium over the DevTools protocol (websocket-client)."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

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


# --------------------------------------------------------------------------- every page
HASH_ID = re.compile(r"\b\d{3}_[0-9a-f]{16}\b")
ENTITY = re.compile(r"&(?:amp|quot|lt|gt|apos|#x?[0-9a-fA-F]+);")
MILLISECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}\.\d|\b\d{2}:\d{2}:\d{2}\b")
WIDTHS = (1400, 420)
# What each plotly chart on a page shows: points/bars drawn (or a message saying why not),
# the tick labels, and whether its SVG is drawn at the size plotly gave it (not squeezed).
CHARTS_JS = """Array.from(document.querySelectorAll('.js-plotly-plot')).map(function(d){
  var svg=d.querySelector('.main-svg'), r=svg?svg.getBoundingClientRect():null;
  var data=(d.data||[]).some(function(t){return (t.x||[]).some(function(v){return v!==null})
    ||(t.y||[]).some(function(v){return v!==null})});
  var note=((d.layout||{}).annotations||[]).some(function(a){
    return /No |nothing/.test(a.text||'')});
  return {id:d.id, drawn:data||note, height:svg?+svg.getAttribute('height'):0,
          shown:r?Math.round(r.height):0,
          ticks:Array.from(d.querySelectorAll('.xtick text,.ytick text')).map(function(t){
            return t.textContent})};})"""


@pytest.fixture(scope="module")
def full_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every report of the real plan, built from the bundled seeds (about 70 s, 2 jobs)."""
    chromium()
    out = tmp_path_factory.mktemp("full_site")
    results = build(None, out, jobs=2, timeout=300, stream=io.StringIO())
    assert all(r.status == "ok" for r in results), [(r.name, r.error) for r in results]
    return out


def reader_pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def visible_problems(text: str) -> list[str]:
    """What a reader should never see in a page's visible text."""
    found = []
    for what, pattern in (("hash id", HASH_ID), ("escaped entity", ENTITY)):
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text)][:3]
    for raw in ("['", "[]"):
        if raw in text:
            i = text.index(raw)
            found.append(f"raw Python list: {text[max(0, i - 40):i + 40]!r}")
    return found


def test_every_page_reads_cleanly_at_both_widths(full_site: Path, browser: Browser,
                                                 tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    shots = tmp_path_factory.mktemp("screenshots")
    failures: list[str] = []
    for width in WIDTHS:
        browser.call("Emulation.setDeviceMetricsOverride", width=width, height=900,
                     deviceScaleFactor=1, mobile=False)
        for page in reader_pages(full_site):
            browser.events.clear()
            browser.open(page.as_uri(), settle=0.8 if page.name != "index.html" else 0.2)
            where = f"{page.name} @ {width}px"
            text = browser.evaluate("document.body.innerText") or ""
            failures += [f"{where}: {p}" for p in visible_problems(text)]
            for chart in browser.evaluate(CHARTS_JS) or []:
                if not chart["drawn"]:
                    failures.append(f"{where}: empty chart {chart['id']}")
                if abs(chart["height"] - chart["shown"]) > 2:
                    failures.append(f"{where}: chart {chart['id']} squeezed from "
                                    f"{chart['height']} to {chart['shown']} px")
                failures += [f"{where}: millisecond axis {t!r}" for t in chart["ticks"]
                             if MILLISECONDS.search(t)][:1]
            failures += [f"{where}: {p}" for p in browser.problems()]
            height = min(browser.evaluate("document.documentElement.scrollHeight"), 16000)
            data = browser.call("Page.captureScreenshot", format="png",
                                captureBeyondViewport=True,
                                clip={"x": 0, "y": 0, "width": width, "height": height,
                                      "scale": 1})["data"]
            (shots / f"{page.stem}-{width}.png").write_bytes(base64.b64decode(data))
    assert not failures, "\n".join(failures)
    assert len(list(shots.glob("*.png"))) == 2 * len(reader_pages(full_site))


def test_timeline_drawn_wider_than_its_output_is_not_cut_off(full_site: Path,
                                                             browser: Browser) -> None:
    """The phone-width bug: a chart drawn before the page reached its final width (here: drawn
    at 1400 px, then the page narrowed with timers paused so plotly cannot redraw) kept its
    full height; the lab stylesheet's 'svg {max-width: 100%; height: auto}' used to squeeze it
    and cut off its last rows, axis and legend."""
    browser.open((full_site / "01_sanction_chronology.html").as_uri(), settle=1.0)
    browser.call("Emulation.setVirtualTimePolicy", policy="pause")
    browser.call("Emulation.setDeviceMetricsOverride", width=420, height=900,
                 deviceScaleFactor=1, mobile=False)
    time.sleep(0.5)
    charts = browser.evaluate(CHARTS_JS)
    assert charts and all(abs(c["height"] - c["shown"]) <= 2 for c in charts), charts


def test_chronology_company_menu_works_offline(full_site: Path, browser: Browser) -> None:
    browser.open((full_site / "01_sanction_chronology.html").as_uri(), settle=1.0)
    labels = browser.evaluate("Array.from(document.querySelectorAll('.updatemenu-item-text'))"
                              ".map(t => t.textContent)")
    assert labels and labels[0] == "All companies"
    chosen = browser.call("Runtime.evaluate", awaitPromise=True, returnByValue=True,
                          expression="""(function(){var d=document.querySelector('.js-plotly-plot');
      var b=d.layout.updatemenus[0].buttons.find(function(b){return b.label==='Hikvision'});
      return Plotly.update(d, b.args[0], b.args[1]).then(function(){
        return d.data.filter(function(t){return t.selectedpoints&&t.selectedpoints.length})
          .map(function(t){return t.selectedpoints.map(function(i){return t.customdata[i]})});
      });})()""")["result"]["value"]
    assert chosen and all("hikvision" in ids.split(",") for trace in chosen for ids in trace)
    assert browser.problems() == []


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if tag in ("a", "link", "script", "img") and a.get(key):
                self.hrefs.append(str(a[key]))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_link_on_every_page_resolves(full_site: Path) -> None:
    """Every href/src of every page (reader and analyst, and the index) points to a file of
    the site, an id on the target page, or a well-formed web address."""
    broken = []
    pages = sorted(full_site.rglob("*.html"))
    for page in pages:
        links = _parse(page)
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                if not parts.netloc:
                    broken.append(f"{page.name}: {href}")
                continue
            if parts.scheme == "data":
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(full_site)}: {href} (no such file)")
            elif parts.fragment and target.suffix == ".html" and \
                    parts.fragment not in _parse(target).ids:
                broken.append(f"{page.relative_to(full_site)}: {href} (no such id)")
    assert len(pages) >= 30
    assert not broken, "\n".join(broken)
