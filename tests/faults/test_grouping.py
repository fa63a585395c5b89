"""Grouping defects seen on real feeds (issue #13), each as a class, on fictional articles.

Lumped: two items of one source joined because what they share is the source's own dressing
(a page header, the date it carries) rather than a development. Split: reports of one incident
by several outlets, worded differently, that stayed apart.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aggregator.group import GroupDoc, cluster_stream

DAY = datetime(2031, 3, 11, tzinfo=UTC)  # a Tuesday


def _office_item(doc_id: str, title: str, when: datetime, body: str) -> GroupDoc:
    """An item of a fictional official source: its page furniture (the section, the office,
    the press desk's sign-off) is around every text, as some official sites' feeds carry it."""
    header = "Statements & Releases | Office of the Regent of Velmora | Palace Press Desk. "
    footer = " Issued by the Palace Press Desk, Office of the Regent of Velmora, Dunmore Palace."
    return GroupDoc(doc_id, title, header + body + footer, when, "regent-office")


_EARLIER = [
    ("Proclamation on Orchard Week", "I call on every town to plant a tree for the young."),
    ("Bill 114 Signed into Law", "The Regent signed the harbour dues act after the vote."),
    ("Message on Miners' Day", "We honour those who work the deep seams of our hills."),
    ("Readout of the Call with the Duke of Arlen", "The two spoke about river traffic."),
    ("Proclamation on Library Month", "Reading binds a people to its past and its future."),
    ("Message on the Founding of the Navy", "Two hundred years ago the first cutter sailed."),
    ("Bill 120 Vetoed", "The Regent returned the salt tax bill without approval."),
    ("Message on Teachers' Day", "A good teacher changes the course of a whole village."),
]


def _office_stream() -> list[GroupDoc]:
    docs = [
        _office_item(f"earlier-{n}", title, DAY - timedelta(days=20 - 2 * n), body)
        for n, (title, body) in enumerate(_EARLIER)
    ]
    docs.append(
        _office_item(
            "lantern",
            "Message on the Lantern Feast",
            DAY,
            "Today I send warm wishes to all who light lanterns for the Lantern Feast. "
            "Families gather, share sweet rice and hang paper lanterns over every door.",
        )
    )
    docs.append(
        _office_item(
            "fasting",
            "Message on the Month of Stillness",
            DAY,
            "Today I send warm wishes to all who keep the Month of Stillness. "
            "Believers fast from dawn to dusk, pray together and give to the poor.",
        )
    )
    return docs


def test_two_messages_of_one_source_are_not_one_event_through_its_page_header() -> None:
    events = dict(cluster_stream(_office_stream()))
    assert events["lantern"] != events["fasting"]


def test_two_unrelated_items_of_one_day_are_not_one_event_through_the_date_they_carry() -> None:
    # every report of a day carries that day's date and weekday, whatever it reports
    stamp = "Tuesday, March 11, 2031"
    docs = [
        GroupDoc(
            "fine",
            "Dunmore court fines bakery",
            f"DUNMORE, {stamp} - A court fined the Hollin bakery for short weights. "
            f"Updated {stamp}.",
            DAY,
            "wire-a",
        ),
        GroupDoc(
            "ferry",
            "Kelsburg opens ferry line",
            f"KELSBURG, {stamp} - The council opened a ferry line to Arlen. Updated {stamp}.",
            DAY + timedelta(hours=1),
            "wire-b",
        ),
    ]
    events = dict(cluster_stream(docs))
    assert events["fine"] != events["ferry"]


def test_two_items_of_one_carrier_are_not_one_event_through_their_credit_lines() -> None:
    # a site that carries many publishers opens each item with the publisher's credit, and a
    # wire's bylines and dateline agency repeat over unrelated stories
    docs = [
        GroupDoc(
            "levy",
            "Velmora: Assembly Passes Fishing Levy",
            "[Velmora Morning Courier] By Ilse Marrin and Tomas Brede\n"
            "DUNMORE (Courier Wire) - The assembly passed a levy on trawlers.",
            DAY,
            "carrier",
        ),
        GroupDoc(
            "choir",
            "Velmora: Children's Choir Wins Prize",
            "[Velmora Morning Courier] By Ilse Marrin and Tomas Brede\n"
            "DUNMORE (Courier Wire) - A school choir won the northern song prize.",
            DAY + timedelta(hours=1),
            "carrier",
        ),
    ]
    events = dict(cluster_stream(docs))
    assert events["levy"] != events["choir"]
