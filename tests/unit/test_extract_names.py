"""Names across scripts (aggregator.extract.names) and the gazetteer's lookups in any script."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.extract.names import fold, has_cyrillic, latin
from aggregator.extract.sides import Gazetteer, default_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        # Ukrainian by the national system of 2010, by the language or by a Ukrainian letter
        ("Сибіга", None, "Sybiha"),
        ("Зеленський", "uk", "Zelenskyi"),
        ("Андрій Сибіга", None, "Andrii Sybiha"),
        ("Єрмак", "uk", "Yermak"),  # "Є" opening a word is "Ye", inside one "ie"
        ("Згурський", "uk", "Zghurskyi"),  # "зг" is "zgh", not "zh"
        ("Юлія Свириденко", None, "Yuliia Svyrydenko"),
        # the apostrophe inside a word is Ukrainian (Russian writes "ъ"), and is dropped
        ("В’ячеслав Володін", None, "Viacheslav Volodin"),
        ("Мар'яна", "uk", "Mariana"),
        # Russian by English Wikipedia's system
        ("Лавров", "ru", "Lavrov"),
        ("Захарова", "ru", "Zakharova"),
        ("Песков", None, "Peskov"),
        ("Дмитрий Песков", "ru", "Dmitry Peskov"),
        ("Ельцин", "ru", "Yeltsin"),  # "Е" opening a word is "Ye"
        ("Зеленский", None, "Zelensky"),
        # a word in capitals stays in capitals
        ("ЗАХАРОВА", "ru", "ZAKHAROVA"),
        ("Сергей ЛАВРОВ", "ru", "Sergey LAVROV"),
        # Latin text as written, Cyrillic beside it transliterated
        ("Sergueï Lavrov", "fr", "Sergueï Lavrov"),
        ("Erdoğan", None, "Erdoğan"),
        ("Ушаков-Лавров", "ru", "Ushakov-Lavrov"),
    ],
)
def test_latin(name: str, language: str | None, expected: str) -> None:
    assert latin(name, language) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # a letter only Russian writes makes the word Russian in a Ukrainian text
        ("Пётр Толстой", "Pyotr Tolstoi"),  # "Толстой" has none: Ukrainian, as the text
        ("Рыбаков", "Rybakov"),
        ("Эрдоган", "Erdogan"),
        ("объект", "obyekt"),
        # a letter neither system writes: the usual romanisation of its language
        ("Ђоковић", "Djokovyc"),
    ],
)
def test_latin_chooses_the_system_per_word(name: str, expected: str) -> None:
    assert latin(name, "uk") == expected


@given(st.text(alphabet=st.characters(min_codepoint=0x400, max_codepoint=0x4FF) | st.just(" ")))
@settings(max_examples=300, deadline=None)
def test_latin_leaves_no_cyrillic(text: str) -> None:
    for language in ("uk", "ru", None):
        assert not has_cyrillic(latin(text, language))
    assert not has_cyrillic(fold(text))


def test_latin_reads_a_name_as_ukrainian_only_by_language_or_letter() -> None:
    # no letter only Ukrainian writes: the Russian system, unless the language says Ukrainian
    assert latin("Зеленський") == "Zelensky"
    assert latin("Зеленський", "uk") == "Zelenskyi"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sergey Lavrov", "Сергей Лавров"),
        ("Lavrov", "ЛАВРОВ"),
        ("Erdogan", "Erdoğan"),
        ("Antonio Guterres", "António Guterres"),
        ("Jean-Noel Barrot", "Jean‑Noël  Barrot"),  # a non-breaking hyphen, two spaces
        ("O'Brien", "O’Brien"),
        ("Lukasz", "Łukasz"),
        ("Strasse", "Straße"),
        ("Sybiha", "Сибіга"),
    ],
)
def test_fold_gives_two_spellings_one_key(one: str, other: str) -> None:
    assert fold(one) == fold(other)


def test_fold_is_lower_case_latin_without_accents() -> None:
    assert fold("Sergueï Lavrov") == "serguei lavrov"
    assert fold("Сергей Лавров") == "sergey lavrov"
    assert not has_cyrillic(fold("Андрій Сибіга"))


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("Лавров", "Sergei Lavrov"),
        ("Сергей Лавров", "Sergei Lavrov"),
        ("Sergueï Lavrov", "Sergei Lavrov"),
        ("Сергій Лавров", "Sergei Lavrov"),
        ("Sergej Lawrow", "Sergei Lavrov"),
        ("Сибіга", "Andrii Sybiha"),
        ("Андрій Сибіга", "Andrii Sybiha"),
        ("Guterres", "António Guterres"),
        ("Гутерреш", "António Guterres"),
        ("Гутерриш", "António Guterres"),
        ("António Guterres", "António Guterres"),
        ("Путин", "Vladimir Putin"),
        ("Poutine", "Vladimir Putin"),
        ("Песков", "Dmitry Peskov"),
        ("Захарова", "Maria Zakharova"),
        ("María Zajárova", "Maria Zakharova"),
        ("Зеленский", "Volodymyr Zelensky"),
        ("Зеленський", "Volodymyr Zelensky"),
        ("Selenskyj", "Volodymyr Zelensky"),
        ("Єрмак", "Andriy Yermak"),
        ("Макрон", "Emmanuel Macron"),
        ("Barrot", "Jean-Noël Barrot"),
        ("Merz", "Friedrich Merz"),
        ("Вадефуль", "Johann Wadephul"),
        ("Альбарес", "José Manuel Albares"),
        ("Рютте", "Mark Rutte"),
        ("Урсула фон дер Ляйен", "Ursula von der Leyen"),
        ("Каллас", "Kaja Kallas"),
        ("НАТО", "NATO"),
        ("OTAN", "NATO"),
        ("МИД России", "Russian foreign ministry"),
        ("МЗС України", "Ukrainian foreign ministry"),
        ("МАГАТЭ", "International Atomic Energy Agency"),
        ("AIEA", "International Atomic Energy Agency"),
        ("ОБСЕ", "OSCE"),
        ("OSZE", "OSCE"),
    ],
)
def test_a_mention_in_any_script_finds_the_english_actor(
    gazetteer: Gazetteer, mention: str, name: str
) -> None:
    actor = gazetteer.actor(mention)
    assert actor is not None
    assert actor.name == name


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        # no alias is written so: found by the folded form (case, accents, script aside)
        ("SERGUEÏ LAVROV", "Sergei Lavrov"),
        ("José Manuel ALBARES", "José Manuel Albares"),
        ("Jösé Manuel Albares", "José Manuel Albares"),
        # inside a longer mention, a multi-word alias folded ("Igor Konashenkov")
        ("генерал-майор Игорь Конашенков", "Igor Konashenkov"),
        # another case than the nominative: put back into it
        ("Сергея Лаврова", "Sergei Lavrov"),
        ("Марии Захаровой", "Maria Zakharova"),
        ("Мелони", "Giorgia Meloni"),  # a Cyrillic alias, not "Meloni" transliterated
        # one word the dictionaries read as a surname only, or do not know, meets a Latin alias
        ("Меркель", "Angela Merkel"),
        ("Столтенберг", "Jens Stoltenberg"),
        ("Хаменеи", "Ali Khamenei"),
        # several words agree with a Latin alias once transliterated
        ("Дмитро Лубінець", "Dmytro Lubinets"),
        # Ukrainian cases, surnames no dictionary knows among them
        ("Андрію Сибізі", "Andrii Sybiha"),
        ("Андрія Сибіги", "Andrii Sybiha"),
        ("Сибіги", "Andrii Sybiha"),
        ("Мерца", "Friedrich Merz"),
        ("Трампа", "Donald Trump"),
    ],
)
def test_folded_and_inflected_mentions(gazetteer: Gazetteer, mention: str, name: str) -> None:
    actor = gazetteer.actor(mention)
    assert actor is not None
    assert actor.name == name


@pytest.mark.parametrize("mention", ["Jeb Bush", "Джеб Буш", "Montenegro", "Монтенегро"])
def test_one_word_aliases_never_match_inside_a_longer_name_in_any_script(
    gazetteer: Gazetteer, mention: str
) -> None:
    assert gazetteer.actor(mention) is None


@pytest.mark.parametrize(
    "mention",
    [
        # plain ASCII is never folded: "Levitt" is not "Левитт" (Karoline Leavitt), "Store" not
        # "Støre", "tramp" not "Трамп"
        "Levitt",
        "Store",
        "tramp",
        # a Cyrillic mention meets only Cyrillic aliases: words, not Latin aliases transliterated
        "Рама",  # a frame, not Edi Rama
        "Дуда",  # a pipe, not Andrzej Duda
        "Фарс",  # a farce, not Fars
        "Сана",  # Sana'a, not SANA
        "Бан",
        "Павел",  # a first name, not Petr Pavel
        "Ким",  # a pronoun in Ukrainian
        # an acronym is never folded: the presidential office, not the Associated Press
        "АП",
        "в АП",
    ],
)
def test_folding_never_crosses_scripts_nor_folds_plain_english(
    gazetteer: Gazetteer, mention: str
) -> None:
    assert gazetteer.actor(mention) is None


def test_the_language_of_a_mention_reads_its_case() -> None:
    # no letter says "Лавровим" is Ukrainian (instrumental): the language does, and without it
    # the readings of both languages are tried
    gazetteer = default_gazetteer()
    found = gazetteer.actor("Лавровим", "uk")
    assert found is not None
    assert found.name == "Sergei Lavrov"
    assert gazetteer.actor("Лавровим") is found


def test_the_memory_of_lookups_keys_on_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from aggregator.extract import sides

    gazetteer = Gazetteer(default_gazetteer().actors, {})
    calls: list[tuple[str, str | None]] = []
    lookup = sides.Gazetteer._actor

    def counted(self: Gazetteer, mention: str, language: str | None = None) -> object:
        calls.append((mention, language))
        return lookup(self, mention, language)

    monkeypatch.setattr(sides.Gazetteer, "_actor", counted)
    gazetteer.actor("Лавровим", "uk")
    gazetteer.actor("Лавровим", "uk")
    gazetteer.actor("Лавровим")
    gazetteer.actor("Лавровим", "ru")
    assert calls == [("Лавровим", "uk"), ("Лавровим", None), ("Лавровим", "ru")]


def test_a_folded_form_two_actors_share_finds_neither() -> None:
    from aggregator.extract.actors_file import Actor

    one = Actor("Jose Perez", "person", "Spain", aliases=("Pérez",))
    other = Actor("Juan Perez", "person", "Mexico", aliases=("Perez",))
    gazetteer = Gazetteer((one, other), {})
    assert gazetteer.actor("Pérez") is one  # as written: whole alias
    assert gazetteer.actor("PÉREZ") is one  # lower case as written
    assert gazetteer.actor("Pèrez") is None  # folded: "perez" is both
