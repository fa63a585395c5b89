"""The shape of one language's lexicon: the words the shared constructions ask about.

A language is DATA (``ru.py``, ``uk.py``, ``fr.py``, ``de.py``, ``es.py``): its quotation marks,
its speech verbs as lemmas in a verb table (as English's ``VERB_TABLE``), the words that
introduce a reported clause, an "according to" source, an "as X said" aside, its pronouns,
titles and role words, bodies, prepositions and function words. Word forms are read through
:func:`aggregator.extract.morph.lemma`, never through suffix lists; so every set of words here
holds dictionary forms, lower case.

The verb table, one row a verb: its lemma, its frame, then properties.

Frames:

- ``say``: a cue with a reported clause, a colon, a quotation, or content before it;
- ``clause``: a verb that also takes plain objects ("отметить юбилей", "indiquer le chemin");
- ``gerund``: a gerund the dictionary lists as a lemma of its own (Ukrainian "наголосивши"),
  a cue that takes its clause's subject.

Properties: ``stance``, a belief rather than speech ("считать", "estimer"); ``to``, a call
whose content is an infinitive ("призвал союзников ускорить …", "a appelé à …"). A German separable
verb is written ``particle|base`` ("mit|teilen"): the base's lemma with its particle closing
the clause ("teilte … mit"), and the joined forms ("mitgeteilt") as one verb.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

DASHES = "—–"
FRAMES = frozenset({"say", "clause", "gerund"})
PROPERTIES = frozenset({"stance", "to"})


@dataclass(frozen=True, slots=True)
class Verb:
    lemma: str
    frame: str
    properties: frozenset[str] = frozenset()
    particle: str | None = None  # a German separable verb's particle ("mit" of "mitteilen")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    """Phrases one a line, longest first (so "de acuerdo con" wins over a shorter one)."""
    found = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return tuple(sorted(found, key=len, reverse=True))


def read_verbs(table: str) -> dict[str, Verb]:
    """A verb table: ``lemma frame [property …]`` a row; a separable German verb is written
    ``particle|base`` and found by its base's lemma."""
    verbs: dict[str, Verb] = {}
    for line in table.strip().splitlines():
        parts = line.split()
        if not parts:
            continue
        name, frame, *props = parts
        if frame not in FRAMES or not set(props) <= PROPERTIES:
            raise ValueError(f"verb table row {line!r}: unknown frame or property")
        particle, _, base = name.rpartition("|")
        verbs[base] = Verb(base, frame, frozenset(props), particle or None)
        if particle:  # the joined forms ("mitgeteilt", "mitteilen") are read as one verb
            verbs[particle + base] = Verb(particle + base, frame, frozenset(props))
    return verbs


@dataclass(frozen=True, eq=False)  # one object a language: hashed by identity
class Lexicon:
    """One language's words (see the module docstring)."""

    code: str
    #: opening mark -> its closing mark
    quotes: dict[str, str]
    verbs: dict[str, Verb]
    #: words that open a reported clause: что, що, que, dass
    complementisers: frozenset[str]
    #: phrases before a source: по словам, selon, laut, según
    according: tuple[str, ...]
    #: words after a source: zufolge
    according_after: frozenset[str] = frozenset()
    #: a source after its claim without a verb: ", so Merz."
    source_markers: frozenset[str] = frozenset()
    #: words opening an aside "as X said": как, як, comme, wie, como
    as_words: frozenset[str] = frozenset()
    #: phrases pointing back at the sentence before: об этом, про це
    anaphora: tuple[str, ...] = ()
    #: subject pronouns of one person, and of several
    pronouns: frozenset[str] = frozenset()
    plural_pronouns: frozenset[str] = frozenset()
    #: pronouns after "according to": по её словам, selon lui, según ella
    source_pronouns: frozenset[str] = frozenset()
    #: role words and titles (lemmas); with ``compound_roles`` a word ending in one is one
    #: too (German "Bundesaußenminister")
    roles: frozenset[str] = frozenset()
    compound_roles: bool = False
    #: people described, not named: residents, witnesses, experts (speakers without a side)
    people: frozenset[str] = frozenset()
    #: articles: a noun phrase opening with one may be a described speaker ("les habitants")
    articles: frozenset[str] = frozenset()
    #: indefinite articles: "ein Sprecher" is someone new, not the person named before
    indefinite: frozenset[str] = frozenset()
    #: bodies that speak: министерство, МИД, ministère, Regierung, gobierno
    bodies: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    #: prepositions that attach a noun's complement ("de", "del"): they never end a mention
    of_words: frozenset[str] = frozenset()
    #: articles, conjunctions, adverbs and other words that are never part of a name
    function_words: frozenset[str] = frozenset()
    #: the auxiliaries of compound tenses (lemmas): avoir, haben, haber
    auxiliaries: frozenset[str] = frozenset()
    #: lower-case words inside a name: de, von, del
    name_particles: frozenset[str] = frozenset()
    #: words written with a full stop that ends no sentence: г, т, Dr, Sr
    abbreviations: frozenset[str] = frozenset()
    #: an apostrophe inside a word (Ukrainian "зв'язок"), not an elision (French "qu'il")
    apostrophe_in_words: bool = False
    #: a comma after the cue opens the reported clause without a complementiser (German V2)
    comma_clause: bool = False
    #: the speaker may come between "as" and the cue ("wie Merz sagte")
    speaker_inside_as: bool = False
    #: nouns are capitalised (German): a capitalised word mid-sentence is no verb
    capitalised_nouns: bool = False
    #: words before an infinitive: de, à, zu, para (a verb right after one is no cue)
    infinitive_markers: frozenset[str] = frozenset()
    #: forms the lemmatiser reads wrong (a participle it takes for a noun: "dicho" -> "decir")
    irregular_forms: dict[str, str] = field(default_factory=dict)
    #: the language's own words for days, months and parts of the day (no speakers)
    time_words: frozenset[str] = field(default_factory=frozenset)

    def verb(self, lemma: str) -> Verb | None:
        return self.verbs.get(lemma)

    def is_body(self, lemma: str) -> bool:
        if lemma in self.bodies:
            return True
        return self.compound_roles and _compound(self, lemma, "bodies")

    def is_office(self, lemma: str) -> bool:
        """A role word that names an office (not "expert", "resident")."""
        return lemma not in self.people and self.is_role(lemma)

    def is_role(self, lemma: str) -> bool:
        if lemma in self.roles or lemma in self.people:
            return True
        return self.compound_roles and _compound(self, lemma, "roles")


