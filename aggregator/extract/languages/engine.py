"""Statements of a text in Russian, Ukrainian, French, German or Spanish.

    blocks -> quotations (and dialogue lines) -> masked copy -> sentences
    for each sentence: the cue constructions for each cue, then the constructions without a
    cue verb ("по словам X", "laut X", ", so X"), then a cue-less quotation continuing the
    speaker before it
    speakers resolved in text order: a name in the nominative, the gazetteer, else the name in
    Latin letters; a surname to the full name given before; a pronoun, a gerund's or a dropped
    subject to the speaker before; the side from the actor, else from the role's places, else
    the source's own voice

Offsets: the working copy has the input's length, so every offset is an offset into the input.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from aggregator.extract import morph
from aggregator.extract.languages.constructions import (
    CONSTRUCTIONS,
    SENTENCE_CONSTRUCTIONS,
    Draft,
    continued,
)
from aggregator.extract.languages.lexicon import Lexicon
from aggregator.extract.languages.sentence import Sentence
from aggregator.extract.languages.speakers import Mention, introductions
from aggregator.extract.languages.text import (
    Quote,
    blocks,
    find_quotes,
    mask,
    sentences,
    split_attributions,
    working_copy,
)
from aggregator.extract.names import latin
from aggregator.extract.places import place_side
from aggregator.extract.sides import Gazetteer
from aggregator.extract.voice import SourceVoice, decide, own_voice
from aggregator.model import Statement, StatementKind

Introduction = tuple[tuple[int, int], tuple[int, int]]  # a name's span and its role's


@dataclass
class Reading:
    """What the sentences of a text give: draft statements, quotations, and the sentences,
    whose introductions of people with a role are read only when a surname needs them."""

    drafts: list[Draft]
    quotes: list[Quote]
    sentences: list[Sentence]
    _introduced: list[Introduction] | None = None

    def introduced(self) -> list[Introduction]:
        """The people named with a role before the name anywhere, statements or not."""
        if self._introduced is None:
            self._introduced = [found for s in self.sentences for found in introductions(s)]
        return self._introduced


def read_drafts(work: str, lexicon: Lexicon) -> Reading:
    """Every draft statement of the working copy, in text order, and its quotations."""
    drafts: list[Draft] = []
    all_quotes: list[Quote] = []
    read: list[Sentence] = []
    for number, (start, end) in enumerate(blocks(work)):
        quotes = split_attributions(
            work, find_quotes(work, start, end, lexicon), lambda word: _is_cue(word, lexicon)
        )
        all_quotes.extend(quotes)
        masked = mask(work, quotes)
        ends = [q.end for q in quotes]  # in order: quotations never overlap
        previous: tuple[int, int] | None = None
        for s_start, s_end in sentences(masked, start, end, lexicon):
            inside = []
            for index in range(bisect.bisect_right(ends, s_start), len(quotes)):
                if quotes[index].start >= s_end:
                    break
                inside.append(quotes[index])
            sentence = Sentence(lexicon, work, masked, s_start, s_end, number, inside, previous)
            drafts.extend(_sentence_drafts(sentence, drafts))
            read.append(sentence)
            previous = (s_start, s_end)
    return Reading(drafts, all_quotes, read)


def _is_cue(word: str, lexicon: Lexicon) -> bool:
    lemma = lexicon.irregular_forms.get(word.lower()) or morph.lemma(word, lexicon.code)
    return lexicon.verb(lemma) is not None


def _sentence_drafts(sentence: Sentence, before: list[Draft]) -> list[Draft]:
    found: list[Draft] = []
    for cue in sentence.cues:
        for construction in CONSTRUCTIONS:
            draft = construction(sentence, cue)
            if draft is not None:
                found.append(draft)
                break
    for sentence_construction in SENTENCE_CONSTRUCTIONS:
        for draft in sentence_construction(sentence):
            if not any(_overlap(draft, other) for other in found):
                found.append(draft)
    if not found and before and before[-1].block >= sentence.block - 1:
        draft = continued(sentence)
        if draft is not None:
            found.append(draft)
    found.sort(key=lambda d: d.start)
    return _cut(found)


def _overlap(one: Draft, two: Draft) -> bool:
    return one.start < two.end and two.start < one.end


def _cut(found: list[Draft]) -> list[Draft]:
    """A claim ends before the next statement's speaker or cue in its sentence ("A said that
    X, and B added that Y": X ends before "and B")."""
    out: list[Draft] = []
    for index, draft in enumerate(found):
        end = draft.end
        for later in found[index + 1 :]:
            marks = [m for m in (later.mention.start if later.mention else None,) if m]
            if later.cue is not None:
                marks.append(later.cue[0])
            inside = [m for m in marks if draft.start < m < end]
            if inside and later.start >= min(inside):
                end = min(inside)
        if end != draft.end:
            trimmed = _retrim(draft, end)
            if trimmed is None:
                continue
            draft = trimmed
        out.append(draft)
    return out


