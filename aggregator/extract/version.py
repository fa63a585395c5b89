"""The extractor's fingerprint: what a stored statement was extracted with.

It changes exactly when extraction could give different results: the rules (the code of this
package, read as a syntax tree, so comments, docstrings and formatting do not count), the word
lists, the given names (pronoun agreement), the gazetteer, the place words of the languages
beside English (``data/place_words.yaml``) and the versions of the libraries whose data
extraction reads (Babel's CLDR place names, pymorphy3's dictionaries, simplemma's lemmas), and
the cap on how much of a text is read. A stored article extracted with another fingerprint is
extracted again.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from importlib import metadata, resources
from importlib.resources.abc import Traversable

from aggregator.extract import places
from aggregator.extract.gender import given_names
from aggregator.extract.sides import Gazetteer
from aggregator.model import MAX_TEXT_CHARS

_DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _without_docstrings(tree: ast.Module) -> ast.Module:
    """``tree`` with every module, class and function docstring taken out (in place)."""
    for node in ast.walk(tree):
        if not isinstance(node, _DOCUMENTED) or not node.body:
            continue
        first = node.body[0]
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            # a body may not be empty: a function that is only a docstring keeps a ``pass``
            node.body = node.body[1:] or [ast.Pass()]
    return tree


def source_fingerprint(source: str) -> str:
    """The syntax tree of one module, without docstrings, as text (no line numbers)."""
    return ast.dump(_without_docstrings(ast.parse(source)), include_attributes=False)


def rule_modules() -> list[tuple[str, str]]:
    """Every module of this package and of its subpackages (the languages beside English and
    their lexicons): (its path in the package, its source), in a fixed order."""
    found: list[tuple[str, str]] = []
    pending: list[tuple[str, Traversable]] = [("", resources.files("aggregator.extract"))]
    while pending:
        prefix, package = pending.pop(0)
        for item in sorted(package.iterdir(), key=lambda i: i.name):
            if item.name.endswith(".py"):
                found.append((prefix + item.name, item.read_text(encoding="utf-8")))
            elif item.is_dir() and item.joinpath("__init__.py").is_file():
                pending.append((f"{prefix}{item.name}/", item))
    return found


@functools.lru_cache(maxsize=1)
def rules_digest() -> str:
    """A digest of the rules: every module (:func:`rule_modules`) by its syntax tree."""
    digest = hashlib.sha256()
    for name, source in rule_modules():
        digest.update(name.encode())
        digest.update(source_fingerprint(source).encode())
    return digest.hexdigest()


_DATA_LIBRARIES = ("babel", "pymorphy3", "pymorphy3-dicts-ru", "pymorphy3-dicts-uk", "simplemma")


def _installed(distribution: str) -> str:
    """A distribution's installed version (every one of _DATA_LIBRARIES is a dependency)."""
    return metadata.version(distribution)


def extractor_version(gazetteer: Gazetteer) -> str:
    """The fingerprint of the rules, the gazetteer and the read cap (``x-`` and 16 hex digits)."""
    digest = hashlib.sha256()
    digest.update(rules_digest().encode())
    digest.update(repr(gazetteer).encode())
    digest.update(repr(sorted(given_names().items())).encode())
    digest.update(json.dumps(places.listed_words(), sort_keys=True, default=str).encode())
    # the libraries whose data extraction reads: Babel's CLDR place names, pymorphy3's
    # dictionaries and simplemma's lemmas (Russian, Ukrainian and the other languages)
    for library in _DATA_LIBRARIES:
        digest.update(f"{library} {_installed(library)}".encode())
    digest.update(f"read {MAX_TEXT_CHARS}".encode())  # the cap on the text extraction reads
    return "x-" + digest.hexdigest()[:16]
