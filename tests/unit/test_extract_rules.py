"""The rules as data: every construction and every veto has an example that shows it at work."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

import pytest

from aggregator.extract import explain_statements
from aggregator.extract.attribute import CONSTRUCTIONS
from aggregator.extract.cues import VETOES, Veto, VetoRule, find_cues
from aggregator.extract.statements import SENTENCE_CONSTRUCTIONS
from aggregator.extract.text import normalise

_EXAMPLE = re.compile(r"^Example: (.+?)(?:\n\s*\n|\Z)", re.MULTILINE | re.DOTALL)


def _example(function: Callable[..., object]) -> str:
    """The docstring's example; `` | `` separates its paragraphs."""
    doc = inspect.getdoc(function) or ""
    match = _EXAMPLE.search(doc)
    assert match is not None, f"{function.__name__} has no 'Example:' in its docstring"
    return " ".join(match.group(1).split()).replace(" | ", "\n\n")


ALL_CONSTRUCTIONS = [*CONSTRUCTIONS, *SENTENCE_CONSTRUCTIONS]


def test_construction_names_are_unique() -> None:
    names = [c.__name__ for c in ALL_CONSTRUCTIONS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("construction", ALL_CONSTRUCTIONS, ids=lambda c: c.__name__)
def test_each_construction_makes_its_example(construction: Callable[..., object]) -> None:
    example = _example(construction)
    rules = [rule for _, rule in explain_statements(example).statements]
    assert construction.__name__ in rules, (example, rules)


@pytest.mark.parametrize("veto", VETOES, ids=lambda v: v.name)
def test_each_veto_drops_a_word_of_its_example(veto: VetoRule) -> None:
    example = _example(veto.test)
    trace: list[Veto] = []
    find_cues(normalise(example), 0, len(example), trace)
    assert veto.name in [v.name for v in trace], (example, trace)


def test_the_trace_names_the_word_and_its_offset() -> None:
    text = "The mayor won praise from the unions."
    vetoes = explain_statements(text).vetoes
    assert [(v.name, v.word, v.start) for v in vetoes] == [
        ("bare_base_form", "praise", text.index("praise"))
    ]


def test_every_statement_has_a_rule() -> None:
    text = (
        "The minister said on Friday that the talks had failed. “We will try again,” she "
        "added. The plan, officials said, was dropped, according to two diplomats."
    )
    explained = explain_statements(text)
    assert explained.statements
    assert all(rule for _, rule in explained.statements)
