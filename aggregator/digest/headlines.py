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

Headlines are read at digest time, with the offices of the event's first day (as its relevance
reads titles: ``Gazetteer.as_of``), not stored: a stored statement's offsets index its article's
text, which holds no headline, and ``extract --json`` reads a text alone.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from datetime import date

from aggregator.digest.layout import showable
from aggregator.extract import extract_statements
from aggregator.extract.acts import ACT_FORMS, ACT_LEMMAS, is_act, lead_act
from aggregator.extract.sides import Gazetteer, default_gazetteer
from aggregator.extract.text import normalise
from aggregator.model import Event, EventStatement, Report, Statement, Wording

# the ids of a headline's acts begin with this (a stored statement's id is a number)
HEADLINE_ID = "headline-"
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
# short words a Title Case headline still writes in lower case
_MINOR = frozenset("a an and as at but by for from in into of on or the to vs with".split())
_END = ".!?…"
# a label that makes the headline an outlet's view, not a report of what a party did
_COMMENTARY = re.compile(
    r"(?:opinion|analysis|comment|commentary|editorial|explainer|column|review|podcast)\s*[:|]",
    re.IGNORECASE,
)
_AUXILIARY = "was "
# a headline's words at least (the subject, the verb and what it acts on): "Russia withdraws
# from grain deal" (a text's lead asks six, its heading or byline being shorter)
_MIN_WORDS = 4
# "sworn in" with no auxiliary before it (a headline's passive of taking office)
_BARE_OFFICE = re.compile(
    r"(?<![\w’'-])(?<!\bwas )(?<!\bwere )(?<!\bis )(?<!\bare )(?<!\bbeen )(?<!\bbe )sworn\s+in"
    r"(?![\w’'-])"
)
_SWORN_IN = re.compile(r"(?<![\w’'-])Sworn(\s+)In(?![\w’'-])")
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
    found: dict[tuple[str | None, str | None, str], EventStatement] = {}
    # the offices of the event's first day, as its relevance reads them (Gazetteer.as_of: a
    # headline of 2014 names Obama the president)
    day = event.first_seen_at.date()
    for key, reports in carried.items():
        title = " ".join(reports[0].title.split())
        acts = _read_on(title, day) if gazetteer is None else _read(title, gazetteer.as_of(day))
        for statement in acts:
            shown = _event_statement(statement, tuple(reports), key)
            # two outlets' headlines of one act ("Russia expels British diplomats over …",
            # "Russia expels two British diplomats …") are one statement, the first one's
            act = (statement.side, statement.actor, _lemma(statement.cue))
            if showable(shown) and act not in found:
                found[act] = shown
    if not found:
        return event
    return dataclasses.replace(event, statements=event.statements + tuple(found.values()))


def headline_statements(title: str, gazetteer: Gazetteer | None = None) -> tuple[Statement, ...]:
    """A party's act told by one headline (none when it tells none)."""
    title = " ".join(title.split())
    return _read_default(title) if gazetteer is None else _read(title, gazetteer)


@functools.lru_cache(maxsize=8192)
def _read_default(title: str) -> tuple[Statement, ...]:
    """:func:`_read` with the bundled gazetteer as the file gives it, cached."""
    return _read(title, default_gazetteer())


@functools.lru_cache(maxsize=8192)
def _read_on(title: str, day: date) -> tuple[Statement, ...]:
    """:func:`_read` with the bundled gazetteer as of ``day``, cached: a daemon renders the
    same headlines day after day."""
    return _read(title, default_gazetteer().as_of(day))


def _read(title: str, gazetteer: Gazetteer) -> tuple[Statement, ...]:
    # an outlet's name after a bar is no word of the headline ("… overnight | Reuters")
    title = title.split(" | ", 1)[0].strip()
    if not title or _COMMENTARY.match(title) or title.isupper():
        return ()  # an opinion's or an analysis's headline; a headline that shouts
    # what someone says the headline tells: "Iran seizes oil tanker …, U.S. military says" is
    # the U.S. military's claim, not Iran's act (a headline's speech is left alone)
    claims = [(s.start, s.end) for s in extract_statements(title, gazetteer) if not is_act(s)]
    # a Title Case headline's verbs in lower case, as the act rule reads them (the same length)
    read = _sentence_case(title) if _title_case(title) else title
    # taking office without its auxiliary, as headlines write it ("Tarique Rahman sworn in as
    # …"): read with one ("… was sworn in as …"), the one passive that is the state's act
    bare = _BARE_OFFICE.search(read)
    at, added = (bare.start(), len(_AUXILIARY)) if bare is not None else (len(read), 0)
    read = read[:at] + _AUXILIARY[:added] + read[at:]
    # a sentence's end, so that the rule takes the headline for a whole sentence
    text = read if read.endswith(tuple(_END)) else read + "."

    def back(offset: int) -> int:
        """An offset of ``text`` as an offset of ``title``."""
        return min(offset if offset <= at else offset - added, len(title))

    found = []
    for act in lead_act(text, normalise(text), gazetteer, None, min_words=_MIN_WORDS):
        if not _party(act):
            continue
        start, end = back(act.start), back(act.end)
        speaker = cue = None
        if act.speaker_start is not None and act.speaker_end is not None:
            speaker = (back(act.speaker_start), back(act.speaker_end))
        if act.cue_start is not None and act.cue_end is not None:
            cue = (back(act.cue_start), back(act.cue_end))
        if cue is not None and any(lo <= cue[0] < hi for lo, hi in claims):
            continue  # the act is inside someone's claim
        found.append(
            dataclasses.replace(
                act,
                text=title[start:end],
                start=start,
                end=end,
                speaker=title[speaker[0] : speaker[1]] if speaker else act.speaker,
                speaker_start=speaker[0] if speaker else None,
                speaker_end=speaker[1] if speaker else None,
                cue=title[cue[0] : cue[1]] if cue else act.cue,
                cue_start=cue[0] if cue else None,
                cue_end=cue[1] if cue else None,
            )
        )
    return tuple(found)


def _party(statement: Statement) -> bool:
    return statement.side is not None and not statement.commentary


def _lemma(cue: str | None) -> str:
    """An act's verb, its form aside ("expels", "expelled" -> "expel")."""
    word = " ".join((cue or "").lower().split())
    return ACT_LEMMAS.get(word, word)


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

    return _SWORN_IN.sub(r"sworn\1in", _WORD.sub(lower, title))


def _event_statement(
    statement: Statement, reports: tuple[Report, ...], headline: str
) -> EventStatement:
    first = reports[0]
    speaker = cue = None
    if statement.speaker_start is not None and statement.speaker_end is not None:
        speaker = (statement.speaker_start, statement.speaker_end)
    if statement.cue_start is not None and statement.cue_end is not None:
        cue = (statement.cue_start, statement.cue_end)
    digest = hashlib.blake2b(headline.encode("utf-8"), digest_size=8).hexdigest()
    return EventStatement(
        # the same for the same headline, whichever report came first
        id=f"{HEADLINE_ID}{digest}-{statement.start}",
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
