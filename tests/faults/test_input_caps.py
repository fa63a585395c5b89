"""Hostile input files for `aggregator cluster` and `aggregator extract` (issue #12, fault 8).

Each case is a real file given to the real command in a subprocess: the user sees one line
naming the file, the line and what is wrong, never a traceback; the exit status is 1; memory
stays bounded by the caps (a line of `cluster` input: MAX_LINE_BYTES; the text extraction
reads: MAX_TEXT_CHARS characters). The contents are our own writing.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from aggregator.group.jsonl import MAX_LINE_BYTES
from aggregator.model import MAX_TEXT_CHARS

ROOT = Path(__file__).resolve().parents[2]
GOOD = json.dumps({"id": "a", "title": "Talks resume", "text": "The envoys met again today."})


# the child writes its own peak memory as it exits: VmHWM of its own address space (a fork's
# rusage would count the test process's pages too, which the child shares until it execs)
_PEAK = (
    "import atexit, sys\n"
    "peak_file = sys.argv.pop(1)\n"
    "def peak():\n"
    "    with open('/proc/self/status') as status, open(peak_file, 'w') as out:\n"
    "        out.write(next(l.split()[1] for l in status if l.startswith('VmHWM:')))\n"
    "atexit.register(peak)\n"
    "from aggregator.cli import main\n"
    "main(prog_name='aggregator')\n"
)


def run_cli(tmp_path: Path, *args: str) -> tuple[int, str, str, float]:
    """Exit status, stdout, stderr and peak memory (MiB) of ``aggregator ARGS`` in a child."""
    out_path, err_path = tmp_path / "stdout", tmp_path / "stderr"
    peak_path = tmp_path / "peak"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", _PEAK, str(peak_path), *args],
            stdout=out,
            stderr=err,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
        )
        watchdog = threading.Timer(300, child.kill)  # a bounded wait, whatever happens
        watchdog.start()
        try:
            child.wait()
        finally:
            watchdog.cancel()
    return (
        child.returncode,
        out_path.read_text(encoding="utf-8"),
        err_path.read_text(encoding="utf-8"),
        int(peak_path.read_text(encoding="utf-8")) / 1024,  # kB -> MiB
    )


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("input") / "photo.jpg"
    rng = random.Random(7)
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(200_000))
    return path


def lines_file(tmp_path: Path, *lines: str | bytes) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (b"\xff\xfe not text", r"docs\.jsonl:2: not UTF-8 text \(byte 0xff at column 1\)"),
        ("{not json", r"docs\.jsonl:2: not JSON"),
        ("[1, 2, 3]", r"docs\.jsonl:2: expected a JSON object"),
        ("[" * 100_000 + "]" * 100_000, r"docs\.jsonl:2: JSON nested too deeply"),
        (
            json.dumps({"id": "b", "title": "t", "text": "x" * (MAX_LINE_BYTES + 10)}),
            rf"docs\.jsonl:2: the line is longer than {MAX_LINE_BYTES:,} bytes",
        ),
    ],
    ids=["not-utf8", "not-json", "not-object", "too-deep", "too-long"],
)
def test_cluster_names_the_bad_line_and_exits_1(
    tmp_path: Path, second: str | bytes, message: str
) -> None:
    docs = lines_file(tmp_path, GOOD, second)
    code, out, err, _ = run_cli(tmp_path, "cluster", str(docs), "--json")
    assert code == 1
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert re.match(rf"Error: .*{message}", err), err
    assert out == ""


def test_cluster_refuses_a_binary_file_with_line_1(binary: Path, tmp_path: Path) -> None:
    code, _, err, _ = run_cli(tmp_path, "cluster", str(binary), "--json")
    assert code == 1
    assert err.startswith(f"Error: {binary}:1: not UTF-8 text"), err
    assert "Traceback" not in err


def test_a_huge_line_costs_memory_bounded_by_the_line_cap(tmp_path: Path) -> None:
    # was: the whole 12 MB line read, parsed and shingled (a 20 MB line took 4.6 GB)
    huge = json.dumps({"id": "b", "title": "t", "text": "Talks resumed today. " * 600_000})
    docs = lines_file(tmp_path, GOOD, huge)
    code, _, err, peak = run_cli(tmp_path, "cluster", str(docs), "--json")
    assert code == 1
    assert "docs.jsonl:2: the line is longer than" in err
    assert peak < 400, f"peak RSS {peak:.0f} MiB"


def test_cluster_groups_a_long_text_on_its_first_part(tmp_path: Path) -> None:
    long = json.dumps({"id": "b", "title": "Talks", "text": "The envoys met again. " * 20_000})
    assert len(long) < MAX_LINE_BYTES
    docs = lines_file(tmp_path, GOOD, long)
    code, out, err, _ = run_cli(tmp_path, "cluster", str(docs), "--json")
    assert (code, err) == (0, "")
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a", "b"]


def test_extract_refuses_a_binary_file(binary: Path, tmp_path: Path) -> None:
    # was: decoded with replacement characters and "statements" extracted from the noise
    code, out, err, _ = run_cli(tmp_path, "extract", str(binary), "--json")
    assert code == 1
    assert err.startswith(f"Error: {binary} is not a text file (a NUL byte at offset"), err
    assert "Traceback" not in err
    assert out == ""


def test_extract_reads_a_huge_file_up_to_the_cap(tmp_path: Path) -> None:
    # was: the whole file read and extracted, its time and memory growing with it
    path = tmp_path / "dump.txt"
    line = "The minister said the talks would resume next week.\n"
    path.write_text(line * (12 * MAX_TEXT_CHARS // len(line)), encoding="utf-8")
    code, out, err, peak = run_cli(tmp_path, "extract", str(path), "--json")
    assert code == 0
    assert err.startswith(f"note: {path} holds more than {MAX_TEXT_CHARS:,} characters"), err
    statements = json.loads(out)
    assert statements
    assert max(s["end"] for s in statements) <= MAX_TEXT_CHARS
    assert peak < 400, f"peak RSS {peak:.0f} MiB"
