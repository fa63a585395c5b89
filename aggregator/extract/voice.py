"""Whose voice a statement is: the one decision of a speaker's side, and whether they are a party.

Parties are states, governments and their officials, international organisations and their
officials, and armed groups. Journalists, outlets, columnists, academics, experts and NGOs are
no party: they are *commentary* and never get a side, whatever country they write from. Citizens,
witnesses and the like are neither: no side, not commentary (the digest's "Others").

:func:`decide` is the only place a side is chosen. Its rules, in order of precedence:

1. **Gazetteer actor** - the mention (or the personal name inside it) is a known actor: its side;
   an outlet (kind ``media``) or an NGO is commentary. A known person who is no party on the
   text's day (every office past, or outside every term: ``Gazetteer.as_of``) goes on to the
   rules below, as anyone the gazetteer does not place ("former President Obama": 3b;
   "Canadian Industry Minister Mélanie Joly": 4).
2. **Description** - "the Russian foreign minister" is a description the gazetteer knows.
3. **Commentator** - the mention or its role names a commentator's trade or body ("a Polish
   expert on hybrid threats", "a Sciences Po academic", "The Jerusalem Post", "rights group").
3b. **Former office** - an office the mention or its role gives as past ("retired U.S. Army Gen.
   Jack Keane", "a former Israeli ambassador") makes no party: its holder speaks for no state
   today (nor is a commentator by trade).
3c. **A people** - a bare plural demonym ("Iranians say …", "Americans believe …") is a nation's
   people, no party (not "the Iranians", who may be its negotiators).
4. **Place** - a place term in the mention or its role, read with its preposition: "Russia's
   ambassador", "the Iranian foreign ministry", "officials in Kyiv" give the place's side;
   "ambassador to the United States", "protests against Russia", "envoy for Ukraine" do not.
   A US legislator's party-and-state tag ("Rep. Jane Roe (R-Pa.)") is the United States.
   A place makes a party only with an office, a state body or the state itself ("Iran said",
   "Israeli police", "the Kremlin", "the Palestinian Presidency", "the Palestinian Jerusalem
   Governorate"); "a Ukrainian refugee" gets no side. So does a known party's possessive with an
   office ("Macron's office"), and a group named after its kind is its own side ("Palestinian
   group Hamas"). State media are outlets (rule 3), not their state.
4b. **Context** - a mention that rules 1-4 leave undecided: a definite back-reference ("the
   group", "the ministry", "the FO") takes the standing of the body named before it; a state
   body with no state ("the police", "the Election Commission") the dateline's state; a bare
   ministry, foreign office or named minister the source's own ``country`` (done by the resolver
   with :mod:`aggregator.extract.bodies`, calling this function on the phrase it finds).
4c. **Self-naming** - an official whose side rules 1-4b leave undecided and whose own words name
   a state as the subject of a stance ("'Pakistan calls on the international community …,' the
   spokesperson added") speaks for that state (done in :mod:`aggregator.extract.statements`,
   which reads the statement's words).
5. **Link to a named person** - a surname, a pronoun or a description takes the standing of the
   person it refers to (done by the resolver in :mod:`aggregator.extract.coref`, which remembers
   each person's decided standing).
6. **The official source's own voice** - in an article of an official source: its first person
   ("We, the Allies, condemn …"), its unnamed officials ("the spokesperson", "the
   Secretary-General"), and the unattributed body of its statement or release, speak for the
   source's side.
7. Otherwise: no side, not commentary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.extract.sides import Actor, Gazetteer

FIRST_PERSON = frozenset("i we us our my me ours".split())


@dataclass(frozen=True, slots=True)
class SourceVoice:
    """The source an article came from: its publisher, for an official source its side, and the
    state it is based in (``country``, a side as the gazetteer names it), if configured."""

    publisher: str
    side: str | None = None
    official: bool = False
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Standing:
    """A speaker's side, whether they are commentary, and the rule that decided it."""

    side: str | None
    commentary: bool = False
    rule: str = "unknown"


