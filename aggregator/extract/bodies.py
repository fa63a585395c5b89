"""Bodies named before, and the story's own state: context for a speaker that names no party.

Two readings of the text around a mention, used by the resolver (:mod:`aggregator.extract.coref`)
when a mention alone decides nothing:

* **Back-references.** A definite description of a body ("the group", "The civil defence
  agency", "the ministry", "the statement") or an acronym ("the FO", "FO") stands for the nearest
  body of that kind named before it in the text ("Palestinian group Hamas", "Gaza's civil
  defence agency", "Indonesia's foreign ministry", "a statement by the Foreign Office (FO)").
  :func:`antecedents` lists the candidate phrases, nearest first; the resolver takes the first
  one the side rules decide. A joint paper ("the joint statement") refers to no one body.
* **The dateline.** A state body named without its state ("the police", "the Election
  Commission", "Army spokesperson X") belongs to the state of the story's dateline
  ("JAKARTA: …", "DHAKA (Reuters) - …"): :func:`dateline_side`. A dateline naming two places
  ("JERUSALEM / ISLAMABAD:") gives none.

False-positive policy: only a definite reference looks back, only as far as
:data:`LOOK_BACK` characters, and a phrase counts only if the side rules decide it on its own;
the dateline is read only for the state bodies :data:`STATE_BODY` names, never for a person's
own title (an unplaced "Planning Minister" may be any state's).

* **The source's own state.** A paper based in a state names that state's ministers and
  foreign office bare ("the Foreign Office (FO)", "Planning Minister X" in a Pakistani paper):
  with the source's ``country`` configured, a ministry, the foreign office or a *named* minister
  that nothing else places is that state's (:data:`HOME_OFFICE`); a bare "the minister" is not.
"""

from __future__ import annotations

import re

from aggregator.extract.sides import Gazetteer

#: how far back (characters) a back-reference looks for its body
LOOK_BACK = 4000

_BODY_NOUNS = (
    r"group|movement|agency|ministry|office|commission|court|tribunal|police|army|military|"
    r"presidency|government|council|committee|department|authority|bureau|governorate|"
    r"prosecutors?|prosecution|service|statement|release|readout|communiqu[eé]|"
    # a body's voice: "the spokesperson" is the one named before ("the Foreign Office
    # spokesperson", "Kremlin spokesman Dmitry Peskov")
    r"spokes(?:person|man|woman)"
)
_PAPERS = frozenset({"statement", "release", "readout", "communique", "communiqué"})
_BACK_REFERENCE = re.compile(
    rf"^(?:the|this|that)\s+((?:[\w’'-]+\s+){{0,3}}?)({_BODY_NOUNS})$", re.IGNORECASE
)
_ACRONYM = re.compile(r"^(?:[Tt]he\s+)?([A-Z]{2,6})(?:\s+(?:statement|release|spokes\w+))?$")
# the words before a body's head noun in its own phrase: no punctuation, no line break; from
# its last article on ("announced by the Chilean Foreign Ministry" -> "the Chilean …")
_PHRASE_BEFORE = re.compile(r"((?:[\w’'-]+ ){0,5})$")
_FROM_ARTICLE = re.compile(r"^.*\b(?=(?:the|a|an) )", re.IGNORECASE)
_NAME_AFTER = re.compile(r"^(?:\s+[A-Z][\w’'-]+){1,3}")
_PAPER_OF = re.compile(
    r"^\s+(?:issued\s+)?(?:by|of|from)\s+((?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,4}(?:\s+\([A-Z]{2,6}\))?)"
)
# whose voice a spokesperson is: "a spokesperson for the Prime Minister"
_VOICE_OF = re.compile(r"^\s+((?:for|of|at)\s+(?:the\s+)?[\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})")
# "In a statement issued today, the FO said": the clause's subject issued it
_PAPER_SUBJECT = re.compile(
    r"^[^.,\n]{0,40},\s+((?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,3}?)\s+"
    r"(?:said|says|added|stated|noted|announced)\b"
)

#: a national government's offices, which a paper names bare when they are its own state's
#: ("the Foreign Office", "Planning Minister X" in a paper based in that state)
HOME_OFFICE = re.compile(r"\b(?:ministers?|ministry|foreign office)\b", re.IGNORECASE)

#: state bodies that take the state of the story's dateline when no state is named
STATE_BODY = re.compile(
    r"\b(?:police|courts?|tribunal|election commission|electoral commission|prosecutors?|"
    r"prosecution|army|military|armed forces|coast guard|border guard|ministry|foreign office|"
    r"presidency|cabinet|parliament|authorities)\b",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"(?m)^([A-Z][A-Z .'’/-]{2,40}?)(?:,[^\n:]{0,30})?(?:\s*\([^)\n]{1,30}\))?\s*(?::|—|–|-)\s"
)


def antecedents(text: str, mention: str, position: int) -> list[str]:
    """The phrases a definite back-reference or acronym may stand for, nearest first."""
    written = " ".join(mention.split())
    acronym = _ACRONYM.match(written)
    if acronym is not None:
        return _expansions(text, acronym.group(1), position)
    match = _BACK_REFERENCE.match(written)
    if match is None or "joint" in match.group(1).lower():
        return []
    noun = match.group(2).lower()
    start = max(0, position - LOOK_BACK)
    found: list[str] = []
    for head in reversed(list(re.finditer(rf"\b{noun}\b", text[start:position], re.IGNORECASE))):
        head_start, head_end = start + head.start(), start + head.end()
        before = _PHRASE_BEFORE.search(text[max(0, head_start - 80) : head_start])
        words = _FROM_ARTICLE.sub("", before.group(1)) if before else ""
        after = text[head_end : head_end + 80]
        if noun in _PAPERS:
            paper_of = _PAPER_OF.match(after) or _PAPER_SUBJECT.match(after)
            if paper_of is not None:
                found.append(paper_of.group(1))
            continue
        named = _NAME_AFTER.match(after)
        phrase = (words + text[head_start:head_end] + (named.group(0) if named else "")).strip()
        if noun.startswith("spokes"):
            # a voice is the nearest one named, whoever's it is ("a spokesperson for the former
            # royal … the spokesperson said": the royal's, not a ministry's named further back)
            whose = _VOICE_OF.match(after)
            if whose is not None:
                phrase = f"{phrase} {whose.group(1)}"
            return [phrase] if phrase.lower() != written.lower() else []
        if phrase.lower() != written.lower():
            found.append(phrase)
    return found


def _expansions(text: str, acronym: str, position: int) -> list[str]:
    """ "the Foreign Office (FO)": the words an acronym was introduced with, nearest first."""
    found = []
    for intro in reversed(list(re.finditer(rf"\(\s*{acronym}\s*\)", text[:position]))):
        before = _PHRASE_BEFORE.search(text[max(0, intro.start() - 80) : intro.start()])
        words = _FROM_ARTICLE.sub("", before.group(1)).strip() if before else ""
        if words:
            found.append(words)
    return found


# a dateline in a seat of international bodies ("BRUSSELS:") tells the host state's story as
# often as the body's: it gives no side
_SEATS = frozenset({"European Union", "United Nations", "NATO"})


def dateline_side(text: str, gazetteer: Gazetteer) -> str | None:
    """The side of the place of the story's dateline, if it has one place and is a state's."""
    match = _DATELINE.search(text[:1500])
    if match is None or "/" in match.group(1):
        return None
    place = match.group(1).strip().title()
    side = gazetteer.place_side(place) if gazetteer.is_place(place) else None
    return None if side in _SEATS else side
