"""Statements from one text: cues, their speakers and their content, sentence by sentence.

The flow, for each body block (furniture and boilerplate are skipped):

    quotations -> masked copy (quotation interiors blanked) -> sentences
    for each sentence: for each cue outside quotations:
        subject before the cue ("X said …", "…, X said")  or  inverted ("…, said X")
        content after the cue (reported clause or quotation)  or  before it (post-posed)
    a sentence that is mostly a quotation and has no cue continues the previous speaker
then speakers are resolved in text order (coref) and given a role and a side (gazetteer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.extract.coref import Resolution, Resolver
from aggregator.extract.cues import NEEDS_THAT, STANCE_LEMMAS, Cue, find_cues
from aggregator.extract.quotes import Quote, find_quotes
from aggregator.extract.sides import Gazetteer, default_gazetteer
from aggregator.extract.speakers import (
    Mention,
    find_inverted,
    find_sentence_subject,
    find_subject,
)
from aggregator.extract.text import CLOSE_QUOTE, OPEN_QUOTE, blocks, normalise, sentences
from aggregator.model import Statement, StatementKind

_MASK = "~"
_LEAD_IN = frozenset("because that and but so while although since as when if".split())
_SUBJECT_WINDOW = 400  # characters before a cue searched for its subject
_MAX_CUES = 40  # per sentence; real sentences have a handful
_TELL_OBJECT = re.compile(
    r"\s+(?:him|her|them|us|me|you|reporters|journalists|supporters|voters|lawmakers|senators|"
    r"donors|students|officials|delegates|the (?:crowd|audience|press|committee|court|jury|"
    r"council|senate|house)|(?:the |a |an )?(?:[A-Z][\w.&’'-]*\s*){1,4}"
    r"(?:(?:reporters|journalists|audience|crowd|interviewer|viewers|listeners))?)(?=[\s,.:;]|$)"
)
_SKIP_AFTER = re.compile(
    r"(?:\s*,?\s*(?:on|late|early|last|this|earlier|later)\s+(?:on\s+)?(?:Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|night|morning|afternoon|"
    r"evening)(?:\s+(?:night|morning|afternoon|evening))?"
    r"|\s*,?\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
    r"tonight|also|again|repeatedly|previously|recently|publicly|privately|flatly|bluntly|"
    r"simply|earlier|later|then|once|too)\b"
    r"|\s*,?\s*(?:in|on|at|during|via|through|over)\s+(?:a|an|his|her|their|its|the)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:statement|interview|speech|tweet|post|letter|conference|briefing|"
    r"appearance|call|release|op-ed|email|e-mail|rally|debate|hearing|meeting|event|"
    r"broadcast|programme|program|show|video|message|session)"
    r"(?:\s+(?:on|with|to|at|in|for)\s+(?:the\s+)?(?:[\w’'.&-]+\s+){0,4}?[\w’'.&-]+(?=[,.:;]|\s+that\b))?"
    r"|\s*,?\s*(?:on|via|in)\s+(?:Twitter|Facebook|Instagram|Telegram|X|television|TV|radio|"
    r"Fox News|CNN|MSNBC|NBC|ABC|CBS|NPR)\b)+",
)
_COLON_QUOTE = re.compile(r"[^“”.!?]{0,80}?:\s*“")
_TOLD_THAT = re.compile(r"[^“”.;:]{1,100}?\bthat\b")
_ADJUNCT_THAT = re.compile(
    r"\s*(?:for|in|on|at|during|after|before|with|to|from|through|via|under|over)\s"
    r"[^“”.;:,]{1,60}?\bthat\b"
)
_THAT = re.compile(r"\s*(?:[,:]\s*)?(?:that\b)?\s*")
_WORDS = re.compile(r"[\w’'-]+")
_BAD_CONTENT_START = frozenset(
    "is was are were be been being to by of for about with so as nothing anything much "
    "and or but than if goodbye hello hi yes no thanks sorry".split()
)
_FINITE = frozenset(
    "is was are were has have had will would can could should may might must did does do "
    "isn't wasn't aren't weren't hasn't haven't hadn't won't wouldn't can't couldn't "
    "shouldn't didn't doesn't don't needs remains remained gave made took went came got knew "
    "saw found left held kept won lost paid sent spent brought built began ran became felt met "
    "told said thought".split()
)
_SUBJECT_START = frozenset(
    "he she it they we i you there this that these those his her its their our my your the "
    "a an some many most all no one two both several any each every such".split()
)
# stance verbs whose object is itself the claim ("denounced the reports as a lie")
_OBJECT_LEMMAS = frozenset(
    "accuse blame criticise criticize praise condemn denounce reject deny dismiss hail decry "
    "urge call warn demand propose recommend advise threaten promise pledge vow predict "
    "ask".split()
)
_NEEDS_QUOTE = frozenset("call describe label dub brand".split())
_TO_LEMMAS = frozenset("promise pledge vow threaten agree decline refuse offer urge".split())
_POSTPOSED_REST = re.compile(
    r"^\s*(?:[,.;:!?]|$|\w+ing\b|(?:while|as|when|after|before|during|in|at|on|to|from|of|adding|"
    r"according|who|which|because|referring|speaking|writing|citing|noting|told|\()\b)",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(
    r"(?:speaking|talking|writing|addressing|responding|replying|testifying|appearing|"
    r"commenting|asked|interviewed|quoted|reacting|referring|asked)$",
    re.IGNORECASE,
)
_MIDDLE = re.compile(r"\s*,\s*(?![“”])(?![a-z]+ing\b)(?:[\w’'-]+\s+){2,}")
# a subject right after one of these starts a clause of its own, not nested speech
_NEW_CLAUSE = re.compile(r"(?:[,;]|[,;]?\s(?:but|and|while|whereas|yet))\s+$")
_IN_RELATIVE = re.compile(r",\s+(?:who|which)\b[^,;“”]*$")
_TRAILING_CLAUSE = re.compile(
    r",\s+(?:referring|citing|adding|saying|noting|arguing|explaining|calling|describing|"
    r"pointing|insisting|according|warning|telling|asking|suggesting|claiming|accusing|"
    r"acknowledging|urging|prompting|sparking|drawing|setting)\b"
    r"|\s(?:and|but)\s+(?:then\s+|also\s+|later\s+)?(?:[a-z]+ed|said|told|went|made|took|gave|"
    r"got|came|held|left|goes|says|tells)\b(?!\s+(?:by|that|with)\b)"
)
_CONNECTOR_TAIL = re.compile(r"[\s,;:—–-]*(?:\b(?:and|but|while|as|or|then)\b[\s,]*)?$")


@dataclass
class _Draft:
    start: int
    end: int
    cue: Cue | None
    mention: Mention | None
    block: int
    inherited: _Draft | None = None  # an unattributed quotation continuing this draft


def _content_words(work: str, start: int, end: int) -> list[str]:
    return _WORDS.findall(work, start, end)


def _trim_content(work: str, start: int, end: int) -> tuple[int, int]:
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


def _clause_like(masked: str, start: int, end: int, lemma: str) -> bool:
    """Whether the words after a cue read as a reported clause for that verb."""
    if start >= end:
        return False
    if masked[start] == OPEN_QUOTE:
        return True
    words = _content_words(masked, start, min(end, start + 160))
    if len(words) < 2:
        return False
    first = words[0].lower()
    if first in _BAD_CONTENT_START and not (first == "to" and lemma in _TO_LEMMAS):
        return False
    if lemma in {"say", "tell", "add", "write", "reply", "respond", "tweet", "state", "according"}:
        return True
    if lemma in _NEEDS_QUOTE:
        # "called the plan “a disaster”": a naming verb is speech only around a quotation
        return OPEN_QUOTE in masked[start : min(end, start + 90)] or first == "for"
    if lemma in _TO_LEMMAS and first == "to":
        return True
    if lemma in _OBJECT_LEMMAS:
        return True
    subject_like = first in _SUBJECT_START or words[0][:1].isupper()
    if not subject_like:
        return False
    return any(
        w.lower() in _FINITE or (w.endswith("ed") and len(w) > 4 and w[:1].islower())
        for w in words[1:12]
    )


def _content_after(masked: str, cue: Cue, hi: int) -> tuple[int, int, bool] | None:
    """The reported clause or quotation after a cue: (start, end, had_that)."""
    pos = cue.end
    colon = _COLON_QUOTE.match(masked, pos, hi)
    if colon:
        start, end = _trim_content(masked, colon.end() - 1, hi)
        return start, end, True
    if cue.lemma == "tell":
        # "told customers at a breakfast spot that …"
        that_later = _TOLD_THAT.match(masked, pos, hi)
        obj = _TELL_OBJECT.match(masked, pos, hi)
        if that_later:
            pos = that_later.end()
        elif obj:
            pos = obj.end()
    skip = _SKIP_AFTER.match(masked, pos, hi)
    if skip:
        pos = skip.end()
    adjunct = _ADJUNCT_THAT.match(masked, pos, hi)
    if adjunct:
        # "said for the first time that …", "wrote to the senator's office that …"
        pos = adjunct.end() - 4
    that = _THAT.match(masked, pos, hi)
    had_that = False
    if that:
        had_that = "that" in that.group(0)
        following = _WORDS.match(masked, that.end(), hi)
        if had_that and following and following.group(0).lower() in _FINITE:
            # "said that is a distortion": "that" is the subject, not a conjunction
            had_that = False
            pos = that.end() - len(that.group(0).lstrip(" ,:"))
        else:
            pos = that.end()
    start, end = _trim_content(masked, pos, hi)
    if start < end and masked[start] == OPEN_QUOTE:
        # a quotation right after the cue is the whole statement, when it ends a clause
        closing = _quote_end(masked, start, end)
        if closing is not None and (
            masked[closing - 2 : closing - 1] in {",", ".", "!", "?", "…", CLOSE_QUOTE}
            or masked[closing : closing + 1] in {",", ".", ""}
        ):
            end = closing
        return start, end, True
    if had_that and start < end:
        return start, _clause_end(masked, start, end), True
    if cue.lemma in NEEDS_THAT:
        return None
    if cue.lemma == "tell" and pos == cue.end:
        return None  # "told the packed hall, where …": an audience, not a message
    if not _clause_like(masked, start, end, cue.lemma):
        return None
    end = _clause_end(masked, start, end)
    if cue.lemma in STANCE_LEMMAS and not had_that and masked[start] != OPEN_QUOTE:
        # "believes in", "thinks about": only a full clause counts
        words = _content_words(masked, start, min(end, start + 100))
        if not words or (words[0].lower() not in _SUBJECT_START and not words[0][:1].isupper()):
            return None
    return start, end, had_that


def _short_tail(rest: str) -> bool:
    """A few words and the full stop: "…,” Trump told the newspaper."."""
    stop = re.match(r"[^.;:!?“”]*", rest)
    tail = stop.group(0) if stop else rest
    words = _WORDS.findall(tail)
    return len(words) <= 8 and not any(w.lower() in _FINITE for w in words)


def _skip_object(masked: str, cue: Cue, hi: int) -> int:
    pos = cue.end
    if cue.lemma == "tell":
        obj = _TELL_OBJECT.match(masked, pos, hi)
        if obj:
            pos = obj.end()
    skip = _SKIP_AFTER.match(masked, pos, hi)
    return skip.end() if skip else pos


def _clause_end(masked: str, start: int, end: int) -> int:
    """Where a reported clause stops: before a trailing participle ("…, referring to …") or a
    second verb of the speaker ("… and questioned …")."""
    cut = _TRAILING_CLAUSE.search(masked, start + 10, end)
    if cut is not None:
        end = cut.start()
    return end


def _quote_end(masked: str, start: int, hi: int) -> int | None:
    """End (after the closing marks) of the quotation opening at ``start``."""
    closing = masked.find(CLOSE_QUOTE, start, hi + 1)
    if closing < 0:
        return None
    while closing + 1 < len(masked) and masked[closing + 1] == CLOSE_QUOTE:
        closing += 1
    return closing + 1


def _content_before(masked: str, lo: int, hi: int) -> tuple[int, int] | None:
    """A post-posed attribution's content: "…,” he said" / "The plan failed, officials said"."""
    end = hi
    while end > lo and masked[end - 1] in " \n":
        end -= 1
    if end <= lo or masked[end - 1] not in ",”" + CLOSE_QUOTE:
        if not (end > lo and masked[end - 1] in "—–-"):
            return None
    start, stop = _trim_content(masked, lo, end)
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
    words = _content_words(masked, start, min(stop, start + 200))
    quoted = start < stop and masked[start] == OPEN_QUOTE
    if len(words) < 3 and not quoted:
        return None
    if not quoted and _PARTICIPLE.match(words[0]):
        return None  # "Speaking to the BBC, X said …": a participle phrase, not the claim
    return start, stop


