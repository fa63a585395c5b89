"""The one decision of a speaker's side (aggregator.extract.voice), rule by rule, and what it
does to extracted statements: prepositions read right, commentators out of states' columns,
officials in them, an official source's own voice."""

from __future__ import annotations

from datetime import date

import pytest

from aggregator.extract import extract_statements, load_gazetteer
from aggregator.extract.voice import SourceVoice, Standing, decide, is_commentator

GAZETTEER = load_gazetteer()
WHITE_HOUSE = SourceVoice("The White House", "United States", official=True)
NATO = SourceVoice("NATO", "NATO", official=True)
OUTLET = SourceVoice("Meridian Press")


@pytest.mark.parametrize(
    ("mention", "role", "expected"),
    [
        # 1. gazetteer actor; an outlet is commentary
        ("Sergei Lavrov", None, Standing("Russia", False, "gazetteer")),
        ("Reuters", None, Standing(None, True, "gazetteer")),
        # 3. commentators, whatever country they write from
        ("Anna Kowal", "a Polish expert on hybrid threats", Standing(None, True, "commentator")),
        ("Jean Dupont", "an academic at Sciences Po in Paris", Standing(None, True, "commentator")),
        # a specialist, or a centre of studies: "an India specialist at Sciences Po Center for
        # International Studies" (was no one's, in the Others column)
        ("Jean Dupont", "an India specialist at Sciences Po", Standing(None, True, "commentator")),
        (
            "Anna Kowal",
            "a senior fellow of the Institute of Security and International Studies",
            Standing(None, True, "commentator"),
        ),
        (
            "Pierre Martin",
            "director of the Center for Asian Studies",
            Standing(None, True, "commentator"),
        ),
        ("The Meridian Post", None, Standing(None, True, "commentator")),
        ("The Jerusalem Post", None, Standing(None, True, "gazetteer")),
        ("Jonathan Levi", "the NGO's co-director", Standing(None, True, "commentator")),
        ("rights groups", None, Standing(None, True, "commentator")),
        # 4. a place, read with its preposition, and only with an office
        (
            "Ivan Petrov",
            "Russia's ambassador to the United States",
            Standing("Russia", rule="place"),
        ),
        ("John Smith", "the ambassador to the United States", Standing(None)),
        ("organisers of protests against Russia", None, Standing(None)),
        ("Mark Kallas", "special envoy for Ukraine", Standing(None)),
        ("Reza Tehrani", "an adviser to the Iranian president", Standing("Iran", rule="place")),
        ("Danish Prime Minister Anders Holm", None, Standing("Denmark", rule="place")),
        # state media are outlets, not their state
        ("Veskarian state TV", None, Standing(None, True, "commentator")),
        ("the state-run news agency", None, Standing(None, True, "commentator")),
        ("Russian state media", None, Standing(None, True, "commentator")),
        # a body named with its nationality is an office of that state
        ("The Palestinian Presidency", None, Standing("Palestine", rule="place")),
        ("the Palestinian Hebron Governorate", None, Standing("Palestine", rule="place")),
        ("the Iraqi Election Commission", None, Standing("Iraq", rule="place")),
        ("Ukrainian anti-corruption bodies", None, Standing("Ukraine", rule="place")),
        ("Serbian politicians", None, Standing("Serbia", rule="place")),
        ("Kenyan prosecutors", None, Standing("Kenya", rule="place")),
        # a known party's office, and a group named after its kind
        ("Macron’s office", None, Standing("France", rule="place")),
        ("Putin's spokesman", None, Standing("Russia", rule="place")),
        ("Putin's former lawyer", None, Standing(None)),
        ("Lebanese group Hezbollah", None, Standing("Hezbollah", rule="place")),
        # a place that names a political party is no state
        ("Omar Khan, an MP of the opposition Congress party", None, Standing(None)),
        # the Foreign Office alone is no state's (papers of several states use the name)
        ("the Foreign Office", None, Standing(None)),
        ("the British Foreign Office", None, Standing("United Kingdom", rule="gazetteer")),
        # a military media wing is no outlet, nor is a post on social media
        ("the army's media wing", None, Standing(None)),
        ("A post by the Kenyan presidency on social media", None, Standing("Kenya", rule="place")),
        ("a Ukrainian refugee", None, Standing(None)),
        ("Chad Wolf", "a former acting secretary", Standing(None, rule="former")),
        # 3b. an office given as past: no party today, nor a commentator
        ("Jack Keane", "retired U.S. Army Gen.", Standing(None, rule="former")),
        ("Dan Levi", "a former Israeli ambassador to Washington", Standing(None, rule="former")),
        ("the former Soviet republic's foreign ministry", None, Standing(None)),
        ("Dan Levi", "a former Israeli army general", Standing(None, rule="former")),
        # a current office beside the past one: the current one decides
        (
            "Jonas Petrauskas",
            "Lithuania's defence minister and a former army commander",
            Standing("Lithuania", rule="place"),
        ),
        # a state's specialists are its own (a specialist *at* a university is commentary)
        ("Russian military specialists", None, Standing("Russia", rule="place")),
        ("officials in Kyiv", None, Standing("Ukraine", rule="place")),
        ("Russian opposition leader Alexey Navalny's mother", None, Standing(None)),
        ("Moldova's foreign ministry spokesman", None, Standing("Moldova", rule="place")),
    ],
)
def test_decide(mention: str, role: str | None, expected: Standing) -> None:
    assert decide(mention, role, GAZETTEER, known=GAZETTEER.actor(mention)) == expected


