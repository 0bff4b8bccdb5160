"""Excel data validations (dropdowns, number checks) with German messages, in one place."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlsozial.book.layout import Column, Rule


def validate(
    ws: Worksheet,
    cells: str,
    rule: Rule,
    allow_blank: bool = True,
    prompt_title: str = "",
) -> None:
    """A validation that also tells what to enter when the cell is selected."""
    title = "Ungültige Auswahl" if rule.kind == "list" else "Ungültige Eingabe"
    dv = DataValidation(
        type=rule.kind,
        operator=rule.operator,
        formula1=rule.formula1,
        formula2=rule.formula2,
        showErrorMessage=True,
        errorTitle=title,
        error=rule.error,
        allow_blank=allow_blank,
        showInputMessage=True,
        promptTitle=(prompt_title or title)[:32],
        prompt=rule.error[:255],
    )
    dv.add(cells)
    ws.add_data_validation(dv)


def validate_columns(ws: Worksheet, columns: Sequence[Column], first: int, last: int) -> None:
    """Apply each column's rule from ``first`` to ``last`` (1-based rows, column A onwards)."""
    for index, col in enumerate(columns, start=1):
        if col.rule is not None:
            letter = get_column_letter(index)
            validate(ws, f"{letter}{first}:{letter}{last}", col.rule, prompt_title=col.header)