UNKNOWN = Standing(None)

# what a state's regulators oversee: a "data watchdog" is a state body (_OFFICE), a "rights
# watchdog" an NGO (_COMMENTATOR)
# (not "election" or "consumer": Golos and Which? are called so too)
_REGULATED = (
    "data protection privacy competition antitrust nuclear financial markets banking energy "
    "audit aviation police"
).split()
# trades and bodies whose people comment rather than act for a party
_COMMENTATOR = re.compile(
    r"\b(?:journalists?|reporters?|correspondents?|columnists?|commentators?|editors?|"
    r"editorial|pundits?|analysts?|experts?|academics?|scholars?|professors?|lecturers?|"
    r"researchers?|fellows?|historians?|economists?|political scientists?|sociologists?|"
    # "an India specialist at Sciences Po", "the Center for International Studies" (not
    # "Russian military specialists", a state's own)
    r"specialists?(?=\s+(?:at|with|from)\b)|studies|"
    r"authors?|writers?|novelists?|bloggers?|podcasters?|broadcasters?|presenters?|"
    r"think[- ]tanks?|institutes?|universit(?:y|ies)|college|school of|faculty|"
    + "".join(rf"(?<!{domain} )" for domain in _REGULATED)  # a state's watchdog is an office
    + r"watchdogs?|rights groups?|advocacy|activists?|campaigners?|charit(?:y|ies)|"
    r"ngos?|non-governmental|nonprofits?|non-profits?|foundation|"
    r"newspapers?|magazines?|tabloids?|broadsheets?|outlets?|news (?:site|website|agency)|"
    r"(?<!social )media(?! (?:wing|office|adviser|advisor|department|cell|unit|cent(?:re|er)))|"
    r"press agency|tv|television|radio|channel|broadcasters?)\b",
    re.IGNORECASE,
)
# words that end an outlet's name, capitalised ("The Jerusalem Post", "Sky News")
_OUTLET_NAME = re.compile(
    r"\b(?:Post|Times|Journal|Herald|Tribune|Gazette|Telegraph|Guardian|Daily|Monitor|"
    r"Economist|Reuters|Bloomberg|Axios|Politico|News|Today|Magazine|Review|Observer|"
    r"Independent|Express|Mirror|Chronicle|Standard|Mail|Star|Sun|Inquirer|Dispatch)\b"
)


# offices, state bodies and the words that make a place's speaker a party
_OFFICE = re.compile(
    r"\b(?:presidents?|presidency|prime ministers?|premiers?|chancellors?|ministers?|"
    r"ministr(?:y|ies)|secretar(?:y|ies)|spokes(?:man|woman|men|women|person|persons|people)|"
    r"ambassadors?|envoys?|diplomats?|diplomatic|embass(?:y|ies)|consul(?:ate)?s?|officials?|"
    r"authorit(?:y|ies)|"
    r"government|governments|administration|cabinet|parliament|parliamentary|lawmakers?|"
    r"legislators?|senators?|congress(?:man|woman)?|mps?|deput(?:y|ies)|leaders?|leadership|"
    r"kings?|queens?|princes?|emirs?|sheikhs?|sultans?|monarch|crown prince|regime|junta|"
    r"military|army|armed forces|forces|troops|soldiers|navy|air force|defen[cs]e|generals?|"
    r"commanders?|police|security (?:services?|forces|council|chief)|intelligence|foreign office|"
    r"state (?:agency|department)|governorate|commissions?|tribunals?|bureau|"
    r"anti-corruption|politicians?|"
    r"mission|delegation|delegates?|negotiators?|mayor|governor|council|agency|office|"
    r"prosecutors?|judiciary|courts?|side|palace|kremlin|white house|pentagon|downing street|"
    r"élysée|elysee|rebels?|militants?|militias?|fighters|guards?|chiefs?|heads?|directors?|"
    r"representatives?|coordinators?|commissioners?|rapporteurs?|regulators?|"
    # a regulator the news calls a watchdog ("Nigeria's data watchdog", "the UN nuclear
    # watchdog"); a rights or press-freedom watchdog is an NGO (_COMMENTATOR)
    r"(?:" + "|".join(_REGULATED) + r") watchdogs?)\b",
    re.IGNORECASE,
)
# a body or a panel is an organ of an intergovernmental organisation or of a state's own
# institutions ("an independent United Nations body", "a US Senate panel"); not a trade,
# industry, student or scientific one ("a Chinese industry body" speaks for no state)
_ORGAN = re.compile(
    r"\b(?:United Nations|U\.?N\.?|EU|European Union|NATO|African Union|OSCE|Council of "
    r"Europe|intergovernmental|government(?:al)?|parliamentary|Senate|congressional|"
    r"legislative|state)(?:\s+[\w-]+)?\s+(?:bod(?:y|ies)|panels?)\b"
)
_PERSON_OFFICE = re.compile(
    r"\b(?:spokes(?:man|woman|person)|secretary|secretary-general|president|minister|"
    r"ambassador|envoy|chief|director|head|commander|official|representative|chair(?:man|woman)?|"
    r"high commissioner|rapporteur|coordinator)\b",
    re.IGNORECASE,
)


