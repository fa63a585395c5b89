"""The side-by-side table of one event: columns, the "Others" fold, cells, outlets, summaries.

- Only statements a reader can use are laid out: a speaker who can be named (see
  :mod:`aggregator.digest.speaker`) and words that are no fragment (:mod:`aggregator.digest.words`).
- Columns: one per party's side, the heaviest first (sides the subscription asked for lead, then
  by distinct sources carrying the side's statements, then by statement count, then by name).
  At most ``max_columns`` side columns; then "Commentary" (journalists, outlets, academics,
  experts, NGOs: no party, never a state's column); then "Others": the remaining sides *and*
  statements whose speaker's side is unknown, where each statement keeps its own side label.
- A cell lists its key statements best first: most distinct sources, then carried by an official
  source, then direct quotes before mixed before reported speech; beyond
  ``max_statements_per_cell`` only a count ("+N more statements") is kept.
- After each statement, the outlets that carried it, one link per source: official sources first,
  then wires, then other outlets; within a kind the earliest report first. Beyond
  ``max_outlets_shown`` only a count ("+N more").
- Each side's summary line is its most *central* statement: the one with the highest
  ``reported_by + sum of word-overlap (Jaccard) with the side's other statements + 2.0 * the
  share of the event title's content words it holds``, i.e. the claim most carried and most
  echoed by the side's other statements, on what the story is about, written as a sentence
  (:mod:`aggregator.digest.summary`); a statement its feed cut short ("…") only when no whole
  one is left.
- In an event that continues from before the period, what was first reported inside the period
  leads each cell.
- A statement whose article is in another language than the digest's (``DigestOptions.language``,
  English by default) is tagged with it ("RU"); one in the digest's language, or in none known,
  is not.
- A statement the grouper merged across languages (the same quotation carried in Russian and in
  English) is one statement: shown in its own (the canonical statement's) language with its tag,
  every outlet under "reported by", and its words in the other languages beside it, the digest's
  language first (:attr:`StatementView.renderings`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from babel import Locale

from aggregator.digest.model import (
    COMMENTARY,
    DIGEST_LANGUAGE,
    OTHERS,
    Column,
    ColumnKind,
    DigestOptions,
    OutletLink,
    Period,
    RenderingView,
    StatementView,
)
from aggregator.digest.speaker import present
from aggregator.digest.summary import summary_sentence
from aggregator.digest.words import is_denied, is_fragment, shown_text
from aggregator.group.text import content_words
from aggregator.model import EventStatement, Rendering, Report

_KIND_ORDER = {"official": 0, "wire": 1, "outlet": 2}
_STATEMENT_KIND_ORDER = {"direct": 0, "mixed": 1, "indirect": 2}
_WORD = re.compile(r"\w{3,}")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEVER = datetime.max.replace(tzinfo=UTC)
# whitespace or control characters inside a URL: browsers drop some of them ("java\tscript:")
_UNSAFE_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")
# scheme, a host (name, IPv4 or bracketed IPv6), optional port, then the end or a path, query or
# fragment. No userinfo: "https://trusted.example@evil.example/" is a phishing trick, not a link.
# (a regex rather than urlsplit, which was the hot spot of a big digest)
_HTTP_URL = re.compile(r"(?i:https?)://(?:\[[0-9a-fA-F:.]+\]|[^/?#@:\[\]]+)(?::\d*)?(?:[/?#]|$)")
_PRIMARY_LANGUAGE = re.compile(r"[a-z]{2,3}")


def clean_text(text: str | None) -> str:
    """Feed text as one line: control characters dropped, runs of whitespace collapsed."""
    if not text:
        return ""
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text  # the common case, and the hot path of a big digest
    return " ".join(_CONTROL_CHARS.sub("", text).split())


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host; otherwise None (never a link).

    Feed-supplied ``javascript:``, ``data:`` or relative URLs must not become links in a mail.
    """
    if not url:
        return None
    url = url.strip()
    if _UNSAFE_URL_CHARS.search(url) or not _HTTP_URL.match(url):
        return None
    return url


