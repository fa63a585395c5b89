"""The words of a statement as a reader sees them: whole, balanced, with nobody else's words in.

    text = the content as extracted
         - the attribution inside it ("“A,” said X, an expert. “B”" -> "“A” … “B”")
         - a dateline at its head ("DOLVANY, Veskaria (Meridian Press) — At least …")
         - stray or doubled quotation marks ("attack\"\"", "escalation,\"")
         + a closing mark for a quotation left open
    a fragment (a clause cut before its end, no verb-bearing clause at all, a reciprocal's
    object without its plural subject, a free relative such as "what X called Y") is not shown

The store keeps the statement exactly as extracted (its offsets are a contract); this is only
what a digest shows.
"""

from __future__ import annotations

import re

from aggregator.model import EventStatement

_OPENING = "“‘«„"
_CLOSING = "”’»"
# "DOLVANY, Veskaria (Meridian Press) — ", "WASHINGTON (AP) -- ", "Geneva, Feb 17 (Reuters) - "
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z’'.-]*(?:[ -][A-Z][A-Za-z’'.-]*){0,3}"
    r"(?:,\s*[A-Z][\w’'.-]*(?:\s+[A-Z\d][\w’'.-]*){0,3})*"
    r"(?:\s*\([^()]{1,40}\))?\s*(?:[—–]|--?|:)\s+"
)
_CAPS_DATELINE_WORD = re.compile(r"^[A-Z][A-Z’'.-]{2,}")
_DOUBLED = re.compile(r"([“”\"])\1+")
_COMMA_BEFORE_CLOSE = re.compile(r",([”\"])$")
# a word starts with a letter of any script: a statement in Russian or French is words too
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
# words a whole clause does not end on: "to reverse its new", "local authorities have"
_DANGLING = frozenset(
    "the a an of for to in on at by from with and or but as than that which who whose whom his "
    "her their its our my your this these those is are was were be been being has have had "
    "will would can could should may might must not no very more most new such own".split()
)
_MIN_WORDS = 3
# words that may follow a whole clause the extractor ended on purpose: an adjunct ("on Sunday",
# "in a statement"), a conjunction, the attribution itself
_MAY_FOLLOW = frozenset(
    "on in at during after before when while as amid despite following since until by for from "
    "with without over under about against through into to of and or but nor so yet because "
    "if unless though although whereas which who where according said says saying told added "
    "adding the a an his her their its last this next earlier later today yesterday tonight "
    "now then also too again instead however he she they it we".split()
)


def drop_attribution(statement: EventStatement, text: str) -> str:
    """Cut "…,” said X, a title. “…" out of a statement that spans two quotations."""
    wording = statement.wording
    if wording is None:
        return text
    c_start, c_end = wording.content
    inside = [
        span
        for span in (wording.speaker, wording.cue)
        if span is not None and c_start < span[0] and span[1] < c_end
    ]
    if not inside:
        return text
    lo = min(s for s, _ in inside) - c_start
    hi = max(e for _, e in inside) - c_start
    content = wording.text[c_start:c_end]
    close = max(content.rfind(mark, 0, lo) for mark in '”"')
    resumes = _resumption(content, hi)
    if close < 0 or resumes is None:
        return text
    head = content[: close + 1].rstrip()
    tail = content[resumes:].lstrip()
    if head.endswith((",”", ',"')):
        head = head[:-2].rstrip() + head[-1]  # "…distrust,” -> "…distrust”"
    return f"{head} {tail}"


# where the words resume after an attribution: a quotation after its comma or colon ("…,
# said X, “B”"), else the next sentence ("… said X on “Meet the Press.” B …")
_QUOTE_AFTER_COMMA = re.compile(r"[,:]\s*([“\"])")
_NEXT_SENTENCE = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"‘])")
# a full stop that ends an abbreviation, not a sentence: initials ("U.S.", "J."), a title
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.|\b(?:Gen|Sen|Rep|Gov|Lt|Col|Dr|Mr|Mrs|Ms|Prof|St|No|Jan|Feb|Aug|Sept|Oct|"
    r"Nov|Dec)\.)$"
)


