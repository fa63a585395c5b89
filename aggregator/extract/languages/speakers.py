"""The speaker around a cue: a name with its role or title, a role or body alone, a pronoun.

    [role phrase] Name          "Министр иностранных дел России Сергей Лавров"
    role phrase, Name,          "le chef de la diplomatie française, Jean-Noël Barrot,"
    Name, role phrase,          "António Guterres, secretario general de la ONU,"
    role phrase / body          "пресс-секретарь Кремля", "das Auswärtige Amt"
    pronoun                     "он", "il" ("a-t-il déclaré"), "er", "ella"

A name is a run of capitalised words (with the language's name particles inside: "von der
Leyen", "de la Fuente"); Russian and Ukrainian words are read by the dictionary, so a place
("России") or a sentence-opening common word is no name. A run after a preposition is a place
or an object ("в Москве", "à Paris"); in German a capitalised word after an article is a noun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.extract import morph
from aggregator.extract.languages.lexicon import Lexicon
from aggregator.extract.languages.sentence import Sentence

_HARD = re.compile(r"[.;:!?«»„“”\"—–~()]")
# what ends a clause before a cue; a quoted name inside it does not ("Глава «Газпрома» Алексей
# Миллер заявил")
_CLAUSE_BREAK = re.compile(r"[.;:!?—–()]")
_ARTICLES_DE = frozenset("der die das des dem den ein eine einer eines einem einen".split())
_MAX_WORDS = 12  # a mention is never longer


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention (offsets into the text): its whole span, the name inside it, the role
    phrase as written, and what it is (``name``, ``role``, ``body``, ``pronoun``, or
    ``described``: a noun phrase naming no one, "les travailleurs humanitaires")."""

    start: int
    end: int
    kind: str
    name: tuple[int, int] | None = None
    role: tuple[int, int] | None = None
    plural: bool = False


def _is_name(sentence: Sentence, index: int) -> bool:
    lexicon = sentence.lexicon
    token = sentence.tokens[index]
    text = token.text
    if not text[:1].isupper() or token.low in lexicon.function_words:
        return False
    if token.low in lexicon.pronouns or token.low in lexicon.plural_pronouns:
        return False
    if len(text) > 1 and text.isupper():
        return False  # an abbreviation: a body (МИД, ONU)
    lemma = sentence.lemmas[index]
    if lexicon.is_role(lemma) or lexicon.is_body(lemma) or lemma in lexicon.time_words:
        return False
    if lexicon.verb(lemma) is not None:
        return False
    kind = morph.name_kind(text, lexicon.code)
    first = index == 0 or bool(_HARD.search(sentence.gap(index - 1, index)))
    if kind == "word" and _adjective_before_noun(sentence, index):
        return False  # "Белгородской области": an adjective of the noun after it
    if kind == "place" or (kind == "word" and first and not _name_follows(sentence, index)):
        return False
    if lexicon.capitalised_nouns and index > 0:
        return sentence.tokens[index - 1].low not in _ARTICLES_DE
    return True


def _adjective_before_noun(sentence: Sentence, index: int) -> bool:
    following = index + 1
    if following >= len(sentence.tokens) or sentence.gap(index, following).strip():
        return False
    if sentence.tokens[following].text[:1].isupper():
        return False
    return morph.pos(sentence.tokens[index].text, sentence.lexicon.code) in {"ADJF", "ADJS"}


def _name_follows(sentence: Sentence, index: int) -> bool:
    """A capitalised word opening a sentence is a first name when a name the dictionary knows
    as one follows it ("Володимир Зеленський" though "Володимир" is also a town)."""
    following = index + 1
    if following >= len(sentence.tokens) or sentence.gap(index, following).strip():
        return False
    if not morph.name_parses(sentence.tokens[index].text, sentence.lexicon.code):
        return False  # "Позже Небензя": an adverb, no first name
    word = sentence.tokens[following].text
    return word[:1].isupper() and morph.name_kind(word, sentence.lexicon.code) in {"person", None}


