"""One event across languages: articles compared by language-independent evidence (fixtures
written here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from aggregator.group import EventClusterer, EventConfig, GroupDoc, StatementMerger, cluster_stream

DAY = datetime(2026, 3, 3, 12, tzinfo=UTC)

# two meetings of the same minister in one week: same actor, same country, other counterpart,
# other figures, other dates
ANKARA = [
    GroupDoc(
        "ankara-ru",
        "Лавров и Фидан обсудили в Анкаре судоходство",
        "Министр иностранных дел России Сергей Лавров провел в Анкаре переговоры с главой МИД "
        "Турции Хаканом Фиданом. Турецкая сторона предложила план из четырех пунктов для защиты "
        "торговых судов в Черном море. Лавров заявил, что Москва изучит предложение, если будут "
        "сняты санкции с Россельхозбанка. Обсуждалась и АЭС «Аккую», первый блок которой "
        "заработает в 2026 году. Встреча продолжалась почти три часа.",
        DAY,
        "agency-ru",
        "ru",
    ),
    GroupDoc(
        "ankara-en",
        "Lavrov and Fidan discuss Black Sea shipping in Ankara",
        "Russian Foreign Minister Sergei Lavrov held talks with Turkey's Hakan Fidan in Ankara, "
        "focusing on merchant shipping in the Black Sea. Fidan said Turkey had proposed a "
        "four-point plan to protect vessels. Lavrov said Moscow would study it once sanctions "
        "on the Russian Agricultural Bank were lifted. The Akkuyu nuclear plant, whose first "
        "unit is due in 2026, was also discussed. The meeting lasted almost three hours.",
        DAY + timedelta(hours=1),
        "wire-en",
        "en",
    ),
    GroupDoc(
        "ankara-fr",
        "À Ankara, Lavrov et Fidan parlent de la mer Noire",
        "Le ministre russe des Affaires étrangères Sergueï Lavrov s'est entretenu à Ankara avec "
        "son homologue turc Hakan Fidan. La Turquie a présenté un plan en quatre points pour "
        "protéger les navires marchands en mer Noire. Lavrov a répondu que Moscou examinerait "
        "la proposition si les sanctions visant la banque agricole russe étaient levées. La "
        "centrale d'Akkuyu, dont le premier réacteur doit démarrer en 2026, a été évoquée.",
        DAY + timedelta(hours=3),
        "agence-fr",
        "fr",
    ),
]
MOSCOW = [
    GroupDoc(
        "moscow-fr",
        "Lavrov reçoit Wang Yi à Moscou",
        "Le chef de la diplomatie russe Sergueï Lavrov a reçu à Moscou son homologue chinois "
        "Wang Yi. Les deux ministres ont signé un plan de consultations pour 2027 et 2028 et "
        "préparé une visite de Xi Jinping. Les échanges entre la Russie et la Chine ont atteint "
        "245 milliards de dollars l'an dernier, a rappelé Lavrov, qui a critiqué les nouveaux "
        "droits de douane américains.",
        DAY + timedelta(days=2),
        "agence-fr",
        "fr",
    ),
    GroupDoc(
        "moscow-ru",
        "Лавров и Ван И подписали план консультаций",
        "Сергей Лавров принял в Москве министра иностранных дел Китая Ван И. Министры подписали "
        "план консультаций на 2027 и 2028 годы и обсудили подготовку визита Си Цзиньпина. По "
        "словам Лаврова, товарооборот России и Китая в прошлом году достиг 245 миллиардов "
        "долларов. Глава МИД раскритиковал новые американские пошлины.",
        DAY + timedelta(days=2, hours=1),
        "agency-ru",
        "ru",
    ),
    GroupDoc(
        "moscow-en",
        "Lavrov hosts China's Wang Yi in Moscow",
        "Sergei Lavrov received Chinese Foreign Minister Wang Yi in Moscow. The two ministers "
        "signed a plan of consultations for 2027 and 2028 and prepared a visit by Xi Jinping. "
        "Lavrov said trade between Russia and China reached 245 billion dollars last year and "
        "criticised new US tariffs.",
        DAY + timedelta(days=2, hours=2),
        "wire-en",
        "en",
    ),
]


def events_of(docs: list[GroupDoc], config: EventConfig | None = None) -> dict[str, str]:
    return dict(cluster_stream(docs, config))


def test_three_languages_of_one_meeting_are_one_event() -> None:
    events = events_of(ANKARA)
    assert len(set(events.values())) == 1


def test_without_the_evidence_they_stay_apart() -> None:
    """The test above fails without the comparison across languages."""
    events = events_of(ANKARA, replace(EventConfig(), cross_threshold=0.0))
    assert events["ankara-ru"] != events["ankara-en"]


def test_the_same_minister_days_later_is_another_event() -> None:
    events = events_of(ANKARA + MOSCOW)
    assert len({events[d.id] for d in ANKARA}) == 1
    assert len({events[d.id] for d in MOSCOW}) == 1
    assert events["ankara-ru"] != events["moscow-ru"]


@pytest.mark.parametrize("order", [[2, 0, 1], [1, 2, 0], [0, 2, 1]])
def test_any_language_may_come_first(order: list[int]) -> None:
    events = events_of([ANKARA[i] for i in order])
    assert len(set(events.values())) == 1


def test_unknown_languages_are_compared_by_their_text_alone() -> None:
    unknown = [replace(doc, language=None) for doc in ANKARA]
    events = events_of(unknown)
    assert events["ankara-ru"] != events["ankara-en"]


def test_the_title_comes_from_the_english_report() -> None:
    clusterer = EventClusterer()
    event = ""
    for doc in ANKARA:
        event = clusterer.add(doc)
    assert clusterer.title(event) == "Lavrov and Fidan discuss Black Sea shipping in Ankara"


def test_one_language_keeps_its_most_central_headline() -> None:
    clusterer = EventClusterer()
    first = clusterer.add(ANKARA[0])
    assert clusterer.title(first) == ANKARA[0].title


def test_a_language_tag_is_read_by_its_primary_subtag() -> None:
    docs = [replace(ANKARA[1], language="en-GB"), replace(ANKARA[0], language="RU")]
    events = events_of(docs)
    assert len(set(events.values())) == 1


def test_an_event_in_several_languages_is_not_repaired() -> None:
    """Its text vectors part by language, not by development: a bisection would split them."""
    config = replace(EventConfig(), split_min=2, split_max=8)
    clusterer = EventClusterer(config)
    docs = [
        replace(doc, id=f"{doc.id}-{n}", published=doc.published + timedelta(minutes=n))
        for n in range(2)
        for doc in ANKARA[:2]
    ]
    events = {clusterer.add(doc) for doc in docs}
    assert len(events) == 1
    assert clusterer.moves() == []


QUOTE_EN = "We will study the four-point plan once the sanctions on 12 banks are lifted"
QUOTE_FR = (
    "Nous étudierons le plan en quatre points dès que les sanctions visant 12 banques seront levées"
)
QUOTE_RU = "Мы изучим план из четырех пунктов, как только будут сняты санкции с 12 банков"


def test_the_same_quotation_in_two_languages_is_merged() -> None:
    merger = StatementMerger()
    first = merger.add(
        "en", speaker="Sergei Lavrov", text=QUOTE_EN, kind="direct", language="en", event="ev"
    )
    assert (
        merger.add(
            "fr", speaker="Sergei Lavrov", text=QUOTE_FR, kind="direct", language="fr", event="ev"
        )
        == first
    )
    assert (
        merger.add(
            "ru", speaker="Sergei Lavrov", text=QUOTE_RU, kind="direct", language="ru", event="ev"
        )
        == first
    )


@pytest.mark.parametrize(
    ("speaker", "text", "event", "language"),
    [
        ("Sergei Lavrov", QUOTE_FR.replace("12", "14"), "ev", "fr"),  # another figure
        ("Hakan Fidan", QUOTE_FR, "ev", "fr"),  # another speaker
        ("Sergei Lavrov", QUOTE_FR, "other", "fr"),  # another event
        ("Sergei Lavrov", QUOTE_FR, "ev", None),  # language unknown
        ("Sergei Lavrov", "Nous refusons ce plan", "ev", "fr"),  # nothing in common
    ],
)
def test_a_quotation_in_another_language_merges_only_when_everything_agrees(
    speaker: str, text: str, event: str, language: str | None
) -> None:
    merger = StatementMerger()
    merger.add(
        "en", speaker="Sergei Lavrov", text=QUOTE_EN, kind="direct", language="en", event="ev"
    )
    assert (
        merger.add("x", speaker=speaker, text=text, kind="direct", language=language, event=event)
        == "x"
    )


def test_two_candidates_in_another_language_merge_with_neither() -> None:
    """The speaker said two things alike: which one was translated cannot be told."""
    merger = StatementMerger()
    merger.add(
        "en1", speaker="Sergei Lavrov", text=QUOTE_EN, kind="direct", language="en", event="ev"
    )
    merger.add(
        "en2",
        speaker="Sergei Lavrov",
        text="As I said, we will look at the plan after the sanctions on 12 banks go",
        kind="direct",
        language="en",
        event="ev",
    )
    assert (
        merger.add(
            "fr", speaker="Sergei Lavrov", text=QUOTE_FR, kind="direct", language="fr", event="ev"
        )
        == "fr"
    )


def test_a_stream_in_one_language_reads_no_evidence(monkeypatch: pytest.MonkeyPatch) -> None:
    """An English-only deployment pays nothing for the comparison across languages."""
    from aggregator.group import evidence

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("evidence read for a stream in one language")

    monkeypatch.setattr(evidence, "groups", refuse)
    english = [replace(doc, language="en") for doc in ANKARA + MOSCOW]
    events = events_of(english)
    assert len(events) == len(english)


def test_the_first_language_gets_its_evidence_when_a_second_comes() -> None:
    """The English reports came before any other language: when the Russian one comes, they
    get their evidence from their text vectors, and it joins them."""
    english = [ANKARA[1], replace(MOSCOW[2], published=ANKARA[1].published)]
    events = events_of([*english, ANKARA[0]])
    assert events["ankara-ru"] == events["ankara-en"]
    assert events["ankara-ru"] != events["moscow-en"]
