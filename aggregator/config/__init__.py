"""The configuration: ``feeds.yaml`` -> validated :class:`Settings`, and the other files a person
writes (an analyst's corrections); every error names the file, the line and the key.

Public surface: the names below, from :mod:`.schema` and :mod:`.fields`. Modules:

    schema        the Settings models; load_settings / parse_settings, database_url
    fields        units (durations, sizes) and the validated field types the schema uses
    yaml_file     YAML with line numbers and reading limits, errors as located sentences
                  (actors files are read with it too)
    urls          whether a URL can be requested at all (idna only here); the fetcher asks too
    corrections   the analyst's corrections file (``aggregator correct`` edits it)
"""

from aggregator.config.fields import format_duration, parse_duration, parse_size
from aggregator.config.schema import (
    FetchSettings,
    GeneralSettings,
    RetentionSettings,
    Settings,
    SmtpSettings,
    SourceConfig,
    SubscriptionConfig,
    database_url,
    default_settings,
    load_settings,
    parse_settings,
)

__all__ = [
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
