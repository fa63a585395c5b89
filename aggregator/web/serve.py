"""Running the archive: ``aggregator serve`` on uvicorn (imported only here).

    host not loopback, no auth, not --public   -> refused before anything starts (exit 2)
    auth configured, password variable unset   -> ConfigError (exit 1)
    open the store once (migrating it), then
      1 worker:  uvicorn.Server(app over that store) in this process
      N workers: uvicorn's supervisor; each worker builds its app with app_from_environment()
                 from $AGGREGATOR_CONFIG, $AGGREGATOR_DATABASE_URL, the threads and the cache
                 bound, set here
    SIGINT / SIGTERM: uvicorn finishes the requests in flight and returns; we return normally

Proxy headers (``X-Forwarded-For``/``-Proto``) are trusted only from ``forwarded_allow_ips``
(uvicorn's default: 127.0.0.1, a proxy on the same machine).
"""

from __future__ import annotations

import ipaddress
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

import uvicorn

from aggregator.config import Settings
from aggregator.store import open_store
from aggregator.web.app import (
    CACHE_VARIABLE,
    CONFIG_VARIABLE,
    DATABASE_VARIABLE,
    DEFAULT_THREADS,
    THREADS_VARIABLE,
    create_app,
)
from aggregator.web.cache import DEFAULT_MAX_BYTES

#: what each worker imports (uvicorn's --factory)
FACTORY = "aggregator.web.app:app_from_environment"


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine: localhost, 127.0.0.0/8 or ::1."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_refusal(host: str, settings: Settings, *, public: bool) -> str | None:
    """Why serving on ``host`` is refused, or None when it may go ahead."""
    if is_loopback(host) or public or settings.settings.web.auth is not None:
        return None
    return (
        f"refusing to serve on {host}, which other machines can reach, without a password: "
        "set settings.web.auth in the configuration, or pass --public to serve it open"
    )


def display_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How to listen."""

    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    forwarded_allow_ips: str | None = None  # None: uvicorn's default (127.0.0.1)
    access_log: bool = True
    threads: int = DEFAULT_THREADS  # requests a worker handles at once
    cache_bytes: int = DEFAULT_MAX_BYTES  # the page cache of each worker (0: none)


def run_server(
    options: ServeOptions, settings: Settings, *, database_url: str, config_path: str | None
) -> None:
    """Serve until SIGINT or SIGTERM (see the module docstring)."""
    common = {
        "host": options.host,
        "port": options.port,
        "proxy_headers": True,
        "forwarded_allow_ips": options.forwarded_allow_ips,
        "server_header": False,
        "access_log": options.access_log,
        "log_level": "info",
    }
    store = open_store(database_url)  # migrates once, before any worker reads
    if options.workers > 1:
        store.close()
        os.environ[DATABASE_VARIABLE] = database_url
        os.environ[THREADS_VARIABLE] = str(options.threads)
        os.environ[CACHE_VARIABLE] = str(options.cache_bytes)
        if config_path is not None:
            os.environ[CONFIG_VARIABLE] = config_path
        else:
            os.environ.pop(CONFIG_VARIABLE, None)
        with _quiet_after_stop():
            uvicorn.run(FACTORY, factory=True, workers=options.workers, **common)  # type: ignore[arg-type]
        return
    try:
        app = create_app(store, settings, threads=options.threads, cache_bytes=options.cache_bytes)
        server = uvicorn.Server(uvicorn.Config(app, workers=1, **common))  # type: ignore[arg-type]
        with _quiet_after_stop():
            server.run()
    finally:
        store.close()


@contextmanager
def _quiet_after_stop() -> Iterator[None]:
    """uvicorn re-raises the signal that stopped it once it has shut down, to the handler that
    was there before: make that one a no-op, so a stop is an ordinary return (exit 0)."""

    def ignore(_signum: int, _frame: FrameType | None) -> None:
        return None

    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, ignore) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
