"""Full text for summary-only feeds: main-text extraction from an article page (trafilatura).

The only module that imports trafilatura. Fetching the page is the fetch stage's job; this
module takes the page as bytes or text and returns values.
"""

from __future__ import annotations

import dataclasses
import logging

import lxml.etree
import trafilatura

from aggregator.model import Article
from aggregator.parse.normalise import MAX_TEXT_CHARS, clean_text

# A feed body shorter than this is a teaser: a news article runs to several thousand
# characters, a summary to one or two sentences (docs/parsing.md gives the measurement).
FULLTEXT_BELOW_CHARS = 1_000
# Pages larger than this are not articles worth reading in full.
MAX_PAGE_BYTES = 8 * 1024 * 1024


def extract_main_text(html: bytes | str, url: str | None = None) -> str | None:
    """The article's main text from a page, as clean plain text; ``None`` when nothing is found.

    Never raises on junk input (empty, binary, broken markup): that is "nothing found".
    """
    if not html or len(html) > MAX_PAGE_BYTES:
        return None
    try:
        text = trafilatura.extract(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
            favor_precision=True,
            with_metadata=False,
        )
    except (lxml.etree.LxmlError, ValueError, UnicodeError, LookupError) as exc:
        # Junk that trafilatura or lxml refuses is "no main text", not a pipeline failure.
        logging.getLogger(__name__).debug("no main text from %s: %s", url, exc)
        return None
    if not text:
        return None
    # trafilatura puts one paragraph a line; the project's text puts a blank line between them.
    cleaned = clean_text("\n\n".join(line for line in text.splitlines() if line.strip()))
    return cleaned or None


def with_fulltext(article: Article, page_text: str) -> Article:
    """``article`` with ``text`` replaced by the page's text (summary kept).

    The content hash stays the feed's: it describes what the feed said, so the next poll of an
    unchanged entry compares equal and the stored full text is not overwritten by the summary.
    Blank ``page_text`` leaves the article unchanged.
    """
    text = clean_text(page_text, MAX_TEXT_CHARS)
    if not text:
        return article
    return dataclasses.replace(article, text=text)


def needs_fulltext(article: Article) -> bool:
    """True when the feed carried only a short summary and the article has a page to read."""
    return article.url is not None and len(article.text) < FULLTEXT_BELOW_CHARS
