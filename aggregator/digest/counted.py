"""What a figure counts, and whether two figures count the same. Best effort, by rule.

"Three of our soldiers died at the post" and "raiders killed at least 9 people" both give a
number killed, but not of the same dead, so they are no contested figure. The noun after the
number says what is counted; each noun the rules know stands once in a class below. Two figures
count the same when

- either names nothing the rules read ("a toll of 9,000"): it may be any count;
- both name one class ("soldiers" and "troops") or the same other noun ("12 Sudrians");
- one is a broad word for the dead ("people", "victims", "deaths") and the other a civilian word
  ("residents") or a people's name ("Sudrians"): a ministry's toll of people is its toll of
  civilians.

False-positive policy, as in contested.py: when unsure, not the same count. A broad word never
agrees with a narrower group (soldiers, children, journalists …), whose count is at most a part
of it, nor two different nouns the rules do not know ("herders", "fishermen"). A number of
things or of time ("two apartment blocks", "12 drones", "two years ago") counts no one, so it is
no figure of people killed, wounded, displaced or captured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.extract.lexicon import MONTHS

BROAD = "people"

# the classes of people a figure can count, each word once
_CLASSES: dict[str, str] = {
    BROAD: "people persons individuals lives dead deaths casualties victims bodies fatalities",
    "civilians": "civilians residents inhabitants villagers locals citizens",
    "forces": "soldiers troops servicemen servicemembers personnel guards marines paratroopers "
    "conscripts reservists fighters militants insurgents rebels terrorists gunmen militiamen "
    "defenders",
    "peacekeepers": "peacekeepers",
    "police": "police policemen policewomen officers",
    "children": "children kids minors infants babies boys girls pupils schoolchildren teenagers",
    "women": "women",
    "journalists": "journalists reporters",
    "medics": "medics doctors nurses paramedics",
    "workers": "workers staff volunteers",
    "hostages": "hostages captives",
    "prisoners": "prisoners detainees",
    "migrants": "migrants refugees",
    "protesters": "protesters demonstrators",
}
_CLASS_OF = {word: name for name, words in _CLASSES.items() for word in words.split()}
# the civilian words agree with the broad ones ("people" and "residents" may be one toll)
_POPULATION = frozenset({"civilians"})
# an adjective that narrows a broad word: "civilian deaths" counts civilians
_NARROWING = {"civilian": "civilians", "child": "children", "military": "forces"}
# what counts no one: weapons, vehicles, buildings, places, spans of time, days of the month
# ("17 February"; not "may", which is also a verb), shares, distances, weights and money
#: the months, lower-cased, and their short forms ("sept" too; "may" is also a verb)
MONTH_NAMES = tuple(month.lower() for month in MONTHS)
MONTH_SHORT = (*(month[:3] for month in MONTH_NAMES if month != "may"), "sept")
_THINGS = (
    frozenset(
        """drones missiles rockets shells bombs munitions projectiles tanks aircraft jets planes
    helicopters vehicles ships boats vessels homes houses buildings blocks hospitals schools
    centres centers villages towns cities countries years months weeks days hours minutes times
    percent per cent km kilometres kilometers miles metres meters tonnes tons dollars euros
    """.split()
    )
    | frozenset(MONTH_SHORT)
    | (frozenset(MONTH_NAMES) - {"may"})
)
# "five others were killed": the noun of the figure before it in the sentence
_ELIDED = frozenset({"others"})

# the words right after a number ("12 Sudrians", "three of our soldiers")
_AFTER_NUMBER = re.compile(
    r"\s+(?:of\s+(?:its|their|the|our|his|her)\s+)?(?:more\s+|other\s+)?"
    r"([a-z]+)(?:\s+([a-z]+))?(?:\s+([a-z]+))?"
)


@dataclass(frozen=True, slots=True)
class Counted:
    """What one figure counts: a class above, or a plural noun the rules do not know."""

    what: str
    population: bool = False  # a civilian word or a people's name: the broad words agree with it

    @property
    def things(self) -> bool:
        """Whether the figure counts no one ("two apartment blocks")."""
        return self.what == "things"


THINGS = Counted("things")
ELIDED = Counted("elided")


_PREPOSITIONS = frozenset(
    "in on at near across from after before during since by into over under".split()
)


def counted(lower: str, end: int, cased: str | None = None) -> Counted | None:
    """What the number ending at ``end`` in lower-cased ``lower`` counts, from the three words
    after it; None when none of them names a count.

    ``cased`` is the text as written, at the same offsets, for telling a people's name
    ("12 Sudrians") from another noun; ELIDED for "five others".
    """
    match = _AFTER_NUMBER.match(lower, end)
    if match is None:
        return None
    words = [(word, match.start(index + 1)) for index, word in enumerate(match.groups()) if word]
    # a preposition ends the number's own noun phrase: "killed 40 in three villages" counts 40
    # of something unnamed, not villages
    cut = next((i for i, (word, _) in enumerate(words) if word in _PREPOSITIONS), len(words))
    words = words[:cut]
    for index, (word, _start) in enumerate(words):
        if word in _THINGS:
            return THINGS
        name = _CLASS_OF.get(word)
        if name is not None:
            before = words[index - 1][0] if index else ""
            if name == BROAD and before in _NARROWING:
                name = _NARROWING[before]
            return Counted(name, population=name in _POPULATION)
    for word, start in words:
        if word in _ELIDED:
            return ELIDED
        if word.endswith("s") and len(word) > 3:
            named = cased is not None and cased[start : start + 1].isupper()
            return Counted(word, population=named)
    return None


def same_count(a: Counted | None, b: Counted | None) -> bool:
    """Whether two figures may count the same people ("9 people" and "three soldiers" do not;
    "people" and "residents" may; a figure that names no one may be any count)."""
    if a is None or b is None or a.what == b.what:
        return True
    return (a.what == BROAD and b.population) or (b.what == BROAD and a.population)