def order_outlets(reports: Iterable[Report]) -> list[Report]:
    """One report per source, official first, then wire, then outlet; earliest first in a kind."""
    first: dict[str, Report] = {}
    for report in reports:
        kept = first.get(report.source)
        if kept is None or _report_key(report) < _report_key(kept):
            first[report.source] = report
    return sorted(first.values(), key=_report_key)


def _report_key(report: Report) -> tuple[int, datetime, str, str]:
    published = report.published if report.published is not None else _NEVER
    return (_KIND_ORDER[report.kind], published, report.publisher.casefold(), report.source)


def _outlet(report: Report) -> OutletLink:
    return OutletLink(
        publisher=clean_text(report.publisher) or report.source,
        source=report.source,
        kind=report.kind,
        url=safe_url(report.url),
        title=clean_text(report.title),
    )


@functools.cache
def _language_names() -> dict[str, str]:
    """English names of languages by primary subtag (CLDR): {"uk": "Ukrainian", …}."""
    return {code: str(name) for code, name in Locale("en").languages.items() if "_" not in code}


def primary_language(tag: str | None) -> str | None:
    """A language tag's primary subtag in lower case (``"ru-UA"`` -> ``"ru"``); ``None`` for no
    tag or one whose primary subtag is not two or three letters (never shown)."""
    primary = (tag or "").split("-", 1)[0].strip().lower()
    return primary if _PRIMARY_LANGUAGE.fullmatch(primary) else None


def language_tag(language: str | None, digest_language: str = DIGEST_LANGUAGE) -> str | None:
    """The tag shown beside a statement in ``language`` ("RU"): ``None`` when the language is
    unknown or is the digest's own (``"en-gb"`` in an English digest)."""
    primary = primary_language(language)
    if primary is None or primary == primary_language(digest_language):
        return None
    return primary.upper()


def language_name(tag: str | None) -> str:
    """The English name of a shown language tag ("UK" -> "Ukrainian", CLDR through Babel): the
    tag's tooltip, since "UK" also reads as the United Kingdom; the tag itself when CLDR has
    no name for it."""
    primary = primary_language(tag)
    if primary is None:
        return tag or ""
    return _language_names().get(primary, tag or "")


def rendering_views(
    own: str | None, renderings: Iterable[Rendering], digest_language: str = DIGEST_LANGUAGE
) -> tuple[RenderingView, ...]:
    """The statement's words in other languages than ``own`` (its shown language), one a
    language, the digest's language first, then in the order given; empty words are dropped.
    A statement of unknown language has none: its copies cannot be told from translations."""
    if primary_language(own) is None:
        return ()
    mine = primary_language(digest_language)
    seen = {primary_language(own)}
    views: list[RenderingView] = []
    for rendering in renderings:
        primary = primary_language(rendering.language)
        text = clean_text(rendering.text)
        if primary is None or primary in seen or not text:
            continue
        seen.add(primary)
        views.append(RenderingView(primary, primary.upper(), text, primary == mine))
    return tuple(sorted(views, key=lambda view: not view.digest_language))


def first_reported(statement: EventStatement) -> datetime | None:
    """When the statement was first reported (its earliest dated report)."""
    dates = [r.published for r in statement.reports if r.published is not None]
    return min(dates) if dates else None


def _says_title(sentence: str, speaker: str | None, role: str) -> bool:
    """Whether ``sentence`` names the speaker as written with ``role``: the mention holds the
    role as whole words ("French President Emmanuel Macron has held talks …", "…, Italian
    defense minister Guido Crosetto said"), or the role follows it as an apposition ("said
    Blaise Metreweli, head of the U.K.'s MI6 intelligence agency") or after "as" ("Tarique
    Rahman sworn in as Prime Minister of Bangladesh"). Not "MP" in "Trump", nor
    another person's title in the quotation: the role must stand at the speaker's mention."""
    if not speaker:
        return False
    folded, mention = sentence.casefold(), speaker.casefold()
    if mention not in folded:
        return False
    if re.search(rf"(?<!\w){re.escape(role)}(?!\w)", speaker, re.IGNORECASE) is not None:
        return True
    if f"{mention}, {role.casefold()}" in folded:
        return True
    # the office the mention takes or holds: "X sworn in as Prime Minister of Bangladesh"
    after = folded[folded.index(mention) + len(mention) :]
    return re.search(rf"\bas\s+(?:the\s+)?{re.escape(role.casefold())}(?!\w)", after) is not None


