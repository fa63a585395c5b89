"""Who speaks for whom: the gazetteer (``actors.yaml``) and the side rules built from it.

The bundled file ships inside the package (``aggregator/data/actors.yaml``); users add their own
files, whose actors replace bundled ones of the same name and whose place terms are added.
Reading files happens in :func:`load_gazetteer` only; resolving is pure.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from importlib import resources
from typing import Any, TypeVar

from aggregator.config.yaml_file import read_text
from aggregator.extract.actors_file import ACTOR_KINDS, Actor, parse_actors
from aggregator.extract.lexicon import OFFICE_WORDS, TITLE_RUN, TITLE_WORDS
from aggregator.extract.names import fold, has_cyrillic, has_ukrainian_letters

__all__ = ["ACTOR_KINDS", "Actor", "Gazetteer", "default_gazetteer", "load_gazetteer"]
_DETERMINERS = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TITLE = re.compile(TITLE_RUN)  # "Ambassador Churkin" is looked up as "Churkin"
# what may follow a body's acronym in its own mention ("Nato Secretary General", "Nato chief",
# "Nato Allies", "Isis Fighters")
_OFFICE_NOUNS = (
    TITLE_WORDS
    | OFFICE_WORDS
    | frozenset(
        "ally member official fighter force troop summit militant soldier state country "
        "partner diplomat mission staff headquarters".split()
    )
)


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
    # alias matches as written: "Sergueï Lavrov", "Сергея Лаврова"; built on first use
    _folded: _FoldedAliases | None = field(init=False, repr=False, compare=False)
    _place_re: re.Pattern[str] | None = field(init=False, repr=False)
    _place_index: dict[str, str] = field(init=False, repr=False)  # lower-case term -> side
    # mentions repeat ("he", "Trump"): each is looked up once (bounded, see _remember)
    _actor_cache: dict[str, Actor | None] = field(init=False, repr=False, compare=False)
    _place_cache: dict[str, str | None] = field(init=False, repr=False, compare=False)
    # the gazetteer as it stood on a day (as_of), by what differs from this one
    _eras: OrderedDict[tuple[tuple[int, str | None], ...], Gazetteer] = field(
        init=False, repr=False, compare=False
    )
    _dated: tuple[int, ...] = field(init=False, repr=False, compare=False)  # who as_of reads
    # the gazetteer of each day asked for (the articles of a day share it: one look-up each)
    _days: dict[date, Gazetteer] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_actor_cache", {})
        object.__setattr__(self, "_place_cache", {})
        object.__setattr__(self, "_eras", OrderedDict())
        object.__setattr__(self, "_days", {})
        object.__setattr__(
            self,
            "_dated",
            tuple(
                i
                for i, actor in enumerate(self.actors)
                if actor.held or (actor.role is not None and _PAST_OFFICE.search(actor.role))
            ),
        )
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
        # built on the first mention that needs it (some 0.7 s, most of it loading simplemma's
        # English table): a text in plain ASCII never does
        object.__setattr__(self, "_folded", None)
        object.__setattr__(self, "_place_index", {t.lower(): v for t, v in self.places.items()})

    def __getstate__(self) -> dict[str, Any]:
        # a copy sent to another process starts with empty memories, not this one's
        state = dict(self.__dict__)
        state["_actor_cache"] = {}
        state["_place_cache"] = {}
        state["_eras"] = OrderedDict()
        state["_days"] = {}
        return state

    def as_of(self, when: date | datetime | None) -> Gazetteer:
        """The gazetteer as it stood on a day: who held which office then.

        The file's offices are today's ("as of early 2026"). For a text written earlier:
        - a past office whose years hold the day strictly inside ("President of the United
          States (2009-2017)" in 2014) is the role then, as a current office; a person whose
          offices are all past and ended before the day is no party on it (no side: Barack
          Obama in 2026, as "former President Obama" is none; what the text says of the person
          still counts), the past office still the role;
        - an actor with terms of office (``held``) has the office of the term that holds the
          day ("Prime Minister of Russia" for Vladimir Putin in 2010), and none outside every
          term ("Donald Trump" in 2016: no role, no side, no descriptions; the person is still
          known by name, like anyone the gazetteer does not place).
        ``None`` (no date: the file's entries as they are, past offices with their sides), or a
        day on which nothing differs, gives this gazetteer itself.
        Each distinct state of the offices is built once and kept (``_ERAS``, the least
        recently read dropped first), and each day's answer is remembered: the articles of one
        day (a daemon's poll, a backfill's batch) cost one look-up each."""
        if when is None:
            return self
        day = when.date() if isinstance(when, datetime) else when
        found = self._days.get(day)
        if found is None:
            found = _remember(self._days, day, self._on(day))
        return found

    def _on(self, day: date) -> Gazetteer:
        """:meth:`as_of` for one day, without the memory of days."""
        changed = [(i, then) for i in self._dated if (then := _at(self.actors[i], day))]
        if not changed:
            return self
        key = tuple((i, then.role) for i, then in changed)
        found = self._eras.get(key)
        if found is None:
            actors = list(self.actors)
            for i, then in changed:
                actors[i] = then
            found = Gazetteer(tuple(actors), self.places)
            self._eras[key] = found
            if len(self._eras) > _ERAS:
                with contextlib.suppress(KeyError):  # another thread may have dropped it
                    self._eras.popitem(last=False)  # the state read longest ago
                self._days.clear()  # (the days it served must not keep it alive)
        else:
            with contextlib.suppress(KeyError):
                self._eras.move_to_end(key)
        return found

    def actor(self, mention: str, language: str | None = None) -> Actor | None:
        """The actor a mention names: whole alias first, then a multi-word alias inside it.
        ``language`` ("ru", "uk"...), when known, is tried first for a name in another case
        than the nominative ("Лавровим" is Ukrainian, though no letter says so)."""
        key = mention if language is None else f"{language}\x00{mention}"
        try:
            return self._actor_cache[key]
        except KeyError:
            found = self._actor(mention) if language is None else self._actor(mention, language)
            return _remember(self._actor_cache, key, found)

    def _actor(self, mention: str, language: str | None = None) -> Actor | None:
        norm = _normalise(mention)
        found = self._whole(norm) or self._exact.get(mention.strip().lower())
        if found is not None:
            return found
        if self._alias_re is not None:
            match = self._alias_re.search(mention)
            if match and not _given_name(match, mention):
                return self._alias_map[match.group(0).lower()]
        return self._folded_actor(norm) or self._inflected_actor(norm, language)

    def _whole(self, mention: str) -> Actor | None:
        return self._exact.get(mention.lower())

    def _folded_actor(self, mention: str) -> Actor | None:
        """The actor a mention names once it and the aliases of its script are folded (accents
        and case aside): whole first, then a multi-word alias inside it. A mention in plain
        ASCII is not folded (the English lookup is the exact one), nor an acronym."""
        if mention.isascii():
            return None  # English as written: never folded (see _FoldedAliases)
        return self.folded_aliases().actor(mention)

    def folded_aliases(self) -> _FoldedAliases:
        """The aliases by folded form, each script apart (built once, on first use)."""
        folded = self._folded
        if folded is None:
            folded = _FoldedAliases.of(self._exact, self._alias_map)
            object.__setattr__(self, "_folded", folded)
        return folded

    def _inflected_actor(self, mention: str, language: str | None = None) -> Actor | None:
        """A Russian or Ukrainian name in another case than the nominative ("Сергея Лаврова",
        "Андрію Сибізі"): each word put back into the nominative, then looked up as written
        and folded; by the mention's language first, then by every reading of both languages
        and, for a surname no dictionary knows ("Сибіги", "Мерца"), by its case ending."""
        if not has_cyrillic(mention):
            return None
        words = mention.split()
        if len(words) > _INFLECTED_WORDS:
            return None
        first = language if language in ("ru", "uk") else None
        if first is None:
            first = "uk" if has_ukrainian_letters(mention) else "ru"
        readings = [_name_readings(word, first) for word in words]
        for named in itertools.islice(itertools.product(*readings), _INFLECTED_TRIES):
            text = " ".join(named)
            if text == " ".join(words):
                continue
            found = self._whole(text) or self._folded_actor(text)
            if found is not None:
                return found
        return None

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
            if _NAME_AFTER.match(after) and not office_follows(after):
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
            if _RANGE_AFTER.match(after) and _FROM_BEFORE.search(
                text, max(0, match.start() - 12), match.start()
            ):
                continue  # "governments from Brussels to Brasilia": a span, no one's place
            return self._place_index[match.group(0).lower()]
        return None

    def places_in(self, text: str) -> frozenset[str]:
        """Every side a place term anywhere in ``text`` names, whatever its role there."""
        if self._place_re is None:
            return frozenset()
        return frozenset(
            self._place_index[m.group(0).lower()] for m in self._place_re.finditer(text)
        )

    def people(self, text: str) -> str | None:
        """The side whose people a bare plural demonym names ("Iranians", "Americans",
        "Filipinos"; not "the Iranians", who may be its negotiators, nor "Philippines", a
        country's own name): a nation's people are no party, whatever they say."""
        word = text.strip()
        if " " in word or not word[:1].isupper() or not word.endswith("s"):
            return None
        side = self.places.get(word)
        if side is None or word == side:
            return None
        singular = self._place_index.get(word[:-1].lower())
        return side if singular == side else None

    def is_place(self, text: str) -> bool:
        """Whether ``text`` is a place term itself ("Iran", "the Kremlin", "Moscow's")."""
        bare = _POSSESSIVE_END.sub("", _DETERMINERS.sub("", text.strip()))
        return bare.lower() in self._place_index or text.strip().lower() in self._place_index


_CACHE_SIZE = 20_000
# a name in another case has a few words, each with a few readings: a bound on the lookups
_INFLECTED_WORDS = 4
_INFLECTED_TRIES = 64


@dataclass(frozen=True)
class _FoldedScript:
    """The aliases of one script by folded form, leaving out a form two actors share once
    folded and a one-word form that is a common word or another person's surname."""

    whole: dict[str, Actor]
    contained: dict[str, Actor]
    # the multi-word aliases that folding changes ("Sébastien Lecornu", "Сергей Лавров"): a
    # mention that folding leaves as it is (in lower case) has been searched for the others
    changed_re: re.Pattern[str] | None
    contained_re: re.Pattern[str] | None  # every multi-word alias folded

    @classmethod
    def of(
        cls,
        exact: Mapping[str, Actor],
        contained: Mapping[str, Actor],
        surnames: Mapping[str, set[str]],
    ) -> _FoldedScript:
        inside = _unambiguous((fold(k), a) for k, a in contained.items())
        changed = {fold(k): a for k, a in contained.items() if fold(k) != k and fold(k) in inside}
        whole = {
            key: actor
            for key, actor in _unambiguous((fold(k), a) for k, a in exact.items()).items()
            if " " in key or not _common_or_anothers(key, actor, surnames)
        }
        return cls(whole, inside, _alternation(changed), _alternation(inside))

    def actor(self, key: str, mention: str) -> Actor | None:
        found = self.whole.get(key)
        if found is not None:
            return found
        pattern = self.changed_re if key == mention.lower() else self.contained_re
        match = pattern.search(key) if pattern is not None else None
        return self.contained[match.group(0)] if match else None


@dataclass(frozen=True)
class _FoldedAliases:
    """Aliases by folded form, each script apart: a Cyrillic mention meets the folded Cyrillic
    aliases and the Latin ones of several words ("Дмитро Лубінець"), and a one-word Latin alias
    only when the dictionaries read it as a surname alone or not at all ("Меркель", not "Рама",
    a frame, nor "Павел", a first name); a Latin one only the Latin aliases; a mention in plain
    ASCII, and an acronym ("АП"), are never folded."""

    cyrillic: _FoldedScript
    latin: _FoldedScript

    @classmethod
    def of(cls, exact: Mapping[str, Actor], contained: Mapping[str, Actor]) -> _FoldedAliases:
        surnames = _surnames(exact)

        def script(aliases: Mapping[str, Actor], cyrillic: bool) -> dict[str, Actor]:
            # a Cyrillic mention of two words or more may also meet a Latin alias of as many
            # ("Дмитро Лубінець" is "Dmytro Lubinets"): a first name and a surname that agree
            # once transliterated are no accident, as one word may be ("Рама", "Бан")
            return {
                k: a
                for k, a in aliases.items()
                if (has_cyrillic(k) == cyrillic or (cyrillic and " " in k))
                and not _is_acronym(k, a)
            }

        return cls(
            _FoldedScript.of(script(exact, True), script(contained, True), surnames),
            _FoldedScript.of(script(exact, False), script(contained, False), surnames),
        )

    def actor(self, mention: str) -> Actor | None:
        if mention.isascii() or (mention.isupper() and " " not in mention.strip()):
            return None  # English as written; an acronym is no name to fold
        key = fold(mention)
        if not has_cyrillic(mention):
            return self.latin.actor(key, mention)
        found = self.cyrillic.actor(key, mention)
        if found is None and " " not in mention.strip() and _only_a_surname(mention.strip()):
            # "Меркель", "Столтенберг": a word the dictionaries read as a surname only, or do
            # not know, meets a Latin surname ("Merkel"); "Рама", "Бан", "Павел" do not
            found = self.latin.whole.get(key)
        return found

    def one_word_keys(self) -> dict[str, Actor]:
        """Every one-word folded key of both scripts (for checking the data)."""
        return {
            key: actor
            for index in (self.cyrillic, self.latin)
            for key, actor in index.whole.items()
            if " " not in key
        }


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _only_a_surname(word: str) -> bool:
    """Whether every reading the Russian and Ukrainian dictionaries know of ``word`` is a
    surname (none is a common word, a first name or a place), or they know none."""
    from aggregator.extract.morph import _parse  # every reading, known or guessed

    return all(
        "Surn" in parse.tag
        for language in ("ru", "uk")
        for parse in _parse(word, language)
        if parse.is_known
    )


def _is_acronym(alias: str, actor: Actor) -> bool:
    """Whether an alias (lower case here) is written in capitals in the data: "АП", "AP"."""
    return any(form.lower() == alias and form.isupper() for form in (actor.name, *actor.aliases))


def _surnames(exact: Mapping[str, Actor]) -> dict[str, set[str]]:
    """Folded last word of each person's multi-word alias -> the people it ends a name of."""
    found: dict[str, set[str]] = {}
    for alias, actor in exact.items():
        if actor.kind == "person" and " " in alias:
            found.setdefault(fold(alias.split()[-1]), set()).add(actor.name)
    return found


def _common_or_anothers(key: str, actor: Actor, surnames: Mapping[str, set[str]]) -> bool:
    """Whether a one-word folded key is an English word (simplemma's English table: "store",
    "ban", "tramp" for "Трамп") or the surname of another person ("levitt")."""
    import simplemma

    return bool(surnames.get(key, set()) - {actor.name}) or simplemma.is_known(key, lang="en")


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


# case endings of Russian and Ukrainian names and the nominative ending each comes from, for a
# surname the dictionaries do not know ("Сибіги", "Сибізі" -> "Сибіга"; "Мерца" -> "Мерц")
_CASE_ENDINGS: tuple[tuple[str, str], ...] = (
    ("зі", "га"),
    ("ці", "ка"),
    ("сі", "ха"),  # Ukrainian: "Сибізі", "Кличці"
    ("ою", "а"),
    ("ой", "а"),
    ("ей", "я"),
    ("ові", ""),
    ("ом", ""),
    ("ем", ""),
    ("ым", ""),
    ("им", ""),
    ("и", "а"),
    ("і", "а"),
    ("ы", "а"),
    ("у", "а"),
    ("е", "а"),
    ("ю", "я"),
    ("а", ""),
    ("у", ""),
    ("е", ""),
    ("і", ""),
    ("я", "й"),
)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _name_readings(word: str, first: str) -> tuple[str, ...]:
    """The nominatives a word of a Russian or Ukrainian name may stand for, most likely first:
    by the dictionary of ``first``, then of the other language, then by the case endings of
    names; the word itself last."""
    from aggregator.extract.morph import nominative

    other = "ru" if first == "uk" else "uk"
    found = [nominative(word, first), nominative(word, other)]
    lower = word.lower()
    for ending, nominative_ending in _CASE_ENDINGS:
        if lower.endswith(ending) and len(lower) > len(ending) + 2:
            found.append(word[: len(word) - len(ending)] + nominative_ending)
    found.append(word)
    return tuple(dict.fromkeys(found))


_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)


def _remember(cache: dict[_K, _T], key: _K, value: _T) -> _T:
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


def office_follows(after: str) -> bool:
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
# "from X to Y": a span of places
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_AFTER = re.compile(r"\s+to\s+[A-Z]")
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


# an acronym written as a name, then a surname: "Cia Edmonds", "Isis Jones" (not "Nato
# Secretary General …", "Nato allies")
_SURNAME_AFTER = re.compile(r"\s+([A-Z][\w’'-]*[a-z])(?![\w’'-])")


def _given_name(match: re.Match[str], mention: str) -> bool:
    """Whether an acronym's alias, matched in another case than its capitals, is a person's
    given name before a surname ("Cia Edmonds" is no CIA): a one-word alias matches inside a
    mention only when it is an acronym."""
    found = match.group(0)
    if found.isupper() or " " in found:
        return False
    after = _SURNAME_AFTER.match(mention, match.end())
    if after is None:
        return False
    word = after.group(1).lower()
    singular = word[:-3] + "y" if word.endswith("ies") else word.removesuffix("s")
    return word not in _OFFICE_NOUNS and singular not in _OFFICE_NOUNS


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


# ---------------------------------------------------------------- offices over time

# a past office in a role, with its years: "President of the United States (2009-2017)",
# "Foreign Minister of Georgia (2008)"; one role may list several, comma- or semicolon-separated
_PAST_OFFICE = re.compile(r"([^,;()]+?)\s*\((\d{4})(?:-(\d{4}))?\)")
_LETTER = re.compile(r"[^\W\d_]")  # an office left once the past ones are taken out
# states of the offices kept, the least recently read dropped first: each a whole gazetteer,
# built in some 50 ms and some 1.7 MB once its folded aliases are read; the bundled terms give
# 72 states from 2000 to 2026, 21 of them since 2024 (a backfill in date order reads them one
# after another; a daemon reads today's)
_ERAS = 32


def past_offices_only(role: str) -> bool:
    """Whether every office of a role is past, its years given: "President of the United States
    (2009-2017)", "Prime Minister of Norway (2016-2021), Foreign Minister (2022-2024)"."""
    return (
        _PAST_OFFICE.search(role) is not None and _LETTER.search(_PAST_OFFICE.sub("", role)) is None
    )


def _at(actor: Actor, day: date) -> Actor | None:
    """The actor as it stood on ``day`` when that differs from today's entry, else None."""
    if actor.role is not None and _PAST_OFFICE.search(actor.role) is not None:
        last = 0
        for match in _PAST_OFFICE.finditer(actor.role):
            start, end = int(match.group(2)), int(match.group(3) or match.group(2))
            # strictly inside the years: in the year an office changed hands, either may hold it
            if start < day.year < end:
                return replace(actor, role=match.group(1).strip())
            last = max(last, end)
        if actor.kind == "person" and past_offices_only(actor.role) and day.year > last:
            # after every term, and no office held now: no party on that day (a former
            # president speaks for no state, as "former President Obama" does not:
            # voice.decide, rule 3b; what the text says the person is now still counts, rule
            # 4); the past office stays the role. Before the first term the file's side holds
            # (an earlier office of the same side the file does not list)
            return replace(actor, side=None, descriptions=())
        return None
    office = actor.office_on(day)
    if office == actor.role:
        return None
    if office is None:
        return replace(actor, side=None, role=None, descriptions=())
    # the descriptions stand for today's office ("the US president")
    return replace(actor, role=office, descriptions=())


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
