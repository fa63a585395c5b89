"""Speaker mentions around a cue: the subject before it, or the inverted one after it.

Works on the *masked* working copy (quotations blanked out), so nothing inside a quotation is
ever taken for a speaker. No part-of-speech tagger: a speaker is a short noun phrase bounded by
clause boundaries, with no finite verb in it.
"""

from __future__ import annotations

import enum
import re
from typing import Literal, NamedTuple, TypeAlias

from aggregator.extract.cues import CLAUSE_FORMS, SAY_FORMS
from aggregator.extract.lexicon import (
    ABBREVIATED_TITLES,
    ADJUNCT_OPENERS,
    AUXILIARIES,
    COUNTING_WORDS,
    DAY_PART_PATTERN,
    DAY_PARTS,
    DEMONSTRATIVES,
    DETERMINERS,
    HONORIFICS,
    IRREGULAR_PAST,
    IRREGULAR_PASTS,
    LAYOUT_MARKS,
    MONTH_PATTERN,
    NAME_SUFFIXES,
    NEGATED,
    OFFICE_WORDS,
    PRONOUNS,
    SUBJECT_PRONOUNS,
    TITLE_RUN,
    TITLE_WORDS,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    alternation,
)
from aggregator.extract.values import value

# words between a subject and its cue: "has also said", "on Friday insisted" (in this order
# in the pattern: "has" before "has been" is tried first, and the run goes on to "been")
_TRAILING_WORDS = tuple(
    (
        "has|have|had|also|later|earlier|previously|then|again|repeatedly|reportedly|would|could|"
        "might|must|should|did|does|do|once|recently|publicly|privately|often|frequently|never|"
        "not|just|already|first|further|separately|too|flatly|bluntly|simply|quickly|"
        "immediately|angrily|strongly|clearly|openly|explicitly|falsely|wrongly|still|always|"
        "even|only|yet|initially|subsequently|finally|privately|been|being|is|was|are|were|"
        "has been|had been|went on to|continued to|continues to|"
        # aspect verbs before a participle cue: "he began dismissing …", "she kept saying …"
        "began|begins|started|starts|kept|keeps|"
        "yesterday|today|for example|for instance|however|meanwhile|in turn|though|in fact|"
        "in response|in return|instead|likewise|similarly|in particular|here"
    ).split("|")
)
# the adverbs among them: one after a name ends the subject ("Khan further noted …", "Ali also
# warned …"); "first", "only", "even" and "just" also qualify a noun ("the only candidate")
ADVERBS = (
    frozenset(word for word in _TRAILING_WORDS if " " not in word)
    - AUXILIARIES
    - frozenset("first only even just not here began begins started starts kept keeps".split())
) | {"additionally", "now"}  # "now" is a trailing word in lower case only
_SHORT_NEGATIONS = NEGATED & frozenset("isn't wasn't don't doesn't didn't won't can't".split())
_DAY = WEEKDAY_PATTERN
_DAY_PART = DAY_PART_PATTERN
_TRAILING = re.compile(
    # "will", "may" and "now" in lower case: "Theresa May said", "Peace Now called"
    r"(?:[\s,]+(?:(?-i:will|may|now)|"
    + "|".join(_TRAILING_WORDS)
    + rf"|(?:on|late|early|last)\s+(?:{_DAY})(?:\s+(?:{_DAY_PART}))?|{_DAY}|"
    # any other adverb in -ly ("specifically points to"), but not the nouns in -ly
    r"(?!(?:family|rally|assembly|supply|ally|belly|bully|reply|daily|weekly|monthly|"
    r"quarterly|holy|italy|july|poly)\b)(?-i:[a-z]{2,}ly))\b)++[\s,]*$",  # possessive: an
    # adverb the list names also matches the -ly pattern, and "quickly, quickly, … x" must
    # fail in linear time, not try every way of splitting the run between the two (each word
    # ends at a word boundary, so "not" is never read off the front of "notably")
    re.IGNORECASE,
)
_TRAILING_WINDOW = 300
# the last word of every item _TRAILING accepts (lower case), besides adverbs in -ly: when the
# word before the cue is none of these, the regex cannot match and is not run
_TRAILING_LAST = frozenset(
    [item.split()[-1] for item in _TRAILING_WORDS]
    + ["will", "may", "now"]
    + [word.lower() for word in WEEKDAYS + DAY_PARTS]
)
_LAST_WORD = re.compile(r"(\w+)[\s,]*$")
_BOUNDARY = re.compile(
    # a comma inside a number ("1,500 people") is no boundary
    r",(?!\d)|[;:”“()\[\]]|\s[-–—]\s|[–—]|\b(?:and|but|while|whereas|as|when|after|before|"
    r"because|since|"
    r"although|though|if|that|who|whom|whose|which|where|with|so|or|yet|until|unless|whether|"
    r"what|how|why|once)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:but|and|meanwhile|later|however|earlier|separately|still|also|now|then|instead|so|"
    r"yet|indeed|moreover|in turn|on (?:" + WEEKDAY_PATTERN + r"))\b[\s,]*)+",
    re.IGNORECASE,
)
_FINAL_PRONOUN = re.compile(r"(?<=\s)(?:he|she|they|we|I)$")
# a relative clause that reports speech or opens a clause of its own is not skipped whole
_CLAUSE_INSIDE = re.compile(r"\b(?:that|said|says|told|tells)\b|[;:“”]")
_RELATIVE_START = re.compile(r",(?=\s*(?:who|which|whose|whom)\b)", re.IGNORECASE)
_WORD = re.compile(r"[\w’'.&-]+")
# the auxiliaries, a few contractions of them and "not" (a subject ends before them)
_AUX = AUXILIARIES | _SHORT_NEGATIONS | {"not", "there", "here"}
# openers a mention may still start with: a statement whose speaker reads "as X" or "given
# …" is mostly a real one whose speaker was cut at the wrong place by the rule that found it;
# rejecting the mention drops the statement as well
_KEPT_OPENERS = frozenset({"as", "given"})
_BAD_FIRST = frozenset(
    "during after before with without under over through despite since until among against "
    "between into onto upon within across behind beyond like unlike near "
    "it's that's what this these those there here to of for by in on at from into "
    "than then if when while because so such no not nothing something everything anything "
    "all either neither one's it’s that’s".split()
) | (ADJUNCT_OPENERS - _KEPT_OPENERS)
_ALL_BEFORE = frozenset("of two three four five six seven eight nine ten the".split())
_BAD_LAST = (
    DETERMINERS
    | DEMONSTRATIVES
    | frozenset("of to in on at for by with from and or but as".split())
)
_ED_ADJECTIVES = frozenset(
    "armed retired elected unnamed named unidentified concerned alleged detained displaced "
    "united advanced embattled beleaguered indicted disgraced recognized recognised "
    "self-declared so-called designated appointed unnamed-based limited".split()
)
_NAME = re.compile(r"(?:[A-Z][\w’'.-]*\s+){0,5}[A-Z][\w’'-]*$")
_TITLES = re.compile(TITLE_RUN)
_PAST_IRREGULAR = (IRREGULAR_PAST - {"written", "spoken"}) | {"says", "tells"}