def is_commentator(text: str | None) -> bool:
    """Whether a mention or role names a commentator's trade or body ("a Polish expert",
    "the NGO's co-director", "The Jerusalem Post", "Sky News")."""
    if not text:
        return False
    return _COMMENTATOR.search(text) is not None or _OUTLET_NAME.search(text) is not None


# offices written short, in capitals as headlines and leads write them ("Qatar's PM", "the
# Pakistani FM"; not "5 pm")
_OFFICE_SHORT = re.compile(r"(?<![\w.])(?:PM|FM|DPM)(?![\w.])")


def has_office(text: str | None) -> bool:
    """Whether a mention or role names an office, a state body or the state's own voice."""
    if not text:
        return False
    return (
        _OFFICE.search(text) is not None
        or _ORGAN.search(text) is not None
        or _OFFICE_SHORT.search(text) is not None
    )


# an office given as past: "retired U.S. Army Gen.", "a former Israeli ambassador", "ex-minister"
# (the words between are the office's own, no possessive, whose apostrophe they cannot hold:
# "the former Soviet republic's foreign minister" holds an office today)
_FORMER_OFFICE = re.compile(
    r"\b(?:former|retired|ex-)\s*(?:[\w.-]+\s+){0,3}" + _OFFICE.pattern + r"(?![’']s)",
    re.IGNORECASE,
)


def _former_only(mention: str, role: str | None) -> bool:
    """Whether the mention or its role gives an office as past and neither names a current
    one beside it ("Defence Minister Jonas Petrauskas, a former army general": a minister)."""
    texts = [text for text in (mention, role) if text]
    return any(_FORMER_OFFICE.search(text) for text in texts) and not any(
        has_office(_FORMER_OFFICE.sub(" ", text)) for text in texts
    )


_POSSESSOR = re.compile(r"^(.*)[’']s\s+(\S.*)$")
_OF_PHRASE = re.compile(r"\b(?:of|for|at|in)\s+")


def _own_part(gazetteer: Gazetteer, text: str) -> str:
    """The part of a phrase that describes the speaker: after a possessor who is not a place
    ("Late Russian opposition leader Navalny's mother" -> "mother"), whole otherwise
    ("Russia's ambassador": the state's office)."""
    match = _POSSESSOR.match(text)
    if match is None:
        return text
    possessor = match.group(1)
    if gazetteer.is_place(possessor):
        return text
    # an office of a place's body ("head of the U.K.'s intelligence agency"), but not someone
    # close to a place's officer ("the mother of Russia's opposition leader")
    parts = _OF_PHRASE.split(possessor)
    if len(parts) > 1 and gazetteer.is_place(parts[-1]) and has_office(parts[0]):
        return text
    return match.group(2)


