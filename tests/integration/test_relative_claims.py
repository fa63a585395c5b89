"""A claim about a relative clause's noun reads as a sentence in the digest: the statement's
context reaches back past its speaker to the noun ("a man who the ministry says planned …"),
so the summary names it (feeds -> store -> the digest as its reader gets it; both backends)."""

from __future__ import annotations

from pathlib import Path

from tests.support.feeds import digest_of_feeds

# our own report: the ministry's claim is about the man the relative pronoun stands for
LEAD = (
    "Georgian police on Monday arrested a 21-year-old man who the Georgian Interior Ministry "
    "says planned to attack a concert in Tbilisi last summer."
)


def test_a_claim_about_a_relative_clause_s_noun_names_it(db_url: str, tmp_path: Path) -> None:
    title = "Georgian police arrest man over concert attack plot"
    digest, rendered = digest_of_feeds(db_url, tmp_path, {"wire": (title, LEAD)})
    (statement,) = [s for e in digest.events for c in e.columns for s in c.statements]
    assert statement.sentence == (
        "The Georgian Interior Ministry said a 21-year-old man planned to attack a concert in "
        "Tbilisi last summer."
    )
    assert "said planned" not in rendered.text
