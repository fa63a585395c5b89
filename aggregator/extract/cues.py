"""The cue lexicon: speech and stance verbs in every tense, and fixed reporting phrases.

Cues are found by looking each word up in a set (one pass over the words of a sentence),
which is much faster than one regular expression with hundreds of alternatives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from aggregator.extract.lexicon import (
    BE,
    DEMONSTRATIVES,
    DETERMINERS,
    DO,
    HAVE,
    IRREGULAR_FORMS,
    IRREGULAR_PAST,
    IRREGULAR_PASTS,
    MODALS,
    SUBJECT_PRONOUNS,
    VERBS,
    lemmas,
)
from aggregator.extract.values import value

# Verbs that introduce speech with any clause or quotation after them.
SAY_VERBS = lemmas("say")
# verbs that are cues only before "that", a quotation or a colon ("stated that", "tweeted:")
NEEDS_THAT = frozenset(lemmas(prop="needs-that"))
# Speech and stance verbs that need a clause ("that …", a quotation, a subject + verb) after
# them, because they also take plain objects ("declared independence", "denied the report").
CLAUSE_VERBS = lemmas("clause")
# Verbs that are cues only with their particle ("called for", "pointed out").
PHRASAL: dict[str, tuple[str, ...]] = {v.lemma: v.particles for v in VERBS if v.frame == "phrasal"}


def inflect(lemma: str) -> tuple[str, ...]:
    """Base, third person, past and -ing forms of an English verb."""
    if lemma in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[lemma]
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
STANCE_LEMMAS = frozenset(lemmas(prop="stance"))

CueType = Literal["say", "clause", "according"]

# cues of one kind read per sentence: real sentences have a handful; a hostile "sentence" of
# thousands must not cost time quadratic in its length
MAX_PER_SENTENCE = 40


@value
class Cue:
    """A cue in the working copy: ``start``/``end`` cover the verb (and its particle)."""

    start: int
    end: int
    word: str  # as written
    lemma: str
    kind: CueType
    #: "saying", "pointing to": the verb (not its particle) is an -ing form (the constructions
    #: ask it of every cue, several times: it is found once, when the cue is made)
    participle: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "participle", self.word.split(" ", 1)[0].endswith("ing"))


_WORDS = re.compile(r"[A-Za-z]+")
# forms never read as nouns after "the", "first", "his" …
_NEVER_NOUN = IRREGULAR_PAST | {"according"}
_NOUN_MARKERS = (
    DETERMINERS
    | DEMONSTRATIVES
    | frozenset(
        "whose every each another such first second third last latest recent new public "
        "private official final initial earlier later previous many several few two three some "
        "any no fourth fifth sixth seventh eighth ninth tenth".split()
    )
)
_ANY_FORM = (
    frozenset(SAY_FORMS) | frozenset(CLAUSE_FORMS) | frozenset(PHRASAL_FORMS) | {"according"}
)
_BASE_FORM_BEFORE = (
    MODALS
    | DO
    | (SUBJECT_PRONOUNS - {"he", "she"})
    | frozenset(
        "to not never also you who often always still just and or nt even now today "
        "sometimes".split()
    )
)
# plural subjects without a final "s": "women claim …", "many argue …"
_PLURAL_SUBJECTS = frozenset(
    "people men women children police media staff many some most few others both all "
    "majority minority".split()
)
_SUBJECT_BEFORE_BASE = _BASE_FORM_BEFORE | _PLURAL_SUBJECTS
# a bare verb right after these is no one's speech ("helps explain why", "let say"); the bare
# forms "help" and "make" are left out: "the families we help say …" is speech
_CAUSATIVES = frozenset("helps helped helping let lets makes made".split())
# base forms that are nouns after a determiner and a modifier ("a swing state", "his latest
# tweet"), but verbs after a plural subject ("the police state that …")
_NOUN_AFTER_MODIFIER = frozenset(lemmas(prop="noun-after-modifier"))
# forms that are nearly always nouns in news text ("the states that voted")
_NOUN_FORMS = frozenset({"states"})
# participles used as adjectives before these nouns
_ADJECTIVE_FORMS = frozenset(inflect(lemma)[2] for lemma in lemmas(prop="adjective-participle"))
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
_DETERMINERS = DETERMINERS | {"these", "every", "each"}


@dataclass(frozen=True, slots=True)
class Veto:
    """A cue word a veto dropped: the veto's name, the word as written and its offset."""

    name: str
    word: str
    start: int


