"""A digest day of our own writing, modelled on 9 August 2008 (the Russia–Georgia war).

Every sentence here is invented for the tests; names of states and bodies are real, people are
given only roles. Used by the golden files, the browser test and the docs screenshot.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aggregator.digest import DigestOptions, day_period
from aggregator.model import Event, EventStatement, Report

TIMEZONE = "Europe/London"
PERIOD = day_period(datetime(2008, 8, 9).date(), TIMEZONE)
GENERATED_AT = datetime(2008, 8, 10, 6, 0, tzinfo=UTC)
OPTIONS = DigestOptions(subscription="caucasus", timezone=TIMEZONE)


def at(hour: int, minute: int = 0, day: int = 9) -> datetime:
    """A UTC instant on the fixture day."""
    return datetime(2008, 8, day, hour, minute, tzinfo=UTC)


_SOURCES: dict[str, tuple[str, str]] = {
    # name: (publisher, kind)
    "kremlin": ("Kremlin press office", "official"),
    "mid-ru": ("Russian Foreign Ministry", "official"),
    "mfa-ge": ("Georgian Foreign Ministry", "official"),
    "whitehouse": ("The White House", "official"),
    "un-news": ("UN News", "official"),
    "nato": ("NATO", "official"),
    "wire-a": ("Meridian Wire", "wire"),
    "wire-b": ("Continental Press", "wire"),
    "herald": ("The Daily Herald", "outlet"),
    "courier": ("Evening Courier", "outlet"),
    "observer": ("World Observer", "outlet"),
    "gazette": ("Caucasus Gazette", "outlet"),
    "tribune": ("Tribune Online", "outlet"),
}


def report(source: str, slug: str, hour: int, minute: int = 0) -> Report:
    """A report by ``source`` published on the fixture day at ``hour:minute`` UTC."""
    publisher, kind = _SOURCES[source]
    return Report(
        source=source,
        publisher=publisher,
        kind=kind,  # type: ignore[arg-type]
        url=f"https://{source}.example/2008/08/09/{slug}",
        title=f"{publisher}: {slug.replace('-', ' ')}",
        published=at(hour, minute),
    )


def stmt(
    sid: str,
    text: str,
    *,
    side: str | None,
    speaker: str | None,
    role: str | None,
    kind: str = "direct",
    cue: str | None = "said",
    reports: tuple[Report, ...],
) -> EventStatement:
    """A merged statement."""
    return EventStatement(
        id=sid,
        text=text,
        kind=kind,  # type: ignore[arg-type]
        cue=cue,
        speaker=speaker,
        actor=speaker,
        role=role,
        side=side,
        reports=reports,
    )


def _city_event() -> Event:
    r = report
    statements = (
        stmt(
            "s-ru-1",
            "Our units have liberated Tskhinvali and are pushing the Georgian troops out.",
            side="Russia",
            speaker="ground forces commander",
            role="Russian Army",
            cue="announced",
            reports=(
                r("mid-ru", "liberated", 8),
                r("wire-a", "ru-army", 8, 30),
                r("herald", "city", 9),
                r("courier", "city", 10),
                r("observer", "city", 11),
                r("tribune", "city", 12),
            ),
        ),
        stmt(
            "s-ru-2",
            "At least 1,500 civilians were killed in Tskhinvali by the Georgian shelling.",
            side="Russia",
            speaker="ambassador to Georgia",
            role="Russian envoy",
            kind="indirect",
            reports=(r("wire-b", "toll", 7), r("herald", "toll", 9, 30)),
        ),
        stmt(
            "s-ru-3",
            "There can be no talks with Tbilisi until its forces go back to where they stood.",
            side="Russia",
            speaker="envoy to NATO",
            role="Russian ambassador",
            cue="insisted",
            reports=(r("wire-a", "no-talks", 6), r("gazette", "no-talks", 6, 45)),
        ),
        stmt(
            "s-ru-4",
            "Moscow will protect the lives and dignity of its citizens wherever they are.",
            side="Russia",
            speaker="President of Russia",
            role="head of state",
            cue="declared",
            reports=(
                r("kremlin", "address", 5),
                r("wire-a", "address", 5, 20),
                r("observer", "address", 6),
            ),
        ),
        stmt(
            "s-ge-1",
            "The city of Tskhinvali remains under the complete control of our troops.",
            side="Georgia",
            speaker="National Security Council secretary",
            role="Georgian official",
            cue="insisted",
            reports=(
                r("mfa-ge", "control", 9),
                r("wire-b", "ge-control", 9, 15),
                r("courier", "ge-control", 10),
            ),
        ),
        stmt(
            "s-ge-2",
            "Reports of a huge civilian death toll caused by our forces are a shameless lie.",
            side="Georgia",
            speaker="President of Georgia",
            role="head of state",
            cue="denounced",
            reports=(r("mfa-ge", "lie", 11), r("herald", "lie", 11, 30), r("tribune", "lie", 12)),
        ),
        stmt(
            "s-ge-3",
            "Georgia is under a full-scale military aggression and has declared a state of war.",
            side="Georgia",
            speaker="President of Georgia",
            role="head of state",
            kind="mixed",
            reports=(r("mfa-ge", "war", 10), r("wire-a", "ge-war", 10, 5)),
        ),
        stmt(
            "s-us-1",
            "Strikes far beyond the conflict zone are a dangerous escalation and must end now.",
            side="United States",
            speaker="President of the United States",
            role="head of state",
            reports=(
                r("whitehouse", "escalation", 13),
                r("wire-a", "us", 13, 10),
                r("herald", "us", 14),
                r("observer", "us", 14, 30),
                r("courier", "us", 15),
                r("gazette", "us", 16),
            ),
        ),
        stmt(
            "s-us-2",
            "The territorial integrity of Georgia has to be respected by all.",
            side="United States",
            speaker="President of the United States",
            role="head of state",
            kind="indirect",
            reports=(r("whitehouse", "integrity", 13), r("wire-b", "us-integrity", 13, 40)),
        ),
        stmt(
            "s-nato-1",
            "The alliance is watching the fighting with grave concern and urges restraint.",
            side="NATO",
            speaker="NATO spokesman",
            role=None,
            reports=(r("nato", "concern", 12), r("wire-b", "nato", 12, 20)),
        ),
        stmt(
            "s-so-1",
            "More than 2,000 residents have been killed since the Georgian assault began.",
            side="South Ossetia",
            speaker="separatist leader",
            role="South Ossetian authorities",
            kind="indirect",
            reports=(r("gazette", "so-toll", 8),),
        ),
        stmt(
            "s-x-1",
            "Hospitals in the city are overflowing with wounded people.",
            side=None,
            speaker="aid agency",
            role=None,
            reports=(r("wire-b", "hospitals", 14),),
        ),
    )
    return Event(
        id="ev-city",
        title="Battle for Tskhinvali: Moscow and Tbilisi trade claims over the city",
        first_seen_at=at(5),
        last_seen_at=at(16),
        articles=tuple(dict.fromkeys(rep for s in statements for rep in s.reports)),
        statements=statements,
    )


def _council_event() -> Event:
    r = report
    statements = (
        stmt(
            "c-un-1",
            "Council members could not agree on the wording of a call for a ceasefire.",
            side="UN Security Council",
            speaker="Council president",
            role="President of the Security Council",
            kind="indirect",
            reports=(
                r("un-news", "no-agreement", 3),
                r("wire-a", "unsc", 3, 30),
                r("observer", "unsc", 4),
            ),
        ),
        stmt(
            "c-ru-1",
            "Any text must first name the side that started this war.",
            side="Russia",
            speaker="UN ambassador of Russia",
            role="Permanent Representative",
            reports=(r("wire-a", "unsc-ru", 3, 40),),
        ),
        stmt(
            "c-us-1",
            "We regret that one member blocked a simple appeal to stop the violence.",
            side="United States",
            speaker="UN ambassador of the United States",
            role="Permanent Representative",
            reports=(r("wire-b", "unsc-us", 4), r("herald", "unsc-us", 5)),
        ),
        stmt(
            "c-ge-1",
            "Georgia asks the Council to act before more lives are lost.",
            side="Georgia",
            speaker="UN ambassador of Georgia",
            role="Permanent Representative",
            kind="mixed",
            reports=(r("mfa-ge", "unsc-appeal", 2),),
        ),
    )
    return Event(
        id="ev-council",
        title="UN Security Council fails to agree on a ceasefire statement",
        first_seen_at=at(2),
        last_seen_at=at(5),
        articles=tuple(dict.fromkeys(rep for s in statements for rep in s.reports)),
        statements=statements,
    )


def _iraq_event() -> Event:
    r = report
    statements = (
        stmt(
            "i-ge-1",
            "All 2,000 of our soldiers serving in Iraq are coming home to defend the country.",
            side="Georgia",
            speaker="Georgian defence ministry",
            role=None,
            kind="mixed",
            reports=(r("mfa-ge", "iraq", 11), r("wire-b", "iraq", 11, 30)),
        ),
        stmt(
            "i-us-1",
            "The United States will help fly the Georgian contingent back from Iraq.",
            side="United States",
            speaker="Pentagon spokesman",
            role=None,
            kind="indirect",
            reports=(r("wire-a", "airlift", 15),),
        ),
    )
    return Event(
        id="ev-iraq",
        title="Georgia brings its troops home from Iraq",
        first_seen_at=at(11),
        last_seen_at=at(15),
        articles=tuple(dict.fromkeys(rep for s in statements for rep in s.reports)),
        statements=statements,
    )


def _gorge_event() -> Event:
    r = report
    statements = (
        stmt(
            "g-ab-1",
            "Our aircraft and artillery have begun striking Georgian positions in the gorge.",
            side="Abkhazia",
            speaker="Abkhaz separatist leader",
            role=None,
            reports=(r("gazette", "gorge", 17),),
        ),
    )
    return Event(
        id="ev-gorge",
        title="Abkhaz separatists open a second front in the Kodori Gorge",
        first_seen_at=at(17),
        last_seen_at=at(19),
        articles=(r("gazette", "gorge", 17), r("tribune", "gorge", 18)),
        statements=statements,
    )


def _yesterday_event() -> Event:
    # entirely on 7 August: outside the period, must never appear
    report_ = Report(
        "herald",
        "The Daily Herald",
        "outlet",
        "https://herald.example/old",
        "Old news",
        at(10, day=7),
    )
    return Event(
        id="ev-old",
        title="Exchanges of fire reported overnight",
        first_seen_at=at(9, day=7),
        last_seen_at=at(12, day=7),
        articles=(report_,),
        statements=(),
    )


def georgia_day() -> tuple[Event, ...]:
    """The fixture events, in no particular order (ranking is the digest's job)."""
    return (_iraq_event(), _yesterday_event(), _city_event(), _gorge_event(), _council_event())
