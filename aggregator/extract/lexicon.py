"""The words the extraction rules know, each word class written once.

Every other module of this package takes its word sets from here, or derives them (a union, a
difference) from these; ``tests/unit/test_extract_lexicon.py`` checks that no module types a
class out again. Speech verbs stand in one table, :data:`VERB_TABLE`, one row a verb with its
properties; every verb set the rules use is derived from it (:func:`lemmas`).

How to add a cue verb: add its row to :data:`VERB_TABLE` (its frame, and the properties that
hold for it, see :data:`PROPERTIES`), its irregular forms to :data:`IRREGULAR_FORMS` if it has
any, then run ``scripts/evaluate_statements.py --dump`` before and after and read the diff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# ------------------------------------------------------------------------------ time words

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_PARTS = ("night", "morning", "afternoon", "evening")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def alternation(words: tuple[str, ...]) -> str:
    """The words as a regular-expression alternation, in the order given: "Monday|Tuesday…"."""
    return "|".join(words)


WEEKDAY_PATTERN = alternation(WEEKDAYS)
DAY_PART_PATTERN = alternation(DAY_PARTS)
MONTH_PATTERN = alternation(MONTHS)

# ------------------------------------------------------------------------ function words

# forms of "be", "have" and "do", and the modals (lower case)
BE = frozenset("is was are were be been being".split())
HAVE = frozenset("has have had".split())
DO = frozenset("do does did".split())
MODALS = frozenset("will would can could should may might must".split())
AUXILIARIES = BE | HAVE | DO | MODALS
NEGATED = frozenset("isn't wasn't aren't weren't hasn't haven't hadn't won't wouldn't can't "
                    "couldn't shouldn't didn't doesn't don't".split())  # fmt: skip

# irregular past tenses of common verbs (no speech verbs): finite, never a noun's modifier
IRREGULAR_PASTS = frozenset(
    "gave made took went came got knew saw found left held kept won lost paid sent spent "
    "brought built began ran became felt met".split()
)

# personal pronouns as subjects, and the ones that stand for a person
SUBJECT_PRONOUNS = frozenset("he she they we i".split())
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
PRONOUNS = SUBJECT_PRONOUNS | {"it", "you"}

ARTICLES = frozenset({"the", "a", "an"})
POSSESSIVES = frozenset("his her their its our my your".split())
DEMONSTRATIVES = frozenset("this that these those".split())
DETERMINERS = ARTICLES | POSSESSIVES  # what opens most noun phrases
#: numbers written as words ("Six months after …", "Eight countries")
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred dozen".split()
)
#: words that open a noun phrase by counting it: capitalised words after them describe its
#: noun ("Eight Muslim countries", "Several Gulf states") and name no one
COUNTING_WORDS = NUMBER_WORDS | frozenset("several many some few both most".split())
#: prepositions and conjunctions that open an adjunct before the subject ("Despite X's
#: remarks, …", "Amid the talks, …"): a phrase they open is no speaker
ADJUNCT_OPENERS = frozenset(
    "despite after before following amid amidst unlike with without since although though "
    "while when whereas because during throughout until unless if as upon given regarding "
    "concerning notwithstanding".split()
)

# --------------------------------------------------------------------------- people

# The one title list: what may stand before a personal name ("Ambassador Churkin", "PM
# Shehbaz"), as written. A mention is looked up with its titles taken off.
#: the titles written short, with or without a full stop ("Sen.", "PM")
ABBREVIATED_TITLES: tuple[str, ...] = tuple(
    "Mr Mrs Ms Dr Gen Lt Col Sen Rep Gov Prof Rev Capt Sgt Maj Adm Cmdr PM FM DPM Pres".split()
)
TITLE_LIST: tuple[str, ...] = (
    *ABBREVIATED_TITLES,
    "Miss",
    *"President|Prime Minister|Foreign Minister|Defence Minister|Defense Minister|Minister|"
    "Secretary|Senator|Governor|General|Judge|Justice|Chancellor|Ambassador|Spokesman|"
    "Spokeswoman|Vice President|Speaker|Leader|Chairman|Chairwoman|King|Queen|Prince|Pope|"
    "Sheikh|Field Marshal|Marshal|Admiral|Colonel|Lieutenant|Brigadier".split("|"),
)
#: a regular expression for a run of titles, each with an optional full stop, then spaces
TITLE_RUN = r"^(?:(?:" + alternation(TITLE_LIST) + r")\.?\s+)+"
#: the titles' words in lower case ("prime", "minister", …)
TITLE_WORDS = frozenset(word.lower() for title in TITLE_LIST for word in title.split())
#: the titles of one word, in lower case ("minister", not "prime" or "foreign")
SINGLE_TITLES = frozenset(title.lower() for title in TITLE_LIST if " " not in title)
#: titles that are also names or words of names ("Charlie King", "the Justice Department"):
#: never taken out of the middle of a name
TITLES_IN_NAMES = frozenset(
    "miss king queen prince pope judge justice leader speaker chancellor sheikh".split()
)
#: what follows a name as a short form with a full stop ("Jr.")
NAME_SUFFIXES = ("Jr", "Sr", "St")
#: words of an office that may stand before a name besides the titles ("Interior Minister",
#: "Deputy Mayor"), lower case
OFFICE_WORDS = frozenset(
    "spokesperson interior finance deputy chief envoy commander mayor candidate director "
    "adviser advisor aide attorney officer premier".split()
)
#: forms of address: no role ("Mrs. Trump")
HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame madam mme m".split())
#: the nouns of a role that tell the gender of the person who holds it, as common nouns (lower
#: case: "Duke University", "King's College" and "an aide to King Charles" tell nothing), and the
#: forms of address that tell it (aggregator/extract/gender.py; given names are in
#: aggregator/data/given_names.yaml)
FEMININE_NOUNS = frozenset(
    "spokeswoman chairwoman congresswoman businesswoman councilwoman stateswoman actress wife "
    "mother daughter sister grandmother widow aunt niece queen princess duchess empress".split()
)
MASCULINE_NOUNS = frozenset(
    "spokesman chairman congressman businessman councilman statesman husband father son "
    "brother grandfather widower uncle nephew king prince duke emperor".split()
)
#: not "Miss" (Miss Universe, "Jackson, Miss.", "Fans Will Miss"), nor "Lord" and "Lady" (the
#: Lord Chancellor, Lady Justice)
FEMININE_ADDRESS = frozenset("mrs ms madam mme dame".split())
MASCULINE_ADDRESS = frozenset("mr sir".split())
#: the short forms of address before a name ("Mr", "Dr"), as a pattern
ADDRESS_PATTERN = alternation(tuple(t for t in ABBREVIATED_TITLES if t.lower() in HONORIFICS))
#: nouns for a person by office or trade
PERSON_NOUNS = (
    "minister president ambassador envoy commander secretary spokesman spokeswoman "
    "spokesperson chief head leader general official senator governor chancellor premier "
    "director chairman chairwoman adviser advisor aide mayor candidate correspondent editor "
    "reporter analyst expert professor lawyer judge"
).split()

#: list bullets, and every mark page layout leaves before a name: a list item begins at a
#: bullet ("• Pakistan asks … • EU calls …"), and no speaker begins with one
BULLETS = "•‣⁃▪●"
LAYOUT_MARKS = BULLETS + "·*>|"

#: lower-case particles inside a personal name ("Ursula von der Leyen", "Lula da Silva",
#: "Ahmed al-Sharaa")
NAME_PARTICLES = frozenset("de da das dos di du del della van von der al bin".split())
_WORD_OF_NAME = r"(?:[A-Z][\w’'.-]*|(?:" + "|".join(sorted(NAME_PARTICLES)) + r")(?![\w’'-]))"
#: a run of capitalised words and name particles: where a text names a person or a body
CAPITAL_RUN = re.compile(r"(?<![\w’'-])" + _WORD_OF_NAME + r"(?:\s+" + _WORD_OF_NAME + r")*")

#: the head nouns of a body's own name, singular and plural ("the Department of Health and
#: Human Services", "the National Academies of Sciences", "the Parks Department"): the capitals
#: named with them are the body's name, not a person's
BODY_HEADS = (
    "department departments ministry ministries office offices center centers centre centres "
    "organization organizations organisation organisations agency agencies commission "
    "commissions institute institutes academy academies council councils bureau bureaus "
    "administration authority authorities committee committees directorate secretariat"
).split()

# ------------------------------------------------------------------------------ verbs

Frame = Literal["say", "clause", "phrasal", "-"]

#: what each property of a verb row means
PROPERTIES = {
    "needs-that": 'a cue only before "that", a quotation or a colon ("stated that")',
    "object": 'its plain object is the claim ("denounced the reports as a lie")',
    "stance": "a belief, not speech: only with a whole clause after it",
    "noun-after-modifier": 'a noun after a determiner and a modifier ("a swing state")',
    "adjective-participle": 'its participle qualifies a noun ("pledged delegates")',
    "addressee": 'the listener stands between it and "that" ("reminded voters that")',
    "wh": 'reports a question or an explanation ("explained why")',
    "to": 'takes an infinitive as its content ("vowed to stay")',
    "plain-object": 'a say-verb that also takes a plain object ("wrote a book")',
    "past-object": 'in the past, takes a plain object ("mentioned the violence")',
    "naming": "a naming verb: speech only around a quotation or a predicate noun",
    "on": 'its topic after "on" is what was said ("commented on")',
    "of": 'its topic after "of" is what was said ("warned of")',
    "for": 'its topic after "for" is what was said ("argued for")',
}

# lemma, frame (say: any clause or quotation after it; clause: needs a clause; phrasal: only
# with one of its particles; -: no cue, listed for a property), then its properties
VERB_TABLE = """
say          say
tell         say      wh
add          say      plain-object
state        say      needs-that noun-after-modifier past-object adjective-participle
write        say      plain-object
tweet        say      needs-that noun-after-modifier past-object object
reply        say
respond      say
insist       clause   on
denounce     clause   object
warn         clause   object addressee of
urge         clause   object to
accuse       clause   object
confirm      clause   object
announce     clause   object adjective-participle
declare      clause   adjective-participle
stress       clause   object
reject       clause   object
deny         clause   object
explain      clause   object wh
argue        clause   object for
claim        clause   object
note         clause   object
suggest      clause   object
report       clause   object
ask          clause   object wh for
acknowledge  clause   object wh
admit        clause   wh
assert       clause
maintain     clause   needs-that
contend      clause
predict      clause   object
promise      clause   object addressee to adjective-participle
pledge       clause   object to adjective-participle
vow          clause   object to
reveal       clause   object wh
recall       clause   object wh
comment      clause   on
observe      clause
emphasise    clause   object
emphasize    clause   object
reiterate    clause   object
complain     clause   of
concede      clause
threaten     clause   object to
caution      clause
agree        clause   to
conclude     clause
mention      clause   needs-that object past-object
testify      clause   on
criticise    clause   object
criticize    clause   object
praise       clause   object
condemn      clause   object
blame        clause   object
dismiss      clause   object
boast        clause   of
joke         clause
quip         clause
allege       clause
charge       clause   needs-that noun-after-modifier
counter      clause
retort       clause
demand       clause   object
propose      clause   object
recommend    clause   object
advise       clause   needs-that object addressee
estimate     clause
disclose     clause   object wh
lament       clause   object
remark       clause   on
protest      clause
signal       clause   wh
indicate     clause   wh
assure       clause   addressee
tout         clause   object
decry        clause   object
hail         clause   object
affirm       clause
believe      clause   stance
think        clause   stance
hope         clause   stance
fear         clause   stance
yell         clause
shout        clause
scream       clause
exclaim      clause
chant        clause
muse         clause
continue     clause
decline      clause   to
refuse       clause   to
offer        clause
describe     clause   object wh
call         clause   object naming
label        clause   naming
dub          clause   naming
brand        clause   naming
question     clause   object wh
cite         clause   object
mock         clause   object
blast        clause   object
defend       clause   object
slam         clause   object
lambaste     clause   object
assail       clause   object
deride       clause   object
ridicule     clause   object
applaud      clause   object
thank        clause   object
remind       clause   object addressee
proclaim     clause
hint         clause   of
brag         clause   of
bemoan       clause   object
insinuate    clause
recount      clause   object
echo         clause   object
express      clause   object
post         clause   needs-that noun-after-modifier
point        phrasal  object  particles=out,to
refer        phrasal  object  particles=to
rail         phrasal  object  particles=against
speak        phrasal  object  particles=of,about,out
inform       -        addressee
convince     -        addressee
detail       -        wh
wonder       -        wh
reflect      -        on
plead        -        for
"""

#: forms that ``inflect`` would get wrong (no "thought": a past belief is narrative, no cue)
IRREGULAR_FORMS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "think": ("think", "thinks", "thinking"),
    "speak": ("speak", "speaks", "spoke", "spoken", "speaking"),
    "quip": ("quip", "quips", "quipped", "quipping"),
    "testify": ("testify", "testifies", "testified", "testifying"),
    "deny": ("deny", "denies", "denied", "denying"),
    "reply": ("reply", "replies", "replied", "replying"),
    "signal": ("signal", "signals", "signaled", "signalled", "signaling", "signalling"),
    "label": ("label", "labels", "labeled", "labelled", "labeling", "labelling"),
    "refer": ("refer", "refers", "referred", "referring"),
    "dub": ("dub", "dubs", "dubbed", "dubbing"),
    "slam": ("slam", "slams", "slammed", "slamming"),
    "brag": ("brag", "brags", "bragged", "bragging"),
    "echo": ("echo", "echoes", "echoed", "echoing"),
    # acts of state (ACT_VERBS)
    "strike": ("strike", "strikes", "struck", "striking"),
    "cut": ("cut", "cuts", "cut", "cutting"),
    "freeze": ("freeze", "freezes", "froze", "freezing"),
    "meet": ("meet", "meets", "met", "meeting"),
    "withdraw": ("withdraw", "withdraws", "withdrew", "withdrawing"),
    "bar": ("bar", "bars", "barred", "barring"),
    "ban": ("ban", "bans", "banned", "banning"),
    "expel": ("expel", "expels", "expelled", "expelling"),
    "acquit": ("acquit", "acquits", "acquitted", "acquitting"),
    "uphold": ("uphold", "upholds", "upheld", "upholding"),
    "veto": ("veto", "vetoes", "vetoed", "vetoing"),
    "send": ("send", "sends", "sent", "sending"),
    "hold": ("hold", "holds", "held", "holding"),
}

# ----------------------------------------------------------------------- acts of state
#: what a government, a parliament or an organisation *does*, as lemmas: a report's lead whose
#: subject is a party and whose verb is one of these is that party's act (extract/acts.py);
#: no form of them may be a speech cue's
ACT_VERBS: tuple[str, ...] = tuple(
    # decisions of a legislature, a government or a court
    "vote impeach oust remove sack appoint nominate elect approve pass adopt ratify "
    "sign enact abolish ban outlaw bar block veto suspend lift revoke repeal extend end "
    "impose sanction designate order authorise authorize allocate grant "
    "overturn uphold rule convict sentence indict acquit pardon release free extradite deport "
    "expel summon recognise recognize launch unveil introduce halt resume restore "
    "cut freeze seize close reopen open investigate probe fine arrest detain decide resign"
    # force and diplomacy
    " deploy strike bomb shell invade withdraw evacuate intercept mobilise mobilize send "
    "host visit meet hold arrive travel sever establish upgrade downgrade reach examine review "
    # a stance taken as a policy ("Turkey opposes Somaliland's recognition")
    "oppose support".split()
)
#: acts whose past takes a preposition when active ("voted to", "arrived in")
INTRANSITIVE_ACTS = frozenset("vote arrive travel withdraw meet decide resign".split())
#: taking office, the one passive that is the state's act ("has been sworn in")
OFFICE_FORMS = ("sworn in", "re-elected", "reelected", "elected", "appointed", "inaugurated")
#: irregular past forms of speech (and belief) verbs: never a noun after "the" or "his"
IRREGULAR_PAST = frozenset("said told wrote thought spoke written spoken".split())


@dataclass(frozen=True, slots=True)
class Verb:
    """One row of the verb table."""

    lemma: str
    frame: Frame
    properties: frozenset[str]
    particles: tuple[str, ...] = ()


def _rows(table: str) -> tuple[Verb, ...]:
    rows = []
    for line in table.strip().splitlines():
        lemma, frame, *rest = line.split()
        particles = tuple(
            p for item in rest if item.startswith("particles=") for p in item[10:].split(",")
        )
        properties = frozenset(item for item in rest if not item.startswith("particles="))
        unknown = properties - PROPERTIES.keys()
        if unknown or frame not in {"say", "clause", "phrasal", "-"}:
            raise ValueError(f"verb table: {lemma}: {sorted(unknown) or frame}")
        rows.append(Verb(lemma, frame, properties, particles))  # type: ignore[arg-type]
    return tuple(rows)


VERBS: tuple[Verb, ...] = _rows(VERB_TABLE)


def lemmas(frame: Frame | None = None, prop: str | None = None) -> list[str]:
    """The lemmas of the rows with that frame and/or that property, in table order."""
    return [
        verb.lemma
        for verb in VERBS
        if (frame is None or verb.frame == frame) and (prop is None or prop in verb.properties)
    ]
