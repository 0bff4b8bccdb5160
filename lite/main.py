"""xlsozial in xlwings Lite (Python in Excel through Pyodide, no Python on the PC).

Paste this file into the xlwings Lite editor (or load it as the workbook's main.py) and
``requirements.txt`` next to it. Each ribbon command is a script of the same name as on
xlwings Server, its button labelled as on the ribbon; each runs
:func:`xlsozial.app.remote.run_on_book`, the same code the server runs, on the book Lite
hands over. The worksheet functions SRB_… are the desktop ones:
in Lite, ``xlwings.func`` and ``xlwings.arg`` are Lite's own decorators.

Lite has no server folder: the commands with files (Verteilen, Einsammeln, Bericht, Werte
einfrieren, Jahreswechsel) answer with a message that names the alternatives; the
Sensitivität runs without threads (Pyodide has none). Lite runs no macros, so the output
sheets' protection, which the server has the client lift around each write, must be lifted
once by hand in the workbook (README).
"""

import xlwings as xw

from udfs.sozialraum import (  # noqa: F401 – registered by Lite through their decorators
    SRB_BELASTUNGSFAKTOR,
    SRB_QUOTE,
    SRB_RUNDEN,
    SRB_VERTEILUNG,
)
from xlsozial.app.remote import run_on_book


@xw.script(name="Berechnen")
def berechnen(book: xw.Book) -> None:
    """Menüband: Berechnen."""
    run_on_book("berechnen", book)


@xw.script(name="Prüfen")
def pruefen(book: xw.Book) -> None:
    """Menüband: Prüfen."""
    run_on_book("pruefen", book)


@xw.script(name="Quote festschreiben")
def quote_festschreiben(book: xw.Book) -> None:
    """Menüband: Quote festschreiben."""
    run_on_book("quote_festschreiben", book)


@xw.script(name="Werte einfrieren")
def werte_einfrieren(book: xw.Book) -> None:
    """Menüband: Werte einfrieren."""
    run_on_book("werte_einfrieren", book)


@xw.script(name="Verteilen")
def verteilen(book: xw.Book) -> None:
    """Menüband: Kostenblätter verteilen."""
    run_on_book("verteilen", book)


@xw.script(name="Einsammeln")
def einsammeln(book: xw.Book) -> None:
    """Menüband: Rückläufer einsammeln."""
    run_on_book("einsammeln", book)


@xw.script(name="Nur gültige einsammeln")
def einsammeln_gueltige(book: xw.Book) -> None:
    """Menüband: nur gültige Rückläufer einsammeln."""
    run_on_book("einsammeln_gueltige", book)


@xw.script(name="Bericht (PDF)")
def bericht(book: xw.Book) -> None:
    """Menüband: Bericht."""
    run_on_book("bericht", book)


@xw.script(name="Jahreswechsel")
def jahreswechsel(book: xw.Book) -> None:
    """Menüband: Jahreswechsel."""
    run_on_book("jahreswechsel", book)
