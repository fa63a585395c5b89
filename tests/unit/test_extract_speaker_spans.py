"""Speakers whose phrase holds an "and": officials of two states named in their "of" phrase speak
together, in no one state's column; an office whose name has "and" in it is one speaker; a
body's name is no person's name."""

from __future__ import annotations

import pytest

from aggregator.extract import extract_statements, load_gazetteer

GAZETTEER = load_gazetteer()


def _speakers(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(s.speaker, s.actor, s.side) for s in extract_statements(text, GAZETTEER)]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # the officials speak, not the second of their states
        (
            "The senior army chiefs of the Danish and Polish armies say the drills will go on.",
            "The senior army chiefs of the Danish and Polish armies",
        ),
        (
            "The foreign ministers of Spain and Portugal said the border would reopen.",
            "The foreign ministers of Spain and Portugal",
        ),
        (
            "The envoys of Chile, Peru, Bolivia and Ecuador said the summit would go ahead.",
            "The envoys of Chile, Peru, Bolivia and Ecuador",
        ),
        # an office with "and" in its name is one office
        (
            "The Department of Fisheries and Coastal Affairs said the quota would fall.",
            "The Department of Fisheries and Coastal Affairs",
        ),
        (
            "The Ministry of Labour and Family Policy said pensions would rise.",
            "The Ministry of Labour and Family Policy",
        ),
        (
            "The Minister for Trade and Industry said the tariff would be dropped.",
            "The Minister for Trade and Industry",
        ),
        (
            "A spokeswoman for the Parks and Gardens Department said the lake would close.",
            "A spokeswoman for the Parks and Gardens Department",
        ),
    ],
)
def test_an_and_inside_an_of_phrase_is_no_part_of_a_clause(text: str, speaker: str) -> None:
    assert [s.speaker for s in extract_statements(text, GAZETTEER)] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        # a clause before "and" keeps its own subject
        "At the gate a woman asked for a photo and Marek Halloway said the rules allowed it.",
        "The talks ended and Marek Halloway said the rules allowed it.",
    ],
)
def test_a_clause_before_and_is_no_of_phrase(text: str) -> None:
    assert [s.speaker for s in extract_statements(text, GAZETTEER)] == ["Marek Halloway"]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # officials of two states: no one state's column
        ("The senior army chiefs of the Danish and Polish armies say the drills will go on.", None),
        ("The foreign ministers of Spain and Portugal said the border would reopen.", None),
        ("The envoys of Chile, Peru, Bolivia and Ecuador said the summit would go ahead.", None),
        ("“We stand together,” said the defence ministers of Latvia and Lithuania.", None),
        # officials of one state: that state's, as before
        ("Officials of the Danish navy said the frigate had docked.", "Denmark"),
        ("Officials of the Danish army and navy said the drill was over.", "Denmark"),
    ],
)
def test_officials_of_two_states_speak_for_neither(text: str, side: str | None) -> None:
    assert [found for _, _, found in _speakers(text)] == [side]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # a body's own name is shown whole, not as a person called "Coastal Affairs"
        (
            "The Department of Fisheries and Coastal Affairs said the quota would fall.",
            "The Department of Fisheries and Coastal Affairs",
        ),
        (
            "The Centre for Flood Safety and Prevention said the river would crest.",
            "The Centre for Flood Safety and Prevention",
        ),
        (
            "The Minister for Regional Development and Housing said rents would be capped.",
            "The Minister for Regional Development and Housing",
        ),
        ("The Bureau of Harbour Statistics said traffic fell.", "The Bureau of Harbour Statistics"),
        # a person named with an office keeps the person's name
        ("Ministry of Defence Spokesman Jon Veldtman said the drill was over.", "Jon Veldtman"),
    ],
)
def test_an_office_name_is_no_persons_name(text: str, actor: str) -> None:
    assert [s.actor for s in extract_statements(text, GAZETTEER)] == [actor]


def test_a_pronoun_refers_to_the_person_not_to_their_bodys_name() -> None:
    text = (
        "Tomas Verlaine of the Centre for Coastal Studies said the sea was rising. "
        "“It is faster than we thought,” he said."
    )
    assert [s.actor for s in extract_statements(text, GAZETTEER)] == ["Tomas Verlaine"] * 2


@pytest.mark.parametrize(
    "text",
    [
        # a name's capitals start a word: not "Trump" in "pro-Trump", not "al" in "liberal"
        "The organiser of a pro-Trump rally said the route was blocked.",
        "Several liberal Democrats said the bill went too far.",
    ],
)
def test_a_name_inside_a_word_is_no_speaker(text: str) -> None:
    [(speaker, actor, side)] = _speakers(text)
    assert actor == speaker
    assert side is None
