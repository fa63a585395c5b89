"""How much an event is international affairs: the digest's main section keeps what scores.

    relevance = 1.5 * parties heard (sides of party statements, and one for speakers with no
                      side in a role of national politics, at most 3)
              + 2.0 if an official source carried it
              + 1.0 if a title names a known party actor ("Modi", "Rubio", "Hamas"; the
                      gazetteer's people and bodies of states, organisations and armed groups,
                      with the offices of the event's first day: Gazetteer.as_of), or a
                      candidate for a major power's top office on that day ("Clinton" in
                      2016: aggregator/data/candidacies.yaml)
              + 1.0 if such an actor is a title's subject ("Sanders will back Clinton",
                      "Trump: …"; not "Trump's son says …": _party_subject)
              + 1.0 * affairs words in the titles (at most 4: "minister", "sanctions", "talks" …)
              + 0.5 * places in the titles (at most 2: "Iran", "Ukrainian", "Geneva" …; in a
                      title in ru, uk, fr, de or es, every place CLDR names in its language)
              - 3.0 * off-topic words in the event's own title (at most 2: "film", "cricket" …)
                      beyond its affairs words, at least one for an obituary ("dies at 98");
                      an official source's own message is exempt, unless its title greets an
                      observance ("Presidential Message on Lunar New Year")

An event is *relevant* at ``RELEVANT`` or more. The words are read in the event's titles (its
own and its articles'), where an editor says what a story is about; statements weigh through the
parties they give a voice to, so a film review that quotes its director scores nothing for it.
An off-topic word names what a story is about only when the title has fewer affairs words than
off-topic ones (the penalty counts the difference): "plot to attack a concert" is a security
story that happened at a concert, "a war film's premiere" a film.

False-positive policy: an off-topic story in the main section costs an analyst's attention and
trust; a relevant one pushed down still appears, as one line under "Also reported". The
thresholds and word lists were set on one hand-labelled realfeeds day and measured on another
(docs/evaluation/relevance.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from itertools import islice

import yaml

from aggregator.extract.gender import given_names
from aggregator.extract.lexicon import CAPITAL_RUN, OFFICE_WORDS, TITLE_WORDS
from aggregator.extract.places import LANGUAGES as PLACE_LANGUAGES
from aggregator.extract.places import places_in
from aggregator.extract.sides import Gazetteer, default_gazetteer, past_offices_only
from aggregator.model import Event

RELEVANT = 2.0
PARTY_WEIGHT = 1.5
OFFICIAL_WEIGHT = 2.0
AFFAIRS_WEIGHT = 1.0
PLACE_WEIGHT = 0.5
ACTOR_WEIGHT = 1.0
SUBJECT_WEIGHT = 1.0
OFF_TOPIC_WEIGHT = 3.0
POLITICS = "politics"  # the party heard when a speaker holds a role in national politics

# word stems (a stem ending in "*" takes any ending; "_" joins a phrase's words): what editors'
# titles about international affairs are made of
_AFFAIRS = (
    "minister* ministr* president* premier* chancellor* government* parliament* lawmaker* "
    "senat* congress* elect* vote* voting ballot* referendum* opposition regime* coup* junta "
    "sanction* tariff* trade talks negotiat* summit* treat* accord* deal* agreement* "
    "ceasefire* truce peace war wars warfare militar* army armies troop* soldier* navy naval "
    "missile* launcher* drone* nuclear weapon* arms strike* airstrike* attack* invad* "
    "invasion* offensive border* occupation* occupied annex* settler* settlement* diplomat* "
    "embass* ambassador* envoy* foreign un u.n. nato eu humanitarian refugee* migrant* "
    "migration immigration asylum deport* detention detained detainee* prisoner* aid "
    "genocide rights protest* crackdown* rebel* militant* militia* insurgen* terror* "
    "hostage* independence sovereign* intelligence spy spies espionage hamas "
    "hezbollah houthi* taliban kremlin pentagon condemn* accus* warn* urg* vow* pledg* "
    "deny denies denied denial* blam* killed kill* dead death* toll casualt* bomb* shell* "
    "siege blockade* explosion* explosive* visa visas "
    "evacuat* famine crisis emergency official* leader* king queen ministerial bilateral "
    "multilateral alliance allies ally rapporteur* court* judge* prosecut* security "
    # elections and parties: what national politics is made of between the votes
    # (not "nomination", "labour", "donor": an Oscar, a market, blood; "primary" stays, as
    # election news names it far more often than a school does, and a title needs two words)
    "campaign* candidate* candidacy nominee* primary primaries caucus* delegate* "
    "poll polls polling pollster* debate* electoral incumbent* endors* running_mate "
    "republican* democrat* gop dnc rnc tory tories super_pac* fundrais* "
    "partisan bipartisan impeach*"
    # what governments and campaigns argue over at home: the policies themselves
    " policy policies tax taxes taxation taxed taxpayer* budget* deficit* obamacare medicare "
    "medicaid abortion welfare minimum_wage gun_control"
).split()
_OFF_TOPIC = (
    "film* movie* review* album* song* concert* singer* rapper* recipe* cooking restaurant* "
    "fashion* celebrit* actress* hollywood bollywood netflix box-office premiere* football* "
    "soccer cricket* tennis golf* rugby basketball baseball hockey olympic* olympian* medal* "
    "bobsleigh skiing skier* skating snowboard* league* tournament* championship* "
    "world_cup grand_prix formula_one match matches striker* goalkeeper* coach* horoscope* "
    "lifestyle holiday* wellness dating wedding* museum* exhibition* novel novelist* "
    "bestseller* obituar* tribute* new_year christmas easter diwali hanukkah thanksgiving "
    "greeting* birthday* anniversar* dies died festival* gala"
).split()


def _stems(words: list[str]) -> re.Pattern[str]:
    """One pattern for the word list; "_" joins the words of a phrase ("new_year")."""
    words = [w.replace("_", " ") for w in words]
    alternatives = sorted(
        (re.escape(w[:-1]) + r"[\w’'-]*" if w.endswith("*") else re.escape(w) for w in words),
        key=len,
        reverse=True,
    )
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


_AFFAIRS_RE = _stems(_AFFAIRS)
_OFF_TOPIC_RE = _stems(_OFF_TOPIC)


# law enforcement speaks for a state, but about crime: it does not make a story foreign affairs
_LAW_ENFORCEMENT = re.compile(
    r"\b(?:police|policem[ae]n|officers?|prosecutors?|prosecution|courts?|judges?|coroners?|"
    r"sheriffs?|detectives?|investigators?|constables?|fire (?:service|brigade|department))\b",
    re.IGNORECASE,
)


# a role in national politics, for a speaker no side was found for: legislators, ministers,
# candidates for national office and their campaigns, party leadership ("the Vermont senator",
# "the Republican presidential nominee", "Clinton campaign manager", "Interim DNC Chairwoman")
_POLITICAL_OFFICE = re.compile(
    r"(?<![\w-])(?:senators?|sen\.|congress(?:man|woman|members?)|lawmakers?|legislators?|"
    r"members? of (?:parliament|congress)|ministers?|running mate|speaker of the house|"
    r"majority leader|minority leader|national committee|party (?:leader|chair\w*|secretary))"
    r"(?![\w-])",
    re.IGNORECASE,
)
_CASED = re.compile(r"(?<![\w-])(?:Rep\.|MPs?|DNC|RNC)(?![\w-])")  # capitals only: "sales rep."
# a candidacy counts for a national office or a party: "the GOP candidate", "the Democratic
# presidential nominee", "Labour candidate", "prime ministerial hopeful" (not "a PhD
# candidate", "an Oscar nominee", "a Republican voter who joined the campaign")
_CANDIDACY = re.compile(
    r"(?<![\w-])(?:presidential|vice-presidential|democratic|republican|gop|party|senate|"
    r"congressional|parliamentary|ministerial|chancellor|labour|conservative|tory|liberal|"
    r"green|opposition|leadership|centrist|socialist|nationalist)"
    r"(?:[\s-]+[\w’'-]+){0,2}?[\s-]+(?:candidates?|nominees?|hopefuls?|campaign)(?![\w-])"
    r"|(?<![\w-])(?:candidates?|nominees?) for (?:president|prime minister|the senate)",
    re.IGNORECASE,
)
# a campaign's own people: "Trump campaign spokesman", "the campaign's press secretary", "an
# adviser at the Clinton campaign" (a campaign of a known NGO is its commentary, left out before)
_CAMPAIGN = re.compile(
    r"(?:\b[A-Z][\w’'-]+ |\b[Tt]he )[Cc]ampaign(?:[’']s)? (?i:manager|spokes\w+|chair\w*|"
    r"aides?|advisers?|press secretary|director)\b|\bat the [A-Z][\w’'-]+ campaign\b"
)
# offices below the nation's: a local word that qualifies the office itself ("state senator",
# "county legislators", "city council candidate"), and roles that share a word with an office
_NOT_NATIONAL = re.compile(
    r"(?<![\w-])(?:(?:state|county|city|municipal|provincial|regional|district|local|town)\s+"
    r"(?:senators?|sen\.|lawmakers?|legislators?|representatives?|rep\.|candidates?|"
    r"nominees?|council\w*|assembly\w*|house)|mayor\w*|gubernatorial|city council|"
    r"school board|church|parish|pastor|reverend)(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Candidacy:
    """A campaign for a major power's top office (aggregator/data/candidacies.yaml)."""

    name: str
    aliases: tuple[str, ...]
    office: str
    start: date
    end: date

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@functools.cache
def candidacies() -> tuple[Candidacy, ...]:
    """The bundled candidacies, read once."""
    path = resources.files("aggregator").joinpath("data", "candidacies.yaml")
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["candidacies"]
    return tuple(
        Candidacy(
            name=row["name"],
            aliases=tuple(row["aliases"]),
            office=row["office"],
            start=row["from"],
            end=row["to"],
        )
        for row in rows
    )


