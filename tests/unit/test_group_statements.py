"""Merged statements: one quote or claim carried by several outlets (fixtures written here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aggregator.group import StatementMerger
from aggregator.group.statements import fragments, speaker_key

FULL = (
    "We will not allow anyone to redraw the borders of Europe by force, and we will stand with "
    "our partners for as long as it takes."
)


@pytest.mark.parametrize(
    ("speaker", "text", "merged"),
    [
        # the same quote trimmed differently by two outlets
        (
            "Ambassador Okafor",
            "we will not allow anyone to redraw the borders of Europe by force",
            True,
        ),
        ("Ambassador Okafor", "We will stand with our partners for as long as it takes.", True),
        # an ellipsis and a bracketed insertion
        (
            "Ambassador Okafor",
            "We will not allow [Moscow] to redraw the borders of Europe ... we will stand with "
            "our partners",
            True,
        ),
        # punctuation and typographic quotes
        (
            "Ambassador Okafor",
            "“We will not allow anyone to redraw the borders of Europe—by force”",
            True,
        ),
        # a courtesy title and case do not make another speaker
        ("ambassador okafor", FULL, True),
        # different speaker, same words: never merged
        ("Minister Petrov", FULL, False),
        # no speaker: could be anyone
        (None, FULL, False),
        # negation differs where the quotes overlap
        (
            "Ambassador Okafor",
            "We will allow anyone to redraw the borders of Europe by force",
            False,
        ),
        # a different statement by the same speaker
        ("Ambassador Okafor", "The council must meet again on Friday to vote on the text.", False),
        # too short to judge unless identical
        ("Ambassador Okafor", "our partners", False),
    ],
)
def test_merge_table(speaker: str | None, text: str, merged: bool) -> None:
    merger = StatementMerger()
    assert merger.add("first", speaker="Ambassador Okafor", text=FULL, kind="direct") == "first"
    canonical = merger.add("second", speaker=speaker, text=text, kind="direct")
    assert (canonical == "first") is merged
    if not merged:
        assert canonical == "second"


def test_short_identical_statements_merge() -> None:
    merger = StatementMerger()
    merger.add("a", speaker="Mr Petrov", text="A disgrace.", kind="direct")
    assert merger.add("b", speaker="Petrov", text="“a disgrace”", kind="direct") == "a"


def test_the_canonical_keeps_the_fullest_wording() -> None:
    merger = StatementMerger()
    trimmed = "we will not allow anyone to redraw the borders of Europe by force"
    assert merger.add("a", speaker="Okafor", text=trimmed, kind="direct") == "a"
    assert merger.add("b", speaker="Okafor", text=FULL, kind="direct") == "a"
    # a third outlet quoting only the second half matches the widened canonical
    tail = "we will stand with our partners for as long as it takes"
    assert merger.add("c", speaker="Okafor", text=tail, kind="direct") == "a"


def test_reported_claim_in_the_same_words_merges_with_the_quote() -> None:
    merger = StatementMerger()
    merger.add("q", speaker="Okafor", text=FULL, kind="direct")
    reported = "will not allow anyone to redraw the borders of Europe by force"
    assert merger.add("r", speaker="Okafor", text=reported, kind="indirect") == "q"


def test_adding_again_is_idempotent_and_deterministic() -> None:
    results = []
    for _ in range(2):
        merger = StatementMerger()
        results.append(
            [
                merger.add("a", speaker="Okafor", text=FULL, kind="direct"),
                merger.add("b", speaker="Okafor", text=FULL[:70], kind="direct"),
                merger.add("b", speaker="Okafor", text=FULL[:70], kind="direct"),
            ]
        )
    assert results[0] == results[1] == ["a", "a", "a"]


def test_capacity_forgets_the_oldest() -> None:
    merger = StatementMerger(capacity=1)
    merger.add("a", speaker="Okafor", text=FULL, kind="direct")
    merger.add(
        "b", speaker="Okafor", text="The council must meet again on Friday to vote.", kind="direct"
    )
    assert len(merger) == 1
    assert merger.add("c", speaker="Okafor", text=FULL, kind="direct") == "c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We will [the ministry] respond... soon", [["we", "will"], ["respond"], ["soon"]]),
        ("“Never” — he said", [["never"], ["he", "said"]]),
        ("", []),
    ],
)
def test_fragments(text: str, expected: list[list[str]]) -> None:
    assert fragments(text) == expected


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [
        ("Mr. Sergei Lavrov", "sergei lavrov"),
        ("Dr Ana Ribeiro", "ana ribeiro"),
        ("Mr", None),
        (None, None),
    ],
)
def test_speaker_key(speaker: str | None, expected: str | None) -> None:
    assert speaker_key(speaker) == expected


_SEEDED_RUN = """
import hashlib, random, sys
from aggregator.group import StatementMerger
words = "talks ports grain border envoy navy coast vote aid crisis week deal ships fuel".split()
rng = random.Random(1)
bases = [" ".join(rng.choice(words) + str(rng.randint(0, 30)) for _ in range(25)) for _ in range(5)]
merger = StatementMerger()
out = []
for number in range(1500):
    variant = rng.choice(bases).split()
    for _ in range(4):
        variant[rng.randrange(len(variant))] = rng.choice(words)
    out.append(merger.add(str(number), speaker="the envoy", text=" ".join(variant), kind="direct"))
print(hashlib.sha1(" ".join(out).encode()).hexdigest())
"""


def test_merging_does_not_depend_on_the_string_hash_seed() -> None:
    # many near-identical statements of one speaker tie between candidates; the tie went to
    # whichever the posting keys' set listed first, which changed with PYTHONHASHSEED
    root = Path(__file__).resolve().parents[2]
    results = {
        subprocess.run(
            [sys.executable, "-c", _SEEDED_RUN],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(results) == 1, results
