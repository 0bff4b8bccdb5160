"""Results → output sheets as plain values (no formulas), built once for every adapter.

Values, not formulas: a copy opened without Python, or in LibreOffice, shows every result.
Money is written in euros rounded to the cent, so Excel's sums match the exact totals.
"""

from __future__ import annotations

from typing import Any

from xlsozial import style
from xlsozial.book import layout
from xlsozial.book.adapter import Block, SheetOutput
from xlsozial.book.outputs_budget import matrix_sheet, split_sheet, transition_sheet
from xlsozial.book.outputs_comparison import comparison_sheet
from xlsozial.book.outputs_years import history_sheet, quota_sheet, region_sheet
from xlsozial.german import flexible
from xlsozial.models import Inputs, ModelKey
from xlsozial.results import Results, euro


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
        formats={2: "0.00", 5: style.RATE},
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
    formats = {1 + k: style.RATE for k in range(n)}
    formats.update({1 + n + k: style.FACTOR for k in range(n)})
    formats.update({1 + 2 * n: style.FACTOR, 2 + 2 * n: style.FACTOR})
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
        formats={1: money, 2: money, 3: money, 4: money, 5: money, 6: style.PERCENT},
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
        fills[(i, 1)] = style.RED if not c.ok else style.YELLOW if c.warning else style.GREEN
    return SheetOutput(
        sheet=layout.PRUEFUNGEN,
        title="Prüfungen",
        subtitle="Alle Prüfungen bestanden." if res.ok else "Mindestens eine Prüfung ist rot.",
        blocks=[Block(row=4, col=1, values=rows, fills=fills, widths={0: 50, 1: 12, 2: 80})],
    )


def problems_sheet(problems: list[tuple[str, str]]) -> SheetOutput:
    """Prüfungen sheet listing input problems (live Excel; headless leaves the file alone)."""
    rows: list[list[Any]] = [["Ort", "Problem"], *[[w, m] for w, m in problems]]
    fills = {(i, 0): style.RED for i in range(1, len(rows))}
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
        region_sheet(inputs, res),
        history_sheet(inputs, res),
        checks_sheet(res),
    ]