def _retrim(draft: Draft, end: int) -> Draft | None:
    return replace(draft, end=end) if end - draft.start > 8 else None


@dataclass(frozen=True, slots=True)
class Resolved:
    actor: str | None
    role: str | None
    side: str | None
    commentary: bool = False


_NOBODY = Resolved(None, None, None)
_INTRODUCTIONS = 64  # the introductions of a text searched for a surname


def _same_stem(one: str, two: str) -> bool:
    """The same surname in another case: the same letters but for an ending of at most two."""
    if one == two:
        return True
    stem = min(len(one), len(two)) - 2
    return stem >= 3 and one[:stem] == two[:stem] and abs(len(one) - len(two)) <= 2


_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_STEM_CANDIDATES = 16  # the surnames sharing a stem compared (the latest named)


class Resolver:
    """Speakers in text order: names, surnames, pronouns and inherited subjects."""

    def __init__(
        self,
        text: str,
        lexicon: Lexicon,
        gazetteer: Gazetteer,
        voice: SourceVoice | None,
        reading: Reading | None = None,
    ) -> None:
        self.text = text
        self.reading = reading
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.voice = voice
        self.last: Resolved | None = None
        self.by_surname: dict[str, Resolved] = {}
        self.by_stem: dict[str, list[str]] = {}  # the first three letters -> surnames
        self.person: Resolved | None = None  # the last person named
        self.roles: list[tuple[frozenset[str], Resolved]] = []  # named people's role words

    def resolve(self, draft: Draft) -> Resolved:
        mention = draft.mention
        if mention is None or mention.kind == "pronoun":
            if mention is None and not draft.inherit:
                return _NOBODY
            return self.last or self._unknown(mention)
        role = self.text[mention.role[0] : mention.role[1]] if mention.role else None
        if mention.kind == "name" and mention.name is not None:
            found = self._person(self.text[mention.name[0] : mention.name[1]], role)
            self.person = found
            if role:
                self.roles.append((self._role_words(role), found))
        else:
            written = self.text[mention.start : mention.end]
            linked = self._described(mention, written) if mention.kind == "role" else None
            if linked is not None:
                return Resolved(linked.actor, role, linked.side, linked.commentary)
            found = self._description(written, role)
        if mention.kind == "name" or found.actor is not None or self.last is None:
            self.last = found
        return found

    def _role_words(self, phrase: str) -> frozenset[str]:
        lexicon = self.lexicon
        lemmas = (morph.lemma(word, lexicon.code) for word in _WORD.findall(phrase))
        return frozenset(lemma for lemma in lemmas if lexicon.is_office(lemma))

    def _described(self, mention: Mention, written: str) -> Resolved | None:
        """A role without a name that describes someone named before: a person named with
        the same role word ("министр" after "Министр … Сергей Лавров"), else, for a bare title
        of one or two words with no place, body or indefinite article ("генсек", "der
        Kanzler", "el mandatario"), the last person named."""
        words = self._role_words(written)
        for earlier_words, earlier in reversed(self.roles[-_STEM_CANDIDATES:]):
            if words & earlier_words:
                return earlier
        tokens = _WORD.findall(written)
        before = _WORD.findall(self.text[max(0, mention.start - 12) : mention.start])
        if (
            not words  # "Эксперты", "Fuentes diplomáticas": people, no office
            or self.person is None
            or len(tokens) > 2
            or (before and before[-1].lower() in self.lexicon.indefinite)
            or any(self.lexicon.is_body(morph.lemma(t, self.lexicon.code)) for t in tokens)
            or place_side(written, self.lexicon.code, self.gazetteer) is not None
        ):
            return None
        return self.person

    def _unknown(self, mention: Mention | None) -> Resolved:
        standing = own_voice(
            self.text[mention.start : mention.end] if mention else None, None, self.voice
        )
        return Resolved(None, None, standing.side, standing.commentary)

    def _person(self, written: str, role: str | None) -> Resolved:
        words = written.split()
        nominative = " ".join(morph.nominative(word, self.lexicon.code) for word in words)
        known = self.gazetteer.actor(nominative, self.lexicon.code) or self.gazetteer.actor(
            written, self.lexicon.code
        )
        earlier = self._surname(nominative) if known is None and len(words) == 1 else None
        if earlier is None and known is None and len(words) == 1:
            earlier = self._introduced(nominative)
        if earlier is not None:
            return Resolved(earlier.actor, role or earlier.role, earlier.side, earlier.commentary)
        actor = known.name if known is not None else canonical_name(nominative, self.lexicon.code)
        side = self._side(written, role, known)
        found = Resolved(actor, role or (known.role if known else None), side[0], side[1])
        if len(words) > 1 or known is not None:
            surname = nominative.split()[-1]
            if surname not in self.by_surname:
                self.by_stem.setdefault(surname[:3], []).append(surname)
            self.by_surname[surname] = found
        return found

    def _introduced(self, surname: str) -> Resolved | None:
        """A surname alone whose person the text introduces in full with a role in a sentence
        that is no statement ("Губернатор Белгородской области Вячеслав Гладков сообщил в
        своём канале …", then "Гладков")."""
        if self.reading is None:
            return None
        for name, role in self.reading.introduced()[:_INTRODUCTIONS]:
            written = self.text[name[0] : name[1]]
            words = written.split()
            last = morph.nominative(words[-1], self.lexicon.code)
            if len(words) < 2 or not _same_stem(last, surname):
                continue
            return self._person(written, self.text[role[0] : role[1]])
        return None

    def _surname(self, word: str) -> Resolved | None:
        """The person given in full before whose surname this is: the same word, or, for a
        surname the dictionary cannot put in the nominative ("Сибіги" after "Андрій Сибіга"),
        the same stem with another ending of at most two letters."""
        if word in self.by_surname:
            return self.by_surname[word]
        for surname in self.by_stem.get(word[:3], [])[-_STEM_CANDIDATES:]:
            if _same_stem(surname, word):
                return self.by_surname[surname]
        return None

    def _description(self, written: str, role: str | None) -> Resolved:
        known = self.gazetteer.actor(written, self.lexicon.code)
        side = self._side(written, role, known)
        return Resolved(known.name if known else None, role, side[0], side[1])

    def _side(self, written: str, role: str | None, known: object) -> tuple[str | None, bool]:
        from aggregator.extract.sides import Actor

        actor = known if isinstance(known, Actor) else None
        if actor is not None:
            standing = decide(written, role, self.gazetteer, known=actor, voice=self.voice)
            return standing.side, standing.commentary
        for phrase in (role, written):
            side = place_side(phrase, self.lexicon.code, self.gazetteer) if phrase else None
            if side is not None:
                return side, False
        standing = own_voice(written, role, self.voice)
        return standing.side, standing.commentary


