"""The language of every realfeeds article, as ingest gives it: the Ukrainian feed's articles
are "uk", the Russian-language one's "ru", the English ones "en", and none is given a wrong one
(scripts/evaluate_language.py prints the same figures; docs/evaluation.md reports them)."""

from __future__ import annotations

from pathlib import Path

from tests.support.scripts import load_script

EXPECTED_CYRILLIC = {"unian_2020.xml", "pravda_ua_2020.xml"}


def test_every_article_gets_its_language_and_none_a_wrong_one(corpora: Path) -> None:
    report = load_script("evaluate_language").evaluate(corpora / "realfeeds")
    assert report.total["wrong"] == 0
    assert report.total["none"] <= 2
    assert report.per_feed["unian_2020.xml"]["right"] == 50
    assert report.per_feed["pravda_ua_2020.xml"]["right"] >= 19
    english = [c for name, c in report.per_feed.items() if name not in EXPECTED_CYRILLIC]
    assert sum(c["right"] for c in english) == sum(c.total() for c in english)
    assert report.days["2020-09-28"]["uk"] == 50
    assert report.days["2020-09-29"]["ru"] >= 19
    assert set(report.days["2026-02-17"]) == {"en"}
