"""The archive served for real: uvicorn on a free loopback port (in a thread, and `aggregator
serve` in a subprocess), and the CLI's refusals before anything listens."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import pytest
from click.testing import CliRunner

from aggregator import cli
from aggregator.demo import demo_config_path
from aggregator.pipeline.process import process_pending
from aggregator.store import Store, open_store
from aggregator.web import create_app, create_app_for_url
from aggregator.web.security import CONTENT_SECURITY_POLICY
from tests.support.demo import demo_settings, ingest_demo
from tests.support.web import DAY, HOSTILE_EVENT, NOW, free_port, live_server

ROOT = Path(__file__).resolve().parents[2]


def test_a_real_server_answers_every_kind_of_route(demo_store: Store) -> None:
    app = create_app(demo_store, demo_settings(), clock=lambda: NOW)

    with live_server(app) as base, httpx.Client(base_url=base, timeout=10) as client:
        home = client.get("/")
        digest = client.get(f"/digests/demo/{DAY}")
        event = client.get(f"/events/{HOSTILE_EVENT}")
        events = client.get(f"/api/v1/events?date={DAY}")
        feed = client.get("/feeds/demo.atom")
        health = client.get("/healthz")
        head = client.head("/")
        post = client.post("/search", data={"q": "x"})

    for answer in (home, digest, event, events, feed, health, head):
        assert answer.status_code == 200, answer.url
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert events.json()["events"][0]["url"].startswith(f"{base}/events/")
    assert head.content == b""
    assert post.status_code == 405


def test_a_real_server_asks_for_the_password(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.integration.test_web_security import _with_auth

    monkeypatch.setenv("AGGREGATOR_TEST_WEB_PASSWORD", "pässword")
    app = create_app(demo_store, _with_auth(), clock=lambda: NOW)
    token = base64.b64encode("analyst:pässword".encode()).decode()

    with live_server(app) as base, httpx.Client(base_url=base, timeout=10) as client:
        refused = client.get("/api/v1/events")
        admitted = client.get("/api/v1/events", headers={"Authorization": f"Basic {token}"})
        health = client.get("/healthz")

    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith('Basic realm="aggregator"')
    assert admitted.status_code == 200
    assert health.status_code == 200


def test_an_app_from_a_store_url_closes_its_store_on_shutdown(demo_url: str) -> None:
    app = create_app_for_url(demo_url, demo_settings(), clock=lambda: NOW, upgrade=False)

    with live_server(app) as base:
        answer = httpx.get(f"{base}/api/v1/events?date={DAY}", timeout=10)

    assert answer.status_code == 200
    assert answer.json()["events"]


def _run(args: list[str], env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli.main, args, env=env, catch_exceptions=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.org"])
def test_serve_refuses_a_reachable_host_without_a_password(host: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'web.db'}"

    result = _run(["--db", db, "serve", "--host", host])

    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert f"refusing to serve on {host}" in result.output
    assert "settings.web.auth" in result.output
    assert "--public" in result.output


def test_serve_goes_ahead_with_public_or_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[str, int, int]] = []

    def fake_run(options: Any, settings: Any, **kwargs: Any) -> None:
        started.append((options.host, options.port, options.workers))

    monkeypatch.setattr("aggregator.web.serve.run_server", fake_run)
    db = f"sqlite:///{tmp_path / 'web.db'}"

    public = _run(["--db", db, "serve", "--host", "0.0.0.0", "--public", "--port", "8099"])
    local = _run(["--db", db, "serve", "--host", "localhost", "--workers", "3"])
    ipv6 = _run(["--db", db, "serve", "--host", "::1"])

    assert [r.exit_code for r in (public, local, ipv6)] == [0, 0, 0]
    assert started == [("0.0.0.0", 8099, 1), ("localhost", 8080, 3), ("::1", 8080, 1)]
    assert "serving the web archive at http://127.0.0.1:8099/" in public.output
    assert "http://[::1]:8080/" in ipv6.output


def test_serve_with_auth_needs_its_password_variable_at_start(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "settings:\n  web:\n    auth: {username: analyst, password_env: AGG_TEST_NO_PASSWORD}\n",
        encoding="utf-8",
    )
    env = {"AGG_TEST_NO_PASSWORD": ""}

    result = _run(
        ["--config", str(config), "--db", f"sqlite:///{tmp_path / 'w.db'}", "serve"], env=env
    )

    assert result.exit_code == 1
    assert "AGG_TEST_NO_PASSWORD is not set" in result.output


def test_serve_runs_until_sigterm_and_stops_cleanly(tmp_path: Path) -> None:
    demo_url = f"sqlite:///{tmp_path / 'demo.db'}"
    settings = demo_settings()
    with open_store(demo_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
    port = free_port()
    command = ["--config", str(demo_config_path()), "--db", demo_url]
    command += ["serve", "--port", str(port), "--no-access-log"]
    process = _cli(command, tmp_path)
    try:
        answer = _first_answer(process, f"http://127.0.0.1:{port}/api/v1/events?date={DAY}", 30)
        assert answer.status_code == 200
        assert answer.json()["events"]
        assert "server" not in answer.headers  # serve does not advertise its server
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        _stop(process)
    assert process.returncode == 0, err
    assert f"serving the web archive at http://127.0.0.1:{port}/" in out
    assert out.rstrip().endswith("stopped")


def test_the_demo_serves_its_archive_until_sigint(tmp_path: Path) -> None:
    """`./scripts/demo --serve`: the demo's job, then its store served on loopback."""
    port = free_port()
    arguments = ["demo", "--dir", str(tmp_path / "out"), "--serve", "--port", str(port)]
    process = _cli(arguments, tmp_path)
    try:
        home = _first_answer(process, f"http://127.0.0.1:{port}/", 120)
        assert home.status_code == 200
        assert f"/digests/demo/{DAY}" in home.text
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        _stop(process)
    assert process.returncode == 0, err
    assert f"serving the demo's web archive at http://127.0.0.1:{port}/" in out
    assert out.rstrip().endswith("stopped")


def _cli(arguments: list[str], cwd: Path) -> subprocess.Popen[str]:
    """``aggregator ARGUMENTS`` in a subprocess, its output captured."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("AGGREGATOR_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "aggregator.cli", *arguments],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _first_answer(process: subprocess.Popen[str], url: str, seconds: float) -> httpx.Response:
    """The first answer of ``url`` while ``process`` starts (its stderr if it died first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(process.stderr.read() if process.poll() is not None else "no answer")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


@pytest.mark.parametrize("threads", [1, 3])
def test_a_worker_handles_as_many_requests_at_once_as_it_has_threads(
    demo_store: Store, threads: int
) -> None:
    """`serve --threads N`: the synchronous handlers of one worker run N at a time."""
    from fastapi.testclient import TestClient

    app = create_app(demo_store, demo_settings(), threads=threads)

    async def tokens() -> dict[str, float]:
        return {"tokens": anyio.to_thread.current_default_thread_limiter().total_tokens}

    app.add_api_route("/tokens", tokens)
    with TestClient(app) as client:  # the lifespan runs
        assert client.get("/tokens").json() == {"tokens": threads}
    # a worker of `serve --workers N` opens its own store: its lifespan keeps the limit too
    own = create_app_for_url(demo_store.url, demo_settings(), upgrade=False, threads=threads)
    own.add_api_route("/tokens", tokens)
    with TestClient(own) as client:
        assert client.get("/tokens").json() == {"tokens": threads}
    with pytest.raises(ValueError, match="threads must be at least 1"):
        create_app(demo_store, demo_settings(), threads=0)
