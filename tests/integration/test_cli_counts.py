"""Every count a person reads agrees with its noun: "1 source", "2 sources", "0 events", never
"1 sources" or "2 event". The commands run on real databases with zero, one and two of each
thing, and their output (and the digest files they write) is scanned for any disagreement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from aggregator.wording import regular_plural
from tests.support.server import FeedServer

#: the nouns the commands count, singular
NOUNS = (
    "source", "subscription", "article", "statement", "copy", "event", "entry", "page", "file",
    "side", "byte", "time", "repeated statement", "syndicated copy", "bundled sample source",
    "more statement", "party", "other story", "more story",
)  # fmt: skip
#: words ending in s that may follow a 1 without being a plural noun
_NOT_PLURALS = frozenset({"is", "was", "has", "does", "its", "this", "us", "as", "s"})

ITEM = """<item><title>{title}</title><link>https://mfa.example/{guid}</link><guid>{guid}</guid>
<pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>
<description>"We call on all sides to show restraint over {title}," the minister said.</description>
</item>"""


def feed(*titles: str) -> str:
    items = "".join(ITEM.format(title=t, guid=t.lower().replace(" ", "-")) for t in titles)
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Ministry'
        f"</title><link>https://mfa.example/</link><description>d</description>{items}"
        "</channel></rss>"
    )


def disagreements(text: str) -> list[str]:
    """Every count in ``text`` whose noun does not agree with it."""
    found: list[str] = []
    for singular in NOUNS:
        plural = regular_plural(singular)
        found += re.findall(rf"(?<![\d.,])\b1 {plural}\b", text)
        found += re.findall(rf"(?<![\d.,])\b(?:0|[2-9]|[1-9]\d+) {singular}\b", text)
    for match in re.finditer(r"(?<![\d.,])\b1 ([a-z]+s)\b", text):
        if match.group(1) not in _NOT_PLURALS:
            found.append(match.group(0))
    return sorted(set(found))


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def config_with(tmp_path: Path, server: FeedServer, db_url: str, sources: int, subs: int) -> str:
    """A configuration of ``sources`` sources, each a feed of one item, and ``subs``
    subscriptions."""
    text = f"settings:\n  database_url: {db_url}\n  allow_private_networks: true\nsources:"
    text += "\n" if sources else " []\n"
    for n in range(sources):
        url = server.add(
            f"/s{n}.xml", feed(f"Border talks {n}"), content_type="application/rss+xml"
        )
        text += (
            f"  - name: s{n}\n    url: {url}\n    kind: official\n    publisher: Ministry {n}\n"
            f"    side: Ruritania {n}\n    interval: 1h\n"
        )
    text += "subscriptions:" + ("\n" if subs else " []\n")
    for n in range(subs):
        text += f"  - name: daily{n}\n    recipients: [analyst{n}@example.org]\n"
    config = tmp_path / f"feeds-{sources}-{subs}.yaml"
    config.write_text(text)
    return str(config)


def test_the_scanner_finds_disagreements_and_passes_agreement() -> None:
    assert disagreements("1 sources, 2 event, 0 syndicated copy; 1 bytes") == [
        "0 syndicated copy",
        "1 bytes",
        "1 sources",
        "2 event",
    ]
    assert disagreements("1 source: 1 new, 0 updated; 2 entries, 1 entry, 0.5 s, 2.1 s") == []


@pytest.mark.parametrize("count", [0, 1, 2])
def test_feeds_check_counts(tmp_path: Path, feed_server: FeedServer, count: int) -> None:
    config = config_with(tmp_path, feed_server, "sqlite:///unused.db", count, count)
    out = run("--config", config, "feeds", "check")
    assert disagreements(out) == [], out
    nouns = {0: ("sources", "subscriptions"), 1: ("source", "subscription")}
    source, subscription = nouns.get(count, ("sources", "subscriptions"))
    assert out.endswith(f"OK — {count} {source}, {count} {subscription}\n"), out


@pytest.mark.parametrize("count", [1, 2])
def test_fetch_process_and_digest_counts(
    tmp_path: Path, feed_server: FeedServer, db_url: str, count: int
) -> None:
    config = config_with(tmp_path, feed_server, db_url, count, 0)
    fetched = run("--config", config, "fetch")
    noun = "source" if count == 1 else "sources"
    assert f"{count} {noun}: {count} new, 0 updated, 0 failed" in fetched, fetched
    processed = run("--config", config, "process")  # nothing left: zeros everywhere
    assert processed.startswith("extracted 0 articles (0 statements); grouped 0 articles"), (
        processed
    )
    out_dir = tmp_path / "out"
    digested = run("--config", config, "digest", "--date", "2026-11-24", "--out", str(out_dir))
    empty = run("--config", config, "digest", "--date", "2026-11-20", "--out", str(out_dir))
    assert ": 0 events, 0 statements — " in empty, empty
    digest_text = (out_dir / "digest-2026-11-24.txt").read_text(encoding="utf-8")
    everything = "\n".join([fetched, processed, digested, empty, digest_text])
    assert disagreements(everything) == [], everything
    if count == 1:  # one source, one article, one statement, one event
        assert "extracted 1 article (1 statement)" in fetched, fetched
        assert ": 1 event, 1 statement — " in digested, digested
        assert "1 event, most important first." in digest_text, digest_text
        assert "1 source · 1 article · 1 statement · 1 party" in digest_text, digest_text


@pytest.mark.parametrize("count", [1, 2])
def test_backfill_counts(tmp_path: Path, db_url: str, count: int) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for n in range(count):
        (folder / f"page{n}.xml").write_text(feed(f"Talks {n}"), encoding="utf-8")
    config = tmp_path / "feeds.yaml"
    config.write_text(
        f"settings:\n  database_url: {db_url}\nsources:\n  - name: mfa\n"
        "    url: https://mfa.example/feed.xml\n    kind: official\n    publisher: Ministry\n"
    )
    out = run(
        "--config", str(config), "backfill", "--since", "2026-11-24", "--until", "2026-11-24",
        "--source", "mfa", "--from", str(folder), "--no-progress",
    )  # fmt: skip
    assert disagreements(out) == [], out
    files, entries = ("file", "entry") if count == 1 else ("files", "entries")
    assert f"{count} {files} read" in out, out
    assert f"1 source, {count} {'page' if count == 1 else 'pages'}, {count} {entries} in range" in (
        out
    )


def test_demo_counts(tmp_path: Path) -> None:
    out = run("demo", "--dir", str(tmp_path / "demo"))
    assert disagreements(out) == [], out
    assert "8 bundled sample sources" in out, out
