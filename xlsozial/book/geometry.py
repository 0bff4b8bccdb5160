"""Sizes of output sheets shared by both writers: column widths, header heights, print width."""

from __future__ import annotations

from xlsozial.book.adapter import Block

DEFAULT_WIDTH = 15.0
LINE_HEIGHT = 15.0
PRINT_CHARS = 160  # column-width units that still fit A4 landscape at ≥ 80 % (≥ 8,8 pt)


def header_height(block: Block, r: int) -> float:
    """Tall enough for the longest wrapped header text of the row (Calibri 11, bold)."""
    lines = 1
    for c, value in enumerate(block.values[r]):
        width = block.widths.get(c, DEFAULT_WIDTH)
        per_line = max(1, int(width / 1.2))
        words = str(value or "").split()
        count, used = 1, 0
        for word in words:
            need = len(word) + (1 if used else 0)
            if used + need > per_line and used:
                count, used = count + 1, len(word)
            else:
                used += need
        lines = max(lines, count)
    return LINE_HEIGHT * lines + 4


def chart_break(blocks: list[Block], anchor_row: int) -> int | None:
    """The row after which the page breaks so a chart anchored at ``anchor_row`` starts a
    page: right after the last filled row above it, so the empty rows between table and
    chart never make a page of their own; None when the chart sits at the top anyway."""
    above = [b.row + len(b.values) - 1 for b in blocks if b.row + len(b.values) - 1 < anchor_row]
    last = max(above, default=0)
    return last if anchor_row > 3 and last > 0 else None
