"""The content of a statement: the reported clause or quotation on either side of a cue.

Pure string work on the masked working copy (quotation interiors blanked out); offsets are
indices into the input.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import Literal, TypeAlias

from aggregator.extract.cues import (
    CLAUSE_VERBS,
    NEEDS_THAT,
    PHRASAL,
    SAY_VERBS,
    STANCE_LEMMAS,
    Cue,
)
from aggregator.extract.lexicon import (
    AUXILIARIES,
    BE,
    DAY_PART_PATTERN,
    DEMONSTRATIVES,
    DETERMINERS,
    IRREGULAR_PASTS,
    MODALS,
    NEGATED,
    NUMBER_WORDS,
    PRONOUNS,
    WEEKDAY_PATTERN,
    lemmas,
)
from aggregator.extract.text import CLOSE_QUOTE, OPEN_QUOTE

_TELL_OBJECT = re.compile(
    r"\s+(?:(?:his|her|their|its|our|my) (?:[a-z]+ )?[a-z]+s\b|"  # "told her supporters"
    r"him|her|them|us|me|you|reporters|journalists|supporters|voters|lawmakers|senators|"
    r"donors|students|officials|delegates|the (?:crowd|audience|press|committee|court|jury|"
    r"council|senate|house)|(?:the |a |an )?(?:[A-Z][\w.&’'-]*\s*){1,4}"
    r"(?:of\s+(?:the\s+)?(?:[A-Z][\w.&’'-]*\s*){1,3})?"  # "The Star-Ledger of Newark"
    r"(?:(?:reporters|journalists|audience|crowd|interviewer|viewers|listeners))?)(?=[\s,.:;]|$)"
)
# "told investigators they were …": a short object followed by the start of a clause
_TELL_ANY_OBJECT = re.compile(
    r" (?:(?:the|a|an|his|her|their|its) )?(?:[\w’'-]+ ){0,2}[\w’'-]+"
    r"(?= (?:that|he|she|they|it|we|I|you|the|a|an|his|her|their|its|there|this|[A-Z]\w*)\b)"
)
_SKIP_AFTER = re.compile(
    r"(?:\s*,?\s*(?:on|late|early|last|this|earlier|later)\s+(?:on\s+)?(?:"
    + WEEKDAY_PATTERN
    + r"|week|month|year|"
    + DAY_PART_PATTERN
    + r")(?:\s+(?:"
    + DAY_PART_PATTERN
    + r"))?"
    r"|\s*,?\s*(?:" + WEEKDAY_PATTERN + r"|yesterday|today|"
    r"tonight|also|again|repeatedly|previously|recently|publicly|privately|flatly|bluntly|"
    r"simply|earlier|later|then|once|too|back)\b(?:\s+(?:" + DAY_PART_PATTERN + r")\b)?"
    r"|\s*,?\s*(?:in|on|at|during|via|through|over)\s+(?:a|an|his|her|their|its|the)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:statement|interview|speech|tweet|post|letter|conference|briefing|"
    r"appearance|call|release|op-ed|email|e-mail|rally|debate|hearing|meeting|event|"
    r"broadcast|programme|program|show|video|message|session)"
    r"(?:\s+(?:message|statement|interview|call|conference|release|post|address|appearance))?"
    r"(?:\s+(?:on|with|to|at|in|for)\s+(?:the\s+)?(?:[\w’'.&-]+\s+){0,4}?[\w’'.&-]+(?=[,.:;]|\s+that\b))?"
    # a span of time: "has said for weeks he is …", "said for months that …"
    r"|\s*,?\s*for\s+(?:weeks|months|years|days|decades|some\s+time|a\s+long\s+time)\b"
    r"|\s*,?\s*(?:on|via|in)\s+(?:Twitter|Facebook|Instagram|Telegram|X|television|TV|radio|"
    r"Fox News|CNN|MSNBC|NBC|ABC|CBS|NPR)\b"
    # and the programme's title: "on MSNBC’s “Morning Joe”"
    r"(?:['’]s\s+“[^“”]{1,40}”[.,]?)?)+",
)
_ADJUNCT_QUOTE = re.compile(
    r"\s+(?:in|at|on|of|about|during|after|before|to|from|with|outside|inside|via|over|as|while|when)\s"
    r"[^“”.;:!?]{1,60}?,\s*(?=“)"
)
_OBJECT_RELATIVE = re.compile(r",\s+(?:who|which)\b")
_COLON_QUOTE = re.compile(r"[^“”.!?]{0,80}?:\s*“")
_OWN_CLAUSE = re.compile(r"\bthat\b|,\s+(?:and|but)\b|,\s+[a-z]{3,}ing\b")
_TOLD_THAT = re.compile(r"[^“”.;:]{1,100}?\bthat\b")
_ADDRESSEE_LEMMAS = frozenset(lemmas(prop="addressee"))
_ADDRESSEE_THAT = re.compile(
    r"\s+(?:him|her|them|us|me|you|(?:the |a |an |his |her |their |its )?(?:[\w’'-]+ ){0,2}"
    r"[\w’'-]+)\s+that\b"
)
_ADJUNCT_THAT = re.compile(
    r"\s*(?:for|in|on|at|during|after|before|with|to|from|through|via|under|over|by)\s"
    r"[^“”.;:,]{1,60}?\bthat\b"
)
_INTRO_WORD = re.compile(
    r"(?:in|on|at|after|before|during|despite|for|with|without|under|over|from|since|as|"
    r"earlier|later|last|next|then|now|still|also|meanwhile|however|yesterday|today|"
    r"[A-Za-z]+ing)$",
    re.IGNORECASE,
)
# a topic after a speech verb: "about" after any of them, the others after a few
_TOPIC = re.compile(
    r"\s+(?:[a-z]+ly\s+)?(about|on|of|for)\b"
    r"(?!\s+(?:\d|half|a\s+(?:dozen|third|quarter)|behalf|the\s+record|condition|"
    + WEEKDAY_PATTERN
    + r")\b)"
)
_TOPIC_LEMMAS = {
    "about": frozenset(CLAUSE_VERBS + SAY_VERBS + list(PHRASAL)) - STANCE_LEMMAS,
    "on": frozenset(lemmas(prop="on")),
    "of": frozenset(lemmas(prop="of")),
    "for": frozenset(lemmas(prop="for")),
}
_CALL_FOR = re.compile(
    r"\s+(?:(?:again|also|repeatedly|publicly|once again|even|instead)\s+)?(?:for|on|upon|out)\b"
)
_ING_WORD = re.compile(r"\s*[a-z]+ing\b")
_THAT = re.compile(r"\s*(?:[,:]\s*)?(?:that\b)?\s*")
_WORDS = re.compile(r"[\w’'-]+")
_SAY_LEMMAS = frozenset(SAY_VERBS) | {"according"}  # cues that take any clause after them
# cues that take a quotation after an adjunct and a comma ("declared in the spin room, “…”")
_ADJUNCT_QUOTE_LEMMAS = _SAY_LEMMAS | {"declare", "write", "tweet"}
_BAD_CONTENT_START = BE | frozenset(
    "to by of for about with so as nothing anything much and or but than if goodbye hello hi "
    "yes thanks sorry almost little".split()
)
_MODALS = MODALS - {"may"}
_QUANTITIES = NUMBER_WORDS | {"half", "a"}
# say-verbs that also take a plain object ("added a new title", "wrote a book"): a clause
# after them must read as one
_OBJECT_SAY_LEMMAS = frozenset(lemmas(prop="plain-object"))
_FINITE = (
    (AUXILIARIES - {"be", "been", "being"})
    | NEGATED
    | IRREGULAR_PASTS
    | frozenset("needs remains remained told said thought".split())
)
_SUBJECT_START = (
    PRONOUNS
    | DEMONSTRATIVES
    | DETERMINERS
    | frozenset("there some many most all no one two both several any each every such".split())
)
# stance verbs whose object is itself the claim ("denounced the reports as a lie")
OBJECT_LEMMAS = frozenset(lemmas(prop="object"))
# verbs that report a question or an explanation ("explained why …", "asked whether …")
_WH_LEMMAS = frozenset(lemmas(prop="wh"))
_WH_WORDS = frozenset("why how whether what where when who which if".split())
# of the verbs that need "that", these take a plain object in the past ("mentioned the
# violence in his hometown", "tweeted her thanks")
_PAST_OBJECT_LEMMAS = frozenset(lemmas(prop="past-object"))
_AND_VERB = re.compile(r" and [a-z]{3,}(?:ing|ed)\b")
# a comment on the whole claim: "…, an acknowledgment that …", "…, a veiled swipe at …"
_COMMENT = re.compile(
    r",\s+(?:an?|the)\s+(?:(?:apparent|veiled|thinly|clear|implicit|not-so-subtle|subtle|"
    r"direct|rare|remarkable|stunning|notable|sharp|pointed)\s+)?(?:acknowledge?ment|admission|"
    r"reference|sign|signal|nod|allusion|move|remark|comment|swipe|jab|dig|shot|echo|"
    r"reversal|contrast|departure|concession|rebuke|reminder|suggestion|hint|warning)\s+"
    r"(?:that|to|at|of|from|for)\b"
)
_VERB_AFTER_COMMA = re.compile(
    r",\s+(?:is|was|are|were|has|had|have|will|would|could|should|can|may|might|must|did|does)\b"
)
# the speaker's next verb after a plain object
_AND_PAST = re.compile(
    r",?\s(?:and|but)\s+(?:(?:would|will|could|did)\s+not\s+)?"
    r"(?:(?!indeed\b)[a-z][a-z-]{2,}ed"
    # a verb takes an object here; "layoffs and continued cost-cutting" is one noun phrase
    r"(?=\s+(?:the|a|an|his|her|their|its|our|my|him|them|it|us|me|to|that|new|"
    r"[A-Z][\w’'-]*)\b)"
    r"|(?:went|took|won|spent|gave|came|made|held)\b)"
)
_ANY_DASH = re.compile(r"\s(?:-|--|–|—)\s")
# a dash opening an apposition; one opening the object's own content ("criticism — that …",
# "achievements — like …") is kept
_DASH = re.compile(r"\s(?:-|--|–|—)\s(?!(?:that|like|including|such|especially|namely)\b)")
# what may follow the name given: a comma, a conjunction, a dash, or a participle after the
# comma inside the quotation ("called Cruz the “ultimate hypocrite,” linking to …")
_AFTER_NAMING = re.compile(
    r"\s*(?:,|\s(?:and|but|while|as|before|after)\b|\s[-–—]{1,2}\s|\s[a-z]{3,}ing\b)"
)
_CONTRACTION = re.compile(r"['’](?:s|re|ll|d|ve|m)$")
_NEGATED_PAST = re.compile(r"\b(?:did|does)(?: not|n['’]t)\s+$")
_NEEDS_QUOTE = frozenset(lemmas(prop="naming"))
_TO_LEMMAS = frozenset(lemmas(prop="to"))
_PARTICIPLE = re.compile(
    r"(?:speaking|talking|writing|addressing|responding|replying|testifying|appearing|"
    r"commenting|asked|interviewed|quoted|reacting|referring)$",
    re.IGNORECASE,
)
_TRAILING_CLAUSE = re.compile(
    r",\s+(?:referring|citing|adding|saying|noting|arguing|explaining|calling|describing|"
    r"pointing|insisting|according|warning|telling|asking|suggesting|claiming|accusing|"
    r"acknowledging|urging|prompting|sparking|drawing|setting|throwing|raising|giving|"
    r"leaving|making|forcing|putting|bringing|causing|marking|sending|triggering|fueling|"
    r"fuelling|dismissing|rejecting|blaming|praising|touting|vowing|promising|defending|"
    r"attacking|criticizing|criticising|hours|days|weeks|months)\b"
    r"|\s(?:and|but)\s+(?:(?:then\s+|also\s+|later\s+)(?:[a-z]+ed|went|made|took|gave|got|came|held|"
    r"left|goes)|said|told|says|tells|added|noted|argued|insisted|warned|urged|called)\b"
    r"(?!\s+(?:by|that|with)\b)"
    r"|;\s|,\s+(?:while|whereas)\s(?![\w’'-]+,)|,\s+but\s+(?=(?:he|she|they|it|we|I|the|a|an|[A-Z])\b)"
    # a new clause with its own subject and verb: "…, but people keep …", "…, and the
    # aides are …", "… -- even as Clinton closed in"
    r"|,\s+but\s+(?=[\w’'-]+\s+(?:[\w’'-]+\s+)?(?:is|are|was|were|has|have|had|will|would|can|"
    r"could|keep|keeps|do|does|did)\b)"
    r"|,\s+and\s+(?=(?:the|a|an|his|her|their|its|he|she|they|it|we|I|[A-Z][\w’'-]*)\b"
    r"(?:\s+[\w’'-]+){0,4}\s+(?:is|are|was|were|has|have|had|will|would|can|could|did|does)\b)"
    r"|\s[-–—]{1,2}\s(?:even\s+)?(?:as|while|though)\b"
    # the speaker's own next verb: "…, and won 77 percent of …", "… but has withheld …"
    # (a comma is needed before "and": "the company lost money and went bankrupt" is one claim)
    r"|(?:,\s+(?:and|but)|\s+but)\s+(?:(?:has|have|had)\s+(?:not\s+|also\s+|since\s+)?)?"
    r"(?:won|appeared|seemed|withheld|refused|declined|stopped|stepped|went|took|spent)\b"
    r"|,\s+and\s+(?:to date\s+|so far\s+|since then\s+)?(?:has|have|had)\s+"
    r"(?:only\s+|not\s+|also\s+|since\s+|yet\s+)?[a-z]+(?:ed|en)\b"
    # a comparison or an aside after the claim: "…, compared with 30 percent who …",
    # "…, however, appearing to …"
    r"|,\s+(?:compared\s+(?:with|to)|however,)\s"
    # a second reported clause with its own speaker: "…, 27 percent of those who named a
    # candidate said they could …"
    r"|,\s+(?:[\w’'.%-]+\s+){1,8}(?:said|say|says)\s+(?:that\s+)?(?:they|he|she|it|we|I)\s"
    # a trailing attribution of the whole sentence: "…, the Gazette reported."
    r"|,\s+(?:[\w’'.-]+\s+){1,5}(?:reported|reports|said|says|wrote|writes)"
    r"(?:\s+(?:on\s+)?(?:" + WEEKDAY_PATTERN + r"))?\s*(?=[.!?]?$)"
    # the speaker's next verb in a list: "recounted her life, recited her plans, and …"
    r"|,\s+(?:and\s+)?[a-z]{3,}ed\s+(?:the|a|an|his|her|their|its|our|my|him|them|into|over)\b"
)


def content_words(work: str, start: int, end: int) -> list[str]:
    return _WORDS.findall(work, start, end)


def trim_content(work: str, start: int, end: int) -> tuple[int, int]:
    while start < end and work[start] in " ,:;—–-\n":
        start += 1
    while end > start and work[end - 1] in " ,;:\n":
        end -= 1
    # the sentence's full stop belongs to the sentence, not to a reported clause
    if end > start and work[end - 1] in ".":
        end -= 1
        while end > start and work[end - 1] == " ":
            end -= 1
    return start, end


# "called him a liar", "called Obama a petulant child", "labelled the plan a fraud": an
# object and a predicate noun make a naming verb speech even without quotation marks
_NAMING = re.compile(
    r"(?:him|her|them|it|himself|herself|themselves|us|me|[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,2}"
    r"|(?:the|his|her|their|its|this|that) [\w’'-]+(?: [\w’'-]+)?) "
    # "called him a fraud", "calls North Carolina her home state", "call Pfizer unpatriotic"
    r"(?:(?:a|an|the|his|her|their|its|our|my) "
    r"(?!(?:day|week|month|year|few|couple|number|lot|time|while|minute|hour|second|"
    r"press|news|meeting|vote|halt|stop|cab|taxi|next|following|last|other|same|night|"
    r"morning|afternoon|evening|office|home(?! [a-z])|phone|cell)\b)[\w’'-]+"
    r"|(?!(?:back|twice|again|later|today|tonight|yesterday|home|often|once|first|"
    r"repeatedly|directly|personally|immediately|recently)\b)[a-z][\w’'-]+"
    r"(?=[.;]|, (?!who\b)| and\b))"
)


# what a threat made threatens to do: a measure, a use of force, a step of law or politics,
# heading the object after at most three of its usual modifiers ("threatened retaliation",
# "threatens new tariffs", "a ‘swift’ response"), or after "with" ("threatened Iran with
# military strikes"); "threatens affirmative action", "a wider war", "the police force" are
# things endangered
_THREAT_MODIFIER = (
    r"(?:a|an|the|more|new|further|fresh|its|their|his|her|severe|swift|tough|harsh|"
    r"military|legal|economic|trade|unspecified|serious|dire|strong|possible|retaliatory|"
    r"punitive|immediate|additional|massive|nuclear|full-scale|all-out|decisive|crushing|"
    r"[‘'“\"][\w-]+[’'”\"])"
)
_THREAT_MEASURE = (
    r"(?:retaliat\w*|reprisals?|sanctions?|tariffs?|action|actions|measures?|consequences?|"
    r"force|war|strikes?|attacks?|invasion|response|countermeasures?|boycotts?|vetoe?s?|"
    r"resignation|lawsuits?|prosecution|arrests?|expulsions?|penalt(?:y|ies)|punishment)"
)
_THREAT = re.compile(
    r"(?:(?:[\w’'.-]+\s+){1,3}with\s+)?(?:"
    + _THREAT_MODIFIER
    + r"\s+){0,3}"
    + _THREAT_MEASURE
    + r"(?![\w-])",
    re.IGNORECASE,
)


def _threat_made(masked: str, start: int, end: int) -> bool:
    """Whether the words after "threaten" are a threat made, not something endangered: an
    infinitive, a clause, a quotation, or a measure heading its object (``_THREAT``)."""
    words = content_words(masked, start, min(end, start + 40))
    if not words:
        return False
    if words[0].lower() in {"to", "that"} or masked[start] == OPEN_QUOTE:
        return True
    return _THREAT.match(masked, start, end) is not None


def clause_like(masked: str, start: int, end: int, lemma: str) -> bool:
    """Whether the words after a cue read as a reported clause for that verb."""
    if start >= end:
        return False
    if masked[start] == OPEN_QUOTE:
        return True
    words = content_words(masked, start, min(end, start + 160))
    if (
        len(words) == 1
        and lemma in _NEEDS_QUOTE | OBJECT_LEMMAS
        and OPEN_QUOTE in masked[start : min(end, start + 40)]
    ):
        return True  # "calling him “…”": the quotation's words are masked
    if len(words) < 2 and not (
        # "says Ali “talked the talk …”": the quotation's words are masked
        words and lemma in _SAY_LEMMAS and OPEN_QUOTE in masked[start : min(end, start + 60)]
    ):
        return False
    first = words[0].lower()
    if first in _WH_WORDS and lemma in _WH_LEMMAS:
        return True  # "explained why …", "asked whether …": an embedded question
    says = lemma in _SAY_LEMMAS
    if (
        first in _BAD_CONTENT_START
        and not (first == "to" and lemma in _TO_LEMMAS)
        # "said if he were president, …": a conditional claim; "said much of …"
        and not (
            says
            and first == "if"
            and (
                "," in masked[start : min(end, start + 200)]
                # "said if elected he would …": the condition, then its consequence
                or any(w.lower() in _MODALS for w in words[2:30])
            )
        )
        and not (first == "much" and words[1].lower() == "of")
        # "said about half of the rise reflected …": a quantity, not a topic
        and not (says and first == "about" and words[1].lower() in _QUANTITIES)
    ):
        return False
    if says and lemma not in _OBJECT_SAY_LEMMAS:
        return True
    if lemma in _NEEDS_QUOTE:
        # "called the plan “a disaster”": a naming verb is speech only around a quotation
        window = masked[start : min(end, start + 90)]
        opening = window.find(OPEN_QUOTE)
        if opening < 0:
            # a headline's single marks: "calls the plan ‘stupid’"
            opening = window.find(" ‘") + 1 or -1
        return (
            # in the same clause: not "called Sanders after the vote, told them “…”"
            (opening >= 0 and ", " not in window[:opening])
            or first == "for"
            or (lemma != "call" and " as " in window)
            or _NAMING.match(masked, start, end) is not None
        )
    if lemma in _TO_LEMMAS and first == "to":
        return True
    if lemma == "threaten" and not _threat_made(masked, start, end):
        # "threatened sanctions" is a threat made; "AI could threaten jobs", "the strike
        # threatens exports" endanger: a threat's object names a measure
        return False
    if lemma in OBJECT_LEMMAS:
        return True
    # "he's returning …", "it's time …": a contracted verb after the subject
    head, contracted = _CONTRACTION.subn("", first)
    subject_like = head in _SUBJECT_START or words[0][:1].isupper()
    if not subject_like:
        return False
    return bool(contracted) or any(
        w.lower() in _FINITE or (w.endswith("ed") and len(w) > 4 and w[:1].islower())
        for w in words[1:12]
    )


Content: TypeAlias = tuple[int, int, bool]  # (start, end, had_that)


class _GoOn(enum.Enum):
    """A reading of the words after a cue that does not apply: the next one is tried."""

    GO_ON = "go on"


_GO_ON = _GoOn.GO_ON


def content_after(masked: str, cue: Cue, hi: int) -> Content | None:
    """The reported clause or quotation after a cue: (start, end, had_that).

    The readings are tried in order: a colon before a quotation, an adjunct before one, a
    demand after "called for", a topic ("joked about"), then a clause after the listener,
    the adjuncts and "that" (:func:`_clause_after`).
    """
    if masked[cue.end : hi].lstrip(" ").startswith(";"):
        return None  # "…, analysts say; in 2012 …": the claim came before
    for reading in _READINGS_FOR.get(cue.lemma, _ANY_CUE):
        found = reading(masked, cue, hi)
        if found is not _GO_ON:
            return found
    return _clause_after(masked, cue, hi)


def _colon_quote(masked: str, cue: Cue, hi: int) -> Content | Literal[_GoOn.GO_ON] | None:
    colon = _COLON_QUOTE.match(masked, cue.end, hi)
    if not colon or _OWN_CLAUSE.search(masked, cue.end, colon.end()):
        return _GO_ON  # "noted that A, and added: “B”": the colon belongs to the second verb
    start, end = trim_content(masked, colon.end() - 1, hi)
    return start, end, True


def _adjunct_quote(masked: str, cue: Cue, hi: int) -> Content | Literal[_GoOn.GO_ON] | None:
    """ "declared in the spin room, “…”", "wrote to his followers, “…”"."""
    aside = _ADJUNCT_QUOTE.match(masked, cue.end, hi)
    if not aside or cue.lemma not in _ADJUNCT_QUOTE_LEMMAS:
        return _GO_ON
    closing = quote_end(masked, aside.end(), hi)
    return _GO_ON if closing is None else (aside.end(), closing, True)


def _demand(masked: str, cue: Cue, hi: int) -> Content | Literal[_GoOn.GO_ON] | None:
    """ "called for a ceasefire", "called on Moscow to withdraw": the demand is the content,
    up to the first comma ("called for the overthrow of Assad, even though …")."""
    particle = _CALL_FOR.match(masked, cue.end, hi) if cue.lemma == "call" else None
    if not particle:
        return _GO_ON
    start, end = trim_content(masked, particle.end(), hi)
    end = clause_end(masked, start, end)
    comma = masked.find(", ", start, end)
    if comma > start:
        end = comma
    end = _before_apposition_dash(masked, start, end)  # "calls for $275 billion - half …"
    return (start, end, True) if start < end else None


def _topic(masked: str, cue: Cue, hi: int) -> Content | Literal[_GoOn.GO_ON] | None:
    """ "joked about moving to New Zealand", "complained bitterly about the ruling", "warned of
    a battle", "commented on the report": the topic is what was said."""
    about = _TOPIC.match(masked, cue.end, hi)
    if not about or cue.lemma not in _TOPIC_LEMMAS[about.group(1).lower()]:
        return _GO_ON
    start, end = trim_content(masked, about.end(), hi)
    end = clause_end(masked, start, end)
    return (start, end, False) if start < end else None


