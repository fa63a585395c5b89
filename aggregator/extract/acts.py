"""A report's lead told as a party's act: "Peru's Congress has voted to remove …".

Many feeds carry a report's lead and nothing more: one sentence that says what a government, a
parliament or an organisation *did*, with no one quoted. Such a report has no statement, and a
digest that only shows statements cannot carry it, however many outlets report it. When an
article yields no statement at all, its first sentence becomes the statement of the party that
acted, if

* its subject is a party that names its side itself: it resolves, as any speaker does
  (aggregator.extract.voice), to a side, is no commentator, and is a known person or names a
  place besides a body's bare name ("Peru's Congress", "Canadian Prime Minister Mark Carney",
  "Sri Lanka's parliament"; not "Police", "Congress", "The company", "Analysts");
* its verb, right after the subject (an auxiliary, an adverb or a day between), active, is an
  act of state in the
  lists below: a decision ("voted to", "banned", "imposed", "sanctioned"), an appointment or a
  removal, an inquiry ("opened an investigation", "is investigating"), a measure of force
  ("deployed", "struck"), a diplomatic act ("summoned", "expelled", "recognised"); or taking
  office, the one passive that is the state's act ("has been sworn in", "was elected").

The statement is the whole sentence from its subject on, kind "indirect", with the verb as its
cue: the digest shows the sentence as written ("Peru's Congress has voted to remove interim
President José Jerí from office.") in the party's column, and its summary is that sentence.
Verbs of speech are not here: a cue word the reader knows made a statement already.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aggregator.extract.content import content_words
from aggregator.extract.coref import Resolver
from aggregator.extract.cues import CLAUSE_FORMS, PHRASAL_FORMS, SAY_FORMS, inflect
from aggregator.extract.lexicon import (
    ACT_VERBS,
    AUXILIARIES,
    BE,
    INTRANSITIVE_ACTS,
    MODALS,
    OFFICE_FORMS,
    OFFICE_WORDS,
    SINGLE_TITLES,
    WEEKDAY_PATTERN,
    alternation,
)
from aggregator.extract.sides import Gazetteer, office_follows
from aggregator.extract.speakers import find_subject
from aggregator.extract.text import blocks, sentences
from aggregator.extract.voice import SourceVoice
from aggregator.model import Statement

# forms of the act verbs (lexicon.ACT_VERBS) that are more often nouns or adjectives than a
# lead's verb
_NOT_VERBS = frozenset({"end", "ends", "open", "opens", "free", "close", "closes", "rule", "rules"})
# for a verb not in INTRANSITIVE_ACTS, a bare past before a preposition or "by" is a passive
# headline ("X sentenced to …")
_PREPOSITIONS = frozenset(
    "by in to after for over at on from with as amid against of into under during".split()
)


def _forms(lemma: str) -> tuple[str, str, str]:
    """Third person, past and -ing forms (lexicon.IRREGULAR_FORMS where inflect would err)."""
    forms = inflect(lemma)
    return forms[1], forms[2], forms[3]


#: an act verb's forms ("expels", "expelled", "expelling") to its lemma
ACT_LEMMAS: dict[str, str] = {form: lemma for lemma in ACT_VERBS for form in _forms(lemma)}
_ACT_BASES = frozenset(ACT_VERBS)  # the act verbs as the lexicon lists them ("expel")


# a form the reader takes for speech ("rejected", "charged") is never an act's: an act is told
# by its cue, its kind and its start at its subject (is_act)
_SPEECH = frozenset(SAY_FORMS) | frozenset(CLAUSE_FORMS) | frozenset(PHRASAL_FORMS)
ACT_FORMS = (frozenset(ACT_LEMMAS) | frozenset(OFFICE_FORMS)) - _SPEECH
_FINITE = sorted(
    {f for lemma in ACT_VERBS for f in _forms(lemma)[:2]} - _NOT_VERBS - _SPEECH, key=len
)
_PROGRESSIVE = sorted({_forms(lemma)[2] for lemma in ACT_VERBS} - _SPEECH, key=len)
# the third person ("bans") or the past ("banned") after an optional "has"/"have"/"had" and one
# adverb: "has voted", "have quietly ended", "voted"; the -ing form after "is"/"are": "is
# investigating"
ACT = re.compile(
    r"(?<![\w’'-])(?:(?:has|have|had)\s+(?:[a-z]+ly\s+)?)?(?P<verb>"
    + "|".join(reversed(_FINITE))
    + r")(?![\w’'-])"
    + r"|(?<![\w’'-])(?:is|are|was|were)\s+(?P<ing>"
    + "|".join(reversed(_PROGRESSIVE))
    + r")(?![\w’'-])"
    # taking office, the one passive that is the state's act: "has been sworn in as …" (not
    # "is elected every four years": a rule, not an act)
    + r"|(?<![\w’'-])(?:(?:has|have|had)\s+been|was|were)\s+(?:[a-z]+ly\s+)?(?P<office>"
    + "|".join(form.replace(" ", r"\s+") for form in OFFICE_FORMS)
    + r")(?![\w’'-])"
)
# a sentence whose first verb is a modal or a copula says what may be, not what was done
_OTHER_VERB = re.compile(
    r"(?<![\w’'-])(?:"
    + alternation(tuple(sorted(MODALS | BE - {"being"})))
    + r"|plans?|wants?|seeks?|hopes?|aims?)(?![\w’'-])",
)
# a body's bare name is every country's: "Congress voted to impeach …" in a report on Peru
_GENERIC_BODIES = frozenset(
    "congress parliament senate assembly government cabinet court police army military "
    "ministry lawmakers legislators regulators authorities officials prosecutors judges "
    "the".split()
)
_JOINED = re.compile(r"(?<![\w’'-])(?:and|or|nor|with)$|&$", re.IGNORECASE)
_QUOTE_MARK = re.compile(r"[“”„«»\"]")
_LATER = re.compile(
    r"(?<![\w’'-])(?:next\s+(?:week|month|year)|tomorrow|later\s+this\s+\w+)(?![\w’'-])",
    re.IGNORECASE,
)
# set off by spaces: a dash inside a name ("Bosnia–Herzegovina") is no dateline's end
_DATELINE_MARKS = (" -- ", " \u2013 ", " \u2014 ", "] ")
# between the subject and its verb: an auxiliary, adverbs, a day ("on Tuesday"), commas
_BETWEEN = re.compile(
    r"(?:\s|,)*(?:(?:on\s+)?(?:" + WEEKDAY_PATTERN + r"|today|yesterday)\s*,?\s*)?(?:[a-z]+ly\s+)?",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"[’']s?$")
# a place in the possessive, then what is its: "Germany's Deutsche Bahn", "Iran's protests"
_OWNED = re.compile(r"[^’']+[’']s\s+(.+)$")
# what of a state's can act for it: an office (the titles' words, OFFICE_WORDS), a body (the
# bodies' bare names and these), its forces
_OFFICES = (
    frozenset(
        "ministry government watchdog regulator regulators authority authorities official "
        "officials presidency military navy forces troops guards court judges prosecutor "
        "cabinet embassy diplomats delegation senate lawmakers legislature agency commission "
        "council regime force service services central "
        # legislatures and security services the news names by their own names
        "knesset duma bundestag bundesrat sejm diet rada majlis fsb sbu svr gru mossad".split()
    )
    | SINGLE_TITLES
    | OFFICE_WORDS
    | _GENERIC_BODIES
) - {"the"}
_NEXT_WORD = re.compile(r"\s*([\w’'-]+)")
# what a plural noun does in a headline ("Gaza strikes continue", "Iran sanctions bite"): after a
# third person that is also a noun, one of these makes it the noun
# (not those that are as often an act's object: "fuel", "force", "push", "claim", "target")
_NOUN_VERBS = frozenset(
    "continue kill hit bite stall rise fall mount grow loom fail begin intensify escalate "
    "leave raise hurt ease widen deepen worsen injure wound pound damage destroy disrupt "
    "threaten trigger weigh cause squeeze cripple collapse falter drag resume".split()
)
_MIN_WORDS = 6
_MAX_SUBJECT_WORDS = 10
_LEAD_BLOCKS = 2


def is_act(statement: Statement) -> bool:
    """Whether a statement is a lead told as an act: reported (not quoted), opening with its
    subject, its cue an act's verb (which no cue of the speech lexicon is). It quotes no one."""
    return (
        statement.kind == "indirect"
        and statement.start == statement.speaker_start
        and statement.cue is not None
        and " ".join(statement.cue.lower().split()) in ACT_FORMS
    )


