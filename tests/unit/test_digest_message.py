"""The digest email message: MIME structure and headers (pure; delivery is tested on a server)."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from aggregator.digest import RenderedDigest
from aggregator.mail import build_message, digest_message_id, envelope

RENDERED = RenderedDigest(
    subject="caucasus digest 2008-08-09: 2 events — Fighting in Tskhinvali",
    html="<!DOCTYPE html><html><body><p>Тбилиси “quoted”</p></body></html>",
    text="Тбилиси “quoted”\n",
)
DATE = datetime(2008, 8, 10, 6, 0, tzinfo=UTC)


def build(**changes: object) -> email.message.EmailMessage:
    arguments: dict[str, object] = {
        "sender": "aggregator <digest@aggregator.example>",
        "recipients": ["analyst@ministry.example"],
        "date": DATE,
    }
    arguments.update(changes)
    return build_message(RENDERED, **arguments)  # type: ignore[arg-type]


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").rstrip("\n").split("\n")


def test_multipart_alternative_text_first_then_html() -> None:
    message = build()
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    # the SMTP policy ends lines with CRLF and the last line with a newline
    assert _lines(parts[0].get_content()) == _lines(RENDERED.text)
    assert _lines(parts[1].get_content()) == _lines(RENDERED.html)
    assert all(p.get_content_charset() == "utf-8" for p in parts)


def test_round_trip_through_bytes() -> None:
    raw = build().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == RENDERED.subject
    body = parsed.get_body(("plain",))
    assert body is not None
    assert _lines(body.get_content()) == _lines(RENDERED.text)
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_required_headers() -> None:
    message = build()
    assert message["From"] == "aggregator <digest@aggregator.example>"
    assert message["To"] == "analyst@ministry.example"
    assert message["Date"] == "Sun, 10 Aug 2008 06:00:00 +0000"
    assert message["Message-ID"].endswith("@aggregator.example>")
    assert message["MIME-Version"] == "1.0"
    assert message["List-Id"] is None
    assert message["List-Unsubscribe"] is None


def test_message_ids_are_unique_unless_given() -> None:
    assert build()["Message-ID"] != build()["Message-ID"]
    assert build(message_id="<digest-1@x.example>")["Message-ID"] == "<digest-1@x.example>"


@pytest.mark.parametrize(
    ("list_id", "expected"),
    [("daily.aggregator.example", "<daily.aggregator.example>"),
     ("<daily.aggregator.example>", "<daily.aggregator.example>")],
)  # fmt: skip
def test_list_id(list_id: str, expected: str) -> None:
    assert build(list_id=list_id)["List-Id"] == expected


@pytest.mark.parametrize(
    ("unsubscribe", "header", "post"),
    [
        ("https://aggregator.example/u/1", "<https://aggregator.example/u/1>",
         "List-Unsubscribe=One-Click"),
        ("mailto:unsubscribe@aggregator.example", "<mailto:unsubscribe@aggregator.example>", None),
        ("http://aggregator.example/u/1", "<http://aggregator.example/u/1>", None),
    ],
)  # fmt: skip
def test_list_unsubscribe(unsubscribe: str, header: str, post: str | None) -> None:
    message = build(unsubscribe=unsubscribe)
    assert message["List-Unsubscribe"] == header
    assert message["List-Unsubscribe-Post"] == post


def test_several_recipients_and_envelope() -> None:
    message = build(recipients=["a@x.example", "Desk Two <b@y.example>"])
    assert message["To"] == "a@x.example, Desk Two <b@y.example>"
    assert envelope(message) == ("digest@aggregator.example", ["a@x.example", "b@y.example"])


def test_header_injection_is_flattened() -> None:
    rendered = RenderedDigest(subject="Hi\r\nBcc: victim@evil.example", html="<p>x</p>", text="x")
    message = build_message(
        rendered, sender="a <a@x.example>", recipients=["b@y.example"], date=DATE,
        list_id="l.example\r\nX-Evil: 1",
    )  # fmt: skip
    raw = message.as_bytes()
    assert b"\r\nBcc:" not in raw
    assert b"\r\nX-Evil:" not in raw


@pytest.mark.parametrize(
    ("changes", "error"),
    [({"recipients": []}, "at least one recipient"),
     ({"date": datetime(2008, 8, 10, 6)}, "aware")],
)  # fmt: skip
def test_invalid_arguments(changes: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        build(**changes)


@pytest.mark.parametrize(
    ("subscription", "label", "sender", "expected"),
    [
        ("daily", "2026-11-24", "a <digest@agg.example>", "<digest.daily.2026-11-24@agg.example>"),
        ("Caucasus desk", "2026-11-20 – 2026-11-24", "digest@agg.example",
         "<digest.Caucasus-desk.2026-11-20-2026-11-24@agg.example>"),
        ("daily", "2026-11-24", "no address", "<digest.daily.2026-11-24@aggregator.invalid>"),
    ],
)  # fmt: skip
def test_digest_message_id_is_stable(
    subscription: str, label: str, sender: str, expected: str
) -> None:
    assert digest_message_id(subscription, label, sender) == expected
    assert build(message_id=expected)["Message-ID"] == expected
