"""reports/index.html: every report with its status and links, plus the facts of the build."""

from __future__ import annotations

import subprocess
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from ..paths import PROJECT_ROOT
from ..plots.display import escape
from .editions import EDITION_LABELS
from .plan import Report, describe

PACKAGES = ("sanctionlens", "pandas", "plotly", "nltk", "papermill", "nbconvert", "matplotlib")


@dataclass
class BuildRecord:
    """What the index says about the build itself, beyond each report's status."""

    interrupted: bool = False  # stopped by Ctrl-C: unfinished reports have no page
    removed: list[str] = field(default_factory=list)  # earlier builds' files removed


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(root: Path = PROJECT_ROOT) -> str:
    """`git rev-parse HEAD` (plus ' (modified)' for a dirty tree), or 'unknown'."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return head or "unknown"


def corpus_hashes(corpus: str | None) -> dict[str, str]:
    hashes, _ = corpus_facts(corpus)
    return hashes


def corpus_facts(corpus: str | None) -> tuple[dict[str, str], list[str]]:
    """(SHA-256 per corpus file, the loader's warnings), from one load per build."""
    from ..errors import SanctionlensError
    from ..ingest.load import load_corpus

    if corpus in _FACTS:
        return _FACTS[corpus]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # shown on the index and in the build output
            loaded = load_corpus(corpus or None)
        facts = dict(sorted(loaded.file_hashes().items())), list(loaded.warnings)
    except SanctionlensError as exc:  # shown on the index instead of the hashes
        facts = {"(corpus could not be read)": str(exc)}, [str(exc)]
    _FACTS.clear()
    _FACTS[corpus] = facts
    return facts


_FACTS: dict[str | None, tuple[dict[str, str], list[str]]] = {}


def status_summary(results: Sequence[Any]) -> str:
    """'16 reports, all built' or '16 reports: 3 built, 1 failed, 12 interrupted'."""
    failed = sum(r.status == "failed" for r in results)
    stopped = sum(r.status == "interrupted" for r in results)
    if not failed and not stopped:
        return f"{len(results)} reports, all built"
    if not stopped:
        return f"{len(results)} reports, {failed} failed"
    built = len(results) - failed - stopped
    return (f"{len(results)} reports: {built} built, {failed} failed, {stopped} interrupted "
            "(the build was stopped with Ctrl-C)")


def build_facts(results: Sequence[Any], record: BuildRecord) -> list[tuple[str, str]]:
    """Rows saying that every linked page is this build's, and what was removed."""
    stopped = sum(r.status == "interrupted" for r in results)
    pages = ("every page and notebook linked here was written by this build"
             + (f"; {stopped} interrupted report(s) have none" if stopped else ""))
    removed = ", ".join(record.removed) if record.removed else "none"
    return [("pages", pages), ("files of earlier builds removed", removed)]


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 72em; margin: 2em auto; padding: 0 1em;
       color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
.ok { color: #176117; } .failed { color: #a00; font-weight: bold; }
.interrupted { color: #8a5a00; font-weight: bold; }
pre { white-space: pre-wrap; margin: 0; font-size: 0.85em; }
code { font-size: 0.9em; }
.companies { columns: 14em; padding-left: 1.2em; }
#company-filter { font-size: 1em; padding: 0.2em 0.4em; max-width: 100%; }
"""


HANDFUL = 6  # beyond this many company pages the index offers a searchable list
_FILTER_JS = """(function(){var box=document.getElementById('company-filter'),
items=document.querySelectorAll('#company-list li'),count=document.getElementById('company-count');
box.addEventListener('input',function(){var q=box.value.trim().toLowerCase(),n=0;
items.forEach(function(li){var hit=!q||li.textContent.toLowerCase().indexOf(q)>=0;
li.hidden=!hit;if(hit)n++;});count.textContent=n+' of '+items.length;});})();"""


def company_list(results: Sequence[Any]) -> str:
    """A searchable list of the company pages (a small inline script filters it; offline),
    or '' for a handful of companies or fewer. Names and links are escaped."""
    pages = sorted(((str(r.parameters["company"]), next(iter(r.pages.values())))
                    for r in results if "company" in (r.parameters or {}) and r.pages),
                   key=lambda item: item[0].lower())
    if len(pages) <= HANDFUL:
        return ""
    items = "\n".join(f'<li><a href="{escape(href)}">{escape(name)}</a></li>'
                      for name, href in pages)
    return (f'<h2>Company pages</h2>\n<p><label for="company-filter">Find a company:</label> '
            f'<input id="company-filter" type="search" placeholder="type part of a name" '
            f'autocomplete="off"> <span id="company-count">{len(pages)} of {len(pages)}</span>'
            f'</p>\n<ul id="company-list" class="companies">\n{items}\n</ul>\n'
            f"<script>{_FILTER_JS}</script>")


def _report_row(rep: Report, res: Any, editions: Sequence[str]) -> str:
    """One table row: the report's title and notebook, parameters, status, edition links."""
    first = next(iter(res.pages.values()), None)
    title = (f'<a href="{escape(first)}">{escape(res.title)}</a>' if first
             else escape(res.title))
    links = [f'<a href="{escape(res.pages[e])}">{escape(EDITION_LABELS[e])}</a>'
             for e in editions if e in res.pages]
    links += [f'<a href="{escape(p)}">{escape(k)} .ipynb</a>'
              for k, p in sorted(res.notebooks.items())]
    if res.status == "ok":
        status = '<span class="ok">ok</span>'
    elif res.status == "interrupted":
        status = (f'<span class="interrupted">interrupted</span>'
                  f"<pre>{escape(res.error.strip())}</pre>")
    else:
        where = f" in cell {res.failed_cell}" if res.failed_cell is not None else ""
        status = (f'<span class="failed">failed{escape(where)}</span>'
                  f"<pre>{escape(res.error.strip()[:2000])}</pre>")
    return (f"<tr><td>{title}<br><code>{escape(rep.notebook.name)}</code></td>"
            f"<td><code>{escape(describe(res.parameters)) or '—'}</code></td>"
            f"<td>{status}</td><td>{' · '.join(links)}</td></tr>")


def render_index(
    reports: Sequence[Report],
    results: Sequence[Any],
    editions: Sequence[str],
    *,
    corpus: str | None,
    timestamp: bool = False,
    record: BuildRecord | None = None,
) -> str:
    """The index page (deterministic unless ``timestamp``). Longer than a screen because
    most of it is the page's HTML template, kept in one piece to read as a page."""
    record = record or BuildRecord()
    rows = [_report_row(rep, res, editions)
            for rep, res in zip(reports, results, strict=True)]
    facts = [("git commit", git_commit())]
    facts += [(f"{k} version", v) for k, v in package_versions().items()]
    facts.append(("corpus", corpus or "bundled seeds/"))
    facts += build_facts(results, record)
    if timestamp:
        facts.append(("built at (UTC)", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    fact_rows = "\n".join(f"<tr><th>{escape(k)}</th><td><code>{escape(v)}</code></td></tr>"
                          for k, v in facts)
    hashes, corpus_warnings = corpus_facts(corpus)
    hash_rows = "\n".join(f"<tr><td><code>{escape(f)}</code></td><td><code>{escape(h)}</code>"
                          f"</td></tr>" for f, h in hashes.items())
    warn_items = "\n".join(f"<li>{escape(w)}</li>" for w in corpus_warnings) or "<li>none</li>"
    summary = status_summary(results)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>sanctionlens reports</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>sanctionlens reports</h1>
<p>US sanctions on Chinese AI and surveillance companies, in the news and in the markets.
{escape(summary)}.</p>
{company_list(results)}
<h2>All reports</h2>
<table>
<thead><tr><th>Report</th><th>Parameters</th><th>Status</th><th>Editions</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<h2>How this was built</h2>
<table>
{fact_rows}
</table>
<h2>Corpus warnings ({len(corpus_warnings)})</h2>
<ul class="corpus-warnings">
{warn_items}
</ul>
<details>
<summary>Corpus files ({len(hashes)}, SHA-256)</summary>
<table>
<thead><tr><th>File</th><th>SHA-256</th></tr></thead>
<tbody>
{hash_rows}
</tbody>
</table>
</details>
</main>
</body>
</html>
"""


def write_index(
    out_dir: Path,
    reports: Sequence[Report],
    results: Sequence[Any],
    editions: Sequence[str],
    *,
    corpus: str | None,
    timestamp: bool = False,
    record: BuildRecord | None = None,
) -> Path:
    """Write index.html through a temporary file and a rename (never half written)."""
    from .outdir import atomic_write_text

    html = render_index(reports, results, editions, corpus=corpus, timestamp=timestamp,
                        record=record)
    return atomic_write_text(out_dir / "index.html", html)