def quoted_actors(statements: Iterable[Statement]) -> list[str]:
    """The canonical actors an article's statements quote, acts aside (a lead told as an act
    quotes no one: its subject is in the text already): extra evidence for its event."""
    return sorted({s.actor for s in statements if s.actor and not is_act(s)})


def _active(flat: str, match: re.Match[str], verb: str, e: int) -> bool:
    """Whether the act's verb is active and a verb: a bare past before "by" or a preposition
    is a passive headline ("X sentenced to …", "ousted in a vote"), unless the verb takes one
    ("voted to"); a third person before a preposition is a noun ("US sanctions on Iran …"),
    unless the verb takes no object ("arrives in", "votes to")."""
    after = _NEXT_WORD.match(flat, match.end(), e)
    following = after.group(1).lower() if after else ""
    if match.group("verb") and match.group(0) == verb and _verb_follows(following):
        third, past, _ = _forms(ACT_LEMMAS[verb])
        if verb == third != past:
            return False  # a plural noun before its verb: "Gaza strikes continue"
    if following not in _PREPOSITIONS:
        return True
    if match.group("office"):
        return following != "by"  # "appointed by the Kremlin": the act is another's
    if match.group("ing"):
        return True
    lemma = ACT_LEMMAS[verb]
    auxiliary = match.group(0) != verb  # "has voted": a perfect is active
    third, past, _ = _forms(lemma)
    if verb == third and verb != past:
        # a noun ("US sanctions on Iran"), unless the act takes no object, so that its
        # preposition is its own: a headline's present ("Qatar's prime minister arrives in
        # Caracas", "Peru's Congress votes to remove …"); a vote is a noun before anything but
        # "to" ("Senate votes on the bill …" is read as no act)
        return (
            lemma in INTRANSITIVE_ACTS
            and following != "by"
            and (lemma != "vote" or following == "to")
        )
    return auxiliary or (lemma in INTRANSITIVE_ACTS and following != "by")


