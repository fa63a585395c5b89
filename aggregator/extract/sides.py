"""Who speaks for whom: the gazetteer (``actors.yaml``) and the side rules built from it.

The bundled file ships inside the package (``aggregator/data/actors.yaml``); users add their own
files, whose actors replace bundled ones of the same name and whose place terms are added.
Reading files happens in :func:`load_gazetteer` only; resolving is pure.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypeVar

import yaml

from aggregator.config_yaml import compose_node, read_text
from aggregator.errors import ConfigError

ACTOR_KINDS = frozenset({"person", "institution", "state", "group", "media"})
_DETERMINERS = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TITLE = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sen|Rep|Gov|Prof|Rev|Capt|Sgt|Maj|Adm|President|"
    r"Prime Minister|Foreign Minister|Minister|Secretary|Senator|Governor|General)\.?\s+)+"
)


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor: a person, institution, state, group or media outlet."""

    name: str
    kind: str
    side: str | None
    role: str | None = None
    aliases: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()  # "the Russian foreign minister" resolves to this actor


@dataclass(frozen=True)
class Gazetteer:
    """Actors and place terms (countries, demonyms, capitals, seats of government) by side."""

    actors: tuple[Actor, ...]
    places: Mapping[str, str]  # lower-case term -> side
    _exact: dict[str, Actor] = field(init=False, repr=False)
    _described: dict[str, Actor] = field(init=False, repr=False)
    _alias_re: re.Pattern[str] | None = field(init=False, repr=False)
    _alias_map: dict[str, Actor] = field(init=False, repr=False)
    _place_re: re.Pattern[str] | None = field(init=False, repr=False)
    # mentions repeat ("he", "Trump"): each is looked up once (bounded, see _remember)
    _actor_cache: dict[str, Actor | None] = field(init=False, repr=False, compare=False)
    _place_cache: dict[str, str | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_actor_cache", {})
        object.__setattr__(self, "_place_cache", {})
        exact: dict[str, Actor] = {}
        contained: dict[str, Actor] = {}
        described: dict[str, Actor] = {}
        for actor in self.actors:
            for alias in (actor.name, *actor.aliases):
                exact[alias.lower()] = actor
                # one-word aliases ("Bush") only match a whole mention, never inside "Jeb Bush"
                if " " in alias or alias.isupper():
                    contained[alias.lower()] = actor
            for description in actor.descriptions:
                described[_DETERMINERS.sub("", description.lower())] = actor
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_described", described)
        object.__setattr__(self, "_alias_map", contained)
        object.__setattr__(self, "_alias_re", _alternation(contained))
        object.__setattr__(self, "_place_re", _alternation(self.places))

    def __getstate__(self) -> dict[str, Any]:
        # a copy sent to another process starts with empty memories, not this one's
        state = dict(self.__dict__)
        state["_actor_cache"] = {}
        state["_place_cache"] = {}
        return state

    def actor(self, mention: str) -> Actor | None:
        """The actor a mention names: whole alias first, then a multi-word alias inside it."""
        try:
            return self._actor_cache[mention]
        except KeyError:
            return _remember(self._actor_cache, mention, self._actor(mention))

    def _actor(self, mention: str) -> Actor | None:
        norm = _normalise(mention)
        found = self._exact.get(norm.lower()) or self._exact.get(mention.strip().lower())
        if found is not None:
            return found
        if self._alias_re is not None:
            match = self._alias_re.search(mention)
            if match:
                return self._alias_map[match.group(0).lower()]
        return None

    def described(self, mention: str) -> Actor | None:
        """The actor a definite description refers to ("the Russian foreign minister")."""
        return self._described.get(_DETERMINERS.sub("", mention.strip().lower()))

    def place_side(self, text: str) -> str | None:
        """The side of the first place term in ``text`` that is not a destination ("to Georgia")."""
        try:
            return self._place_cache[text]
        except KeyError:
            return _remember(self._place_cache, text, self._place_side(text))

    def _place_side(self, text: str) -> str | None:
        if self._place_re is None:
            return None
        for match in self._place_re.finditer(text):
            before = text[max(0, match.start() - 4) : match.start()].lower()
            if before.endswith(("to ", "on ", "against ")) or before.endswith("to the "):
                continue
            return self.places[match.group(0).lower()]
        return None

    def side_of(self, speaker: str, role: str | None) -> tuple[Actor | None, str | None]:
        """The actor (if any) and the side for a speaker mention and its role description."""
        actor = self.actor(speaker)
        if actor is not None:
            return actor, actor.side
        side = self.place_side(speaker)
        if side is None and role:
            side = self.place_side(role)
            if side is None:
                institution = self.actor(role)
                if institution is not None and institution.kind != "person":
                    side = institution.side
        return None, side


_CACHE_SIZE = 20_000
_T = TypeVar("_T")


def _remember(cache: dict[str, _T], key: str, value: _T) -> _T:
    """Store ``value`` under ``key``; a full cache starts over (a daemon sees endless names)."""
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


def _normalise(mention: str) -> str:
    text = _DETERMINERS.sub("", mention.strip())
    return _TITLE.sub("", text).strip()


def _alternation(terms: Mapping[str, object]) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in ordered) + r")(?![\w-])",
        re.IGNORECASE,
    )


