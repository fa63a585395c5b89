"""Resolving a speaker mention to a canonical actor: names, titles, pronouns, descriptions.

Rules, in order: the gazetteer (whole alias, or a multi-word alias inside the mention); a
surname or "Mr X" resolves to the full name mentioned earlier (else later) in the same text
(and a bare surname the gazetteer knows, "Mrs. Trump", to the one other full name with that
surname the text gives, "Melania Trump"); "he"/"she" to the last person who spoke, "they" to the
last group, "it" to the last institution; "I"/"we" in an official source to the source itself;
"the Russian foreign minister" to the gazetteer description, "the Secretary-General" in an
official source to the gazetteer actor of the source's side who holds that office, else left as
written (the caller may link it to the next named speaker).

Each resolved speaker's side and standing is decided by :func:`aggregator.extract.voice.decide`;
a person keeps it through the text: a later mention that says less ("Araghchi", "he") takes the
standing decided for the fuller one ("Iran's Foreign Minister Abbas Araghchi").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from aggregator.extract.bodies import HOME_OFFICE, STATE_BODY, antecedents, dateline_side
from aggregator.extract.gender import Gender, Genders, given_names, pronoun_gender
from aggregator.extract.lexicon import (
    ABBREVIATED_TITLES,
    ARTICLES,
    BODY_HEADS,
    CAPITAL_RUN,
    COUNTING_WORDS,
    HONORIFICS,
    NAME_PARTICLES,
    OFFICE_WORDS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    SINGLE_TITLES,
    TITLE_RUN,
    TITLE_WORDS,
    TITLES_IN_NAMES,
    alternation,
)
from aggregator.extract.sides import Actor, Gazetteer
from aggregator.extract.speakers import is_name
from aggregator.extract.voice import (
    UNKNOWN,
    SourceVoice,
    Standing,
    decide,
    has_office,
    is_own_body,
    own_voice,
)

_TITLE = re.compile(TITLE_RUN)
# a surname may have an inner capital after a prefix or a hyphen: McCaskill, DeSantis,
# Shanklin-Hawkins (not EgyptAir)
_SURNAME = r"(?:(?:Mc|Mac|De|Di|Du|La|Le)(?=[A-Z]))?[A-Z][a-z’'-]+(?:(?<=-)[A-Z][a-z’'-]+)?"
_NAME_RUN = re.compile(
    r"\b[A-Z][a-z’'-]+(?:\s+(?:[A-Z]\.?|" + _SURNAME + r"|de|van|von|der|bin|al)){1,3}\b"
)
# words that are no part of a personal name inside a run of capitals ("Mr. Lavrov", "US")
_TITLE_WORDS = (
    (SINGLE_TITLES - TITLES_IN_NAMES)
    | {title.lower() + "." for title in ABBREVIATED_TITLES}
    | ARTICLES
    | {"us", "u.s.", "uk", "un"}
)
# a name starts after the last of these ("Interior Minister Jonas Petrauskas")
_NAME_TITLES = (
    TITLE_WORDS
    | OFFICE_WORDS
    | ARTICLES
    | frozenset(
        "former majority minority house senate whip lady but and when if as in on at after "
        "while so yet or then now some".split()
    )
)
# capitalised words before a surname that are no part of a name ("But Rahman", "Mr Rahman")
_NOT_NAME_PARTS = _NAME_TITLES | HONORIFICS
_GROUP_HINT = re.compile(
    r"\b(?:officials|officers|commanders|separatists|rebels|forces|troops|leaders|"
    r"diplomats|ministers|sources|analysts|experts|critics|residents|witnesses|aides|"
    r"members|supporters|democrats|republicans|insiders|people|police|protesters|voters)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a mention stands for, and the standing decided for it (aggregator.extract.voice)."""

    actor: str | None
    kind: str  # person | group | institution | unknown
    side: str | None
    role: str | None
    described: bool = False  # a bare description with no name ("the Russian foreign minister")
    commentary: bool = False
    rule: str = "unknown"  # the rule of voice.decide that gave the side

    def with_standing(self, standing: Standing) -> Resolution:
        """This resolution with ``standing``'s side, commentary and rule."""
        return Resolution(
            self.actor,
            self.kind,
            standing.side,
            self.role,
            self.described,
            standing.commentary,
            standing.rule,
        )

    @property
    def decided(self) -> bool:
        """Whether a rule gave a side or found a commentator."""
        return self.side is not None or self.commentary


def _strip_title(name: str) -> str:
    return _TITLE.sub("", name.strip()).strip()