@value
class Mention:
    """A speaker mention: ``start``/``end`` into the input; ``role`` from an apposition."""

    start: int
    end: int
    role: str | None = None
    role_start: int | None = None


# irregular past tenses that are never nouns or adjectives: "The bickering began even before"
_PAST_VERBS = IRREGULAR_PASTS - frozenset(
    "made got found left held kept won lost paid spent built".split()
)
# first names that are also auxiliaries: "said Will Doyle", "Theresa May said"
_NAME_AUX = frozenset({"Will", "May"})


def is_aux(word: str) -> bool:
    """An auxiliary or a negation; a capitalised ``Will`` or ``May`` is taken for a name."""
    return word.lower().replace("’", "'") in _AUX and word not in _NAME_AUX


def _base_form_at(masked: str, pos: int) -> bool:
    """Whether the verb at ``pos`` is a bare base form ("say", not "says" or "said")."""
    match = _WORD.match(masked, pos)
    if match is None:
        return False
    low = match.group(0).lower()
    return SAY_FORMS.get(low, CLAUSE_FORMS.get(low)) == low


def _verbal(word: str) -> bool:
    low = word.lower().replace("’", "'")
    if is_aux(word):
        return True
    if low in SAY_FORMS and (low in _PAST_IRREGULAR or low.endswith("ing")):
        return True
    if (low in CLAUSE_FORMS or low in SAY_FORMS) and low.endswith("ed"):
        return True
    if low in _PAST_VERBS and word[:1].islower():
        return True
    return (
        low.endswith("ed")
        and word[:1].islower()
        and "-" not in low
        and low not in _ED_ADJECTIVES
        and len(low) > 4
    )


