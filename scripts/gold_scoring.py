"""The multilingual statement gold (tests/data/gold_statements/): scoring.

Used by ``scripts/evaluate_statements.py --lang xx [--split dev|test]``; the format is in
tests/data/gold_statements/README.md, and the items' texts are read with the gold's own
``scripts/gold_statements.py`` (a written text file, or the realfeeds entry found by feed and
canonical URL as the pipeline parses it), each checked against its ``text_sha``.

A predicted statement matches a gold one when their content spans overlap by >= 0.3 (shared
characters / length of the longer span), one-to-one, best overlap first; speaker accuracy
counts the matched statements whose predicted ``actor`` equals the gold ``actor`` (case- and
accent-insensitive) or whose speaker span overlaps the gold speaker span; side accuracy the
matched statements whose side equals the gold side (no side on both counts as equal).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import gold_statements
from gold_statements import GOLD

from aggregator.model import Statement

LANGUAGES = ("ru", "uk", "fr", "de", "es")
THRESHOLD = 0.3


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    statements: tuple[dict[str, Any], ...]


def sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _text(language: str, item: dict[str, Any]) -> str:
    text = gold_statements.article_text(item, language)
    if text is None:
        raise LookupError(f"{item['id']}: its text is not found ({item.get('url') or 'texts/'})")
    if sha(text) != item["text_sha"]:
        raise ValueError(f"{item['id']}: the text's sha1 is not the gold's {item['text_sha']}")
    return text


def load(language: str, split: str) -> list[GoldArticle]:
    """The gold articles of one language and split (dev or test)."""
    path = GOLD / language / f"{split}.jsonl"
    if not path.is_file():
        return []
    articles: list[GoldArticle] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        articles.append(GoldArticle(item["id"], _text(language, item), tuple(item["statements"])))
    return articles


def fold(name: str | None) -> str:
    """A name without case and accents, for comparing actors."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def overlap(one: tuple[int, int], two: tuple[int, int]) -> float:
    shared = min(one[1], two[1]) - max(one[0], two[0])
    longer = max(one[1] - one[0], two[1] - two[0])
    return max(0, shared) / longer if longer > 0 else 0.0


def _match(predicted: Sequence[Statement], gold: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    pairs = sorted(
        (
            (overlap((p.start, p.end), (g["start"], g["end"])), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    matched: list[tuple[int, int]] = []
    for score, i, j in pairs:
        if score < THRESHOLD:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        matched.append((i, j))
    return matched


def same_speaker(predicted: Statement, gold: dict[str, Any]) -> bool:
    if predicted.actor and fold(predicted.actor) == fold(gold.get("actor")):
        return True
    if predicted.speaker_start is None or gold.get("speaker_start") is None:
        return False
    span = (predicted.speaker_start, predicted.speaker_end or predicted.speaker_start)
    return overlap(span, (gold["speaker_start"], gold["speaker_end"])) > 0


def score(
    articles: Sequence[GoldArticle], extract: Callable[[str], list[Statement]]
) -> dict[str, Any]:
    """P, R, F1 at overlap >= 0.3, speaker and side accuracy over the matched statements."""
    predicted_total = gold_total = matched_total = speakers = sides = 0
    misses: list[str] = []
    for article in articles:
        predicted = extract(article.text)
        matched = _match(predicted, article.statements)
        predicted_total += len(predicted)
        gold_total += len(article.statements)
        matched_total += len(matched)
        for i, j in matched:
            gold = article.statements[j]
            speakers += same_speaker(predicted[i], gold)
            if fold(predicted[i].side) != fold(gold.get("side")):
                misses.append(
                    f"{article.id} side: {predicted[i].side!r} for {predicted[i].speaker!r} "
                    f"({predicted[i].role!r}), gold {gold.get('side')!r}"
                )
            if not same_speaker(predicted[i], gold):
                misses.append(
                    f"{article.id} speaker: {predicted[i].speaker!r} = {predicted[i].actor!r}, "
                    f"gold {gold.get('speaker')!r} = {gold.get('actor')!r}"
                )
            sides += fold(predicted[i].side) == fold(gold.get("side"))
        misses.extend(_misses(article, predicted, matched))
    precision = matched_total / predicted_total if predicted_total else 0.0
    recall = matched_total / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(articles),
        "gold": gold_total,
        "predicted": predicted_total,
        "matched": matched_total,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "speaker_accuracy": round(speakers / matched_total, 3) if matched_total else 0.0,
        "side_accuracy": round(sides / matched_total, 3) if matched_total else 0.0,
        "misses": misses,
    }


def _misses(
    article: GoldArticle, predicted: Sequence[Statement], matched: list[tuple[int, int]]
) -> list[str]:
    """One line for each unmatched gold and predicted statement (for reading, not scoring)."""
    found_p = {i for i, _ in matched}
    found_g = {j for _, j in matched}
    lines = [
        f"{article.id} missed: {article.text[g['start'] : g['end']][:80]!r}"
        for j, g in enumerate(article.statements)
        if j not in found_g
    ]
    lines += [
        f"{article.id} extra: {p.text[:80]!r} ({p.speaker})"
        for i, p in enumerate(predicted)
        if i not in found_p
    ]
    return lines
