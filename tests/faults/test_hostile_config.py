"""Hostile configuration files: each is one clear error, read in bounded time and memory, and a
daemon told to reload one keeps running on its previous configuration and still obeys SIGTERM.

Issue #12, fault 5: a NUL or ESC byte gave a yaml ReaderError traceback; 500 nested ``[`` a
RecursionError; nine lines of aliases (a "billion laughs") hung ``feeds check``; a 50 MB file
took 131 s and 4.1 GB. On SIGHUP the NUL byte killed the daemon and the alias bomb wedged it so
that it ignored SIGTERM.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from tests.integration.test_daemon_support import (
    ROOT,
)

MAX_FILE_BYTES = 2**20  # the documented size limit (docs/configuration.md)
# Limits for one `aggregator` process reading a hostile file: CPU seconds (not wall time, so a
# busy machine does not fail the test) and address space. Importing the CLI takes about 1 s of
# CPU and 0.4 GiB of address space; the unfixed reader needed minutes and gigabytes.
CPU_SECONDS = 30
ADDRESS_SPACE = 1536 * 2**20

BOMB = b"""\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""

# name -> (file content, the line named in the error or None, words the error must contain)
HOSTILE: dict[str, tuple[bytes, int | None, str]] = {
    "nul": (b"sources:\n  - name: a\x00b\n", 2, "control character U+0000 NUL"),
    "esc": (b"settings:\n  contact: \x1b[31mhttps://x.org\n", 2, "control character U+001B ESC"),
    "deep": (b"sources: " + b"[" * 500 + b"]" * 500 + b"\n", 1, "nested more than 20 levels"),
    "alias-bomb": (BOMB, 6, "more than 100,000 values, counting each alias"),
    "alias-cycle": (b"settings: &s\n  fetch: *s\n", 1, "a value that contains it"),
    "too-big": (
        b"sources:\n" + b"  # a comment line that pads the file to fifty megabytes\n" * 900_000,
        None,
        "larger than 1 MiB",
    ),
    "not-utf8": (b"settings:\n  contact: mailto:caf\xe9@example.org\n", 2, "not UTF-8 text"),
    "bad-tag": (b"settings:\n  smtp:\n    port: !!int twenty-five\n", 3, "cannot be read as !!int"),
    "huge-int": (b"settings:\n  smtp:\n    port: " + b"9" * 5000 + b"\n", 3, "as !!int"),
}
# Read in a subprocess under CPU and memory limits: the unfixed reader spun for ever on the bomb
# and took minutes and gigabytes on the big file. The rest fail fast; CliRunner runs them.
BOUNDED = ("alias-bomb", "too-big")
ACTORS_HOSTILE = ("nul", "deep", "alias-bomb", "too-big", "not-utf8")


def limit_resources() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def aggregator(*args: str, stdin: str = "", bounded: bool = False) -> tuple[int, str]:
    """The CLI: in a subprocess under the CPU and memory limits, or through CliRunner; the exit
    code and what it wrote on stderr."""
    if not bounded:
        result = CliRunner().invoke(main, list(args), input=stdin)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{type(result.exception).__name__} escaped: {result.exception}"
        )
        return result.exit_code, result.stderr
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("AGGREGATOR_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-c", "from aggregator.cli import main; main()", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,  # a safety net only: the CPU limit ends a spinning process long before
        preexec_fn=limit_resources,
    )
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    return done.returncode, done.stderr


def assert_one_clear_error(
    code: int, stderr: str, path: Path, line: int | None, words: str
) -> None:
    assert code == 1, (code, stderr[-2000:])
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr[-2000:]
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert lines[0].startswith(f"Error: {where}"), lines[0]
    assert words in lines[0], lines[0]
    assert "\x00" not in lines[0]
    assert "\x1b" not in lines[0]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_feeds_check_gives_one_located_error_in_bounded_time_and_memory(
    tmp_path: Path, name: str
) -> None:
    content, line, words = HOSTILE[name]
    config = tmp_path / "feeds.yaml"
    config.write_bytes(content)
    code, stderr = aggregator("--config", str(config), "feeds", "check", bounded=name in BOUNDED)
    assert_one_clear_error(code, stderr, config, line, words)


@pytest.mark.parametrize("name", ACTORS_HOSTILE)
def test_an_actors_file_is_read_by_the_same_hardened_reader(tmp_path: Path, name: str) -> None:
    content, line, words = HOSTILE[name]
    actors = tmp_path / "actors.yaml"
    actors.write_bytes(content)
    code, stderr = aggregator(
        "extract",
        "--actors",
        str(actors),
        "-",
        stdin="The envoy said so.\n",
        bounded=name in BOUNDED,
    )
    assert_one_clear_error(code, stderr, actors, line, words)


def test_a_file_at_the_size_limit_is_still_read(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    head = b"sources:\n  - {name: a, url: 'https://example.org/a', kind: wire, publisher: P}\n"
    padding = b"# padding\n" * ((MAX_FILE_BYTES - len(head)) // 10)
    config.write_bytes(head + padding)
    assert config.stat().st_size <= MAX_FILE_BYTES
    result = CliRunner().invoke(main, ["--config", str(config), "feeds", "check"])
    assert result.exit_code == 0, result.output
    assert "OK — 1 source" in result.stdout
