"""What a digest shows, as JSON (``aggregator digest --json``): every statement of every main
event (no "+N more"), and the events listed under "Also reported". A statement's ``language``
is its article's primary language tag (null: unknown), whatever the digest's language;
``renderings`` are its words in the other languages its reports carry it in (the digest's
language first). Keys are only ever added to this shape, never renamed or removed.

    {"date", "subscription",
     "events": [{"id", "title", "rank", "continuing", "url",
                 "articles": [{"url", "source", "title"}],
                 "columns": [{"side" (null for commentary and Others), "label",
                              "statements": [{"speaker" (the name as shown), "actor", "role",
                                              "side", "text", "kind", "outlets": [url],
                                              "language" (its article's: "ru", or null),
                                              "renderings": [{"language", "text"}]}]}]}],
     "also": [{"id", "title", "url", "articles": [{"url", "source", "title"}]}]}
"""

from __future__ import annotations

from typing import Any

from aggregator.digest.model import ArticleLink, Column, Digest, EventView, StatementView


def digest_to_json(digest: Digest) -> dict[str, Any]:
    """The digest as a JSON-ready dict (see the module docstring for the shape)."""
    return {
        "date": digest.period.label,
        "subscription": digest.subscription,
        "events": [_event(event) for event in digest.events],
        "also": [
            {
                "id": also.id,
                "title": also.title,
                "url": also.url,
                "articles": [_article(a) for a in also.articles],
            }
            for also in digest.also
        ],
    }


def _event(event: EventView) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "rank": event.rank,
        "continuing": event.continuing,
        "url": event.url,
        "articles": [_article(a) for a in event.articles],
        "columns": [_column(column) for column in event.columns],
    }


def _column(column: Column) -> dict[str, Any]:
    return {
        "side": column.side,
        "label": column.label,
        "summary": column.summary_text,
        "statements": [_statement(s) for s in column.statements],
    }


def _statement(statement: StatementView) -> dict[str, Any]:
    return {
        "speaker": statement.speaker,
        "actor": statement.actor,
        "role": statement.role,
        "side": statement.side,
        "text": statement.text,
        "kind": statement.kind,
        "outlets": [o.url for o in statement.all_outlets if o.url],
        "language": statement.language,
        "renderings": [{"language": r.language, "text": r.text} for r in statement.renderings],
    }


def _article(article: ArticleLink) -> dict[str, Any]:
    return {"url": article.url, "source": article.source, "title": article.title}
