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

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from operator import attrgetter

from aggregator.extract.acts import lead_act
from aggregator.extract.attribute import Draft, Sentence, attribute, speech_noun
from aggregator.extract.content import adjunct_only, content_words, has_verb, trim_content
from aggregator.extract.coref import Resolution, Resolver
from aggregator.extract.cues import MAX_PER_SENTENCE, STANCE_LEMMAS, Cue, Trace, Veto, find_cues
from aggregator.extract.languages import lexicon_for
from aggregator.extract.languages.engine import extract as extract_in
from aggregator.extract.lexicon import ADDRESS_PATTERN, MONTH_PATTERN, SUBJECT_PRONOUNS
from aggregator.extract.phrases import as_source, asked, named_relative, speech_noun_link
from aggregator.extract.quotes import Quote, find_quotes
from aggregator.extract.sides import Gazetteer, default_gazetteer
from aggregator.extract.speakers import Mention, is_name
from aggregator.extract.subjects import find_sentence_subject
from aggregator.extract.text import CLOSE_QUOTE, OPEN_QUOTE, Block, blocks, normalise, sentences
from aggregator.extract.voice import SourceVoice, Standing, has_office, own_voice, self_named
from aggregator.model import MAX_TEXT_CHARS, Statement, StatementKind, text_end

_MASK = "~"
_LETTER = re.compile(r"[A-Za-z]")
_NEW_CLAUSE = re.compile(r"(?:[,;]|[,;]?\s(?:but|and|while|whereas|yet))\s+$")
# an infinitive or a verb after a modal inside a claim belongs to that claim
_BARE_VERB_BEFORE = re.compile(r"\b(?:to|would|will|can|could|should|might|must)\s+$")
# a headline that reports speech: "Minister says talks failed;", "Ryan calls plan 'racist'"
_GERUND_BEFORE = re.compile(r"\b(?:for|by|of|about|from|without)\s+$")
_HEADLINE_SAYS = re.compile(
    r"[A-Z][\w’'.-]*\s+(?:[\w’'.-]+\s+){0,3}(?:says|tells|calls|warns|urges|vows|pledges|claims|denies|"
    r"insists|rejects|hints|rips|slams|accuses|blasts)\s"
)
_CAPS_LABEL = re.compile(r"(?<![\w’'.-])[A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+){0,2}:\s")
_LABEL = re.compile(
    r"((?:(?:" + ADDRESS_PATTERN + r")\.? )?[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){0,3}):\s+"
)
# labels that introduce page furniture, not a speaker
_NOT_SPEAKERS = frozenset(
    "poll note update photo photos video watch source sources editor correction q a related "
    "read opinion analysis exclusive breaking live timeline background caption image credit "
    "share follow tags topics warning summary abstract contributing paid notice revealed "
    "latest circle".split()
)
_CONNECTOR_TAIL = re.compile(r"[\s,;:—–-]*(?:\b(?:and|but|while|as|or|then)\b[\s,]*)?$")


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
    visible = (e - s - masked.count(" ", s, e)) or 1
    return min(1.0, inside / visible), first


def _overlapping(quotes: list[Quote], ends: list[int], start: int, end: int) -> list[Quote]:
    """The quotations overlapping ``[start, end)``; ``quotes`` are in order and never overlap
    each other, so their ends are in order too (``ends`` lists them) and two binary searches
    find the run - a page of thousands of quotations stays linear."""
    first = bisect.bisect_right(ends, start)
    inside: list[Quote] = []
    for index in range(first, len(quotes)):  # (a slice would copy the rest of the list)
        quote = quotes[index]
        if quote.start >= end:
            break
        inside.append(quote)
    return inside


def _kind(quotes: list[Quote], start: int, end: int, ends: list[int]) -> StatementKind:
    inside = _overlapping(quotes, ends, start, end)
    if not inside:
        return "indirect"
    covered = 0
    for q in inside:  # (a loop: a generator would be resumed from C for each quotation)
        covered += min(q.end, end) - max(q.start, start)
    if inside[0].start <= start + 1 and covered >= 0.6 * (end - start):
        return "direct"
    return "mixed"


# a text with more distinct labels than this is no transcript; each label not yet judged
# costs a search of the whole text, so a hostile page of labels must not cost time quadratic
# in its length
_MAX_LABELS = 64


