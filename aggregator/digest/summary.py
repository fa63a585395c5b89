"""A side's summary line as a sentence: "Lavrov said Russia was prepared to …".

The statement's own sentence is the material: where the speaker, the cue and the content sit in
it decides the form, and the speaker's mention is replaced by the name as shown.

    speaker … cue … content  ("He called on Israel to reverse the move")
        -> name + cue in the past + the words from the cue to the content's end
           ("Antonio Guterres called on Israel to reverse the move")
    content … cue … speaker  ("“We will defend every metre,” the minister said")
    content … speaker … cue
        -> name + cue in the past + ": “quotation”" for a direct quotation, else + the content
    "according to X" -> name + "said" + the content
    "a man who X says planned …" (a claim that lost its subject to a relative pronoun)
        -> name + "said" + the noun before the pronoun + the content
           ("The ministry said a 21-year-old man planned to attack …"); the statement's context
           reaches back far enough for it (aggregator.store.events.CONTEXT_BEFORE)
    no cue (a label "Lavrov: …") -> name + "said:" + the content

A quotation keeps its marks and is shown whole; a reported clause ends with a full stop.
"""

from __future__ import annotations

import re

from aggregator.digest.words import balance, drop_attribution, strip_dateline
from aggregator.extract.cues import CLAUSE_FORMS, PHRASAL_FORMS, SAY_FORMS, inflect
from aggregator.extract.lexicon import (
    ARTICLES,
    AUXILIARIES,
    DEMONSTRATIVES,
    DO,
    NUMBER_WORDS,
    POSSESSIVES,
    alternation,
)
from aggregator.model import EventStatement

# a past tense that reads badly with the cue's own object left out ("X told: …", "X added …")
_PLAIN_PAST = {"add": "said", "tell": "said", "continue": "said", "write": "wrote"}
_OPEN = "“\"‘'«"
_CLOSE = "”\"’'»"


def past_tense(cue: str | None, *, plain: bool = False) -> str:
    """The cue's verb in the past tense ("calling for" -> "called for"); "said" by default.

    ``plain``: the words that followed the cue are left out, so a verb that needs them
    ("told reporters", "added that") becomes "said".
    """
    if not cue:
        return "said"
    words = cue.split()
    verb = words[0].lower()
    if verb == "according":
        return "said"
    lemma = SAY_FORMS.get(verb) or CLAUSE_FORMS.get(verb)
    if lemma is None and verb in PHRASAL_FORMS:
        lemma = PHRASAL_FORMS[verb][0]
    if lemma is None:
        return cue if verb.endswith("ed") else "said"
    if plain and lemma in _PLAIN_PAST:
        return _PLAIN_PAST[lemma]
    return " ".join([inflect(lemma)[2], *words[1:]])


def _quoted(text: str) -> str:
    text = text.strip().rstrip(",;:")
    if text[:1] in _OPEN and text[-1:] in _CLOSE:
        return text[:-1].rstrip(",;: ") + text[-1]  # "“… metre,”" -> "“… metre”"
    return f"“{text.strip(_OPEN + _CLOSE + ' ')}”"


def _finish(sentence: str) -> str:
    sentence = " ".join(sentence.split()).rstrip(",;: —–-")
    if sentence and sentence[-1] not in ".!?…" + _CLOSE:
        sentence += "."
    return sentence[:1].upper() + sentence[1:]  # "the spokesperson said …" opens a sentence