@functools.lru_cache(maxsize=64)
def candidates_on(day: date) -> frozenset[str]:
    """The names and aliases of everyone campaigning for a major power's top office on a day
    (and of a winner until the inauguration)."""
    return frozenset(name for c in candidacies() if c.start <= day <= c.end for name in c.names())


_NO_NAME = re.compile(r"(?!)")  # matches nothing: a day without a campaign


@functools.lru_cache(maxsize=64)
def _candidate_pattern(day: date) -> re.Pattern[str]:
    """The day's candidates' names and aliases as whole words, longest first (apostrophes as
    "'": a title's "O’Malley" is compared as "O'Malley")."""
    names = sorted(candidates_on(day), key=len, reverse=True)
    if not names:
        return _NO_NAME
    alternatives = "|".join(re.escape(name.replace("’", "'")) for name in names)
    return re.compile(rf"(?<![\w'-])(?:{alternatives})(?![\w-])")


def parties(event: Event) -> set[str]:
    """The parties heard: the sides of the party statements, law enforcement aside, and one
    more ("politics") when a speaker with no side holds a role in national politics: a
    senator, a candidate, a campaign's spokesman (a text of 2016 gives Donald Trump no side,
    see Gazetteer.as_of; "the Democratic senator" names no state). A candidate's own words
    are not counted for being a candidate's (``candidacies`` count in titles only): opinion
    pieces and profiles quote the candidates as much as campaign news does."""
    found: set[str] = set()
    for statement in event.statements:
        if statement.commentary:
            continue
        who = " ".join(filter(None, (statement.speaker, statement.actor, statement.role)))
        if _LAW_ENFORCEMENT.search(who) is not None:
            continue
        if statement.side:
            found.add(statement.side)
        elif statement.role and _political(statement.role):
            found.add(POLITICS)
    return found


