"""What the constructions ask of one cue is found once: a cue knows whether it is a participle,
and the subject readings are found together and kept (the hot path of extraction)."""

from __future__ import annotations

import pytest

from aggregator.extract import content
from aggregator.extract.attribute import (
    CONSTRUCTIONS,
    FOR_CUE,
    READS,
    Attribution,
    Sentence,
    attribute,
)
from aggregator.extract.cues import Cue, find_cues
from aggregator.extract.speakers import Mention, find_subject


@pytest.mark.parametrize(
    ("word", "participle"),
    [("said", False), ("saying", True), ("pointing to", True), ("rings", False)],
)
def test_a_cue_knows_whether_its_verb_is_a_participle(word: str, participle: bool) -> None:
    assert Cue(0, len(word), word, "say", "say").participle is participle


def test_the_participle_flag_is_no_part_of_a_cues_equality_or_repr() -> None:
    cue = Cue(4, 8, "said", "say", "say")
    assert cue == Cue(4, 8, "said", "say", "say")
    assert hash(cue) == hash(Cue(4, 8, "said", "say", "say"))
    assert "participle" not in repr(cue)


def _attribution(text: str) -> Attribution:
    cue = find_cues(text, 0, len(text))[0]
    return Attribution(Sentence(text, text, 0, len(text), 0), cue, None)


def test_the_subject_readings_are_found_together_and_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []

    def counting(masked: str, lo: int, cue_start: int) -> object:
        calls.append(cue_start)
        return find_subject(masked, lo, cue_start)

    monkeypatch.setattr("aggregator.extract.attribute.find_subject", counting)
    text = "The mayor of the town said the bridge would reopen in May."
    a = _attribution(text)
    mention = a.mention
    assert isinstance(mention, Mention)
    assert text[mention.start : mention.end] == "The mayor of the town"
    # one reading filled all four, and with a mention the claim before it and the rest after
    # the cue; later reads are the kept values
    assert {"nearest", "subject", "mention", "head", "before", "rest"} <= set(vars(a))
    assert a.rest == " the bridge would reopen in May."
    assert (a.subject, a.nearest, a.head) == (mention, mention, mention.start)
    assert calls == [text.index("said")]


def test_after_and_strong_after_are_found_together() -> None:
    a = _attribution("The mayor said that the bridge would reopen in May.")
    after = a.after
    assert after is not None
    assert after[2]  # a "that" clause
    assert vars(a)["strong_after"] is True


def test_a_construction_is_asked_only_about_the_cues_it_reads() -> None:
    asked = {shape: {c.__name__ for c in found} for shape, found in FOR_CUE.items()}
    assert asked["according", True] == asked["according", False] == {"according_to"}
    assert {shape for shape, names in asked.items() if "opening_verb" in names} == {("say", False)}
    for kind in ("say", "clause"):
        assert "inverted" in asked[kind, False]
        assert "inverted" not in asked[kind, True]
        assert "opening_participle" in asked[kind, True]
        assert "opening_participle" not in asked[kind, False]
        assert "according_to" not in asked[kind, False] | asked[kind, True]


@pytest.mark.parametrize("shape", list(FOR_CUE))
def test_the_constructions_for_a_cue_keep_the_tables_order(shape: tuple[str, bool]) -> None:
    order = [CONSTRUCTIONS.index(c) for c in FOR_CUE[shape]]
    assert order == sorted(order)
    # a construction that reads every cue is asked about every cue but "according to"
    everywhere = [c for c in CONSTRUCTIONS if c not in READS]
    if shape[0] != "according":
        assert [c for c in FOR_CUE[shape] if c in everywhere] == everywhere


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # a participle opening the sentence is no opening say-verb
        (
            "Noting that the vote was close, Trump said he would wait for the count.",
            "opening_participle",
        ),
        ("Said the mayor, “We will rebuild the bridge before the winter comes.”", "opening_verb"),
        ("“We will not accept this,” said Angie Holan, the editor.", "inverted"),
        ("The talks have failed, according to two diplomats in Geneva.", "according_to"),
    ],
)
def test_the_first_cue_is_read_by_the_construction_for_its_shape(text: str, rule: str) -> None:
    cue = find_cues(text, 0, len(text))[0]
    draft = attribute(Sentence(text, text, 0, len(text), 0), cue, None)
    assert draft is not None
    assert draft.rule == rule


@pytest.mark.parametrize(
    ("lemma", "readings"),
    [
        ("say", ["_colon_quote", "_adjunct_quote", "_topic"]),
        ("call", ["_colon_quote", "_demand", "_topic"]),
        # a verb outside the lexicon ("“Go back,” Trump barked"): only a colon before a quotation
        ("barked", ["_colon_quote"]),
    ],
)
def test_the_readings_after_a_cue_are_those_that_can_hold_for_its_lemma(
    lemma: str, readings: list[str]
) -> None:
    asked = content._READINGS_FOR.get(lemma, content._ANY_CUE)
    assert [r.__name__ for r in asked] == readings


def test_a_demand_is_still_read_after_called_for() -> None:
    text = "The senator called for a ceasefire in the region, even though talks stalled."
    cue = find_cues(text, 0, len(text))[0]
    found = content.content_after(text, cue, len(text))
    assert found is not None
    assert text[found[0] : found[1]] == "a ceasefire in the region"


def test_without_a_mention_the_claim_before_is_left_for_when_it_is_asked() -> None:
    a = _attribution("Said the mayor, “We will rebuild the bridge.”")
    assert a.mention is None
    assert "before" not in vars(a)
    assert "rest" not in vars(a)
