"""The Parameter sheet's contract: one defined name per parameter, its label and kind."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParamSpec:
    name: str  # defined name
    field: str
    label: str
    kind: str  # text | int | number | money | percent | choice
    note: str
    choices: tuple[str, ...] = ()


# Parameters (defined names on the Parameter sheet) ------------------------------------
MODEL_CHOICES = (
    "M1 Einwohner",
    "M2 Belastungsquote",
    "M3 Sockel + Quote",
    "M4 Bestand mit Korridor",
)

PARAMETERS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "Gesamtbudget",
        "total_budget",
        "Gesamtbudget",
        "money",
        "Jahresbudget für alle Sozialräume, €",
    ),
    ParamSpec(
        "Altersgruppe",
        "age_group",
        "Altersgruppe der Bevölkerung",
        "choice",
        "Bevölkerung P für Quote und M1",
        ("gesamt", "0 bis unter 18", "0 bis unter 21", "0 bis unter 27"),
    ),
    ParamSpec(
        "Normierung",
        "normalisation",
        "Normierung der Indikatoren",
        "choice",
        "Verhältnis zum Kreiswert (Standard), z-Wert, Min-Max oder Rang",
        ("Verhältnis zum Kreiswert", "z-Wert", "Min-Max", "Rang"),
    ),
    ParamSpec(
        "Aggregation",
        "aggregation",
        "Mittelung der Indikatoren",
        "choice",
        "gewichtetes arithmetisches oder geometrisches Mittel",
        ("arithmetisch", "geometrisch"),
    ),
    ParamSpec(
        "Mehrjahresmittel",
        "years_average",
        "Mehrjahresmittel (Jahre)",
        "int",
        "1 = nur Datenjahr; n = die letzten n Jahre bis zum Datenjahr",
    ),
    ParamSpec(
        "Daempfung",
        "damping",
        "Dämpfung d",
        "number",
        "BF' = 1 + d·(BF − 1); 1 = keine Dämpfung, 0 = alle Faktoren 1",
    ),
    ParamSpec(
        "BF_Untergrenze",
        "factor_min",
        "Untergrenze Belastungsfaktor",
        "number",
        "leer = keine Grenze",
    ),
    ParamSpec(
        "BF_Obergrenze",
        "factor_max",
        "Obergrenze Belastungsfaktor",
        "number",
        "leer = keine Grenze",
    ),
    ParamSpec(
        "Sockelbezug",
        "base_level",
        "Sockel (M3) je",
        "choice",
        "Sockel aus Tabelle Gebiete (Sozialraum) oder SRT",
        ("Sozialraum", "SRT"),
    ),
    ParamSpec(
        "Korridor_unten",
        "corridor_down",
        "Korridor M4 nach unten",
        "percent",
        "höchstens so viel weniger als der skalierte Bestand",
    ),
    ParamSpec(
        "Korridor_oben",
        "corridor_up",
        "Korridor M4 nach oben",
        "percent",
        "höchstens so viel mehr als der skalierte Bestand",
    ),
    ParamSpec(
        "Rundungseinheit",
        "rounding_unit",
        "Rundungseinheit (€)",
        "money",
        "z. B. 0,01 (Cent), 1, 100; Gesamtbudget muss ein Vielfaches sein",
    ),
    ParamSpec(
        "Modell",
        "chosen_model",
        "Gewähltes Modell",
        "choice",
        "Grundlage für Aufteilung und Übergang",
        MODEL_CHOICES,
    ),
    ParamSpec(
        "Aufteilung",
        "split_method",
        "Aufteilung gebunden / regional 1",
        "choice",
        "einheitlich (alle SRT), je SRT oder fester Anteil",
        ("einheitlich", "je SRT", "fester Anteil"),
    ),
    ParamSpec(
        "Anteil_gebunden_fest",
        "fixed_bound_share",
        "Anteil gebunden (fest)",
        "percent",
        "nur bei Aufteilung „fester Anteil“",
    ),
    ParamSpec(
        "Uebergangsjahre",
        "transition_years",
        "Abschmelzen über N Jahre",
        "int",
        "Jahr 1 Besitzstand, danach linear bis 0; 0 = kein Übergang",
    ),
    ParamSpec(
        "Erstes_Jahr",
        "first_year",
        "Haushaltsjahr",
        "int",
        "Jahr, für das gerechnet wird; der Jahreswechsel zählt es weiter",
    ),
    ParamSpec(
        "Uebergang_ab",
        "transition_start",
        "Übergang begann im Jahr",
        "int",
        "Jahr des vollen Besitzstands; leer = dieses Haushaltsjahr (der Jahreswechsel setzt es)",
    ),
    ParamSpec(
        "Besitzstand_Finanzierung",
        "holding_funding",
        "Besitzstand bezahlt",
        "choice",
        "aus dem regionalen Budget 1 desselben Budgets, oder aus zusätzlichen Mitteln über dem "
        "Gesamtbudget (wie in Lüneburg 2026)",
        ("aus dem regionalen Budget 1", "aus zusätzlichen Mitteln"),
    ),
    ParamSpec(
        "Zusatzmittel",
        "extra_funds",
        "Zusätzliche Mittel je Jahr (€)",
        "money",
        "nur bei „aus zusätzlichen Mitteln“: Betrag über dem Gesamtbudget, aus dem der "
        "Besitzstand bezahlt wird",
    ),
    ParamSpec(
        "Zusatzmittel_Rest",
        "extra_rest",
        "Nicht benötigte zusätzliche Mittel",
        "choice",
        "was der Besitzstand nicht braucht (auch die frei werdenden Beträge): ins regionale "
        "Budget 1 der Regionen oder nicht ausgezahlt",
        ("ins regionale Budget 1", "wird nicht ausgezahlt"),
    ),
    ParamSpec(
        "Verteilschluessel",
        "region_key",
        "Verteilschlüssel der Regionen",
        "choice",
        "wie Besitzstand und frei werdende Mittel auf die Regionen verteilt werden; feste "
        "Anteile im Blatt Verteilschlüssel",
        ("anteilig regionales Budget 1", "nach Einwohnern", "feste Anteile"),
    ),
    ParamSpec(
        "Steigerung",
        "indexation",
        "Preis-/Tarifsteigerung zum Jahreswechsel",
        "percent",
        "der Jahreswechsel erhöht das Gesamtbudget des neuen Jahres um diesen Satz (und "
        "setzt ihn dann auf 0 %)",
    ),
    ParamSpec(
        "Quote_pruefen_nach",
        "review_years",
        "Quote überprüfen nach (Jahren)",
        "int",
        "festgeschriebene Quote spätestens nach so vielen Jahren neu bewerten (Standard 5)",
    ),
    ParamSpec(
        "Sensitivitaet_Ziehungen",
        "sensitivity_draws",
        "Sensitivität: Ziehungen",
        "int",
        "Monte-Carlo-Ziehungen der Gewichte; 0 = keine Sensitivitätsanalyse",
    ),
    ParamSpec(
        "Sensitivitaet_Streuung",
        "sensitivity_spread",
        "Sensitivität: Streuung der Gewichte",
        "percent",
        "jedes Gewicht wird mit einem Faktor zwischen 1−s und 1+s multipliziert",
    ),
    ParamSpec(
        "Sensitivitaet_Normierung",
        "sensitivity_vary_normalisation",
        "Sensitivität: Normierung variieren",
        "bool",
        "ja = je Ziehung eine der vier Normierungen zufällig",
        ("ja", "nein"),
    ),
    ParamSpec(
        "Sensitivitaet_Startwert",
        "sensitivity_seed",
        "Sensitivität: Zufallsstartwert",
        "int",
        "gleicher Startwert = gleiche Ziehungen (nachvollziehbar)",
    ),
    ParamSpec(
        "Behoerde",
        "authority",
        "Landkreis / Jugendamt",
        "text",
        "Kopf der Beschlussvorlage",
    ),
    ParamSpec("Vorlage_Nr", "paper_number", "Vorlage-Nr.", "text", "Kopf der Beschlussvorlage"),
    ParamSpec(
        "Gremium",
        "committee",
        "Gremium",
        "text",
        "das beschließende Gremium, z. B. Jugendhilfeausschuss",
    ),
    ParamSpec(
        "Sitzungstermin",
        "meeting_date",
        "Sitzungstermin",
        "text",
        "Datum der Sitzung, z. B. 10.12.2026",
    ),
    ParamSpec(
        "Betreff",
        "subject",
        "Betreff der Vorlage",
        "text",
        "leer = „Verteilung des Sozialraumbudgets <Haushaltsjahr>“",
    ),
    ParamSpec(
        "Vorlage_Status",
        "paper_status",
        "Status der Vorlage",
        "choice",
        "öffentlich oder nichtöffentlich",
        ("öffentlich", "nichtöffentlich"),
    ),
    ParamSpec("Vorlage_Art", "paper_kind", "Vorlage-Art", "text", "z. B. Beschlussvorlage"),
    ParamSpec(
        "Verantwortlich", "responsible", "Verantwortlich", "text", "z. B. Dezernat, Dezernent/-in"
    ),
    ParamSpec("Federfuehrend", "lead_office", "Federführend", "text", "z. B. Fachbereich Jugend"),
    ParamSpec("Bearbeitung", "clerk", "Bearbeiter/-in", "text", "Name der Sachbearbeitung"),
    ParamSpec(
        "Produkte",
        "products",
        "Produkt(e) / Haushaltsstelle",
        "text",
        "wo die Mittel im Haushalt stehen, z. B. 36.3.01 Sozialräumliche Jugendhilfe",
    ),
    ParamSpec(
        "Ansprechpartner",
        "contact",
        "Ansprechpartner für die SRT",
        "text",
        "steht in den Kostenblatt-Dateien der SRT (Name, Telefon, E-Mail)",
    ),
)
