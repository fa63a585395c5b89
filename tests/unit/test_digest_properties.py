"""Properties over generated inputs: feed text never becomes markup; days tile the calendar."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

import aggregator.digest
from aggregator.digest import build_digest, day_period, render_digest
from aggregator.model import Event, Report
from tests.golden.fixtures import GENERATED_AT, OPTIONS, PERIOD, at, stmt

# every element the default HTML template writes (tbody: added by css-inline's HTML5 parser)
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "table", "tr", "td", "h1", "h2", "p",
    "span", "br", "div", "a", "tbody", "b",
}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.bad_attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name.startswith("on") or (
                name in ("href", "src") and not (value or "").startswith(("http://", "https://"))
            ):
                self.bad_attrs.append((name, value))


_PIECES = [*"<>\"'&=/:;{}%# \n\tabcjsvrtpoe()", "javascript:", "<script", " onerror=", "http://x"]
feed_text = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)


@settings(max_examples=60, deadline=None)
@given(text=feed_text, side=feed_text, url=feed_text)
def test_any_feed_text_renders_inert(text: str, side: str, url: str) -> None:
    report = Report("herald", text or "x", "outlet", url, text, at(10))
    statements = (
        stmt("a", text, side=side or None, speaker=text, role=text, cue=text, reports=(report,)),
        stmt("b", "Plain words.", side="Georgia", speaker="x", role=None, reports=(report,)),
    )
    event = Event("e", text, at(9), at(11), (report,), statements)
    html = render_digest(build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT)).html
    parser = _Tags()
    parser.feed(html)
    assert parser.tags <= TEMPLATE_TAGS
    assert parser.bad_attrs == []


ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
         "America/Sao_Paulo", "Pacific/Apia", "Asia/Tbilisi"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
       timezone=st.sampled_from(ZONES))  # fmt: skip
def test_days_tile_the_calendar(day: date, timezone: str) -> None:
    today, tomorrow = day_period(day, timezone), day_period(day + timedelta(days=1), timezone)
    assert today.end == tomorrow.start
    # 23 to 25 hours; Lord Howe shifts by 30 minutes; Apia skipped a whole day in 2011
    hours = (today.end - today.start) / timedelta(hours=1)
    assert hours in (0.0, 23.0, 23.5, 24.0, 24.5, 25.0), (day, timezone, hours)


def test_public_api_is_pinned() -> None:
    assert set(aggregator.digest.__all__) == {
        "OTHERS", "COMMENTARY", "AlsoView", "ArticleLink", "Column", "ContestedClaim",
        "ContestedPoint", "Digest", "DigestOptions", "EventView", "OutletLink",
        "Period", "RenderedDigest", "StatementView",
        "build_digest", "day_period", "default_templates_dir", "digest_to_json",
        "find_contested", "make_subject", "previous_day", "render_digest", "render_html",
        "render_page", "render_text", "span_period", "whole_event_view",
    }  # fmt: skip
    for name in aggregator.digest.__all__:
        assert getattr(aggregator.digest, name) is not None
