"""Command-line interface. Each command opens what it needs, calls one library function, and turns
library errors into messages a user can act on. Nothing imports this module."""

from __future__ import annotations

import codecs
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, ParamSpec, TypeVar

import click
from rich.console import Console

from aggregator import __version__, clock
from aggregator.config import (
    Settings,
    SubscriptionConfig,
    default_settings,
    load_settings,
)
from aggregator.config import database_url as resolve_database_url
from aggregator.errors import AggregatorError, MailError
from aggregator.model import MAX_TEXT_CHARS, FetchOutcome, text_end
from aggregator.pipeline.poll import PassReport, SourceReport, run_pass
from aggregator.pipeline.process import ProcessReport, process_pending
from aggregator.store import Store, open_store
from aggregator.wording import plural

if TYPE_CHECKING:
    from aggregator.config.corrections import Corrections
    from aggregator.digest import Period
    from aggregator.web.made import MadeReport

DEFAULT_CONFIG = "feeds.yaml"

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Context:
    """What the global options resolved to; settings and store are opened on first use."""

    config_path: str
    config_given: bool
    db_url: str | None
    _settings: Settings | None = None

    def settings(self, *, required: bool = True) -> Settings:
        """The validated configuration; with required=False a missing file means defaults."""
        if self._settings is None:
            if not Path(self.config_path).exists() and not (required or self.config_given):
                self._settings = default_settings()
            else:
                self._settings = load_settings(self.config_path)
        return self._settings

    def database_url(self, *, config_required: bool = False) -> str:
        if self.db_url:
            return self.db_url
        return resolve_database_url(self.settings(required=config_required))

    @contextmanager
    def store(self, *, config_required: bool = False) -> Iterator[Store]:
        store = open_store(self.database_url(config_required=config_required))
        try:
            yield store
        finally:
            store.close()


EXIT_INTERRUPTED = 130


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's errors into a clean message and exit status 1, and Ctrl-C into 130.

    130 (128 + SIGINT) is what shells report for an interrupted command; click's own "Aborted!"
    exits 1, which a script could not tell from "every source failed".
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AggregatorError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo(
                "Interrupted: what was saved before Ctrl-C is kept, and the next run goes on "
                "from there.",
                err=True,
            )
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


@click.group()
@click.version_option(__version__, prog_name="aggregator")
@click.option(
    "--config",
    "config_path",
    envvar="AGGREGATOR_CONFIG",
    default=None,
    metavar="PATH",
    help="Configuration file (default ./feeds.yaml, or $AGGREGATOR_CONFIG).",
)
@click.option(
    "--db",
    "db_url",
    envvar="AGGREGATOR_DATABASE_URL",
    default=None,
    metavar="URL",
    help="Database URL (default: the config's database_url, else sqlite:///aggregator.db; "
    "$AGGREGATOR_DATABASE_URL overrides the config).",
)
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_url: str | None) -> None:
    """Follow what governments and international bodies say.

    \b
    Example:
      aggregator feeds check && aggregator fetch && aggregator status
    """
    ctx.obj = Context(
        config_path=config_path or DEFAULT_CONFIG,
        config_given=config_path is not None,
        db_url=db_url,
    )


pass_context = click.make_pass_decorator(Context)


# --- feeds -------------------------------------------------------------------------------------


@main.group()
def feeds() -> None:
    """Inspect the configured feeds."""


@feeds.command("check")
@pass_context
@handle_errors
def feeds_check(ctx: Context) -> None:
    """Validate the configuration file; exit 1 with file:line and the reason on error.

    \b
    Example:
      aggregator --config feeds.yaml feeds check
    """
    settings = ctx.settings()
    out = console()
    for warning in settings.warnings():
        out.print(f"warning: {warning}")
    out.print(
        f"{ctx.config_path}: OK — {plural(len(settings.sources), 'source')}, "
        f"{plural(len(settings.subscriptions), 'subscription')}"
    )


# --- db ----------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Manage the database."""


@db.command("upgrade")
@pass_context
@handle_errors
def db_upgrade(ctx: Context) -> None:
    """Create or migrate the schema to the latest revision.

    \b
    Example:
      aggregator --db postgresql://localhost/aggregator db upgrade
    """
    url = ctx.database_url()
    store = open_store(url, upgrade=False)
    try:
        revision = store.upgrade()
    finally:
        store.close()
    click.echo(f"database at revision {revision}")


# --- fetch -------------------------------------------------------------------------------------


