"""Work that must grow linearly with the input, counted rather than timed (issue #12, faults 6-7).

Each test counts something deterministic (Python calls into the grouping code, memory one
search allocates, articles replayed on start-up, characters a search reads, lines of a module
run) for an input and one four times larger, or against the input's length, and bounds it; none
reads a clock, so a busy machine can neither fail nor pass them. The texts are our own writing.
"""

from __future__ import annotations

import random
import sys
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import aggregator.group
from aggregator.config import load_settings, parse_settings
from aggregator.daemon import Daemon, DaemonOptions
from aggregator.extract import coref, extract_statements
from aggregator.extract import text as text_module
from aggregator.extract.quotes import find_quotes
from aggregator.extract.sides import default_gazetteer
from aggregator.group import GroupDoc, Grouper, NearDuplicateIndex
from aggregator.model import MAX_TEXT_CHARS, text_end
from aggregator.pipeline import process as process_module
from aggregator.pipeline.process import group_pending, process_pending
from aggregator.store import Store, open_store
from tests.integration.test_daemon_support import rss, wait_for, write_config
from tests.integration.test_store_support import make_article, save_articles
from tests.support.server import FeedServer

T0 = datetime(2026, 3, 1, tzinfo=UTC)
WORDS = (
    "minister harbour council talks ceasefire envoy border troops statement vote agreement "
    "sanctions capital region officials spokesman meeting report crisis aid government "
    "parliament election protest ports grain shipment navy coast week"
).split()
GROUP_CODE = str(Path(aggregator.group.__file__).parent)


def syndicated(n: int, *, stories: int = 4, seed: int = 3) -> Iterator[GroupDoc]:
    """``n`` near copies of a few stories, one a minute: most change two words (near-duplicates),
    every fourth a quarter of them (the same event, no longer a copy)."""
    rng = random.Random(seed)
    bases = [
        [f"{rng.choice(WORDS)}{rng.randint(0, 99)}" for _ in range(80)] for _ in range(stories)
    ]
    for number in range(n):
        story = number % stories
        words = list(bases[story])
        for _ in range(20 if number % 4 == 3 else 2):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        yield GroupDoc(
            f"{story}-{number}",
            " ".join(words[:6]),
            " ".join(words),
            T0 + timedelta(minutes=number),
        )


def grouping_calls(n: int) -> int:
    """Python calls into aggregator/group while the pipeline's calls group ``n`` articles."""
    calls = 0

    def count(frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal calls
        if event == "call" and frame.f_code.co_filename.startswith(GROUP_CODE):
            calls += 1

    grouper = Grouper()
    docs = list(syndicated(n))
    sys.setprofile(count)
    try:
        for start in range(0, len(docs), 500):  # as pipeline/process.py: a flush a batch
            for doc in docs[start : start + 500]:
                grouper.add(doc)
            grouper.flush()
    finally:
        sys.setprofile(None)
    return calls


def test_grouping_work_grows_linearly_on_a_syndicated_stream() -> None:
    # was quadratic: an event's title scored every article of the event for each new article,
    # and the copies' event map was rebuilt on every call once copies outnumbered articles
    small, large = grouping_calls(1_000), grouping_calls(4_000)
    assert large <= 5 * small, f"{small:,} calls for 1,000 articles, {large:,} for 4,000"


def _copies(index: NearDuplicateIndex, until: int, rng: random.Random, base: list[str]) -> None:
    while len(index) < until:
        words = list(base)
        words[rng.randrange(len(words))] = f"edit{len(index)}"
        index.add(f"copy-{len(index)}", " ".join(words))


def test_a_copy_search_does_not_collect_every_earlier_copy() -> None:
    # was: every member of the article's LSH buckets collected into a set and sorted, so each
    # copy of a story syndicated thousands of times cost the number of earlier copies
    rng = random.Random(5)
    base = [f"{rng.choice(WORDS)}{rng.randint(0, 99)}" for _ in range(80)]
    index = NearDuplicateIndex()
    peaks = []
    for size in (1_000, 8_000):
        _copies(index, size, rng, base)
        tracemalloc.start()
        try:
            assert index.add(f"probe-{size}", " ".join(base)) == "copy-0"
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0], f"one search allocated {peaks[0]:,} then {peaks[1]:,} bytes"


