"""The parse stage: feed bytes -> normalised :class:`~aggregator.model.Article` values.

Pure: bytes and strings in, values out, no I/O. See docs/parsing.md for the rules.
"""

from aggregator.parse.feed import parse_feed
from aggregator.parse.fulltext import extract_main_text, needs_fulltext, with_fulltext
from aggregator.parse.html import html_to_text, sanitize_html
from aggregator.parse.language import detect_language
from aggregator.parse.normalise import canonical_url, content_hash

__all__ = [
    "canonical_url",
    "content_hash",
    "detect_language",
    "extract_main_text",
    "html_to_text",
    "needs_fulltext",
    "parse_feed",
    "sanitize_html",
    "with_fulltext",
]