# a group named after its kind: "Palestinian group Hamas", "the militant group Hezbollah"
_NAMED_GROUP = re.compile(
    r"\b(?:group|movement|militias?|factions?|organi[sz]ation|alliance)\s+(\S.*?)$",
    re.IGNORECASE,
)


def _office_owner(gazetteer: Gazetteer, mention: str) -> str | None:
    """The side of a known party whose office the mention names: "Macron's office",
    "Putin's spokesman" (an owner's relative or lawyer is no office of theirs)."""
    match = _POSSESSOR.match(mention.strip())
    if match is None or not has_office(match.group(2)):
        return None
    owner = gazetteer.actor(match.group(1))
    if owner is None or owner.kind in {"media", "ngo"}:
        return None
    return owner.side


# a US legislator's party and state, as American papers tag them: "(D-Wash.)", "R-Texas",
# "I-Vt.", "D-N.Y."; no other country's press writes members this way
_US_STATES = (
    # AP style, then the postal codes
    "Ala Alaska Ariz Ark Calif Colo Conn Del Fla Ga Hawaii Idaho Ill Ind Iowa Kan Ky La Maine Md "
    "Mass Mich Minn Miss Mo Mont Neb Nev N.H N.J N.M N.Y N.C N.D Ohio Okla Ore Pa R.I S.C S.D "
    "Tenn Texas Utah Vt Va Wash W.Va Wis Wyo "
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split()
_CONGRESS_TAG = re.compile(
    r"(?<![\w-])[DRI]-(?:"
    + "|".join(re.escape(state) for state in sorted(_US_STATES, key=len, reverse=True))
    + r")\.?(?![\w-])"
)


def _place(gazetteer: Gazetteer, mention: str, role: str | None) -> str | None:
    """The side of a place that qualifies the speaker, in the mention or else its role; a group
    named after its kind is its own side ("Palestinian group Hamas" is Hamas); a US
    legislator's party-and-state tag is the United States ("Sen. Jane Roe, D-Ore.")."""
    if any(_CONGRESS_TAG.search(text) for text in (mention, role) if text):
        return gazetteer.place_side("U.S.")
    named = _NAMED_GROUP.search(mention)
    if named is not None and gazetteer.is_place(named.group(1)):
        return gazetteer.place_side(named.group(1))
    own_mention = _own_part(gazetteer, mention)
    for text in (own_mention, role and _own_part(gazetteer, role)):
        if not text:
            continue
        side = gazetteer.place_side(text)
        if side is None:
            continue
        if gazetteer.is_place(text) or has_office(text) or has_office(own_mention):
            return side
    return None


def decide(
    mention: str,
    role: str | None,
    gazetteer: Gazetteer,
    *,
    known: Actor | None = None,
    described: Actor | None = None,
    voice: SourceVoice | None = None,
) -> Standing:
    """The standing of one named (or described) speaker: see the module docstring for the order.

    ``known`` is the gazetteer actor the mention resolved to, ``described`` the actor a
    description resolved to; rule 5 (links) is the resolver's, which calls this once per person.
    """
    if known is not None:
        if known.kind in {"media", "ngo"}:
            return Standing(None, True, "gazetteer")
        if known.side is not None or known.kind != "person":
            return Standing(known.side, False, "gazetteer")
        # a known person who is no party on the text's day (an office past, or outside every
        # term: Gazetteer.as_of) is placed like anyone the gazetteer does not place, by what
        # the text says ("Canadian Industry Minister Mélanie Joly"; "former President Obama")
    if described is not None:
        return Standing(described.side, False, "description")
    if is_commentator(mention) or is_commentator(role):
        return Standing(None, True, "commentator")
    if _former_only(mention, role):
        return Standing(None, False, "former")
    if role is None and gazetteer.people(mention) is not None:
        # "Iranians say the crackdown killed thousands": a nation's people, not its state
        return Standing(None, False, "people")
    owner = _office_owner(gazetteer, mention)
    if owner is not None:
        return Standing(owner, False, "place")
    side = _place(gazetteer, mention, role)
    if side is not None:
        return Standing(side, False, "place")
    return own_voice(mention, role, voice)


# a state named as the subject of a stance it takes of itself, as an official's own words speak
# of their state: "Pakistan calls on …", "China reaffirms …", "The United States welcomes …"
# (not "rejects", "opposes", "demands": words as often said of an adversary)
_SELF_NAMED = re.compile(
    r"^[\s“\"‘']*(?:the\s+)?(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})\s+"
    r"(?:(?:strongly|firmly|categorically|unequivocally|once again|again|also|fully|deeply|"
    r"resolutely|consistently)\s+)?"
    r"(?:calls on|calls upon|condemns|reiterates|reaffirms|welcomes|expresses|"
    r"stands (?:ready|with|by)|remains committed|appreciates)\b"
)
# the speaker's own people in the words: then the state named is someone else's
_FIRST_PERSON_WORD = re.compile(r"\b(?:we|our|us|ours)\b", re.IGNORECASE)


def self_named(content: str, gazetteer: Gazetteer) -> str | None:
    """Rule 4c: the state an unplaced official's own words name as the subject of a stance it
    takes of itself ("'Pakistan calls on the international community …,' the spokesperson
    added": Pakistan). Official statements speak of their own state in the third person; words
    that also say "we" or "our" speak of another state ("Russia condemns us …")."""
    match = _SELF_NAMED.match(content)
    if match is None or not gazetteer.is_place(match.group("name")):
        return None
    if _FIRST_PERSON_WORD.search(content) is not None:
        return None
    return gazetteer.place_side(match.group("name"))


# an official source's own bodies and papers, named without a name of their own
_OWN_BODY = re.compile(
    r"(?:the\s+|a\s+|an\s+|its\s+)?(?:(?:foreign|defen[cs]e|press|information)\s+)*"
    r"(?:ministry|government|presidency|department|embassy|mission|secretariat|office|cabinet|"
    r"council|statement|note(?: of protest)?|letter|communiqu[eé]|declaration|readout|release|"
    r"message|comment|notice)(?:\s+of\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)?$",
    re.IGNORECASE,
)


def is_own_body(mention: str) -> bool:
    """A body or paper named without a name of its own ("the Ministry", "a note of protest"):
    on an official source it is the source itself."""
    match = _OWN_BODY.match(mention.strip())
    return match is not None and " of " not in mention.lower().replace("note of protest", "")


def own_voice(mention: str | None, role: str | None, voice: SourceVoice | None) -> Standing:
    """Rule 6: the official source's first person, unnamed officials and unattributed body."""
    if voice is None or not voice.official or voice.side is None:
        return UNKNOWN
    if mention is None:
        return Standing(voice.side, False, "source")
    written = mention.strip().lower()
    if written in FIRST_PERSON or written.startswith(("we,", "we ")):
        return Standing(voice.side, False, "source")
    if _OWN_BODY.match(mention.strip()):
        # "the Ministry", "the Ministry of Defence", "a note of protest", "the statement": the
        # source's own bodies and papers (a place in them was read by rule 4 already)
        return Standing(voice.side, False, "source")
    if written.startswith("the ") and _PERSON_OFFICE.search(mention) and " of " not in written:
        # "the spokesperson", "the Secretary-General": the source's own officials
        return Standing(voice.side, False, "source")
    if role and _PERSON_OFFICE.search(role) and not is_commentator(role):
        return Standing(voice.side, False, "source")
    return UNKNOWN
