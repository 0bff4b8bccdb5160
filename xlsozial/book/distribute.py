"""Verteilen: one macro-free .xlsx per SRT with its cost sheet, categories and instructions.

Mail servers pass .xlsx; the sheet is protected except the yellow input cells, and the table
already holds spare empty rows, because a table on a protected sheet cannot grow. A hidden
sheet names the SRT, so a renamed file is still recognised when it comes back.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsozial import __version__
from xlsozial.book import layout, rounds
from xlsozial.book.adapter import BookAdapter
from xlsozial.book.openpyxl_book import HEADER_FILL
from xlsozial.book.reader import read_inputs
from xlsozial.book.session import master_session
from xlsozial.book.validations import validate_columns
from xlsozial.errors import UsageError
from xlsozial.fileio import FileProblem, atomic_write_bytes, os_error_text
from xlsozial.models import Inputs, Provider

ID_SHEET = "xlsozial"
CATEGORY_SHEET = "Kategorien"
GUIDE_SHEET = "Anleitung"
SPARE_ROWS = 150
FORMAT_VERSION = "1"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")

GUIDE = [
    "So füllen Sie die Kostenaufstellung aus",
    "1. Blatt „{sheet}“: je Zeile eine Position der Verwendung des bisherigen Budgets.",
    "2. Kategorie aus der Liste wählen (Betriebskosten, Sachkosten, Netzwerktätigkeit, "
    "Angebote und Projekte …), Position kurz benennen, Betrag in Euro eintragen.",
    "3. Sozialraum nur angeben, wenn die Position einem Sozialraum zuzuordnen ist; "
    "Bemerkung ist freiwillig.",
    "4. Nur die gelben Zellen sind beschreibbar. Bitte keine Blätter umbenennen oder löschen.",
    "5. Datei speichern (Excel oder LibreOffice, Format .xlsx) und an das Jugendamt "
    "zurücksenden. Der Dateiname darf geändert werden.",
    "Die Datei enthält keine Makros.",
]


def provider_workbook(
    inputs: Inputs, provider: Provider, master_name: str, ticket: dict[str, str] | None = None
) -> bytes:
    """The cost file of one SRT; ``ticket`` (Runde, Kennung, Mappe-ID) goes on the very
    hidden sheet so that only this SRT's return of this round is accepted."""
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    spec = layout.cost_table(provider.key)
    guide["A1"] = f"Kostenaufstellung {provider.name} ({provider.key})"
    guide["A1"].font = Font(bold=True, size=14)
    for i, line in enumerate(GUIDE, start=3):
        cell = guide.cell(row=i, column=1, value=line.format(sheet=spec.sheet))
        cell.font = Font(bold=i == 3)
        cell.alignment = Alignment(wrap_text=True)
    guide.column_dimensions["A"].width = 110

    ws = wb.create_sheet(spec.sheet)
    ws["A1"] = f"Kostenaufstellung: {provider.name} ({provider.key})"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = spec.help
    ws["A2"].font = Font(italic=True, color="595959")
    top = layout.FIRST_TABLE_ROW
    for c, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=top, column=c, value=col.header)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = col.width
    rows = [p for p in inputs.cost_positions if p.provider == provider.key]
    last = top + len(rows) + SPARE_ROWS
    for r in range(top + 1, last + 1):
        pos = rows[r - top - 1] if r - top - 1 < len(rows) else None
        values = layout.row_values(spec.columns, pos) if pos else [None] * len(spec.columns)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # typed text stays text, even if it starts with "="
            cell.fill = INPUT_FILL
            cell.protection = Protection(locked=False)
            if c == 3:
                cell.number_format = '#,##0.00 "€"'
    table = Table(displayName=spec.name, ref=f"A{top}:{get_column_letter(5)}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=False)
    ws.add_table(table)
    ws.freeze_panes = f"A{top + 1}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.autoFilter = False
    ws.protection.sort = False

    cats = wb.create_sheet(CATEGORY_SHEET)
    cats["A1"], cats["B1"], cats["D1"] = "Kategorie", "Anteil gebunden", "Sozialräume"
    for cell in (cats["A1"], cats["B1"], cats["D1"]):
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for i, share in enumerate(inputs.category_shares, start=2):
        cats.cell(row=i, column=1, value=share.category)
        cats.cell(row=i, column=2, value=share.bound_share).number_format = "0%"
    areas = [a.name for a in inputs.areas if a.provider == provider.key]
    for i, name in enumerate(areas, start=2):
        cats.cell(row=i, column=4, value=name)
    cats.column_dimensions["A"].width = 28
    cats.column_dimensions["D"].width = 24
    cats.protection.sheet = True
    n_cat = len(inputs.category_shares) + 1
    wb.defined_names[layout.NAME_CATEGORIES] = DefinedName(
        layout.NAME_CATEGORIES, attr_text=f"{quote_sheetname(CATEGORY_SHEET)}!$A$2:$A${n_cat}"
    )
    wb.defined_names[layout.NAME_AREAS] = DefinedName(
        layout.NAME_AREAS,
        attr_text=f"{quote_sheetname(CATEGORY_SHEET)}!$D$2:$D${max(2, len(areas) + 1)}",
    )
    validate_columns(ws, spec.columns, top + 1, last)

    ident = wb.create_sheet(ID_SHEET)
    for r, (key, value) in enumerate(
        [
            ("SRT", provider.key),
            ("Name", provider.name),
            ("Mappe", master_name),
            ("Erstellt", datetime.now().strftime("%d.%m.%Y %H:%M")),
            ("Format", FORMAT_VERSION),
            ("xlsozial", __version__),
            *(ticket or {}).items(),
        ],
        start=1,
    ):
        ident.cell(row=r, column=1, value=key)
        ident.cell(row=r, column=2, value=value)
    ident.sheet_state = "veryHidden"
    ident.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def distribute(
    master: Path,
    folder: Path,
    deadline: date | None = None,
    only: str | None = None,
    today: date | None = None,
) -> list[Path]:
    """Open a round (or re-issue one SRT's file) and write Kosten_KEY.xlsx into ``folder``.

    The master records the round and the tokens first (atomically); then the files are
    written. ``only`` re-sends one SRT's file with a new token, leaving the others valid.
    """
    check_folder(folder)
    with master_session(master, None, "verteilen") as book:
        inputs = read_inputs(book)
        keys = [p.key for p in inputs.providers]
        if only is not None and only not in keys:
            raise UsageError(f"SRT „{only}“ gibt es nicht; möglich: {', '.join(keys)}")
        state = rounds.open_round(rounds.load(book), keys, today or date.today(), deadline, only)
        save_state(book, state, inputs)
        book.save_atomic(master)
    return distribute_inputs(inputs, folder, master.name, state, only)


def save_state(book: BookAdapter, state: rounds.RoundState, inputs: Inputs) -> None:
    """Round state into the very hidden cell, overview onto the visible sheet Rücklauf."""
    book.set_named(layout.NAME_ROUNDS, state.to_json())
    names = {p.key: p.name for p in inputs.providers}
    book.write_sheet(
        rounds.overview_sheet(state, names, [c.category for c in inputs.category_shares])
    )


def check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise FileProblem(f"„{folder}“ ist eine Datei, kein Ordner. Es wurde nichts geschrieben.")


def distribute_inputs(
    inputs: Inputs,
    folder: Path,
    master_name: str,
    state: rounds.RoundState,
    only: str | None = None,
) -> list[Path]:
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileProblem(os_error_text(exc, folder, "(Ordner anlegen)")) from None
    written = []
    for provider in inputs.providers:
        if only is not None and provider.key != only:
            continue
        ticket = state.tickets[provider.key]
        target = folder / ticket.file
        ident = {
            "Runde": str(state.number),
            "Kennung": ticket.token,
            "Mappe-ID": state.workbook_id,
        }
        atomic_write_bytes(target, provider_workbook(inputs, provider, master_name, ident))
        written.append(target)
    return written
