"""Corrections persist: pinned speakers, merged and split events survive re-extraction and
regrouping (both backends), and `aggregator correct` edits the file and the store at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from aggregator.config import Settings
from aggregator.config.corrections import (
    Corrections,
    EventCorrection,
    SpeakerCorrection,
    load_corrections,
    save_corrections,
)
from aggregator.pipeline.process import process_pending
from aggregator.store import Store, open_store
from tests.support.demo import demo_settings, ingest_demo


def _settings(tmp_path: Path) -> Settings:
    settings = demo_settings()
    general = settings.settings.model_copy(
        update={"corrections_file": str(tmp_path / "corrections.yaml")}
    )
    return settings.model_copy(update={"settings": general})


def _sides_of(store: Store, actor: str) -> set[str | None]:
    found: set[str | None] = set()
    for article_statements in store.statements_for_articles(
        [a.id for a in store.articles()]
    ).values():
        found.update(s.statement.side for s in article_statements if s.statement.actor == actor)
    return found


def _event_of(store: Store, url: str) -> str | None:
    (article,) = [a for a in store.articles() if a.canonical_url == url]
    return article.event_id


def test_a_pinned_speaker_survives_reextraction(db_url: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
        assert _sides_of(store, "Irina Salto") == {"Oradin"}
        pin = SpeakerCorrection(speaker="irina salto", side="Veskaria")  # any case
        save_corrections(Path(settings.settings.corrections_file), Corrections(speakers=[pin]))
        process_pending(store, settings)  # nothing new to extract: the store is corrected
        assert _sides_of(store, "Irina Salto") == {"Veskaria"}
        process_pending(store, settings, reextract=True, regroup=True)
        assert _sides_of(store, "Irina Salto") == {"Veskaria"}


def test_merged_and_split_events_survive_regrouping(db_url: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with open_store(db_url) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
        by_event: dict[str, list[str]] = {}
        for article in sorted(store.articles(), key=lambda a: a.id):
            if article.event_id and article.canonical_url:
                by_event.setdefault(article.event_id, []).append(article.canonical_url)
        crowded = next(urls for urls in by_event.values() if len(urls) >= 3)
        singles = [urls[0] for urls in by_event.values() if urls is not crowded][:2]
        leaving = crowded[-1]
        corrections = Corrections(
            events=[EventCorrection(merge=singles), EventCorrection(split=[leaving])]
        )
        save_corrections(Path(settings.settings.corrections_file), corrections)
        for regroup in (False, True):
            process_pending(store, settings, regroup=regroup)
            assert _event_of(store, singles[0]) == _event_of(store, singles[1])
            assert _event_of(store, leaving) != _event_of(store, crowded[0])
            alone = [a for a in store.articles() if a.event_id == _event_of(store, leaving)]
            assert [a.canonical_url for a in alone] == [leaving]


def test_correct_command_edits_the_file_and_the_store(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    settings = _settings(tmp_path)
    with open_store(db) as store:
        ingest_demo(store, settings)
        process_pending(store, settings)
    config = tmp_path / "feeds.yaml"
    config.write_text(f"settings:\n  database_url: {db}\n", encoding="utf-8")
    runner = CliRunner()
    base = ["--config", str(config)]
    result = runner.invoke(
        main, [*base, "correct", "speaker", "Irina Salto", "--commentary", "--role", "Spokeswoman"]
    )
    assert result.exit_code == 0, result.output
    assert "statements" in result.output
    saved = load_corrections(tmp_path / "corrections.yaml")
    assert saved.speakers == [
        SpeakerCorrection(speaker="Irina Salto", commentary=True, role="Spokeswoman")
    ]
    with open_store(db) as store:
        assert _sides_of(store, "Irina Salto") == {None}
    listed = runner.invoke(main, [*base, "correct", "list"])
    assert listed.output.startswith("1. speaker Irina Salto: commentary=True, role='Spokeswoman'")
    assert runner.invoke(main, [*base, "correct", "remove", "1"]).exit_code == 0
    assert load_corrections(tmp_path / "corrections.yaml") == Corrections()
    bad = runner.invoke(main, [*base, "correct", "speaker", "Irina Salto"])
    assert bad.exit_code == 2
    assert "say what to pin" in bad.output
    unknown = runner.invoke(main, [*base, "correct", "merge", "ev-none", "ev-other"])
    assert unknown.exit_code == 1
    assert "no event 'ev-none'" in unknown.output


# nine lines that expand to a billion values: refused before anything is built
BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
)


@pytest.mark.fault
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("speakers: [{speaker: X, colour: red}]\n", "speakers.0.colour"),
        ("events: [{merge: [https://a.example/1]}]\n", "at least two"),
        ("events: [{merge: [a, b], split: [c]}]\n", "either merge"),
        (BOMB, "values"),
        ("speakers: [\n", "not valid YAML"),
    ],
)
def test_bad_corrections_files_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    from aggregator.errors import ConfigError

    path = tmp_path / "corrections.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_corrections(path)
