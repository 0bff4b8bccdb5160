"""Writing model rows into a workbook table in the order its header has now (a user may
have moved columns); cells of columns we do not own keep their values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from xlsozial.book import layout
from xlsozial.book.adapter import BookAdapter, Uncomputed
from xlsozial.domain.errors import FileProblem


def _cell(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _header(book: BookAdapter, spec: layout.TableSpec) -> tuple[list[str], list[list[Any]]]:
    data = book.table(spec.name)
    if data is None:
        raise FileProblem(
            f"Tabelle „{spec.name}“ (Blatt „{spec.sheet}“) fehlt in der Mappe (verändert oder "
            "älter als dieses xlsozial); nichts geschrieben."
        )
    return [str(h or "").strip() for h in data.header], [list(r) for r in data.rows]


def table_rows(book: BookAdapter, spec: layout.TableSpec, items: Sequence[Any]) -> list[list[Any]]:
    """``items`` (models) as rows in the table's current column order."""
    header, _ = _header(book, spec)
    by_header = {c.header: c for c in spec.columns}
    return [
        [_cell(getattr(item, by_header[h].field, None)) if h in by_header else None for h in header]
        for item in items
    ]


def replace_items(book: BookAdapter, spec: layout.TableSpec, items: Sequence[Any]) -> None:
    """The table's data rows become ``items``, each value under its own header."""
    book.replace_rows(spec.name, table_rows(book, spec, items))


def changed_cells(
    book: BookAdapter,
    spec: layout.TableSpec,
    key_field: str,
    change: Callable[[Any], dict[str, Any]],
) -> list[tuple[str, int, int, Any]]:
    """(sheet, row, column, value) of the cells ``change(key)`` sets (field → new value).

    Only those cells are written: every other cell of the row keeps exactly what it holds
    (an array or dynamic-array formula, rich text, a formula spanning several rows)."""
    data = book.table(spec.name)
    header, rows = _header(book, spec)
    assert data is not None
    fields = {c.header: c.field for c in spec.columns}
    missing = [c.header for c in spec.columns if c.header not in header]
    if missing:
        raise FileProblem(
            f"Tabelle „{spec.name}“: Spalte(n) {', '.join(missing)} fehlen; die Mappe ist älter "
            "als dieses xlsozial. Bitte eine mit „xlsozial mappe-bauen“ erstellte Mappe verwenden."
        )
    column = {fields[h]: i for i, h in enumerate(header) if h in fields}
    out = []
    for r, row in enumerate(rows):
        key = row[column[key_field]] if column[key_field] < len(row) else None
        key = key.formula if isinstance(key, Uncomputed) else key
        if key in (None, ""):
            continue
        for field, value in change(key).items():
            out.append((data.sheet, data.first_row + r, data.first_col + column[field], value))
    return out
