"""Rendering: hostile feed text stays inert, the text part lays sides out, templates override."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from aggregator.digest import (
    RenderedDigest,
    build_digest,
    default_templates_dir,
    render_digest,
)
from aggregator.errors import ConfigError
from aggregator.model import Event, Report
from tests.golden.fixtures import GENERATED_AT, OPTIONS, PERIOD, at, georgia_day, stmt

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    "</td></tr></table><iframe src=https://evil.example></iframe>",
    "{{ 7*7 }} {% raw %}",
    "<style>body{display:none}</style>",
    "<!-- comment --><base href=https://evil.example/>",
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def _hostile_event(payload: str, url: str | None) -> Event:
    hostile_report = Report("herald", payload, "outlet", url, payload, at(10))
    statements = (
        stmt("h1", payload, side=payload, speaker=payload, role=payload, cue=payload,
             reports=(hostile_report,)),
        stmt("h2", "A plain statement.", side="Georgia", speaker="x", role=None,
             reports=(hostile_report,)),
    )  # fmt: skip
    return Event("h", payload, at(9), at(11), (hostile_report,), statements)


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", " javascript:x"]
)
def test_hostile_feed_text_renders_inert(payload: str, url: str) -> None:
    digest = build_digest(
        [_hostile_event(payload, url)], OPTIONS, PERIOD, generated_at=GENERATED_AT
    )
    html = render_digest(digest).html
    collector = _Collector()
    collector.feed(html)
    assert not {"script", "img", "svg", "iframe", "base"} & set(collector.tags)
    assert collector.tags.count("style") == 1  # only the template's own media queries
    for name, value in collector.attrs:
        assert not name.startswith("on"), (name, value)
        if name in ("href", "src"):
            assert value is not None
            assert value.startswith(("https://", "http://")), (name, value)
    assert "49" not in html  # no template evaluation of feed text


def test_hostile_text_is_escaped_not_dropped() -> None:
    digest = build_digest(
        [_hostile_event("<script>alert('x')</script>", None)], OPTIONS, PERIOD,
        generated_at=GENERATED_AT,
    )  # fmt: skip
    rendered = render_digest(digest)
    assert "&lt;script&gt;" in rendered.html
    assert "<script>alert('x')</script>" in rendered.text  # plain text: shown as written


def test_only_http_links_survive() -> None:
    event = _hostile_event("Plain", "https://herald.example/story?a=1&b=2")
    html = render_digest(build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT)).html
    assert 'href="https://herald.example/story?a=1&amp;b=2"' in html


def test_subject_is_one_line_and_bounded() -> None:
    event = _hostile_event("Line one\r\nBcc: victim@example.org " + "x" * 300, None)
    rendered = render_digest(build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT))
    assert "\n" not in rendered.subject
    assert "\r" not in rendered.subject
    assert len(rendered.subject) <= 140
    assert rendered.subject.endswith("…")


@pytest.fixture(scope="module")
def golden_day() -> RenderedDigest:
    return render_digest(build_digest(georgia_day(), OPTIONS, PERIOD, generated_at=GENERATED_AT))


def test_text_part_lays_each_side_out_as_a_section(golden_day: RenderedDigest) -> None:
    text = golden_day.text
    first_event = text.split("1. Battle for Tskhinvali")[1].split("2. UN Security Council")[0]
    headers = [line.strip() for line in first_event.splitlines() if line.strip().startswith("--- ")]
    # four parties side by side (the default max_columns); the fifth is folded into Others
    assert headers == [
        "--- Russia ---",
        "--- United States ---",
        "--- Georgia ---",
        "--- NATO ---",
        "--- Others (South Ossetia) ---",
    ]
    assert "+3 more" in first_event
    assert "+1 more statement" in first_event
    assert all(len(line) <= 100 for line in text.splitlines())


def test_html_part_has_the_side_by_side_table(golden_day: RenderedDigest) -> None:
    html = golden_day.html
    assert html.startswith("<!DOCTYPE html>")
    assert html.count('class="sides"') == 4
    # the parties side by side (at most four); Others below the table, not a cell
    assert html.count('class="cell"') == 4 + 4 + 2 + 1
    assert "@media only screen and (max-width: 480px)" in html
    assert "prefers-color-scheme: dark" in html
    assert 'style="' in html  # css inlined
    assert "Contested" in html
    assert ">+3 more<" not in html  # "+3 more" follows a comma inside the outlets paragraph
    assert "+3 more" in html


def test_an_empty_digest_says_plainly_that_nothing_was_reported() -> None:
    rendered = render_digest(build_digest([], OPTIONS, PERIOD, generated_at=GENERATED_AT))
    assert rendered.subject == "caucasus digest 2008-08-09: no events"
    assert rendered.text.splitlines()[:2] == [
        "caucasus digest — 2008-08-09 (Europe/London)",
        "Nothing was reported for this period.",
    ]
    assert "<p>Nothing was reported for this period · 09 Aug 2008 00:00 to" in _untagged(
        rendered.html
    )
    assert "most important first" not in rendered.text + rendered.html


def test_a_digest_whose_events_the_subscription_filtered_out_says_so() -> None:
    options = replace(OPTIONS, keywords=("no-such-word",))
    digest = build_digest(georgia_day(), options, PERIOD, generated_at=GENERATED_AT)
    rendered = render_digest(digest)
    line = "No event of this period matched this subscription (5 events considered)"
    assert rendered.text.splitlines()[1] == line + "."
    assert line + " · " in rendered.html
    assert "Nothing was reported" not in rendered.text + rendered.html


def _untagged(html: str) -> str:
    """``html`` with the attributes the CSS inliner adds to ``<p>`` removed."""
    return re.sub(r"<p [^>]*>", "<p>", html)


def test_default_templates_ship_inside_the_package() -> None:
    folder = default_templates_dir()
    assert folder.parts[-2:] == ("aggregator", "templates")
    assert (folder / "digest.html.j2").is_file()
    assert (folder / "digest.txt.j2").is_file()
    link = Path(__file__).resolve().parents[2] / "aggregator" / "templates"
    assert link.is_symlink()
    assert os.readlink(link) == "../templates"  # relative, so it survives a checkout move


def test_user_templates_override_one_file(tmp_path: Path) -> None:
    (tmp_path / "digest.txt.j2").write_text(
        "{{ digest.events|length }} events for {{ digest.subscription }}\n", encoding="utf-8"
    )
    rendered = render_digest(
        build_digest(georgia_day(), OPTIONS, PERIOD, generated_at=GENERATED_AT),
        templates_dir=tmp_path,
    )
    assert rendered.text == "4 events for caucasus\n"
    assert 'class="sides"' in rendered.html  # the default HTML template still applies


def test_user_html_template_is_autoescaped(tmp_path: Path) -> None:
    (tmp_path / "digest.html.j2").write_text("<p>{{ digest.events[0].title }}</p>", "utf-8")
    event = _hostile_event("<script>x</script>", None)
    html = render_digest(
        build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT), templates_dir=tmp_path
    ).html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% for x in %}", r"digest\.txt\.j2:1: templates_dir: template syntax error"),
        ("{{ digest.nothing_here }}", r"templates_dir: template digest\.txt\.j2: .*nothing_here"),
        ("{% include 'missing.j2' %}", r"templates_dir: template not found: missing\.j2"),
    ],
)
def test_broken_user_template_is_a_config_error(tmp_path: Path, source: str, message: str) -> None:
    (tmp_path / "digest.txt.j2").write_text(source, encoding="utf-8")
    digest = build_digest(georgia_day(), OPTIONS, PERIOD, generated_at=GENERATED_AT)
    with pytest.raises(ConfigError, match=message):
        render_digest(digest, templates_dir=tmp_path)


def test_times_are_shown_in_the_subscription_zone() -> None:
    tokyo = replace(OPTIONS, timezone="Asia/Tokyo")
    rendered = render_digest(build_digest(georgia_day(), tokyo, PERIOD, generated_at=GENERATED_AT))
    # the city event ran 05:00-16:00 UTC: 14:00-01:00 the next day in Tokyo
    assert "09 Aug 14:00 – 10 Aug 01:00" in rendered.text


def _one_quote(extracted: str) -> RenderedDigest:
    """A digest of one event with one direct statement of ``extracted`` words."""
    report = Report("herald", "The Herald", "outlet", "https://herald.example/a", "t", at(10))
    event = Event(
        "q", "Georgia's president warns of border clashes", at(9), at(11), (report,),
        (stmt("q1", extracted, side="Georgia", speaker="Ann Lee", role=None, reports=(report,)),),
    )  # fmt: skip
    return render_digest(build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT))


@pytest.mark.parametrize(
    ("extracted", "shown"),
    [
        ('"The attacks are occurring far from the zone of conflict,"',
         "The attacks are occurring far from the zone of conflict"),
        ("“Borders cannot be changed by force.”", "Borders cannot be changed by force."),
        ("`` We appreciate your respect , ''", "We appreciate your respect"),
        ("No quotation marks here", "No quotation marks here"),
    ],
)  # fmt: skip
def test_direct_quotes_are_shown_in_one_pair_of_quotation_marks(extracted: str, shown: str) -> None:
    rendered = _one_quote(extracted)
    assert f"“{shown}”" in rendered.html
    assert f'"{shown}"' in rendered.text
    assert "““" not in rendered.html
    assert '""' not in rendered.text


def test_two_joined_quotations_keep_their_marks_paired_in_the_text_part() -> None:
    # a direct statement that joins two quotations holds a closing and an opening mark inside:
    # straight marks around curly ones read as unbalanced
    joined = "“We are hopeful there is a deal”. “The president prefers negotiated outcomes.”"
    text = " ".join(_one_quote(joined).text.split())
    assert "“We are hopeful there is a deal”. “The president prefers negotiated outcomes.”" in text
    assert '"We are hopeful' not in text


def test_one_inner_quotation_keeps_straight_marks_around_it() -> None:
    inner = "“We will not accept what Moscow calls a “peace plan”,”"
    text = " ".join(_one_quote(inner).text.split())
    assert '"We will not accept what Moscow calls a “peace plan”"' in text