class _Labels:
    """Which labels ("Lavrov: …", "KATE BOULDUAN: …") name a speaker in one text.

    A label names a speaker when it is a known actor, a first name and surname, a surname the
    text gives in full elsewhere ("Issa: …" and "Rep. Darrell Issa"), or a transcript label in
    capitals; each label is judged once.
    """

    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self._text = text
        self._gazetteer = gazetteer
        self._judged: dict[str, bool] = {}
        self._caps_labels: int | None = None

    def speaks(self, label: str) -> bool:
        judged = self._judged.get(label)
        if judged is None:
            if len(self._judged) >= _MAX_LABELS:
                return False
            judged = is_name(label) and label.lower() not in _NOT_SPEAKERS and self._speaker(label)
            self._judged[label] = judged
        return judged

    def _speaker(self, label: str) -> bool:
        text, gazetteer = self._text, self._gazetteer
        words = label.split()
        if words[0].lower() in {"the", "a", "an", "so", "and", "but"}:
            return False
        if (
            any(w.lower() in _NOT_SPEAKERS for w in words)
            or gazetteer.place_side(label) is not None
        ):
            return False
        if label.isupper():
            # a transcript's label ("KATE BOULDUAN: …"; one word only with other labels like
            # it, or named in full elsewhere: "TAPPER: …"), not a headline's shout ("BOOM: …")
            if self._caps_labels is None:
                self._caps_labels = len(_CAPS_LABEL.findall(text))
            return (
                len(words) <= 3
                and len(label) >= 4
                and (
                    len(words) > 1
                    or self._caps_labels >= 2
                    or re.search(r"\b" + re.escape(words[-1].title()) + r"\b", text) is not None
                )
            )
        if len(words) == 1 and re.search(
            # the text gives the name in full: "Issa" and "Rep. Darrell Issa", "Hillary" and
            # "Hillary Clinton"
            r"\b[A-Z][\w.’'-]+ " + re.escape(label) + r"\b|\b" + re.escape(label) + r" [A-Z][a-z]",
            text,
        ):
            return True
        known = gazetteer.actor(label)
        if known is not None:
            return known.kind != "media"
        return len(words) >= 2


def _heading_speaks(flat: str, block: Block, labels: _Labels) -> bool:
    """A heading that opens with a speaker's label ("Clinton: Trump's view of the world is
    'dangerously wrong'") or reports speech ("Minister says talks failed;") is a statement."""
    label = _LABEL.match(flat, block.start, block.end)
    if label is not None and labels.speaks(label.group(1)):
        return True
    return _HEADLINE_SAYS.match(flat, block.start, block.end) is not None


def label(sentence: Sentence, labels: _Labels) -> list[Draft]:
    """A headline or transcript label that names a speaker opens the paragraph.

    Example: Lavrov: Georgia must withdraw its troops from the region at once.
    """
    masked, s, e = sentence.masked, sentence.start, sentence.end
    found = _LABEL.match(masked, s, e)
    if found is None or not labels.speaks(found.group(1)):
        return []
    start, end = trim_content(masked, found.end(), e)
    if len(content_words(masked, start, min(end, start + 100))) < 3:
        return []
    mention = Mention(found.start(1), found.end(1))
    colon = Cue(found.end(1), found.end(1) + 1, ":", "say", "say")
    return [Draft(start, end, colon, mention, sentence.block, rule="label")]


#: constructions read off a whole sentence, after its cues: each of these wins over a cue's
#: statement at the same cue ("X, as the mayor noted, is Y": the verb rules read only Y) ...
OVERRIDING: tuple[Callable[[Sentence], list[Draft]], ...] = (as_source, named_relative)
#: ... each of these adds a statement only where no other one lies
FILLING: tuple[Callable[[Sentence], list[Draft]], ...] = (speech_noun, speech_noun_link, asked)


def _add_phrases(found: list[Draft], sentence: Sentence) -> list[Draft]:
    for construction in OVERRIDING:
        for draft in construction(sentence):
            cue_start = draft.cue.start if draft.cue is not None else -1
            found = [d for d in found if d.cue is None or d.cue.start != cue_start]
            found.append(draft)
    for construction in FILLING:
        for draft in construction(sentence):
            if not any(d.start < draft.end and draft.start < d.end for d in found):
                found.append(draft)
    return found


