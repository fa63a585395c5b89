"""Quotations in a block of the working copy (quotes already made directional by ``text``)."""

from __future__ import annotations

from aggregator.extract.text import CLOSE_QUOTE, OPEN_QUOTE
from aggregator.extract.values import value


@value
class Quote:
    """A quotation: ``start`` at the opening mark, ``end`` after the closing mark (or block end)."""

    start: int
    end: int
    closed: bool

    @property
    def length(self) -> int:
        return self.end - self.start


def find_quotes(work: str, start: int, end: int) -> list[Quote]:
    """Outermost quotations in ``work[start:end]``; nested ones stay inside their parent.

    An unclosed quotation runs to the end of the block (a quote that continues in the next
    paragraph re-opens there, as newspapers print it). A stray closing mark is ignored.
    """
    out: list[Quote] = []
    depth = 0
    opened = start
    # the next opening and closing marks; only the one consumed is looked for again (looking
    # for both after each mark made a run of marks of one kind quadratic: each search for the
    # other kind read to the end of the block)
    o = work.find(OPEN_QUOTE, start, end)
    c = work.find(CLOSE_QUOTE, start, end)
    while o >= 0 or c >= 0:
        if c < 0 or (0 <= o < c):
            if depth == 0:
                opened = o
            depth += 1
            o = work.find(OPEN_QUOTE, o + 1, end)
            continue
        if depth > 0:
            depth -= 1
            if depth == 0:
                out.append(Quote(opened, c + 1, True))
        c = work.find(CLOSE_QUOTE, c + 1, end)
    if depth > 0:
        tail = end
        while tail > opened and work[tail - 1].isspace():
            tail -= 1
        out.append(Quote(opened, tail, False))
    return out
