"""A stand-in for xlwings' VBA client (``Remote.bas`` of xlwings 0.37.8), for tests.

:func:`payload` builds the JSON that ``RunRemotePython`` sends from a workbook file, as the
VBA does it: every worksheet's values from A1 to the end of its used range (values only,
dates as ISO text), its tables with their addresses, and the defined names that refer to a
range. :func:`apply` carries out the returned actions on a copy of the file, as the Subs of
``Remote.bas`` do in Excel (``setValues`` parses text as Excel parses typed input, keeps an
apostrophe-prefixed text as text, and reads ISO text as a date), and raises on an action
the VBA client does not have – Excel would stop there with a runtime error.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import xlwings
from openpyxl import load_workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from xlwings_engine import typed

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?$")


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.time) else value


def _address(min_c: int, min_r: int, max_c: int, max_r: int) -> str:
    return f"${get_column_letter(min_c)}${min_r}:${get_column_letter(max_c)}${max_r}"


def payload(path: Path, active_sheet: int = 0) -> dict[str, Any]:
    wb = load_workbook(path, data_only=True, keep_vba=True)
    sheets = []
    for ws in wb.worksheets:
        tables = []
        for table in ws.tables.values():
            min_c, min_r, max_c, max_r = range_boundaries(table.ref)
            headers = table.headerRowCount != 0
            first_data = min_r + (1 if headers else 0)
            tables.append(
                {
                    "name": table.name,
                    "range_address": _address(min_c, min_r, max_c, max_r),
                    "header_row_range_address": _address(min_c, min_r, max_c, min_r)
                    if headers
                    else None,
                    "data_body_range_address": _address(min_c, first_data, max_c, max_r)
                    if max_r >= first_data
                    else None,
                    "total_row_range_address": None,
                    "show_headers": headers,
                    "show_totals": False,
                    "table_style": table.tableStyleInfo.name if table.tableStyleInfo else "",
                    "show_autofilter": True,
                }
            )
        values = [
            [_json_value(v) for v in row]
            for row in ws.iter_rows(
                min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True
            )
        ]
        sheets.append({"name": ws.title, "pictures": [], "tables": tables, "values": values})
    names = []
    for name, defined in wb.defined_names.items():
        for sheet, ref in defined.destinations:
            if sheet in wb.sheetnames:
                names.append(
                    {
                        "name": name,
                        "sheet_index": wb.sheetnames.index(sheet),
                        "address": ref.replace("$", ""),
                        "book_scope": True,
                        "scope_sheet_name": None,
                        "scope_sheet_index": None,
                    }
                )
    return {
        "client": "VBA",
        "version": xlwings.__version__,
        "book": {"name": path.name, "active_sheet_index": active_sheet, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def _excel_value(value: Any) -> Any:
    """What ``Range.Value = arr`` stores for one element of ``setValues``."""
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:]
        if ISO.match(value):
            return dt.datetime.fromisoformat(value)
        if value.startswith("="):
            return value
        return typed(value, "de")
    return value


def _cells(ws: Any, action: dict[str, Any]) -> list[list[Any]]:
    top, left = action["start_row"] + 1, action["start_column"] + 1
    rows, cols = action["row_count"], action["column_count"]
    return [
        [ws.cell(row=r, column=c) for c in range(left, left + cols)] for r in range(top, top + rows)
    ]


def _macro(wb: Any, args: list[Any], protected: set[str]) -> None:
    """The workbook's macros the server asks for (Ribbon.bas): sheet protection."""
    name, rest = args[0], args[1:]
    if name == "SrbSchutzAufheben" and rest[0] in wb.sheetnames:
        protected.discard(rest[0])
        wb[rest[0]].protection.sheet = False
    elif name == "SrbSchutzSetzen" and rest[0] in wb.sheetnames:
        protected.add(rest[0])
        wb[rest[0]].protection.sheet = True


def apply(
    source: Path, actions: list[dict[str, Any]], target: Path, macros: list[str] | None = None
) -> list[str]:
    """Carry out ``actions`` on a copy of ``source``; the alerts' texts, in order (the
    macros the client would run are collected in ``macros``)."""
    wb = load_workbook(source, keep_vba=True)
    alerts: list[str] = []
    macros = [] if macros is None else macros
    # Excel takes nothing into a protected sheet: only what the client's macros unprotected.
    protected = {ws.title for ws in wb.worksheets if ws.protection.sheet}
    for action in actions:
        func = action["func"]
        ws = wb.worksheets[action["sheet_position"]] if func not in ("alert", "runMacro") else None
        if ws is not None and ws.title in protected:
            raise AssertionError(f"Excel: „{ws.title}“ ist geschützt ({func})")
        if func == "runMacro":
            _macro(wb, action["args"], protected)
        if func == "setValues":
            # Remote.bas sizes its array by the first row (ReDim arr(rows, len(first row))):
            # a longer row later would stop the client with "Index außerhalb des Bereichs".
            widths = {len(row) for row in action["values"]}
            assert widths == {action["column_count"]}, (ws.title, widths, action["column_count"])
            for row, values in zip(_cells(ws, action), action["values"]):
                for cell, value in zip(row, values):
                    cell.value = _excel_value(value)
        elif func == "setNumberFormat":
            for row in _cells(ws, action):
                for cell in row:
                    cell.number_format = action["args"][0]
        elif func == "setRangeColor":
            colour = action["args"][0].lstrip("#").upper()
            for row in _cells(ws, action):
                for cell in row:
                    cell.fill = PatternFill("solid", fgColor=colour)
        elif func in ("sheetClearContents", "rangeClearContents"):
            targets = _cells(ws, action) if func.startswith("range") else ws.iter_rows()
            for row in targets:
                for cell in row:
                    if type(cell).__name__ != "MergedCell":
                        cell.value = None
        elif func == "addSheet":
            sheet = wb.create_sheet(action["args"][1])
            wb.move_sheet(sheet, offset=action["args"][0] + 1 - wb.index(sheet))
        elif func == "namesAdd":
            wb.defined_names[action["args"][0]] = DefinedName(
                action["args"][0], attr_text=action["args"][1].lstrip("=")
            )
        elif func == "nameDelete":
            wb.defined_names.pop(action["args"][0], None)
        elif func == "resizeTable":
            table = list(ws.tables.values())[action["args"][0]]
            table.ref = action["args"][1].replace("$", "")
        elif func == "addHyperlink":
            for row in _cells(ws, action):
                for cell in row:
                    cell.hyperlink = action["args"][0]
        elif func == "runMacro":
            macros.append(action["args"][0])  # carried out above
        elif func == "alert":
            alerts.append(action["args"][0])
        else:
            raise AssertionError(f"Remote.bas hat keine Aktion „{func}“")
    wb.save(target)
    return alerts
