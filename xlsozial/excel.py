"""What the workbook's ribbon calls: ``RunPython "import xlsozial.excel as x; x.berechnen()"``.

The VBA in circulating workbooks names this module, so it stays here as a thin re-export of
:mod:`xlsozial.app.excel`, where the entry points live.
"""

from xlsozial.app.excel import (
    berechnen,
    bericht,
    einsammeln,
    einsammeln_gueltige,
    jahreswechsel,
    pruefen,
    quote_festschreiben,
    verteilen,
    werte_einfrieren,
)

__all__ = [
    "berechnen",
    "bericht",
    "einsammeln",
    "einsammeln_gueltige",
    "jahreswechsel",
    "pruefen",
    "quote_festschreiben",
    "verteilen",
    "werte_einfrieren",
]
