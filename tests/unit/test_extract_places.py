"""The side a phrase names in ru, uk, fr, de, es (aggregator.extract.places)."""

from __future__ import annotations

import pytest

from aggregator.extract.places import place_side, places_in, territory_sides


@pytest.mark.parametrize(
    ("text", "language", "side"),
    [
        # country names from CLDR, inflected forms through their lemmas
        ("министр иностранных дел России", "ru", "Russia"),
        ("речник МЗС України", "uk", "Ukraine"),
        ("глава МИД Украины", "ru", "Ukraine"),
        ("президента Соединенных Штатов", "ru", "United States"),
        ("посла Великобритании", "ru", "United Kingdom"),
        ("Сполучених Штатів", "uk", "United States"),
        ("le président des États-Unis", "fr", "United States"),
        ("der Generalsekretär der Vereinten Nationen", "de", "United Nations"),
        ("des Vereinigten Königreichs", "de", "United Kingdom"),  # lemma tables disagree
        ("Russlands Außenminister", "de", "Russia"),  # the genitive "-s" of a name
        ("Organización de las Naciones Unidas", "es", "United Nations"),
        ("Організації Об’єднаних Націй", "uk", "United Nations"),
        # adjectives (hand-listed: CLDR has no demonyms)
        ("le chef de la diplomatie américaine", "fr", "United States"),
        ("der französische Außenminister", "de", "France"),
        ("el ministro de Asuntos Exteriores ruso", "es", "Russia"),
        ("el presidente francés", "es", "France"),
        ("российский дипломат", "ru", "Russia"),
        ("українського міністра", "uk", "Ukraine"),
        # abbreviations, short names and bodies
        ("el secretario general de la ONU", "es", "United Nations"),
        ("генсек НАТО", "ru", "NATO"),
        ("secretario general de la OTAN", "es", "NATO"),
        ("официальный представитель МИД РФ", "ru", "Russia"),
        ("US-Außenminister", "de", "United States"),  # the first part of a compound
        ("UN-Generalsekretär", "de", "United Nations"),
        ("la portavoz de la UE", "es", "European Union"),
        # seats of government
        ("пресс-секретарь Кремля", "ru", "Russia"),
        ("депутат Госдумы", "ru", "Russia"),
        ("der Sprecher des Kremls", "de", "Russia"),
        ("la porte-parole de la Maison-Blanche", "fr", "United States"),
        ("le porte-parole du Quai d'Orsay", "fr", "France"),
        ("la portavoz de la Casa Blanca", "es", "United States"),
        ("глава Пентагона", "ru", "United States"),
        ("глава Еврокомиссии", "ru", "European Union"),
        ("la présidente de la Commission européenne", "fr", "European Union"),
        ("Kremlsprecher", "de", "Russia"),
        # "NATO" only in capitals and "Nato" capitalised are two terms of one side
        ("der Nato-Generalsekretär", "de", "NATO"),
        # a stem that changes when declined: "Білий дім" -> "Білого дому", "Київ" -> "Києва"
        ("речниця Білого дому", "uk", "United States"),
        ("речник Києва", "uk", "Ukraine"),
        # accents dropped on capitals, as French and Spanish writers do
        ("le porte-parole de l'Elysee", "fr", "France"),
        ("el presidente de Mexico", "es", "Mexico"),
        # nothing names a side
        ("Außenminister", "de", None),
        ("мэр Львова", "ru", None),  # no city but a seat of government is a side
        ("официальный представитель", "ru", None),
    ],
)
def test_place_side(text: str, language: str, side: str | None) -> None:
    assert place_side(text, language) == side


@pytest.mark.parametrize(
    ("text", "language", "side"),
    [
        # a destination or object does not count, as "ambassador to" does not in English
        ("посол России в США", "ru", "Russia"),
        ("посол в США", "ru", None),
        ("посол при ООН", "ru", None),
        ("посол України у Франції", "uk", "Ukraine"),
        ("посол у Франції", "uk", None),
        ("l’ambassadeur de Russie en France", "fr", "Russia"),
        ("l'ambassadeur en France", "fr", None),
        ("l'ambassadeur auprès de l'ONU", "fr", None),  # two words, then an article
        ("der Botschafter in den USA", "de", None),  # an article between
        ("el embajador en Francia", "es", None),
        ("el embajador ante la ONU", "es", None),
        # an adjective is the speaker's own, whatever precedes it
        ("посол в российском посольстве", "ru", "Russia"),
    ],
)
def test_a_destination_does_not_count(text: str, language: str, side: str | None) -> None:
    assert place_side(text, language) == side


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Un porte-parole a déclaré", "fr"),  # "Un" is no "UN"
        ("Uno de los ministros", "es"),  # German writes "Uno"; Spanish is not read as German
        ("того же мнения", "ru"),  # "Того" (Togo) only capitalised
        ("малі країни", "uk"),  # "Малі" (Mali) only capitalised
        ("una salsa de chile", "es"),  # "Chile" only capitalised
    ],
)
def test_words_that_look_like_bodies_name_no_side(text: str, language: str) -> None:
    assert place_side(text, language) is None
    assert places_in(text, language) == frozenset()


