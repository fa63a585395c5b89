"""Helpers for the daemon's process-level tests (no tests here): a daemon subprocess, feeds of our
own writing, and bounded waiting."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Literal, TypeVar
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def rss(name: str, items: Sequence[tuple[str, str, datetime]]) -> bytes:
    """An RSS 2.0 document; each item is (guid, title, published). Text is our own writing."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(name)}</title><link>https://example.org/{name}</link>",
        "<description>test feed</description>",
    ]
    for guid, title, published in items:
        parts.append(
            "<item>"
            f'<guid isPermaLink="false">{escape(guid)}</guid>'
            f"<title>{escape(title)}</title>"
            f"<link>https://example.org/{name}/{escape(guid)}</link>"
            f"<pubDate>{format_datetime(published)}</pubDate>"
            "<description>"
            + escape(
                f'The spokesperson of the {name} ministry said on Tuesday that "{title.lower()} '
                'remains our first concern", adding that talks would continue next week.'
            )
            + "</description></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def items(
    prefix: str, count: int, *, start: datetime | None = None
) -> list[tuple[str, str, datetime]]:
    """``count`` items with distinct guids and titles, an hour apart, newest first."""
    first = start or datetime(2026, 11, 20, 12, tzinfo=UTC)
    return [
        (
            f"{prefix}-{n}",
            f"Statement {n} on the border talks by {prefix}",
            first - timedelta(hours=n),
        )
        for n in range(count)
    ]


def write_config(
    path: Path,
    sources: Sequence[tuple[str, str]],
    *,
    interval: str = "2s",
    subscriptions: str = "",
    settings: Sequence[str] = (),
) -> Path:
    """A feeds.yaml with the (name, url) sources, loopback allowed, and ``settings`` (lines of
    the settings block, indented two spaces)."""
    lines = ["settings:", "  allow_private_networks: true", *settings, "sources:"]
    for name, url in sources:
        lines += [
            f"  - name: {name}",
            f"    url: {url}",
            "    kind: outlet",
            f"    publisher: {name.title()}",
            f"    interval: {interval}",
        ]
    if subscriptions:
        lines.append(subscriptions)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wait_for(check: Callable[[], T | None], *, timeout: float, what: str, step: float = 0.1) -> T:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(step)


class DaemonProcess:
    """The daemon in a subprocess, its JSON log in a file.

    ``entry="module"`` runs ``python -m aggregator.daemon`` (every timing knob on its command
    line); ``entry="cli"`` runs ``aggregator run`` as a user would (``--lease`` and
    ``--heartbeat`` only). ``None`` leaves an option out, so the daemon's default applies;
    ``extra`` adds arguments (``--reload-timeout 0.2``).
    """

    def __init__(
        self,
        config: Path,
        db_url: str,
        log_path: Path,
        *,
        tick: float = 0.2,
        lease: str | None = "5s",
        grace: float = 10.0,
        heartbeat: float | None = 1.0,
        entry: Literal["module", "cli"] = "module",
        extra: Sequence[str] = (),
    ) -> None:
        self.log_path = log_path
        self._log = log_path.open("ab")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("AGGREGATOR_DATABASE_URL", None)
        common = ["--config", str(config), "--db", db_url]
        timing: list[str] = []
        if entry == "module":
            command = [sys.executable, "-m", "aggregator.daemon", *common, "--json-logs"]
            timing += ["--tick", str(tick), "--grace", str(grace)]
            if heartbeat is not None:
                timing += ["--heartbeat", str(heartbeat)]
        else:
            command = [sys.executable, "-m", "aggregator.cli", *common, "run", "--json-logs"]
            if heartbeat is not None:
                timing += ["--heartbeat", f"{heartbeat:g}s"]
        if lease is not None:
            timing += ["--lease", lease]
        self.process = subprocess.Popen(
            [*command, *timing, *extra],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def records(self) -> list[dict[str, object]]:
        """The JSON log records written so far (other lines, e.g. tracebacks, are skipped)."""
        found: list[dict[str, object]] = []
        for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    found.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return found

    def logged(self, message: str) -> list[dict[str, object]]:
        return [r for r in self.records() if r.get("msg") == message]

    def signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def terminate(self, timeout: float = 20.0) -> int:
        """SIGTERM and wait; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self) -> None:
        """SIGKILL: no cleanup of any kind."""
        self.process.kill()
        self.process.wait(timeout=10)

    def wait(self, timeout: float = 20.0) -> int:
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self._log.flush()

    def close(self) -> None:
        """Make sure the process is gone (a test that failed half-way)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")
