"""Near-duplicate articles: wire copies republished with small edits (fixtures written here)."""

from __future__ import annotations

import pytest

from aggregator.group import NearDuplicateIndex

WIRE = (
    "The central bank raised its main interest rate by half a percentage point on Thursday, the "
    "largest increase in two decades, as officials moved to curb inflation that has reached its "
    "highest level since 1990. Governor Ana Ribeiro told reporters the decision was unanimous and "
    "that further rises were likely before the end of the year. Markets had expected a smaller "
    "move, and the currency rose by one percent after the announcement."
)
# a site that republished the wire story: an edited first sentence, the last sentence cut
COPY_EDITED = (
    "The central bank on Thursday raised its main interest rate by half a percentage point, the "
    "largest increase in two decades, as officials moved to curb inflation that has reached its "
    "highest level since 1990. Governor Ana Ribeiro told reporters the decision was unanimous and "
    "that further rises were likely before the end of the year. Markets had expected a smaller "
    "move."
)
# another outlet's own report of the same decision: same facts, its own words
OWN_REPORT = (
    "Borrowing costs are going up again. Governor Ana Ribeiro and her colleagues voted together "
    "for a half-point rise on Thursday, saying inflation, now the highest since 1990, would not "
    "come down on its own. Traders had bet on a quarter point; the currency gained one percent."
)


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        (COPY_EDITED, "wire"),
        (WIRE, "wire"),  # verbatim copy
        (WIRE.upper().replace(",", ""), "wire"),  # case and punctuation do not matter
        (OWN_REPORT, None),
        ("Breaking news", None),  # short and different
    ],
)
def test_copies(later: str, expected: str | None) -> None:
    index = NearDuplicateIndex()
    assert index.add("wire", WIRE) is None
    assert index.add("later", later) == expected


def test_copies_of_copies_resolve_to_the_first() -> None:
    index = NearDuplicateIndex()
    index.add("wire", WIRE)
    index.add("site-1", COPY_EDITED)
    assert index.add("site-2", COPY_EDITED + " Shares were flat.") == "wire"


def test_short_texts_match_only_when_identical() -> None:
    index = NearDuplicateIndex()
    assert index.add("a", "Quake hits Peru") is None
    assert index.add("b", "quake hits Peru!") == "a"
    assert index.add("c", "Quake hits Chile") is None
    assert index.add("d", "") is None


def test_adding_again_is_idempotent() -> None:
    index = NearDuplicateIndex()
    index.add("wire", WIRE)
    index.add("site", COPY_EDITED)
    assert index.add("wire", WIRE) is None
    assert index.add("site", COPY_EDITED) == "wire"
    assert len(index) == 2


def test_capacity_evicts_the_oldest() -> None:
    index = NearDuplicateIndex(capacity=2)
    index.add("wire", WIRE)
    index.add("other", OWN_REPORT)
    index.add("short", "Quake hits Peru")
    assert len(index) == 2
    assert index.add("site", COPY_EDITED) is None  # the original has been forgotten
    assert index.add("short-2", "Quake hits Peru") == "short"


def test_deterministic_across_instances() -> None:
    texts = [WIRE, OWN_REPORT, COPY_EDITED, WIRE + " More to come."]
    runs = []
    for _ in range(2):
        index = NearDuplicateIndex()
        runs.append([index.add(str(i), t) for i, t in enumerate(texts)])
    assert runs[0] == runs[1] == [None, None, "0", "0"]


# two edits a copy desk makes (a clause cut, an attribution reworded): about 0.7 Jaccard over
# word 3-shingles, the range the banding must still find (10 bands x 6 rows missed this one)
EDITED_TWICE = WIRE.replace("the largest increase in two decades, ", "").replace(
    "Governor Ana Ribeiro told reporters", "Ana Ribeiro, the governor, said"
)


def test_a_copy_edited_twice_is_found() -> None:
    index = NearDuplicateIndex()
    index.add("wire", WIRE)
    assert index.add("site", EDITED_TWICE) == "wire"
