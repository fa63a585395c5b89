"""The language tag beside a statement: shown when its article is in another language than the
digest's, in the HTML part (mail and web share the macro) and the text part, always escaped."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from aggregator.digest import build_digest, render_digest
from aggregator.digest.layout import language_tag
from aggregator.model import Event
from tests.golden.fixtures import GENERATED_AT, OPTIONS, PERIOD, at, report, stmt

RUSSIAN = "Наши войска не покинут город, пока не будет подписано соглашение."
ENGLISH = "Our troops will stay in the town until an agreement is signed."
UNKNOWN = "The talks will resume in Geneva on Monday morning."


def _event(russian: str | None = "ru", english: str | None = "en") -> Event:
    statements = (
        replace(
            stmt("s-ru", RUSSIAN, side="Russia", speaker="Foreign Minister of Russia",
                 role="minister", reports=(report("mid-ru", "town", 8),)),
            language=russian,
        ),
        replace(
            stmt("s-ge", ENGLISH, side="Georgia", speaker="President of Georgia",
                 role="head of state", reports=(report("mfa-ge", "town", 9),)),
            language=english,
        ),
        stmt("s-un", UNKNOWN, side="United Nations", speaker="Secretary-General",
             role="UN chief", reports=(report("un-news", "talks", 10),)),
    )  # fmt: skip
    articles = tuple(r for s in statements for r in s.reports)
    return Event("e-town", "The town", at(8), at(10), articles, statements)


def _views(event: Event, language: str = "en") -> dict[str, str | None]:
    options = replace(OPTIONS, language=language)
    digest = build_digest([event], options, PERIOD, generated_at=GENERATED_AT)
    return {s.id: s.language_tag for c in digest.events[0].columns for s in c.statements}


@pytest.mark.parametrize(
    ("language", "digest_language", "tag"),
    [
        ("ru", "en", "RU"),
        ("ru-UA", "en", "RU"),
        ("uk", "en", "UK"),
        ("en", "en", None),
        ("en-gb", "en", None),
        ("EN-US", "en-GB", None),
        (None, "en", None),
        ("", "en", None),
        ("ru", "ru", None),
        ("en", "ru", "EN"),
        ("tlh", "en", "TLH"),
        ("x-klingon", "en", None),  # a private-use tag names no language to show
        ('ru"><script>alert(1)</script>', "en", None),
        ("<b>", "en", None),
    ],
)
def test_language_tag(language: str | None, digest_language: str, tag: str | None) -> None:
    assert language_tag(language, digest_language) == tag


def test_a_russian_statement_carries_its_tag_and_an_english_one_does_not() -> None:
    assert _views(_event()) == {"s-ru": "RU", "s-ge": None, "s-un": None}
    rendered = render_digest(build_digest([_event()], OPTIONS, PERIOD, generated_at=GENERATED_AT))
    html, text = rendered.html, rendered.text
    # HTML: the tag right after the Russian words, never after the English ones
    assert re.search(re.escape(RUSSIAN) + r'.{0,20}? <span class="lang">RU</span>', html)
    assert not re.search(re.escape(ENGLISH) + r'.{0,20}?<span class="lang">', html)
    assert not re.search(re.escape(UNKNOWN) + r'.{0,20}?<span class="lang">', html)
    assert html.count('<span class="lang">') == html.count(RUSSIAN)
    # text: "[RU]" after the Russian statement (its "In short" line too), nowhere else
    russian_lines = [line for line in text.splitlines() if "[RU]" in line]
    assert russian_lines
    assert all("Наши" in line or "соглашение" in line for line in russian_lines)
    assert "[EN]" not in text


def test_the_digest_language_is_a_subscription_option() -> None:
    assert _views(_event(), language="ru") == {"s-ru": None, "s-ge": "EN", "s-un": None}


def test_a_language_from_data_is_never_markup() -> None:
    hostile = '"><script>alert(1)</script>'
    event = _event(russian=f"ru{hostile}", english=hostile)
    html = render_digest(build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT)).html
    assert "<script>" not in html
    assert 'class="lang"' not in html
