"""The candidacies file (aggregator/data/candidacies.yaml) keeps the rules its header states."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date

from aggregator.digest.relevance import Candidacy, candidacies, candidates_on
from aggregator.extract.gender import given_names

# surnames that are words, or borne by too many others in the same years' politics
_NOT_ALIASES = {"Bush", "Harris", "Stein", "Johnson", "Christie", "Carson", "Warren", "Bloomberg"}


def test_every_candidacy_has_a_name_an_office_and_a_campaign_in_order() -> None:
    assert candidacies()
    for c in candidacies():
        assert isinstance(c, Candidacy)
        assert len(c.name.split()) >= 2, c  # a full name
        assert c.office.startswith(("President of", "Vice-President of")), c
        assert isinstance(c.start, date), c
        assert isinstance(c.end, date), c
        assert c.start < c.end, c
        assert (c.end - c.start).days < 3 * 366, c  # a campaign, not a career
        assert "(" not in c.name, c


def test_an_alias_is_the_candidate_s_surname_or_given_name_and_no_common_word() -> None:
    for c in candidacies():
        words = c.name.split()
        for alias in c.aliases:
            assert alias not in _NOT_ALIASES, c
            # a longer form of the name ("Hillary Rodham Clinton"), or whole words of it
            parts = alias.split()
            runs = [words[i : i + len(parts)] for i in range(len(words) - len(parts) + 1)]
            assert set(words) <= set(parts) or parts in runs, c
            if " " not in alias and alias != words[0]:
                # a surname alone is no given name (it would be read as someone's first name)
                assert alias.casefold() not in given_names(), c


def test_one_person_s_campaigns_do_not_overlap() -> None:
    by_name: dict[str, list[Candidacy]] = defaultdict(list)
    for c in candidacies():
        by_name[c.name].append(c)
    for runs in by_name.values():
        runs.sort(key=lambda c: c.start)
        for first, second in itertools.pairwise(runs):
            assert first.end < second.start, (first, second)


def test_the_candidates_of_a_day_are_those_campaigning_on_it() -> None:
    assert {"Hillary Clinton", "Clinton", "Donald Trump", "Trump"} <= candidates_on(
        date(2016, 10, 1)
    )
    assert "Bernie Sanders" not in candidates_on(date(2016, 10, 1))  # withdrew in July
    assert "Bernie Sanders" in candidates_on(date(2016, 3, 1))
    assert not candidates_on(date(2026, 2, 17))  # no campaign in the file runs then
    assert candidates_on(date(2016, 11, 8)) >= {"Hillary Clinton"}  # election day is in
    assert "Hillary Clinton" not in candidates_on(date(2016, 11, 9))
    # a winner until the inauguration: the president-elect is the news's subject
    assert "Donald Trump" in candidates_on(date(2016, 12, 13))
    assert "Donald Trump" not in candidates_on(date(2017, 1, 20))  # the office from then on
