"""Values and cells as Excel's API wants them: texts kept as text, formula grids, runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from xlsozial.book.adapter import Uncomputed


def runs(rows: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive row offsets grouped into (first, last) runs."""
    start = prev = None
    for r in sorted(rows):
        if start is None:
            start = prev = r
        elif prev is not None and r == prev + 1:
            prev = r
        else:
            assert prev is not None
            yield start, prev
            start = prev = r
    if start is not None and prev is not None:
        yield start, prev


def grid(formulas: Any) -> list[list[Any]]:
    """Range.formula is a string for one cell and a tuple of tuples for a block."""
    if not isinstance(formulas, (list, tuple)):
        return [[formulas]]
    return [list(row) if isinstance(row, (list, tuple)) else [row] for row in formulas]


def as_written(value: Any) -> Any:
    """A value as the adapter hands it to Excel: text with an apostrophe prefix.

    Excel parses a string written through COM as if it were typed, in the user's locale:
    "0815" would become 815, "580.361,55 €" or a time stamp a number or a date. The prefix
    keeps every text a text (Excel stores it without the apostrophe); numbers and dates
    are written as they are.
    """
    if isinstance(value, str):
        return "'" + value if value else None
    if isinstance(value, Uncomputed):  # a user's formula, written back as a formula
        return value.formula
    return value
