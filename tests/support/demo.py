"""The bundled sample feeds loaded into a store, for tests that need a realistic day of data."""

from __future__ import annotations

from aggregator import clock
from aggregator.config import Settings, load_settings
from aggregator.demo import demo_config_path
from aggregator.pipeline.poll import run_pass
from aggregator.store import Store


def demo_settings() -> Settings:
    return load_settings(demo_config_path())


def ingest_demo(store: Store, settings: Settings, names: list[str] | None = None) -> int:
    """Fetch the sample feeds (all, or the named ones) into ``store``; returns new entries."""
    store.sync_sources(settings.to_sources(), now=clock.now())
    return run_pass(store, settings, names=names, force=True).new
