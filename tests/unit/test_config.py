"""Configuration: the DESIGN.md form, units, every error located by file, line and key."""

from __future__ import annotations

import textwrap
from datetime import time, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator import __version__
from aggregator.config import (
    Settings,
    default_settings,
    format_duration,
    load_settings,
    parse_duration,
    parse_settings,
    parse_size,
)
from aggregator.errors import ConfigError
from aggregator.model import FetchLimits, Source

ROOT = Path(__file__).resolve().parents[2]

# The minimal form DESIGN.md promises to keep accepting, verbatim.
DESIGN_FORM = """\
settings:
  database_url: sqlite:///aggregator.db
  allow_private_networks: false      # true lets sources and redirects reach \
loopback/private addresses
  smtp: {host: localhost, port: 25, starttls: false, username: null, password_env: null,
         from: "aggregator <digest@example.org>"}
sources:
  - name: un-news                     # unique, used on the command line
    url: https://news.un.org/feed/subscribe/en/news/all/rss.xml   # http(s) or file://
    kind: official                    # official | wire | outlet
    publisher: United Nations
    side: United Nations              # optional: whose voice an official source is
    interval: 15m
subscriptions:
  - name: daily
    recipients: [analyst@example.org]
    send_at: "07:00"
    timezone: Europe/London
"""

SOURCE = "  - {name: s, url: 'https://example.org/feed', kind: outlet, publisher: P}\n"


