"""Values and cells as Excel's API wants them: texts kept as text, formula grids, runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from xlsozial.book.adapter import FormulaCell, Uncomputed
from xlsozial.book.freeze import is_udf_formula


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


def udf_cells(sheet: str, top: int, left: int, formula2: Any, rng: Any) -> list[FormulaCell]:
    """The SRB_ formulas of a used range (its ``formula2`` and values), each with what it
    showed and the cells below that its result spilled into (empty where never computed)."""
    formulas = grid(formula2)
    values = rng.options(ndim=2).value
    found = []
    for r, row in enumerate(formulas):
        for c, formula in enumerate(row):
            if not is_udf_formula(formula):
                continue
            spill = [values[r][c]]
            below = r + 1
            while (
                below < len(formulas)
                and formulas[below][c] in ("", None)
                and values[below][c] is not None
            ):
                spill.append(values[below][c])
                below += 1
            cell = FormulaCell(sheet, top + r, left + c, formula, spill)
            if spill == [None]:
                cell.values = []
            found.append(cell)
    return found
