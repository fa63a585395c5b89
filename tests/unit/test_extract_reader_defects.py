"""Defects a reader of the digest saw in extracted statements, each fixed where it arises:
a dateline inside a statement, a transcript's label taken for reported speech, invisible
characters inside names."""

from __future__ import annotations

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
