#!/usr/bin/env python
"""Measure event grouping on real corpora (see docs/evaluation/grouping.md).

1. ECB+ (``ecbplus-dev``): BCubed precision / recall / F1 of the streamed clustering
   (:func:`aggregator.group.cluster_stream`, the code path of ``aggregator cluster``), in file
   order and in a shuffled order with a fixed seed; in the same run, the batch reference:
   scikit-learn TF-IDF + average-link agglomerative clustering (cosine), its distance threshold
   tuned on the same data (the best F1 over a grid, printed with the threshold).
2. gva-dev (``gva-dev``): dated US local news, several outlets per gun-violence incident;
   BCubed of the streamed clustering in date order (the recall that multi-outlet stories need).
3. realfeeds, the two busiest days (2026-02-16 and 2026-02-17), hand-labelled by us
   (``scripts/data/realfeeds_events_gold.jsonl``: which articles report the same event, keyed by
   feed file, guid and canonical URL): BCubed over each day's articles, all 45 feeds streamed in
   the order the pipeline groups them (publication time), with the actors of their statements.
   The 17th is the day we tune on; the 16th is held out.
4. realfeeds, the same-day outlets: how many cross-outlet events form, near-duplicate copies,
   merged statements, with samples for a human to judge.
5. crosslang (``tests/data/crosslang/events.jsonl``, our own writing): the same events reported
   in English, French and Russian (and some German, Spanish, Ukrainian), with hard negatives;
   BCubed per part (``dev``, tuned on; ``held-out``, only reported), each streamed on its own
   in publication order through ``cluster_stream`` with the articles' languages, the same
   with the comparison across languages turned off (``cross_threshold=0``) for scale, and
   through ``Grouper`` with the actors of the statements extracted in each language, as the
   pipeline groups.

    .venv/bin/python scripts/evaluate_grouping.py                 # everything
    .venv/bin/python scripts/evaluate_grouping.py --topics 1-5 --no-feeds
    .venv/bin/python scripts/evaluate_grouping.py --set crosslang
    .venv/bin/python scripts/evaluate_grouping.py --set ecbplus --set gva --no-batch
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.group import (  # noqa: E402
    EventConfig,
    GroupDoc,
    Grouper,
    StatementMerger,
    cluster_stream,
)

DEFAULT_CORPORA = Path(os.environ.get("AGGREGATOR_CORPORA", ROOT.parent / "shared" / "corpora"))


@dataclass(frozen=True)
class Scores:
    """BCubed precision, recall and F1."""

    precision: float
    recall: float
    f1: float

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """BCubed over the items of ``gold`` (each item's cluster overlap, averaged)."""
    by_predicted: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item, label in predicted.items():
        by_predicted[label].add(item)
    for item, label in gold.items():
        by_gold[label].add(item)
    precision = recall = 0.0
    for item in gold:
        mine, truth = by_predicted[predicted[item]], by_gold[gold[item]]
        common = len(mine & truth)
        precision += common / len(mine)
        recall += common / len(truth)
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def parse_topics(spec: str | None) -> set[int] | None:
    """ "1-5,9" -> {1, 2, 3, 4, 5, 9}; None -> all topics."""
    if not spec:
        return None
    topics: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.partition("-")
        topics.update(range(int(low), int(high or low) + 1))
    return topics


def load_ecbplus(corpora: Path, topics: set[int] | None) -> list[dict[str, str]]:
    """ECB+ documents in file order, optionally only some topics."""
    path = corpora / "ecbplus-dev" / "ecbplus_docs.jsonl"
    if not path.is_file():
        raise SystemExit(f"missing corpus: {path} (set AGGREGATOR_CORPORA)")
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [r for r in records if topics is None or int(r["topic"]) in topics]


def stream_labels(records: Iterable[dict[str, str]], config: EventConfig) -> dict[str, str]:
    """Doc id -> event id from the streamed clustering; ECB+ has no dates ("same time")."""
    docs = (GroupDoc(r["doc_id"], r.get("title_guess") or "", r["text"]) for r in records)
    return dict(cluster_stream(docs, config))


def batch_reference(records: list[dict[str, str]], gold: Mapping[str, str]) -> tuple[float, Scores]:
    """TF-IDF + average-link agglomerative (cosine); the distance threshold with the best F1."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [(r.get("title_guess") or "") + "\n" + r["text"] for r in records]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dense = matrix.toarray()
    best: tuple[float, Scores] | None = None
    for step in range(25, 50):  # distance thresholds 0.50 .. 0.98
        threshold = step / 50
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        ).fit_predict(dense)
        predicted = {r["doc_id"]: str(label) for r, label in zip(records, labels, strict=True)}
        scores = bcubed(predicted, gold)
        if best is None or scores.f1 > best[1].f1:
            best = (threshold, scores)
    assert best is not None
    return best


def evaluate_ecbplus(
    corpora: Path,
    topics: set[int] | None,
    seed: int,
    config: EventConfig,
    batch: bool,
    spread: tuple[int, ...] = (),
) -> dict[str, object]:
    """Scores of the streamed clustering (two orders, plus one per ``spread`` seed) and of the
    batch reference."""
    records = load_ecbplus(corpora, topics)
    gold = {r["doc_id"]: str(r["event_cluster"]) for r in records}
    shuffled = records[:]
    random.Random(seed).shuffle(shuffled)
    started = time.perf_counter()
    in_order = bcubed(stream_labels(records, config), gold)
    elapsed = time.perf_counter() - started
    shuffled_scores = bcubed(stream_labels(shuffled, config), gold)
    result: dict[str, object] = {
        "documents": len(records),
        "events": len(set(gold.values())),
        "file_order": in_order,
        "shuffled": shuffled_scores,
        "seconds": elapsed,
    }
    orders: list[tuple[str, Scores]] = [("file", in_order)]
    for other in spread:
        permuted = records[:]
        random.Random(other).shuffle(permuted)
        scores = shuffled_scores if other == seed else bcubed(stream_labels(permuted, config), gold)
        orders.append((f"seed {other}", scores))
    result["orders"] = orders
    if batch:
        result["batch"] = batch_reference(records, gold)
    return result


def load_gva(corpora: Path) -> list[dict[str, str]]:
    """gva-dev articles in date order (file order within a day, as a feed poll would list them)."""
    path = corpora / "gva-dev" / "gva_dev.jsonl"
    if not path.is_file():
        raise SystemExit(f"missing corpus: {path} (set AGGREGATOR_CORPORA)")
    first: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                # a dozen articles are linked to two incidents: an article is one item, kept
                # with its first incident
                first.setdefault(record["id"], record)
    return sorted(first.values(), key=lambda r: r["published"])  # a stable sort


def evaluate_gva(corpora: Path, config: EventConfig) -> dict[str, object]:
    """BCubed of the streamed clustering over gva-dev, in date order, with the dates (so the
    time decay and the 7-day window act as in the pipeline) and the outlet as source."""
    records = load_gva(corpora)
    gold = {r["id"]: str(r["gold"]) for r in records}
    docs = (
        GroupDoc(
            r["id"],
            r.get("title") or "",
            r["text"],
            datetime.fromisoformat(r["published"]).replace(tzinfo=UTC),
            r.get("source"),
        )
        for r in records
    )
    started = time.perf_counter()
    predicted = dict(cluster_stream(docs, config))
    elapsed = time.perf_counter() - started
    return {
        "documents": len(records),
        "incidents": len(set(gold.values())),
        "scores": bcubed(predicted, gold),
        "events": len(set(predicted.values())),
        "seconds": elapsed,
    }


CROSSLANG = ROOT / "tests" / "data" / "crosslang" / "events.jsonl"


def evaluate_crosslang(config: EventConfig, path: Path = CROSSLANG) -> dict[str, dict[str, object]]:
    """BCubed of each part of the cross-language set, streamed on its own in publication order
    (with languages), with the comparison across languages on (``config``) and off."""
    from aggregator.group import read_jsonl

    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    docs = {doc.id: doc for doc in read_jsonl(path)}
    result: dict[str, dict[str, object]] = {}
    parts = sorted({r["split"] for r in records})
    for part in [*parts, "both parts in one stream"]:
        rows = sorted(
            (r for r in records if r["split"] == part or part not in parts),
            key=lambda r: r["published"],
        )
        gold = {r["id"]: r["event"] for r in rows}
        stream = [docs[r["id"]] for r in rows]
        started = time.perf_counter()
        predicted = dict(cluster_stream(stream, config))
        elapsed = time.perf_counter() - started
        text_only = dict(cluster_stream(stream, replace(config, cross_threshold=0.0)))
        with_actors = _grouped_with_actors(stream, config)
        result[part] = {
            "articles": len(rows),
            "events": len(set(gold.values())),
            "languages": dict(Counter(r["language"] for r in rows)),
            "scores": bcubed(predicted, gold),
            "predicted_events": len(set(predicted.values())),
            "text_only": bcubed(text_only, gold),
            "with_actors": bcubed(with_actors, gold),
            "seconds": elapsed,
            "errors": _crosslang_errors(rows, predicted),
        }
    return result


def _grouped_with_actors(docs: list[GroupDoc], config: EventConfig) -> dict[str, str]:
    """Doc id -> final event, each document grouped with the resolved actors of the statements
    extracted from it in its language, as pipeline/process.py groups articles."""
    from aggregator.extract import extract_statements, quoted_actors

    grouper = Grouper(config)
    survivor: dict[str, str] = {}
    events: dict[str, str] = {}
    for doc in docs:
        found = extract_statements(doc.text, language=doc.language)
        grouper.add(doc, actors=quoted_actors(found))
        step = grouper.flush()
        survivor.update(step.merges)
        events.update(step.assignments)

    def final(event_id: str) -> str:
        while event_id in survivor:
            event_id = survivor[event_id]
        return event_id

    return {doc_id: final(event_id) for doc_id, event_id in events.items()}


def _crosslang_errors(rows: list[dict[str, str]], predicted: Mapping[str, str]) -> list[str]:
    """One line per predicted event that mixes gold events or per gold event split up."""
    lines = []
    by_event: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_event[predicted[r["id"]]].append(r["id"])
    gold = {r["id"]: r["event"] for r in rows}
    for members in by_event.values():
        events = {gold[m] for m in members}
        if len(events) > 1:
            lines.append("lumped: " + ", ".join(members))
    for event in dict.fromkeys(gold.values()):
        parts = {predicted[i] for i, e in gold.items() if e == event}
        if len(parts) > 1:
            groups = [[i for i in gold if predicted[i] == p and gold[i] == event] for p in parts]
            lines.append(f"split {event}: " + " | ".join(", ".join(g) for g in groups))
    return lines


def print_crosslang_statements(path: Path = CROSSLANG) -> None:
    """The statements of the cross-language set merged across languages (each report's
    statements extracted in its language, merged within its gold event), for a human to judge."""
    from aggregator.extract import extract_statements
    from aggregator.group import read_jsonl

    with path.open(encoding="utf-8") as handle:
        gold = {r["id"]: r["event"] for r in map(json.loads, handle) if r}
    merger = StatementMerger()
    said: dict[str, tuple[str | None, str, str | None]] = {}
    merged: list[tuple[str, str]] = []
    for doc in sorted(read_jsonl(path), key=lambda d: d.published or datetime.min):
        for n, found in enumerate(extract_statements(doc.text, language=doc.language)):
            statement_id = f"{doc.id}#{n}"
            said[statement_id] = (found.actor, found.text, doc.language)
            canonical = merger.add(
                statement_id,
                speaker=found.actor or found.speaker,
                text=found.text,
                kind=found.kind,
                language=doc.language,
                event=gold[doc.id],
            )
            if canonical != statement_id:
                merged.append((statement_id, canonical))
    across = [(a, c) for a, c in merged if said[a][2] != said[c][2]]
    print(
        f"\nstatements: {len(said)} extracted, {sum(1 for s in said.values() if s[0])} with a "
        f"resolved actor; merged across languages: {len(across)} (for a human to judge)"
    )
    for copy, canonical in across:
        actor, text, language = said[copy]
        print(f"  {actor}: [{language}] {text[:80]}")
        print(f"      = [{said[canonical][2]}] {said[canonical][1][:80]}")


def print_crosslang(config: EventConfig) -> None:
    """The cross-language set's figures, per part."""
    print("\n## crosslang (tests/data/crosslang, our own writing; tuned on dev, held-out reported)")
    for part, figures in evaluate_crosslang(config).items():
        print(
            f"{part} ({figures['articles']} articles, {figures['events']} events, "
            f"{figures['languages']}): {figures['scores']}  "
            f"({figures['predicted_events']} events, {figures['seconds']:.2f}s)"
        )
        print(f"    text alone (cross_threshold=0): {figures['text_only']}")
        print(f"    with the extracted statements' actors: {figures['with_actors']}")
        if part == "dev":  # the held-out part's mistakes are not looked at (nothing is tuned)
            for line in figures["errors"]:  # type: ignore[attr-defined]
                print(f"    {line}")


GOLD_EVENTS = ROOT / "scripts" / "data" / "realfeeds_events_gold.jsonl"


def load_gold_events(path: Path = GOLD_EVENTS) -> list[dict[str, str]]:
    """Our labels of the two busiest realfeeds days (see docs/evaluation/grouping.md)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def pipeline_articles(corpora: Path) -> list[tuple[str, str, object]]:
    """(feed file, source, Article) for every entry of the 45 realfeeds captures, one per
    canonical URL (the store keeps one article per URL; the first feed in manifest order is its
    source), in the order the pipeline groups them: publication time, undated last. The source
    is the feed's site: the White House snapshots are one feed polled eleven times."""
    from aggregator.parse.feed import parse_feed

    manifest = json.loads((corpora / "realfeeds" / "manifest.json").read_text(encoding="utf-8"))
    found: dict[str, tuple[str, str, object]] = {}
    for item in manifest:
        path = corpora / "realfeeds" / item["file"]
        parsed = parse_feed(path.read_bytes(), source=Path(item["file"]).stem)
        for article in parsed.articles:
            key = article.url or f"{item['file']}#{article.guid}"
            found.setdefault(key, (item["file"], item["source_site"], article))
    return sorted(found.values(), key=lambda entry: _published_key(entry[2]))


def evaluate_realfeeds_gold(
    corpora: Path, config: EventConfig, *, languages: bool = True
) -> dict[str, dict[str, object]]:
    """BCubed per labelled day: the whole realfeeds stream grouped as the pipeline groups it
    (:class:`Grouper`, with the resolved actors of each article's statements and, unless
    ``languages`` is off, each article's language), scored over the articles each day's labels
    cover."""
    from aggregator.extract import extract_statements, quoted_actors

    labels = load_gold_events()
    grouper = Grouper(config)
    survivor: dict[str, str] = {}
    events: dict[str, str] = {}
    for file, source, article in pipeline_articles(corpora):
        doc_id = f"{file}#{article.guid}"  # type: ignore[attr-defined]
        text = article.text or article.summary  # type: ignore[attr-defined]
        actors = quoted_actors(extract_statements(text))
        doc = GroupDoc(
            doc_id,
            article.title,  # type: ignore[attr-defined]
            text,
            article.published,  # type: ignore[attr-defined]
            source,
            article.language if languages else None,  # type: ignore[attr-defined]
        )
        grouper.add(doc, actors=actors)
        step = grouper.flush()
        survivor.update(step.merges)
        events.update(step.assignments)  # the article's own event, then a repair's moves

    def final(event_id: str) -> str:
        while event_id in survivor:
            event_id = survivor[event_id]
        return event_id

    result: dict[str, dict[str, object]] = {}
    for day in sorted({r["day"] for r in labels}):
        gold = {f"{r['file']}#{r['guid']}": r["event"] for r in labels if r["day"] == day}
        missing = [doc_id for doc_id in gold if doc_id not in events]
        if missing:
            raise SystemExit(f"labelled articles not in the corpus: {missing[:3]}")
        predicted = {doc_id: final(events[doc_id]) for doc_id in gold}
        split = next(r["split"] for r in labels if r["day"] == day)
        result[day] = {
            "split": split,
            "articles": len(gold),
            "events": len(set(gold.values())),
            "scores": bcubed(predicted, gold),
        }
    return result


def feed_articles(corpora: Path) -> list[tuple[str, object]]:
    """(outlet, Article) for every entry of the same-day outlets, in publication order."""
    from aggregator.parse.feed import parse_feed

    manifest = json.loads((corpora / "realfeeds" / "manifest.json").read_text(encoding="utf-8"))
    found: list[tuple[str, object]] = []
    for item in manifest:
        if item.get("origin_repo") != "kagisearch/fastfeedparser":
            continue  # only the same-day (13-18 Feb 2026) multi-outlet snapshot
        path = corpora / "realfeeds" / item["file"]
        outlet = Path(item["file"]).stem
        parsed = parse_feed(path.read_bytes(), source=outlet)
        found.extend((outlet, article) for article in parsed.articles)
    return sorted(found, key=lambda pair: (_published_key(pair[1]), pair[0]))


def _published_key(article: object) -> str:
    published = getattr(article, "published", None)
    return published.isoformat() if published is not None else "9999"


def evaluate_feeds(corpora: Path, config: EventConfig, sample: int) -> None:
    """Cross-outlet events, copies and merged statements on the same-day outlets, printed."""
    pairs = feed_articles(corpora)
    grouper = Grouper(config)
    survivor: dict[str, str] = {}
    events: dict[str, str] = {}
    outlets_of: dict[str, tuple[str, str]] = {}
    texts: list[tuple[str, str, str]] = []  # (outlet, doc id, text) for the statements part
    copies = moved = 0
    for outlet, article in pairs:
        doc_id = f"{outlet}:{article.guid}"  # type: ignore[attr-defined]
        title = article.title  # type: ignore[attr-defined]
        text = article.text or article.summary  # type: ignore[attr-defined]
        doc = GroupDoc(doc_id, title, text, article.published, outlet)  # type: ignore[attr-defined]
        assignment = grouper.add(doc)
        step = grouper.flush()
        survivor.update(step.merges)
        copies += assignment.duplicate_of is not None
        events[doc_id] = assignment.event_id
        moves = step.assignments[1:]  # a repair split these off into a new event
        events.update(moves)
        moved += len(moves)
        outlets_of[doc_id] = (outlet, title)
        texts.append((outlet, doc_id, text))

    def final(event_id: str) -> str:
        while event_id in survivor:
            event_id = survivor[event_id]
        return event_id

    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc_id, event_id in events.items():
        members[final(event_id)].append(outlets_of[doc_id])
    cross = {e: m for e, m in members.items() if len({o for o, _ in m}) >= 2}
    sizes = Counter(len({o for o, _ in m}) for m in cross.values())
    print(f"\n## realfeeds same-day outlets ({len({o for o, _ in pairs})} feeds)")
    print(
        f"articles {len(pairs)}, near-duplicate copies {copies}, events {len(members)}, "
        f"articles moved by repairs {moved}"
    )
    print(
        f"cross-outlet events (>= 2 outlets): {len(cross)}; by number of outlets: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(sizes.items()))
    )
    ranked = sorted(cross.items(), key=lambda kv: (-len({o for o, _ in kv[1]}), kv[0]))
    for event_id, items in ranked[:sample]:
        print(f"\n- {event_id} ({len({o for o, _ in items})} outlets, {len(items)} articles)")
        for outlet, title in items[:8]:
            print(f"    {outlet}: {title[:110]}")
    evaluate_statements(texts, sample)


def evaluate_statements(texts: list[tuple[str, str, str]], sample: int) -> None:
    """Statements extracted from the same articles, merged across outlets, printed."""
    try:
        from aggregator.extract import extract_statements

        extracted = [(o, d, extract_statements(text)) for o, d, text in texts]
    except Exception as exc:  # the extract stage is developed in parallel; report, don't hide
        print(f"\nstatements: skipped, extraction failed: {type(exc).__name__}: {exc}")
        return
    merger = StatementMerger()
    reporters: dict[str, set[tuple[str, str]]] = defaultdict(set)
    wording: dict[str, tuple[str, str]] = {}
    statements = 0
    for outlet, doc_id, found in extracted:
        for number, statement in enumerate(found):
            statements += 1
            speaker = statement.actor or statement.speaker
            canonical = merger.add(
                f"{doc_id}#{number}", speaker=speaker, text=statement.text, kind=statement.kind
            )
            reporters[canonical].add((outlet, doc_id))
            wording.setdefault(canonical, (speaker or "?", statement.text))
    merged = {c: r for c, r in reporters.items() if len(r) >= 2}
    across = {c: r for c, r in merged.items() if len({o for o, _ in r}) >= 2}
    print(
        f"\nstatements {statements}, canonical {len(reporters)}, carried by >= 2 articles: "
        f"{len(merged)}, by >= 2 outlets: {len(across)}"
    )
    for canonical, who in sorted(merged.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:sample]:
        speaker, text = wording[canonical]
        outlets = ", ".join(sorted({o for o, _ in who}))
        print(f'- {speaker}: "{text[:140]}" — reported by {len(who)} articles ({outlets})')


def print_ecbplus(args: argparse.Namespace, config: EventConfig, spread: tuple[int, ...]) -> None:
    """The ECB+ figures: file order, shuffled orders, the batch reference."""
    result = evaluate_ecbplus(
        args.corpora, parse_topics(args.topics), args.seed, config, not args.no_batch, spread
    )
    print(f"## ECB+ ({result['documents']} documents, {result['events']} events)")
    print(f"streamed, file order:      {result['file_order']}  ({result['seconds']:.1f}s)")
    print(f"streamed, shuffled (seed {args.seed}): {result['shuffled']}")
    orders: list[tuple[str, Scores]] = result["orders"]  # type: ignore[assignment]
    if len(orders) > 1:
        f1 = [scores.f1 for _, scores in orders]
        print(
            f"streamed, {len(orders)} orders (file, seeds {args.spread}): F1 mean "
            f"{sum(f1) / len(f1):.3f}, min {min(f1):.3f}, max {max(f1):.3f}"
        )
        for name, scores in orders:
            print(f"    {name:>8}: {scores}")
    if "batch" in result:
        tuned: tuple[float, Scores] = result["batch"]  # type: ignore[assignment]
        print(f"batch TF-IDF + average link, tuned distance threshold {tuned[0]:.2f}: {tuned[1]}")


#: the sets ``--set`` names: ECB+, gva-dev, the labelled realfeeds days, the same-day outlets
#: and the cross-language set
SETS = ("ecbplus", "gva", "realfeeds", "feeds", "crosslang")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--topics", help='ECB+ topics, e.g. "1-5,9" (default: all)')
    parser.add_argument("--seed", type=int, default=13, help="seed of the shuffled order")
    parser.add_argument(
        "--spread",
        default="1,2,3,4,5,13",
        help="seeds of more shuffled orders, for the mean and spread of F1 ('' for none)",
    )
    parser.add_argument("--threshold", type=float, help="override EventConfig.threshold")
    parser.add_argument(
        "--no-repair", action="store_true", help="turn the event repair off (split_min=0)"
    )
    parser.add_argument("--no-batch", action="store_true", help="skip the batch reference")
    parser.add_argument("--no-feeds", action="store_true", help="skip the realfeeds part")
    parser.add_argument("--no-gva", action="store_true", help="skip the gva-dev part")
    parser.add_argument("--no-ecb", action="store_true", help="skip the ECB+ part")
    parser.add_argument("--no-gold", action="store_true", help="skip the labelled realfeeds days")
    parser.add_argument("--sample", type=int, default=10, help="samples to print")
    parser.add_argument(
        "--set",
        action="append",
        choices=SETS,
        help="run only these sets (repeatable; default: every set)",
    )
    parser.add_argument(
        "--cross-threshold", type=float, help="override EventConfig.cross_threshold"
    )
    parser.add_argument("--cross-ratio", type=float, help="override EventConfig.cross_ratio")
    parser.add_argument(
        "--merge-threshold", type=float, help="override EventConfig.merge_threshold"
    )
    parser.add_argument(
        "--merge-headline-threshold",
        type=float,
        help="override EventConfig.merge_headline_threshold (0 turns it off)",
    )
    args = parser.parse_args(argv)
    if args.set:
        chosen = set(args.set)
        args.no_ecb = "ecbplus" not in chosen
        args.no_gva = "gva" not in chosen
        args.no_gold = "realfeeds" not in chosen
        args.no_feeds = "feeds" not in chosen
        args.no_crosslang = "crosslang" not in chosen
    else:
        args.no_crosslang = False
    config = EventConfig()
    if args.threshold is not None:
        config = replace(config, threshold=args.threshold)
    if args.no_repair:
        config = replace(config, split_min=0)
    if args.cross_threshold is not None:
        config = replace(config, cross_threshold=args.cross_threshold)
    if args.cross_ratio is not None:
        config = replace(config, cross_ratio=args.cross_ratio)
    if args.merge_threshold is not None:
        config = replace(config, merge_threshold=args.merge_threshold)
    if args.merge_headline_threshold is not None:
        config = replace(config, merge_headline_threshold=args.merge_headline_threshold)
    spread = tuple(int(seed) for seed in args.spread.split(",") if seed.strip())
    print(f"settings: {config}")
    if not args.no_ecb:
        print_ecbplus(args, config, spread)
    if not args.no_gva:
        gva = evaluate_gva(args.corpora, config)
        print(f"\n## gva-dev ({gva['documents']} articles, {gva['incidents']} incidents)")
        print(
            f"streamed in date order: {gva['scores']}  ({gva['events']} events, "
            f"{gva['seconds']:.1f}s)"
        )
    if not args.no_gold:
        print("\n## realfeeds, the two labelled days (all 45 feeds streamed as the pipeline does)")
        for languages in (True, False):
            print("with the articles' languages" if languages else "without languages (text alone)")
            for day, figures in evaluate_realfeeds_gold(
                args.corpora, config, languages=languages
            ).items():
                print(
                    f"    {day} ({figures['split']}): {figures['scores']}  "
                    f"({figures['articles']} articles, {figures['events']} gold events)"
                )
    if not args.no_crosslang:
        print_crosslang(config)
        print_crosslang_statements()
    if not args.no_feeds:
        evaluate_feeds(args.corpora, config, args.sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