def _nested_in_claim(sentence: Sentence, outer: Draft, draft: Draft) -> bool:
    """Whether ``draft``'s cue is speech nested in an earlier statement's content."""
    masked, cue = sentence.masked, draft.cue
    assert cue is not None
    if _BARE_VERB_BEFORE.search(masked, max(outer.start, cue.start - 12), cue.start) or (
        cue.participle
        and _GERUND_BEFORE.search(masked, max(outer.start, cue.start - 10), cue.start)
    ):
        # "… needs no rules to tell him the banks …", "… would urge …", "railed against
        # Republicans for refusing to …": part of the claim
        return True
    return not (
        draft.mention is not None
        and outer.mention is not None
        and (
            draft.mention.start == outer.mention.start
            or draft.mention.start < outer.start
            or _NEW_CLAUSE.search(masked, outer.start, draft.mention.start)
        )
    )


def _inside_one(found: list[Draft], position: int, sentence: Sentence, draft: Draft) -> bool:
    """Whether ``draft``'s cue (at ``position``) is speech nested in the content of the first
    statement found that holds it."""
    for outer in found:
        if outer.start <= position < outer.end:
            return _nested_in_claim(sentence, outer, draft)
    return False


def _cue_drafts(
    sentence: Sentence, block: Block, reach: int, found: list[Draft], trace: Trace | None
) -> bool:
    """Append a statement for each cue of the sentence to ``found``; whether one took up the
    next paragraph (``reach``, past the sentence end, after "X wrote:")."""
    wide = sentence if reach == sentence.end else replace(sentence, end=reach)
    took_next = False
    for cue in find_cues(sentence.masked, sentence.start, sentence.end, trace)[:MAX_PER_SENTENCE]:
        previous = found[-1] if found else None
        draft = attribute(wide, cue, previous)
        if draft is not None and draft.end > sentence.end and draft.start < block.end:
            # the claim is in this paragraph after all: only a whole paragraph after the
            # colon is taken from the next
            draft = attribute(sentence, cue, previous)
        if draft is None or draft.end - draft.start < 3:
            continue
        took_next = took_next or draft.end > sentence.end
        if _inside_one(found, cue.start, sentence, draft):
            continue
        found.append(draft)
    return took_next


_MIN_LEFTOVER_WORDS = 4

# "“Go back,” Trump barked.", "“…,” exhorted the actress": after a quotation that opens the
# sentence, a verb in the past tense (any verb, not only the lexicon's) next to a name or a
# pronoun reports how it was said
_AFTER_QUOTE = re.compile(
    r"\s*(?:(?:(?:the |a |an )?(?:[A-Z][\w.’'-]*\s+){0,4}[A-Z][\w.’'-]*|he|she|they|I|we)"
    r"\s+(?P<verb>[a-z]{3,}ed)(?=[\s,.;!?]|$)|(?P<inverted>[a-z]{3,}ed)\s+(?=(?:the |an? )?[A-Z]))"
)


_BEFORE_QUOTE = re.compile(r"(?<![,;])\s(?:then\s+)?(?P<verb>[a-z]{3,}ed)\s*[,:]\s*$")


def _quoted(masked: str, draft: Draft) -> bool:
    """A statement that opens or ends with a quotation, which a cue-less quotation continues."""
    return masked[draft.start] == OPEN_QUOTE or masked[draft.end - 1] == CLOSE_QUOTE


def unlisted_verb(sentence: Sentence, gazetteer: Gazetteer) -> list[Draft]:
    """A quotation attributed by a verb outside the cue lexicon: after a quotation that opens
    the sentence, or right before one that ends it.

    Example: “Go back to where you came from,” Trump barked.
    """
    masked, s, e = sentence.masked, sentence.start, sentence.end
    quote = next((q for q in sentence.quotes if s <= q.start < e), None)
    if quote is None or not quote.closed:
        return []
    if masked[s : quote.start].strip():
        before = _BEFORE_QUOTE.search(masked, max(s, quote.start - 40), quote.start)
        if before is None or masked[quote.end : e].strip(" .!?”") != "":
            return []
        return _verb_draft(sentence, quote, before, "verb")
    if sentence.flat[quote.end - 2 : quote.end - 1] not in {",", "!", "?", "…", "-", "—"}:
        return []
    after = _AFTER_QUOTE.match(masked, quote.end, e)
    if after is None:
        return []
    return _verb_draft(sentence, quote, after, "verb" if after.group("verb") else "inverted")


def _verb_draft(sentence: Sentence, quote: Quote, match: re.Match[str], group: str) -> list[Draft]:
    """The statement the verb in ``match`` gives the quotation, if it is the quotation's."""
    word = match.group(group)
    cue = Cue(match.start(group), match.end(group), word, word, "say")
    draft = attribute(sentence, cue, None)
    if draft is None or draft.start != quote.start or draft.mention is None:
        return []
    return [replace(draft, rule="unlisted_verb")]


