"""``aggregator extract FILE --json --explain``: each statement's rule, and the vetoes on stderr,
through the real command line (a subprocess, so stdout and stderr are the real streams)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from aggregator.cli import main

TEXT = (
    "The mayor won praise from the unions on Friday.\n\n"
    "“We will rebuild the bridge before winter,” the mayor said. The plan, officials said, "
    "was dropped. The talks have failed, according to two diplomats.\n"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_explain_names_the_rule_of_every_statement_and_prints_the_vetoes(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    plain = _run("extract", str(path), "--json")
    explained = _run("extract", str(path), "--json", "--explain")
    assert plain.returncode == 0, plain.stderr
    assert explained.returncode == 0, explained.stderr
    statements = json.loads(plain.stdout)
    with_rules = json.loads(explained.stdout)
    assert statements
    assert all("rule" not in s for s in statements)
    # the same statements, each with the name of the construction that made it
    assert [{k: v for k, v in s.items() if k != "rule"} for s in with_rules] == statements
    rules = {s["text"]: s["rule"] for s in with_rules}
    assert rules["“We will rebuild the bridge before winter,”"] == "postposed"
    assert rules["The plan, officials said, was dropped"] == "middle"
    assert rules["The talks have failed"] == "according_to"
    assert all(rules.values())
    # "won praise": a bare base form with no subject before it is no cue
    offset = TEXT.index("praise")
    assert f"veto bare_base_form praise {offset}" in explained.stderr.splitlines()
    assert plain.stderr == ""


def test_without_explain_the_output_is_the_contract() -> None:
    result = CliRunner().invoke(main, ["extract", "-", "--json"], input=TEXT)
    assert result.exit_code == 0, result.output
    keys = [list(s) for s in json.loads(result.stdout)]
    assert keys
    assert all(
        k[:10]
        == [
            "text",
            "start",
            "end",
            "speaker",
            "speaker_start",
            "speaker_end",
            "role",
            "side",
            "cue",
            "kind",
        ]
        for k in keys
    )
    assert all("rule" not in k for k in keys)
