"""The command-line contracts of DESIGN.md, run through click's CliRunner on real databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from tests.support.server import FeedServer

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ministry</title><link>https://mfa.example/</link>
<description>d</description>
<item><title>Minister calls for calm</title><link>https://mfa.example/n1?utm_source=rss</link>
<guid>n1</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>
<description>"We call on all sides to show restraint," the minister said.</description></item>
</channel></rss>
"""


def write_config(tmp_path: Path, server: FeedServer, db_url: str) -> Path:
    server.add("/mfa.xml", FEED, content_type="application/rss+xml", etag=True)
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "settings:\n"
        f"  database_url: {db_url}\n"
        "  allow_private_networks: true\n"
        "sources:\n"
        "  - name: mfa\n"
        f"    url: {server.url('/mfa.xml')}\n"
        "    kind: official\n"
        "    publisher: Ministry of Foreign Affairs\n"
        "    side: Ruritania\n"
        "    interval: 1h\n"
    )
    return config


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def test_every_command_is_documented_with_an_example() -> None:
    commands: list[tuple[str, object]] = []
    for name, command in main.commands.items():
        sub = getattr(command, "commands", None)
        if sub:
            commands += [(f"{name} {n}", c) for n, c in sub.items()]
        else:
            commands.append((name, command))
    for name, command in commands:
        help_text = getattr(command, "help", "") or ""
        assert help_text.strip(), f"`aggregator {name}` has no help text"
        assert "Example" in help_text, f"`aggregator {name}` has no example in its help"


def test_feeds_check_accepts_a_good_file(tmp_path: Path, feed_server: FeedServer) -> None:
    config = write_config(tmp_path, feed_server, "sqlite:///unused.db")
    code, out = run("--config", str(config), "feeds", "check")
    assert code == 0, out
    assert "1 source," in out


@pytest.mark.fault
def test_feeds_check_names_file_line_and_key(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "sources:\n"
        "  - name: un-news\n"
        "    url: https://news.un.org/feed/subscribe/en/news/all/rss.xml\n"
        "    kind: official\n"
        "    publisher: United Nations\n"
        "    interval: often\n"
    )
    code, out = run("--config", str(config), "feeds", "check")
    assert code == 1
    assert f"{config}:6" in out
    assert "interval" in out


@pytest.mark.fault
def test_feeds_check_reports_a_missing_file(tmp_path: Path) -> None:
    code, out = run("--config", str(tmp_path / "nope.yaml"), "feeds", "check")
    assert code == 1
    assert "nope.yaml" in out


def test_fetch_status_stats_round_trip(
    tmp_path: Path, feed_server: FeedServer, db_url: str
) -> None:
    config = write_config(tmp_path, feed_server, db_url)
    code, out = run("--config", str(config), "db", "upgrade")
    assert code == 0, out
    assert "revision" in out

    code, out = run("--config", str(config), "fetch")
    assert code == 0, out
    assert "mfa" in out
    assert "new 1" in out

    code, out = run("--config", str(config), "fetch")
    assert code == 0, out
    assert "no source is due" in out

    code, out = run("--config", str(config), "fetch", "--source", "mfa")
    assert code == 0, out
    assert "not_modified" in out

    code, out = run("--config", str(config), "stats", "--json")
    assert code == 0, out
    counts = json.loads(out)
    assert set(counts) >= {"sources", "articles", "statements", "events", "digests_sent"}
    assert (counts["sources"], counts["articles"]) == (1, 1)

    code, out = run("--config", str(config), "status")
    assert code == 0, out
    assert "mfa" in out
    assert "304" in out


@pytest.mark.fault
def test_unknown_source_is_a_clear_error(
    tmp_path: Path, feed_server: FeedServer, db_url: str
) -> None:
    config = write_config(tmp_path, feed_server, db_url)
    code, out = run("--config", str(config), "fetch", "--source", "nonexistent")
    assert code == 1
    assert "nonexistent" in out


