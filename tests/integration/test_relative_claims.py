"""A claim about a relative clause's noun reads as a sentence in the digest: the statement's
context reaches back past its speaker to the noun ("a man who the ministry says planned …"),
so the summary names it (feeds -> store -> the digest as its reader gets it; both backends)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aggregator import clock
from aggregator.config import parse_settings
from aggregator.digest import day_period
from aggregator.pipeline.deliver import digest_options, render_period
from aggregator.pipeline.poll import run_pass
from aggregator.pipeline.process import process_pending
from aggregator.store import open_store

DAY = day_period(date(2026, 11, 24), "UTC")
# our own report: the ministry's claim is about the man the relative pronoun stands for
LEAD = (
    "Georgian police on Monday arrested a 21-year-old man who the Georgian Interior Ministry "
    "says planned to attack a concert in Tbilisi last summer."
)


def test_a_claim_about_a_relative_clause_s_noun_names_it(db_url: str, tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>w</title>'
        "<link>https://wire.example/</link><description>news</description>"
        "<item><title>Georgian police arrest man over concert attack plot</title>"
        "<link>https://wire.example/1</link><guid>1</guid>"
        "<pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>"
        f"<description>{LEAD}</description></item></channel></rss>",
        encoding="utf-8",
    )
    settings = parse_settings(
        f"sources:\n  - name: wire\n    url: {feed.as_uri()}\n    kind: wire\n"
        "    publisher: Wire\nsubscriptions:\n  - {name: daily, recipients: [a@example.org], "
        "send_at: '07:00', timezone: UTC}\n"
    )
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        run_pass(store, settings, force=True)
        process_pending(store, settings)
        options = digest_options(settings.subscriptions[0])
        digest, rendered = render_period(store, settings, options, DAY, now=clock.now())
    (statement,) = [s for e in digest.events for c in e.columns for s in c.statements]
    assert statement.sentence == (
        "The Georgian Interior Ministry said a 21-year-old man planned to attack a concert in "
        "Tbilisi last summer."
    )
    assert "said planned" not in rendered.text
