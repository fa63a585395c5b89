"""Who speaks for whom: the gazetteer (``actors.yaml``) and the side rules built from it.

The bundled file ships inside the package (``aggregator/data/actors.yaml``); users add their own
files, whose actors replace bundled ones of the same name and whose place terms are added.
Reading files happens in :func:`load_gazetteer` only; resolving is pure.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypeVar

from aggregator.config.yaml_file import read_text
from aggregator.extract.actors_file import ACTOR_KINDS, Actor, parse_actors
from aggregator.extract.lexicon import TITLE_RUN
from aggregator.extract.names import fold, has_cyrillic, has_ukrainian_letters

__all__ = ["ACTOR_KINDS", "Actor", "Gazetteer", "default_gazetteer", "load_gazetteer"]
_DETERMINERS = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TITLE = re.compile(TITLE_RUN)  # "Ambassador Churkin" is looked up as "Churkin"


@dataclass(frozen=True)
class Gazetteer:
    """Actors and place terms (countries, demonyms, capitals, seats of government) by side."""

    actors: tuple[Actor, ...]
    places: Mapping[str, str]  # term as written ("US", "the Kremlin") -> side
    _exact: dict[str, Actor] = field(init=False, repr=False)
    _described: dict[str, Actor] = field(init=False, repr=False)
    _alias_re: re.Pattern[str] | None = field(init=False, repr=False)
    _alias_map: dict[str, Actor] = field(init=False, repr=False)
    # the same by folded form (fold: no accents, Cyrillic in Latin letters), for a mention no
    # alias matches as written: "Sergueï Lavrov", "Гутерреш", "Sergei LAVROV"
    _folded: _FoldedAliases = field(init=False, repr=False, compare=False)
    _place_re: re.Pattern[str] | None = field(init=False, repr=False)
    _place_index: dict[str, str] = field(init=False, repr=False)  # lower-case term -> side
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
        object.__setattr__(self, "_place_re", _place_alternation(self.places))
        # built with the rest (some 0.05 s), not on the first mention that needs it: the time
        # goes to loading, not to the first article
        object.__setattr__(self, "_folded", _FoldedAliases.of(exact, contained))
        object.__setattr__(self, "_place_index", {t.lower(): v for t, v in self.places.items()})

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
        return self._folded_actor(norm) or self._inflected_actor(norm)

    def _folded_actor(self, mention: str) -> Actor | None:
        """The actor a mention names once it and the aliases are folded (accents, case and
        script aside): whole first, then a multi-word alias inside it."""
        return self._folded.actor(mention)

    def _inflected_actor(self, mention: str) -> Actor | None:
        """A Russian or Ukrainian name in another case than the nominative ("Сергея Лаврова",
        "Андрію Сибізі"): each word put back into the nominative, then looked up folded."""
        if not has_cyrillic(mention):
            return None
        from aggregator.extract.morph import nominative

        language = "uk" if has_ukrainian_letters(mention) else "ru"
        words = mention.split()
        named = " ".join(nominative(word, language) for word in words)
        return self._folded_actor(named) if named != " ".join(words) else None

    def described(self, mention: str) -> Actor | None:
        """The actor a definite description refers to ("the Russian foreign minister")."""
        return self._described.get(_DETERMINERS.sub("", mention.strip().lower()))

    def place_side(self, text: str) -> str | None:
        """The side of the first place term in ``text`` that qualifies it, read with its
        preposition: "Russia's ambassador", "officials in Kyiv" and "an adviser to the Iranian
        president" count; "ambassador to the United States", "protests against Russia" and
        "envoy for Ukraine" (a place that is the object of the phrase) do not, nor does a place
        that opens a name ("Chad Wolf", "Israel Katz")."""
        try:
            return self._place_cache[text]
        except KeyError:
            return _remember(self._place_cache, text, self._place_side(text))

    def _place_side(self, text: str) -> str | None:
        if self._place_re is None:
            return None
        for match in self._place_re.finditer(text):
            after = text[match.end() : match.end() + 40]
            if _PARTY_AFTER.match(after):
                continue  # "Lawmaker X from the opposition Congress party"
            if _NAME_AFTER.match(after) and not _office_follows(after):
                continue  # "Chad Wolf", "Washington Post": the term opens a name
            before = _NAME_BEFORE.search(text, max(0, match.start() - 24), match.start())
            if (
                before is not None
                and before.group(1).lower() not in _MODIFIERS
                and not _OFFICE_AFTER.match(after)
            ):
                continue  # "Mark Cuban", "Ana Brazil": the term ends a name
            if _OBJECT_BEFORE.search(text, max(0, match.start() - 24), match.start()) and not (
                _OFFICE_AFTER.match(after)
            ):
                continue  # "to the United States", "against Russia", "for Ukraine"
            return self._place_index[match.group(0).lower()]
        return None

    def places_in(self, text: str) -> frozenset[str]:
        """Every side a place term anywhere in ``text`` names, whatever its role there."""
        if self._place_re is None:
            return frozenset()
        return frozenset(
            self._place_index[m.group(0).lower()] for m in self._place_re.finditer(text)
        )

    def is_place(self, text: str) -> bool:
        """Whether ``text`` is a place term itself ("Iran", "the Kremlin", "Moscow's")."""
        bare = _POSSESSIVE_END.sub("", _DETERMINERS.sub("", text.strip()))
        return bare.lower() in self._place_index or text.strip().lower() in self._place_index


_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class _FoldedAliases:
    """Aliases by folded form, leaving out a form two actors share once folded."""

    whole: dict[str, Actor]
    contained: dict[str, Actor]
    # the multi-word aliases that folding changes ("Sébastien Lecornu", "Сергей Лавров"): a
    # mention that folding leaves as it is (in lower case) has been searched for the others
    changed_re: re.Pattern[str] | None
    contained_re: re.Pattern[str] | None  # every multi-word alias folded

    @classmethod
    def of(cls, exact: Mapping[str, Actor], contained: Mapping[str, Actor]) -> _FoldedAliases:
        inside = _unambiguous((fold(k), a) for k, a in contained.items())
        changed = {fold(k): a for k, a in contained.items() if fold(k) != k and fold(k) in inside}
        whole = _unambiguous((fold(k), a) for k, a in exact.items())
        return cls(whole, inside, _alternation(changed), _alternation(inside))

    def actor(self, mention: str) -> Actor | None:
        key = fold(mention)
        found = self.whole.get(key)
        if found is not None:
            return found
        pattern = self.changed_re if key == mention.lower() else self.contained_re
        match = pattern.search(key) if pattern is not None else None
        return self.contained[match.group(0)] if match else None


def _unambiguous(pairs: Iterable[tuple[str, Actor]]) -> dict[str, Actor]:
    """Key -> actor, leaving out a key two actors share once folded."""
    found: dict[str, Actor] = {}
    shared: set[str] = set()
    for key, actor in pairs:
        if found.setdefault(key, actor) is not actor:
            shared.add(key)
    for key in shared:
        del found[key]
    return found


_T = TypeVar("_T")


def _remember(cache: dict[str, _T], key: str, value: _T) -> _T:
    """Store ``value`` under ``key``; a full cache starts over (a daemon sees endless names)."""
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


# a place right after one of these words is the object of the phrase, not the speaker's own
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|against|toward|towards|on|over|about|with|into|for|versus|vs\.?|onto|upon|"
    r"across|beyond|between|among)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)
# an office right after a place: "Iranian president", "Russian foreign ministry spokeswoman"
_OFFICE_AFTER = re.compile(
    r"(?:[’']s)?\s+(?:(?:foreign|defen[cs]e|interior|finance|deputy|vice|prime|chief|top|"
    r"senior|former|acting|new|affairs|civil|health|justice|election|electoral|supreme|"
    r"anti-corruption)\s+){0,3}(?:president|presidency|prime minister|premier|"
    r"minister|ministry|government|leader|king|queen|emir|chancellor|ambassador|envoy|embassy|"
    r"officials?|authorities|spokes\w+|military|army|forces|troops|navy|police|parliament|"
    r"cabinet|diplomats?|delegation|side|regime|state|counterpart|secretary|general|commander|"
    r"governorate|prosecutors?|courts?|tribunal|commission|bodies|agency|"
    # capitalised, as a body's name is written: "the Palestinian Presidency"
    r"President|Presidency|Prime Minister|Premier|Minister|Ministry|Government|Leader|King|"
    r"Queen|Chancellor|Ambassador|Envoy|Foreign|Defen[cs]e|Interior|Deputy|Vice|Secretary|"
    r"Governorate|Police|Army|Military|Armed Forces|Navy|Air Force|Prosecutors?|"
    r"Prosecutor's Office|Supreme Court|Court|Election Commission|Electoral Commission|"
    r"Cabinet|Parliament|Embassy|Authorit(?:y|ies)|Council|Civil Defen[cs]e|Health Ministry)\b"
)
# a body's own name between a place and its office: "the Palestinian Jerusalem Governorate"
_BODY_NAME = re.compile(r"(?:\s+[A-Z][a-z]+){1,2}(?=\s)")


def _office_follows(after: str) -> bool:
    """Whether an office follows a place term, at once or after a body's own name."""
    if _OFFICE_AFTER.match(after):
        return True
    name = _BODY_NAME.match(after)
    return name is not None and _OFFICE_AFTER.match(after[name.end() :]) is not None


