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
from xlsozial.book.session import master_session
from xlsozial.errors import InputError, Problem
from xlsozial.fileio import read_bytes

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
    """Freeze UDF results in a file; returns how many formulas were replaced.

    With a ``.xlsx`` target the result is a genuine macro-free workbook (no VBA, no ribbon,
    the plain workbook content type): the form to send to people without Python.
    """
    macro_free = target is not None and target.suffix.lower() == ".xlsx"
    with master_session(path, target, "werte-einfrieren", macro_output=not macro_free) as book:
        source = read_bytes(path)
        if macro_free:
            book = OpenpyxlBook(load_workbook(io.BytesIO(source), keep_vba=False), None, path)
        values = load_workbook(io.BytesIO(source), data_only=True)
        problems: list[Problem] = []
        count = 0
        for ws in book.wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if not is_udf_formula(cell.value):
                        continue
                    stored = values[ws.title][cell.coordinate].value
                    if stored is None:
                        problems.append(
                            Problem(
                                address(ws.title, cell.row, cell.column),
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