@main.command()
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="NAME",
    help="Fetch this source now, due or not (repeatable). Default: every due source.",
)
@click.option(
    "--all",
    "all_sources",
    is_flag=True,
    help="Fetch every enabled source now, due or not, those backing off included.",
)
@pass_context
@handle_errors
def fetch(ctx: Context, sources: tuple[str, ...], all_sources: bool) -> None:
    """One polling pass over due (or named, or all) sources; prints a per-source summary.

    \b
    Exit status:
      0  at least one source was fetched (ok or not modified), or no source was due
      1  every source fetched failed (failed, gone or throttled), or the
         configuration or database is unusable

    \b
    Examples:
      aggregator fetch
      aggregator fetch --source un-news --source bbc-world
      aggregator fetch --all          # every enabled source now, backoff or not
    """
    if all_sources and sources:
        raise click.UsageError("use either --all or --source, not both")
    settings = ctx.settings()
    with ctx.store() as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        out = console()
        report = run_pass(
            store,
            settings,
            names=list(sources) or None,
            force=bool(sources) or all_sources,
            on_source=lambda r: out.print(_source_line(r)),
        )
        if not report.sources and all_sources:
            out.print(
                "no source was fetched: none is enabled, or a running daemon is fetching them"
            )
        elif not report.sources:
            out.print("no source is due; `aggregator status` shows when each is next polled")
        else:
            out.print(_pass_summary(report))
        processed = process_pending(store, settings)
        if processed.extracted or processed.grouped:
            out.print(_process_summary(processed))
    if report.sources and not any(r.outcome in _FETCHED for r in report.sources):
        click.echo(
            f"every source failed ({len(report.sources)} tried, none fetched); "
            "`aggregator status` shows each source's last error",
            err=True,
        )
        raise SystemExit(1)


#: outcomes that count as a successful fetch for the exit status of `aggregator fetch`
_FETCHED = (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED)


def _source_line(report: SourceReport) -> str:
    status = f"HTTP {report.status}" if report.status is not None else "-"
    base = f"{report.source:<28} {report.outcome.value:<13} {status:<9}"
    if report.outcome in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED):
        line = f"{base} new {report.new}, updated {report.updated}"
        if report.warning:
            line += f"  ({report.warning})"
        return line
    return f"{base} {report.error or ''}".rstrip()


def _process_summary(report: ProcessReport) -> str:
    return (
        f"extracted {plural(report.extracted, 'article')} "
        f"({plural(report.statements, 'statement')}); "
        f"grouped {plural(report.grouped, 'article')} ({plural(report.duplicates, 'copy')}) into "
        f"{plural(report.events, 'event')} ({report.event_merges} merged); "
        f"{plural(report.merged_statements, 'repeated statement')} merged"
    )


def _pass_summary(report: PassReport) -> str:
    return (
        f"{plural(len(report.sources), 'source')}: {report.new} new, {report.updated} updated, "
        f"{report.failed} failed"
    )


# --- extract / cluster / process ------------------------------------------------------------


@main.command()
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (DESIGN.md contract).")
@click.option(
    "--actors",
    "actors_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="An extra actors gazetteer merged over the bundled one (repeatable).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Name each statement's construction (`rule`); print the vetoed cue words on stderr.",
)
@click.option(
    "--lang",
    "language",
    metavar="TAG",
    help="The text's language (en, ru, uk, fr, de, es); detected from the text when not given.",
)
@handle_errors
def extract(
    source: str,
    as_json: bool,
    actors_files: tuple[str, ...],
    explain: bool,
    language: str | None,
) -> None:
    """Statements from one plain-text article (FILE, or - for standard input).

    Offsets are Python string indices into the input exactly as given. Statements come from
    the first 200,000 characters (the cap every article has; a note on stderr says when a
    text was longer); a file holding NUL bytes is no text and is refused. The text is read
    as English unless --lang or the detected language names another language extraction
    reads (ru, uk, fr, de, es).

    \b
    Examples:
      aggregator extract article.txt --json
      curl -s https://example.org/a.txt | aggregator extract - --json
      aggregator extract article.txt --json --explain   # with each statement's rule
      aggregator extract statya.txt --json --lang ru
    """
    from aggregator.extract import explain_statements, load_gazetteer, statement_to_json
    from aggregator.parse.language import detect_language

    text, longer = _read_text(source)
    if longer:
        click.echo(
            f"note: {source} holds more than {MAX_TEXT_CHARS:,} characters; statements come "
            f"from the first {text_end(text):,}",
            err=True,
        )
    if language is None:
        language = detect_language("", text)
    explained = explain_statements(text, load_gazetteer(list(actors_files)), language=language)
    for veto in explained.vetoes if explain else ():
        click.echo(f"veto {veto.name} {veto.word} {veto.start}", err=True)
    rules = [rule if explain else None for _, rule in explained.statements]
    statements = [statement for statement, _ in explained.statements]
    if as_json:
        objects = [statement_to_json(s, rule) for s, rule in zip(statements, rules, strict=True)]
        click.echo(json.dumps(objects, ensure_ascii=False))
        return
    for statement, rule in zip(statements, rules, strict=True):
        who = statement.speaker or "(unattributed)"
        if statement.actor and statement.actor != statement.speaker:
            who += f" = {statement.actor}"
        side = f" [{statement.side}]" if statement.side else ""
        how = f" ({rule})" if rule else ""
        click.echo(
            f"{statement.start}-{statement.end} {statement.kind:<8} {who}{side}{how}: "
            f"{statement.text}"
        )


