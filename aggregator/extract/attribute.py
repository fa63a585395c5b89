"""One cue, one statement: find the speaker and the content around a cue in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from aggregator.extract.content import (
    OBJECT_LEMMAS,
    adjunct_only,
    clause_end,
    content_after,
    content_before,
    content_words,
    has_verb,
    short_tail,
    skip_object,
    trim_content,
)
from aggregator.extract.cues import MAX_PER_SENTENCE, NEEDS_THAT, Cue
from aggregator.extract.speakers import (
    Mention,
    find_inverted,
    find_subject,
    is_name,
    looks_like_np,
    trailing_np,
)
from aggregator.extract.subjects import find_sentence_subject
from aggregator.extract.text import CLOSE_QUOTE, OPEN_QUOTE

_SUBORDINATORS = frozenset(
    "while although though because if when as since after before whereas unless".split()
)
_LEAD_IN = frozenset("because that and but so while although since as when if".split())
_SUBJECT_WINDOW = 400  # characters before a cue searched for its subject
_POSTPOSED_REST = re.compile(
    r"^\s*(?:[,.;:!?]|$|\w+ing\b|(?:while|as|when|after|before|during|in|at|on|to|from|of|adding|"
    r"according|who|which|because|referring|speaking|writing|citing|noting|told|\()\b)",
    re.IGNORECASE,
)
_MIDDLE = re.compile(r"\s*,\s*(?![“”])(?![a-z]+ing\b)[\w’'-]+\s+(?:[\w’'-]|“)")
# "Freeing her husband, he promised, was one of his priorities": the claim's verb follows
_MIDDLE_VERB = re.compile(
    r"\s*,\s*(?:is|was|are|were|has|had|have|will|would|could|should|can|may|might|must|"
    r"remains|remained|did|does|do)\s+(?:[\w’'-]+\s+){1,}"
)
# a subject right after one of these starts a clause of its own, not nested speech
_MIDDLE_SHORT = re.compile(r"\s*[\w’'-]+(?:\s+[\w’'-]+)?\s*,\s*$")
# after an inverted speaker: nothing, or an apposition of a few words, then the full stop
_ROLE_WORD = r"(?!(?:is|was|are|were|has|had|will|would)\b)[\w’'.&()/-]+"
# a relative clause about the speaker: up to 25 words, commas between them allowed
_RELATIVE_WORDS = r"(?:who|whose) +[\w’'.&()/-]+,?(?: +[\w’'.&()/-]+,?){0,24}"
_ENDS_AFTER_ROLE = re.compile(
    r" *(?:, *" + _ROLE_WORD + r"(?: +" + _ROLE_WORD + r"){0,13}"
    # a place or an institution's name holding commas: "…, a professor at the University of
    # California, Davis, Center for Regional Change."
    r"(?:, *[A-Z]" + _ROLE_WORD + r"(?: +" + _ROLE_WORD + r"){0,6}){0,2}"
    # the apposition's own relative clause: "…, said X, an expert who has published books,
    # papers and editorials."
    r"(?: +" + _RELATIVE_WORDS + r")?)?"
    # or a relative clause about the speaker: "…, said Dahl, who was elected in 2012."
    r"(?:, *" + _RELATIVE_WORDS + r")? *[.!?]? *"
)
_DOCUMENT = re.compile(
    r"\b(?:statement|resolution|declaration|letter|draft|communiqu[eé]|text|motion|report)s?"
    # "released a statement Thursday night calling for …"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
    r"yesterday)(?:\s+(?:morning|afternoon|evening|night))?)?$"
)
# "a charity that prosecutors said was suspected of …": speech inside a relative clause,
# whose content is the rest of that clause
_RELATIVE_BEFORE = re.compile(r"\b(?:that|which|who|whom|what)\s+$", re.IGNORECASE)
_AUX_AFTER = re.compile(
    r"\s+(?:is|was|are|were|has|had|have|would|will|could|should|might|may|must)\s+\w"
)
# what may stand between the attribution and the rest of a split quotation
_SPLIT_GAP = r"\s*(?:(?:of|to|in|on|at|after|before|during|from|about)\b[^“”.;,]{0,60})?"
_SPLIT_QUOTE = re.compile(
    # right after the attribution, or after an adjunct and a comma ("he said of X, “…”"; not
    # "he said during a call to ABC's “This Week.”", where the quotation is a title)
    r"(?:\s*[,;:]?|" + _SPLIT_GAP + r"[,;:])\s*(?:adding|and added)?[\s,:]*" + OPEN_QUOTE
)
_SPLIT_CLAUSE = re.compile(
    _SPLIT_GAP + r",\s*(?:that\s+[a-z]|(?:would|will|is|was|are|were|has|had|could|should|"
    r"must|can|may|might)\b)"
)
_TITLE_LEAD = re.compile(r"(?:\b(?:on|in|with|to|at|from|of|for|by|told)|['’]s)\s*$")
_OPENING_PARTICIPLE = re.compile(
    r"\s*(?:(?:but|and|yet|so|then)\s+)?(?:(?:while|after|before|when|since|in|by|upon)\s+)?",
    re.IGNORECASE,
)
_PARTICIPLE_AFTER = re.compile(r"\b(?:by|for|after|before|while|when|since|in)\s+$", re.I)
_OPENING_SPEAKER = re.compile(
    r"\s+((?:the |a |an )?[^\s,:;“”][^,:;“”]{1,80}?)\s*[,:]\s*(?=“|[A-Z])"
)
_OPENING_SPEAKER_ASIDE = re.compile(
    r"\s+((?:the |a |an )?[^\s,:;“”][^,:;“”]{1,80}?),\s*([^“”:;]{1,150}?),\s*(?=“)"
)
_SUBORDINATE_OPEN = re.compile(
    r"\s*(?:(?:and|but|so)\s+)?(?:while|although|though|whereas|where|if|because|since|as|when|"
    r"even\s+though|even\s+as|even\s+if)\s",
    re.IGNORECASE,
)
_MAIN_CLAUSE = re.compile(
    r",\s+(?:(?:he|she|they|it|we|I|others|many|some)|(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
    r"\s+(?:[a-z]+\s+)?(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do|said|says|"
    r"say|told|appears?|seems?|remains?)\b"
)
_WHO_BEFORE = re.compile(
    r"\b(?:who|which)\s+(?:(?:had|has|have|was|were|is|are|would|will|could|did|does|do|also|"
    r"once|later|then|[a-z]+ly)\s+){0,3}$",
    re.IGNORECASE,
)
_IN_RELATIVE = re.compile(r",\s+(?:who|which)\b[^,;“”]*$")


# "…, said she sees …" is no inverted speaker: a pronoun right after the verb opens a clause
_CLAUSE_PRONOUNS = frozenset("he she they we i it".split())
_FIRST_WORD = re.compile(r"[\w’']+")


def _first_word(masked: str, start: int) -> str:
    match = _FIRST_WORD.match(masked, start)
    return match.group(0).lower() if match else ""


@dataclass
class Draft:
    start: int
    end: int
    cue: Cue | None
    mention: Mention | None
    block: int
    inherited: Draft | None = None  # an unattributed quotation continuing this draft
    # a statement inside another's content ("…, whom he called “a fraud”"): both are kept
    nested: bool = False


def attribute(
    masked: str, s: int, e: int, lo: int, cue: Cue, previous: Draft | None, block: int
) -> Draft | None:
    """One statement for one cue, or None."""
    if cue.kind == "according":
        speaker = _according_source(masked, cue.end, e)
        if speaker is None:
            return None
        head_start, head_end = trim_content(masked, lo, cue.start)
        head_words = content_words(masked, head_start, min(head_end, head_start + 200))
        comma = masked.find(",", speaker.end, min(e, speaker.end + 3))
        tail_start, tail_end = trim_content(masked, comma + 1, e) if comma >= 0 else (e, e)
        if _SOURCE_TAIL.match(masked, tail_start, tail_end) or _APPOSITION_TAIL.fullmatch(
            masked, tail_start, tail_end
        ):
            # "…, according to three polls, including one …", "…, according to John Weaver,
            # a Republican strategist.": the words after the source describe it
            tail_start = tail_end = e
        tail_words = len(content_words(masked, tail_start, min(tail_end, tail_start + 200)))
        # "According to the campaign, “…”": a quotation's words are masked
        if tail_words >= 3 or (tail_start < tail_end and masked[tail_start] == OPEN_QUOTE):
            if (
                len(head_words) >= 4
                and head_words[-1].lower() not in _LEAD_IN
                and head_words[0].lower() not in _SUBORDINATORS
            ):
                # "Among the cases at risk, according to X, are sixteen …": the whole sentence
                return Draft(head_start, tail_end, cue, speaker, block)
            return Draft(tail_start, tail_end, cue, speaker, block)
        if len(head_words) >= 3:
            return Draft(head_start, head_end, cue, speaker, block)
        return None
    if (
        not cue.participle
        and cue.kind == "say"
        and not cue.word.isupper()  # "STATE COLLEGE, Pa. -": a dateline
        and not masked[lo : cue.start].strip()
    ):
        # "Said Comey, “…”", "Added the mayor: …": the verb opens the sentence
        leading = _OPENING_SPEAKER.match(masked, cue.end, e)
        if leading is None or not looks_like_np(leading.group(1)):
            # "Said Dorothy Poynter, who grew up with Ali, “…”": an aside before the quotation
            leading = _OPENING_SPEAKER_ASIDE.match(masked, cue.end, e)
        if leading is not None and looks_like_np(leading.group(1)):
            start, end = trim_content(masked, leading.end(), e)
            if start < end and (
                masked[start] == OPEN_QUOTE or len(content_words(masked, start, end)) >= 3
            ):
                aside = leading.group(2) if leading.re is _OPENING_SPEAKER_ASIDE else None
                if aside is not None and not aside.startswith(("who ", "whose ")):
                    mention = Mention(leading.start(1), leading.end(1), aside, leading.start(2))
                else:
                    mention = Mention(leading.start(1), leading.end(1))
                return Draft(start, end, cue, mention, block)
    just_before = masked[max(lo, cue.start - 3) : cue.start].rstrip()
    if not cue.participle and just_before.endswith((",", CLOSE_QUOTE)):
        # "…, said Angie Holan, the editor." is inverted even when a noun phrase precedes
        inverted = _inverted(masked, lo, e, cue, block)
        if (
            inverted is not None
            and inverted.mention is not None
            # after a quotation the inverted reading holds whatever follows the speaker
            # ("“…,” said Will Doyle, a professor at …, who …"); after a plain clause only
            # when nothing but an apposition follows
            and (
                just_before.endswith(CLOSE_QUOTE)
                or (
                    _ENDS_AFTER_ROLE.fullmatch(masked, inverted.mention.end, e)
                    # "The Party, the biggest in parliament, signaled its support": a claim
                    # before the verb has a verb of its own, else the verb's object follows
                    and (cue.kind == "say" or has_verb(masked, inverted.start, inverted.end))
                )
            )
            and _first_word(masked, inverted.mention.start) not in _CLAUSE_PRONOUNS
            and not (
                # "X, a delegate, criticized her state's laws": an object, not a speaker; but a
                # full clause before the verb is its claim ("Sanders will back Clinton,
                # predicted Madeleine Kunin")
                cue.lemma in OBJECT_LEMMAS
                and masked[inverted.end - 1] != CLOSE_QUOTE
                and not (
                    has_verb(masked, inverted.start, inverted.end)
                    and is_name(masked[inverted.mention.start : inverted.mention.end])
                )
            )
        ):
            return inverted
    # speakers are short: looking further back only costs time on pathological input
    subject = find_subject(masked, max(lo, cue.start - _SUBJECT_WINDOW), cue.start)
    nearest = subject
    if cue.participle and _OPENING_PARTICIPLE.fullmatch(masked, lo, cue.start):
        # "Noting that A, Trump said B", "But while denouncing A, she …": the main clause's
        # subject speaks
        speaker = find_sentence_subject(masked, lo, e)
        after = content_after(masked, cue, e)
        if speaker is None or after is None or speaker.start < cue.end:
            return None
        start, end, _ = after
        if start < speaker.start < end:
            end = trim_content(masked, start, speaker.start)[1]  # up to the main clause
        return Draft(start, end, cue, speaker, block)
    if cue.participle:
        if "," in masked[max(lo, cue.start - 3) : cue.start] or _PARTICIPLE_AFTER.search(
            masked, max(lo, cue.start - 12), cue.start
        ):
            # "X announced …, saying …", "Boxer attacked Fiorina by reminding voters that
            # …": the clause's subject speaks
            subject = "participle"
        elif subject is None:
            subject = trailing_np(masked, lo, cue.start)
            if isinstance(subject, Mention) and _DOCUMENT.search(
                masked, subject.start, subject.end
            ):
                # "the Council failed to agree on a statement calling for …": the document
                # speaks for the clause's subject
                subject = (
                    find_sentence_subject(masked, lo, cue.start) or subject
                )  # "… included Trump vowing …"
    if isinstance(subject, Mention):
        head = (
            subject.start if subject.role_start is None else min(subject.start, subject.role_start)
        )
        relative = _RELATIVE_BEFORE.search(masked, max(lo, head - 8), head)
        if relative and _AUX_AFTER.match(masked, cue.end, e):
            start, end = trim_content(masked, cue.end, e)
            end = clause_end(masked, start, end)
            if masked[max(lo, relative.start() - 3) : relative.start()].rstrip().endswith(","):
                # "The deal, which the probe said was flawed, was signed": up to the comma
                comma = masked.find(",", start, end)
                end = comma if comma > start else end
            return Draft(start, end, cue, subject, block)
        before = content_before(masked, lo, head)
        rest = masked[skip_object(masked, cue, e) : e]
        after = content_after(masked, cue, e)
        if after is not None and before is not None and adjunct_only(masked, after[0], after[1]):
            # "Victory is vital, he said after meeting aides": what follows is an adjunct
            after = None
        strong_after = after is not None and (after[2] or masked[after[0]] == OPEN_QUOTE)
        if (
            before is not None
            and not strong_after
            and head > lo + 1
            and masked[lo] != OPEN_QUOTE
            and _MIDDLE.match(rest)
        ) or (
            before is None
            and _MIDDLE.match(rest)
            and (
                _MIDDLE_SHORT.match(masked, lo, head)
                or (
                    _MIDDLE_VERB.match(rest)
                    and masked[lo] != OPEN_QUOTE
                    and masked[lo:head].rstrip().endswith(",")
                    and len(content_words(masked, lo, head)) >= 2
                )
            )
        ):
            # "The plan, officials said, was dropped.": the attribution sits inside the claim
            start, end = trim_content(masked, lo, e)
            return Draft(start, end, cue, subject, block)
        # a quotation ending the words before the subject is post-posed speech, unless a
        # reported clause follows and the quotation is only a title ("On “This Week,” X said
        # that …")
        quoted_before = (
            before is not None
            and masked[before[1] - 1] == CLOSE_QUOTE
            and (after is None or not after[2] or masked[before[0]] == OPEN_QUOTE)
        )
        if quoted_before and after is not None and before is not None:
            # "In an interview with “Fox and Friends,” Trump pointed to …": a programme's
            # or a paper's title, not speech, when a clause follows the verb
            opening = masked.rfind(OPEN_QUOTE, before[0], before[1] - 1)
            if opening > before[0] and _TITLE_LEAD.search(masked, max(lo, opening - 12), opening):
                quoted_before = False
                before = None
        if masked[cue.end : cue.end + 1] == ":":
            before = None  # "In a 1963 speech, he declared: …" introduces what follows
        if (
            cue.lemma in NEEDS_THAT
            and not cue.word.endswith("ed")
            and not (before is not None and masked[before[1] - 1] == CLOSE_QUOTE)
        ):
            # "the Super Tuesday states": a noun, not "…, he states"; after a quotation it is
            # the verb ("“…,” the Saudis state in the paper")
            before = None
        if (
            before is not None
            and (after is None or quoted_before)
            and (quoted_before or not strong_after)
            and (quoted_before or _POSTPOSED_REST.match(rest) or short_tail(rest))
        ):
            start, end = before
            if masked[start] == OPEN_QUOTE and masked[end - 1] == CLOSE_QUOTE:
                rest_start = e - len(rest)
                # "…,” he said (of the campaign), “…”: the quotation after the attribution
                # is the same statement; so is a clause that goes on without one
                # ("“Only you,” she said, would use …", "“It's bad luck,” he said, that …")
                follow = _SPLIT_QUOTE.match(masked, rest_start, e)
                closing = masked.find(CLOSE_QUOTE, follow.end(), e + 1) if follow else -1
                if follow and closing >= 0 and masked[closing + 1 : e].strip(" .,;:!?"):
                    # "…,” he told “Meet the Press” on Sunday: a title, not the quotation's
                    # second part, when the sentence goes on after it
                    follow = None
                if follow:
                    end = closing + 1 if closing >= 0 else trim_content(masked, cue.end, e)[1]
                elif _SPLIT_CLAUSE.match(masked, rest_start, e):
                    end = trim_content(masked, rest_start, e)[1]
            return Draft(start, end, cue, subject, block)
        if after is not None:
            end = after[1]
            if _IN_RELATIVE.search(masked, max(lo, cue.start - 120), cue.start):
                # "the Fed, which entered the year predicting X, has yet to move": X ends at
                # the comma that closes the relative clause
                comma = masked.find(",", after[0], end)
                if comma > after[0] + 8:
                    end = comma
            elif _SUBORDINATE_OPEN.match(masked, lo, head):
                # "While some friends say X, others say Y": X ends where the main clause
                # begins
                main = _MAIN_CLAUSE.search(masked, after[0], end)
                if main is not None and main.start() > after[0] + 8:
                    end = main.start()
            return Draft(after[0], end, cue, subject, block)
        return None
    if subject in {"elided", "participle"}:
        # "… and said …", "…, saying …": the clause's own subject speaks
        speaker = previous.mention if previous is not None and subject == "elided" else None
        if speaker is None:
            speaker = find_sentence_subject(masked, lo, cue.start)
        if speaker is None and isinstance(nearest, Mention):
            speaker = nearest
        if speaker is None:
            return None
        after = content_after(masked, cue, e)
        if after is None:
            return None
        return Draft(after[0], after[1], cue, speaker, block)
    # "…,” said Mr Lavrov." — the speaker follows the cue
    inverted = _inverted(masked, lo, e, cue, block)
    if (
        inverted is None
        and subject is None
        and cue.kind in {"say", "clause"}
        # "attacked by dozens of women who claim …": the women speak, not the clause's subject
        and not _WHO_BEFORE.search(masked, max(lo, cue.start - 24), cue.start)
    ):
        # "People briefed on the talks say …", "Powell's office, when contacted, said …",
        # "Clinton paused, then admitted that …": no noun phrase right before the verb, but
        # the clause's own subject speaks (a verb other than a say-verb only before "that")
        speaker = find_sentence_subject(masked, lo, cue.start)
        after = content_after(masked, cue, e) if speaker is not None else None
        if speaker is not None and after is not None and (cue.kind == "say" or after[2]):
            return Draft(after[0], after[1], cue, speaker, block)
    return inverted


def _inverted(masked: str, lo: int, e: int, cue: Cue, block: int) -> Draft | None:
    """ "…,” said Mr Lavrov, Russia's foreign minister.": content before, speaker after."""
    if cue.participle or (cue.lemma in NEEDS_THAT and not cue.word.endswith("ed")):
        return None  # "…, touting a message", "… March 1 states": no inverted speaker here
    if cue.lemma == "tell":
        return None  # "…, told Fox News": whom it was told to, not who told it
    before = content_before(masked, lo, cue.start)
    if before is None:
        return None
    speaker = find_inverted(masked, cue.end, e)
    if speaker is None:
        return None
    start, end = before
    rest = masked[speaker.end : e]
    follow = re.match(r"[^“”.]{0,80}?[,:]\s*" + OPEN_QUOTE, rest)
    if follow and masked[start] == OPEN_QUOTE:
        closing = masked.find(CLOSE_QUOTE, speaker.end + follow.end(), e + 1)
        if closing >= 0:
            end = closing + 1
    return Draft(start, end, cue, speaker, block)


_NOUN_CUE = re.compile(
    r"(?P<owner>\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)"
    r"|\b(?:[A-Z][\w.’'-]{0,25} ){0,3}[A-Z][\w.-]{0,25}(?:['’]s|s['’]))"
    r" (?:[a-z]{1,20} )?(?P<noun>claims?|statements?|assertions?|warnings?|promises?|pledges?|"
    r"arguments?|suggestions?|accusations?|allegations?|insistence|announcements?|remarks|"
    r"comments?|complaints?|denials?|admission|predictions?|vows?|threats?|contention|belief|"
    r"view|position|assurances?|concerns?) that\b"
)


def noun_cue_drafts(masked: str, s: int, e: int, block: int) -> list[Draft]:
    """ "Sanders's claim that he could still win": a speech noun with its owner and clause."""
    out: list[Draft] = []
    if masked.find(" that", s, e) < 0:
        return out  # the pattern ends in "that": most sentences are spared the scan
    for match in islice(_NOUN_CUE.finditer(masked, s, e), MAX_PER_SENTENCE):
        start, end = trim_content(masked, match.end(), e)
        end = clause_end(masked, start, end)
        if len(content_words(masked, start, min(end, start + 100))) < 3:
            continue
        owner_start, owner_end = match.span("owner")
        if masked[owner_end - 2 : owner_end] in {"'s", "’s"}:
            owner_end -= 2
        elif masked[owner_end - 1 : owner_end] in {"'", "’"}:
            owner_end -= 1
        cue = Cue(match.start("noun"), match.end("noun"), match.group("noun"), "claim", "clause")
        out.append(Draft(start, end, cue, Mention(owner_start, owner_end), block))
    return out


# a full stop after a title or an initial is no source end: "according to Rep. Trey Gowdy"
_ABBREV_DOT = (
    r"(?:(?<=\bMr)|(?<=\bMrs)|(?<=\bMs)|(?<=\bDr)|(?<=\bSen)|(?<=\bRep)|(?<=\bGov)|(?<=\bGen)"
    r"|(?<=\bLt)|(?<=\bCol)|(?<=\bProf)|(?<=\bRev)|(?<=\bJr)|(?<=\bSr)|(?<=\bSt)|(?<=\b[A-Z]))"
    r"\.(?= |[A-Z]\.)"
)
_SOURCE = re.compile(
    rf" *((?:[^,;:.“”()]|{_ABBREV_DOT}){{2,200}}?"
    rf"(?:\([^()]{{0,40}}\)(?:[^,;:.“”()]|{_ABBREV_DOT}){{0,80}})?)(?=[,;:]|(?!{_ABBREV_DOT})\.|$)"
)
_APPOSITION_TAIL = re.compile(
    r"(?:an?|the)\s(?:(?!(?:is|was|are|were|has|have|had|will|would|said|says)\b)[\w’'.-]+\s?){1,8}"
)
_SOURCE_TAIL = re.compile(r"(?:[a-z]+ing|who|which|whose|where)\b")


def _according_source(masked: str, start: int, hi: int) -> Mention | None:
    """The source after "according to": everything up to the next comma, however long."""
    match = _SOURCE.match(masked, start, hi)
    if match is None:
        return None
    s, e = match.span(1)
    while e > s and masked[e - 1] == " ":
        e -= 1
    words = masked[s:e].split()
    if not words or len(words) > 30 or (words[0].lower() in {"to", "the", "a"} and len(words) < 2):
        return None
    return Mention(s, e)
