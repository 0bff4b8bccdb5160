"""One workbook table read into raw rows: each filled row with the origin of every field.

Columns are found by their header wherever a user moved them; Excel error values, formulas
without a stored value and texts longer than a cell are refused at their cell, once; rows
typed below a table are never dropped silently. Shared by the master's reader and the
collection of returned provider files.
"""

from __future__ import annotations

from typing import Any

from xlsozial.book import layout
from xlsozial.book.adapter import BookAdapter, TableData, Uncomputed, address
from xlsozial.book.cell_errors import error_problem, excel_error
from xlsozial.book.cell_origin import ROW_NAMES, CellOrigin
from xlsozial.domain.errors import Problem
from xlsozial.domain.validation import RawRow

EXCEL_CELL_TEXT = 32_767  # characters a cell holds; a longer text makes Excel repair the file
UNCOMPUTED_MESSAGE = (
    "Formel ohne gespeicherten Wert ({formula}); bitte die Mappe in Excel oder LibreOffice "
    "öffnen, neu berechnen und speichern"
)


def clean_cell(value: Any, kind: str) -> Any:
    """Empty text is an empty cell; numbers in text columns become text. Text in number
    columns stays text, so the model refuses it with the number it probably means."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if kind == "text" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if kind == "text" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def table_rows(
    book: BookAdapter,
    spec: layout.TableSpec,
    problems: list[Problem],
    extra: dict[str, Any],
    read_below: bool = False,
) -> list[RawRow]:
    """Raw rows of one table, with the origin of each field; empty rows are skipped.

    Rows filled directly below the table (typed where the table did not grow) are never
    dropped silently: with ``read_below`` they are read as table rows (a returned cost
    sheet), otherwise each block of them is a problem naming the rows (the master).
    """
    data = book.table(spec.name)
    if data is None:
        problems.append(
            Problem(
                spec.sheet,
                f"Tabelle „{spec.name}“ fehlt (Blatt „{spec.sheet}“); die Mappe wurde verändert",
            )
        )
        return []
    positions = _positions(data, spec, problems)
    if positions is None:
        return []
    if data.below and not read_below:
        problems.extend(_below_problems(data))
    rows: list[RawRow] = []
    columns = {col.field: data.first_col + idx for col, idx in positions.items()}
    labels = {col.field: col.header for col in positions}
    named = [f for f in ROW_NAMES if f in columns or f in extra]
    for sheet_row, row in data.numbered(read_below):
        values = _row_values(book, data, positions, sheet_row, row, problems)
        if not values:
            continue
        values.update(extra)
        name = ""
        for f in named:
            if isinstance(values.get(f), str):
                name = str(values[f])[:60]
                break
        origin = CellOrigin(data.sheet, sheet_row, data.first_col, columns, labels, name)
        rows.append(RawRow(values, origin))
    return rows


def _row_values(
    book: BookAdapter,
    data: TableData,
    positions: dict[layout.Column, int],
    sheet_row: int,
    row: list[Any],
    problems: list[Problem],
) -> dict[str, Any] | None:
    """The filled cells of one row by field; None when a cell holds an Excel error or an
    overlong text (reported once, not as „missing“ too). Empty cells, numbers in number
    columns and plain texts, nearly all of a large table, take the short way."""
    values: dict[str, Any] = {}
    broken = False
    width = len(row)
    for col, idx in positions.items():
        raw = row[idx] if idx < width else None
        if raw is None:
            continue
        kind = type(raw)
        if (kind is float or kind is int) and col.kind != "text":
            values[col.field] = raw
            continue
        if kind is str:
            text = raw.strip()
            if not text:
                continue
            if text[0] != "#" and len(text) <= EXCEL_CELL_TEXT:  # no error value, fits a cell
                values[col.field] = text
                continue
        cell = (data.sheet, sheet_row, data.first_col + idx)
        value, bad = _cell_value(book, raw, col, cell, problems)
        broken = broken or bad
        if value is not None:
            values[col.field] = value
    return None if broken else values


def _cell_value(
    book: BookAdapter,
    raw: Any,
    col: layout.Column,
    cell: tuple[str, int, int],
    problems: list[Problem],
) -> tuple[Any, bool]:
    """A cell's value for its column, and whether the row must not be used (an Excel error
    value or a text longer than a cell holds: reported here, once). ``cell`` (sheet, row,
    column) becomes an address only for a problem: a large workbook has 500.000 cells."""
    if isinstance(raw, Uncomputed):
        raw = book.resolve(raw)
    if isinstance(raw, Uncomputed):
        problems.append(Problem(address(*cell), UNCOMPUTED_MESSAGE.format(formula=raw.formula)))
        raw = None
    error = excel_error(raw)
    if error is not None:
        problems.append(error_problem(address(*cell), error, f"Spalte „{col.header}“"))
        return None, True
    value = clean_cell(raw, col.kind)
    if isinstance(value, str) and len(value) > EXCEL_CELL_TEXT:
        count = f"{len(value):,}".replace(",", ".")
        problems.append(
            Problem(
                address(*cell),
                f"Text mit {count} Zeichen; eine Excel-Zelle fasst höchstens 32.767 – bitte "
                f"kürzen (Spalte „{col.header}“)",
            )
        )
        return None, True
    return value, False


def _below_problems(data: TableData) -> list[Problem]:
    """One problem per run of consecutive filled rows under a table."""
    numbers = [r for r, _ in data.below]
    runs: list[tuple[int, int]] = []
    for r in numbers:
        if runs and r == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return [
        Problem(
            address(data.sheet, first, data.first_col),
            f"{'Zeile ' + str(first) if first == last else f'Zeilen {first}–{last}'} unter der "
            f"Tabelle „{data.name}“ {'ist' if first == last else 'sind'} ausgefüllt, "
            "gehör"
            + ("t" if first == last else "en")
            + " aber nicht zur Tabelle und würde"
            + ("" if first == last else "n")
            + " nicht berücksichtigt. Bitte die Tabelle bis dorthin erweitern (Excel: Tabelle "
            "markieren → Tabellenentwurf → Tabellengröße ändern) oder die Zeilen leeren.",
        )
        for first, last in runs
    ]


def _positions(
    data: TableData, spec: layout.TableSpec, problems: list[Problem]
) -> dict[layout.Column, int] | None:
    header = [str(h).strip() if h is not None else "" for h in data.header]
    positions: dict[layout.Column, int] = {}
    missing = []
    for col in spec.columns:
        if col.kind == "formula":
            continue
        if col.header in header:
            positions[col] = header.index(col.header)
        elif not col.since:  # a column added later may be absent from an older workbook
            missing.append(col.header)
    if missing:
        problems.append(
            Problem(
                f"{data.sheet}!Kopfzeile",
                f"Spalte(n) {', '.join(f'„{m}“' for m in missing)} fehlen in Tabelle „{spec.name}“",
            )
        )
        return None
    return positions


# Parameters added in later versions: an older workbook without them gets the default.
# The texts of the Vorlage head and the extra money may stay empty.