_PRONOUNS = SUBJECT_PRONOUNS - {"we", "i"}
_LETTERS_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_TRAILING_NAME = re.compile(r"(?<=[a-z] )(?:[A-Z][\w.’'-]*\s+){1,3}[A-Z][\w’'-]+$")


def leftover_quote(sentence: Sentence, gazetteer: Gazetteer) -> list[Draft]:
    """A quotation with no cue in a sentence whose subject can speak (a full name, or
    he/she/they).

    Example: Sofia Lind had one message for the voters: “We are not going anywhere at all.”
    """
    masked, s, e = sentence.masked, sentence.start, sentence.end
    out: list[Draft] = []
    for quote in sentence.quotes:
        if quote.start < s or quote.start >= e or not quote.closed:
            continue
        if quote.end - quote.start < 6 * _MIN_LEFTOVER_WORDS:
            continue
        words = _LETTERS_WORD.findall(sentence.flat, quote.start, quote.end)
        if words and all(w[:1].isupper() for w in words):
            continue  # “Sunday Night Baseball”: a title in capitals, not something said
        subject = find_sentence_subject(masked, s, quote.start)
        if subject is None or not _trusted_subject(masked[subject.start : subject.end], gazetteer):
            continue  # "The board saw Fiorina …", "LOS ANGELES --": no speaker to trust
        out.append(
            Draft(
                quote.start, min(quote.end, e), None, subject, sentence.block, rule="leftover_quote"
            )
        )
    return out


def _trusted_subject(written: str, gazetteer: Gazetteer) -> bool:
    # the name may follow its description: "Republican nominee Donald Trump issued …"
    name = _TRAILING_NAME.search(written)
    named = name.group(0) if name is not None else written
    return written.lower() in _PRONOUNS or (
        is_name(named) and len(named.split()) >= 2 and gazetteer.place_side(named) is None
    )


#: constructions for a sentence in which nothing else found a statement, in order
FALLBACKS: tuple[Callable[[Sentence, Gazetteer], list[Draft]], ...] = (
    unlisted_verb,
    leftover_quote,
)


def continued_quote(origin: Draft, start: int, end: int, block: int) -> Draft:
    """A quotation with no cue that continues the previous speaker, past a narrative sentence
    or a paragraph (right after the statement's own sentence it extends that statement).

    Example: Kallas said the talks had failed. | The room fell silent. | “We will try again
    next week.”
    """
    return Draft(start, end, origin.cue, origin.mention, block, origin, rule="continued_quote")


#: every construction read off a sentence rather than off one cue, in the order they are tried
#: (the cue constructions, aggregator.extract.attribute.CONSTRUCTIONS, come after ``label``)
SENTENCE_CONSTRUCTIONS: tuple[Callable[..., object], ...] = (
    label,
    *OVERRIDING,
    *FILLING,
    continued_quote,
    *FALLBACKS,
)


