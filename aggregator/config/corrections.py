"""An analyst's corrections: a speaker's side, role or standing pinned; events merged or split.

They live in a YAML file (``settings.corrections_file``, by default ``corrections.yaml`` beside
the configuration file) that ``aggregator correct`` edits and a person may edit by hand::

    speakers:
      - speaker: Esmaeil Baqaei           # the resolved actor or the name as written
        side: Iran                        # pinned (null: no side)
        role: Spokesperson of Iran's foreign ministry
      - speaker: The Jerusalem Post
        commentary: true                  # no party: the commentary column
    events:
      - merge: [https://a.example/1, https://b.example/2]   # these articles' events are one
      - split: [https://c.example/3]        # these articles leave their event, as one event

Events are named by their articles' URLs, never by event ids, because ids are reassigned when
everything is grouped again. The file is read at every processing run: speakers are corrected
as statements are extracted and in the store; merges and splits are applied after grouping. So
corrections survive ``process --reextract`` and ``--regroup``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from aggregator.config.yaml_file import load_data, read_text
from aggregator.errors import ConfigError
from aggregator.model import Statement


class SpeakerCorrection(BaseModel):
    """A speaker's side, role or standing, pinned. Only the keys given are pinned."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    speaker: str = Field(min_length=1)
    side: str | None = None
    role: str | None = None
    commentary: bool | None = None

    def matches(self, statement: Statement) -> bool:
        """Whether the statement's resolved actor, or its speaker as written, is this one."""
        wanted = self.speaker.casefold()
        return any(
            name is not None and name.casefold() == wanted
            for name in (statement.actor, statement.speaker)
        )

    def apply(self, statement: Statement) -> Statement:
        """The statement with the pinned fields set."""
        changes: dict[str, Any] = {}
        if "side" in self.model_fields_set:
            changes["side"] = self.side
        if "role" in self.model_fields_set:
            changes["role"] = self.role
        if "commentary" in self.model_fields_set and self.commentary is not None:
            changes["commentary"] = self.commentary
            if self.commentary:
                changes["side"] = None  # a commentator is no party
        return replace(statement, **changes)


class EventCorrection(BaseModel):
    """Articles whose events are one (``merge``), or that leave their event together
    (``split``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    merge: list[str] | None = None
    split: list[str] | None = None

    @model_validator(mode="after")
    def _one_action(self) -> EventCorrection:
        if (self.merge is None) == (self.split is None):
            raise ValueError("give either merge (two or more article URLs) or split (URLs)")
        if self.merge is not None and len(set(self.merge)) < 2:
            raise ValueError("merge needs at least two different article URLs")
        if self.split is not None and not self.split:
            raise ValueError("split needs at least one article URL")
        return self


class Corrections(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    speakers: list[SpeakerCorrection] = []
    events: list[EventCorrection] = []

    def correct(self, statements: Sequence[Statement]) -> list[Statement]:
        """The statements with every matching speaker correction applied (later ones win)."""
        if not self.speakers:
            return list(statements)
        out = []
        for statement in statements:
            for pin in self.speakers:
                if pin.matches(statement):
                    statement = pin.apply(statement)
            out.append(statement)
        return out


def corrections_path(configured: str | None, config_path: Path | None) -> Path:
    """The corrections file: the configured one, else ``corrections.yaml`` beside the config."""
    if configured:
        return Path(configured)
    folder = config_path.parent if config_path is not None else Path.cwd()
    return folder / "corrections.yaml"


def load_corrections(path: Path) -> Corrections:
    """The corrections in ``path``; none when it does not exist. Bad content is a ConfigError
    naming the file (read as the configuration is: bounded size, depth and aliases)."""
    if not path.exists():
        return Corrections()
    data = load_data(read_text(str(path)), path=str(path)) or {}
    try:
        return Corrections.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"{where}: {first['msg']}", path=str(path)) from None


def save_corrections(path: Path, corrections: Corrections) -> None:
    """Write the file whole, atomically (a crash leaves the old file or the new one)."""
    body = corrections.model_dump(exclude_defaults=False)
    body["speakers"] = [
        {
            "speaker": pin.speaker,
            **{k: getattr(pin, k) for k in sorted(pin.model_fields_set - {"speaker"})},
        }
        for pin in corrections.speakers
    ]
    body["events"] = [
        {"merge": c.merge} if c.merge is not None else {"split": c.split}
        for c in corrections.events
    ]
    text = _HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".corrections-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_HEADER = (
    "# Corrections made with `aggregator correct` (or by hand): applied at every processing\n"
    "# run, so they survive `process --reextract` and `--regroup`. See docs/corrections.md.\n"
)
