"""Extraction in Russian, Ukrainian, French, German and Spanish (aggregator.extract.languages).

A constructions table per language (each case names the construction that must make it, so
it fails without its rule), the docstring examples of every construction, offsets on
arbitrary text, the API's language switch and ``aggregator extract --lang``.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.cli import main
from aggregator.extract import explain_statements, extract_statements
from aggregator.extract.languages import SUPPORTED, lexicon_for, primary
from aggregator.extract.languages.constructions import CONSTRUCTIONS, SENTENCE_CONSTRUCTIONS
from aggregator.extract.version import rule_modules
from aggregator.model import Statement

# (language, text, content inside the statement, speaker inside the mention, rule)
CASES: list[tuple[str, str, str, str | None, str]] = [
    # Russian
    (
        "ru",
        "«Мы не допустим этого», — заявил министр иностранных дел России Сергей Лавров.",
        "Мы не допустим этого",
        "Сергей Лавров",
        "inverted",
    ),
    (
        "ru",
        "Министр иностранных дел России Сергей Лавров в понедельник заявил, что переговоры "
        "зашли в тупик.",
        "переговоры зашли в тупик",
        "Сергей Лавров",
        "reported_clause",
    ),
    (
        "ru",
        "По словам Сергея Лаврова, Москва готова к диалогу.",
        "Москва готова к диалогу",
        "Сергея Лаврова",
        "according_to",
    ),
    (
        "ru",
        "Как заявил пресс-секретарь Кремля Дмитрий Песков, решение пока не принято.",
        "решение пока не принято",
        "Дмитрий Песков",
        "as_aside",
    ),
    (
        "ru",
        "Дмитрий Песков заявил журналистам: «Москва готова к переговорам».",
        "Москва готова к переговорам",
        "Дмитрий Песков",
        "colon",
    ),
    (
        "ru",
        "Переговоры зашли в тупик. Об этом заявил глава МИД Сергей Лавров.",
        "Переговоры зашли в тупик",
        "Сергей Лавров",
        "anaphoric",
    ),
    (
        "ru",
        "Сергей Лавров покинул зал, заявив, что Москва не примет этих условий.",
        "Москва не примет этих условий",
        "Сергей Лавров",
        "participle",
    ),
    (
        "ru",
        "— Мы не допустим этого, — сказал Сергей Лавров. — Россия ответит.",
        "Мы не допустим этого",
        "Сергей Лавров",
        "inverted",
    ),
    (
        "ru",
        "«Мы не допустим этого», — сказал Сергей Лавров. «Россия ответит на это».",
        "Россия ответит на это",
        None,
        "continued_quote",
    ),
    (
        "ru",
        "«Это было ошибкой, — сказал Сергей Лавров. — Россия ответит».",
        "Россия ответит",
        None,
        "continued_quote",
    ),
    (
        "ru",
        "«Россия готова к диалогу», — говорится в заявлении МИД России.",
        "Россия готова к диалогу",
        "МИД России",
        "inverted",
    ),
    (
        "ru",
        "По её словам, Москва подготовит ответные меры.",
        "Москва подготовит",
        "её",
        "according_to",
    ),
    (
        "ru",
        "Более половины украинцев считают, что войну начала Россия.",
        "войну начала Россия",
        "Более половины украинцев",
        "reported_clause",
    ),
    # Ukrainian
    (
        "uk",
        "В «Укренерго» також попередили, що графіки можуть посилити.",
        "графіки можуть посилити",
        "«Укренерго»",
        "reported_clause",
    ),
    (
        "uk",
        "«Ми не поступимося жодним сантиметром землі», — заявив міністр закордонних справ "
        "України Андрій Сибіга.",
        "Ми не поступимося",
        "Андрій Сибіга",
        "inverted",
    ),
    (
        "uk",
        "Речник МЗС України Георгій Тихий наголосив, що Київ чекає на відповідь.",
        "Київ чекає на відповідь",
        "Георгій Тихий",
        "reported_clause",
    ),
    (
        "uk",
        "За словами Андрія Сибіги, переговори тривають.",
        "переговори тривають",
        "Андрія Сибіги",
        "according_to",
    ),
    (
        "uk",
        "Андрій Сибіга відповів партнерам, наголосивши, що Україна не поступиться.",
        "Україна не поступиться",
        "Андрій Сибіга",
        "participle",
    ),
    (
        "uk",
        "Графіки діятимуть до кінця тижня. Про це повідомив президент Володимир Зеленський.",
        "Графіки діятимуть",
        "Володимир Зеленський",
        "anaphoric",
    ),
    (
        "uk",
        "Як зазначив Дмитро Лубінець, робота над обміном триває.",
        "робота над обміном",
        "Дмитро Лубінець",
        "as_aside",
    ),
    (
        "uk",
        "Володимир Зеленський сказав: «Ми готові до миру».",
        "Ми готові до миру",
        "Володимир Зеленський",
        "colon",
    ),
    # French
    (
        "fr",
        "« Nous ne céderons pas », a déclaré le chef de la diplomatie française, Jean-Noël Barrot.",
        "Nous ne céderons pas",
        "Jean-Noël Barrot",
        "inverted",
    ),
    (
        "fr",
        "« La situation est grave », a-t-il ajouté.",
        "La situation est grave",
        "il",
        "inverted",
    ),
    (
        "fr",
        "Le chef de la diplomatie française, Jean-Noël Barrot, a affirmé jeudi que Paris "
        "restait prêt au dialogue.",
        "Paris restait prêt",
        "Jean-Noël Barrot",
        "reported_clause",
    ),
    (
        "fr",
        "Selon le porte-parole du Quai d'Orsay, Christophe Lemoine, la France condamne "
        "cette attaque.",
        "la France condamne",
        "Christophe Lemoine",
        "according_to",
    ),
    (
        "fr",
        "Comme l'a rappelé Emmanuel Macron, l'Europe doit se réarmer.",
        "l'Europe doit se réarmer",
        "Emmanuel Macron",
        "as_aside",
    ),
    (
        "fr",
        "Le président Emmanuel Macron a déclaré : « L'Europe doit se réarmer. »",
        "L'Europe doit se réarmer",
        "Emmanuel Macron",
        "colon",
    ),
    # German
    (
        "de",
        "„Wir werden nicht nachgeben“, sagte Bundesaußenminister Johann Wadephul.",
        "Wir werden nicht nachgeben",
        "Johann Wadephul",
        "inverted",
    ),
    (
        "de",
        "Das sei inakzeptabel, sagte Friedrich Merz.",
        "Das sei inakzeptabel",
        "Friedrich Merz",
        "inverted",
    ),
    (
        "de",
        "Bundeskanzler Friedrich Merz hat am Montag in Berlin erklärt, dass die Lage ernst sei.",
        "die Lage ernst sei",
        "Friedrich Merz",
        "reported_clause",
    ),
    (
        "de",
        "Das Auswärtige Amt teilte am Dienstag mit, die Botschaft bleibe geöffnet.",
        "die Botschaft bleibe geöffnet",
        "Amt",
        "comma_clause",
    ),
    (
        "de",
        "Laut Regierungssprecher Stefan Kornelius sind die Gespräche konstruktiv verlaufen.",
        "die Gespräche konstruktiv",
        "Stefan Kornelius",
        "according_to",
    ),
    (
        "de",
        "Die Gespräche seien konstruktiv gewesen, so Regierungssprecher Stefan Kornelius.",
        "Die Gespräche seien konstruktiv",
        "Stefan Kornelius",
        "source_marker",
    ),
    (
        "de",
        "Wie Friedrich Merz sagte, bleibt die Lage ernst.",
        "bleibt die Lage ernst",
        "Friedrich Merz",
        "as_aside",
    ),
    (
        "de",
        "Dem Außenminister Johann Wadephul zufolge bleibt die Lage angespannt.",
        "bleibt die Lage angespannt",
        "Johann Wadephul",
        "according_after",
    ),
    (
        "de",
        "Die Bundesregierung verurteilte den Angriff und forderte Russland auf, die "
        "Kampfhandlungen einzustellen.",
        "die Kampfhandlungen einzustellen",
        "Bundesregierung",
        "comma_clause",
    ),
    # Spanish
    (
        "es",
        "«No aceptaremos chantajes», afirmó el ministro de Asuntos Exteriores, José Manuel "
        "Albares.",
        "No aceptaremos chantajes",
        "José Manuel Albares",
        "inverted",
    ),
    (
        "es",
        "El secretario general de la ONU, António Guterres, aseguró que la tregua es frágil.",
        "la tregua es frágil",
        "António Guterres",
        "reported_clause",
    ),
    (
        "es",
        "El presidente del Gobierno, Pedro Sánchez, ha dicho que España apoyará a Ucrania.",
        "España apoyará a Ucrania",
        "Pedro Sánchez",
        "reported_clause",
    ),
    (
        "es",
        "Según José Manuel Albares, España no cambiará su posición.",
        "España no cambiará",
        "José Manuel Albares",
        "according_to",
    ),
    (
        "es",
        "De acuerdo con Volodímir Zelenski, los ataques dañaron la red eléctrica.",
        "los ataques dañaron",
        "Volodímir Zelenski",
        "according_to",
    ),
    (
        "es",
        "Como recordó Pedro Sánchez, el Gobierno ya aprobó un plan de inversión.",
        "el Gobierno ya aprobó",
        "Pedro Sánchez",
        "as_aside",
    ),
]


def _ids(case: tuple[str, str, str, str | None, str]) -> str:
    return f"{case[0]}-{case[4]}-{case[1][:24]}"


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_construction_table(case: tuple[str, str, str, str | None, str]) -> None:
    language, text, content, speaker, rule = case
    found = explain_statements(text, language=language).statements
    made = [s for s, r in found if r == rule and content in s.text]
    assert made, [(r, s.text, s.speaker) for s, r in found]
    if speaker is not None:
        assert speaker in (made[0].speaker or ""), made[0]


_EXAMPLE = re.compile(r"^\s*(ru|uk|fr|de|es): (.+)$", re.MULTILINE)
_ALL = [*CONSTRUCTIONS, *SENTENCE_CONSTRUCTIONS]


def _examples() -> list[tuple[Callable[..., object], str, str]]:
    found = []
    for construction in _ALL:
        doc = inspect.getdoc(construction) or ""
        examples = _EXAMPLE.findall(doc)
        assert examples, f"{construction.__name__} has no example in its docstring"
        found += [(construction, language, text) for language, text in examples]
    return found


@pytest.mark.parametrize(
    ("construction", "language", "example"),
    _examples(),
    ids=[f"{c.__name__}-{lang}" for c, lang, _ in _examples()],
)
def test_each_construction_makes_its_examples(
    construction: Callable[..., object], language: str, example: str
) -> None:
    rules = [rule for _, rule in explain_statements(example, language=language).statements]
    assert construction.__name__ in rules, (example, rules)


def test_construction_names_are_unique() -> None:
    names = [c.__name__ for c in _ALL]
    assert len(names) == len(set(names))


def test_a_german_body_ends_before_its_verb() -> None:
    text = (
        "Die Bundesregierung verurteilte den Angriff und forderte Russland auf, die Waffen "
        "ruhen zu lassen."
    )
    (statement,) = extract_statements(text, language="de")
    assert statement.speaker == "Bundesregierung"


def test_an_impersonal_plural_speaks_for_no_one() -> None:
    text = "Речник МЗС Георгій Тихий наголосив, що Київ чекає.\nСпоживачів закликають економити."
    found = extract_statements(text, language="uk")
    assert [s.text for s in found] == ["Київ чекає"]


def test_without_a_speech_verb_nothing_is_said() -> None:
    for language, text in [
        ("ru", "Переговоры в Стамбуле возобновились весной после долгого перерыва."),
        ("fr", "Barrot a refusé de dire si Paris enverrait des troupes."),
        ("de", "Die Debatte verlief zeitweise hitzig im Bundestag."),
        ("es", "La votación fue aplazada hasta la próxima semana."),
    ]:
        assert extract_statements(text, language=language) == [], text


def test_pronouns_and_surnames_take_the_speaker_named_before() -> None:
    text = (
        "Министр иностранных дел России Сергей Лавров заявил, что переговоры зашли в тупик.\n"
        "«Мы ответим», — сказал он.\nПо словам Лаврова, Москва готова к диалогу."
    )
    found = extract_statements(text, language="ru")
    assert len(found) == 3
    assert len({s.actor for s in found}) == 1
    assert found[1].speaker == "он"
    assert found[0].role == "Министр иностранных дел России"


def test_the_role_phrase_is_given_as_written() -> None:
    text = "El secretario general de la ONU, António Guterres, aseguró que la tregua es frágil."
    (statement,) = extract_statements(text, language="es")
    assert statement.role == "secretario general de la ONU"
    assert statement.speaker == "secretario general de la ONU, António Guterres"


def test_english_is_the_english_engine() -> None:
    text = "“We will not accept this,” said Angie Holan, the editor. The minister said it failed."
    assert extract_statements(text, language="en") == extract_statements(text)
    assert extract_statements(text, language="en-GB") == extract_statements(text)
    assert extract_statements(text, language="ja") == extract_statements(text)


def test_language_tags_are_read_by_their_primary_subtag() -> None:
    assert primary("uk-UA") == "uk"
    assert primary("de_AT") == "de"
    assert lexicon_for("ES") is lexicon_for("es")
    assert {"ru", "uk", "fr", "de", "es"} == SUPPORTED


def test_the_version_covers_the_languages() -> None:
    names = [name for name, _ in rule_modules()]
    assert "languages/ru.py" in names
    assert "languages/constructions.py" in names


PIECES = st.sampled_from(
    [
        "заявил",
        " сказал ",
        "заявив, что ",
        "по словам ",
        "Лавров",
        "Сергей",
        "он",
        "что",
        "наголосив",
        "за словами ",
        "Сибіга",
        "déclaré",
        " a ",
        "a-t-il",
        "selon ",
        "Barrot",
        "que",
        "qu'",
        "sagte",
        "erklärte",
        "teilte",
        " mit",
        "laut ",
        "zufolge",
        " so ",
        "Merz",
        "dass",
        "afirmó",
        "dijo",
        "según ",
        "Albares",
        "ha dicho",
        "«",
        "»",
        "„",
        "“",
        "”",
        "‚",
        "‘",
        '"',
        "—",
        "–",
        "-",
        ",",
        ".",
        ":",
        ";",
        "!",
        "?",
        "…",
        "\n",
        "\n\n",
        " ",
        "  ",
        "\t",
        "\r\n",
        "\xa0",
        "\u202f",
        "\x00",
        "Как ",
        "Об этом ",
        "Wie ",
        "Comme l'a ",
        "Министр ",
        "ministre ",
        "Außenminister ",
        "ministro ",
        "de la ",
        "des ",
        "МИД ",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=40).map("".join)


def _check(text: str, statement: Statement) -> None:
    assert text[statement.start : statement.end] == statement.text
    if statement.speaker is not None:
        assert statement.speaker_start is not None
        assert statement.speaker_end is not None
        assert text[statement.speaker_start : statement.speaker_end] == statement.speaker
    if statement.cue is not None:
        assert statement.cue_start is not None
        assert statement.cue_end is not None
        assert text[statement.cue_start : statement.cue_end] == statement.cue


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from(sorted(SUPPORTED)))
def test_offsets_slice_the_input(text: str, language: str) -> None:
    for statement in extract_statements(text, language=language):
        _check(text, statement)


def test_offsets_on_the_dev_gold() -> None:
    root = Path(__file__).resolve().parents[1] / "data" / "gold_statements"
    for language in sorted(SUPPORTED):
        for path in sorted((root / language / "texts").glob(f"{language}-dev-*.txt")):
            text = path.read_text(encoding="utf-8")
            found = extract_statements(text, language=language)
            assert found, path
            for statement in found:
                _check(text, statement)


def test_cli_extract_with_lang(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    text = "«Мы не допустим этого», — заявил министр иностранных дел России Сергей Лавров.\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--json", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.output)
    assert text[item["start"] : item["end"]] == item["text"] == "Мы не допустим этого"
    assert text[item["speaker_start"] : item["speaker_end"]] == item["speaker"]
    explained = CliRunner().invoke(
        main, ["extract", str(path), "--json", "--lang", "ru", "--explain"]
    )
    assert json.loads(explained.output)[0]["rule"] == "inverted"
    english = CliRunner().invoke(main, ["extract", str(path), "--json", "--lang", "en"])
    assert json.loads(english.output) != [item]


def test_cli_extract_detects_the_language(tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text(
        "Bundeskanzler Friedrich Merz hat am Montag in Berlin erklärt, dass die Lage an der "
        "Ostflanke ernst sei und die Bundeswehr ihre Brigade in Litauen schneller aufstelle.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.output)
    assert item["text"].startswith("die Lage an der Ostflanke")
    assert item["actor"] == "Friedrich Merz"


def test_the_pipeline_reads_an_article_in_its_language() -> None:
    from aggregator.extract.sides import default_gazetteer
    from aggregator.pipeline.process import _extract_one
    from tests.support.articles import stored_article

    text = "«Мы не допустим этого», — заявил министр иностранных дел России Сергей Лавров.\n"
    article = stored_article(text, language="ru-RU")
    (statement,) = _extract_one(article, default_gazetteer())
    assert statement.text == "Мы не допустим этого"
