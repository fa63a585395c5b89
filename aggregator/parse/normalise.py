"""Pure normalisation helpers: canonical URLs, UTC dates, languages, text hygiene, hashes, and
the raw document's hygiene (encoding labels, entity bombs) before a parser sees it.

Nothing here imports a third-party library or does I/O; ``feed.py`` and ``html.py`` build on it.
The regular expressions below look at URLs, charset labels and DTD declarations, never at markup.
"""

from __future__ import annotations

import calendar
import email.utils
import hashlib
import json
import re
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from aggregator.errors import FeedParseError

# Per-field ceilings. A feed is untrusted input: one entry must not be able to push megabytes of
# text into every later stage (extraction, grouping, the digest) or into a database row.
MAX_TEXT_CHARS = 1_000_000
MAX_TITLE_CHARS = 2_000
MAX_AUTHOR_CHARS = 500
MAX_GUID_CHARS = 1_000

# Dates outside this window are publisher bugs (epoch zero, year 2099 …), not real news times.
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=2)

# Query parameters that only say how a reader arrived. Compared lower-cased.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "cmp",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "ito",
        "xtor",
        "_ga",
        "_gl",
        "igshid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
        "wt.mc_id",
        "smid",
        "icid",
        "maca",  # Deutsche Welle feed-edition marker
        "traffic_source",  # Al Jazeera
        "ref_src",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# C0/C1 controls except tab and newline, and lone surrogates: PostgreSQL refuses NUL in text
# and UTF-8 cannot encode a surrogate, so either would fail later at the store.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# invisible characters a page's layout leaves inside words: soft hyphens ("watc\u00adh\u00addog"),
# zero-width spaces, word joiners, byte-order marks (zero-width joiners, which some scripts
# need, stay)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")

# Single-byte charsets that feeds often declare while actually sending UTF-8.
_LATIN_CHARSETS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}
)
# Detection only (the XML declaration and a header parameter), never parsing of markup.
_XML_DECLARED_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([\w.:-]+)(["'])""")
_ENTITY_DECLARATION = re.compile(r"""<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(["'])(.*?)\2""", re.S)
_ENTITY_REFERENCE = re.compile(r"&([A-Za-z_][\w.-]*);")
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
# Internal entities may expand to at most this many characters in all (a real feed: a few dozen).
MAX_ENTITY_EXPANSION = 1_000_000
_CHARSET_PARAM = re.compile(r"""(charset\s*=\s*["']?)([\w.:-]+)""", re.IGNORECASE)


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """Absolute http(s) URL with scheme/host lower-cased, default port, fragment and trackers gone.

    Relative URLs are resolved against ``base``; anything that is not http(s) afterwards, or
    does not parse, gives ``None``. Remaining query parameters keep their order and spelling.
    """
    if url is None:
        return None
    url = _CONTROL.sub("", url).strip()
    if not url:
        return None
    try:
        if base:
            base = base.strip()
            if urlsplit(base).scheme.lower() in _DEFAULT_PORTS:
                url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname  # lower-cased by urllib
        port = parts.port  # raises ValueError on a non-numeric or out-of-range port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host or any(c.isspace() for c in host):
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, _strip_tracking(parts.query), ""))


def _strip_tracking(query: str) -> str:
    """Drop tracking parameters; keep the others byte for byte, in their original order."""
    kept = []
    for piece in query.split("&"):
        if not piece:
            continue
        name = unquote(piece.split("=", 1)[0]).strip().lower()
        if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
            continue
        kept.append(piece)
    return "&".join(kept)


def clean_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Plain-text hygiene: NFC, no control or invisible characters, tidy spaces, at most two
    line breaks.

    Paragraph breaks (blank lines) and single line breaks survive; runs of other whitespace
    become one space; the result is cut to ``limit`` characters.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", _CONTROL.sub("", text)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return truncate(text, limit)


def one_line(text: str, limit: int) -> str:
    """Collapse all whitespace (line breaks too) to single spaces; for titles and names."""
    return truncate(_WHITESPACE.sub(" ", _INVISIBLE.sub("", _CONTROL.sub("", text))).strip(), limit)


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, preferring a word boundary near the end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", max(0, limit - 200))
    return (cut[:space] if space > 0 else cut).rstrip()


