"""The constructions shared by the languages: one cue (or source phrase) -> one statement.

Each construction is a small named function with its example in its docstring (one example a
language where the grammar differs); :data:`CONSTRUCTIONS` lists the cue constructions in the
order they are tried, and the first that answers decides. :data:`SENTENCE_CONSTRUCTIONS`
find statements without a cue verb ("по словам X", "laut X", ", so Merz."); ``continued``
gives a cue-less quotation to the speaker before it. A construction's name is the ``rule`` of
``explain_statements`` and of ``aggregator extract --explain``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from aggregator.extract import morph
from aggregator.extract.languages.lexicon import DASHES, Lexicon
from aggregator.extract.languages.sentence import Cue, Sentence
from aggregator.extract.languages.speakers import (
    Mention,
    bare_subject,
    before_preposition,
    clause_start,
    german_verb,
    mention_in,
    pronoun_token,
    speaker_after,
    subject_before,
)
from aggregator.extract.languages.text import MASK

_TRIM = " \t\n,;:.!?…" + DASHES + "-"
# what stands between the content and an inverted cue: ", —", "—", ","
_INVERTED_GAP = re.compile(r"(?:[,!?…]\s*[" + DASHES + r"]|[,!?…]|[" + DASHES + r"])\s*$")
_CLOSING = '»“”"’‘«'
_MIN_CLAUSE_CHARS = 12
_GAP_CHARS = 12
_SOURCE_WORDS = 14  # the longest source read after "so", "по словам", "selon"


@dataclass(frozen=True, slots=True)
class Draft:
    """A statement before its speaker is resolved (offsets into the working copy).
    ``inherit``: the speaker is the clause's subject or the previous speaker (a gerund, a
    coordinated verb, a dropped subject, a continued quotation)."""

    start: int
    end: int
    mention: Mention | None
    cue: tuple[int, int] | None
    rule: str
    block: int
    inherit: bool = False


def _trimmed(sentence: Sentence, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without spaces, commas, dashes and a final full stop around it; a
    quotation's closing mark stays. None when nothing worth a statement is left."""
    text = sentence.work
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if end - start < 2 or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return start, end


def _skip_back(sentence: Sentence, index: int) -> tuple[int, Mention | None]:
    """The first token of the cue's verb group (auxiliaries and an inverted pronoun before the
    participle: "a-t-il déclaré", "ha dicho"), and that pronoun."""
    lexicon = sentence.lexicon
    first = index
    while first > 0 and not sentence.gap(first - 1, first).strip(" -"):
        low = sentence.tokens[first - 1].low
        if sentence.lemmas[first - 1] in lexicon.auxiliaries or low == "t":
            first -= 1
        elif low in lexicon.pronouns or low in lexicon.plural_pronouns:
            # "a-t-il déclaré", "ont-ils affirmé": the pronoun hangs on the auxiliary
            before = sentence.tokens[first - 2] if first >= 2 else None
            if before is None or not (
                before.low == "t" or sentence.lemmas[first - 2] in lexicon.auxiliaries
            ):
                break
            first -= 1
        else:
            break
    return first, pronoun_token(sentence, first, index)


def content_before(sentence: Sentence, cue: Cue) -> tuple[int, int] | None:
    """The content before an inverted cue: the quotation right before ", —" / "," / "—", else
    the clause from the sentence start to it."""
    first, _ = _skip_back(sentence, cue.index)
    at = sentence.tokens[first].start
    # the separator is a few characters: only the text right before the cue is searched
    tail_start = max(sentence.start, at - _GAP_CHARS)
    gap = _INVERTED_GAP.search(sentence.masked[tail_start:at])
    if gap is None:
        return None
    end = tail_start + gap.start()
    while end > sentence.start and sentence.masked[end - 1] == " ":
        end -= 1
    for quote in reversed(sentence.quotes):
        if quote.end == end or (quote.inner_end == end and quote.start == quote.inner_start):
            return quote.inner_start, quote.inner_end
    start = sentence.start
    if sentence.masked[start] in DASHES:
        start += 1
    found = _trimmed(sentence, start, end)
    if found is None or found[1] - found[0] < _MIN_CLAUSE_CHARS:
        return None
    return found