Trace = list[Veto]  # where the vetoes that fired are written, when someone asks


class _Words:
    """The words of one sentence as the vetoes see them."""

    __slots__ = ("_title_case", "end", "masked", "start", "words")

    def __init__(self, masked: str, start: int, end: int) -> None:
        self.masked = masked
        self.start = start
        self.end = end
        self.words = list(_WORDS.finditer(masked, start, end))
        self._title_case: bool | None = None  # decided only when a capitalised cue turns up

    def title_case(self) -> bool:
        """A headline in title case ("Senator Says Talks Failed") capitalises verbs too."""
        if self._title_case is None:
            words = self.words
            capitals = sum(1 for w in words if w.group(0)[:1].isupper())
            self._title_case = len(words) >= 4 and capitals >= 0.7 * len(words)
        return self._title_case


class Candidate:
    """A word of the cue lexicon in its sentence, before the vetoes (read only)."""

    __slots__ = ("index", "low", "match", "sentence", "word")

    def __init__(
        self, sentence: _Words, index: int, match: re.Match[str], word: str, low: str
    ) -> None:
        self.sentence = sentence
        self.index = index
        self.match = match
        self.word = word  # as written
        self.low = low

    def near(self, offset: int) -> str:
        """The word ``offset`` words away (negative: before), in lower case; "" if none."""
        i = self.index + offset
        words = self.sentence.words
        return words[i].group(0).lower() if 0 <= i < len(words) else ""

    def near_written(self, offset: int) -> str:
        i = self.index + offset
        words = self.sentence.words
        return words[i].group(0) if 0 <= i < len(words) else ""

    def gap_before(self) -> str:
        """What stands between the word before and this one."""
        previous = self.sentence.words[self.index - 1]
        return self.sentence.masked[previous.end() : self.match.start()]


def capitalised_mid_sentence(c: Candidate) -> bool:
    """A capitalised word mid-sentence is a name, except in a title-case headline (where only
    -s, -ed and irregular past forms are verbs) or after a colon, a dash or a parenthesis.

    Example: Voters in the Granite State turned out early.
    """
    word, masked = c.word, c.sentence.masked
    if not c.index or not word[:1].isupper() or word.isupper():
        return False
    # after a colon or a dash a capital opens a clause: "…: According to polls, …"
    opener = masked[max(0, c.match.start() - 4) : c.match.start()].rstrip()[-1:]
    if opener in {":", "—", "–", "("}:
        return False
    return not c.sentence.title_case() or (
        not c.low.endswith(("s", "ed")) and c.low not in IRREGULAR_PAST
    )


def compound_word(c: Candidate) -> bool:
    """Part of a hyphenated compound.

    Example: The self-described moderate won the seat.
    """
    masked, match = c.sentence.masked, c.match
    return (
        masked[match.start() - 1 : match.start()] == "-"
        or masked[match.end() : match.end() + 1] == "-"
    )


def noun_after_marker(c: Candidate) -> bool:
    """A noun after a determiner, an ordinal or a possessive ("his remarks", "Sanders's
    claims", "the report"), but "a third say …" is a fraction speaking.

    Example: His remarks drew a sharp rebuke from the party.
    """
    if not c.index or c.low.endswith("ed") or c.low in _NEVER_NOUN:
        return False
    before = c.near(-1)
    gap = c.gap_before()
    fraction = before in {"third", "second"} and c.near(-2) in {"a", "one"}
    return (
        (before in _NOUN_MARKERS and not fraction)
        or gap in {"’s ", "'s "}
        or (before == "s" and gap == " ")
    )


def after_causative(c: Candidate) -> bool:
    """A bare verb after "helps", "let", "made": no one speaks here.

    Example: The figures helped explain why the plan failed.
    """
    return (
        c.index > 0
        and c.low == (SAY_FORMS.get(c.low) or CLAUSE_FORMS.get(c.low))
        and c.near(-1) in _CAUSATIVES
    )


