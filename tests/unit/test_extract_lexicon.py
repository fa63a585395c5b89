"""Each word class of the extraction rules is written once, in aggregator/extract/lexicon.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from aggregator.extract import lexicon
from aggregator.extract.cues import CLAUSE_VERBS, NEEDS_THAT, PHRASAL, SAY_VERBS, STANCE_LEMMAS
from aggregator.extract.lexicon import VERBS, lemmas

PACKAGE = Path(lexicon.__file__).parent
MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.name != "lexicon.py")

# a class counts as typed out again when one string of another module holds this many of it
# (the function words only in word lists: patterns still spell out the auxiliaries they need)
CLASSES: dict[str, tuple[frozenset[str], int]] = {
    "weekdays": (frozenset(lexicon.WEEKDAYS), 3),
    "months": (frozenset(lexicon.MONTHS), 3),
    "modals": (lexicon.MODALS, 4),
    "auxiliaries": (lexicon.AUXILIARIES, 6),
    "subject pronouns": (lexicon.SUBJECT_PRONOUNS, 4),
    "possessives": (lexicon.POSSESSIVES, 5),
    "abbreviated titles": (frozenset(lexicon.ABBREVIATED_TITLES), 4),
    "titles": (frozenset(t for t in lexicon.TITLE_LIST if " " not in t), 6),
    "title words": (lexicon.SINGLE_TITLES, 6),
    "speech verbs": (frozenset(lemmas("say") + lemmas("clause")), 4),
}
IN_PATTERNS = {"weekdays", "months", "abbreviated titles"}
CASED = {"weekdays", "months", "abbreviated titles", "titles"}
_WORD = re.compile(r"[\w’'.]+")


def _module_strings(path: Path) -> list[tuple[int, str]]:
    """Every string written at module level (assignments and what they call)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[int, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                out.append((inner.lineno, inner.value))
    return out


def _words(text: str) -> set[str]:
    # a pattern's alternation or a word list: split on anything that is no word character
    return {w.rstrip(".") for w in _WORD.findall(text.replace("|", " "))}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_module_types_a_word_class_again(path: Path) -> None:
    found = []
    for line, text in _module_strings(path):
        words = _words(text)
        lower = {w.lower() for w in words}
        pattern = "|" in text or "(?" in text
        for name, (members, limit) in CLASSES.items():
            if pattern and name not in IN_PATTERNS:
                continue
            cased = words if name in CASED else lower
            hits = members & cased
            if len(hits) >= limit:
                found.append(f"{path.name}:{line}: {name} {sorted(hits)}")
    assert not found, "\n".join(found)


def test_the_verb_sets_come_from_the_one_table() -> None:
    assert lemmas("say") == SAY_VERBS
    assert lemmas("clause") == CLAUSE_VERBS
    assert frozenset(lemmas(prop="needs-that")) == NEEDS_THAT
    assert frozenset(lemmas(prop="stance")) == STANCE_LEMMAS
    assert {v.lemma: v.particles for v in VERBS if v.frame == "phrasal"} == PHRASAL


def test_each_verb_stands_once_in_the_table() -> None:
    names = [v.lemma for v in VERBS]
    assert len(names) == len(set(names))


def test_the_table_rejects_an_unknown_property() -> None:
    with pytest.raises(ValueError, match="loud"):
        lexicon._rows("shout clause loud")


def test_one_title_list_strips_every_title() -> None:
    title = re.compile(lexicon.TITLE_RUN)
    for written in ("Ambassador Churkin", "Minister Churkin", "PM Shehbaz", "Vice President X"):
        assert title.sub("", written + " ").strip() in {"Churkin", "Shehbaz", "X"}
