"""The language of an article: detection on short news text, its bounds, and the precedence of
the source's, the detected and the declared language. Every text here was written for these
tests."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.parse.language import (
    MAX_SAMPLE_CHARS,
    article_language,
    detect_language,
    primary_tag,
)

# (language, title, text): a headline and a lead of a sentence or two, as a feed carries them
NEWS = [
    (
        "en",
        "Foreign ministers meet in Vienna",
        "Talks on a ceasefire resumed on Tuesday after a week of delays, officials said.",
    ),
    (
        "en",
        "Parliament rejects budget",
        "Lawmakers voted down the spending plan late on Monday, leaving the government without a "
        "deal.",
    ),
    ("en", "UN envoy calls for restraint", ""),
    (
        "ru",
        "Министры иностранных дел встретились в Вене",
        "Переговоры о прекращении огня возобновились во вторник после недельной паузы.",
    ),
    (
        "ru",
        "Парламент отклонил бюджет",
        "Депутаты проголосовали против плана расходов поздно вечером в понедельник.",
    ),
    (
        "ru",
        "Полиция задержала десятки человек после акции протеста",
        "",
    ),
    (
        "uk",
        "Міністри закордонних справ зустрілися у Відні",
        "Переговори про припинення вогню відновилися у вівторок після тижневої перерви.",
    ),
    (
        "uk",
        "Парламент відхилив бюджет",
        "Депутати проголосували проти плану видатків пізно ввечері в понеділок.",
    ),
    (
        "uk",
        "Поліція затримала десятки людей після акції протесту",
        "",
    ),
    (
        "fr",
        "Les ministres des Affaires étrangères se réunissent à Vienne",
        "Les pourparlers sur un cessez-le-feu ont repris mardi après une semaine de retard.",
    ),
    (
        "fr",
        "Le Parlement rejette le budget",
        "Les députés ont voté contre le plan de dépenses tard lundi soir.",
    ),
    ("fr", "La police interpelle des dizaines de manifestants", ""),
    (
        "de",
        "Außenminister treffen sich in Wien",
        "Die Gespräche über eine Waffenruhe wurden am Dienstag nach einer Woche Pause fortgesetzt.",
    ),
    (
        "de",
        "Parlament lehnt Haushalt ab",
        "Die Abgeordneten stimmten am späten Montagabend gegen den Ausgabenplan.",
    ),
    ("de", "Polizei nimmt nach Protest Dutzende Menschen fest", ""),
    (
        "es",
        "Los ministros de Exteriores se reúnen en Viena",
        "Las conversaciones sobre un alto el fuego se reanudaron el martes tras una semana de "
        "retraso.",
    ),
    (
        "es",
        "El Parlamento rechaza el presupuesto",
        "Los diputados votaron en contra del plan de gasto el lunes por la noche.",
    ),
    ("es", "La policía detiene a decenas de personas tras una protesta", ""),
]


@pytest.mark.parametrize(("language", "title", "text"), NEWS)
def test_short_news_text_in_each_language(language: str, title: str, text: str) -> None:
    assert detect_language(title, text) == language


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("", ""),
        ("Statement", ""),
        ("Read it.", "Ok."),
        ("Zelensky meets Macron", ""),  # 18 letters: too short to tell
        ("2026-02-17", "12:00 UTC · 3/4 · +7 % · 1,250"),  # digits and signs, no words
        ("", "   \n\t  "),
        ("!!!", "... --- ???" * 100),
    ],
)
def test_too_little_text_gives_no_language(title: str, text: str) -> None:
    assert detect_language(title, text) is None


def test_a_quoted_sentence_does_not_change_an_articles_language() -> None:
    text = (
        "The foreign minister spoke to reporters after the meeting in Geneva on Tuesday. "
        "He repeated in Russian, «Мы готовы к переговорам», and said his delegation would stay "
        "for another round of talks before the weekend, as the mediators had asked."
    )
    assert detect_language("Minister says talks will go on", text) == "en"


def test_detection_reads_a_bounded_prefix() -> None:
    lead = (
        "Les députés ont voté contre le plan de dépenses tard lundi soir. Le gouvernement devra "
        "présenter un nouveau texte avant la fin du mois, a indiqué le ministère des Finances. "
    ) * 3
    assert len(lead) > MAX_SAMPLE_CHARS
    ten_megabytes = lead + "The rest of this page is English words. " * 260_000
    assert len(ten_megabytes) > 10_000_000
    started = time.process_time()
    found = detect_language("Le Parlement rejette le budget", ten_megabytes)
    elapsed = time.process_time() - started
    # only the first MAX_SAMPLE_CHARS were read: the French lead, in far less time than it
    # takes to read 10 MB
    assert found == "fr"
    assert elapsed < 0.05


def test_a_long_title_alone_fills_the_sample() -> None:
    title = "Parliament rejects the budget after a long night of debate " * 40
    assert detect_language(title, "Депутаты проголосовали против плана расходов.") == "en"


@pytest.mark.parametrize(
    "noise",
    [
        "\x00",
        "\x0b",
        "\x1b[31m",
        "\x7f",
        "\x85",
        "\x9f",
        "\ud800",  # a lone surrogate: not even encodable as UTF-8
        "\ufdd0",
        "\ufffe",
        "\U0001fffe",
        "\U0010ffff",
    ],
)
def test_characters_the_detector_refuses_are_read_around(noise: str) -> None:
    title = f"Le Parlement {noise}rejette le budget"
    text = f"Les députés ont voté{noise} contre le plan de dépenses tard lundi soir.{noise}"
    assert detect_language(title, text) == "fr"


def test_binary_junk_never_raises_and_latin1_junk_has_no_language() -> None:
    rng = random.Random(16)
    for _ in range(50):
        junk = bytes(rng.randrange(256) for _ in range(2000))
        assert detect_language("", junk.decode("latin-1")) is None
        for encoding in ("utf-8", "cp1251", "utf-16-le"):
            found = detect_language("", junk.decode(encoding, "replace"))
            assert found is None or primary_tag(found) == found


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=800), st.text(max_size=2000))
def test_any_text_gives_a_primary_tag_or_none(title: str, text: str) -> None:
    found = detect_language(title, text)
    assert found is None or (found.isascii() and found.isalpha() and 2 <= len(found) <= 3)
    assert detect_language(title, text) == found  # deterministic


@pytest.mark.parametrize(
    ("code", "tag"),
    [
        ("en", "en"),
        ("RU", "ru"),
        ("zh-Hant", "zh"),
        ("sr-ME", "sr"),
        ("iw", "he"),
        ("jw", "jv"),
        ("sco", "sco"),
        ("un", None),
        ("xx-Latn", None),
        ("zzp", None),
        ("", None),
        ("e1", None),
    ],
)
def test_detector_codes_become_primary_tags(code: str, tag: str | None) -> None:
    assert primary_tag(code) == tag


RU_TITLE, RU_TEXT = NEWS[3][1], NEWS[3][2]
SHORT_TITLE = "Statement"


@pytest.mark.parametrize(
    ("title", "text", "configured", "declared", "expected"),
    [
        # the source's configured language is the operator's word: it beats everything
        (RU_TITLE, RU_TEXT, "uk", "en", "uk"),
        (RU_TITLE, RU_TEXT, "pt-br", None, "pt-br"),
        (SHORT_TITLE, "", "de", "en", "de"),
        # the words beat the feed's declaration (feeds declare "en" for everything)
        (RU_TITLE, RU_TEXT, None, "en", "ru"),
        (RU_TITLE, RU_TEXT, None, "en-us", "ru"),
        (RU_TITLE, RU_TEXT, None, None, "ru"),
        # … but a declaration that names the detected language more precisely is kept
        (RU_TITLE, RU_TEXT, None, "ru-ua", "ru-ua"),
        # too little text: the declaration stands, else nothing
        (SHORT_TITLE, "", None, "fr", "fr"),
        (SHORT_TITLE, "", None, None, None),
    ],
)
def test_precedence(
    title: str, text: str, configured: str | None, declared: str | None, expected: str | None
) -> None:
    assert article_language(title, text, configured=configured, declared=declared) == expected
