#!/usr/bin/env python3
"""Write statement gold (texts/<id>.txt and a jsonl) from an annotated markup file.

Usage::

    .venv/bin/python scripts/gold_markup.py tests/data/gold_statements/ru/dev.markup

writes ``tests/data/gold_statements/ru/texts/<id>.txt`` and ``.../ru/dev.jsonl`` in the format
of tests/data/gold_statements/README.md. The markup, one article after each ``=== <id>`` line:

    @1 Sergei Lavrov | Foreign Minister of Russia | Russia | direct
    «[[1 Мы не допустим этого]]», — заявил {{1 министр … Сергей Лавров}}.

``@n actor | role | side | kind`` describes statement n (``-`` for none); ``[[n …]]`` is its
content and ``{{n …}}`` (or ``{{1,2 …}}``, one mention for several) its speaker. Markers nest;
they are taken out of the text, and every offset is an offset into the text without them.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

_OPEN = re.compile(r"\[\[(\d+) |\{\{([\d,]+) ")


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _article(ident: str, lines: list[str]) -> tuple[str, dict[str, object]]:
    meta: dict[int, list[str]] = {}
    body: list[str] = []
    note = None
    for line in lines:
        if line.startswith("@"):
            number, rest = line[1:].split(" ", 1)
            meta[int(number)] = [part.strip() for part in rest.split("|")]
        elif line.startswith("# "):
            note = line[2:].strip()
        else:
            body.append(line)
    marked = "\n".join(body).strip("\n") + "\n"
    text, spans, speakers = _strip(marked)
    statements = []
    for number in sorted(meta):
        actor, role, side, kind = meta[number]
        start, end = spans[number]
        speaker = speakers.get(number)
        statements.append(
            {
                "start": start,
                "end": end,
                "speaker": text[speaker[0] : speaker[1]] if speaker else None,
                "speaker_start": speaker[0] if speaker else None,
                "speaker_end": speaker[1] if speaker else None,
                "actor": None if actor == "-" else actor,
                "role": None if role == "-" else role,
                "side": None if side == "-" else side,
                "kind": kind,
                "text_sha": _sha(text[start:end]),
            }
        )
    item: dict[str, object] = {"id": ident, "source": "written", "text_sha": _sha(text)}
    if note:
        item["note"] = note
    item["statements"] = sorted(statements, key=lambda st: (st["start"], st["end"]))
    return text, item


def _strip(marked: str) -> tuple[str, dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
    out: list[str] = []
    length = 0
    stack: list[tuple[str, list[int], int]] = []
    spans: dict[int, tuple[int, int]] = {}
    speakers: dict[int, tuple[int, int]] = {}
    pos = 0
    while pos < len(marked):
        match = _OPEN.match(marked, pos)
        if match:
            if match.group(1):
                stack.append(("content", [int(match.group(1))], length))
            else:
                stack.append(("speaker", [int(n) for n in match.group(2).split(",")], length))
            pos = match.end()
            continue
        closing = marked[pos : pos + 2]
        if closing in {"]]", "}}"} and stack:
            kind, numbers, start = stack.pop()
            if (kind == "content") != (closing == "]]"):
                raise ValueError(f"crossed markers near {marked[max(0, pos - 40) : pos]!r}")
            for number in numbers:
                (spans if kind == "content" else speakers)[number] = (start, length)
            pos += 2
            continue
        out.append(marked[pos])
        length += 1
        pos += 1
    if stack:
        raise ValueError(f"unclosed marker: {stack}")
    return "".join(out), spans, speakers


def main(path: str) -> None:
    source = Path(path)
    articles: list[tuple[str, list[str]]] = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("=== "):
            articles.append((line[4:].strip(), []))
        elif articles:
            articles[-1][1].append(line)
    texts = source.parent / "texts"
    texts.mkdir(exist_ok=True)
    rows = []
    for ident, lines in articles:
        text, item = _article(ident, lines)
        (texts / f"{ident}.txt").write_text(text, encoding="utf-8")
        rows.append(json.dumps(item, ensure_ascii=False))
    split = source.stem  # dev.markup -> dev.jsonl
    (source.parent / f"{split}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} articles, {source.parent / (split + '.jsonl')}")


if __name__ == "__main__":
    main(sys.argv[1])