def _political(role: str) -> bool:
    """Whether a role is one of national politics (see _POLITICAL_OFFICE and its neighbours)."""
    if _NOT_NATIONAL.search(role):
        return False
    return any(
        pattern.search(role) is not None
        for pattern in (_POLITICAL_OFFICE, _CASED, _CANDIDACY, _CAMPAIGN)
    )


def _titles(event: Event) -> list[str]:
    return list(dict.fromkeys([event.title, *(a.title for a in event.articles)]))


def _title_languages(event: Event) -> dict[str, str | None]:
    """Each distinct title with the language of an article that carries it (None: unknown)."""
    found: dict[str, str | None] = dict.fromkeys(_titles(event))
    for article in event.articles:
        if found.get(article.title) is None and article.language:
            found[article.title] = article.language.split("-", 1)[0].lower()
    return found


def _title_places(title: str, language: str | None) -> frozenset[str]:
    """The sides a title's places name. In the languages extraction reads beside English,
    every place CLDR names in the title's language ("Генсек НАТО призвал Украину …": NATO,
    Ukraine; a title names what it is about, whatever the preposition); otherwise the first
    place the gazetteer's English terms find."""
    if language in PLACE_LANGUAGES:
        return places_in(title, language)
    side = default_gazetteer().place_side(title)
    return frozenset() if side is None else frozenset({side})