class _Reader:
    """Statements from one text, sentence by sentence; what one sentence leaves for the next
    (the statements so far, whether a narrative sentence came since the last one, a paragraph
    taken up by the one before) is kept here."""

    def __init__(self, work: str, gazetteer: Gazetteer, trace: Trace | None) -> None:
        self.flat = flat = work.replace("\n", " ")
        self.gazetteer = gazetteer
        self.trace = trace
        heading_labels = _Labels(flat, gazetteer)
        self.body = [
            b
            for b in blocks(work)
            if b.kind == "body"
            or (b.kind == "furniture" and _heading_speaks(flat, b, heading_labels))
        ]
        self.quotes_by_block = [find_quotes(flat, b.start, b.end) for b in self.body]
        self.quotes = [q for qs in self.quotes_by_block for q in qs]
        self.masked = _mask(flat, self.quotes)
        self.labels = _Labels(self.masked, gazetteer)
        self.open_ends = {q.end for q in self.quotes if not q.closed}
        self.drafts: list[Draft] = []
        # a quotation without a cue continues the last speaker only if no narrative sentence
        # (one without any statement) came in between
        self.narrative_since_last = False
        self.consumed = -1  # a paragraph quoted whole by the previous one's "X wrote:"

    def read(self) -> list[Draft]:
        for index, (block, block_quotes) in enumerate(
            zip(self.body, self.quotes_by_block, strict=True)
        ):
            if index == self.consumed:
                continue
            spans = [(q.start, q.end) for q in block_quotes]
            ends = [q.end for q in block_quotes]
            for s, e in sentences(self.flat, block.start, block.end, spans):
                quotes = tuple(_overlapping(block_quotes, ends, s, e))
                self._sentence(Sentence(self.flat, self.masked, s, e, index, quotes), block)
        return self.drafts

    def _reach(self, sentence: Sentence, block: Block) -> int:
        """Where the sentence's statements may end: "In a statement, the mayor wrote:" ending
        its paragraph takes the next one as what was written."""
        index, body, masked = sentence.block, self.body, self.masked
        if (
            sentence.end >= block.end - 1
            and masked[sentence.start : sentence.end].rstrip().endswith(":")
            and index + 1 < len(body)
            and not self.flat[block.end : body[index + 1].start].strip()
            # a quotation there is taken up as the speaker's continuing words anyway
            and masked[body[index + 1].start] != OPEN_QUOTE
        ):
            return body[index + 1].end
        return sentence.end

    def _sentence(self, sentence: Sentence, block: Block) -> None:
        found = label(sentence, self.labels) if sentence.start == block.start else []
        if _cue_drafts(sentence, block, self._reach(sentence, block), found, self.trace):
            self.consumed = sentence.block + 1
        found = _add_phrases(found, sentence)
        if not found and self.drafts and self._continues(sentence, block):
            return
        for fallback in FALLBACKS:
            if found:
                break
            found = fallback(sentence, self.gazetteer)
        self.narrative_since_last = not found
        if found:
            self.drafts.extend(_untangle(found, self.masked))

    def _continued(self, index: int) -> tuple[int, Draft]:
        """The statement a cue-less quotation would continue, and its place in the list."""
        drafts = self.drafts
        last = len(drafts) - 1
        if (
            len(drafts) > 1
            and drafts[-1].block == index
            and not _quoted(self.masked, drafts[-1])
            and drafts[-2].block == index
            and _quoted(self.masked, drafts[-2])
        ):
            # "“A,” she said, adding that X. “B”": the quotation goes on the quoted statement,
            # which then spans the aside (itself a statement) between its two parts
            last -= 1
        return last, drafts[last]

    def _continues(self, sentence: Sentence, block: Block) -> bool:
        """A sentence that is mostly a quotation and has no cue continues the last speaker;
        whether it was taken so (then it gives no statement of its own)."""
        s, e, index = sentence.start, sentence.end, sentence.block
        share, quote = _quoted_share(list(sentence.quotes), s, e, self.masked)
        position, last = self._continued(index)
        speech = last.cue is None or last.cue.lemma not in STANCE_LEMMAS
        if not (
            share >= 0.5
            and quote is not None
            and index - last.block <= 2
            and speech
            and not (self.narrative_since_last and s != block.start)
        ):
            return False
        start, end = trim_content(self.flat, max(s, quote.start), e)
        if quote.closed and quote.end < end and _LETTER.search(self.flat, quote.end, end):
            end = quote.end  # "“…” South Carolina, he said …": only the quotation
        if len(content_words(self.masked, s, e)) >= 2 or end - start > 12:
            self._continue(position, last, sentence, start, end)
        return True

    def _continue(
        self, position: int, last: Draft, sentence: Sentence, start: int, end: int
    ) -> None:
        index = sentence.block
        if last.block == index and (start - last.end < 250):
            # “…,” he said. “…” is one statement; so is "She said A. “B”"
            self.drafts[position] = replace(last, end=end)
        elif (
            index - last.block == 1
            and start == sentence.start
            and not self.flat[self.body[last.block].end : self.body[index].start].strip()
            and (last.end in self.open_ends or _quoted(self.masked, last))
        ):
            # a quotation that fills the next paragraph, with no cue of its own, goes on with
            # a quoted statement (and always with one left open at the paragraph's end, as
            # newspapers print a long quotation)
            self.drafts[position] = replace(last, end=end, block=index)
        else:
            self.drafts.append(continued_quote(last.inherited or last, start, end, index))


_START = attrgetter("start")  # a sort key read in C, without a Python call for each item


def _untangle(found: list[Draft], masked: str) -> list[Draft]:
    """Cut a statement where the next one in the same sentence begins; drop what overlaps."""
    if len(found) == 1 and not found[0].nested:
        return found  # one statement: nothing to cut
    found.sort(key=_START)
    out: list[Draft] = []
    # a nested statement neither cuts nor is cut; it goes first, so that the sentence's last
    # draft (which a following quotation may continue) is the enclosing one
    nested = [d for d in found if d.nested]
    for draft in found:
        if draft.nested:
            continue
        if out and draft.start < out[-1].end:
            prev = out[-1]
            cut = _cut(prev, draft, masked)
            if cut is None:
                continue
            if cut < 0:
                # "Republicans also denounced the deal, according to …": what is left is the
                # next statement's subject, not a claim; that statement stays
                out[-1] = draft
                continue
            out[-1] = replace(prev, end=cut)
            if draft.start < cut:
                continue
        out.append(draft)
    # "railed against what he calls corruption": the claim already is the name given, and its
    # speaker says it
    starts = {d.start for d in out}
    return [d for d in nested if d.start not in starts] + out


