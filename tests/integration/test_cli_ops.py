"""Operating the fetcher from the command line: ``fetch --all``, ``status`` (full names on a
terminal and in a pipe) and ``status --json``, through the CLI on real databases and a real HTTP
server on loopback."""

from __future__ import annotations

import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from datetime import UTC, datetime, timedelta
from fcntl import ioctl
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator import clock
from aggregator.cli import main
from aggregator.demo import aggregator_command
from aggregator.model import Source
from aggregator.store import open_store
from tests.support.server import FeedServer

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ministry</title><link>https://mfa.example/</link>
<description>d</description>
<item><title>Minister calls for calm</title><link>https://mfa.example/n1</link>
<guid>n1</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>
<description>"We call on all sides to show restraint," the minister said.</description></item>
</channel></rss>
"""
T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
LONG_NAME = "ministry-of-foreign-affairs-of-the-republic-of-ruritania-press-0"  # 64, the most


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def write_config(tmp_path: Path, server: FeedServer, db_url: str) -> Path:
    """Three sources: ``mfa`` (a good feed), ``wire`` (answers 500 for now), ``old`` (disabled)."""
    server.add("/mfa.xml", FEED, content_type="application/rss+xml")
    server.add("/wire.xml", "down for maintenance", status=500)
    server.add("/old.xml", FEED, content_type="application/rss+xml")
    entries = [("mfa", "/mfa.xml", "true"), ("wire", "/wire.xml", "true")]
    entries.append(("old", "/old.xml", "false"))
    sources = "".join(
        f"  - name: {name}\n    url: {server.url(path)}\n    kind: official\n"
        f"    publisher: Ministry {name}\n    interval: 1h\n    enabled: {enabled}\n"
        for name, path, enabled in entries
    )
    config = tmp_path / "feeds.yaml"
    config.write_text(
        f"settings:\n  database_url: {db_url}\n  allow_private_networks: true\nsources:\n{sources}"
    )
    return config


# -- fetch --all --------------------------------------------------------------------------------


def test_fetch_all_fetches_every_enabled_source_backing_off_or_not_due(
    tmp_path: Path, feed_server: FeedServer, db_url: str
) -> None:
    config = str(write_config(tmp_path, feed_server, db_url))
    _, first = run("--config", config, "fetch")  # its exit status is not what this test is about
    assert re.search(r"^wire +failed +HTTP 500", first, re.MULTILINE), first
    code, out = run("--config", config, "fetch")
    assert code == 0, out
    assert out.startswith("no source is due"), out  # mfa is not due, wire is backing off

    feed_server.add("/wire.xml", FEED, content_type="application/rss+xml")  # wire is back
    code, out = run("--config", config, "fetch", "--all")
    assert code == 0, out
    lines = out.splitlines()
    # in the order they were stored
    assert sorted(line.split()[:2] for line in lines[:2]) == [["mfa", "ok"], ["wire", "ok"]], out
    assert lines[2] == "2 sources: 1 new, 0 updated, 0 failed", out
    assert feed_server.count("/mfa.xml") == 2
    assert feed_server.count("/wire.xml") == 2
    assert feed_server.count("/old.xml") == 0  # a disabled source stays disabled


@pytest.mark.fault
def test_fetch_all_and_source_exclude_each_other(tmp_path: Path, db_url: str) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(f"settings:\n  database_url: {db_url}\nsources: []\n")
    code, out = run("--config", str(config), "fetch", "--all", "--source", "mfa")
    assert code == 2
    assert out.splitlines()[-1] == "Error: use either --all or --source, not both"


def test_fetch_all_with_no_enabled_source_says_so(tmp_path: Path, db_url: str) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(f"settings:\n  database_url: {db_url}\nsources: []\n")
    code, out = run("--config", str(config), "fetch", "--all")
    assert code == 0, out
    assert out == ("no source was fetched: none is enabled, or a running daemon is fetching them\n")


def test_fetch_help_documents_all() -> None:
    code, out = run("fetch", "--help")
    assert code == 0
    assert "--all" in out
    assert "aggregator fetch --all" in out


# -- the demo points at its HTML digest and the web archive ---------------------------------------


def test_demo_ends_with_the_html_digest_to_open(tmp_path: Path) -> None:
    code, out = run("demo", "--dir", str(tmp_path / "demo-out"))
    assert code == 0, out
    html = (tmp_path / "demo-out" / "digest" / "digest-2026-11-24.html").resolve()
    assert out.splitlines()[-1] == f"Open the HTML digest in a browser: {html.as_uri()}"
    db = tmp_path / "demo-out" / "demo.db"
    # the command works from the user's shell: the script beside the interpreter, which
    # ./scripts/demo runs from .venv (not on the shell's PATH)
    browse = (
        "Browse the whole record: ./scripts/demo --serve, or "
        f"{aggregator_command()} --db sqlite:///{db} serve"
    )
    assert browse in out
    assert aggregator_command().endswith("bin/aggregator")  # the suite runs from a venv
    assert Path(aggregator_command()).is_file()
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# -- status --json ------------------------------------------------------------------------------


def test_status_json_has_one_object_a_source_with_every_field(
    tmp_path: Path, feed_server: FeedServer, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: T0)
    config = str(write_config(tmp_path, feed_server, db_url))
    run("--config", config, "fetch")
    with open_store(db_url) as store:
        # a daemon is fetching mfa right now
        store.claim_due(now=T0, owner="host:42:abc", lease=timedelta(minutes=10), names=["mfa"])
        store.beat("host:42:abc", host="host", pid=42, version="1.0", now=T0 - timedelta(seconds=5))
        stored = {row.name: row for row in store.source_status()}

    code, out = run("--config", config, "status", "--json")
    assert code == 0, out
    assert out.count("\n") == 1, "one JSON array on one line"
    records = json.loads(out)

    def polled(name: str) -> str:
        return stored[name].next_poll_at.astimezone(UTC).isoformat(timespec="seconds")

    wire_error = stored["wire"].last_error
    assert wire_error is not None
    assert "HTTP 500" in wire_error
    assert records == [
        {
            "name": "mfa",
            "url": feed_server.url("/mfa.xml"),
            "kind": "official",
            "enabled": True,
            "state": "ok",
            "disabled_reason": None,
            "last_fetch_at": "2026-11-24T08:00:00+00:00",
            "last_status": 200,
            "last_outcome": "ok",
            "last_new_entries": 1,
            "consecutive_failures": 0,
            "last_error": None,
            "next_poll_at": polled("mfa"),
            "lease": {
                "owner": "host:42:abc",
                "expires_at": "2026-11-24T08:10:00+00:00",
                "owner_last_beat_at": "2026-11-24T07:59:55+00:00",
            },
        },
        {
            "name": "wire",
            "url": feed_server.url("/wire.xml"),
            "kind": "official",
            "enabled": True,
            "state": "backing_off",
            "disabled_reason": None,
            "last_fetch_at": "2026-11-24T08:00:00+00:00",
            "last_status": 500,
            "last_outcome": "failed",
            "last_new_entries": 0,
            "consecutive_failures": 1,
            "last_error": wire_error,
            "next_poll_at": polled("wire"),
            "lease": None,
        },
        {
            "name": "old",
            "url": feed_server.url("/old.xml"),
            "kind": "official",
            "enabled": False,
            "state": "disabled",
            "disabled_reason": "disabled in the configuration",
            "last_fetch_at": None,
            "last_status": None,
            "last_outcome": None,
            "last_new_entries": None,
            "consecutive_failures": 0,
            "last_error": None,
            "next_poll_at": None,
            "lease": None,
        },
    ]


def test_status_json_of_an_empty_database_is_an_empty_array(db_url: str) -> None:
    code, out = run("--db", db_url, "status", "--json")
    assert code == 0, out
    assert out == "[]\n"


# -- status: full names -------------------------------------------------------------------------


def store_long_named_source(db_url: str) -> None:
    with open_store(db_url) as store:
        store.sync_sources(
            [
                Source(LONG_NAME, "https://mfa.example/press.xml", "official", "Ministry"),
                Source("mfa", "https://mfa.example/feed.xml", "official", "Ministry"),
            ],
            now=clock.now(),
        )


def test_status_into_a_pipe_shows_whole_names_one_line_a_source(db_url: str) -> None:
    store_long_named_source(db_url)
    code, out = run("--db", db_url, "status")
    assert code == 0, out
    rows = [line for line in out.splitlines() if LONG_NAME in line]
    assert len(rows) == 1, out  # whole, on one line: grep finds it
    assert re.search(r"│ ok +│$", rows[0]), rows[0]  # the whole row, not cut at 80 columns
    assert "…" not in out


@pytest.mark.parametrize("columns", [60, 80, 200])
def test_status_on_a_terminal_shows_whole_names_at_any_width(tmp_path: Path, columns: int) -> None:
    db_url = f"sqlite:///{tmp_path / 'status.db'}"
    store_long_named_source(db_url)
    screen = run_in_terminal(
        [sys.executable, "-m", "aggregator.cli", "--db", db_url, "status"], columns
    )
    lines = screen.splitlines()
    assert max(len(line) for line in lines) <= columns, screen  # it fits the terminal
    assert "…" not in screen
    # the name column, read down and joined, holds every character of the name
    cells = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert LONG_NAME in "".join(cells), screen
    if columns >= 3 * len(LONG_NAME):
        assert any(cell == LONG_NAME for cell in cells), screen  # on one line when there is room


def run_in_terminal(command: list[str], columns: int) -> str:
    """Run ``command`` with a real pseudo-terminal ``columns`` wide as its standard output."""
    leader, follower = pty.openpty()
    ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(TERM="xterm", NO_COLOR="1")
    process = subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while True:
        assert time.monotonic() < deadline, "the command did not finish"
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr.decode()
    screen = b"".join(chunks).decode().replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)  # styles such as bold headers