def noun_after_modifier(c: Candidate) -> bool:
    """A determiner and a modifier before "state", "post", "tweet", "charge": a noun, unless
    the modifier is a plural subject.

    Example: Ohio is a swing state for the party.
    """
    return (
        c.low in _NOUN_AFTER_MODIFIER
        and c.index > 1
        and c.near(-2) in _DETERMINERS
        and not c.near_written(-1).endswith("s")
        and c.near(-1) not in _PLURAL_SUBJECTS
    )


def bare_base_form(c: Candidate) -> bool:
    """A bare base form needs a subject, a modal, "to", an adverb ("defenders today argue",
    "partly blame") or a "that" clause after it.

    Example: The mayor won praise from the unions.
    """
    if c.low not in CLAUSE_FORMS or c.low != CLAUSE_FORMS[c.low] or not c.index:
        return False
    before = c.near_written(-1)
    if before.lower() in _SUBJECT_BEFORE_BASE or before.endswith(("s", "ly")):
        return False
    words, masked = c.sentence.words, c.sentence.masked
    return not (
        c.index + 1 < len(words)
        and words[c.index + 1].group(0) == "that"
        and masked[c.match.end() : words[c.index + 1].start()] == " "
    )


def adjective_after_determiner(c: Candidate) -> bool:
    """A participle after a determiner is an adjective.

    Example: The reported talks never took place.
    """
    return c.index > 0 and c.low.endswith("ed") and c.near(-1) in _DETERMINERS


def added_as_adjective(c: Candidate) -> bool:
    """ "added" after "for", "with", "no" … is an adjective.

    Example: The guards were posted for added security.
    """
    return c.low == "added" and c.index > 0 and c.near(-1) in _BEFORE_ADJECTIVE


def idiom(c: Candidate) -> bool:
    """An idiom, a filler or another verb's use of the word (``_NOT_SPEECH_HERE``).

    Example: The race is too close to call.
    """
    found = _NOT_SPEECH_HERE.get(c.low)
    if found is None:
        return False
    prefix, suffix = found
    masked, start, match = c.sentence.masked, c.sentence.start, c.match
    return (
        prefix is None or prefix.search(masked, max(start, match.start() - 24), match.start())
    ) is not None and (
        suffix is None or suffix.match(masked, match.end(), c.sentence.end)
    ) is not None


def noun_or_adjective_form(c: Candidate) -> bool:
    """A form that is nearly always a noun ("states"), or a participle before the nouns it
    qualifies ("pledged delegates").

    Example: The candidate won 500 pledged delegates.
    """
    return c.low in _NOUN_FORMS or (c.low in _ADJECTIVE_FORMS and c.near(1) in _ADJECTIVE_NOUNS)


# words that put a clause in the present: "… has sparked anger and warns …" is a verb
_PRESENT = BE | HAVE | DO | MODALS | frozenset({"says"})


def _past(word: str) -> bool:
    return word.endswith("ed") or word in IRREGULAR_PASTS or word in IRREGULAR_PAST


def plural_noun(c: Candidate) -> bool:
    """A third-person form after "and" or "or" in a clause told in the past is a plural noun
    in a list ("sparked anger and promises to …"): a clause's verbs share their tense. (After
    a past verb it is a noun too, "made charges that …", but the pair is then speech.)

    Example: The flood sparked anger and promises to rebuild the levees.
    """
    if c.index < 2 or c.gap_before() != " " or c.near(-1) not in {"and", "or"}:
        return False
    words = c.sentence.words
    if c.sentence.masked[words[c.index - 2].end() : words[c.index - 1].start()] != " ":
        return False  # "…, and warns": a new clause may begin after a comma
    earlier = [w.group(0).lower() for w in words[: c.index - 1]]
    return any(_past(w) for w in earlier) and not any(w in _PRESENT for w in earlier)


@dataclass(frozen=True, slots=True)
class VetoRule:
    """A veto: its test, and which cue forms it is asked about (all when ``forms`` is None)."""

    test: Callable[[Candidate], bool]
    forms: Callable[[str], bool] | None = None

    @property
    def name(self) -> str:
        return self.test.__name__