def _read_text(source: str) -> tuple[str, bool]:
    """The input as text, and whether it went on beyond what extraction reads.

    Only as many bytes as MAX_TEXT_CHARS characters can take are read (4 each), so a huge file
    costs no memory; undecodable bytes become replacement characters (a stray Latin-1 byte is
    no reason to refuse an article), but a NUL byte means a binary file and is an error.
    """
    wanted = 4 * MAX_TEXT_CHARS + 4  # bytes enough for MAX_TEXT_CHARS characters, and one more
    try:
        if source == "-":
            data = sys.stdin.buffer.read(wanted)
        else:
            with open(source, "rb") as handle:
                data = handle.read(wanted)
    except OSError as exc:
        raise click.ClickException(f"cannot read {source}: {exc.strerror}") from exc
    nul = data.find(b"\0")
    if nul >= 0:
        raise click.ClickException(
            f"{source} is not a text file (a NUL byte at offset {nul:,}); "
            "extract reads plain UTF-8 text"
        )
    # an incremental decode leaves a character cut at the end of the read undecoded
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(data)
    return text, len(text) > MAX_TEXT_CHARS


@main.command()
@click.argument("source", metavar="FILE.jsonl|-")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (the contract).")
@handle_errors
def cluster(source: str, as_json: bool) -> None:
    """Group a stream of documents into events, with the pipeline's grouping code.

    Input: one JSON document a line with id, title, text, optional published (ISO date) and
    source. Output: one line a document, {"id": …, "event": …}, in input order. A line that is
    not UTF-8, not JSON, not an object, nested too deep or longer than 4 MiB stops the run with
    an error naming it (exit 1); a text is grouped on its first 200,000 characters.

    \b
    Example:
      aggregator cluster docs.jsonl --json
    """
    from aggregator.group import cluster_stream, read_jsonl

    if source != "-" and not Path(source).is_file():
        raise click.ClickException(f"cannot read {source}: no such file")
    with _binary_input(source) as handle:
        for doc_id, event_id in cluster_stream(read_jsonl(handle)):
            if as_json:
                click.echo(json.dumps({"id": doc_id, "event": event_id}, ensure_ascii=False))
            else:
                click.echo(f"{doc_id}\t{event_id}")


