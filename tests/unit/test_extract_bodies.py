"""Context for a speaker that names no party (aggregator.extract.bodies and the resolver): a
definite back-reference takes the body named before it, an acronym the words it was introduced
with, a state body with no state the dateline's state, "the premier" the prime minister named
before; short titles ("PM", "FM") are titles."""

from __future__ import annotations

import pytest

from aggregator.extract import extract_statements, load_gazetteer
from aggregator.extract.bodies import antecedents, dateline_side
from aggregator.extract.voice import SourceVoice

GAZETTEER = load_gazetteer()


def _sides(text: str) -> dict[str, str | None]:
    return {st.speaker or "": st.side for st in extract_statements(text, GAZETTEER)}


@pytest.mark.parametrize(
    ("text", "speaker", "side"),
    [
        (
            "Lebanese group Hezbollah rejected the plan on Friday. In a long statement, the group "
            'said the plan was "dead on arrival".',
            "the group",
            "Hezbollah",
        ),
        (
            "Strikes hit the camp, Gaza's civil defence agency reported. The civil defence agency "
            "said nine people were killed overnight.",
            "The civil defence agency",
            "Palestine",
        ),
        (
            "Kenya's foreign ministry said on Saturday that talks would continue.\n\n"
            '"We reject any displacement of civilians," the ministry said.',
            "the ministry",
            "Kenya",
        ),
        (
            "The talks were confirmed in a statement by Chile's foreign ministry on Monday.\n\n"
            "The statement said the delegations would meet again in March.",
            "The statement",
            "Chile",
        ),
    ],
)
def test_a_definite_back_reference_takes_the_body_named_before(
    text: str, speaker: str, side: str
) -> None:
    assert _sides(text)[speaker] == side


def test_a_joint_paper_refers_to_no_one_body() -> None:
    text = (
        "Peru's foreign ministry said it backed the plan. In a joint statement, the foreign "
        'ministers of six states said the plan was "a first step". The joint statement said the '
        "ministers would meet again."
    )
    assert _sides(text)["The joint statement"] is None


def test_an_acronym_takes_the_words_it_was_introduced_with() -> None:
    text = (
        "The visit was announced by the Chilean Foreign Ministry (CFM) on Monday. The CFM said "
        "the visit marked fifty years of relations."
    )
    assert antecedents(text, "The CFM", text.index("The CFM")) == ["the Chilean Foreign Ministry"]
    assert _sides(text)["The CFM"] == "Chile"


def test_a_back_reference_with_nothing_before_stays_undecided() -> None:
    assert _sides("The ministry said the road would reopen on Monday.")["The ministry"] is None


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("NAIROBI: The police said they would deploy 2,000 officers.", "Kenya"),
        ("LIMA (Reuters) - The police said they would deploy 2,000 officers.", "Peru"),
        # two places, or the seat of international bodies: no side
        ("LIMA / SANTIAGO: The police said they would deploy 2,000 officers.", None),
        ("BRUSSELS: The police said they would deploy 2,000 officers.", None),
        # no dateline
        ("The police said they would deploy 2,000 officers.", None),
    ],
)
def test_a_state_body_named_without_its_state_takes_the_datelines(
    text: str, side: str | None
) -> None:
    assert _sides(text)["The police"] == side


def test_the_dateline_never_places_a_persons_bare_title() -> None:
    text = "NAIROBI: Planning Minister Jane Otieno said the budget would grow."
    assert dateline_side(text, GAZETTEER) == "Kenya"
    assert _sides(text)["Planning Minister Jane Otieno"] is None


def test_a_body_titled_person_takes_the_datelines_state() -> None:
    text = "NAIROBI: Army spokesperson Peter Mwangi said the soldiers were ready."
    assert _sides(text)["Army spokesperson Peter Mwangi"] == "Kenya"


def test_short_titles_and_the_premier_named_before() -> None:
    text = (
        "PM Shehbaz arrived in Vienna on Sunday. PM Shehbaz said the visit was historic.\n\n"
        '"We will work together on trade," the premier said.'
    )
    found = {st.speaker: st for st in extract_statements(text, GAZETTEER)}
    assert found["PM Shehbaz"].actor == "Shehbaz Sharif"
    assert found["PM Shehbaz"].side == "Pakistan"
    assert found["the premier"].actor == "Shehbaz Sharif"
    assert found["the premier"].side == "Pakistan"


def test_the_premier_does_not_take_a_president_named_before() -> None:
    text = (
        "President Emmanuel Macron arrived in Delhi on Sunday.\n\n"
        '"We will work together on trade," the premier said.'
    )
    assert _sides(text)["the premier"] is None


DAWN_LIKE = SourceVoice("The Lahore Ledger", country="Pakistan")


def _home_sides(text: str, voice: SourceVoice | None) -> dict[str, str | None]:
    return {st.speaker or "": st.side for st in extract_statements(text, GAZETTEER, voice)}


def test_a_bare_foreign_office_is_the_sources_own_state_only_with_one_configured() -> None:
    text = (
        "The visit was announced by the Foreign Office (FO) on Monday. In a statement issued "
        'today, the FO said the visit was historic.\n\n"Ties will grow," the statement said.'
    )
    assert _home_sides(text, DAWN_LIKE) == {"the FO": "Pakistan", "the statement": "Pakistan"}
    assert _home_sides(text, SourceVoice("The Lahore Ledger")) == {
        "the FO": None,
        "the statement": None,
    }


def test_a_named_minister_is_the_sources_state_and_a_bare_one_is_not() -> None:
    named = "Planning Minister Omar Qureshi said the budget would grow."
    bare = "The minister said the budget would grow."
    assert _home_sides(named, DAWN_LIKE)["Planning Minister Omar Qureshi"] == "Pakistan"
    assert _home_sides(bare, DAWN_LIKE)["The minister"] is None


def test_a_placed_office_keeps_its_own_state_in_a_paper_of_another() -> None:
    text = "Kenya's foreign ministry said the talks would continue."
    assert _home_sides(text, DAWN_LIKE)["Kenya's foreign ministry"] == "Kenya"


def test_a_state_body_of_the_story_is_not_the_sources() -> None:
    text = "The Election Commission said the ruling alliance won 212 seats."
    assert _home_sides(text, DAWN_LIKE)["The Election Commission"] is None