def _surname_after(sentence: Sentence, last: int, probe: int) -> bool:
    """A capitalised word right after a first name is its surname, whatever else the
    dictionary reads in it ("Владимир Жмак", where "Жмак" is also an abbreviation)."""
    word = sentence.tokens[probe].text
    if (
        probe != last + 1
        or not word[:1].isupper()
        or sentence.tokens[probe].low in (sentence.lexicon.function_words)
    ):
        return False
    return morph.is_first_name(sentence.tokens[last].text, sentence.lexicon.code)


def _runs(sentence: Sentence, lo: int, hi: int) -> list[tuple[int, int]]:
    """The name runs among tokens ``[lo, hi)``: (first, last) token indices."""
    runs: list[tuple[int, int]] = []
    index = lo
    particles = sentence.lexicon.name_particles
    code = sentence.lexicon.code
    while index < hi:
        if not _is_name(sentence, index):
            index += 1
            continue
        if _after_preposition(sentence, index, lo):
            # a place or an object, with the capitalised words after it ("de Asuntos
            # Exteriores", "в Белом доме")
            index += 1
            while index < hi and sentence.tokens[index].text[:1].isupper():
                index += 1
            continue
        last = index
        probe = index + 1
        while probe < hi and not sentence.gap(probe - 1, probe).strip():
            if _is_name(sentence, probe) or _surname_after(sentence, last, probe):
                last = probe
            elif sentence.tokens[probe].low not in particles:
                break
            probe += 1
        first = index
        if last - first >= 2 and morph.name_kind(sentence.tokens[first].text, code) in {
            "word",
            "place",
        }:
            first += 1  # "України Андрій Сибіга": the place ends the role, the name follows
        runs.append((first, last))
        index = last + 1
    return runs


def _after_preposition(sentence: Sentence, index: int, lo: int) -> bool:
    if index == 0 or index <= lo:  # a stretch opening after "con", "laut" is the source
        return False
    if sentence.gap(index - 1, index).strip(" '’"):
        return False
    return sentence.tokens[index - 1].low in sentence.lexicon.prepositions


def _role_start(sentence: Sentence, lo: int, hi: int) -> int | None:
    for index in range(lo, hi):
        if sentence.lexicon.is_role(sentence.lemmas[index]):
            return index
    return None


def _body_start(sentence: Sentence, lo: int, hi: int) -> int | None:
    lexicon = sentence.lexicon
    for index in range(lo, hi):
        token = sentence.tokens[index]
        if lexicon.is_body(sentence.lemmas[index]) or (
            len(token.text) > 1 and token.text.isupper() and token.text.isalpha()
        ):
            return index
    return None


def _phrase_start(sentence: Sentence, first: int, lo: int) -> int:
    """A role or body phrase takes the modifiers right before its word ("французский министр",
    "das Auswärtige Amt", "der französische Außenminister"), not articles or adverbials."""
    lexicon = sentence.lexicon
    while first > lo and not sentence.gap(first - 1, first).strip():
        low = sentence.tokens[first - 1].low
        lemma = sentence.lemmas[first - 1]
        if low in lexicon.function_words or lemma in lexicon.time_words:
            break
        if lexicon.verb(lemma) is not None or lemma in lexicon.auxiliaries:
            break
        if low in lexicon.pronouns or low in lexicon.plural_pronouns:
            break
        first -= 1
    return first


def german_verb(sentence: Sentence, index: int) -> bool:
    """In German a role's complements are nouns (capitalised), their articles, adjectives
    before them and prepositions: a lower-case word before no noun is the clause's verb
    ("Die Bundesregierung verurteilte den Angriff")."""
    token = sentence.tokens[index]
    lexicon = sentence.lexicon
    if token.text[:1].isupper() or token.low in lexicon.function_words:
        return False
    following = sentence.tokens[index + 1] if index + 1 < len(sentence.tokens) else None
    return following is None or not following.text[:1].isupper()


