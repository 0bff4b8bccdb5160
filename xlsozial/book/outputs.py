"""Results → output sheets as plain values (no formulas), built once for every adapter.

Values, not formulas: a copy opened without Python, or in LibreOffice, shows every result.
Money is written in euros rounded to the cent, so Excel's sums match the exact totals.
"""

from __future__ import annotations

from typing import Any

from xlsozial.book import layout, style
from xlsozial.book.adapter import Block, SheetOutput
from xlsozial.book.outputs_budget import matrix_sheet, split_sheet, transition_sheet
from xlsozial.book.outputs_comparison import comparison_sheet
from xlsozial.book.outputs_diagnosis import diagnosis_sheet
from xlsozial.book.outputs_map import map_sheet
from xlsozial.book.outputs_variants import variants_sheet
from xlsozial.book.outputs_years import history_sheet, quota_sheet, region_sheet
from xlsozial.book.paragraphs import lines
from xlsozial.domain.geo import Boundaries, tiles
from xlsozial.domain.german import flexible
from xlsozial.domain.models import Inputs
from xlsozial.domain.results import Results, euro
from xlsozial.evaluation.what_if import justification, m2_by_method, weight_band


def burden_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    """Indicators, rates, relative values and the factor as three blocks one below the
    other, each narrow enough to print on one page width (side by side they took three)."""
    info = Block(
        row=4,
        col=1,
        values=[["Indikator", "Kürzel", "Gewicht", "Richtung", "Jahre", "Kreiswert", "Quelle"]]
        + [
            [
                i.label,
                i.key,
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
        widths={0: 44, **{c: 12 for c in range(1, 10)}},
    )
    keys = [i.key for i in res.indicators]
    rates: list[list[Any]] = [["Sozialraum: Rate", *keys]]
    relative: list[list[Any]] = [
        ["Sozialraum: Relativwert", *keys, "Belastungsfaktor (roh)", "Belastungsfaktor"]
    ]
    for a in res.areas:
        rates.append([a.name, *[a.rates[k] for k in keys]])
        relative.append([a.name, *[a.relative[k] for k in keys], a.factor_raw, a.factor])
    n = len(keys)
    second = 4 + len(info.values) + 1
    third = second + len(rates) + 1
    blocks = [
        info,
        Block(row=second, col=1, values=rates, formats={1 + k: style.RATE for k in range(n)}),
        Block(
            row=third,
            col=1,
            values=relative,
            formats={1 + k: style.FACTOR for k in range(n + 2)},
            bold_rows=set(),
        ),
    ]
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
        blocks=blocks,
    )


def sensitivity_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    """As Anlage 5 of the Vorlage, in the same words: the band from random weights (the
    method as chosen) and, apart, M2 under each way of comparing with the district; each
    table under the text that explains it, so a page never holds the words alone."""
    par = inputs.parameters
    money = style.MONEY_WHOLE
    by_method = m2_by_method(inputs, res)
    methods = list(by_method)
    band = weight_band(inputs, res)
    blocks: list[Block] = []
    row = 4
    if band:
        spread = flexible(par.sensitivity_spread * 100)
        row = lines(
            blocks,
            row,
            f"Gewichte: jedes Gewicht zufällig bis zu {spread} % höher oder niedriger "
            f"({par.sensitivity_draws} Versuche); in neun von zehn Fällen liegt M2 zwischen "
            "„niedrig“ und „hoch“.",
        )
        rows: list[list[Any]] = [["Sozialraum", "niedrig (€)", "mittel (€)", "hoch (€)"]]
        rows += [[s.name, s.p5, s.p50, s.p95] for s in band]
        blocks.append(Block(row=row, col=1, values=rows, formats={1: money, 2: money, 3: money}))
        row += len(rows) + 1
    row = lines(blocks, row, justification(par.normalisation, by_method))
    table: list[list[Any]] = [["Sozialraum: M2 je Verfahren", *[m.value for m in methods]]]
    table += [[a.name, *[euro(by_method[m][a.name]) for m in methods]] for a in res.areas]
    table.append(["Summe", *[euro(sum(by_method[m].values())) for m in methods]])
    blocks.append(
        Block(
            row=row,
            col=1,
            values=table,
            formats={1 + i: money for i in range(len(methods))},
            bold_rows={len(table) - 1},
            widths={0: 26, **{1 + i: 20 for i in range(len(methods))}},
        )
    )
    return SheetOutput(
        sheet=layout.SENSITIVITAET,
        title="Sensitivität: Wie sicher ist die Verteilung?",
        subtitle="Gewichte und Rechenweg getrennt, wie in Anlage 5 der Beschlussvorlage.",
        blocks=blocks,
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


def all_outputs(
    inputs: Inputs, res: Results, shapes: Boundaries | None = None
) -> list[SheetOutput]:
    """Every output sheet; ``shapes``: the boundaries for Blatt Karte (else schematic tiles)."""
    shapes = shapes or tiles([(a.name, a.region) for a in res.areas])

    return [
        burden_sheet(inputs, res),
        quota_sheet(inputs, res),
        diagnosis_sheet(res),
        comparison_sheet(inputs, res),
        variants_sheet(res),
        matrix_sheet(inputs, res),
        split_sheet(inputs, res),
        transition_sheet(inputs, res),
        sensitivity_sheet(inputs, res),
        region_sheet(inputs, res),
        history_sheet(inputs, res),
        map_sheet(res, shapes, inputs.parameters.first_year),
        checks_sheet(res),
    ]
