"""Attributions carried by phrases rather than a finite speech verb.

* speech nouns with what they introduce: ``criticism of X``, ``calls for X``, ``complaints
  from Y that X``, ``questions about X``, ``his promise to X`` (the owner or the ``from``/``by``
  phrase is the speaker, when there is one);
* passive questions: ``When asked whether X, …``, ``Asked about X, …``, ``was asked by a
  reporter if X`` (the ``by`` phrase is the asker);
* a name given in a relative clause: ``what he calls corruption``, ``whom she described as
  “volatile”`` (the relative pronoun opens the statement, as the annotators mark it).

Each noun is listed with the linking words it takes, so that ``the statement of accounts`` or
``a call for papers``-like uses of unrelated nouns are not read as speech.
"""

from __future__ import annotations

import re
from itertools import chain, islice

from aggregator.extract.attribute import Draft, Sentence
from aggregator.extract.content import clause_end, content_words, trim_content
from aggregator.extract.cues import CLAUSE_FORMS, MAX_PER_SENTENCE, Cue
from aggregator.extract.lexicon import (
    ADJUNCT_OPENERS,
    BE,
    DETERMINERS,
    DO,
    HAVE,
    MODALS,
    MONTH_PATTERN,
    SUBJECT_PRONOUNS,
    WEEKDAY_PATTERN,
    alternation,
)
from aggregator.extract.speakers import Mention, find_subject, looks_like_np
from aggregator.extract.text import CLOSE_QUOTE, OPEN_QUOTE

# noun stems (singular and plural) -> linking words that introduce their content
_NOUN_LINKS: dict[str, tuple[str, ...]] = {
    "criticism": ("of", "that", "over"),
    "complaint": ("that", "about", "over", "of"),
    "claim": ("that", "to"),
    "call": ("for", "to"),
    "demand": ("for", "that"),
    "appeal": ("for",),
    "plea": ("for",),
    "question": ("about", "over", "whether"),
    "accusation": ("that", "of"),
    "allegation": ("that", "of"),
    "warning": ("that", "about", "of"),
    "promise": ("that", "to"),
    "pledge": ("that", "to"),
    "vow": ("to",),
    "threat": ("to",),
    "statement": ("that", "about"),
    "comment": ("that", "about"),
    "remark": ("that", "about"),
    "denial": ("that", "of"),
    "assertion": ("that",),
    "suggestion": ("that",),
    "assurance": ("that",),
    "announcement": ("that", "of"),
    "prediction": ("that",),
    "argument": ("that",),
    "rejection": ("of",),
    "condemnation": ("of",),
    "denunciation": ("of",),
    "praise": ("for",),
    "concern": ("about", "that", "over"),
    "mention": ("of",),
}
_PLURAL = {"criticism": "criticisms", "praise": "praise"}
_FORMS: dict[str, str] = {}
for _stem in _NOUN_LINKS:
    _FORMS[_stem] = _stem
    _FORMS[_PLURAL.get(_stem, _stem + "s")] = _stem
# clause links take a clause up to its end; the others a noun phrase up to the first break
_CLAUSE_LINKS = frozenset({"that", "to", "whether"})

