"""Workbook → validated :class:`~xlsozial.models.Inputs`, through tables and defined names.

Works on any :class:`~xlsozial.book.adapter.BookAdapter`, so Excel (xlwings) and the headless
path (openpyxl) read identically. Every problem names its sheet and cell.
"""

from __future__ import annotations

from typing import Any

from xlsozial.book import layout
from xlsozial.book.adapter import BookAdapter, TableData, Uncomputed, address
from xlsozial.errors import InputError, Origin, Problem
from xlsozial.models import (
    Area,
    CategoryShare,
    CostPosition,
    Indicator,
    IndicatorValue,
    Inputs,
    Parameters,
    Provider,
)
from xlsozial.validation import RawRow, build_row, build_rows

UNCOMPUTED_MESSAGE = (
    "Formel ohne gespeicherten Wert ({formula}); bitte die Mappe in Excel oder LibreOffice "
    "öffnen, neu berechnen und speichern"
)


def _clean(value: Any, kind: str) -> Any:
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


class CellOrigin(Origin):
    """A table row's origin; cell addresses are formatted only when a problem needs them."""

    __slots__ = ("columns", "first_col", "row", "sheet")

    def __init__(self, sheet: str, row: int, first_col: int, columns: dict[str, int]) -> None:
        super().__init__("")
        self.sheet, self.row, self.first_col, self.columns = sheet, row, first_col, columns

    @property
    def place(self) -> str:
        return address(self.sheet, self.row, self.first_col)

    def at(self, field_name: str | None = None) -> str:
        col = self.columns.get(field_name) if field_name is not None else None
        return address(self.sheet, self.row, col) if col is not None else self.place


def table_rows(
    book: BookAdapter, spec: layout.TableSpec, problems: list[Problem], extra: dict[str, Any]
) -> list[RawRow]:
    """Raw rows of one table, with the origin of each field; empty rows are skipped."""
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
    rows: list[RawRow] = []
    columns = {col.field: data.first_col + idx for col, idx in positions.items()}
    for r, row in enumerate(data.rows):
        values: dict[str, Any] = {}
        for col, idx in positions.items():
            raw = row[idx] if idx < len(row) else None
            if isinstance(raw, Uncomputed):
                raw = book.resolve(raw)
            if isinstance(raw, Uncomputed):
                problems.append(
                    Problem(data.cell(r, idx), UNCOMPUTED_MESSAGE.format(formula=raw.formula))
                )
                raw = None
            value = _clean(raw, col.kind)
            if value is not None:
                values[col.field] = value
        if not values:
            continue
        values.update(extra)
        rows.append(
            RawRow(values, CellOrigin(data.sheet, data.first_row + r, data.first_col, columns))
        )
    return rows


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
        else:
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


def read_parameters(book: BookAdapter, problems: list[Problem]) -> Parameters | None:
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for spec in layout.PARAMETERS:
        named = book.named(spec.name)
        if named is None:
            problems.append(
                Problem(
                    layout.PARAMETER, f"Der Name „{spec.name}“ fehlt; die Mappe wurde verändert"
                )
            )
            continue
        cells[spec.field] = named.where
        value = named.value
        if isinstance(value, Uncomputed):
            problems.append(Problem(named.where, UNCOMPUTED_MESSAGE.format(formula=value.formula)))
            continue
        value = _clean(value, "percent" if spec.kind == "percent" else spec.kind)
        if spec.field == "chosen_model" and isinstance(value, str):
            value = value.split()[0].upper()
        if spec.kind == "bool" and isinstance(value, str):
            value = {"ja": True, "nein": False}.get(value.casefold(), value)
        if value is None:
            if spec.field in {"factor_min", "factor_max", "fixed_bound_share"}:
                continue
            problems.append(Problem(named.where, f"{spec.label}: Pflichtangabe fehlt"))
            continue
        values[spec.field] = value
    origin = Origin(layout.PARAMETER, cells)
    return build_row(Parameters, RawRow(values, origin), problems)


def read_inputs(book: BookAdapter) -> Inputs:
    """Read every input table and parameter; raises InputError with all problems found."""
    problems: list[Problem] = []
    parameters = read_parameters(book, problems)
    areas = build_rows(Area, table_rows(book, layout.AREAS, problems, {}), problems)
    providers = build_rows(Provider, table_rows(book, layout.PROVIDERS, problems, {}), problems)
    indicators = build_rows(Indicator, table_rows(book, layout.INDICATORS, problems, {}), problems)
    values = build_rows(
        IndicatorValue, table_rows(book, layout.INDICATOR_VALUES, problems, {}), problems
    )
    shares = build_rows(
        CategoryShare, table_rows(book, layout.CATEGORY_SHARES, problems, {}), problems
    )
    costs: list[CostPosition] = []
    for provider in providers:
        spec = layout.cost_table(provider.key)
        rows = table_rows(book, spec, problems, {"provider": provider.key})
        costs.extend(build_rows(CostPosition, rows, problems))
    if problems or parameters is None:
        raise InputError(problems)
    return Inputs(
        parameters=parameters,
        areas=areas,
        providers=providers,
        indicators=indicators,
        indicator_values=values,
        cost_positions=costs,
        category_shares=shares,
    )
