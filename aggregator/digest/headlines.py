"""A report's headline as its party's act, for an event that has no statement.

Many feeds carry a headline and a one-sentence summary that quotes no one: "Ukraine detains
ex-energy minister as high-level corruption case widens", "China grants UK and Canada visa-free
entry". The extractor reads an article's text (a quotation, an attribution, a lead told as a
party's act), not its headline, so such an event has no statement, and the digest, which shows
no event without one, cannot carry it however many outlets report it. Yet the headline says
what a party did.

:func:`with_headlines` reads the headlines of an event none of whose statements a reader can use
with the extractor's act rule (aggregator.extract.acts), as the first sentence of a text: its
subject a party that names its side ("Ukraine", "Peru's Congress", a known person), its verb an
act of state ("detains", "grants", "launches"), active. Each act found becomes a statement of
the event, carried by every report with that headline; the event is otherwise unchanged. A Title
Case headline ("Iran Holds Exercises in Strait of Hormuz") is read with its act verbs and
auxiliaries in lower case, as the rule reads them.

Only acts: a headline's "X says …" is left alone. Tried on the tuning days, it brought in
stories that quote a party on anything ("Obama shuts down alien buzz and says …"), and an act's
verb list is what keeps the stories of state (docs/evaluation/relevance.md).

Headlines are read at digest time, not stored: a stored statement's offsets index its article's
text, which holds no headline, and ``extract --json`` reads a text alone.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from aggregator.digest.layout import showable
from aggregator.extract.acts import ACT_FORMS, lead_act
from aggregator.extract.sides import Gazetteer, default_gazetteer
from aggregator.extract.text import normalise
from aggregator.model import Event, EventStatement, Report, Statement, Wording

# the ids of a headline's acts begin with this (a stored statement's id is a number)
HEADLINE_ID = "headline-"
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
# short words a Title Case headline still writes in lower case
_MINOR = frozenset("a an and as at but by for from in into of on or the to vs with".split())
_END = ".!?…"
# what a Title Case headline capitalises that the act rule reads in lower case
_VERBS = ACT_FORMS | frozenset("has have had is are was were been".split())


def with_headlines(event: Event, gazetteer: Gazetteer | None = None) -> Event:
    """``event`` with its headlines' acts when none of its statements is showable (see the
    module docstring); the event itself otherwise."""
    if any(showable(s) for s in event.statements):
        return event
    carried: dict[str, list[Report]] = {}  # one headline, every report that carries it
    for report in event.articles:
        carried.setdefault(" ".join(report.title.split()).casefold(), []).append(report)
    found: list[EventStatement] = []
    for reports in carried.values():
        for statement in headline_statements(reports[0].title, gazetteer):
            shown = _event_statement(statement, tuple(reports))
            if showable(shown):
                found.append(shown)
    if not found:
        return event
    return dataclasses.replace(event, statements=event.statements + tuple(found))


def headline_statements(title: str, gazetteer: Gazetteer | None = None) -> tuple[Statement, ...]:
    """A party's act told by one headline (none when it tells none)."""
    title = " ".join(title.split())
    return _read_default(title) if gazetteer is None else _read(title, gazetteer)


@functools.lru_cache(maxsize=8192)
def _read_default(title: str) -> tuple[Statement, ...]:
    """:func:`_read` with the bundled gazetteer, cached: a daemon renders the same headlines
    day after day."""
    return _read(title, default_gazetteer())


def _read(title: str, gazetteer: Gazetteer) -> tuple[Statement, ...]:
    if not title:
        return ()
    # a Title Case headline's verbs in lower case, as the act rule reads them; the same length,
    # so the statement's offsets index the headline as written
    read = _sentence_case(title) if _title_case(title) else title
    # a sentence's end, so that the rule takes the headline for a whole sentence
    text = read if read.endswith(tuple(_END)) else read + "."
    found = [s for s in lead_act(text, normalise(text), gazetteer, None) if _party(s)]
    return tuple(
        dataclasses.replace(
            s,
            text=title[s.start : min(s.end, len(title))],
            end=min(s.end, len(title)),
            speaker=title[s.start : s.speaker_end] if s.speaker_end is not None else s.speaker,
            cue=title[s.cue_start : s.cue_end] if s.cue_start is not None and s.cue_end else s.cue,
        )
        for s in found
    )


def _party(statement: Statement) -> bool:
    return statement.side is not None and not statement.commentary


def _title_case(title: str) -> bool:
    """Whether every word but the short ones is capitalised ("Iran Holds Exercises in …")."""
    words = [w for w in _WORD.findall(title) if w.lower() not in _MINOR]
    return len(words) >= 3 and all(w[0].isupper() for w in words)


def _sentence_case(title: str) -> str:
    """A Title Case headline with its acts' verbs and auxiliaries in lower case, the first
    word aside ("Iran holds Exercises in Strait of Hormuz …")."""

    def lower(match: re.Match[str]) -> str:
        word = match.group(0)
        if match.start() > 0 and word.lower() in _VERBS:
            return word.lower()
        return word

    return _WORD.sub(lower, title)


def _event_statement(statement: Statement, reports: tuple[Report, ...]) -> EventStatement:
    first = reports[0]
    speaker = cue = None
    if statement.speaker_start is not None and statement.speaker_end is not None:
        speaker = (statement.speaker_start, statement.speaker_end)
    if statement.cue_start is not None and statement.cue_end is not None:
        cue = (statement.cue_start, statement.cue_end)
    return EventStatement(
        # unique within the event: the first report's article (or its link) and the act's start
        id=f"{HEADLINE_ID}{first.article_id or first.url or first.title}-{statement.start}",
        text=statement.text,
        kind=statement.kind,
        cue=statement.cue,
        speaker=statement.speaker,
        actor=statement.actor,
        role=statement.role,
        side=statement.side,
        reports=reports,
        commentary=statement.commentary,
        # the headline is the act's sentence: its summary is the headline itself, as a lead
        # told as an act is its own sentence (digest/summary.py)
        wording=Wording(
            " ".join(first.title.split()), (statement.start, statement.end), speaker, cue
        ),
        article_id=first.article_id,
        language=first.language,
    )