def _resumption(content: str, hi: int) -> int | None:
    """Where a statement's words resume after the attribution that ends at ``hi``: a quotation
    set off by a comma or a colon in the attribution's own sentence, else the next sentence
    (a quoted title in the attribution, "said on “The Cats Roundtable” radio show", is the
    attribution's, not the speaker's words), else the first quotation after it."""
    comma = _QUOTE_AFTER_COMMA.search(content, hi)
    sentence = _NEXT_SENTENCE.search(content, hi)
    while sentence is not None and _ABBREVIATION.search(
        content, max(0, sentence.start() - 6), sentence.start() + 1
    ):
        sentence = _NEXT_SENTENCE.search(content, sentence.end())  # "U.S. Army", "Gen. X"
    if comma is not None and (sentence is None or comma.start() < sentence.start()):
        return comma.start(1)
    if sentence is not None:
        return sentence.end()
    opening = [i for i in (content.find(mark, hi) for mark in '“"') if i >= 0]
    return min(opening) if opening else None


def strip_dateline(text: str) -> str:
    """The text without a dateline that opens it ("JAKARTA: …", "WASHINGTON (AP) — …")."""
    match = _DATELINE.match(text)
    if match is None or not _CAPS_DATELINE_WORD.match(text):
        return text  # a dateline opens with a place in capitals
    rest = text[match.end() :]
    return rest if len(_WORD.findall(rest)) >= _MIN_WORDS else text


def balance(text: str) -> str:
    """Quotation marks that pair up: doubled marks single, a closing mark with nothing opened
    dropped at the end (or opened at the start when it closes mid-text), a quotation left open
    closed at the end."""
    text = _curly_closes(_DOUBLED.sub(r"\1", text.strip()).rstrip(",;: "))
    text = _COMMA_BEFORE_CLOSE.sub(r"\1", text)  # 'escalation,"' -> 'escalation"'
    if text.count("”") > text.count("“") and text.endswith("”"):
        text = text[:-1].rstrip(",;: ")
    opens, closes = text.count("“"), text.count("”")
    if opens > closes:
        text += "”" * (opens - closes)
    elif closes > opens:
        text = "“" * (closes - opens) + text
    if text.count('"') % 2:
        if text.endswith('"'):
            text = text[:-1].rstrip(",;: ")  # 'attack"': nothing was opened
        else:
            text += '"'  # a quotation left open at the end
    return text.strip()


def _curly_closes(text: str) -> str:
    """A straight mark that closes a curly opening becomes a curly closing mark
    ("“unprovoked attack\"" -> "“unprovoked attack”")."""
    if '"' not in text or "“" not in text:
        return text
    out: list[str] = []
    opened = 0
    for char in text:
        if char == "“":
            opened += 1
        elif char == "”":
            opened = max(opened - 1, 0)
        elif char == '"' and opened:
            opened -= 1
            char = "”"
        out.append(char)
    return "".join(out)


def shown_text(statement: EventStatement) -> str:
    """The statement's words as shown: see the module docstring."""
    text = drop_attribution(statement, " ".join(statement.text.split()))
    text = " ".join(text.split())
    return balance(strip_dateline(text))


# a negation right before the cue, with at most one adverb between: "never called", "did not
# say", "hasn't publicly described", "without saying" ("not only said" is no negation)
_NEGATED_CUE = re.compile(
    r"(?:(?<![\w’'])(?:not|never|cannot|without|no longer)|n[’']t)\s+"
    r"(?:(?!only\b)(?-i:[a-z]+ly)\s+|(?:yet|ever|once|even|actually)\s+)?$",
    re.IGNORECASE,
)


def is_denied(statement: EventStatement) -> bool:
    """Whether the sentence says the speaker did *not* say it: "Reports confirm X never
    called the state …", "the minister did not describe …", "declined without saying …". The
    attribution is real (extraction keeps it, as annotated corpora do), but the words are not
    the speaker's: shown as theirs they would say the opposite of the report."""
    wording = statement.wording
    if wording is None or wording.cue is None:
        return False
    start = wording.cue[0]
    return _NEGATED_CUE.search(wording.text, max(0, start - 40), start) is not None