class Resolver:
    """Stateful over one text: remembers who was named, how they stand, and who spoke last."""

    def __init__(self, text: str, gazetteer: Gazetteer, voice: SourceVoice | None = None) -> None:
        self._gazetteer = gazetteer
        self._text = text
        self._voice = voice
        self._surnames: dict[str, str] = {}
        self._setting: tuple[str | None] | None = None  # the dateline's side, read once
        self._last_at: dict[str, int] = {}  # where the last person, group, institution was named
        self._last: dict[str, Resolution] = {}
        # each person's best-known resolution (a decided side, a role) by canonical name
        self._people: dict[str, Resolution] = {}
        # every full name in the text by its surname, in text order, so a surname can find its
        # full form anywhere in the text (indexed once: scanning every name of the text for
        # each mention made a long text with many names quadratic)
        self._names: dict[str, tuple[list[int], list[str]]] = {}
        # the same full names in text order, and the genders the text tells (pronoun agreement)
        self._named: list[tuple[int, str]] = []
        self._genders = Genders(text)
        # the people resolved: where, and their gender
        self._spoken: list[tuple[int, Resolution, Gender | None]] = []
        # where each surname is first written alone, from its first full name on (_first_bare)
        self._bare: dict[str, int | None] = {}
        for m in _NAME_RUN.finditer(text):
            words = m.group(0).split()
            # "Interior Minister Jonas Petrauskas": the name is what follows the last title
            cut = max(
                (i + 1 for i, w in enumerate(words) if w.lower().rstrip(".") in _NAME_TITLES),
                default=0,
            )
            if len(words) - cut >= 2:
                name = " ".join(words[cut:])
                if not _TITLE.match(name + " "):
                    starts, names = self._names.setdefault(name.split()[-1], ([], []))
                    starts.append(m.start())
                    names.append(name)
                    self._named.append((m.start(), name))

    def _one_bearer(self, name: str) -> bool:
        """Whether the text names no one else with this person's surname."""
        surname = name.split()[-1]
        known = self._surnames.get(surname)
        others = set(self._names.get(surname, ([], []))[1]) - {name}
        return not others and (known is None or known == name)

    def _full_name(self, surname: str, position: int) -> str | None:
        """The surname's full form: a known one, else the last given before ``position``,
        else the first after it."""
        known = self._surnames.get(surname)
        found = self._names.get(surname)
        if known and (found is None or len(set(found[1])) < 2):
            return known
        if found is None:
            return None
        # two people of one surname in the text ("Anna Verlind … Tomas Verlind … Verlind
        # added"): of those named before the mention, the last who has spoken ("Iqbal said"
        # goes on quoting Ahsan Iqbal after the poet "Allama Muhammad Iqbal" was named in
        # passing), else the one the text's first bare surname stood for ("Tarique Rahman …
        # Rahman, 60, son of … President Ziaur Rahman, … Rahman urged calm": the son, named
        # before that first "Rahman"; his father is named after it, in passing), else the
        # one named last
        starts, names = found
        index = bisect_left(starts, position)  # names[:index] start before ``position``
        if index == 0:
            return names[0]
        spoken = {resolution.actor for _, resolution, _ in self._spoken}
        before = names[:index]
        speaker = next((name for name in reversed(before) if name in spoken), None)
        if speaker is not None:
            return speaker
        first = self._first_bare(surname, starts[0], position)
        if first is not None:
            return names[bisect_left(starts, first) - 1]
        return before[-1]

    def _first_bare(self, surname: str, start: int, end: int) -> int | None:
        """Where the text first writes ``surname`` alone between ``start`` (its first full
        name) and ``end``: not inside a run of capitals with a name before it ("President
        Ziaur Rahman"; "But Rahman" and "Mr Rahman" are the surname alone). Read once per
        surname."""
        if surname not in self._bare:
            self._bare[surname] = self._first_bare_from(surname, start)
        found = self._bare[surname]
        return found if found is not None and found < end else None

    def _first_bare_from(self, surname: str, start: int) -> int | None:
        pattern = re.compile(r"(?<![\w’'-])" + re.escape(surname) + r"(?![\w-])")
        for match in pattern.finditer(self._text, start):
            before = self._text[max(start, match.start() - 40) : match.start()].split()
            word = before[-1] if before else ""
            if (
                not word[:1].isupper()
                or word.endswith((".", ",", ":", ";"))
                or word.lower().rstrip(".") in _NOT_NAME_PARTS
            ):
                return match.start()
        return None

    def resolve(self, mention: str, role: str | None, position: int) -> Resolution:
        """Resolve one mention at ``position`` (its offset) and remember it."""
        low = mention.strip().lower()
        if low in PERSON_PRONOUNS:
            wanted = pronoun_gender(low)
            subject = self._nearer_subject(position, wanted)
            if subject is not None:
                return subject
            last = self._last.get("person")
            if last is not None and not self._agrees(last, wanted):
                # "she said" after Mr. Obama spoke: the last one it can be, else no one
                last = self._agreeing(position, wanted)
                if last is not None:
                    self._last["person"] = last
                    self._last_at["person"] = position
            return last if last is not None else Resolution(None, "person", None, None)
        if low in {"they", "their"}:
            subject = self._plural_subject(position)
            if subject is not None:
                return subject
            return self._last.get("group") or Resolution(None, "group", None, None)
        if low in {"it", "its"}:
            return self._last.get("institution") or Resolution(None, "institution", None, None)
        if low in {"i", "we", "you"} or low.startswith(("we,", "we ")):
            standing = own_voice(mention, role, self._voice)
            if standing.side is not None and self._voice is not None:
                # the official source speaking in its own first person
                return Resolution(self._voice.publisher, "institution", None, None).with_standing(
                    standing
                )
            return Resolution(None, "unknown", None, None)
        result = self._remembered(self._resolve_named(mention, role, position), mention, role)
        if result.kind in {"person", "group", "institution"} and result.actor:
            self._last[result.kind] = result
            self._last_at[result.kind] = position
            if result.kind == "person":
                self._spoken.append((position, result, self._gender(result)))
        return result

    def _gender(self, result: Resolution) -> Gender | None:
        return self._genders.of(result.actor, result.role)

    def _agrees(self, result: Resolution, wanted: Gender | None) -> bool:
        """Whether a pronoun of gender ``wanted`` may stand for ``result`` (an unknown gender
        agrees with either)."""
        if wanted is None:
            return True
        found = self._gender(result)
        return found is None or found == wanted

    def _agreeing(self, position: int, wanted: Gender | None) -> Resolution | None:
        """The person a pronoun of gender ``wanted`` at ``position`` stands for when the last
        speaker cannot: of the people before the pronoun's own quotation whose gender is known
        to agree (a speaker, a form of address, "Mrs. Clinton", or a full name the text gives,
        "Hillary Clinton"), the one in the latest paragraph, a speaker before a person only
        named in the same paragraph; None when there is none (a speaker of unknown gender was
        tried: most were a group or an outlet the pronoun cannot stand for, "ESPN", "Several
        Democrats")."""
        limit = self._quote_start(position)
        found: list[tuple[int, int, int, str, Resolution | None]] = []
        for at, spoken, gender in reversed(self._spoken[-_SPOKEN_TRIES:]):
            if at < limit and gender == wanted:
                found.append((self._paragraph(at), 1, at, "", spoken))
                break
        addressed = self._genders.addressed
        last = self._genders.before(limit) - 1
        for index in range(last, max(last - _SPOKEN_TRIES, -1), -1):
            at, surname, gender = addressed[index]
            name = self._addressed_name(surname, at, wanted) if gender == wanted else None
            if name is not None:
                found.append((self._paragraph(at), 0, at, name, None))
                break
        before = bisect_left(self._named, (limit, ""))
        for at, name in reversed(self._named[max(before - _NAMED_TRIES, 0) : before]):
            if self._genders.of(name) == wanted:
                found.append((self._paragraph(at), 0, at, name, None))
                break
        for _, _, at, name, speaker in sorted(found, reverse=True, key=lambda f: f[:2]):
            if speaker is not None:
                return speaker
            resolved = self._remembered(self._resolve_named(name, None, at), name, None)
            if resolved.kind == "person" and resolved.actor and self._agrees(resolved, wanted):
                return resolved
        return None

    def _paragraph(self, position: int) -> int:
        """Where the paragraph holding ``position`` starts."""
        return self._text.rfind("\n", 0, position) + 1

    def _quote_start(self, position: int) -> int:
        """Where the quotation a pronoun at ``position`` closes opens ("'Nancy Pelosi has
        failed,' she said": the names inside are what was said, not who said it); else
        ``position``."""
        before = self._text[max(position - 4, 0) : position].rstrip()
        if before.endswith(("”", "”,", '"', '",')):
            closing = max(position - 4, 0) + before.rindex("”" if "”" in before else '"')
            opening = self._text.rfind("“" if "”" in before else '"', 0, closing)
            if opening >= 0:
                return opening
        return position

    def _addressed_name(self, surname: str, position: int, wanted: Gender | None) -> str | None:
        """The full name a form of address at ``position`` stands for: of the text's full names
        with that surname (the nearest before it first), one of the gender ``wanted``, else
        one of unknown gender ("Mrs. Clinton" is Hillary Clinton, not Bill Clinton named
        after her); None when the text gives the surname in full to no one who agrees."""
        starts, names = self._names.get(surname, ([], []))
        index = bisect_left(starts, position)
        order = [*reversed(names[:index]), *names[index:]]
        genders = [self._genders.of(name) for name in order]
        for wanted_gender in (wanted, None):
            for name, gender in zip(order, genders, strict=True):
                if gender == wanted_gender:
                    return name
        return None

    def _remembered(self, result: Resolution, mention: str, role: str | None) -> Resolution:
        """Rule 5 of voice.decide: a person whose mention decides nothing takes the standing (and
        role) decided for them earlier in the text; rule 6 comes after it."""
        name = result.actor
        if result.kind != "person" or not name:
            return result
        known = self._people.get(name)
        if not result.decided and known is not None and known.decided:
            result = Resolution(
                result.actor,
                result.kind,
                known.side,
                result.role or known.role,
                result.described,
                known.commentary,
                "link",
            )
        elif not result.role and known is not None and known.role and self._one_bearer(name):
            # "Republican nominee Donald Trump said …" … "Trump added": the role the text
            # gave the person earlier, even where it decided no side (only when no one else in
            # the text bears the surname: "Trump added" after Donald and Eric Trump is either)
            result = replace(result, role=known.role)
        if not result.decided:
            voiced = own_voice(mention, role, self._voice)
            if voiced.side is not None:
                result = result.with_standing(voiced)
        if (
            known is None
            or (result.decided and not known.decided)
            or (result.role and not known.role)
        ):
            self._people[name] = result
        return result

    def _resolve_named(self, mention: str, role: str | None, position: int) -> Resolution:
        written = " ".join(mention.split())
        joint = self._joint(written, role)
        if joint is not None:
            return joint
        person = _person_name(written, self._gazetteer)
        found = self._gazetteer_actor(written, person, role)
        if isinstance(found, Resolution):
            return found
        actor = found if found is not None or not person else self._gazetteer.actor(person)
        if actor is not None and named_in_object(written, actor):
            # "critics of Vladimir Putin": someone else's phrase names the actor
            actor = person = None
        if actor is not None:
            return self._resolve_known(actor, written, role)
        described = self._gazetteer.described(written) or self._office_holder(written)
        if described is not None:
            standing = self._decide(written, role, described=described)
            resolved = Resolution(described.name, "person", None, _best_role(role, described.role))
            return resolved.with_standing(standing)
        return self._resolve_unknown(written, person, role, position)

    def _joint(self, written: str, role: str | None) -> Resolution | None:
        """Two names that speak together ("Israel and Hamas", "Trump and Vance"): the pair is
        the speaker, with the side both share, else none (no one party's column holds it)."""
        pair = _PAIR.fullmatch(written)
        if pair is None:
            return None
        if not (is_name(pair.group(1)) and is_name(pair.group(2))):
            return self._joint_owners(written, role)
        if self._gazetteer.is_place(written) or _names_whole(
            self._gazetteer.actor(written), written
        ):
            return None  # one name with "and" in it: "Trinidad and Tobago"
        parts = (pair.group(1), pair.group(2))
        if not all(self._speaks_alone(part) for part in parts):
            return None  # "Foreign and Commonwealth Secretary David Lammy": one office
        standings = [self._decide(part, None, known=self._gazetteer.actor(part)) for part in parts]
        # the side the parts that have one agree on ("Mr. Smith and Vance": Vance's)
        sides = {standing.side for standing in standings if standing.side}
        side = sides.pop() if len(sides) == 1 else None
        commentary = all(standing.commentary for standing in standings)
        return Resolution(written, "group", None, role).with_standing(
            Standing(side, commentary, "joint")
        )

    def _joint_owners(self, written: str, role: str | None) -> Resolution | None:
        """Officials of two parties named together ("the foreign ministers of France and
        Germany", "officials of the German and UK militaries"): the officials speak for both,
        in no one party's column. Owners of one side, or of none ("the Department of Health and
        Human Services"), are left to the other rules."""
        owners = _OWNERS_PAIR.fullmatch(written)
        if owners is None:
            return None
        head = owners.group(1)
        sides = {
            self._decide(head + owner, None).side for owner in (owners.group(2), owners.group(3))
        }
        if None in sides or len(sides) < 2:
            return None
        return Resolution(written, "group", None, role).with_standing(
            Standing(None, False, "joint")
        )

    def _speaks_alone(self, part: str) -> bool:
        """Whether one half of "X and Y" can speak on its own: a place or an actor the
        gazetteer knows, or a personal name (one title at most, then two or three names, or
        an honorific and a surname); not an office's first word ("Foreign", "Health")."""
        gazetteer = self._gazetteer
        if gazetteer.is_place(part) or _names_whole(gazetteer.actor(part), part):
            return True
        words = part.split()
        if words and words[0].lower().rstrip(".") in _NAME_TITLES:
            words = words[1:]  # "Mr. Schultz", "President Trump"
        if not 1 <= len(words) <= 3 or any(w.lower().rstrip(".") in _TITLE_WORDS for w in words):
            return False
        return (
            len(words) >= 2
            or len(part.split()) == 2
            or gazetteer.actor(words[0]) is not None
            or words[0] in self._names  # the surname of a full name the text gives
        )

    def _gazetteer_actor(
        self, written: str, person: str | None, role: str | None
    ) -> Actor | Resolution | None:
        """The actor the gazetteer knows for the mention, or the person it names when a body
        or an owner is named with them."""
        gazetteer = self._gazetteer
        actor = gazetteer.actor(written)
        if person is None or len(person.split()) < 2 or actor is None:
            return actor
        if _names_whole(actor, written):
            return actor  # "The Food and Agriculture Organization": no person inside
        if actor.kind in {"media", "ngo", "institution", "state", "group"}:
            known = gazetteer.actor(person)
            if known is None:
                # "The BBC's James Rodgers", "the Kremlin's Dmitry Peskov": the person speaks
                # and stands where the body stands (an outlet's reporter is commentary)
                return self._person(person, role, self._decide(written, role, known=actor))
            if known.kind == "person":
                # "White House press secretary Karoline Leavitt": the body named first is the
                # person's office; the person the gazetteer knows speaks
                actor = known
        if (
            actor.kind == "person"
            and person.split()[-1] not in actor.name.split()
            and _POSSESSIVE.search(written)
        ):
            # "Donald Trump's longtime confidant Roger Stone": the owner does not speak
            known = gazetteer.actor(person)
            if known is not None:
                return self._known(known, role)
            return self._person(person, role, self._decide(person, role))
        return actor

    def _resolve_known(self, actor: Actor, written: str, role: str | None) -> Resolution:
        if actor.kind == "person":
            other = self._other_bearer(written, actor)
            if other is not None:
                # "Mrs. Trump" in a text that names only Melania Trump in full
                return self._person(other, role, self._decide(other, role))
            self._surnames.setdefault(actor.name.split()[-1], actor.name)
        return self._known(actor, role)

    def _resolve_unknown(
        self, written: str, person: str | None, role: str | None, position: int
    ) -> Resolution:
        """A mention the gazetteer does not know: a group, a person named in the text, a
        description of one, or an institution."""
        standing = self._decide(written, role)
        if standing.rule == "unknown":
            standing = self._in_context(written, role, position, standing, named=bool(person))
        if standing.rule == "source" and self._voice is not None and is_own_body(written):
            # "the Ministry said" on the ministry's own feed: the source speaks
            publisher = self._voice.publisher
            return Resolution(publisher, "institution", None, role).with_standing(standing)
        if _GROUP_HINT.search(written) and not person:
            return Resolution(written, "group", None, role).with_standing(standing)
        if person:
            if len(person.split()) == 1:
                full = self._full_name(person, position)
                if full is not None:
                    known = self._gazetteer.actor(full)
                    if known is not None:
                        return self._known(known, role)
                    return self._person(full, role, standing)
            return self._person(person, role, standing)
        if is_description(written):
            holder = None if standing.side is not None else self._earlier_holder(written)
            if holder is not None:
                # "PM Shehbaz said …" … "the premier stressed": the office holder named before
                return holder
            epithet = self._epithet_of(written, role, position)
            if epithet is not None:
                return epithet
            return Resolution(written, "person", None, role or written, True).with_standing(
                standing
            )
        return Resolution(written, "institution", None, role).with_standing(standing)

    def _in_context(
        self, written: str, role: str | None, position: int, standing: Standing, *, named: bool
    ) -> Standing:
        """A mention that decides nothing alone: the body it refers back to ("the group" after
        "Palestinian group Hamas"), else the dateline's state for a state body ("the police"),
        else the source's own state for a national office named bare ("the Foreign Office",
        "Planning Minister X" in a paper based in that state; never a bare "the minister")."""
        body = self._owner_pronoun(written, role, position)
        if body is not None:
            return Standing(body.side, body.commentary, "back-reference")
        candidates = antecedents(self._text, written, position)
        for index, phrase in enumerate(candidates):
            if index < _MAX_ANTECEDENTS:
                # "the FO said" as a statement's issuer: the acronym's own antecedent
                candidates.extend(antecedents(self._text, phrase, position))
            found = self._decide(phrase, None, known=self._gazetteer.actor(phrase))
            if found.side is not None or found.commentary:
                return Standing(found.side, found.commentary, "back-reference")
            if self._home(phrase, None, named=False):
                return Standing(self._home_side, False, "back-reference")
        if STATE_BODY.search(written) or (role and STATE_BODY.search(role)):
            if self._setting is None:
                self._setting = (dateline_side(self._text, self._gazetteer),)
            if self._setting[0] is not None:
                return Standing(self._setting[0], False, "dateline")
        if self._home(written, role, named=named):
            return Standing(self._home_side, False, "home")
        return standing

    def _owner_pronoun(self, written: str, role: str | None, position: int) -> Resolution | None:
        """The body an office's possessive pronoun stands for ("Amnesty International has
        demanded … Its secretary general, Agnès Callamard, said": Amnesty's, so commentary):
        the last body named, in the pronoun's sentence or the one before, when its standing is
        decided."""
        if not any(_ITS_OFFICE.match(text) for text in (written, role) if text):
            return None
        body = self._last.get("institution")
        at = self._last_at.get("institution", -1)
        if body is None or not body.decided or at < 0 or position - at > _PARAGRAPH:
            return None
        # the body named in the pronoun's sentence or the one before it; further back,
        # another body may have been named in between ("… Gazprom cut supplies. Its chief …")
        if len(_SENTENCE_END.findall(self._text, at, position)) > 1:
            return None
        return body

    @property
    def _home_side(self) -> str | None:
        return self._voice.country if self._voice is not None else None

    def _home(self, written: str, role: str | None, *, named: bool) -> bool:
        """Whether a mention names a national office of the source's own state, bare."""
        if self._home_side is None:
            return False
        found = HOME_OFFICE.search(written) or (role and HOME_OFFICE.search(role))
        if not found:
            return False
        # "the minister" alone may be anyone's; a body ("the Foreign Office spokesperson") or a
        # named office holder is the paper's
        return (
            named
            or not is_description(written)
            or not found.group(0).lower().startswith("minister")
        )

    def _nearer_subject(self, position: int, wanted: Gender | None = None) -> Resolution | None:
        """A person the gazetteer knows who opens a sentence of the pronoun's paragraph after the
        last speaker was named ("Kallas said … Marco Rubio met her on Monday. 'We are united,' he
        said": Rubio), rather than the last speaker the pronoun would jump back to."""
        paragraph = self._text.rfind("\n", 0, position) + 1
        if self._text.startswith(_OPENING_QUOTES, paragraph) and paragraph > 1:
            # a paragraph that opens with the quotation the pronoun attributes is the words of
            # the one the paragraph before was about ("Prime Minister X extended felicitations
            # to Y.\n\n“I look forward …,” he said."): read that paragraph too
            paragraph = self._paragraph_before(position)
        # a paragraph is short; a text without breaks is read no further back than a paragraph
        since = max(paragraph, self._last_at.get("person", -1) + 1, position - _PARAGRAPH)
        last = self._last.get("person")
        found: Resolution | None = None
        for match in _SENTENCE_SUBJECT.finditer(self._text, since, position):
            actor = self._gazetteer.actor(match.group(1) or match.group(2))
            if actor is not None and actor.kind == "person" and actor.name != (last and last.actor):
                candidate = self._known(actor, None)
                if self._agrees(candidate, wanted):
                    found = candidate
        if found is not None:
            self._last["person"] = found
            self._last_at["person"] = position
        return found

    def _plural_subject(self, position: int) -> Resolution | None:
        """A body of people that opens a sentence of the pronoun's paragraph after the last group
        spoke ("Kenyan prosecutors are charging a man who they say planned …": the
        prosecutors; "Ukrainian officials met … in Geneva. They said …": the officials)."""
        paragraph = self._text.rfind("\n", 0, position) + 1
        since = max(paragraph, self._last_at.get("group", -1) + 1, position - _PARAGRAPH)
        matches = list(_PLURAL_SUBJECT.finditer(self._text, since, position))
        found: Resolution | None = None
        # the nearest first, and only a few: each costs a lookup and a decision, and a text of
        # many such sentences and many pronouns must stay linear
        for match in reversed(matches[-_PLURAL_TRIES:]):
            phrase = match.group(1)
            actor = self._gazetteer.actor(phrase)
            if actor is not None and actor.kind == "person":
                continue
            if actor is not None:
                found = replace(self._known(actor, None), kind="group")
            else:
                standing = self._decide(phrase, None)
                found = Resolution(phrase, "group", None, None).with_standing(standing)
            break
        if found is not None:
            self._last["group"] = found
            self._last_at["group"] = position
        return found

    def _earlier_holder(self, written: str) -> Resolution | None:
        """The person named last before a bare description ("the premier") whose decided role
        holds its office, when that person is the last one named with a side."""
        office = _OFFICE_WORD.search(written)
        if office is None or not written.strip().lower().startswith("the "):
            return None
        words = _OFFICE_SYNONYMS.get(office.group(0).lower(), (office.group(0).lower(),))
        last = self._last.get("person")
        if last is None or not last.decided or not last.role:
            return None
        role = last.role.lower()
        return last if any(w in role for w in words) else None

    def _epithet_of(self, written: str, role: str | None, position: int) -> Resolution | None:
        """The person last named, in the paragraph or the one before, whom a definite epithet
        of distinction refers back to: "Muhammad Yunus stepped down …\n\n“…,” the 85-year-old
        Nobel Peace Prize winner said" (not an age alone: "the 34-year-old" is as often the
        unnamed suspect an official spoke of)."""
        words = written.strip()
        if not words.lower().startswith("the ") or _DISTINCTION.search(words) is None:
            return None
        before = bisect_left(self._named, (position, ""))
        if not before:
            return None
        at, name = self._named[before - 1]
        if at < self._paragraph_before(position) or position - at > _PARAGRAPH:
            return None
        known = self._gazetteer.actor(name)
        if known is not None and known.kind == "person":
            return self._known(known, role)
        if known is not None or name.split()[0].casefold() not in given_names():
            return None  # a body ("Amnesty International"), or no one's given name
        return self._person(name, role, self._decide(name, role))

    def _paragraph_before(self, position: int) -> int:
        """Where the paragraph before the one holding ``position`` starts (blank lines
        between them skipped)."""
        end = self._text.rfind("\n", 0, position)
        while end > 0 and self._text[end - 1].isspace():
            end -= 1
        return self._text.rfind("\n", 0, max(end, 0)) + 1

    def _decide(
        self,
        mention: str,
        role: str | None,
        *,
        known: Actor | None = None,
        described: Actor | None = None,
    ) -> Standing:
        return decide(
            mention, role, self._gazetteer, known=known, described=described, voice=self._voice
        )

    def _known(self, actor: Actor, role: str | None) -> Resolution:
        """A gazetteer actor: its own name, the article's role for it, its standing."""
        kind = "person" if actor.kind == "person" else "institution"
        resolved = Resolution(actor.name, kind, None, _best_role(role, actor.role))
        return resolved.with_standing(self._decide(actor.name, role, known=actor))

    def _other_bearer(self, written: str, actor: Actor) -> str | None:
        """The full name the text gives to a surname that the gazetteer knows as someone else's:
        "Mrs. Trump" where the text names Melania Trump, and not Donald Trump, in full."""
        bare = _strip_title(written)
        if len(bare.split()) != 1:
            return None
        holders = set(self._names.get(bare, ([], []))[1])
        others = {name for name in holders if self._gazetteer.actor(name) is not actor}
        if len(others) == 1 and len(holders) == len(others):
            return others.pop()
        return None

    def _office_holder(self, written: str) -> Actor | None:
        """In an official source, the gazetteer actor of its side who holds the office a bare
        description names ("the Secretary-General" on the UN's own news)."""
        voice = self._voice
        if voice is None or not voice.official or voice.side is None:
            return None
        office = _DETERMINERS.sub("", written.strip()).casefold()
        if not office or not written.strip().lower().startswith("the ") or " " in office.strip():
            return None
        holders = [
            actor
            for actor in self._gazetteer.actors
            if actor.side == voice.side
            and actor.kind == "person"
            and actor.role
            and "(" not in actor.role  # a current office, not a past one
            and re.search(rf"(?<![\w-]){re.escape(office)}(?![\w-])", actor.role.casefold())
        ]
        return holders[0] if len(holders) == 1 else None

    def _person(self, name: str, role: str | None, standing: Standing = UNKNOWN) -> Resolution:
        words = name.split()
        if len(words) >= 2:
            self._surnames.setdefault(words[-1], name)
        return Resolution(name, "person", None, role).with_standing(standing)


