"""The workbook contract: sheet names, tables, columns and defined names.

Python finds data only through the Excel tables (ListObjects) and defined names listed here,
never through fixed cell addresses, so users may insert rows and move blocks. Build, readers
and writers all use this one description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from xlsozial.book.layout_parameters import MODEL_CHOICES as MODEL_CHOICES
from xlsozial.book.layout_parameters import PARAMETERS as PARAMETERS
from xlsozial.book.layout_parameters import ParamSpec as ParamSpec


class SheetKind(str, Enum):
    """FAST-style separation; the tab colour tells the user what a sheet is for."""

    CONTROL = "Steuerung"
    INPUT = "Eingabe"
    CALC = "Berechnung"
    OUTPUT = "Ausgabe"


TAB_COLOURS = {
    SheetKind.CONTROL: "1F4E79",
    SheetKind.INPUT: "FFD966",
    SheetKind.CALC: "A6A6A6",
    SheetKind.OUTPUT: "70AD47",
}


# Defined names
NAME_VERSION = "xlsozial_Version"
NAME_XLWINGS_VERSION = "xlwings_Version"
NAME_LAST_RUN = "Letzter_Lauf"
NAME_LAST_RESULT = "Letztes_Ergebnis"
NAME_RESULT_HASH = "Ergebnis_Eingabe_Hash"  # inputs the output sheets were computed from
NAME_FILING = "Serverablage"  # link to the workbook's files on the xlwings Server
ARCHIVE_MARK = "ARCHIV"  # "ARCHIV 2027 – nur Werte" in Letzter_Lauf and on every sheet
NAME_ROUNDS = "xlsozial_Runde"  # circulation round and tokens (JSON, very hidden sheet)
NAME_CATEGORIES = "Kategorien"
NAME_AREAS = "Sozialraeume"
NAME_PROVIDERS = "SRT_Kuerzel"
NAME_INDICATORS = "Indikator_Kuerzel"


@dataclass(frozen=True)
class Rule:
    """An Excel data validation on a column: a dropdown or a number range."""

    kind: str  # list | whole | decimal
    formula1: str
    error: str  # also the input message shown when the cell is selected
    operator: str | None = None
    formula2: str | None = None


WHOLE_AT_LEAST_0 = Rule("whole", "0", "Bitte eine ganze Zahl ≥ 0 eingeben.", "greaterThanOrEqual")
MONEY_AT_LEAST_0 = Rule("decimal", "0", "Bitte einen Betrag ≥ 0 eingeben.", "greaterThanOrEqual")
SHARE = Rule("decimal", "0", "Anteil zwischen 0 % und 100 %.", "between", "1")
WEIGHT = Rule("decimal", "0", "Gewicht muss ≥ 0 sein.", "greaterThanOrEqual")
PICK_PROVIDER = Rule("list", NAME_PROVIDERS, "Bitte ein SRT-Kürzel aus Blatt SRT wählen.")
PICK_AREA = Rule("list", NAME_AREAS, "Bitte einen Sozialraum aus der Liste wählen.")
PICK_INDICATOR = Rule(
    "list", NAME_INDICATORS, "Bitte einen Indikator aus Blatt Indikatoren wählen."
)
PICK_CATEGORY = Rule("list", NAME_CATEGORIES, "Bitte eine Kategorie aus der Liste wählen.")
PICK_DIRECTION = Rule("list", '"belastend,entlastend"', "belastend oder entlastend wählen.")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text | int | number | money | percent | formula
    width: float = 14.0
    required: bool = True
    note: str = ""
    rule: Rule | None = None
    since: str = ""  # added in this version: older workbooks may lack the column


@dataclass(frozen=True)
class TableSpec:
    name: str
    sheet: str
    columns: tuple[Column, ...]
    title: str
    help: str

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


# Sheet names --------------------------------------------------------------------------
START = "Start"
PARAMETER = "Parameter"
GEBIETE = "Gebiete"
SRT = "SRT"
INDIKATOREN = "Indikatoren"
INDIKATORWERTE = "Indikatorwerte"
ZUORDNUNG = "Zuordnung"
BELASTUNG = "Belastung"
QUOTEN = "Quoten"
DIAGNOSE = "Indikatoren-Diagnose"
MODELLVERGLEICH = "Modellvergleich"
VARIANTENVERGLEICH = "Variantenvergleich"
MATRIX = "Matrix"
BUDGETAUFTEILUNG = "Budgetaufteilung"
UEBERGANG = "Übergang"
SENSITIVITAET = "Sensitivität"
PRUEFUNGEN = "Prüfungen"
QUOTE = "Quote"  # the decided quota (input)
REGIONALBUDGET = "Regionalbudget"  # applications and decisions (input)
REGIONALBUDGET_STAND = "Regionalbudget-Stand"  # per region (output)
HISTORIE = "Historie"  # past years (written by the Jahreswechsel)
VERLAUF = "Verlauf"
KARTE = "Karte"  # chart over the years (output)
PROTOKOLL = "Protokoll"
XLWINGS_CONF = "xlwings.conf"
RUECKLAUF = "Rücklauf"
CONTROL_STORE = "xlsozial_Steuerung"  # very hidden
ROUNDS_CELL = "A1"

COST_SHEET_PREFIX = "Kosten "
COST_TABLE_PREFIX = "tblKosten_"

OUTPUT_SHEETS: dict[str, SheetKind] = {
    BELASTUNG: SheetKind.CALC,
    QUOTEN: SheetKind.CALC,
    DIAGNOSE: SheetKind.CALC,
    MODELLVERGLEICH: SheetKind.OUTPUT,
    VARIANTENVERGLEICH: SheetKind.OUTPUT,
    MATRIX: SheetKind.OUTPUT,
    BUDGETAUFTEILUNG: SheetKind.OUTPUT,
    UEBERGANG: SheetKind.OUTPUT,
    SENSITIVITAET: SheetKind.OUTPUT,
    REGIONALBUDGET_STAND: SheetKind.OUTPUT,
    VERLAUF: SheetKind.OUTPUT,
    KARTE: SheetKind.OUTPUT,
    PRUEFUNGEN: SheetKind.CONTROL,
}


def written_kind(sheet: str) -> SheetKind:
    """The kind (tab colour) of a sheet the program writes whole: an output sheet, or the
    Rücklauf overview among the control sheets."""
    return OUTPUT_SHEETS.get(sheet, SheetKind.CONTROL if sheet == RUECKLAUF else SheetKind.OUTPUT)


# Tables -------------------------------------------------------------------------------
AREAS = TableSpec(
    name="tblGebiete",
    sheet=GEBIETE,
    title="Sozialräume",
    help="Ein Sozialraum je Zeile. Einwohnerzahlen je Altersgruppe, Vorjahresbudget in €, "
    "Sockel nur für Modell M3 (bei Sockelbezug „Sozialraum“).",
    columns=(
        Column("Sozialraum", "name", width=22),
        Column("Region", "region", width=18),
        Column("SRT", "provider", width=12, rule=PICK_PROVIDER),
        Column("Einwohner gesamt", "population_total", "int", rule=WHOLE_AT_LEAST_0),
        Column("Einwohner 0 bis unter 18", "population_u18", "int", rule=WHOLE_AT_LEAST_0),
        Column("Einwohner 0 bis unter 21", "population_u21", "int", rule=WHOLE_AT_LEAST_0),
        Column("Einwohner 0 bis unter 27", "population_u27", "int", rule=WHOLE_AT_LEAST_0),
        Column("Vorjahresbudget (€)", "previous_budget", "money", 16, rule=MONEY_AT_LEAST_0),
        Column("Sockel (€)", "base_amount", "money", 14, required=False, rule=MONEY_AT_LEAST_0),
        Column(
            "Besitzstand (€)",
            "holding",
            "money",
            15,
            required=False,
            rule=MONEY_AT_LEAST_0,
            since="0.2",
        ),
    ),
)

PROVIDERS = TableSpec(
    name="tblSRT",
    sheet=SRT,
    title="Sozialraumträger",
    help="Kürzel (nur A–Z, 0–9, _) benennt auch das Kostenblatt „Kosten KÜRZEL“. Sockel nur bei "
    "Sockelbezug „SRT“; Anteil gebunden nur, um das historische Verhältnis zu überschreiben.",
    columns=(
        Column("Kürzel", "key", width=12),
        Column("Name", "name", width=44),
        Column("Sockel (€)", "base_amount", "money", 14, required=False, rule=MONEY_AT_LEAST_0),
        Column("Anteil gebunden (fest)", "bound_share", "percent", 16, False, rule=SHARE),
    ),
)

INDICATORS = TableSpec(
    name="tblIndikatoren",
    sheet=INDIKATOREN,
    title="Belastungsindikatoren",
    help="Gewicht ≥ 0 (Gewicht 0: nur informativ). Richtung „belastend“: höherer Wert = mehr "
    "Belastung; „entlastend“: höherer Wert = weniger Belastung.",
    columns=(
        Column("Kürzel", "key", width=10),
        Column("Bezeichnung", "label", width=46),
        Column("Gewicht", "weight", "number", 10, rule=WEIGHT),
        Column("Richtung", "direction", width=12, rule=PICK_DIRECTION),
        Column("Datenjahr", "data_year", "int", 10, required=False),
        Column("Quelle", "source", width=40, required=False),
    ),
)

INDICATOR_VALUES = TableSpec(
    name="tblIndikatorwerte",
    sheet=INDIKATORWERTE,
    title="Indikatorwerte",
    help="Je Sozialraum, Indikator und Jahr entweder Zähler und Nenner (Quote) oder einen Wert.",
    columns=(
        Column("Sozialraum", "area", width=22, rule=PICK_AREA),
        Column("Indikator", "indicator", width=10, rule=PICK_INDICATOR),
        Column("Jahr", "year", "int", 8),
        Column("Zähler", "numerator", "number", 12, required=False),
        Column("Nenner", "denominator", "number", 12, required=False),
        Column("Wert", "value", "number", 12, required=False),
    ),
)

CATEGORY_SHARES = TableSpec(
    name="tblZuordnung",
    sheet=ZUORDNUNG,
    title="Zuordnung der Kategorien",
    help="Welcher Anteil einer Kostenkategorie zählt zum gebundenen Budget; der Rest zum "
    "regionalen Budget 1 (z. B. Netzwerktätigkeit 50 %).",
    columns=(
        Column("Kategorie", "category", width=26),
        Column("Anteil gebunden", "bound_share", "percent", 16, rule=SHARE),
        Column("Anteil regionales Budget 1", "regional_share", "formula", 24, required=False),
    ),
)

COSTS_COLUMNS = (
    Column("Kategorie", "category", width=24, rule=PICK_CATEGORY),
    Column("Position", "position", width=44, required=False),
    Column("Betrag (€)", "amount", "money", 14, rule=MONEY_AT_LEAST_0),
    Column("Sozialraum", "area", width=20, required=False, rule=PICK_AREA),
    Column("Bemerkung", "note", width=36, required=False),
)


def row_values(columns: Sequence[Column], row: object) -> list[Any]:
    """A model row as cell values in column order: enums as their German text, formula
    columns left empty (the workbook computes them)."""
    values: list[Any] = []
    for col in columns:
        value = None if col.kind == "formula" else getattr(row, col.field, None)
        values.append(value.value if isinstance(value, Enum) else value)
    return values


def cost_table(key: str) -> TableSpec:
    return TableSpec(
        name=COST_TABLE_PREFIX + key,
        sheet=COST_SHEET_PREFIX + key,
        title=f"Kostenaufstellung SRT {key}",
        help="Verwendung des bisherigen Budgets. Kategorie aus der Liste wählen; Sozialraum nur, "
        "wenn die Position einem Sozialraum zuzuordnen ist.",
        columns=COSTS_COLUMNS,
    )


LOG = TableSpec(
    name="tblProtokoll",
    sheet=PROTOKOLL,
    title="Protokoll",
    help="Eine Zeile je Lauf: Berechnen, Einsammeln, Quote festschreiben, Jahreswechsel.",
    columns=(
        Column("Zeitpunkt", "time", width=17),
        Column("Benutzer", "user", width=14),
        Column("Befehl", "command", width=16),
        Column("Modell", "model", width=20),
        Column("Gesamtbudget (€)", "budget", "money", 16),
        # Wrapped (every writer sets it), so the sheet prints on one page width.
        Column("Parameter", "parameters", width=44),
        Column("Prüfsumme der Eingaben", "hash", width=18),
        Column("Ergebnis", "result", width=12),
    ),
)

INPUT_TABLES = (AREAS, PROVIDERS, INDICATORS, INDICATOR_VALUES, CATEGORY_SHARES)

LOG_WRAPPED = "parameters"  # the Protokoll column whose long text wraps

FIRST_TABLE_ROW = 4  # header row of every input table (rows 1–3: title, help, blank)
