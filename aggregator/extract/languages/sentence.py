"""One sentence as the constructions read it: its words, their lemmas, its quotations, its cues.

A cue is a word whose lemma is a verb of the language's verb table (a German separable verb
also needs its particle at the end of its clause: "teilte … mit"); a word that cannot be a
finite verb here is no cue: an infinitive after a modal or a preposition ("готов заявить",
"refuse de dire", "bereit zu sagen"), a capitalised noun in German ("Erklärung" is read as
"erklärung" anyway, "Sagen" mid-sentence is a noun).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache, cached_property

from aggregator.extract import morph
from aggregator.extract.languages.lexicon import Lexicon, Verb
from aggregator.extract.languages.text import Quote, Token, tokens

_CLAUSE_END = re.compile(r"^[^\w~]*[,.;:!?]")
# an infinitive, a participle or an adjective is no cue ("готов заявить", "день призван
# повысить", "заявленный")
_NOT_FINITE = frozenset({"INFN", "PRTS", "PRTF", "ADJF", "ADJS"})
#: cues read per sentence (real sentences have a handful)
MAX_PER_SENTENCE = 40


@dataclass(frozen=True, slots=True)
class Cue:
    index: int  # the token's index in the sentence
    start: int
    end: int
    verb: Verb
    gerund: bool  # a gerund or participle: it takes its clause's subject


class Lemmas:
    """Each token's dictionary form, read when first asked for: the constructions ask about
    the words around a cue, and a word's first analysis is most of what a sentence costs."""

    __slots__ = ("_found", "_lexicon", "_tokens")

    def __init__(self, tokens: list[Token], lexicon: Lexicon) -> None:
        self._tokens = tokens
        self._lexicon = lexicon
        self._found: list[str | None] = [None] * len(tokens)

    def __len__(self) -> int:
        return len(self._tokens)

    def __getitem__(self, index: int) -> str:
        if index < 0:
            index += len(self._tokens)  # as a list: -1 is the last word
        found = self._found[index]  # IndexError past either end, as a list
        if found is None:
            token = self._tokens[index]
            found = self._lexicon.irregular_forms.get(token.low) or morph.lemma(
                token.text, self._lexicon.code
            )
            self._found[index] = found
        return found


@cache
def cue_forms(lexicon: Lexicon) -> frozenset[str] | None:
    """Every form of the verb table's verbs in a language with morphology (``ё`` read as
    ``е``), generated from the dictionary (pymorphy3's lexemes); a word outside it cannot have
    a speech verb's lemma, so it is never analysed to find out. None for the languages whose
    lemmas come from tables (simplemma), which generate no forms: every word is lemmatised."""
    if lexicon.code not in morph.MORPHOLOGY:
        return None
    found = {form for lemma in lexicon.verbs for form in morph.forms(lemma, lexicon.code)}
    found |= set(lexicon.irregular_forms)
    return frozenset(form.replace("ё", "е") for form in found)


@dataclass
class Sentence:
    """One sentence of one block (offsets into the working copy)."""

    lexicon: Lexicon
    work: str
    masked: str
    start: int
    end: int
    block: int
    quotes: list[Quote]
    previous: tuple[int, int] | None = None  # the sentence before it in its block, if any
    tokens: list[Token] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = tokens(self.masked, self.start, self.end, self.lexicon)

    @cached_property
    def lemmas(self) -> Lemmas:
        return Lemmas(self.tokens, self.lexicon)

    def gap(self, left: int, right: int) -> str:
        """The masked text between token ``left`` and token ``right`` (``-1``: the sentence
        start; ``len(tokens)``: its end)."""
        start = self.tokens[left].end if left >= 0 else self.start
        end = self.tokens[right].start if right < len(self.tokens) else self.end
        return self.masked[start:end]

    def token_at(self, offset: int) -> int:
        """The index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self.starts, offset)

    @cached_property
    def starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    def quote_at(self, start: int, end: int) -> Quote | None:
        """The first quotation inside ``[start, end)``."""
        for quote in self.quotes:
            if quote.start >= start and quote.end <= end and quote.inner_end > quote.inner_start:
                return quote
        return None

    @cached_property
    def cues(self) -> list[Cue]:
        found: list[Cue] = []
        forms = cue_forms(self.lexicon)
        for index, token in enumerate(self.tokens):
            if forms is not None and token.low.replace("ё", "е") not in forms:
                continue  # no form of a speech verb: its lemma is not looked up at all
            verb = self.lexicon.verb(self.lemmas[index])
            if verb is None or not self._finite(index):
                continue
            if verb.particle is not None and not self._particle_follows(index, verb.particle):
                continue
            gerund = verb.frame == "gerund" or morph.pos(token.text, self.lexicon.code) == "GRND"
            found.append(Cue(index, token.start, token.end, verb, gerund))
            if len(found) >= MAX_PER_SENTENCE:
                break  # a hostile "sentence" of thousands of verbs costs no quadratic time
        return found

    def _finite(self, index: int) -> bool:
        lexicon = self.lexicon
        token = self.tokens[index]
        if lexicon.capitalised_nouns and token.text[:1].isupper() and index > 0:
            return False  # a German noun ("das Sagen")
        if morph.pos(token.text, lexicon.code) in _NOT_FINITE:
            return False
        if index > 0 and self.tokens[index - 1].low in lexicon.infinitive_markers:
            return bool(self.gap(index - 1, index).strip())  # "refuse de dire" is no cue
        return True

    def _particle_follows(self, index: int, particle: str) -> bool:
        """A separable verb's particle closes its clause: "teilte das Ministerium mit, …"."""
        for later in range(index + 1, min(len(self.tokens), index + 12)):
            if _CLAUSE_END.match(self.gap(later - 1, later)) and later > index + 1:
                return False
            if self.tokens[later].low == particle:
                closes = _CLAUSE_END.match(self.gap(later, later + 1))
                return bool(closes) or later + 1 == len(self.tokens)
        return False