Reading: TypeAlias = Callable[[str, Cue, int], Content | Literal[_GoOn.GO_ON] | None]

#: the readings of what follows a cue before the plain clause, in the order they are tried,
#: each with the lemmas it is asked about (None: every cue); for the others it would go on
_READINGS: tuple[tuple[Reading, frozenset[str] | None], ...] = (
    (_colon_quote, None),
    (_adjunct_quote, _ADJUNCT_QUOTE_LEMMAS),
    (_demand, frozenset({"call"})),
    (_topic, frozenset().union(*_TOPIC_LEMMAS.values())),
)
_ANY_CUE = tuple(reading for reading, lemmas in _READINGS if lemmas is None)
_READINGS_FOR: dict[str, tuple[Reading, ...]] = {
    lemma: tuple(r for r, lemmas in _READINGS if lemmas is None or lemma in lemmas)
    for lemma in frozenset().union(*(lemmas for _, lemmas in _READINGS if lemmas is not None))
}


def _after_listener(masked: str, cue: Cue, hi: int) -> tuple[int, bool, bool]:
    """Past the listener: "reminded voters that …", "told customers at a breakfast spot that
    …"; (where the clause may start, whether "that" was passed, whether a listener was)."""
    pos = cue.end
    if cue.lemma in _ADDRESSEE_LEMMAS:
        that_later = _ADDRESSEE_THAT.match(masked, pos, hi)
        return (that_later.end(), True, False) if that_later else (pos, False, False)
    if cue.lemma == "tell":
        that_later = _TOLD_THAT.match(masked, pos, hi)
        if that_later:
            return that_later.end(), True, True
        obj = _TELL_OBJECT.match(masked, pos, hi) or _TELL_ANY_OBJECT.match(masked, pos, hi)
        if obj:
            return obj.end(), False, True
    return pos, False, False