def canonical_name(name: str, language: str) -> str:
    """A name the gazetteer does not know, as one canonical spelling: in Latin letters."""
    return latin(name, language)


def _kind(quotes: list[Quote], ends: list[int], start: int, end: int) -> StatementKind:
    """Direct when the content is (almost all) one quotation opening it, mixed when it holds
    one, indirect otherwise (``ends``: the quotations' ends, in order, for a binary search)."""
    covered = 0
    first = True
    opens = False
    for index in range(bisect.bisect_right(ends, start), len(quotes)):
        quote = quotes[index]
        if quote.inner_start >= end:
            break
        if quote.inner_end <= start:
            continue
        if first:
            opens = quote.inner_start <= start + 1
            first = False
        covered += min(quote.inner_end, end) - max(quote.inner_start, start)
    if covered == 0:
        return "indirect"
    if opens and covered >= 0.6 * (end - start):
        return "direct"
    return "mixed"


def extract(
    text: str, lexicon: Lexicon, gazetteer: Gazetteer, voice: SourceVoice | None
) -> list[tuple[Statement, str]]:
    """Every statement of ``text`` (already cut to what is read) with its construction."""
    work = working_copy(text)
    reading = read_drafts(work, lexicon)
    drafts, quotes = reading.drafts, reading.quotes
    resolver = Resolver(text, lexicon, gazetteer, voice, reading)
    ends = [q.end for q in quotes]
    out: list[tuple[Statement, str]] = []
    for draft in drafts:
        res = resolver.resolve(draft)
        mention = draft.mention
        speaker = mention if mention is not None else None
        role = res.role
        if mention is not None and mention.role is not None:
            role = text[mention.role[0] : mention.role[1]]
        statement = Statement(
            text=text[draft.start : draft.end],
            start=draft.start,
            end=draft.end,
            kind=_kind(quotes, ends, draft.start, draft.end),
            cue=text[draft.cue[0] : draft.cue[1]] if draft.cue else None,
            speaker=text[speaker.start : speaker.end] if speaker else None,
            speaker_start=speaker.start if speaker else None,
            speaker_end=speaker.end if speaker else None,
            actor=res.actor,
            role=role,
            side=res.side,
            cue_start=draft.cue[0] if draft.cue else None,
            cue_end=draft.cue[1] if draft.cue else None,
            commentary=res.commentary,
        )
        out.append((statement, draft.rule))
    out.sort(key=lambda pair: pair[0].start)
    return out
