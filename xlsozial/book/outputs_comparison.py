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
    items: list[tuple[list[Any], AreaResult | GroupResult]],
    year: int,
) -> list[list[Any]]:
    """Vorjahr (what was actually paid), the four models, what is actually paid this year
    (chosen model with Besitzstand), the changes, and a word for the actual change: the
    verdict compares paid with paid, the same basis in both years."""
    head = [
        label,
        *lead,
        f"Vorjahr {year - 1} (€)",
        *[f"{MODEL_LABELS[m]} (€)" for m in ModelKey],
        f"tatsächlich {year} (€)",
        *[h for m in ModelKey for h in (f"Δ {m.value} (€)", f"Δ {m.value} (%)")],
        "Δ tatsächlich (€)",
        "Δ tatsächlich (%)",
        "Bewertung (tatsächlich)",
    ]
    rows: list[list[Any]] = [head]
    for names, item in items:
        rows.append([*names, *_money_cells(item), verdict(item.paid - item.previous)])
    return rows


def _money_cells(item: AreaResult | GroupResult) -> list[Any]:
    previous, alloc, paid = item.previous, item.allocation, item.paid
    deltas: list[Any] = []
    for amount in [*(alloc[m] for m in ModelKey), paid]:
        deltas += [euro(amount - previous), change_ratio(amount, previous)]
    return [euro(previous), *[euro(alloc[m]) for m in ModelKey], euro(paid), *deltas]


def _formats(money: str, lead: int) -> dict[int, str]:
    f = {lead + 1 + i: money for i in range(6)}
    delta_money = f"+{money};[Red]-{money};{money}"
    for i in range(5):
        f[lead + 7 + 2 * i] = delta_money
        f[lead + 8 + 2 * i] = style.DELTA_PERCENT
    return f


def _totals(items: list[AreaResult] | list[GroupResult], lead: int) -> list[Any]:
    total = GroupResult(
        name="Summe",
        population=sum(a.population for a in items),
        previous=sum(a.previous for a in items),
        allocation={m: sum(a.allocation[m] for a in items) for m in ModelKey},
        bound=sum(a.bound for a in items),
        regional=sum(a.regional for a in items),
        paid=sum(a.paid for a in items),
    )
    return ["Summe", *[""] * lead, *_money_cells(total), ""]


def _group_block(res: Results, label: str, groups: list[GroupResult], row: int, year: int) -> Block:
    rows = _comparison_rows(label, [""], [([g.name, ""], g) for g in groups], year)
    rows.append(_totals(groups, 1))
    money = style.money_format(res.unit)
    return Block(row=row, col=1, values=rows, formats=_formats(money, 1), bold_rows={len(rows) - 1})


def comparison_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = style.money_format(res.unit)
    chosen = res.chosen_model
    year = inputs.parameters.first_year
    area_rows = _comparison_rows(
        "Sozialraum",
        ["Region", "SRT"],
        [([a.name, a.region, a.provider], a) for a in res.areas],
        year,
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
    blocks.append(_group_block(res, "SRT", res.providers, row, year))
    row += len(res.providers) + 4
    blocks.append(_group_block(res, "Region", res.regions, row, year))
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
    winners = sum(1 for a in res.areas if a.paid > a.previous)
    losers = sum(1 for a in res.areas if a.paid < a.previous)
    return SheetOutput(
        sheet=layout.MODELLVERGLEICH,
        title="Modellvergleich: vier Finanzierungsmodelle und Vorjahr",
        subtitle=f"Gesamtbudget {eur(res.budget)}, {MODEL_LABELS[chosen]}. Vorjahr und "
        f"„tatsächlich“: gezahlt mit Besitzstand. {year} gegenüber {year - 1}: {winners} "
        f"Gewinner, {losers} Verlierer.",
        blocks=blocks,
        charts=[chart],
        freeze="B5",
    )
