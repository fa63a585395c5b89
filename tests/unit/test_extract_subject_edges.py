"""Where a clause's subject begins and ends (issue #13): an adverb after the name, an opening
adjunct, a span of time, a description with a group noun, a count with capitalised words and an
"including" apposition are no cut in the speaker's name."""

from __future__ import annotations

import pytest

from aggregator.extract import extract_statements, load_gazetteer

GAZETTEER = load_gazetteer()


def _by_cue(text: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {s.cue: (s.speaker, s.actor, s.side) for s in extract_statements(text, GAZETTEER)}


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        (
            "Iqbal further highlighted links for trade, saying farmers would gain.",
            "saying",
            "Iqbal",
        ),
        ("Duncan separately noted the risk, saying it was small.", "saying", "Duncan"),
        ("Khan additionally stressed the cost, warning that prices would rise.", "warning", "Khan"),
        ("Jordan later rejected the offer, saying it came too late.", "saying", "Jordan"),
        ("Iqbal also praised the plan, saying it was fair.", "saying", "Iqbal"),
        (
            "The Hungarian envoy quietly left the summit, saying talks had failed.",
            "saying",
            "The Hungarian envoy",
        ),
    ],
)
def test_an_adverb_after_the_subject_is_no_part_of_it(text: str, cue: str, speaker: str) -> None:
    assert _by_cue(text)[cue][0] == speaker


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        # the owner of a speech noun after a preposition: the name, without the preposition
        (
            "Despite Ortega's remarks about Peru seeking a truce, the talks drag on.",
            "remarks",
            "Ortega",
        ),
        (
            "Amid Novak's warnings about the deficit, the union said it would strike.",
            "warnings",
            "Novak",
        ),
        # the clause after the adjunct has its own subject
        (
            "Following the vote in Lisbon, the minister resigned, saying she had lost trust.",
            "saying",
            "the minister",
        ),
        ("Unlike Moreau, Dalton opposed the reform, saying it was rushed.", "saying", "Dalton"),
    ],
)
def test_an_opening_adjunct_is_no_speaker(text: str, cue: str, speaker: str) -> None:
    assert _by_cue(text)[cue][0] == speaker


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        (
            "Six months after his arrest, Freedonia's Prosecutor General declined to open a "
            "case, citing a lack of evidence.",
            "citing",
            "Freedonia's Prosecutor General",
        ),
        (
            "Three days later, Ruritania's Defence Ministry denied the report, saying no troops "
            "had moved.",
            "saying",
            "Ruritania's Defence Ministry",
        ),
    ],
)
def test_a_span_of_time_opens_no_subject(text: str, cue: str, speaker: str) -> None:
    assert _by_cue(text)[cue][0] == speaker


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        (
            "A few minutes later they reversed the decision and said the polls would stay open.",
            "said",
            "they",
        ),
        ("Two hours later she rejoined the talks, saying the offer was fair.", "saying", "she"),
    ],
)
def test_a_pronoun_after_a_span_of_time_speaks(text: str, cue: str, speaker: str) -> None:
    assert _by_cue(text)[cue][0] == speaker


@pytest.mark.parametrize(
    ("text", "speaker", "actor"),
    [
        (
            "Armed group Sendero Rojo rejected on Tuesday the cabinet's plan, saying it would "
            "keep its weapons.",
            "Armed group Sendero Rojo",
            "Sendero Rojo",
        ),
        (
            "Rebel movement Frente Azul denied the claims, saying its fighters had withdrawn.",
            "Rebel movement Frente Azul",
            "Frente Azul",
        ),
    ],
)
def test_a_description_and_group_noun_belong_to_the_name(
    text: str, speaker: str, actor: str
) -> None:
    assert _by_cue(text)["saying"][:2] == (speaker, actor)


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        (
            "Eight Muslim countries, including Freedonia, on Tuesday condemned the decision, "
            "saying it broke international law.",
            "saying",
            "Eight Muslim countries",
        ),
        (
            "Several European states, including Ruritania and Borduria, said the sanctions were "
            "premature.",
            "said",
            "Several European states",
        ),
        (
            "Four Gulf monarchies rejected the proposal, saying it ignored their concerns.",
            "saying",
            "Four Gulf monarchies",
        ),
    ],
)
def test_a_count_keeps_its_noun_and_no_member_speaks_for_it(
    text: str, cue: str, speaker: str
) -> None:
    found_speaker, actor, side = _by_cue(text)[cue]
    assert (found_speaker, actor, side) == (speaker, speaker, None)


@pytest.mark.parametrize(
    "text",
    [
        "The row began after the Daily Ledger, which originally said it would skip the race, "
        "said it would cover it.",
        "After greeting the crowd, which loudly chanted her name, she thanked the volunteers.",
    ],
)
def test_a_relative_pronoun_is_no_speaker(text: str) -> None:
    assert all(
        (speaker or "").split(" ")[0].lower() not in {"which", "who"}
        for speaker, _, _ in _by_cue(text).values()
    )


