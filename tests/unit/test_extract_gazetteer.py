"""actors.yaml: bundled data, user files, errors that name file, line and key; the JSON contract."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from aggregator.errors import ConfigError
from aggregator.extract import extract_statements, load_gazetteer, statement_to_json
from aggregator.extract.voice import decide

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_file_is_the_top_level_file() -> None:
    link = ROOT / "aggregator" / "data" / "actors.yaml"
    assert link.is_symlink()
    assert link.resolve() == (ROOT / "actors.yaml").resolve()


def test_default_gazetteer_is_cached_and_knows_the_seed_actors() -> None:
    gazetteer = load_gazetteer()
    assert load_gazetteer() is gazetteer
    lavrov = gazetteer.actor("Mr Lavrov")
    assert lavrov is not None
    assert lavrov.side == "Russia"
    assert gazetteer.described("the Russian foreign minister") is lavrov
    # a one-word alias never matches inside a longer name
    assert gazetteer.actor("Jeb Bush") is None


@pytest.mark.parametrize(
    ("mention", "role", "side"),
    [
        ("the Kremlin", None, "Russia"),
        ("Tbilisi", None, "Georgia"),
        ("the White House", None, "United States"),
        ("Kari Lunde", "Norway's envoy to Russia", "Norway"),
        ("Olga Petrova", "Russia's ambassador to Georgia", "Russia"),
        ("a NATO spokesman", None, "NATO"),
        ("the UN Security Council", None, "United Nations"),
    ],
)
def test_sides_from_places_and_institutions(mention: str, role: str | None, side: str) -> None:
    gazetteer = load_gazetteer()
    assert decide(mention, role, gazetteer, known=gazetteer.actor(mention)).side == side


def test_user_file_adds_actors_and_places(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "sides:\n  Norway: [Norway, Norwegian, Oslo]\n"
        "actors:\n  - {name: Kari Lunde, kind: person, side: Norway, aliases: [Lunde]}\n",
        encoding="utf-8",
    )
    gazetteer = load_gazetteer([extra])
    (statement,) = extract_statements("Ms Lunde said the talks would go on.", gazetteer)
    assert (statement.actor, statement.side) == ("Kari Lunde", "Norway")
    assert decide("the Norwegian coast guard", None, gazetteer).side == "Norway"


@pytest.mark.parametrize(
    ("content", "line", "key"),
    [
        ("actors:\n  - {name: X, kind: planet}\n", 2, "actors[0].kind"),
        ("actors:\n  - name: X\n    colour: red\n", 3, "actors[0].colour"),
        ("sides:\n  Norway: Oslo\n", 2, "sides.Norway"),
        ("people: []\n", 1, "people"),
        ("actors: [\n", 2, None),
    ],
)
def test_bad_files_name_file_line_and_key(
    tmp_path: Path, content: str, line: int, key: str | None
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_gazetteer([bad])
    assert info.value.path == str(bad)
    assert info.value.line == line
    assert info.value.key == key
    assert str(bad) in str(info.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"absent\.yaml: no such file"):
        load_gazetteer([tmp_path / "absent.yaml"])


def test_statement_to_json_has_exactly_the_contract_keys() -> None:
    (statement,) = extract_statements("Mr Lavrov said the talks had failed.")
    payload = statement_to_json(statement)
    assert set(payload) == {
        "text",
        "start",
        "end",
        "speaker",
        "speaker_start",
        "speaker_end",
        "role",
        "side",
        "cue",
        "kind",
        "actor",
        "commentary",
    }
    assert payload["speaker"] == "Mr Lavrov"
    assert payload["side"] == "Russia"
    assert payload["kind"] == "indirect"


def test_lookups_are_remembered_and_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from aggregator.extract import sides

    gazetteer = load_gazetteer()
    first = gazetteer.actor("Mr Lavrov")
    calls: list[str] = []
    lookup = sides.Gazetteer._actor
    monkeypatch.setattr(
        sides.Gazetteer, "_actor", lambda self, m: calls.append(m) or lookup(self, m)
    )
    assert gazetteer.actor("Mr Lavrov") is first
    assert calls == []  # remembered, not looked up again
    assert gazetteer.actor("Mr Medvedev") is not None
    assert calls == ["Mr Medvedev"]
    side = gazetteer.place_side("the Kremlin")
    assert side == "Russia"
    assert gazetteer._place_cache["the Kremlin"] == side
    # a copy for another process starts empty
    assert pickle.loads(pickle.dumps(gazetteer))._actor_cache == {}
    monkeypatch.setattr(sides, "_CACHE_SIZE", 3)
    for i in range(10):
        gazetteer.actor(f"Nobody {i}")
        assert len(gazetteer._actor_cache) <= 3
    # a full memory starts over and still answers correctly
    assert gazetteer.actor("Mr Lavrov") is first


@pytest.mark.parametrize(
    "mention",
    ["Minister Churkin", "Ambassador Churkin", "Ambassador Vitaly Churkin"],
)
def test_every_title_of_the_one_list_is_taken_off_before_the_lookup(mention: str) -> None:
    # the gazetteer and the resolver once read two different title lists: "Minister Churkin"
    # was found and "Ambassador Churkin" was not
    actor = load_gazetteer().actor(mention)
    assert actor is not None
    assert actor.name == "Vitaly Churkin"


def test_a_speaker_of_the_house_is_the_person_not_the_title() -> None:
    text = (
        "House Speaker Paul Ryan said the vote would go ahead on Friday. "
        '"We have the votes," Ryan said.'
    )
    actors = {s.actor for s in extract_statements(text)}
    assert actors == {"Paul Ryan"}


def test_a_bad_file_gets_every_problem_located_as_feeds_yaml_does(tmp_path: Path) -> None:
    bad = tmp_path / "actors.yaml"
    bad.write_text(
        "actors:\n"
        "  - {kind: person}\n"
        "  - name: Kari Lunde\n"
        "    aliases: Lunde\n"
        "  - {name: X, kind: planet}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_gazetteer([bad])
    assert (info.value.line, info.value.key) == (2, "actors[0].name")
    assert str(info.value).splitlines() == [
        f"{bad}:2: actors[0].name: required key is missing",
        f'{bad}:4: actors[1].aliases: expected a list (got "Lunde")',
        f"{bad}:5: actors[2].kind: expected 'person', 'institution', 'state', 'group', 'media' "
        "or 'ngo' (got \"planet\")",
    ]


def test_an_unknown_actor_field_lists_the_known_ones(tmp_path: Path) -> None:
    bad = tmp_path / "actors.yaml"
    bad.write_text("actors:\n  - name: X\n    colour: red\n", encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=r"actors\.yaml:3: actors\[0\]\.colour: unknown key; "
        r"expected one of: name, kind, side, role, aliases, descriptions",
    ):
        load_gazetteer([bad])


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("governments from Brussels to Brasilia", None),  # a span of places: no one's
        ("visitors from Moscow to Paris", None),
        ("a diplomat from Russia", "Russia"),
        ("a delegation from Russia to the United Nations", "Russia"),
    ],
)
def test_a_span_from_one_place_to_another_is_no_ones_place(text: str, side: str | None) -> None:
    assert load_gazetteer().place_side(text) == side


@pytest.mark.parametrize(
    ("text", "actor", "side"),
    [
        # a given name that is a body's acronym, before a surname: a person, no one's side
        ("“We cannot believe it,” Cia Whitford, the girl's aunt, wrote on Facebook.", None, None),
        ("“The town is in shock,” said Isis Morgan, who runs the bakery.", None, None),
        # the acronym as a British paper writes it, before its own office or its members
        ("“Our resolve is firm,” Nato Secretary General Mark Rutte said.", "Mark Rutte", "NATO"),
        ("“We stand together,” Nato leaders said in a joint statement.", "NATO", "NATO"),
        ("“We stand together,” Nato Allies said in a joint statement.", "NATO", "NATO"),
        ("“The line will hold,” a Nato official told reporters in Brussels.", "NATO", "NATO"),
        # a surname with an apostrophe is a surname
        ("“It was chaos,” said Isis O'Brien, who was at the station.", None, None),
    ],
)
def test_an_acronym_written_as_a_given_name_is_the_person(
    text: str, actor: str | None, side: str | None
) -> None:
    (found,) = extract_statements(text)
    if actor is not None:
        assert found.actor == actor
    else:
        assert found.actor not in {"CIA", "ISIS", "Islamic State"}
    assert found.side == side
