"""Text as it really arrives: one working copy, blocks (paragraphs), furniture and boilerplate.

Every transformation here is *length-preserving*: the working string has exactly the length of
the input, so an index into it is an index into the input. That is what keeps statement offsets
exact whatever the input looked like (hard wraps, ``\\r\\n``, tokeniser quotes ````…''``).
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

from aggregator.extract.cues import CLAUSE_FORMS, SAY_FORMS, STANCE_LEMMAS
from aggregator.extract.lexicon import ABBREVIATED_TITLES, BULLETS, NAME_SUFFIXES
from aggregator.extract.sides import default_gazetteer
from aggregator.extract.values import value

BlockKind = Literal["body", "furniture", "boilerplate"]

OPEN_QUOTE = "“"
CLOSE_QUOTE = "”"

# characters that read as whitespace for every later regex
_SPACE_LIKE = re.compile(r"[\r\t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000\x00-\x08\x0e-\x1f\x7f]")
# three marks: the outer pair plus a nested single quote (opening or closing)
_TOKENISER_PAIR = re.compile(r"'''?")
# the mark first and what stands before it in a look-behind: a pattern that opens with a literal
# is searched for with a fast scan (one opening with a look-behind is tried at every position)
_MISTYPED_CLOSE = re.compile(r"“(?<=[\w.,!?]“)(?=[\s,.;:!?]|$)")  # after a word, before a break
_MISTYPED_OPEN = re.compile(r"”(?<![^\s]”)(?=\w)")  # at the start or after a space, before a word
_STRAIGHT = re.compile(r'"')
_TERMINAL = re.compile(r"""[.!?…][”"’')\]]*\s*$|[”"][\s)]*$""")
_WORD = re.compile(r"\S+")
_CONTINUES = re.compile(
    r"(?:[,;–—-]|\b(?:the|a|an|of|to|and|or|but|in|on|at|for|with|by|from|that|his|her|their))\s*$"
)

# Page furniture that sites append: link lists, browser notices, sharing widgets, copyright.
# These describe kinds of boilerplate, not any one page.
_BOILERPLATE = re.compile(
    r"not responsible for the content of external|best viewed (?:in|with)|style ?sheets"
    r"|\bcookies?\b.*\b(?:policy|consent|accept)|all rights reserved|\bcopyright\b|©"
    r"|sign up (?:for|to) (?:our|the) (?:newsletter|daily)|subscribe (?:to|now)|\bnewsletter\b"
    r"|click here|\bbookmark\b|share (?:this|on|via)|follow us on|terms of (?:use|service)"
    r"|privacy (?:policy|notice)|enable javascript|javascript (?:is )?(?:disabled|required)"
    r"|your (?:current )?browser|^advertisement$|^related (?:stories|articles|topics|links)"
    r"|^what are these\??$|e-?mail this|printable version|^read more\b|^more on this story"
    r"|^editor['’]s note\b",
    re.IGNORECASE,
)

# every alternative of _BOILERPLATE holds one of these (lower case): a cheap substring test
# spares the regex on ordinary paragraphs
_BOILERPLATE_WORDS = (
    "responsible", "best viewed", "style", "cookie", "rights reserved", "copyright", "©",
    "sign up", "subscribe", "newsletter", "click here", "bookmark", "share ", "follow us",
    "terms of", "privacy", "javascript", "browser", "advertisement", "related",
    "what are these", "mail this", "printable", "read more", "more on this story", "editor",
)  # fmt: skip


def _boilerplate(segment: str) -> bool:
    low = segment.lower()
    for word in _BOILERPLATE_WORDS:  # (a loop: no generator to resume for each word)
        if word in low:
            return bool(_BOILERPLATE.search(segment))
    return False


# a paragraph that quotes or reports someone is article text, even when it mentions a
# newsletter or a copyright ("…,” said X, who runs a politics newsletter.")
_REPORTED = re.compile(r"[“”\"]|\b(?:said|says|told|according to)\b")


@value
class Block:
    """A paragraph (or a piece of furniture) as a span of the input."""

    start: int
    end: int
    kind: BlockKind


def normalise(text: str) -> str:
    """Return the working copy: same length as ``text``, quotes made directional.

    Straight and tokeniser double quotes become “ and ” (with a space filling the second
    character of ```` `` ```` and ``''``); odd whitespace and control characters become spaces.
    """
    work = _SPACE_LIKE.sub(" ", text)
    if "<" in work:
        # markup left in the text (an embedded tweet's tag and its quoted attributes) is no
        # prose: blanked, so its quotation marks pair with nothing
        work = _TAG.sub(_blank, work)
    work = work.replace("«", OPEN_QUOTE).replace("»", CLOSE_QUOTE).replace("„", OPEN_QUOTE)
    if "``" in work:
        # both characters become opening marks: quote depth handles the pair
        work = work.replace("``", OPEN_QUOTE * 2)
    if "''" in work:
        work = _TOKENISER_PAIR.sub(_tokeniser_pair, work)
    if '"' in work:
        work = _direct_straight_quotes(work)
    if OPEN_QUOTE in work or CLOSE_QUOTE in work:
        # curly marks typed the wrong way round ("“It's unusual,“ said …")
        work = _MISTYPED_CLOSE.sub(CLOSE_QUOTE, work)
        work = _MISTYPED_OPEN.sub(OPEN_QUOTE, work)
    return work


_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>\n]{0,1000}?)?/?>")


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _tokeniser_pair(match: re.Match[str]) -> str:
    """'' opens after a space and before a word (NYT style), and closes everywhere else."""
    text = match.string
    i, j = match.start(), match.end()
    before = text[i - 1] if i else " "
    after = text[j] if j < len(text) else " "
    # of three marks the pair is the outer one, the single quote is nested inside it
    single = "'" if j - i == 3 else ""
    if (before.isspace() or before in "([{—–-" + OPEN_QUOTE) and not after.isspace():
        return OPEN_QUOTE * 2 + single
    return single + CLOSE_QUOTE * 2


# a straight quote after one of these opens; one before one of these closes
_OPENS_AFTER = "([{—–-/" + OPEN_QUOTE
_CLOSES_BEFORE = ".,;:!?)]—–-" + CLOSE_QUOTE


def _direct_straight_quotes(work: str) -> str:
    """Decide for each straight double quote whether it opens or closes, from its neighbours."""
    chars = list(work)
    is_open = False
    # a blank line ends a paragraph: an unbalanced quote must not leak into the next one. The
    # blank lines are walked once, alongside the quotes (looking back from each quote for the
    # last one was quadratic in a long text without blank lines)
    next_break = work.find("\n\n")  # the first blank line not yet passed
    for match in _STRAIGHT.finditer(work):
        i = match.start()
        if 0 <= next_break <= i - 2:  # one or more blank lines since the previous quote
            while 0 <= next_break <= i - 2:
                next_break = work.find("\n\n", next_break + 1)
            is_open = False
        before = work[i - 1] if i else " "
        after = work[i + 1] if i + 1 < len(work) else " "
        if before.isspace() or before in _OPENS_AFTER:
            opening = not (after.isspace() or after in ".,;:!?)") or not is_open
        elif after.isspace() or after in _CLOSES_BEFORE:
            opening = False
        else:
            opening = not is_open
        chars[i] = OPEN_QUOTE if opening else CLOSE_QUOTE
        is_open = opening
    return "".join(chars)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _wrap_width(lengths: list[int], continued: list[int]) -> int | None:
    """The hard-wrap column when the text looks hard-wrapped, else None.

    ``continued`` holds the lengths of lines whose next line starts in lower case: those were
    certainly wrapped by the writer's tool, so the longest of them is the wrap column.
    """
    if len(lengths) < 6:
        return None
    ordered = sorted(lengths)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    median = ordered[len(ordered) // 2]
    if p90 <= 100 and median >= 25:
        if len(continued) >= 3:
            # the 90th percentile, rounded up: a wide footer line must not set the column
            wrapped = sorted(continued)
            return wrapped[min(len(wrapped) - 1, -(-len(wrapped) * 9 // 10) - 1)]
        return p90
    return None


def _quote_balance(segment: str) -> int:
    return segment.count(OPEN_QUOTE) - segment.count(CLOSE_QUOTE)


def blocks(work: str) -> list[Block]:
    """Split the working copy into blocks and classify each one.

    In hard-wrapped text a line break ends a block when the next line's first word would have
    fitted on the line (the writer broke early on purpose) and the next line starts like a new
    paragraph, or when a blank line follows; an open quotation keeps lines together.
    """
    lines = [(s, e) for s, e in _lines(work)]
    nonblank = [e - s for s, e in lines if work[s:e].strip()]
    continued = [
        e - s
        for (s, e), (ns, ne) in itertools.pairwise(lines)
        if work[s:e].strip() and work[ns:ne].strip()[:1].islower()
    ]
    width = _wrap_width(nonblank, continued)
    spans: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    open_quotes = 0
    for index, (s, e) in enumerate(lines):
        line = work[s:e]
        if not line.strip():
            if current is not None:
                spans.append(current)
                current = None
                open_quotes = 0
            continue
        current = (current[0], e) if current is not None else (s, e)
        open_quotes = max(0, open_quotes + _quote_balance(line))
        if width is None:
            spans.append(current)
            current = None
            open_quotes = 0
            continue
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        if nxt is None or not work[nxt[0] : nxt[1]].strip():
            continue
        next_line = work[nxt[0] : nxt[1]].lstrip()
        first = _WORD.match(next_line)
        first_word = first.group(0) if first else ""
        starts_new = bool(first_word) and (
            first_word[0].isupper() or first_word[0].isdigit() or first_word[0] == OPEN_QUOTE
        )
        # a line ending in a comma or a function word never ends a paragraph
        fits = len(line.rstrip()) + 1 + len(first_word) <= width and not _CONTINUES.search(line)
        if (
            starts_new
            and open_quotes == 0
            and (fits or (_ends_sentence(line) and _short(line, width)))
        ):
            spans.append(current)
            current = None
    if current is not None:
        spans.append(current)
    return _classify(work, spans, hard_wrapped=width is not None)


def _short(line: str, width: int) -> bool:
    return len(line.rstrip()) < width * 0.8


def _ends_sentence(segment: str) -> bool:
    # the pattern is anchored at the end: looking at the tail only saves trying every position
    tail = segment.rstrip()
    return bool(_TERMINAL.search(tail, max(0, len(tail) - 64)))


def _classify(work: str, spans: list[tuple[int, int]], *, hard_wrapped: bool) -> list[Block]:
    """Body, furniture (headings, captions, pull-quotes, timelines) or trailing boilerplate."""
    out: list[Block] = []
    total = len(work)
    footer = False
    for s, e in spans:
        segment = work[s:e].strip()
        # strip the span to its visible text so offsets never start on whitespace
        lead = len(work[s:e]) - len(work[s:e].lstrip())
        s, e = s + lead, s + lead + len(segment)
        words = len(segment.split())
        if footer or (
            # (the cheap test first: most news paragraphs quote or report someone)
            words <= 60 and not _REPORTED.search(segment) and _boilerplate(segment)
        ):
            # a site footer: once it starts in the second half, the rest is footer too
            footer = footer or s > total // 2
            out.append(Block(s, e, "boilerplate"))
            continue
        terminal = _ends_sentence(segment) and not segment.endswith(":")
        if len(spans) > 1 and not terminal and (hard_wrapped or words <= 12):
            out.append(Block(s, e, "furniture"))
        else:
            out.append(Block(s, e, "body"))
    return out


# Abbreviations after which a full stop does not end a sentence.
# (titles and name suffixes, but not "PM": "at 5 pm." ends a sentence)
_ABBREVIATIONS = (
    {short.lower() for short in (*ABBREVIATED_TITLES, *NAME_SUFFIXES)} - {"pm", "fm", "dpm"}
) | frozenset(
    "sec amb no vs etc inc co corp ltd dept jan feb mar apr aug sept sep oct nov dec mt ft "
    "fig approx u.s u.n u.k e.u d.c u.s.a a.m p.m i.e e.g".split()
)
_NUMBER_AFTER = re.compile(r"\s*\d")
# a sentence's end; or the space before a list bullet, which ends an item ("• Pakistan asks …
# • EU calls …"): the next item begins at its bullet
_SENTENCE_END = re.compile(
    r"[.!?…]+[”’)\]'\"]*(?=\s+[“‘(\[\"']*[A-Z0-9])|\s+(?=[" + BULLETS + r"]\s)"
)
_PREV_TOKEN = re.compile(r"([\w.]+)$")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
_TAIL_WORDS = re.compile(r"[A-Za-z]+")
# past and present forms of the speech verbs that end a quotation's attribution tail
_TAIL_VERBS = frozenset(
    form
    for form, lemma in {**SAY_FORMS, **CLAUSE_FORMS}.items()
    if not form.endswith("ing") and lemma not in STANCE_LEMMAS
)


def _attribution_tail(work: str, start: int, end: int) -> bool:
    """Whether ``work[start:end]`` reads as a short attribution: ``Pence said.``, ``asked Mr. X.``

    A question or exclamation that closes a quotation ends its sentence in print
    (``“How big?” Pence asked.``) but the attribution after it belongs to the quotation.
    """
    stop = min(end, start + 80)
    quote = work.find(OPEN_QUOTE, start, stop)
    words = _TAIL_WORDS.findall(work, start, quote if quote >= 0 else stop)
    return any(w.lower() in _TAIL_VERBS for w in words[:5])


def _introduced(work: str, seg_start: int, dot: int) -> bool:
    """Whether the quotation closing at ``dot`` was introduced in its sentence ("X replied: “…?”"):
    then it needs no attribution after it, and the next words open a sentence of their own."""
    opening = work.rfind(OPEN_QUOTE, seg_start, dot)
    before = opening - 1
    while before > seg_start and work[before].isspace():  # no slice: a long sentence with
        before -= 1  # many such quotations would copy itself for each of them
    return opening > seg_start and work[before] in ":,"


# a dateline that opens a report: "DOLVANY, Veskaria (Meridian Press) — ", "WASHINGTON (AP) -- "
_DATELINE = re.compile(
    # a source's tag before it: "[Outlet] WASHINGTON -- "
    r"(?:\[[^\[\]\n]{1,40}\] ?)?"
    r"[A-Z][A-Z’'.-]{2,}(?: [A-Z][A-Z’'.-]+){0,2}(?:, [A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,2})?"
    # a hyphen with a space on a side ("NATO-led forces" is no dateline)
    r"(?: \([^()\n]{1,40}\))?(?: ?(?:—|–|--) ?| - ?|- )"
)
# a place in capitals and small letters, before the wires' double hyphen and a sentence:
# "[Capital FM] Nairobi -- Kenyan officials …", "Kyiv -- Russian forces …"; a name with an aside
# ("Putin -- Russia's president -- said", "Kallas -- Estonia's former prime minister, said")
# is none: the words must be a known place, or follow a source's tag
_MIXED_DATELINE = re.compile(
    r"(?P<tag>\[[^\[\]\n]{1,40}\] ?)?"
    r"(?P<place>[A-Z][\w’'.]+(?: [A-Z][\w’'.]+){0,2})(?:, [A-Z][\w’'.]+(?: [A-Z][\w’'.]+){0,2})?"
    r" -- (?=[A-Z“\"])(?![^\n.!?]{0,40}? -- )"
)


def dateline_end(work: str, start: int, end: int) -> int | None:
    """Where a dateline at ``start`` ends ("GENEVA (Reuters) -- ", "[Outlet] Kyiv -- "), or None."""
    found = _DATELINE.match(work, start, end)
    if found is not None:
        return found.end()
    mixed = _MIXED_DATELINE.match(work, start, end)
    if mixed is None:
        return None
    if mixed.group("tag") is None:
        gazetteer = default_gazetteer()
        place = mixed.group("place")
        known = gazetteer.actor(place)
        if not gazetteer.is_place(place) or (known is not None and known.kind == "person"):
            return None
    return mixed.end()


def sentences(
    work: str, start: int, end: int, quotes: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentence spans of ``work[start:end]``; never split inside a quotation."""
    out: list[tuple[int, int]] = []
    seg_start = start
    dateline = dateline_end(work, start, end)
    if dateline is not None and work[dateline:end].strip():
        seg_start = dateline  # "MEXICO CITY - ", "GENEVA (Reuters) -- ": furniture
    qi = 0
    for match in _SENTENCE_END.finditer(work, start, end):
        stop = match.end()
        dot = match.start()
        while qi < len(quotes) and quotes[qi][1] <= dot:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] < dot and stop < quotes[qi][1]:
            continue  # inside a quotation: a quoted passage stays with its attribution
        if (
            work[stop - 1] == CLOSE_QUOTE
            and work[dot] in "?!"
            and not _introduced(work, seg_start, dot)
            and _attribution_tail(work, stop, end)
        ):
            continue
        if work[dot] == ".":
            prev = _PREV_TOKEN.search(work, max(start, dot - 12), dot)
            if prev:
                token = prev.group(1).lower().rstrip(".")
                # "No. 2" abbreviates "number"; "… said no. But …" ends a sentence
                if (
                    token in _ABBREVIATIONS
                    or (len(token) == 1 and token.isalpha())
                    or _INITIALS.fullmatch(token) is not None  # "J.D. Vance", "U.A.E."
                ) and (token != "no" or _NUMBER_AFTER.match(work, stop)):
                    continue
        out.append((seg_start, stop))
        seg_start = stop
        while seg_start < end and work[seg_start].isspace():
            seg_start += 1
    if seg_start < end and work[seg_start:end].strip():
        out.append((seg_start, end))
    return out