def _attribute(masked: str, s: int, e: int, lo: int, cue: Cue, previous: _Draft | None,
               block: int) -> _Draft | None:
    """One statement for one cue, or None."""
    if cue.kind == "according":
        speaker = find_inverted(masked, cue.end, e)
        if speaker is None:
            return None
        head_start, head_end = _trim_content(masked, lo, cue.start)
        head_words = _content_words(masked, head_start, min(head_end, head_start + 200))
        comma = masked.find(",", speaker.end, min(e, speaker.end + 3))
        tail_start, tail_end = _trim_content(masked, comma + 1, e) if comma >= 0 else (e, e)
        tail_words = len(_content_words(masked, tail_start, min(tail_end, tail_start + 200)))
        if tail_words >= 3:
            if len(head_words) >= 4 and head_words[-1].lower() not in _LEAD_IN:
                # "Among the cases at risk, according to X, are sixteen …": the whole sentence
                return _Draft(head_start, tail_end, cue, speaker, block)
            return _Draft(tail_start, tail_end, cue, speaker, block)
        if len(head_words) >= 3:
            return _Draft(head_start, head_end, cue, speaker, block)
        return None
    # speakers are short: looking further back only costs time on pathological input
    subject = find_subject(masked, max(lo, cue.start - _SUBJECT_WINDOW), cue.start)
    if isinstance(subject, Mention):
        head = subject.start if subject.role_start is None else min(subject.start,
                                                                      subject.role_start)
        before = _content_before(masked, lo, head)
        rest = masked[_skip_object(masked, cue, e) : e]
        after = _content_after(masked, cue, e)
        strong_after = after is not None and (after[2] or masked[after[0]] == OPEN_QUOTE)
        if (before is not None and not strong_after and head > lo + 1
                and masked[lo] != OPEN_QUOTE and _MIDDLE.match(rest)):
            # "The plan, officials said, was dropped.": the attribution sits inside the claim
            start, end = _trim_content(masked, lo, e)
            return _Draft(start, end, cue, subject, block)
        quoted_before = before is not None and masked[before[1] - 1] == CLOSE_QUOTE
        if masked[cue.end : cue.end + 1] == ":":
            before = None  # "In a 1963 speech, he declared: …" introduces what follows
        if before is not None and (after is None or quoted_before) and (
            quoted_before or not strong_after
        ) and (
            _POSTPOSED_REST.match(rest) or _short_tail(rest)
        ):
            start, end = before
            # "…,” he said, “…”: the quotation after the attribution is the same statement
            follow = re.match(r"\s*[,;:]?\s*(?:adding|and added)?[\s,:]*" + OPEN_QUOTE, rest)
            if follow and masked[start] == OPEN_QUOTE:
                closing = masked.find(CLOSE_QUOTE, cue.end + follow.end(), e + 1)
                end = closing + 1 if closing >= 0 else _trim_content(masked, cue.end, e)[1]
            return _Draft(start, end, cue, subject, block)
        if after is not None:
            end = after[1]
            if _IN_RELATIVE.search(masked, max(lo, cue.start - 120), cue.start):
                # "the Fed, which entered the year predicting X, has yet to move": X ends at
                # the comma that closes the relative clause
                comma = masked.find(",", after[0], end)
                if comma > after[0] + 8:
                    end = comma
            return _Draft(after[0], end, cue, subject, block)
        return None
    if subject == "elided" or (subject is None and cue.word.endswith("ing")):
        # "… and said …", "…, saying …": the clause's own subject speaks
        speaker = previous.mention if previous is not None and subject == "elided" else None
        if speaker is None:
            speaker = find_sentence_subject(masked, lo, cue.start)
        if speaker is None:
            return None
        after = _content_after(masked, cue, e)
        if after is None:
            return None
        return _Draft(after[0], after[1], cue, speaker, block)
    # "…,” said Mr Lavrov." — the speaker follows the cue
    before = _content_before(masked, lo, cue.start)
    if before is None:
        return None
    speaker = find_inverted(masked, cue.end, e)
    if speaker is None:
        return None
    start, end = before
    rest = masked[speaker.end : e]
    follow = re.match(r"[^“”.]{0,80}?[,:]\s*" + OPEN_QUOTE, rest)
    if follow and masked[start] == OPEN_QUOTE:
        closing = masked.find(CLOSE_QUOTE, speaker.end + follow.end(), e + 1)
        if closing >= 0:
            end = closing + 1
    return _Draft(start, end, cue, speaker, block)