def _past_adjuncts(masked: str, cue: Cue, pos: int, hi: int) -> int:
    """Past the time and the occasion ("said on Friday in a statement"), and an adjunct
    before "that" ("said for the first time that …", "wrote to the senator's office that")."""
    skip = _SKIP_AFTER.match(masked, pos, hi)
    if skip:
        following = _WORDS.match(masked, skip.end() + 1, hi)
        if following is None or following.group(0).lower() not in _FINITE:
            pos = skip.end()  # else the time is the subject: "said this year will be better"
    adjunct = _ADJUNCT_THAT.match(masked, pos, hi)
    if adjunct and adjunct.group(0).lstrip().startswith("to ") and cue.lemma in _TO_LEMMAS:
        adjunct = None  # "pledged to stay … through that contest": an infinitive, not an adjunct
    return adjunct.end() - 4 if adjunct else pos


def _past_that(masked: str, pos: int, hi: int, had_that: bool) -> tuple[int, bool]:
    """Past "that" (and a comma or colon before it); whether one was passed."""
    that = _THAT.match(masked, pos, hi)
    if not that:
        return pos, had_that
    had_that = had_that or "that" in that.group(0)
    following = _WORDS.match(masked, that.end(), hi)
    if had_that and following and following.group(0).lower() in _FINITE:
        # "said that is a distortion": "that" is the subject, not a conjunction
        return that.end() - len(that.group(0).lstrip(" ,:")), False
    return that.end(), had_that


