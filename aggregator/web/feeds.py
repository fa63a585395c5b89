"""``/feeds/{subscription}.atom``: one Atom entry per digest day, each linking its whole digest.

    rows    = store.digest_days(subscription)    the ledger, newest period first
    entries = the first MAX_ENTRIES rows whose period is one day, one entry each:
              id = the digest page's URL, updated = sent (else last changed), link = the page
    feed    = ElementTree -> bytes (every text escaped by the serializer, never by hand)

A feed reader polls this instead of (or beside) the mail; a day enters the feed when its digest
is in the ledger (rendered for sending), whatever became of the mail.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response

from aggregator import __version__
from aggregator.store import DigestRow
from aggregator.web import params
from aggregator.web.site import Links, archive

router = APIRouter(include_in_schema=False)

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
#: entries in a feed, newest first
MAX_ENTRIES = 60


@router.get("/feeds/{name}")
def feed(request: Request, name: str) -> Response:
    """The Atom feed of one subscription's digests (``name`` is ``{subscription}.atom``)."""
    site = archive(request)
    subscription = name.removesuffix(".atom")
    if not name.endswith(".atom") or site.subscription(subscription) is None:
        raise params.NotFound("no such feed (feeds are /feeds/SUBSCRIPTION.atom)")
    rows = [
        row
        for row in site.store.digest_days(subscription, limit=4 * MAX_ENTRIES)
        if params.parse_day(row.period_label) is not None
    ][:MAX_ENTRIES]
    body = atom_feed(subscription, rows, Links.of(request), now=site.clock())
    return Response(body, media_type=MEDIA_TYPE)


def atom_feed(subscription: str, rows: list[DigestRow], links: Links, *, now: datetime) -> bytes:
    """The feed document (RFC 4287) of ``rows``, which are newest first."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    self_url = links.feed(subscription)
    _text(root, "id", self_url)
    _text(root, "title", f"{subscription} digest")
    _text(root, "subtitle", "What each party said, side by side: one entry a day")
    _text(root, "updated", _stamp(_updated(rows[0]) if rows else now))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=links.home(), type="text/html")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", "aggregator")
    generator = _text(root, "generator", "aggregator")
    generator.set("version", __version__)
    for row in rows:
        day = params.parse_day(row.period_label)
        assert day is not None  # the caller keeps one-day periods only
        page = links.digest(subscription, day)
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, "id", page)
        _text(entry, "title", f"{subscription} digest {row.period_label}")
        _text(entry, "updated", _stamp(_updated(row)))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=page, type="text/html")
        summary = f"The whole {subscription} digest of {row.period_label}"
        _text(entry, "summary", summary + (" (mailed)" if row.status == "sent" else ""))
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = value
    return element


def _updated(row: DigestRow) -> datetime:
    return row.sent_at or row.updated_at or row.period_end


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
