"""feedparser's test corpus: its documents and the HTTP headers each one asks to be served with."""

from __future__ import annotations

import re
from pathlib import Path

# The "Header:" lines of a test document (in its leading comment).
HEADER = re.compile(r"^Header:\s*([^:\r\n]+):(.*?)\r?$", re.MULTILINE)


def documents(corpora: Path) -> list[Path]:
    tests = corpora / "feedparser-tests" / "tests"
    return sorted(p for p in tests.rglob("*") if p.is_file() and p.suffix != ".py")


def headers(body: bytes) -> dict[str, str]:
    """Header lines from the leading comment (some documents are UTF-16/32: widen first)."""
    head = body[:4096]
    for codec in ("utf-32", "utf-16"):
        if head[:4].count(0) >= (3 if codec == "utf-32" else 1):
            try:
                text = body.decode(codec)
                break
            except UnicodeDecodeError:
                continue
    else:
        text = head.decode("utf-8", "replace")
    return {name.strip(): value.strip() for name, value in HEADER.findall(text[:4096])}
