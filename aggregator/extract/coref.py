"""Resolving a speaker mention to a canonical actor: names, titles, pronouns, descriptions.

Rules, in order: the gazetteer (whole alias, or a multi-word alias inside the mention); a
surname or "Mr X" resolves to the full name mentioned earlier (else later) in the same text;
"he"/"she" to the last person who spoke, "they" to the last group, "it" to the last
institution; "the Russian foreign minister" to the gazetteer description, else left as written
(the caller may link it to the next named speaker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.extract.sides import Actor, Gazetteer

_TITLE = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Gen|Lt|Col|Sen|Rep|Gov|Prof|Rev|Capt|Sgt|Maj|Adm|Cmdr|President|"
    r"Prime Minister|Foreign Minister|Defence Minister|Defense Minister|Minister|Secretary|"
    r"Senator|Governor|General|Judge|Justice|Chancellor|Ambassador|Spokesman|Spokeswoman|"
    r"Vice President|Speaker|Leader|Chairman|Chairwoman|King|Queen|Prince|Pope|Sheikh)\.?\s+)+"
)
_NAME_RUN = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+(?:[A-Z]\.?|[A-Z][a-z’'-]+|de|van|von|der|bin|al)){1,3}\b")
_TRAILING_NAME = re.compile(r"(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*$")
_POSSESSIVE = re.compile(r"[’']s$")
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GROUP_HINT = re.compile(
    r"\b(?:officials|officers|commanders|separatists|rebels|forces|troops|leaders|"
    r"diplomats|ministers|sources|analysts|experts|critics|residents|witnesses|aides|"
    r"members|supporters|democrats|republicans|insiders|people|police|protesters|voters)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a mention stands for."""

    actor: str | None
    kind: str  # person | group | institution | unknown
    side: str | None
    role: str | None
    described: bool = False  # a bare description with no name ("the Russian foreign minister")


def _strip_title(name: str) -> str:
    return _TITLE.sub("", name.strip()).strip()


class Resolver:
    """Stateful over one text: remembers who was named and who spoke last."""

    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._text = text
        self._surnames: dict[str, str] = {}
        self._last: dict[str, Resolution] = {}
        # every full name in the text, so a surname can find its full form later in the text
        self._names: list[tuple[int, str]] = [
            (m.start(), m.group(0)) for m in _NAME_RUN.finditer(text)
        ]

    def _full_name(self, surname: str, position: int) -> str | None:
        known = self._surnames.get(surname)
        if known:
            return known
        before: str | None = None
        after: str | None = None
        for start, name in self._names:
            if name.split()[-1] != surname or len(name.split()) < 2:
                continue
            if _TITLE.match(name + " "):
                continue
            if start < position:
                before = name
            elif after is None:
                after = name
        return before or after

    def resolve(self, mention: str, role: str | None, position: int) -> Resolution:
        """Resolve one mention at ``position`` (its offset) and remember it."""
        low = mention.strip().lower()
        if low in PERSON_PRONOUNS:
            return self._last.get("person") or Resolution(None, "person", None, None)
        if low == "they":
            return self._last.get("group") or Resolution(None, "group", None, None)
        if low == "it":
            return self._last.get("institution") or Resolution(None, "institution", None, None)
        if low in {"i", "we", "you"}:
            return Resolution(None, "unknown", None, None)
        result = self._resolve_named(mention, role, position)
        if result.kind in {"person", "group", "institution"} and result.actor:
            self._last[result.kind] = result
        return result

    def _resolve_named(self, mention: str, role: str | None, position: int) -> Resolution:
        gazetteer = self._gazetteer
        bare = _POSSESSIVE.sub("", _strip_title(mention))
        tail = _TRAILING_NAME.search(bare)
        name = tail.group(0) if tail else None
        actor: Actor | None = gazetteer.actor(mention) or (gazetteer.actor(name) if name else None)
        if actor is not None and actor.kind in {"media", "institution"} and name and (
            name.lower() not in {actor.name.lower(), *(a.lower() for a in actor.aliases)}
        ) and len(name.split()) >= 2:
            # "The BBC's James Rodgers": the person speaks, the outlet gives the side
            return self._person(name, role or mention, actor.side)
        if actor is not None:
            if actor.kind == "person":
                surname = actor.name.split()[-1]
                self._surnames.setdefault(surname, actor.name)
            kind = actor.kind if actor.kind in {"person", "institution"} else "institution"
            return Resolution(actor.name, kind, actor.side, role or actor.role)
        described = gazetteer.described(mention)
        if described is not None:
            return Resolution(described.name, "person", described.side, role or described.role)
        _, side = gazetteer.side_of(mention, role)
        if name and (len(name.split()) >= 2 or mention.strip() != name or name == bare):
            words = name.split()
            if len(words) == 1:
                full = self._full_name(words[0], position)
                if full is not None:
                    actor = gazetteer.actor(full)
                    if actor is not None:
                        return Resolution(actor.name, "person", actor.side, role or actor.role)
                    return self._person(full, role, side)
                if name.lower() != mention.strip().lower() or _looks_personal(mention):
                    return self._person(name, role, side)
            elif name == bare and not _GROUP_HINT.search(mention):
                if side is None or _looks_personal(mention) or len(words) >= 2:
                    if gazetteer.place_side(name) is None or len(words) >= 2:
                        return self._person(name, role, side)
        kind = "group" if _GROUP_HINT.search(mention) else "institution"
        if not name and not _GROUP_HINT.search(mention) and low_is_description(mention):
            return Resolution(mention.strip(), "person", side, role or mention.strip(), True)
        return Resolution(mention.strip(), kind, side, role)

    def _person(self, name: str, role: str | None, side: str | None) -> Resolution:
        words = name.split()
        if len(words) >= 2:
            self._surnames.setdefault(words[-1], name)
        return Resolution(name, "person", side, role)

    def remember(self, resolution: Resolution) -> None:
        """Record a resolution reached by other means (a description linked to a name)."""
        if resolution.actor:
            self._last[resolution.kind] = resolution


_PERSON_NOUNS = re.compile(
    r"\b(?:minister|president|ambassador|envoy|commander|secretary|spokesman|spokeswoman|"
    r"spokesperson|chief|head|leader|general|official|senator|governor|chancellor|premier|"
    r"director|chairman|chairwoman|adviser|advisor|aide|mayor|candidate|correspondent|"
    r"editor|reporter|analyst|expert|professor|lawyer|judge)\b",
    re.IGNORECASE,
)


def _looks_personal(mention: str) -> bool:
    return bool(_TITLE.match(mention.strip())) or bool(_PERSON_NOUNS.search(mention))


def low_is_description(mention: str) -> bool:
    """A definite description of one person: "the Russian foreign minister"."""
    return bool(_PERSON_NOUNS.search(mention)) and mention.strip().lower().startswith(
        ("the ", "a ", "an ")
    ) or bool(_PERSON_NOUNS.search(mention.split()[-1] if mention.split() else ""))