def _clause_after(masked: str, cue: Cue, hi: int) -> Content | None:
    """The clause after the listener, the adjuncts and "that"."""
    pos, had_that, addressee = _after_listener(masked, cue, hi)
    pos, had_that = _past_that(masked, _past_adjuncts(masked, cue, pos, hi), hi, had_that)
    if not had_that and "," in masked[cue.end : pos] and _ING_WORD.match(masked, pos, hi):
        return None  # "Sales were great, he said, wiping sweat off his face"
    start, end = trim_content(masked, pos, hi)
    if start < end and masked[start] == OPEN_QUOTE:
        # a quotation right after the cue is the whole statement, when it ends a clause
        closing = quote_end(masked, start, end)
        if closing is not None and (
            masked[closing - 2 : closing - 1] in {",", ".", "!", "?", "…", CLOSE_QUOTE}
            or masked[closing : closing + 1] in {",", ".", ""}
        ):
            end = closing
        return start, end, True
    if start < end and _colon_list(masked, cue, start):
        return start, end, True  # "…, insiders said: A; B; and C": all of it is the claim
    if start < end and had_that:
        return start, clause_end(masked, start, end), True
    if not _may_take_clause(masked, cue, addressee) or not clause_like(
        masked, start, end, cue.lemma
    ):
        return None
    return _plain_clause(masked, cue, start, clause_end(masked, start, end), had_that)


