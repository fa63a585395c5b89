"""Working copy, blocks (hard wraps, furniture, boilerplate), quotations."""

from __future__ import annotations

import pytest

from aggregator.extract.quotes import find_quotes
from aggregator.extract.text import blocks, normalise, sentences


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('He said "yes" today.', "He said “yes” today."),
        ("He said ``yes'' today.", "He said ““yes”” today."),
        ("''Go home,'' she said.", "““Go home,”” she said."),
        ("a\r\nb\tc\u00a0d", "a \nb c d"),
        ("“It's over,“ he said.", "“It's over,” he said."),
        ("«Non» dit-il", "“Non” dit-il"),
    ],
)
def test_normalise_is_length_preserving(raw: str, expected: str) -> None:
    work = normalise(raw)
    assert work == expected
    assert len(work) == len(raw)


WRAPPED = """\
The harbour authority said on Monday that the northern pier would
close for repairs, and that ferries would use the southern quay
until the end of the month.
Storm damage
Engineers found cracks in the concrete after last week's storm, and
the authority said it could not rule out further closures.
Ferries wait outside the harbour
"We will keep every crossing running," a spokeswoman said. "Nobody
will be stranded on the islands this winter."
The council has set aside money for the work.
Share this story on social media
Sign up for our daily newsletter
"""


def _kinds(text: str) -> list[tuple[str, str]]:
    work = normalise(text)
    return [(b.kind, " ".join(work[b.start : b.end].split())[:30]) for b in blocks(work)]


def test_hard_wrapped_text_joins_into_paragraphs_and_finds_furniture() -> None:
    kinds = _kinds(WRAPPED)
    assert kinds == [
        ("body", "The harbour authority said on "),
        ("furniture", "Storm damage"),
        ("body", "Engineers found cracks in the "),
        ("furniture", "Ferries wait outside the harbo"),
        ("body", "“We will keep every crossing r"),
        ("body", "The council has set aside mone"),
        ("boilerplate", "Share this story on social med"),
        ("boilerplate", "Sign up for our daily newslett"),
    ]


def test_paragraph_text_keeps_one_block_per_line() -> None:
    text = "First paragraph, said the clerk.\n\nSecond one is here.\nThird one too."
    assert [k for k, _ in _kinds(text)] == ["body", "body", "body"]


def test_single_line_without_full_stop_is_still_body() -> None:
    assert _kinds("The envoy said talks had failed") == [("body", "The envoy said talks had faile")]


def test_quotes_nest_and_unclosed_quote_runs_to_block_end() -> None:
    work = normalise('A "b \'c\' d" e "f g')
    quotes = find_quotes(work, 0, len(work))
    assert [(work[q.start : q.end], q.closed) for q in quotes] == [
        ("“b 'c' d”", True),
        ("“f g", False),
    ]


def test_sentences_do_not_split_inside_quotes_or_after_titles() -> None:
    work = normalise('Mr. Smith said "Go. Now." Then he left. Dr. Jones stayed.')
    quotes = [(q.start, q.end) for q in find_quotes(work, 0, len(work))]
    spans = sentences(work, 0, len(work), quotes)
    assert [work[s:e] for s, e in spans] == [
        "Mr. Smith said “Go. Now.”",
        "Then he left.",
        "Dr. Jones stayed.",
    ]
