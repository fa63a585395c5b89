"""A real day's digest, pinned: the held-out realfeeds day (2026-02-16) through the whole pipeline.

The golden file (``tests/golden/realfeeds-2026-02-16.json``) holds the digest's skeleton as a
reader would check it — which events lead and in what order, which articles each carries, the
columns, and each statement's speaker as shown, actor, side and kind — and only facts: the
corpus's sentences (titles, statement words, roles as written) appear as short digests, never as
text, because the corpus may not be copied into the repository. A change in extraction, grouping
or the digest that moves any of it shows as a diff; ``AGGREGATOR_UPDATE_GOLDEN=1`` rewrites the
file on purpose (read the digest itself first: ``../shared/tools/reader-check``).

The same run checks what a reader notices first, with the bounds the project promises
(docs/evaluation.md): no pronoun speakers, no repeated roles, balanced quotation marks, clean
names, no off-topic event in the main section, and a mail under Gmail's clip.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.scripts import load_script

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "realfeeds-2026-02-16.json"
UPDATE = os.environ.get("AGGREGATOR_UPDATE_GOLDEN") == "1"
DAY = "2026-02-16"


def _digest(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()[:12]


def skeleton(digest: dict[str, Any]) -> dict[str, Any]:
    """The digest JSON with every sentence of the corpus replaced by a short digest of it."""
    return {
        "date": digest["date"],
        "events": [
            {
                "rank": event["rank"],
                "title": _digest(event["title"]),
                "continuing": event["continuing"],
                "articles": sorted(a["url"] for a in event["articles"] if a["url"]),
                "columns": [
                    {
                        "label": column["label"],
                        "side": column["side"],
                        "statements": [
                            {
                                "speaker": s["speaker"],
                                "actor": s["actor"],
                                "side": s["side"],
                                "kind": s["kind"],
                                "role": _digest(s["role"]),
                                "text": _digest(s["text"]),
                            }
                            for s in column["statements"]
                        ],
                    }
                    for column in event["columns"]
                ],
            }
            for event in digest["events"]
        ],
        "also": [sorted(a["url"] for a in also["articles"] if a["url"]) for also in digest["also"]],
    }


@pytest.fixture(scope="module")
def day(corpora: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    evaluate = load_script("evaluate_digest")
    work = tmp_path_factory.mktemp("realfeeds")
    config = evaluate._write(work / "realfeeds.yaml", evaluate.realfeeds_config(work))
    (result,) = evaluate.run_set("realfeeds", config, (DAY,), work / "store", one_by_one=True)
    figures = evaluate.figures(result, evaluate.load_gold(DAY))
    return {"result": result, "figures": figures}


def test_the_digest_matches_its_golden_skeleton(day: dict[str, Any]) -> None:
    actual = json.dumps(skeleton(day["result"]["digest"]), indent=1, ensure_ascii=False) + "\n"
    if UPDATE or not GOLDEN.exists():
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert actual == expected, (
        "the realfeeds digest changed; read it (../shared/tools/reader-check) and rewrite the "
        "golden file with AGGREGATOR_UPDATE_GOLDEN=1 if the change is right"
    )


def test_what_a_reader_notices_first_is_right(day: dict[str, Any]) -> None:
    figures = day["figures"]
    assert figures["statements"] >= 50, figures
    assert figures["pronoun_speakers"] <= 0.02, figures
    assert figures["repeated_roles"] <= 0.01, figures
    assert figures["unbalanced_quotes"] <= 0.01, figures
    assert figures["dirty_names"] == 0, figures
    assert figures["off_topic_events"] <= 1, figures
    assert figures["html_kb"] < 100, figures
