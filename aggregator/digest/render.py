"""Render a :class:`Digest` to a subject, an email-ready HTML part and a plain-text part.

The templates are ``digest.html.j2`` and ``digest.txt.j2``: a user's ``templates_dir`` is searched
first (either may be overridden alone), then the defaults shipped in ``aggregator/templates``.
The HTML environment autoescapes everything; views carry only http(s) link targets
(:func:`aggregator.digest.layout.safe_url`), so feed text can never become markup, script or a
``javascript:`` link. CSS is then inlined by css-inline (remote stylesheets never fetched); media
queries (phone stacking, dark mode) stay in a ``<style>`` block for the clients that honour them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

import css_inline
import jinja2
from markupsafe import Markup

from aggregator.digest.layout import clean_text, language_name
from aggregator.digest.model import Column, Digest, EventView, RenderedDigest, StatementView
from aggregator.digest.period import zone
from aggregator.errors import ConfigError
from aggregator.wording import plural

HTML_TEMPLATE = "digest.html.j2"
TEXT_TEMPLATE = "digest.txt.j2"
SUBJECT_MAX = 140
#: the HTML part stays under this many bytes (Gmail clips a message's HTML above 102 KB)
HTML_BUDGET = 96 * 1024
#: a statement's words in a cell are cut at a sentence's end after this many characters
BRIEF_CHARS = 320


def default_templates_dir() -> Path:
    """The templates shipped with the package (a symlink to the top-level ``templates/``)."""
    return Path(str(files("aggregator") / "templates"))


def make_subject(digest: Digest) -> str:
    """One header-safe line: subscription, period, event count and the top event's title."""
    subject = f"{clean_text(digest.subscription)} digest {digest.period.label}: "
    subject += plural(len(digest.events), "event") if digest.events else "no events"
    if digest.events:
        subject += f" — {digest.events[0].title}"
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1].rstrip() + "…"
    return subject


