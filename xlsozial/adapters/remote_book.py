"""The book a remote client sent: xlwings Server (VBA ``RunRemotePython`` or the Office.js
add-in) and xlwings Lite, through xlwings' remote object model (``xw.Book(json=…)``).

The client sends the values of every sheet, the tables and the named ranges; xlsozial reads
them with the same reader as in Excel, and every change becomes an *action* the client
carries out after the call (and is remembered here, so that a command that writes a table
and then reads the inputs again sees what it wrote). Only actions the VBA client of
xlwings 0.37.8 (``Remote.bas``) implements are ever emitted (:data:`CLIENT_ACTIONS`; a test
reads them from that file), so one server serves the .xlsm's ribbon and the add-in alike.
What the remote model cannot do has a fallback here, never a silent gap:

- formats beyond number formats and fill colours (bold, wrapped headers, column widths,
  row heights), charts and page breaks: the output sheets keep the formatting the workbook
  was built with; values, number formats and colours are written;
- sheet protection: lifted and set again around each output sheet by a macro the client
  runs (:meth:`RemoteBook.write_sheet`); xlwings Lite runs no macros, so there the output
  sheets must be unprotected by hand once (README);
- the very hidden control sheet: created visible if an old workbook lacks it;
- Excel's user name: not sent by the client; the Protokoll names the server's user;
- saving: the clerk saves in Excel (the client changes the open book, not a file); only
  Verteilen saves, as at the desk, before its files go out (macro ``SrbSpeichern``);
- highlighted cells: not marked (the client sends no defined names that are not ranges,
  so a mark could not be lifted by the next run); the Prüfungen sheet lists every cell;
- files (Verteilen, Einsammeln, Bericht) and the saved workbook (Werte einfrieren,
  Jahreswechsel, which the client does not send): the server's Ablage
  (:mod:`xlsozial.app.remote_files`); :attr:`RemoteBook.path` lies in it, so a
  ``Sozialraeume.geojson`` uploaded there draws Blatt Karte as at the desk.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from xlsozial.adapters.xlwings_book import Cell, ExcelFeedback, XlwingsBook
from xlsozial.adapters.xlwings_cells import as_written
from xlsozial.book import layout
from xlsozial.book.adapter import FormulaCell, SheetOutput
from xlsozial.domain.errors import UsageError

# The Subs of xlwings 0.37.8's Remote.bas that carry out an action (tests compare).
CLIENT_ACTIONS = frozenset(
    {
        "setValues",
        "rangeClearContents",
        "rangeClearFormats",
        "rangeClear",
        "addSheet",
        "setSheetName",
        "setAutofit",
        "setRangeColor",
        "activateSheet",
        "addHyperlink",
        "setNumberFormat",
        "setPictureName",
        "setPictureHeight",
        "setPictureWidth",
        "deletePicture",
        "addPicture",
        "updatePicture",
        "alert",
        "setRangeName",
        "namesAdd",
        "nameDelete",
        "runMacro",
        "rangeDelete",
        "rangeInsert",
        "rangeSelect",
        "addTable",
        "setTableName",
        "resizeTable",
        "showAutofilterTable",
        "showHeadersTable",
        "showTotalsTable",
        "setTableStyle",
        "copyRange",
        "sheetDelete",
        "sheetClear",
        "sheetClearContents",
        "sheetClearFormats",
    }
)

# Macros a client runs on the server's request (action runMacro): the workbook's VBA
# (Ribbon.bas) for the .xlsm's ribbon, the task pane's callbacks for the Office.js add-in.
SAVE_MACRO = "SrbSpeichern"
UNPROTECT_MACRO = "SrbSchutzAufheben"
PROTECT_MACRO = "SrbSchutzSetzen"
MACRO_CLIENTS = frozenset({"VBA", "Office.js"})

DESKTOP_ONLY = (
    "„{what}“ braucht {needs}, die der Server nicht bekommt; bitte in Excel mit dem "
    "Python auf dem Arbeitsplatz oder mit der Kommandozeile (xlsozial {command} MAPPE) "
    "ausführen."
)


def desktop_only(what: str, needs: str, command: str) -> UsageError:
    return UsageError(DESKTOP_ONLY.format(what=what, needs=needs, command=command))


class RemoteBook(XlwingsBook):
    """:class:`XlwingsBook` over a remote book, writing only what a client can carry out."""

    def __init__(self, book: Any, user: str | None = None, home: Path | None = None) -> None:
        super().__init__(book)
        self._user = user
        self._home = home

    def actions(self) -> list[dict[str, Any]]:
        """What the client does after the call, in order."""
        return list(self.book.json()["actions"])

    # -- writing ---------------------------------------------------------------------
    def write_sheet(self, output: SheetOutput) -> None:
        """Output sheets are protected (no password), and Excel takes no value into a
        protected sheet: the client lifts the protection for the write and sets it again as
        the desktop does (macros ``SrbSchutzAufheben``/``SrbSchutzSetzen``: Ribbon.bas for
        VBA, ``server/static/js/xlsozial.js`` for the add-in)."""
        sheet = self._sheet(output.sheet)
        self._client_macro(UNPROTECT_MACRO, output.sheet)
        sheet.clear_contents()  # the formats the workbook brings stay (see the module)
        sheet.range((1, 1)).value = [[as_written(output.title)], [as_written(output.subtitle)]]
        for block in output.blocks:
            self._write_values(sheet, block)
        self._client_macro(PROTECT_MACRO, output.sheet)

    def _client_macro(self, name: str, *args: Any) -> None:
        """A macro of the workbook (VBA) or the task pane (Office.js); xlwings Lite runs
        none (see the module)."""
        if self.client in MACRO_CLIENTS and sys.platform != "emscripten":
            self.book.app.macro(name)(*args)

    # -- what this call wrote, for what it reads next --------------------------------
    def _remember(self, sheet: Any, top: int, left: int, rows: list[list[Any]]) -> None:
        """The client carries out the writes after the call; a command that writes a table
        and reads the inputs again (Quote festschreiben recalculates) must see them now.
        Values are kept as Excel stores them: text without the apostrophe, numbers as float."""
        values = sheet.api["values"]
        width = max([left - 1 + len(r) for r in rows] + [len(values[0]) if values else 0])
        while len(values) < top - 1 + len(rows):
            values.append((None,) * width)
        for i, row in enumerate(rows):
            old = list(values[top - 1 + i]) + [None] * (width - len(values[top - 1 + i]))
            for j, value in enumerate(row):
                old[left - 1 + j] = _stored(value)
            values[top - 1 + i] = tuple(old)
        for i, row in enumerate(values):
            if len(row) < width:
                values[i] = tuple(row) + (None,) * (width - len(row))

    def _put(self, sheet: Any, top: int, left: int, rows: list[list[Any]]) -> None:
        super()._put(sheet, top, left, rows)
        self._remember(sheet, top, left, rows)

    def _resize(self, sheet: Any, table: Any, first: Cell, last: Cell) -> None:
        super()._resize(sheet, table, first, last)
        table.api["range_address"] = sheet.range(first, last).address
        body = (first[0] + 1, first[1])
        table.api["data_body_range_address"] = sheet.range(body, last).address

    def _make_store(self) -> Any:
        """An old workbook without the control sheet gets it, visible (no very hidden)."""
        sheet = self._sheet(layout.CONTROL_STORE)
        self.book.names.add(layout.NAME_ROUNDS, f"='{layout.CONTROL_STORE}'!$A$1")
        return sheet.range(layout.ROUNDS_CELL)

    def _log_layout(self, sheet: Any, row: Any, target: int, first: int, values: list[Any]) -> None:
        """No alignment, wrap or row height through the VBA client (see the module)."""

    @property
    def user(self) -> str | None:
        """The client sends no Excel user name: the server's user (its login) stands in;
        under xlwings Lite (Pyodide: no user database) a fixed name."""
        if self._user:
            return self._user
        try:
            return getpass.getuser()
        except (OSError, ImportError, KeyError):
            return "xlwings Lite"

    @property
    def path(self) -> Path:
        """Where the book would lie in the server's Ablage (relative without one)."""
        name = Path(str(self.book.name)).name
        return self._home / name if self._home is not None else Path(name)

    @property
    def folder(self) -> Path | None:
        return None  # the book is open on the clerk's PC, not in a folder of the server

    @property
    def client(self) -> str:
        return str(self.book.api.get("client", ""))

    def commit(self) -> None:
        """Verteilen's save before files go out: the client runs ``SrbSpeichern``."""
        self._client_macro(SAVE_MACRO)

    def show_link(self, url: str, text: str, tip: str) -> bool:
        """The link to the book's Ablage into Blatt Start (False: an old book without it)."""
        named = self._name_range(layout.NAME_FILING)
        if named is None:
            return False
        self._put(named.sheet, named.row, named.column, [[text]])
        named.add_hyperlink(url, text, tip)
        return True

    def udf_formulas(self) -> list[FormulaCell]:
        raise desktop_only("Werte einfrieren", "die Formeln der Mappe", "werte-einfrieren")

    # -- problems --------------------------------------------------------------------
    def clear_marks(self) -> None:
        """No marks are set remotely (see the module), so there are none to lift."""

    def mark(self, places: list[str]) -> None:
        """Not marked remotely: the Prüfungen sheet lists every cell (see the module)."""