def test_db_option_and_environment_override_the_config(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config = write_config(tmp_path, feed_server, f"sqlite:///{tmp_path / 'from-config.db'}")
    env_db = f"sqlite:///{tmp_path / 'from-env.db'}"
    code, out = run(
        "--config", str(config), "db", "upgrade", env={"AGGREGATOR_DATABASE_URL": env_db}
    )
    assert code == 0, out
    assert (tmp_path / "from-env.db").exists()
    assert not (tmp_path / "from-config.db").exists()
    flag_db = f"sqlite:///{tmp_path / 'from-flag.db'}"
    code, out = run(
        "--config",
        str(config),
        "--db",
        flag_db,
        "db",
        "upgrade",
        env={"AGGREGATOR_DATABASE_URL": env_db},
    )
    assert code == 0, out
    assert (tmp_path / "from-flag.db").exists()


@pytest.mark.fault
def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run("--db", "postgresql://nobody@127.0.0.1:1/none", "stats")
    assert code == 1
    assert "127.0.0.1" in out


@pytest.mark.parametrize("fresh", [True, False])
def test_demo_runs_without_network_and_is_idempotent(tmp_path: Path, fresh: bool) -> None:
    work = tmp_path / "demo"
    code, first = run("demo", "--dir", str(work))
    assert code == 0, first
    code, second = run("demo", "--dir", str(work), *(["--fresh"] if fresh else []))
    assert code == 0, second
    db = f"sqlite:///{work / 'demo.db'}"
    code, out = run("--db", db, "stats", "--json")
    counts = json.loads(out)
    assert counts["sources"] >= 5
    assert counts["articles"] >= 20


def test_extract_json_offsets_slice_the_input_as_given(tmp_path: Path) -> None:
    text = (
        "The foreign minister, Anna Berg, said on Monday that talks\r\n"
        'would resume. "We are ready to meet anywhere," she told reporters.\r\n'
    )
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8"))
    code, out = run("extract", str(path), "--json")
    assert code == 0, out
    statements = json.loads(out)
    assert statements, "the quote is found"
    keys = {
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
    }
    for statement in statements:
        assert keys <= set(statement)
        assert text[statement["start"] : statement["end"]] == statement["text"]
        if statement["speaker_start"] is not None:
            span = text[statement["speaker_start"] : statement["speaker_end"]]
            assert span == statement["speaker"]
    assert any("ready to meet anywhere" in s["text"] for s in statements)


def test_extract_reads_standard_input() -> None:
    result = CliRunner().invoke(
        main, ["extract", "-", "--json"], input='"No comment," the spokesman said.\n'
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["cue"] == "said"


def test_cluster_contract(tmp_path: Path) -> None:
    docs = [
        {
            "id": "a",
            "title": "Earthquake of magnitude 6.1 strikes northern Chile",
            "text": "A magnitude 6.1 earthquake struck northern Chile near Arica on Monday.",
        },
        {
            "id": "b",
            "title": "Chile quake: magnitude 6.1 tremor hits Arica region",
            "text": "An earthquake of magnitude 6.1 hit the Arica region of northern Chile.",
        },
        {
            "id": "c",
            "title": "Parliament passes budget after all-night session",
            "text": (
                "Lawmakers approved the annual budget after an all-night session in the capital."
            ),
        },
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    code, out = run("cluster", str(path), "--json")
    assert code == 0, out
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    events = {r["id"]: r["event"] for r in rows}
    assert events["a"] == events["b"] != events["c"]


@pytest.mark.fault
def test_cluster_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "title": "t", "text": "x"}\nnot json\n')
    code, out = run("cluster", str(path), "--json")
    assert code == 1
    assert ":2" in out or "line 2" in out


def test_backfill_from_a_folder_spanning_months_is_idempotent(
    tmp_path: Path, corpora: Path, db_url: str
) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "sources:\n  - name: wh\n    url: https://www.whitehouse.gov/briefing-room/feed/\n"
        "    kind: official\n    publisher: The White House\n    side: United States\n"
    )
    folder = corpora / "realfeeds" / "feeds" / "whitehouse_series"
    args = [
        "--config",
        str(config),
        "--db",
        db_url,
        "backfill",
        "--since",
        "2020-01-01",
        "--until",
        "2026-12-31",
        "--source",
        "wh",
        "--from",
        str(folder),
        "--no-progress",
    ]
    code, first = run(*args)
    assert code == 0, first
    assert " done " in first
    code, second = run(*args, "--fresh")
    assert code == 0, second
    assert "0 new" in second
    code, out = run("--db", db_url, "stats", "--json")
    counts = json.loads(out)
    assert counts["articles"] > 50
    assert counts["events"] > 1


@pytest.mark.fault
def test_run_starts_and_stops_cleanly_on_sigterm(tmp_path: Path, feed_server: FeedServer) -> None:
    import signal
    import subprocess
    import sys
    import time

    config = write_config(tmp_path, feed_server, f"sqlite:///{tmp_path / 'daemon.db'}")
    process = subprocess.Popen(
        [sys.executable, "-m", "aggregator.cli", "--config", str(config), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while feed_server.count("/mfa.xml") == 0 and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[0]
            time.sleep(0.1)
        assert feed_server.count("/mfa.xml") >= 1, "the daemon polls the source"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    code, out = run("--config", str(config), "status")
    assert code == 0, out
    assert "mfa" in out


def test_demo_fresh_removes_only_what_the_demo_made(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    code, out = run("demo", "--dir", str(tmp_path), "--fresh")
    assert code == 0, out
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert (tmp_path / "digest" / "digest-2026-11-24.txt").exists()


def test_digest_files_are_named_per_subscription(tmp_path: Path, db_url: str) -> None:
    from aggregator.pipeline.process import process_pending
    from aggregator.store import open_store
    from tests.support.demo import demo_settings, ingest_demo

    settings = demo_settings()
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "subscriptions:\n  - name: daily\n    recipients: [a@example.org]\n"
        "  - name: nato-desk\n    recipients: [b@example.org]\n    sides: [NATO]\n"
    )
    code, out = run(
        "--config",
        str(config),
        "--db",
        db_url,
        "digest",
        "--since",
        "2026-11-24",
        "--until",
        "2026-11-24",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0, out
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(
        f"digest-2026-11-24-{s}.{x}" for s in ("daily", "nato-desk") for x in ("html", "txt", "eml")
    )


@pytest.mark.fault
def test_digest_period_errors_are_usage_errors(tmp_path: Path) -> None:
    code, out = run(
        "--db",
        f"sqlite:///{tmp_path / 'x.db'}",
        "digest",
        "--since",
        "2026-11-24T10:00",
        "--until",
        "2026-11-24T00:00",
    )
    assert code == 2
    assert "empty period" in out
    code, out = run(
        "--db",
        f"sqlite:///{tmp_path / 'x.db'}",
        "digest",
        "--since",
        "24/11/2026",
        "--until",
        "2026-11-25",
    )
    assert code == 2
    assert "24/11/2026" in out


@pytest.mark.fault
def test_ctrl_c_during_fetch_exits_130_and_frees_the_source(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    import signal
    import subprocess
    import sys
    import time

    from tests.support.server import hang

    config = write_config(tmp_path, feed_server, f"sqlite:///{tmp_path / 'fetch.db'}")
    feed_server.add("/mfa.xml", handler=hang(30))  # the fetch is in flight when Ctrl-C comes
    process = subprocess.Popen(
        [sys.executable, "-m", "aggregator.cli", "--config", str(config), "fetch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while feed_server.count("/mfa.xml") == 0 and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        assert feed_server.count("/mfa.xml") == 1, "the fetch has started"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "Interrupted" in err, err
    assert "Traceback" not in err, err
    # the source's lease was given back: a second fetch takes it at once
    feed_server.add("/mfa.xml", FEED, content_type="application/rss+xml")
    code, out = run("--config", str(config), "fetch")
    assert code == 0, out
    assert feed_server.count("/mfa.xml") == 2, out
