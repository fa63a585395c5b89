"""Grouper, cluster_stream and the JSONL reader (the ``aggregator cluster`` contract)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aggregator.errors import AggregatorError
from aggregator.group import (
    DocumentFormatError,
    EventConfig,
    GroupDoc,
    Grouper,
    cluster_stream,
    event_id_for,
    read_jsonl,
)
from tests.unit.test_group_events import (
    CEASEFIRE,
    MONDAY,
    QUAKE_TURKEY_1,
    STORIES,
)

WIRE_TEXT = (
    "Flood waters rose across the Danube delta on Tuesday after three days of rain, forcing "
    "2,300 people from their homes in Tulcea county, the emergency inspectorate said. Prefect "
    "Ioana Marin said army boats had reached the villages of Crisan and Mila 23, and that the "
    "river was expected to peak on Thursday."
)


def test_a_wire_copy_with_an_edited_headline_joins_the_originals_event() -> None:
    grouper = Grouper()
    first = grouper.add(
        GroupDoc("wire", "Floods force 2,300 from homes in Romania", WIRE_TEXT, MONDAY)
    )
    copy = grouper.add(
        GroupDoc("site", "Danube delta villages evacuated", WIRE_TEXT, MONDAY + timedelta(hours=1))
    )
    assert first.duplicate_of is None
    assert copy.duplicate_of == "wire"
    assert copy.event_id == first.event_id == event_id_for("wire")
    # the copy is a reporting source, not another article of the event
    assert grouper.events.live_articles() == 1


def test_a_copy_of_a_closed_event_is_grouped_on_its_own() -> None:
    grouper = Grouper(EventConfig(window=timedelta(days=1)))
    grouper.add(GroupDoc("wire", "Floods", WIRE_TEXT, MONDAY))
    grouper.add(GroupDoc("other", "Later", "Something else entirely.", MONDAY + timedelta(days=3)))
    late = grouper.add(GroupDoc("late", "Floods", WIRE_TEXT, MONDAY + timedelta(days=3)))
    assert late.duplicate_of == "wire"
    assert late.event_id == event_id_for("late")


def test_grouper_restore_keeps_ids() -> None:
    grouper = Grouper()
    grouper.restore(GroupDoc("wire", "Floods", WIRE_TEXT, MONDAY), "ev-stored")
    copy = grouper.add(GroupDoc("site", "Delta", WIRE_TEXT, MONDAY))
    assert copy.event_id == "ev-stored"
    assert copy.duplicate_of == "wire"


def test_cluster_stream_yields_every_document_once_with_final_ids() -> None:
    pairs = list(cluster_stream(STORIES))
    assert sorted(doc_id for doc_id, _ in pairs) == sorted(doc.id for doc in STORIES)
    events = dict(pairs)
    assert events["tr-1"] == events["tr-3"] != events["pe-1"]
    assert list(cluster_stream(STORIES)) == pairs  # deterministic


def test_cluster_stream_yields_closed_events_before_the_end() -> None:
    config = EventConfig(window=timedelta(days=1))
    late = GroupDoc("late", "Later", "Something else entirely.", MONDAY + timedelta(days=10))
    seen: list[str] = []

    def docs() -> Iterator[GroupDoc]:
        yield STORIES[0]
        yield late
        seen.append("after late")

    stream = cluster_stream(docs(), config)
    assert next(stream)[0] == STORIES[0].id
    assert seen == []  # the first pair came out while the input was still being read
    assert [doc_id for doc_id, _ in stream] == ["late"]


def test_cluster_stream_applies_merges() -> None:
    # two unrelated stories, then an article carrying both: it links the two events
    quake = GroupDoc("quake", QUAKE_TURKEY_1.title, QUAKE_TURKEY_1.text)
    council = GroupDoc("council", CEASEFIRE.title, CEASEFIRE.text)
    both = GroupDoc("both", "Roundup", QUAKE_TURKEY_1.text + " " + CEASEFIRE.text)
    docs = [quake, council, both]
    config = EventConfig(merge_threshold=0.0)
    grouper = Grouper(config)
    assert [grouper.add(d).event_id for d in docs[:2]] == [
        event_id_for("quake"),
        event_id_for("council"),
    ]
    assert grouper.add(both).event_id == event_id_for("quake")
    assert grouper.flush().merges == ((event_id_for("council"), event_id_for("quake")),)
    # the stream reports the survivor for every document, including the absorbed event's
    assert set(dict(cluster_stream(docs, config)).values()) == {event_id_for("quake")}
    # with the default merge bar the two events stay apart
    assert len(set(dict(cluster_stream(docs)).values())) == 2


GOOD = {"id": "a", "title": "T", "text": "Body", "published": "2026-02-17T08:30:00+01:00"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2: not JSON"),
        ("[1, 2]", "line 2: expected a JSON object"),
        (json.dumps({"title": "T", "text": "x"}), "line 2: missing field 'id'"),
        (json.dumps({"id": 3, "title": "T", "text": "x"}), "line 2: field 'id' must be a string"),
        (json.dumps({**GOOD, "published": "yesterday"}), "line 2: published is not an ISO date"),
        (json.dumps({**GOOD, "language": 7}), "line 2: field 'language' must be a string"),
    ],
)
def test_read_jsonl_names_the_bad_line(line: str, message: str) -> None:
    stream = io.StringIO(json.dumps(GOOD) + "\n" + line + "\n")
    with pytest.raises(DocumentFormatError, match=message) as caught:
        list(read_jsonl(stream))
    assert caught.value.line == 2
    assert isinstance(caught.value, AggregatorError)


def test_read_jsonl_reads_the_contract(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps(GOOD),
        "",
        json.dumps(
            {
                "id": "b",
                "title": "U",
                "text": "More",
                "published": "2026-02-17",
                "source": "bbc",
                "language": "ru",
            }
        ),
        json.dumps({"id": "c", "title": "V", "text": "Undated", "published": None}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_jsonl(path))
    assert [d.id for d in docs] == ["a", "b", "c"]
    assert docs[0].published == datetime(2026, 2, 17, 7, 30, tzinfo=UTC)
    assert docs[1].published == datetime(2026, 2, 17, tzinfo=UTC)
    assert docs[1].source == "bbc"
    assert docs[1].language == "ru"
    assert docs[0].language is None
    assert docs[2].published is None
    path.write_text("{", encoding="utf-8")
    with pytest.raises(DocumentFormatError, match=r"docs\.jsonl:1"):
        list(read_jsonl(str(path)))
