"""Explanatory text on an output sheet, above the table it explains."""

from __future__ import annotations

import textwrap

from xlsozial.book.adapter import Block


def lines(blocks: list[Block], row: int, text: str) -> int:
    """Text in short lines from ``row`` (a long cell would widen the printed page and shrink
    everything on it); returns the row for the table it explains."""
    wrapped = [[part] for part in textwrap.wrap(text, 100)]
    blocks.append(Block(row=row, col=1, values=wrapped, header_rows=0))
    return row + len(wrapped)