@pytest.mark.parametrize(
    ("mention", "role", "voice", "side"),
    [
        ("We", None, NATO, "NATO"),
        ("the spokesperson", None, WHITE_HOUSE, "United States"),
        ("the spokesperson", None, OUTLET, None),  # an outlet's "we" or officials: nobody's
        ("the Secretary-General", None, SourceVoice("UN News", "United Nations", True), None),
        ("Ministry", None, WHITE_HOUSE, "United States"),
        ("the Ministry of Defence", None, WHITE_HOUSE, "United States"),
        ("a note of protest", None, WHITE_HOUSE, "United States"),
        ("a note of protest", None, OUTLET, None),
    ],
)
def test_official_source_voice(
    mention: str, role: str | None, voice: SourceVoice, side: str | None
) -> None:
    # "the Secretary-General" is an office with "of" nowhere: the source's own officer, unless
    # the source has no side (None above: the UN's name is spelled in the mention's rule below)
    expected = side if mention != "the Secretary-General" else "United Nations"
    assert decide(mention, role, GAZETTEER, voice=voice).side == expected


def test_capitalised_outlet_words_only() -> None:
    assert is_commentator("Sky News")
    assert is_commentator("a columnist")
    assert not is_commentator("the post office")
    assert not is_commentator("the foreign minister")


@pytest.mark.parametrize(
    ("mention", "side", "commentary"),
    [
        # a state's regulator, which the news calls a watchdog, speaks for its state
        ("Nigeria's data watchdog", "Nigeria", False),
        ("Britain's competition watchdog", "United Kingdom", False),
        ("the French privacy watchdog", "France", False),
        ("Kenya's data protection watchdog", "Kenya", False),
        # an election or consumer watchdog is as often an NGO as a state's body
        ("Russia's independent election watchdog", None, True),
        # a rights or press-freedom watchdog is an NGO: commentary, whatever country it is in
        ("a Kenyan rights watchdog", None, True),
        ("the Polish press freedom watchdog", None, True),
    ],
)
def test_a_state_regulator_called_a_watchdog_is_its_state_s(
    mention: str, side: str | None, commentary: bool
) -> None:
    standing = decide(mention, None, GAZETTEER)
    assert (standing.side, standing.commentary) == (side, commentary)


def _sides(
    text: str, voice: SourceVoice | None = None
) -> list[tuple[str | None, str | None, bool]]:
    return [(s.actor, s.side, s.commentary) for s in extract_statements(text, GAZETTEER, voice)]