_DETERMINERS = DETERMINERS | DEMONSTRATIVES | {"some"}
_PREPOSITIONS = frozenset(
    "of for in on at to from with by about against among between into over under after before "
    "during without within across behind and or than as via per near like".split()
)
# past tenses that take an infinitive as the subject's own act ("refused to answer")
_INFINITIVE_VERBS = frozenset(
    "refused declined tried wanted agreed decided failed attempted vowed promised threatened "
    "pledged hoped planned sought continued began started managed chose offered".split()
)
_QUANTIFIERS = frozenset("a an one two three another several some many".split())
_PARTICIPLE_PREPOSITIONS = frozenset("in on with by to for from at about".split())
_TIME_NOUNS = frozenset(
    "hours days minutes weeks months years moments seconds later earlier today yesterday".split()
)
_SPAN_OF_TIME = re.compile(
    r"(?:(?:a|an|few|\d+|" + alternation(tuple(sorted(COUNTING_WORDS))) + r")\s+)+"
    r"(?-i:(?:second|minute|hour|day|week|month|year|decade)s?)",
    re.IGNORECASE,
)
_QUANTITY_ADVERBS = frozenset("nearly roughly only fully mostly largely partly barely".split())
# capitalised -ly words that open a sentence as adverbs; any other ("Kelly", "Jolly",
# "Skelly") is taken for a name
_SENTENCE_ADVERBS = frozenset(
    "finally actually really clearly obviously apparently similarly additionally ultimately "
    "unfortunately fortunately importantly notably interestingly eventually recently currently "
    "previously originally initially personally honestly frankly basically certainly "
    "definitely absolutely surely presumably reportedly allegedly supposedly publicly "
    "privately separately typically generally usually normally especially particularly "
    "simply merely curiously ironically remarkably surprisingly predictably understandably "
    "increasingly specifically technically officially formerly lately subsequently "
    "consequently accordingly immediately quickly slowly suddenly domestically locally "
    "internationally politically economically historically traditionally meanwhile "
    "privately repeatedly openly directly indirectly earlier".split()
)
_LY_NOUNS = frozenset("family ally rally supply assembly early daily weekly monthly".split())


def is_adverb(word: str) -> bool:
    """A lower-case adverb that stands between a subject and its verb: "also", "further",
    "separately", any word in -ly but the nouns and adjectives in -ly ("rally", "early")."""
    if not word[:1].islower():
        return False
    low = word.replace("’", "'")
    return low in ADVERBS or (low.endswith("ly") and len(low) > 4 and low not in _LY_NOUNS)


_TEMPORAL_TAIL = re.compile(
    rf"\s+(?:in|on|last|this|since|earlier this|late|early)\s+(?:{_DAY}|{MONTH_PATTERN}|"
    r"week|month|year)$"
)


_DETERMINER_OR_PREPOSITION = _DETERMINERS | _PREPOSITIONS
_BEFORE_A_NOUN = _AUX | _DETERMINERS | _PREPOSITIONS


def _clause_verb(words: list[str]) -> bool:
    """Whether the words hold a verb of their own (they are a clause, not a noun phrase)."""
    for i, w in enumerate(words):
        if not _verbal(w):
            continue
        if (
            i
            and words[i - 1].lower() in _DETERMINER_OR_PREPOSITION
            and w.endswith("ed")
            and words[i - 1].lower() not in {"and", "or", "than", "as"}
        ):
            continue  # "the printed card", "52 percent of registered voters": an adjective
        # "a source involved in the talks", "officials briefed on the plan": a participle
        # after a noun and before a preposition qualifies the noun
        if (
            1 < i + 1 < len(words)
            and w.endswith("ed")
            and words[i + 1].lower() in _PARTICIPLE_PREPOSITIONS
            # "officials assigned to the case", "an official authorized to speak", but "the
            # spokesman refused to answer": a verb that takes an infinitive is the clause's
            and not (
                words[i + 1].lower() == "to"
                and w.lower() in _INFINITIVE_VERBS
                and i + 2 < len(words)
                and words[i + 2].lower() not in _DETERMINERS
            )
            # "one Republican involved in the planning": a capitalised noun after a
            # determiner is no name with a verb after it
            and (words[i - 1][:1].islower() or words[0].lower() in _QUANTIFIERS)
            and words[i - 1].lower() not in _BEFORE_A_NOUN
        ):
            continue
        return True
    return False