@lru_cache(maxsize=65536)
def _compound(lexicon: Lexicon, lemma: str, words: str) -> bool:
    """Whether ``lemma`` is a compound ending in one of the lexicon's ``words`` (German
    "Bundesaußenminister" ends in "minister"); the answer is remembered."""
    found: frozenset[str] = getattr(lexicon, words)
    return any(lemma.endswith(word) and len(lemma) > len(word) + 2 for word in found)


def build(
    code: str,
    *,
    quotes: str,
    verbs: str,
    complementisers: str,
    according: str,
    according_after: str = "",
    source_markers: str = "",
    as_words: str = "",
    anaphora: str = "",
    pronouns: str = "",
    plural_pronouns: str = "",
    source_pronouns: str = "",
    roles: str = "",
    compound_roles: bool = False,
    people: str = "",
    articles: str = "",
    indefinite: str = "",
    bodies: str = "",
    prepositions: str = "",
    of_words: str = "",
    function_words: str = "",
    auxiliaries: str = "",
    name_particles: str = "",
    abbreviations: str = "",
    apostrophe_in_words: bool = False,
    comma_clause: bool = False,
    speaker_inside_as: bool = False,
    capitalised_nouns: bool = False,
    infinitive_markers: str = "",
    irregular_forms: str = "",
    time_words: str = "",
) -> Lexicon:
    """A lexicon from its word lists written as text (space-separated words; phrases one a
    line; quotation pairs as ``«» „“``)."""
    pairs = {pair[0]: pair[1] for pair in quotes.split()}
    return Lexicon(
        code=code,
        quotes=pairs,
        verbs=read_verbs(verbs),
        complementisers=_words(complementisers),
        according=_phrases(according),
        according_after=_words(according_after),
        source_markers=_words(source_markers),
        as_words=_words(as_words),
        anaphora=_phrases(anaphora),
        pronouns=_words(pronouns),
        plural_pronouns=_words(plural_pronouns),
        source_pronouns=_words(source_pronouns),
        roles=_words(roles),
        compound_roles=compound_roles,
        people=_words(people),
        articles=_words(articles),
        indefinite=_words(indefinite),
        bodies=_words(bodies),
        prepositions=_words(prepositions),
        of_words=_words(of_words),
        function_words=_words(function_words)
        | _words(prepositions)
        | _words(complementisers)
        | _words(articles),
        auxiliaries=_words(auxiliaries),
        name_particles=_words(name_particles),
        abbreviations=_words(abbreviations),
        apostrophe_in_words=apostrophe_in_words,
        comma_clause=comma_clause,
        speaker_inside_as=speaker_inside_as,
        capitalised_nouns=capitalised_nouns,
        infinitive_markers=_words(infinitive_markers),
        irregular_forms=dict(
            line.split() for line in irregular_forms.strip().splitlines() if line.strip()
        ),
        time_words=_words(time_words),
    )
