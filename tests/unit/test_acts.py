"""A report's lead told as a party's act (aggregator.extract.acts): what becomes one, what does
not, and that an act quotes no one (grouping's actors leave it out)."""

from __future__ import annotations

import pytest

from aggregator.extract import extract_statements, is_act, quoted_actors
from aggregator.extract.statements import explain_statements

# leads of our own, in the shape feeds give them: one sentence, nobody quoted
ACTS = [
    (
        "Georgia’s parliament has voted to remove interim President Ilse Varga from office as "
        "she faces bribery allegations.",
        "Georgia’s parliament",
        "voted",
    ),
    (
        "On Tuesday, Peru’s Congress impeached the interim president over secret meetings with "
        "foreign businessmen.",
        "Peru’s Congress",
        "impeached",
    ),
    (
        "Canadian Prime Minister Mark Carney on Tuesday launched a plan to rebuild the navy and "
        "buy fewer aircraft abroad.",
        "Canadian Prime Minister Mark Carney",
        "launched",
    ),
    (
        "EU regulators are investigating an online retailer over toys that break safety rules "
        "across the bloc.",
        "EU regulators",
        "investigating",
    ),
    # taking office: the one passive that is the state's act
    (
        "Georgia’s new prime minister has been sworn in after a landslide election win last week.",
        "Georgia’s new prime minister",
        "sworn in",
    ),
    (
        "Turkey opposes the recognition of the breakaway region to protect its naval base on "
        "the coast.",
        "Turkey",
        "opposes",
    ),
    # a resignation, with no auxiliary before a preposition (an intransitive act)
    (
        "Peru's interior minister resigned after a week of protests over the rising number of "
        "killings.",
        "Peru's interior minister",
        "resigned",
    ),
    # a decision ("decided to"), and a state's regulator the news calls a watchdog
    (
        "The government of Claudia Sheinbaum has decided to allow fracking again after a "
        "six-year ban on the technique.",
        "The government of Claudia Sheinbaum",
        "decided",
    ),
    # the present of an act that takes no object, its preposition its own (a headline's tense)
    (
        "Qatar's prime minister arrives in Caracas on the first visit by a foreign leader since "
        "the change of government.",
        "Qatar's prime minister",
        "arrives",
    ),
    (
        "Peru's Congress votes to remove the interim president over his secret meetings with "
        "businessmen.",
        "Peru's Congress",
        "votes",
    ),
    # a state's body by its own name, or its forces, after its country's name
    (
        "Israel's Knesset voted to dissolve itself after months of coalition disputes.",
        "Israel's Knesset",
        "voted",
    ),
    (
        "Russia's State Duma has passed a law on foreign agents in its third reading.",
        "Russia's State Duma",
        "passed",
    ),
    (
        "Israel's air force struck weapons depots near the port of Latakia overnight.",
        "Israel's air force",
        "struck",
    ),
    (
        "Russia's FSB has detained a French researcher accused of collecting military data.",
        "Russia's FSB",
        "detained",
    ),
    # an act's object that is also a verb or holds one: no plural noun before its verb
    (
        "Russia launches strike on the port of Odesa hours after the talks in Geneva ended.",
        "Russia",
        "launches",
    ),
    (
        "The EU imposes ban on imports of Russian steel in its latest package of sanctions.",
        "The EU",
        "imposes",
    ),
    (
        "Turkey detains mayor of Istanbul's biggest district over corruption charges.",
        "Turkey",
        "detains",
    ),
    # an office or a body's own name before an office, after its country's name
    (
        "India's Supreme Court has banned the electoral bonds scheme that funded the parties.",
        "India's Supreme Court",
        "banned",
    ),
    (
        "Kenya's data watchdog has opened an investigation into an online retailer over the "
        "way it stores its customers' records.",
        "Kenya's data watchdog",
        "opened",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "cue"), ACTS)
def test_a_party_s_act_in_a_lead_is_its_statement(text: str, speaker: str, cue: str) -> None:
    (found,) = extract_statements(text)
    assert (found.speaker, found.cue, found.kind) == (speaker, cue, "indirect")
    assert found.side is not None
    assert not found.commentary
    # the whole sentence from its subject on: the digest shows it as written
    assert found.text == text[found.start : found.end]
    assert found.start == found.speaker_start
    assert found.text.rstrip(".").endswith(text.rstrip(".")[-20:])
    assert is_act(found)
    (_, rule), *_ = explain_statements(text).statements
    assert rule == "lead_act"