def _cut(prev: Draft, draft: Draft, masked: str) -> int | None:
    """Where ``prev`` ends when ``draft`` begins inside it: an offset; -1 when what is left of
    ``prev`` is no claim (then ``draft`` replaces it); None when ``draft`` is dropped."""
    head = draft.start
    if draft.mention is not None and prev.start < draft.mention.start < head:
        head = draft.mention.start
    if draft.cue is not None and prev.start < draft.cue.start < head:
        head = draft.cue.start
    connector = _CONNECTOR_TAIL.search(masked, prev.start, head)
    new_end = connector.start() if connector else head
    if new_end - prev.start < 8 or prev.start >= head:
        return None
    if (
        prev.cue is not None
        # the claim came before its attribution ("…, according to X", "…, X reported"), so the
        # cut leaves only a fragment of it
        and (prev.cue.kind == "according" or prev.cue.start >= prev.end)
        and not has_verb(masked, prev.start, new_end)
        and OPEN_QUOTE not in masked[prev.start : new_end]
    ):
        return -1
    return new_end


@dataclass(frozen=True, slots=True)
class Explanation:
    """Statements with the name of the construction that made each, and the vetoes that
    dropped cue words (``aggregator extract --explain``)."""

    statements: list[tuple[Statement, str]]
    vetoes: list[Veto]


def extract_statements(
    text: str,
    gazetteer: Gazetteer | None = None,
    voice: SourceVoice | None = None,
    *,
    limit: int | None = MAX_TEXT_CHARS,
    language: str | None = None,
) -> list[Statement]:
    """Every statement in ``text``, sorted by start; offsets index ``text`` exactly as given.

    ``voice`` is the source the text came from: an official source's own first person, unnamed
    officials and unattributed lead speak for its side (aggregator.extract.voice, rule 6). Only
    the first ``limit`` characters are read (:data:`aggregator.model.MAX_TEXT_CHARS`, cut at a
    line or sentence end, see :func:`aggregator.model.text_end`); None reads everything.
    ``language`` (a tag: "ru", "uk-UA") picks the engine: English for None, "en" or a language
    no engine reads; Russian, Ukrainian, French, German and Spanish have their own
    (:mod:`aggregator.extract.languages`).
    """
    return [statement for statement, _ in _extract(text, gazetteer, voice, limit, None, language)]


def explain_statements(
    text: str,
    gazetteer: Gazetteer | None = None,
    voice: SourceVoice | None = None,
    *,
    limit: int | None = MAX_TEXT_CHARS,
    language: str | None = None,
) -> Explanation:
    """What :func:`extract_statements` finds, with each statement's rule and the vetoes."""
    vetoes: list[Veto] = []
    statements = _extract(text, gazetteer, voice, limit, vetoes, language)
    return Explanation(statements, vetoes)


def _extract(
    text: str,
    gazetteer: Gazetteer | None,
    voice: SourceVoice | None,
    limit: int | None,
    trace: Trace | None,
    language: str | None = None,
) -> list[tuple[Statement, str]]:
    if limit is not None and len(text) > limit:
        text = text[: text_end(text, limit)]  # a prefix: every offset stays an offset of text
    gazetteer = gazetteer or default_gazetteer()
    lexicon = lexicon_for(language)
    if lexicon is not None:
        return extract_in(text, lexicon, gazetteer, voice)
    work = normalise(text)
    reader = _Reader(work, gazetteer, trace)
    drafts = [d for d in reader.read() if not adjunct_only(work, d.start, d.end)]
    drafts.sort(key=_START)
    resolved = _resolve(drafts, text, gazetteer, voice)
    out: list[tuple[Statement, str]] = []
    if voice is not None and voice.official:
        out.extend((st, "own_lead") for st in _own_lead(work, text, drafts, voice))
    ends = [q.end for q in reader.quotes]
    for draft, res in zip(drafts, resolved, strict=True):
        res = _self_named(draft, res, text, gazetteer)
        out.append((_statement(draft, res, text, reader.quotes, ends), draft.rule))
    if not out:
        # a report's lead with no one quoted: the act of the party it names
        out.extend((st, "lead_act") for st in lead_act(text, work, gazetteer, voice))
    out.sort(key=lambda pair: pair[0].start)
    return out