def _phrase_end(sentence: Sentence, first: int, hi: int) -> int:
    """The last token of a role or body phrase opening at ``first``: up to a time word, an
    auxiliary or a break (a role's own genitive or "of" phrase goes with it)."""
    lexicon = sentence.lexicon
    last = first
    for index in range(first + 1, min(hi, first + _MAX_WORDS)):
        if _HARD.search(sentence.gap(index - 1, index)) or "," in sentence.gap(index - 1, index):
            break
        lemma = sentence.lemmas[index]
        low = sentence.tokens[index].low
        if lemma in lexicon.time_words or lemma in lexicon.auxiliaries or low in lexicon.pronouns:
            break
        if (
            low in lexicon.prepositions
            and index + 1 < hi
            and sentence.lemmas[index + 1] in lexicon.time_words
        ):
            break
        # "chef de la diplomatie": an article after a preposition goes with it, and so does a
        # German genitive ("Sprecher des Ministeriums")
        after_preposition = sentence.tokens[index - 1].low in lexicon.prepositions or (
            lexicon.capitalised_nouns and low in lexicon.articles
        )
        if (
            low in lexicon.function_words
            and low not in lexicon.prepositions
            and not after_preposition
        ):
            break
        if lexicon.capitalised_nouns and german_verb(sentence, index):
            break
        last = index
    while last > first and sentence.tokens[last].low in lexicon.function_words:
        last -= 1
    return last


def _part(sentence: Sentence, lo: int, hi: int, first_run: bool = False) -> Mention | None:
    """The mention inside tokens ``[lo, hi)`` (one comma-free part of a clause): its last name
    (the one nearest a cue after it), or with ``first_run`` its first (a source after "laut")."""
    if lo >= hi:
        return None
    tokens = sentence.tokens
    lexicon = sentence.lexicon
    for index in range(hi - 1, lo - 1, -1):
        low = tokens[index].low
        if low in lexicon.pronouns or low in lexicon.plural_pronouns:
            return Mention(
                tokens[index].start,
                tokens[index].end,
                "pronoun",
                plural=low in lexicon.plural_pronouns,
            )
    runs = _runs(sentence, lo, hi)
    if runs:
        first, last = runs[0] if first_run else runs[-1]
        name = (tokens[first].start, tokens[last].end)
        role_at = _role_start(sentence, lo, first)
        if role_at is not None:
            role_at = _phrase_start(sentence, role_at, lo)
            end = tokens[first].start  # a quoted name inside the role stays in it
            while end > tokens[role_at].end and sentence.work[end - 1] in " ,":
                end -= 1
            role = (tokens[role_at].start, end)
            return Mention(role[0], name[1], "name", name, role)
        return Mention(name[0], name[1], "name", name)
    role_at = _role_start(sentence, lo, hi)
    if role_at is not None:
        end = tokens[_phrase_end(sentence, role_at, hi)].end
        role_at = _phrase_start(sentence, role_at, lo)
        return Mention(tokens[role_at].start, end, "role", None, (tokens[role_at].start, end))
    body_at = _body_start(sentence, lo, hi)
    if body_at is not None:
        end = tokens[_phrase_end(sentence, body_at, hi)].end
        body_at = _phrase_start(sentence, body_at, lo)
        return Mention(tokens[body_at].start, end, "body")
    return _described(sentence, lo, hi)


_MAX_DESCRIBED = 6


def _described(sentence: Sentence, lo: int, hi: int) -> Mention | None:
    """A short noun phrase opening with an article and naming no one: "les travailleurs
    humanitaires", "plusieurs diplomates" (the language's articles and quantifiers)."""
    tokens = sentence.tokens
    lexicon = sentence.lexicon
    if tokens[lo].low not in lexicon.articles or hi - lo > _MAX_DESCRIBED or hi - lo < 2:
        return None
    if any(sentence.lemmas[i] in lexicon.time_words for i in range(lo, hi)):
        return None
    end = tokens[_phrase_end(sentence, lo + 1, hi)].end
    return Mention(tokens[lo + 1].start, end, "described", None, (tokens[lo + 1].start, end))


def _parts(sentence: Sentence, lo: int, hi: int) -> list[tuple[int, int]]:
    """Tokens ``[lo, hi)`` cut at commas: (first, end) token ranges in order."""
    parts: list[tuple[int, int]] = []
    first = lo
    for index in range(lo + 1, hi):
        if "," in sentence.gap(index - 1, index):
            parts.append((first, index))
            first = index
    parts.append((first, hi))
    return parts


def _apposition(sentence: Sentence, one: Mention | None, two: Mention | None) -> Mention | None:
    """Two parts of an apposition: a name and a role on either side of a comma."""
    if one is None or two is None:
        return one or two
    if one.kind == "name" and two.kind in {"role", "body"}:
        return Mention(one.start, two.end, "name", one.name, one.role or (two.start, two.end))
    if one.kind in {"role", "body"} and two.kind == "name":
        return Mention(one.start, two.end, "name", two.name, two.role or (one.start, one.end))
    return one if one.kind == "name" or two.kind != "name" else two


