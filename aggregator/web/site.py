"""What every route needs: the archive (store, settings, clock) and the links between pages.

Links are absolute: from ``settings.web.base_url`` when it is set (the address readers use,
behind a proxy too), else from the request's own base URL (which uvicorn's proxy headers make
right behind a proxy that sends them). Route paths are fixed here and nowhere else::

    /digests/{subscription}/{date}   /events/{id}   /actors/{slug}   /search?…   /feeds/{s}.atom
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import quote, urlencode

from starlette.requests import Request

from aggregator.config import Settings, SubscriptionConfig
from aggregator.store import Store
from aggregator.store.slugs import actor_slug


@dataclass(frozen=True, slots=True)
class Archive:
    """The app's state: the one store, the configuration and the clock."""

    store: Store
    settings: Settings
    clock: Callable[[], datetime]

    @property
    def templates_dir(self) -> str | None:
        """A user's templates folder, searched before the shipped templates."""
        return self.settings.settings.templates_dir

    def subscriptions(self) -> list[SubscriptionConfig]:
        """The configured subscriptions; with none, one default (UTC, no filters) named
        ``digest``, as ``aggregator digest`` renders without a configuration."""
        if self.settings.subscriptions:
            return list(self.settings.subscriptions)
        return [DEFAULT_SUBSCRIPTION]

    def subscription(self, name: str) -> SubscriptionConfig | None:
        """The subscription called ``name``, or None."""
        return next((s for s in self.subscriptions() if s.name == name), None)


DEFAULT_SUBSCRIPTION = SubscriptionConfig(name="digest", recipients=["digest@example.org"])


def archive(request: Request) -> Archive:
    """The archive the app was made with."""
    found: Archive = request.app.state.archive
    return found


#: actor_slug, remembered: an event page links each of its speakers once a statement, and the
#: same few hundred names come back page after page
_slug = lru_cache(maxsize=4096)(actor_slug)


@dataclass(frozen=True, slots=True)
class Links:
    """Absolute URLs of the archive's pages."""

    base: str  # no trailing "/"

    @classmethod
    def of(cls, request: Request) -> Links:
        """The links for this request (``settings.web.base_url``, else the request's base)."""
        configured = archive(request).settings.settings.web.base_url
        return cls((configured or str(request.base_url)).rstrip("/"))

    def path(self, path: str, params: Mapping[str, str | None] | None = None) -> str:
        """``path`` (starting with "/") under the base, with the non-empty ``params``."""
        query = urlencode({k: v for k, v in (params or {}).items() if v})
        return f"{self.base}{path}" + (f"?{query}" if query else "")

    def home(self) -> str:
        return self.path("/")

    def digest(self, subscription: str, day: date) -> str:
        return self.path(f"/digests/{quote(subscription, safe='')}/{day.isoformat()}")

    def event(self, event_id: str) -> str:
        return self.path(f"/events/{quote(event_id, safe='')}")

    def actor(self, slug: str, params: Mapping[str, str | None] | None = None) -> str:
        return self.path(f"/actors/{quote(slug, safe='')}", params)

    def actor_of(self, name: str | None) -> str | None:
        """The page of the actor called ``name``; None when the name makes no slug."""
        slug = _slug(name) if name else ""
        return self.actor(slug) if slug else None

    def feed(self, subscription: str) -> str:
        return self.path(f"/feeds/{quote(subscription, safe='')}.atom")

    def api(self, path: str, params: Mapping[str, str | None] | None = None) -> str:
        return self.path(f"/api/v1/{path}", params)
