"""Structured logging for long-running processes: one line a record, plain text or JSON.

Context travels as ``extra`` fields, never inside the message, so a log collector can filter on
it::

    log.info("fetched", extra={"source": "un-news", "status": 304, "new": 0})

Plain:  ``2026-11-25T07:00:00Z INFO aggregator.daemon: fetched source=un-news status=304 new=0``
JSON:   ``{"ts": "2026-11-25T07:00:00.000Z", "level": "INFO", "logger": "aggregator.daemon",
"msg": "fetched", "source": "un-news", "status": 304, "new": 0}``
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

# attributes every LogRecord has; anything else on a record came from ``extra``
_STANDARD = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None)).keys()
    | {"message", "asctime", "taskName"}
)
_HANDLER_NAME = "aggregator-structured"


def context_of(record: logging.LogRecord) -> dict[str, Any]:
    """The ``extra`` fields of a record, in the order they were given."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _plain_value(value: Any) -> str:
    text = str(value)
    # quote values a reader could not otherwise tell apart from the next key=value pair
    return (
        json.dumps(text, ensure_ascii=False)
        if (not text or any(c in text for c in ' ="\n'))
        else text
    )


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, msg, the context fields, and exc if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in context_of(record).items():
            entry.setdefault(key, value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """``ts LEVEL logger: msg key=value …`` with the traceback on the following lines."""

    def format(self, record: logging.LogRecord) -> str:
        parts = [f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"]
        parts += [f"{k}={_plain_value(v)}" for k, v in context_of(record).items()]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def setup_logging(
    *, json_logs: bool = False, level: int = logging.INFO, stream: TextIO | None = None
) -> logging.Handler:
    """Send the ``aggregator`` loggers' records to ``stream`` (stderr) in the chosen format.

    Calling it again replaces the handler it installed before (e.g. a reload), never adds a
    second one. The root logger is left alone so that embedding applications keep theirs.
    """
    logger = logging.getLogger("aggregator")
    for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if json_logs else PlainFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return handler