def clause_start(sentence: Sentence, index: int) -> int:
    """The first token of the clause that ends before token ``index``: after a hard break, a
    complementiser, or a quotation."""
    lexicon = sentence.lexicon
    first = index
    while first > 0:
        if _CLAUSE_BREAK.search(sentence.gap(first - 1, first)):
            break
        if sentence.tokens[first - 1].low in lexicon.complementisers:
            break
        if index - first >= _MAX_WORDS * 2:
            break
        first -= 1
    return first


def subject_before(sentence: Sentence, index: int) -> Mention | None:
    """The speaker before the cue at token ``index``: the mention of the part right before
    it, or, when a comma stands before the cue, an apposition of the two parts before that."""
    lo = clause_start(sentence, index)
    if lo >= index:
        return None
    parts = _parts(sentence, lo, index)
    quoted = _quoted_place(sentence, parts[-1], index)
    if quoted is not None:
        return quoted
    if _only_aux(sentence, parts[-1]) or "," in sentence.gap(index - 1, index):
        # the apposition closed by a comma before the cue: "le chef de la diplomatie,
        # Jean-Noël Barrot, a déclaré", "António Guterres, secretario general, afirmó"
        if _only_aux(sentence, parts[-1]) and len(parts) > 1:
            parts = parts[:-1]
        found = [_part(sentence, *part) for part in parts[-2:]]
        if len(found) == 2:
            return _apposition(sentence, found[0], found[1])
        return found[0]
    return _part(sentence, *parts[-1])


_MAX_BARE = 5


def bare_subject(sentence: Sentence, index: int) -> Mention | None:
    """A short noun phrase right before the cue that names no one and has no article
    ("Более половины украинцев считают, что …"): a described speaker."""
    lexicon = sentence.lexicon
    lo = clause_start(sentence, index)
    if not 2 <= index - lo <= _MAX_BARE or "," in sentence.gap(lo, index - 1):
        return None
    first = sentence.tokens[lo].low
    if first in lexicon.function_words or sentence.lemmas[lo] in lexicon.time_words:
        return None
    for at in range(lo, index):
        lemma = sentence.lemmas[at]
        if lexicon.verb(lemma) is not None or lemma in lexicon.auxiliaries:
            return None
        if morph.pos(sentence.tokens[at].text, lexicon.code) in {"VERB", "INFN"}:
            return None
    start, end = sentence.tokens[lo].start, sentence.tokens[index - 1].end
    return Mention(start, end, "described", None, (start, end))


def _quoted_place(sentence: Sentence, part: tuple[int, int], index: int) -> Mention | None:
    """A body named in quotation marks after a preposition right before the cue: "В
    «Укренерго» заявили", "У «Нафтогазі» повідомили" (where it was said is who said it)."""
    lo, hi = part
    lexicon = sentence.lexicon
    if hi <= lo or sentence.tokens[lo].low not in lexicon.prepositions:
        return None
    quote = sentence.quote_at(sentence.tokens[lo].end, sentence.tokens[index].start)
    if quote is None or sentence.masked[sentence.tokens[lo].end : quote.start].strip():
        return None
    for at in range(lo + 1, hi):  # only adverbs after it: "В «Укренерго» також попередили"
        if sentence.tokens[at].low not in lexicon.function_words:
            return None
    return Mention(quote.start, quote.end, "body")


def _only_aux(sentence: Sentence, part: tuple[int, int]) -> bool:
    return all(sentence.lemmas[i] in sentence.lexicon.auxiliaries for i in range(*part))


