"""The subject of a whole clause, for participles and coordination.

"Trump announced his plan on Tuesday, saying …": the speaker of "saying" is the clause's
subject, found from the clause start rather than next to the cue.
"""

from __future__ import annotations

import re

from aggregator.extract.cues import CLAUSE_FORMS, SAY_FORMS
from aggregator.extract.lexicon import (
    ADJUNCT_OPENERS,
    COUNTING_WORDS,
    IRREGULAR_PASTS,
    LAYOUT_MARKS,
    MONTH_PATTERN,
    NUMBER_WORDS,
    PRONOUNS,
    alternation,
)
from aggregator.extract.speakers import (
    _AUX,
    _DETERMINERS,
    _LEADING,
    _TEMPORAL_TAIL,
    _TITLE_WORDS,
    _WORD,
    Mention,
    _verbal,
    is_adverb,
    looks_like_np,
    split_title,
)

_MAX_SUBJECT_WORDS = 12  # "The last man to mount a major third-party race says …"
_ADJECTIVE_ENDINGS = ("ic", "an", "ian", "ese", "ish", "al")
# a particle and a preposition after a word make it a phrasal verb ("hit out at", "pushed back
# against", "spoke out on")
_PHRASAL_VERB = re.compile(
    r" (?:out|back|up|down|off) (?:at|against|on|over|about|of|from|to|with|in)\b"
)
# words after which an adverb belongs to the noun phrase: "the then president", "the recently
# elected mayor"
_NOT_BEFORE_ADVERB = _DETERMINERS | frozenset("of for to in at on by with and or".split())
_PRONOUN_AFTER_TIME = re.compile(r"\s+(?:later|earlier|ago)\s+(he|she|they|we|I)\b")
_SUBORDINATORS = frozenset("when while whereas because although though if unless until".split())
_RELATIVES = frozenset("which who whom whose".split())
_NP_GLUE = frozenset("of for the and de van von der al bin in at to on".split())
_INTRO = re.compile(r"[^,;“”]{0,60}?,\s*")
_NAME_AFTER_INTRO = re.compile(
    r"(?:\s+(?:the|a|an|this|that|last|next|each|every|early|late|[a-z]+day|[A-Z][a-z]+day|"
    + MONTH_PATTERN
    + r"|\d[\d,]*|morning|afternoon|evening|night|week|month|year|weekend|[a-z]+'s|[a-z]+’s)){1,5}"
    # (a name, "Mr." or "Dr." begins with a capital and a small letter)
    r"\s+((?!(?:" + MONTH_PATTERN + r")\b)[A-Z][a-z])"
)
# a dateline in capitals, with the agency, before the story's first sentence
# ("DUBAI, Feb 17 (Reuters) - ": a date may follow the place)
_DATELINE = re.compile(
    r"[A-Z][A-Z.,’' ]{2,60}?(?:,[^\n:()—–]{1,30}?)?(?:\s*\([^()]{1,40}\))?\s*(?:—|–|--|-|:)\s+"
)
_INTRO_START = re.compile(
    r"(?:in|on|at|for|where|by|under|over|from|speaking|asked|later|earlier|still|however|"
    r"meanwhile|but|and|yet|"
    + alternation(tuple(sorted(ADJUNCT_OPENERS)))
    # a span of time before an event: "Six months after the vote, …", "Two days later, …"
    + r"|(?:\d+|an?|"
    + alternation(tuple(sorted(NUMBER_WORDS)))
    + r"|several|a few)\s+(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)"
    r"(?=\s+(?:after|before|later|earlier|ago|since|into|on)\b))\b",
    re.IGNORECASE,
)
# nouns for a body that a capitalised description stands before, the name after them: "Armed
# group Hezbollah", "Rebel movement M23"
_GROUP_NOUNS = frozenset(
    "group movement militia faction organisation organization alliance coalition network "
    "outfit party".split()
)


def find_sentence_subject(masked: str, lo: int, hi: int) -> Mention | None:
    """The subject at the start of a clause: "Trump announced …, saying …" -> "Trump".

    When the opening words are no subject ("Neutral until June, Warren endorsed …"), the
    clause after the first comma is tried.
    """
    found = _clause_subject(masked, lo, hi)
    if found is None:
        # the first comma after the dateline, not the one inside it ("WASHINGTON, Dec. 8")
        past, dated = _past_dateline(masked, lo, hi)
        start = past if dated else lo
        comma = masked.find(",", start, min(hi, start + 100))
        if comma > start:
            found = _clause_subject(masked, comma + 1, hi)
    return found


