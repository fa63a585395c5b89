"""`aggregator demo`: the main job on the bundled sample feeds, with no network and no setup.

fetch (file:// feeds) -> parse -> store -> extract -> group -> digest for the sample day, written
to a folder and shown as text. Running it again adds nothing: the store is idempotent.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from aggregator import clock
from aggregator.config import load_settings
from aggregator.digest import day_period
from aggregator.pipeline.deliver import deliver
from aggregator.pipeline.leases import process_owner
from aggregator.pipeline.poll import run_pass
from aggregator.pipeline.process import process_pending
from aggregator.store import open_store
from aggregator.wording import plural

#: the day the bundled sample feeds cover
SAMPLE_DAY = date(2026, 11, 24)


def demo_config_path() -> Path:
    """The bundled demo configuration (its file: URLs point at the bundled sample feeds)."""
    return Path(str(resources.files("aggregator") / "data" / "demo.yaml"))


def run_demo(work_dir: Path, *, fresh: bool, out: Console) -> Path:
    """Run the whole job on the sample feeds under work_dir; returns the digest's text file."""
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path = work_dir / "demo.db"
    if fresh:  # only what the demo itself made: --dir may be a folder with other files in it
        for name in ("demo.db", "demo.db-wal", "demo.db-shm"):
            (work_dir / name).unlink(missing_ok=True)
        shutil.rmtree(work_dir / "digest", ignore_errors=True)
    settings = load_settings(demo_config_path())
    out.print(
        f"[bold]aggregator demo[/] — {plural(len(settings.sources), 'bundled sample source')}, "
        f"database {db_path}"
    )
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
        processed = process_pending(store, settings)
        out.print(
            f"extracted {plural(processed.statements, 'statement')} from "
            f"{plural(processed.extracted, 'article')}; grouped "
            f"{plural(processed.grouped, 'article')} "
            f"({plural(processed.duplicates, 'syndicated copy')}) into "
            f"{plural(processed.events, 'event')}; "
            f"{plural(processed.merged_statements, 'statement')} "
            "carried by more than one outlet merged"
        )
        subscription = settings.subscriptions[0] if settings.subscriptions else None
        delivery = deliver(
            store,
            settings,
            subscription,
            now=clock.now(),
            owner=process_owner(),
            period=day_period(SAMPLE_DAY, subscription.timezone if subscription else "UTC"),
            out_dir=work_dir / "digest",
            send=False,
        )
        counts = store.stats()
    text_path = next(p for p in delivery.files if p.suffix == ".txt")
    out.print(text_path.read_text(encoding="utf-8"), markup=False, highlight=False)
    out.print(" · ".join(f"{key} {value}" for key, value in counts.items()))
    for path in delivery.files:
        out.print(f"wrote {path}")
    out.print("Run it again: nothing is added twice. `--fresh` starts from an empty database.")
    out.print(
        "Browse the whole record: ./scripts/demo --serve, or "
        f"{aggregator_command()} --db sqlite:///{db_path} serve "
        "(then open http://127.0.0.1:8080/)",
        markup=False,
        highlight=False,
    )
    html_path = next(p for p in delivery.files if p.suffix == ".html")
    # last, so that it is what the terminal shows: most terminals open a file:// link on click
    out.print(
        f"Open the HTML digest in a browser: {html_path.resolve().as_uri()}",
        markup=False,
        highlight=False,
    )
    return text_path


def serve_demo(work_dir: Path, *, port: int, out: Console) -> None:
    """The web archive over the demo's store, on loopback, with the demo's configuration, until
    Ctrl-C or SIGTERM (``aggregator serve`` with its defaults)."""
    from aggregator.web.serve import ServeOptions, display_url, run_server

    config = demo_config_path()
    out.print(
        f"serving the demo's web archive at {display_url('127.0.0.1', port)} (Ctrl-C to stop)",
        markup=False,
        highlight=False,
    )
    run_server(
        ServeOptions(port=port),
        load_settings(config),
        database_url=f"sqlite:///{work_dir / 'demo.db'}",
        config_path=str(config),
    )
    out.print("stopped")


def aggregator_command() -> str:
    """How to run ``aggregator`` from the user's shell: the script beside this interpreter (a
    virtual environment's ``bin/``, which the shell need not have on its PATH; relative to the
    current folder when inside it, as ``.venv/bin/aggregator``), else the bare name."""
    script = Path(sys.executable).parent / "aggregator"
    if not script.is_file():
        return "aggregator"
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)