# -- restoring the grouper ----------------------------------------------------------------------


def _daily(store: Store, source: str, days: Sequence[int], *, now: datetime = T0) -> list[int]:
    """One article a day on the given days after T0 (different stories), stored as a fetch at
    ``now``."""
    articles = [
        replace(
            make_article(source, f"{source}-{day}", published=T0 + timedelta(days=day)),
            title=f"Harbour talks, day {day}",
            text=f"The harbour council met on day {day} and voted on motion {day * 7}.",
        )
        for day in days
    ]
    return save_articles(store, source, articles, now=now)


def test_a_backfill_of_an_old_day_replays_only_the_window_around_it(
    db_url: str, restores: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # was: the restore read every grouped article since a week before the oldest pending one,
    # so a backfill of an old period replayed everything grouped since, however much
    with open_store(db_url) as store:
        _daily(store, "wire", range(1, 31))
        group_pending(store)
        _daily(store, "archive", [2])  # a backfilled article of day 2
        restores.clear()
        assert group_pending(store).grouped == 1
        window = set(range(1, 2 + 7 + 1))  # a week either side of day 2 (day 0 has none)
        assert len(restores) == len(window), restores
        # and never more than RESTORE_LIMIT, the latest of them
        monkeypatch.setattr(process_module, "RESTORE_LIMIT", 3)
        _daily(store, "archive", [5])
        restores.clear()
        assert group_pending(store).grouped == 1
        assert len(restores) == 3


def test_the_daemon_restores_the_grouper_once_in_its_lifetime(
    db_url: str, restores: list[str], feed_server: FeedServer, tmp_path: Path
) -> None:
    # was: every processing run of the daemon replayed the whole event window first, so a
    # daemon that processes after every poll paid for the window again on each poll
    url = feed_server.add("/quiet.xml", rss("quiet", []), content_type="application/rss+xml")
    backfilled = ["a", "b", "c", "d"]
    # the backfilled sources are configured too, and were last fetched just now, so the daemon
    # neither disables them nor finds them due: only the backfill below claims them (was: the
    # daemon found them due and held a lease while it failed to fetch them, a race)
    configured = [("quiet", url)] + [
        (name, f"https://{name}.example.org/feed.xml") for name in ["wire", *backfilled]
    ]
    settings = load_settings(write_config(tmp_path / "feeds.yaml", configured, interval="15m"))
    with open_store(db_url) as store:
        _daily(store, "wire", range(1, 6))
        group_pending(store)  # what an earlier daemon left grouped
        for name in ["wire", *backfilled]:
            _daily(store, name, [], now=datetime.now(UTC))
        restores.clear()
        daemon = Daemon(
            store,
            settings,
            options=DaemonOptions(tick=0.1, heartbeat=60, pending_check=0.5, catch_up=False),
        )
        daemon.start()
        try:
            for round_, source in enumerate(backfilled):
                # stored by another process (a backfill), picked up by the pending check
                _daily(store, source, [5 + round_], now=datetime.now(UTC))
                wait_for(
                    lambda: not any(store.articles_for_grouping()),
                    timeout=30,
                    what=f"grouping of round {round_}",
                )
        finally:
            assert daemon.stop()
    assert len(restores) == 5, f"the five grouped articles, replayed once: {len(restores)}"


# -- extraction ---------------------------------------------------------------------------------


class Scanned(str):
    """A string that counts the characters its ``find`` and ``rfind`` searches read."""

    read = 0

    def _bounds(self, start: int | None, end: int | None) -> tuple[int, int]:
        size = len(self)
        lo = 0 if start is None else (start if start >= 0 else max(0, size + start))
        hi = size if end is None else (min(end, size) if end >= 0 else max(0, size + end))
        return lo, hi

    def find(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        found = str.find(self, sub, start, end)
        lo, hi = self._bounds(start, end)
        Scanned.read += (found + len(sub) - lo) if found >= 0 else max(0, hi - lo)
        return found

    def rfind(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        found = str.rfind(self, sub, start, end)
        lo, hi = self._bounds(start, end)
        Scanned.read += (hi - found) if found >= 0 else max(0, hi - lo)
        return found


def chars_read(work: Callable[[Scanned], object], text: str) -> int:
    Scanned.read = 0
    work(Scanned(text))
    return Scanned.read


def test_straight_quotes_are_directed_in_one_pass_over_the_text() -> None:
    # was: for each straight quote, a search back for the last blank line; in a long text
    # without blank lines ("Yes," he said. on 200,000 lines) each read back to the start
    text = '"Yes," he said.\n' * 5_000
    read = chars_read(text_module._direct_straight_quotes, text)
    assert read <= 2 * len(text), f"{read:,} characters read for a text of {len(text):,}"
    with_paragraphs = '"Yes," he said.\n\n' * 5_000
    assert chars_read(text_module._direct_straight_quotes, with_paragraphs) <= 2 * len(
        with_paragraphs
    )


@pytest.mark.parametrize(
    "text",
    [
        "He said “we will see. " * 5_000,  # opening marks, never closed
        "Why?” " * 5_000,  # closing marks, never opened
        "He said “yes” and “no” and " * 2_000,
    ],
    ids=["open", "close", "pairs"],
)
def test_quotations_are_found_in_one_pass_over_a_block(text: str) -> None:
    # was: after each mark both kinds were looked for again, and a search for the kind that
    # never comes read to the end of the block each time
    read = chars_read(lambda work: find_quotes(work, 0, len(work)), text)
    assert read <= 3 * len(text), f"{read:,} characters read for a block of {len(text):,}"


def coref_lines(repeats: int) -> int:
    """Lines of aggregator/extract/coref.py run while extracting a text of many names."""
    lines = 0

    def local(frame: FrameType, event: str, _arg: Any) -> Any:
        nonlocal lines
        lines += event == "line"
        return local

    def calls(frame: FrameType, _event: str, _arg: Any) -> Any:
        return local if frame.f_code.co_filename == coref.__file__ else None

    text = "Lund said the pier was shut. Ann Berg and Tom Holm left. " * repeats
    default_gazetteer()  # built outside the count
    sys.settrace(calls)
    try:
        extract_statements(text)
    finally:
        sys.settrace(None)
    return lines


def test_a_surname_finds_its_full_name_without_reading_every_name() -> None:
    # was: each mention of a surname the text never gives in full looked through every name
    # of the text, so a long text with many names was quadratic
    small, large = coref_lines(200), coref_lines(800)
    assert large <= 5 * small, f"{small:,} lines for 200 repeats, {large:,} for 800"


def test_extraction_reads_at_most_the_cap_and_offsets_stay_exact() -> None:
    paragraph = 'The minister said the talks would resume. "Yes," he said.\n'
    text = paragraph * (2 * MAX_TEXT_CHARS // len(paragraph))
    statements = extract_statements(text)
    assert statements, "the first part is read"
    assert max(s.end for s in statements) <= MAX_TEXT_CHARS
    assert max(s.end for s in statements) > MAX_TEXT_CHARS - 2 * len(paragraph)
    assert all(text[s.start : s.end] == s.text for s in statements)
    # the part read ends at a line break, so no statement is cut by the cap
    assert text[text_end(text)] == "\n"
    assert len(extract_statements(text, limit=None)) > len(statements)


def test_a_long_article_keeps_its_text_and_is_extracted_up_to_the_cap(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    paragraph = 'The envoy said the harbour talks would resume. "Yes," he said.\n'
    text = paragraph * (3 * MAX_TEXT_CHARS // len(paragraph))
    article = replace(make_article("wire", "long"), text=text)
    with open_store(db_url) as store:
        (article_id,) = save_articles(store, "wire", [article])
        with caplog.at_level("WARNING", logger="aggregator.process"):
            report = process_pending(store, parse_settings("sources: []\n"))
        assert report.extracted == 1
        assert f"statements come from the first {text_end(text)}" in caplog.text
        (stored,) = store.articles_by_id([article_id])
        assert stored.text == text, "the article keeps its whole text"
        found = store.statements_for_articles([article_id])[article_id]
        assert found
        assert max(s.statement.end for s in found) <= MAX_TEXT_CHARS
