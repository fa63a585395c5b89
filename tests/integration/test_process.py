"""Extraction and grouping over the store: idempotent, incremental, stable ids (both backends)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from aggregator import clock
from aggregator.config import parse_settings
from aggregator.pipeline.poll import run_pass
from aggregator.pipeline.process import GroupingState, process_pending
from aggregator.store import Store, open_store
from tests.support.demo import demo_settings, ingest_demo


def _events(store: Store) -> dict[int, str | None]:
    return {a.id: a.event_id for a in store.articles()}


def test_processing_the_sample_day_is_idempotent(db_url: str) -> None:
    settings = demo_settings()
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        first = process_pending(store, settings)
        assert first.extracted == store.stats()["articles"]
        assert first.statements > 50
        assert first.grouped == first.extracted
        assert first.duplicates >= 1, "the syndicated wire copy is found"
        assert first.merged_statements >= 1, "the quote carried by several outlets merges"
        assert 1 < first.events < first.grouped
        stats = store.stats()
        assert stats["statements"] == first.statements
        again = process_pending(store, settings)
        assert (again.extracted, again.grouped, again.statements) == (0, 0, 0)
        assert store.stats() == stats


def test_event_ids_survive_a_restart(db_url: str) -> None:
    """Articles grouped in an earlier run keep their events when more arrive later."""
    settings = demo_settings()
    names = [s.name for s in settings.sources]
    with open_store(db_url) as store:
        ingest_demo(store, settings, names[:4])
        process_pending(store, settings)
        before = _events(store)
        ingest_demo(store, settings, names[4:])
        process_pending(store, settings)
        after = _events(store)
    assert set(before) < set(after)
    earlier_ids = set(before.values())
    for article_id, event_id in before.items():
        # either untouched, or its event absorbed into another event that already existed
        assert after[article_id] == event_id or after[article_id] in earlier_ids


def test_regrouping_is_deterministic(db_url: str) -> None:
    settings = demo_settings()
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
        first = _events(store)
        process_pending(store, settings, regroup=True)
        assert _events(store) == first


def test_reextraction_keeps_identical_statements(db_url: str) -> None:
    settings = demo_settings()
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
        ids = sorted(a.id for a in store.articles())
        before = store.statements_for_articles(ids)
        report = process_pending(store, settings, reextract=True)
        assert report.extracted == len(ids)
        after = store.statements_for_articles(ids)
        assert {k: [s.id for s in v] for k, v in after.items()} == {
            k: [s.id for s in v] for k, v in before.items()
        }


def test_a_changed_entry_is_extracted_again(db_url: str, tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    template = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>w</title>'
        "<link>https://wire.example/</link><description>d</description>"
        "<item><title>Envoy on talks</title><link>https://wire.example/1</link><guid>1</guid>"
        "<pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>"
        "<description>{}</description></item></channel></rss>"
    )
    feed.write_text(template.format("The envoy said talks would resume on Friday."))
    settings = parse_settings(
        f"sources:\n  - name: wire\n    url: {feed.as_uri()}\n    kind: wire\n    publisher: Wire\n"
    )
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        run_pass(store, settings, force=True)
        assert process_pending(store, settings).extracted == 1
        feed.write_text(template.format("The envoy said talks had been postponed until May."))
        assert run_pass(store, settings, force=True).updated == 1
        report = process_pending(store, settings)
        assert report.extracted == 1
        (statements,) = store.statements_for_articles([store.articles()[0].id]).values()
        assert any("postponed" in s.statement.text for s in statements)


@pytest.mark.fault
def test_one_article_that_breaks_the_extractor_does_not_stop_the_rest(
    db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import aggregator.pipeline.process as processing

    real = processing.extract_statements

    def fragile(
        text: str, gazetteer: object, voice: object = None, **options: object
    ) -> list[object]:
        if "Security Council" in text:
            raise RecursionError("a pathological sentence")
        return real(text, gazetteer, voice, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(processing, "extract_statements", fragile)
    settings = demo_settings()
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        with caplog.at_level("ERROR", logger="aggregator.process"):
            report = process_pending(store, settings)
        assert report.extracted == store.stats()["articles"]
        assert report.statements > 20
        assert report.grouped == report.extracted
        assert "extraction failed on article" in caplog.text


@pytest.mark.fault
def test_grouping_waits_for_no_one_and_skips_when_another_process_groups(db_url: str) -> None:
    settings = demo_settings()
    with open_store(db_url) as store, open_store(db_url) as other:
        ingest_demo(store, settings)
        with other.exclusive("grouping") as held:
            assert held
            report = process_pending(store, settings)
            assert report.extracted > 0
            assert report.grouped == 0, "someone else is grouping"
        assert process_pending(store, settings).grouped == report.extracted


def test_changed_statements_send_their_copies_back_to_merging(db_url: str) -> None:
    settings = demo_settings()
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
        ids = [a.id for a in store.articles()]
        statements = [s for found in store.statements_for_articles(ids).values() for s in found]
        by_id = {s.id: s for s in statements}
        copy = next(s for s in statements if s.canonical_id is not None)
        canonical = by_id[copy.canonical_id]  # type: ignore[index]
        changed = [
            replace(s.statement, text=s.statement.text + " (corrected)")
            for s in store.statements_for_articles([canonical.article_id])[canonical.article_id]
        ]
        store.replace_statements(canonical.article_id, changed, version="test")
        pending = {a.id for batch in store.articles_for_grouping() for a in batch}
        assert {canonical.article_id, copy.article_id} <= pending
        report = process_pending(store, settings)
        assert report.grouped >= 2


def test_a_kept_grouper_is_rebuilt_when_another_process_grouped_meanwhile(
    db_url: str, tmp_path: Path, restores: list[str]
) -> None:
    settings = demo_settings()
    names = [s.name for s in settings.sources]
    thirds = [names[: len(names) // 3], names[len(names) // 3 : 2 * len(names) // 3]]
    thirds.append(names[2 * len(names) // 3 :])
    kept = GroupingState()
    with open_store(db_url) as store:
        ingest_demo(store, settings, thirds[0])
        process_pending(store, settings, state=kept)
        ingest_demo(store, settings, thirds[1])
        process_pending(store, settings)  # another process, with a grouper of its own
        restores.clear()
        ingest_demo(store, settings, thirds[2])
        process_pending(store, settings, state=kept)
        assert restores, "the kept grouper no longer knew the store: restored"
        kept_run = _partition(store)
    # the same events as if every run had restored its own grouper
    fresh_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    with open_store(fresh_url) as store:
        for third in thirds:
            ingest_demo(store, settings, third)
            process_pending(store, settings)
        assert _partition(store) == kept_run


def _partition(store: Store) -> set[frozenset[str | None]]:
    """The events as sets of article URLs (ids differ between databases)."""
    events: dict[str | None, set[str | None]] = {}
    for article in store.articles():
        events.setdefault(article.event_id, set()).add(article.canonical_url)
    return {frozenset(urls) for urls in events.values()}


def test_a_kept_grouper_is_rebuilt_when_an_article_waits_to_be_grouped_again(
    db_url: str, restores: list[str]
) -> None:
    settings = demo_settings()
    kept = GroupingState()
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings, state=kept)
        restores.clear()
        assert process_pending(store, settings, state=kept).grouped == 0
        assert restores == [], "nothing changed: the kept grouper goes on"
        article = store.articles()[0]
        (first, *_) = store.statements_for_articles([article.id])[article.id] or [None]
        assert first is not None
        # new statements (a re-extraction): the article waits to be grouped again
        store.replace_statements(
            article.id,
            [replace(first.statement, text=first.statement.text + " (corrected)")],
            version="test",
        )
        assert process_pending(store, settings, state=kept).grouped >= 1
        assert restores, "an article grouped before is grouped again: restored"
