"""The cue lexicon: speech and stance verbs in every tense, and fixed reporting phrases.

Cues are found by looking each word up in a set (one pass over the words of a sentence),
which is much faster than one regular expression with hundreds of alternatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# Verbs that introduce speech with any clause or quotation after them.
SAY_VERBS = "say tell add state write tweet reply respond".split()
# verbs that are cues only before "that", a quotation or a colon ("stated that", "tweeted:")
NEEDS_THAT = frozenset("state tweet maintain mention advise charge post".split())

# Speech and stance verbs that need a clause ("that …", a quotation, a subject + verb) after
# them, because they also take plain objects ("declared independence", "denied the report").
CLAUSE_VERBS = (
    "insist denounce warn urge accuse confirm announce declare stress reject deny explain argue "
    "claim note suggest report ask acknowledge admit assert maintain contend predict promise "
    "pledge vow reveal recall comment observe emphasise emphasize reiterate complain concede "
    "threaten caution agree conclude mention testify criticise criticize praise condemn blame "
    "dismiss boast joke quip allege charge counter retort demand propose recommend advise "
    "estimate disclose lament remark protest signal indicate assure tout decry hail affirm "
    "believe think hope fear yell shout scream exclaim chant muse continue decline refuse "
    "offer describe call label dub brand question cite mock blast defend slam lambaste assail "
    "deride ridicule applaud thank remind proclaim hint brag bemoan insinuate recount echo "
    "express post"
).split()

# Verbs that are cues only with their particle ("called for", "pointed out").
PHRASAL: dict[str, tuple[str, ...]] = {
    "point": ("out", "to"),
    "refer": ("to",),
    "rail": ("against",),
    "speak": ("of", "about", "out"),
}

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "think": ("think", "thinks", "thinking"),
    "speak": ("speak", "speaks", "spoke", "spoken", "speaking"),
    "quip": ("quip", "quips", "quipped", "quipping"),
    "testify": ("testify", "testifies", "testified", "testifying"),
    "deny": ("deny", "denies", "denied", "denying"),
    "reply": ("reply", "replies", "replied", "replying"),
    "signal": ("signal", "signals", "signaled", "signalled", "signaling", "signalling"),
    "label": ("label", "labels", "labeled", "labelled", "labeling", "labelling"),
    "refer": ("refer", "refers", "referred", "referring"),
    "dub": ("dub", "dubs", "dubbed", "dubbing"),
    "slam": ("slam", "slams", "slammed", "slamming"),
    "brag": ("brag", "brags", "bragged", "bragging"),
    "echo": ("echo", "echoes", "echoed", "echoing"),
}


def inflect(lemma: str) -> tuple[str, ...]:
    """Base, third person, past and -ing forms of an English verb."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("ee"):
        return (lemma, lemma + "s", lemma + "d", lemma + "ing")
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma.endswith(("ss", "sh", "ch", "x")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


def _table(lemmas: list[str]) -> dict[str, str]:
    return {form: lemma for lemma in lemmas for form in inflect(lemma)}


SAY_FORMS = _table(SAY_VERBS)
CLAUSE_FORMS = _table(CLAUSE_VERBS)
PHRASAL_FORMS = {form: (lemma, PHRASAL[lemma]) for lemma in PHRASAL for form in inflect(lemma)}
# stance verbs are beliefs, not speech: kept, but only with a clause after them
STANCE_LEMMAS = frozenset({"believe", "think", "hope", "fear"})

CueType = Literal["say", "clause", "according"]

# cues of one kind read per sentence: real sentences have a handful; a hostile "sentence" of
# thousands must not cost time quadratic in its length
MAX_PER_SENTENCE = 40


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue in the working copy: ``start``/``end`` cover the verb (and its particle)."""

    start: int
    end: int
    word: str  # as written
    lemma: str
    kind: CueType

    @property
    def participle(self) -> bool:
        """ "saying", "pointing to": the verb (not its particle) is an -ing form."""
        return self.word.split(" ", 1)[0].endswith("ing")


_WORDS = re.compile(r"[A-Za-z]+")
_IRREGULAR_PAST = frozenset("said told wrote thought spoke written spoken".split())
# forms never read as nouns after "the", "first", "his" …
_NEVER_NOUN = _IRREGULAR_PAST | {"according"}
_NOUN_MARKERS = frozenset(
    "the a an his her their its our my your this that these those whose every each another "
    "such first second third last latest recent new public private official final initial "
    "earlier later previous many several few two three some any no fourth fifth sixth seventh "
    "eighth ninth tenth".split()
)
_ANY_FORM = (
    frozenset(SAY_FORMS) | frozenset(CLAUSE_FORMS) | frozenset(PHRASAL_FORMS) | {"according"}
)
_BASE_FORM_BEFORE = frozenset(
    "to will would can could should may might must did do does not never also they we i you "
    "who often always still just and or nt even now today sometimes".split()
)
# plural subjects without a final "s": "women claim …", "many argue …"
_PLURAL_SUBJECTS = frozenset(
    "people men women children police media staff many some most few others both all "
    "majority minority".split()
)
# a bare verb right after these is no one's speech ("helps explain why", "let say"); the bare
# forms "help" and "make" are left out: "the families we help say …" is speech
_CAUSATIVES = frozenset("helps helped helping let lets makes made".split())
# base forms that are nouns after a determiner and a modifier ("a swing state", "his latest
# tweet"), but verbs after a plural subject ("the police state that …")
_NOUN_AFTER_MODIFIER = frozenset("state post tweet charge".split())
# forms that are nearly always nouns in news text ("the states that voted")
_NOUN_FORMS = frozenset({"states"})
# participles used as adjectives before these nouns
_ADJECTIVE_FORMS = frozenset({"pledged", "declared", "stated", "announced", "promised"})
_ADJECTIVE_NOUNS = frozenset(
    "delegate delegates candidate candidates goal goals intention policy purpose".split()
)
_BEFORE_ADJECTIVE = frozenset("for with of no any some extra is are".split())


# Uses of a cue word that are no speech, told by the words right before it (searched in the
# 24 characters before, anchored at the word) or right after it (matched at its end).
def _idioms(
    forms: str, before: str | None = None, after: str | None = None
) -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    patterns = (
        re.compile(before, re.IGNORECASE) if before else None,
        re.compile(after) if after else None,
    )
    return dict.fromkeys(forms.split(), patterns)


_NOT_SPEECH_HERE = {
    **_idioms("call", before=r"\bclose to\s+$"),  # "too close to call"
    **_idioms("tell", before=r"\btime will\s+$"),  # "only time will tell"
    **_idioms("say", before=r",\s$", after=r","),  # "lost by, say, single digits": a filler
    **_idioms("reporting", before=r"\bprecincts\s+$"),  # "99 percent of precincts reporting"
    # "student debt would decline,": a fall, not a refusal
    **_idioms(
        "decline declined declines declining",
        after=r"\s*(?:[,.;:!?)]|$|(?:sharply|steadily|further|slightly)\b|by\s+\d)",
    ),
    # "continued delivering his stump speech": an aspect verb
    **_idioms("continue continued continues continuing", after=r"\s+[a-z]+ing\b"),
}
_ACCORDING = re.compile(r"\s+to\b", re.IGNORECASE)
# a participle right after one of these is an adjective ("his stated aim", "the reported deal")
_DETERMINERS = frozenset("the a an his her their its our my your these every each".split())


def find_cues(masked: str, start: int, end: int) -> list[Cue]:
    """Every cue in ``masked[start:end]`` (quotations are masked, so cues inside them are not)."""
    out: list[Cue] = []
    words = list(_WORDS.finditer(masked, start, end))
    title_case: bool | None = None  # decided only when a capitalised cue word turns up
    for index, match in enumerate(words):
        word = match.group(0)
        low = word.lower()
        if low not in _ANY_FORM:
            continue  # most words: one set lookup and on
        if (
            index
            and word[:1].isupper()
            and not word.isupper()
            # after a colon or a dash a capital opens a clause: "…: According to polls, …"
            and masked[max(0, match.start() - 4) : match.start()].rstrip()[-1:]
            not in {":", "—", "–", "("}
        ):
            if title_case is None:
                # a headline in title case ("Senator Says Talks Failed") capitalises verbs too
                capitals = sum(1 for w in words if w.group(0)[:1].isupper())
                title_case = len(words) >= 4 and capitals >= 0.7 * len(words)
            if not title_case or (not low.endswith(("s", "ed")) and low not in _IRREGULAR_PAST):
                continue  # "the Granite State": a capitalised word mid-sentence is a name
        if (
            masked[match.start() - 1 : match.start()] == "-"
            or masked[match.end() : match.end() + 1] == "-"
        ):
            continue  # "self-described", "out-of-state": part of a compound word
        if index and not low.endswith("ed") and low not in _NEVER_NOUN:
            before = words[index - 1].group(0).lower()
            gap = masked[words[index - 1].end() : match.start()]
            fraction = (
                before in {"third", "second"}
                and index > 1
                and words[index - 2].group(0).lower() in {"a", "one"}
            )  # "a third say …"
            if (
                (before in _NOUN_MARKERS and not fraction)
                or gap in {"’s ", "'s "}
                or (before == "s" and gap == " ")
            ):
                continue  # "his remarks", "Sanders's claims", "the report": a noun
        if (
            index
            and low == (SAY_FORMS.get(low) or CLAUSE_FORMS.get(low))
            and words[index - 1].group(0).lower() in _CAUSATIVES
        ):
            continue  # "helps explain why …", "let them say": no one speaks here
        if (
            low in _NOUN_AFTER_MODIFIER
            and index > 1
            and words[index - 2].group(0).lower() in _DETERMINERS
            and not words[index - 1].group(0).endswith("s")
            and words[index - 1].group(0).lower() not in _PLURAL_SUBJECTS
        ):
            continue  # "a swing state", "a blog post", "his latest tweet": a noun
        if (
            low in CLAUSE_FORMS
            and low == CLAUSE_FORMS[low]
            and index
            and words[index - 1].group(0).lower() not in _BASE_FORM_BEFORE | _PLURAL_SUBJECTS
            and not words[index - 1].group(0).endswith(("s", "ly"))
            and not (
                index + 1 < len(words)
                and words[index + 1].group(0) == "that"
                and masked[match.end() : words[index + 1].start()] == " "
            )
        ):
            # "won praise from …": a bare base form needs a subject, a modal, "to", an
            # adverb ("defenders today argue", "partly blame") or a "that" clause after it
            continue
        if index and low.endswith("ed") and words[index - 1].group(0).lower() in _DETERMINERS:
            continue  # "the reported talks", "her stated aim": an adjective
        if low == "added" and index and words[index - 1].group(0).lower() in _BEFORE_ADJECTIVE:
            continue  # "for added security", "with added pressure"
        idiom = _NOT_SPEECH_HERE.get(low)
        if idiom is not None:
            prefix, suffix = idiom
            if (
                prefix is None
                or prefix.search(masked, max(start, match.start() - 24), match.start())
            ) and (suffix is None or suffix.match(masked, match.end(), end)):
                continue  # an idiom, a filler or another verb's use of the word
        if low in _NOUN_FORMS or (
            low in _ADJECTIVE_FORMS
            and index + 1 < len(words)
            and words[index + 1].group(0).lower() in _ADJECTIVE_NOUNS
        ):
            continue  # "swing states that …", "pledged delegates": a noun, an adjective
        if low in SAY_FORMS:
            out.append(Cue(match.start(), match.end(), word, SAY_FORMS[low], "say"))
        elif low in CLAUSE_FORMS:
            out.append(Cue(match.start(), match.end(), word, CLAUSE_FORMS[low], "clause"))
        elif low == "according":
            follow = _ACCORDING.match(masked, match.end(), end)
            if follow:
                out.append(
                    Cue(match.start(), follow.end(), "according to", "according", "according")
                )
        elif low in PHRASAL_FORMS and index + 1 < len(words):
            lemma, particles = PHRASAL_FORMS[low]
            nxt = words[index + 1]
            gap = masked[match.end() : nxt.start()]
            if nxt.group(0).lower() in particles and gap.isspace():
                text = masked[match.start() : nxt.end()]
                out.append(Cue(match.start(), nxt.end(), text, lemma, "clause"))
    return out