# cached: compiling the templates costs more than rendering a small digest; Jinja2 still
# reloads a user template whose file changed (auto_reload)
@functools.lru_cache(maxsize=16)
def _environment(
    templates_dir: str | Path | None, *, html: bool, tz: ZoneInfo
) -> jinja2.Environment:
    search = [str(default_templates_dir())]
    if templates_dir is not None:
        search.insert(0, str(templates_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def local(value: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return value.astimezone(tz).strftime(fmt)

    env.filters["local"] = local
    env.filters["wrap"] = _wrap
    env.filters["span"] = lambda event: _span(event, tz)
    env.filters["who"] = _who
    env.filters["by"] = _by
    env.filters["plural"] = plural
    env.filters["headline"] = headline
    env.filters["rest_hint"] = rest_hint
    env.filters["brief"] = brief
    env.filters["language_name"] = language_name
    env.filters["quoted"] = _quoted_html if html else _quoted_text
    return env


@functools.lru_cache(maxsize=16)
def _page_environment(templates_dir: str | Path | None, *, tz: ZoneInfo) -> jinja2.Environment:
    """The mail's HTML environment, for the web archive's pages: statements whole, and each
    speaker linked to their page (``actor_url`` in the page's context)."""
    base = _environment(templates_dir, html=True, tz=tz)
    env = base.overlay()
    env.filters["who"] = _who_linked
    env.filters["by"] = _by_linked
    env.filters["brief"] = _whole
    env.filters["marked"] = marked
    return env


#: what a search snippet's matches are enclosed in (the store's MARK_START and MARK_END)
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def marked(snippet: str) -> Markup:
    """A search snippet as HTML: the text escaped, then each match between the store's marks
    in ``<mark>``; a mark without its partner is dropped."""
    escaped = str(Markup.escape(snippet))
    highlighted = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return Markup(highlighted.replace(MARK_START, "").replace(MARK_END, ""))


def render_page(
    name: str,
    context: dict[str, object],
    *,
    templates_dir: str | Path | None = None,
    timezone: str = "UTC",
) -> str:
    """A page of the web archive: template ``name`` (e.g. ``web/event.html.j2``), autoescaped,
    with the digest's filters and partials. ``context["actor_url"]`` maps an actor's name to
    the URL of their page (or None: no link)."""
    return _render(_page_environment(templates_dir, tz=zone(timezone)), name, context)


_OPENING = "\"“„«‘'`"
_CLOSING = "\"”»’'"


def _bare(text: str) -> str:
    """The words without the quotation marks the extractor kept around a direct quote."""
    stripped = text.strip()
    if len(stripped) > 1 and stripped[0] in _OPENING and stripped.rstrip(",.")[-1:] in _CLOSING:
        inner = stripped[1:].rstrip(",")
        inner = inner[:-1] if inner[-1:] in _CLOSING else inner
        return inner.strip("`' ").rstrip(",").strip()
    return stripped


def _quoted_html(text: str) -> str:
    return f"“{_bare(text)}”"


# a quotation closed, then another opened: two quotations joined ("deal”. “The president")
_JOINED = re.compile(r"”[^“”]*“")


def _quoted_text(text: str) -> str:
    """A quotation in the plain-text part: in straight marks, unless its words join two curly
    quotations ("deal”. “The president"): then in curly marks too, so that the marks a reader
    sees pair up (one inner quotation, "a “peace plan”", keeps straight marks around it)."""
    bare = _bare(text)
    if _JOINED.search(bare):
        return f"“{bare}”"
    return f'"{bare}"'


def _wrap(text: str, width: int = 78, indent: str = "", first: str | None = None) -> str:
    """Greedy word wrap; long words stay whole (URLs must not be broken). ~10x textwrap's speed."""
    lines: list[str] = []
    line = indent if first is None else first
    base = len(line)
    for word in text.split():
        if len(line) > base and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent + word
            base = len(indent)
        elif len(line) > base:
            line += " " + word
        else:
            line += word
    lines.append(line)
    return "\n".join(lines)


def _span(event: EventView, tz: ZoneInfo) -> str:
    start = event.first_seen.astimezone(tz)
    end = event.last_seen.astimezone(tz)
    if start.date() == end.date():
        return f"{start:%d %b %H:%M}–{end:%H:%M}"
    return f"{start:%d %b %H:%M} – {end:%d %b %H:%M}"


def _who(statement: StatementView) -> str:
    """Speaker and role as shown, "speaker, role"; either alone; else the side."""
    parts = [p for p in (statement.speaker, statement.role) if p]
    if not parts:
        return statement.side or "unattributed"
    return ", ".join(parts)


def _by(statement: StatementView) -> str:
    """Under reported speech (whose sentence names the speaker): the role, if any."""
    return statement.role or ""


def _whole(text: str, limit: int = BRIEF_CHARS) -> str:
    return text


def _actor_link(context: jinja2.runtime.Context, statement: StatementView) -> Markup | None:
    actor_url = context.get("actor_url")
    url = actor_url(statement.actor) if callable(actor_url) and statement.actor else None
    if url is None or statement.speaker is None:
        return None
    return Markup('<a href="{}">{}</a>').format(url, statement.speaker)


@jinja2.pass_context
def _who_linked(context: jinja2.runtime.Context, statement: StatementView) -> Markup | str:
    """:func:`_who`, the speaker's name linked to their page."""
    link = _actor_link(context, statement)
    if link is None:
        return _who(statement)
    return link + (f", {statement.role}" if statement.role else "")


@jinja2.pass_context
def _by_linked(context: jinja2.runtime.Context, statement: StatementView) -> Markup | str:
    """:func:`_by`, led by the speaker's name linked to their page."""
    link = _actor_link(context, statement)
    if link is None:
        return _by(statement)
    return Markup("— ") + link + (f", {statement.role}" if statement.role else "")


_SENTENCE_END = re.compile(r"[.!?…][”’\"']?(?=\s)")


def brief(text: str, limit: int = BRIEF_CHARS) -> str:
    """``text`` cut after the last whole sentence that ends within ``limit`` characters (else
    at the last word boundary), marked "[…]"; a short text is left whole."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit)]
    cut = ends[-1] if ends and ends[-1] >= limit // 3 else text.rfind(" ", 0, limit)
    head = text[: cut if cut > 0 else limit].rstrip(" ,;:")
    opened = head.count("“") - head.count("”")
    return head + "”" * max(opened, 0) + " […]"


def headline(digest: Digest) -> str:
    """What the digest holds, in a line: "12 events, most important first; 40 more reported"."""
    main = len(digest.events)
    also = len(digest.also) + digest.also_omitted
    if not main and not also:
        if digest.considered:
            considered = plural(digest.considered, "event")
            return f"No event of this period matched this subscription ({considered} considered)"
        return "Nothing was reported for this period"
    parts = [f"{plural(main, 'event')}, most important first" if main else "No main events"]
    if also:
        parts.append(f"{plural(also, 'other story', 'other stories')} under Also reported")
    return "; ".join(parts)


def rest_hint(digest: Digest) -> str:
    """Where a reader finds what the mail leaves out (statements beyond each cell, stories
    beyond the list): the web archive when there is one, else the command that prints it."""
    hidden = digest.hidden_statements
    if not hidden and not digest.also_omitted:
        return ""
    what = []
    if hidden:
        what.append(plural(hidden, "more statement"))
    if digest.also_omitted:
        what.append(plural(digest.also_omitted, "more story", "more stories"))
    first, _, last = digest.period.label.partition(" – ")
    when = f"--since {first} --until {last}" if last else f"--date {first}"
    where = (
        digest.archive_url
        or f"aggregator digest {when} --subscription {digest.subscription} --json"
    )
    return f"{' and '.join(what).capitalize()} in the full record: {where}."


def _render(env: jinja2.Environment, name: str, context: dict[str, object]) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            f"template syntax error: {exc.message}",
            path=exc.filename or name,
            line=exc.lineno,
            key="templates_dir",
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"template not found: {exc.name}", key="templates_dir") from exc
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"template {name}: {exc.message}", key="templates_dir") from exc


def render_text(digest: Digest, *, templates_dir: str | Path | None = None) -> str:
    """The plain-text part alone (also the benchmark's baseline)."""
    tz = zone(digest.timezone)
    context: dict[str, object] = {"digest": digest, "subject": make_subject(digest)}
    return _render(_environment(templates_dir, html=False, tz=tz), TEXT_TEMPLATE, context)


def render_html(digest: Digest, *, templates_dir: str | Path | None = None) -> str:
    """The HTML part alone: autoescaped, then its CSS inlined."""
    tz = zone(digest.timezone)
    context: dict[str, object] = {"digest": digest, "subject": make_subject(digest)}
    raw_html = _render(_environment(templates_dir, html=True, tz=tz), HTML_TEMPLATE, context)
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    try:
        html = inliner.inline(raw_html)
    except css_inline.InlineError as exc:
        raise ConfigError(
            f"could not inline the CSS of {HTML_TEMPLATE}: {exc}", key="templates_dir"
        ) from exc
    if not html.lstrip().lower().startswith("<!doctype"):
        # css-inline re-serialises the document without the doctype; email clients need it for
        # standards mode
        html = "<!DOCTYPE html>\n" + html
    return html


def render_digest(digest: Digest, *, templates_dir: str | Path | None = None) -> RenderedDigest:
    """Render ``digest`` with the HTML and text templates; CSS is inlined into the HTML part.

    The HTML part stays within ``HTML_BUDGET``: a digest too big for it is shown shorter, step
    by step (:func:`shorter`), and says where the rest is. A broken user template raises
    :class:`ConfigError` naming the file and line.
    """
    html = render_html(digest, templates_dir=templates_dir)
    for smaller in shorter(digest):
        if len(html.encode("utf-8")) <= HTML_BUDGET:
            break
        digest = smaller
        html = render_html(digest, templates_dir=templates_dir)
    return RenderedDigest(
        subject=make_subject(digest),
        html=html,
        text=render_text(digest, templates_dir=templates_dir),
    )


def shorter(digest: Digest) -> Iterator[Digest]:
    """Ever shorter versions of ``digest``: fewer stories listed, then fewer statements a
    cell, then fewer stories again, a few at a time (a digest a few bytes over the budget keeps
    most of "Also reported"), then fewer events (the ones left out are counted with the stories
    not listed). The statements' words in other languages go first after the longest list
    of stories: they repeat what the cell already says."""
    yield _cut_also(digest, 20)
    plain = _without_renderings(digest)
    if plain is not digest:
        digest = plain
        yield _cut_also(digest, 20)
    for also in (20, 10, 5, 0):
        yield _cut_cells(_cut_also(digest, also), 2)
    current = _cut_cells(_cut_also(digest, 0), 1)
    yield current
    while len(current.events) > 1:
        keep = len(current.events) // 2
        current = replace(
            current,
            events=current.events[:keep],
            also_omitted=current.also_omitted + len(current.events) - keep,
        )
        yield current


def _cut_also(digest: Digest, limit: int) -> Digest:
    if len(digest.also) <= limit:
        return digest
    dropped = len(digest.also) - limit
    return replace(digest, also=digest.also[:limit], also_omitted=digest.also_omitted + dropped)


def _without_renderings(digest: Digest) -> Digest:
    """``digest`` without its statements' words in other languages."""

    def plain(statement: StatementView | None) -> StatementView | None:
        if statement is None or not statement.renderings:
            return statement
        return replace(statement, renderings=())

    def column_plain(column: Column) -> Column:
        statements = tuple(
            replace(s, renderings=()) if s.renderings else s for s in column.statements
        )
        return replace(column, summary=plain(column.summary), statements=statements)

    if not any(s.renderings for e in digest.events for c in e.columns for s in c.statements):
        return digest
    events = tuple(
        replace(event, columns=tuple(column_plain(column) for column in event.columns))
        for event in digest.events
    )
    return replace(digest, events=events)


def _cut_cells(digest: Digest, per_cell: int) -> Digest:
    def cut(column: Column) -> Column:
        return replace(column, hidden=max(len(column.statements) - per_cell, column.hidden, 0))

    events = tuple(
        replace(event, columns=tuple(cut(column) for column in event.columns))
        for event in digest.events
    )
    return replace(digest, events=events)
