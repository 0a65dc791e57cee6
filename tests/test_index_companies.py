"""The index offers a searchable company list beyond a handful of company pages."""

from __future__ import annotations

from types import SimpleNamespace

from sanctionlens.reports.index import HANDFUL, company_list


def _result(name: str) -> SimpleNamespace:
    return SimpleNamespace(parameters={"company": name},
                           pages={"reader": f"02_company_profile-{name.lower()}.html"})


def test_a_handful_of_companies_get_no_search_box() -> None:
    assert company_list([_result(f"C{i}") for i in range(HANDFUL)]) == ""


def test_many_companies_get_an_escaped_filtered_list() -> None:
    results = [_result(f"Firm {i}") for i in range(HANDFUL + 3)]
    results.append(_result('<img src=x onerror="alert(1)">'))
    results.append(SimpleNamespace(parameters={}, pages={"reader": "00_corpus_tour.html"}))
    html = company_list(results)
    assert 'id="company-filter"' in html and "<script>" in html
    assert html.count("<li>") == HANDFUL + 4  # the tour is not a company
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "http" not in html  # offline: no CDN
