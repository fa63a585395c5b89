"""``feeds.yaml`` -> validated :class:`Settings`; every error names the file, the line and the key.

The flow, for one file::

    text  --yaml_file.compose-->  node tree (line marks) + plain data
    plain data  --pydantic (extra="forbid", strict)-->  Settings
    each error location  --walk the node tree-->  line  -->  "feeds.yaml:14: sources[2].interval: …"

All problems found are reported at once, one per line, sorted by line; the raised
:class:`~aggregator.errors.ConfigError` carries the path, line and key of the first.
Field types and units live in :mod:`aggregator.config.fields`, YAML handling in
:mod:`aggregator.config.yaml_file`; this module is the schema and the public entry points.
"""

from __future__ import annotations

import os
import zoneinfo
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from aggregator import __version__
from aggregator.config.fields import (
    ArchiveTemplate,
    DatabaseUrl,
    Duration,
    Email,
    EnvName,
    HeaderUrlOrMailto,
    Language,
    LocalPath,
    Network,
    SiteUrl,
    Size,
    Slug,
    Text,
    TimeOfDay,
    TimeZoneName,
    UrlOrMailto,
    fail,
    format_duration,
    none_as,
    resolve_source_url,
)
from aggregator.config.yaml_file import (
    Problem,
    compose,
    key_path,
    line_of,
    raise_problems,
    read_text,
    reason,
)
from aggregator.errors import ConfigError
from aggregator.model import FetchLimits, Source

PROJECT_URL = "https://github.com/aggregator/aggregator"


class _Section(BaseModel):
    # strict: YAML already gives native types, so "25" for a port or "yes" for a bool is a mistake
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FetchSettings(_Section):
    """Politeness and safety limits for every HTTP fetch."""

    max_connections: int = Field(20, ge=1, le=1000)
    max_per_host: int = Field(2, ge=1, le=100)
    connect_timeout: Duration = timedelta(seconds=10)
    read_timeout: Duration = timedelta(seconds=30)
    total_timeout: Duration = timedelta(minutes=2)
    max_body: Size = 10 * 2**20
    max_decompressed: Size = 50 * 2**20
    max_redirects: int = Field(5, ge=0, le=20)
    backoff_max: Duration = timedelta(hours=6)


class SmtpSettings(_Section):
    """The mail relay for digests. The password is never in the file: ``password_env`` names it."""

    model_config = ConfigDict(populate_by_name=True)

    host: Text = "localhost"
    port: int = Field(25, ge=1, le=65535)
    starttls: bool = False
    ssl: bool = False  # implicit TLS from the first byte (usually port 465)
    username: Text | None = None
    password_env: EnvName | None = None
    from_: Email = Field("aggregator <digest@example.org>", alias="from")
    timeout: Duration = timedelta(seconds=30)

    @model_validator(mode="after")
    def _one_kind_of_tls(self) -> SmtpSettings:
        if self.starttls and self.ssl:
            raise fail(
                "starttls and ssl cannot both be true: ssl is implicit TLS (usually port 465), "
                "starttls upgrades a plain connection (usually port 587)"
            )
        return self

    def password(self) -> str | None:
        """The password from the variable ``password_env`` names; None when no variable is named.

        Raises ConfigError when the variable is named but not set.
        """
        if self.password_env is None:
            return None
        value = os.environ.get(self.password_env)
        if value is None:
            raise ConfigError(
                f"the environment variable {self.password_env} is not set",
                key="settings.smtp.password_env",
            )
        return value


class RetentionSettings(_Section):
    """How long bookkeeping rows are kept."""

    fetch_log: Duration = timedelta(days=30)


class WebAuthSettings(_Section):
    """HTTP basic auth of the web archive. The password is never in the file: ``password_env``
    names the environment variable that holds it."""

    username: Text
    password_env: EnvName

    def password(self) -> str:
        """The password; ConfigError when the variable is not set or empty."""
        value = os.environ.get(self.password_env)
        if not value:
            raise ConfigError(
                f"the environment variable {self.password_env} is not set (or empty): it holds "
                "the web archive's password",
                key="settings.web.auth.password_env",
            )
        return value


