"""The web benchmark's store: sources, articles, events, statements and ledger rows, generated.

Used by ``scripts/bench_web.py``; the data is deterministic for a seed and a size::

    words       a vocabulary ranked by frequency (weight 1 / (rank + 10)): 30 common words of
                our own (each in ~3-11 % of statements), 40 place names, then ~20,000 invented
                rare words (each in a few dozen statements)
    actors      2,000 invented names (some with accents), each with a role and a side (about one
                in ten a commentator with no side); how often each speaks is Zipf-like, the
                busiest ~3 % of statements, and 15 % of statements have no resolved actor
    events      one per ~5 articles, sizes skewed (most 1-5 articles, a few up to 300), ids
                ev-000001 … in time order over 180 days; 1 % more were merged into the event
                before them (``merged_into`` set, no articles left, as a merge leaves them)
    statements  ~3 an article (0-6); within an event 30 % repeat an earlier canonical statement
                of the event word for word, stored as a copy (canonical_id)
    ledger      one sent digest a day for two subscriptions

Rows go in with SQLAlchemy Core ``insert()`` by batches, on the schema :func:`open_store`
migrated, so whatever the migrations keep current by trigger or generated column (the search
index) is kept current by these inserts too.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.engine import Connection, Engine

from aggregator.store.schema import (
    article_sources,
    articles,
    digests,
    events,
    sources,
    statements,
)
from aggregator.store.slugs import actor_slug_or_none
from aggregator.store.storable import text_key

END = datetime(2026, 11, 24, 18, tzinfo=UTC)
DAYS = 180
BATCH = 5_000

COMMON = (
    "ceasefire talks border sanctions troops security minister council humanitarian corridor "
    "negotiations aid strike civilians agreement withdrawal envoy summit election refugees "
    "missile drone embassy port grain pipeline referendum occupation offensive shelling"
).split()
PLACES = (
    "Veskaria Oradin Talmor Brisk Kavel Dunmere Ostrava Peltri Sarn Hollin Marrow Tesk Umber "
    "Varna Wexley Yarrow Zell Aldane Corrin Eskar Fennick Gorran Harth Istel Jorvik Kessel "
    "Lorne Mireth Norrow Ponte Quarry Rellan Sable Torvin Ulden Vell Wyth Xandor Ysolde Zarek"
).split()
FILLER = "the of and to in we will not is are our their that this for with on by".split()
SIDES = (
    "Veskaria", "Oradin", "United Nations", "NATO", "European Union", "United States",
    "Russia", "China", "Turkey", "African Union", "OSCE", "Talmor",
)  # fmt: skip
ROLES = (
    "president", "prime minister", "foreign minister", "defence minister", "spokesperson",
    "ambassador", "envoy", "secretary-general", "general", "governor",
)  # fmt: skip
COMMENTATOR_ROLES = ("analyst", "correspondent", "professor", "researcher")
FIRST = (
    "Ana Boris Céline Dmitri Elif Farid Greta Hamid Inès Jonas Katya Leif Miriam Nikos Olga "
    "Pavel Quentin Rosa Selim Tomás Ulla Viktor Wanda Xavier Yusuf Zoë"
).split()
ONSETS = "b br c d dr f g gr h k l m n p pr r s st t tr v w z".split()
NUCLEI = "a e i o u ai au ei ou".split()
CODAS = ["", "n", "r", "l", "s", "th", "nd", "rk", "v", "m"]
SUBSCRIPTIONS = ("daily", "security")
COUNTERS = ("article_count", "source_count", "statement_count", "side_count")


@dataclass(frozen=True)
class Scale:
    """How much to generate."""

    articles: int = 100_000
    statements: int = 300_000
    actors: int = 2_000
    sources: int = 200
    seed: int = 14


@dataclass(frozen=True)
class Vocabulary:
    """Words by frequency rank and their cumulative Zipf weights (for ``random.choices``)."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    @property
    def common(self) -> tuple[str, ...]:
        return self.words[: len(COMMON)]

    @property
    def rare(self) -> tuple[str, ...]:
        return self.words[1_000:]

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