def _resolve(
    drafts: list[Draft], text: str, gazetteer: Gazetteer, voice: SourceVoice | None
) -> list[Resolution | None]:
    """Each draft's speaker resolved in text order (a mention shared by drafts, once)."""
    resolver = Resolver(text, gazetteer, voice)
    resolved: list[Resolution | None] = []
    cache: dict[int, Resolution] = {}
    for draft in drafts:
        mention = draft.mention
        if mention is None:
            resolved.append(None)
            continue
        key = id(mention)
        if key not in cache:
            cache[key] = resolver.resolve(
                text[mention.start : mention.end], mention.role, mention.start
            )
        resolved.append(cache[key])
    _one_span_one_speaker(drafts, resolved)
    _link_descriptions(drafts, resolved, text)
    _one_person_one_side(resolved)
    return resolved


def _one_span_one_speaker(drafts: list[Draft], resolved: list[Resolution | None]) -> None:
    """Two readings of one sentence may find the same speaker span as two mentions ("X
    declined to open an inquiry, citing …": the clause's verb and its participle), one with a
    role the other lacks; the words are one speaker, so a decision one reading reached (a
    side, or commentary) holds for the other."""
    decided: dict[tuple[int, int], Resolution] = {}
    for draft, res in zip(drafts, resolved, strict=True):
        if draft.mention is not None and res is not None and res.decided:
            decided.setdefault((draft.mention.start, draft.mention.end), res)
    for i, (draft, res) in enumerate(zip(drafts, resolved, strict=True)):
        if draft.mention is None or (res is not None and res.decided):
            continue
        found = decided.get((draft.mention.start, draft.mention.end))
        if found is not None:
            resolved[i] = found


def _self_named(
    draft: Draft, res: Resolution | None, text: str, gazetteer: Gazetteer
) -> Resolution | None:
    """Rule 4c of voice.decide: an official left without a side speaks for the state their own
    words name as the subject of a stance."""
    mention = draft.mention
    if res is None or res.decided or mention is None:
        return res
    written = text[mention.start : mention.end]
    if not (has_office(written) or has_office(res.role)):
        return res
    side = self_named(text[draft.start : draft.end], gazetteer)
    if side is None:
        return res
    return res.with_standing(Standing(side, False, "self-named"))


def _statement(
    draft: Draft, res: Resolution | None, text: str, quotes: list[Quote], ends: list[int]
) -> Statement:
    mention = draft.mention
    cue = draft.cue
    role = (res.role if res else None) or (mention.role if mention else None)
    return Statement(
        text=text[draft.start : draft.end],
        start=draft.start,
        end=draft.end,
        # a speaker's label ("LAVROV: …") heads the speaker's own words, as in a transcript
        kind="direct"
        if cue is not None and cue.word == ":"
        else _kind(quotes, draft.start, draft.end, ends),
        cue=text[cue.start : cue.end] if cue else None,
        speaker=text[mention.start : mention.end] if mention else None,
        speaker_start=mention.start if mention else None,
        speaker_end=mention.end if mention else None,
        actor=res.actor if res else None,
        role=role,
        side=res.side if res else None,
        commentary=res.commentary if res else False,
        cue_start=cue.start if cue else None,
        cue_end=cue.end if cue else None,
    )


#: sentences of an official source's unattributed lead that become its own statements
OWN_LEAD_SENTENCES = 2
_OWN_LEAD_MIN_WORDS = 8
_LEAD_BLOCKS = 3


# a page's chrome glued into one run of words, as a feed's plain-text summary gives it: words
# joined with no space ("StatementsPresidential", "HouseFebruary"), then a byline's date
_GLUED = re.compile(r"[a-z][A-Z][a-z]")
_CHROME_DATE = re.compile(r"(?:" + MONTH_PATTERN + r")\s+\d{1,2},\s+\d{4}\s+")  # "HouseMay 3"


def _after_chrome(work: str, flat: str, start: int, end: int) -> int:
    """Where a sentence of an official page's body starts once its headings and chrome are left
    out: after the last line break (lines without a full stop before it are headings), and
    after the last byline date when words glued together show a page's chrome ("Briefings &
    StatementsPresidential Message on RamadanThe White HouseFebruary 17, 2026 Today, I send my
    greetings" -> "Today, I send my greetings")."""
    start = max(start, work.rfind("\n", start, end) + 1)
    if len(_GLUED.findall(flat, start, end)) >= 2:
        dates = list(_CHROME_DATE.finditer(flat, start, end))
        if dates:
            start = dates[-1].end()
    return start