def _stored(value: Any) -> Any:
    if isinstance(value, str):
        return value[1:] if value.startswith("'") else value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


# Remote.bas shows an alert with VBA's MsgBox, which cuts a prompt after about 1,024
# characters: a longer message is shortened at a line end and says so, and what must be
# seen (the link to the Ablage) is kept whole at its end.
ALERT_LIMIT = 1000
SHORTENED = (
    "\n… (gekürzt: Excel zeigt in einer Meldung nur rund 1.000 Zeichen; Einzelheiten stehen "
    "auf den Blättern Prüfungen bzw. Rücklauf)"
)


def fit(text: str, limit: int = ALERT_LIMIT) -> str:
    """``text`` within ``limit`` characters, cut at a line end where there is one."""
    if len(text) <= limit:
        return text
    head = text[: max(limit - len(SHORTENED), 0)]
    if "\n" in head:
        head = head[: head.rindex("\n")]
    return head + SHORTENED


class RemoteFeedback(ExcelFeedback):
    """Messages as alerts the client shows (within what MsgBox shows: :func:`fit`); no
    status bar on the remote model."""

    def alert(self, text: str, critical: bool = False, keep: str = "") -> None:
        """``keep``: appended whole after the (maybe shortened) text."""
        super().alert(fit(text, ALERT_LIMIT - len(keep)) + keep, critical)

    def status(self, text: str | None) -> None:
        return None

    def mark(self, places: Any) -> None:
        return None