@contextmanager
def _binary_input(source: str) -> Iterator[IO[bytes]]:
    """Standard input (``-``) or the file, as bytes; a file that cannot be opened is an error."""
    if source == "-":
        yield sys.stdin.buffer
        return
    try:
        handle = open(source, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise click.ClickException(f"cannot read {source}: {exc.strerror}") from exc
    with handle:
        yield handle


@main.command()
@click.option("--reextract", is_flag=True, help="Re-run extraction over every stored article.")
@click.option("--regroup", is_flag=True, help="Re-run grouping over every stored article.")
@pass_context
@handle_errors
def process(ctx: Context, reextract: bool, regroup: bool) -> None:
    """Extract statements and group articles that are new, changed or extracted by an older
    version. Idempotent: running it twice does nothing the second time.

    \b
    Examples:
      aggregator process
      aggregator process --reextract     # after an upgrade of the extractor or actors.yaml
    """
    settings = ctx.settings()
    with ctx.store() as store:
        report = process_pending(store, settings, reextract=reextract, regroup=regroup)
    click.echo(_process_summary(report))


# --- digest ------------------------------------------------------------------------------------


def day_or_time(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> date | datetime | None:
    """``YYYY-MM-DD`` (a whole local day) or ``YYYY-MM-DDTHH:MM`` (a local time), told apart by
    their form, never by their value: ``2026-11-25T00:00`` is a time, not the whole day."""
    if value is None:
        return None
    try:
        if "T" in value:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M")
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-11-24 or a time like 2026-11-24T06:00"
        ) from None


@main.command()
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="One calendar day.")
@click.option(
    "--since",
    callback=day_or_time,
    metavar="YYYY-MM-DD[THH:MM]",
    help="Start of a period (with --until).",
)
@click.option(
    "--until",
    callback=day_or_time,
    metavar="YYYY-MM-DD[THH:MM]",
    help="End of a period: a date includes that whole day, a time is exclusive.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write digest-<date>.html, .txt and .eml into this folder.",
)
@click.option("--send", is_flag=True, help="Mail it, at most once per subscription and period.")
@click.option("--resend", is_flag=True, help="With --send: send again even if already sent.")
@click.option(
    "--subscription",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this subscription (repeatable). Default: all of them.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print what the digest shows as JSON (every statement of every main event; one "
    "subscription: name it with --subscription when there are several). Sends nothing.",
)
@pass_context
@handle_errors
def digest(
    ctx: Context,
    day: datetime | None,
    since: date | datetime | None,
    until: date | datetime | None,
    out_dir: Path | None,
    send: bool,
    resend: bool,
    names: tuple[str, ...],
    as_json: bool,
) -> None:
    """Render the digest for a period (default: yesterday in each subscription's time zone),
    write it with --out, and mail it with --send. With several subscriptions the files are
    named digest-<period>-<subscription>.*.

    \b
    Exit status with --send (with several subscriptions, the first that applies, in this order):
      5  uncertain: an earlier send stopped after handing it to the relay (--resend forces)
      1  failed: the relay refused it or could not be reached (nothing was delivered)
      4  in flight: another process is sending it now; try again later
      3  already sent: it went out before; nothing was sent now
      0  sent
    SIGTERM or Ctrl-C before the hand-over leaves it to send again at once.

    \b
    Examples:
      aggregator digest --date 2026-11-24 --out digests/
      aggregator digest --send                   # yesterday's, from cron
      aggregator digest --since 2026-11-20 --until 2026-11-24 --out week/
      aggregator digest --date 2026-11-24 --subscription daily --json
    """
    from aggregator.pipeline.deliver import subscriptions
    from aggregator.pipeline.leases import process_owner

    _refuse_digest_options(
        ctx,
        day=day,
        since=since,
        until=until,
        out_dir=out_dir,
        send=send,
        resend=resend,
        as_json=as_json,
    )
    settings = ctx.settings(required=send)
    chosen: list[SubscriptionConfig | None] = [*subscriptions(settings, names)] or [None]
    if as_json and len(chosen) > 1:
        raise click.UsageError(
            "--json prints one digest: choose a subscription with --subscription "
            f"({', '.join(s.name for s in chosen if s is not None)})"
        )
    owner = process_owner()
    outcomes: list[str] = []
    # with --send, SIGTERM unwinds like Ctrl-C: a send stopped before the hand-over gives its
    # claim back, so the next run sends it at once
    with _sigterm_unwinds(send), ctx.store() as store:
        for sub in chosen:
            period = _digest_period(day, since, until, sub.timezone if sub is not None else "UTC")
            if as_json:
                _print_digest_json(store, sub, period, settings.settings.web.base_url)
                continue
            outcome = _deliver_and_report(
                store,
                settings,
                sub,
                owner=owner,
                period=period,
                out_dir=out_dir,
                file_stem_suffix=f"-{sub.name}" if sub is not None and len(chosen) > 1 else "",
                send=send,
                resend=resend,
            )
            outcomes.append(outcome)
    code = send_exit_status(outcomes)
    if code:
        raise SystemExit(code)


def _refuse_digest_options(
    ctx: Context,
    *,
    day: datetime | None,
    since: date | datetime | None,
    until: date | datetime | None,
    out_dir: Path | None,
    send: bool,
    resend: bool,
    as_json: bool,
) -> None:
    """A usage error for the combinations of `digest`'s options that make no sense."""
    if as_json and (send or out_dir is not None):
        raise click.UsageError("--json prints the digest; it does not go with --send or --out")
    if resend and not send:
        raise click.UsageError("--resend only makes sense with --send")
    if day and (since or until):
        raise click.UsageError("use either --date or --since/--until")
    if (since is None) != (until is None):
        raise click.UsageError("--since and --until go together")
    if send and not ctx.settings().subscriptions:
        raise click.UsageError(f"--send needs a subscription in {ctx.config_path}")


def _digest_period(
    day: datetime | None, since: date | datetime | None, until: date | datetime | None, tz: str
) -> Period | None:
    """The period `digest`'s options name, in the time zone ``tz``; None: the default one
    (yesterday there)."""
    from aggregator.digest import day_period, span_period

    if day is not None:
        return day_period(day.date(), tz)
    if since is None or until is None:
        return None
    if not isinstance(since, datetime) and since == until:
        return day_period(since, tz)  # the same ledger key as --date
    try:
        return span_period(since, until, tz)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


def _deliver_and_report(
    store: Store,
    settings: Settings,
    sub: SubscriptionConfig | None,
    *,
    owner: str,
    period: Period | None,
    out_dir: Path | None,
    file_stem_suffix: str,
    send: bool,
    resend: bool,
) -> str:
    """Deliver one subscription's digest and say what happened; its outcome ("sent",
    "already-sent", … or "failed" and "uncertain" for a mail error) for the exit status."""
    from aggregator.pipeline.deliver import deliver

    try:
        report = deliver(
            store,
            settings,
            sub,
            now=clock.now(),
            owner=owner,
            period=period,
            out_dir=out_dir,
            file_stem_suffix=file_stem_suffix,
            send=send,
            force=resend,
        )
    except MailError as exc:
        click.echo(f"{sub.name if sub else 'digest'}: {exc}", err=True)
        return "uncertain" if exc.uncertain else "failed"
    click.echo(
        f"{report.subscription}: {report.period.label}: "
        f"{plural(report.events, 'event')}, {plural(report.statements, 'statement')} "
        f"— {report.status}"
    )
    for path in report.files:
        click.echo(f"  wrote {path}")
    explanation = _SEND_OUTCOMES.get(report.status)
    if explanation:
        click.echo(f"{report.subscription}: {report.period.label}: {explanation}", err=True)
    return report.status


#: what a non-sent outcome of `digest --send` means, on stderr
_SEND_OUTCOMES = {
    "already-sent": "already sent before; nothing was sent now (--resend sends it again)",
    "in-flight": (
        "in flight: another process is sending it (or died doing so less than 15 minutes ago "
        "on another machine); nothing was sent now, try again later"
    ),
    "uncertain": (
        "an earlier send may or may not have been delivered: it stopped after handing the "
        "message to the relay; it is not sent again automatically (--resend forces it)"
    ),
}
#: the exit status of each outcome of `digest --send`, the first that applies winning
SEND_EXIT_STATUS = {"uncertain": 5, "failed": 1, "in-flight": 4, "already-sent": 3, "sent": 0}


def send_exit_status(outcomes: list[str]) -> int:
    """The exit status of `digest` over its subscriptions' outcomes (0 when nothing was sent
    because nothing was asked to be: a rendering)."""
    for outcome, code in SEND_EXIT_STATUS.items():
        if outcome in outcomes:
            return code
    return 0


@contextmanager
def _sigterm_unwinds(wanted: bool) -> Iterator[None]:
    """For the block, SIGTERM raises SystemExit(143) where the program is (main thread only)."""
    if not wanted or threading.current_thread() is not threading.main_thread():
        yield
        return

    def unwind(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, unwind)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _print_digest_json(
    store: Store, sub: SubscriptionConfig | None, period: Period | None, base_url: str | None
) -> None:
    from aggregator.digest import DigestOptions, digest_to_json, previous_day
    from aggregator.pipeline.deliver import digest_for_period, digest_options

    options = (
        digest_options(sub, base_url)
        if sub is not None
        else DigestOptions("digest", timezone="UTC", base_url=base_url)
    )
    now = clock.now()
    period = period or previous_day(now, options.timezone)
    shown = digest_for_period(store, options, period, now=now)
    click.echo(json.dumps(digest_to_json(shown), ensure_ascii=False, indent=1))


# --- run / backfill ----------------------------------------------------------------------------


def duration_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> timedelta | None:
    """A duration like ``90s``, ``15m`` or ``1h`` (the configuration's form)."""
    from aggregator.config import parse_duration
    from aggregator.errors import ConfigError

    if value is None:
        return None
    try:
        return parse_duration(value)
    except ConfigError as exc:
        raise click.BadParameter(exc.reason) from None


@main.command()
@click.option("--json-logs", is_flag=True, help="One JSON object a log line (for log shippers).")
@click.option(
    "--heartbeat",
    callback=duration_option,
    metavar="DURATION",
    help="How often the daemon records that it is alive and renews its leases (default 15s).",
)
@click.option(
    "--lease",
    callback=duration_option,
    metavar="DURATION",
    help="How long a source it claimed stays its own without a renewal: how soon the sources "
    "of a daemon that died come back to the others (default two heartbeats; longer than one).",
)
@pass_context
def run(
    ctx: Context, json_logs: bool, heartbeat: timedelta | None, lease: timedelta | None
) -> None:
    """The daemon: polls due sources, processes what lands, sends digests at their local time.

    SIGTERM or SIGINT finish in-flight work and exit 0; SIGHUP reloads the configuration.
    On SQLite only one daemon may run; on PostgreSQL any number share the work. Each source
    it fetches is leased to it, and every heartbeat renews its leases: the sources of a daemon
    that dies come back to the others within one lease, and at once to a daemon started
    after it on the same machine (or on the same SQLite file). See docs/daemon.md.

    \b
    Example:
      aggregator --config /etc/aggregator/feeds.yaml run --json-logs
      aggregator run --heartbeat 10s --lease 30s
    """
    from aggregator.daemon import DaemonOptions, exit_process, run_daemon
    from aggregator.web.made import make_pages

    defaults = DaemonOptions()
    try:
        options = DaemonOptions(
            heartbeat=defaults.heartbeat if heartbeat is None else heartbeat.total_seconds(),
            lease=lease,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    code = run_daemon(
        Path(ctx.config_path),
        db_url=ctx.db_url,
        json_logs=json_logs,
        options=options,
        after_process=make_pages,
    )
    exit_process(code)


@main.command()
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day (UTC), inclusive."
)
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last day (UTC), inclusive."
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="NAME",
    help="Only this source (repeatable). Default: every enabled source.",
)
@click.option(
    "--from",
    "from_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of saved feed files and article pages for the one --source.",
)
@click.option("--digests", is_flag=True, help="Render one digest per day of the range.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where --digests are written.",
)
@click.option("--send", is_flag=True, help="Also mail each digest (at most once).")
@click.option("--fresh", is_flag=True, help="Ignore checkpoints and walk the archives again.")
@click.option(
    "--no-process",
    "skip_processing",
    is_flag=True,
    help="Store only; leave extraction and grouping to the daemon.",
)
@click.option(
    "--progress/--no-progress", default=None, help="A progress bar (default: only on a terminal)."
)
@pass_context
@handle_errors
def backfill(
    ctx: Context,
    since: datetime,
    until: datetime,
    sources: tuple[str, ...],
    from_dir: Path | None,
    digests: bool,
    out_dir: Path | None,
    send: bool,
    fresh: bool,
    skip_processing: bool,
    progress: bool | None,
) -> None:
    """Load a past period from archived or paged feeds (or a folder of saved files), then
    extract, group and optionally render a digest per day. Resumable and idempotent.

    \b
    Examples:
      aggregator backfill --since 2026-11-01 --until 2026-11-24
      aggregator backfill --since 2026-01-01 --until 2026-01-31 --source white-house \\
          --from saved/whitehouse/ --digests --out digests/
    """
    from aggregator.backfill import report_lines, run_backfill

    if until < since:
        raise click.UsageError("--until is before --since")
    if digests and not (out_dir or send):
        raise click.UsageError("--digests needs --out DIR (to write them) or --send")
    settings = ctx.settings()
    with ctx.store() as store:
        report = run_backfill(
            store,
            settings,
            since=since.date(),
            until=until.date(),
            sources=sources,
            from_dir=from_dir,
            digests=digests,
            out_dir=out_dir,
            send=send,
            progress=progress,
            fresh=fresh,
            process=not skip_processing,
        )
    for line in report_lines(report):
        click.echo(line)
    if report.failed:
        raise SystemExit(1)


