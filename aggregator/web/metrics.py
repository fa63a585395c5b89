"""``/metrics``: the Prometheus text format, from prometheus_client (imported only here).

    scrape  -> StoreCollector.collect(): store.counts() read now   (fetches, articles, …)
            -> the request-latency histogram this process kept     (by route template)
            -> generate_latest(registry of this app)

Each app has its own registry, so several apps in one process (tests) never clash. Counts come
from the store at scrape time, so every worker and every host answers the same; latency is per
process (Prometheus sums the workers' histograms). When the store cannot be read the scrape
still answers, with ``aggregator_store_up 0`` and no counts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aggregator.errors import StoreError
from aggregator.store import Store

__all__ = ["CONTENT_TYPE_LATEST", "LatencyMiddleware", "Metrics", "StoreCollector"]

#: the route label of a request no route matched (a 404): raw paths would have no bound
UNMATCHED = "<unmatched>"
# from 2.5 ms to 10 s: a healthz answer to a slow search on a big store
_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class StoreCollector(Collector):
    """The store's counts as gauges, read from the store at each scrape."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("aggregator_store_up", "1 when the store could be read")
        try:
            counts = self._store.counts()
        except StoreError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        fetches = GaugeMetricFamily(
            "aggregator_fetches",
            "Fetches in the fetch log by outcome (the log keeps settings.retention.fetch_log)",
            labels=["outcome"],
        )
        for outcome, count in sorted(counts.fetches.items()):
            fetches.add_metric([outcome], count)
        yield fetches
        for name, value, what in (
            ("aggregator_articles", counts.articles, "Articles stored"),
            ("aggregator_statements", counts.statements, "Statements stored"),
            ("aggregator_events", counts.events, "Events (not merged into another)"),
            ("aggregator_digests_sent", counts.digests_sent, "Digests the ledger records as sent"),
        ):
            yield GaugeMetricFamily(name, what, value=value)
        last = counts.last_successful_poll
        yield GaugeMetricFamily(
            "aggregator_last_successful_poll_timestamp_seconds",
            "When a source was last fetched with success (ok or not modified), unix time; "
            "0 when never",
            value=last.timestamp() if last is not None else 0,
        )


class Metrics:
    """One app's registry: the store's counts and the request latency it measures."""

    def __init__(self, store: Store) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.registry.register(StoreCollector(store))
        self.latency = Histogram(
            "aggregator_http_request_duration_seconds",
            "Time to answer a request, by route template, method and status",
            labelnames=("route", "method", "status"),
            buckets=_BUCKETS,
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)


class LatencyMiddleware:
    """Observes each request's latency under its route template (``scope["route"]``, which the
    router sets on the scope it shares with the middleware around it)."""

    def __init__(self, app: ASGIApp, *, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            template = getattr(scope.get("route"), "path", None) or UNMATCHED
            self.histogram.labels(template, scope["method"], str(status)).observe(
                time.perf_counter() - start
            )