def looks_like_np(text: str) -> bool:
    """A short noun phrase: a pronoun, or up to 15 words with no finite verb in them."""
    words = _WORD.findall(text)
    if not words or len(words) > 15:
        return False
    first = words[0].lower()
    if len(words) == 1 and first in PRONOUNS:
        return True
    if len(words) > 3 and first == "at" and words[1].lower() in {"least", "most"}:
        words = words[2:]  # "At least half of voters in each state say"
        first = words[0].lower()
    # "those surveyed say", "Those over 60 say": a demonstrative with more words is a subject;
    # so is "all" before a number or "of" ("All three candidates", "All of the governors")
    if (
        first in _BAD_FIRST
        and not (first == "those" and len(words) > 1)
        and not (first == "all" and len(words) > 2 and words[1].lower() in _ALL_BEFORE)
    ) or words[-1].lower() in _BAD_LAST:
        return False
    # "the printed card", "52 percent of registered voters": an -ed word right after a
    # determiner or a preposition is an adjective
    if _clause_verb(words):
        return False
    if (
        first.endswith("ing")
        and words[0][:1].islower()
        and not (len(words) == 2 and words[1].endswith("s") and words[1][:1].islower())
    ):
        # a gerund opens a clause ("Opening the door …"); "leading experts" is a noun phrase
        return False
    if (len(words) == 1 and (len(words[0]) < 2 or first in _TIME_NOUNS)) or _SPAN_OF_TIME.fullmatch(
        " ".join(words)
    ):
        # "’s" left over from a contraction; "Hours later, …"; "Six months (after …)"
        return False
    for i, w in enumerate(words):
        low = w.lower()
        if i and low.endswith("ing") and words[i - 1].lower() in {"by", "while", "after", "before"}:
            return False  # "the committee by slamming candidates": a clause, not a speaker
        if (
            i == 0
            and low.endswith("ly")
            and len(low) > 4
            and low not in _LY_NOUNS | _QUANTITY_ADVERBS
            and (w[:1].islower() or low in _SENTENCE_ADVERBS)
        ):
            return False  # "Domestically, …"
        if not w[:1].islower():
            continue
        if (
            low.endswith("ly")
            and len(low) > 4
            and low not in _LY_NOUNS
            and (i or low not in _QUANTITY_ADVERBS)
        ):
            return False  # an adverb: this is a clause
        # "Fox News paid a …": a non-preposition followed by a determiner is a verb, unless
        # an infinitive ("the last man to mount a … race")
        if (
            i + 1 < len(words)
            and words[i + 1].lower() in _DETERMINERS
            and i > 0
            and (low not in _PREPOSITIONS)
            and words[i - 1].lower() != "to"
        ):
            return False
    if len(words) == 1 and first in {"i", "you"}:
        return True
    limit = 8 if first in _DETERMINERS else 6
    return any(w[:1].isupper() for w in words) or len(words) <= limit