_DETERMINERS = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s\s")
_PERSON_NOUNS = re.compile(r"\b(?:" + "|".join(PERSON_NOUNS) + r")\b", re.IGNORECASE)


# a name that opens a sentence (its subject): "… Monday. Marco Rubio met her"
_SENTENCE_SUBJECT = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"]\s))(?:"
    # a possessive name, after a title with "of" and abbreviations: "U.S. Secretary of State
    # Marco Rubio’s visit …" (the person whose act the sentence tells)
    r"((?:[A-Z][\w.-]*\s+(?:of\s+)?){0,5}[A-Z][\w-]+)[’']s\s+[a-z]"
    r"|((?:[A-Z][\w’'-]+\s+){0,3}[A-Z][\w’'-]+)(?=\s+[a-z]))",
    re.MULTILINE,
)
# people in the plural who open a sentence: "Kenyan prosecutors", "The rebels", "Israeli
# security officials" (after a dateline's dash too)
_PLURAL_SUBJECT = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"]\s)|(?<=—\s))((?:The\s+)?(?:[A-Z][\w’'-]+\s+)?"
    r"(?:[a-z][\w-]+\s+)?(?:officials|prosecutors|authorities|police|rebels|militants|"
    r"ministers|diplomats|lawmakers|legislators|leaders|negotiators|investigators|troops|"
    r"forces|commanders|separatists|officers|governments|ministries|senators|judges))"
    r"(?=[\s,])",
    re.MULTILINE,
)
_PARAGRAPH = 1500  # characters
_SENTENCE_END = re.compile(r"[.!?][”\"’]?\s")
# an office owned by a pronoun: "Its secretary general", "its spokesman"
_ITS_OFFICE = re.compile(r"\s*its\s+(?:[\w-]+\s+){0,2}?(?:" + "|".join(PERSON_NOUNS) + r")\b", re.I)
_OPENING_QUOTES = ("“", '"', "‘", "«")
_PLURAL_TRIES = 3  # plural subjects a "they" looks back over
_NAMED_TRIES = 12  # full names a pronoun that agrees with no speaker looks back over
_SPOKEN_TRIES = 50  # speakers, and forms of address, it looks back over (a long text of many
# pronouns stays linear)
_MAX_ANTECEDENTS = 8  # candidates whose own antecedents are looked up too
_OFFICE_WORD = re.compile(
    r"\b(?:premier|prime minister|president|chancellor|foreign minister|minister|"
    r"secretary-general|secretary|spokes(?:man|woman|person))$",
    re.IGNORECASE,
)
_OFFICE_SYNONYMS = {
    "premier": ("premier", "prime minister"),
    "prime minister": ("premier", "prime minister"),
}


