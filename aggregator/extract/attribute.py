"""One cue, one statement: the constructions that find a cue's speaker and content.

Each construction is a small named function with its example; :data:`CONSTRUCTIONS` lists them
in the order they are tried, and the first that answers for a cue decides: a statement (named
after the construction, ``Draft.rule``), or :data:`NOTHING` (no statement, and no later
construction is tried). A construction is asked only about the cues it reads (:data:`READS`
names the few that read some cues only; :data:`FOR_CUE` lists, for each kind of cue, the
constructions asked about it). :class:`Attribution` holds what they ask of the cue (its
subject, the claim before and after it), each found once and only when a construction asks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import islice
from typing import Any, Generic, TypeAlias, TypeVar

from aggregator.extract.content import (
    OBJECT_LEMMAS,
    adjunct_only,
    clause_end,
    content_after,
    content_before,
    content_words,
    has_verb,
    short_tail,
    skip_object,
    trim_content,
)
from aggregator.extract.cues import MAX_PER_SENTENCE, NEEDS_THAT, Cue, CueType
from aggregator.extract.lexicon import (
    ABBREVIATED_TITLES,
    DAY_PART_PATTERN,
    NAME_SUFFIXES,
    SUBJECT_PRONOUNS,
    WEEKDAY_PATTERN,
)
from aggregator.extract.quotes import Quote
from aggregator.extract.speakers import (
    _TEMPORAL_TAIL,
    INITIALISM_DOT,
    Mention,
    Subject,
    find_inverted,
    find_subject,
    is_name,
    looks_like_np,
    trailing_np,
)
from aggregator.extract.subjects import find_sentence_subject, subordinate_subject
from aggregator.extract.text import CLOSE_QUOTE, OPEN_QUOTE
from aggregator.extract.values import value

_SUBORDINATORS = frozenset(
    "while although though because if when as since after before whereas unless".split()
)
_LEAD_IN = frozenset("because that and but so while although since as when if".split())
_SUBJECT_WINDOW = 400  # characters before a cue searched for its subject
_POSTPOSED_REST = re.compile(
    r"^\s*(?:[,.;:!?]|$|\w+ing\b|(?:while|as|when|after|before|during|in|at|on|to|from|of|adding|"
    r"according|who|which|because|referring|speaking|writing|citing|noting|told|\()\b)",
    re.IGNORECASE,
)
_MIDDLE = re.compile(r"\s*,\s*(?![“”])(?![a-z]+ing\b)[\w’'-]+\s+(?:[\w’'-]|“)")
# "Freeing her husband, he promised, was one of his priorities": the claim's verb follows
_MIDDLE_VERB = re.compile(
    r"\s*,\s*(?:is|was|are|were|has|had|have|will|would|could|should|can|may|might|must|"
    r"remains|remained|did|does|do)\s+(?:[\w’'-]+\s+){1,}"
)
# a subject right after one of these starts a clause of its own, not nested speech
_MIDDLE_SHORT = re.compile(r"\s*[\w’'-]+(?:\s+[\w’'-]+)?\s*,\s*$")
# after an inverted speaker: nothing, or an apposition of a few words, then the full stop
_ROLE_WORD = r"(?!(?:is|was|are|were|has|had|will|would)\b)[\w’'.&()/-]+"
# a relative clause about the speaker: up to 25 words, commas between them allowed
_RELATIVE_WORDS = r"(?:who|whose) +[\w’'.&()/-]+,?(?: +[\w’'.&()/-]+,?){0,24}"
_ENDS_AFTER_ROLE = re.compile(
    r" *(?:, *" + _ROLE_WORD + r"(?: +" + _ROLE_WORD + r"){0,13}"
    # a place or an institution's name holding commas: "…, a professor at the University of
    # California, Davis, Center for Regional Change."
    r"(?:, *[A-Z]" + _ROLE_WORD + r"(?: +" + _ROLE_WORD + r"){0,6}){0,2}"
    # the apposition's own relative clause: "…, said X, an expert who has published books,
    # papers and editorials."
    r"(?: +" + _RELATIVE_WORDS + r")?)?"
    # or a relative clause about the speaker: "…, said Dahl, who was elected in 2012."
    r"(?:, *" + _RELATIVE_WORDS + r")? *[.!?]? *"
)
_DOCUMENT = re.compile(
    r"\b(?:statement|resolution|declaration|letter|draft|communiqu[eé]|text|motion|report|"
    # what a speaker records or publishes: "filmed a clip railing against …" (a sign or a
    # banner "saying …" is left its own speaker, as annotators read it)
    r"video|clip|ad|advert|advertisement|commercial|post|tweet|message|op-ed|editorial|"
    r"article|petition|memo)s?"
    # "released a statement Thursday night calling for …"
    r"(?:\s+(?:on\s+)?(?:" + WEEKDAY_PATTERN + r"|today|"
    r"yesterday)(?:\s+(?:" + DAY_PART_PATTERN + r"))?)?$"
)
# "a charity that prosecutors said was suspected of …": speech inside a relative clause,
# whose content is the rest of that clause
_RELATIVE_BEFORE = re.compile(r"\b(?:that|which|who|whom|what)\s+$", re.IGNORECASE)
_AUX_AFTER = re.compile(
    r"\s+(?:is|was|are|were|has|had|have|would|will|could|should|might|may|must)\s+\w"
)
# what may stand between the attribution and the rest of a split quotation
_SPLIT_GAP = r"\s*(?:(?:of|to|in|on|at|after|before|during|from|about)\b[^“”.;,]{0,60})?"
_SPLIT_QUOTE = re.compile(
    # right after the attribution, or after an adjunct and a comma ("he said of X, “…”"; not
    # "he said during a call to ABC's “This Week.”", where the quotation is a title)
    r"(?:\s*[,;:]?|" + _SPLIT_GAP + r"[,;:])\s*(?:adding|and added)?[\s,:]*" + OPEN_QUOTE
)
_SPLIT_CLAUSE = re.compile(
    _SPLIT_GAP + r",\s*(?:that\s+[a-z]|(?:would|will|is|was|are|were|has|had|could|should|"
    r"must|can|may|might)\b)"
)
_TITLE_LEAD = re.compile(r"(?:\b(?:on|in|with|to|at|from|of|for|by|told)|['’]s)\s*$")
_OPENING_PARTICIPLE = re.compile(
    r"\s*(?:(?:but|and|yet|so|then)\s+)?(?:(?:while|after|before|when|since|in|by|upon)\s+)?",
    re.IGNORECASE,
)
_PARTICIPLE_AFTER = re.compile(r"\b(?:by|for|after|before|while|when|since|in)\s+$", re.I)
_OPENING_SPEAKER = re.compile(
    r"\s+((?:the |a |an )?[^\s,:;“”][^,:;“”]{1,80}?)\s*[,:]\s*(?=“|[A-Z])"
)
_OPENING_SPEAKER_ASIDE = re.compile(
    r"\s+((?:the |a |an )?[^\s,:;“”][^,:;“”]{1,80}?),\s*([^“”:;]{1,150}?),\s*(?=“)"
)
_SUBORDINATE_OPEN = re.compile(
    r"\s*(?:(?:and|but|so)\s+)?(?:while|although|though|whereas|where|if|because|since|as|when|"
    r"even\s+though|even\s+as|even\s+if)\s",
    re.IGNORECASE,
)
_MAIN_CLAUSE = re.compile(
    r",\s+(?:(?:he|she|they|it|we|I|others|many|some)|(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
    r"\s+(?:[a-z]+\s+)?(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do|said|says|"
    r"say|told|appears?|seems?|remains?)\b"
)
_WHO_BEFORE = re.compile(
    r"\b(?:who|which)\s+(?:(?:had|has|have|was|were|is|are|would|will|could|did|does|do|also|"
    r"once|later|then|[a-z]+ly)\s+){0,3}$",
    re.IGNORECASE,
)
_IN_RELATIVE = re.compile(r",\s+(?:who|which|where)\b[^,;“”]*$")


# "…, said she sees …" is no inverted speaker: a pronoun right after the verb opens a clause
_CLAUSE_PRONOUNS = SUBJECT_PRONOUNS | {"it"}
_FIRST_WORD = re.compile(r"[\w’']+")


def _first_word(masked: str, start: int) -> str:
    match = _FIRST_WORD.match(masked, start)
    return match.group(0).lower() if match else ""


@value
class Sentence:
    """One sentence as every construction sees it: the working copies and its offsets.

    ``flat`` is the working copy (line breaks as spaces); ``masked`` the same with quotation
    interiors blanked (what the rules read, so nothing quoted is taken for a cue or a speaker);
    offsets index both, and the input. ``end`` is where its statements may end: the sentence's
    own end, or the next paragraph's after ``X wrote:``. ``quotes`` are the quotations that
    overlap it; ``block`` is the index of its paragraph.
    """

    flat: str
    masked: str
    start: int
    end: int
    block: int
    quotes: tuple[Quote, ...] = ()


@value
class Draft:
    """A statement before resolution: offsets of its content, its cue and speaker mention,
    and ``rule``, the name of the construction that made it."""

    start: int
    end: int
    cue: Cue | None
    mention: Mention | None
    block: int
    inherited: Draft | None = None  # an unattributed quotation continuing this draft
    # a statement inside another's content ("…, whom he called “a fraud”"): both are kept
    nested: bool = False
    rule: str = ""


class _Nothing:
    """A construction's answer when it applies but gives no statement: no later one is tried."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOTHING"


