"""Golden files: the fixture day rendered to HTML, text and a whole .eml.

Volatile parts (Date, Message-ID, MIME boundaries) are scrubbed before comparing. A mismatch
prints a unified diff; ``AGGREGATOR_UPDATE_GOLDEN=1`` rewrites the files on purpose (review the
git diff before committing them).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aggregator.digest import RenderedDigest, build_digest, render_digest
from aggregator.mail import build_message
from tests.golden.fixtures import GENERATED_AT, OPTIONS, PERIOD, georgia_day

HERE = Path(__file__).resolve().parent
UPDATE = os.environ.get("AGGREGATOR_UPDATE_GOLDEN") == "1"

_BOUNDARY = re.compile(r"={15}\d+==")
_DATE = re.compile(r"^Date: .*$", re.MULTILINE)
_MESSAGE_ID = re.compile(r"^Message-ID: .*$", re.MULTILINE | re.IGNORECASE)


def scrub(text: str) -> str:
    """Replace what changes from run to run (Date, Message-ID, MIME boundaries)."""
    text = text.replace("\r\n", "\n")
    boundaries = set(re.findall(r'boundary="([^"]+)"', text))
    for boundary in boundaries:
        text = text.replace(boundary, "BOUNDARY")
    text = _BOUNDARY.sub("BOUNDARY", text)
    text = _DATE.sub("Date: SCRUBBED", text)
    return _MESSAGE_ID.sub("Message-ID: <SCRUBBED>", text)


ARCHIVE = "https://digest.example.org/archive"  # settings.web.base_url of the linked variant


def rendered_fixture_day(base_url: str | None = None) -> RenderedDigest:
    """The fixture day's digest, rendered with the default templates; with ``base_url`` (the
    web archive) it links every event, "+N more" and "Also reported" line there."""
    options = replace(OPTIONS, base_url=base_url)
    digest = build_digest(georgia_day(), options, PERIOD, generated_at=GENERATED_AT)
    return render_digest(digest)


def fixture_eml(rendered: RenderedDigest) -> str:
    """The fixture digest as the message the mailer would send."""
    message = build_message(
        rendered,
        sender="aggregator <digest@aggregator.example>",
        recipients=["analyst@ministry.example", "Desk <desk@newsroom.example>"],
        date=datetime(2008, 8, 10, 6, 0, tzinfo=UTC),
        list_id="caucasus.aggregator.example",
        unsubscribe="https://aggregator.example/unsubscribe/caucasus",
    )
    return message.as_string()


def check_golden(name: str, actual: str) -> None:
    """Compare ``actual`` (scrubbed) with the golden file ``name``; rewrite it when asked."""
    path = HERE / name
    actual = scrub(actual)
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} is missing; run with AGGREGATOR_UPDATE_GOLDEN=1 to create it")
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{name} (golden)",
                tofile=f"{name} (rendered)",
            )
        )
        pytest.fail(
            f"{name} differs from the golden file; if the change is intended, rerun with "
            f"AGGREGATOR_UPDATE_GOLDEN=1 and review the diff\n{diff}",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def rendered() -> RenderedDigest:
    return rendered_fixture_day()


def test_html_matches_golden(rendered: RenderedDigest) -> None:
    check_golden("digest-2008-08-09.html", rendered.html)


def test_text_matches_golden(rendered: RenderedDigest) -> None:
    check_golden("digest-2008-08-09.txt", rendered.text)


def test_eml_matches_golden(rendered: RenderedDigest) -> None:
    check_golden("digest-2008-08-09.eml", fixture_eml(rendered))


@pytest.fixture(scope="module")
def linked() -> RenderedDigest:
    return rendered_fixture_day(ARCHIVE)


def test_linked_html_matches_golden(linked: RenderedDigest) -> None:
    check_golden("digest-2008-08-09-linked.html", linked.html)


def test_linked_text_matches_golden(linked: RenderedDigest) -> None:
    check_golden("digest-2008-08-09-linked.txt", linked.text)


def test_the_linked_digest_leads_every_event_to_its_page(
    rendered: RenderedDigest, linked: RenderedDigest
) -> None:
    # every event heading, "+N more" and "Also reported" line points at the event's page, and
    # the footer at the whole digest; without a base_url the mail names no archive at all
    digest = build_digest(georgia_day(), OPTIONS, PERIOD, generated_at=GENERATED_AT)
    shown = [e.id for e in digest.events] + [a.id for a in digest.also]
    assert shown
    for event_id in shown:
        assert f'href="{ARCHIVE}/events/{event_id}"' in linked.html
        assert f"{ARCHIVE}/events/{event_id}\n" in linked.text
    assert f'href="{ARCHIVE}/digests/caucasus/2008-08-09"' in linked.html
    assert f"{ARCHIVE}/digests/caucasus/2008-08-09" in linked.text
    assert "more</a>" in linked.html  # "+N more" (outlets or statements) is a link
    assert ARCHIVE not in rendered.html
    assert ARCHIVE not in rendered.text


def test_subject_names_the_period_and_top_event(rendered: RenderedDigest) -> None:
    assert rendered.subject == (
        "caucasus digest 2008-08-09: 4 events — "
        "Battle for Tskhinvali: Moscow and Tbilisi trade claims over the city"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Date: Sun, 10 Aug 2008 06:00:00 +0000\n", "Date: SCRUBBED\n"),
        ("Message-ID: <1.2@x.example>\n", "Message-ID: <SCRUBBED>\n"),
        (
            'Content-Type: multipart/alternative; boundary="===============0123456789=="\n'
            "--===============0123456789==\n",
            'Content-Type: multipart/alternative; boundary="BOUNDARY"\n--BOUNDARY\n',
        ),
        ("line\r\n", "line\n"),
    ],
)
def test_scrub(raw: str, expected: str) -> None:
    assert scrub(raw) == expected


def test_mismatch_prints_a_unified_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(f"{__name__}.HERE", tmp_path)
    monkeypatch.setattr(f"{__name__}.UPDATE", False)
    (tmp_path / "x.txt").write_text("one\ntwo\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)--- x\.txt \(golden\).*-two.*\+deux"):
        check_golden("x.txt", "one\ndeux\n")