def vocabulary(seed: int, rare: int = 20_000) -> Vocabulary:
    """The common words, the places, then ``rare`` invented words (distinct, deterministic)."""
    rng = random.Random(seed)
    invented: dict[str, None] = {}
    taken = {w.lower() for w in (*COMMON, *PLACES, *FILLER)}
    while len(invented) < rare:
        word = "".join(
            rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)
            for _ in range(rng.randint(2, 3))
        )
        if word not in taken:
            invented[word] = None
    words = (*COMMON, *PLACES, *invented)
    weights = [1 / (rank + 10) for rank in range(1, len(words) + 1)]
    return Vocabulary(words, tuple(accumulate(weights)))


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    side: str | None  # None: a commentator

    @property
    def slug(self) -> str:
        return actor_slug_or_none(self.name) or ""


def make_actors(rng: random.Random, words: Vocabulary, count: int) -> list[Actor]:
    """``count`` actors with distinct names (and so distinct slugs)."""
    found: dict[str, Actor] = {}
    while len(found) < count:
        surname = rng.choice(words.rare).capitalize()
        name = f"{rng.choice(FIRST)} {surname}"
        if rng.random() < 0.1:
            found.setdefault(name, Actor(name, rng.choice(COMMENTATOR_ROLES), None))
        else:
            found.setdefault(name, Actor(name, rng.choice(ROLES), rng.choice(SIDES)))
    return list(found.values())


@dataclass
class Counts:
    """What an event's counters say (as the grouping stage's recount computes them)."""

    articles: int = 0
    sources: set[int] = field(default_factory=set)
    canonicals: int = 0
    sides: set[str] = field(default_factory=set)