def _sentence_end(sentence: Sentence, start: int) -> tuple[int, int] | None:
    """From ``start`` to the end of the sentence; a quotation that fills it, as the quote."""
    quote = sentence.quote_at(start, sentence.end)
    if (
        quote is not None
        and not sentence.masked[quote.end : sentence.end].strip(_TRIM)
        and not sentence.masked[start : quote.start].strip(_TRIM)
    ):
        return quote.inner_start, quote.inner_end
    return _trimmed(sentence, start, sentence.end)


def _complementiser(sentence: Sentence, cue: Cue) -> int | None:
    """The token index of "что"/"que"/"dass" opening the cue's clause within a few words."""
    lexicon = sentence.lexicon
    for index in range(cue.index + 1, min(len(sentence.tokens), cue.index + 9)):
        gap = sentence.gap(index - 1, index)
        if any(ch in gap for ch in ".;!?:" + MASK + DASHES):
            return None
        if sentence.tokens[index].low in lexicon.complementisers:
            return index
        if sentence.lexicon.verb(sentence.lemmas[index]) is not None:
            return None
    return None


def _colon(sentence: Sentence, cue: Cue) -> int | None:
    """The offset after the colon that follows the cue within a few words."""
    for index in range(cue.index + 1, min(len(sentence.tokens), cue.index + 5) + 1):
        gap = sentence.gap(index - 1, index)
        if ":" in gap:
            return sentence.tokens[index - 1].end + gap.index(":") + 1
        if any(ch in gap for ch in ".;!?," + MASK):
            return None
    return None


def _speaker(sentence: Sentence, cue: Cue, before_content: int) -> tuple[Mention | None, bool]:
    """The cue's speaker: the subject before it, else the speaker between it and its content
    ("Am Montag sagte Merz, …"); else the clause's subject or the speaker before (inherit)."""
    first, pronoun = _skip_back(sentence, cue.index)
    if pronoun is not None:
        return pronoun, False
    found = subject_before(sentence, first)
    if found is not None:
        return found, False
    limit = sentence.token_at(before_content)
    found = speaker_after(sentence, cue.index, limit) or bare_subject(sentence, first)
    if found is not None:
        return found, False
    # a coordinated verb: "La ministra, Margarita Robles, visitó … y sostuvo que …"
    found, inherit = _clause_subject(sentence, cue)
    if found is None and morph.is_plural(sentence.tokens[cue.index].text, sentence.lexicon.code):
        return None, False  # "Споживачів закликають …": they, no one named, no one before
    return found, inherit


Answer = Draft | None
Construction = Callable[[Sentence, Cue], Answer]


def _draft(
    sentence: Sentence,
    cue: Cue,
    content: tuple[int, int] | None,
    speaker: tuple[Mention | None, bool],
    rule: str,
) -> Answer:
    if content is None:
        return None
    mention, inherit = speaker
    if mention is None and not inherit:
        return None
    return Draft(
        content[0], content[1], mention, (cue.start, cue.end), rule, sentence.block, inherit
    )


def as_aside(sentence: Sentence, cue: Cue) -> Answer:
    """As X said, CLAUSE / CLAUSE, as X said.

    ru: Как заявил Сергей Лавров, Москва не примет этих условий.
    de: Wie Bundeskanzler Friedrich Merz sagte, bleibt die Lage ernst.
    """
    lexicon = sentence.lexicon
    first, _ = _skip_back(sentence, cue.index)
    at = first - 1
    while at >= 0 and sentence.tokens[at].low in {"l", "le", "la", "lo"}:
        at -= 1
    as_index = at
    speaker: Mention | None = None
    if lexicon.speaker_inside_as:
        as_index = clause_start(sentence, first)
        if as_index < first and sentence.tokens[as_index].low in lexicon.as_words:
            speaker = mention_in(sentence, as_index + 1, first)
    if as_index < 0 or sentence.tokens[as_index].low not in lexicon.as_words:
        return None
    if sentence.gap(as_index, as_index + 1).strip(" -'’") and speaker is None:
        return None
    if speaker is None:
        speaker = speaker_after(sentence, cue.index)
    if speaker is None:
        return None
    if not sentence.gap(-1, as_index).strip(_TRIM):  # the aside opens the sentence
        after = sentence.masked.find(",", speaker.end, sentence.end)
        content = None if after < 0 else _sentence_end(sentence, after + 1)
    else:
        content = _trimmed(sentence, sentence.start, sentence.tokens[as_index].start)
    return _draft(sentence, cue, content, (speaker, False), "as_aside")


