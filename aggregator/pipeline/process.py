"""Processing of stored articles: statement extraction, then grouping, for whatever is pending.

    version = extractor_version(gazetteer)                 # code + gazetteer fingerprint
    for article in store.articles_for_extraction(version): # new, changed, or an older extractor
        store.replace_statements(article, extract_statements(article.text))
    grouper = the one kept from the last run while the store has not moved past it, else
              Grouper() restored with the grouped history around the pending articles
              (their span, widened by the event window; at most RESTORE_LIMIT, the latest)
    for batch in store.articles_for_grouping():            # never grouped yet, in time order
        grouper.add(doc)                                   # near-duplicate, then event
        canonical[stmt] = merger.add(stmt)                 # same quote carried by several outlets
        store.save_grouping(grouper.flush())               # committed per batch
        store.set_statement_canonicals(…)

Both halves are idempotent: running them again with nothing new does nothing, and a re-run after a
crash picks up exactly the articles whose results were not committed (work is committed batch by
batch, so a killed run keeps what it did). A run's start-up is bounded: the restore replays at
most RESTORE_LIMIT articles, and a long-lived caller (the daemon) passes a :class:`GroupingState`
so that it restores once per process lifetime, not once per run. Extraction and grouping are pure
(aggregator.extract, aggregator.group); this module only moves values between them and the
store.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from aggregator import clock
from aggregator.config import Settings
from aggregator.config.corrections import Corrections, load_corrections
from aggregator.extract import Gazetteer, extract_statements, load_gazetteer
from aggregator.extract.acts import quoted_actors
from aggregator.extract.version import extractor_version
from aggregator.extract.voice import SourceVoice
from aggregator.group import (
    EventConfig,
    EventUpdate,
    GroupDoc,
    Grouper,
    GroupingStep,
    StatementMerger,
)
from aggregator.model import MAX_TEXT_CHARS, Statement, text_end
from aggregator.store import GroupingMark, Store, StoredArticle, StoredStatement

log = logging.getLogger("aggregator.process")  # the name its records carried before the move

Progress = Callable[[str, int], None]  # (stage, articles done so far)

#: grouped articles a restore replays at most (the latest of the window): a busy week (2,000
#: articles a day), and the near-duplicate index's capacity
RESTORE_LIMIT = 20_000


class GroupingState:
    """The grouper and the statement merger, kept from one processing run to the next.

    Restoring them replays up to RESTORE_LIMIT stored articles; a process that runs processing
    again and again (the daemon) keeps them instead, and restores only when the store has moved
    past them: another process grouped articles (the latest grouping stamp is not the one read
    when our last run ended), or an article grouped before waits to be grouped again (its
    statements changed). A run that fails drops them. Not thread-safe: one run at a time.
    """

    def __init__(self) -> None:
        self._kept: tuple[Grouper, StatementMerger, EventConfig, GroupingMark] | None = None

    def take(
        self, mark: GroupingMark, config: EventConfig
    ) -> tuple[Grouper, StatementMerger] | None:
        """The kept pair when it is still valid for the store's ``mark``, else None (and it
        is dropped)."""
        kept, self._kept = self._kept, None
        if kept is None or mark.regrouping or (kept[2], kept[3]) != (config, mark):
            return None
        return kept[0], kept[1]

    def keep(
        self, grouper: Grouper, merger: StatementMerger, config: EventConfig, mark: GroupingMark
    ) -> None:
        """Keep the pair as the store's ``mark`` (read after the run's last commit) leaves it."""
        self._kept = (grouper, merger, config, mark)

    def forget(self) -> None:
        """Drop the kept pair (the store's events were changed behind it: a correction)."""
        self._kept = None


@dataclass(frozen=True, slots=True)
class GroupingReport:
    """What one grouping run did."""

    grouped: int  # articles assigned to events
    duplicates: int  # of which near-duplicate copies of an earlier article
    events: int  # events created or updated
    event_merges: int  # events absorbed into another
    merged_statements: int  # statements found to repeat an earlier one


NOTHING_GROUPED = GroupingReport(0, 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class ProcessReport:
    """What one processing run did."""

    extracted: int  # articles (re-)extracted
    statements: int  # statements stored for them
    grouped: int  # articles assigned to events
    duplicates: int  # of which near-duplicate copies of an earlier article
    events: int  # events created or updated
    event_merges: int  # events absorbed into another
    merged_statements: int  # statements found to repeat an earlier one


def gazetteer_for(settings: Settings) -> Gazetteer:
    """The bundled actors, plus the user's file named by settings.actors_file."""
    extra = settings.settings.actors_file
    return load_gazetteer([extra] if extra else [])


def process_pending(
    store: Store,
    settings: Settings,
    *,
    reextract: bool = False,
    regroup: bool = False,
    on_progress: Progress | None = None,
    config: EventConfig | None = None,
    state: GroupingState | None = None,
) -> ProcessReport:
    """Extract statements from pending articles, then group pending articles into events.

    ``state`` keeps the grouper between runs (see :class:`GroupingState`); without it each run
    restores its own.
    """
    gazetteer = gazetteer_for(settings)
    corrections = load_corrections(Path(settings.settings.corrections_file))
    extracted, statements = extract_pending(
        store,
        gazetteer,
        everything=reextract,
        on_progress=on_progress,
        voices=source_voices(settings),
        corrections=corrections,
    )
    grouped = group_pending(
        store, everything=regroup, on_progress=on_progress, config=config, state=state
    )
    if apply_corrections(store, corrections)[1] and state is not None:
        state.forget()  # merged or split events: the kept grouper no longer matches the store
    return ProcessReport(
        extracted=extracted,
        statements=statements,
        grouped=grouped.grouped,
        duplicates=grouped.duplicates,
        events=grouped.events,
        event_merges=grouped.event_merges,
        merged_statements=grouped.merged_statements,
    )


def apply_corrections(store: Store, corrections: Corrections) -> tuple[int, int]:
    """Bring the store in line with the corrections: pinned speakers on their statements,
    events merged and split as the analyst said; (statements changed, events changed).
    Idempotent: what is already so is left alone."""
    pins = [
        (pin.speaker, {k: getattr(pin, k) for k in pin.model_fields_set - {"speaker"}})
        for pin in corrections.speakers
    ]
    for _, values in pins:
        if values.get("commentary"):
            values["side"] = None
    changed = store.correct_speakers(pins) if pins else 0
    moved = 0
    for correction in corrections.events:
        urls = correction.merge if correction.merge is not None else correction.split or []
        found = store.articles_by_url(urls)
        missing = [url for url in urls if url not in found]
        if missing:
            log.warning("correction names articles not in the store: %s", ", ".join(missing))
        grouped = [f for f in found.values() if f[1] is not None]
        if correction.merge is not None:
            moved += _merge_events(store, grouped)
        else:
            moved += _split_events(store, urls, grouped)
    return changed, moved


def _merge_events(store: Store, grouped: list[tuple[int, str | None, datetime, str]]) -> int:
    """The events of these articles become one: the earliest-started survives."""
    events = {event for _, event, _, _ in grouped if event is not None}
    if len(events) < 2:
        return 0
    first = min(grouped, key=lambda f: (f[2], f[0]))[1]
    assert first is not None
    merges = tuple((event, first) for event in sorted(events - {first}))
    store.save_grouping(GroupingStep(merges=merges), now=clock.now())
    return len(merges)


def _split_events(
    store: Store, urls: Sequence[str], grouped: list[tuple[int, str | None, datetime, str]]
) -> int:
    """These articles leave their events and make one of their own (its id from the URLs)."""
    if not grouped:
        return 0
    event_id = "ev-c" + hashlib.sha256("\n".join(sorted(urls)).encode()).hexdigest()[:15]
    if all(event == event_id for _, event, _, _ in grouped):
        return 0
    earliest = min(grouped, key=lambda f: (f[2], f[0]))
    times = [f[2] for f in grouped]
    step = GroupingStep(
        assignments=tuple((str(article_id), event_id) for article_id, _, _, _ in grouped),
        events=(EventUpdate(event_id, earliest[3], min(times), max(times)),),
    )
    store.save_grouping(step, now=clock.now())
    return 1


def source_voices(settings: Settings) -> dict[str, SourceVoice]:
    """Each configured source's voice: its publisher, for an official source its side, and the
    state it is based in."""
    return {
        source.name: SourceVoice(
            publisher=source.publisher,
            side=source.side,
            official=source.kind == "official",
            country=source.country,
        )
        for source in settings.sources
    }


def extract_pending(
    store: Store,
    gazetteer: Gazetteer,
    *,
    everything: bool = False,
    on_progress: Progress | None = None,
    voices: Mapping[str, SourceVoice] | None = None,
    corrections: Corrections | None = None,
) -> tuple[int, int]:
    """(Re-)extract statements where the stored ones are missing or from another version.

    ``voices`` gives each source's voice (by source name); an article is read in the voice of
    its primary source (aggregator.extract.voice).
    """
    version = extractor_version(gazetteer)
    articles = statements = 0
    voices = voices or {}
    fixed = corrections or Corrections()
    for batch in store.articles_for_extraction(version=version, all=everything):
        found = [
            (a.id, fixed.correct(_extract_one(a, gazetteer, voices.get(a.primary_source))))
            for a in batch
        ]
        statements += store.replace_statements_many(found, version=version)
        articles += len(batch)
        if on_progress is not None:
            on_progress("extract", articles)
    return articles, statements


def _extract_one(
    article: StoredArticle, gazetteer: Gazetteer, voice: SourceVoice | None = None
) -> list[Statement]:
    """The article's statements; an extractor failure on one article is logged with its id and
    yields none, so one pathological text cannot stop the processing of everything after it.
    It is retried when the extractor changes (its version is recorded as for any other)."""
    if len(article.text) > MAX_TEXT_CHARS:
        log.warning(
            "article %d (%s) holds %d characters; statements come from the first %d",
            article.id,
            article.canonical_url or article.title,
            len(article.text),
            text_end(article.text),
        )
    try:
        # who held which office when the article was written ("as_of": a backfill of 2016
        # must not call Donald Trump the president); an undated article was written by the
        # time it was first seen (a former president is no party in today's news either)
        written = article.published_at or article.first_seen_at
        return extract_statements(
            article.text, gazetteer.as_of(written), voice, language=article.language
        )
    except Exception:
        log.exception(
            "extraction failed on article %d (%s); stored no statements",
            article.id,
            article.canonical_url or article.title,
        )
        return []


def group_pending(
    store: Store,
    *,
    everything: bool = False,
    on_progress: Progress | None = None,
    config: EventConfig | None = None,
    state: GroupingState | None = None,
) -> GroupingReport:
    """Assign ungrouped articles to events, mark near-duplicates, merge repeated statements."""
    config = config or EventConfig()
    state = state if state is not None else GroupingState()
    with store.exclusive("grouping") as held:
        if not held:  # another process is grouping: it takes whatever is pending, ours too
            log.info("grouping skipped: another process holds the grouping lock")
            return NOTHING_GROUPED
        kept = state.take(store.grouping_mark(), config)
        if everything:  # a regroup starts from nothing, and leaves no grouper to keep
            kept = None
        grouper, merger = kept or (Grouper(config), StatementMerger())
        report, restored = _group_pending(
            store,
            grouper,
            merger,
            everything=everything,
            restore=kept is None and not everything,
            on_progress=on_progress,
        )
        if kept is not None or restored:
            state.keep(grouper, merger, config, store.grouping_mark())
        return report


def _group_pending(
    store: Store,
    grouper: Grouper,
    merger: StatementMerger,
    *,
    everything: bool,
    restore: bool,
    on_progress: Progress | None,
) -> tuple[GroupingReport, bool]:
    """Group the pending articles (restoring first when asked); what it did, and whether it
    restored (with nothing pending it does not: there is nothing to restore for)."""
    restored = False
    grouped = duplicates = merges = merged_statements = 0
    touched: set[str] = set()
    for batch in store.articles_for_grouping(all=everything):
        if restore and not restored:
            _restore(store, grouper, merger)
            restored = True
        statements = store.statements_for_articles([a.id for a in batch])
        canonicals: list[tuple[int, int | None]] = []
        for article in batch:
            found = statements.get(article.id, [])
            event = grouper.add(_doc(article), actors=_actors(found)).event_id
            for statement in found:
                canonical = _merge(merger, statement, article.language, event)
                if canonical != str(statement.id):
                    merged_statements += 1
                    canonicals.append((statement.id, int(canonical)))
                else:
                    canonicals.append((statement.id, None))
            grouped += 1
        step = grouper.flush()
        duplicates += len(step.near_duplicates)
        merges += len(step.merges)
        touched.update(e.id for e in step.events)
        store.save_grouping(step, now=clock.now())
        store.set_statement_canonicals(canonicals)
        if on_progress is not None:
            on_progress("group", grouped)
    report = GroupingReport(grouped, duplicates, len(touched), merges, merged_statements)
    return report, restored


def _restore(store: Store, grouper: Grouper, merger: StatementMerger) -> None:
    """Re-seed the grouper and the merger with the grouped history around the pending articles,
    so ids stay stable across runs.

    The history is what was grouped from one event window before the earliest pending article
    to one window after the latest (a backfill of an old period does not replay everything
    grouped since), at most the latest RESTORE_LIMIT articles, read in batches.
    """
    span = store.pending_span()
    if span is None:
        return
    window = grouper.events.config.window
    history = store.grouped_history(
        since=span[0] - window, until=span[1] + window, limit=RESTORE_LIMIT
    )
    for batch in history:
        statements = store.statements_for_articles([a.id for a in batch])
        for article in batch:
            found = statements.get(article.id, [])
            grouper.restore(
                GroupDoc(
                    id=str(article.id),
                    title=article.title,
                    text=article.text,
                    published=article.time,
                    source=article.source,
                    language=article.language,
                ),
                article.event_id,
                duplicate_of=None
                if article.near_duplicate_of is None
                else str(article.near_duplicate_of),
                actors=_actors(found),
            )
            for statement in found:
                _merge(merger, statement, article.language, article.event_id)


def _actors(statements: Sequence[StoredStatement]) -> list[str]:
    """The canonical actors an article quotes: extra evidence for the event it belongs to."""
    return quoted_actors(s.statement for s in statements)


def _merge(
    merger: StatementMerger, stored: StoredStatement, language: str | None, event: str
) -> str:
    """The canonical statement id for a stored statement (its own when it is the first copy);
    the article's language and event let the same quotation in another language merge."""
    statement = stored.statement
    return merger.add(
        str(stored.id),
        speaker=statement.actor or statement.speaker,
        text=statement.text,
        kind=statement.kind,
        language=language,
        event=event,
    )


def _time(article: StoredArticle) -> datetime:
    return article.published_at or article.first_seen_at


def _doc(article: StoredArticle) -> GroupDoc:
    return GroupDoc(
        id=str(article.id),
        title=article.title,
        text=article.text,
        published=_time(article),
        source=article.primary_source,
        language=article.language,
    )
