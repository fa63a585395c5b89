"""Entries of our own writing through the whole pipeline to the digest of their day: one RSS
file a source, polled, processed, and the digest built and rendered as a subscriber gets it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from aggregator import clock
from aggregator.config import parse_settings
from aggregator.digest import Digest, RenderedDigest, day_period
from aggregator.pipeline.deliver import digest_options, render_period
from aggregator.pipeline.poll import run_pass
from aggregator.pipeline.process import process_pending
from aggregator.store import open_store

#: the day every entry is published on (Tuesday 24 November 2026, 08:00 UTC)
DAY = day_period(date(2026, 11, 24), "UTC")


def digest_of_feeds(
    db_url: str, folder: Path, entries: Mapping[str, tuple[str, str]]
) -> tuple[Digest, RenderedDigest]:
    """The digest of ``DAY`` after polling one outlet a name in ``entries``, each with one entry
    (title, text), and processing what landed."""
    lines = ["sources:"]
    for name, (title, text) in entries.items():
        path = folder / f"{name}.xml"
        path.write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>' + name + "</title>"
            f"<link>https://{name}.example/</link><description>news</description>"
            f"<item><title>{escape(title)}</title><link>https://{name}.example/1</link>"
            "<guid>1</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>"
            f"<description>{escape(text)}</description></item></channel></rss>",
            encoding="utf-8",
        )
        lines += [
            f"  - name: {name}",
            f"    url: {path.as_uri()}",
            "    kind: outlet",
            f"    publisher: {name.title()} News",
        ]
    lines += [
        "subscriptions:",
        "  - {name: daily, recipients: [analyst@example.org], send_at: '07:00', timezone: UTC}",
    ]
    settings = parse_settings("\n".join(lines) + "\n")
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        run_pass(store, settings, force=True)
        process_pending(store, settings)
        options = digest_options(settings.subscriptions[0])
        return render_period(store, settings, options, DAY, now=clock.now())