def fail(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_settings(textwrap.dedent(text), path="feeds.yaml")
    return info.value


# ---------------------------------------------------------------- the accepted forms


def test_design_form_is_accepted() -> None:
    settings = parse_settings(DESIGN_FORM)
    assert settings.settings.database_url == "sqlite:///aggregator.db"
    assert settings.settings.smtp.from_ == "aggregator <digest@example.org>"
    assert settings.to_sources() == [
        Source(
            name="un-news",
            url="https://news.un.org/feed/subscribe/en/news/all/rss.xml",
            kind="official",
            publisher="United Nations",
            side="United Nations",
            interval=timedelta(minutes=15),
        )
    ]
    (daily,) = settings.subscriptions
    assert (daily.name, daily.recipients, daily.send_at) == (
        "daily",
        ["analyst@example.org"],
        time(7),
    )
    assert daily.tzinfo.key == "Europe/London"


def test_defaults_without_a_file() -> None:
    settings = default_settings()
    assert settings.sources == []
    assert settings.subscriptions == []
    assert settings.settings.database_url is None
    assert settings.settings.fetch.max_body == 10 * 2**20
    assert settings.settings.retention.fetch_log == timedelta(days=30)
    limits = settings.fetch_limits()
    assert limits == FetchLimits(user_agent=limits.user_agent)  # same numbers as the model's
    assert (
        limits.user_agent == f"aggregator/{__version__} (+https://github.com/aggregator/aggregator)"
    )


@pytest.mark.parametrize("text", ["settings:\nsources:\nsubscriptions:\n", "sources: []\n", "{}\n"])
def test_empty_sections_mean_defaults(text: str) -> None:
    assert parse_settings(text) == default_settings()


def test_yaml_1_2_scalars_keep_language_codes_and_times_as_text() -> None:
    settings = parse_settings(
        "sources:\n"
        "  - {name: nrk, url: 'https://nrk.example/rss', kind: outlet, publisher: NRK,\n"
        "     language: no}\n"
        "subscriptions:\n"
        "  - {name: d, recipients: [a@example.org], send_at: 6:30}\n"
    )
    assert settings.sources[0].language == "no"  # not False (YAML 1.1 "Norway problem")
    assert settings.subscriptions[0].send_at == time(6, 30)  # not the base-60 integer 390


def test_a_subscriptions_language_is_english_unless_set() -> None:
    settings = parse_settings(
        "subscriptions:\n"
        "  - {name: d, recipients: [a@example.org]}\n"
        "  - {name: f, recipients: [a@example.org], language: fr}\n"
    )
    assert [s.language for s in settings.subscriptions] == ["en", "fr"]


def test_fetch_limits_from_settings() -> None:
    settings = parse_settings(
        """\
        settings:
          contact: mailto:ops@example.org
          allow_private_networks: true
          allowed_networks: [10.1.2.3, "192.168.0.0/16"]
          fetch: {max_connections: 4, max_per_host: 1, connect_timeout: 5s, read_timeout: 1m,
                  total_timeout: 1h30m, max_body: 1MB, max_decompressed: 2MiB, max_redirects: 0}
        """.replace("        ", "")
    )
    assert settings.fetch_limits() == FetchLimits(
        max_connections=4,
        max_per_host=1,
        connect_timeout=5.0,
        read_timeout=60.0,
        total_timeout=5400.0,
        max_body_bytes=1_000_000,
        max_decompressed_bytes=2 * 2**20,
        max_redirects=0,
        user_agent=f"aggregator/{__version__} (+mailto:ops@example.org)",
        allow_private_networks=True,
        allowed_networks=("10.1.2.3/32", "192.168.0.0/16"),
    )


def test_relative_file_urls_resolve_against_the_config_folder(tmp_path: Path) -> None:
    config = tmp_path / "conf" / "feeds.yaml"
    config.parent.mkdir()
    config.write_text(
        "sources:\n"
        "  - {name: a, url: 'file:samples/a b.xml', kind: wire, publisher: P}\n"
        "  - {name: b, url: 'file:///srv/b.xml', kind: wire, publisher: P}\n"
        "  - {name: c, url: 'file:../c.xml', kind: wire, publisher: P}\n",
        encoding="utf-8",
    )
    urls = [s.url for s in load_settings(config).sources]
    assert urls == [
        (tmp_path / "conf" / "samples" / "a b.xml").as_uri(),
        "file:///srv/b.xml",
        (tmp_path / "conf" / ".." / "c.xml").as_uri(),
    ]


def test_local_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    general = parse_settings(
        "settings:\n  templates_dir: my-templates\n  actors_file: /etc/aggregator/actors.yaml\n",
        path=str(tmp_path / "feeds.yaml"),
    ).settings
    assert general.templates_dir == str(tmp_path / "my-templates")
    assert general.actors_file == "/etc/aggregator/actors.yaml"


def test_yaml_merge_keys_are_allowed() -> None:
    settings = parse_settings(
        "sources:\n"
        "  - &outlet {name: a, url: 'https://e.org/a', kind: outlet, publisher: P, interval: 1h}\n"
        "  - <<: *outlet\n"
        "    name: b\n"
        "    url: https://e.org/b\n"
    )
    assert [(s.name, s.interval) for s in settings.sources] == [
        ("a", timedelta(hours=1)),
        ("b", timedelta(hours=1)),
    ]


def test_one_anchor_merged_into_many_sources_is_accepted() -> None:
    text = "sources:\n  - &d {name: s0, url: 'https://e.org/0', kind: outlet, publisher: P}\n"
    text += "".join(
        f"  - {{<<: *d, name: s{n}, url: 'https://e.org/{n}'}}\n" for n in range(1, 500)
    )
    settings = parse_settings(text)
    assert len(settings.sources) == 500
    assert {s.publisher for s in settings.sources} == {"P"}


def test_a_problem_inside_a_shared_anchor_is_reported_once() -> None:
    error = fail(
        "sources:\n  - &d {name: a, url: 'https://e.org/a', kind: outlet, publisher: P, "
        "publisher: Q}\n  - *d\n  - *d\n"
    )
    assert str(error).splitlines()[0] == (
        "feeds.yaml:2: sources[0].publisher: duplicate key (first given on line 2)"
    )


def test_smtp_password_comes_from_the_named_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp = parse_settings("settings:\n  smtp: {password_env: AGG_TEST_PW}\n").settings.smtp
    monkeypatch.setenv("AGG_TEST_PW", "s3cret")
    assert smtp.password() == "s3cret"
    monkeypatch.delenv("AGG_TEST_PW")
    with pytest.raises(ConfigError, match="AGG_TEST_PW is not set"):
        smtp.password()
    assert default_settings().settings.smtp.password() is None


def test_web_settings_base_url_and_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    web = parse_settings(
        "settings:\n  web:\n    base_url: https://digest.example.org/archive/\n"
        "    auth: {username: analyst, password_env: AGG_TEST_WEB_PW}\n"
    ).settings.web
    assert web.base_url == "https://digest.example.org/archive"  # no trailing slash
    assert web.auth is not None
    assert web.auth.username == "analyst"
    monkeypatch.setenv("AGG_TEST_WEB_PW", "s3cret")
    assert web.auth.password() == "s3cret"
    monkeypatch.setenv("AGG_TEST_WEB_PW", "")
    with pytest.raises(ConfigError, match="AGG_TEST_WEB_PW is not set"):
        web.auth.password()
    default = default_settings().settings.web
    assert default.base_url is None
    assert default.auth is None
    assert parse_settings("settings:\n  web:\n").settings.web == default


@pytest.mark.parametrize(
    "base_url",
    [
        "digest.example.org",
        "ftp://digest.example.org",
        "https://",
        "https://digest.example.org/?page=1",
        "https://digest.example.org/#top",
        "https://digest.example.org:99999",
        "https://digést.example.org",
        "https://digest.example.org/a b",
    ],
)
def test_web_base_url_must_be_an_http_address(base_url: str) -> None:
    error = fail(f"settings:\n  web: {{base_url: '{base_url}'}}\n")
    assert "settings.web.base_url" in str(error)
    assert "expected the address readers open the web archive at" in str(error)


def test_web_auth_needs_a_username_and_a_variable_name() -> None:
    assert "settings.web.auth.password_env" in str(
        fail("settings:\n  web: {auth: {username: analyst}}\n")
    )
    assert "settings.web.auth.password_env" in str(
        fail("settings:\n  web: {auth: {username: analyst, password_env: 'not a name'}}\n")
    )


def test_settings_are_immutable() -> None:
    settings = parse_settings(DESIGN_FORM)
    with pytest.raises(ValueError, match="frozen"):
        settings.sources[0].interval = timedelta(seconds=1)  # type: ignore[misc]


# ---------------------------------------------------------------- durations and sizes


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("1d", 86400),
        ("1h30m", 5400),
        ("1d2h3m4s", 93784),
        ("1h 30m", 5400),
        (" 2M ", 120),
        ("45", 45),
        (45, 45),
        (1, 1),
    ],
)
def test_parse_duration(text: str | int, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("fast", 'expected a duration like 90s, 15m, 1h, 1d or 1h30m (got "fast")'),
        ("", 'expected a duration like 90s, 15m, 1h, 1d or 1h30m (got "")'),
        ("1.5h", 'expected a duration like 90s, 15m, 1h, 1d or 1h30m (got "1.5h")'),
        ("30m1h", 'expected a duration like 90s, 15m, 1h, 1d or 1h30m (got "30m1h")'),
        ("-5m", 'expected a duration like 90s, 15m, 1h, 1d or 1h30m (got "-5m")'),
        ("0s", 'expected a duration of at least 1s (got "0s")'),
        (0, "expected a duration of at least 1s (got 0)"),
        (-3, "expected a duration of at least 1s (got -3)"),
        (True, "expected a duration like 90s, 15m, 1h, 1d or 1h30m (got true)"),
        ("99999999999d", 'duration is too large (got "99999999999d")'),
    ],
)
def test_parse_duration_rejects(value: str | int, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_duration(value)
    assert str(info.value) == message


@pytest.mark.parametrize("seconds", [1, 59, 60, 61, 3600, 5400, 86400, 93784])
def test_format_duration_round_trips(seconds: int) -> None:
    value = timedelta(seconds=seconds)
    assert parse_duration(format_duration(value)) == value


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("10MiB", 10 * 2**20),
        ("10 MB", 10_000_000),
        ("512KiB", 512 * 1024),
        ("512kb", 512_000),
        ("1GiB", 2**30),
        ("2GB", 2 * 10**9),
        ("100B", 100),
        ("4096", 4096),
        (4096, 4096),
    ],
)
def test_parse_size(text: str | int, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "10 parsecs",
            'expected a size like 512KiB, 10MiB, 1GB or a number of bytes (got "10 parsecs")',
        ),
        ("1.5MB", 'expected a size like 512KiB, 10MiB, 1GB or a number of bytes (got "1.5MB")'),
        ("TB", 'expected a size like 512KiB, 10MiB, 1GB or a number of bytes (got "TB")'),
        ("0MiB", 'expected a size of at least 1 byte (got "0MiB")'),
        (-1, "expected a size of at least 1 byte (got -1)"),
    ],
)
def test_parse_size_rejects(value: str | int, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_size(value)
    assert str(info.value) == message


# ---------------------------------------------------------------- bad files: line, key, reason

BAD_FILES = [
    pytest.param(
        "sources:\n" + SOURCE + "  - name: t\n    url: https://e.org/f\n    kind: outlet\n"
        "    publisher: P\n    interval: fast\n",
        7,
        "sources[1].interval",
        'expected a duration like 90s, 15m, 1h, 1d or 1h30m (got "fast")',
        id="bad-duration",
    ),
    pytest.param(
        "settings:\n  fetch:\n    max_body: lots\n",
        3,
        "settings.fetch.max_body",
        'expected a size like 512KiB, 10MiB, 1GB or a number of bytes (got "lots")',
        id="bad-size",
    ),
    pytest.param(
        "settings:\n  databse_url: sqlite:///x.db\n",
        2,
        "settings.databse_url",
        'unknown key; did you mean "database_url"? expected one of: database_url, '
        "allow_private_networks, allowed_networks, contact, fetch, smtp, templates_dir, "
        "actors_file, corrections_file, retention",
        id="unknown-key-with-suggestion",
    ),
    pytest.param(
        "feeds: []\n",
        1,
        "feeds",
        "unknown key; expected one of: settings, sources, subscriptions",
        id="unknown-top-level-key",
    ),
    pytest.param(
        "settings:\n  smtp:\n    host: mail.example.org\n    password: hunter2\n",
        4,
        "settings.smtp.password",
        "do not write the password into the file; put it in an environment variable and give "
        "that variable's name as password_env",
        id="literal-password",
    ),
    pytest.param(
        "settings:\n  smtp: {starttls: true,\n         ssl: true}\n",
        2,
        "settings.smtp",
        "starttls and ssl cannot both be true: ssl is implicit TLS (usually port 465), "
        "starttls upgrades a plain connection (usually port 587)",
        id="starttls-and-ssl",
    ),
    pytest.param(
        "settings:\n  smtp:\n    password_env: my password\n",
        3,
        "settings.smtp.password_env",
        "expected the NAME of an environment variable holding the password, like "
        '"AGGREGATOR_SMTP_PASSWORD" (got "my password")',
        id="password-env-not-a-name",
    ),
    pytest.param(
        "settings:\n  smtp:\n    port: 70000\n",
        3,
        "settings.smtp.port",
        "expected a number <= 65535 (got 70000)",
        id="port-range",
    ),
    pytest.param(
        "settings:\n  smtp:\n    port: '25'\n",
        3,
        "settings.smtp.port",
        'expected a whole number (got "25")',
        id="port-quoted",
    ),
    pytest.param(
        "settings:\n  smtp:\n    from: nobody\n",
        3,
        "settings.smtp.from",
        'expected an e-mail address like "analyst@example.org" (got "nobody")',
        id="smtp-from",
    ),
    pytest.param(
        "settings:\n  fetch:\n    max_redirects: 21\n",
        3,
        "settings.fetch.max_redirects",
        "expected a number <= 20 (got 21)",
        id="redirects-range",
    ),
    pytest.param(
        "settings:\n  allow_private_networks: yes\n",
        2,
        "settings.allow_private_networks",
        'expected true or false (got "yes")',
        id="bool-yes",
    ),
    pytest.param(
        "settings:\n  allowed_networks:\n    - 10.0.0.0/8\n    - intranet\n",
        4,
        "settings.allowed_networks[1]",
        'expected an IP network like "10.0.0.0/8", "127.0.0.1" or "fd00::/8" (got "intranet")',
        id="bad-network",
    ),
    pytest.param(
        "settings:\n  contact: ops@example.org\n",
        2,
        "settings.contact",
        'expected an http(s):// URL or a mailto: address (got "ops@example.org") '
        '(write "mailto:ops@example.org")',
        id="contact-bare-email",
    ),
    pytest.param(
        "settings:\n  contact: mailto:agrégateur@example.org\n",
        2,
        "settings.contact",
        '"mailto:agrégateur@example.org" goes into the User-Agent header, which carries printable '
        "ASCII only",
        id="contact-not-ascii",
    ),
    pytest.param(
        "settings:\n  database_url: aggregator.db\n",
        2,
        "settings.database_url",
        'expected a database URL like "sqlite:///aggregator.db" or '
        '"postgresql+psycopg://user@host/db" (got "aggregator.db")',
        id="database-url",
    ),
    pytest.param(
        "settings:\n  fetch: 5\n",
        2,
        "settings.fetch",
        "expected a mapping of keys and values (got 5)",
        id="section-not-a-mapping",
    ),
    pytest.param(
        "sources:\n  name: x\n",
        1,
        "sources",
        "expected a list (got a mapping)",
        id="sources-not-a-list",
    ),
    pytest.param(
        "sources:\n  - name: UN News\n    url: https://e.org/f\n    kind: official\n"
        "    publisher: P\n",
        2,
        "sources[0].name",
        "expected a lower-case name of letters, digits, '.', '_' or '-' starting with a letter or "
        'digit, like "un-news" (got "UN News")',
        id="name-not-a-slug",
    ),
    pytest.param(
        "sources:\n  - name: x\n    url: ftp://e.org/f\n    kind: outlet\n    publisher: P\n",
        3,
        "sources[0].url",
        'expected an http:// or https:// URL, or a file: URL such as "file:///srv/feeds/x.xml" '
        'or "file:samples/x.xml" (got "ftp://e.org/f")',
        id="url-scheme",
    ),
    pytest.param(
        "sources:\n  - name: x\n    url: 'http://[::1/feed'\n    kind: outlet\n    publisher: P\n",
        3,
        "sources[0].url",
        'expected an http:// or https:// URL, or a file: URL such as "file:///srv/feeds/x.xml" '
        'or "file:samples/x.xml" (got "http://[::1/feed")',
        id="url-unparsable",
    ),
    pytest.param(
        "sources:\n  - name: x\n    url: https://e.org/f\n    kind: blog\n    publisher: P\n",
        4,
        "sources[0].kind",
        "expected 'official', 'wire' or 'outlet' (got \"blog\")",
        id="kind",
    ),
    pytest.param(
        "sources:\n" + SOURCE + "  - name: x\n    url: https://e.org/f\n    kind: wire\n",
        3,
        "sources[1].publisher",
        "required key is missing",
        id="missing-publisher",
    ),
    pytest.param(
        "sources:\n  - name: x\n    url: https://e.org/f\n    kind: wire\n    publisher: '  '\n",
        5,
        "sources[0].publisher",
        'must not be empty (got "  ")',
        id="empty-publisher",
    ),
    pytest.param(
        "sources:\n  - name: x\n    url: https://e.org/f\n    kind: wire\n    publisher: P\n"
        "    language: English\n",
        6,
        "sources[0].language",
        'expected a language tag like "en", "ru" or "pt-BR" (got "English")',
        id="language",
    ),
    pytest.param(
        "sources:\n  - name: x\n    url: https://e.org/f\n    kind: wire\n    publisher: P\n"
        "    archive_url: https://e.org/archive?p=1\n",
        6,
        "sources[0].archive_url",
        'expected a URL template containing {page} or {date} (got "https://e.org/archive?p=1")',
        id="archive-template",
    ),
    pytest.param(
        "sources:\n" + SOURCE + SOURCE,
        3,
        "sources[1].name",
        'duplicate name "s" (first used by sources[0])',
        id="duplicate-source-name",
    ),
    pytest.param(
        "subscriptions:\n  - {name: d, recipients: [a@example.org]}\n"
        "  - {name: d, recipients: [b@example.org]}\n",
        3,
        "subscriptions[1].name",
        'duplicate name "d" (first used by subscriptions[0])',
        id="duplicate-subscription-name",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients: []\n",
        3,
        "subscriptions[0].recipients",
        "expected at least 1 item(s) (got an empty list)",
        id="no-recipients",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients:\n      - a@example.org\n      - bob\n",
        5,
        "subscriptions[0].recipients[1]",
        'expected an e-mail address like "analyst@example.org" (got "bob")',
        id="bad-recipient",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients: [a@example.org]\n    send_at: '7am'\n",
        4,
        "subscriptions[0].send_at",
        'expected a time of day as "HH:MM", like "07:00" (got "7am")',
        id="send-at",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients: [a@example.org]\n"
        "    timezone: Europe/Lndon\n",
        4,
        "subscriptions[0].timezone",
        'expected an IANA time zone like "UTC" or "Europe/London" (got "Europe/Lndon")',
        id="timezone",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients: [a@example.org]\n    language: English\n",
        4,
        "subscriptions[0].language",
        'expected a language tag like "en", "ru" or "pt-BR" (got "English")',
        id="subscription-language",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients: [a@example.org]\n    max_columns: 13\n",
        4,
        "subscriptions[0].max_columns",
        "expected a number <= 12 (got 13)",
        id="max-columns",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients: [a@example.org]\n    min_sources: 0\n",
        4,
        "subscriptions[0].min_sources",
        "expected a number >= 1 (got 0)",
        id="min-sources",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients: [a@example.org]\n"
        "    unsubscribe: unsubscribe-me\n",
        4,
        "subscriptions[0].unsubscribe",
        'expected an http(s):// URL or a mailto: address (got "unsubscribe-me")',
        id="unsubscribe",
    ),
    pytest.param(
        "subscriptions:\n  - name: d\n    recipients: [a@example.org]\n"
        "    keywords: [nato, 2026]\n",
        4,
        "subscriptions[0].keywords[1]",
        "expected text (got 2026)",
        id="keyword-not-text",
    ),
    pytest.param(
        "settings:\n  database_url: sqlite:///a.db\n  database_url: sqlite:///b.db\n",
        3,
        "settings.database_url",
        "duplicate key (first given on line 2)",
        id="duplicate-key",
    ),
    pytest.param(
        "settings:\n  fetch:\n    read_timeout: 1m\n  smtp: {host: a, host: b}\n",
        4,
        "settings.smtp.host",
        "duplicate key (first given on line 4)",
        id="duplicate-key-flow",
    ),
    pytest.param(
        "sources:\n  - name: x\n    url: [https://e.org/f\n",
        4,
        None,
        "not valid YAML: while parsing a flow sequence; "
        "expected ',' or ']', but got '<stream end>'",
        id="yaml-syntax",
    ),
    pytest.param(
        "settings:\n  smtp:\n\thost: x\n",
        3,
        None,
        "not valid YAML: while scanning for the next token; found character '\\t' that cannot "
        "start any token",
        id="yaml-tab",
    ),
    pytest.param(
        "settings:\n  fetch: {}\n  1: x\n",
        3,
        "settings",
        'keys must be plain words (got "1")',
        id="key-not-a-word",
    ),
    pytest.param(
        "settings:\n  contact: !!timestamp soon\n",
        2,
        None,
        '"soon" cannot be read as !!timestamp',
        id="tag-that-cannot-read-its-value",
    ),
    pytest.param(
        "settings:\n  allow_private_networks: !!bool maybe\n",
        2,
        None,
        '"maybe" cannot be read as !!bool',
        id="bool-tag",
    ),
    pytest.param("", 1, None, "the file is empty", id="empty"),
    pytest.param("# nothing but a comment\n", 1, None, "the file is empty", id="only-comments"),
    pytest.param("\n\n- a\n- b\n", 3, None, "expected a mapping at the top", id="top-level-list"),
    pytest.param("just words\n", 1, None, "expected a mapping at the top", id="top-level-scalar"),
    pytest.param("a: 1\n---\nb: 2\n", 2, None, "not valid YAML:", id="two-documents"),
]


@pytest.mark.parametrize(("text", "line", "key", "reason"), BAD_FILES)
def test_bad_file_names_line_and_key(text: str, line: int, key: str | None, reason: str) -> None:
    error = fail(text)
    assert (error.path, error.line, error.key) == ("feeds.yaml", line, key)
    assert error.reason.startswith(reason)
    where = f"feeds.yaml:{line}: " + (f"{key}: " if key else "")
    assert str(error).startswith(where + reason)


def test_all_errors_are_reported_at_once_sorted_by_line() -> None:
    error = fail(
        """\
        subscriptions:
          - name: d
            recipients: [nobody]
        sources:
          - name: x
            url: https://e.org/f
            kind: blog
            publisher: P
            interval: 0s
          - name: x
            url: https://e.org/g
            kind: wire
        """
    )
    assert str(error).splitlines() == [
        "feeds.yaml:3: subscriptions[0].recipients[0]: expected an e-mail address like "
        '"analyst@example.org" (got "nobody")',
        "feeds.yaml:7: sources[0].kind: expected 'official', 'wire' or 'outlet' (got \"blog\")",
        'feeds.yaml:9: sources[0].interval: expected a duration of at least 1s (got "0s")',
        'feeds.yaml:10: sources[1].name: duplicate name "x" (first used by sources[0])',
        "feeds.yaml:10: sources[1].publisher: required key is missing",
    ]
    assert (error.line, error.key) == (3, "subscriptions[0].recipients[0]")


def test_a_file_with_very_many_problems_lists_the_first_fifty_and_counts_the_rest() -> None:
    text = "sources:\n" + "".join(f"  - {{name: s{n}, kind: blog}}\n" for n in range(40))
    lines = str(fail(text)).splitlines()
    assert len(lines) == 51
    assert lines[-1] == "feeds.yaml: … and 70 more problems"  # 3 a source: 120 in all


def test_braces_in_values_are_reported_verbatim() -> None:
    error = fail(
        "sources:\n  - {name: x, url: 'https://e.org', kind: wire, publisher: P, interval: '{x}'}\n"
    )
    assert error.reason == 'expected a duration like 90s, 15m, 1h, 1d or 1h30m (got "{x}")'


# ---------------------------------------------------------------- files on disk


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert (info.value.path, info.value.line) == (str(path), None)
    assert str(info.value) == f"{path}: no such file"


def test_unreadable_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_settings(tmp_path)  # a directory


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"settings:\n  contact: mailto:caf\xe9@example.org\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert (info.value.line, info.value.reason) == (2, "not UTF-8 text")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + DESIGN_FORM.encode())
    assert load_settings(path) == parse_settings(DESIGN_FORM, path=str(path))


# ---------------------------------------------------------------- warnings


def test_warnings() -> None:
    settings = parse_settings(
        """\
        settings:
          fetch: {max_connections: 2, max_per_host: 3, max_body: 10MiB, max_decompressed: 1MiB}
        sources:
          - {name: ok, url: 'https://e.org/a', kind: outlet, publisher: P, interval: 1m}
          - {name: hasty, url: 'https://e.org/b', kind: outlet, publisher: P, interval: 5s}
          - {name: local, url: 'file:///srv/x.xml', kind: outlet, publisher: P, interval: 1s}
          - {name: voiceless, url: 'https://e.org/c', kind: official, publisher: P}
          - {name: again, url: 'https://e.org/a', kind: outlet, publisher: P}
        """
    )
    assert settings.warnings() == [
        "sources[1] (hasty): interval 5s is below 1 minute; be polite to the server",
        "sources[3] (voiceless): an official source without a side; its statements will not be "
        "attributed to anyone's column",
        "sources[4] (again): same URL as sources[0] (ok)",
        "settings.fetch.max_per_host is above max_connections; max_connections wins",
        "settings.fetch.max_decompressed is below max_body; compressed feeds will be refused "
        "sooner than plain ones",
        "settings.contact is not set; publishers see only the project URL in the User-Agent "
        "(set a URL or mailto: where they can reach you)",
    ]


def test_no_warnings_for_a_polite_file() -> None:
    text = DESIGN_FORM.replace("settings:\n", "settings:\n  contact: https://ops.example.org\n", 1)
    assert parse_settings(text).warnings() == []


# ---------------------------------------------------------------- the shipped files


def test_feeds_yaml_loads() -> None:
    settings = load_settings(ROOT / "feeds.yaml")
    assert len(settings.sources) >= 15
    kinds = {s.kind for s in settings.sources}
    assert kinds == {"official", "wire", "outlet"}
    sides = {s.side for s in settings.sources if s.kind == "official"}
    assert {"United Nations", "NATO", "United States", "United Kingdom", "Russia"} <= sides
    assert {"European Union", "OSCE"} <= sides
    assert all(s.url.startswith(("https://", "http://")) for s in settings.sources)
    assert all(s.interval >= timedelta(minutes=15) for s in settings.sources)
    assert [s.name for s in settings.subscriptions] == ["daily"]
    # the only advice is to fill in the contact before polling the open web
    assert [w.split(" ")[0] for w in settings.warnings()] == ["settings.contact"]


def test_demo_yaml_loads_with_bundled_feeds() -> None:
    settings = load_settings(ROOT / "aggregator" / "data" / "demo.yaml")
    assert isinstance(settings, Settings)
    assert settings.warnings() == []
    folder = (ROOT / "aggregator" / "data" / "sample_feeds").as_uri()
    assert all(s.url.startswith(folder + "/") for s in settings.sources)


# ---------------------------------------------------------------- robustness

_YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-{}[], \n\t'\"&*!#|>%@`1.0sourcesname")))


@settings(max_examples=300, deadline=None)
@given(_YAMLISH)
def test_any_text_gives_settings_or_a_located_config_error(text: str) -> None:
    caught: ConfigError | None = None
    try:
        parse_settings(text, path="f.yaml")
    except ConfigError as error:  # anything else (a bug, a raw YAML error) fails the test
        caught = error
    if caught is not None:
        assert caught.path == "f.yaml"
        assert str(caught).startswith("f.yaml")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**9))
