"""A `fulltext: true` source: each new entry's page is fetched and its main text stored."""

from __future__ import annotations

from aggregator import clock
from aggregator.config import parse_settings
from aggregator.pipeline.poll import run_pass
from aggregator.store import open_store
from tests.support.server import FeedServer

PARAGRAPHS = [
    "The foreign minister said on Tuesday that her government would not accept any settlement "
    "that changed the border by force, and that talks could resume only after a ceasefire.",
    "Speaking to reporters after a cabinet meeting, she said the country had asked the Security "
    "Council to meet again and had invited observers from the OSCE to visit the frontier.",
    "Officials said humanitarian convoys had reached two villages near the front line overnight, "
    "the first deliveries in almost a week, and that more were planned for the coming days.",
    "The opposition leader called for a parliamentary debate on the crisis, saying that the "
    "public deserved a full account of the decisions taken in the first days of the fighting.",
]


def page(title: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Example News. All rights reserved.</footer></body></html>"
    )


def feed(server: FeedServer) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>'
        f"<link>{server.url('/')}</link><description>d</description>"
        f"<item><title>Minister rules out border change</title><link>{server.url('/a1')}</link>"
        "<guid>a1</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>"
        "<description>The minister spoke after a cabinet meeting.</description></item>"
        "</channel></rss>"
    )


def test_full_text_is_fetched_once_and_kept(feed_server: FeedServer, db_url: str) -> None:
    feed_server.add("/feed.xml", feed(feed_server), content_type="application/rss+xml")
    feed_server.add("/a1", page("Minister rules out border change"), content_type="text/html")
    settings = parse_settings(
        "settings:\n  allow_private_networks: true\nsources:\n  - name: example\n"
        f"    url: {feed_server.url('/feed.xml')}\n    kind: outlet\n    publisher: Example\n"
        "    fulltext: true\n"
    )
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        assert run_pass(store, settings, force=True).new == 1
        (article,) = store.articles()
        assert "observers from the OSCE" in article.text
        assert "All rights reserved" not in article.text
        assert article.summary == "The minister spoke after a cabinet meeting."
        # the next poll sees the same feed entry: no new page fetch, the full text stays
        second = run_pass(store, settings, force=True)
        assert (second.new, second.updated) == (0, 0)
        assert feed_server.count("/a1") == 1
        (again,) = store.articles()
        assert again.text == article.text
