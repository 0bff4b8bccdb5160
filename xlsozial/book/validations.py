"""Excel data validations (dropdowns, number checks) with German messages, in one place."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet


def at_least_zero(kind: str = "decimal") -> dict[str, str]:
    return {"type": kind, "operator": "greaterThanOrEqual", "formula1": "0"}


def one_of(formula: str) -> dict[str, str]:
    """A dropdown: a defined name (Kategorien) or a literal list ('"ja,nein"')."""
    return {"type": "list", "formula1": formula}


def validate(
    ws: Worksheet,
    cells: str,
    error: str,
    rule: Mapping[str, str],
    title: str = "Ungültige Eingabe",
    allow_blank: bool = True,
) -> None:
    dv = DataValidation(
        showErrorMessage=True, errorTitle=title, error=error, allow_blank=allow_blank, **rule
    )
    dv.add(cells)
    ws.add_data_validation(dv)