def _verb_follows(word: str) -> bool:
    """Whether ``word`` (lower case) is a verb a plural noun would take: an auxiliary, one of
    the verbs headlines give to strikes, sanctions and talks, in the present or the past
    ("Gaza strikes continue", "Russian strikes killed …"), or an act's verb in the past. An
    act's verb in the present is its object's noun as often ("Russia launches strike on …",
    "EU imposes ban on …"), so it is none."""
    if word in AUXILIARIES or word in _NOUN_VERBS:
        return True
    if not word.endswith("ed"):
        return False
    # "continued" -> "continue", "killed" -> "kill", "stopped" -> "stop"
    bases = (word[:-1], word[:-2], word[:-3] if word[-3:-2] == word[-4:-3] else "")
    return any(base and (base in _NOUN_VERBS or base in _ACT_BASES) for base in bases)


def _names_its_side(written: str, actor: str | None, side: str, gazetteer: Gazetteer) -> bool:
    """Whether the subject itself names the side it was given: a known person of the gazetteer,
    or a place in its words besides a body's bare name ("Peru's Congress", not "The Congress
    in Lima", which the gazetteer's "Congress" would make the United States'). A name of its
    own after a possessive place is a company's or a body's the gazetteer does not know
    ("Germany's Deutsche Bahn", "France's Renault"), no state's, unless the gazetteer knows
    it as that side's; an office or a body's name before an office is the state's ("India's
    Supreme Court", "Britain's Labour government")."""
    known = gazetteer.actor(actor) if actor is not None else None
    if known is not None and known.kind == "person" and known.side == side:
        return True
    rest = " ".join(w for w in written.split() if w.lower() not in _GENERIC_BODIES)
    if not rest or gazetteer.place_side(rest) != side:
        return False
    owned = _OWNED.match(written)
    if owned is None or (known is not None and known.side == side):
        return True
    name = owned.group(1)
    return office_follows(" " + name) or any(
        word.lower().strip(".,") in _OFFICES for word in name.split()
    )


