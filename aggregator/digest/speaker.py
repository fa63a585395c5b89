"""The speaker as a reader sees it: a name (never a bare pronoun), the role once, clean text.

    name = the resolved actor, else the mention as written, cleaned
           (a pronoun or a first person never stands alone: the role stands in for it, and a
           statement whose speaker has neither is not shown - nobody could say who said it)
    role = the role as written, cleaned, unless the name already says it

Cleaning drops what a page's layout leaves in a name: bullets, soft hyphens and other invisible
characters, a leading determiner fragment or a trailing preposition ("Office of the"), a
possessive ("Veskaria's" -> "Veskaria"). The store keeps the mention as written; this is only
what a reader is shown.
"""

from __future__ import annotations

import functools
import re

from aggregator.extract.lexicon import LAYOUT_MARKS
from aggregator.extract.sides import past_offices_only
from aggregator.model import EventStatement

PRONOUNS = frozenset(
    "he she they it we i you him her them us me his hers its their theirs our ours my mine "
    "your this that these those one someone".split()
)
# what page layout leaves around a name: bullets, dashes, invisible characters
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_FORMER = re.compile(r"(?:former|ex-|retired)\b", re.IGNORECASE)
_LEADING_JUNK = re.compile(r"^[\s" + re.escape(LAYOUT_MARKS) + r":;,.\-–—]+")
_TRAILING_JUNK = re.compile(r"[\s\u2022*•·|:;,\-–—(\[]+$")
_POSSESSIVE = re.compile(r"[’']s$")
_EDGE_WORDS = frozenset(
    "the a an of for to in on at by from with and or but as than that who which whose his her "
    "their its our my your this these those said says".split()
)
_WORD = re.compile(r"[\w’'-]+")
_STOP = frozenset("the a an of for to in on at and".split())


def clean_name(text: str | None) -> str | None:
    """A name or role as shown: one line, no layout leftovers, no dangling words at its edges."""
    if not text:
        return None
    text = _INVISIBLE.sub("", text)
    text = " ".join(text.split())
    text = _LEADING_JUNK.sub("", text)
    text = _TRAILING_JUNK.sub("", text)
    words = text.split()
    # "Office of the", "the Secretary-General, the": words that only join, at either edge
    while words and words[-1].lower().strip(",") in _EDGE_WORDS:
        words.pop()
    while len(words) > 1 and words[0].lower() in _EDGE_WORDS - {"the", "a", "an"}:
        words.pop(0)
    if words and len(words[-1]) > 3:
        # "Veskaria's" -> "Veskaria"; "the Allies'" -> "the Allies"
        words[-1] = (
            _POSSESSIVE.sub("", words[-1])
            if words[-1][-2:] in ("’s", "'s")
            else (words[-1][:-1] if words[-1][-2:] in ("s’", "s'") else words[-1])
        )
    text = " ".join(words).strip(" ,;:")
    if not text or text.lower() in _EDGE_WORDS or not any(c.isalpha() for c in text):
        return None
    return text


def _speaker_name(text: str | None) -> str | None:
    """A name as shown, or None for what cannot be one: a quoted phrase ("‘War of genocide
    against the Strip’" taken for a speaker) is words someone said, not who said them; a phrase
    in lower case with no noun for people or a body in it ("violence", "strengthens familial
    ties") is a clause the extractor misread, not a speaker."""
    if text and text.lstrip()[:1] in _QUOTE_MARKS:
        return None
    name = clean_name(text)
    if name is not None and name.casefold() in _CALENDAR:
        return None  # "In November, the report warned …": a month is no speaker
    if name is None or is_pronoun(name) or any(c.isupper() for c in name):
        return name
    return name if _SPEAKER_NOUN.search(name) else None


# nouns for people and bodies that speak in lower case: "officials", "rights groups", "police"
_SPEAKER_NOUN = re.compile(
    r"\b(?:officials?|authorit(?:y|ies)|government|ministry|ministries|police|army|military|"
    r"forces|troops|spokes(?:man|woman|person|people|men|women)|minister|president|envoy|"
    r"ambassador|diplomats?|sources?|aides?|advisers?|advisors?|lawmakers?|legislators?|"
    r"senators?|leaders?|chief|head|commanders?|generals?|officers?|groups?|organi[sz]ations?|"
    r"agenc(?:y|ies)|council|committee|coalition|alliance|allies|party|parties|campaign|"
    r"residents?|witnesses|survivors?|families|relatives|victims?|people|citizens|voters|"
    r"protesters?|demonstrators?|activists?|critics|supporters?|opponents?|members?|workers?|"
    r"unions?|employees|staff|doctors?|medics?|nurses?|teachers?|students?|farmers?|traders?|"
    r"experts?|analysts?|observers?|researchers?|scientists?|economists?|journalists?|"
    r"reporters?|correspondents?|editors?|lawyers?|attorneys?|prosecutors?|judges?|courts?|"
    r"investigators?|rebels?|militants?|fighters?|insurgents?|separatists?|militias?|"
    r"negotiators?|mediators?|delegates?|delegation|representatives?|residents|neighbo(?:u)?rs|"
    r"organi[sz]ers?|company|firm|bank|statement|report|survey|poll|study|ministers?)\b",
    re.IGNORECASE,
)