def anaphoric(sentence: Sentence, cue: Cue) -> Answer:
    """ "About this" + cue + speaker: the sentence before is what was said.

    ru: Переговоры зашли в тупик. Об этом заявил министр иностранных дел России Сергей Лавров.
    uk: Столиця збільшує кількість тестів. Про це мер Києва Віталій Кличко заявив у понеділок.
    """
    if sentence.previous is None:
        return None
    head = sentence.masked[sentence.start : cue.start].strip().lower()
    words = re.sub(r"\s+", " ", head)
    if not any(words.startswith(phrase) for phrase in sentence.lexicon.anaphora):
        return None
    speaker = speaker_after(sentence, cue.index) or _quoted_body(sentence, cue)
    if speaker is None:  # "Про це мер Києва Віталій Кличко заявив"
        speaker = subject_before(sentence, _skip_back(sentence, cue.index)[0])
    if speaker is None:
        return None
    content = _trimmed(sentence, *sentence.previous)
    return _draft(sentence, cue, content, (speaker, False), "anaphoric")


def _quoted_body(sentence: Sentence, cue: Cue) -> Mention | None:
    """A body named in quotation marks right after the cue ("повідомили в «Укренерго»")."""
    limit = (
        sentence.tokens[cue.index + 2].start
        if cue.index + 2 < len(sentence.tokens)
        else sentence.end
    )
    quote = sentence.quote_at(cue.end, limit)
    if quote is None or sentence.masked[quote.end : sentence.end].strip(_TRIM):
        return None
    return Mention(quote.start, quote.end, "body")


def inverted(sentence: Sentence, cue: Cue) -> Answer:
    """Content, (comma or dash) cue speaker.

    ru: «Мы не допустим этого», — заявил Сергей Лавров.
    fr: « Nous ne céderons pas », a déclaré Jean-Noël Barrot.
    de: Das sei inakzeptabel, sagte Friedrich Merz.
    es: «No aceptaremos chantajes», afirmó José Manuel Albares.
    """
    content = content_before(sentence, cue)
    if content is None:
        return None
    _, pronoun = _skip_back(sentence, cue.index)
    speaker = pronoun or speaker_after(sentence, cue.index)
    quoted = sentence.work[content[0] - 1 : content[0]] in sentence.lexicon.quotes or any(
        q.inner_start == content[0] for q in sentence.quotes
    )
    if not quoted and (speaker is None or _only_mention(sentence, content)):
        return None  # "Лавров, глава МИД, заявил": an apposition, no content before
    return _draft(sentence, cue, content, (speaker, speaker is None), "inverted")


def _only_mention(sentence: Sentence, content: tuple[int, int]) -> bool:
    """Whether the clause before a cue is nothing but a speaker with its apposition ("El
    presidente colombiano, Gustavo Petro, afirmó en X que …")."""
    lo = _token_at(sentence, content[0])
    hi = _token_at(sentence, content[1])
    found = mention_in(sentence, lo, hi)
    if found is None or found.kind not in {"name", "role", "body"}:
        return False
    return found.end - found.start >= 0.8 * (content[1] - content[0])


def colon(sentence: Sentence, cue: Cue) -> Answer:
    """Speaker cue: content.

    ru: Сергей Лавров заявил журналистам: «Москва готова к переговорам».
    es: El ministro José Manuel Albares afirmó: «España no cambiará su posición».
    """
    after = _colon(sentence, cue)
    if after is None:
        return None
    content = _sentence_end(sentence, after)
    return _draft(sentence, cue, content, _speaker(sentence, cue, after), "colon")


