"""Offices over time: the gazetteer as it stood on the day a text was written."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from aggregator.errors import ConfigError
from aggregator.extract import extract_statements, load_gazetteer
from aggregator.extract.sides import Gazetteer, default_gazetteer
from aggregator.pipeline.process import _extract_one
from tests.support.articles import stored_article

_FILE = """\
actors:
  - {name: Ana Lindqvist, kind: person, side: Norway, role: Prime Minister of Norway,
     held: [2012-01-01/2015-12-31, 2021-06-01/], aliases: [Lindqvist],
     descriptions: [the Norwegian prime minister]}
  - {name: Per Aune, kind: person, side: Norway, role: Foreign Minister of Norway,
     held: ["2010-03-01/2014-02-28 Defence Minister of Norway", 2014-03-01/], aliases: [Aune]}
  - {name: Eva Dahl, kind: person, side: Norway,
     role: "Prime Minister of Norway (2016-2021), Foreign Minister (2022-2024)"}
  - {name: Ole Rud, kind: person, side: Norway, role: Trade Minister of Norway}
  - {name: Lars Moen, kind: person, side: Norway,
     role: "Deputy Chair of Norway's Security Council; Prime Minister of Norway (2008-2012)"}
"""


@pytest.fixture
def gazetteer(tmp_path: Path) -> Gazetteer:
    path = tmp_path / "actors.yaml"
    path.write_text(_FILE, encoding="utf-8")
    return load_gazetteer([path])


def _who(gazetteer: Gazetteer, name: str, day: date) -> tuple[str | None, str | None]:
    actor = gazetteer.as_of(day).actor(name)
    assert actor is not None
    assert actor.name == name  # still known by name
    return actor.role, actor.side


PM = ("Prime Minister of Norway", "Norway")


def test_terms_of_office_give_the_office_of_the_day(gazetteer: Gazetteer) -> None:
    # inside a term: today's role; between and before the terms: no office, no side
    assert _who(gazetteer, "Ana Lindqvist", date(2013, 5, 1)) == PM
    assert _who(gazetteer, "Ana Lindqvist", date(2018, 5, 1)) == (None, None)
    assert _who(gazetteer, "Ana Lindqvist", date(2005, 5, 1)) == (None, None)
    assert _who(gazetteer, "Ana Lindqvist", date(2026, 2, 1)) == PM
    # a term may name another office, of the same side
    assert _who(gazetteer, "Per Aune", date(2012, 1, 1)) == ("Defence Minister of Norway", "Norway")
    assert _who(gazetteer, "Per Aune", date(2020, 1, 1)) == ("Foreign Minister of Norway", "Norway")
    # an actor without terms holds its role at any date
    assert _who(gazetteer, "Ole Rud", date(1990, 1, 1)) == ("Trade Minister of Norway", "Norway")


def test_a_past_office_is_current_strictly_inside_its_years(gazetteer: Gazetteer) -> None:
    assert _who(gazetteer, "Eva Dahl", date(2018, 1, 1)) == PM
    assert _who(gazetteer, "Eva Dahl", date(2023, 1, 1)) == ("Foreign Minister", "Norway")
    # the years of a change of hands are ambiguous; after them all the offices are past and
    # the person no party; before them the file's side holds (an earlier office of the side)
    past = "Prime Minister of Norway (2016-2021), Foreign Minister (2022-2024)"
    assert _who(gazetteer, "Eva Dahl", date(2021, 6, 1)) == (past, "Norway")
    assert _who(gazetteer, "Eva Dahl", date(2026, 1, 1)) == (past, None)
    assert _who(gazetteer, "Eva Dahl", date(2010, 1, 1)) == (past, "Norway")
    # an office held now beside the past ones keeps the side
    now = "Deputy Chair of Norway's Security Council; Prime Minister of Norway (2008-2012)"
    assert _who(gazetteer, "Lars Moen", date(2026, 1, 1)) == (now, "Norway")


def test_a_person_no_party_on_the_day_is_placed_by_what_the_text_says(
    gazetteer: Gazetteer,
) -> None:
    on = gazetteer.as_of(date(2026, 1, 1))
    text = '"We will not yield," Norwegian Trade Envoy Eva Dahl said.\n'
    (placed,) = extract_statements(text, on)
    assert placed.actor == "Eva Dahl"
    assert placed.side == "Norway"
    (former,) = extract_statements('"We will not yield," former premier Eva Dahl said.\n', on)
    assert former.side is None


def test_descriptions_stand_for_todays_office_only(gazetteer: Gazetteer) -> None:
    text = '"We will not yield," the Norwegian prime minister said.\n'
    (now,) = extract_statements(text, gazetteer.as_of(date(2026, 2, 1)))
    (then,) = extract_statements(text, gazetteer.as_of(date(2018, 2, 1)))
    assert now.actor == "Ana Lindqvist"
    assert then.actor != "Ana Lindqvist"


def test_no_date_is_the_gazetteer_itself_and_a_state_is_built_once(gazetteer: Gazetteer) -> None:
    assert gazetteer.as_of(None) is gazetteer
    # one state of the offices is built once, whatever the day inside it
    first = gazetteer.as_of(datetime(2018, 2, 1, tzinfo=UTC))
    assert gazetteer.as_of(date(2018, 3, 9)) is first
    assert first is not gazetteer


@pytest.mark.parametrize(
    "term", ["2025-01-20", "20-01-2025/", "2025-01-20/2024-01-01", "2025-02-30/"]
)
def test_a_bad_term_names_the_file_line_and_key(tmp_path: Path, term: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f'actors:\n  - {{name: X, held: ["{term}"]}}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_gazetteer([path])
    assert info.value.key == "actors[0].held"
    assert info.value.line == 2


@pytest.mark.parametrize(
    "entry",
    [
        "{name: X, side: Norway, held: [2012-01-01/]}",  # no role to give terms to
        "{name: X, side: Norway, role: Minister (2010-2012), held: [2012-01-01/]}",  # a past one
    ],
)
def test_terms_need_a_current_role(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"actors:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="held gives the terms of a current role"):
        load_gazetteer([path])


def test_a_current_role_may_hold_an_abbreviation_in_parentheses(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        "actors:\n  - {name: X, side: Norway, role: Chief of the Service (NIS), "
        "held: [2012-01-01/]}\n",
        encoding="utf-8",
    )
    gazetteer = load_gazetteer([path])
    assert _who(gazetteer, "X", date(2010, 1, 1)) == (None, None)  # before the term
    assert _who(gazetteer, "X", date(2020, 1, 1)) == ("Chief of the Service (NIS)", "Norway")


def test_the_states_kept_are_the_latest_read(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("aggregator.extract.sides._ERAS", 2)
    early = gazetteer.as_of(date(2005, 1, 1))  # no one in office
    middle = gazetteer.as_of(date(2013, 1, 1))  # Lindqvist's first term
    assert gazetteer.as_of(date(2005, 2, 1)) is early  # read again: now the latest
    gazetteer.as_of(date(2018, 1, 1))  # a third state: the one read longest ago goes
    assert gazetteer.as_of(date(2005, 3, 1)) is early
    assert gazetteer.as_of(date(2013, 2, 1)) is not middle


def test_processing_reads_an_article_with_the_offices_of_its_day() -> None:
    # the bundled gazetteer: Donald Trump was no president in 2016, Barack Obama was
    text = (
        '"We are going to win this state," Donald Trump said at a rally.\n\n'
        '"The economy is stronger than it was," Barack Obama said.\n'
    )

    def read(published: datetime | None) -> dict[str | None, tuple[str | None, str | None]]:
        found = _extract_one(stored_article(text, published=published), default_gazetteer())
        return {s.actor: (s.role, s.side) for s in found}

    then = read(datetime(2016, 9, 1, tzinfo=UTC))
    now = read(datetime(2026, 2, 17, tzinfo=UTC))
    undated = read(None)
    assert then["Donald Trump"] == (None, None)
    assert then["Barack Obama"] == ("President of the United States", "United States")
    assert now["Donald Trump"] == ("President of the United States", "United States")
    # a past office: no party now
    assert now["Barack Obama"] == ("President of the United States (2009-2017)", None)
    # an undated article is read as of the day it was first seen (here 17 February 2026)
    assert undated == now
