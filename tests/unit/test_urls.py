"""The one check of whether a URL can be requested, shared by the configuration and the fetcher."""

from __future__ import annotations

import pytest

from aggregator.config.urls import MAX_URL_LENGTH, url_problem

REQUESTABLE = [
    "https://news.un.org/feed/subscribe/en/news/all/rss.xml",
    "http://127.0.0.1:8080/feed",
    "https://[2001:db8::1]:443/rss",
    "https://example.org./feed",  # the root label, written out
    "https://exämple.org/feed",  # internationalised, IDNA-encodable
    "https://xn--exmple-cua.org/feed",  # the same name, A-label form
    "https://my_host.example/rss",  # underscores occur in real host names
    "HTTPS://EXAMPLE.ORG/Feed?q=a%20b#top",
    "https://example.org:65535/",
    "https://example.org:/feed",  # an empty port means the default
    "https://example.org/" + "a" * (MAX_URL_LENGTH - len("https://example.org/")),
]


@pytest.mark.parametrize("url", REQUESTABLE)
def test_requestable_urls_pass(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://example.org/f", "not an http(s) URL"),
        ("file:///etc/hostname", "not an http(s) URL"),
        ("http://", "no host"),
        ("http:///feed", "no host"),
        ("http://[::1/feed", "cannot be parsed"),
        ("http://[::g]/feed", "cannot be parsed"),
        ("http://example.org:0/", 'the port "0" is not a number from 1 to 65535'),
        ("http://example.org:65536/", 'the port "65536"'),
        ("http://example.org:80800/", 'the port "80800"'),
        ("http://example.org:-1/", 'the port "-1"'),
        ("http://example.org:８０/", 'the port "８０"'),  # fullwidth digits are not ASCII
        ("http://a..b/", "empty label"),
        ("http://.a/", "empty label"),
        ("http://a.b../", "empty label"),
        ("http://xn--zz/", 'invalid IDNA label "xn--zz"'),
        ("http://exa%41mple.org/", 'contains "%"'),
        ("http://exa!mple.org/", 'contains "!"'),
        ("http://☃.org/", "cannot be encoded as an internationalised domain name"),
        ("http://" + "a" * 64 + ".org/", "longer than 63"),
        ("http://" + ".".join(["a" * 60] * 5) + "/", "longer than 253"),
        ("http://300.1.1.1/", 'the host "300.1.1.1" is not a valid IPv4 address'),
        ("http://user@example.org/", "user name or password"),
        ("http://example.org@evil.example/", "user name or password"),
        ("http://example.org/a b", "whitespace (U+0020 SPACE)"),
        ("http://example.org/\tb", "whitespace (U+0009"),
        ("http://example.org/\x00", "control character (U+0000 NUL)"),
        ("http://example.org/\x1b[0m", "control character (U+001B ESC)"),
        ("http://example.org/\u200b", "control character (U+200B ZERO WIDTH SPACE)"),
        ("https://example.org/" + "a" * MAX_URL_LENGTH, f"longer than {MAX_URL_LENGTH}"),
    ],
)
def test_unrequestable_urls_say_which_part_is_wrong(url: str, problem: str) -> None:
    found = url_problem(url)
    assert found is not None
    assert problem in found
