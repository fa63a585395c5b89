"""Structured log lines: context as fields, plain or JSON."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from aggregator.logs import JsonFormatter, PlainFormatter, context_of, setup_logging


def record(msg: str = "fetched", **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("aggregator.daemon", logging.INFO, __file__, 1, msg, None, None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_json_line_carries_the_context_fields() -> None:
    line = JsonFormatter().format(record(source="un-news", status=304, new=0))
    entry = json.loads(line)
    assert entry["msg"] == "fetched"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "aggregator.daemon"
    assert (entry["source"], entry["status"], entry["new"]) == ("un-news", 304, 0)
    assert entry["ts"].endswith("Z")


def test_json_never_lets_context_overwrite_the_message() -> None:
    entry = json.loads(JsonFormatter().format(record("real", level="fake")))
    assert entry["level"] == "INFO"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("un-news", "source=un-news"),
        ("two words", 'source="two words"'),
        ("", 'source=""'),
        ('a"b', 'source="a\\"b"'),
        ("x=y", 'source="x=y"'),
    ],
)
def test_plain_values_are_quoted_when_they_would_be_ambiguous(value: str, shown: str) -> None:
    line = PlainFormatter().format(record(source=value))
    assert line.endswith(f"INFO aggregator.daemon: fetched {shown}")


def test_context_leaves_the_standard_attributes_out() -> None:
    assert context_of(record(source="a")) == {"source": "a"}


@pytest.fixture
def restore_logger() -> Iterator[None]:
    logger = logging.getLogger("aggregator")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield
    logger.handlers[:] = saved[0]
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


@pytest.mark.usefixtures("restore_logger")
def test_setup_twice_keeps_one_handler_and_json_goes_to_the_stream() -> None:
    first, second = io.StringIO(), io.StringIO()
    setup_logging(stream=first)
    setup_logging(json_logs=True, stream=second)
    logging.getLogger("aggregator.daemon").info("hello", extra={"source": "x"})
    assert first.getvalue() == ""
    assert json.loads(second.getvalue())["source"] == "x"
