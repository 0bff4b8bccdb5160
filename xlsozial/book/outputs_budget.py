"""Output sheets of the budget's use: Budgetmatrix, Budgetaufteilung (gebunden /
regionales Budget 1) and Übergang (Besitzstand and its phase-out)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from xlsozial.book import layout, style
from xlsozial.book.adapter import Block, ChartSpec, SheetOutput
from xlsozial.domain.german import year_count
from xlsozial.domain.models import MODEL_LABELS, HoldingFunding, Inputs, ModelKey
from xlsozial.domain.results import AreaResult, GroupResult, Results, euro
from xlsozial.domain.transition_text import paid_means, transition_words


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
    year: int,
) -> list[list[Any]]:
    """Header, one row per member (its lead cells + budget, gebunden, regional 1 and what it
    is actually paid with the Besitzstand), a sum."""
    rows: list[list[Any]] = [
        [
            *head,
            f"Budget {chosen.value} (€)",
            "gebunden (€)",
            "regionales Budget 1 (€)",
            f"tatsächlich {year} (€)",
        ]
    ]
    for cells, m in zip(lead, members):
        rows.append(
            [*cells, euro(m.allocation[chosen]), euro(m.bound), euro(m.regional), euro(m.paid)]
        )
    blanks: list[Any] = [""] * (len(head) - 2) + [None]
    rows.append(
        [
            "Summe",
            *blanks,
            euro(sum(m.allocation[chosen] for m in members)),
            euro(sum(m.bound for m in members)),
            euro(sum(m.regional for m in members)),
            euro(sum(m.paid for m in members)),
        ]
    )
    return rows


def split_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = style.money_format(res.unit)
    chosen = res.chosen_model
    year = inputs.parameters.first_year
    formats = {3: money, 4: money, 5: money, 6: money}
    srt_rows = _split_rows(
        ["SRT", "Name", "Anteil gebunden"],
        [
            [g.name, res.provider_names.get(g.name, ""), res.bound_ratio[g.name]]
            for g in res.providers
        ],
        res.providers,
        chosen,
        year,
    )
    reg_rows = _split_rows(
        ["Region", "", ""], [[g.name, "", None] for g in res.regions], res.regions, chosen, year
    )
    area_rows = _split_rows(
        ["Sozialraum", "SRT", "Region"],
        [[a.name, a.provider, a.region] for a in res.areas],
        res.areas,
        chosen,
        year,
    )
    blocks, row = [], 4
    for rows, extra in (
        (srt_rows, {"formats": {2: style.PERCENT, **formats}, "widths": SPLIT_WIDTHS}),
        (reg_rows, {"formats": formats}),
        (area_rows, {"formats": formats}),
    ):
        blocks.append(Block(row=row, col=1, values=rows, bold_rows={len(rows) - 1}, **extra))
        row += len(rows) + 2
    chart = ChartSpec(
        title="Aufteilung je SRT: gebunden und regionales Budget 1 (€)",
        block_index=0,
        category_col=0,
        series_cols=(4, 5),
        first_data_row=1,
        last_data_row=len(res.providers),
        anchor=f"A{row}",
        stacked=True,
    )
    return SheetOutput(
        sheet=layout.BUDGETAUFTEILUNG,
        title="Budgetaufteilung: gebundenes Budget und regionales Budget 1",
        subtitle=f"Grundlage: {MODEL_LABELS[chosen]}; Verfahren: "
        f"{inputs.parameters.split_method.value}. Tatsächlich: {paid_means(inputs, res)}.",
        blocks=blocks,
        charts=[chart],
    )


SPLIT_WIDTHS = {0: 22, 1: 44, 2: 16, 3: 18, 4: 16, 5: 22, 6: 18}


def _lines(text: str) -> list[list[str]]:
    """Plain lines short enough to print within the tables' width (a long cell would widen
    the printed page and shrink everything on it)."""
    return [[line] for line in textwrap.wrap(text, 110)]


def transition_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    money = style.money_format(res.unit)
    regions = [g.name for g in res.regions]
    par = inputs.parameters
    words = _lines(transition_words(inputs, res))
    if not res.transition:
        return SheetOutput(
            sheet=layout.UEBERGANG,
            title="Übergang: Besitzstand und Abschmelzen",
            subtitle=f"Haushaltsjahr {par.first_year}: kein Besitzstand-Ausgleich.",
            blocks=[
                Block(row=4, col=1, values=words, header_rows=0),
                _compensation_block(inputs, res, money, 4 + len(words) + 1),
            ],
        )
    extra = par.holding_funding is HoldingFunding.EXTRA
    head = [
        "Jahr",
        "Ausgleich in %",
        "gebunden (€)",
        "Ausgleich (€)",
        "frei werdend (€)",
        *(["zusätzliche Mittel ausgezahlt (€)"] if extra else []),
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
                *([euro(t.extra_used)] if extra else []),
                euro(t.regional_total),
                *[euro(t.regional[r]) for r in regions],
                euro(t.bound_total + t.compensation_total + t.regional_total),
            ]
        )
    formats = {1: "0%", **{c: money for c in range(2, len(head))}}
    b1 = Block(row=4, col=1, values=rows, formats=formats, widths={0: 22, 1: 14})
    below = 4 + len(rows) + 1
    words += _lines(
        f"Frei werdend: um so viel sinkt der Ausgleich gegenüber dem Schritt des Vorjahres, "
        f"beide auf das Gesamtbudget {par.first_year} umgerechnet."
    )
    text = Block(row=below, col=1, values=words, header_rows=0)
    return SheetOutput(
        sheet=layout.UEBERGANG,
        title="Übergang: Besitzstand, Abschmelzen, Rückfluss in regionales Budget 1",
        subtitle=(
            f"Abschmelzen über {year_count(par.transition_years)}; Erläuterung unter der Tabelle."
        ),
        blocks=[b1, text, _compensation_block(inputs, res, money, below + len(words) + 1)],
    )


def _compensation_block(inputs: Inputs, res: Results, money: str, row: int) -> Block:
    """Per Sozialraum: budget, Besitzstand basis, loss, the yearly compensation and what it
    is actually paid in the budget year (tatsächlich)."""
    par = inputs.parameters
    years = [t.year for t in res.transition]
    later = bool(par.transition_start) and par.transition_start != par.first_year
    basis = "Besitzstand-Basis skaliert (€)" if later else "Vorjahr skaliert (€)"
    head2 = [
        "Sozialraum",
        f"Budget {res.chosen_model.value} (€)",
        basis,
        "Verlust (€)",
        *[f"Ausgleich {y} (€)" for y in years],
        f"tatsächlich {par.first_year} (€)",
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
                euro(a.paid),
            ]
        )
    rows2.append(
        [
            "Summe",
            euro(res.budget),
            euro(sum(a.reference for a in res.areas)),
            euro(sum(max(0, a.reference - a.allocation[res.chosen_model]) for a in res.areas)),
            *[euro(t.compensation_total) for t in res.transition],
            euro(res.paid_total),
        ]
    )
    return Block(
        row=row,
        col=1,
        values=rows2,
        formats={c: money for c in range(1, len(head2))},
        bold_rows={len(rows2) - 1},
    )
