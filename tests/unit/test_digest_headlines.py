"""A report's headline as its party's act, for an event with no statement (digest/headlines.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from aggregator.digest import build_digest
from aggregator.digest.headlines import HEADLINE_ID, headline_statements, with_headlines
from aggregator.digest.layout import statement_view
from aggregator.model import Event, Report
from tests.golden.fixtures import GENERATED_AT, OPTIONS, PERIOD, at, report, stmt


def headlined(title: str, source: str = "herald", slug: str = "story") -> Report:
    return replace(report(source, slug, 10), title=title)


def bare_event(*reports: Report, statements: tuple[object, ...] = ()) -> Event:
    return Event(
        id="ev-roki",
        title=reports[0].title,
        first_seen_at=at(8),
        last_seen_at=at(12),
        articles=reports,
        statements=statements,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("title", "speaker", "side", "cue"),
    [
        (
            "Georgia expels two Russian diplomats over the shelling of Gori",
            "Georgia",
            "Georgia",
            "expels",
        ),
        # Title Case: the verb is read in lower case, shown as written
        (
            "Russia Deploys Troops to the Roki Tunnel After Overnight Shelling",
            "Russia",
            "Russia",
            "Deploys",
        ),
        (
            "Georgia's parliament has approved a state of war for fifteen days",
            "Georgia's parliament",
            "Georgia",
            "approved",
        ),
        # taking office, its auxiliary dropped as headlines drop it, in either case
        (
            "Georgia's new prime minister sworn in after parliament's vote",
            "Georgia's new prime minister",
            "Georgia",
            "sworn in",
        ),
        (
            "Georgia's New Prime Minister Sworn In After Parliament Vote",
            "Georgia's New Prime Minister",
            "Georgia",
            "Sworn In",
        ),
    ],
)
def test_a_headline_that_tells_a_party_s_act_is_its_statement(
    title: str, speaker: str, side: str, cue: str
) -> None:
    (act,) = headline_statements(title)
    assert (act.speaker, act.side, act.cue) == (speaker, side, cue)
    assert act.text == title  # the headline as written, no full stop added
    # the spans index the headline as written, whatever was read in its place
    assert act.speaker_start is not None
    assert act.speaker_end is not None
    assert title[act.speaker_start : act.speaker_end] == speaker
    assert act.cue_start is not None
    assert act.cue_end is not None
    assert title[act.cue_start : act.cue_end] == cue
    assert act.kind == "indirect"
    assert not act.commentary


@pytest.mark.parametrize(
    "title",
    [
        "Georgia says Russian jets crossed its airspace overnight",  # speech: left alone
        "Georgian Envoy Summoned Over Leaked Cable",  # a passive: another's act
        "Parliament approves a state of war for fifteen days",  # a body's bare name: whose?
        "Analysts expect the ceasefire talks to stall in Helsinki",  # no party
        "Russia's troops move towards the Roki tunnel",  # a possessive: no subject that acts
        # someone else's claim of the act: the claimant's words, not the actor's act
        "Russia expels two Georgian diplomats over spying, Tbilisi says",
        "Georgia summons the Russian ambassador, Moscow claims",
        # a plural noun before its verb (Title Case and sentence case)
        "Georgian Strikes Continue as Ceasefire Talks Stall in Helsinki",
        "Russia sanctions bite as the lari falls",
        # an outlet's view, not a report; a headline that shouts
        "Opinion: Georgia expels Russian diplomats and the West shrugs",
        "Analysis: Why Russia deploys troops to the Roki tunnel",
        "RUSSIA DEPLOYS TROOPS TO THE ROKI TUNNEL",
        "Georgia's new prime minister sworn in by the Kremlin's man",  # another's act
        "",
    ],
)
def test_a_headline_that_tells_no_party_s_act_gives_nothing(title: str) -> None:
    assert headline_statements(title) == ()


def test_an_event_without_a_statement_gets_its_headline_s_act_once_a_headline() -> None:
    title = "Georgia expels two Russian diplomats over the shelling of Gori"
    one, two = headlined(title, "herald", "a"), headlined(f" {title} ", "courier", "b")
    other = headlined("Tbilisi airport reopens to flights after a week", "courier", "c")
    shown = with_headlines(bare_event(one, two, other))
    (act,) = shown.statements
    assert act.id.startswith(HEADLINE_ID)
    assert act.side == "Georgia"
    assert act.text == title
    assert act.reports == (one, two)  # every report that carries the headline
    assert shown.articles == (one, two, other)


def test_an_outlet_s_name_after_a_bar_is_no_word_of_the_act() -> None:
    (act,) = headline_statements("Russia deploys troops to the Roki tunnel | The Herald")
    assert act.text == "Russia deploys troops to the Roki tunnel"


def test_two_headlines_of_one_act_make_one_statement() -> None:
    one = headlined("Georgia expels two Russian diplomats over the shelling of Gori", "herald")
    two = headlined("Georgia expels Russian diplomats after Gori is shelled", "courier", "b")
    (act,) = with_headlines(bare_event(one, two)).statements
    assert act.reports == (one,)


def test_an_event_whose_statements_are_no_use_gets_its_headline_s_act() -> None:
    unusable = stmt(
        "s1",
        "to the",  # a fragment: no reader can use it
        side="Georgia",
        speaker="Mikheil Saakashvili",
        role="President of Georgia",
        reports=(report("herald", "s1", 10),),
    )
    event = bare_event(
        headlined("Georgia expels two Russian diplomats over the shelling of Gori"),
        statements=(unusable,),
    )
    statements = with_headlines(event).statements
    assert statements[0] is unusable
    assert [s.side for s in statements[1:]] == ["Georgia"]


def test_an_event_with_a_usable_statement_is_left_as_it_is() -> None:
    said = stmt(
        "s1",
        "We will not allow the tunnel to be used for an invasion of our country.",
        side="Georgia",
        speaker="Mikheil Saakashvili",
        role="President of Georgia",
        reports=(report("herald", "s1", 10),),
    )
    event = bare_event(
        headlined("Georgia expels two Russian diplomats over the shelling"), statements=(said,)
    )
    assert with_headlines(event) is event


def test_the_digest_carries_an_event_its_headline_s_act_makes_usable() -> None:
    """Before, an event with no statement went to "Also reported" however relevant."""
    event = bare_event(
        headlined("Russia Deploys Troops to the Roki Tunnel After Overnight Shelling"),
        headlined("Russia deploys troops to the Roki tunnel after overnight shelling", "courier"),
    )
    digest = build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    assert [e.id for e in digest.events] == ["ev-roki"]
    assert not digest.also
    (column,) = digest.events[0].columns
    assert column.side == "Russia"
    (shown,) = column.statements
    assert shown.text == "Russia Deploys Troops to the Roki Tunnel After Overnight Shelling"
    # the act is its own sentence: the headline, not "Russia said Russia Deploys …"
    assert shown.sentence == "Russia Deploys Troops to the Roki Tunnel After Overnight Shelling."


def test_the_office_a_headline_gives_is_not_said_again_under_it() -> None:
    event = replace(
        bare_event(headlined("Mark Carney sworn in as Prime Minister of Canada at Rideau Hall")),
        first_seen_at=datetime(2025, 3, 14, 15, tzinfo=UTC),
    )
    (act,) = with_headlines(event).statements
    assert act.role == "Prime Minister of Canada"
    view = statement_view(act, 3)
    assert view.speaker == "Mark Carney"
    assert view.role is None  # the headline says it: "… sworn in as Prime Minister of Canada"


def test_a_headline_is_read_with_the_offices_of_its_event_s_day() -> None:
    """As relevance reads titles (Gazetteer.as_of): in 2014 Obama was the president, in 2026
    his office is past and he is no party."""
    title = "Obama orders the last combat troops home from Iraq by the end of the year"
    event = bare_event(headlined(title))
    then = replace(event, first_seen_at=datetime(2014, 6, 1, tzinfo=UTC))
    now = replace(event, first_seen_at=datetime(2026, 2, 17, tzinfo=UTC))
    assert [s.side for s in with_headlines(then).statements] == ["United States"]
    assert with_headlines(now).statements == ()