def reported_clause(sentence: Sentence, cue: Cue) -> Answer:
    """Speaker cue complementiser clause.

    ru: Министр иностранных дел России Сергей Лавров заявил, что переговоры зашли в тупик.
    fr: Le chef de la diplomatie française, Jean-Noël Barrot, a affirmé que Paris restait prêt.
    de: Außenminister Johann Wadephul sagte, dass die Gespräche weitergehen.
    """
    if cue.gerund:
        return None
    at = _complementiser(sentence, cue)
    if at is None:
        return None
    start = sentence.tokens[at].end
    content = _sentence_end(sentence, start)
    speaker = _speaker(sentence, cue, sentence.tokens[at].start)
    return _draft(sentence, cue, content, speaker, "reported_clause")


def participle(sentence: Sentence, cue: Cue) -> Answer:
    """A gerund with its clause: the speaker is its clause's subject.

    ru: Лавров покинул зал, заявив, что Москва не примет этих условий.
    uk: Сибіга відповів партнерам, наголосивши, що Україна не поступиться територіями.
    """
    if not cue.gerund:
        return None
    at = _complementiser(sentence, cue)
    after = sentence.tokens[at].end if at is not None else _colon(sentence, cue)
    if after is None:
        return None
    content = _sentence_end(sentence, after)
    return _draft(sentence, cue, content, _clause_subject(sentence, cue), "participle")


def _clause_subject(sentence: Sentence, cue: Cue) -> tuple[Mention | None, bool]:
    """The subject of the clause a gerund hangs on: the mention opening the sentence ("Лавров
    покинул зал, заявив, что …"), else the speaker before (inherit)."""
    first = next((i for i in range(1, cue.index) if "," in sentence.gap(i - 1, i)), cue.index)
    found = mention_in(sentence, 0, first)
    return (found, False) if found is not None else (None, True)


def call_to(sentence: Sentence, cue: Cue) -> Answer:
    """A call with an infinitive: what is called for is the content.

    ru: Генсек НАТО Марк Рютте призвал союзников ускорить поставки систем ПВО.
    fr: Le président Emmanuel Macron a appelé les Européens à renforcer leur défense.
    """
    if "to" not in cue.verb.properties:
        return None
    lexicon = sentence.lexicon
    for index in range(cue.index + 1, min(len(sentence.tokens), cue.index + 9)):
        if any(ch in sentence.gap(index - 1, index) for ch in ".;!?:" + MASK):
            return None
        token = sentence.tokens[index]
        if morph.pos(token.text, lexicon.code) == "INFN":
            start = token.start
        elif token.low in lexicon.infinitive_markers and index + 1 < len(sentence.tokens):
            start = sentence.tokens[index + 1].start
        else:
            continue
        content = _sentence_end(sentence, start)
        return _draft(sentence, cue, content, _speaker(sentence, cue, start), "call_to")
    return None


def comma_clause(sentence: Sentence, cue: Cue) -> Answer:
    """(German) Speaker cue, clause in the subjunctive, without "dass".

    de: Merz sagte am Montag, die Lage sei ernst.
    """
    if not sentence.lexicon.comma_clause:
        return None
    for index in range(cue.index + 1, min(len(sentence.tokens), cue.index + 8)):
        gap = sentence.gap(index - 1, index)
        if any(ch in gap for ch in ".;!?:" + MASK):
            return None
        if "," in gap:
            start = sentence.tokens[index - 1].end + gap.index(",") + 1
            content = _sentence_end(sentence, start)
            if content is None or len(sentence.work[content[0] : content[1]].split()) < 3:
                return None
            return _draft(sentence, cue, content, _speaker(sentence, cue, start), "comma_clause")
    return None