def _trim(masked: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (masked[start] in " ,\n-–—" or masked[start] in LAYOUT_MARKS):
        start += 1
    while end > start and masked[end - 1] in " ,\n-–—":
        end -= 1
    return start, end


def _last_chunk(masked: str, lo: int, hi: int) -> tuple[int, int, str]:
    """The text after the last clause boundary in ``masked[lo:hi]``, and that boundary."""
    # the last boundary is nearly always close to ``hi``: look there first, then everywhere
    window = max(lo, hi - 160)
    cut, boundary = _last_boundary(masked, window, hi)
    if not boundary and window > lo:
        cut, boundary = _last_boundary(masked, lo, hi)
    return (cut if boundary else lo), hi, boundary


def _last_boundary(masked: str, lo: int, hi: int) -> tuple[int, str]:
    cut, boundary = lo, ""
    for match in _BOUNDARY.finditer(masked, lo, hi):
        if match.group(0) in "()":
            continue  # a parenthesis belongs to the phrase: "The Red Cross (ICRC)"
        cut = match.end()
        boundary = match.group(0).strip().lower()
    return cut, boundary


def is_name(text: str) -> bool:
    """Capitalised words only (a title is allowed): "Gen Vladimir Boldyrev", "Haley Morris"."""
    stripped = _TITLES.sub("", text.strip())
    return bool(stripped) and bool(_NAME.fullmatch(stripped)) and len(stripped.split()) >= 1


# words that open an aside between commas before the cue: "X, in a meeting with Y, said"
_ASIDE = re.compile(
    r",\s+(?:in|during|at|after|before|on|while|following|alongside|addressing|speaking|"
    # an apposition that names members: "Eight states, including X and Y, said"
    r"including|such as|among them|notably|especially|particularly)\s"
    r"[^,;:“”\"]*$",
    re.IGNORECASE,
)


def _prepositional_aside(masked: str, lo: int, hi: int) -> int | None:
    """The comma that opens a prepositional aside ending at ``hi``, when a subject precedes it."""
    match = _ASIDE.search(masked, max(lo, hi - 160), hi)
    if match is None or match.start() <= lo or _CLAUSE_INSIDE.search(masked, match.end() - 1, hi):
        return None
    return match.start() if masked[lo : match.start()].strip() else None


Subject: TypeAlias = Mention | str | None  # a mention, "elided" after "and"/"but", or none


class _GoOn(enum.Enum):
    """A reading that does not apply here: the next one is tried."""

    GO_ON = "go on"


_GO_ON = _GoOn.GO_ON


def find_subject(masked: str, lo: int, cue_start: int) -> Subject:
    """The subject ending right before a cue, or ``"elided"`` after "and"/"but", or None.

    ``lo`` is where the clause may begin (the sentence start or the end of an earlier
    statement in the same sentence).
    """
    bounds = _subject_end(masked, lo, cue_start)
    if bounds is None:
        return None
    hi, parenthetical = bounds
    if parenthetical:
        found = _past_aside(masked, lo, hi)
        if found is not _GO_ON:
            return found
    cut, end, boundary = _last_chunk(masked, lo, hi)
    if parenthetical and boundary in {"and", "or"}:
        # "Mr. Kaplan, a screenwriter and former studio executive, said": the apposition holds
        # a coordination; the name before it speaks
        named = _named_before_apposition(masked, lo, hi)
        if named is not None:
            return named
    start, end = _trim(masked, cut, end)
    if start >= end:
        return _nothing_between(masked, lo, cut, boundary)
    if boundary == "and" and not parenthetical:
        joint = _coordinated_names(masked, lo, cut, start, end) or _coordinated_in_phrase(
            masked, lo, cut, start, end
        )
        if joint is not None:
            return joint
    chunk = _Chunk(start, end, cut, boundary, parenthetical)
    return _chunk_subject(masked, lo, hi, cue_start, chunk)


_AND_BEFORE = re.compile(r"\s+and$")
# capitalised words that open a clause but no name
_NOT_A_NAME_START = (
    PRONOUNS
    | _PREPOSITIONS
    | frozenset(w.lower() for w in (*WEEKDAYS, *DAY_PARTS))
    | frozenset("today yesterday tomorrow earlier later meanwhile now then also".split())
)


def _coordinated_names(masked: str, lo: int, cut: int, start: int, end: int) -> Mention | None:
    """Two names joined by "and" that open their clause speak together: "Israel and Hamas
    blamed each other", "Armenia and Azerbaijan said …" (not the second alone)."""
    joined = _AND_BEFORE.search(masked, max(lo, cut - 12), cut)
    if joined is None or not is_name(masked[start:end]):
        return None
    if masked.find(",", lo, joined.start()) >= 0:
        return None  # "Vietnam, Malaysia, Brunei and Taiwan …": a list, or an opening phrase
    first_start, first_end = _trim(masked, lo, joined.start())
    first = masked[first_start:first_end]
    if not first or not is_name(first) or len(first.split()) > 4:
        return None
    if first.split(" ", 1)[0].lower() in _NOT_A_NAME_START:
        return None  # "Yesterday Trump and Vance", "In Washington …", "He and Vance"
    return Mention(first_start, end)


# the "of"/"for" phrase before "and" in "the foreign ministers of France and Germany" (a few
# words, an article at most before them)
_OF_PHRASE_END = re.compile(r"\s(?:of|for)\s+(?:the\s+)?(?:[\w’'.&-]+\s+){0,3}[\w’'.&-]+$")
_MAX_AFTER_AND = 4  # words: "Human Services", "UK militaries", "the Prime Minister"
_MAX_LIST_ITEMS = 6  # "the ministers of France, Germany, Italy and Spain"


def _coordinated_in_phrase(masked: str, lo: int, cut: int, start: int, end: int) -> Mention | None:
    """A noun whose "of"/"for" phrase holds the "and": "the foreign ministers of France and
    Germany said", "the Department of Health and Human Services said" (the officials or the
    office speak, not "Germany" or "Human Services" alone)."""
    joined = _AND_BEFORE.search(masked, max(lo, cut - 12), cut)
    if joined is None:
        return None
    second = masked[start:end]
    words = second.split()
    if len(words) > _MAX_AFTER_AND or words[0].lower() in PRONOUNS or not looks_like_np(second):
        return None  # "… and he said", "… and officials who were there said": a clause
    head_start = _owner_list_start(masked, lo, joined.start())
    if head_start is None:
        return None
    last_before = masked[head_start : joined.start()].split()[-1]
    if last_before[:1].islower() and is_name(second):
        return None  # "a woman asked for a photo and Clinton said": a clause, then a name
    text = masked[head_start:end]
    if not looks_like_np(text):
        return None
    prefix = split_title(text)  # "Vice President for news and talk Dave Gorab"
    return Mention(head_start, end, prefix, head_start if prefix else None)


def _owner_list_start(masked: str, lo: int, hi: int) -> int | None:
    """Where the noun phrase that ends in an "of"/"for" phrase at ``hi`` begins, past the
    items of a list before "and" ("the ministers of France, Germany and …"); None when no
    such noun phrase ends there ("The talks ended and …")."""
    for _ in range(_MAX_LIST_ITEMS):
        cut, end, boundary = _last_chunk(masked, lo, hi)
        start, end = _trim(masked, cut, end)
        lead = _LEADING.match(masked[start:end])
        if lead:
            start += lead.end()
        head = masked[start:end]
        if not head or not looks_like_np(head):
            return None
        if _OF_PHRASE_END.search(head):
            return start
        if boundary != "," or len(head.split()) > _MAX_AFTER_AND:
            return None
        hi = cut - 1  # an item of a list: the phrase goes on before its comma
    return None


def _subject_end(masked: str, lo: int, cue_start: int) -> tuple[int, bool] | None:
    """Where the subject ends (before the adverbs, commas and asides between it and the
    cue), and whether a comma or a dash set it off; None when nothing stands before."""
    hi = cue_start
    # anchored at the cue: a run of adverbs longer than the window is not a subject anyway
    last = _LAST_WORD.search(masked, max(lo, hi - 40), hi)
    word = last.group(1) if last else ""
    if word.lower() in _TRAILING_LAST or (word.endswith("ly") and word.islower()):
        trail = _TRAILING.search(masked, max(lo, hi - _TRAILING_WINDOW), hi)
        if trail is not None:
            hi = trail.start()
            if "," not in masked[hi:cue_start].lstrip(" ,"):
                # from the trail's first word: a comma before it still sets the subject off
                # ("Shafiqur Rahman, 67, has also said": the age is an aside); not when the
                # trail is an aside itself (", meanwhile, said")
                while hi < trail.end() and (masked[hi] == "," or masked[hi].isspace()):
                    hi += 1
    raw_hi = hi
    _, hi = _trim(masked, lo, hi)
    parenthetical = raw_hi > hi and masked[hi:raw_hi].strip() in {",", "-", "–", "—"}
    if hi <= lo:
        return None
    if masked[hi - 1] in "-–—" and hi - 1 > lo:
        parenthetical = True
        _, hi = _trim(masked, lo, hi - 1)
    if masked[hi - 1] == ")":
        # "Sen. Chris Murphy (a Democrat so boyish he …) says": the aside describes the subject
        opening = masked.rfind("(", max(lo, hi - 200), hi - 1)
        if (
            opening > lo
            and ")" not in masked[opening : hi - 1]
            # "(ICRC)", "(D-Nev.)" belong to the name
            and len(masked[opening:hi].split()) >= 4
        ):
            _, hi = _trim(masked, lo, opening)
    return hi, parenthetical


def _past_aside(masked: str, lo: int, hi: int) -> Subject | Literal[_GoOn.GO_ON]:
    """The subject before an aside set off by commas: a prepositional one ("X, in a meeting
    with Y, affirmed": X speaks) or a relative clause ("X, who said …, confirmed")."""
    aside = _prepositional_aside(masked, lo, hi)
    if aside is not None:
        return find_subject(masked, lo, aside + 1)
    # the comma before "who", however many commas the clause itself holds: "…, who served in
    # Iran, Turkey and France, praised …"
    starts = list(_RELATIVE_START.finditer(masked, max(lo, hi - 300), hi))
    relative = starts[-1] if starts else None
    if relative is None or _CLAUSE_INSIDE.search(masked, relative.end(), hi):
        return _GO_ON
    comma = relative.start()
    if comma <= lo:
        return _GO_ON
    # "Murshed Zaheed, acting director of X, which organized …, said": the name before the
    # apposition speaks when the antecedent alone is no noun phrase (the comma is kept so
    # that an apposition before it is read as one)
    return find_subject(masked, lo, comma + 1) or _named_before_apposition(masked, lo, comma)


def _nothing_between(masked: str, lo: int, cut: int, boundary: str) -> Subject:
    """No words between the last boundary and the cue: an elided subject after "and", or the
    antecedent of "who" ("a lecture from the Mexican president, who said …")."""
    if boundary in {"and", "but", "or"}:
        return "elided"
    if boundary in {"who", "which"}:
        head = max(lo, cut - len(boundary) - 1)
        # "a strategy report in November, which claimed …": the time qualifies the antecedent;
        # it is none itself
        tail = _TEMPORAL_TAIL.search(masked[lo:head].rstrip(" ,"))
        if tail is not None and tail.start() > 0:
            head = lo + tail.start()
        return find_subject(masked, lo, head) or trailing_np(masked, lo, head)
    return None


class _Chunk(NamedTuple):
    """The words after the last clause boundary before the cue, and that boundary."""

    start: int
    end: int
    cut: int
    boundary: str
    parenthetical: bool


def _chunk_subject(masked: str, lo: int, hi: int, cue_start: int, chunk: _Chunk) -> Subject:
    start, end, boundary = chunk.start, chunk.end, chunk.boundary
    lead = _LEADING.match(masked[start:end])
    if lead:
        start += lead.end()
    while start < end and masked[start] in "'’‘\"":
        start += 1
    text = masked[start:end]
    if text.split(" ", 1)[0] in _NAME_AUX and _base_form_at(masked, cue_start):
        return None  # "Will Trump say he won?": a question, not a speaker called Will Trump
    pronoun = _FINAL_PRONOUN.search(text)
    if pronoun and pronoun.start() > 0:
        # "on Tuesday night he said": the pronoun is the subject
        return Mention(start + pronoun.start(), end)
    if not looks_like_np(text):
        return _no_noun_phrase(masked, lo, hi, chunk)
    tail = _TEMPORAL_TAIL.search(text)
    if tail is not None and tail.start() > 0:
        # "a video in October said": the time qualifies the speaker; it is no part of it
        end = start + tail.start()
        text = masked[start:end]
    if boundary in {",", "-", "–", "—"} and chunk.cut > lo and chunk.parenthetical:
        apposed = _apposition(masked, lo, chunk.cut, start, end)
        if apposed is not None:
            return apposed
    prefix = split_title(text)
    return Mention(start, end, prefix, start if prefix else None)


def _no_noun_phrase(masked: str, lo: int, hi: int, chunk: _Chunk) -> Subject:
    """The words before the cue are no noun phrase: the antecedent of "who"/"that", or the
    name that opens an apposition."""
    boundary, cut = chunk.boundary, chunk.cut
    if boundary in {"who", "that", "whose"} and cut - len(boundary) > lo:
        # "a White House official who spoke anonymously said": the antecedent speaks
        antecedent = find_subject(masked, lo, cut - len(boundary))
        if isinstance(antecedent, Mention):
            return antecedent
    if chunk.parenthetical:
        # "Lesley Deutch, a senior vice president in … of …, said": the name opens the clause
        return _named_before_apposition(masked, lo, hi)
    return None


def _apposition(masked: str, lo: int, cut: int, start: int, end: int) -> Mention | None:
    """An apposition: "Russia's ambassador to Nato, Dmitry Rogozin, said" (the name speaks,
    the description is its role) or "Dmitry Rogozin, Russia's ambassador, said"."""
    text = masked[start:end]
    prev_cut, prev_end, _ = _last_chunk(masked, lo, cut - 1)
    p_start, p_end = _trim(masked, prev_cut, prev_end)
    lead = _LEADING.match(masked[p_start:p_end])
    if lead:
        p_start += lead.end()
    previous = masked[p_start:p_end]
    if not previous or not looks_like_np(previous):
        return None
    if is_name(text):
        return Mention(start, end, previous, p_start)
    if is_name(previous) or not is_name(text):
        return Mention(p_start, p_end, text, start)
    return None


_TITLE_WORDS = TITLE_WORDS | OFFICE_WORDS


_LOCATIVE = re.compile(r"\s+(?:in|from|at)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*$")


_TRAILING_NP = re.compile(
    r"\b(?:(?:the|a|an|his|her|their|its|some|many|several|most|other|few)\s+"
    r"(?:[\w’'-]+\s+){0,4}[\w’'-]+"
    # "Clinton supporters who …", "Republican Jewish leaders, who …"
    r"|(?:[A-Z][\w’'.-]*\s+){1,3}[a-z]{3,}s"
    r"|(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*)[\s,]*$"
)


_NAME_AFTER_PREPOSITION = re.compile(
    r"\s(?:from|by|with)\s+((?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'-]*)$"
)


def trailing_np(masked: str, lo: int, hi: int) -> Mention | None:
    """The noun phrase that ends right at ``hi``: "… a lecture from the Mexican president"."""
    match = _TRAILING_NP.search(masked, max(lo, hi - 80), hi)
    if match is None:
        return None
    start, end = _trim(masked, match.start(), match.end())
    if start >= end or not looks_like_np(masked[start:end]):
        return None
    named = _NAME_AFTER_PREPOSITION.search(masked, start, end)
    if named is not None:
        # "his first endorsement from Mike Lee, who declared …": the name is the antecedent
        return Mention(named.start(1), named.end(1))
    return Mention(start, end)


def _named_before_apposition(masked: str, lo: int, hi: int) -> Mention | None:
    """The first comma-delimited name in ``masked[lo:hi]`` followed by an apposition."""
    pos = lo
    while True:
        comma = masked.find(",", pos, hi)
        if comma < 0:
            return None
        cut, end, _ = _last_chunk(masked, lo, comma)
        start, end = _trim(masked, cut, end)
        lead = _LEADING.match(masked[start:end])
        if lead:
            start += lead.end()
        candidate = masked[start:end]
        if start < end and is_name(candidate) and looks_like_np(candidate):
            role_start, role_end = _trim(masked, comma + 1, hi)
            role = masked[role_start:role_end]
            return Mention(start, end, role, role_start)
        pos = comma + 1


def split_title(text: str) -> str | None:
    """The title or description before a name: "US President" in "US President George W Bush"."""
    text = _LOCATIVE.sub("", text)
    words = text.split()
    if len(words) < 2:
        return None
    i = len(words)
    while i > 0:
        word = words[i - 1]
        bare = word.rstrip(".,").lower()
        if not word[:1].isupper() or bare in _TITLE_WORDS or word.endswith(("’s", "'s")):
            break
        i -= 1
    if i == len(words) or i == 0:
        return None
    if words[i - 1].lower() in _PREPOSITIONS or words[i - 1].lower() in {"the", "a", "an", "and"}:
        # "A spokeswoman for Janney": no title, a whole noun phrase; "Chief of the Army
        # Staff …": the capitals go on with the office, and a title cut there is no title
        return None
    if all(w.rstrip(".").lower() in _HONORIFICS for w in words[:i]):
        return None  # "Mrs. Trump": a form of address is no role
    return " ".join(words[:i])


_HONORIFICS = HONORIFICS


_TOKEN = (
    # an abbreviation of initials ("U.K.", "U.N.") is one token: its dots end no phrase
    r"(?:(?:[A-Z]\.){2,}(?![\w])"
    r"|(?:" + alternation((*ABBREVIATED_TITLES, *NAME_SUFFIXES)) + r"|[A-Z])\.(?![\w.])"
    r"|[\w’'&/-]+|\([^()]{1,25}\))"
)
# tokens separated by exactly one run of spaces: linear, no nested repetition to backtrack over
_INVERTED = re.compile(
    r" *(" + _TOKEN + r"(?: +" + _TOKEN + r"){0,13}?)"
    r"(?=[,.;:!?]| *$| +(?:who|in|on|at|when|while|after|before|during|because|since|as) )"
)


_INVERTED_TO_PUNCTUATION = re.compile(
    r" *(" + _TOKEN + r"(?: +" + _TOKEN + r"){0,13}?)(?=[,;:!?]|\.(?: |$)| *$)"
)
_SUBJECT_PRONOUNS = SUBJECT_PRONOUNS
_CLAUSE_OPENERS = frozenset("that if whether how why what when where".split())
# present-tense verbs that turn up after a noun in a reported clause ("the bridge needs …")
_PRESENT_VERBS = frozenset(
    "needs wants seems remains means makes takes gives shows looks feels knows thinks believes "
    "says tells calls".split()
)


# the role in an apposition after an inverted speaker: "…,” said X, the mayor, …"; the dots of
# an initialism are part of it when the phrase goes on ("head of the U.K.’s intelligence
# agency", "the U.S. envoy"), and end it before a new sentence ("… in the U.S. He added")
INITIALISM_DOT = r"(?<=\b[A-Z])\.(?=[A-Z]\.|[’']s\b|\s+[a-z]|-)"
# in a role, also a middle initial between two names whose last ends the role ("aide to George
# W. Bush."; not "the manager of Plan B. Critics disagreed": a sentence goes on there)
_ROLE_DOT = r"(?:" + INITIALISM_DOT + r"|(?<=[a-z] [A-Z])\.(?=\s+[A-Z][a-z’'-]+(?:[.,;]|\s*$)))"
_ROLE_AFTER = re.compile(
    r"\s*,\s*((?:the |a |an )?(?:[^,.;“”]|" + _ROLE_DOT + r"){3,80}?)\s*"
    r"(?:[,;]|(?!" + _ROLE_DOT + r")\.|$)"
)


def find_inverted(masked: str, cue_end: int, hi: int) -> Mention | None:
    """The speaker right after a cue: "…,” said Mr Lavrov, Russia's foreign minister."""
    match = _INVERTED.match(masked, cue_end, hi)
    if not match:
        return None
    start, end = match.span(1)
    start, end = _trim(masked, start, end)
    if end - start > 2 and masked[end - 1] == "." and masked[end - 3] != ".":
        end -= 1  # the sentence's full stop, not an abbreviation's
    text = masked[start:end]
    if text and not looks_like_np(text) and text.endswith("ed"):
        # "says a source involved in the talks": the participle's phrase belongs to the noun
        longer = _INVERTED_TO_PUNCTUATION.match(masked, cue_end, hi)
        if longer is not None:
            start, end = _trim(masked, *longer.span(1))
            text = masked[start:end]
    if not text or not looks_like_np(text) or text.lower() in {"that", "so", "it"}:
        return None
    words = text.lower().split()
    if words[0] in _CLAUSE_OPENERS or any(
        w in _PRESENT_VERBS or w in _SUBJECT_PRONOUNS for w in words[1:]
    ):
        return None  # "…, say that the bridge …", "…, say the bridge needs …": a clause
    role: str | None = None
    role_start: int | None = None
    rest = _ROLE_AFTER.match(masked[end:hi])
    if rest and looks_like_np(rest.group(1)):
        role = rest.group(1)
        role_start = end + rest.start(1)
    return Mention(start, end, role, role_start)
