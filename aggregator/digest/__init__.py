"""The digest stage: select and rank a period's events, lay them out side by side, render.

Pure: values in, values out. The caller supplies the events as the store reads them
(:class:`aggregator.model.Event`) and sends the result with :mod:`aggregator.mail`::

    period = previous_day(clock.now(), options.timezone)
    digest = build_digest(events, options, period, generated_at=clock.now())
    rendered = render_digest(digest, templates_dir=settings.templates_dir)
"""

from aggregator.digest.build import build_digest, whole_event_view
from aggregator.digest.contested import find_contested
from aggregator.digest.export import digest_to_json
from aggregator.digest.model import (
    COMMENTARY,
    OTHERS,
    AlsoView,
    ArticleLink,
    Column,
    ContestedClaim,
    ContestedPoint,
    Digest,
    DigestOptions,
    EventView,
    OutletLink,
    Period,
    RenderedDigest,
    StatementView,
)
from aggregator.digest.period import day_period, previous_day, span_period
from aggregator.digest.render import (
    default_templates_dir,
    make_subject,
    render_digest,
    render_html,
    render_page,
    render_text,
)

__all__ = [
    "COMMENTARY",
    "OTHERS",
    "AlsoView",
    "ArticleLink",
    "Column",
    "ContestedClaim",
    "ContestedPoint",
    "Digest",
    "DigestOptions",
    "EventView",
    "OutletLink",
    "Period",
    "RenderedDigest",
    "StatementView",
    "build_digest",
    "day_period",
    "default_templates_dir",
    "digest_to_json",
    "find_contested",
    "make_subject",
    "previous_day",
    "render_digest",
    "render_html",
    "render_page",
    "render_text",
    "span_period",
    "whole_event_view",
]
