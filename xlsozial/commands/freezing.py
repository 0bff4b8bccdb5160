"""Werte einfrieren: SRB_ formulas become their values, for people without Python.

Only cells whose formula calls an SRB_ function change (with the cells a dynamic-array
result spilled into); every other formula, dynamic arrays among them, stays as it is. A
formula whose value was never computed is an input problem: nothing is written then.
"""

from __future__ import annotations

from xlsozial.book.adapter import BookAdapter, address
from xlsozial.commands.feedback import Feedback
from xlsozial.domain.errors import InputError, Problem

NEVER_COMPUTED = "Formel ohne gespeicherten Wert; die Mappe zuerst in Excel berechnen und speichern"


def freeze(book: BookAdapter, feedback: Feedback) -> int:
    cells = book.udf_formulas()
    problems = [
        Problem(address(c.sheet, c.row, c.col), NEVER_COMPUTED) for c in cells if not c.values
    ]
    if problems:
        raise InputError(problems)
    for cell in cells:
        book.write_column(cell.sheet, cell.row, cell.col, cell.values or [])
    feedback.alert(f"{len(cells)} Formel(n) mit SRB_-Funktionen durch Werte ersetzt.")
    return len(cells)
