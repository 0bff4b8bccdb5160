"""The Anlagen of the Beschlussvorlage: each one a self-contained document the clerk uploads
as its own file, titled as the Anlagen list names it."""

from __future__ import annotations

from xlsozial.documents.charts import models_figure
from xlsozial.documents.map import annex_map
from xlsozial.documents.paper import (
    Annex,
    Block,
    Figure,
    Heading,
    Table,
    Text,
    eur,
    rounding_note,
)
from xlsozial.documents.regions import annex_regions
from xlsozial.documents.sensitivity import annex_sensitivity
from xlsozial.documents.variants import annex_variants
from xlsozial.domain.geo import Boundaries, tiles
from xlsozial.domain.german import number as de
from xlsozial.domain.german import year_count
from xlsozial.domain.models import MODEL_LABELS, Inputs, ModelKey
from xlsozial.domain.results import Check, GroupResult, Results
from xlsozial.domain.transition_text import funding_words, pays_besitzstand
from xlsozial.evaluation.checks import NEW_QUOTA_PROPOSED, red_for_the_paper


def annexes(inputs: Inputs, res: Results, shapes: Boundaries | None = None) -> list[Annex]:
    """``shapes``: the boundaries for the map (Anlage 8); the schematic tile map without."""
    shapes = shapes or tiles([(a.name, a.region) for a in res.areas])
    return [
        Annex("1", "Belastungsfaktor und Verteilungsquote je Sozialraum", _quota(inputs, res)),
        Annex("2", "Die vier Modelle im Vergleich", _models(inputs, res)),
        Annex("3", "Gebundenes Budget und regionales Budget 1", _split(inputs, res)),
        Annex("4", "Belastungsindikatoren", _indicators(res)),
        Annex("5", "Wie sicher ist die Verteilung", annex_sensitivity(inputs, res)),
        Annex("6", "Regionales Budget 1 je Region", annex_regions(inputs, res)),
        *annex_variants(res),
        annex_map(res, shapes, inputs.parameters.first_year),
        Annex("Technischer Anhang", "Rechenregeln und Prüfungen", _technical(inputs, res)),
    ]


def _quota(inputs: Inputs, res: Results) -> list[Block]:
    group = inputs.parameters.age_group.value
    decided = res.decided_quota if res.quota_decided_used else {}
    head = ["Sozialraum", "Region", f"Einwohner {group}", "Belastungsfaktor", "Quote"]
    if decided:
        head.append("Quote beschlossen")
    rows = []
    for a in res.areas:
        row = [a.name, a.region, de(a.population, 0), de(a.factor, 3), de(a.quota * 100, 2) + " %"]
        if decided:
            row.append(de(decided.get(a.name, 0.0) * 100, 2) + " %")
        rows.append(row)
    total = ["Summe", "", de(sum(a.population for a in res.areas), 0), ""]
    total.append(de(sum(a.quota for a in res.areas) * 100, 2) + " %")
    if decided:
        total.append(de(sum(decided.values()) * 100, 2) + " %")
    rows.append(total)
    text = (
        "Der Belastungsfaktor vergleicht jeden Sozialraum mit dem Kreisdurchschnitt (1,000). "
        "Quote = Einwohner × Belastungsfaktor, geteilt durch die Summe über alle Sozialräume."
    )
    if decided:
        text += " Verteilt wird nach der beschlossenen Quote; die Quote aus den aktuellen Daten "
        text += "steht zum Vergleich daneben."
    return [Text(text), Table(head, rows, frozenset(range(2, len(head))), total=True)]


def _group_rows(
    items: list[GroupResult], names: dict[str, str], total: bool = True
) -> list[list[str]]:
    rows = [
        [names.get(g.name, g.name), eur(g.previous), *[eur(g.allocation[m]) for m in ModelKey]]
        for g in items
    ]
    if total:
        rows.append(
            [
                "Summe",
                eur(sum(g.previous for g in items)),
                *[eur(sum(g.allocation[m] for g in items)) for m in ModelKey],
            ]
        )
    return rows


def _models(inputs: Inputs, res: Results) -> list[Block]:
    year = inputs.parameters.first_year
    chosen = list(ModelKey).index(res.chosen_model) + 2
    head = ["", f"tatsächlich {year - 1}", *[MODEL_LABELS[m] for m in ModelKey]]
    numeric = frozenset(range(1, 6))
    areas = [GroupResult.of(a.name, [a]) for a in res.areas]
    columns = [([a.allocation[m] for a in res.areas], res.budget) for m in ModelKey]
    svg, alt = models_figure(res, year)
    return [
        Text(
            f"Vorgeschlagen ist {MODEL_LABELS[res.chosen_model]} (hervorgehobene Spalte)."
            + (
                " Die Modelle zeigen den Betrag vor dem Besitzstand."
                if pays_besitzstand(inputs, res)
                else ""
            )
        ),
        Heading("je Sozialraum"),
        Table(
            ["Sozialraum", *head[1:]],
            _group_rows(areas, {}),
            numeric,
            total=True,
            highlight=chosen,
            note=rounding_note(columns),
        ),
        Heading("je Sozialraumträger"),
        Table(
            ["Sozialraumträger", *head[1:]],
            _group_rows(res.providers, res.provider_names),
            numeric,
            total=True,
            highlight=chosen,
        ),
        Heading("je Region"),
        Table(
            ["Region", *head[1:]],
            _group_rows(res.regions, {}),
            numeric,
            total=True,
            highlight=chosen,
        ),
        Figure(svg, alt, "Budget je Sozialraum: Vorjahr und die vier Modelle"),
    ]


