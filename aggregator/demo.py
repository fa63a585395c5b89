"""`aggregator demo`: the main job on the bundled sample feeds, with no network and no setup."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from aggregator import clock
from aggregator.config import load_settings
from aggregator.pipeline import run_pass
from aggregator.store import open_store


def demo_config_path() -> Path:
    """The bundled demo configuration (its file: URLs point at the bundled sample feeds)."""
    return Path(str(resources.files("aggregator") / "data" / "demo.yaml"))


def run_demo(work_dir: Path, *, fresh: bool, out: Console) -> None:
    """Ingest the sample feeds into a SQLite database under work_dir and show what was stored."""
    if fresh and work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path = work_dir / "demo.db"
    settings = load_settings(demo_config_path())
    out.print(f"[bold]aggregator demo[/] — {len(settings.sources)} bundled sample sources, "
              f"database {db_path}")
    with open_store(f"sqlite:///{db_path}") as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        report = run_pass(store, settings, force=True)
        table = Table(title="fetch pass")
        for column in ("source", "outcome", "new", "updated", "unchanged"):
            table.add_column(column)
        for source in report.sources:
            table.add_row(
                source.source,
                source.outcome.value,
                str(source.new),
                str(source.updated),
                str(source.unchanged),
            )
        out.print(table)
        articles = store.articles()
        listing = Table(title=f"{len(articles)} stored articles")
        for column in ("published (UTC)", "sources", "title"):
            listing.add_column(column)
        for article in articles:
            listing.add_row(
                article.published_at.strftime("%H:%M") if article.published_at else "-",
                ", ".join(article.sources),
                article.title,
            )
        out.print(listing)
        stats = store.stats()
    out.print(" · ".join(f"{key} {value}" for key, value in stats.items()))
    out.print(
        "Run it again: nothing is added twice. `--fresh` starts from an empty database."
    )