NOTHING = _Nothing()
# a statement, NOTHING (stop here), or None (try the next construction)
Found: TypeAlias = Draft | _Nothing | None


_T = TypeVar("_T")


class _once(Generic[_T]):  # a decorator, named like functools.cached_property
    """A property computed on first use and then kept in the instance (functools'
    cached_property takes a lock on every first use, which costs time on the hot path)."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__

    def __get__(self, instance: object, owner: type | None = None) -> _T:
        value = self.func(instance)
        instance.__dict__[self.name] = value
        return value


class _together(Generic[_T]):
    """One of the values that ``reader`` finds together, all kept in the instance on first use
    of any of them (a first use calls into Python from the attribute lookup, which costs more
    than the reading of a small value: values always read together are found in one go)."""

    def __init__(self, reader: Callable[[Any], dict[str, Any]]) -> None:
        self.reader = reader
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> _T:
        found = self.reader(instance)
        instance.__dict__.update(found)
        value: _T = found[self.name]  # (typing.cast would be one more call)
        return value


def _speaker(a: Attribution) -> dict[str, Any]:
    """``nearest``, ``subject``, ``mention`` and ``head`` of an attribution (each construction
    that reads one of them reads the others); with a mention, also ``before`` and ``rest``,
    which every construction after ``relative_clause`` that reads the mention reads."""
    # the subject right before the cue (speakers are short: the look-back is bounded)
    masked, lo, cue = a.masked, a.lo, a.cue
    nearest = find_subject(masked, max(lo, cue.start - _SUBJECT_WINDOW), cue.start)
    subject = _participle_subject(masked, lo, cue, nearest) if cue.participle else nearest
    mention = subject if isinstance(subject, Mention) else None
    if mention is None:
        return {"nearest": nearest, "subject": subject, "mention": None, "head": -1}
    # where the subject mention (or its apposition) begins
    head = mention.start if mention.role_start is None else min(mention.start, mention.role_start)
    return {
        "nearest": nearest,
        "subject": subject,
        "mention": mention,
        "head": head,
        "before": content_before(masked, lo, head),
        "rest": masked[skip_object(masked, cue, a.hi) : a.hi],
    }


def _participle_subject(masked: str, lo: int, cue: Cue, nearest: Subject) -> Subject:
    """The speaker of a participle cue: ``"participle"`` when the clause's subject speaks ("X
    announced …, saying …"), or the noun phrase it qualifies."""
    if "," in masked[max(lo, cue.start - 3) : cue.start] or _PARTICIPLE_AFTER.search(
        masked, max(lo, cue.start - 12), cue.start
    ):
        # "Boxer attacked Fiorina by reminding voters that …"
        return "participle"
    subject = nearest
    if subject is None:
        subject = trailing_np(masked, lo, cue.start)
    if (
        isinstance(subject, Mention)
        and _is_document(masked, subject)
        and not _owned(masked, lo, subject)
    ):
        # "the Council failed to agree on a statement calling for …", "the pair filmed a
        # clip in March railing against …": the document speaks for the clause's subject
        # ("… included Trump vowing …")
        clause = find_sentence_subject(masked, lo, cue.start)
        if clause is not None and not masked[clause.start : clause.end].endswith("ing"):
            # (not "Holding" in "Holding a video calling …, the crowd …"); "X spoke after Y
            # released a video calling …": Y
            subject = subordinate_subject(masked, clause.end, subject.start) or clause
    return subject


