"""The workbook's sheets, built with openpyxl from the layout contract and example inputs.

Inputs (parameters, tables with validations and notes), the empty output sheets, Protokoll,
the control sheets and xlwings.conf; :mod:`xlsozial.commands.build_workbook` adds VBA and ribbon.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from enum import Enum
from typing import Any

import xlwings
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlsozial import __version__
from xlsozial.book import layout, layout_variants, layout_years, style
from xlsozial.book.geometry import LINE_HEIGHT, word_lines, wrapped_height
from xlsozial.book.sheet_style import HEADER_FILL, portrait_if_narrow, print_width, style_sheet
from xlsozial.book.udf_vba import UDF_MODULE
from xlsozial.book.validations import validate, validate_columns
from xlsozial.domain.example import FICTITIOUS_NOTE
from xlsozial.domain.models import Inputs, ModelKey

FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)
INPUT_FILL = PatternFill("solid", fgColor=style.INPUT)
THIN = Side(style="thin", color=style.GRID)
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SPARE_ROWS = 200  # dropdowns and checks reach this far below the example rows

# Read by xlwings' VBA (GetConfigFromSheet): keys in column A from A1 down, values in B.
# Environment variables are expanded by xlwings. See README "In Excel einrichten".
XLWINGS_CONF: list[tuple[str, str]] = [
    ("Interpreter_Win", r"%USERPROFILE%\xlsozial\.venv\Scripts\pythonw.exe"),
    ("Interpreter_Mac", "$HOME/xlsozial/.venv/bin/python"),
    ("UDF Modules", UDF_MODULE),
    ("Show Console", "False"),
    ("Use UDF Server", "False"),
]

HEADER_NOTES = {
    "Vorjahresbudget (€)": "Budget des Vorjahres: Basis für Korridor (M4), Vergleich, Übergang.",
    "Sockel (€)": "Nur für Modell M3; gilt je Sozialraum oder je SRT (Parameter „Sockel (M3) je“).",
    "Gewicht": "Relatives Gewicht ≥ 0. Gewicht 0: wird angezeigt, fließt aber nicht ein.",
    "Richtung": "belastend: höherer Wert = mehr Belastung; entlastend: höherer Wert = weniger.",
    "Zähler": "Mit Nenner: Quote = Zähler / Nenner. Kreiswert = Summe Zähler / Summe Nenner.",
    "Wert": "Nur wenn es keinen Zähler/Nenner gibt (z. B. eine Betreuungsquote in %).",
    "Anteil gebunden": "Anteil dieser Kategorie am gebundenen Budget; Rest: regionales Budget 1.",
    "Kategorie": "Bitte aus der Liste wählen (Liste: Blatt Zuordnung).",
    "Kürzel": "Nur Buchstaben A–Z, Ziffern und _; benennt das Kostenblatt „Kosten KÜRZEL“.",
}
# Where the same header means something else in another table (table name, header).
TABLE_NOTES = {
    ("tblIndikatoren", "Kürzel"): "Kurzname des Indikators; so heißt er auf Blatt Indikatorwerte.",
    ("tblZuordnung", "Kategorie"): "Name der Kostenkategorie; die Kostenblätter der SRT wählen "
    "aus dieser Liste.",
}

START_TEXT = [
    "So wird die Mappe benutzt",
    "1. Gelbe Zellen auf den Eingabeblättern (gelbe Reiter) ausfüllen: Parameter, Gebiete, SRT, "
    "Indikatoren, Indikatorwerte, Zuordnung.",
    "2. Kostenblätter der SRT: „Verteilen“ legt je SRT eine Datei in den Ordner „Versand“ neben "
    "der Mappe (Blatt Rücklauf zeigt, was zurück ist); zurückgesandte Dateien in den Ordner "
    "„Rücklauf“ legen und „Einsammeln“ klicken – danach wird sofort neu gerechnet.",
    "3. Im Menüband „Sozialraumbudget“ auf „Berechnen“ klicken (oder ohne Excel: "
    "xlsozial berechnen Sozialraumbudget.xlsm).",
    "4. Ergebnisse stehen als Werte auf den grünen Blättern (Modellvergleich, Matrix, "
    "Budgetaufteilung, Übergang, Sensitivität, Regionalbudget-Stand, Verlauf), "
    "Zwischenschritte auf den grauen (Belastung, Quoten).",
    "5. Blatt Prüfungen: grün = in Ordnung, gelb = Hinweis, rot = bitte ansehen (dann sind die "
    "Ergebnisblätter als UNGÜLTIG gekennzeichnet). Blatt Protokoll: ein Eintrag je Lauf.",
    "6. „Bericht (PDF)“ für den Jugendhilfeausschuss. Wer eigene Formeln des Sozialraumbudgets "
    "(SRB_…) eingefügt hat, wählt vor dem Weitergeben an Personen ohne das Programm „Werte "
    "einfrieren“.",
    "7. Hat der Ausschuss die Quote beschlossen: „Quote festschreiben“ (Beschluss = Vorlage-Nr.). "
    "Zum Jahresende „Jahreswechsel“: daneben entsteht die Mappe für das nächste Jahr, dieses "
    "Jahr wird als .xlsx archiviert. Anträge auf regionales Budget 1: Blatt Regionalbudget.",
    "In den Tabellen dürfen Zeilen eingefügt und gelöscht werden.",
    "Reiterfarben: gelb = Eingabe, grau = Berechnung, grün = Ausgabe, blau = Steuerung.",
]


YEAR_FIELDS = {"year", "data_year", "valid_from", "valid_to"}


def _text_rows(spec: layout.TableSpec, rows: Sequence[Any]) -> list[list[Any]]:
    return [layout.row_values(spec.columns, row) for row in rows]


def _sheet(wb: Workbook, name: str, kind: layout.SheetKind, code: str) -> Worksheet:
    ws = wb.create_sheet(name)
    style_sheet(ws, kind, code)
    return ws


def _title(ws: Worksheet, title: str, help_text: str) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(name="Calibri", bold=True, size=14)
    ws["A2"] = help_text
    ws["A2"].font = Font(name="Calibri", italic=True, color=style.NOTE_TEXT)


# Tables only the program writes (Quote festschreiben, Jahreswechsel): not the input colour.
WRITTEN_BY_PROGRAM = {"tblQuote", "tblHistorie", "tblKostenVorjahr"}


def _number_format(col: layout.Column, value: Any) -> str:
    if col.kind == "number":  # counts with a thousands point, fractions as typed
        integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return style.INTEGER if integral else "#,##0.0###"
    return {
        "money": style.MONEY,
        "percent": "0.0000%" if col.field == "quota" else "0%",
        "int": style.YEAR if col.field in YEAR_FIELDS else style.INTEGER,
    }.get(col.kind, "@" if col.kind == "text" else "General")


def _table(ws: Worksheet, spec: layout.TableSpec, rows: list[list[Any]]) -> tuple[int, int]:
    """Write an input table at FIRST_TABLE_ROW; returns (first, last) data row."""
    top = layout.FIRST_TABLE_ROW
    for c, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=top, column=c, value=col.header)
        cell.font = Font(name="Calibri", bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(c)].width = col.width
        note = TABLE_NOTES.get((spec.name, col.header), HEADER_NOTES.get(col.header))
        if note:
            cell.comment = Comment(note, "xlsozial")
    lines = max(word_lines(c.header, c.width) for c in spec.columns)
    ws.row_dimensions[top].height = LINE_HEIGHT * lines + 4  # wrapped heads stay in their row
    rows = rows or [[None] * len(spec.columns)]
    for r, values in enumerate(rows, start=top + 1):
        for c, (col, value) in enumerate(zip(spec.columns, values), start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = BOX
            if col.kind == "formula":
                letter = get_column_letter(c - 1)
                cell.value = f'=IF({letter}{r}="","",1-{letter}{r})'
                cell.number_format = "0%"
                continue
            if spec.name not in WRITTEN_BY_PROGRAM:
                cell.fill = INPUT_FILL
            cell.number_format = _number_format(col, value)
    last = top + len(rows)
    ref = f"A{top}:{get_column_letter(len(spec.columns))}{last}"
    table = Table(displayName=spec.name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=False)
    ws.add_table(table)
    validate_columns(ws, spec.columns, top + 1, last + SPARE_ROWS)
    ws.freeze_panes = f"A{top + 1}"
    ws.print_title_rows = f"{top}:{top}"
    _wrap_help(ws, len(spec.columns), sum(c.width for c in spec.columns))
    return top + 1, last


def _wrap_help(ws: Worksheet, columns: int, width: float) -> None:
    """The help line under the title wraps across the table's width: a long single line
    would widen the printed page and shrink the whole sheet."""
    text = ws["A2"].value
    if not text:
        return
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(1, columns))
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = wrapped_height(str(text), width)


def _define(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(sheet)}!{ref}")


def _sheet_links(start: Worksheet, wb: Workbook, row: int) -> None:
    """A table of contents on Start: every visible sheet, one click away."""
    start.cell(row=row, column=1, value="Blätter").font = Font(name="Calibri", bold=True)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    for i, name in enumerate(n for n in visible if n != layout.START):
        cell = start.cell(row=row + i, column=2, value=name)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(name)}!A1")
        cell.font = Font(name="Calibri", color=style.LINK, underline="single")


def create_workbook(inputs: Inputs) -> Workbook:
    """The workbook with inputs filled in and outputs computed, before VBA is added."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.code_name = "ThisWorkbook"
    codes = iter(f"Sheet{i}" for i in range(1, 100))
    start, info_row = _start_sheet(wb, codes)
    _parameter_sheet(wb, inputs, codes)
    _input_tables(wb, inputs, codes)
    for name, kind in layout.OUTPUT_SHEETS.items():
        _sheet(wb, name, kind, next(codes))
    _log_sheet(wb, codes)
    _control_sheets(wb, inputs, codes)
    _sheet_links(start, wb, info_row + 7)  # after the six info rows and a blank one
    for ws in wb.worksheets:
        print_width(ws)  # no sheet shrinks below ~8 pt when printed
        if ws.title not in layout.OUTPUT_SHEETS:
            portrait_if_narrow(ws)
    wb.properties.creator = "xlsozial"
    wb.properties.title = "Sozialraumbudget"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.active = 0
    return wb


