"""Results → output sheets as plain values (no formulas), built once for every adapter.

Values, not formulas: a copy opened without Python, or in LibreOffice, shows every result.
Money is written in euros rounded to the cent, so Excel's sums match the exact totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsozial import style
from xlsozial.book import layout
from xlsozial.book.adapter import Block, ChartSpec, SheetOutput
from xlsozial.german import change_ratio, flexible, verdict
from xlsozial.german import money as eur
from xlsozial.models import MODEL_LABELS, Inputs, ModelKey
from xlsozial.results import AreaResult, GroupResult, Results, euro

PCT = style.PERCENT
FACTOR = style.FACTOR
RATE = "0.0000"
INT = style.INTEGER
GREEN, RED, YELLOW = style.GREEN, style.RED, style.YELLOW
DELTA_PCT = style.DELTA_PERCENT
money_format = style.money_format


def burden_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    info = Block(
        row=4,
        col=1,
        values=[["Kürzel", "Bezeichnung", "Gewicht", "Richtung", "Jahre", "Kreiswert", "Quelle"]]
        + [
            [
                i.key,
                i.label,
                i.weight,
                i.direction,
                "–".join(str(y) for y in (i.years[0], i.years[-1]))
                if len(i.years) > 1
                else str(i.years[0]),
                i.district,
                i.source,
            ]
            for i in res.indicators
        ],
        formats={2: "0.00", 5: RATE},
        widths={0: 22, 1: 40, 6: 30},
    )
    keys = [i.key for i in res.indicators]
    head = ["Sozialraum", *[f"{k} Rate" for k in keys], *[f"{k} relativ" for k in keys]]
    head += ["Belastungsfaktor (roh)", "Belastungsfaktor"]
    rows: list[list[Any]] = [head]
    for a in res.areas:
        rows.append(
            [
                a.name,
                *[a.rates[k] for k in keys],
                *[a.relative[k] for k in keys],
                a.factor_raw,
                a.factor,
            ]
        )
    n = len(keys)
    formats = {1 + k: RATE for k in range(n)}
    formats.update({1 + n + k: FACTOR for k in range(n)})
    formats.update({1 + 2 * n: FACTOR, 2 + 2 * n: FACTOR})
    table = Block(row=6 + len(res.indicators), col=1, values=rows, formats=formats)
    skipped = (
        f" Nicht berücksichtigt (Gewicht 0, unvollständig): {', '.join(res.skipped_indicators)}."
        if res.skipped_indicators
        else ""
    )
    return SheetOutput(
        sheet=layout.BELASTUNG,
        title="Belastung: Relativwerte und durchschnittlicher Belastungsfaktor",
        subtitle=f"Normierung: {inputs.parameters.normalisation.value}, Mittel: "
        f"{inputs.parameters.aggregation.value}, Dämpfung {flexible(inputs.parameters.damping)}."
        f"{skipped}",
        blocks=[info, table],
    )


def quota_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    group = inputs.parameters.age_group.value
    rows: list[list[Any]] = [
        [
            "Sozialraum",
            "Region",
            "SRT",
            f"Einwohner ({group})",
            "Belastungsfaktor",
            "Einwohner × Faktor",
            "Gesamtbudgetverteilungsquote",
        ]
    ]
    for a in res.areas:
        rows.append(
            [a.name, a.region, a.provider, a.population, a.factor, a.population * a.factor, a.quota]
        )
    rows.append(
        [
            "Summe",
            "",
            "",
            sum(a.population for a in res.areas),
            None,
            sum(a.population * a.factor for a in res.areas),
            sum(a.quota for a in res.areas),
        ]
    )
    block = Block(
        row=4,
        col=1,
        values=rows,
        formats={3: INT, 4: FACTOR, 5: style.ONE_DECIMAL, 6: PCT},
        bold_rows={len(rows) - 1},
        widths={0: 22, 1: 18, 6: 16},
    )
    return SheetOutput(
        sheet=layout.QUOTEN,
        title="Quoten: Gesamtbudgetverteilungsquote je Sozialraum",
        subtitle="Quote = Einwohner × Belastungsfaktor / Summe über alle Sozialräume.",
        blocks=[block],
    )


def _comparison_rows(
    label: str,
    lead: list[str],
    items: list[tuple[list[Any], int, dict[ModelKey, int]]],
    chosen: ModelKey,
) -> list[list[Any]]:
    head = [
        label,
        *lead,
        "Vorjahr (€)",
        *[f"{MODEL_LABELS[m]} (€)" for m in ModelKey],
        *[h for m in ModelKey for h in (f"Δ {m.value} (€)", f"Δ {m.value} (%)")],
        f"Bewertung {chosen.value}",
    ]
    rows: list[list[Any]] = [head]
    for names, previous, alloc in items:
        deltas: list[Any] = []
        for m in ModelKey:
            deltas += [euro(alloc[m] - previous), change_ratio(alloc[m], previous)]
        rows.append(
            [
                *names,
                euro(previous),
                *[euro(alloc[m]) for m in ModelKey],
                *deltas,
                verdict(alloc[chosen] - previous),
            ]
        )
    return rows


def comparison_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = money_format(res.unit)
    chosen = res.chosen_model

    def fmt(lead: int) -> dict[int, str]:
        f = {lead + 1 + i: money for i in range(5)}
        delta_money = f"+{money};[Red]-{money};{money}"
        for i in range(4):
            f[lead + 6 + 2 * i] = delta_money
            f[lead + 7 + 2 * i] = DELTA_PCT
        return f

    def totals(items: list[AreaResult] | list[GroupResult], lead: int) -> list[Any]:
        prev = sum(a.previous for a in items)
        alloc = {m: sum(a.allocation[m] for a in items) for m in ModelKey}
        deltas: list[Any] = []
        for m in ModelKey:
            deltas += [euro(alloc[m] - prev), change_ratio(alloc[m], prev)]
        return ["Summe", *[""] * lead, euro(prev), *[euro(alloc[m]) for m in ModelKey], *deltas, ""]

    area_rows = _comparison_rows(
        "Sozialraum",
        ["Region", "SRT"],
        [([a.name, a.region, a.provider], a.previous, a.allocation) for a in res.areas],
        chosen,
    )
    area_rows.append(totals(res.areas, 2))
    blocks = []
    b = Block(
        row=4,
        col=1,
        values=area_rows,
        formats=fmt(2),
        bold_rows={len(area_rows) - 1},
        widths={0: 22, 1: 16, 2: 11},
    )
    blocks.append(b)

    row = 4 + len(area_rows) + 2
    srt_rows = _comparison_rows(
        "SRT", [""], [([g.name, ""], g.previous, g.allocation) for g in res.providers], chosen
    )
    srt_rows.append(totals(res.providers, 1))
    b = Block(row=row, col=1, values=srt_rows, formats=fmt(1), bold_rows={len(srt_rows) - 1})
    blocks.append(b)

    row += len(srt_rows) + 2
    reg_rows = _comparison_rows(
        "Region", [""], [([g.name, ""], g.previous, g.allocation) for g in res.regions], chosen
    )
    reg_rows.append(totals(res.regions, 1))
    b = Block(row=row, col=1, values=reg_rows, formats=fmt(1), bold_rows={len(reg_rows) - 1})
    blocks.append(b)
    chart_row = row + len(reg_rows) + 2
    chart = ChartSpec(
        title="Modellvergleich je Sozialraum (€)",
        block_index=0,
        category_col=0,
        series_cols=(3, 4, 5, 6, 7),
        first_data_row=1,
        last_data_row=len(res.areas),
        anchor=f"A{chart_row}",
    )
    winners = sum(1 for a in res.areas if a.allocation[chosen] > a.previous)
    losers = sum(1 for a in res.areas if a.allocation[chosen] < a.previous)
    return SheetOutput(
        sheet=layout.MODELLVERGLEICH,
        title="Modellvergleich: vier Finanzierungsmodelle und Vorjahr",
        subtitle=f"Gesamtbudget {eur(res.budget)}; gewähltes Modell "
        f"{MODEL_LABELS[chosen]}: {winners} Gewinner, {losers} Verlierer gegenüber dem Vorjahr.",
        blocks=blocks,
        charts=[chart],
        freeze="B5",
    )


def matrix_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    providers = list(res.provider_names)
    blocks: list[Block] = []
    row = 4
    for title, attr in (
        ("Verwendung (€)", "amount"),
        ("davon gebundenes Budget (€)", "bound"),
        ("davon regionales Budget 1 (€)", "regional"),
    ):
        rows: list[list[Any]] = [[title, "Anteil gebunden", *providers, "Summe"]]
        for m in res.matrix:
            cells = getattr(m, attr)
            rows.append(
                [
                    m.category,
                    m.bound_share,
                    *[euro(cells[p]) for p in providers],
                    euro(sum(cells.values())),
                ]
            )
        col_totals = [sum(getattr(m, attr)[p] for m in res.matrix) for p in providers]
        rows.append(["Summe", None, *[euro(t) for t in col_totals], euro(sum(col_totals))])
        formats = {1: PCT, **{2 + i: style.MONEY for i in range(len(providers) + 1)}}
        blocks.append(
            Block(
                row=row,
                col=1,
                values=rows,
                formats=formats,
                bold_rows={len(rows) - 1},
                widths={0: 30, 1: 16},
            )
        )
        row += len(rows) + 2
    ratio_rows: list[list[Any]] = [
        ["Anteil gebunden je SRT", "", *providers],
        ["historisch (Matrix)", "", *[_ratio(res, p) for p in providers]],
        ["verwendet für die Aufteilung", "", *[res.bound_ratio[p] for p in providers]],
    ]
    blocks.append(
        Block(
            row=row, col=1, values=ratio_rows, formats={2 + i: PCT for i in range(len(providers))}
        )
    )
    return SheetOutput(
        sheet=layout.MATRIX,
        title="Budgetverwendungsmatrix: Kategorie × SRT",
        subtitle="Aus den Kostenblättern der SRT; Zuordnung der Kategorien laut Blatt Zuordnung.",
        blocks=blocks,
    )


def _ratio(res: Results, provider: str) -> float | None:
    amount = sum(m.amount[provider] for m in res.matrix)
    bound = sum(m.bound[provider] for m in res.matrix)
    return bound / amount if amount else None


def _split_rows(
    head: list[str],
    lead: list[list[Any]],
    members: Sequence[AreaResult | GroupResult],
    chosen: ModelKey,
    total: bool,
) -> list[list[Any]]:
    """Header, one row per member (its lead cells + budget, gebunden, regional 1), a sum."""
    rows: list[list[Any]] = [
        [*head, f"Budget {chosen.value} (€)", "gebunden (€)", "regionales Budget 1 (€)"]
    ]
    for cells, m in zip(lead, members):
        rows.append([*cells, euro(m.allocation[chosen]), euro(m.bound), euro(m.regional)])
    if total:
        blanks: list[Any] = [""] * (len(head) - 2) + [None]
        rows.append(
            [
                "Summe",
                *blanks,
                euro(sum(m.allocation[chosen] for m in members)),
                euro(sum(m.bound for m in members)),
                euro(sum(m.regional for m in members)),
            ]
        )
    return rows


def split_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = money_format(res.unit)
    chosen = res.chosen_model
    srt_rows = _split_rows(
        ["SRT", "Name", "Anteil gebunden"],
        [
            [g.name, res.provider_names.get(g.name, ""), res.bound_ratio[g.name]]
            for g in res.providers
        ],
        res.providers,
        chosen,
        total=True,
    )
    b1 = Block(
        row=4,
        col=1,
        values=srt_rows,
        formats={2: PCT, 3: money, 4: money, 5: money},
        bold_rows={len(srt_rows) - 1},
        widths={0: 22, 1: 44, 2: 16, 3: 18, 4: 16, 5: 22},
    )
    row = 4 + len(srt_rows) + 2
    reg_rows = _split_rows(
        ["Region", "", ""], [[g.name, "", None] for g in res.regions], res.regions, chosen, True
    )
    b2 = Block(
        row=row,
        col=1,
        values=reg_rows,
        formats={3: money, 4: money, 5: money},
        bold_rows={len(reg_rows) - 1},
    )
    row += len(reg_rows) + 2
    area_rows = _split_rows(
        ["Sozialraum", "SRT", "Region"],
        [[a.name, a.provider, a.region] for a in res.areas],
        res.areas,
        chosen,
        total=False,
    )
    b3 = Block(row=row, col=1, values=area_rows, formats={3: money, 4: money, 5: money})
    chart_row = row + len(area_rows) + 2
    chart = ChartSpec(
        title="Aufteilung je SRT: gebunden und regionales Budget 1 (€)",
        block_index=0,
        category_col=0,
        series_cols=(4, 5),
        first_data_row=1,
        last_data_row=len(res.providers),
        anchor=f"A{chart_row}",
        stacked=True,
    )
    return SheetOutput(
        sheet=layout.BUDGETAUFTEILUNG,
        title="Budgetaufteilung: gebundenes Budget und regionales Budget 1",
        subtitle=f"Grundlage: {MODEL_LABELS[chosen]}; Verfahren: "
        f"{inputs.parameters.split_method.value}.",
        blocks=[b1, b2, b3],
        charts=[chart],
    )


def transition_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = money_format(res.unit)
    regions = [g.name for g in res.regions]
    if not res.transition:
        failed = next((c.detail for c in res.checks if c.name == "Übergang finanzierbar"), "")
        return SheetOutput(
            sheet=layout.UEBERGANG,
            title="Übergang: Besitzstand und Abschmelzen",
            subtitle="Kein Übergangsplan: " + (failed or "keine Jahre"),
            blocks=[Block(row=4, col=1, values=[["Kein Übergangsplan berechenbar."]])],
        )
    head = [
        "Jahr",
        "Ausgleich in %",
        "gebunden (€)",
        "Ausgleich (€)",
        "frei werdend (€)",
        "regionales Budget 1 (€)",
        *[f"reg. Budget 1 {r} (€)" for r in regions],
        "Summe (€)",
    ]
    rows: list[list[Any]] = [head]
    for t in res.transition:
        rows.append(
            [
                t.year,
                t.factor,
                euro(t.bound_total),
                euro(t.compensation_total),
                euro(t.freed),
                euro(t.regional_total),
                *[euro(t.regional[r]) for r in regions],
                euro(t.bound_total + t.compensation_total + t.regional_total),
            ]
        )
    formats = {1: "0%", **{c: money for c in range(2, len(head))}}
    b1 = Block(row=4, col=1, values=rows, formats=formats, widths={0: 22, 1: 14})
    years = [t.year for t in res.transition]
    head2 = [
        "Sozialraum",
        f"Budget {res.chosen_model.value} (€)",
        "Vorjahr skaliert (€)",
        "Verlust (€)",
        *[f"Ausgleich {y} (€)" for y in years],
    ]
    rows2: list[list[Any]] = [head2]
    for a in res.areas:
        alloc = a.allocation[res.chosen_model]
        rows2.append(
            [
                a.name,
                euro(alloc),
                euro(a.reference),
                euro(max(0, a.reference - alloc)),
                *[euro(t.compensation[a.name]) for t in res.transition],
            ]
        )
    rows2.append(
        [
            "Summe",
            euro(res.budget),
            euro(sum(a.reference for a in res.areas)),
            euro(sum(max(0, a.reference - a.allocation[res.chosen_model]) for a in res.areas)),
            *[euro(t.compensation_total) for t in res.transition],
        ]
    )
    b2 = Block(
        row=4 + len(rows) + 2,
        col=1,
        values=rows2,
        formats={c: money for c in range(1, len(head2))},
        bold_rows={len(rows2) - 1},
    )
    return SheetOutput(
        sheet=layout.UEBERGANG,
        title="Übergang: Besitzstand im ersten Jahr, Abschmelzen, Rückfluss in regionales Budget 1",
        subtitle=f"Abschmelzen über {inputs.parameters.transition_years} Jahre; Verluste gegenüber "
        "dem auf das Gesamtbudget skalierten Vorjahr.",
        blocks=[b1, b2],
    )


def sensitivity_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = style.MONEY_WHOLE
    if not res.sensitivity:
        return SheetOutput(
            sheet=layout.SENSITIVITAET,
            title="Sensitivität der Verteilung gegenüber den Gewichten",
            subtitle="Keine Sensitivitätsanalyse (Parameter „Sensitivität: Ziehungen“ = 0).",
            blocks=[Block(row=4, col=1, values=[["Keine Ziehungen."]])],
        )
    rows: list[list[Any]] = [
        [
            "Sozialraum",
            "M2 Belastungsquote (€)",
            "5. Perzentil (€)",
            "Median (€)",
            "95. Perzentil (€)",
            "Spannweite 5–95 (€)",
            "Spannweite in % von M2",
        ]
    ]
    by_name = {a.name: a for a in res.areas}
    for s in res.sensitivity:
        m2 = euro(by_name[s.name].allocation[ModelKey.M2])
        rows.append(
            [s.name, m2, s.p5, s.p50, s.p95, s.p95 - s.p5, (s.p95 - s.p5) / m2 if m2 else None]
        )
    block = Block(
        row=4,
        col=1,
        values=rows,
        formats={1: money, 2: money, 3: money, 4: money, 5: money, 6: PCT},
        widths={0: 22, 6: 18},
    )
    return SheetOutput(
        sheet=layout.SENSITIVITAET,
        title="Sensitivität der Verteilung gegenüber den Gewichten (Monte Carlo)",
        subtitle=res.sensitivity_info + ". Beträge ungerundet, Modell M2.",
        blocks=[block],
    )


def checks_sheet(res: Results) -> SheetOutput:
    rows: list[list[Any]] = [["Prüfung", "Ergebnis", "Details"]]
    fills: dict[tuple[int, int], str] = {}
    for i, c in enumerate(res.checks, start=1):
        verdict = "FEHLER" if not c.ok else "HINWEIS" if c.warning else "OK"
        rows.append([c.name, verdict, c.detail])
        fills[(i, 1)] = RED if not c.ok else YELLOW if c.warning else GREEN
    return SheetOutput(
        sheet=layout.PRUEFUNGEN,
        title="Prüfungen",
        subtitle="Alle Prüfungen bestanden." if res.ok else "Mindestens eine Prüfung ist rot.",
        blocks=[Block(row=4, col=1, values=rows, fills=fills, widths={0: 50, 1: 12, 2: 80})],
    )


def problems_sheet(problems: list[tuple[str, str]]) -> SheetOutput:
    """Prüfungen sheet listing input problems (live Excel; headless leaves the file alone)."""
    rows: list[list[Any]] = [["Ort", "Problem"], *[[w, m] for w, m in problems]]
    fills = {(i, 0): RED for i in range(1, len(rows))}
    return SheetOutput(
        sheet=layout.PRUEFUNGEN,
        title="Prüfungen",
        subtitle=f"{len(problems)} Problem(e) in den Eingaben – es wurde nichts berechnet.",
        blocks=[Block(row=4, col=1, values=rows, fills=fills, widths={0: 30, 1: 100})],
    )


def all_outputs(inputs: Inputs, res: Results) -> list[SheetOutput]:
    return [
        burden_sheet(inputs, res),
        quota_sheet(inputs, res),
        comparison_sheet(inputs, res),
        matrix_sheet(inputs, res),
        split_sheet(inputs, res),
        transition_sheet(inputs, res),
        sensitivity_sheet(inputs, res),
        checks_sheet(res),
    ]