def struct_to_utc(value: time.struct_time | tuple[int, ...] | None) -> datetime | None:
    """A UTC ``struct_time`` (as feedparser gives in ``*_parsed``) as an aware UTC datetime."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(tuple(value)[:9]), UTC)
    except (OverflowError, OSError, ValueError, TypeError):
        return None


def date_from_text(text: str) -> datetime | None:
    """An RFC 2822 date feedparser could not read (usually one without a zone, taken as UTC)."""
    if not text.strip():
        return None
    try:
        value = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def plausible_date(value: datetime | None, now: datetime) -> datetime | None:
    """``value`` if it lies between 1990 and two days after ``now``, else ``None``."""
    if value is None or value < EARLIEST_DATE or value > now + FUTURE_TOLERANCE:
        return None
    return value


def normalise_language(value: str | None) -> str | None:
    """A BCP 47-shaped tag lower-cased with hyphens (``en_US`` -> ``en-us``), else ``None``."""
    if not value:
        return None
    tag = value.strip().replace("_", "-").lower()
    return tag if _LANGUAGE.match(tag) else None


def content_hash(title: str, summary: str, text: str) -> str:
    """Stable SHA-256 hex digest over title, summary and text; dates and URLs are left out.

    The fields are JSON-encoded as a list so that moving words between fields changes the hash.
    """
    payload = json.dumps([title, summary, text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def bounded_guid(guid: str) -> str:
    """The guid itself, or ``sha256:<digest>`` of it when it is too long to be a sane key."""
    if len(guid) <= MAX_GUID_CHARS:
        return guid
    return "sha256:" + hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest()


# --- the raw document, before any parser sees it ---


def repair_encoding(
    body: bytes, headers: dict[str, str]
) -> tuple[bytes, dict[str, str], str | None]:
    """Trust the bytes over the label where the label is a common, checkable mistake.

    * Declared Latin-1/ASCII but valid multi-byte UTF-8: genuine Latin-1 text with accents is
      almost never valid UTF-8, while feeds labelling UTF-8 as ISO-8859-1 are common; without
      this every accent turns into mojibake.
    * ``text/xml`` (or another ``text/*xml*``) without a charset: the XML declaration decides
      (RFC 7303), not US-ASCII as RFC 3023 had it.
    * UTF-8 (declared or by default) with a few invalid bytes among many valid multi-byte
      sequences: replace just those bytes with U+FFFD. Otherwise feedparser falls back to
      windows-1252 for the whole document and every valid accent becomes mojibake. This is
      reported back as a note (the feed is bozo), the label fixes are not.
    """
    if body.isascii() or body[:4].count(0) or body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body, headers, None  # nothing to repair, or UTF-16/32: feedparser detects those
    declared = _XML_DECLARED_ENCODING.match(body)
    declared_name = declared.group(2).decode("ascii").lower() if declared else None
    content_type = headers.get("content-type", "")
    charset = _CHARSET_PARAM.search(content_type)
    charset_name = charset.group(2).lower() if charset else None
    media_type = content_type.split(";", 1)[0].strip().lower()
    if charset is None and media_type.startswith("text/") and "xml" in media_type:
        # RFC 3023 made text/* without a charset US-ASCII, so feedparser flags every such feed;
        # RFC 7303, which replaced it, defers to the document's own declaration instead.
        charset_name = declared_name or "utf-8"
        headers = {**headers, "content-type": f"{content_type}; charset={charset_name}"}
        charset = _CHARSET_PARAM.search(headers["content-type"])
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        if {declared_name, charset_name} - {None, "utf-8", "utf8"}:
            return body, headers, None  # labelled as something else: feedparser's job
        text = body.decode("utf-8", "replace")
        invalid = text.count("\ufffd")
        valid = sum(1 for char in text if char > "\x7f") - invalid
        if valid < invalid:
            return body, headers, None  # mostly not UTF-8: let feedparser guess the charset
        return text.encode("utf-8"), headers, f"{invalid} invalid UTF-8 byte sequence(s) replaced"
    if declared and declared_name in _LATIN_CHARSETS:
        body = _XML_DECLARED_ENCODING.sub(rb"\1utf-8\3", body, count=1)
    if charset and charset_name in _LATIN_CHARSETS:
        headers = {**headers, "content-type": _CHARSET_PARAM.sub(r"\1utf-8", content_type, 1)}
    return body, headers, None


def refuse_entity_bombs(body: bytes) -> None:
    """Refuse documents whose internal entities would expand past MAX_ENTITY_EXPANSION.

    expat stops nested "billion laughs" on its own, but feedparser's lenient fallback parser
    expands simple entities itself: one 100 kB entity referenced 20,000 times would become
    2 GB of text. This scan of the DTD's declarations (not of the markup) computes the expanded
    size, nested references included, before any parser runs.
    """
    text = _sniff_text(body)
    first = _FIRST_ELEMENT.search(text)
    head = text[: first.start()] if first else text
    if "<!ENTITY" not in head:
        return
    values = {name: value for name, _, value in _ENTITY_DECLARATION.findall(head)}
    sizes: dict[str, int] = {}

    def size(name: str, depth: int = 0) -> int:
        if name not in values or depth > 32:  # undefined or absurdly deep: count the reference
            return len(name) + 2
        if name not in sizes:
            sizes[name] = MAX_ENTITY_EXPANSION + 1  # a cycle counts as unbounded
            value = values[name]
            refs = _ENTITY_REFERENCE.findall(value)
            sizes[name] = len(_ENTITY_REFERENCE.sub("", value)) + sum(
                min(size(ref, depth + 1), MAX_ENTITY_EXPANSION + 1) for ref in refs
            )
        return sizes[name]

    body_text = text[len(head) :]
    total = 0
    for name in values:
        uses = body_text.count(f"&{name};")
        if uses:
            total += uses * size(name)
        if total > MAX_ENTITY_EXPANSION:
            raise FeedParseError(
                f"refused: entity {name!r} would expand the document past "
                f"{MAX_ENTITY_EXPANSION:,} characters (an entity-expansion attack or a broken DTD)"
            )


def _sniff_text(body: bytes) -> str:
    """The document as text for scanning only: UTF-16/32 by BOM or zero bytes, else Latin-1."""
    for bom, codec in (
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, "replace")
    if body[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return body.decode("utf-32-be" if body[0] == 0 else "utf-32-le", "replace")
    if body[:2] in (b"\x00<", b"<\x00"):
        return body.decode("utf-16-be" if body[0] == 0 else "utf-16-le", "replace")
    # Every ASCII-compatible encoding keeps markup and entity names byte-identical in Latin-1.
    return body.decode("latin-1")
