"""A report's lead told as a party's act: "Peru's Congress has voted to remove …".

Many feeds carry a report's lead and nothing more: one sentence that says what a government, a
parliament or an organisation *did*, with no one quoted. Such a report has no statement, and a
digest that only shows statements cannot carry it, however many outlets report it. When an
article yields no statement at all, its first sentence becomes the statement of the party that
acted, if

* its subject is a party: it resolves, as any speaker does (aggregator.extract.voice), to a
  side, and is no commentator ("Peru's Congress", "Canadian Prime Minister Mark Carney",
  "Nigeria's data watchdog"; not "Police", "The company", "Analysts");
* its verb, the sentence's first finite one after the subject, is an act of state in the
  lists below: a decision ("voted to", "banned", "imposed", "sanctioned"), an appointment or a
  removal, an inquiry ("opened an investigation", "is investigating"), a measure of force
  ("deployed", "struck"), a diplomatic act ("summoned", "expelled", "recognised").

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
from aggregator.extract.sides import Gazetteer
from aggregator.extract.speakers import find_subject
from aggregator.extract.text import blocks, sentences
from aggregator.extract.voice import SourceVoice
from aggregator.model import Statement

# acts of state, as lemmas; the forms read are the third person ("bans") and the past ("banned"),
# after an optional "has"/"have"/"had" and one adverb, and the -ing form after "is"/"are"
ACT_VERBS = (
    # decisions of a legislature, a government or a court
    "vote impeach oust remove sack appoint nominate elect approve pass adopt ratify "
    "sign enact abolish ban outlaw bar block veto suspend lift revoke repeal extend end "
    "impose sanction designate order authorise authorize allocate grant "
    "overturn uphold rule convict sentence indict acquit pardon release free extradite deport "
    "expel summon recognise recognize launch unveil introduce halt resume restore "
    "cut freeze seize close reopen open investigate probe fine arrest detain"
    # force and diplomacy
    " deploy strike bomb shell invade withdraw evacuate intercept mobilise mobilize send "
    "host visit meet hold arrive travel sever establish upgrade downgrade reach examine review "
    # a stance taken as a policy ("Turkey opposes Somaliland's recognition")
    "oppose support"
).split()
# forms that are more often nouns or adjectives than a lead's verb
_NOT_VERBS = frozenset({"end", "ends", "open", "opens", "free", "close", "closes", "rule", "rules"})
_IRREGULAR = {
    "strike": ("strikes", "struck"),
    "cut": ("cuts", "cut"),
    "freeze": ("freezes", "froze"),
    "meet": ("meets", "met"),
    "withdraw": ("withdraws", "withdrew"),
    "bar": ("bars", "barred"),
    "ban": ("bans", "banned"),
    "outlaw": ("outlaws", "outlawed"),
    "sentence": ("sentences", "sentenced"),
    "send": ("sends", "sent"),
    "hold": ("holds", "held"),
}


def _forms(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    forms = inflect(lemma)
    return forms[1], forms[2]


# a form the reader takes for speech ("rejected", "charged") is never an act: the two are told
# apart by the cue alone (is_act)
_SPEECH = frozenset(SAY_FORMS) | frozenset(CLAUSE_FORMS) | frozenset(PHRASAL_FORMS)
ACT_FORMS = (
    frozenset(f for lemma in ACT_VERBS for f in (*_forms(lemma), inflect(lemma)[3])) - _SPEECH
)
_FINITE = sorted({f for lemma in ACT_VERBS for f in _forms(lemma)} - _NOT_VERBS - _SPEECH, key=len)
_PROGRESSIVE = sorted({inflect(lemma)[3] for lemma in ACT_VERBS} - _SPEECH, key=len)
# "has voted", "have quietly ended", "voted"; "is investigating", "are deploying"
ACT = re.compile(
    r"(?<![\w’'-])(?:(?:has|have|had)\s+(?:[a-z]+ly\s+)?)?(?P<verb>"
    + "|".join(reversed(_FINITE))
    + r")(?![\w’'-])"
    + r"|(?<![\w’'-])(?:is|are|was|were)\s+(?P<ing>"
    + "|".join(reversed(_PROGRESSIVE))
    + r")(?![\w’'-])"
)
# a sentence whose first verb is a modal or a copula says what may be, not what was done
_OTHER_VERB = re.compile(
    r"(?<![\w’'-])(?:will|would|could|should|may|might|must|can|plans?|wants?|seeks?|"
    r"hopes?|aims?|is|are|was|were|be|been)(?![\w’'-])",
)
# a body's bare name is every country's: "Congress voted to impeach …" in a report on Peru
_GENERIC_BODIES = frozenset(
    "congress parliament senate assembly government cabinet court police army military "
    "ministry lawmakers legislators regulators authorities officials prosecutors judges "
    "the".split()
)
_JOINED = re.compile(r"(?<![\w’'-])(?:and|or|nor|with)$|&$", re.IGNORECASE)
_MIN_WORDS = 6
_MAX_SUBJECT_WORDS = 10
_LEAD_BLOCKS = 2


def is_act(statement: Statement) -> bool:
    """Whether a statement is a lead told as an act (its cue is an act's verb, which no
    statement of speech has): it quotes no one."""
    return statement.cue is not None and statement.cue.lower() in ACT_FORMS


def quoted_actors(statements: Iterable[Statement]) -> list[str]:
    """The canonical actors an article's statements quote, acts aside (a lead told as an act
    quotes no one: its subject is in the text already): extra evidence for its event."""
    return sorted({s.actor for s in statements if s.actor and not is_act(s)})


def lead_act(
    text: str, work: str, gazetteer: Gazetteer, voice: SourceVoice | None
) -> list[Statement]:
    """The article's first sentence as its party's act, or nothing (see the module docstring).

    ``work`` is ``text`` normalised (aggregator.extract.text.normalise: same offsets)."""
    flat = work.replace("\n", " ")
    for block in [b for b in blocks(work) if b.kind == "body"][:_LEAD_BLOCKS]:
        for s, e in sentences(flat, block.start, block.end, []):
            if len(content_words(flat, s, e)) < _MIN_WORDS:
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
    subject = find_subject(flat, s, match.start())
    if subject is None or isinstance(subject, str):
        return None
    start, end = subject.start, subject.end
    written = text[start:end]
    # the subject opens the sentence, after at most a short adjunct ("On Tuesday, …"); the last
    # of several ("Iran and the United States reached …") speaks for none of them
    before = flat[s:start].rstrip()
    if (
        len(written.split()) > _MAX_SUBJECT_WORDS
        or len(content_words(flat, s, start)) > 4
        or _JOINED.search(before) is not None
    ):
        return None
    if all(w.lower() in _GENERIC_BODIES for w in written.split()):
        return None
    resolved = Resolver(text, gazetteer, voice).resolve(written, subject.role, start)
    if resolved.side is None or resolved.commentary or resolved.kind == "unknown":
        return None
    verb = match.group("verb") or match.group("ing")
    v_start = match.start("verb") if match.group("verb") else match.start("ing")
    stop = e
    while stop > start and flat[stop - 1].isspace():
        stop -= 1
    return Statement(
        text=text[start:stop],
        start=start,
        end=stop,
        kind="indirect",
        cue=verb,
        speaker=written,
        speaker_start=start,
        speaker_end=end,
        actor=resolved.actor,
        role=resolved.role or subject.role,
        side=resolved.side,
        commentary=False,
        cue_start=v_start,
        cue_end=v_start + len(verb),
    )
