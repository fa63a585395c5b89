"""The language tag beside a statement: shown when its article is in another language than the
digest's, in the HTML part (mail and web share the macro) and the text part, always escaped."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from aggregator.digest import build_digest, digest_to_json, render_digest, whole_event_view
from aggregator.digest.build import event_title
from aggregator.digest.layout import language_name, language_tag, rendering_views
from aggregator.digest.model import Digest, StatementView
from aggregator.digest.render import shorter
from aggregator.model import Event, Rendering, Report
from tests.golden.fixtures import GENERATED_AT, OPTIONS, PERIOD, at, report, stmt

EN_TAG = '<span class="lang" title="English">EN</span>'
RU_TAG = '<span class="lang" title="Russian">RU</span>'

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
    assert re.search(re.escape(RUSSIAN) + r".{0,20}? " + re.escape(RU_TAG), html)
    assert not re.search(re.escape(ENGLISH) + r'.{0,20}?<span class="lang"', html)
    assert not re.search(re.escape(UNKNOWN) + r'.{0,20}?<span class="lang"', html)
    assert html.count('<span class="lang"') == html.count(RUSSIAN)
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


# ------------------------------------------------------------------ digest --json


def test_digest_json_gives_every_statement_its_language() -> None:
    digest = build_digest([_event()], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    exported = digest_to_json(digest)
    languages = {
        s["text"]: s["language"] for c in exported["events"][0]["columns"] for s in c["statements"]
    }
    # the digest's own language is named too: `language` says what the text is written in
    assert languages == {RUSSIAN: "ru", ENGLISH: "en", UNKNOWN: None}


# ------------------------------------------------------------- one quotation, three languages

#: one quotation of Sorokin's as a Russian, an English and a French outlet carried it
SOROKIN_RU = "Мы готовы продолжить переговоры в Женеве без предварительных условий."
SOROKIN_EN = "We are ready to continue the talks in Geneva without preconditions."
SOROKIN_FR = "Nous sommes prêts à poursuivre les négociations à Genève sans conditions préalables."


def _tagged(r: Report, language: str) -> Report:
    return replace(r, language=language)


RU_TITLE = "Сорокин: переговоры в Женеве продолжатся"


def _merged_event(title: str = RU_TITLE) -> Event:
    reports = (
        _tagged(replace(report("mid-ru", "geneva", 8), title=title), "ru"),
        _tagged(replace(report("wire-a", "geneva", 9), title="Sorokin ready for Geneva talks"),
                "en"),
        _tagged(replace(report("un-news", "geneva", 10), title="Sorokin prêt à négocier"), "fr"),
    )  # fmt: skip
    sorokin = replace(
        stmt("s-sorokin", SOROKIN_RU, side="Russia", speaker="Pavel Sorokin",
             role="Foreign Minister of Russia", reports=reports),
        language="ru",
        renderings=(Rendering("fr", SOROKIN_FR), Rendering("en", SOROKIN_EN)),
    )  # fmt: skip
    georgia = replace(
        stmt("s-ge", ENGLISH, side="Georgia", speaker="President of Georgia",
             role="head of state", reports=(_tagged(report("mfa-ge", "town", 9), "en"),)),
        language="en",
    )  # fmt: skip
    articles = tuple(dict.fromkeys((*reports, *georgia.reports)))
    return Event("e-geneva", title, at(8), at(10), articles, (sorokin, georgia))


def _sorokin(digest: Digest) -> StatementView:
    shown = [s for c in digest.events[0].columns for s in c.statements if s.id == "s-sorokin"]
    assert len(shown) == 1, "one statement, whatever the languages it was carried in"
    return shown[0]


def test_a_quotation_carried_in_three_languages_is_one_statement_in_its_own() -> None:
    digest = build_digest([_merged_event()], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    sorokin = _sorokin(digest)
    assert (sorokin.text, sorokin.language, sorokin.language_tag) == (SOROKIN_RU, "ru", "RU")
    assert sorokin.reported_by == 3  # every outlet, in every language
    # the reader's language first, then the others in the order the store gave them
    assert [(r.tag, r.text) for r in sorokin.renderings] == [("EN", SOROKIN_EN), ("FR", SOROKIN_FR)]
    assert sorokin.translation is not None
    assert sorokin.translation.text == SOROKIN_EN
    assert sorokin.other_languages == ("FR",)
    assert sorokin.languages == ("RU", "EN", "FR")


def test_the_mail_shows_the_original_its_translation_and_the_other_languages_as_tags() -> None:
    rendered = render_digest(
        build_digest([_merged_event()], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    )
    html, text = rendered.html, rendered.text
    assert f'<span lang="ru">“{SOROKIN_RU}”</span> {RU_TAG}' in html
    assert f"{EN_TAG} “{SOROKIN_EN}”" in html  # English: the page's own
    assert "also in FR" in html
    assert SOROKIN_FR not in html  # the mail keeps to the reader's language
    # every outlet of every language under the one statement
    cell = html[html.index(f"“{SOROKIN_RU}”") :]
    cell = cell[: cell.index("</p>")]
    assert all(name in cell for name in ("Russian Foreign Ministry", "Meridian Wire", "UN News"))
    flat = " ".join(text.split())
    assert f'"{SOROKIN_RU}" [RU]' in flat
    assert f'EN: "{SOROKIN_EN}" · also in FR' in flat
    assert SOROKIN_FR not in text


def test_the_renderings_are_the_first_thing_a_mail_over_its_budget_drops() -> None:
    digest = build_digest([_merged_event()], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    steps = list(shorter(digest))
    assert _sorokin(steps[0]).renderings  # "Also reported" shortened first: nothing to cut here
    assert not _sorokin(steps[1]).renderings
    assert all(not _sorokin(step).renderings for step in steps[1:])


@pytest.mark.parametrize(
    ("own", "given", "shown"),
    [
        ("ru", [("fr", "b"), ("en", "a")], [("en", "a"), ("fr", "b")]),  # the reader's first
        ("ru", [("ru-RU", "same"), ("fr", "b")], [("fr", "b")]),  # its own language, regional
        ("ru", [("fr", "b"), ("FR-ca", "c")], [("fr", "b")]),  # one a language, the first
        ("ru", [("x-klingon", "d"), ("<b>", "e"), ("de", "  ")], []),  # no tag, or no words
        # its own language unknown: a copy cannot be told from a translation, so none is one
        (None, [("en", "a")], []),
    ],
)
def test_rendering_views(
    own: str | None, given: list[tuple[str, str]], shown: list[tuple[str, str]]
) -> None:
    views = rendering_views(own, [Rendering(language, text) for language, text in given])
    assert [(v.language, v.text) for v in views] == shown
    assert all(v.tag == v.language.upper() for v in views)
    assert [v.digest_language for v in views] == [v.language == "en" for v in views]


# ------------------------------------------------------------------------------ the title


def test_a_foreign_title_gives_way_to_an_english_headline() -> None:
    event = _merged_event()
    assert event_title(event) == "Sorokin ready for Geneva talks"
    digest = build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    assert digest.events[0].title == "Sorokin ready for Geneva talks"
    assert whole_event_view(event, OPTIONS).title == "Sorokin ready for Geneva talks"


def test_the_most_carried_english_headline_wins_then_the_earliest() -> None:
    event = _merged_event()
    wire = replace(event.articles[1], source="ap", title="Sorokin says Russia ready to talk")
    copy = replace(wire, source="bbc")
    assert event_title(replace(event, articles=(*event.articles, wire, copy))) == wire.title
    second = replace(wire, title="Russia open to Geneva talks")
    assert event_title(replace(event, articles=(*event.articles, second))) == (
        "Sorokin ready for Geneva talks"
    )


@pytest.mark.parametrize(
    ("title", "languages", "kept"),
    [
        (RU_TITLE, ("ru", None, "fr", "de"), True),  # no English headline
        (RU_TITLE, ("ru", "en-GB", "fr", "de"), False),  # a regional English one will do
        ("Sorokin ready for Geneva talks", ("ru", "en", "fr", "en"), True),  # already English
        ("Talks in Geneva", ("ru", "en", "fr", "en"), True),  # nobody's headline: the grouper's
        ("Sorokin prêt à négocier", ("ru", "en", "fr", "en"), False),
    ],
)
def test_the_grouper_s_title_stands_unless_foreign_with_an_english_one_at_hand(
    title: str, languages: tuple[str | None, ...], kept: bool
) -> None:
    event = _merged_event()
    articles = tuple(
        replace(r, language=language) for r, language in zip(event.articles, languages, strict=True)
    )
    event = replace(event, title=title, articles=articles)
    assert (event_title(event) == title) is kept
    # a French reader gets the French headline, unless the title is nobody's headline
    french = title if title == "Talks in Geneva" else "Sorokin prêt à négocier"
    assert event_title(event, digest_language="fr") == french


def test_a_title_in_another_language_carries_its_tag_in_the_main_section_and_under_also() -> None:
    event = _merged_event()
    no_english = replace(
        event,
        articles=tuple(r for r in event.articles if r.language != "en"),
        statements=(replace(event.statements[0], reports=event.articles[:1]),),
    )
    quiet = replace(no_english, id="e-quiet", statements=())  # nothing to show: "Also reported"
    digest = build_digest([no_english, quiet], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    (main,), (also,) = digest.events, digest.also
    for view in (main, also):
        assert (view.title, view.title_language, view.title_tag) == (RU_TITLE, "ru", "RU")
    rendered = render_digest(digest)
    tagged = re.escape(f'<span lang="ru">{RU_TITLE}</span>') + "(</a>)? " + re.escape(RU_TAG)
    assert len(re.findall(tagged, rendered.html)) == 2  # the event's heading, its "Also" line
    assert rendered.text.count(f"{RU_TITLE} [RU]") == 2
    # an English title: no tag, and no mark (the page is English)
    english = build_digest([event], OPTIONS, PERIOD, generated_at=GENERATED_AT)
    assert (english.events[0].title_language, english.events[0].title_tag) == ("en", None)
    assert '<span lang="en">' not in render_digest(english).html


@pytest.mark.parametrize(
    ("tag", "name"), [("UK", "Ukrainian"), ("RU", "Russian"), ("fr", "French"), ("xx", "xx")]
)
def test_a_tag_is_named_in_its_tooltip(tag: str, name: str) -> None:
    """ "UK" is Ukrainian, not the United Kingdom: the tag's title names the language (CLDR)."""
    assert language_name(tag) == name