# (not "said as much", "as well as", "as many as")
_SUBORDINATE = re.compile(
    r"\b(?:as(?!\s+(?:much|many|well|long|soon|far|such|part|usual|expected|a result)\b)|while|"
    r"because|since|when|whereas|although|though)\s+"
)
_TEMPORAL_SUBORDINATE = re.compile(r"\b(?:after|before)\s+")
# verbs of events, whose subject is a happening, not a speaker ("The talks came as …")
_EVENT_VERBS = frozenset(
    "came comes come followed follows happened happens occurred occurs erupted erupts "
    "unfolded unfolds coincided coincides".split()
)


def subordinate_subject(masked: str, lo: int, hi: int, *, event: bool = False) -> Mention | None:
    """The subject of the subordinate clause that runs from ``lo`` or later up to ``hi``.

    Without ``event``: the clause a document or a recording stands in ("X spoke after Y
    released a video calling …": Y). With ``event``, for a participle after a comma, only when
    the main clause's verb before it reports an event ("The talks came as diplomats try to
    secure a deal, fearing …": the diplomats fear, not the talks); after any other verb the
    participle hangs from the main clause ("Many fans wept when the pair kissed, saying …").
    """
    while hi > lo and masked[hi - 1] in " ,":
        hi -= 1  # the comma before the participle
    found = None
    for match in _SUBORDINATE.finditer(masked, lo, hi):
        found = match  # the last one: the clause the participle follows
    for match in _TEMPORAL_SUBORDINATE.finditer(masked, found.end() if found else lo, hi):
        found = match
    if (
        found is not None
        and event
        and not any(w.group(0) in _EVENT_VERBS for w in _WORD.finditer(masked, lo, found.start()))
    ):
        return None
    if found is None or any(mark in masked[found.end() : hi] for mark in ",;:“”()"):
        return None
    mention = _clause_subject(masked, found.end(), hi)
    if mention is None or masked[mention.start : mention.end].lower() in PRONOUNS:
        return None  # "… as it tries …": the pronoun's antecedent is not known here
    verb = _WORD.match(masked, mention.end + 1)
    if verb is None or not (_verbal(verb.group(0)) or is_adverb(verb.group(0))):
        return None
    return mention


def _past_dateline(masked: str, lo: int, hi: int) -> tuple[int, bool]:
    """Where a clause's words begin: past opening quotation marks and spaces, and past a
    dateline ("UNITED NATIONS (Meridian Press) — The Council …"); and whether one was there."""
    pos = lo
    while pos < hi and (masked[pos] in " “”" or masked[pos] in LAYOUT_MARKS):
        pos += 1
    dateline = _DATELINE.match(masked, pos, hi)
    return (dateline.end(), True) if dateline else (pos, False)


def _clause_subject(masked: str, lo: int, hi: int) -> Mention | None:
    pos, _ = _past_dateline(masked, lo, hi)
    opener = _INTRO_START.match(masked, pos, hi)
    if opener and opener.group(0).lower() not in {"but", "and", "yet"}:
        # "A few minutes later they reversed …": a pronoun right after a span of time
        pronoun = _PRONOUN_AFTER_TIME.match(masked, opener.end(), hi)
        if pronoun is not None:
            return Mention(*pronoun.span(1))
        intro = _INTRO.match(masked, pos, hi)
        if intro is None:
            # "On Monday morning Mr. Trump made …": a short opening phrase without a comma
            # ends where a name begins
            name = _NAME_AFTER_INTRO.match(masked, opener.end(), hi)
            if name is None:
                return None
            return _clause_subject(masked, name.start(1), hi)
        pos = intro.end()
    lead = _LEADING.match(masked[pos:hi])
    if lead:
        pos += lead.end()
    words = list(_WORD.finditer(masked, pos, hi))
    if words and words[0].group(0).lower() in PRONOUNS:
        return Mention(words[0].start(), words[0].end())
    taken = _subject_words(masked, words)
    if not taken:
        return None  # no subject, or one longer than any subject
    if len(taken) == 1 and taken[0].group(0).lower() in _COMPARATIVES:
        return None  # a comparison with no count: "More recently, …" ("Many left …" speaks)
    start, end = taken[0].start(), taken[-1].end()
    tail = _TEMPORAL_TAIL.search(masked, start, end)
    if tail is not None and tail.start() > start:
        end = tail.start()  # "Nearly 70 groups on Monday criticised …, saying": the groups
    text = masked[start:end]
    if not looks_like_np(text):
        return None
    prefix = _title(text)
    return Mention(start, end, prefix, start if prefix else None)