_POSSESSIVE_END = re.compile(r"[’']s?$")
_PARTY_KINDS = frozenset({"person", "institution", "state", "group"})


# given names that are also common English words: a Title Case headline capitalises them
# ("Senate Passes Bill Trump Demanded", "April Tariffs"), so before a surname they name no one
_WORD_NAMES = frozenset(
    "bill mark hope grace rose frank guy ray jack june april may max penny will faith joy dawn "
    "summer autumn victor sterling rich miles chase drew gene pat art bob sue don".split()
)


def _other_given_name(word: str) -> bool:
    """Whether a capitalised word before a surname is another person's given name."""
    folded = word.casefold()
    return folded in given_names() and folded not in _WORD_NAMES


def _names_party(title: str, gazetteer: Gazetteer, candidates: re.Pattern[str] = _NO_NAME) -> bool:
    """Whether a title names a known party actor: a person, body or group of the gazetteer
    that stands for a side ("Sheinbaum says …", "Rubio boosts Orbán …", "Hamas: …"), or a
    candidate the ``candidates`` pattern of the day finds (:func:`_candidate_pattern`:
    "Clinton's Iowa dilemma" in 2016, "Dr. Ben Carson Wins …"). A surname after another
    person's given name is theirs: "Eric Trump", "Chelsea Clinton", "Melania Trump" name no
    party (gender.py's given names, less those that are common words: "Bill Trump Demanded")."""
    return next(_party_names(title, gazetteer, candidates), None) is not None


def _party_names(
    title: str,
    gazetteer: Gazetteer,
    candidates: re.Pattern[str] = _NO_NAME,
    runs: Iterable[re.Match[str]] | None = None,
) -> Iterator[tuple[int, int]]:
    """Where a title names a known party actor (see :func:`_names_party`): the spans of the
    names, possessive endings aside, in the order they are found; in ``runs`` of capitalised
    words only, when given (default: every run of the title)."""
    # a run of capitalised words (and name particles), possessive aside: a person or a body
    for match in CAPITAL_RUN.finditer(title) if runs is None else runs:
        run = match.group(0).replace("’", "'")
        for found in candidates.finditer(run):
            preceding = run[: found.start()].split()
            if not preceding or not _other_given_name(preceding[-1].rstrip(".,:;")):
                yield match.start() + found.start(), match.start() + found.end()
        # a possessive ends a name ("Netanyahu's Government Collapses": Netanyahu)
        words = [_POSSESSIVE_END.sub("", w.rstrip(".")) for w in match.group(0).split()]
        if _party(gazetteer, " ".join(words)):
            yield _word_span(match, len(words) - 1, words[-1], whole=True)
        # each word alone ("Tarique Rahman Gets PM Modi": Modi), unless another person's given
        # name stands before it ("Donald Trump Says …": his own)
        for at, word in enumerate(words):
            if not _party(gazetteer, word):
                continue
            before = words[at - 1] if at else ""
            if not _other_given_name(before) or _party(gazetteer, f"{before} {word}"):
                yield _word_span(match, at, word)


def _word_span(
    run: re.Match[str], index: int, word: str, *, whole: bool = False
) -> tuple[int, int]:
    """The span of the ``index``-th word of a run of capitals as a name (``word``: without its
    possessive ending and final dot); ``whole``: from the run's start to that word's end."""
    token = next(islice(_TOKEN.finditer(run.string, run.start(), run.end()), index, None))
    return (run.start() if whole else token.start()), token.start() + len(word)


_TOKEN = re.compile(r"\S+")