def _mask(flat: str, quotes: list[Quote]) -> str:
    pieces: list[str] = []
    pos = 0
    for quote in quotes:
        inner_start = quote.start + 1
        inner_end = quote.end - 1 if quote.closed else quote.end
        if inner_end <= inner_start:
            continue
        pieces.append(flat[pos:inner_start])
        pieces.append(_MASK * (inner_end - inner_start))
        pos = inner_end
    pieces.append(flat[pos:])
    return "".join(pieces)


def _quoted_share(quotes: list[Quote], s: int, e: int, masked: str) -> tuple[float, Quote | None]:
    inside = 0
    first: Quote | None = None
    for quote in quotes:
        if quote.end <= s or quote.start >= e:
            continue
        first = first or quote
        inside += min(quote.end, e) - max(quote.start, s)
    visible = sum(1 for ch in masked[s:e] if not ch.isspace()) or 1
    return min(1.0, inside / visible), first


def _kind(quotes: list[Quote], start: int, end: int) -> StatementKind:
    inside = [q for q in quotes if q.start < end and q.end > start]
    if not inside:
        return "indirect"
    covered = sum(min(q.end, end) - max(q.start, start) for q in inside)
    if inside[0].start <= start + 1 and covered >= 0.6 * (end - start):
        return "direct"
    return "mixed"