def _colon_list(masked: str, cue: Cue, start: int) -> bool:
    return (
        ":" in masked[cue.end : start]
        and cue.lemma in _SAY_LEMMAS
        and (cue.lemma not in NEEDS_THAT or cue.word.endswith("ed"))  # "secretary of state:"
    )


def _may_take_clause(masked: str, cue: Cue, addressee: bool) -> bool:
    """Whether a clause with no "that" can follow this cue."""
    if cue.lemma in NEEDS_THAT and not (
        cue.lemma in _PAST_OBJECT_LEMMAS
        and (
            cue.word.endswith("ed")
            # "did not mention the wall": a past tense too
            or _NEGATED_PAST.search(masked, max(0, cue.start - 12), cue.start)
        )
    ):
        return False  # "the Super Tuesday states": base forms of these are mostly nouns
    # "told the packed hall, where …": an audience, not a message
    return cue.lemma != "tell" or addressee


def _plain_clause(masked: str, cue: Cue, start: int, end: int, had_that: bool) -> Content | None:
    """Where a clause or object with no "that" before it ends."""
    if cue.lemma in OBJECT_LEMMAS:
        relative = _OBJECT_RELATIVE.search(masked, start, end)
        if relative is not None and not has_verb(masked, start, relative.start()):
            end = relative.start()  # "praised the candidate, who is running in …"
        # "predicted an easy victory - a landslide built on …": an apposition to the object
        end = _before_apposition_dash(masked, start, end)
    verb = _AND_PAST.search(masked, start, end)
    if verb is not None and not had_that and not has_verb(masked, start, verb.start()):
        end = verb.start()  # "rejected the charges and counter-accused her": the speaker's verb
    if cue.lemma in _NEEDS_QUOTE:
        end = _name_given_end(masked, start, end)
    if cue.lemma in STANCE_LEMMAS and not had_that and masked[start] != OPEN_QUOTE:
        # "believes in", "thinks about": only a full clause counts
        words = content_words(masked, start, min(end, start + 100))
        if not words or (words[0].lower() not in _SUBJECT_START and not words[0][:1].isupper()):
            return None
    return start, end, had_that