# --- status / stats ----------------------------------------------------------------------------


@main.command()
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON array, an object a source (the contract in docs/fetching.md).",
)
@pass_context
@handle_errors
def status(ctx: Context, as_json: bool) -> None:
    """A table of sources: last fetch, HTTP status, new entries, failures, next poll, state;
    then the daemons' heartbeats. Source names are never cut, whatever the width.

    \b
    Examples:
      aggregator status
      aggregator status --json | jq '.[] | select(.state != "ok") | .name'
    """
    from aggregator.pipeline.status import daemon_lines, print_status_table, status_records

    now = clock.now()
    with ctx.store() as store:
        rows = store.source_status()
        daemons = store.daemons(alive_within=None if as_json else timedelta(minutes=1), now=now)
    if as_json:
        click.echo(json.dumps(status_records(rows, daemons, now=now), ensure_ascii=False))
        return
    out = console()
    print_status_table(out, rows)
    for line in daemon_lines(daemons):
        out.print(line)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_context
@handle_errors
def stats(ctx: Context, as_json: bool) -> None:
    """Counts of sources, articles, statements, events and digests sent.

    \b
    Example:
      aggregator stats --json
    """
    with ctx.store() as store:
        counts = store.stats()
    if as_json:
        click.echo(json.dumps(counts))
    else:
        for key, value in counts.items():
            click.echo(f"{key:<14} {value}")