def summary_sentence(statement: EventStatement, name: str) -> str:
    """The statement as one sentence that names ``name`` as its speaker."""
    wording = statement.wording
    direct = statement.kind == "direct"
    plain = past_tense(statement.cue, plain=True)
    if wording is None or wording.cue is None or not statement.cue:
        body = _quoted(statement.text) if direct else _clause(statement.text)
        return _finish(f"{name} {plain}{':' if direct else ''} {body}")
    text = wording.text
    c_start, c_end = wording.content
    q_start, q_end = wording.cue
    content = text[c_start:c_end]
    spans = [q_start] + ([wording.speaker[0]] if wording.speaker else [])
    if c_start <= min(spans):
        content = strip_dateline(content)  # the story's first words: "JAKARTA: Indonesia …"
    if c_start <= q_start and q_end <= c_end:
        whole = " ".join(statement.text.split())
        quoted = drop_attribution(statement, whole)
        if direct and quoted != whole:
            # two quotations around it ("“A,” she claimed. “B”"): the speaker's name, then
            # both, as the statement is shown ("Kaja Kallas said: “A” “B”")
            return _finish(f"{name} {plain}: {balance(quoted)}")
        # the attribution is inside the words ("what the ministers called …"): they are the
        # sentence
        return _finish(content.strip())
    according = statement.cue.split()[0].lower() == "according"
    speaker_first = wording.speaker is None or wording.speaker[0] < q_start
    if not according and q_end <= c_start and speaker_first:
        # "X [adverbs] said (that) Y", "X called on Israel to …": from the cue on, in the past
        between = text[q_end:c_start]
        noun = _antecedent(text, wording.speaker[0] if wording.speaker else q_start, content)
        if noun is not None:
            # "a man who prosecutors say planned to attack …": the claim is about the noun
            return _finish(f"{name} {past_tense(statement.cue, plain=True)} {noun} {content}")
        if content[:1] in _OPEN and between.strip() in {"", ",", ":"}:
            return _finish(f"{name} {plain}: {_quoted(content)}")
        return _finish(f"{name} {past_tense(statement.cue)}{between}{content}")
    if direct:
        return _finish(f"{name} {plain}: {_quoted(content)}")
    return _finish(f"{name} {plain} {_clause(content)}")


# "… a 21-year-old man who [prosecutors say] planned …": a relative pronoun right before the
# speaker, after a noun phrase that opens with a determiner or a number
_RELATIVE = re.compile(
    r"(?:^|[\s,(])((?:"
    + alternation(tuple(sorted(ARTICLES | DEMONSTRATIVES | POSSESSIVES | NUMBER_WORDS)))
    + r"|\d+)(?:\s+[\w’'-]+){1,5}?)\s*,?\s+(?:who|whom|which|that)\s+$",
    re.IGNORECASE,
)
# a clause that opens with its verb (a past, an auxiliary): it lost its subject to the pronoun
_VERB_FIRST = re.compile(
    r"(?:[a-z]+ed|" + alternation(tuple(sorted(AUXILIARIES - DO, key=len, reverse=True))) + r")\b"
)


def _antecedent(text: str, start: int, content: str) -> str | None:
    """The noun phrase a relative clause's claim is about, when the claim opens with its verb:
    "a man who prosecutors say planned to attack" -> "a man" (None otherwise)."""
    if _VERB_FIRST.match(content.lstrip()) is None:
        return None
    found = _RELATIVE.search(text, max(0, start - 80), start)
    # "The deal, which officials say is close" -> "the deal": it no longer opens a sentence
    return None if found is None else _clause(" ".join(found.group(1).split()))


# words that open a sentence but not a name: lower-cased when the clause follows a verb
_OPENERS = frozenset(
    "the a an this that these those it its their there our his her some many most all any "
    "no one two several few more every each such in on at after before since during for from "
    "as with without under over by while when if although though despite amid following "
    "but and so yet however meanwhile only not nothing nobody none both neither either we "
    "they he she you other another much about around nearly almost roughly approximately "
    "fewer less up between among".split()
)


_JOINERS = frozenset("but and so yet however".split())


def _clause(content: str) -> str:
    """A clause that now follows "X said": its sentence-opening capital goes ("The country is
    …" -> "the country is …"); a name keeps its own."""
    content = content.strip().rstrip(",")
    first = content.split(" ", 1)[0]
    if first.lower().rstrip(",") in _JOINERS and " " in content:
        # "X said but whether …": the conjunction joined the claim to its sentence, not to X
        content = content.split(" ", 1)[1]
        first = content.split(" ", 1)[0]
    if first.lower() in _OPENERS and first[:1].isupper() and not first.isupper():
        return first.lower() + content[len(first) :]
    return content