def _name_given_end(masked: str, start: int, end: int) -> int:
    """ "called Cruz the “ultimate hypocrite,” linking to …": the name given ends the claim."""
    closing = masked.find(CLOSE_QUOTE, start, end)
    naming = _NAMING.match(masked, start, end)
    if closing > start and _AFTER_NAMING.match(masked, closing + 1, end):
        return closing + 1
    if closing < 0 and naming is not None and _AND_VERB.match(masked, naming.end(), end):
        return naming.end()  # "calling them theft and walking out": the name given
    return end


def _before_apposition_dash(masked: str, start: int, end: int) -> int:
    """Where a plain object ends: before its only dash, when that dash opens an apposition."""
    dashes = list(_ANY_DASH.finditer(masked, start, end))
    if (
        len(dashes) == 1
        and _DASH.match(masked, dashes[0].start(), end)
        and not has_verb(masked, start, dashes[0].start())
    ):
        return dashes[0].start()
    return end


def has_verb(masked: str, start: int, end: int) -> bool:
    """Whether ``masked[start:end]`` holds a finite verb (a clause, not a noun phrase)."""
    for w in content_words(masked, start, min(end, start + 300)):
        if w.lower() in _FINITE or (w.endswith(("ed", "es")) and len(w) > 4 and w[:1].islower()):
            return True
    return False