def statement_view(
    statement: EventStatement,
    max_outlets: int,
    contested: frozenset[str] = frozenset(),
    period: Period | None = None,
    digest_language: str = DIGEST_LANGUAGE,
) -> StatementView:
    """The view of one statement with its outlets ordered and cut at ``max_outlets``, tagged with
    its language when that is not ``digest_language``."""
    outlets = [_outlet(r) for r in order_outlets(statement.reports)]
    shown = outlets[: max(max_outlets, 0)]
    name, role = present(statement)
    first = first_reported(statement)
    sentence = summary_sentence(statement, name) if name else shown_text(statement)
    if role and _says_title(sentence, statement.speaker, role):
        # the words name the speaker, title and all ("French President Emmanuel Macron has held
        # talks …", a lead told as an act): the title under them would be said twice
        role = None
    return StatementView(
        id=statement.id,
        text=shown_text(statement),
        kind=statement.kind,
        cue=clean_text(statement.cue) or None,
        speaker=name,
        role=role,
        side=clean_text(statement.side) or None,
        outlets=tuple(shown),
        more_outlets=len(outlets) - len(shown),
        reported_by=len(outlets),
        official=any(o.kind == "official" for o in outlets),
        contested=statement.id in contested,
        actor=clean_text(statement.actor) or None,
        commentary=statement.commentary,
        all_outlets=tuple(outlets),
        new=period is None or first is None or first >= period.start,
        sentence=sentence,
        language=primary_language(statement.language),
        language_tag=language_tag(statement.language, digest_language),
        renderings=rendering_views(statement.language, statement.renderings, digest_language),
    )


def showable(statement: EventStatement) -> bool:
    """Whether a reader can use the statement: a speaker who can be named, words that are a
    statement rather than a piece of one, and a speaker who said them (not "X never said …")."""
    name, _ = present(statement)
    return (
        name is not None
        and not is_fragment(statement, shown_text(statement))
        and not is_denied(statement)
    )


def _distinct_sources(statement: EventStatement) -> int:
    return len({r.source for r in statement.reports})


def statement_key(statement: EventStatement) -> tuple[int, int, int, str]:
    """Sort key for key statements: most sources, official, direct before reported, then id."""
    official = any(r.kind == "official" for r in statement.reports)
    return (
        -_distinct_sources(statement),
        0 if official else 1,
        _STATEMENT_KIND_ORDER[statement.kind],
        statement.id,
    )