# a section label before a title's subject ("Sudan: ", "Politifact: ")
_LABEL = re.compile(r"^[^:]{1,40}:\s+")
# after the subject: what it did or said (not the title's end: a run found whole, "Donald
# Trump Says The Talks Went Well", is found again word by word); a possessive ends it
_AFTER_SUBJECT = re.compile(r"[”\"]?[\s,:]+\S")
_POSSESSIVE_AFTER = re.compile(r"[’']s?(?!\w)")
# a capitalised word right after the name, in a headline that does not capitalise every word:
# the name qualifies another ("Trump Tower", "Clinton Foundation")
_MODIFIER = re.compile(r"\s+[A-Z][a-z]")
_BEFORE_NAME = TITLE_WORDS | OFFICE_WORDS | {"former", "ex"}
_MAX_BEFORE = 3


def _opens(before: str, gazetteer: Gazetteer) -> bool:
    """Whether the words before a name, from the title's start or its label on, belong to it."""
    words = before.split()
    return len(words) <= _MAX_BEFORE and all(_before_name(word, gazetteer) for word in words)


def _before_name(word: str, gazetteer: Gazetteer) -> bool:
    """Whether a word before a name may belong to its subject: a title or an office
    ("President", "Sen."), a given name ("Hillary"), a possessive ("France's") or a place
    ("U.S.", "Iranian"); not a Title Case headline's verb or noun ("Donors Abandon …")."""
    folded = word.rstrip(".,").casefold()
    return (
        folded in _BEFORE_NAME
        or folded in given_names()
        or _POSSESSIVE_END.search(word) is not None
        or gazetteer.place_side(word) is not None
    )


def _party_subject(
    title: str, gazetteer: Gazetteer, candidates: re.Pattern[str] = _NO_NAME
) -> bool:
    """Whether a known party actor (as :func:`_names_party` finds one) is the title's subject:
    named first, at the title's start or after a section label, not in the possessive, and
    followed by what it did or said ("Sanders will back Clinton", "Trump: Clinton should …",
    "Sudan: AU Intensifies …"; not "Trump's Son Says …", "A Mexican troupe starts with
    Trump", "Liberal Oscar-winner Sarandon 'not sure' about Clinton")."""
    label = _LABEL.match(title)
    for opening in (0, label.end()) if label else (0,):
        # the names a subject may hold are in the run of capitals that opens the title (or its
        # part after the label): "Sen. Bernie Sanders", "France's Marine Le Pen Backs Trump"
        # (not inside a quotation that opens it: "‘Trump is unfit,’ Obama says" is Obama's)
        run = CAPITAL_RUN.match(title, opening)
        if run is None:
            continue
        for start, end in _party_names(title, gazetteer, candidates, runs=(run,)):
            if not _opens(title[opening:start], gazetteer):
                continue
            if _POSSESSIVE_AFTER.match(title, end) is not None:
                return False  # "Trump's Son Says …": the son is the subject
            if _MODIFIER.match(title, end) is not None and not _title_case(title):
                return False  # "Trump Tower evacuated": a name that names something else
            if _AFTER_SUBJECT.match(title, end) is not None:
                return True
    return False


def _title_case(title: str) -> bool:
    """Whether a headline capitalises its words (then a capital tells no noun from a verb)."""
    words = [w for w in title.split() if len(w) > 3 and w[:1].isalpha()]
    return bool(words) and sum(w[:1].isupper() for w in words) > 0.7 * len(words)


def _party(gazetteer: Gazetteer, text: str) -> bool:
    actor = gazetteer.actor(text)
    # a former office-holder ("Obama", "Merkel" in 2026) is no party, but a figure of affairs
    # all the same: named in a title, the story is about what they did or said
    return (
        actor is not None
        and actor.kind in _PARTY_KINDS
        and (
            actor.side is not None
            or (actor.kind == "person" and actor.role is not None and past_offices_only(actor.role))
        )
    )


def _words(pattern: re.Pattern[str], text: str) -> set[str]:
    return {m.group(0).casefold() for m in pattern.finditer(text)}


def _affairs_words(text: str) -> set[str]:
    """The affairs words of a text; a word the off-topic list also takes is off-topic, the
    narrower reading ("striker" is no strike, "premiere" no premier)."""
    return {
        m.group(0).casefold()
        for m in _AFFAIRS_RE.finditer(text)
        if _OFF_TOPIC_RE.fullmatch(m.group(0)) is None
    }