def test_a_destination_is_no_side() -> None:
    text = "The ambassador to the United States, John Smith, said talks would go on."
    assert _sides(text) == [("John Smith", None, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an actor inside someone else's phrase is not the speaker
        (
            "Critics of Vladimir Putin said the vote had been rigged from the start.",
            [("Critics of Vladimir Putin", None, False)],
        ),
        (
            "An analyst at NATO's defence college said the drill was routine.",
            [("An analyst at NATO's defence college", None, True)],
        ),
        # the verb ends the subject, so the body it is aimed at is not in the mention
        (
            "Nearly 40 aid groups hit out on Tuesday at NATO over its border policy, calling "
            "on alliance officials to withdraw the plan before the summit.",
            [("Nearly 40 aid groups", None, False)],
        ),
        # but an office or an aide before the preposition is the body's own
        (
            "Officials at NATO said the exercise would go ahead as planned.",
            [("NATO", "NATO", False)],
        ),
        (
            "A spokesman for the EU said the talks would resume on Friday.",
            [("European Union", "European Union", False)],
        ),
        (
            "An adviser of Vladimir Putin said the offer stood.",
            [("Vladimir Putin", "Russia", False)],
        ),
    ],
)
def test_an_actor_named_in_someone_elses_phrase_is_not_the_speaker(
    text: str, expected: list[tuple[str | None, str | None, bool]]
) -> None:
    assert _sides(text) == expected


def test_commentators_never_take_a_country() -> None:
    text = "A Polish expert on hybrid threats, Anna Kowal, said the attack was planned."
    assert _sides(text) == [("Anna Kowal", None, True)]


def test_a_surname_keeps_the_side_decided_for_the_full_name() -> None:
    text = (
        "Iran's Foreign Minister Abbas Tehrani said the talks had gone well. "
        "Tehrani said a second round would follow next week."
    )
    assert _sides(text) == [("Abbas Tehrani", "Iran", False), ("Abbas Tehrani", "Iran", False)]


def test_a_description_links_only_to_a_person_holding_its_office() -> None:
    text = (
        "The spokesperson said the talks had failed badly. "
        "Jordan's King Abdullah II said the actions undermined efforts to restore calm."
    )
    first, second = extract_statements(text, GAZETTEER)
    assert first.actor != "King Abdullah II"
    assert second.actor == "King Abdullah II"


def test_the_official_source_speaks_for_its_side() -> None:
    text = (
        "Statement on the attack on Dolvany\n\n"
        "We, the Allies, condemn the attack on Dolvany in the strongest terms. "
        "The attack killed fourteen civilians and wounded dozens more in the town.\n"
    )
    found = extract_statements(text, GAZETTEER, NATO)
    assert found
    assert all(s.side == "NATO" and s.actor == "NATO" for s in found)
    # read by an outlet, the same words speak for nobody
    assert all(s.side is None for s in extract_statements(text, GAZETTEER, OUTLET))


def test_an_official_release_without_attribution_becomes_statements_of_the_source() -> None:
    text = (
        "Readout of the President's call with the Prime Minister of Veskaria\n\n"
        "The President spoke today with the Prime Minister of Veskaria about the shelling of "
        "Dolvany and the safety of civilians in the border region. The United States will "
        "send emergency medical supplies to the families of the town this week.\n"
    )
    found = extract_statements(text, GAZETTEER, WHITE_HOUSE)
    assert len(found) == 2
    assert {(s.actor, s.side, s.speaker, s.kind) for s in found} == {
        ("The White House", "United States", None, "direct")
    }
    assert found[0].text.startswith("The President spoke today")
    # offsets still index the text as given
    assert all(text[s.start : s.end] == s.text for s in found)
    # an outlet's unattributed narrative is nobody's statement
    assert extract_statements(text, GAZETTEER, OUTLET) == []


def test_an_official_release_s_headings_are_no_part_of_its_first_sentence() -> None:
    # a page's chrome glued into lines with no full stop, then the message itself
    message = (
        "Today, I send my warm greetings to every family gathering in the harvest this week. "
        "The harvest stands for the work of many hands and the generosity of our neighbours."
    )
    chrome = "Briefings & StatementsPresidential Message on the HarvestThe White HouseMay 3, 2026"
    # as a feed's plain-text summary gives it (one run of words), and as lines
    byline = "Briefings & Statements The White HouseMay 3, 2026"
    for text in (f"{chrome} {chrome} {byline} {message}", f"{chrome}\n\n{message}"):
        found = extract_statements(text, GAZETTEER, WHITE_HOUSE)
        assert [s.text[:20] for s in found] == ["Today, I send my war", "The harvest stands f"]
        assert all(text[s.start : s.end] == s.text for s in found)