_OWNER_INSIDE = re.compile(
    r"\b(?:his|her|their|its)\s+[\w-]+\s+(?:in|of|on|for|over|with)\b", re.IGNORECASE
)
_OWNER_BEFORE = re.compile(
    r"\b(?:who|which)\b[^,;]*$|\bwith\b(?:[^,;]|,(?=\d))*\b[a-z]+ing\s+$"  # ("5,000")
)


def _owned(masked: str, lo: int, mention: Mention) -> bool:
    """Whether a document is another's than the clause subject's: "his involvement in a video
    calling …", "X, who recorded a video calling …", "with 5,000 people signing a petition
    calling …" (not "she revised her statement explaining …": hers)."""
    return (
        _OWNER_INSIDE.search(masked, mention.start, mention.end) is not None
        or _OWNER_BEFORE.search(masked, max(lo, mention.start - 80), mention.start) is not None
    )


def _is_document(masked: str, mention: Mention) -> bool:
    """Whether a mention is a document or a recording ("a statement", "a clip in March")."""
    tail = _TEMPORAL_TAIL.search(masked, mention.start, mention.end)
    end = tail.start() if tail is not None else mention.end
    return _DOCUMENT.search(masked, mention.start, end) is not None


def _claim_after(a: Attribution) -> dict[str, Any]:
    """``after`` and ``strong_after``: the claim after the cue, unless it is an adjunct after a
    post-posed claim ("Victory is vital, he said after meeting aides"), and whether it is a
    "that" clause or a quotation."""
    after = a.content_after
    if after is not None and a.before is not None and adjunct_only(a.masked, *after[:2]):
        after = None
    strong = after is not None and (after[2] or a.masked[after[0]] == OPEN_QUOTE)
    return {"after": after, "strong_after": strong}