@dataclass
class Generator:
    """Turns a :class:`Scale` into batches of rows, table by table (parents first)."""

    scale: Scale
    rng: random.Random = field(init=False)
    words: Vocabulary = field(init=False)
    actors: list[Actor] = field(init=False)
    actor_weights: list[float] = field(init=False)
    article_id: int = 0  # the last one made
    statement_id: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.scale.seed)
        self.words = vocabulary(self.scale.seed)
        self.actors = make_actors(self.rng, self.words, self.scale.actors)
        self.actor_weights = list(accumulate(1 / (r + 5) for r in range(len(self.actors))))

    def source_rows(self) -> list[dict[str, Any]]:
        kinds = ("official", "wire", "outlet")
        return [
            {
                "id": i,
                "name": f"source-{i:03d}",
                "url": f"https://source-{i:03d}.example.org/feed",
                "configured_url": f"https://source-{i:03d}.example.org/feed",
                "kind": kinds[i % 3],
                "publisher": f"Publisher {i}",
                "side": SIDES[i % len(SIDES)] if i % 3 == 1 else None,
                "language": "en",
                "interval_seconds": 900,
                "fulltext": False,
                "enabled": True,
                "next_poll_at": END,
                "consecutive_failures": 0,
                "created_at": END - timedelta(days=DAYS),
                "updated_at": END,
            }
            for i in range(1, self.scale.sources + 1)
        ]

    def event_sizes(self) -> list[int]:
        """Articles per event: skewed (Pareto), mean about 5, at most 300; sums to the scale."""
        sizes: list[int] = []
        left = self.scale.articles
        while left > 0:
            size = min(left, 300, max(1, int(self.rng.paretovariate(1.6) * 2)))
            sizes.append(size)
            left -= size
        return sizes

    def statement_counts(self) -> list[int]:
        """Statements per article, 0 to twice the mean, summing to the scale exactly."""
        n, total = self.scale.articles, self.scale.statements
        mean = total // n
        counts = [self.rng.randint(0, 2 * mean) for _ in range(n)]
        diff = total - sum(counts)
        while diff:
            i = self.rng.randrange(n)
            if diff > 0:
                counts[i] += 1
                diff -= 1
            elif counts[i] > 0:
                counts[i] -= 1
                diff += 1
        return counts

    def sentence(self, k: int) -> str:
        """``k`` words of the vocabulary with filler words between, as one sentence."""
        parts: list[str] = []
        for word in self.words.draw(self.rng, k):
            if self.rng.random() < 0.6:
                parts.append(self.rng.choice(FILLER))
            parts.append(word)
        return (" ".join(parts) + ".").capitalize()

    def actor(self) -> Actor | None:
        if self.rng.random() < 0.15:
            return None
        return self.rng.choices(self.actors, cum_weights=self.actor_weights)[0]

    def rows(self) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
        """Every row, in batches of whole events (events, articles and their links,
        statements), then the ledger."""
        sizes = self.event_sizes()
        per_article = iter(self.statement_counts())
        step = timedelta(days=DAYS) / max(1, len(sizes))
        start = END - timedelta(days=DAYS)
        pending: dict[Table, list[dict[str, Any]]] = {
            table: [] for table in (events, articles, article_sources, statements)
        }
        number = 0
        for e, size in enumerate(sizes, start=1):
            number += 1
            live = f"ev-{number:06d}"
            rows = self.one_event(live, start + step * e, [next(per_article) for _ in range(size)])
            if e % 100 == 0:
                number += 1
                absorbed = {**rows[events][0], "id": f"ev-{number:06d}", "merged_into": live}
                rows[events].append(absorbed | dict.fromkeys(COUNTERS, 0))
            for table, new in rows.items():
                pending[table] += new
            if len(pending[statements]) >= BATCH or len(pending[articles]) >= BATCH:
                yield from self.flush(pending)
        yield from self.flush(pending)
        yield digests, self.ledger_rows()

    def one_event(
        self, event_id: str, centre: datetime, said_per_article: list[int]
    ) -> dict[Table, list[dict[str, Any]]]:
        """An event's row, its articles (one per item of ``said_per_article``, that many
        statements each), their links and statements."""
        rows: dict[Table, list[dict[str, Any]]] = {
            table: [] for table in (events, articles, article_sources, statements)
        }
        counts = Counts()
        said: list[dict[str, Any]] = []  # the event's canonical statements so far
        times: list[datetime] = []
        for statement_count in said_per_article:
            self.article_id += 1
            when = centre + timedelta(minutes=self.rng.randrange(0, 36 * 60))
            times.append(when)
            source_id = self.rng.randint(1, self.scale.sources)
            counts.sources.add(source_id)
            quotes = []
            for seq in range(statement_count):
                self.statement_id += 1
                row = self.statement(self.statement_id, self.article_id, seq, said, when)
                quotes.append(row["text"])
                if row["canonical_id"] is None:
                    said.append(row)
                if row["side"] is not None:
                    counts.sides.add(row["side"])
                rows[statements].append(row)
            article, link = self.article(self.article_id, event_id, source_id, when, quotes)
            rows[articles].append(article)
            rows[article_sources].append(link)
        counts.articles, counts.canonicals = len(times), len(said)
        rows[events].append(self.event(event_id, min(times), max(times), counts))
        return rows

    def flush(
        self, pending: dict[Table, list[dict[str, Any]]]
    ) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
        # parents first: articles refer to events, statements to articles, copies to earlier
        # statements
        for table in (events, articles, article_sources, statements):
            if pending[table]:
                yield table, pending[table]
                pending[table] = []

    def article(
        self, article_id: int, event_id: str, source_id: int, when: datetime, quotes: list[str]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        title = self.sentence(self.rng.randint(5, 9)).rstrip(".")
        body = [self.sentence(self.rng.randint(8, 14)) for _ in range(3)]
        body[1:1] = [f'"{q}"' for q in quotes]
        url = f"https://source-{source_id:03d}.example.org/news/{article_id}"
        guid = f"{url}#guid"
        article = {
            "id": article_id,
            "canonical_url": url,
            "url_key": text_key(url),
            "title": title,
            "summary": body[0],
            "text": "\n\n".join(body),
            "author": None,
            "language": "en",
            "published_at": when,
            "first_seen_at": when,
            "last_changed_at": when,
            "content_hash": f"bench-{article_id}",
            "primary_source_id": source_id,
            "event_id": event_id,
            "extracted_version": "bench",
            "grouped_at": END,
        }
        link = {
            "source_id": source_id,
            "guid_key": text_key(guid),
            "guid": guid,
            "article_id": article_id,
            "link": url,
            "content_hash": f"bench-{article_id}",
            "first_seen_at": when,
            "last_seen_at": when,
        }
        return article, link

    def statement(
        self,
        statement_id: int,
        article_id: int,
        seq: int,
        said: Sequence[dict[str, Any]],
        when: datetime,
    ) -> dict[str, Any]:
        """A new canonical statement or (30 % once the event has some) a copy of one."""
        if said and self.rng.random() < 0.3:
            original = self.rng.choice(said)
            content = {k: original[k] for k in ("text", "kind", "speaker", "actor", "role")}
            content |= {
                "actor_slug": original["actor_slug"],
                "side": original["side"],
                "commentary": original["commentary"],
                "canonical_id": original["id"],
            }
        else:
            actor = self.actor()
            content = {
                "text": self.sentence(self.rng.randint(8, 14)),
                "kind": self.rng.choice(("direct", "direct", "indirect", "mixed")),
                "speaker": actor.name if actor else "a spokesperson",
                "actor": actor.name if actor else None,
                "actor_slug": actor.slug if actor else None,
                "role": actor.role if actor else None,
                "side": actor.side if actor else None,
                "commentary": actor is not None and actor.side is None,
                "canonical_id": None,
            }
        return {
            "id": statement_id,
            "article_id": article_id,
            "seq": seq,
            "start": 0,
            "end": len(content["text"]),
            "cue": "said",
            "created_at": when,
            "article_time": when,
            **content,
        }

    def event(
        self, event_id: str, first: datetime, last: datetime, counts: Counts
    ) -> dict[str, Any]:
        return {
            "id": event_id,
            "title": self.sentence(self.rng.randint(4, 7)).rstrip("."),
            "first_seen_at": first,
            "last_seen_at": last,
            "article_count": counts.articles,
            "source_count": len(counts.sources),
            "statement_count": counts.canonicals,
            "side_count": len(counts.sides),
            "merged_into": None,
            "created_at": first,
            "updated_at": last,
        }

    def ledger_rows(self) -> list[dict[str, Any]]:
        rows = []
        for subscription in SUBSCRIPTIONS:
            for day in range(1, 31):
                start = (END - timedelta(days=day)).replace(hour=0)
                rows.append(
                    {
                        "subscription": subscription,
                        "period_label": start.date().isoformat(),
                        "period_start": start,
                        "period_end": start + timedelta(days=1),
                        "status": "sent",
                        "attempts": 1,
                        "message_id": f"<{subscription}-{day}@bench.example.org>",
                        "eml": "Subject: digest\n\n(bench)",
                        "created_at": start + timedelta(days=1, hours=6),
                        "updated_at": start + timedelta(days=1, hours=6),
                        "sent_at": start + timedelta(days=1, hours=6),
                    }
                )
        return rows


def populate(engine: Engine, scale: Scale) -> dict[str, int]:
    """Insert the generated rows into the migrated, empty database; returns rows a table."""
    generator = Generator(scale)
    inserted: dict[str, int] = {}
    with engine.begin() as conn:
        conn.execute(insert(sources), generator.source_rows())
        inserted["sources"] = scale.sources
        for table, rows in generator.rows():
            conn.execute(insert(table), rows)
            inserted[table.name] = inserted.get(table.name, 0) + len(rows)
        if conn.dialect.name == "postgresql":
            reset_sequences(conn, (sources, articles, statements, digests))
    if engine.dialect.name == "postgresql":
        # the statistics autovacuum gathers soon after a load like this one: without them the
        # planner guesses (an event of 810 articles) and scans whole tables
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return inserted


def reset_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    """After explicit ids, PostgreSQL's serial sequences must start past them."""
    for table in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
            )
        )


def timed_populate(engine: Engine, scale: Scale) -> tuple[dict[str, int], float]:
    """:func:`populate`, and how many seconds it took."""
    began = time.perf_counter()
    inserted = populate(engine, scale)
    return inserted, time.perf_counter() - began
