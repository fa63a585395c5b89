"""HTML in feeds: readable plain text (lxml), a sanitised display copy (nh3), page sniffing.

The only module that imports nh3. lxml parses; no regular expression ever sees markup (the one
here works on this module's own break markers).
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import nh3

from aggregator.parse.normalise import MAX_TEXT_CHARS, canonical_url, clean_text, one_line

# Input ceiling before parsing: the text we keep is capped at MAX_TEXT_CHARS anyway, and markup
# rarely exceeds three times its text, so more than this is either an attack or waste.
MAX_HTML_CHARS = 4 * MAX_TEXT_CHARS

# Elements whose content is never readable text.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "select",
        "textarea",
        "button",
    }
)
# The six heading levels, which start and end a paragraph and are kept in clean HTML.
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
# Elements that start and end a paragraph.
_PARAGRAPH = _HEADINGS | frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "table",
        "blockquote",
        "pre",
        "figure",
        "address",
        "form",
        "fieldset",
        "details",
        "hr",
        "center",
    }
)
# Elements that sit on lines of their own inside a paragraph. Lists are here rather than with the
# paragraphs so that a nested list stays a run of lines under its parent item.
_LINE = frozenset(
    {"ul", "ol", "dl", "li", "dt", "dd", "tr", "figcaption", "caption", "summary", "legend"}
)
# Cells of one row stay on one line, separated by a space.
_CELL = frozenset({"td", "th"})

# Markers placed between text pieces; real text never contains them once controls are removed.
_PARA = "\x00P"
_NEWLINE = "\x00N"
_BREAK = "\x00B"
# Two or more <br> in a row (whitespace between allowed) are how much feed HTML makes paragraphs.
_BREAKS = re.compile("\x00B(?:\\s*\x00B)+")

_ALLOWED_TAGS = _HEADINGS | frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
    }
)
# No style, class or id anywhere: style carries CSS expressions and url(), ids collide with the
# digest page. Event handlers (on*) are never in the allow-list.
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
_CLEAN_CONTENT = frozenset(_SKIP - {"head"})
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# Fragments with more tags than this are re-serialised with bounded depth before nh3 sees them.
_NH3_DIRECT_TAGS = 2_000


def _local_name(tag: str) -> str:
    """A tag's name without its namespace, lower-cased: "{http://…}P" -> "p". The HTML parser
    keeps a mangled name as written ("p{gt;the"), which is no namespaced name: as it stands."""
    if tag.startswith("{") and "}" in tag:
        return tag.rsplit("}", 1)[1].lower()
    return tag.lower()


def html_to_text(html: str) -> str:
    """Readable plain text from an HTML fragment or page.

    Block elements become paragraph breaks (a blank line), list items, table rows and ``<br>``
    line breaks; scripts, styles and the page head are dropped; entities are decoded; other
    whitespace collapses to single spaces. Text without markup only has its whitespace tidied.
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return clean_text(" ".join(html.split()))
    root = _parse(html[:MAX_HTML_CHARS])
    if root is None:
        return ""
    pieces: list[str] = []
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):  # comment or processing instruction: only its tail counts
            if event == "end" and element.tail:
                pieces.append(element.tail)
            continue
        name = _local_name(tag)
        if event == "start":
            if name in _SKIP:
                walker.skip_subtree()
                continue
            pieces.append(_boundary(name, start=True))
            if element.text:
                pieces.append(element.text)
        else:
            if name not in _SKIP:
                pieces.append(_boundary(name, start=False))
            if element.tail:
                pieces.append(element.tail)
    return _assemble("".join(pieces))


def _boundary(name: str, *, start: bool) -> str:
    if name in _PARAGRAPH:
        return _PARA
    if name in _LINE:
        return _NEWLINE
    if name == "br":
        return "" if start else _BREAK
    if name in _CELL:
        return " "
    return ""


def _assemble(raw: str) -> str:
    """Turn text with paragraph/line markers into clean text; source whitespace is collapsed."""
    raw = _BREAKS.sub(_PARA, raw).replace(_BREAK, _NEWLINE)
    paragraphs = []
    for block in raw.split(_PARA):
        lines = [" ".join(line.split()) for line in block.split(_NEWLINE)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return clean_text("\n\n".join(paragraphs))


def _parse(html: str) -> lxml.etree._Element | None:
    """Parse with libxml2's forgiving HTML parser; never touches the network."""
    # Encoded to UTF-8 with the encoding fixed, so a charset declared inside the markup cannot
    # make libxml2 decode the text a second time.
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
    )
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """A display-safe copy of feed HTML (nh3 allow-list).

    Keeps structure and links; drops scripts, styles, frames, forms, event handlers, ``style``
    attributes and any URL that is not http(s) or mailto. Relative links are resolved against
    ``base_url`` when it is an absolute http(s) URL.
    """
    if not html:
        return ""
    base = canonical_url(base_url) if base_url else None

    def resolve(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in _URL_ATTRIBUTES or base is None:
            return value
        if urlsplit(value.strip()).scheme:  # absolute: the scheme allow-list decides
            return value
        return urljoin(base, value.strip())

    html = html[:MAX_HTML_CHARS]
    if html.count("<") > _NH3_DIRECT_TAGS:
        html = _depth_bounded(html)
    return nh3.clean(
        html,
        tags=set(_ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        attribute_filter=resolve,
        url_schemes=set(_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def _depth_bounded(html: str) -> str:
    """Re-serialise through libxml2, whose parser caps nesting at 256 levels.

    html5ever (inside nh3) takes time quadratic in nesting depth: 100,000 nested ``<div>`` cost
    over a minute. Only large fragments take this detour; nh3 still does all the sanitising.
    """
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return ""
    body = root.find("body")
    if body is None:
        return ""
    return escape(body.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in body
    )


def looks_like_html_page(body: bytes) -> bool:
    """True when the start of ``body`` reads like an HTML document rather than XML."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        b"<html" in head and b"<rss" not in head and b"<feed" not in head
    )


def page_title(body: bytes) -> str | None:
    """The ``<title>`` of an HTML page, for error messages; ``None`` when there is none."""
    try:
        root = lxml.html.document_fromstring(
            body[: 2 * MAX_TEXT_CHARS],
            parser=lxml.html.HTMLParser(no_network=True, remove_comments=True),
        )
    except (lxml.etree.ParserError, ValueError):
        return None
    title = root.findtext(".//title")
    return one_line(title, 200) or None if title else None


def advertised_feeds(body: bytes, base_url: str | None = None) -> list[str]:
    """Feed URLs an HTML page advertises with ``<link rel="alternate" type="…rss/atom…">``."""
    try:
        root = lxml.html.document_fromstring(
            body[: 2 * MAX_TEXT_CHARS],
            parser=lxml.html.HTMLParser(no_network=True, remove_comments=True),
        )
    except (lxml.etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and ("rss" in kind or "atom" in kind or "rdf" in kind):
            url = canonical_url(link.get("href"), base_url)
            if url and url not in found:
                found.append(url)
    return found