class Attribution:
    """One cue in its sentence, and what the constructions ask about it, each found once."""

    def __init__(self, sentence: Sentence, cue: Cue, previous: Draft | None) -> None:
        self.sentence = sentence
        self.masked = masked = sentence.masked
        self.lo = lo = sentence.start
        self.hi = sentence.end
        self.cue = cue
        self.previous = previous  # the sentence's statement before this cue, if any
        self.just_before = masked[max(lo, cue.start - 3) : cue.start].rstrip()

    def draft(self, start: int, end: int, mention: Mention, rule: str) -> Draft:
        return Draft(start, end, self.cue, mention, self.sentence.block, rule=rule)

    #: the subject right before the cue
    nearest = _together[Subject](_speaker)
    #: the speaker before the cue; for a participle, ``"participle"`` when the clause's subject
    #: speaks ("X announced …, saying …"), or the noun phrase it qualifies
    subject = _together[Subject](_speaker)
    #: the subject when it is a mention
    mention = _together[Mention | None](_speaker)
    #: where the subject mention (or its apposition) begins
    head = _together[int](_speaker)

    @_once
    def content_after(self) -> tuple[int, int, bool] | None:
        return content_after(self.masked, self.cue, self.hi)

    @_once
    def before(self) -> tuple[int, int] | None:
        """A post-posed claim before the subject (found with the subject when it is a
        mention)."""
        return content_before(self.masked, self.lo, self.head)

    #: the claim after the cue, unless it is an adjunct after a post-posed claim
    after = _together[tuple[int, int, bool] | None](_claim_after)
    #: whether the claim after the cue is a "that" clause or a quotation
    strong_after = _together[bool](_claim_after)

    @_once
    def rest(self) -> str:
        """What follows the cue and its object or adjunct, to the end (found with the subject
        when it is a mention)."""
        return self.masked[skip_object(self.masked, self.cue, self.hi) : self.hi]

    @_once
    def inverted(self) -> Draft | None:
        return _inverted(self.masked, self.lo, self.hi, self.cue, self.sentence.block)


# ------------------------------------------------------------------ the constructions, in order


def according_to(a: Attribution) -> Found:
    """The source after "according to", on either side of the claim or in its middle.

    Example: The talks have failed, according to two diplomats in Geneva.
    """
    masked, e, cue = a.masked, a.hi, a.cue
    speaker = _according_source(masked, cue.end, e)
    if speaker is None:
        return NOTHING
    head_start, head_end = trim_content(masked, a.lo, cue.start)
    head_words = content_words(masked, head_start, min(head_end, head_start + 200))
    tail_start, tail_end = _according_tail(masked, speaker, e)
    tail_words = len(content_words(masked, tail_start, min(tail_end, tail_start + 200)))
    # "According to the campaign, “…”": a quotation's words are masked
    if tail_words >= 3 or (tail_start < tail_end and masked[tail_start] == OPEN_QUOTE):
        if (
            len(head_words) >= 4
            and head_words[-1].lower() not in _LEAD_IN
            and head_words[0].lower() not in _SUBORDINATORS
        ):
            # "Among the cases at risk, according to X, are sixteen …": the whole sentence
            return a.draft(head_start, tail_end, speaker, "according_to")
        return a.draft(tail_start, tail_end, speaker, "according_to")
    if len(head_words) >= 3:
        return a.draft(head_start, head_end, speaker, "according_to")
    return NOTHING


def _according_tail(masked: str, speaker: Mention, e: int) -> tuple[int, int]:
    """The claim after "according to X,"; empty when the words after the source describe it
    ("…, according to three polls, including one …", "…, according to John Weaver, a
    Republican strategist.")."""
    comma = masked.find(",", speaker.end, min(e, speaker.end + 3))
    tail_start, tail_end = trim_content(masked, comma + 1, e) if comma >= 0 else (e, e)
    if _SOURCE_TAIL.match(masked, tail_start, tail_end) or _APPOSITION_TAIL.fullmatch(
        masked, tail_start, tail_end
    ):
        return e, e
    return tail_start, tail_end