def _best_role(written: str | None, known: str | None) -> str | None:
    """The article's own description, unless it is only a title ("Mr", "President")."""
    if (
        written
        and (len(written.split()) >= 2 or _PERSON_NOUNS.search(written))
        and not (_TITLE.fullmatch(written + " "))
    ):
        return written
    return known or written


# two speakers named together: "Israel and Hamas", "Both Mr. King and Mr. Schultz"
_PAIR = re.compile(r"(?:[Bb]oth\s+)?(\S.*?)\s+and\s+(\S.*)")


# the owners named together in an "of"/"for" phrase: "the foreign ministers of France and
# Germany" -> "the foreign ministers of ", "France", "Germany"
_OWNERS_PAIR = re.compile(r"(\S.*?\s(?:of|for)\s+(?:the\s+)?)(\S.*?)\s+and\s+(?:the\s+)?(\S.*)")


def _names_whole(actor: Actor | None, written: str) -> bool:
    """Whether ``written`` is the actor's name or one of its aliases, whole."""
    if actor is None:
        return False
    folded = written.casefold().removeprefix("the ")
    return any(n.casefold().removeprefix("the ") == folded for n in (actor.name, *actor.aliases))


# a possessive owner before a name: "the BBC's John Simpson"
_POSSESSIVE = re.compile(r"[’']s\s+")