def speaker_after(sentence: Sentence, index: int, limit: int | None = None) -> Mention | None:
    """The speaker after the cue at token ``index`` ("— заявил Лавров", "sagte Merz", "a
    déclaré le ministre"): its clause up to the next hard break, with an apposition."""
    hi = index + 1
    end = limit if limit is not None else len(sentence.tokens)
    while hi < end and hi - index <= _MAX_WORDS and not _HARD.search(sentence.gap(hi - 1, hi)):
        if sentence.tokens[hi].low in sentence.lexicon.complementisers:
            break
        hi += 1
    start = index
    if sentence.tokens[index + 1 : index + 2] and sentence.tokens[index + 1].low in (
        sentence.lexicon.prepositions
    ):
        # an adverbial first: "a déclaré pour sa part Maria Zakharova", "sagte am Montag Merz"
        start = next((i for i in range(index + 2, hi) if _opens_mention(sentence, i)), hi) - 1
        if start + 1 >= hi:
            return None
    index = start
    hi = before_preposition(sentence, index, hi)
    parts = _parts(sentence, index + 1, hi)
    first = _part(sentence, *parts[0])
    if (
        len(parts) > 1
        and first is not None
        and first.kind != "pronoun"
        and _closed(sentence, parts[1])
    ):
        second = _part(sentence, *parts[1])
        whole = second is not None and second.end == sentence.tokens[parts[1][1] - 1].end
        if whole and second is not None and (first.kind == "name") != (second.kind == "name"):
            return _apposition(sentence, first, second)
    return first


def _opens_mention(sentence: Sentence, index: int) -> bool:
    """Whether token ``index`` may open a speaker: a name, a role, a body, an article."""
    lexicon = sentence.lexicon
    lemma = sentence.lemmas[index]
    low = sentence.tokens[index].low
    if lemma in lexicon.time_words:
        return False
    return (
        _is_name(sentence, index)
        or lexicon.is_role(lemma)
        or lexicon.is_body(lemma)
        or (
            low in lexicon.articles
            and index > 0
            and sentence.tokens[index - 1].low not in lexicon.prepositions
        )
    )


def before_preposition(sentence: Sentence, lo: int, hi: int) -> int:
    """``hi``, or the first preposition after token ``lo`` that starts an adjunct rather than
    a complement of the mention ("sagte der Politiker bei einem Treffen", "— заявил Лавров в
    интервью"; "de", "del" attach the complement and stay: "secretario general de la ONU")."""
    lexicon = sentence.lexicon
    for index in range(lo + 1, hi):
        low = sentence.tokens[index].low
        if low in lexicon.prepositions and low not in lexicon.of_words:
            return index
    return hi


def _closed(sentence: Sentence, part: tuple[int, int]) -> bool:
    """Whether a part ends at a comma, a break or the sentence end (an apposition does)."""
    last = part[1] - 1
    if part[1] - part[0] > _MAX_WORDS - 4:
        return False
    after = sentence.gap(last, last + 1)
    return last + 1 >= len(sentence.tokens) or "," in after or bool(_HARD.search(after))


def mention_in(sentence: Sentence, lo: int, hi: int, first_run: bool = False) -> Mention | None:
    """The mention of tokens ``[lo, hi)`` read as one stretch with an apposition: the source
    after "по словам", "selon", "laut" (its first name: ``first_run``)."""
    parts = _parts(sentence, lo, hi)
    found = [_part(sentence, *part, first_run=first_run) for part in parts[:2]]
    if len(found) == 2:
        return _apposition(sentence, found[0], found[1])
    return found[0] if found else None


def introductions(sentence: Sentence) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The people a sentence names with a role before the name ("Губернатор Белгородской
    области Вячеслав Гладков"), whether or not they speak in it: (name, role) spans."""
    found: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for part in _parts(sentence, 0, len(sentence.tokens)):
        if part[1] - part[0] > 3 * _MAX_WORDS:
            continue  # a hostile "part" of thousands of words is read as no introduction
        mention = _part(sentence, *part, first_run=True)
        if mention is not None and mention.kind == "name" and mention.name and mention.role:
            found.append((mention.name, mention.role))
    return found


def pronoun_token(sentence: Sentence, lo: int, hi: int) -> Mention | None:
    """A subject pronoun among tokens ``[lo, hi)`` ("a-t-il déclaré": "il")."""
    lexicon: Lexicon = sentence.lexicon
    for index in range(lo, hi):
        low = sentence.tokens[index].low
        if low in lexicon.pronouns or low in lexicon.plural_pronouns:
            token = sentence.tokens[index]
            return Mention(token.start, token.end, "pronoun", plural=low in lexicon.plural_pronouns)
    return None