def test_format_then_parse_duration_is_identity(seconds: int) -> None:
    assert parse_duration(format_duration(timedelta(seconds=seconds))).total_seconds() == seconds


def test_plain_safe_loader_is_left_alone() -> None:
    # the YAML 1.2 resolvers are our own loader's; other users of PyYAML keep YAML 1.1
    assert yaml.safe_load("a: yes\nb: 6:30\n") == {"a": True, "b": 390}


def test_public_api() -> None:
    import aggregator.config

    assert sorted(aggregator.config.__all__) == [
        "FetchSettings",
        "GeneralSettings",
        "RetentionSettings",
        "Settings",
        "SmtpSettings",
        "SourceConfig",
        "SubscriptionConfig",
        "database_url",
        "default_settings",
        "format_duration",
        "load_settings",
        "parse_duration",
        "parse_settings",
        "parse_size",
    ]


def test_a_sources_country_reaches_its_voice(tmp_path: Path) -> None:
    from aggregator.pipeline.process import source_voices

    config = tmp_path / "feeds.yaml"
    config.write_text(
        "sources:\n"
        "  - {name: a, url: 'file:///a.xml', kind: outlet, publisher: P, country: Pakistan}\n"
        "  - {name: b, url: 'file:///b.xml', kind: outlet, publisher: Q}\n",
        encoding="utf-8",
    )
    voices = source_voices(load_settings(config))
    assert (voices["a"].country, voices["b"].country) == ("Pakistan", None)
