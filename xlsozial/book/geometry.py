"""Sizes of output sheets shared by both writers: column widths, header heights, print width."""

from __future__ import annotations

import itertools
from typing import Any

from xlsozial.book.adapter import Block, SheetOutput

DEFAULT_WIDTH = 15.0
LINE_HEIGHT = 15.0
PRINT_CHARS = 160  # column-width units that still fit A4 landscape at ≥ 80 % (≥ 8,8 pt)


def header_height(block: Block, r: int) -> float:
    """Tall enough for the longest wrapped header text of the row (Calibri 11, bold)."""
    lines = max(
        (
            word_lines(str(value or ""), block.widths.get(c, DEFAULT_WIDTH))
            for c, value in enumerate(block.values[r])
        ),
        default=1,
    )
    return LINE_HEIGHT * lines + 4


def word_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps into, word by word, in a column ``width`` wide (bold)."""
    per_line = max(1, int(width * 1.1))  # Calibri 11 bold: about 1,1 characters per unit
    count, used = 1, 0
    for word in text.split():
        need = len(word) + (1 if used else 0)
        if used + need > per_line and used:
            count, used = count + 1, len(word)
        else:
            used += need
    return count


def wrapped_height(text: str, width: float) -> float:
    """Row height (pt) for ``text`` wrapped in a column of ``width`` (Calibri 11)."""
    per_line = max(1, int(width * 1.05))
    lines = sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))
    return LINE_HEIGHT * lines + 2


def column_widths(blocks: list[Block]) -> dict[int, float]:
    """Sheet column → width: a block's own width wins, otherwise the default."""
    widths: dict[int, float] = {}
    for block in blocks:
        for c in range(max((len(row) for row in block.values), default=0)):
            col = block.col + c
            width = block.widths.get(c)
            if width is not None:
                widths[col] = width
            elif col not in widths:
                widths[col] = DEFAULT_WIDTH
    return widths


# A4 landscape inside the default margins (0.75 in left/right, 1 in top/bottom), in points.
PAGE_WIDTH_PT, PAGE_HEIGHT_PT = 734.0, 451.0
TITLE_HEIGHT = 19.0  # a 14-pt title row


def is_wide(widths: dict[int, float]) -> bool:
    """Too wide to shrink onto one page width at a readable size (printed at 80 %)."""
    return (
        sum(widths.get(c, DEFAULT_WIDTH) for c in range(1, max(widths, default=0) + 1))
        > PRINT_CHARS
    )


def print_scale(widths: dict[int, float]) -> float:
    """The scale Excel prints at: 80 % for a wide sheet, otherwise fitted to the width."""
    if is_wide(widths):
        return 0.8
    points = sum(
        (widths.get(c, DEFAULT_WIDTH) * 7 + 5) * 0.75 for c in range(1, max(widths, default=0) + 1)
    )
    return min(1.0, PAGE_WIDTH_PT / points) if points else 1.0


def _anchor_row(anchor: str) -> int:
    return int("".join(ch for ch in anchor if ch.isdigit()))


def page_breaks(output: SheetOutput) -> list[int]:
    """Rows after which a printed page ends: each chart starts a page, and a table that fits
    on one page (with the lines that lead into it) never starts at the foot of a page and runs
    on without its header."""
    blocks = sorted(output.blocks, key=lambda b: b.row)
    charts = sorted(_anchor_row(spec.anchor) for spec in output.charts)
    stop = charts[0] if charts else max((b.row + len(b.values) for b in blocks), default=1)
    heights = {1: TITLE_HEIGHT}
    for block in blocks:
        for r in range(block.header_rows):
            heights[block.row + r] = header_height(block, r)
    capacity = PAGE_HEIGHT_PT / print_scale(column_widths(blocks))
    starts = {
        b.row: sum(heights.get(b.row + i, LINE_HEIGHT) for i in range(len(b.values)))
        for b in blocks
    }
    lead: int | None = None
    for text, table in itertools.pairwise(blocks):
        # Lines directly above a table lead into it: they go to the table's page with it.
        if text.header_rows == 0 and table.row == text.row + len(text.values):
            lead = text.row if lead is None else lead
            starts[lead] += starts.pop(table.row, 0.0)
        else:
            lead = None
    breaks: list[int] = []
    used = 0.0
    for row in range(1, stop):
        size = starts.get(row)
        if size is not None and used > 0 and used + size > capacity >= size:
            breaks.append(row - 1)
            used = 0.0
        height = heights.get(row, LINE_HEIGHT)
        if used + height > capacity:  # the page ends here by itself
            used = 0.0
        used += height
    for anchor in charts:
        after = _last_filled_row(blocks, anchor)
        if anchor > 3 and after > 0 and after not in breaks:
            breaks.append(after)
    return sorted(breaks)


def _last_filled_row(blocks: list[Block], anchor_row: int) -> int:
    above = [b.row + len(b.values) - 1 for b in blocks if b.row + len(b.values) - 1 < anchor_row]
    return max(above, default=0)


def log_row_height(values: list[Any]) -> float:
    """A Protokoll row tall enough for its wrapped Parameter text (LibreOffice does not
    grow a row for wrapped text on its own)."""
    from xlsozial.book import layout

    fields = [c.field for c in layout.LOG.columns]
    i = fields.index(layout.LOG_WRAPPED)
    text = str(values[i]) if i < len(values) and values[i] is not None else ""
    return wrapped_height(text, layout.LOG.columns[i].width)
