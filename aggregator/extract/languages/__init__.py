"""Statement extraction beside English: Russian, Ukrainian, French, German, Spanish.

One lexicon a language as data (``ru.py`` … ``es.py``, the shape in ``lexicon.py``), the
constructions shared by all of them (``constructions.py``), and one engine (``engine.py``)
giving the same :class:`aggregator.model.Statement` as the English extractor.
"""

from __future__ import annotations

from aggregator.extract.languages import de, es, fr, ru, uk
from aggregator.extract.languages.lexicon import Lexicon

LEXICONS: dict[str, Lexicon] = {
    module.LEXICON.code: module.LEXICON for module in (ru, uk, fr, de, es)
}
#: The languages extraction reads beside English.
SUPPORTED = frozenset(LEXICONS)


def primary(language: str | None) -> str | None:
    """A language tag's primary subtag, lower case ("ru-RU" -> "ru"); None stays None."""
    if not language:
        return None
    return language.replace("_", "-").split("-")[0].strip().lower() or None


def lexicon_for(language: str | None) -> Lexicon | None:
    """The lexicon of a supported language other than English, else None."""
    code = primary(language)
    return LEXICONS.get(code) if code else None