def _split(inputs: Inputs, res: Results) -> list[Block]:
    def rows(items: list[GroupResult], names: dict[str, str]) -> list[list[str]]:
        out = [
            [names.get(i.name, i.name), eur(i.bound), eur(i.regional), eur(i.bound + i.regional)]
            for i in items
        ]
        bound, regional = sum(i.bound for i in items), sum(i.regional for i in items)
        return [*out, ["Summe", eur(bound), eur(regional), eur(bound + regional)]]

    head = ["gebundenes Budget", "regionales Budget 1", "zusammen"]
    numeric = frozenset({1, 2, 3})
    return [
        Text(
            "Das gebundene Budget bleibt fest beim Sozialraumträger; über das regionale "
            "Budget 1 entscheiden die Regionalgremien Projekt für Projekt. Grundlage ist "
            "die bisherige Verwendung des Budgets (Kostenaufstellungen der Träger). Die "
            f"Beträge sind die des gewählten Modells {MODEL_LABELS[res.chosen_model]}"
            + (", vor dem Besitzstand." if pays_besitzstand(inputs, res) else ".")
        ),
        Table(
            ["Sozialraumträger", *head],
            rows(res.providers, res.provider_names),
            numeric,
            total=True,
        ),
        Table(["Region", *head], rows(res.regions, {}), numeric, total=True),
    ]


def _indicators(res: Results) -> list[Block]:
    rows = [
        [
            i.label,
            de(i.weight, 1),
            i.direction,
            "–".join(map(str, (i.years[0], i.years[-1]))) if i.years else "–",
            i.source or "–",
        ]
        for i in res.indicators
    ]
    return [
        Text(
            "„Belastend“: ein höherer Wert heißt mehr Belastung; „entlastend“: weniger. Ein "
            "Gewicht 0 zeigt die Kennzahl nur an."
        ),
        Table(["Indikator", "Gewicht", "Richtung", "Datenjahre", "Quelle"], rows, frozenset({1})),
    ]


def _holding_rule(inputs: Inputs) -> str:
    """The decided transition and its funding as a rule (also in a year that pays none)."""
    par = inputs.parameters
    if not par.transition_years:
        return "Besitzstand: kein Übergang vorgesehen (Abschmelzen über 0 Jahre)."
    start = par.transition_start or par.first_year
    return (
        f"Besitzstand (Abschmelzen über {year_count(par.transition_years)}, begonnen {start}): "
        f"{funding_words(inputs)}"
    )


def _check_row(check: Check, red: bool) -> list[str]:
    """A Prüfung as the paper lists it; a red one the paper itself resolves is a Hinweis."""
    if red:
        return [check.name, "FEHLER", check.detail]
    if not check.ok:
        return [check.name, "Hinweis", f"{check.detail} – {NEW_QUOTA_PROPOSED}"]
    return [check.name, "Hinweis" if check.warning else "bestanden", check.detail]


def _technical(inputs: Inputs, res: Results) -> list[Block]:
    from xlsozial.book.writer import input_hash

    par = inputs.parameters
    rules = [
        "Rundung: Jeder Betrag wird auf volle "
        f"{eur(res.unit)} verteilt, so dass die Summe genau stimmt; was beim Runden übrig "
        "bleibt, erhalten die Sozialräume mit dem größten Rest. In dieser Vorlage sind alle "
        "Beträge kaufmännisch auf volle Euro gerundet.",
        f"Vergleich mit dem Kreis: {par.normalisation.value}; Mittelung der Kennzahlen: "
        f"{par.aggregation.value}; Dämpfung {de(par.damping, 2)}; Korridor in M4: höchstens "
        f"{de(par.corridor_down * 100, 1)} % weniger und {de(par.corridor_up * 100, 1)} % mehr "
        "als der bisherige Anteil.",
        _holding_rule(inputs),
        f"Prüfsumme der Eingaben (zum Abgleich mit der Mappe, Blatt Start): {input_hash(inputs)}",
    ]
    red = red_for_the_paper(res)
    checks = [_check_row(c, c in red) for c in res.checks]
    lead = "Die Prüfungen sind nicht alle bestanden." if red else ""
    return [
        *(Text(line, small=True) for line in rules),
        Heading("Prüfungen der Berechnung"),
        *([Text(lead)] if lead else []),
        Table(["Prüfung", "Ergebnis", "Einzelheiten"], checks),
    ]
