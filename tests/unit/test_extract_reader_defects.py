"""Defects a reader of the digest saw in extracted statements, each fixed where it arises:
a dateline inside a statement, a transcript's label taken for reported speech, invisible
characters inside names."""

from __future__ import annotations

import pytest

from aggregator.extract import extract_statements
from aggregator.parse.normalise import clean_text, one_line


def test_a_dateline_is_no_part_of_what_was_said() -> None:
    text = (
        "DOLVANY, Veskaria (Meridian Press) — At least 14 civilians were killed in the "
        "shelling of the town, according to Veskaria's health ministry."
    )
    (statement,) = extract_statements(text)
    assert statement.text.startswith("At least 14 civilians")
    assert text[statement.start : statement.end] == statement.text


def test_a_wire_dateline_too() -> None:
    text = "GENEVA (Reuters) -- The talks were constructive, Iran's foreign minister said."
    (statement,) = extract_statements(text)
    assert statement.text == "The talks were constructive"


def test_a_transcript_label_heads_the_speakers_own_words() -> None:
    text = (
        "The minister spoke to reporters on Tuesday.\n\n"
        "Sergei Lavrov: Georgia must withdraw its forces from the region at once.\n"
    )
    (statement,) = extract_statements(text)
    assert (statement.speaker, statement.cue, statement.kind) == ("Sergei Lavrov", ":", "direct")


def test_invisible_characters_leave_feed_text() -> None:
    assert clean_text("the anti-settlement watc\u00adh\u00addog said") == (
        "the anti-settlement watchdog said"
    )
    assert one_line("Palest\u00adinian\u200b Authority\ufeff", 100) == "Palestinian Authority"
    assert clean_text("\u200dkept\u200c") == "\u200dkept\u200c"  # joiners some scripts need


def test_a_dateline_does_not_change_what_a_sentence_says() -> None:
    claim = (
        "The rise of the new party has alarmed the government so much that it has reshuffled "
        "its diplomats and, according to officials, adopted a new strategy abroad."
    )
    bare = extract_statements(claim)
    dated = extract_statements("MEXICO CITY - " + claim)
    assert [(s.start + 14, s.end + 14, s.speaker) for s in bare] == [
        (s.start, s.end, s.speaker) for s in dated
    ]


def test_initials_are_no_sentence_end_and_stay_in_the_speaker() -> None:
    (statement,) = extract_statements("Talks will continue, said the head of the U.K. delegation.")
    assert statement.speaker == "the head of the U.K. delegation"  # was "the head of the U"
    (statement,) = extract_statements("“No,” said J.D. Vance.")
    assert statement.speaker == "J.D. Vance"


# --- the round of 7 December (third session): defects read in the realfeeds digests


def test_a_list_bullet_is_no_part_of_a_speaker_and_ends_an_item() -> None:
    text = (
        "• Norway asks the council to reject the decision on the northern fields "
        "• Sweden calls the move illegal\n"
    )
    (statement,) = extract_statements(text)
    assert (statement.speaker, statement.side) == ("Norway", "Norway")
    assert statement.text == "the council to reject the decision on the northern fields"


def test_threaten_with_an_object_is_speech_only_for_a_measure() -> None:
    # "endanger" is no threat made: no statement
    assert extract_statements("Globally, automation could threaten jobs in many trades.\n") == []
    assert extract_statements("The drought threatens exports of grain, traders warned.\n")[
        0
    ].speaker == ("traders")
    for endangered in (
        "Rising seas threaten warehouses along the coast.\n",
        "The storm threatened the fine balance of the harvest.\n",
        "Climate change threatens the destruction of coral reefs.\n",
        "The strike threatened an escalation of the conflict.\n",
        "The ruling threatens affirmative action at universities.\n",
        "The budget cuts threaten the police force.\n",
    ):
        assert extract_statements(endangered) == [], endangered
    (statement,) = extract_statements(
        "The conflict threatens a wider war in the region, analysts said.\n"
    )
    assert statement.speaker == "analysts"
    # a threat made: a measure, whom it is made against, or an infinitive
    for text, content in [
        ("Norway threatened retaliation against any seizure.\n", "retaliation against any"),
        ("The union threatened a strike if the talks fail.\n", "a strike if the talks fail"),
        ("The minister threatened to resign.\n", "to resign"),
        ("Norway threatened Sweden with new tariffs on fish.\n", "Sweden with new tariffs"),
        ("Norway threatened a ‘swift’ response.\n", "a ‘swift’ response"),
    ]:
        (statement,) = extract_statements(text)
        assert statement.text.startswith(content)


