"""Verteilen: one macro-free .xlsx per SRT with its cost sheet, categories and instructions.

Mail servers pass .xlsx; the sheet is protected except the yellow input cells, and the table
already holds spare empty rows, because a table on a protected sheet cannot grow. A hidden
sheet names the SRT, so a renamed file is still recognised when it comes back.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsozial import __version__
from xlsozial.adapters.fileio import os_error_text
from xlsozial.book import layout, style
from xlsozial.book.adapter import BookAdapter
from xlsozial.book.sheet_style import HEADER_FILL
from xlsozial.book.validations import validate_columns
from xlsozial.circulation import rounds
from xlsozial.domain.errors import FileProblem
from xlsozial.domain.models import Inputs, Provider

ID_SHEET = "xlsozial"
CATEGORY_SHEET = "Kategorien"
GUIDE_SHEET = "Anleitung"
SPARE_ROWS = 150
FORMAT_VERSION = "1"
INPUT_FILL = PatternFill("solid", fgColor=style.INPUT)
UNDERLINE = Border(bottom=Side(style="thin"))
_HAIR = Side(style="hair", color="808080")
WRITING_LINES = Border(left=_HAIR, right=_HAIR, bottom=_HAIR)
BLANK_PRINTED = 25  # blank rows on the printed form, below the positions

GUIDE = [
    "So füllen Sie die Kostenaufstellung aus",
    "1. Blatt „{sheet}“: je Zeile eine Position – wofür Sie das Budget {used} verwendet "
    "haben (tatsächliche Ausgaben; ist das Jahr noch nicht abgeschlossen: was bis zum "
    "Jahresende geplant ist). Daraus ergibt sich die Aufteilung des Budgets {year}.",
    "2. Kategorie aus der Liste wählen (Betriebskosten, Sachkosten, Netzwerktätigkeit, "
    "Angebote und Projekte …), Position kurz benennen, Betrag in Euro eintragen.",
    "3. Sozialraum nur angeben, wenn die Position einem Sozialraum zuzuordnen ist; "
    "Bemerkung ist freiwillig.",
    "4. Vorgetragene Zeilen sind die Angaben des Vorjahres: bitte prüfen, Beträge ändern, "
    "neue Positionen in die freien gelben Zeilen schreiben. Eine Position entfällt, indem Sie "
    "alle ihre gelben Zellen leeren (Zellen markieren, Entf-Taste); leere Zeilen zählen nicht. "
    "Nur die gelben Zellen sind beschreibbar; bitte keine Blätter umbenennen oder löschen.",
    "5. Rechts neben der Tabelle stehen die Summen je Kategorie und insgesamt; sie rechnen "
    "sich selbst.",
    "6. Zurück an das Jugendamt bis zum {deadline}: die gespeicherte Datei (Excel oder "
    "LibreOffice, Format .xlsx; der Dateiname darf geändert werden) per E-Mail, und die "
    "ausgedruckte Kostenaufstellung (Blatt „{sheet}“), auf der ersten Seite rechts mit Ort, "
    "Datum, Name, Funktion und Unterschrift, per Post.",
    "Was bedeutet „Anteil gebunden“ (Blatt Kategorien)? Er sagt, welcher Teil einer "
    "Kategorie künftig als gebundenes Budget fest bei Ihrem Träger bleibt; der Rest fließt "
    "in das regionale Budget 1, über dessen Verwendung die Regionalgremien entscheiden. "
    "100 % = ganz gebunden, 50 % = zur Hälfte, 0 % = ganz regionales Budget 1.",
    "Die Datei enthält keine Makros.",
]
HEIGHT_PER_LINE = 15.0
CHARS_PER_LINE = 95


def _print_setup(ws: Any, footer: str, landscape: bool, title_rows: str | None = None) -> None:
    """A4, fit to the page width, footer with the SRT and „Seite x von y“ (Excel and LO)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.left.text = footer
    ws.oddFooter.right.text = "Seite &P von &N"
    if title_rows:
        ws.print_title_rows = title_rows


def _deadline(ticket: dict[str, str] | None) -> str:
    due = (ticket or {}).get("Frist", "")
    try:
        return date.fromisoformat(due).strftime("%d.%m.%Y")
    except ValueError:
        return "zum mitgeteilten Termin"


def _totals(ws: Any, inputs: Inputs, top: int, bottom: int) -> None:
    """Sums per category and overall, right of the table; formulas, so they update as the
    SRT types (also rows typed below the table, up to ``bottom``)."""
    ws.cell(row=top, column=7, value="Summe je Kategorie")
    ws.cell(row=top, column=8, value="Betrag (€)")
    for c in (7, 8):
        cell = ws.cell(row=top, column=c)
        cell.font, cell.fill = Font(name="Calibri", bold=True), HEADER_FILL
    cats = f"$A${top + 1}:$A${bottom}"
    amounts = f"$C${top + 1}:$C${bottom}"
    row = top
    for row, share in enumerate(inputs.category_shares, start=top + 1):
        ws.cell(row=row, column=7, value=share.category)
        total = ws.cell(row=row, column=8, value=f"=SUMIF({cats},G{row},{amounts})")
        total.number_format = style.MONEY
    ws.cell(row=row + 1, column=7, value="Gesamt").font = Font(name="Calibri", bold=True)
    grand = ws.cell(row=row + 1, column=8, value=f"=SUM({amounts})")
    grand.number_format = style.MONEY
    grand.font = Font(name="Calibri", bold=True)
    ws.column_dimensions["F"].width = 3
    ws.column_dimensions["G"].width = 26
    ws.column_dimensions["H"].width = 16


