"""The package layout docs/architecture.md draws: few loose modules, and imports one way only."""

from __future__ import annotations

import ast
from pathlib import Path

import aggregator

PACKAGE = Path(aggregator.__file__).parent

#: every module and package at aggregator/'s top, lowest first: each may import only those
#: before it (the order of docs/architecture.md's tree)
LAYERS = (
    "model",
    "errors",
    "clock",
    "logs",
    "wording",
    "config",
    "fetch",
    "parse",
    "extract",
    "group",
    "store",
    "digest",
    "mail",
    "pipeline",
    "daemon",
    "backfill",
    "web",
    "demo",
    "cli",
)
#: the pure stages: values in, values out; never the store, the network, mail or a scheduler
PURE = ("parse", "extract", "group", "digest")
IO = ("fetch", "store", "mail", "pipeline", "daemon", "backfill", "web", "demo", "cli")
MAX_TOP_MODULES = 7


def _top_unit(module: str) -> str | None:
    """``aggregator.store.events`` -> ``store``; None outside the package and for
    ``aggregator`` itself (its ``__version__``)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "aggregator" and len(parts) > 1 else None


def _imports(path: Path) -> set[str]:
    """The top-level units of aggregator/ that a file imports, wherever the import stands
    (function bodies and TYPE_CHECKING blocks included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "aggregator":
                names = [f"aggregator.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(unit for name in names if (unit := _top_unit(name)) is not None)
    found.discard("__version__")
    return found


def _unit_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _sources() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE
    )


def test_the_top_holds_few_modules() -> None:
    modules = sorted(p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(modules) <= MAX_TOP_MODULES, f"loose modules at aggregator/'s top: {modules}"


def test_every_top_unit_has_its_place_in_the_layers() -> None:
    units = {_unit_of(p) for p in _sources()}
    assert units == set(LAYERS), "place a new module or package in LAYERS (and the docs' tree)"


def test_no_methods_modules_outside_the_store() -> None:
    # the store's own are on their way out; elsewhere a module is named for its job
    found = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*_methods.py")
        if p.relative_to(PACKAGE).parts[0] != "store"
    ]
    assert found == []


def test_imports_go_one_way() -> None:
    rank = {unit: index for index, unit in enumerate(LAYERS)}
    upward = [
        f"{p.relative_to(PACKAGE)} imports aggregator.{target}"
        for p in _sources()
        for target in sorted(_imports(p))
        if target != _unit_of(p) and rank[target] > rank[_unit_of(p)]
    ]
    assert upward == []


def test_pure_stages_import_no_io() -> None:
    found = [
        f"{p.relative_to(PACKAGE)} imports aggregator.{target}"
        for p in _sources()
        if _unit_of(p) in PURE
        for target in sorted(_imports(p) & set(IO))
    ]
    assert found == []
