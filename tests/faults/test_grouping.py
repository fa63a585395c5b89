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


_OTHER_NEWS = [
    (
        "Harbour dues rise in Kelsburg",
        "The port board of Kelsburg raised harbour dues by a "
        "tenth for cargo ships, citing the cost of dredging the eastern channel.",
    ),
    (
        "Arlen farmers count frost losses",
        "Orchard owners around Arlen said a late frost "
        "killed most of the apricot blossom; the co-operative asked for relief.",
    ),
    (
        "Velmora court upholds salt tax",
        "The high court in Velmora upheld the salt tax, "
        "ruling that the regent's veto came after the deadline.",
    ),
    (
        "Dunmore library reopens after repairs",
        "The Dunmore public library reopened its "
        "reading room after two years of roof repairs paid for by a bequest.",
    ),
    (
        "Ferry strike ends on the Orsk line",
        "Ferry crews on the Orsk line returned to work "
        "after the operator agreed to a new rota and a bonus for night crossings.",
    ),
    (
        "Police recruits pass out in Dunmore",
        "Forty police recruits finished their training "
        "in Dunmore; the chief constable said the force still needs more officers.",
    ),
    (
        "Kelsburg council debates street lights",
        "The council of Kelsburg debated new street "
        "lights for the old quarter, where shopkeepers say the square empties at dusk.",
    ),
    (
        "Bakery chain opens in Arlen",
        "A bakery chain opened its tenth shop in Arlen, hiring "
        "young people from the youth club and a former delivery driver as manager.",
    ),
]

# three outlets' reports of one incident: long, each with its own angle and background, sharing
# little more than the place, the people and the figures
_INCIDENT = [
    (
        "Two wounded in Tilbury shooting",
        "Gunfire broke out near a bakery on Marrow Street in Tilbury, and Devan Oakes, 24, "
        "and Ruben Salk, 31, were hurt. An ambulance crew treated them at the kerb. The "
        "district has had a hard winter: the textile mill shed three hundred jobs in "
        "November, the bus depot moved across the river, and shopkeepers complain that "
        "the square empties at dusk. A councillor who grew up nearby recalled when the "
        "market hall drew farmers from every valley. Teachers at the primary school say "
        "attendance has slipped, and a charity runs a soup kitchen from the old chapel.",
    ),
    (
        "Police hunt gunman",
        "Detectives appealed for camera footage after a man fired four times outside a "
        "Marrow Street shop, wounding Oakes and Salk. Sergeant Corrow urged anyone who "
        "drove along the canal path to call the incident line. Forensic officers spent "
        "the morning measuring the pavement and bagging cartridge cases; a dog team "
        "searched the allotments behind the gasworks. The force has lost forty officers "
        "to retirement in two years and recruits are still in training, the union said. "
        "Its chief constable will face the watch committee about overtime next month.",
    ),
    (
        "A street holds its breath",
        "On Marrow Street in Tilbury, curtains stayed drawn. The baker, who came from "
        "Arlen as a boy, swept glass from his step and said he would open as usual. "
        "Neighbours traded stories of Oakes, 24, a football coach, and Salk, 31, a "
        "delivery driver, both expected to recover. A pensioner remembered the floods "
        "of her youth, when boats rowed down the same street. Youth workers want the "
        "sports hall to stay open late, and the church choir will sing at the vigil.",
    ),
]


def test_differently_worded_reports_of_one_incident_are_one_event() -> None:
    start = DAY - timedelta(hours=12)
    docs = [
        GroupDoc(f"other-{n}", title, text, start + timedelta(hours=n), f"outlet-{n}")
        for n, (title, text) in enumerate(_OTHER_NEWS)
    ]
    docs += [
        GroupDoc(f"report-{n}", title, text, DAY + timedelta(hours=2 * n), f"paper-{n}")
        for n, (title, text) in enumerate(_INCIDENT)
    ]
    events = dict(cluster_stream(docs))
    assert events["report-0"] == events["report-1"] == events["report-2"]
    assert len({events[f"other-{n}"] for n in range(len(_OTHER_NEWS))}) == len(_OTHER_NEWS)


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
