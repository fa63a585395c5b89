"""Figures in a statement (digest/figures.py): which numbers are figures, of what kind of count,
of whom and where, on our own sentences."""

from __future__ import annotations

from aggregator.digest.counted import Counted
from aggregator.digest.figures import Figure, count_spans, read_figures


def _read(text: str) -> list[tuple[str, str, str | None]]:
    lower = text.lower()
    figures = read_figures(lower, count_spans(lower), text)
    return [(f.kind, f.written, f.who.what if f.who else None) for f in figures]


def test_a_number_takes_the_kind_of_count_named_nearest_it() -> None:
    assert _read("Shelling killed 3 herders and wounded 40.") == [
        ("killed", "3", "herders"),
        ("wounded", "40", "herders"),
    ]
    assert _read("40 were wounded and 3 were killed.") == [
        ("wounded", "40", None),
        ("killed", "3", None),
    ]


def test_a_number_without_a_noun_counts_what_the_figure_before_it_counts() -> None:
    assert _read("Two of our guards were killed at the gate and five others died later.") == [
        ("killed", "two", "forces"),
        ("killed", "five", "forces"),
    ]
    # not across a sentence
    assert _read("Two guards were killed. Later 9 died in the camp.") == [
        ("killed", "two", "forces"),
        ("killed", "9", None),
    ]


def test_a_number_of_things_or_years_is_no_figure() -> None:
    assert _read("The dead lived in three tower blocks.") == []
    assert _read("The war has killed people for eleven years now.") == []
    assert _read("Six drones were shot down and 4 people were killed.") == [
        ("killed", "4", "people")
    ]


def test_a_date_a_time_a_share_or_an_age_is_no_figure() -> None:
    assert _read("A 19-year-old was killed and 3 others were wounded.") == [("wounded", "3", None)]
    assert _read("Nearly 40% of those killed were women.") == []
    assert _read("The raid on Feb. 17 killed 9 herders.") == [("killed", "9", "herders")]
    assert _read("On 17 February raiders killed 9 herders.") == [("killed", "9", "herders")]
    assert _read("Shelling at 10:30 killed 4 people.") == [("killed", "4", "people")]
    assert _read("Raiders killed 9 herders 20 km from the well.") == [("killed", "9", "herders")]


def test_where_a_figure_was_counted_comes_from_the_caller() -> None:
    text = "Raiders killed 14 villagers in Dunvale."
    lower = text.lower()
    (figure,) = read_figures(lower, count_spans(lower), text, lambda end: "dunvale")
    assert figure == Figure("killed", 14.0, "14", Counted("civilians", population=True), "dunvale")


def test_things_after_a_preposition_or_before_the_number_do_not_hide_a_figure() -> None:
    # the number's own noun phrase ends at a preposition
    assert _read("The shelling killed 40 in three villages.") == [("killed", "40", None)]
    # a number of things lends no noun to the next number
    assert _read("A strike on two schools killed 40.") == [("killed", "40", None)]
