"""The side-by-side table of one event: columns, the "Others" fold, cells, outlets, summaries.

- Columns: one per known side, the heaviest first (sides the subscription asked for lead, then
  by distinct sources carrying the side's statements, then by statement count, then by name).
  At most ``max_columns`` side columns; the remaining sides *and* statements with no known side
  go into one extra column, "Others", where each statement keeps its own side label.
- A cell lists its key statements best first: most distinct sources, then carried by an official
  source, then direct quotes before mixed before reported speech; beyond
  ``max_statements_per_cell`` only a count ("+N more statements") is kept.
- After each statement, the outlets that carried it, one link per source: official sources first,
  then wires, then other outlets; within a kind the earliest report first. Beyond
  ``max_outlets_shown`` only a count ("+N more").
- Each side's summary line is its most *central* statement: the one with the highest
  ``reported_by + sum of word-overlap (Jaccard) with the side's other statements``, i.e. the claim
  most carried and most echoed by the side's other statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from aggregator.digest.model import (
    OTHERS,
    Column,
    DigestOptions,
    OutletLink,
    ReportRef,
    StatementInput,
    StatementView,
)

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


def order_outlets(reports: Iterable[ReportRef]) -> list[ReportRef]:
    """One report per source, official first, then wire, then outlet; earliest first in a kind."""
    first: dict[str, ReportRef] = {}
    for report in reports:
        kept = first.get(report.source)
        if kept is None or _report_key(report) < _report_key(kept):
            first[report.source] = report
    return sorted(first.values(), key=_report_key)


def _report_key(report: ReportRef) -> tuple[int, datetime, str, str]:
    published = report.published if report.published is not None else _NEVER
    return (_KIND_ORDER[report.kind], published, report.publisher.casefold(), report.source)


def statement_view(
    statement: StatementInput, max_outlets: int, contested: frozenset[str] = frozenset()
) -> StatementView:
    """The view of one statement with its outlets ordered and cut at ``max_outlets``."""
    outlets = order_outlets(statement.reports)
    shown = outlets[: max(max_outlets, 0)]
    return StatementView(
        id=statement.id,
        text=clean_text(statement.text),
        kind=statement.kind,
        cue=clean_text(statement.cue) or None,
        speaker=clean_text(statement.speaker or statement.actor) or None,
        role=clean_text(statement.role) or None,
        side=clean_text(statement.side) or None,
        outlets=tuple(
            OutletLink(
                publisher=clean_text(r.publisher) or r.source,
                source=r.source,
                kind=r.kind,
                url=safe_url(r.url),
                title=clean_text(r.title),
            )
            for r in shown
        ),
        more_outlets=len(outlets) - len(shown),
        reported_by=len(outlets),
        official=any(r.kind == "official" for r in outlets),
        contested=statement.id in contested,
    )


def _distinct_sources(statement: StatementInput) -> int:
    return len({r.source for r in statement.reports})


def statement_key(statement: StatementInput) -> tuple[int, int, int, str]:
    """Sort key for key statements: most sources, official, direct before reported, then id."""
    official = any(r.kind == "official" for r in statement.reports)
    return (
        -_distinct_sources(statement),
        0 if official else 1,
        _STATEMENT_KIND_ORDER[statement.kind],
        statement.id,
    )


def order_sides(statements: Sequence[StatementInput], preferred: Sequence[str] = ()) -> list[str]:
    """Known sides, heaviest first; sides in ``preferred`` (case-insensitive) lead in its order."""
    sources: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for s in statements:
        if s.side:
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


def central_statement(statements: Sequence[StatementInput]) -> StatementInput | None:
    """The most central statement (see the module docstring); None for no statements."""
    if not statements:
        return None
    words = [_words(s.text) for s in statements]

    def centrality(i: int) -> float:
        overlap = 0.0
        for j, other in enumerate(words):
            if j != i and (words[i] or other):
                overlap += len(words[i] & other) / len(words[i] | other)
        return _distinct_sources(statements[i]) + overlap

    scores = [centrality(i) for i in range(len(statements))]
    best = min(range(len(statements)), key=lambda i: (-scores[i], statement_key(statements[i])))
    return statements[best]


def build_columns(
    statements: Sequence[StatementInput],
    options: DigestOptions,
    contested: frozenset[str] = frozenset(),
    sides: Sequence[str] | None = None,
) -> tuple[Column, ...]:
    """The event's columns: up to ``max_columns`` sides, then "Others" when anything is left."""
    ordered = list(sides) if sides is not None else order_sides(statements, options.sides)
    own = ordered[: max(options.max_columns, 0)]
    folded = ordered[len(own) :]
    by_side: dict[str, list[StatementInput]] = {side: [] for side in own}
    others: list[StatementInput] = []
    for statement in statements:
        if statement.side in by_side:
            by_side[statement.side].append(statement)
        else:
            others.append(statement)
    columns = [_column(side, (), by_side[side], options, contested, summarise=True) for side in own]
    if others:
        columns.append(_column(OTHERS, tuple(folded), others, options, contested, summarise=False))
    return tuple(columns)


def _column(
    side: str,
    folded: tuple[str, ...],
    statements: list[StatementInput],
    options: DigestOptions,
    contested: frozenset[str],
    *,
    summarise: bool,
) -> Column:
    statements.sort(key=statement_key)
    limit = max(options.max_statements_per_cell, 0)
    shown = [statement_view(s, options.max_outlets_shown, contested) for s in statements[:limit]]
    summary = None
    central = central_statement(statements) if summarise else None
    if central is not None:
        # the summary is usually also a key statement: reuse its view rather than rebuild it
        summary = next((v for v in shown if v.id == central.id), None) or statement_view(
            central, options.max_outlets_shown, contested
        )
    return Column(
        side=side,
        folded=folded,
        summary=summary,
        statements=tuple(shown),
        hidden=max(len(statements) - limit, 0),
    )
