"""Reports that quote no one reach the digest through their party's act: three outlets' leads of
one vote (feeds -> store -> extraction -> grouping -> the digest as its reader gets it), the act
in the party's column, the sentence shown as written (both backends)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from aggregator.digest import digest_to_json
from aggregator.group import GroupDoc, Grouper
from aggregator.group.stream import Assignment
from tests.support.feeds import digest_of_feeds

# our own leads of one story, as three outlets' feeds carry it: no one is quoted
LEADS = {
    "north": (
        "Georgia’s parliament ousts interim president over bribery probe",
        "Georgia’s parliament has voted to remove interim President Ilse Varga from office as "
        "she faces bribery allegations.",
    ),
    "south": (
        "Georgian lawmakers vote to remove interim president Varga",
        "Georgia’s parliament on Tuesday voted to remove interim President Ilse Varga, four "
        "months after she took office, deepening a political crisis before the elections.",
    ),
    "east": (
        "Georgia impeaches interim President Varga amid bribery charges",
        "Georgia’s parliament on Tuesday impeached interim President Ilse Varga over secret "
        "meetings with businessmen, months before national elections.",
    ),
}


def test_leads_that_quote_no_one_reach_the_digest_as_their_party_s_act(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the actors grouping is given: an act quotes no one, its subject is in the text already
    given: list[tuple[str, ...]] = []
    add = Grouper.add

    def spy(self: Grouper, doc: GroupDoc, *, actors: Sequence[str] = ()) -> Assignment:
        given.append(tuple(actors))
        return add(self, doc, actors=actors)

    monkeypatch.setattr(Grouper, "add", spy)
    digest, rendered = digest_of_feeds(db_url, tmp_path, LEADS)
    assert given == [(), (), ()]
    shown = digest_to_json(digest)
    (event,) = shown["events"]  # in the main section, not a line under "Also reported"
    assert len(event["articles"]) == 3
    (column,) = event["columns"]
    assert column["side"] == "Georgia"
    texts = {s["text"] for s in column["statements"]}
    assert texts == {lead for _, lead in LEADS.values()}
    assert {s["speaker"] for s in column["statements"]} == {"Georgia’s parliament"}
    # the sentence as written, once: not "Georgia’s parliament said Georgia’s parliament …"
    assert "said Georgia" not in rendered.html
    assert "has voted to remove interim President Ilse Varga" in rendered.html