_UP_TO_STOP = re.compile(r"[^.;:!?“”]*")


def short_tail(rest: str) -> bool:
    """A few words and the full stop: "…,” Trump told the newspaper."."""
    stop = _UP_TO_STOP.match(rest)
    tail = stop.group(0) if stop else rest
    words = _WORDS.findall(tail)
    return len(words) <= 8 and not any(w.lower() in _FINITE for w in words)


def skip_object(masked: str, cue: Cue, hi: int) -> int:
    pos = cue.end
    if cue.lemma == "tell":
        obj = _TELL_OBJECT.match(masked, pos, hi)
        if obj:
            pos = obj.end()
    skip = _SKIP_AFTER.match(masked, pos, hi)
    return skip.end() if skip else pos


def clause_end(masked: str, start: int, end: int) -> int:
    """Where a reported clause stops: before a trailing participle ("…, referring to …") or a
    second verb of the speaker ("… and questioned …")."""
    cut = _TRAILING_CLAUSE.search(masked, start + 10, end)
    if cut is not None:
        end = cut.start()
        while end > start and masked[end - 1] in " ,;":
            end -= 1  # "A, and added …": the comma belongs to neither clause
    comment = _COMMENT.search(masked, start + 10, end)
    if comment is not None:
        # "…would pay more in taxes, an acknowledgment that …": a comment on the whole claim;
        # but "said the company, the sign of a healthy port, would expand" is an apposition
        # to the claim's subject, closed by a comma and the claim's verb
        close = masked.find(",", comment.end(), end)
        if close < 0 or not _VERB_AFTER_COMMA.match(masked, close, end):
            end = comment.start()
    return end


