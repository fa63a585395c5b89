"""The HTML digest as a person sees it: Debian's headless Chromium at 600 px and 375 px wide.

The rendered digest is opened inside an iframe of the exact width by an outer page whose script
measures it (the digest itself carries no script); ``--dump-dom`` prints the outer DOM with the
measurements, and the test reads them: the side-by-side tables are there, the page never
scrolls sideways, and on a phone the cells stack.
``python -m tests.integration.test_digest_browser`` refreshes the screenshots in docs/img/.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.golden.test_golden import rendered_fixture_day

CHROMIUM = os.environ.get("AGGREGATOR_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]

# Chromium's headless window is at least 500 px wide, so the digest is opened in an iframe of
# the exact width (srcdoc keeps it same-origin, so the outer page can measure inside it); the
# iframe's viewport is what media queries and scrollWidth see, as on a phone.
FRAME = """<!DOCTYPE html>
<html><head><meta charset="utf-8"></head>
<body style="margin:0;background:#888">
<iframe id="digest" style="border:0;display:block;width:{width}px;height:{height}px"
  srcdoc="{srcdoc}"></iframe>
<script>
window.addEventListener("load", function () {{
  var frame = document.getElementById("digest");
  var doc = frame.contentDocument, win = frame.contentWindow, root = doc.documentElement;
  var cells = Array.prototype.slice.call(doc.querySelectorAll("td.cell"));
  var widest = 0;
  doc.querySelectorAll("body *").forEach(function (el) {{
    widest = Math.max(widest, el.getBoundingClientRect().right);
  }});
  var table = doc.querySelector("table.sides");
  function luminance(color) {{
    var rgb = color.match(/[0-9.]+/g).slice(0, 3).map(function (v) {{
      v = Number(v) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }});
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }}
  function contrast(selector) {{
    var fg = luminance(win.getComputedStyle(doc.querySelector(selector)).color);
    var bg = luminance(win.getComputedStyle(doc.querySelector("table.container")).backgroundColor);
    return Math.round((Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05) * 100) / 100;
  }}
  document.documentElement.setAttribute("data-measure", JSON.stringify({{
    dark: win.matchMedia("(prefers-color-scheme: dark)").matches,
    contrast: {{
      quote: contrast("p.s"), who: contrast("p.s span.w"), link: contrast("p.s span.w a"),
      side: contrast("p.side-name"), title: contrast("td.event h2")
    }},
    innerWidth: win.innerWidth,
    scrollWidth: root.scrollWidth,
    widestRight: Math.ceil(widest),
    tables: doc.querySelectorAll("table.sides").length,
    cells: cells.length,
    stacked: cells.filter(function (c) {{
      return win.getComputedStyle(c).display === "block";
    }}).length,
    firstTableWidth: table ? Math.round(table.getBoundingClientRect().width) : -1
  }}));
}});
</script>
</body></html>
"""


def framed(digest_html: str, width: int, height: int) -> str:
    """An outer page holding ``digest_html`` in an iframe ``width`` px wide."""
    return FRAME.format(width=width, height=height, srcdoc=html.escape(digest_html, quote=True))


def _chromium() -> str:
    path = shutil.which(CHROMIUM)
    if path is None and "AGGREGATOR_CHROMIUM" not in os.environ:
        path = shutil.which("chromium")
    if path is None:
        # a missing browser fails the suite, it never skips: a skip would pass without looking
        pytest.fail(
            f"headless Chromium is needed for this test and was not found at {CHROMIUM}; "
            "install it with `apt-get install -y chromium` (./scripts/test does, as root) "
            "or set AGGREGATOR_CHROMIUM"
        )
    return path


def _run(chromium: str, profile: Path, *args: str, target: Path) -> str:
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
        f"--user-data-dir={profile}", *args, target.as_uri(),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"Chromium did not finish within 90 s: {' '.join(command)}\n{exc}")
    if done.returncode != 0:
        pytest.fail(f"Chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def measure(width: int, tmp_path: Path, *, dark: bool = False) -> dict[str, Any]:
    """Open the fixture digest at ``width`` px and return what the measuring script saw."""
    chromium = _chromium()
    name = f"{width}{'-dark' if dark else ''}"
    page = tmp_path / f"digest-{name}.html"
    page.write_text(framed(rendered_fixture_day().html, width, 1200), encoding="utf-8")
    extra = ("--force-dark-mode",) if dark else ()
    dom = _run(
        chromium, tmp_path / f"profile-{name}", "--window-size=800,1300", *extra, "--dump-dom",
        target=page,
    )  # fmt: skip
    found = re.search(r'data-measure="([^"]*)"', dom)
    assert found, f"the measuring script did not run; DOM starts: {dom[:500]}"
    measured: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return measured


@pytest.mark.parametrize("width", [600, 375])
def test_digest_fits_without_horizontal_overflow(width: int, tmp_path: Path) -> None:
    m = measure(width, tmp_path)
    assert m["innerWidth"] == width, m  # the viewport is what we asked for
    assert m["tables"] == 4, m
    assert m["cells"] == 4 + 4 + 2 + 1, m  # parties side by side; Others below the table
    assert m["scrollWidth"] <= m["innerWidth"], m
    assert m["widestRight"] <= m["innerWidth"], m


def test_cells_side_by_side_at_600_and_stacked_on_a_phone(tmp_path: Path) -> None:
    wide, narrow = measure(600, tmp_path), measure(375, tmp_path)
    assert wide["stacked"] == 0, wide
    assert wide["firstTableWidth"] <= 600, wide
    assert narrow["stacked"] == narrow["cells"], narrow


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_is_legible_in_light_and_dark_mode(dark: bool, tmp_path: Path) -> None:
    m = measure(600, tmp_path, dark=dark)
    assert m["dark"] is dark, m
    # WCAG AA for normal text: a contrast ratio of at least 4.5 against the page
    for element, ratio in m["contrast"].items():
        assert ratio >= 4.5, (element, m["contrast"])


def screenshots(folder: Path = ROOT / "docs" / "img") -> list[Path]:
    """Write screenshots of the fixture digest at 600 px and (framed) 375 px into ``folder``."""
    chromium = shutil.which(CHROMIUM) or "chromium"
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "aggregator-screens"
    work.mkdir(exist_ok=True)
    digest = rendered_fixture_day().html
    pages = {
        "600": (digest, "600,2300", ()),
        "600-dark": (digest, "600,1100", ("--force-dark-mode",)),
        "375": (framed(digest, 375, 3200), "500,3200", ()),  # windows are at least 500 px
    }
    written = []
    for name, (content, size, extra) in pages.items():
        page = work / f"digest-{name}.html"
        page.write_text(content, encoding="utf-8")
        out = folder / f"digest-{name}.png"
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--hide-scrollbars", f"--user-data-dir={work / 'profile'}",
             f"--window-size={size}", *extra, f"--screenshot={out}", page.as_uri()],
            check=True, capture_output=True, timeout=90,
        )  # fmt: skip
        written.append(out)
    return written


if __name__ == "__main__":
    for path in screenshots():
        print(path)