def _drafts(work: str) -> tuple[list[_Draft], list[Quote]]:
    flat = work.replace("\n", " ")
    body = [b for b in blocks(work) if b.kind == "body"]
    quotes_by_block = [find_quotes(flat, b.start, b.end) for b in body]
    all_quotes = [q for qs in quotes_by_block for q in qs]
    masked = _mask(flat, all_quotes)
    drafts: list[_Draft] = []
    for index, (block, quotes) in enumerate(zip(body, quotes_by_block, strict=True)):
        spans = [(q.start, q.end) for q in quotes]
        for s, e in sentences(flat, block.start, block.end, spans):
            found: list[_Draft] = []
            for cue in find_cues(masked, s, e)[:_MAX_CUES]:
                draft = _attribute(masked, s, e, s, cue, found[-1] if found else None, index)
                if draft is None or draft.end - draft.start < 3:
                    continue
                outer = next((d for d in found if d.start <= cue.start < d.end), None)
                if outer is not None and not (
                    draft.mention is not None
                    and outer.mention is not None
                    and (draft.mention.start == outer.mention.start
                         or draft.mention.start < outer.start
                         or _NEW_CLAUSE.search(masked, outer.start, draft.mention.start))
                ):
                    continue  # nested speech inside an earlier statement's content
                found.append(draft)
            if not found and drafts:
                share, quote = _quoted_share(quotes, s, e, masked)
                last = drafts[-1]
                speech = last.cue is None or last.cue.lemma not in STANCE_LEMMAS
                if share >= 0.5 and quote is not None and index - last.block <= 2 and speech:
                    start, end = _trim_content(flat, max(s, quote.start), e)
                    if len(_content_words(masked, s, e)) >= 2 or end - start > 12:
                        origin = last.inherited or last
                        if last.block == index and masked[last.start] == OPEN_QUOTE and (
                            start - last.end < 250
                        ):
                            last.end = end  # “…,” he said. “…” is one statement
                        else:
                            drafts.append(
                                _Draft(start, end, origin.cue, origin.mention, index, origin)
                            )
                    continue
            drafts.extend(_untangle(found, masked))
    return drafts, all_quotes