def opening_verb(a: Attribution) -> Found:
    """A say-verb that opens the sentence, its speaker after it.

    Example: Said the mayor, “We will rebuild the bridge before the winter comes.”
    """
    masked, cue, e = a.masked, a.cue, a.hi
    # (a say-verb, not a participle: FOR_CUE asks this construction of no other cue)
    if cue.word.isupper() or masked[a.lo : cue.start].strip():  # "STATE COLLEGE, Pa. -"
        return None
    leading = _OPENING_SPEAKER.match(masked, cue.end, e)
    if leading is None or not looks_like_np(leading.group(1)):
        # "Said Dorothy Poynter, who grew up with Ali, “…”": an aside before the quotation
        leading = _OPENING_SPEAKER_ASIDE.match(masked, cue.end, e)
    if leading is None or not looks_like_np(leading.group(1)):
        return None
    start, end = trim_content(masked, leading.end(), e)
    if start >= end or (masked[start] != OPEN_QUOTE and len(content_words(masked, start, end)) < 3):
        return None
    aside = leading.group(2) if leading.re is _OPENING_SPEAKER_ASIDE else None
    if aside is not None and not aside.startswith(("who ", "whose ")):
        mention = Mention(leading.start(1), leading.end(1), aside, leading.start(2))
    else:
        mention = Mention(leading.start(1), leading.end(1))
    return a.draft(start, end, mention, "opening_verb")


def inverted(a: Attribution) -> Found:
    """The speaker after the verb, the claim before it, even when a noun phrase precedes.

    Example: “We will not accept this,” said Angie Holan, the editor.
    """
    if not a.just_before.endswith((",", CLOSE_QUOTE)):
        return None
    draft = a.inverted
    if draft is None or draft.mention is None or not _inverted_holds(a, draft, draft.mention):
        return None
    return replace(draft, rule="inverted")


def _inverted_holds(a: Attribution, draft: Draft, mention: Mention) -> bool:
    masked, cue = a.masked, a.cue
    if _first_word(masked, mention.start) in _CLAUSE_PRONOUNS:
        return False  # "…, said she sees …" opens a clause
    # after a quotation the inverted reading holds whatever follows the speaker ("“…,” said
    # Will Doyle, a professor at …, who …"); after a plain clause only when nothing but an
    # apposition follows, and a claim before the verb has a verb of its own ("The Party, the
    # biggest in parliament, signaled its support": its object follows)
    if not a.just_before.endswith(CLOSE_QUOTE) and not (
        _ENDS_AFTER_ROLE.fullmatch(masked, mention.end, a.hi)
        and (cue.kind == "say" or has_verb(masked, draft.start, draft.end))
    ):
        return False
    # "X, a delegate, criticized her state's laws": an object, not a speaker; but a full clause
    # before the verb is its claim ("Sanders will back Clinton, predicted Madeleine Kunin")
    return not (
        cue.lemma in OBJECT_LEMMAS
        and masked[draft.end - 1] != CLOSE_QUOTE
        and not (
            has_verb(masked, draft.start, draft.end)
            and is_name(masked[mention.start : mention.end])
        )
    )


def opening_participle(a: Attribution) -> Found:
    """A participle opening the sentence: the main clause's subject speaks.

    Example: Noting that the vote was close, Trump said he would wait for the final count.
    """
    masked, cue, lo, e = a.masked, a.cue, a.lo, a.hi
    if not _OPENING_PARTICIPLE.fullmatch(masked, lo, cue.start):
        return None
    speaker = find_sentence_subject(masked, lo, e)
    after = a.content_after
    if speaker is None or after is None or speaker.start < cue.end:
        return NOTHING
    start, end, _ = after
    if start < speaker.start < end:
        end = trim_content(masked, start, speaker.start)[1]  # up to the main clause
    return a.draft(start, end, speaker, "opening_participle")


def relative_clause(a: Attribution) -> Found:
    """Speech inside a relative clause: the rest of the clause is the claim.

    Example: The money went to a charity that prosecutors said was suspected of fraud.
    """
    subject = a.mention
    if subject is None:
        return None
    masked, lo, e = a.masked, a.lo, a.hi
    relative = _RELATIVE_BEFORE.search(masked, max(lo, a.head - 8), a.head)
    if not relative or not _AUX_AFTER.match(masked, a.cue.end, e):
        return None
    start, end = trim_content(masked, a.cue.end, e)
    end = clause_end(masked, start, end)
    if masked[max(lo, relative.start() - 3) : relative.start()].rstrip().endswith(","):
        # "The deal, which the probe said was flawed, was signed": up to the comma
        comma = masked.find(",", start, end)
        end = comma if comma > start else end
    return a.draft(start, end, subject, "relative_clause")