#: the vetoes, in the order they are asked: the first that holds drops the cue word
VETOES: tuple[VetoRule, ...] = (
    VetoRule(capitalised_mid_sentence),
    VetoRule(compound_word),
    VetoRule(noun_after_marker, lambda f: not f.endswith("ed") and f not in _NEVER_NOUN),
    VetoRule(after_causative, lambda f: f == (SAY_FORMS.get(f) or CLAUSE_FORMS.get(f))),
    VetoRule(noun_after_modifier, lambda f: f in _NOUN_AFTER_MODIFIER),
    VetoRule(bare_base_form, lambda f: CLAUSE_FORMS.get(f) == f),
    VetoRule(adjective_after_determiner, lambda f: f.endswith("ed")),
    VetoRule(added_as_adjective, lambda f: f == "added"),
    VetoRule(idiom, lambda f: f in _NOT_SPEECH_HERE),
    VetoRule(noun_or_adjective_form, lambda f: f in _NOUN_FORMS or f in _ADJECTIVE_FORMS),
    VetoRule(plural_noun, lambda f: f.endswith("s") and CLAUSE_FORMS.get(f, f) != f),
)
# the vetoes to ask about each form, worked out once; the first two (a capital, a hyphen) are
# asked only when the word has one, so most cue words cost a few set lookups
_UNIVERSAL = tuple(v.test for v in VETOES if v.forms is None)
_VETOES_FOR: dict[str, tuple[Callable[[Candidate], bool], ...]] = {
    form: tuple(v.test for v in VETOES if v.forms is not None and v.forms(form))
    for form in _ANY_FORM
}


def _vetoed(candidate: Candidate, universal: bool) -> str | None:
    for test in (
        (*_UNIVERSAL, *_VETOES_FOR[candidate.low]) if universal else _VETOES_FOR[candidate.low]
    ):
        if test(candidate):
            return test.__name__
    return None


def find_cues(masked: str, start: int, end: int, trace: Trace | None = None) -> list[Cue]:
    """Every cue in ``masked[start:end]`` (quotations are masked, so cues inside them are not);
    each veto that drops a cue word is written to ``trace`` when one is given."""
    out: list[Cue] = []
    sentence = _Words(masked, start, end)
    for index, match in enumerate(sentence.words):
        word = match.group(0)
        low = word.lower()
        if low not in _ANY_FORM:
            continue  # most words: one set lookup and on
        # the universal vetoes can only hold for a capitalised word or one next to a hyphen
        universal = (
            word[0].isupper()
            or masked[match.start() - 1 : match.start()] == "-"
            or masked[match.end() : match.end() + 1] == "-"
        )
        candidate = Candidate(sentence, index, match, word, low)
        if universal or _VETOES_FOR[low]:
            veto = _vetoed(candidate, universal)
            if veto is not None:
                if trace is not None:
                    trace.append(Veto(veto, word, match.start()))
                continue
        cue = _cue(candidate)
        if cue is not None:
            out.append(cue)
    return out


def _cue(c: Candidate) -> Cue | None:
    """The cue a word that passed the vetoes makes (a phrasal verb or "according" only with
    its particle)."""
    low, match, word = c.low, c.match, c.word
    masked = c.sentence.masked
    if low in SAY_FORMS:
        return Cue(match.start(), match.end(), word, SAY_FORMS[low], "say")
    if low in CLAUSE_FORMS:
        return Cue(match.start(), match.end(), word, CLAUSE_FORMS[low], "clause")
    if low == "according":
        follow = _ACCORDING.match(masked, match.end(), c.sentence.end)
        if follow:
            return Cue(match.start(), follow.end(), "according to", "according", "according")
        return None
    words = c.sentence.words
    if low in PHRASAL_FORMS and c.index + 1 < len(words):
        lemma, particles = PHRASAL_FORMS[low]
        nxt = words[c.index + 1]
        gap = masked[match.end() : nxt.start()]
        if nxt.group(0).lower() in particles and gap.isspace():
            return Cue(match.start(), nxt.end(), masked[match.start() : nxt.end()], lemma, "clause")
    return None
