"""What the workbook reader and writer need from a workbook, headless or live.

Four implementations, in :mod:`xlsozial.adapters`:

- :mod:`~xlsozial.adapters.package.package_book` – a file on disk, no Excel: reads and
  rewrites only the zip parts xlsozial owns, so everything else a user or Excel put into the
  workbook survives (every headless command that writes the Mappe goes through it);
- :mod:`~xlsozial.adapters.openpyxl_book` – a workbook held in memory by openpyxl: the build of
  the workbook from its sources, the provider files read on collection, and the independent
  second writer the tests compare the package writer against;
- :mod:`~xlsozial.adapters.xlwings_book` – the calling book in Excel through xlwings (the ribbon);
- :mod:`~xlsozial.adapters.remote_book` – the book a remote client sent to xlwings Server (or
  xlwings Lite), as JSON; writes become the actions the client carries out afterwards.

All move whole tables and whole output blocks at once, so the cost of a run does not grow with
per-cell calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

FORMULA_PREFIXES = ("=", "+", "-", "@")  # text that a spreadsheet would take as formula


def col_letter(col: int) -> str:
    """1 → 'A', 28 → 'AB' (without importing openpyxl: the headless run does not need it)."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quote_sheet(sheet: str, always: bool = False) -> str:
    """Sheet name as used in references: quoted when it has spaces or umlauts (``always``:
    quoted anyway, as Excel writes chart ranges and print titles)."""
    if not always and sheet.replace("_", "").isalnum() and sheet.isascii():
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def address(sheet: str, row: int, col: int) -> str:
    """'Gebiete!D7' – how problems point at a cell (1-based row and column)."""
    return f"{quote_sheet(sheet)}!{col_letter(col)}{row}"


class Uncomputed:
    """A formula cell whose stored value has not been looked up (or was never stored).

    Adapters that read formulas (openpyxl) return this placeholder; the reader asks the
    adapter to ``resolve`` it only for columns it needs, so a formula in a column Python
    ignores never costs a second pass over the file.
    """

    def __init__(self, formula: Any, sheet: str = "", coord: str = "") -> None:
        self._formula = formula  # its text, or an object whose ``text`` gives it when needed
        self.sheet = sheet
        self.coord = coord

    @property
    def formula(self) -> str:
        text = self._formula if isinstance(self._formula, str) else self._formula.text
        return str(text)

    def __repr__(self) -> str:
        return f"Uncomputed({self.formula!r})"


@dataclass(frozen=True)
class TableData:
    """An Excel table as values: header, data rows, and where its first data cell is."""

    name: str
    sheet: str
    header: list[str]
    rows: list[list[Any]]
    first_row: int  # sheet row of the first data row
    first_col: int
    # Filled rows directly under the table, in its columns (sheet row, values): typed below
    # a table that did not grow (LibreOffice never grows tables).
    below: list[tuple[int, list[Any]]] = field(default_factory=list)

    def cell(self, row_index: int, col_index: int) -> str:
        return address(self.sheet, self.first_row + row_index, self.first_col + col_index)

    def numbered(self, with_below: bool) -> list[tuple[int, list[Any]]]:
        """Data rows with their sheet row numbers, optionally followed by the rows below."""
        rows = [(self.first_row + i, row) for i, row in enumerate(self.rows)]
        return rows + self.below if with_below else rows


def filled(values: list[Any]) -> bool:
    return any(v is not None and not (isinstance(v, str) and not v.strip()) for v in values)


@dataclass(frozen=True)
class NamedValue:
    value: Any
    where: str  # 'Parameter!C5'
    formula: str | None = None  # set when the cell holds a formula without a stored value


@dataclass
class Block:
    """A rectangular output block, written in one call."""

    row: int
    col: int
    values: list[list[Any]]
    formats: dict[int, str] = field(default_factory=dict)  # column offset → number format
    header_rows: int = 1
    bold_rows: set[int] = field(default_factory=set)  # row offsets in bold (totals)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (r, c) → RGB
    widths: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ChartSpec:
    """A clustered bar chart over a block: categories in one column, series in others."""

    title: str
    block_index: int
    category_col: int
    series_cols: tuple[int, ...]
    first_data_row: int  # offset within the block
    last_data_row: int
    anchor: str  # top-left cell of the chart
    y_title: str = "€"
    stacked: bool = False


@dataclass
class SheetOutput:
    sheet: str
    title: str
    subtitle: str
    blocks: list[Block]
    charts: list[ChartSpec] = field(default_factory=list)
    freeze: str | None = None


@dataclass
class FormulaCell:
    """A cell whose formula calls an SRB_ function, with what it last showed.

    ``values`` is the stored value followed by the cells a dynamic-array result spilled
    into (one column); empty when the formula was never computed.
    """

    sheet: str
    row: int
    col: int
    formula: str
    values: list[Any]


class BookAdapter(Protocol):
    """What the service layer needs from a workbook: a file (openpyxl) or a live Excel book."""

    @property
    def file_name(self) -> str: ...

    def table(self, name: str) -> TableData | None: ...

    def named(self, name: str) -> NamedValue | None: ...

    def write_sheet(self, output: SheetOutput) -> None: ...

    def set_named(self, name: str, value: Any) -> None: ...

    def append_log(self, values: list[Any]) -> None: ...

    def replace_rows(self, table: str, rows: list[list[Any]]) -> None:
        """The data rows of table ``table`` become ``rows`` (cell values in column order)."""
        ...

    def udf_formulas(self) -> list[FormulaCell]: ...

    def write_column(self, sheet: str, row: int, col: int, values: list[Any]) -> None:
        """Constants from (row, col) downwards, replacing whatever was there."""
        ...

    def commit(self) -> None:
        """Make what was written durable (file: atomic replace; Excel: save the book)."""
        ...

    def resolve(self, value: Uncomputed) -> Any:
        """The stored value of a formula cell, or ``value`` itself if none was stored."""
        ...