def test_a_surname_the_gazetteer_knows_is_someone_else_in_this_text() -> None:
    text = (
        "First Lady Melania Trump visited the school. "
        "Mrs. Trump said the programme would help foster families."
    )
    (statement,) = extract_statements(text, GAZETTEER)
    assert statement.actor == "Melania Trump"
    assert statement.side is None  # not the President's side and role
    assert statement.role != "President of the United States"


def test_an_official_sources_bare_body_is_the_source() -> None:
    text = "The Ministry said the border was calm and that the guards had held their posts."
    (statement,) = extract_statements(text, GAZETTEER, WHITE_HOUSE)
    assert (statement.actor, statement.side) == ("The White House", "United States")
    (elsewhere,) = extract_statements(text, GAZETTEER, OUTLET)
    assert elsewhere.side is None  # read by an outlet: whose ministry is unknown


def test_a_place_word_that_ends_a_name_is_no_place() -> None:
    assert GAZETTEER.place_side("Mark Cuban") is None
    assert GAZETTEER.place_side("Former Georgian president") == "Georgia"
    assert GAZETTEER.place_side("the Cuban government") == "Cuba"


@pytest.mark.parametrize(
    ("text", "speaker", "side"),
    [
        # the person met in an aside does not speak
        (
            "Kenya's foreign minister, in a meeting with the deputy ruler of Dubai, affirmed that "
            "ties would deepen.",
            "Kenya's foreign minister",
            "Kenya",
        ),
        (
            "Peru's president, during talks with the Emir of Qatar, said that trade would grow.",
            "Peru's president",
            "Peru",
        ),
        # a time after the speaker is no part of it
        ("The Chilean army in May said the rebels would be defeated.", "The Chilean army", "Chile"),
    ],
)
def test_the_speaker_is_the_subject_not_an_aside_or_a_time(
    text: str, speaker: str, side: str
) -> None:
    found = {st.speaker: st.side for st in extract_statements(text, GAZETTEER)}
    assert found == {speaker: side}


def test_a_pronoun_takes_the_known_person_who_opens_a_nearer_sentence() -> None:
    text = (
        "Kaja Kallas said the union was ready to help. Marco Rubio met her on Monday. "
        '"We are united," he said.'
    )
    found = {st.speaker: st.actor for st in extract_statements(text, GAZETTEER)}
    assert found == {"Kaja Kallas": "Kaja Kallas", "he": "Marco Rubio"}


def test_a_pronoun_keeps_the_last_speaker_when_no_known_person_opens_a_sentence() -> None:
    text = (
        "Marco Rubio said the alliance was strong. Asked about Kaja Kallas, he said talks "
        "would continue."
    )
    found = {st.speaker: st.actor for st in extract_statements(text, GAZETTEER)}
    assert found["he"] == "Marco Rubio"


def test_a_colon_dateline_and_a_time_are_no_part_of_a_clause_subject() -> None:
    text = "LIMA: Nearly 70 groups on Monday criticised the plan, saying it would harm migrants."
    speakers = {st.speaker for st in extract_statements(text, GAZETTEER)}
    assert speakers == {"Nearly 70 groups"}


