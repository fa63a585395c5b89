"""An event reported in Russian, English and French, for the pages that show languages.

    add_multilingual_event(store, settings)  LANGUAGES_EVENT: a Russian minister's quotation
        carried in Russian (the canonical), English and French (copies merged into it), and a
        French minister's statement in French; its stored title is the Russian headline
    languages_archive(folder)  -> Archive: the demo day plus that event, served on loopback

Every sentence is written for the tests; the states are real, the people are invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from aggregator.config import Settings
from aggregator.group import EventUpdate, GroupingStep
from aggregator.model import Article, Source, Statement
from aggregator.pipeline.process import process_pending
from aggregator.store import Store, open_store
from aggregator.web import create_app
from tests.integration.test_store_support import save_articles
from tests.support.demo import demo_settings, ingest_demo
from tests.support.web import NOON, NOW, live_server

LANGUAGES_EVENT = "ev-languages"
RUSSIAN_ACTOR = "Pavel Sorokin"
RUSSIAN_SLUG = "pavel-sorokin"
RUSSIAN_TITLE = "Сорокин: Россия готова продолжить переговоры в Женеве"
ENGLISH_TITLE = "Sorokin says Russia is ready to resume the Geneva talks"
FRENCH_TITLE = "Genève : la France salue la reprise des négociations"
RUSSIAN_WORDS = "Мы готовы продолжить переговоры в Женеве без каких-либо предварительных условий"
ENGLISH_WORDS = "We are ready to continue the talks in Geneva without any preconditions"
FRENCH_WORDS = "Nous sommes prêts à poursuivre les négociations à Genève sans aucune condition"
FRANCE_WORDS = "La France soutient pleinement la reprise du dialogue à Genève cette semaine"


@dataclass(frozen=True, slots=True)
class _Piece:
    """One article and the statements in it: (words, speaker as written, actor, role, side)."""

    source: str
    language: str
    title: str
    text: str
    quotes: tuple[tuple[str, str, str, str, str], ...]


_PIECES = (
    _Piece(
        "mid-ru",
        "ru",
        RUSSIAN_TITLE,
        f"«{RUSSIAN_WORDS}», — заявил министр иностранных дел России Павел Сорокин в среду.",
        ((RUSSIAN_WORDS, "Павел Сорокин", RUSSIAN_ACTOR, "Foreign Minister of Russia", "Russia"),),
    ),
    _Piece(
        "wire-en",
        "en",
        ENGLISH_TITLE,
        f'"{ENGLISH_WORDS}," Russian Foreign Minister Pavel Sorokin said on Wednesday.',
        ((ENGLISH_WORDS, "Pavel Sorokin", RUSSIAN_ACTOR, "Foreign Minister of Russia", "Russia"),),
    ),
    _Piece(
        "journal-fr",
        "fr",
        FRENCH_TITLE,
        f"« {FRENCH_WORDS} », a déclaré mercredi le ministre russe Pavel Sorokin. "
        f"« {FRANCE_WORDS} », a répondu la ministre Claire Morel.",
        (
            (FRENCH_WORDS, "Pavel Sorokin", RUSSIAN_ACTOR, "Foreign Minister of Russia", "Russia"),
            (FRANCE_WORDS, "Claire Morel", "Claire Morel", "Foreign Minister of France", "France"),
        ),
    ),
)

_SOURCES = (
    Source("mid-ru", "https://mid-ru.example/feed", "official", "МИД России", side="Russia"),
    Source("wire-en", "https://wire-en.example/feed", "wire", "Meridian Wire"),
    Source("journal-fr", "https://journal-fr.example/feed", "outlet", "Le Journal"),
)


def _article(piece: _Piece, n: int) -> Article:
    url = f"https://{piece.source}.example/2026/11/24/geneva-{n}"
    return Article(
        source=piece.source,
        guid=url,
        url=url,
        title=piece.title,
        summary=piece.text,
        text=piece.text,
        html=None,
        published=NOON + timedelta(minutes=10 * n),
        updated=None,
        language=piece.language,
        author=None,
        content_hash=f"languages-{n}",
        link=url,
    )


def _statement(text: str, quote: tuple[str, str, str, str, str]) -> Statement:
    words, speaker, actor, role, side = quote
    start, at = text.index(words), text.index(speaker)
    return Statement(
        text=words,
        start=start,
        end=start + len(words),
        kind="direct",
        cue="said",
        speaker=speaker,
        speaker_start=at,
        speaker_end=at + len(speaker),
        actor=actor,
        role=role,
        side=side,
    )


def add_multilingual_event(store: Store, settings: Settings) -> None:
    """LANGUAGES_EVENT (see the module docstring) in ``store``, beside ``settings``' sources."""
    store.sync_sources([*settings.to_sources(), *_SOURCES], now=NOON)
    ids: list[int] = []
    for n, piece in enumerate(_PIECES):
        ids += save_articles(store, piece.source, [_article(piece, n)], now=NOON)
        quotes = [_statement(piece.text, quote) for quote in piece.quotes]
        store.replace_statements(ids[-1], quotes, version="test")
    stored = store.statements_for_articles(ids)
    canonical = stored[ids[0]][0].id
    # the English and the French copy of the Russian quotation are the same statement
    store.set_statement_canonicals(
        [(stored[ids[1]][0].id, canonical), (stored[ids[2]][0].id, canonical)]
    )
    span = (NOON, NOON + timedelta(hours=1))
    step = GroupingStep(
        assignments=tuple((str(i), LANGUAGES_EVENT) for i in ids),
        events=(EventUpdate(LANGUAGES_EVENT, RUSSIAN_TITLE, *span),),
    )
    store.save_grouping(step, now=NOON)


@dataclass(frozen=True)
class LanguagesArchive:
    """The served archive and the addresses of the pages about the event."""

    base: str

    def path(self, page: str) -> str:
        """The URL of ``page``: "event", "actor" or "search"."""
        paths = {
            "event": f"/events/{LANGUAGES_EVENT}",
            "actor": f"/actors/{RUSSIAN_SLUG}",
            "search": "/search?q=Женеве",
        }
        return self.base + paths[page]


@contextmanager
def languages_archive(folder: Path) -> Iterator[LanguagesArchive]:
    """The demo day and LANGUAGES_EVENT, served by uvicorn on loopback."""
    settings = demo_settings()
    with open_store(f"sqlite:///{folder / 'archive.db'}") as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
        add_multilingual_event(store, settings)
        app = create_app(store, settings, clock=lambda: NOW)
        with live_server(app) as base:
            yield LanguagesArchive(base)
