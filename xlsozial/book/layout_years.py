"""The tables that carry a workbook from one budget year to the next."""

from __future__ import annotations

from xlsozial.book.layout import (
    COSTS_COLUMNS,
    MONEY_AT_LEAST_0,
    PICK_AREA,
    SHARE,
    Column,
    Rule,
    TableSpec,
)
from xlsozial.domain.models_years import ApplicationStatus, ConsultationRole

HISTORIE = "Historie"
PICK_STATUS = Rule(
    "list",
    '"' + ",".join(s.value for s in ApplicationStatus) + '"',
    "Bitte einen Status aus der Liste wählen.",
)
YEAR = Rule("whole", "2000", "Bitte ein Jahr eingeben (2000–2100).", "between", "2100")

QUOTA = TableSpec(
    name="tblQuote",
    sheet="Quote",
    title="Festgeschriebene Gesamtbudgetverteilungsquote",
    help="Vom Jugendhilfeausschuss beschlossene Quote je Sozialraum; gilt im Zeitraum statt der "
    "aus den aktuellen Daten errechneten. Nur über „Quote festschreiben“ ändern.",
    columns=(
        Column("Sozialraum", "area", width=22, rule=PICK_AREA),
        Column("Quote", "quota", "percent", 12, rule=SHARE),
        Column("Beschluss", "decision", width=24, required=False),
        Column("gültig ab", "valid_from", "int", 10, rule=YEAR),
        Column("gültig bis", "valid_to", "int", 10, required=False, rule=YEAR),
        Column("festgeschrieben am", "decided_on", width=18, required=False),
        Column("von", "decided_by", width=16, required=False),
    ),
)

APPLICATIONS = TableSpec(
    name="tblRegionalbudget",
    sheet="Regionalbudget",
    title="Regionales Budget 1: Anträge und Beschlüsse der Regionalgremien",
    help="Eine Zeile je Antrag. Nur bewilligte Beträge zählen gegen das regionale Budget 1 der "
    "Region; beantragte gelten als offen.",
    columns=(
        Column("Region", "region", width=16),
        Column("Träger", "provider", width=14, required=False),
        Column("Projekt", "project", width=28),
        Column("Zeitraum", "period", width=13, required=False),
        Column("beantragt (€)", "requested", "money", 14, rule=MONEY_AT_LEAST_0),
        Column("bewilligt (€)", "approved", "money", 14, required=False, rule=MONEY_AT_LEAST_0),
        Column("Beschlussdatum", "decided_on", width=14, required=False),
        Column("Gremium", "committee", width=24, required=False),
        Column("Status", "status", width=14, rule=PICK_STATUS),
        Column(
            "übertragen aus",
            "carried_from",
            "int",
            10,
            required=False,
            note="vom Jahreswechsel: offen aus diesem Jahr übernommen",
            since="0.3",
        ),
    ),
)

HISTORY = TableSpec(
    name="tblHistorie",
    sheet=HISTORIE,
    title="Historie: was jeder Sozialraum in den Vorjahren erhielt",
    help="Vom Jahreswechsel geschrieben (nicht von Hand ändern): Zuweisung nach dem gewählten "
    "Modell, Besitzstand-Ausgleich und regionales Budget 1 je Sozialraum und Jahr.",
    columns=(
        Column("Jahr", "year", "int", 8),
        Column("Sozialraum", "area", width=22),
        Column("Zuweisung (€)", "allocation", "money", 16),
        Column("Besitzstand-Ausgleich (€)", "compensation", "money", 16),
        Column("regionales Budget 1 (€)", "regional", "money", 16),
        Column("tatsächlich gezahlt (€)", "paid", "money", 16, required=False, since="0.3"),
    ),
)

PREVIOUS_COSTS = TableSpec(
    name="tblKostenVorjahr",
    sheet="Kosten Vorjahr",
    title="Zuletzt gemeldete Kostenaufstellungen (zum Nachschlagen)",
    help="Vom Jahreswechsel übernommen: je SRT die Positionen seines zuletzt zurückgegebenen "
    "Kostenblatts (ohne neues bleiben die älteren). Solange das Kostenblatt des neuen Jahres "
    "leer ist, rechnet die Aufteilung mit ihnen; „Verteilen“ trägt sie den SRT vor.",
    columns=(Column("SRT", "provider", width=12), *COSTS_COLUMNS),
)

REGION_SHARES = TableSpec(
    name="tblVerteilschluessel",
    sheet="Verteilschlüssel",
    title="Verteilschlüssel der Regionen (feste Anteile)",
    help="Nur bei Verteilschlüssel „feste Anteile“ (Blatt Parameter): Anteil jeder Region an "
    "Besitzstand und frei werdenden Mitteln des regionalen Budgets 1; zusammen 100 %.",
    columns=(
        Column("Region", "region", width=20),
        Column("Anteil", "share", "percent", 12, rule=SHARE),
    ),
)

PICK_ROLE = Rule(
    "list",
    '"' + ",".join(r.value for r in ConsultationRole) + '"',
    "Vorberatung, Entscheidung oder Kenntnisnahme wählen.",
)

CONSULTATIONS = TableSpec(
    name="tblBeratungsfolge",
    sheet="Beratungsfolge",
    title="Beratungsfolge der Beschlussvorlage",
    help="Je Gremium eine Zeile, in der Reihenfolge der Beratung; steht so im Kopf der Vorlage. "
    "Leer: das Gremium und der Sitzungstermin aus Blatt Parameter (Entscheidung).",
    columns=(
        Column("Gremium", "body", width=34),
        Column("Sitzungstermin", "date", width=16, required=False),
        Column("Rolle", "role", width=16, rule=PICK_ROLE),
        Column("Ergebnis", "outcome", width=24, required=False),
    ),
)

YEAR_TABLES = (QUOTA, APPLICATIONS, HISTORY, PREVIOUS_COSTS, REGION_SHARES, CONSULTATIONS)
