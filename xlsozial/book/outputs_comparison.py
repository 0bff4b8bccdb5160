"""Output sheet Modellvergleich: the four models against the previous year, per
Sozialraum, SRT and region, with a chart.

Each level has three blocks one below the other – the amounts, the changes in €, the
changes in % – so every block prints within one page width (side by side they ran over
three pages, the title cut on the continued ones). Vorjahr and „tatsächlich“ are what was
actually paid (model with Besitzstand and its funding): the verdict compares paid with
paid, the same basis in both years.
"""

from __future__ import annotations

from typing import Any

from xlsozial.book import layout, style
from xlsozial.book.adapter import Block, ChartSpec, SheetOutput
from xlsozial.domain.german import change_ratio, verdict
from xlsozial.domain.german import money as eur
from xlsozial.domain.models import MODEL_LABELS, Inputs, ModelKey
from xlsozial.domain.results import AreaResult, GroupResult, Results, euro
from xlsozial.domain.transition_text import paid_means

Item = AreaResult | GroupResult


def _amount_block(
    row: int, label: str, items: list[tuple[str, Item]], year: int, money: str
) -> Block:
    head = [
        label,
        f"Vorjahr {year - 1} (€)",
        *[f"{MODEL_LABELS[m]} (€)" for m in ModelKey],
        f"tatsächlich {year} (€)",
    ]
    rows: list[list[Any]] = [head]
    for name, item in [*items, ("Summe", _total(items))]:
        rows.append(
            [
                name,
                euro(item.previous),
                *[euro(item.allocation[m]) for m in ModelKey],
                euro(item.paid),
            ]
        )
    return Block(
        row=row,
        col=1,
        values=rows,
        formats={1 + i: money for i in range(6)},
        bold_rows={len(rows) - 1},
        widths=WIDTHS,
    )


def _change_blocks(
    row: int, label: str, items: list[tuple[str, Item]], money: str
) -> tuple[Block, Block]:
    """Δ in € with the word for the actual change, and Δ in %, for M1–M4 and tatsächlich."""
    euros: list[list[Any]] = [
        [
            f"{label}: Veränderung (€)",
            *[f"Δ {m.value} (€)" for m in ModelKey],
            "Δ tatsächlich (€)",
            "Bewertung (tatsächlich)",
        ]
    ]
    ratios: list[list[Any]] = [
        [f"{label}: Veränderung (%)", *[f"Δ {m.value} (%)" for m in ModelKey], "Δ tatsächlich (%)"]
    ]
    for name, item in [*items, ("Summe", _total(items))]:
        amounts = [*(item.allocation[m] for m in ModelKey), item.paid]
        word = verdict(item.paid - item.previous) if name != "Summe" else ""
        euros.append([name, *[euro(a - item.previous) for a in amounts], word])
        ratios.append([name, *[change_ratio(a, item.previous) for a in amounts]])
    delta_money = f"+{money};[Red]-{money};{money}"
    first = Block(
        row=row,
        col=1,
        values=euros,
        formats={1 + i: delta_money for i in range(5)},
        bold_rows={len(euros) - 1},
        widths=WIDTHS,
    )
    second = Block(
        row=row + len(euros) + 1,
        col=1,
        values=ratios,
        formats={1 + i: style.DELTA_PERCENT for i in range(5)},
        bold_rows={len(ratios) - 1},
        widths=WIDTHS,
    )
    return first, second


WIDTHS: dict[int, float] = {0: 24, **{c: 17.0 for c in range(1, 7)}}


def _total(items: list[tuple[str, Item]]) -> GroupResult:
    return GroupResult.of("Summe", [item for _, item in items])


def comparison_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = style.money_format(res.unit)
    chosen = res.chosen_model
    year = inputs.parameters.first_year
    levels: list[tuple[str, list[tuple[str, Item]]]] = [
        ("Sozialraum", [(a.name, a) for a in res.areas]),
        ("SRT", [(g.name, g) for g in res.providers]),
        ("Region", [(g.name, g) for g in res.regions]),
    ]
    blocks: list[Block] = []
    row = 4
    for label, items in levels:
        amounts = _amount_block(row, label, items, year, money)
        euros, ratios = _change_blocks(row + len(amounts.values) + 1, label, items, money)
        blocks += [amounts, euros, ratios]
        row = ratios.row + len(ratios.values) + 2
    chart = ChartSpec(
        title="Modellvergleich je Sozialraum (€)",
        block_index=0,
        category_col=0,
        series_cols=(1, 2, 3, 4, 5),
        first_data_row=1,
        last_data_row=len(res.areas),
        anchor=f"A{row}",  # after all tables: they print first
    )
    winners = sum(1 for a in res.areas if a.paid > a.previous)
    losers = sum(1 for a in res.areas if a.paid < a.previous)
    return SheetOutput(
        sheet=layout.MODELLVERGLEICH,
        title="Modellvergleich: vier Finanzierungsmodelle und Vorjahr",
        subtitle=f"Gesamtbudget {eur(res.budget)}, {MODEL_LABELS[chosen]}. „tatsächlich“ {year}: "
        f"{paid_means(inputs, res)}; gegenüber {year - 1} {winners} Gewinner, {losers} Verlierer.",
        blocks=blocks,
        charts=[chart],
        freeze="B3",
    )
