"""The extractor's fingerprint follows the rules, not their comments, docstrings or layout."""

from __future__ import annotations

from importlib import resources

import pytest

from aggregator.extract import load_gazetteer, places
from aggregator.extract import version as version_module
from aggregator.extract.sides import Actor, Gazetteer
from aggregator.extract.version import extractor_version, source_fingerprint
from aggregator.pipeline.process import extractor_version as process_version

_MODULE = '''"""A module."""

WORDS = frozenset("said told".split())


def rule(word: str) -> bool:
    """Whether ``word`` is a cue."""
    return word in WORDS
'''


def test_comments_docstrings_and_layout_do_not_count() -> None:
    edited = (
        _MODULE.replace('"""A module."""', '"""A module, described at length."""')
        .replace('"""Whether ``word`` is a cue."""', "# no docstring here, a comment\n")
        .replace("return word in WORDS", "return (\n        word in WORDS  # a set lookup\n    )")
    )
    assert source_fingerprint(edited) == source_fingerprint(_MODULE)


def test_a_rule_change_counts() -> None:
    assert source_fingerprint(_MODULE.replace("said told", "said told wrote")) != (
        source_fingerprint(_MODULE)
    )
    assert source_fingerprint(_MODULE.replace("in WORDS", "not in WORDS")) != (
        source_fingerprint(_MODULE)
    )


def test_a_function_that_is_only_a_docstring_still_parses() -> None:
    only = 'def f() -> None:\n    """Nothing."""\n'
    assert source_fingerprint(only) == source_fingerprint("def f() -> None:\n    pass\n")


def test_every_module_of_the_package_fingerprints() -> None:
    package = resources.files("aggregator.extract")
    names = [i.name for i in package.iterdir() if i.name.endswith(".py")]
    assert "attribute.py" in names
    for name in names:
        source = package.joinpath(name).read_text(encoding="utf-8")
        assert source_fingerprint(source)


def test_the_version_follows_the_gazetteer() -> None:
    bundled = load_gazetteer()
    version = extractor_version(bundled)
    assert version.startswith("x-")
    assert len(version) == 18
    assert extractor_version(bundled) == version
    other = Gazetteer((*bundled.actors, Actor("Ana Example", "person", None)), bundled.places)
    assert extractor_version(other) != version
    assert process_version is extractor_version  # the pipeline uses this one


def test_the_version_follows_the_place_words(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = load_gazetteer()
    version = extractor_version(bundled)
    listed = dict(places.listed_words())
    listed["common_words"] = {**listed.get("common_words", {}), "xx": ["example"]}
    monkeypatch.setattr(places, "listed_words", lambda: listed)
    assert extractor_version(bundled) != version


def test_the_version_follows_the_libraries_whose_data_extraction_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bundled = load_gazetteer()
    version = extractor_version(bundled)
    installed = version_module._installed
    monkeypatch.setattr(
        version_module,
        "_installed",
        lambda name: "99.0" if name == "pymorphy3-dicts-ru" else installed(name),
    )
    assert extractor_version(bundled) != version
