"""The side-by-side table: columns and the Others fold, cells, outlets and "+N more", summaries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from aggregator.digest import OTHERS
from aggregator.digest.layout import (
    build_columns,
    central_statement,
    clean_text,
    order_outlets,
    order_sides,
    safe_url,
    statement_view,
)
from aggregator.model import EventStatement, Report
from tests.golden.fixtures import OPTIONS, at, report, stmt


def s(
    sid: str, side: str | None, *sources: str, text: str = "", kind: str = "direct"
) -> EventStatement:
    return stmt(
        sid,
        text or f"Words of {sid}.",
        side=side,
        speaker=f"Speaker {sid}",
        role=None,
        kind=kind,
        reports=tuple(report(source, sid, 10) for source in sources),
    )


@pytest.mark.parametrize(
    ("sides", "max_columns", "columns", "folded"),
    [
        (["A", "B"], 5, ["A", "B"], None),
        (["A", "B", "C", "D", "E"], 5, ["A", "B", "C", "D", "E"], None),
        (["A", "B", "C", "D", "E", "F", "G"], 5, ["A", "B", "C", "D", "E", OTHERS], ("F", "G")),
        (["A", "B", "C"], 1, ["A", OTHERS], ("B", "C")),
        (["A", None], 5, ["A", OTHERS], ()),  # no side: Others, nothing folded
        ([None, None], 5, [OTHERS], ()),
        (["A", "B", None], 1, ["A", OTHERS], ("B",)),
    ],
)
def test_columns_and_folding(
    sides: list[str | None], max_columns: int, columns: list[str], folded: tuple[str, ...] | None
) -> None:
    # more sources for earlier letters, so the order is the letters' order
    statements = [
        s(f"s{i}", side, *["herald", "courier", "observer", "gazette", "tribune", "wire-a",
                            "wire-b"][: len(sides) - i])
        for i, side in enumerate(sides)
    ]  # fmt: skip
    built = build_columns(statements, replace(OPTIONS, max_columns=max_columns))
    assert [c.label for c in built] == columns
    if folded is not None:
        assert built[-1].is_others
        assert built[-1].folded == folded
        assert built[-1].summary is None  # Others is not a side: no summary line
    # every statement is in a cell (shown or counted), exactly once
    assert sum(len(c.statements) for c in built) == len(statements)
    assert all(len(c.shown) + c.hidden == len(c.statements) for c in built)


def test_side_order_prefers_subscribed_sides_then_sources() -> None:
    statements = [
        s("a", "NATO", "herald"),
        s("b", "Russia", "herald", "courier", "observer"),
        s("c", "Georgia", "herald"),
        s("d", "Georgia", "observer"),
    ]
    assert order_sides(statements) == ["Russia", "Georgia", "NATO"]
    assert order_sides(statements, ("nato",)) == ["NATO", "Russia", "Georgia"]


def test_ties_between_sides_fall_back_to_statement_count_then_name() -> None:
    statements = [s("a", "Beta", "herald"), s("b", "Alpha", "herald"), s("c", "Beta", "herald")]
    assert order_sides(statements) == ["Beta", "Alpha"]
    assert order_sides(statements[:2]) == ["Alpha", "Beta"]


def test_cell_order_and_hidden_count() -> None:
    statements = [
        s("few", "Russia", "herald", kind="direct"),
        s("many", "Russia", "herald", "courier", "observer", kind="indirect"),
        s("official", "Russia", "kremlin", kind="indirect"),
        s("direct", "Russia", "courier", kind="direct"),
        s("mixed", "Russia", "observer", kind="mixed"),
    ]
    (column,) = build_columns(statements, replace(OPTIONS, max_statements_per_cell=3))
    # most sources, then official, then direct before mixed before indirect, then id
    assert [v.id for v in column.shown] == ["many", "official", "direct"]
    assert [v.id for v in column.statements][3:] == ["few", "mixed"]
    assert column.hidden == 2


def _refs(*specs: tuple[str, int | None]) -> list[Report]:
    refs = []
    for source, hour in specs:
        ref = report(source, "x", hour or 0)
        refs.append(replace(ref, published=None) if hour is None else ref)
    return refs


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        # official first even when it reported last, then wires, then outlets
        ([("herald", 8), ("wire-a", 9), ("kremlin", 12)], ["kremlin", "wire-a", "herald"]),
        # within a kind: the earliest first, undated last
        ([("herald", None), ("courier", 9), ("observer", 7)], ["observer", "courier", "herald"]),
        # one link per source, the earliest of its reports
        ([("herald", 11), ("herald", 9), ("courier", 10)], ["herald", "courier"]),
    ],
)
def test_outlet_order(specs: list[tuple[str, int | None]], expected: list[str]) -> None:
    ordered = order_outlets(_refs(*specs))
    assert [r.source for r in ordered] == expected
    if expected[0] == "herald" and len(specs) == 3 and specs[0][1] == 11:
        assert ordered[0].published == at(9)


@pytest.mark.parametrize(
    ("sources", "shown", "more", "reported_by"),
    [
        (1, 1, 0, 1),
        (3, 3, 0, 3),
        (4, 3, 1, 4),
        (6, 3, 3, 6),  # the "+3 more"
    ],
)
def test_more_outlets(sources: int, shown: int, more: int, reported_by: int) -> None:
    names = ["herald", "courier", "observer", "gazette", "tribune", "wire-a"][:sources]
    view = statement_view(s("x", "Russia", *names), max_outlets=3)
    assert (len(view.outlets), view.more_outlets, view.reported_by) == (shown, more, reported_by)


def test_official_flag_and_contested_flag() -> None:
    view = statement_view(s("x", "Russia", "herald", "kremlin"), 3, frozenset({"x"}))
    assert view.official
    assert view.contested
    assert view.outlets[0].kind == "official"


def test_central_statement_is_the_most_reported_and_echoed() -> None:
    statements = [
        s("odd", "Russia", "herald", "courier", text="Trade talks continue in Geneva next week."),
        s("core1", "Russia", "herald", text="Georgian forces must return to their positions now."),
        s("core2", "Russia", "courier", text="Georgian forces must go back to their positions."),
        s("core3", "Russia", "observer", text="Forces of Georgia must return to positions."),
    ]
    best = central_statement(statements)
    assert best is not None
    assert best.id == "core1"
    assert central_statement([]) is None


def test_a_side_s_summary_line_is_about_what_the_event_is_about() -> None:
    # a lumped event: the side's most echoed statements are about its police deployment, the
    # story (its title) is about its land registration
    statements = [
        s("police1", "Israel", "herald", text="Thousands of police will deploy for the prayers."),
        s("police2", "Israel", "courier", text="Thousands of police will be on duty for prayers."),
        s("land", "Israel", "observer", text="Israel approved land registration in the West Bank."),
    ]
    best = central_statement(statements)
    assert best is not None
    assert best.id == "police1"  # without the title, the echoed claim
    title = "As Israel advances West Bank land registration, Palestinians see annexation"
    about = central_statement(statements, title)
    assert about is not None
    assert about.id == "land"


def test_a_statement_its_feed_cut_short_is_no_summary_line_while_a_whole_one_is() -> None:
    statements = [
        s("cut", "Russia", "herald", "courier", text="The Kremlin rejected the claims of five…"),
        s("whole", "Russia", "observer", text="The Kremlin said the claims were baseless."),
    ]
    best = central_statement(statements)
    assert best is not None
    assert best.id == "whole"
    only = central_statement(statements[:1])
    assert only is not None
    assert only.id == "cut"  # better than none


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://herald.example/a?b=1&c=2", "https://herald.example/a?b=1&c=2"),
        ("http://herald.example/", "http://herald.example/"),
        ("HTTPS://herald.example/x", "HTTPS://herald.example/x"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox", None),
        ("//herald.example/x", None),
        ("/relative/path", None),
        ("https://", None),
        ("https://bad host/", None),
        ("http://[::1", None),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("https://herald.example:443", "https://herald.example:443"),
        ("https://trusted.example@evil.example/", None),  # userinfo: a phishing trick
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  two\n lines\t here ", "two lines here"),
        ("bell\x07 and\x00 nul", "bell and nul"),
        ("already clean", "already clean"),
        (" leading", "leading"),
        ("non\u00a0breaking", "non breaking"),
        (None, ""),
    ],
)
def test_clean_text(raw: str | None, expected: str) -> None:
    assert clean_text(raw) == expected