def _title(text: str) -> str | None:
    """The title before a name in a clause's subject, when it is all title: "Harbor Party
    chief" in "Harbor Party chief Tomas Verlind", "Vermont Sen." (not "the" in "the Clinton
    campaign", nor a clause's words before "Mr.")."""
    prefix = split_title(text)
    if prefix is None:
        return None
    words = prefix.split()
    if words[-1].rstrip(".").lower() not in _TITLE_WORDS or not all(
        word[:1].isupper() or word.lower() in _TITLE_WORDS for word in words
    ):
        return None
    return prefix


def _group_named(masked: str, word: str, end: int) -> bool:
    """Whether ``word`` is a group noun with a capitalised name after it ("group Hezbollah"),
    or the office words of a title before a person's name ("Harbor Party chief Tomas Verlind",
    "Harbor Party foreign minister Tomas Verlind": the body, its office and the name are one
    mention)."""
    titles = 0
    while word in _TITLE_WORDS and titles < 3:
        titles += 1
        after = _WORD.match(masked, end + 1) if masked[end : end + 1] == " " else None
        if after is None:
            return False
        word, end = after.group(0), after.end()
        if word[:1].isupper():
            return True
    if titles:
        return False
    after = _WORD.match(masked, end + 1) if masked[end : end + 1] == " " else None
    return word in _GROUP_NOUNS and after is not None and after.group(0)[:1].isupper()


# a comparison that opens a count ("More than 80 …", "Fewer than half …")
_COMPARATIVES = frozenset({"more", "fewer", "less"})


def _subject_words(masked: str, words: list[re.Match[str]]) -> list[re.Match[str]] | None:
    """The words of the subject: up to a comma, a verb, or a capitalised word's end before a
    small one; None when they run past the longest subject."""
    taken: list[re.Match[str]] = []
    for match in words:
        word = match.group(0)
        low = word.lower()
        gap = masked[taken[-1].end() : match.start()] if taken else ""
        if "," in gap or ";" in gap or "(" in gap:
            break
        # a capitalised cue word inside a name is no verb: "Secretary of State Madeleine
        # Albright"; nor is one after "of": "the secretary of state"
        cue_word = (low in SAY_FORMS or low in CLAUSE_FORMS) and not (
            taken and (word[:1].isupper() or taken[-1].group(0).lower() == "of")
        )
        if _verbal(word) or cue_word or (not taken and low in _AUX):
            # a clause opening "Will …" or "May …" is a question or a wish, not a name
            break
        if (
            len(taken) == 1
            and taken[0].group(0).lower() in COUNTING_WORDS
            and low in IRREGULAR_PASTS
        ):
            break  # "Many left early": after a bare count, "left" or "won" is a verb
        if taken and word in _SUBORDINATORS:
            break  # "Many people … when X and Y met": a clause of its own begins
        if taken and word[:1].islower() and _PHRASAL_VERB.match(masked, match.end()):
            break  # "Forty groups hit out at …", "Allies pushed back against …": a verb
        if (
            taken
            and is_adverb(word)
            and taken[-1].group(0).lower() not in _NOT_BEFORE_ADVERB
            # "…, which originally said …": a relative clause is no subject either way
            and taken[0].group(0).lower() not in _RELATIVES
        ):
            break  # "Iqbal further highlighted …", "Ali also warned …": the verb's adverb
        if (
            taken
            and taken[-1].group(0)[:1].isupper()
            and taken[-1].group(0).lower() not in _DETERMINERS
            # "Orbán’s main challenger": a possessive is a determiner, its noun follows
            and not taken[-1].group(0).endswith(("’s", "'s", "s’", "s'"))
            # "Democratic economists", "Russian officials": an adjective before its noun
            and not taken[-1].group(0).endswith(_ADJECTIVE_ENDINGS)
            # "Eight Muslim countries": capitals after a number describe its noun; "More than
            # 80 figures": a comparison's count follows
            and taken[0].group(0).lower() not in COUNTING_WORDS | _COMPARATIVES
            and not taken[0].group(0).isdigit()
            # "Armed group Hezbollah": a description, a group noun and the group's name
            and not _group_named(masked, word, match.end())
            and word[:1].islower()
            and (low not in _NP_GLUE)
            # "Prime minister has …": a sentence's capital opens its office in lower case
            and not (len(taken) == 1 and low in _TITLE_WORDS)
        ):
            break
        taken.append(match)
        if len(taken) > _MAX_SUBJECT_WORDS:
            return None
    return taken