def provider_workbook(
    inputs: Inputs, provider: Provider, master_name: str, ticket: dict[str, str] | None = None
) -> bytes:
    """The cost file of one SRT; ``ticket`` (Runde, Kennung, Mappe-ID) goes on the very
    hidden sheet so that only this SRT's return of this round is accepted."""
    wb = Workbook()
    spec = layout.cost_table(provider.key)
    due = _deadline(ticket)
    _guide_sheet(wb.active, inputs, provider, spec, due)
    ws = _cost_sheet(wb, inputs, provider, spec, due)
    _category_sheet(wb, inputs, provider)
    last = range_boundaries(ws.tables[spec.name].ref)[3]
    validate_columns(ws, spec.columns, layout.FIRST_TABLE_ROW + 1, last)
    _id_sheet(wb, provider, master_name, ticket)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _guide_sheet(
    guide: Any, inputs: Inputs, provider: Provider, spec: layout.TableSpec, due: str
) -> None:
    par = inputs.parameters
    guide.title = GUIDE_SHEET
    guide["A1"] = f"Kostenaufstellung {provider.name} ({provider.key})"
    guide["A1"].font = Font(name="Calibri", bold=True, size=14)
    facts = [
        f"Gefragt: die Verwendung des Budgets {par.first_year - 1}, als Grundlage für das "
        f"Budgetjahr {par.first_year}.",
        f"Rückgabe bis: {due}",
        f"Ansprechpartner: {par.contact or 'Jugendamt'}",
    ]
    words = {"sheet": spec.sheet, "deadline": due, "year": par.first_year}
    words["used"] = par.first_year - 1
    lines = facts + [""] + [line.format(**words) for line in GUIDE]
    for i, line in enumerate(lines, start=3):
        cell = guide.cell(row=i, column=1, value=line or None)
        cell.font = Font(name="Calibri", bold=i < 3 + len(facts) or line == GUIDE[0], size=11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        wrapped = max(1, -(-len(line) // CHARS_PER_LINE))
        guide.row_dimensions[i].height = HEIGHT_PER_LINE * wrapped + 3
    guide.column_dimensions["A"].width = 100
    _print_setup(guide, f"{provider.name} – Anleitung", landscape=False)


def _cost_sheet(
    wb: Workbook, inputs: Inputs, provider: Provider, spec: layout.TableSpec, due: str
) -> Any:
    par = inputs.parameters
    ws = wb.create_sheet(spec.sheet)
    ws["A1"] = f"Kostenaufstellung: {provider.name} ({provider.key}) – Budgetjahr {par.first_year}"
    ws["A1"].font = Font(name="Calibri", bold=True, size=14)
    ws["A2"] = (
        f"Verwendung des Budgets {par.first_year - 1} (Grundlage für {par.first_year}). "
        f"Kategorie aus der Liste wählen; Sozialraum nur, wenn zuzuordnen. Rückgabe bis {due}."
    )
    ws["A2"].font = Font(name="Calibri", italic=True, color=style.NOTE_TEXT)
    top = layout.FIRST_TABLE_ROW
    for c, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=top, column=c, value=col.header)
        cell.font, cell.fill = Font(name="Calibri", bold=True), HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = col.width
    rows = [p for p in inputs.effective_costs if p.provider == provider.key]
    last = top + len(rows) + SPARE_ROWS
    for r in range(top + 1, last + 1):
        pos = rows[r - top - 1] if r - top - 1 < len(rows) else None
        values = layout.row_values(spec.columns, pos) if pos else [None] * len(spec.columns)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # typed text stays text, even if it starts with "="
            cell.fill = INPUT_FILL
            cell.border = WRITING_LINES  # a printed blank row is a row to write in by hand
            cell.protection = Protection(locked=False)
            if c == 3:
                cell.number_format = style.MONEY
    _totals(ws, inputs, top, last)
    # Beside the table, under the sums: rows under the table are read as positions.
    _signature(ws, top + len(inputs.category_shares) + 4)
    _print_setup(ws, f"{provider.name} ({provider.key})", landscape=True, title_rows=f"1:{top}")
    # Excel and LibreOffice print the same form: the positions and blank rows to write in.
    ws.print_area = f"A1:H{top + len(rows) + BLANK_PRINTED}"
    table = Table(displayName=spec.name, ref=f"A{top}:{get_column_letter(5)}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=False)
    ws.add_table(table)
    ws.freeze_panes = f"A{top + 1}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.autoFilter = False
    ws.protection.sort = False
    return ws


def _signature(ws: Any, row: int) -> None:
    """Ort, Datum, Name, Funktion, Unterschrift to sign the printed form by hand; beside
    the table (rows under it are read as positions)."""
    ws.cell(row=row, column=7, value="Richtigkeit bestätigt").font = Font(name="Calibri", bold=True)
    for i, label in enumerate(("Ort, Datum", "Name", "Funktion", "Unterschrift"), start=1):
        r = row + i * 2
        ws.cell(row=r, column=7, value=label)
        ws.cell(row=r, column=8).border = UNDERLINE
        ws.row_dimensions[r].height = 24


FIRST_LIST_ROW = 4  # Kategorien: title, note, blank, then the lists


def _category_sheet(wb: Workbook, inputs: Inputs, provider: Provider) -> None:
    cats = wb.create_sheet(CATEGORY_SHEET)
    cats["A1"] = f"Kategorien und Sozialräume – {provider.name} ({provider.key})"
    cats["A1"].font = Font(name="Calibri", bold=True, size=14)
    cats["A2"] = "Zum Nachschlagen; die Auswahllisten im Kostenblatt kommen von hier."
    cats["A2"].font = Font(name="Calibri", italic=True, color=style.NOTE_TEXT)
    top = FIRST_LIST_ROW
    cats[f"A{top}"], cats[f"B{top}"], cats[f"D{top}"] = (
        "Kategorie",
        "Anteil gebunden",
        "Sozialräume",
    )
    for cell in (cats[f"A{top}"], cats[f"B{top}"], cats[f"D{top}"]):
        cell.font, cell.fill = Font(name="Calibri", bold=True), HEADER_FILL
    for i, share in enumerate(inputs.category_shares, start=top + 1):
        cats.cell(row=i, column=1, value=share.category)
        cats.cell(row=i, column=2, value=share.bound_share).number_format = "0%"
    areas = [a.name for a in inputs.areas if a.provider == provider.key]
    for i, name in enumerate(areas, start=top + 1):
        cats.cell(row=i, column=4, value=name)
    cats.column_dimensions["A"].width = 28
    cats.column_dimensions["B"].width = 16
    cats.column_dimensions["D"].width = 24
    cats.protection.sheet = True
    _print_setup(cats, f"{provider.name} – Kategorien", landscape=False)
    n_cat = top + len(inputs.category_shares)
    sheet = quote_sheetname(CATEGORY_SHEET)
    wb.defined_names[layout.NAME_CATEGORIES] = DefinedName(
        layout.NAME_CATEGORIES, attr_text=f"{sheet}!$A${top + 1}:$A${n_cat}"
    )
    wb.defined_names[layout.NAME_AREAS] = DefinedName(
        layout.NAME_AREAS,
        attr_text=f"{sheet}!$D${top + 1}:$D${max(top + 1, top + len(areas))}",
    )


def _id_sheet(
    wb: Workbook, provider: Provider, master_name: str, ticket: dict[str, str] | None
) -> None:
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


def stage_files(
    inputs: Inputs,
    folder: Path,
    master_name: str,
    state: rounds.RoundState,
    only: str | None = None,
) -> dict[Path, Path]:
    """Every provider file written into a hidden folder inside ``folder`` first: staged
    path → final path. Nothing is visible yet; on failure the staging folder is removed."""
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".xlsozial-versand-", dir=folder))
    except OSError as exc:
        raise FileProblem(
            os_error_text(exc, folder, "(Ordner anlegen)") + " Es wurde nichts geschrieben."
        ) from None
    staged: dict[Path, Path] = {}
    try:
        for provider in inputs.providers:
            if only is not None and provider.key != only:
                continue
            ticket = state.tickets[provider.key]
            ident = {
                "Runde": str(state.number),
                "Kennung": ticket.token,
                "Mappe-ID": state.workbook_id,
                "Frist": state.deadline,
            }
            data = provider_workbook(inputs, provider, master_name, ident)
            (staging / ticket.file).write_bytes(data)
            staged[staging / ticket.file] = folder / ticket.file
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise FileProblem(
            os_error_text(exc, folder, "kann nicht beschrieben werden")
            + " Es wurde nichts geschrieben und keine Runde eröffnet."
        ) from None
    return staged


def discard(staged: dict[Path, Path]) -> None:
    for path in staged:
        shutil.rmtree(path.parent, ignore_errors=True)
        break


def place(staged: dict[Path, Path]) -> list[Path]:
    """Move the staged files into place (the round is already recorded in the master)."""
    done: list[Path] = []
    try:
        for source, target in staged.items():
            os.replace(source, target)
            done.append(target)
    except OSError as exc:
        missing = [t.name for t in staged.values() if t not in done]
        first = next(iter(staged), None)
        raise FileProblem(
            os_error_text(exc, first.parent.parent if first else None, "")
            + f" Die Runde ist in der Mappe eingetragen; im Ordner liegen "
            f"{', '.join(t.name for t in done) or 'noch keine Dateien'}; es fehlen "
            f"{', '.join(missing)} (vorbereitet in „{first.parent if first else ''}“). Bitte "
            "Platz schaffen und „verteilen --srt KÜRZEL“ für die fehlenden ausführen."
        ) from None
    discard(staged)
    return done