START_WIDTH = 95  # column B of Start: every instruction wraps inside the printed page


def _start_sheet(wb: Workbook, codes: Iterator[str]) -> tuple[Worksheet, int]:
    start = _sheet(wb, layout.START, layout.SheetKind.CONTROL, next(codes))
    _title(start, "Sozialraumbudget", FICTITIOUS_NOTE)
    start.column_dimensions["A"].width = 28
    start.column_dimensions["B"].width = START_WIDTH
    for i, line in enumerate(START_TEXT, start=4):
        cell = start.cell(row=i, column=1 if i == 4 else 2, value=line)
        cell.font = Font(name="Calibri", bold=i == 4)
        if i > 4:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            start.row_dimensions[i].height = wrapped_height(line, START_WIDTH)
    info_row = 4 + len(START_TEXT) + 1
    for offset, (label, name, value) in enumerate(
        [
            ("xlsozial-Version", layout.NAME_VERSION, __version__),
            ("Version der Excel-Anbindung", layout.NAME_XLWINGS_VERSION, xlwings.__version__),
            (
                "Letzter Lauf",
                layout.NAME_LAST_RUN,
                "noch nicht berechnet (Ergebnisse aus dem Build)",
            ),
            ("Letztes Ergebnis", layout.NAME_LAST_RESULT, ""),
            ("Prüfsumme der Eingaben", layout.NAME_RESULT_HASH, ""),
            ("Dateien auf dem Server", layout.NAME_FILING, "– (nur beim Rechnen auf dem Server)"),
        ]
    ):
        row = info_row + offset
        start.cell(row=row, column=1, value=label).font = Font(name="Calibri", bold=True)
        start.cell(row=row, column=2, value=value)
        _define(wb, name, layout.START, f"$B${row}")
    return start, info_row