def test_a_subordinate_clause_ends_the_subject() -> None:
    text = (
        "Many fans “wept openly” when Ola Berg and Ida Lund kissed, saying the romance felt real."
    )
    assert _by_cue(text)["saying"][:2] == ("Many fans", "Many fans")


def test_a_bare_count_before_a_past_tense_is_no_longer_subject() -> None:
    text = "Several senators met the envoy. Many left early, saying the talks were pointless."
    assert _by_cue(text)["saying"][0] == "Many"


def test_a_name_opening_with_a_number_word_is_kept() -> None:
    found = _by_cue("One Nation leader Ada Quill said the levy must go.")
    assert found["said"][:2] == ("One Nation leader Ada Quill", "Ada Quill")


def _speakers(text: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {s.cue: (s.speaker, s.actor, s.role) for s in extract_statements(text, GAZETTEER)}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The direct negotiations last month came as diplomats urgently try to secure a deal "
            "on the border, fearing the truce could fall apart.",
            "diplomats",
        ),
        (
            "The vote came as lawmakers debated the budget, warning that cuts would hurt.",
            "lawmakers",
        ),
    ],
)
def test_a_participle_after_an_event_hangs_from_the_nearest_clause(text: str, speaker: str) -> None:
    # (after any other verb the main clause speaks: test_a_subordinate_clause_ends_the_subject)
    assert {s.speaker for s in extract_statements(text, GAZETTEER)} == {speaker}


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        (
            "The duo also filmed a clip in March railing against the mayor while standing "
            "outside city hall.",
            "railing against",
            "The duo",
        ),
        (
            "Aides briefed reporters on Friday after the senator unleashed a series of posts "
            "accusing the governor of lying.",
            "accusing",
            "the senator",
        ),
    ],
)
def test_a_recording_speaks_for_its_clauses_subject(text: str, cue: str, speaker: str) -> None:
    assert _speakers(text)[cue][0] == speaker


@pytest.mark.parametrize(
    ("text", "speaker", "actor", "role"),
    [
        (
            "Harbor Party chief Tomas Verlind conceded on Sunday, saying his party would "
            "accept the result.",
            "Harbor Party chief Tomas Verlind",
            "Tomas Verlind",
            "Harbor Party chief",
        ),
        (
            "Harbor Party foreign minister Tomas Verlind spoke on Sunday, saying the vote was "
            "fair.",
            "Harbor Party foreign minister Tomas Verlind",
            "Tomas Verlind",
            "Harbor Party foreign minister",
        ),
    ],
)
def test_a_body_its_office_and_a_name_are_one_mention(
    text: str, speaker: str, actor: str, role: str
) -> None:
    assert _speakers(text)["saying"] == (speaker, actor, role)


@pytest.mark.parametrize(
    "text",
    [
        "The Atlantic reported that the ministry had delayed the plan.",
        "Atlantic said this likely suggests a deeper rift in the cabinet.",
        "The New Yorker reported that the envoy had resigned.",
    ],
)
def test_a_magazine_is_commentary(text: str) -> None:
    (statement,) = extract_statements(text, GAZETTEER)
    assert statement.commentary
    assert statement.side is None


def test_a_cue_word_in_a_list_of_nouns_is_no_cue() -> None:
    text = (
        "The stadium collapse sparked weeks of public anger and promises to tighten building codes."
    )
    assert extract_statements(text, GAZETTEER) == []
    # a verb in the present after one in the present perfect is still a verb
    later = "The senator has criticised the plan and warns that costs will rise."
    assert _speakers(later)["warns"][0] == "The senator"


def test_another_owners_recording_is_not_the_clause_subjects() -> None:
    text = (
        "A judge on Friday barred the agency from punishing the senator over his role in a "
        "clip urging troops to refuse unlawful orders."
    )
    assert _speakers(text)["urging"][0] != "A judge"
    # a document the subject owns is the subject's
    own = "She later revised her statement explaining that she had never seen the memo."
    assert _speakers(own)["explaining"][0] == "She"


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        # a comparison that opens a count is the count's, not a name ("More" alone)
        (
            "More than 80 film industry figures issued a statement on Tuesday criticising the "
            "festival's silence on the war.",
            "criticising",
            "More than 80 film industry figures",
        ),
        (
            "Fewer than half of the lawmakers signed a letter on Monday, urging the government "
            "to act on the shortages.",
            "urging",
            "Fewer than half of the lawmakers",
        ),
        # a comparison with no count opens no subject: the clause after the comma has it
        (
            "More recently, the Department of Homeland Security published a rule on Friday, "
            "declaring that the bridge will serve as a port of entry.",
            "declaring",
            "the Department of Homeland Security",
        ),
        # a sentence's capital opens an office written in lower case ("Prime" alone)
        (
            "Prime minister signed the treaty on Monday, saying it would end the dispute over "
            "the bridge.",
            "saying",
            "Prime minister",
        ),
    ],
)
def test_a_count_or_an_office_at_the_sentence_start_is_whole(
    text: str, cue: str, speaker: str
) -> None:
    assert _by_cue(text)[cue][0] == speaker
