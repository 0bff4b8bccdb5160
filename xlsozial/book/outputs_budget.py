"""Output sheets of the budget's use: Budgetmatrix, Budgetaufteilung (gebunden /
regionales Budget 1) and Übergang (Besitzstand and its phase-out)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsozial import style
from xlsozial.book import layout
from xlsozial.book.adapter import Block, ChartSpec, SheetOutput
from xlsozial.checks import TRANSITION_CHECK
from xlsozial.models import MODEL_LABELS, Inputs, ModelKey
from xlsozial.results import AreaResult, GroupResult, Results, euro


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
        formats = {1: style.PERCENT, **{2 + i: style.MONEY for i in range(len(providers) + 1)}}
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
            row=row,
            col=1,
            values=ratio_rows,
            formats={2 + i: style.PERCENT for i in range(len(providers))},
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
    money = style.money_format(res.unit)
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
        formats={2: style.PERCENT, 3: money, 4: money, 5: money},
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
    money = style.money_format(res.unit)
    regions = [g.name for g in res.regions]
    if not res.transition:
        failed = next((c.detail for c in res.checks if c.name == TRANSITION_CHECK and not c.ok), "")
        par = inputs.parameters
        done = (
            f"Der Übergang ab {par.transition_start} ist abgeschlossen: {par.first_year} wird "
            "kein Besitzstand mehr gezahlt."
            if par.transition_start and not failed
            else "Kein Übergangsplan berechenbar."
        )
        return SheetOutput(
            sheet=layout.UEBERGANG,
            title="Übergang: Besitzstand und Abschmelzen",
            subtitle=("Kein Übergangsplan: " + failed) if failed else done,
            blocks=[Block(row=4, col=1, values=[[done]])],
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
    return SheetOutput(
        sheet=layout.UEBERGANG,
        title="Übergang: Besitzstand im ersten Jahr, Abschmelzen, Rückfluss in regionales Budget 1",
        subtitle=f"Abschmelzen über {inputs.parameters.transition_years} Jahre; Verluste gegenüber "
        "dem auf das Gesamtbudget skalierten Vorjahr.",
        blocks=[b1, _compensation_block(res, money, 4 + len(rows) + 2)],
    )


def _compensation_block(res: Results, money: str, row: int) -> Block:
    """Per Sozialraum: budget, scaled previous year, loss and the yearly compensation."""
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
    return Block(
        row=row,
        col=1,
        values=rows2,
        formats={c: money for c in range(1, len(head2))},
        bold_rows={len(rows2) - 1},
    )
