"""Actor slugs: one function, the rules its docstring states."""

from __future__ import annotations

import pytest

from aggregator.store.slugs import MAX_LENGTH, actor_slug, actor_slug_or_none


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Sergei Lavrov", "sergei-lavrov"),
        ("Jean-Noël Barrot", "jean-noel-barrot"),
        ("Jean-Noe\u0308l Barrot", "jean-noel-barrot"),  # decomposed accent: the same slug
        ("Лавров", "лавров"),
        ("Сергей Лавров", "сергей-лавров"),  # й is a letter of its own, not an accented и
        ("王毅", "王毅"),
        ("Łukasz Dvořák", "łukasz-dvorak"),
        ("  --MFA of Veskaria!! ", "mfa-of-veskaria"),
        ("O'Brien", "o-brien"),
        ("ﬁnance Ｇ７", "finance-g7"),  # compatibility forms become their letters
        ("🙂", ""),
        ("", ""),
    ],
)
def test_actor_slug(name: str, slug: str) -> None:
    assert actor_slug(name) == slug
    assert actor_slug(slug) == slug  # a slug is its own slug


def test_actor_slug_is_bounded_and_never_ends_with_a_dash() -> None:
    assert len(actor_slug("x" * 500)) == MAX_LENGTH
    cut = actor_slug("a" * (MAX_LENGTH - 1) + " b")
    assert cut == "a" * (MAX_LENGTH - 1)


def test_actor_slug_or_none() -> None:
    assert actor_slug_or_none(None) is None
    assert actor_slug_or_none("!!") is None
    assert actor_slug_or_none("G7") == "g7"
