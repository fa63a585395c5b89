"""Text helpers of the grouping stage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.group.text import (
    DocumentFrequencies,
    content_words,
    dot,
    feature_groups,
    headline_names,
    names,
    numbers,
    shingles,
    strip_credits,
    strip_publication_date,
    tfidf,
    words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`` We appreciate it, '' she said.", ["we", "appreciate", "it", "she", "said"]),
        ("Côte d'Ivoire’s capital", ["côte", "d'ivoire's", "capital"]),
        ("20 - 13 win", ["20", "13", "win"]),
        ("", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_content_words_drop_stopwords_and_single_letters() -> None:
    assert content_words("The minister said a new law is on the way") == ["minister", "law", "way"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tara Reid checked into Promises. Her rep told People.", ["reid", "promises", "people"]),
        ("The UN Security Council met.\nRussia objected.", ["un", "security", "council"]),
        ("lower case only", []),
        # an opening word counts when the text names it mid-sentence too, or is an acronym
        ("Velmora protested. Talks with Velmora stalled.", ["velmora", "velmora"]),
        ("NATO met. It was cold.", ["nato"]),
        # possessives are their name; months and days of the week are no names
        ("Talks in Ostrava’s town hall on Monday in March.", ["ostrava"]),
    ],
)
def test_names_skip_sentence_openings(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("title", "known", "expected"),
    [
        # sentence case: capitals after the first word are names, as in running text
        ("Parliament of Velmora ousts Dravin", [], ["velmora", "dravin"]),
        # title case: capitals say nothing, so only what the body names (or an acronym) counts
        ("Parliament of Velmora Ousts President Dravin", ["dravin"], ["dravin"]),
        ("Velmora Joins NATO Drills After Vote", [], ["nato"]),
        # the first word counts on the body's word in both
        ("Velmora ousts its president", ["velmora"], ["velmora"]),
    ],
)
def test_headline_names_do_not_depend_on_capitalisation_style(
    title: str, known: list[str], expected: list[str]
) -> None:
    assert headline_names(title, known) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Talks resumed on Tuesday, Feb. 17, 2026 in Ostrava",
            "Talks resumed on Tuesday,   in Ostrava",
        ),
        ("OSTRAVA, Feb 17 (Wire) - talks", "OSTRAVA,   (Wire) - talks"),
        ("17 February talks; the 5 January 2026 vote", "  talks; the 5 January 2026 vote"),
        ("The Town HallFebruary 16, 2026 Today", "The Town Hall  Today"),
        ("No dates here", "No dates here"),
    ],
)
def test_strip_publication_date(text: str, expected: str) -> None:
    assert strip_publication_date(text, datetime(2026, 2, 17, 9, 0, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[Morning Courier] Dunmore -- The board met.", " Dunmore -- The board met."),
        ("By Ilse Marrin and Tomas Brede\n\nOSLO (Wire) - Talks.", "OSLO - Talks."),
        ("DUNMORE, Velmora (Courier Wire) — A vote.", "DUNMORE, Velmora — A vote."),
        # not credits: a sentence that opens with "By", a parenthesis in running text
        ("By the time police came, he had fled.", "By the time police came, he had fled."),
        ("The rally (in March) - big", "The rally (in March) - big"),
    ],
)
def test_strip_credits(text: str, expected: str) -> None:
    assert strip_credits(text) == expected


def test_feature_groups_without_the_publication_date() -> None:
    dated = feature_groups(
        "Ostrava council meets",
        "OSTRAVA, Feb 17 - The council met on Tuesday over the 2025 budget.",
        published=datetime(2026, 2, 17, tzinfo=UTC),
    )
    assert dated["numbers"] == {"#2025": 1.0}
    assert "tuesday" not in dated["words"]
    undated = feature_groups(
        "Ostrava council meets", "OSTRAVA, Feb 17 - The council met on Tuesday over the budget."
    )
    assert undated["numbers"] == {"#17": 1.0}


def test_numbers() -> None:
    assert numbers("A 7.1 quake killed 1,200 people in 2013") == ["7.1", "1,200", "2013"]


@pytest.mark.parametrize(
    ("tokens", "size", "expected"),
    [
        (["a", "b", "c", "d"], 3, {"a b c", "b c d"}),
        (["a", "b"], 3, {"a b"}),
        ([], 3, set()),
    ],
)
def test_shingles(tokens: list[str], size: int, expected: set[str]) -> None:
    assert shingles(tokens, size) == expected


def test_feature_groups_prefix_and_weigh() -> None:
    groups = feature_groups(
        "Quake hits Malatya",
        "Rescuers reached Malatya on Monday. 38 buildings fell.",
        actors=["Selim Avcı"],
        title_weight=1.0,
    )
    assert groups["words"]["malatya"] == 1.0 + 2.0  # once in the text, once in the headline
    assert groups["names"]["@malatya"] == 2.0  # mid-sentence in the headline and the text
    assert groups["names"]["@avcı"] == 1.0
    assert groups["numbers"] == {"#38": 1.0}
    assert "quake hits" in groups["pairs"]


def test_tfidf_is_unit_length_and_favours_rare_terms() -> None:
    frequencies = DocumentFrequencies()
    for doc in (["quake", "rescue"], ["quake", "budget"], ["quake", "malatya"]):
        frequencies.add(doc)
    vector = tfidf({"quake": 1.0, "malatya": 1.0}, frequencies)
    assert abs(dot(vector, vector) - 1.0) < 1e-9
    assert vector["malatya"] > vector["quake"]
    assert tfidf({}, frequencies) == {}


def test_words_of_the_same_text_twice_are_independent_lists() -> None:
    # the second call is served from the one-entry cache; changing the first result must not
    # change it
    text = "Rescuers reached the village on Tuesday"
    first = words(text)
    first.append("extra")
    assert words(text) == ["rescuers", "reached", "the", "village", "on", "tuesday"]
    assert words("Another text") == ["another", "text"]