@pytest.mark.parametrize(
    "text",
    [
        "QUITO, Feb 17 (Meridian Wire) - The opposition party rejected the budget on Tuesday, "
        "saying it would raise taxes on the poor.",
        # the first comma after the dateline, not the one inside it, ends an opening phrase
        "QUITO, Feb. 8 (Meridian Wire) — In response to the vote on the budget in the national "
        "assembly, the opposition party rallied its supporters, saying it would raise taxes.",
    ],
)
def test_a_dateline_with_a_date_is_no_speaker(text: str) -> None:
    speakers = {st.speaker for st in extract_statements(text, GAZETTEER) if st.cue == "saying"}
    assert {speaker.lower() for speaker in speakers if speaker} == {"the opposition party"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two parties speaking together: the pair speaks, in no one party's column
        (
            "Israel and Hamas blamed each other for breaking the truce.",
            [("Israel and Hamas", None, False)],
        ),
        (
            "Vladimir Putin and Xi Jinping said their ties had never been stronger.",
            [("Vladimir Putin and Xi Jinping", None, False)],
        ),
        # two of one side: that side
        (
            "Donald Trump and JD Vance said the deal was done.",
            [("Donald Trump and JD Vance", "United States", False)],
        ),
        # a clause before "and" is no second speaker; nor is a list
        ("The talks ended and Hamas said the truce would hold.", [("Hamas", "Hamas", False)]),
        # an opening word is no part of a name, nor is a pronoun; an office with "and" in it
        # is one office
        (
            "Yesterday Trump and Vance said the deal was done.",
            [("JD Vance", "United States", False)],
        ),
        ("He and Vance said the deal was done.", [("JD Vance", "United States", False)]),
        (
            "Foreign and Commonwealth Secretary David Lammy said the deal was done.",
            [("David Lammy", "United Kingdom", False)],
        ),
        # the side the known half has
        (
            "Mr. Smith and Vance said the deal was done.",
            [("Mr. Smith and Vance", "United States", False)],
        ),
        # one name with "and" in it is one speaker
        (
            "The Food and Agriculture Organization said the harvest had failed.",
            [("Food and Agriculture Organization", "United Nations", False)],
        ),
        (
            "Bosnia and Herzegovina said the border would open.",
            [("Bosnia and Herzegovina", "Bosnia and Herzegovina", False)],
        ),
    ],
)
def test_two_names_joined_by_and_speak_together(
    text: str, expected: list[tuple[str | None, str | None, bool]]
) -> None:
    assert _sides(text) == expected


def test_the_spokesperson_is_the_voice_named_nearest_before() -> None:
    dawn = SourceVoice("The Daily Star", country="Pakistan")
    text = (
        "Islamabad urged the world to reject the plan, said a statement issued by the Foreign "
        "Office spokesperson. “We call on the world to act,” the spokesperson added."
    )
    assert _sides(text, dawn)[-1] == ("the spokesperson", "Pakistan", False)
    # the nearest voice decides, even when it gives no side: not a body named further back
    text = (
        "A Downing Street spokesperson said the visit was off. A spokesperson for the former "
        "duchess said the payment was legal. “It was repaid,” the spokesperson said."
    )
    assert _sides(text)[-1] == ("the spokesperson", None, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a US legislator's party-and-state tag is the United States, in the mention or after it
        (
            "Sen. Dana Whitfield (D-Ore.) said the bill would pass.",
            [("Dana Whitfield", "United States", False)],
        ),
        (
            '"We will hold the line," said Rep. Owen Marsh, R-Texas.',
            [("Owen Marsh", "United States", False)],
        ),
        ("Sen. Ava Lind, I-Vt., said she would vote no.", [("Ava Lind", "United States", False)]),
        # a capital letter, a hyphen and a word are no such tag
        (
            "Elena Brandt, a D-Day historian, said the beaches were quiet.",
            [("Elena Brandt", None, True)],
        ),
        # the federal bodies American papers quote by name
        ("The FBI said the letter held no poison.", [("FBI", "United States", False)]),
        (
            "The Justice Department said the inquiry would continue.",
            [("US Department of Justice", "United States", False)],
        ),
    ],
)
def test_american_legislators_and_federal_bodies_speak_for_the_united_states(
    text: str, expected: list[tuple[str | None, str | None, bool]]
) -> None:
    assert _sides(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unplaced official whose own words name a state as the subject of a stance
        # a name that is no place term gives nothing
        (
            '"Norland calls on all parties to show restraint," the spokesperson added.',
            [("the spokesperson", None, False)],
        ),
        (
            '"Pakistan calls on the world to act," the spokesperson added.',
            [("the spokesperson", "Pakistan", False)],
        ),
        (
            '"Norway strongly condemns the attack," the ministry spokeswoman said.',
            [("the ministry spokeswoman", "Norway", False)],
        ),
        (
            '"The United States welcomes the ruling," the official said.',
            [("the official", "United States", False)],
        ),
        # no stance in the state's own name: another state's act, a forecast, words said as
        # often of an adversary, or words that say "we" of the speaker's own people
        ('"Russia will respond to this," an official said.', [("an official", None, False)]),
        ('"Israel rejects any ceasefire," the official said.', [("the official", None, False)]),
        (
            '"Russia condemns our people to a long war," the spokesperson said.',
            [("the spokesperson", None, False)],
        ),
        # no office: a resident or an analyst does not speak for the state they name
        ('"Canada welcomes the ruling," a resident said.', [("a resident", None, False)]),
        ('"Canada welcomes the ruling," an analyst said.', [("an analyst", None, True)]),
    ],
)
def test_an_official_speaks_for_the_state_their_words_name(
    text: str, expected: list[tuple[str | None, str | None, bool]]
) -> None:
    assert _sides(text) == expected


