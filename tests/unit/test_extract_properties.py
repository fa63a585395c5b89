"""Property tests: extraction never crashes and offsets always slice the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.extract import extract_statements

PIECES = st.sampled_from(
    [
        "said",
        " said ",
        "told",
        "according to",
        "Mr",
        "Mr.",
        "Gen",
        "“",
        "”",
        '"',
        "''",
        "``",
        "'",
        "‘",
        "’",
        ",",
        ".",
        ":",
        ";",
        " - ",
        "—",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "\x00",
        "\x0b",
        "he",
        "they",
        "The minister",
        "Russia's envoy",
        "Moscow",
        "insisted that",
        "[agree to]",
        "(ICRC)",
        "who",
        "and",
        "but",
        " ",
        "A",
        "z",
        "…",
        "«",
        "»",
        "\u00a0",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=120).map("".join),
)


def _check(text: str) -> None:
    statements = extract_statements(text)
    assert statements == sorted(statements, key=lambda s: s.start)
    for s in statements:
        assert 0 <= s.start <= s.end <= len(text)
        assert text[s.start : s.end] == s.text
        if s.speaker is not None:
            assert s.speaker_start is not None
            assert s.speaker_end is not None
            assert text[s.speaker_start : s.speaker_end] == s.speaker
        if s.cue is not None:
            assert text[s.cue_start : s.cue_end] == s.cue
        assert s.kind in {"direct", "indirect", "mixed"}


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_offsets_always_slice_the_input(text: str) -> None:
    _check(text)


def test_huge_and_unbalanced_inputs() -> None:
    # long runs that would make a backtracking regex explode, and quotes that never close
    for text in (
        '"' * 5000,
        "“" * 3000 + "said" + "”" * 10,
        "said " * 4000,
        "Mr. " * 3000 + "said that",
        ("word " * 30 + ", ") * 300 + "he said.",
        "A" * 50_000,
        "Aaa Bbb's claim that " * 2000,
        ("Q" * 40 + " ") * 2000 + "said",
        ", said The Very Long Name Of Someone Important In Some Place Far Away " * 400,
        ('The minister said "it is over. ' * 500) + "\n",
    ):
        _check(text)
