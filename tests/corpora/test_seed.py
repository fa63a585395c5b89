"""The canonical article end to end: every named speaker, with side, exact offsets, no furniture."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.extract import extract_statements
from aggregator.model import Statement

SEED = "seed/bbc_georgia_2008-08-09.txt"

# (who, side, a few words of what they said)
EXPECTED = [
    ("Rogozin", "Russia", "no"),
    ("Saakashvili", "Georgia", "egregious lie"),
    ("Saakashvili", "Georgia", "state of war"),
    ("Lomaia", "Georgia", "complete"),
    ("Bush", "United States", "dangerous escalation"),
    ("Bush", "United States", "far from the"),
    ("Kovalenko", "Russia", "2,000 civilians"),
    ("Kovalenko", "Russia", "no longer exists"),
    ("Boldyrev", "Russia", "fully liberated"),
    ("Medvedev", "Russia", "military aim"),
    ("Medvedev", "Russia", "Our peacekeepers"),
    ("Lavrov", "Russia", "all-out war"),
    ("Lavrov", "Russia", "chop off"),
    ("Lavrov", "Russia", "violated a peace deal"),
    ("foreign ministry", "Georgia", "devastated"),
    ("Shamba", "Abkhazia", "Abkhaz forces"),
    ("UN Security Council", "United Nations", "ceasefire"),
    ("Moscow", "Russia", "Georgia is to blame"),
]


@pytest.fixture(scope="module")
def seed(corpora: Path) -> tuple[str, list[Statement]]:
    text = (corpora / SEED).read_text(encoding="utf-8")
    return text, extract_statements(text)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("who", "side", "words"), EXPECTED)
def test_named_speaker_is_found_with_side(
    seed: tuple[str, list[Statement]], who: str, side: str, words: str
) -> None:
    _, statements = seed
    found = [
        s
        for s in statements
        if who in (s.actor or "") + " " + (s.speaker or "") and words in _flat(s.text)
    ]
    assert found, f"no statement by {who} containing {words!r}"
    assert all(s.side == side for s in found), [(s.actor, s.side) for s in found]


def test_offsets_slice_the_input_exactly(seed: tuple[str, list[Statement]]) -> None:
    text, statements = seed
    assert statements == sorted(statements, key=lambda s: s.start)
    for s in statements:
        assert text[s.start : s.end] == s.text
        if s.speaker is not None:
            assert text[s.speaker_start : s.speaker_end] == s.speaker
        if s.cue is not None:
            assert text[s.cue_start : s.cue_end] == s.cue


def test_roles_from_apposition_and_gazetteer(seed: tuple[str, list[Statement]]) -> None:
    _, statements = seed
    by_actor = {s.actor: s for s in statements}
    assert by_actor["Dmitry Rogozin"].role == "Russia's ambassador to Nato"
    # the apposition sits across a hard line break after a comma: the article's words win
    assert by_actor["Kakha Lomaia"].role.startswith("the secretary of")
    assert by_actor["Sergei Shamba"].role.startswith("The foreign minister in")
    assert by_actor["Sergei Lavrov"].role is not None
    assert "foreign minister" in by_actor["Sergei Lavrov"].role.lower()


def test_pronouns_and_descriptions_resolve(seed: tuple[str, list[Statement]]) -> None:
    _, statements = seed
    pronoun = {_flat(s.text)[:19]: s.actor for s in statements if s.speaker == "he"}
    assert pronoun['"The attacks are oc'] == "George W. Bush"
    assert pronoun['"The city of Tskhin'] == "Vyacheslav Kovalenko"
    assert pronoun['"Our peacekeepers a'] == "Dmitry Medvedev"
    described = [s for s in statements if s.speaker == "the Russian foreign minister"]
    assert [s.actor for s in described] == ["Sergei Lavrov"]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def test_nothing_from_furniture_or_boilerplate(seed: tuple[str, list[Statement]]) -> None:
    text, statements = seed
    lines = text.split("\n")
    starts = _line_starts(text)
    # located by shape, not by copying the page: the footer is the page's last eight lines,
    # the timeline box runs from its all-capitals heading to the next line opening a quotation
    footer = starts[len(lines) - 9]
    heading = next(i for i, line in enumerate(lines) if line.isupper() and len(line) > 10)
    after = next(i for i in range(heading, len(lines)) if lines[i].startswith('"'))
    timeline = (starts[heading], starts[after])
    caption = text.index('"liberated"\nfrom')
    for s in statements:
        assert s.end <= footer
        assert not timeline[0] <= s.start < timeline[1]
        assert not caption - 40 <= s.start <= caption
    # the pull-quote printed above the body is one statement, not two
    assert sum("Our peacekeepers" in s.text for s in statements) == 1


def test_unattributed_quote_after_the_timeline_continues_lavrov(
    seed: tuple[str, list[Statement]],
) -> None:
    _, statements = seed
    rubbish = [s for s in statements if "which is rubbish" in s.text]
    assert [s.actor for s in rubbish] == ["Sergei Lavrov"]
    assert rubbish[0].kind == "direct"