_NOUN_CUE = re.compile(
    # the look-ahead on first letters lets the scan skip most positions quickly
    r"(?<!\w)(?=["
    + "".join(sorted({f[0] for f in _FORMS}))
    + r"])(?P<noun>"
    + "|".join(sorted(_FORMS, key=len, reverse=True))
    + r")"
    r"(?: (?:from|by) (?P<source>[^,;:.!?“”()]{2,80}?))?"
    r" (?P<link>that|to|for|about|of|over|whether)\b"
)
# the owner right before the noun: "his", "Sanders's", "the senator's" (one adjective allowed)
_OWNER = re.compile(
    r"(?P<owner>\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)|\b(?:[A-Z][\w.’'-]{0,25} ){0,3}"
    r"[A-Z][\w.-]{0,25}(?:['’]s|s['’]))(?: [a-z]{1,20})? $"
)
# verbs whose subject utters the speech noun after them ("made a call for", "voiced concern")
_LIGHT_VERB = re.compile(
    r"\b(?:made|make|makes|making|issued|issue|issues|issuing|renewed|renews|repeated|repeats|"
    r"delivered|delivers|voiced|voices|voicing|expressed|expresses|raised|raises|raising|"
    r"lodged|filed|leveled|levelled|levels|offered|offers|opened with|closed with|ended with)"
    r"\s+(?:(?:a|an|the|his|her|their|its|several|new|fresh|repeated|some|no)\s+)?"
    r"(?:[a-z-]+\s+)?$"
)
_NOT_DEMANDS = re.compile(
    r"(?:papers|proposals|applications|bids|entries|nominations|submissions|tenders|volunteers)\b"
)
_NP_BREAK = re.compile(r"[,;:!?—–()]|\.(?:\s|$)|\s(?:by|and|but|which|who|after|as)\s")
# words after which a noun is a verb ("they call for", "to question whether") - the verb
# lexicon handles those
_VERB_BEFORE = (
    MODALS
    | DO
    | (SUBJECT_PRONOUNS - {"he", "she"})
    | frozenset("to not never you who also often always still".split())
)
# a preposition or conjunction before the owner opens an adjunct; it is no part of the name
_OPENER = re.compile(rf"(?:{alternation(tuple(sorted(ADJUNCT_OPENERS)))}) (?=[A-Z])", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([A-Za-z’']+)\W*$")

_ASKED = re.compile(
    r"(?P<cue>\bAsked|(?:(?<=when )|(?<=When )|(?<=if )|(?<=after )|(?<=After )|(?<=while )"
    r"|(?<=being )|(?<=was )|(?<=were )|(?<=been )|(?<=is )|(?<=are )|(?<=be )|(?<=, ))asked)"
    r"(?: by (?P<source>[^,;:.!?“”()]{2,60}?))?"
    r"(?P<adjunct>(?: [\w’'-]+){0,5}?),?"
    r" (?P<link>whether|if|about|how|why|what|which|who|whom|when|where|for)\b"
)


def _np_end(masked: str, start: int, end: int) -> int:
    cut = _NP_BREAK.search(masked, start, end)
    return cut.start() if cut else end


def _content(masked: str, start: int, e: int, clause: bool) -> tuple[int, int] | None:
    start, end = trim_content(masked, start, e)
    end = clause_end(masked, start, end) if clause else _np_end(masked, start, end)
    start, end = trim_content(masked, start, end)
    if len(content_words(masked, start, min(end, start + 100))) < 2:
        return None
    return start, end


def _source(masked: str, start: int, end: int) -> Mention:
    while end > start and masked[end - 1] == " ":
        end -= 1
    return Mention(start, end)


def speech_noun_link(sentence: Sentence) -> list[Draft]:
    """A speech noun with the word that links it to its content, and its owner or source:
    "criticism of the plan", "calls from rivals to resign", "her promise to stay".

    Example: Her promise to stay in the race until the convention cheered the delegates.
    """
    masked, s, e, block = sentence.masked, sentence.start, sentence.end, sentence.block
    out: list[Draft] = []
    for match in islice(_NOUN_CUE.finditer(masked, s, e), MAX_PER_SENTENCE):
        noun = match.group("noun")
        link = match.group("link")
        if link not in _NOUN_LINKS[_FORMS[noun]]:
            continue
        before = _WORD_BEFORE.search(masked, max(s, match.start() - 30), match.start())
        if before is not None and before.group(1).lower() in _VERB_BEFORE:
            continue
        content = _content(masked, match.end(), e, link in _CLAUSE_LINKS)
        if content is None:
            continue
        if _FORMS[noun] == "call" and _NOT_DEMANDS.match(masked, content[0], content[1]):
            continue  # "a call for papers": an invitation, not a statement
        mention: Mention | None = None
        if match.group("source") is not None:
            mention = _source(masked, *match.span("source"))
        else:
            owner = _OWNER.search(masked, max(s, match.start() - 80), match.start())
            if owner is not None:
                o_start, o_end = owner.span("owner")
                if masked[o_end - 2 : o_end] in {"'s", "’s"}:
                    o_end -= 2
                elif masked[o_end - 1 : o_end] in {"'", "’"}:
                    o_end -= 1
                opener = _OPENER.match(masked, o_start, o_end)
                if opener is not None:
                    o_start = opener.end()  # "Despite Ortega's remarks": Ortega's
                mention = Mention(o_start, o_end)
        if mention is None:
            # "Cruz made an unprompted call for …", "Clinton voiced concerns about …": the
            # subject of the light verb before the noun speaks
            light = _LIGHT_VERB.search(masked, max(s, match.start() - 50), match.start())
            if light is not None:
                found = find_subject(masked, s, light.start())
                if isinstance(found, Mention):
                    mention = found
        if mention is None:
            continue  # without an owner the speaker is a guess: left out
        cue = Cue(match.start("noun"), match.end("noun"), noun, _FORMS[noun], "clause")
        out.append(Draft(content[0], content[1], cue, mention, block, rule="speech_noun_link"))
    return out


def asked(sentence: Sentence) -> list[Draft]:
    """A passive question: the question is the content, the ``by`` phrase the asker.

    Example: The governor was asked by a reporter whether he would run again next year.
    """
    masked, s, e, block = sentence.masked, sentence.start, sentence.end, sentence.block
    out: list[Draft] = []
    if masked.find("sked", s, e) < 0:
        return out  # most sentences: one substring search, not the look-behind pattern
    for match in islice(_ASKED.finditer(masked, s, e), MAX_PER_SENTENCE):
        link = match.group("link")
        # "asked about X" / "asked for X": the object; "asked whether X": the whole question
        start = match.end() if link in {"about", "for"} else match.start("link")
        content = _content(masked, start, e, link not in {"about", "for"})
        if content is None:
            continue
        start, end = content
        comma = masked.find(",", start, end)
        if comma > start and link not in {"about", "for"}:
            end = comma  # "Asked whether X, Y said …": the question ends at the comma
        mention = (
            _source(masked, *match.span("source")) if match.group("source") is not None else None
        )
        cue = Cue(match.start("cue"), match.end("cue"), match.group("cue"), "ask", "clause")
        out.append(Draft(start, end, cue, mention, block, rule="asked"))
    return out


_AS_WORD = re.compile(r"(?<!\w)[Aa]s ")
_AS_SOURCE = re.compile(
    r"(?<!\w)[Aa]s (?P<source>(?:(?:the|a|an|his|her|their|its|one|some|several|many) )?"
    r"(?:[\w’'.-]+ ){0,5}?[\w’'.-]+) (?:(?:has|have|had|also|once|later|previously|recently|"
    r"first|often|himself|herself) )?(?P<cue>said|says|put it|puts it|noted|notes|"
    r"pointed out|points out|wrote|writes|reported|reports|explained|explains|argued|argues|"
    r"observed|observes|suggested|suggests|acknowledged|acknowledges|claimed|claims|warned|"
    r"warns|predicted|added|testified|recalled|recalls|told \w+|tells \w+)"
    r"(?P<rest>[^,;:.!?“”]{0,40}?)(?P<close>[,;.!?]|$)"
)
# the passive: "As reported by the Post, …", "…, as first reported by Politico."
_AS_BY_SOURCE = re.compile(
    r"(?<!\w)[Aa]s (?:(?:first|previously|originally|earlier|also|widely) )?"
    r"(?P<cue>reported|noted|revealed|detailed|disclosed|documented|confirmed|stated) by "
    r"(?P<source>(?:(?:the|a|an) )?[A-Z][^,;:.!?“”]{1,80}?)"
    # a time after the source is not part of it: "by Politico on Tuesday"
    r"(?P<rest>\s+(?:(?:on|last|this|earlier|late|in)\s+)?(?:" + WEEKDAY_PATTERN + r"|"
    r"week|month|year|" + MONTH_PATTERN + r"|\d{4})\b[^,;:.!?“”]{0,20})?"
    r"(?P<close>[,;.!?]|$)"
)
_CONNECTORS = frozenset("but and so yet still however indeed now then also".split())
_AS_DETERMINERS = DETERMINERS - {"our", "my", "your"} | {"one", "some", "several", "many"}
_AS_NOT_SOURCE = frozenset(
    "well much long soon far many part a result such opposed compared it this that there".split()
)


def as_source(sentence: Sentence) -> list[Draft]:
    """A parenthetical source: the sentence (or the clause before it) is the claim.

    Example: The bridge, as the mayor noted last week, is closed until the spring.
    """
    masked, s, e, block = sentence.masked, sentence.start, sentence.end, sentence.block
    out: list[Draft] = []
    if _AS_WORD.search(masked, s, e) is None:
        return out  # both patterns open with the word "as"
    matches = chain(
        islice(_AS_SOURCE.finditer(masked, s, e), MAX_PER_SENTENCE),
        islice(_AS_BY_SOURCE.finditer(masked, s, e), MAX_PER_SENTENCE),
    )
    for match in matches:
        passive = match.re is _AS_BY_SOURCE
        head = masked[s : match.start()].rstrip()
        if head.rstrip(",").strip().lower() in _CONNECTORS:
            head = ""  # "But, as X said, …" opens the sentence like "As X said, …"
        if head and not head.endswith(","):
            continue  # "as long as", "such as officials said": not a parenthetical source
        source = match.group("source")
        first = source.split()[0].lower()
        if first in _AS_NOT_SOURCE or (source[:1].islower() and first not in _AS_DETERMINERS):
            continue
        tail_start = match.end()
        tail = content_words(masked, tail_start, e)
        if not head:
            # "As X said, …" opens the sentence: the verb rules handle it, but not "put it"
            # or the passive
            if ("put" not in match.group("cue") and not passive) or match.group("close") != ",":
                continue
            start, end = trim_content(masked, tail_start, e)
            if start >= end or (len(tail) < 2 and masked[start] != OPEN_QUOTE):
                continue
        elif match.group("close") == "," and len(tail) >= 2:
            start, end = trim_content(masked, s, e)  # the attribution sits inside the claim
        else:
            start, end = trim_content(masked, s, match.start())
        if masked[start] != OPEN_QUOTE and len(content_words(masked, start, start + 100)) < 3:
            continue
        cue = Cue(match.start("cue"), match.end("cue"), match.group("cue"), "say", "say")
        speaker = _source(masked, *match.span("source"))
        out.append(Draft(start, end, cue, speaker, block, rule="as_source"))
    return out


_NAMED_RELATIVE = re.compile(
    r"(?<!\w)(?P<rel>[Ww]hat|which|whom) "
    r"(?P<subject>(?:(?!(?:what|which|whom|that) )[\w’'.-]+ ){0,4}?[\w’'.-]+) "
    r"(?:(?:has|have|had|once|often|later|also|repeatedly|previously|now) ){0,2}"
    r"(?P<cue>called|calls|call|described|describes|describe|dubbed|dubs|labeled|labelled|"
    r"labels|termed|terms|characterized|characterizes)(?: as)? "
    # "which she called for", "which Trump called himself …": the pronoun is no object here
    r"(?!(?:for|on|upon|out|off|back|himself|herself|themselves|itself|him|her|them|it|me|us)\b)"
    r"(?=\S)"
)
# the naming verbs the cue lexicon does not list
_NAMED_LEMMAS = {
    "termed": "term",
    "terms": "term",
    "characterized": "characterize",
    "characterizes": "characterize",
}
# where an unquoted name ends: "what he called unilateral, dangerous and coercive action.";
# before a verb of the main clause ("What he calls corruption is …", "… and walked out", ",
# would pass"); a full stop after an abbreviation ("U.S.") does not end it
_NAMED_END = re.compile(
    r"[;:!?]|\.(?=\s|$)|,\s+(?:which|who|and|but|as|while|a|an|the|he|she|they|it|is|was|are|"
    r"were|has|had|have|will|would|could|should|can|may|might|must)\b"
    r"|\s(?:to|for|in|on|that|which|who|is|was|are|were|has|had|have|will|would|could|should|"
    r"can|may|might|must|did|does|do)\s"
    # the main clause's next verb ("… and walked out"), not an adjective ("and respected")
    r"|\s(?:and|but)\s+[a-z]+ed(?=\s+(?:the|a|an|his|her|their|its|him|them|it|out|off|back|"
    r"to|up|away)\b)"
)


def named_relative(sentence: Sentence) -> list[Draft]:
    """A name given in a relative clause: "what he calls corruption", "which Mr. Trump called
    “a disgrace”" (nested: the enclosing claim keeps its extent).

    Example: The senator railed against the deal and what he calls a culture of corruption.
    """
    masked, s, e, block = sentence.masked, sentence.start, sentence.end, sentence.block
    out: list[Draft] = []
    if _NAMED_HINT.search(masked, s, e) is None:
        return out  # a substring test is much cheaper than the pattern on most sentences
    for match in islice(_NAMED_RELATIVE.finditer(masked, s, e), MAX_PER_SENTENCE):
        subject_start, subject_end = match.span("subject")
        subject = masked[subject_start:subject_end]
        if subject.split()[0].lower() in _NOT_NAMER or not looks_like_np(subject):
            continue  # "what is called", "which has been described as": no one speaks
        start = match.start("rel")
        value = match.end()
        if masked[value] == OPEN_QUOTE:
            closing = masked.find(CLOSE_QUOTE, value, e)
            if closing < 0:
                continue
            end = closing + 1
        else:
            stop = _NAMED_END.search(masked, value, e)
            end = trim_content(masked, value, stop.start() if stop else e)[1]
        if masked[value] != OPEN_QUOTE and not content_words(masked, value, end):
            continue
        word = match.group("cue")
        lemma = CLAUSE_FORMS.get(word) or _NAMED_LEMMAS[word]
        cue = Cue(match.start("cue"), match.end("cue"), word, lemma, "clause")
        mention = Mention(subject_start, subject_end)
        out.append(Draft(start, end, cue, mention, block, nested=True, rule="named_relative"))
    return out


_NAMED_HINT = re.compile("what |What |which |whom ")
# a "subject" that is an auxiliary, a pronoun of the thing named or an adverb names no one:
# "what is called", "which also called the policy a failure" (the antecedent speaks there)
_NOT_NAMER = (
    BE
    | HAVE
    | frozenset(
        "it that this also once often later repeatedly previously now even never still just "
        "first".split()
    )
)