def quotation_after(sentence: Sentence, cue: Cue) -> Answer:
    """Speaker cue quotation (no colon).

    ru: Сергей Лавров ответил журналистам «Россия ответит на это».
    """
    limit = (
        sentence.tokens[cue.index + 4].start
        if cue.index + 4 < len(sentence.tokens)
        else sentence.end
    )
    quote = sentence.quote_at(cue.end, limit)
    if quote is None or quote.start == quote.inner_start:
        return None
    if any(ch in sentence.masked[cue.end : quote.start] for ch in ".;!?"):
        return None
    content = (quote.inner_start, quote.inner_end)
    return _draft(sentence, cue, content, _speaker(sentence, cue, quote.start), "quotation_after")


CONSTRUCTIONS: tuple[Construction, ...] = (
    as_aside,
    anaphoric,
    inverted,
    colon,
    participle,
    reported_clause,
    call_to,
    comma_clause,
    quotation_after,
)


# --- without a cue verb ---------------------------------------------------------------------


@cache
def _according_pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
    if not lexicon.according:
        return None
    phrases = [
        r"\s+".join(re.escape(word).replace("'", "['’]") for word in phrase.split())
        for phrase in lexicon.according
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)


def _token_at(sentence: Sentence, offset: int) -> int:
    return sentence.token_at(offset)


def _source_clause(sentence: Sentence, lo: int, hi: int) -> tuple[int, int] | None:
    """The claim around a source phrase at ``[lo, hi)`` (characters): the rest of the
    sentence on one side, or the whole sentence when the phrase stands in its middle."""
    left = _trimmed(sentence, sentence.start, lo)
    right = _trimmed(sentence, hi, sentence.end)
    if left and right:
        return _trimmed(sentence, sentence.start, sentence.end)
    return left or right


def _source_end(sentence: Sentence, lo: int) -> int:
    """The token after the source that follows "по словам"/"selon": up to a comma, or past one
    more part when the first is a role with no name ("du porte-parole, Christophe Lemoine,")."""
    hi = lo
    commas = 0
    while hi < len(sentence.tokens) and hi - lo < _SOURCE_WORDS:
        gap = sentence.gap(hi - 1, hi) if hi > lo else ""
        if re.search(r"[.;:!?" + MASK + "]", gap):
            break
        lemma = sentence.lemmas[hi]
        if hi > lo and (
            lemma in sentence.lexicon.auxiliaries
            or sentence.lexicon.verb(lemma)
            or (sentence.lexicon.capitalised_nouns and german_verb(sentence, hi))
        ):
            break  # "Laut Rutte haben alle …": the clause's verb ends the source
        if "," in gap:
            first = mention_in(sentence, lo, hi)
            commas += 1
            if commas > 1 or first is None or first.kind == "name":
                break
        hi += 1
    return hi


def _source_pronoun(sentence: Sentence, match: re.Match[str]) -> Mention | None:
    """A pronoun as the source: inside the phrase ("по её словам") or right after it ("selon
    lui", "según ella"); it speaks for the speaker before (resolved later)."""
    lexicon = sentence.lexicon
    at = _token_at(sentence, match.start())
    for index in range(at, min(len(sentence.tokens), _token_at(sentence, match.end()) + 1)):
        token = sentence.tokens[index]
        if token.low in lexicon.source_pronouns and not sentence.gap(index - 1, index).count(","):
            return Mention(token.start, token.end, "pronoun")
    return None


def according_to(sentence: Sentence) -> list[Draft]:
    """According to X, CLAUSE / CLAUSE, according to X.

    ru: По словам Сергея Лаврова, переговоры зашли в тупик.
    fr: Selon le porte-parole du Quai d'Orsay, Paris reste prêt au dialogue.
    es: Según el secretario general de la ONU, António Guterres, la tregua es frágil.
    """
    pattern = _according_pattern(sentence.lexicon)
    if pattern is None:
        return []
    found: list[Draft] = []
    for match in pattern.finditer(sentence.masked, sentence.start, sentence.end):
        lo = _token_at(sentence, match.end())
        hi = before_preposition(sentence, lo, _source_end(sentence, lo))
        speaker = _source_pronoun(sentence, match) or mention_in(sentence, lo, hi, first_run=True)
        if speaker is None:
            continue
        claim = _source_clause(sentence, match.start(), speaker.end)
        if claim is None:
            continue
        cue = (match.start(), match.end())
        found.append(Draft(claim[0], claim[1], speaker, cue, "according_to", sentence.block))
    return found


