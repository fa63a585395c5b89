"""The bundled gazetteer's data (actors.yaml, data/places.yaml): it loads, and its aliases are safe.

Rules checked here (the file's own header says the same):

- every alias, canonical name and description stands for one actor only (case-insensitive);
- a one-word alias is never a common English word (the list below), except the few surnames in
  ``KEPT`` whose bearers the news names by surname alone;
- a one-word alias of a person is not the surname of another person in the file ("Kim", "Sharif",
  "Rasmussen" and "Milei" would be; such people are listed by full name and title + surname);
- an alias that is also a place term ("the White House") has that place's side;
- every person has a side; outlets (kind media) and NGOs and think tanks (kind ngo) have none;
- every side an actor names is a side with terms of its own under ``sides:`` (in places.yaml for
  states, territories and international organisations; in actors.yaml for armed groups, courts
  and lenders), so a speaker the gazetteer does not list ("a Hamas official") can get it too;
- spellings in other scripts and languages (Лавров, Сергій Лавров, Sergueï Lavrov, Lawrow) follow
  the same rules, and once folded (case, accents and script aside: "Сергей Лавров" is "sergey
  lavrov") still stand for one actor; a one-word alias is no common word of Russian, Ukrainian,
  French, German or Spanish either, nor a place or body those languages name for another side.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from aggregator.extract.names import fold, has_cyrillic
from aggregator.extract.places import LANGUAGES, places_in
from aggregator.extract.sides import Actor, Gazetteer, default_gazetteer

# Function words and common nouns, verbs and adjectives that are also surnames or names; a
# one-word alias is looked up as a whole speaker mention, so "The ban said" or "Times says" would
# land on an actor, and an all-capital one anywhere in a mention ("SHAPE", "SPA", "RAND": the
# names such bodies go by in full are listed instead).
COMMON_WORDS = frozenset(
    """
    a an the and or but if of to in on at by for with from as not no yes so than then
    may will can must shall should would could might said says say told tell asked
    i me we us you he him she her it they them who what which this that these those
    all any some more most one two first last next new old good best long short little
    young rich poor high low top chief head
    ban bush rice trump amnesty memorial dawn times guardian independent post mail sun
    star mirror express national hill fox sky economist observer heritage care mercy hope
    grace faith rose king queen prince pope bishop cardinal general major judge page cook
    baker smith miller hunter fisher porter cooper mason butler carpenter brown white black
    green grey gray price cash bank banks wall stone rock field wood woods lane street
    church chase hall park marsh bird wolf lamb fish store waltz barrack barracks bio elder
    house senate council court office army police state government ministry president
    minister leader spokesman official officials agency group forces union league
    nation world peace war freedom justice liberty victory unity agar shape spa rand aim act
    tusk wiles gallant
    """.split()
)

# The same in the other languages extraction reads: function words and the common words that are
# also surnames ("Тихий" is "quiet": Heorhii Tykhyi is listed by full name only), in lower case.
FOREIGN_COMMON_WORDS = frozenset(
    """
    и в не на что он она они мы вы я с со как а но да нет по из за от до для о об это тот того
    тихий тихой белый чёрный черный мороз волк козак коваль мельник
    і та що він вона вони ми ви я з як але так ні по від до для про це той
    le la les un une des de du et ou mais si ne pas il elle ils nous vous je on en au aux
    blanc noir roux petit grand leroy lefebvre
    der die das ein eine und oder aber nicht er sie es wir ihr ich mit von zu im am
    schwarz weiß klein groß koch schmidt müller fischer meyer
    el la los las un una y o pero no él ella ellos nosotros yo con de del al en
    blanco negro moreno rubio
    """.split()
)
# Spanish surnames that are also Spanish words, kept as the English list keeps "Rice": Marco
# Rubio is named by surname alone in every language
FOREIGN_KEPT = {"rubio": "Marco Rubio"}

# Surnames kept although they are English words: the bearers are named by surname alone far
# more often than the word is the subject of a statement, and an alias is matched only against
# a whole speaker mention ("Bush said"), never inside a longer name ("Jeb Bush") or running text
# ("a ban on exports" is never looked up).
KEPT = {
    # historic actors of the 2008 sample (the Russia-Georgia war digest); "Rice" could also be
    # Susan Rice, who holds no office now, and "Bush" George H. W. Bush, who is not listed
    "bush": "George W. Bush",
    "rice": "Condoleezza Rice",
    # "Mr Ban" reduces to "Ban": without it the former UN chief is not found by title+surname
    "ban": "Ban Ki-moon",
    "trump": "Donald Trump",
    "tusk": "Donald Tusk",
    # how the news names Amnesty International on second mention
    "amnesty": "Amnesty International",
}

NEUTRAL_KINDS = frozenset({"media", "ngo"})


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def _forms(actor: Actor) -> list[str]:
    return [actor.name, *actor.aliases]


def test_the_bundled_gazetteer_loads_and_is_broad(gazetteer: Gazetteer) -> None:
    kinds = defaultdict(int)
    for actor in gazetteer.actors:
        kinds[actor.kind] += 1
    assert len(gazetteer.actors) >= 300
    assert kinds["person"] >= 200
    assert kinds["media"] >= 30
    assert kinds["ngo"] >= 20
    assert kinds["group"] >= 10
    assert kinds["institution"] >= 30


def test_names_are_unique(gazetteer: Gazetteer) -> None:
    names = [a.name for a in gazetteer.actors]
    assert len(names) == len(set(names))


def test_no_alias_stands_for_two_actors(gazetteer: Gazetteer) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in gazetteer.actors:
        for form in _forms(actor):
            owners[form.lower()].add(actor.name)
    shared = {form: sorted(names) for form, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_no_description_stands_for_two_actors(gazetteer: Gazetteer) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in gazetteer.actors:
        for description in actor.descriptions:
            owners[description.lower().removeprefix("the ")].add(actor.name)
    shared = {form: sorted(names) for form, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_no_one_word_alias_is_a_common_word(gazetteer: Gazetteer) -> None:
    found = {
        form.lower(): actor.name
        for actor in gazetteer.actors
        for form in _forms(actor)
        if " " not in form and form.lower() in COMMON_WORDS
    }
    assert found == KEPT


def test_no_folded_alias_stands_for_two_actors(gazetteer: Gazetteer) -> None:
    # the lookup leaves out a folded form two actors share; none should
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in gazetteer.actors:
        for form in _forms(actor):
            owners[fold(form)].add(actor.name)
    shared = {form: sorted(names) for form, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_no_folded_one_word_key_is_an_english_word_or_anothers_surname(
    gazetteer: Gazetteer,
) -> None:
    # the folded lookup is the loose one: its one-word keys ("rama" for "Rama", "levitt" for
    # "Левитт") are no English word (the list above, or simplemma's English table) and no
    # other person's surname
    import simplemma

    surnames: dict[str, set[str]] = defaultdict(set)
    for actor in gazetteer.actors:
        if actor.kind == "person":
            for form in _forms(actor):
                if " " in form:
                    surnames[fold(form.split()[-1])].add(actor.name)
    keys = gazetteer.folded_aliases().one_word_keys()
    assert keys  # the folded lookup has one-word keys at all
    wrong = {
        key: actor.name
        for key, actor in keys.items()
        if key in COMMON_WORDS or simplemma.is_known(key, lang="en") or surnames[key] - {actor.name}
    }
    assert wrong == {}


def test_no_one_word_alias_is_a_common_word_of_another_language(gazetteer: Gazetteer) -> None:
    found = {
        form.lower(): actor.name
        for actor in gazetteer.actors
        for form in _forms(actor)
        if " " not in form and form.lower() in FOREIGN_COMMON_WORDS
    }
    assert found == FOREIGN_KEPT


def test_no_one_word_alias_names_another_sides_place_in_another_language(
    gazetteer: Gazetteer,
) -> None:
    wrong = {
        (form, language): sorted(sides)
        for actor in gazetteer.actors
        for form in _forms(actor)
        if form.isalpha()  # one word ("Interfax-Ukraine" is an outlet named after a place)
        for language in sorted(LANGUAGES)
        if (sides := places_in(form, language) - {actor.side})
    }
    assert wrong == {}


def test_the_main_newsmakers_have_russian_and_ukrainian_spellings(gazetteer: Gazetteer) -> None:
    # those whose names Russian and Ukrainian write differently have both: "Сергей"/"Сергій"
    for name, russian, ukrainian in [
        ("Sergei Lavrov", "Сергей Лавров", "Сергій Лавров"),
        ("Volodymyr Zelensky", "Владимир Зеленский", "Володимир Зеленський"),
        ("Andrii Sybiha", "Андрей Сибига", "Андрій Сибіга"),
        ("Dmitry Peskov", "Дмитрий Песков", "Дмитро Пєсков"),
        ("Maria Zakharova", "Мария Захарова", "Марія Захарова"),
        ("António Guterres", "Антониу Гутерриш", "Антоніу Гутерреш"),
    ]:
        actor = next(a for a in gazetteer.actors if a.name == name)
        assert {russian, ukrainian} <= set(actor.aliases), name
        assert all(has_cyrillic(form) for form in (russian, ukrainian))


def test_no_one_word_alias_of_a_person_is_anothers_surname(gazetteer: Gazetteer) -> None:
    people = [a for a in gazetteer.actors if a.kind == "person"]
    surnames: dict[str, set[str]] = defaultdict(set)
    for person in people:
        for form in _forms(person):
            if " " in form:
                surnames[form.split()[-1].lower()].add(person.name)
    clashes = {
        form: sorted(surnames[form.lower()] - {person.name})
        for person in people
        for form in _forms(person)
        if " " not in form and surnames[form.lower()] - {person.name}
    }
    assert clashes == {}


def test_an_alias_that_is_a_place_term_has_the_places_side(gazetteer: Gazetteer) -> None:
    places = {term.lower(): side for term, side in gazetteer.places.items()}
    wrong = {
        form: (actor.side, places[form.lower()])
        for actor in gazetteer.actors
        for form in _forms(actor)
        if form.lower() in places and places[form.lower()] != actor.side
    }
    assert wrong == {}


def test_people_have_a_side_and_outlets_and_ngos_have_none(gazetteer: Gazetteer) -> None:
    assert [a.name for a in gazetteer.actors if a.kind == "person" and not a.side] == []
    assert [a.name for a in gazetteer.actors if a.kind in NEUTRAL_KINDS and a.side] == []


def test_every_side_has_terms_of_its_own(gazetteer: Gazetteer) -> None:
    sides = set(gazetteer.places.values())
    unknown = {a.name: a.side for a in gazetteer.actors if a.side and a.side not in sides}
    assert unknown == {}


def test_a_current_office_has_no_parentheses_and_a_past_one_has_years(
    gazetteer: Gazetteer,
) -> None:
    # "(2021-2025)" marks a past office: the resolver takes a role without "(" as held now
    for actor in gazetteer.actors:
        if actor.role and "(" in actor.role:
            assert any(ch.isdigit() for ch in actor.role), actor.name


def test_terms_of_office_are_ordered_and_a_current_role_is_held_now(
    gazetteer: Gazetteer,
) -> None:
    for actor in gazetteer.actors:
        if not actor.held:
            continue
        starts = [start for start, _, _ in actor.held]
        assert starts == sorted(starts), actor.name
        for (_, end, _), (start, _, _) in zip(actor.held, actor.held[1:], strict=False):
            assert end is not None, actor.name  # only the last term is open
            assert end < start, actor.name  # terms do not overlap
        if actor.role and "(" not in actor.role:
            assert actor.held[-1][1:] == (None, None), actor.name


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("Araghchi", "Abbas Araghchi"),
        ("Abbas Araqchi", "Abbas Araghchi"),
        ("Iranian Foreign Minister Abbas Araghchi", "Abbas Araghchi"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("Erdoğan", "Recep Tayyip Erdoğan"),
        ("Erdogan", "Recep Tayyip Erdoğan"),
        ("al-Shara", "Ahmed al-Sharaa"),
        ("Sybiha", "Andrii Sybiha"),
        ("Mr Lavrov", "Sergei Lavrov"),
        ("Steve Witkoff", "Steve Witkoff"),
        ("Guterres", "António Guterres"),
        ("the Iranian foreign ministry", "Iranian foreign ministry"),
        ("Israel Katz", "Israel Katz"),
    ],
)
def test_names_resolve(gazetteer: Gazetteer, mention: str, name: str) -> None:
    actor = gazetteer.actor(mention)
    assert actor is not None
    assert actor.name == name


@pytest.mark.parametrize(
    ("description", "name"),
    [
        ("the Iranian foreign minister", "Abbas Araghchi"),
        ("Russia's foreign minister", "Sergei Lavrov"),
        ("the UN secretary-general", "António Guterres"),
        ("the NATO secretary general", "Mark Rutte"),
    ],
)
def test_descriptions_resolve(gazetteer: Gazetteer, description: str, name: str) -> None:
    actor = gazetteer.described(description)
    assert actor is not None
    assert actor.name == name


@pytest.mark.parametrize(
    ("mention", "kind", "side"),
    [
        ("Reuters", "media", None),
        ("Xinhua", "media", None),  # state agencies are outlets: see the rule in actors.yaml
        ("The Atlantic", "media", None),  # magazines are outlets too
        ("Atlantic", "media", None),
        ("The New Yorker", "media", None),
        ("Human Rights Watch", "ngo", None),
        ("Chatham House", "ngo", None),
        ("Hezbollah", "group", "Hezbollah"),
        ("the IAEA", "institution", "United Nations"),
    ],
)
def test_kinds_and_sides(gazetteer: Gazetteer, mention: str, kind: str, side: str | None) -> None:
    actor = gazetteer.actor(mention)
    assert actor is not None
    assert (actor.kind, actor.side) == (kind, side)


def test_one_word_aliases_never_match_inside_a_longer_name(gazetteer: Gazetteer) -> None:
    assert gazetteer.actor("Jeb Bush") is None
    assert gazetteer.actor("Montenegro") is None  # the country, not its namesake prime minister


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("a senior Hamas official", "Hamas"),
        ("a Houthi military spokesman", "Houthis"),
        ("a Syrian Democratic Forces commander", "Syrian Democratic Forces"),
        ("a Syrian government official", "Syria"),
    ],
)
def test_group_names_qualify_their_people_like_places(
    gazetteer: Gazetteer, text: str, side: str
) -> None:
    assert gazetteer.place_side(text) == side


def test_extract_on_a_short_text_finds_the_sides() -> None:
    text = (
        "Iran's Foreign Minister Abbas Araghchi said on Monday that talks with Europe would "
        "resume. Kremlin spokesman Dmitry Peskov said Moscow welcomed the step. "
        "White House press secretary Karoline Leavitt said the president had been briefed. "
        "Human Rights Watch said the detainees should be released."
    )
    result = CliRunner().invoke(main, ["extract", "-", "--json"], input=text)
    assert result.exit_code == 0, result.output
    found = {s["actor"]: s["side"] for s in json.loads(result.output)}
    assert found.get("Abbas Araghchi") == "Iran"
    assert found.get("Dmitry Peskov") == "Russia"
    # the person the gazetteer knows speaks, not the body named before her
    assert found.get("Karoline Leavitt") == "United States"
    assert "Human Rights Watch" in found
    assert found["Human Rights Watch"] is None