# a preposition that opens the phrase an actor is named in, at the end of what comes before
_OBJECT_OPENING = re.compile(
    r"(?<!\w)(?:at|against|on|over|about|with|to|towards?|outside|near|into|after|before|"
    r"behind|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# people who speak for whoever they serve, as an office does ("an adviser of the president")
_SERVING = re.compile(r"\b(?:advis[eo]rs?|aides?|members?|staff(?:ers)?)\b", re.IGNORECASE)


def _word_at(text: str, words: str) -> int | None:
    """Where ``words`` first stand in ``text`` as whole words, or None."""
    at = text.find(words)
    while at >= 0:
        end = at + len(words)
        if (at == 0 or not text[at - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            return at
        at = text.find(words, at + 1)
    return None


def named_in_object(mention: str, actor: Actor) -> bool:
    """Whether the actor is named only inside a phrase that belongs to someone else: "Forty groups
    hit out on Monday at the EU", "protesters outside the EU", "critics of Putin", "an analyst
    at the EU" are not the EU or Putin. An office or an aide before the preposition is the
    actor's own ("officials at NATO", "the head of the UN agency", "an adviser of the
    president"), and so is a name that opens the mention. "for", "from", "in" and "by" name
    whom a speaker works for or whose words they are ("a reporter for AFP", "a diplomat from
    Russia", "a count by the AP"): not read here."""
    # lower() keeps offsets but for a few letters ("İ"): then as written
    folded = mention.lower() if len(mention.lower()) == len(mention) else mention
    found = (_word_at(folded, name.lower()) for name in (actor.name, *actor.aliases))
    first = min((at for at in found if at is not None), default=None)
    if not first:
        return False  # not found as written (a description, another script), or it opens
    before = mention[:first]
    opening = _OBJECT_OPENING.search(before)
    if opening is None:
        return False
    head = before[: opening.start()]
    return not has_office(head) and _SERVING.search(head) is None


# a body's head noun and the phrase that opens its own name: "the Department of ", "the
# Centers for " (the capitals after it name the body, not a person)
_BODY_HEAD = alternation(tuple(BODY_HEADS))
_BODY_OF = re.compile(rf"\b(?:{_BODY_HEAD})\s+(?:of|for)\s+(?:the\s+)?$", re.IGNORECASE)
_BODY_LAST = re.compile(rf"\s(?:{_BODY_HEAD})$", re.IGNORECASE)
# what joins the parts of one body's name: "Health and Human Services", "Sciences, Engineering"
_NAME_GOES_ON = re.compile(r",?\s+and\s+|,\s+")
_OF_BEFORE = re.compile(r"\s(?:of|for)\s+(?:the\s+)?$")
_REST_OF_NAME = re.compile(r"(?:(?:,?\s+and\s+|,\s+)[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)*\s*")


def _in_body_name(
    mention: str, match: re.Match[str], body_end: int | None, gazetteer: Gazetteer
) -> bool:
    """Whether a run of capitals names a body or an office's field rather than a person: "the
    Department of Homeland Security", "the Centers for Disease Control and Prevention", "the
    Parks and Recreation Department", "the Minister for Foreign Affairs and Trade" (but
    "Ministry of Defence Spokesman John Kirby" holds a person)."""
    words = match.group(0).split()
    cut = max(
        (i + 1 for i, w in enumerate(words) if w.lower().rstrip(".") in _NAME_TITLES), default=0
    )
    if cut and len(words) - cut >= 2:
        return False  # "Defence Spokesman John Kirby": a name after the last title
    if _BODY_LAST.search(" " + match.group(0)):
        return True
    # the rest of a name with "and" in it, to the mention's end ("… and Human Services"; not
    # "Johnny Isakson of Georgia and John Boozman of Arkansas")
    ends_name = _REST_OF_NAME.fullmatch(mention, match.end()) is not None
    if body_end is not None and _NAME_GOES_ON.fullmatch(mention, body_end, match.start()):
        return ends_name
    before = mention[max(0, match.start() - 40) : match.start()]
    if _BODY_OF.search(before):
        return True
    # a field with "and" in it after "of"/"for" ("Minister for Foreign Affairs and Trade"),
    # unless a person the gazetteer knows ("a spokesman for Marco Rubio and …")
    return (
        _OF_BEFORE.search(before) is not None
        and ends_name
        and match.end() < len(mention.rstrip())
        and gazetteer.actor(match.group(0)) is None
    )


# lower-case words after a capitalised run that still belong to the person: a reflexive, or a
# particle of a surname
_NAME_CONTINUES = NAME_PARTICLES | frozenset(
    "himself herself do den ter ten ibn el la le y".split()
)


def _person_name(mention: str, gazetteer: Gazetteer) -> str | None:
    """The personal name inside a mention: "Georgian President Mikhail Saakashvili" -> the name.

    Titles and possessive owners ("the BBC's") are dropped; a run that is a place or an
    institution ("Moscow", "Georgian TV") is no personal name.
    """
    best: str | None = None
    body_end: int | None = None  # where the last run read as a body's own name ends
    for match in CAPITAL_RUN.finditer(mention):
        if _in_body_name(mention, match, body_end, gazetteer):
            body_end = match.end()
            continue
        run = _strip_title(_POSSESSIVE.split(match.group(0))[-1])
        if (
            not run
            or run.endswith(("’s", "'s"))
            or mention[match.end() : match.end() + 2] in {"’s", "'s"}
        ):
            continue
        words = run.split()
        # "Canadian Prime Minister Mark Carney": the name follows the last title word;
        # "Secretary of State Marco Rubio", "Minister for Planning Ahsan Iqbal": the run
        # after "of"/"for" opens with the office
        cut = max(
            (i + 1 for i, w in enumerate(words) if w.lower().rstrip(".") in _NAME_TITLES),
            default=0,
        )
        if not cut and mention[max(0, match.start() - 5) : match.start()].endswith(
            (" of ", " for ")
        ):
            cut = 1
        if len(words) - cut >= 2:
            words = words[cut:]
        elif cut and len(words) - cut == 1 and words[cut - 1].lower() not in TITLES_IN_NAMES:
            # "Former Home Secretary Cooper": a surname after a title of several words (not
            # "King Charles", whose title is part of how he is named)
            words = words[cut:]
        words = [w for w in words if w.lower() not in _TITLE_WORDS]
        if not words:
            continue
        run = " ".join(words)
        if gazetteer.place_side(run) is not None:
            continue
        known = gazetteer.actor(run)
        if known is not None and known.kind != "person":
            continue
        if match.start() == 0 and mention[:1].isupper() and words[0].lower() in {"the", "a"}:
            continue
        if words[0].lower() in COUNTING_WORDS and (
            len(words) == 1 or mention[match.end() :].strip()[:1].islower()
        ):
            # "Eight Muslim countries", "Many": a count of things, no one's name ("One
            # Nation" is a party's)
            continue
        rest = mention[match.end() :].strip()
        if (
            rest[:1].islower()
            and not rest.startswith(("of ", "for "))
            and "," not in rest
            # "Trump himself", "Joachim van der Berg", "Ahmed al-Sharaa": the name goes on
            and rest.split()[0].split("-")[0] not in _NAME_CONTINUES
        ):
            # "the Nobel Peace Prize winner", "a Harvard professor", "a Trump aide": the
            # capitals qualify the noun that ends the mention; they name no one who speaks
            continue
        titled = _TITLE.match(match.group(0) + " ") is not None
        if len(words) >= 2 or titled or match.group(0) == mention or known is not None:
            best = run
    return best


# what a report calls a person it has named, besides an office or a trade: an age, a prize's
# winner, a life's role ("the 85-year-old Nobel Peace Prize winner", "the veteran activist")
_EPITHET = re.compile(
    r"\b(?:\d+-year-old|winner|laureate|veteran|activist|survivor|founder|billionaire)$",
    re.IGNORECASE,
)
# the epithets that say what a named person is known for (not an age alone, nor "activist",
# "survivor" or "veteran", as often said of an unnamed witness)
_DISTINCTION = re.compile(r"\b(?:winner|laureate|founder|billionaire)$", re.IGNORECASE)


# a paper or a post named as a speaker ("A post by the President’s Secretariat on X", "the
# statement from the president"): what it says is someone's, but it is no person
_PAPER_HEAD = re.compile(
    r"(?:the|a|an|its|his|her|their)\s+(?:(?!(?:on|in|at|by|of|from|with|for)\s)[\w’'-]+\s+){0,2}?"
    r"(?:post|tweet|statement|release|"
    r"readout|report|letter|message|video|clip|note|communiqu[eé]|document|memo|transcript)s?"
    r"(?:\s+(?:by|of|from|on)\b|$)",
    re.IGNORECASE,
)


def is_description(mention: str) -> bool:
    """A definite description of one person: "the Russian foreign minister", "the
    85-year-old Nobel Peace Prize winner"; not a paper that names one ("a post by the
    President's Secretariat")."""
    if _PAPER_HEAD.match(mention.strip()) is not None:
        return False
    definite = mention.strip().lower().startswith(("the ", "a ", "an "))
    return (
        (bool(_PERSON_NOUNS.search(mention)) and definite)
        or bool(_PERSON_NOUNS.search(mention.split()[-1] if mention.split() else ""))
        or (definite and _EPITHET.search(mention.strip()) is not None)
    )