def according_after(sentence: Sentence) -> list[Draft]:
    """X + "according to" after the name (German "zufolge").

    de: Dem Außenminister Johann Wadephul zufolge bleibt die Lage angespannt.
    """
    found: list[Draft] = []
    for index, token in enumerate(sentence.tokens):
        if token.low not in sentence.lexicon.according_after:
            continue
        lo = clause_start(sentence, index)
        while lo < index and "," in sentence.masked[sentence.tokens[lo].start : token.start]:
            lo += 1
        speaker = mention_in(sentence, lo, index)
        if speaker is None:
            continue
        claim = _source_clause(sentence, sentence.tokens[lo].start, token.end)
        if claim is None:
            continue
        cue = (token.start, token.end)
        found.append(Draft(claim[0], claim[1], speaker, cue, "according_after", sentence.block))
    return found


def source_marker(sentence: Sentence) -> list[Draft]:
    """CLAUSE, so X. (German: a source after its claim without a verb).

    de: Die Gespräche seien konstruktiv gewesen, so Regierungssprecher Stefan Kornelius.
    """
    for index, token in enumerate(sentence.tokens):
        if token.low not in sentence.lexicon.source_markers or index == 0:
            continue
        if "," not in sentence.gap(index - 1, index):
            continue
        end = min(len(sentence.tokens), index + 1 + _SOURCE_WORDS)
        speaker = mention_in(sentence, index + 1, end)
        if speaker is None or speaker.kind == "pronoun":
            continue
        rest = sentence.masked[speaker.end : sentence.end].strip(_TRIM)
        if rest:
            continue
        start = sentence.start + (1 if sentence.masked[sentence.start] in DASHES else 0)
        claim = _trimmed(sentence, start, sentence.tokens[index - 1].end)
        if claim is None:
            continue
        content = claim
        for quote in sentence.quotes:
            if quote.inner_start >= claim[0] and quote.end >= claim[1] - 1:
                content = (quote.inner_start, quote.inner_end)
        cue = (token.start, token.end)
        return [Draft(content[0], content[1], speaker, cue, "source_marker", sentence.block)]
    return []


_LABEL_WORDS = 6  # the longest speaker's label before a colon


def label(sentence: Sentence) -> list[Draft]:
    """A speaker's name as a label, then a colon (headlines and transcripts).

    ru: Лавров: Москва не видит смысла в новых раундах переговоров.
    de: Merz: Europa muss mehr für die eigene Verteidigung tun.
    """
    colon = sentence.masked.find(":", sentence.start, sentence.end)
    if colon < 0:
        return []
    hi = sentence.token_at(colon)
    if hi == 0 or hi > _LABEL_WORDS:
        return []
    speaker = mention_in(sentence, 0, hi)
    if speaker is None or speaker.kind != "name":
        return []
    if sentence.masked[sentence.start : speaker.start].strip(_TRIM + "\"'«»„“”"):
        return []
    if sentence.masked[speaker.end : colon].strip():
        return []
    content = _sentence_end(sentence, colon + 1)
    if content is None:
        return []
    cue = (colon, colon + 1)
    return [Draft(content[0], content[1], speaker, cue, "label", sentence.block)]


SENTENCE_CONSTRUCTIONS: tuple[Callable[[Sentence], list[Draft]], ...] = (
    label,
    according_to,
    according_after,
    source_marker,
)


def continued(sentence: Sentence) -> Draft | None:
    """A quotation with no cue: the previous speaker goes on (the caller checks there is one).

    ru: «Мы не допустим этого», — заявил Лавров. «Россия ответит».
    """
    inside = sum(q.inner_end - q.inner_start for q in sentence.quotes)
    visible = len(sentence.masked[sentence.start : sentence.end].replace(" ", "")) or 1
    if not sentence.quotes or inside / visible < 0.6:
        return None
    first = min(q.inner_start for q in sentence.quotes)
    last = max(q.inner_end for q in sentence.quotes)
    return Draft(first, last, None, None, "continued_quote", sentence.block, True)
