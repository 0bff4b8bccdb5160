"""Excel's error values in input cells (#N/A, #WERT! …): refused at their cell, in every
reader, with the name a German Excel shows."""

from __future__ import annotations

from typing import Any

from xlsozial.domain.errors import Problem

# Excel's error values as stored in a file (English) and as a German Excel shows them.
EXCEL_ERRORS = {
    "#N/A": "#NV",
    "#VALUE!": "#WERT!",
    "#REF!": "#BEZUG!",
    "#DIV/0!": "#DIV/0!",
    "#NAME?": "#NAME?",
    "#NUM!": "#ZAHL!",
    "#NULL!": "#NULL!",
    "#GETTING_DATA": "#DATEN_ABRUFEN",
    "#SPILL!": "#ÜBERLAUF!",
    "#CALC!": "#KALK!",
    "#FIELD!": "#FELD!",
    "#BLOCKED!": "#BLOCKIERT!",
    "#CONNECT!": "#VERBINDEN!",
    "#BUSY!": "#BESCHÄFTIGT!",
    "#UNKNOWN!": "#UNBEKANNT!",
}
GERMAN_ERRORS = {german: german for german in EXCEL_ERRORS.values()}


def excel_error(value: Any) -> str | None:
    """The German name of an Excel error value (#N/A → #NV), or None for any other value.
    An error in an input cell is never read as a name or a number: a failed VLOOKUP in
    „Region“ would otherwise become a region called „#N/A“."""
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    return EXCEL_ERRORS.get(text) or GERMAN_ERRORS.get(text)


def error_problem(where: str, error: str, context: str = "") -> Problem:
    return Problem(
        where,
        f"enthält den Fehlerwert {error} (eine Formel, die nicht rechnen kann); bitte die Formel "
        "berichtigen oder einen Wert eintragen" + (f" – {context}" if context else ""),
    )