# ---------------------------------------------------------------- loading (the only I/O here)


def _fail(message: str, path: str, node: yaml.Node | None, key: str | None) -> ConfigError:
    line = node.start_mark.line + 1 if node is not None else None
    return ConfigError(message, path=path, line=line, key=key)


def _scalar(node: yaml.Node, path: str, key: str, *, allow_null: bool = False) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":null"):
            if allow_null:
                return None
            raise _fail("must not be empty", path, node, key)
        return str(node.value)
    raise _fail("must be a single value", path, node, key)


def _strings(node: yaml.Node, path: str, key: str) -> tuple[str, ...]:
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise _fail("must be a list of strings", path, node, key)
    out = []
    for item in node.value:
        value = _scalar(item, path, key)
        assert value is not None
        out.append(value)
    return tuple(out)


def _parse(text: str, path: str) -> tuple[list[Actor], dict[str, str]]:
    # the configuration's hardened reader: bounded size, depth and alias expansion
    root = compose_node(text, path=path)
    if root is None:
        return [], {}
    if not isinstance(root, yaml.MappingNode):
        raise _fail(
            "the top level must be a mapping with 'actors' and/or 'sides'", path, root, None
        )
    actors: list[Actor] = []
    places: dict[str, str] = {}
    for key_node, value in root.value:
        key = _scalar(key_node, path, "(top level)")
        if key == "sides":
            if not isinstance(value, yaml.MappingNode):
                raise _fail("must map each side to a list of place terms", path, value, key)
            for side_node, terms in value.value:
                side = _scalar(side_node, path, "sides")
                assert side is not None
                for term in _strings(terms, path, f"sides.{side}"):
                    places[term.lower()] = side
        elif key == "actors":
            if not isinstance(value, yaml.SequenceNode):
                raise _fail("must be a list of actors", path, value, key)
            for index, item in enumerate(value.value):
                actors.append(_actor(item, path, f"actors[{index}]"))
        else:
            raise _fail("unknown key (expected 'actors' or 'sides')", path, key_node, key)
    return actors, places


def _actor(node: yaml.Node, path: str, where: str) -> Actor:
    if not isinstance(node, yaml.MappingNode):
        raise _fail("each actor must be a mapping", path, node, where)
    fields: dict[str, Any] = {}
    for key_node, value in node.value:
        key = _scalar(key_node, path, where)
        assert key is not None
        name = f"{where}.{key}"
        if key in {"name", "kind"}:
            fields[key] = _scalar(value, path, name)
        elif key in {"side", "role"}:
            fields[key] = _scalar(value, path, name, allow_null=True)
        elif key in {"aliases", "descriptions"}:
            fields[key] = _strings(value, path, name)
        else:
            raise _fail("unknown actor field", path, key_node, name)
    if "name" not in fields:
        raise _fail("an actor needs a name", path, node, f"{where}.name")
    kind = fields.get("kind", "person")
    if kind not in ACTOR_KINDS:
        raise _fail(f"kind must be one of {sorted(ACTOR_KINDS)}", path, node, f"{where}.kind")
    return Actor(
        name=fields["name"],
        kind=kind,
        side=fields.get("side"),
        role=fields.get("role"),
        aliases=fields.get("aliases", ()),
        descriptions=fields.get("descriptions", ()),
    )


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[Actor, ...], tuple[tuple[str, str], ...]]:
    resource = resources.files("aggregator").joinpath("data/actors.yaml")
    actors, places = _parse(resource.read_text(encoding="utf-8"), "aggregator/data/actors.yaml")
    return tuple(actors), tuple(places.items())


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer, built once per process."""
    actors, places = _bundled()
    return Gazetteer(actors, dict(places))


def load_gazetteer(extra: Sequence[str | os.PathLike[str]] = ()) -> Gazetteer:
    """The bundled ``actors.yaml`` merged with the user's files (later files win by name).

    Raises :class:`~aggregator.errors.ConfigError` naming the file, line and key on bad input.
    """
    if not extra:
        return default_gazetteer()
    bundled_actors, bundled_places = _bundled()
    by_name = {a.name: a for a in bundled_actors}
    places = dict(bundled_places)
    for item in extra:
        path = os.fspath(item)
        actors, more = _parse(read_text(path), path)
        for actor in actors:
            by_name[actor.name] = actor
        places.update(more)
    return Gazetteer(tuple(by_name.values()), places)