# --- serve -------------------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="TCP port."
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (each with its own connections to the store).",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Requests a worker handles at once; more wait their turn (more threads only contend "
    "for the interpreter lock; raise it when the store is a remote PostgreSQL).",
)
@click.option(
    "--cache-mib",
    default=8,
    show_default=True,
    type=click.IntRange(0, 65536),
    help="Pages a worker keeps and serves again while the store is unchanged, in MiB "
    "(bodies, keys and headers; 0: none). Any write to the store, by any process, drops them.",
)
@click.option(
    "--public",
    is_flag=True,
    help="Serve on a non-loopback --host without settings.web.auth (anyone who can reach it "
    "reads the archive).",
)
@click.option(
    "--forwarded-allow-ips",
    metavar="IPS",
    default=None,
    help="Proxies whose X-Forwarded-For/-Proto headers are trusted, comma-separated, or '*' "
    "(default 127.0.0.1: a reverse proxy on this machine).",
)
@click.option("--no-access-log", is_flag=True, help="Do not log each request.")
@pass_context
@handle_errors
def serve(
    ctx: Context,
    host: str,
    port: int,
    workers: int,
    threads: int,
    cache_mib: int,
    public: bool,
    forwarded_allow_ips: str | None,
    no_access_log: bool,
) -> None:
    """The web archive: digests, events, speakers, search, a JSON API, Atom feeds, /metrics.

    Listens on 127.0.0.1 unless --host says otherwise; a --host other machines can reach needs
    settings.web.auth (HTTP basic auth, the password in the environment variable it names) or
    --public. Ctrl-C or SIGTERM finish the requests in flight and exit 0. Pages and API are
    described in docs/web.md.

    \b
    Routes:
      /  /digests/SUBSCRIPTION/DATE  /events/ID  /actors/SLUG  /search?q=
      /api/v1/events?date=  /api/v1/events/ID  /api/v1/search?q=  /api/v1/actors/SLUG
      /api/v1/openapi.json  /feeds/SUBSCRIPTION.atom  /healthz  /metrics

    \b
    Examples:
      aggregator --db sqlite:///demo-out/demo.db serve
      aggregator --config /etc/aggregator/feeds.yaml serve --host 0.0.0.0 --workers 4
    """
    from aggregator.web.serve import ServeOptions, display_url, exposure_refusal, run_server

    settings = ctx.settings(required=False)
    refusal = exposure_refusal(host, settings, public=public)
    if refusal is not None:
        click.echo(f"Error: {refusal}", err=True)
        raise SystemExit(2)
    auth = settings.settings.web.auth
    if auth is not None:
        auth.password()  # a missing variable stops here, before anything listens
    options = ServeOptions(
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        cache_bytes=cache_mib * 1024 * 1024,
        forwarded_allow_ips=forwarded_allow_ips,
        access_log=not no_access_log,
    )
    config_path = ctx.config_path if Path(ctx.config_path).exists() else None
    click.echo(f"serving the web archive at {display_url(host, port)} (Ctrl-C to stop)")
    run_server(options, settings, database_url=ctx.database_url(), config_path=config_path)
    click.echo("stopped")