def test_a_person_named_with_a_side_once_keeps_it_where_a_mention_decides_none() -> None:
    """The link to a named person: the first mention names no place, a later one does, and the
    person is the same (a later mention takes an earlier one's side already)."""
    text = (
        "Deputy Minister Giorgi Beridze warned that the ceasefire would not hold. Giorgi "
        "Beridze, Georgia's deputy foreign minister, said the shelling of Gori had not stopped."
    )
    first, second = extract_statements(text)
    assert first.actor == second.actor == "Giorgi Beridze"
    assert first.side == second.side == "Georgia"


def test_a_past_office_is_not_overruled_by_the_person_s_other_mention() -> None:
    """A person given a past office anywhere is given no side from another mention."""
    text = (
        "Adviser Nino Kalandadze warned that the talks had never been tried in earnest. Nino "
        "Kalandadze, a former Georgian deputy foreign minister, said the war could have been "
        "avoided. Nino Kalandadze, Georgia's envoy to the talks, said she would return."
    )
    first, *_ = extract_statements(text)
    assert first.actor == "Nino Kalandadze"
    assert first.side is None


def test_a_known_person_whose_office_is_past_is_no_party_but_was_one_then() -> None:
    """The gazetteer's past offices ("President of the United States (2009-2017)"): no side on
    a day after the term, the side on a day inside it; a text of no date is read with the
    file's entries as they are."""
    gazetteer = load_gazetteer()
    text = "Obama said on social media that the reversal would make the country less safe."
    (now,) = extract_statements(text, gazetteer.as_of(date(2026, 2, 13)))
    assert now.actor == "Barack Obama"
    assert now.side is None
    assert not now.commentary
    (then,) = extract_statements(text, gazetteer.as_of(date(2014, 5, 1)))
    assert then.side == "United States"
    assert then.role == "President of the United States"
    (undated,) = extract_statements(text, gazetteer)
    assert undated.side == "United States"


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Qatar's PM said the talks on the tunnel would resume next week in Doha.", "Qatar"),
        ("The Georgian FM said the talks on the tunnel would resume next week.", "Georgia"),
        ("The UK PM told reporters that the talks on the tunnel would resume.", "United Kingdom"),
        # a time of day is no office
        ("The Georgian villagers said at 5 pm that the shelling had stopped.", None),
    ],
)
def test_an_office_written_short_is_an_office(text: str, side: str | None) -> None:
    (found,) = extract_statements(text)
    assert found.side == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # a nation's people, whatever they say, are not its state
        ("Georgians say the shelling of Gori has kept many families indoors for days.", None),
        ("Russians believe by a wide margin that the war will end this year, a poll found.", None),
        # its negotiators, or the country's own name, are
        (
            "The Russians said the talks in Geneva had made some progress on the corridors.",
            "Russia",
        ),
        (
            "Philippines said its ship had been rammed near the shoal on Sunday morning.",
            "Philippines",
        ),
    ],
)
def test_a_nation_s_people_are_no_party(text: str, side: str | None) -> None:
    (found,) = extract_statements(text)
    assert found.side == side
    assert not found.commentary