# a place term that names a political party ("the opposition Congress party") is no state
_PARTY_AFTER = re.compile(r"\s+[Pp]arty\b")
# a capitalised word right before a place term: the term ends a name,
# unless the word is one that modifies a place or an office ("Former Georgian president")
_NAME_BEFORE = re.compile(r"(?<![\w-])([A-Z][a-z]+)\s+$")
_MODIFIERS = frozenset(
    "former acting then the a an prime deputy vice chief senior top foreign defence defense "
    "interior late new old north south east west northern southern eastern western central "
    "pro anti ethnic fellow many some two three both other several leading visiting exiled "
    "then-president said says told and or but as of for in on at by with from".split()
)
# a capitalised word right after a place term: the term opens a name
_NAME_AFTER = re.compile(r"(?:\s+[A-Z][a-z]|[-’'][A-Z])")
_POSSESSIVE_END = re.compile(r"[’']s?$")


def _normalise(mention: str) -> str:
    text = _DETERMINERS.sub("", mention.strip())
    return _TITLE.sub("", text).strip()


def _place_alternation(terms: Mapping[str, object]) -> re.Pattern[str] | None:
    """Place terms as written, and in capitals (headlines): "US" is never "us"."""
    if not terms:
        return None
    forms: set[str] = set()
    for term in terms:
        forms.update({term, term.upper(), term[:1].upper() + term[1:]})
    return re.compile(r"(?<![\w-])(?:" + _trie(forms) + r")(?![\w-])")


def _alternation(terms: Mapping[str, object]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile(r"(?<![\w-])(?:" + _trie(terms) + r")(?![\w-])", re.IGNORECASE)


def _trie(words: Iterable[str]) -> str:
    """One pattern for many words that matches, at a position, the longest word that fits there
    (as an alternation sorted longest first would), with shared prefixes written once: a
    gazetteer of a thousand aliases is then searched about as fast as one of a hundred."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [
            re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # greedy: the longer word first, this one when the rest does not fit
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


# ---------------------------------------------------------------- loading (the only I/O here)


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[Actor, ...], tuple[tuple[str, str], ...]]:
    data = resources.files("aggregator").joinpath("data")
    places: dict[str, str] = {}
    actors: list[Actor] = []
    for name in ("places.yaml", "actors.yaml"):
        text = data.joinpath(name).read_text(encoding="utf-8")
        found, terms = parse_actors(text, f"aggregator/data/{name}", trusted=True)
        actors.extend(found)
        places.update(terms)
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
        actors, more = parse_actors(read_text(path), path)
        for actor in actors:
            by_name[actor.name] = actor
        places.update(more)
    return Gazetteer(tuple(by_name.values()), places)