def _own_lead(work: str, text: str, drafts: list[Draft], voice: SourceVoice) -> list[Statement]:
    """The key sentences of an official source's own text (a statement, readout or release):
    the first whole sentences of its body that no attributed statement covers, in the source's
    own voice (aggregator.extract.voice, rule 6)."""
    standing = own_voice(None, None, voice)
    if standing.side is None:
        return []
    flat = work.replace("\n", " ")
    covered = [(d.start, d.end) for d in drafts]
    found: list[Statement] = []
    body = [b for b in blocks(work) if b.kind == "body"][:_LEAD_BLOCKS]
    for block in body:
        for s, e in sentences(flat, block.start, block.end, []):
            s = _after_chrome(work, flat, s, e)
            start, end = trim_content(flat, s, e)
            words = len(content_words(flat, start, end))
            if (
                words < _OWN_LEAD_MIN_WORDS
                # a whole sentence, not a heading, a question or a list item
                or not flat[s:e].rstrip().endswith((".", "!", "”", '"'))
                or any(a < end and start < b for a, b in covered)
            ):
                continue
            found.append(
                Statement(
                    text=text[start:end],
                    start=start,
                    end=end,
                    kind="direct",
                    cue=None,
                    speaker=None,
                    speaker_start=None,
                    speaker_end=None,
                    actor=voice.publisher,
                    side=standing.side,
                )
            )
            if len(found) >= OWN_LEAD_SENTENCES:
                return found
    return found


_OFFICE_NOUN = re.compile(r"[\w-]+$")


def _compatible(description: Resolution, later: Resolution) -> bool:
    """Whether a description ("the Russian foreign minister") can be the later person: the
    same office noun in the person's role, and no other side."""
    office = _OFFICE_NOUN.search((description.actor or "").strip())
    if office is None or not later.role or office.group(0).lower() not in later.role.lower():
        return False
    return description.side is None or later.side in {None, description.side}


def _one_person_one_side(resolved: list[Resolution | None]) -> None:
    """A person the text names with a side once keeps it where a mention of theirs decides none,
    before it or after ("President Hassan Rouhani warned …" … "Hassan Rouhani, Iran's president,
    said …": the first mention names no place, the person is the same): the link to a named
    person of the side decision. Only when every mention of that person that decided agrees,
    and never for a person any mention gives a past office (rule 3b: "former")."""
    standing: dict[str, set[tuple[str | None, bool, str]]] = {}
    former: set[str] = set()  # a past office said of the person anywhere: no side to spread
    for res in resolved:
        if res is None or res.kind != "person" or not res.actor:
            continue
        if res.rule == "former":
            former.add(res.actor)
        elif res.decided:
            standing.setdefault(res.actor, set()).add((res.side, res.commentary, res.rule))
    for i, res in enumerate(resolved):
        if res is None or res.kind != "person" or not res.actor or res.decided:
            continue
        if res.actor in former:
            continue
        found = {(side, commentary) for side, commentary, _ in standing.get(res.actor, ())}
        if len(found) == 1:
            side, commentary = next(iter(found))
            rule = min(rule for _, _, rule in standing[res.actor])  # the same in every run
            resolved[i] = Resolution(
                res.actor, res.kind, side, res.role, res.described, commentary, rule
            )


def _link_descriptions(drafts: list[Draft], resolved: list[Resolution | None], text: str) -> None:
    """ "the Russian foreign minister insisted …" … "Mr Lavrov said": the later name wins when
    its role holds the description's office and no other side."""
    for i, res in enumerate(resolved):
        if res is None or not res.described:
            continue
        for j in range(i + 1, min(len(resolved), i + 4)):
            later = resolved[j]
            mention = drafts[j].mention
            if later is None or mention is None or later.kind != "person" or later.described:
                continue
            written = text[mention.start : mention.end]
            if (
                later.actor
                and written.split()[-1] == later.actor.split()[-1]
                and _compatible(res, later)
            ):
                # rule 5 of voice.decide: the description takes the person's standing, unless
                # only the description decided one
                standing = later if later.decided else res
                resolved[i] = Resolution(
                    later.actor,
                    "person",
                    standing.side,
                    res.role or later.role,
                    commentary=standing.commentary,
                    rule=standing.rule,
                )
                break