def quote_end(masked: str, start: int, hi: int) -> int | None:
    """End (after the closing marks) of the quotation opening at ``start``."""
    closing = masked.find(CLOSE_QUOTE, start, hi + 1)
    if closing < 0:
        return None
    while closing + 1 < len(masked) and masked[closing + 1] == CLOSE_QUOTE:
        closing += 1
    return closing + 1


# what ends a post-posed claim right before its attribution
_CLAIM_END = ",”" + CLOSE_QUOTE


def content_before(masked: str, lo: int, hi: int) -> tuple[int, int] | None:
    """A post-posed attribution's content: "…,” he said" / "The plan failed, officials said"."""
    end = hi
    while end > lo and masked[end - 1] in " \n":
        end -= 1
    if (end <= lo or masked[end - 1] not in _CLAIM_END) and not (
        end > lo and masked[end - 1] in "—–-"
    ):
        return None
    start, stop = trim_content(masked, lo, end)
    if masked[start:stop].endswith((",", "—")):
        stop -= 1
    if start < stop and masked[stop - 1] == CLOSE_QUOTE:
        # "When someone shouted, “Cruz,” Beck joked": only the set-off quotation is Beck's;
        # "… and he “made a mistake,” Lichtman said" keeps the whole mixed sentence
        opening = masked.rfind(OPEN_QUOTE, start, stop)
        while opening > start and masked[opening - 1] == OPEN_QUOTE:
            opening -= 1
        if opening > start and masked[start:opening].rstrip()[-1:] in {",", ":", ";"}:
            start = opening
    words = content_words(masked, start, min(stop, start + 200))
    quoted = start < stop and OPEN_QUOTE in masked[start:stop]
    if len(words) < 3 and not quoted:
        return None
    if not quoted and _PARTICIPLE.match(words[0]):
        return None  # "Speaking to the BBC, X said …": a participle phrase, not the claim
    if (
        not quoted
        and _INTRO_WORD.match(words[0])
        and not any(
            w.lower() in _FINITE or (w.endswith("ed") and w[:1].islower()) for w in words[1:]
        )
    ):
        return None  # "In her pursuit of the nomination, X said": an intro, not a claim
    return start, stop


# a short unquoted "content" that opens with a preposition and has no verb is an adjunct the
# rules mistook for the claim: "said after the attacks", "told a panel in September"
_ADJUNCT_START = frozenset(
    "on in at after before during while by from with for as when since under through via of "
    "about over into against first".split()
)
_ANY_VERB = re.compile(
    r"\b(?:is|was|are|were|be|been|has|have|had|will|would|can|could|should|did|does|do|"
    r"said|says)\b|\b[a-z]+ed\b"
)


def adjunct_only(work: str, start: int, end: int) -> bool:
    """``work[start:end]`` is a short adjunct ("after the attacks"), not a claim."""
    content = work[start:end]
    words = content.split()
    return (
        0 < len(words) <= 6
        and words[0].lower() in _ADJUNCT_START
        and OPEN_QUOTE not in content
        and CLOSE_QUOTE not in content
        and not _ANY_VERB.search(content)
    )
