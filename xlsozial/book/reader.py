"""Workbook → validated :class:`~xlsozial.domain.models.Inputs`, through tables and defined names.

Works on any :class:`~xlsozial.book.adapter.BookAdapter`, so Excel (xlwings) and the headless
path (openpyxl) read identically. Every problem names its sheet and cell.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, NoReturn

from xlsozial.book import layout, layout_years
from xlsozial.book.adapter import BookAdapter, TableData, Uncomputed, address
from xlsozial.book.cell_errors import error_problem, excel_error
from xlsozial.book.cell_origin import ROW_NAMES, CellOrigin
from xlsozial.domain.errors import InputError, Origin, Problem
from xlsozial.domain.models import (
    Application,
    Area,
    CategoryShare,
    Consultation,
    CostPosition,
    HistoryRow,
    Indicator,
    IndicatorValue,
    Inputs,
    ModelKey,
    Parameters,
    Provider,
    QuotaDecision,
    RegionShare,
)
from xlsozial.domain.validation import RawRow, build_row, build_rows, check_references

EXCEL_CELL_TEXT = 32_767  # characters a cell holds; a longer text makes Excel repair the file
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
    for sheet_row, row in data.numbered(read_below):
        values: dict[str, Any] = {}
        broken = False  # a cell holds an Excel error: reported once, not as „missing“ too
        for col, idx in positions.items():
            raw = row[idx] if idx < len(row) else None
            cell = (data.sheet, sheet_row, data.first_col + idx)
            value, bad = _cell_value(book, raw, col, cell, problems)
            broken = broken or bad
            if value is not None:
                values[col.field] = value
        if not values or broken:
            continue
        values.update(extra)
        name = next((str(values[f]) for f in ROW_NAMES if isinstance(values.get(f), str)), "")
        origin = CellOrigin(data.sheet, sheet_row, data.first_col, columns, labels, name[:60])
        rows.append(RawRow(values, origin))
    return rows


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
    value = _clean(raw, col.kind)
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
_ADDED_OPTIONAL = {"extra_funds", "indexation", "subject", "paper_status", "paper_kind"}
_ADDED_OPTIONAL |= {"responsible", "lead_office", "clerk", "products"}
OPTIONAL_PARAMETERS = {
    "factor_min",
    "factor_max",
    "fixed_bound_share",
    "contact",
    "authority",
    "paper_number",
    "committee",
    "meeting_date",
    "transition_start",
    *_ADDED_OPTIONAL,
}
LATER_PARAMETERS = {
    "transition_start",
    "review_years",
    "holding_funding",
    "extra_rest",
    "region_key",
    *_ADDED_OPTIONAL,
}


def read_parameters(book: BookAdapter, problems: list[Problem]) -> Parameters | None:
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for spec in layout.PARAMETERS:
        named = book.named(spec.name)
        if named is None and spec.field in LATER_PARAMETERS:
            continue
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
        error = excel_error(value)
        if error is not None:
            problems.append(
                Problem(named.where, f"{spec.label}: {error_problem('', error).message}")
            )
            continue
        if spec.kind == "text" and isinstance(value, (datetime, date)):
            value = value.strftime("%d.%m.%Y")  # a date typed into a text parameter
        value = _clean(value, "percent" if spec.kind == "percent" else spec.kind)
        if spec.field == "chosen_model" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = ModelKey.from_text(value).value
        if spec.kind == "bool" and isinstance(value, str):
            value = {"ja": True, "nein": False}.get(value.casefold(), value)
        if spec.choices and value is not None and not _is_choice(spec, value):
            shown = ", ".join(f"„{c}“" for c in spec.choices)
            problems.append(
                Problem(
                    named.where,
                    f"{spec.label}: „{named.value}“ ist nicht in der Auswahl; möglich: {shown}",
                )
            )
            continue
        if value is None:
            if spec.field in OPTIONAL_PARAMETERS:
                continue
            problems.append(Problem(named.where, f"{spec.label}: Pflichtangabe fehlt"))
            continue
        values[spec.field] = value
    origin = Origin(layout.PARAMETER, cells)
    mine: list[Problem] = []
    built = build_row(Parameters, RawRow(values, origin), mine)
    labels = {cells[p.field]: p.label for p in layout.PARAMETERS if p.field in cells}
    # A parameter's problem names the parameter, not just its cell.
    problems.extend(
        Problem(p.where, f"{labels[p.where]}: {p.message}")
        if p.where in labels and labels[p.where].split()[0] not in p.message
        else p
        for p in mine
    )
    return built


def _is_choice(spec: layout.ParamSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return True
    text = str(value)
    if spec.field == "chosen_model":
        return any(c.split()[0] == text for c in spec.choices)
    return text in spec.choices


def _later_tables(rows: Any, book: BookAdapter) -> dict[str, list[Any]]:
    """Tables added in a later version: an older workbook without them has none."""
    return {
        spec.name: rows(model, spec, {}) if book.table(spec.name) is not None else []
        for model, spec in (
            (QuotaDecision, layout_years.QUOTA),
            (Application, layout_years.APPLICATIONS),
            (HistoryRow, layout_years.HISTORY),
            (CostPosition, layout_years.PREVIOUS_COSTS),
            (RegionShare, layout_years.REGION_SHARES),
            (Consultation, layout_years.CONSULTATIONS),
        )
    }


def _raise_all(problems: list[Problem], seen: dict[str, list[Any]], parameters: Any) -> NoReturn:
    """Type errors and reference errors in one round: the references of every row that
    was read are checked even where other rows failed their own checks."""
    everything = SimpleNamespace(
        areas=seen.get(layout.AREAS.name, []),
        providers=seen.get(layout.PROVIDERS.name, []),
        indicators=seen.get(layout.INDICATORS.name, []),
        indicator_values=seen.get(layout.INDICATOR_VALUES.name, []),
        category_shares=seen.get(layout.CATEGORY_SHARES.name, []),
        cost_positions=seen.get("costs", []),
        quota_decisions=seen.get(layout_years.QUOTA.name, []),
        applications=seen.get(layout_years.APPLICATIONS.name, []),
        history=seen.get(layout_years.HISTORY.name, []),
        previous_costs=seen.get(layout_years.PREVIOUS_COSTS.name, []),
        region_shares=seen.get(layout_years.REGION_SHARES.name, []),
        consultations=seen.get(layout_years.CONSULTATIONS.name, []),
        parameters=parameters,
    )
    known = {(p.where, p.message) for p in problems}
    more = [p for p in check_references(everything) if (p.where, p.message) not in known]
    raise InputError(problems + more)


def refuse_archive(book: BookAdapter) -> None:
    """The values-only archive of a closed year is never computed again."""
    last = book.named(layout.NAME_LAST_RUN)
    text = str(last.value) if last is not None and last.value is not None else ""
    match = re.match(rf"{layout.ARCHIVE_MARK} (\d{{4}})", text)
    if last is not None and match:
        raise InputError(
            [
                Problem(
                    last.where,
                    f"Diese Mappe ist das Archiv des Haushaltsjahres {match.group(1)} (nur "
                    "Werte) und wird nicht mehr berechnet oder geändert; gearbeitet wird in der "
                    f"Mappe für {int(match.group(1)) + 1}",
                )
            ]
        )


def read_inputs(book: BookAdapter) -> Inputs:
    """Read every input table and parameter; raises InputError with all problems found.

    Type errors and reference errors (unknown SRT, category, Sozialraum …) come in one
    round: when rows fail their own checks, the references of all rows are checked anyway.
    """
    refuse_archive(book)
    problems: list[Problem] = []
    seen: dict[str, list[Any]] = {}

    def rows(model: type[Any], spec: layout.TableSpec, extra: dict[str, Any]) -> list[Any]:
        own_cost_sheet = spec.name.startswith(layout.COST_TABLE_PREFIX)
        kept = seen.setdefault("costs" if own_cost_sheet else spec.name, [])
        return build_rows(model, table_rows(book, spec, problems, extra), problems, kept)

    parameters = read_parameters(book, problems)
    areas = rows(Area, layout.AREAS, {})
    providers = rows(Provider, layout.PROVIDERS, {})
    indicators = rows(Indicator, layout.INDICATORS, {})
    values = rows(IndicatorValue, layout.INDICATOR_VALUES, {})
    shares = rows(CategoryShare, layout.CATEGORY_SHARES, {})
    later = _later_tables(rows, book)
    costs: list[CostPosition] = []
    for provider in providers:
        costs.extend(
            rows(CostPosition, layout.cost_table(provider.key), {"provider": provider.key})
        )
    if problems or parameters is None:
        _raise_all(problems, seen, parameters)
    return Inputs(
        parameters=parameters,
        areas=areas,
        providers=providers,
        indicators=indicators,
        indicator_values=values,
        cost_positions=costs,
        category_shares=shares,
        quota_decisions=later[layout_years.QUOTA.name],
        applications=later[layout_years.APPLICATIONS.name],
        history=later[layout_years.HISTORY.name],
        previous_costs=later[layout_years.PREVIOUS_COSTS.name],
        region_shares=later[layout_years.REGION_SHARES.name],
        consultations=later[layout_years.CONSULTATIONS.name],
    )