def middle(a: Attribution) -> Found:
    """The attribution inside the claim: the whole sentence is the claim.

    Example: The plan, officials said, was dropped after the meeting.
    """
    subject = a.mention
    if subject is None:
        return None
    masked, lo, head, rest = a.masked, a.lo, a.head, a.rest
    if not _MIDDLE.match(rest):
        return None
    if a.before is not None:
        holds = not a.strong_after and head > lo + 1 and masked[lo] != OPEN_QUOTE
    else:
        holds = bool(_MIDDLE_SHORT.match(masked, lo, head)) or (
            # "Freeing her husband, he promised, was one of his priorities"
            bool(_MIDDLE_VERB.match(rest))
            and masked[lo] != OPEN_QUOTE
            and masked[lo:head].rstrip().endswith(",")
            and len(content_words(masked, lo, head)) >= 2
        )
    if not holds:
        return None
    start, end = trim_content(masked, lo, a.hi)
    return a.draft(start, end, subject, "middle")


def postposed(a: Attribution) -> Found:
    """The claim before its attribution.

    Example: “The bridge will reopen in May,” the mayor said.
    """
    subject = a.mention
    if subject is None:
        return None
    before, quoted_before = _postposed_claim(a)
    after = a.after
    if (
        before is None
        or not (after is None or quoted_before)
        or not (quoted_before or not a.strong_after)
        or not (quoted_before or _POSTPOSED_REST.match(a.rest) or short_tail(a.rest))
    ):
        return None
    start, end = before
    if a.masked[start] == OPEN_QUOTE and a.masked[end - 1] == CLOSE_QUOTE:
        end = _split_quotation_end(a, end)
    return a.draft(start, end, subject, "postposed")


def _postposed_claim(a: Attribution) -> tuple[tuple[int, int] | None, bool]:
    """The claim before the subject, if it can be a post-posed one, and whether it ends with
    a quotation."""
    masked, after, before = a.masked, a.after, a.before
    # a quotation ending the words before the subject is post-posed speech, unless a reported
    # clause follows and the quotation is only a title ("On “This Week,” X said that …")
    quoted_before = (
        before is not None
        and masked[before[1] - 1] == CLOSE_QUOTE
        and (after is None or not after[2] or masked[before[0]] == OPEN_QUOTE)
    )
    if quoted_before and after is not None and before is not None:
        # "In an interview with “Fox and Friends,” Trump pointed to …": a programme's or a
        # paper's title, not speech, when a clause follows the verb
        opening = masked.rfind(OPEN_QUOTE, before[0], before[1] - 1)
        if opening > before[0] and _TITLE_LEAD.search(masked, max(a.lo, opening - 12), opening):
            return None, False
    if masked[a.cue.end : a.cue.end + 1] == ":":
        return None, quoted_before  # "In a 1963 speech, he declared: …" introduces what follows
    cue = a.cue
    if (
        cue.lemma in NEEDS_THAT
        and not cue.word.endswith("ed")
        and not (before is not None and masked[before[1] - 1] == CLOSE_QUOTE)
    ):
        # "the Super Tuesday states": a noun, not "…, he states"; after a quotation it is the
        # verb ("“…,” the Saudis state in the paper")
        return None, quoted_before
    return before, quoted_before


def _split_quotation_end(a: Attribution, end: int) -> int:
    """ "“…,” he said (of the campaign), “…”": the quotation after the attribution is the same
    statement; so is a clause that goes on without one ("“Only you,” she said, would use …",
    "“It's bad luck,” he said, that …")."""
    masked, e = a.masked, a.hi
    rest_start = e - len(a.rest)
    follow = _SPLIT_QUOTE.match(masked, rest_start, e)
    closing = masked.find(CLOSE_QUOTE, follow.end(), e + 1) if follow else -1
    if follow and closing >= 0 and masked[closing + 1 : e].strip(" .,;:!?"):
        # "…,” he told “Meet the Press” on Sunday: a title, not the quotation's second part,
        # when the sentence goes on after it
        follow = None
    if follow:
        return closing + 1 if closing >= 0 else trim_content(masked, a.cue.end, e)[1]
    if _SPLIT_CLAUSE.match(masked, rest_start, e):
        return trim_content(masked, rest_start, e)[1]
    return end