@pytest.mark.parametrize(
    "text",
    [
        # a body's bare name is every country's
        "Congress voted to impeach the interim president over secret meetings with foreign "
        "businessmen.",
        # no party: police, a company, a sports body, a film
        "Police have detained a journalist over a story about the governor's aide last week.",
        "The International Paralympic Committee has granted six wildcard spots to two teams.",
        "The film opened to rave reviews in Berlin on Tuesday and the director was delighted.",
        # a wish or a plan is no act, nor a passive
        "Japan wants to ship carbon emissions to Malaysia in a project for carbon storage.",
        "Georgia’s new prime minister has been banned from travelling abroad by a court.",
        # taking office by another's hand, or as a rule rather than an act
        "Ukraine's ambassador to Russia was appointed by the Kremlin as a liaison to the talks.",
        "Iran's president is elected every four years by a direct popular vote of citizens.",
        # the last of several subjects speaks for none of them
        "Iran and the United States reached an understanding on Tuesday on principles for talks.",
        # the act is not the sentence's: a clause opens it
        "After a week of protests in the capital and two nights of curfew, the government "
        "banned all rallies.",
        # passives and participles: the one acted upon did not act
        "Iran’s foreign minister, summoned by the Dutch government over the affair, refused to "
        "attend.",
        "Former Pakistani prime minister Imran Khan sentenced to ten more years in prison for "
        "corruption.",
        "Georgian opposition leader detained after mass protests in Tbilisi on Tuesday night.",
        # nouns that look like act verbs
        "US sanctions on Iran have hurt its economy and pushed inflation to a record high.",
        "Peru's Congress votes on the budget were delayed again by a walkout of the opposition.",
        "Russia bans on Western imports have emptied the shelves of cheese shops in Moscow.",
        # a plural noun before its own verb: the strikes, the sanctions are no one's act here
        "Gaza strikes continue as the ceasefire talks stall in Cairo for a third day.",
        "Iran sanctions bite as the rial plunges to a record low against the dollar.",
        "Israeli strikes killed twenty people in Gaza overnight as the talks resumed in Cairo.",
        # what is a country's but no office of it; a company after its country's name
        "Iran's protests have ended after a month of arrests and executions across the country.",
        "Germany's Deutsche Bahn has halted a humorous publicity campaign after complaints.",
        "France's Renault has halted production at its plant in Flins for two weeks.",
        "Peru's newly elected president faces a vote of no confidence in Congress soon.",
        # a body's bare name with a place that is not the one the gazetteer gives the name
        "The Congress in Lima voted to remove interim President José Jerí from office on Tuesday.",
        # someone's words, a negation, what is still to come
        "The slogan “Iran seized a tanker” was painted on walls in several cities on Tuesday.",
        "Peru's Congress has never voted to remove a sitting president in its history before.",
        "Ukraine's president visits Washington next week for talks on air defence and trade.",
    ],
)
def test_what_is_no_party_s_act(text: str) -> None:
    assert extract_statements(text) == []


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # a dateline or a source's tag is not the subject, nor the side
        ("Kyiv -- Russian forces struck a power plant in the Kharkiv region overnight.", "Russia"),
        (
            "[Wire] Washington -- Peru's Congress has voted to remove interim President José "
            "Jerí from office.",
            "Peru",
        ),
    ],
)
def test_a_dateline_before_the_subject_is_left_out(text: str, side: str) -> None:
    (found,) = extract_statements(text)
    assert found.side == side
    assert found.speaker == text[found.start : found.speaker_end]
    assert not found.speaker.startswith(("Kyiv", "[", "Washington"))


@pytest.mark.parametrize(
    "text",
    [
        "Russia expelled two British diplomats on Tuesday over a row about visas.",
        "Poland's president vetoes a bill that would have curbed the powers of the central bank.",
        "EU regulators are banning a toy that breaks safety rules across the bloc this year.",
    ],
)
def test_doubled_and_irregular_forms_are_read(text: str) -> None:
    (found,) = extract_statements(text)
    assert is_act(found)


def test_the_cue_is_as_written() -> None:
    text = "Georgia’s new prime minister has been sworn  in after a landslide election win."
    (found,) = extract_statements(text)
    assert found.cue == text[found.cue_start : found.cue_end] == "sworn  in"
    assert is_act(found)


def test_a_quotation_with_an_act_verb_as_its_cue_is_no_act() -> None:
    (found,) = extract_statements("“Leave the building at once,” Putin ordered.")
    assert found.kind == "direct"
    assert not is_act(found)
    assert quoted_actors([found]) == ["Vladimir Putin"]


def test_an_article_that_quotes_someone_has_no_act() -> None:
    text = (
        "Georgia’s parliament has voted to remove interim President Ilse Varga from office. "
        '"This is a dark day," Varga told reporters.'
    )
    found = extract_statements(text)
    assert found
    assert not any(is_act(s) for s in found)


def test_an_act_quotes_no_one_so_grouping_leaves_its_actor_out() -> None:
    act = extract_statements(ACTS[2][0])
    said = extract_statements("Mark Carney said the navy would be rebuilt within ten years.")
    assert [s.actor for s in act] == ["Mark Carney"] == [s.actor for s in said]
    assert quoted_actors(act) == []
    assert quoted_actors([*act, *said]) == ["Mark Carney"]