def test_a_possessive_opens_the_subject_it_does_not_end_it() -> None:
    text = (
        "Lindqvist’s main challenger in the spring vote, Per Aune, launched his campaign on "
        "Sunday, pledging to fight corruption.\n"
    )
    (statement,) = extract_statements(text)
    assert statement.speaker == "Lindqvist’s main challenger in the spring vote"


def test_capitals_that_qualify_a_noun_name_no_speaker() -> None:
    # "the Booker Prize winner" is a writer, not a prize; "a Harvard professor" not Harvard
    for text in (
        "“We will keep writing,” the 70-year-old Booker Prize winner said.\n",
        "“The data are clear,” a Harvard professor said.\n",
    ):
        (statement,) = extract_statements(text)
        assert statement.actor not in {"Booker Prize", "Harvard"}
    # a title before a name still gives the name; a reflexive or a surname's particle after
    # the capitals does not end the name
    (statement,) = extract_statements("“We will win,” Secretary of State Marco Rubio said.\n")
    assert statement.actor == "Marco Rubio"
    (statement,) = extract_statements("“We will not yield,” Trump himself said.\n")
    assert (statement.actor, statement.side) == ("Donald Trump", "United States")
    first, second = extract_statements(
        "“Europe must rearm,” Joachim van der Berg said.\n\n“We have no time,” he said.\n"
    )
    assert first.actor == second.actor == "Joachim van der Berg"


def test_one_speaker_span_is_one_speaker() -> None:
    # the clause's verb and its participle read the same words as the speaker: one decision
    text = (
        "Norway’s Investigative Committee declined to open a criminal case, citing a "
        "combination of medical conditions.\n"
    )
    first, second = extract_statements(text)
    assert first.speaker == second.speaker == "Norway’s Investigative Committee"
    assert first.side == second.side == "Norway"


def test_a_military_rank_is_a_title_and_a_title_is_never_cut_after_the() -> None:
    (statement,) = extract_statements(
        "Chief of the Army Staff Field Marshal Tomas Verlind said the army was ready.\n"
    )
    assert statement.role == "Chief of the Army Staff Field Marshal"
    (statement,) = extract_statements("Admiral Jane Holt said the fleet was ready.\n")
    assert (statement.actor, statement.role) == ("Jane Holt", "Admiral")


def test_an_epithet_describes_a_person_whom_a_pronoun_then_refers_to() -> None:
    text = (
        "“We will keep writing,” the 70-year-old Booker Prize winner said.\n\n"
        "“It was the best day of my life,” she said.\n"
    )
    first, second = extract_statements(text)
    assert first.actor == second.actor == "the 70-year-old Booker Prize winner"


def test_a_role_the_text_gave_a_person_holds_for_their_later_words() -> None:
    # no side is decided (a candidate of no office the gazetteer knows), the role still holds
    text = (
        "“We will win this state,” opposition candidate Tomas Verlind said at a rally.\n\n"
        "“The taxes are fine,” Verlind added.\n"
    )
    first, second = extract_statements(text)
    assert first.actor == second.actor == "Tomas Verlind"
    assert first.role == second.role == "opposition candidate"


def test_an_organisations_or_a_states_own_body_or_panel_speaks_for_it() -> None:
    for text, side in [
        (
            "An independent United Nations body condemned the attacks on the expert.\n",
            "United Nations",
        ),
        ("A Norwegian parliamentary panel said the report was flawed.\n", "Norway"),
    ]:
        (statement,) = extract_statements(text)
        assert statement.side == side
    # no place, no side: "the Olympic body" is no state's; nor is a trade's or a school's
    for text in (
        "The Olympic body said the athletes were cleared.\n",
        "A Norwegian industry body said the rules were unfair.\n",
        "The Norwegian student body said the exams would go ahead.\n",
    ):
        (statement,) = extract_statements(text)
        assert statement.side is None, text


