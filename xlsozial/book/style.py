"""Number formats and colours: one home for what every sheet, file and report shows.

Colours are hex strings (openpyxl, the Vorlage's CSS); :func:`rgb` gives the tuple xlwings wants.
"""

from __future__ import annotations

# -- number formats (Excel format codes; Excel shows them in the user's locale) ------------
MONEY = '#,##0.00 "€"'
MONEY_WHOLE = '#,##0 "€"'
PERCENT = "0.00%"
PERCENT_SHORT = "0.0%"
DELTA_PERCENT = "+0.00%;[Red]-0.00%;0.00%"
INTEGER = "#,##0"
YEAR = "0"
FACTOR = "0.000"
RATE = "0.0000"
ONE_DECIMAL = "#,##0.0"

# -- colours -------------------------------------------------------------------------------
HEADER = "DDEBF7"  # table headers
INPUT = "FFF2CC"  # cells a user fills in
GREEN, RED, YELLOW = "C6EFCE", "FFC7CE", "FFEB9C"  # verdicts, Prüfungen
MARK = RED  # a cell named by an input problem
GRID = "BFBFBF"
NOTE_TEXT = "595959"
LABEL_TEXT = "808080"
FOOTER_TEXT = "404040"
LINK = "0563C1"


def money_format(unit_cents: int) -> str:
    """Whole euros when amounts are rounded to whole euros, else cents."""
    return MONEY_WHOLE if unit_cents % 100 == 0 else MONEY


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16))


def hex_of(rgb_colour: tuple[int, int, int] | list[int]) -> str:
    return "".join(f"{int(v):02X}" for v in rgb_colour)