def _untangle(found: list[_Draft], masked: str) -> list[_Draft]:
    """Cut a statement where the next one in the same sentence begins; drop what overlaps."""
    found.sort(key=lambda d: d.start)
    out: list[_Draft] = []
    for draft in found:
        if out and draft.start < out[-1].end:
            prev = out[-1]
            head = draft.start
            if draft.mention is not None and prev.start < draft.mention.start < head:
                head = draft.mention.start
            if draft.cue is not None and prev.start < draft.cue.start < head:
                head = draft.cue.start
            cut = _CONNECTOR_TAIL.search(masked, prev.start, head)
            new_end = cut.start() if cut else head
            if new_end - prev.start >= 8 and prev.start < head:
                prev.end = new_end
            else:
                continue
            if draft.start < prev.end:
                continue
        out.append(draft)
    return out


def extract_statements(text: str, gazetteer: Gazetteer | None = None) -> list[Statement]:
    """Every statement in ``text``, sorted by start; offsets index ``text`` exactly as given."""
    gazetteer = gazetteer or default_gazetteer()
    work = normalise(text)
    drafts, quotes = _drafts(work)
    drafts.sort(key=lambda d: d.start)
    resolver = Resolver(text, gazetteer)
    resolved: list[Resolution | None] = []
    cache: dict[int, Resolution] = {}
    for draft in drafts:
        mention = draft.mention
        if mention is None:
            resolved.append(None)
            continue
        key = id(mention)
        if key not in cache:
            cache[key] = resolver.resolve(text[mention.start : mention.end], mention.role,
                                          mention.start)
        resolved.append(cache[key])
    _link_descriptions(drafts, resolved, text)
    out: list[Statement] = []
    for draft, res in zip(drafts, resolved, strict=True):
        mention = draft.mention
        cue = draft.cue
        role = (res.role if res else None) or (mention.role if mention else None)
        side = res.side if res else None
        if side is None and mention is not None:
            _, side = gazetteer.side_of(text[mention.start : mention.end], mention.role)
        out.append(
            Statement(
                text=text[draft.start : draft.end],
                start=draft.start,
                end=draft.end,
                kind=_kind(quotes, draft.start, draft.end),
                cue=text[cue.start : cue.end] if cue else None,
                speaker=text[mention.start : mention.end] if mention else None,
                speaker_start=mention.start if mention else None,
                speaker_end=mention.end if mention else None,
                actor=res.actor if res else None,
                role=role,
                side=side,
                cue_start=cue.start if cue else None,
                cue_end=cue.end if cue else None,
            )
        )
    return out


def _link_descriptions(drafts: list[_Draft], resolved: list[Resolution | None], text: str) -> None:
    """"the Russian foreign minister insisted …" … "Mr Lavrov said": the later name wins."""
    for i, res in enumerate(resolved):
        if res is None or not res.described:
            continue
        for j in range(i + 1, min(len(resolved), i + 4)):
            later = resolved[j]
            mention = drafts[j].mention
            if later is None or mention is None or later.kind != "person" or later.described:
                continue
            written = text[mention.start : mention.end]
            if later.actor and written.split()[-1] == later.actor.split()[-1]:
                resolved[i] = Resolution(later.actor, "person", later.side or res.side,
                                         res.role or later.role)
                break