@main.command()
@click.option(
    "--budget",
    callback=duration_option,
    metavar="DURATION",
    help="Stop after this long (say 30s or 5m); what is left is made by the next run "
    "(default: make every page wanted).",
)
@click.option(
    "--progress/--no-progress", default=None, help="A progress bar (default: only on a terminal)."
)
@click.option(
    "--drop",
    is_flag=True,
    help="Forget every stored page instead (serve renders each page again; writes stop "
    "paying for them).",
)
@pass_context
@handle_errors
def pages(ctx: Context, budget: timedelta | None, progress: bool | None, drop: bool) -> None:
    """Make the web archive's event and speaker pages ahead, so that `serve` sends them as
    they are (an event page then costs about what /healthz costs).

    Makes every page that is missing, reached by a write since it was made, or made by other
    code or templates: live events most recently seen first, then speakers most quoted
    first. The store forgets a page the moment a write reaches what it shows, so a kept page
    is never out of date; until the next run such a page is rendered for each request.
    Run it after `aggregator process` (or from cron); the daemon runs it after each
    processing run when settings.web.stored_pages is true. See docs/web.md.

    \b
    Examples:
      aggregator pages
      aggregator --db postgresql://localhost/aggregator pages --budget 5m
      aggregator pages --drop            # no longer serving: stop keeping them
    """
    from rich.progress import Progress

    from aggregator.web.made import PageMaker

    settings = ctx.settings(required=False)
    shown = sys.stderr.isatty() if progress is None else progress
    if drop:
        with ctx.store() as store:
            click.echo(f"{plural(store.drop_pages(), 'stored page')} dropped")
        return
    with ctx.store() as store:
        maker = PageMaker(store, settings)
        seconds = None if budget is None else budget.total_seconds()
        if shown:
            with Progress(console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task("making pages", total=None)
                report = maker.run(
                    budget=seconds,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        else:
            report = maker.run(budget=seconds)
    click.echo(made_summary(report))


def made_summary(report: MadeReport) -> str:
    """One line: what a run of the page maker did."""
    line = (
        f"{plural(report.events, 'event page')} and {plural(report.actors, 'speaker page')} "
        f"made in {report.seconds:.1f} s"
    )
    if report.lost:
        line += f"; {plural(report.lost, 'page')} changed while being made (made next run)"
    if report.left:
        line += f"; {plural(report.left, 'page')} left for the next run"
    return line


# --- demo --------------------------------------------------------------------------------------


@main.command()
@click.option(
    "--dir",
    "work_dir",
    default="demo-out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the demo database and its output.",
)
@click.option("--fresh", is_flag=True, help="Start from an empty demo database.")
@click.option(
    "--serve",
    is_flag=True,
    help="Then serve the demo's web archive on 127.0.0.1 until Ctrl-C.",
)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port for --serve.",
)
@handle_errors
def demo(work_dir: str, fresh: bool, serve: bool, port: int) -> None:
    """The main job on bundled sample feeds: no network, no setup.

    \b
    Examples:
      aggregator demo --fresh
      aggregator demo --serve          # then browse http://127.0.0.1:8080/
    """
    from aggregator.demo import run_demo, serve_demo

    run_demo(Path(work_dir), fresh=fresh, out=console())
    if serve:
        serve_demo(Path(work_dir), port=port, out=console())


if __name__ == "__main__":  # python -m aggregator.cli
    main()


# --- correct -----------------------------------------------------------------------------------


@main.group()
def correct() -> None:
    """Correct the record: pin a speaker's side, role or standing; merge or split events.

    Corrections are kept in settings.corrections_file (default: corrections.yaml beside the
    configuration), applied to the store at once and at every processing run, so they survive
    `process --reextract` and `--regroup`.

    \b
    Examples:
      aggregator correct speaker "Esmaeil Baqaei" --side Iran --role "Foreign ministry spokesman"
      aggregator correct speaker "The Jerusalem Post" --commentary
      aggregator correct merge ev-1a2b ev-3c4d
      aggregator correct split ev-1a2b --article https://example.org/story
      aggregator correct list
    """


def _corrections_file(ctx: Context) -> Path:
    return Path(ctx.settings(required=False).settings.corrections_file)


def _save_and_apply(ctx: Context, corrections: Corrections) -> None:
    from aggregator.config.corrections import save_corrections
    from aggregator.pipeline.process import apply_corrections

    path = _corrections_file(ctx)
    save_corrections(path, corrections)
    with ctx.store() as store:
        statements, events = apply_corrections(store, corrections)
    click.echo(f"saved {path}; changed in the store: statements {statements}, events {events}")


@correct.command("speaker")
@click.argument("name")
@click.option("--side", help="The side this speaker speaks for.")
@click.option("--no-side", is_flag=True, help="This speaker speaks for no side.")
@click.option("--role", help="The role to show for this speaker.")
@click.option(
    "--commentary/--party",
    default=None,
    help="A commentator (journalist, expert, NGO: no side) or a party.",
)
@pass_context
@handle_errors
def correct_speaker(
    ctx: Context,
    name: str,
    side: str | None,
    no_side: bool,
    role: str | None,
    commentary: bool | None,
) -> None:
    """Pin the side, role or standing of a speaker (the resolved actor or the name as written).

    \b
    Examples:
      aggregator correct speaker "Esmaeil Baqaei" --side Iran
      aggregator correct speaker "The Jerusalem Post" --commentary
    """
    from aggregator.config.corrections import SpeakerCorrection, load_corrections

    if side is not None and no_side:
        raise click.UsageError("--side and --no-side exclude each other")
    fields: dict[str, object] = {"speaker": name}
    if side is not None or no_side:
        fields["side"] = side
    if role is not None:
        fields["role"] = role
    if commentary is not None:
        fields["commentary"] = commentary
    if len(fields) == 1:
        raise click.UsageError(
            "say what to pin: --side, --no-side, --role, --commentary or --party"
        )
    current = load_corrections(_corrections_file(ctx))
    pin = SpeakerCorrection.model_validate(fields)
    kept = [p for p in current.speakers if p.speaker.casefold() != name.casefold()]
    _save_and_apply(ctx, current.model_copy(update={"speakers": [*kept, pin]}))


def _event_urls(store: Store, event_id: str) -> list[str]:
    urls = store.event_article_urls(event_id)
    if not urls:
        raise click.ClickException(f"no event {event_id!r} with articles in the store")
    return urls


@correct.command("merge")
@click.argument("event_ids", nargs=-1, required=True)
@pass_context
@handle_errors
def correct_merge(ctx: Context, event_ids: tuple[str, ...]) -> None:
    """Make these events one (at least two event ids, as `digest --json` shows them).

    \b
    Example:
      aggregator correct merge ev-1a2b3c ev-4d5e6f
    """
    from aggregator.config.corrections import EventCorrection, load_corrections

    if len(set(event_ids)) < 2:
        raise click.UsageError("name at least two different events")
    with ctx.store() as store:
        # each event by its earliest article: ids change when everything is grouped again
        urls = [_event_urls(store, event_id)[0] for event_id in event_ids]
    current = load_corrections(_corrections_file(ctx))
    merge = EventCorrection(merge=urls)
    _save_and_apply(ctx, current.model_copy(update={"events": [*current.events, merge]}))


@correct.command("split")
@click.argument("event_id")
@click.option(
    "--article",
    "urls",
    multiple=True,
    required=True,
    metavar="URL",
    help="An article that leaves the event (repeatable); together they make one event.",
)
@pass_context
@handle_errors
def correct_split(ctx: Context, event_id: str, urls: tuple[str, ...]) -> None:
    """Take these articles out of an event, into an event of their own.

    \b
    Example:
      aggregator correct split ev-1a2b3c --article https://example.org/a-film-review
    """
    from aggregator.config.corrections import EventCorrection, load_corrections

    with ctx.store() as store:
        members = set(_event_urls(store, event_id))
    strangers = [url for url in urls if url not in members]
    if strangers:
        raise click.UsageError(f"not articles of {event_id}: {', '.join(strangers)}")
    current = load_corrections(_corrections_file(ctx))
    split = EventCorrection(split=list(urls))
    _save_and_apply(ctx, current.model_copy(update={"events": [*current.events, split]}))


@correct.command("list")
@pass_context
@handle_errors
def correct_list(ctx: Context) -> None:
    """Show the corrections, numbered (for `correct remove`).

    \b
    Example:
      aggregator correct list
    """
    from aggregator.config.corrections import load_corrections

    path = _corrections_file(ctx)
    current = load_corrections(path)
    number = 0
    for pin in current.speakers:
        number += 1
        fields = ", ".join(
            f"{k}={getattr(pin, k)!r}" for k in sorted(pin.model_fields_set - {"speaker"})
        )
        click.echo(f"{number}. speaker {pin.speaker}: {fields}")
    for event in current.events:
        number += 1
        action, urls = ("merge", event.merge) if event.merge is not None else ("split", event.split)
        click.echo(f"{number}. {action} {' '.join(urls or [])}")
    if not number:
        click.echo(f"no corrections in {path}")


@correct.command("remove")
@click.argument("number", type=click.IntRange(min=1))
@pass_context
@handle_errors
def correct_remove(ctx: Context, number: int) -> None:
    """Remove correction NUMBER (as `correct list` shows it). What it changed in the store stays
    until the next `process --reextract` or `--regroup`.

    \b
    Example:
      aggregator correct remove 2
    """
    from aggregator.config.corrections import load_corrections, save_corrections

    path = _corrections_file(ctx)
    current = load_corrections(path)
    speakers, events = list(current.speakers), list(current.events)
    if number > len(speakers) + len(events):
        raise click.UsageError(f"there are {len(speakers) + len(events)} corrections")
    if number <= len(speakers):
        speakers.pop(number - 1)
    else:
        events.pop(number - 1 - len(speakers))
    save_corrections(path, current.model_copy(update={"speakers": speakers, "events": events}))
    click.echo(f"removed correction {number} from {path}")
