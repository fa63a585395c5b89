"""The gazetteer's file format (``actors.yaml``): actors and place terms, validated.

A file is read as YAML with line numbers and validated by a pydantic model, as ``feeds.yaml``
is (:mod:`aggregator.config.yaml_file`): a mistake is a :class:`~aggregator.errors.ConfigError` that
names the file, the line and the key (``actors[3].kind``), and says what was expected::

    sides:
      Russia: [Russia, Russian, Moscow, the Kremlin]
    actors:
      - {name: Sergei Lavrov, kind: person, side: Russia, role: Foreign Minister of Russia,
         aliases: [Lavrov], descriptions: [Russian foreign minister]}

Every value is read as text (a place term ``No`` or an alias ``1984`` stays a string).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from aggregator.config.yaml_file import (
    Problem,
    compose_node,
    key_path,
    line_of,
    raise_problems,
    reason,
)
from aggregator.errors import ConfigError

ActorKind = Literal["person", "institution", "state", "group", "media", "ngo"]
ACTOR_KINDS = frozenset(ActorKind.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor: a person, institution, state, group or media outlet."""

    name: str
    kind: str
    side: str | None
    role: str | None = None
    aliases: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()  # "the Russian foreign minister" resolves to this actor
    # terms of office: (first day, last day or None while held, the office or None for
    # ``role``); empty when the file does not say (``role`` is then taken as held at any date)
    held: tuple[tuple[date, date | None, str | None], ...] = ()

    def office_on(self, day: date) -> str | None:
        """The office held on ``day``: ``role`` when the file gives no terms, else the office
        of the term that holds the day, None outside every term."""
        if not self.held:
            return self.role
        for start, end, office in self.held:
            if start <= day and (end is None or day <= end):
                return office or self.role
        return None


_YEARS = re.compile(r"\(\d{4}")  # a past office's years in a role: "(2009-2017)"

# a term of office in ``held``: "2025-01-20/" (held since), "2017-01-20/2021-01-20", and an
# office other than the actor's role after it: "2008-05-08/2012-05-07 Prime Minister of Russia"
_TERM = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})?(?:\s+(\S.*))?$")


def parse_term(text: str) -> tuple[date, date | None, str | None]:
    """A term of office from its ``held`` form; ValueError says what was expected."""
    match = _TERM.match(text.strip())
    if match is None:
        raise ValueError(f"a term is FIRST-DAY/[LAST-DAY] [office] (2025-01-20/), not {text!r}")
    start = date.fromisoformat(match.group(1))
    end = date.fromisoformat(match.group(2)) if match.group(2) else None
    if end is not None and end < start:
        raise ValueError(f"the term {text!r} ends before it begins")
    return start, end, match.group(3)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ActorEntry(_Entry):
    """One actor as written in the file."""

    name: str = Field(min_length=1)
    kind: ActorKind = "person"
    side: str | None = None
    role: str | None = None
    aliases: list[str] | None = None
    descriptions: list[str] | None = None
    held: list[str] | None = None  # terms of office: ["2017-01-20/2021-01-20", "2025-01-20/"]

    @field_validator("held")
    @classmethod
    def _terms(cls, value: list[str] | None) -> list[str] | None:
        for term in value or ():
            parse_term(term)
        return value

    @model_validator(mode="after")
    def _held_needs_a_current_role(self) -> ActorEntry:
        # terms say when ``role`` was held: without a role, or with a past one written with its
        # years ("… (2009-2017)", which as_of reads already), they would say nothing
        if self.held and (self.role is None or _YEARS.search(self.role) is not None):
            raise ValueError(
                "held gives the terms of a current role: write a role without years "
                "(a past office keeps its years in the role and needs no terms)"
            )
        return self

    def actor(self) -> Actor:
        return Actor(
            self.name,
            self.kind,
            self.side,
            self.role,
            tuple(self.aliases or ()),
            tuple(self.descriptions or ()),
            tuple(parse_term(term) for term in self.held or ()),
        )


class ActorsFile(_Entry):
    """A whole file: place terms by side, and actors."""

    sides: dict[str, list[str] | None] | None = None
    actors: list[ActorEntry] | None = None


# libyaml's parser when PyYAML has it: the same nodes and marks, several times faster on the
# bundled gazetteer than the pure-Python one
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain(node: yaml.Node) -> Any:
    """The node's value with every scalar as text (null as None)."""
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag.endswith(":null") else str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {
            str(key.value) if isinstance(key, yaml.ScalarNode) else repr(_plain(key)): _plain(value)
            for key, value in node.value
        }
    return None  # pragma: no cover - PyYAML has no other kind of node


def parse_actors(
    text: str, path: str, *, trusted: bool = False
) -> tuple[list[Actor], dict[str, str]]:
    """The actors and the place terms (term -> side) of one file; ConfigError when it is wrong.

    ``trusted`` (the package's own files) reads with libyaml's fast parser; a user's file is
    read with the configuration's hardened reader (bounded size, depth and aliases).
    """
    if trusted:
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError as exc:  # pragma: no cover - a broken release
            raise ConfigError(f"not valid YAML: {exc}", path=path) from exc
    else:
        root = compose_node(text, path=path)
    if root is None:
        return [], {}
    try:
        parsed = ActorsFile.model_validate(_plain(root))
    except ValidationError as exc:
        problems = [
            Problem(
                line_of(root, tuple(e["loc"])), key_path(tuple(e["loc"])), reason(e, ActorsFile)
            )
            for e in exc.errors()
        ]
        raise_problems(path, problems)
    places = {term: side for side, terms in (parsed.sides or {}).items() for term in terms or ()}
    return [entry.actor() for entry in parsed.actors or ()], places
