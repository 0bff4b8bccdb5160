"""Output sheet Modellvergleich: the four models against the previous year, per
Sozialraum, SRT and region, with a chart."""

from __future__ import annotations

from typing import Any

from xlsozial import style
from xlsozial.book import layout
from xlsozial.book.adapter import Block, ChartSpec, SheetOutput
from xlsozial.german import change_ratio, verdict
from xlsozial.german import money as eur
from xlsozial.models import MODEL_LABELS, Inputs, ModelKey
from xlsozial.results import AreaResult, GroupResult, Results, euro


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


def _formats(money: str, lead: int) -> dict[int, str]:
    f = {lead + 1 + i: money for i in range(5)}
    delta_money = f"+{money};[Red]-{money};{money}"
    for i in range(4):
        f[lead + 6 + 2 * i] = delta_money
        f[lead + 7 + 2 * i] = style.DELTA_PERCENT
    return f


def _totals(items: list[AreaResult] | list[GroupResult], lead: int) -> list[Any]:
    prev = sum(a.previous for a in items)
    alloc = {m: sum(a.allocation[m] for a in items) for m in ModelKey}
    deltas: list[Any] = []
    for m in ModelKey:
        deltas += [euro(alloc[m] - prev), change_ratio(alloc[m], prev)]
    return ["Summe", *[""] * lead, euro(prev), *[euro(alloc[m]) for m in ModelKey], *deltas, ""]


def _group_block(res: Results, label: str, groups: list[GroupResult], row: int) -> Block:
    rows = _comparison_rows(
        label, [""], [([g.name, ""], g.previous, g.allocation) for g in groups], res.chosen_model
    )
    rows.append(_totals(groups, 1))
    money = style.money_format(res.unit)
    return Block(row=row, col=1, values=rows, formats=_formats(money, 1), bold_rows={len(rows) - 1})


def comparison_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = style.money_format(res.unit)
    chosen = res.chosen_model
    area_rows = _comparison_rows(
        "Sozialraum",
        ["Region", "SRT"],
        [([a.name, a.region, a.provider], a.previous, a.allocation) for a in res.areas],
        chosen,
    )
    area_rows.append(_totals(res.areas, 2))
    blocks = []
    b = Block(
        row=4,
        col=1,
        values=area_rows,
        formats=_formats(money, 2),
        bold_rows={len(area_rows) - 1},
        widths={0: 22, 1: 16, 2: 11},
    )
    blocks.append(b)

    row = 4 + len(area_rows) + 2
    blocks.append(_group_block(res, "SRT", res.providers, row))
    row += len(res.providers) + 4
    blocks.append(_group_block(res, "Region", res.regions, row))
    chart_row = row + len(res.regions) + 4
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