_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow".split()
)
_QUOTE_MARKS = "\"'“”‘’«»„"


def is_pronoun(text: str | None) -> bool:
    """A pronoun, a first or second person, or a demonstrative standing for a speaker."""
    return bool(text) and text.strip().lower() in PRONOUNS  # type: ignore[union-attr]


def _words(text: str) -> set[str]:
    """The words of a name or role, possessives as their owner ("Minister's" is "minister")."""
    words = (_POSSESSIVE.sub("", m).casefold() for m in _WORD.findall(text))
    return {w for w in words if w and w not in _STOP}


# an unnamed official: "the spokesperson", "a spokeswoman", "the minister"
_BARE_OFFICE = re.compile(
    r"^(?:the|a|an)\s+((?:(?:deputy|chief|senior|top|foreign|defen[cs]e|press)\s+)*"
    r"(?:spokes(?:man|woman|person)|minister|ministry|secretary|official|envoy|ambassador|"
    r"embassy|mission|delegation|statement|office|government|presidency))$",
    re.IGNORECASE,
)
_TAKES_THE = re.compile(
    r"\b(?:United|Union|Republic|Kingdom|States|Nations|League|Netherlands|Philippines|"
    r"Emirates|Islands|Holy See|Vatican|Gambia|Bahamas|Maldives)\b"
)


# a body belongs to its state, a paper is issued by it; a person speaks for it
_BODY = re.compile(r"(?:ministry|embassy|mission|delegation|office|government|presidency)$")
_PAPER = re.compile(r"statement$")


def _for_side(office: str, side: str) -> str:
    """ "a spokesperson for the United States", "an envoy for Iran", "the foreign ministry of
    Indonesia", "a statement by the United Kingdom"."""
    office = office.lower()
    where = f"the {side}" if _TAKES_THE.search(side) else side
    if _BODY.search(office):
        return f"the {office} of {where}"
    article = "an" if office[:1] in "aeiou" else "a"
    return f"{article} {office} {'by' if _PAPER.search(office) else 'for'} {where}"


def present(statement: EventStatement) -> tuple[str | None, str | None]:
    """(name, role) as shown for a statement's speaker; the name is None when nobody can be
    named (a pronoun that was never resolved and no role to stand in for it)."""
    return present_fields(
        statement.actor, statement.speaker, statement.role, statement.side, statement.commentary
    )


@functools.lru_cache(maxsize=4096)
def present_fields(
    actor_text: str | None,
    speaker: str | None,
    role_text: str | None,
    side: str | None,
    commentary: bool,
) -> tuple[str | None, str | None]:
    """:func:`present` of a statement's speaker fields (the web archive's search hits have no
    EventStatement). Cached: one speaker says many things, and a page asks for the same few
    speakers many times."""
    actor = _speaker_name(actor_text)
    written = _speaker_name(speaker)
    role = clean_name(role_text)
    if actor and written and written.casefold() == "the " + actor.casefold():
        actor = written  # "The West" resolved to "West": the name is written with its article
    name = None
    for candidate in (actor, written):
        if candidate and not is_pronoun(candidate):
            name = candidate
            break
    if role is not None and is_pronoun(role):
        role = None
    if name is None:
        # "he" with no antecedent: the role ("the Foreign Minister of Iran") stands in for him
        name, role = role, None
    bare = _BARE_OFFICE.match(name) if name else None
    if bare is not None and side and not commentary:
        name = _for_side(bare.group(1), side)
        if role is not None and _BARE_OFFICE.match(role):
            role = None
    if name is None:
        return None, None
    if role is not None:
        role_words, name_words = _words(role), _words(name)
        if not role_words or role_words <= name_words:
            role = None  # "the UN chief, the UN chief"; "Okafor, UN Assistant Secretary-General"
        elif name_words and name_words <= role_words and len(name_words) >= 2:
            # "Assistant Secretary-General Daniel Okafor" given as the role of Daniel Okafor
            role = _without(role, name) or None
        if role is not None and name.casefold() in role.casefold():
            role = _without(role, name) or None
    if side is None and role is not None and past_offices_only(role) and not _FORMER.match(role):
        # the gazetteer's past office of a person no party on the day (Gazetteer.as_of):
        # "former President of the United States (2009-2017)", not a title the reader takes
        # for the present one (in the year a term ended, the side and the role stay as written)
        role = "former " + role
    return name, role


def _without(role: str, name: str) -> str | None:
    """``role`` with ``name`` (or its last word) taken out: "US Deputy Ambassador Robert Hale"
    -> "US Deputy Ambassador"."""
    index = role.casefold().find(name.casefold())
    if index < 0:
        last = name.split()[-1]
        index = role.casefold().find(last.casefold())
        if index < 0:
            return role
        rest = (role[:index] + role[index + len(last) :]).strip(" ,")
    else:
        rest = (role[:index] + role[index + len(name) :]).strip(" ,")
    return clean_name(rest)