def lead_act(
    text: str,
    work: str,
    gazetteer: Gazetteer,
    voice: SourceVoice | None,
    *,
    min_words: int = _MIN_WORDS,
) -> list[Statement]:
    """The article's first sentence as its party's act, or nothing (see the module docstring).

    ``work`` is ``text`` normalised (aggregator.extract.text.normalise: same offsets). A
    sentence of fewer than ``min_words`` words is a heading or a byline, and the next is read
    (a headline read on its own is short by nature: aggregator.digest.headlines asks fewer)."""
    flat = work.replace("\n", " ")
    for block in [b for b in blocks(work) if b.kind == "body"][:_LEAD_BLOCKS]:
        for s, e in sentences(flat, block.start, block.end, []):
            if len(content_words(flat, s, e)) < min_words:
                continue  # a heading or a byline: try the next sentence
            found = _act(text, flat, s, e, gazetteer, voice)
            return [] if found is None else [found]
    return []


def _act(
    text: str, flat: str, s: int, e: int, gazetteer: Gazetteer, voice: SourceVoice | None
) -> Statement | None:
    match = ACT.search(flat, s, e)
    if match is None:
        return None
    other = _OTHER_VERB.search(flat, s, match.start())
    if other is not None:
        return None  # "Japan wants to …", "The bill is …": not an act, or not the first verb
    if _QUOTE_MARK.search(flat, s, match.end()) is not None:
        return None  # the words may be someone's ("The slogan “Iran seized a tanker” …")
    if _LATER.search(flat, s, e) is not None:
        return None  # what is to come is no act yet ("visits Washington next week")
    subject = find_subject(flat, s, match.start())
    if subject is None or isinstance(subject, str):
        return None
    start, end = subject.start, subject.end
    # a dateline or a source's tag before the subject ("[Outlet] Lima -- Peru's Congress …")
    cut = max((flat.rfind(mark, start, end), len(mark)) for mark in _DATELINE_MARKS)
    if cut[0] >= 0:
        start = cut[0] + cut[1]
        while start < end and not flat[start].isalnum():
            start += 1
    written = text[start:end]
    group = next(g for g in ("verb", "ing", "office") if match.group(g))
    verb_start, verb = match.start(group), match.group(group)
    cue = text[verb_start : match.end(group)]  # as written ("sworn\nin" in a wrapped text)
    # the subject opens the sentence, after at most a short adjunct ("On Tuesday, …"); the last
    # of several ("Iran and the United States reached …") speaks for none of them; the verb
    # follows it with nothing but an auxiliary, adverbs or a day between (not ", summoned by",
    # "has never voted")
    before = flat[s:start].rstrip()
    if (
        not written
        or len(written.split()) > _MAX_SUBJECT_WORDS
        or len(content_words(flat, s, start)) > 4
        or _JOINED.search(before) is not None
        or _BETWEEN.fullmatch(flat, end, match.start()) is None
        or _POSSESSIVE.search(written) is not None  # "Russia's strikes on …": a noun
    ):
        return None
    if not _active(flat, match, verb, e):
        return None
    if all(w.lower() in _GENERIC_BODIES for w in written.split()):
        return None
    resolved = Resolver(text, gazetteer, voice).resolve(written, subject.role, start)
    if resolved.side is None or resolved.commentary or resolved.kind == "unknown":
        return None
    if not _names_its_side(written, resolved.actor, resolved.side, gazetteer):
        return None
    stop = e
    while stop > start and flat[stop - 1].isspace():
        stop -= 1
    return Statement(
        text=text[start:stop],
        start=start,
        end=stop,
        kind="indirect",
        cue=cue,
        speaker=written,
        speaker_start=start,
        speaker_end=end,
        actor=resolved.actor,
        role=resolved.role or subject.role,
        side=resolved.side,
        commentary=False,
        cue_start=verb_start,
        cue_end=verb_start + len(cue),
    )