def test_a_surname_two_people_bear_goes_to_the_one_named_last() -> None:
    text = (
        "“No,” said Anna Verlind, wife of opposition leader Tomas Verlind.\n\n"
        "“Yes,” Tomas Verlind said.\n\n"
        "“Maybe,” Verlind added.\n"
    )
    _, _, third = extract_statements(text)
    assert third.actor == "Tomas Verlind"
    assert third.role is None  # not the role the text gave Anna Verlind


def test_a_surname_goes_on_quoting_its_speaker_after_a_namesake_named_in_passing() -> None:
    # a namesake the text only mentions ("the poet Allama Muhammad Iqbal") is not the speaker
    # the surname has been quoting all along
    text = (
        "“We agreed to cooperate,” said Planning Minister Ahsan Iqbal.\n\n"
        "The visit falls in the year of the birth anniversary of the poet Allama Muhammad "
        "Iqbal.\n\n"
        "“Trade is growing fast,” Iqbal said.\n"
    )
    statements = extract_statements(text)
    assert [s.actor for s in statements] == ["Ahsan Iqbal", "Ahsan Iqbal"]


def test_a_bare_surname_stays_with_the_person_it_first_stood_for() -> None:
    # a relative named in full after the text has begun to call its subject by the surname
    # alone does not take the surname over ("Tarique Rahman … Rahman, 60, son of … President
    # Ziaur Rahman … Rahman urged calm": the son's words, not the late father's)
    text = (
        "Party leader Tomas Verlind was sworn in as prime minister on Tuesday.\n\n"
        "Verlind, 60, son of the late President Anders Verlind, takes office in hard times.\n\n"
        "The ceremony was held at the parliament.\n\n"
        "In his first remarks, Verlind urged calm, saying: Order must be kept.\n"
    )
    statements = extract_statements(text)
    assert statements
    assert {s.actor for s in statements} == {"Tomas Verlind"}


def test_a_quotation_that_opens_its_paragraph_is_the_one_the_paragraph_before_was_about() -> None:
    # feeds give each sentence a paragraph of its own: "he" after a quotation that opens its
    # paragraph is the person whose act the paragraph before told, not the last speaker
    text = (
        "“The vote was fair,” said analyst John Morrow.\n\n"
        "Prime Minister Shehbaz Sharif extended warm felicitations to the winner.\n\n"
        "“I look forward to close engagements with my brother,” he said.\n"
    )
    statements = extract_statements(text)
    assert [s.actor for s in statements] == ["John Morrow", "Shehbaz Sharif"]


def test_a_post_or_a_paper_that_names_an_office_is_no_person() -> None:
    # "A post by the President's Secretariat" holds "President" but is a paper: a later "he"
    # cannot be it, nor is it shown with itself as its role
    text = (
        "A post by the President’s Secretariat on social media said the president welcomed "
        "the result.\n\n"
        "“We will work together,” he said.\n"
    )
    first, *rest = extract_statements(text)
    assert first.role is None
    assert all(s.actor != first.actor for s in rest)


@pytest.mark.parametrize("verb", ["said", "has said", "has also said", "also said", "will say"])
def test_an_age_between_commas_is_no_speaker_whatever_stands_before_the_cue(verb: str) -> None:
    # "Jamaat leader Shafiqur Rahman, 67, has also said …": the age is an aside; with an
    # auxiliary or an adverb before the cue the comma before it was lost, and "67" spoke
    text = f"But party leader Tomas Verlind, 67, {verb} the party would be a vigilant opposition."
    (statement,) = extract_statements(text)
    assert statement.speaker == "party leader Tomas Verlind"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a capitalised "Now" is a name's ("Peace Now", "Democracy Now"), as "May" is
        ("Anti-settlement watchdog Peace Now called the plan a land grab.", "Peace Now"),
        # in lower case it still stands between the subject and its cue
        ("The minister now says the plan will fail.", "The minister"),
    ],
)
def test_a_capitalised_now_is_part_of_a_name(text: str, speaker: str) -> None:
    (statement,) = extract_statements(text)
    assert statement.speaker.endswith(speaker)