class WebSettings(_Section):
    """The web archive (``aggregator serve``)."""

    # where readers open it; the mailed digest links events and digests there when set
    base_url: SiteUrl | None = None
    auth: WebAuthSettings | None = None
    # the daemon makes the event and speaker pages ahead after each processing run
    # (`aggregator pages`): serve then sends them as they are
    stored_pages: bool = False


class GeneralSettings(_Section):
    """The ``settings:`` block."""

    database_url: DatabaseUrl | None = None
    allow_private_networks: bool = False
    allowed_networks: list[Network] = []
    contact: HeaderUrlOrMailto | None = None
    fetch: Annotated[FetchSettings, none_as(FetchSettings)] = FetchSettings()
    smtp: Annotated[SmtpSettings, none_as(SmtpSettings)] = SmtpSettings()
    templates_dir: LocalPath | None = None
    actors_file: LocalPath | None = None
    # an analyst's corrections (aggregator.config.corrections); a missing file means none
    corrections_file: LocalPath = Field("corrections.yaml", validate_default=True)
    retention: Annotated[RetentionSettings, none_as(RetentionSettings)] = RetentionSettings()
    web: Annotated[WebSettings, none_as(WebSettings)] = WebSettings()


class SourceConfig(_Section):
    """One feed to follow."""

    name: Slug
    url: str
    kind: Literal["official", "wire", "outlet"]
    publisher: Text
    side: Text | None = None
    country: Text | None = None
    language: Language | None = None
    interval: Duration = timedelta(minutes=15)
    fulltext: bool = False
    enabled: bool = True
    archive_url: ArchiveTemplate | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str, info: ValidationInfo) -> str:
        return resolve_source_url(value.strip(), info)


class SubscriptionConfig(_Section):
    """One digest: who receives it, when, and what it selects."""

    name: Slug
    recipients: Annotated[list[Email], Field(min_length=1)]
    send_at: TimeOfDay = time(7, 0)
    timezone: TimeZoneName = "UTC"
    sides: list[Text] = []
    actors: list[Text] = []
    keywords: list[Text] = []
    min_sources: int = Field(1, ge=1)
    max_columns: int = Field(4, ge=1, le=12)
    max_events: int = Field(25, ge=1, le=200)
    language: Language = "en"  # the digest's; statements in other languages are tagged
    list_id: Text | None = None
    unsubscribe: UrlOrMailto | None = None

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        """The subscription's time zone."""
        return zoneinfo.ZoneInfo(self.timezone)