@pytest.mark.parametrize(
    ("text", "language", "side"),
    [
        # a common word or a given name at a sentence start names no side ...
        ("Того же мнения придерживается министр", "ru", None),
        ("Малі країни заявили", "uk", None),
        ("Maurice a déclaré", "fr", None),
        ("Il a parlé. Maurice a répondu", "fr", None),
        # ... inside a sentence the capital says it is the country
        ("посол Того", "ru", "Togo"),
        ("le président de Maurice", "fr", "Mauritius"),
        ("Россия заявила", "ru", "Russia"),  # a country's name that is no common word
        # a language is no side; a demonym is (the dish is Russian salad)
        ("en español", "es", None),
        ("auf Deutsch", "de", None),
        ("en russe", "fr", None),
        ("на русском языке", "ru", None),
        ("українською мовою", "uk", None),
        ("la langue française", "fr", None),
        ("auf deutscher Seite", "de", "Germany"),
        ("une salade russe", "fr", "Russia"),
    ],
)
def test_common_words_and_languages_are_no_places(
    text: str, language: str, side: str | None
) -> None:
    assert place_side(text, language) == side


@pytest.mark.parametrize(
    ("text", "language", "side"),
    [
        # a place opening or ending a name does not count, as in English ("Chad Wolf")
        ("Israel Katz", "es", None),
        ("Washington Post", "fr", None),
        ("Denzel Washington", "fr", None),
        ("Джек Лондон", "ru", None),
        ("Реал Мадрид", "ru", None),
        ("Maurice Dupont, porte-parole", "fr", None),
        ("un journaliste du Washington Post", "fr", None),
        # a country after "de" is the office's complement, before its holder's name
        ("el presidente de Francia Emmanuel Macron", "es", "France"),
        ("le président de la France Emmanuel Macron", "fr", "France"),
        # a place before a name in another case than the nominative qualifies the name
        ("министр иностранных дел России Сергей Лавров", "ru", "Russia"),
        ("речник МЗС України Георгій Тихий", "uk", "Ukraine"),
        # an abbreviation or an indeclinable name may be a genitive
        ("госсекретарь США Марко Рубио", "ru", "United States"),
        ("президент Чили Габриэль Борич", "ru", "Chile"),
        ("el secretario general de la ONU António Guterres", "es", "United Nations"),
        # German writes every noun with a capital: an office is no name
        ("Frankreichs Präsident", "de", "France"),
        ("die Hauptstadt Kiew", "de", "Ukraine"),
        ("Сегодня Москва заявила", "ru", "Russia"),  # an adverb at the start is no name
    ],
)
def test_a_place_in_a_name_does_not_count(text: str, language: str, side: str | None) -> None:
    assert place_side(text, language) == side


def test_the_common_words_follow_their_rule() -> None:
    # each listed word's lower-case form has a reading that is no place: a pronoun or an
    # adjective (pymorphy3) or, in French and Spanish, a given name the lemma tables do not know
    from aggregator.extract import morph
    from aggregator.extract.places import listed_words

    listed = listed_words()["common_words"]
    for language in ("ru", "uk"):
        for word in listed[language]:
            lemmas = morph.lemmas(word.lower(), language)
            assert lemmas - {word.lower()}, (word, lemmas)


@pytest.mark.parametrize(
    ("text", "language", "side"),
    [
        # Ukrainian writers' lower-case names of Russia
        ("посол рф", "uk", "Russia"),
        ("речник росії", "uk", "Russia"),
        ("роса на траві", "uk", None),  # "росі"/"роса" (dew) is no form of "росія"
        # short names CLDR does not give in Russian
        ("посол Южной Кореи", "ru", "South Korea"),
        ("представитель Палестины", "ru", "Palestine"),
        ("посол Ватикана", "ru", "Vatican"),
        # a capital's adjective in German, bodies in other languages
        ("die Moskauer Führung", "de", "Russia"),
        ("ein Kiewer Sprecher", "de", "Ukraine"),
        ("генсек ОБСЕ", "ru", "OSCE"),
        ("der OSZE-Generalsekretär", "de", "OSCE"),
    ],
)
def test_more_names_of_the_main_parties(text: str, language: str, side: str | None) -> None:
    assert place_side(text, language) == side


def test_places_in_counts_destinations_too() -> None:
    assert places_in("посол России в США", "ru") == {"Russia", "United States"}
    assert places_in("l'ambassadeur de Russie en France", "fr") == {"Russia", "France"}
    found = places_in("Der Kreml und Kyjiw verhandeln in der Schweiz mit den USA.", "de")
    assert found == {"Russia", "Ukraine", "Switzerland", "United States"}


def test_english_is_read_by_the_gazetteer() -> None:
    assert place_side("Russia's ambassador to the United States", "en") == "Russia"
    assert places_in("Russia's ambassador to the United States", "en") == {
        "Russia",
        "United States",
    }


@pytest.mark.parametrize(
    ("code", "side"),
    [
        ("RU", "Russia"),
        ("US", "United States"),
        ("GB", "United Kingdom"),
        ("UN", "United Nations"),
        ("EU", "European Union"),
        ("CZ", "Czech Republic"),  # by a place term ("Czechia"), not the side's name
        ("MM", "Myanmar"),  # "Myanmar (Burma)"
        ("BA", "Bosnia and Herzegovina"),  # "Bosnia & Herzegovina"
        ("CD", "Democratic Republic of the Congo"),  # "Congo - Kinshasa", named in code
    ],
)
def test_territories_map_to_the_gazetteers_sides(code: str, side: str) -> None:
    assert territory_sides()[code] == side


def test_regions_are_no_side() -> None:
    sides = territory_sides()
    assert "001" not in sides  # World
    assert "150" not in sides  # Europe


def test_english_reads_the_gazetteer_it_is_given() -> None:
    from aggregator.extract.sides import Gazetteer

    own = Gazetteer((), {"Ruritania": "Ruritania"})
    assert place_side("the Ruritania government", "en", own) == "Ruritania"
    assert places_in("talks in Ruritania", "en", own) == {"Ruritania"}
    assert place_side("the Ruritania government", "en") is None
