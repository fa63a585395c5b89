"""Contested points: two sides making opposing claims about the same thing. Best effort, by rule.

Two statements from different (known) sides of one event are a contested pair when

- **control**: both name the same place and speak of who holds it, and they pull opposite ways:
  one says a side *took* it ("liberated", "captured", "entered") while the other says it is
  *held* ("remains under our control", "repelled"), or exactly one of them negates or denies
  ("not", "no longer", "a lie");
- **figure**: both give a number (digest/figures.py) for the same kind of count (killed,
  wounded, displaced) of the same people (digest/counted.py: "9 people" is no count of "three
  soldiers"), not counted in two different places ("in Dunvale", "in Halbrook"), and the
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

from aggregator.digest.counted import same_count
from aggregator.digest.figures import (
    FIGURE_WINDOW,
    KINDS,
    SENTENCE_END,
    Figure,
    count_spans,
    read_figures,
)
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

_COUNT_TOPICS = {
    "killed": "number killed",
    "wounded": "number wounded",
    "displaced": "number displaced",
    "captured": "number captured",
}

_LOCATIVE = re.compile(r"\b(?:in|at|near|across|into|around|outside)\s+(?:the\s+)?(?=[A-Z])")
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
    figures: tuple[Figure, ...]
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
    found = (_place(match, excluded, names) for match in _ENTITY.finditer(text))
    return frozenset(place for place in found if place is not None)


def _place(entity: re.Match[str], excluded: tuple[str, ...], names: frozenset[str]) -> str | None:
    """The place a capitalised name is, folded; None for a side, a speaker, a function word."""
    words = [w for w in entity.group(1).split() if w.casefold() not in _NOT_PLACES]
    joined = " ".join(words)
    folded = joined.casefold()
    if len(joined) < 3 or folded in names or any(folded.startswith(stem) for stem in excluded):
        return None
    if any(part in names for part in folded.split()):
        return None
    return folded


def _figure_place(
    text: str, end: int, excluded: tuple[str, ...], names: frozenset[str]
) -> str | None:
    """Where the figure whose number ends at ``end`` was counted: a place named after "in",
    "near", "across" … in the rest of its sentence ("killed 14 villagers in Dunvale")."""
    window = SENTENCE_END.split(text[end : end + FIGURE_WINDOW], maxsplit=1)[0]
    for locative in _LOCATIVE.finditer(window):
        entity = _ENTITY.match(window, locative.end())
        place = _place(entity, excluded, names) if entity else None
        if place is not None:
            return place
    return None


def _same_place(a: str | None, b: str | None) -> bool:
    """Whether two figures may have been counted in one place ("Dunvale" and "Dunvale District"
    may; "Dunvale" and "Halbrook" may not; a figure that names none may be anywhere)."""
    if a is None or b is None:
        return True
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _features(
    statement: EventStatement, excluded: tuple[str, ...], names: frozenset[str]
) -> _Features:
    text = statement.text
    lower = text.lower()
    cues = " | ".join(m.group(0) for m in _CUES.finditer(lower))
    spans = count_spans(lower)
    cased = text if len(text) == len(lower) else None
    return _Features(
        statement=statement,
        places=_places(text, excluded, names),
        taking=bool(cues) and bool(_TAKING.search(cues)),
        holding=bool(cues) and bool(_HOLDING.search(cues)),
        control=bool(cues) and bool(_CONTROL.search(cues)),
        negated=bool(cues) and bool(_NEGATION.search(cues)),
        denial=bool(cues) and bool(_DENIAL.search(cues)),
        figures=read_figures(
            lower,
            spans,
            cased,
            None if cased is None else lambda end: _figure_place(cased, end, excluded, names),
        ),
        counts=frozenset(KINDS[order] for _start, _end, order in spans),
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
    for x in a.figures:
        for y in b.figures:
            if (
                x.kind != y.kind
                or not same_count(x.who, y.who)
                or not _same_place(x.place, y.place)
            ):
                continue
            if abs(x.value - y.value) > FIGURE_TOLERANCE * max(x.value, y.value):
                return x.kind, x.written, y.written
    return None


def _denial_conflict(a: _Features, b: _Features) -> str | None:
    # a states a count; b denies it: b names that kind of count or a place a names, and gives
    # no differing figure of its own (quoting a's number in order to deny it still counts)
    if not b.denial:
        return None
    for kind, value, *_ in a.figures:
        anchored = kind in b.counts or bool(a.places & b.places)
        own = [figure.value for figure in b.figures if figure.kind == kind]
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
    return next((figure.written for figure in f.figures if figure.kind == kind), None)


def _display_place(folded: str, a: _Features, b: _Features) -> str:
    # recover the place as written (the folded form is only for matching)
    for text in (a.statement.text, b.statement.text):
        index = text.casefold().find(folded)
        if index >= 0:
            return text[index : index + len(folded)]
    return folded
