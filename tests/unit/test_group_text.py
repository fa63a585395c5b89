"""Text helpers of the grouping stage."""

from __future__ import annotations

import pytest

from aggregator.group.text import (
    DocumentFrequencies,
    content_words,
    dot,
    feature_groups,
    names,
    numbers,
    shingles,
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
    ],
)
def test_names_skip_sentence_openings(text: str, expected: list[str]) -> None:
    assert names(text) == expected


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