class Settings(_Section):
    """A whole configuration file."""

    settings: Annotated[GeneralSettings, none_as(GeneralSettings)] = GeneralSettings()
    sources: Annotated[list[SourceConfig], none_as(list)] = []
    subscriptions: Annotated[list[SubscriptionConfig], none_as(list)] = []

    def to_sources(self) -> list[Source]:
        """The configured feeds as the value type the other stages use (disabled ones included)."""
        return [
            Source(
                name=s.name,
                url=s.url,
                kind=s.kind,
                publisher=s.publisher,
                side=s.side,
                language=s.language,
                interval=s.interval,
                fulltext=s.fulltext,
                enabled=s.enabled,
            )
            for s in self.sources
        ]

    def fetch_limits(self) -> FetchLimits:
        """The fetch limits, with a User-Agent that tells publishers who is polling them."""
        fetch = self.settings.fetch
        contact = self.settings.contact or PROJECT_URL
        return FetchLimits(
            max_connections=fetch.max_connections,
            max_per_host=fetch.max_per_host,
            connect_timeout=fetch.connect_timeout.total_seconds(),
            read_timeout=fetch.read_timeout.total_seconds(),
            total_timeout=fetch.total_timeout.total_seconds(),
            max_body_bytes=fetch.max_body,
            max_decompressed_bytes=fetch.max_decompressed,
            max_redirects=fetch.max_redirects,
            user_agent=f"aggregator/{__version__} (+{contact})",
            allow_private_networks=self.settings.allow_private_networks,
            allowed_networks=tuple(self.settings.allowed_networks),
        )

    def warnings(self) -> list[str]:
        """Non-fatal advice: impolite intervals, official sources without a side, and the like."""
        advice: list[str] = []
        fetch = self.settings.fetch
        seen_urls: dict[str, str] = {}
        for index, source in enumerate(self.sources):
            where = f"sources[{index}] ({source.name})"
            remote = source.url.startswith(("http://", "https://"))
            if remote and source.interval < timedelta(minutes=1):
                advice.append(
                    f"{where}: interval {format_duration(source.interval)} is below 1 minute; "
                    "be polite to the server"
                )
            if source.kind == "official" and source.side is None:
                advice.append(
                    f"{where}: an official source without a side; its statements will not be "
                    "attributed to anyone's column"
                )
            if source.url in seen_urls:
                advice.append(f"{where}: same URL as {seen_urls[source.url]}")
            seen_urls.setdefault(source.url, where)
        if fetch.max_per_host > fetch.max_connections:
            advice.append(
                "settings.fetch.max_per_host is above max_connections; max_connections wins"
            )
        if fetch.max_decompressed < fetch.max_body:
            advice.append(
                "settings.fetch.max_decompressed is below max_body; compressed feeds will be "
                "refused sooner than plain ones"
            )
        if self.settings.contact is None and any(
            s.enabled and s.url.startswith(("http://", "https://")) for s in self.sources
        ):
            advice.append(
                "settings.contact is not set; publishers see only the project URL in the "
                "User-Agent (set a URL or mailto: where they can reach you)"
            )
        return advice


#: the database used when neither --db, $AGGREGATOR_DATABASE_URL nor the config names one
DEFAULT_DATABASE_URL = "sqlite:///aggregator.db"


def database_url(settings: Settings, override: str | None = None) -> str:
    """The database to use: an explicit URL (--db or the environment), else the config's, else
    the embedded SQLite default."""
    return override or settings.settings.database_url or DEFAULT_DATABASE_URL


def default_settings() -> Settings:
    """What applies with no configuration file at all: defaults everywhere and no sources."""
    return Settings()


def _duplicate_names(root: yaml.Node, data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for section in ("sources", "subscriptions"):
        items = data.get(section)
        first: dict[str, int] = {}
        for index, item in enumerate(items if isinstance(items, list) else []):
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str):
                continue
            loc = (section, index, "name")
            if name in first:
                why = f'duplicate name "{name}" (first used by {section}[{first[name]}])'
                problems.append(Problem(line_of(root, loc), key_path(loc), why))
            first.setdefault(name, index)
    return problems


def parse_settings(text: str, *, path: str = "<string>") -> Settings:
    """Validate configuration text; relative ``file:`` URLs resolve against ``path``'s folder."""
    root, data, problems = compose(text, path=path)
    if not isinstance(data, dict):
        raise_problems(
            path, [Problem(root.start_mark.line + 1, "", "expected a mapping at the top")]
        )
    problems += _duplicate_names(root, data)
    try:
        settings = Settings.model_validate(data, context={"base_dir": Path(path).parent})
    except ValidationError as exc:
        for error in exc.errors():
            if error["type"] == "invalid_key":
                continue  # a key that is not a word: compose() has reported it with its line
            loc = tuple(error["loc"])
            problems.append(Problem(line_of(root, loc), key_path(loc), reason(error, Settings)))
        raise_problems(path, problems)
    if problems:
        raise_problems(path, problems)
    return settings


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Read and validate a configuration file; ConfigError names the file, line and key.

    Every way the file can be wrong, unreadable, too big, not UTF-8, not plain text, nested too
    deep, or a bomb of aliases, is a ConfigError (see :mod:`aggregator.config.yaml_file`).
    """
    name = os.fspath(path)
    return parse_settings(read_text(name), path=name)
