"""The opening sentences of the report pages (plots.findings)."""

from __future__ import annotations

import pandas as pd
from sanctionlens.plots.findings import Notes, _most_reported


def _events(rows: list[tuple[str, str, str | None, list[str], list[str]]]) -> pd.DataFrame:
    return pd.DataFrame([{"action": a, "family": f, "instrument": i, "targets": t,
                          "doc_ids": d, "evidence": []} for a, f, i, t, d in rows])


def test_the_most_reported_event_is_told_in_most_articles():
    rep = _events([("government_response", "response", None, [], ["a", "b", "c"]),
                   ("added_to_list", "entity_list", "entity_list", ["hikvision"], ["a"])])
    assert "Chinese government response" in _most_reported(rep, Notes())


def test_among_events_told_as_often_a_us_measure_comes_first():
    rep = _events([("government_response", "response", None, [], ["a"]),
                   ("shares_fell", "shares", None, ["smic"], ["b"]),
                   ("added_to_list", "entity_list", "entity_list", ["hikvision", "dahua"], ["c"]),
                   ("added_to_list", "entity_list", "entity_list", ["megvii"], ["d"])])
    text = _most_reported(rep, Notes())
    assert "“Added to the Entity List” (Hikvision, Dahua)" in text
    assert "told in 1 article" in text