# a reported clause that opens with its verb lost its subject to a relative pronoun: "(the
# board,) which critics say| is designed to rival the UN", "(soldiers) who, X claimed,| were
# concerned locals"
_SUBJECTLESS = re.compile(
    r"(?:is|are|was|were|has|have|had|will|would|can|could|should|must|might|does|did)\s"
)


# a reported subordinate clause whose main clause was left out ("… insisted that| while it will
# take part in the meeting"): no comma, dash or semicolon where the main clause would follow
_SUBORDINATE_ONLY = re.compile(
    r"(?:while|although|though|because|unless|whereas|if)\s[^,;:—–]*$", re.IGNORECASE
)


# the object of a reciprocal verb, cut from the plural subject it needs ("with Israel and Hamas
# blaming| each other for violating the agreement")
_RECIPROCAL = re.compile(r"(?:each other|one another)(?![\w’'])", re.IGNORECASE)
_JOINT = re.compile(r"\s(?:and|&)\s", re.IGNORECASE)


# a free relative, its speaker right after "what" ("what the Israeli ministers called
# longstanding “legal obstacles”", "what it calls a “historic” agreement could be reached"): it
# names a thing, it states nothing
_WHAT_BEFORE = re.compile(r"(?<![\w’'-])(?:what|whatever)\s+$", re.IGNORECASE)
# an embedded question ends on its verb, a whole clause: "asked what the plan was", "who the
# next envoy will be" ("local authorities have" is cut)
_WH_CLAUSE_END = re.compile(
    r"(?<![\w’'-])(?:what|where|who|whom|how|why|when|whether|which)(?:\s+[\w’'-]+){1,6}?"
    r"\s+(?:is|are|was|were|has|have|had|be|been|will|would|can|could|should|did|does|do)$",
    re.IGNORECASE,
)


def is_fragment(statement: EventStatement, text: str) -> bool:
    """A piece of a clause rather than a statement: too short to say anything, a reported
    clause without its subject, a subordinate clause without its main clause, a reciprocal's
    object without its subject, a free relative (its speaker right after "what"), ending on a word
    that cannot end a clause, or cut where its sentence goes on (the next word follows with no
    punctuation between)."""
    words = _WORD.findall(text)
    if len(words) < _MIN_WORDS:
        return True
    if statement.kind != "direct":
        opening = text.lstrip(_OPENING + '"')
        if any(p.match(opening) for p in (_SUBJECTLESS, _SUBORDINATE_ONLY)):
            return True
        if _RECIPROCAL.match(opening) and not _JOINT.search(statement.speaker or ""):
            return True  # one of the two ("Hamas") for "Israel and Hamas blaming each other"
    unpunctuated = text.rstrip(' .”"’»)!?')
    last = unpunctuated.split()[-1:]
    if (
        last
        and last[0].lower().strip(",;:") in _DANGLING
        and not text.rstrip().endswith(tuple(".!?…" + _CLOSING + '"'))
        and _WH_CLAUSE_END.search(unpunctuated) is None
    ):
        return True
    wording = statement.wording
    if wording is not None:
        if statement.kind != "direct" and wording.speaker is not None:
            # "what the ministers called “legal obstacles”", "what it calls a “historic”
            # agreement could be reached": the speaker right after "what" names a thing, it
            # claims nothing ("What we need, the minister said, is …" is a claim)
            speaker = wording.speaker[0]
            if _WHAT_BEFORE.search(wording.text, max(speaker - 12, 0), speaker):
                return True
        after = wording.text[wording.content[1] : wording.content[1] + 40]
        following = _WORD.match(after, 1) if after[:1] == " " else None
        if (
            following is not None
            and following.group(0)[0].islower()
            and following.group(0).lower() not in _MAY_FOLLOW
            and not text.rstrip().endswith(tuple(".!?…" + _CLOSING + '"'))
        ):
            return True  # "… to reverse its new| measures": the clause went on
    return False
