"""The values extraction makes for every sentence, cue and statement: a frozen dataclass's
equality, hash and ``replace``, made without a call per field (the hot path of extraction)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from aggregator.extract.attribute import Draft, Sentence
from aggregator.extract.cues import Cue
from aggregator.extract.quotes import Quote
from aggregator.extract.speakers import Mention
from aggregator.extract.text import Block

MAKERS: dict[str, Callable[[], object]] = {
    "Sentence": lambda: Sentence("He said so.", "He said so.", 0, 11, 0),
    "Draft": lambda: Draft(0, 5, None, Mention(6, 8), 0, rule="postposed"),
    "Cue": lambda: Cue(3, 7, "said", "say", "say"),
    "Mention": lambda: Mention(0, 2, "the mayor", 0),
    "Quote": lambda: Quote(0, 6, True),
    "Block": lambda: Block(0, 11, "body"),
}


@pytest.mark.parametrize("name", MAKERS)
def test_a_value_is_made_without_setting_its_fields_through_object(name: str) -> None:
    # a frozen dataclass's __init__ calls object.__setattr__ once for each field
    init = type(MAKERS[name]()).__init__
    assert "__setattr__" not in init.__code__.co_names


@pytest.mark.parametrize("name", MAKERS)
def test_values_compare_and_hash_by_their_fields(name: str) -> None:
    make = MAKERS[name]
    one, other = make(), make()
    assert one is not other
    assert one == other
    assert hash(one) == hash(other)


def test_replace_makes_a_new_value() -> None:
    draft = Draft(0, 5, None, Mention(6, 8), 0, rule="inverted")
    late = replace(draft, rule="inverted_late")
    assert (draft.rule, late.rule) == ("inverted", "inverted_late")
    assert late != draft
    assert (late.start, late.end, late.mention) == (draft.start, draft.end, draft.mention)