# an obituary's title: the life told, whatever offices it names ("Diplomat and Spy Who Served
# With Style, Dies at 98", "Carter, 100, dies"); the labels count obituaries as ceremonial. A
# death that is itself the news is none ("dies at 63 in helicopter crash", "in prison")
_OBITUARY = re.compile(
    r"\b(?:dies|died|has\s+died)\b,?\s+(?:at|aged?|at\s+age|at\s+the\s+age\s+of)\s+\d{2,3}\b"
    r"(?![:.]\d|\s*(?:a\.?m\b|p\.?m\b|%|percent|hours?\b|gmt\b|utc\b))"
    r"|^[^,]{2,60},\s*\d{2,3},\s*(?:dies|has\s+died)\b"
    r"|^\s*obituar(?:y|ies)\b|:\s*obituar(?:y|ies)\b|\bobituar(?:y|ies)\s*$",
    re.IGNORECASE,
)
_DEATH_AS_NEWS = re.compile(
    r"\b(?:crash\w*|prison|jail\w*|custody|killed|kill\w*|attack\w*|strikes?|shot|shooting|"
    r"helicopter|bomb\w*|accident\w*|assassinat\w*|poison\w*|execut\w*|detention|hunger\s+strike)\b",
    re.IGNORECASE,
)
# an official greeting for an observance in the event's own title: a holiday, or a named day,
# week or month ("Presidential Message on Lunar New Year", "Proclamation on National Heart
# Month", "Message on Susan B. Anthony Day"); the official voice's exemption from off-topic
# words does not cover it. Not an anniversary: a war's or a genocide's is policy.
_OBSERVANCE = re.compile(
    r"\b(?i:message|greetings?|proclamation)s?\s+(?i:on|for)\s+(?i:the\s+)?(?i:occasion\s+of\s+(?:the\s+)?)?"
    r"(?:(?:[\w’'.-]+\s+){0,4}?(?i:new\s+year|christmas|easter|ramadan|ramazan|"
    r"eid(?:\s+al-\w+)?|diwali|hanukkah|passover|thanksgiving|lent|ash\s+wednesday|holidays?|"
    r"nowruz|vesak)\b"
    r"|(?:[A-Z][\w’'.-]*\s+){1,5}(?:Day|Week|Month)\b)"
)


def _obituary(title: str) -> bool:
    return _OBITUARY.search(title) is not None and _DEATH_AS_NEWS.search(title) is None


def relevance(event: Event) -> float:
    """The event's international-affairs score (see the module docstring)."""
    titles = _titles(event)
    heard = parties(event)
    official = any(r.kind == "official" for r in event.articles) or any(
        r.kind == "official" for s in event.statements for r in s.reports
    )
    affairs_by_title = {title: _affairs_words(title) for title in titles}
    affairs = len(set().union(*affairs_by_title.values()))
    # the off-topic words the event's own title does not outweigh with affairs words; an
    # obituary or an observance is off topic whatever offices it names
    off_topic = max(len(_words(_OFF_TOPIC_RE, event.title)) - len(affairs_by_title[event.title]), 0)
    ceremonial = official and _OBSERVANCE.search(event.title) is not None
    if ceremonial or _obituary(event.title):
        off_topic = max(off_topic, 1)
    places = {
        side
        for title, language in _title_languages(event).items()
        for side in _title_places(title, language)
    }
    # the offices of the event's own time: a 2016 report naming Donald Trump names a candidate
    gazetteer = default_gazetteer().as_of(event.first_seen_at)
    candidates = _candidate_pattern(event.first_seen_at.date())
    named = any(_names_party(title, gazetteer, candidates) for title in titles)
    subject = named and any(_party_subject(title, gazetteer, candidates) for title in titles)
    return (
        PARTY_WEIGHT * min(len(heard), 3)
        + (OFFICIAL_WEIGHT if official else 0.0)
        + (ACTOR_WEIGHT if named else 0.0)
        + (SUBJECT_WEIGHT if subject else 0.0)
        + AFFAIRS_WEIGHT * min(affairs, 4)
        + PLACE_WEIGHT * min(len(places), 2)
        # a government's or an organisation's own message is never off-topic to those who
        # follow what they say, unless it is a greeting for an observance
        - (0.0 if official and not ceremonial else OFF_TOPIC_WEIGHT * min(off_topic, 2))
    )


def is_relevant(score: float) -> bool:
    """Whether a relevance score earns the main section."""
    return score >= RELEVANT
