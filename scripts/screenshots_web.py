#!/usr/bin/env python
"""Screenshots of the web archive for the README and docs/web.md, from the demo day.

    .venv/bin/python scripts/screenshots_web.py [--out docs/img] [--chromium /usr/bin/chromium]

Serves the demo day (processed, in a temporary SQLite store) on loopback and photographs, with
Debian's headless Chromium driven by Playwright: the event with the most parties at 1280 px
(web-event.png) and 375 px (web-event-375.png), the busiest speaker's page (web-actor.png) and
a search (web-search.png), each the top of the page, at most 2,000 px tall.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.browser import chromium, demo_archive  # noqa: E402

# file name -> (page, viewport width)
SHOTS = {
    "web-event.png": ("event", 1280),
    "web-event-375.png": ("event", 375),
    "web-actor.png": ("actor", 1280),
    "web-search.png": ("search", 1280),
}
TALLEST = 2000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_archive(Path(folder), hostile=False) as archive,
        chromium(args.chromium) as browser,
    ):
        for name, (page_name, width) in SHOTS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(archive.path(page_name))
            # the window as tall as the page (at most TALLEST): one picture of what one reads
            height: int = min(TALLEST, page.evaluate("document.scrollingElement.scrollHeight"))
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=args.out / name)
            page.close()
            print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