def reported_clause(a: Attribution) -> Found:
    """The speaker before the verb, the claim after it.

    Example: The minister said on Friday that the talks had failed.
    """
    subject = a.mention
    if subject is None:
        return None
    after = a.after
    if after is None:
        return NOTHING  # a subject and no claim on either side: no statement
    masked, lo = a.masked, a.lo
    end = after[1]
    if _IN_RELATIVE.search(masked, max(lo, a.cue.start - 120), a.cue.start):
        # "the Fed, which entered the year predicting X, has yet to move": X ends at the comma
        # that closes the relative clause
        comma = masked.find(",", after[0], end)
        if comma > after[0] + 8:
            end = comma
    elif _SUBORDINATE_OPEN.match(masked, lo, a.head):
        # "While some friends say X, others say Y": X ends where the main clause begins
        main = _MAIN_CLAUSE.search(masked, after[0], end)
        if main is not None and main.start() > after[0] + 8:
            end = main.start()
    return a.draft(after[0], end, subject, "reported_clause")


def clause_subject(a: Attribution) -> Found:
    """A participle or an elided subject after "and": the clause's own subject speaks.

    Example: The minister announced the plan on Tuesday, saying it would cut costs.
    """
    subject = a.subject
    if subject not in {"elided", "participle"}:
        return None
    previous = a.previous
    speaker = previous.mention if previous is not None and subject == "elided" else None
    if speaker is None:
        speaker = find_sentence_subject(a.masked, a.lo, a.cue.start)
        if speaker is not None and subject == "participle":
            # "The talks came as diplomats try to secure a deal, fearing …": the nearest
            # clause's subject
            speaker = subordinate_subject(a.masked, speaker.end, a.cue.start, event=True) or speaker
    if speaker is None and isinstance(a.nearest, Mention):
        speaker = a.nearest
    after = a.content_after
    if speaker is None or after is None:
        return NOTHING
    return a.draft(after[0], after[1], speaker, "clause_subject")


def sentence_subject(a: Attribution) -> Found:
    """No noun phrase right before the verb, but the clause's own subject speaks (a verb other
    than a say-verb only before "that").

    Example: People briefed on the talks say the deal is close.
    """
    cue, masked, lo = a.cue, a.masked, a.lo
    if (
        a.inverted is not None
        or a.subject is not None
        or cue.kind not in {"say", "clause"}
        # "attacked by dozens of women who claim …": the women speak, not the clause's subject
        or _WHO_BEFORE.search(masked, max(lo, cue.start - 24), cue.start)
    ):
        return None
    speaker = find_sentence_subject(masked, lo, cue.start)
    after = a.content_after if speaker is not None else None
    if speaker is None or after is None or not (cue.kind == "say" or after[2]):
        return None
    return a.draft(after[0], after[1], speaker, "sentence_subject")


def inverted_late(a: Attribution) -> Found:
    """The inverted reading when no other construction took the cue.

    Example: The army will withdraw by Friday, confirmed the spokesman at the ministry.
    """
    if a.inverted is None:
        return None
    return replace(a.inverted, rule="inverted_late")


Construction = Callable[[Attribution], Found]

#: what one cue can make, tried in order: the first that answers (a statement or NOTHING) wins
CONSTRUCTIONS: tuple[Construction, ...] = (
    according_to,
    opening_verb,
    inverted,
    opening_participle,
    relative_clause,
    middle,
    postposed,
    reported_clause,
    clause_subject,
    sentence_subject,
    inverted_late,
)

#: a cue as the constructions tell cues apart: its kind, and whether its verb is a participle
CueShape: TypeAlias = tuple[CueType, bool]
_KINDS: tuple[CueType, ...] = ("say", "clause", "according")
_SHAPES: tuple[CueShape, ...] = tuple((kind, p) for kind in _KINDS for p in (False, True))

#: the cues a construction is asked about, when not every cue: the others it would refuse at
#: once ("according to" is read only by ``according_to``, which always answers for it)
READS: dict[Construction, frozenset[CueShape]] = {
    according_to: frozenset(s for s in _SHAPES if s[0] == "according"),
    opening_verb: frozenset({("say", False)}),
    inverted: frozenset(s for s in _SHAPES if not s[1] and s[0] != "according"),
    opening_participle: frozenset(s for s in _SHAPES if s[1] and s[0] != "according"),
}
_OTHER_CUES = frozenset(s for s in _SHAPES if s[0] != "according")

#: the constructions asked about each shape of cue, in the order of :data:`CONSTRUCTIONS`
FOR_CUE: dict[CueShape, tuple[Construction, ...]] = {
    shape: tuple(c for c in CONSTRUCTIONS if shape in READS.get(c, _OTHER_CUES))
    for shape in _SHAPES
}


def attribute(sentence: Sentence, cue: Cue, previous: Draft | None) -> Draft | None:
    """One statement for one cue, or None: the first construction that answers decides."""
    attribution = Attribution(sentence, cue, previous)
    for construction in FOR_CUE[cue.kind, cue.participle]:
        found = construction(attribution)
        if found is not None:
            return found if isinstance(found, Draft) else None
    return None