def test_an_office_its_pronoun_owns_is_the_office_of_the_body_named_before_it() -> None:
    # "Amnesty International has demanded … Its secretary general, Agnès Callamard, said …":
    # an NGO's officer is commentary, not a party's nor the Others column's
    text = (
        "Amnesty International has demanded that the governments withdraw their accusations. "
        "Its secretary general, Ana Roth, said ministers had attacked her on a truncated video."
        "\n\n“They must apologise,” Roth said.\n"
    )
    _, officer, again = extract_statements(text)
    assert officer.actor == again.actor == "Ana Roth"
    assert officer.commentary
    assert again.commentary
    assert officer.side is None


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # an epithet of distinction refers back to the person the paragraph before named
        (
            "Interim leader Thomas Verlind stepped down on Monday in a farewell broadcast.\n\n"
            "“Today, the interim government is stepping down,” the 85-year-old Nobel Peace "
            "Prize winner said.\n",
            "Thomas Verlind",
        ),
        # an activist or a survivor is as often an unnamed witness as the person just named
        (
            "President Thomas Verlind visited Kharkiv on Tuesday.\n\n"
            "“We protest every week,” the local activist said.\n",
            "the local activist",
        ),
        # a body named just before is no person an epithet stands for
        (
            "Amnesty International issued a report on Monday.\n\n"
            "“This must stop,” the Nobel laureate said.\n",
            "the Nobel laureate",
        ),
        # an age alone may be the unnamed man an official spoke of
        (
            "Police Chief Jane Doe said the man was arrested on Monday.\n\n"
            "“I did nothing,” the 34-year-old said.\n",
            "the 34-year-old",
        ),
        # a person named paragraphs before is too far back
        (
            "Tomas Verlind won the prize in 2010.\n\nThe city grew.\n\nRents rose.\n\n"
            "“It was hard,” the Nobel laureate said.\n",
            "the Nobel laureate",
        ),
    ],
)
def test_a_definite_epithet_refers_back_to_the_person_just_named(text: str, actor: str) -> None:
    assert extract_statements(text)[-1].actor == actor


@pytest.mark.parametrize(
    ("mention", "actor"),
    [
        # a surname after a title of several words: the surname ("Former Home Cooper" was
        # shown as a name)
        ("Former Home Secretary Verlind", "Verlind"),
        ("Deputy Prime Minister Verlind", "Verlind"),
        ("Secretary Verlind", "Verlind"),
    ],
)
def test_a_surname_after_a_title_of_several_words_is_the_name(mention: str, actor: str) -> None:
    (statement,) = extract_statements(f"{mention} said the decision was wrong.")
    assert statement.actor == actor


def test_its_office_is_not_a_body_named_sentences_before() -> None:
    # another body was named in between: "Its" is Gazprom's, not the Commission's
    text = (
        "The European Commission said the deal was fair.\n\n"
        "Meanwhile Russian energy company Gazprom cut supplies. Its chief executive said the "
        "cut was technical.\n"
    )
    _, chief = extract_statements(text)
    assert chief.side is None


def test_a_surname_that_opens_a_sentence_after_a_conjunction_is_written_alone() -> None:
    text = (
        "Thomas Verlind returned from exile.\n\n"
        "But Verlind, 60, is the son of the late President Anders Verlind.\n\n"
        "Verlind said the vote would be fair.\n"
    )
    (statement,) = extract_statements(text)
    assert statement.actor == "Thomas Verlind"