def order_sides(statements: Sequence[EventStatement], preferred: Sequence[str] = ()) -> list[str]:
    """Known sides, heaviest first; sides in ``preferred`` (case-insensitive) lead in its order."""
    sources: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for s in statements:
        if s.side and not s.commentary:
            sources.setdefault(s.side, set()).update(r.source for r in s.reports)
            counts[s.side] = counts.get(s.side, 0) + 1
    rank = {side.casefold(): i for i, side in enumerate(preferred)}
    return sorted(
        sources,
        key=lambda side: (
            rank.get(side.casefold(), len(rank)),
            -len(sources[side]),
            -counts[side],
            side.casefold(),
        ),
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def _content(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


#: how much a statement that holds every content word of the event's title weighs for the
#: side's summary line, against one more source (1.0) and its echoes in the side's statements
TITLE_WEIGHT = 2.0


def central_statement(
    statements: Sequence[EventStatement], title: str | None = None
) -> EventStatement | None:
    """The most central statement (see the module docstring); None for no statements. With the
    event's ``title``, the share of the title's content words a statement holds counts too
    (``TITLE_WEIGHT``): a side's summary line is about what the story is about."""
    if not statements:
        return None
    words = [_words(s.text) for s in statements]
    about = frozenset(content_words(title)) if title else frozenset()

    def centrality(i: int) -> float:
        overlap = 0.0
        for j, other in enumerate(words):
            if j != i and (words[i] or other):
                overlap += len(words[i] & other) / len(words[i] | other)
        covered = len(about & _content(statements[i].text)) / len(about) if about else 0.0
        return _distinct_sources(statements[i]) + overlap + TITLE_WEIGHT * covered

    scores = [centrality(i) for i in range(len(statements))]
    # a statement its feed cut short ("… in one of the…") sums up nothing while a whole one can
    best = min(
        range(len(statements)),
        key=lambda i: (_cut(statements[i].text), -scores[i], statement_key(statements[i])),
    )
    return statements[best]


def _cut(text: str) -> bool:
    """Whether a statement's words end where its feed cut them ("…", "...")."""
    return text.rstrip(' ”"’»').endswith(("…", "..."))


def build_columns(
    statements: Sequence[EventStatement],
    options: DigestOptions,
    contested: frozenset[str] = frozenset(),
    sides: Sequence[str] | None = None,
    period: Period | None = None,
    continuing: bool = False,
    title: str | None = None,
) -> tuple[Column, ...]:
    """The event's columns: up to ``max_columns`` sides, then "Commentary", then "Others";
    ``title``, the event's own, helps choose each side's summary line (central_statement)."""
    usable = [s for s in statements if showable(s)]
    ordered = list(sides) if sides is not None else order_sides(usable, options.sides)
    own = ordered[: max(options.max_columns, 0)]
    folded = ordered[len(own) :]
    by_side: dict[str, list[EventStatement]] = {side: [] for side in own}
    commentary: list[EventStatement] = []
    others: list[EventStatement] = []
    for statement in usable:
        if statement.commentary:
            commentary.append(statement)
        elif statement.side in by_side:
            by_side[statement.side].append(statement)
        else:
            others.append(statement)
    cell = _CellMaker(options, contested, period, continuing, title)
    columns = [cell(side, side, "party", (), by_side[side]) for side in own if by_side[side]]
    if commentary:
        columns.append(cell(None, COMMENTARY, "commentary", (), commentary))
    if others:
        shown_folded = tuple(side for side in folded if any(s.side == side for s in others))
        columns.append(cell(None, OTHERS, "others", shown_folded, others))
    return tuple(columns)


class _CellMaker:
    """Lays out one cell: statements ordered (new first in a continuing event), cut, summed up."""

    def __init__(
        self,
        options: DigestOptions,
        contested: frozenset[str],
        period: Period | None,
        continuing: bool,
        title: str | None = None,
    ) -> None:
        self._options = options
        self._contested = contested
        self._period = period
        self._continuing = continuing
        self._title = title

    def __call__(
        self,
        side: str | None,
        label: str,
        kind: ColumnKind,
        folded: tuple[str, ...],
        statements: list[EventStatement],
    ) -> Column:
        options, period = self._options, self._period
        views = {
            s.id: statement_view(
                s, options.max_outlets_shown, self._contested, period, options.language
            )
            for s in statements
        }
        if self._continuing:
            statements.sort(key=lambda s: (not views[s.id].new, statement_key(s)))
        else:
            statements.sort(key=statement_key)
        limit = max(options.max_statements_per_cell, 0)
        summary = summary_text = None
        central = central_statement(statements, self._title) if kind == "party" else None
        if central is not None:
            summary = views[central.id]
            summary_text = summary.sentence
        return Column(
            side=side,
            label=label,
            kind=kind,
            folded=folded,
            summary=summary,
            summary_text=summary_text,
            statements=tuple(views[s.id] for s in statements),
            hidden=max(len(statements) - limit, 0),
        )
