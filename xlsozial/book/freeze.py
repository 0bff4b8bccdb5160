"""Werte einfrieren: replace UDF formulas by their values before a workbook leaves the office.

People without Python (or in LibreOffice) would otherwise see #NAME? where an SRB_ function
stood. Only formulas that call an SRB_ function are replaced; the user's own formulas stay.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from xlsozial.book.adapter import address
from xlsozial.book.openpyxl_book import OpenpyxlBook
from xlsozial.errors import InputError, Problem
from xlsozial.fileio import ensure_not_open

UDF_CALL = re.compile(r"\bSRB_[A-Z_]+\s*\(", re.IGNORECASE)


def formula_text(value: Any) -> str | None:
    if isinstance(value, ArrayFormula):
        return str(value.text)
    if isinstance(value, str) and value.startswith("="):
        return value
    return None


def is_udf_formula(value: Any) -> bool:
    text = formula_text(value)
    return bool(text and UDF_CALL.search(text))


def freeze_file(path: Path, target: Path | None = None) -> int:
    """Freeze UDF results in a file; returns how many formulas were replaced."""
    ensure_not_open(path)
    book = OpenpyxlBook.open(path)
    values = load_workbook(io.BytesIO(path.read_bytes()), data_only=True)
    problems: list[Problem] = []
    count = 0
    for ws in book.wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not is_udf_formula(cell.value):
                    continue
                stored = values[ws.title][cell.coordinate].value
                where = address(ws.title, cell.row, cell.column)
                if stored is None:
                    problems.append(
                        Problem(
                            where,
                            "Formel ohne gespeicherten Wert; die Mappe zuerst in "
                            "Excel berechnen und speichern",
                        )
                    )
                    continue
                cell.value = stored
                count += 1
    if problems:
        raise InputError(problems)
    book.save_atomic(target or path)
    return count
