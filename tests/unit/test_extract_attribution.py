"""What the constructions ask of one cue is found once: a cue knows whether it is a participle,
and the subject readings are found together and kept (the hot path of extraction)."""

from __future__ import annotations

import pytest

from aggregator.extract.attribute import Attribution, Sentence
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
    # one reading filled all four; later reads are the kept values
    assert {"nearest", "subject", "mention", "head"} <= set(vars(a))
    assert (a.subject, a.nearest, a.head) == (mention, mention, mention.start)
    assert calls == [text.index("said")]


def test_after_and_strong_after_are_found_together() -> None:
    a = _attribution("The mayor said that the bridge would reopen in May.")
    after = a.after
    assert after is not None
    assert after[2]  # a "that" clause
    assert vars(a)["strong_after"] is True
