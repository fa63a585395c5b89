"""The language an article is written in: the operator's word, else its words, else the feed's.

    article_language(title, text, configured=…, declared=…)
        the source's configured language             the operator's word; nothing is detected
        else detect_language(title, text)            read from the words (pycld2 only here),
                                                     unless the declaration names the same
                                                     language more precisely ("en-gb")
        else the declared language                   xml:lang, <language>, Content-Language
        else None

Detection is CLD2, Chromium's compact language detector, through ``pycld2``: its model is
compiled into the extension, so nothing is downloaded or read from disk at run time, and the
same text always gets the same answer. Why this detector and how it compares:
docs/dependencies.md; why this precedence: docs/parsing.md.

    sample   = title + "\n" + text, cut at MAX_SAMPLE_CHARS (characters CLD2 refuses blanked)
    too short (fewer than MIN_LETTERS letters)                  -> None
    CLD2: not reliable, the top language under MIN_PERCENT of
          the text or scoring under MIN_SCORE                   -> None
    else the top language as a BCP 47 primary tag ("ru", "uk", "he" for CLD2's "iw")

False-positive policy: a wrong tag is worse than none (``None`` lets the feed's declaration
stand). On the realfeeds corpus (scripts/evaluate_language.py, docs/evaluation.md) no article
is given a wrong language and one in 1,530 none; titles read alone, the hardest case, are
misread 2 times in 22 under 20 letters, and 5 in 1,508 from 20 letters up.
"""

from __future__ import annotations

import re
from itertools import islice

import pycld2

#: The most of an article the detector reads: a title and the start of its lead, which decide a
#: news text's language as well as the whole of it does (on the realfeeds corpus 200 to 1,000
#: characters give the same answers but one), at a bounded cost: 10-25 us an article, about 4 %
#: of parsing it (docs/benchmarks/ingest.md).
MAX_SAMPLE_CHARS = 300
#: Fewer letters than this and the text is too short to tell: in the realfeeds corpus, titles
#: of 10-19 letters read alone were misread 2 times in 22, titles of 20-29 letters once in 76.
MIN_LETTERS = 20
#: The share of the scored text (percent of its bytes) the top language must hold: an English
#: article that quotes a Russian sentence stays English.
MIN_PERCENT = 50
#: CLD2's normalised score of the top language (its evidence per KB of text) must reach this:
#: in the realfeeds corpus no correctly read title scored under 213 (articles 379), while
#: random bytes read as Latin-1 score 20-45 and pass every other test.
MIN_SCORE = 100

# Code points CLD2 refuses as invalid interchange UTF-8 (it raises on them): C0 controls but
# tab, line feed, form feed and carriage return; DEL and the C1 controls; surrogates (which
# cannot be encoded at all); and the noncharacters U+FDD0-U+FDEF and U+xFFFE-U+xFFFF.
_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}-{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)
# CLD2's codes that are no language ("un" unknown, "xx-Latn" a script alone, "zzp" a
# pseudo-language) and the deprecated codes it still answers with
_NO_LANGUAGE = frozenset({"un", "xx", "zzp"})
_RENAMED = {"iw": "he", "jw": "jv", "in": "id", "ji": "yi", "mo": "ro"}
_PRIMARY_TAG = re.compile(r"[a-z]{2,3}")


def article_language(
    title: str, text: str, *, configured: str | None, declared: str | None
) -> str | None:
    """An article's language tag: ``configured`` (the source's) when set, else the language
    detected in its title and text, else ``declared`` (what the feed says); ``None`` when
    none of them knows.

    Feeds often declare one language for everything they carry, so the words beat the
    declaration; where both name the same language the declaration is kept, as it may say more
    (``"en-gb"`` for a detected ``"en"``). Tags are expected normalised (lower case, hyphens).
    """
    if configured:
        return configured
    detected = detect_language(title, text)
    if detected is None:
        return declared
    if declared and primary_tag(declared) == detected:
        return declared
    return detected


def detect_language(title: str, text: str) -> str | None:
    """The language of an article's title and text as a BCP 47 primary tag (``"ru"``), or
    ``None`` when the text is too short or the detector is unsure.

    Pure and deterministic; reads at most :data:`MAX_SAMPLE_CHARS` characters whatever the
    length of ``text``, and never raises on what a feed may hold (controls, surrogates, junk).
    """
    sample = f"{title[:MAX_SAMPLE_CHARS]}\n{text[:MAX_SAMPLE_CHARS]}"[:MAX_SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return None
    found = _cld2(sample)
    if found is None:
        return None
    reliable, code, percent, score = found
    if not reliable or percent < MIN_PERCENT or score < MIN_SCORE:
        return None
    return primary_tag(code)


def primary_tag(code: str) -> str | None:
    """A language code's primary subtag, lower-cased and in its current form
    (``"zh-Hant"`` -> ``"zh"``, ``"iw"`` -> ``"he"``); ``None`` for no language."""
    primary = code.split("-", 1)[0].strip().lower()
    primary = _RENAMED.get(primary, primary)
    if primary in _NO_LANGUAGE or not _PRIMARY_TAG.fullmatch(primary):
        return None
    return primary


def _cld2(sample: str) -> tuple[bool, str, int, float] | None:
    """CLD2's verdict on ``sample``: reliable, the top language's code, its percent of the text
    and its normalised score; ``None`` for input CLD2 will not read even once cleaned."""
    try:
        reliable, _, details = pycld2.detect(sample, isPlainText=True, bestEffort=True)
    except (pycld2.error, UnicodeEncodeError):
        # refused characters (controls, noncharacters; a surrogate cannot even be encoded):
        # rare enough that cleaning only then keeps the common path fast
        try:
            cleaned = _REFUSED.sub(" ", sample)
            reliable, _, details = pycld2.detect(cleaned, isPlainText=True, bestEffort=True)
        except (pycld2.error, UnicodeEncodeError):
            return None
    _, code, percent, score = details[0]
    return bool(reliable), str(code), int(percent), float(score)


def _has_letters(sample: str, count: int) -> bool:
    """Whether ``sample`` holds at least ``count`` letters (stops counting there)."""
    return sum(1 for _ in islice(filter(str.isalpha, sample), count)) >= count