def _parameter_sheet(wb: Workbook, inputs: Inputs, codes: Iterator[str]) -> None:
    par = _sheet(wb, layout.PARAMETER, layout.SheetKind.INPUT, next(codes))
    _title(
        par,
        "Parameter",
        "Gelbe Zellen sind Eingaben; Spalte D nennt den Namen, unter dem der Wert gefunden wird.",
    )
    for c, (head, width) in enumerate(
        [("Parameter", 34), ("Wert", 34), ("Erläuterung", 70), ("Name", 22)], start=1
    ):
        cell = par.cell(row=layout.FIRST_TABLE_ROW, column=c, value=head)
        cell.font, cell.fill = Font(name="Calibri", bold=True), HEADER_FILL
        par.column_dimensions[get_column_letter(c)].width = width
    for r, pspec in enumerate(layout.PARAMETERS, start=layout.FIRST_TABLE_ROW + 1):
        _parameter_row(wb, par, r, pspec, getattr(inputs.parameters, pspec.field))
    par.freeze_panes = "A5"


def _parameter_row(
    wb: Workbook, par: Worksheet, r: int, pspec: layout.ParamSpec, spec_value: Any
) -> None:
    if pspec.field == "chosen_model":
        spec_value = layout.MODEL_CHOICES[list(ModelKey).index(ModelKey(spec_value))]
    elif isinstance(spec_value, Enum):
        spec_value = spec_value.value
    elif isinstance(spec_value, bool):
        spec_value = "ja" if spec_value else "nein"
    par.cell(row=r, column=1, value=pspec.label)
    cell = par.cell(row=r, column=2, value=spec_value)
    cell.fill, cell.border = INPUT_FILL, BOX
    if pspec.kind == "text":
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.number_format = {
        "money": style.MONEY,
        "percent": style.PERCENT_SHORT,
        "int": "0",
        "number": "0.00",
    }.get(pspec.kind, "General")
    note = par.cell(row=r, column=3, value=pspec.note)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    text_lines = max(1, -(-len(str(spec_value or "")) // 30)) if pspec.kind == "text" else 1
    par.row_dimensions[r].height = max(15.0 * text_lines + 2, wrapped_height(pspec.note, 66))
    label = par.cell(row=r, column=4, value=pspec.name)
    label.font = Font(name="Calibri", color=style.LABEL_TEXT)
    _define(wb, pspec.name, layout.PARAMETER, f"$B${r}")
    if pspec.choices:
        rule = layout.Rule(
            "list", '"' + ",".join(pspec.choices) + '"', "Bitte einen Wert aus der Liste wählen."
        )
    elif pspec.kind in {"money", "number", "percent"}:
        rule = layout.Rule("decimal", "0", "Bitte eine Zahl ≥ 0 eingeben.", "greaterThanOrEqual")
        if pspec.field == "indexation":  # a price change may also be negative
            rule = layout.Rule(
                "decimal",
                "-0.5",
                "Bitte einen Satz zwischen −50 % und 100 % eingeben.",
                "between",
                "1",
            )
    elif pspec.kind == "text":
        rule = layout.Rule("textLength", "300", "Text, höchstens 300 Zeichen.", "lessThanOrEqual")
    else:
        rule = layout.Rule("whole", "0", "Bitte eine ganze Zahl eingeben.", "between", "1000000")
    validate(par, f"B{r}", rule, allow_blank=pspec.kind in {"money", "number", "percent", "text"})


def _input_tables(wb: Workbook, inputs: Inputs, codes: Iterator[str]) -> None:
    sheets: dict[str, tuple[int, int]] = {}
    tables: list[tuple[layout.TableSpec, Sequence[Any]]] = [
        (layout.AREAS, inputs.areas),
        (layout.PROVIDERS, inputs.providers),
        (layout.INDICATORS, inputs.indicators),
        (layout.INDICATOR_VALUES, inputs.indicator_values),
        (layout.CATEGORY_SHARES, inputs.category_shares),
    ]
    for spec, rows in tables:
        ws = _sheet(wb, spec.sheet, layout.SheetKind.INPUT, next(codes))
        _title(ws, spec.title, spec.help)
        sheets[spec.name] = _table(ws, spec, _text_rows(spec, rows))
    for spec, name in (
        (layout.AREAS, layout.NAME_AREAS),
        (layout.PROVIDERS, layout.NAME_PROVIDERS),
        (layout.INDICATORS, layout.NAME_INDICATORS),
        (layout.CATEGORY_SHARES, layout.NAME_CATEGORIES),
    ):
        first, last = sheets[spec.name]
        _define(wb, name, spec.sheet, f"$A${first}:$A${last}")
    for provider in inputs.providers:
        spec = layout.cost_table(provider.key)
        ws = _sheet(wb, spec.sheet, layout.SheetKind.INPUT, next(codes))
        _title(ws, f"Kostenaufstellung: {provider.name} ({provider.key})", spec.help)
        rows = [c for c in inputs.cost_positions if c.provider == provider.key]
        _table(ws, spec, _text_rows(spec, rows))
    for spec, items in (
        (layout_years.QUOTA, inputs.quota_decisions),
        (layout_years.APPLICATIONS, inputs.applications),
        (layout_years.REGION_SHARES, inputs.region_shares),
        (layout_years.CONSULTATIONS, inputs.consultations),
        (layout_variants.VARIANTS, [layout_variants.shown(v) for v in inputs.variants]),
    ):
        ws = _sheet(wb, spec.sheet, layout.SheetKind.INPUT, next(codes))
        _title(ws, spec.title, spec.help)
        _table(ws, spec, _text_rows(spec, items))


def _log_sheet(wb: Workbook, codes: Iterator[str]) -> None:
    log = _sheet(wb, layout.PROTOKOLL, layout.SheetKind.CONTROL, next(codes))
    _title(log, layout.LOG.title, layout.LOG.help)
    for c, col in enumerate(layout.LOG.columns, start=1):
        cell = log.cell(row=layout.FIRST_TABLE_ROW, column=c, value=col.header)
        cell.font, cell.fill = Font(name="Calibri", bold=True), HEADER_FILL
        log.column_dimensions[get_column_letter(c)].width = col.width
    last_col = get_column_letter(len(layout.LOG.columns))
    table = Table(
        displayName=layout.LOG.name,
        ref=f"A{layout.FIRST_TABLE_ROW}:{last_col}{layout.FIRST_TABLE_ROW + 1}",
    )
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    log.add_table(table)
    log.freeze_panes = f"A{layout.FIRST_TABLE_ROW + 1}"


def _control_sheets(wb: Workbook, inputs: Inputs, codes: Iterator[str]) -> None:
    history = _sheet(wb, layout.HISTORIE, layout.SheetKind.CONTROL, next(codes))
    _title(history, layout_years.HISTORY.title, layout_years.HISTORY.help)
    _table(history, layout_years.HISTORY, _text_rows(layout_years.HISTORY, inputs.history))
    spec = layout_years.PREVIOUS_COSTS
    previous = _sheet(wb, spec.sheet, layout.SheetKind.CONTROL, next(codes))
    _title(previous, spec.title, spec.help)
    _table(previous, spec, _text_rows(spec, inputs.previous_costs))
    _sheet(wb, layout.RUECKLAUF, layout.SheetKind.CONTROL, next(codes))
    store = _sheet(wb, layout.CONTROL_STORE, layout.SheetKind.CONTROL, next(codes))
    store.sheet_state = "veryHidden"
    _define(
        wb,
        layout.NAME_ROUNDS,
        layout.CONTROL_STORE,
        f"${layout.ROUNDS_CELL[0]}${layout.ROUNDS_CELL[1:]}",
    )
    conf = wb.create_sheet(layout.XLWINGS_CONF)
    conf.sheet_properties.tabColor = layout.TAB_COLOURS[layout.SheetKind.CONTROL]
    conf.sheet_properties.codeName = next(codes)  # else Excel adds a module on open
    conf.sheet_state = "hidden"  # xlwings reads it hidden too; nobody should print it
    for r, (key, value) in enumerate(XLWINGS_CONF, start=1):
        conf.cell(row=r, column=1, value=key)
        conf.cell(row=r, column=2, value=value).fill = INPUT_FILL
    conf.column_dimensions["A"].width = 22
    conf.column_dimensions["B"].width = 60