def test_an_aside_between_commas_before_the_cue_leaves_the_opening_phrase_alone() -> None:
    # ", meanwhile," is an aside of its own: the phrase that opens the sentence is no role
    text = "After the Russian military strike, Tomas Verlind, meanwhile, said the army was ready."
    (statement,) = extract_statements(text)
    assert statement.speaker == "Tomas Verlind"
    assert statement.role is None
    assert statement.side is None


def test_a_pronoun_goes_to_the_person_whose_act_opens_its_sentence_in_the_possessive() -> None:
    # "U.S. Secretary of State Marco Rubio’s visit …, where he said …": Rubio, not the
    # president named in the paragraph before
    text = (
        "President Donald Trump said the alliance was strong.\n\n"
        "U.S. Secretary of State Marco Rubio’s visit to Budapest, where he said Washington "
        "backed the government, lasted two days.\n"
    )
    statements = extract_statements(text)
    assert [s.actor for s in statements] == ["Donald Trump", "Marco Rubio"]


def test_speech_inside_a_where_clause_ends_where_the_main_clause_resumes() -> None:
    # "…'s visit to Hungary, where he expressed X, demonstrates that …": X ends at the comma
    text = (
        "The envoy’s visit to Slovakia and Hungary, where he expressed his support for the "
        "governing party in the April elections, demonstrates that Washington has chosen a side."
    )
    (statement,) = extract_statements(text)
    assert statement.text == "his support for the governing party in the April elections"


def test_a_month_before_which_is_no_speaker() -> None:
    # "a report in November, which claimed …": the time qualifies the antecedent
    text = (
        "The idea of decline was also put forward in a U.S. national security strategy report "
        "in November, which claimed that policy decisions, including those on trade, were "
        "having a harmful impact."
    )
    assert all(s.speaker != "November" for s in extract_statements(text))
    text = (
        "The idea was put forward in a strategy report in November, which claimed that the "
        "policies were failing."
    )
    assert [s.speaker for s in extract_statements(text)] == ["a strategy report"]
    # a person before "who" still speaks
    (statement,) = extract_statements("The lecture came from the minister, who said it was fair.")
    assert statement.speaker == "the minister"


def test_a_place_before_the_wires_double_hyphen_is_a_dateline_whatever_its_case() -> None:
    # "Kyiv -- Russian forces" had been one speaker, placed under Ukraine by its first word
    for text in (
        "Kyiv -- Russian forces said they had struck a power plant in the Kharkiv region.",
        # a later double hyphen in the sentence is no aside closing after the place
        "Kyiv -- Russian forces said they struck a power plant overnight -- the third attack "
        "this week.",
    ):
        (statement,) = extract_statements(text)
        assert (statement.speaker, statement.side) == ("Russian forces", "Russia")
    # a state's own name is a place too, though the gazetteer knows it as a party
    (statement,) = extract_statements(
        "Ukraine -- Russian forces said they had struck a power plant in the Kharkiv region."
    )
    assert (statement.speaker, statement.side) == ("Russian forces", "Russia")
    # a source's tag before it, as some aggregators write it
    text = "[Capital FM] Nairobi -- Kenyan officials said the fuel tax would be reviewed soon."
    (statement,) = extract_statements(text)
    assert statement.speaker == "Kenyan officials"
    assert text[statement.speaker_start : statement.speaker_end] == "Kenyan officials"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a name with an aside: a second double hyphen closes it, or a comma does
        ("Mr. Smith -- The Senator's aide -- said the bill would pass this week.", "Mr. Smith"),
        ("Kallas -- Estonia's former prime minister, said the sanctions would stay.", "Kallas"),
        ("Biden -- The former president said the war must end soon.", "Biden"),
    ],
)
def test_a_name_before_a_double_hyphen_is_no_dateline(text: str, speaker: str) -> None:
    (statement,) = extract_statements(text)
    assert statement.speaker.startswith(speaker)


def test_a_hyphen_inside_a_word_ends_no_dateline() -> None:
    for text in (
        "NATO-led forces said they had withdrawn from the base.",
        "[Update] NATO-led forces said they had withdrawn from the base.",
    ):
        (statement,) = extract_statements(text)
        assert statement.speaker == "NATO-led forces"
