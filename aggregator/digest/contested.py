"""Contested points: two sides making opposing claims about the same thing. Best effort, by rule.

Two statements from different (known) sides of one event are a contested pair when

- **control**: both name the same place and speak of who holds it, and they pull opposite ways:
  one says a side *took* it ("liberated", "captured", "entered") while the other says it is
  *held* ("remains under our control", "repelled"), or exactly one of them negates or denies
  ("not", "no longer", "a lie");
- **figure**: both give a number for the same kind of count (killed, wounded, displaced) and the
  numbers differ by more than 10 %;
- **denial**: one gives such a number and the other calls that count a lie, false or exaggerated.

False-positive policy: precision before recall. A wrong "contested" flag tells a reader that
parties disagree when they do not, which is worse than missing a disagreement the table still
shows side by side. So both statements must share a concrete anchor (a place named in both, or the
same kind of count), a place is never a side's own name or its adjective ("Georgia",
"Georgian"), and two *holding* claims (or two *taking* claims) with no negation are not flagged
because without knowing who holds what they may well agree. Measured on the project's own
fixtures (tests/unit/test_digest_contested.py): see docs/digest.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aggregator.digest.model import ContestedClaim, ContestedPoint, ContestKind
from aggregator.digest.words import shown_text
from aggregator.model import EventStatement

FIGURE_TOLERANCE = 0.10
MAX_CLAIMS_PER_POINT = 4

_TAKING = re.compile(
    r"\b(liberat\w*|captur\w*|seiz\w*|took|taken|tak(?:e|es|ing) (?:over|control)|entered|"
    r"overr(?:an|un)|fell|fallen|occup\w*|storm\w*|retak\w*|retook|withdr[ae]w\w*|pull\w* out|"
    r"abandon\w*|destroy\w*|no longer exists)\b",
    re.IGNORECASE,
)
_HOLDING = re.compile(
    r"\b(remain\w*|still|hold|holds|holding|held|repel\w*|repuls\w*|in control|"
    r"under (?:the )?(?:complete |full |firm )?control|control of our|defend\w*|"
    r"in (?:our|their|the) (?:own )?hands|is ours|are ours|firmly)\b",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"\b(control\w*)\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(not|no|never|no longer|nothing|n't|den(?:y|ies|ied)|lie|lies|lying|false\w*|untrue|"
    r"fabricat\w*|baseless|groundless|invent\w*|propaganda|reject\w*|refut\w*|"
    r"exaggerat\w*|nonsense)\b|n't\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"\b(lie|lies|lying|false\w*|untrue|fabricat\w*|baseless|groundless|invent\w*|propaganda|"
    r"exaggerat\w*|inflat\w*|den(?:y|ies|ied)|nonsense|rejects?)\b",
    re.IGNORECASE,
)
# every cue above in one pattern: a statement is scanned once, and the few short matches are
# then sorted into the categories (a match can belong to several, e.g. "lie")
# (it runs over lower-cased text without IGNORECASE, which is about twice as fast)
_CUES = re.compile(
    r"\b(?:"
    + "|".join(f"(?:{p.pattern})" for p in (_TAKING, _HOLDING, _CONTROL, _NEGATION, _DENIAL))
    + ")"
)

# the kinds of count a figure can be about, and the words that name each
_COUNTS: dict[str, re.Pattern[str]] = {
    "killed": re.compile(
        r"\b(kill\w*|dead|deaths?|death toll|died|die|casualt\w*|lives|bodies|massacr\w*|"
        r"genocide|lost|losses)\b",
        re.IGNORECASE,
    ),
    "wounded": re.compile(r"\b(wound\w*|injur\w*)\b", re.IGNORECASE),
    "displaced": re.compile(r"\b(refugees?|displaced|fled|flee\w*|evacuat\w*)\b", re.IGNORECASE),
    "captured": re.compile(
        r"\b(prisoners?|captives?|surrender\w*|taken prisoner|hostages?)\b", re.IGNORECASE
    ),
}

_KIND_NAMES = tuple(_COUNTS)
_KIND_ORDER = {kind: index for index, kind in enumerate(_KIND_NAMES)}
_ANY_COUNT = re.compile(  # over lower-cased text, like _CUES
    "|".join(f"(?P<{kind}>{pattern.pattern})" for kind, pattern in _COUNTS.items())
)

_COUNT_TOPICS = {
    "killed": "number killed",
    "wounded": "number wounded",
    "displaced": "number displaced",
    "captured": "number captured",
}

_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "dozen": 12, "dozens": 36,
    "hundreds": 300, "thousands": 3000, "scores": 60,
}  # fmt: skip
_NUMBER = re.compile(  # over lower-cased text, like _CUES
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|k)\b)?|"
    r"\b(" + "|".join(_NUMBER_WORDS) + r")\b"
)
_YEARLIKE = re.compile(r"^(1[89]|20)\d\d$")
# a figure counts only when a count word is near it ("2,000 civilians ... killed")
_FIGURE_WINDOW = 60
_FIGURE_WINDOW_BEFORE = 40

_ENTITY = re.compile(r"\b([A-Z][\w\-]+(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w\-]+)*)(?:'s|’s)?")
_NOT_PLACES = frozenset(
    """a an the this that these those it its our we they their he she his her i you my
    mr mrs ms dr gen president minister ministry ambassador envoy spokesman spokeswoman secretary
    council security general commander forces army troops government parliament state
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december but and or if in on at for from to with by as
    after before while when there here what who why how speaking later earlier meanwhile however
    un nato eu osce red cross icrc interfax""".split()
)


@dataclass(frozen=True, slots=True)
class _Features:
    statement: EventStatement
    places: frozenset[str]
    taking: bool
    holding: bool
    control: bool
    negated: bool
    denial: bool
    figures: tuple[tuple[str, float, str, str | None], ...]  # (kind, value, as written, who)
    counts: frozenset[str]  # count kinds mentioned at all


def _side_stems(sides: Sequence[str]) -> tuple[str, ...]:
    stems: list[str] = []
    for side in sides:
        for word in side.split():
            if len(word) >= 4:
                # "Georgia" also covers "Georgian", "Russia" covers "Russian(s)"
                stems.append(word.casefold().rstrip("n"))
    return tuple(stems)


def _places(text: str, excluded: tuple[str, ...], names: frozenset[str]) -> frozenset[str]:
    found: set[str] = set()
    for match in _ENTITY.finditer(text):
        words = [w for w in match.group(1).split() if w.casefold() not in _NOT_PLACES]
        if not words:
            continue
        entity = " ".join(words)
        folded = entity.casefold()
        if folded in names or any(folded.startswith(stem) for stem in excluded):
            continue
        if len(entity) < 3 or any(part in names for part in folded.split()):
            continue
        found.add(folded)
    return frozenset(found)


def _number_value(match: re.Match[str]) -> float | None:
    if match.group(3):
        return float(_NUMBER_WORDS[match.group(3).casefold()])
    written = match.group(1)
    digits = written.replace(",", "")
    if "," not in written and _YEARLIKE.match(digits) and not match.group(2):
        return None  # "since 1992" is a date, not a count
    value = float(digits)
    scale = (match.group(2) or "").casefold()
    if scale in ("thousand", "k"):
        value *= 1000
    elif scale == "million":
        value *= 1_000_000
    return value


# who a figure counts: the noun right after the number ("12 Palestinians", "four of its
# soldiers"); a generic noun agrees with any other
_WHO = re.compile(
    r"\s+(?:of\s+(?:its|their|the|our|his|her)\s+)?(?:more\s+|other\s+)?"
    r"([a-z]+)(?:\s+([a-z]+))?(?:\s+([a-z]+))?"
)
_GENERIC_WHO = frozenset("people persons individuals lives dead deaths casualties victims".split())


def _who(text: str, end: int) -> str | None:
    """The plural noun among the three words after a number ("two oradin border guards" ->
    "guards"); "civilian deaths" counts civilians."""
    match = _WHO.match(text, end)
    if match is None:
        return None
    words = [w for w in match.groups() if w]
    for index, word in enumerate(words):
        if word.endswith("s") and len(word) > 3 and word not in _NUMBER_WORDS:
            if word in _GENERIC_WHO and index and words[index - 1] == "civilian":
                return "civilians"
            return word
    return None


_WHO_GROUPS = (
    frozenset("civilians residents inhabitants villagers locals citizens".split()),
    frozenset("soldiers troops servicemen guards personnel fighters militants".split()),
)


def _same_who(a: str | None, b: str | None) -> bool:
    """Whether two figures may count the same people ("12 Palestinians" and "4 soldiers" do
    not; "civilians" and "residents" do; "people" agrees with anyone)."""
    if a is None or b is None or a == b or a in _GENERIC_WHO or b in _GENERIC_WHO:
        return True
    return any(a in group and b in group for group in _WHO_GROUPS)


def _figures(
    text: str, spans: list[tuple[int, int, int]]
) -> tuple[tuple[str, float, str, str | None], ...]:
    """Numbers with a kind of count named near them, in lower-cased ``text``, and whom each
    counts.

    ``spans`` are where each kind of count is named (start, end, index in _COUNTS); a number
    takes the first kind in _COUNTS order named within its window.
    """
    if not spans:
        return ()  # no count named at all: no figure, and no need to look for numbers
    figures: list[tuple[str, float, str, str | None]] = []
    for match in _NUMBER.finditer(text):
        value = _number_value(match)
        if value is None or value < 2:
            continue
        low = max(0, match.start() - _FIGURE_WINDOW_BEFORE)
        high = match.end() + _FIGURE_WINDOW
        kinds = [order for start, end, order in spans if start < high and end > low]
        if kinds:
            who = _who(text, match.end())
            figures.append((_KIND_NAMES[min(kinds)], value, match.group(0).strip(), who))
    return tuple(figures)


def _features(
    statement: EventStatement, excluded: tuple[str, ...], names: frozenset[str]
) -> _Features:
    text = statement.text
    lower = text.lower()
    cues = " | ".join(m.group(0) for m in _CUES.finditer(lower))
    spans = [
        (m.start(), m.end(), _KIND_ORDER[m.lastgroup or ""]) for m in _ANY_COUNT.finditer(lower)
    ]
    return _Features(
        statement=statement,
        places=_places(text, excluded, names),
        taking=bool(cues) and bool(_TAKING.search(cues)),
        holding=bool(cues) and bool(_HOLDING.search(cues)),
        control=bool(cues) and bool(_CONTROL.search(cues)),
        negated=bool(cues) and bool(_NEGATION.search(cues)),
        denial=bool(cues) and bool(_DENIAL.search(cues)),
        figures=_figures(lower, spans),
        counts=frozenset(_KIND_NAMES[order] for _start, _end, order in spans),
    )


def _speaks_of_control(f: _Features) -> bool:
    return f.taking or f.holding or f.control


def _control_conflict(a: _Features, b: _Features) -> str | None:
    shared = a.places & b.places
    if not shared or not (_speaks_of_control(a) and _speaks_of_control(b)):
        return None
    a_take = a.taking and not a.holding
    b_take = b.taking and not b.holding
    a_hold = a.holding and not a.taking
    b_hold = b.holding and not b.taking
    opposite_camps = (a_take and b_hold) or (a_hold and b_take)
    if opposite_camps or a.negated != b.negated:
        return min(shared)
    return None


def _figure_conflict(a: _Features, b: _Features) -> tuple[str, str, str] | None:
    for kind, value_a, written_a, who_a in a.figures:
        for other_kind, value_b, written_b, who_b in b.figures:
            if kind != other_kind or not _same_who(who_a, who_b):
                continue
            if abs(value_a - value_b) > FIGURE_TOLERANCE * max(value_a, value_b):
                return kind, written_a, written_b
    return None


def _denial_conflict(a: _Features, b: _Features) -> str | None:
    # a states a count; b denies it: b names that kind of count or a place a names, and gives
    # no differing figure of its own (quoting a's number in order to deny it still counts)
    if not b.denial:
        return None
    for kind, value, _written, _who_a in a.figures:
        anchored = kind in b.counts or bool(a.places & b.places)
        own = [v for k, v, _, _ in b.figures if k == kind]
        if anchored and all(v == value for v in own):
            return kind
    return None


def _claim(f: _Features, figure: str | None = None) -> ContestedClaim:
    assert f.statement.side is not None
    text = shown_text(f.statement)
    return ContestedClaim(f.statement.side, f.statement.id, text, figure)


def _both_sides(
    claims: Iterable[ContestedClaim], order: dict[str, int]
) -> tuple[ContestedClaim, ...]:
    """At most ``MAX_CLAIMS_PER_POINT`` claims taken in turn from each side (the first claim of
    every side before any side's second), in side order; nothing when fewer than two sides
    remain: a contested point shows both sides or none."""
    by_side: dict[str, list[ContestedClaim]] = {}
    for claim in sorted(claims, key=lambda c: (order.get(c.side, len(order)), c.statement_id)):
        by_side.setdefault(claim.side, []).append(claim)
    if len(by_side) < 2:
        return ()
    chosen: list[ContestedClaim] = []
    for round_ in range(MAX_CLAIMS_PER_POINT):
        for side_claims in by_side.values():
            if round_ < len(side_claims) and len(chosen) < MAX_CLAIMS_PER_POINT:
                chosen.append(side_claims[round_])
    rank = {side: index for index, side in enumerate(by_side)}
    return tuple(sorted(chosen, key=lambda c: (rank[c.side], c.statement_id)))


def find_contested(
    statements: Sequence[EventStatement], sides: Sequence[str] = ()
) -> tuple[ContestedPoint, ...]:
    """Contested points among ``statements`` (one event), in a stable order.

    ``sides`` are the event's sides in display order (claims follow it); their names are never
    taken for places. Statements without a side are never part of a contested point.
    """
    known = [s for s in statements if s.side and not s.commentary]
    all_sides = list(dict.fromkeys([*sides, *(s.side for s in known if s.side)]))
    excluded = _side_stems(all_sides)
    names = frozenset(
        part.casefold()
        for s in known
        for name in (s.speaker, s.actor)
        if name
        for part in name.split()
        if len(part) > 2
    )
    features = [_features(s, excluded, names) for s in known]
    # one point per place and one per kind of count: a denial and a differing figure about the
    # same count are one disagreement, shown once (as a figure when numbers differ)
    points: dict[tuple[str, bool], dict[str, ContestedClaim]] = {}
    kinds: dict[tuple[str, bool], ContestKind] = {}

    def add(topic: str, kind: ContestKind, *claims: ContestedClaim) -> None:
        key = (topic, kind == "control")
        if kinds.get(key) != "figure":
            kinds[key] = kind
        bucket = points.setdefault(key, {})
        for claim in claims:
            if claim.figure is not None or claim.statement_id not in bucket:
                bucket[claim.statement_id] = claim

    for i, a in enumerate(features):
        for b in features[i + 1 :]:
            if a.statement.side == b.statement.side:
                continue
            place = _control_conflict(a, b)
            if place is not None:
                add(_display_place(place, a, b), "control", _claim(a), _claim(b))
            figure = _figure_conflict(a, b)
            if figure is not None:
                kind, written_a, written_b = figure
                add(_COUNT_TOPICS[kind], "figure", _claim(a, written_a), _claim(b, written_b))
            for x, y in ((a, b), (b, a)):
                denied = _denial_conflict(x, y)
                if denied is not None and figure is None:
                    topic = _COUNT_TOPICS[denied]
                    add(topic, "denial", _claim(x, _first_figure(x, denied)), _claim(y))
    order = {side: index for index, side in enumerate(all_sides)}
    result: list[ContestedPoint] = []
    for key, claims in points.items():
        chosen = _both_sides(claims.values(), order)
        if chosen:
            result.append(ContestedPoint(key[0], kinds[key], chosen))
    result.sort(key=lambda p: (p.kind != "control", p.topic))
    return tuple(result)


def contested_pairs(points: Sequence[ContestedPoint]) -> set[frozenset[str]]:
    """Every pair of statement ids that some contested point sets against each other."""
    pairs: set[frozenset[str]] = set()
    for point in points:
        for i, a in enumerate(point.claims):
            for b in point.claims[i + 1 :]:
                if a.side != b.side:
                    pairs.add(frozenset((a.statement_id, b.statement_id)))
    return pairs


def _first_figure(f: _Features, kind: str) -> str | None:
    return next((written for k, _v, written, _who in f.figures if k == kind), None)


def _display_place(folded: str, a: _Features, b: _Features) -> str:
    # recover the place as written (the folded form is only for matching)
    for text in (a.statement.text, b.statement.text):
        index = text.casefold().find(folded)
        if index >= 0:
            return text[index : index + len(folded)]
    return folded