# after an inverted speaker, a quotation that goes on: "…,” said X, “…”
_QUOTE_FOLLOWS = re.compile(r"(?:[^“”.]|" + INITIALISM_DOT + r"){0,80}?[,:]\s*" + OPEN_QUOTE)


def _inverted(masked: str, lo: int, e: int, cue: Cue, block: int) -> Draft | None:
    """ "…,” said Mr Lavrov, Russia's foreign minister.": content before, speaker after."""
    if cue.participle or (cue.lemma in NEEDS_THAT and not cue.word.endswith("ed")):
        return None  # "…, touting a message", "… March 1 states": no inverted speaker here
    if cue.lemma == "tell":
        return None  # "…, told Fox News": whom it was told to, not who told it
    before = content_before(masked, lo, cue.start)
    if before is None:
        return None
    speaker = find_inverted(masked, cue.end, e)
    if speaker is None:
        return None
    start, end = before
    rest = masked[speaker.end : e]
    follow = _QUOTE_FOLLOWS.match(rest)
    if follow and masked[start] == OPEN_QUOTE:
        closing = masked.find(CLOSE_QUOTE, speaker.end + follow.end(), e + 1)
        if closing >= 0:
            end = closing + 1
    return Draft(start, end, cue, speaker, block)


_NOUN_CUE = re.compile(
    r"(?P<owner>\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)"
    r"|\b(?:[A-Z][\w.’'-]{0,25} ){0,3}[A-Z][\w.-]{0,25}(?:['’]s|s['’]))"
    r" (?:[a-z]{1,20} )?(?P<noun>claims?|statements?|assertions?|warnings?|promises?|pledges?|"
    r"arguments?|suggestions?|accusations?|allegations?|insistence|announcements?|remarks|"
    r"comments?|complaints?|denials?|admission|predictions?|vows?|threats?|contention|belief|"
    r"view|position|assurances?|concerns?) that\b"
)


def speech_noun(sentence: Sentence) -> list[Draft]:
    """A speech noun with its owner and its clause.

    Example: Sanders's claim that he could still win the nomination surprised his aides.
    """
    masked, s, e, block = sentence.masked, sentence.start, sentence.end, sentence.block
    out: list[Draft] = []
    if masked.find(" that", s, e) < 0:
        return out  # the pattern ends in "that": most sentences are spared the scan
    for match in islice(_NOUN_CUE.finditer(masked, s, e), MAX_PER_SENTENCE):
        start, end = trim_content(masked, match.end(), e)
        end = clause_end(masked, start, end)
        if len(content_words(masked, start, min(end, start + 100))) < 3:
            continue
        owner_start, owner_end = match.span("owner")
        if masked[owner_end - 2 : owner_end] in {"'s", "’s"}:
            owner_end -= 2
        elif masked[owner_end - 1 : owner_end] in {"'", "’"}:
            owner_end -= 1
        cue = Cue(match.start("noun"), match.end("noun"), match.group("noun"), "claim", "clause")
        mention = Mention(owner_start, owner_end)
        out.append(Draft(start, end, cue, mention, block, rule="speech_noun"))
    return out


# a full stop after a title or an initial is no source end: "according to Rep. Trey Gowdy"
_ABBREV_DOT = (
    r"(?:"
    + "|".join(rf"(?<=\b{short})" for short in (*ABBREVIATED_TITLES, *NAME_SUFFIXES, "[A-Z]"))
    + r")\.(?= |[A-Z]\.)"
)
_SOURCE = re.compile(
    rf" *((?:[^,;:.“”()]|{_ABBREV_DOT}){{2,200}}?"
    rf"(?:\([^()]{{0,40}}\)(?:[^,;:.“”()]|{_ABBREV_DOT}){{0,80}})?)(?=[,;:]|(?!{_ABBREV_DOT})\.|$)"
)
_APPOSITION_TAIL = re.compile(
    r"(?:an?|the)\s(?:(?!(?:is|was|are|were|has|have|had|will|would|said|says)\b)[\w’'.-]+\s?){1,8}"
)
_SOURCE_TAIL = re.compile(r"(?:[a-z]+ing|who|which|whose|where)\b")


def _according_source(masked: str, start: int, hi: int) -> Mention | None:
    """The source after "according to": everything up to the next comma, however long."""
    match = _SOURCE.match(masked, start, hi)
    if match is None:
        return None
    s, e = match.span(1)
    while e > s and masked[e - 1] == " ":
        e -= 1
    words = masked[s:e].split()
    if not words or len(words) > 30 or (words[0].lower() in {"to", "the", "a"} and len(words) < 2):
        return None
    return Mention(s, e)
