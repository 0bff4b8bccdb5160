"""The Variantenvergleich sheet: the decided setting and each variant side by side.

Money in euros per Sozialraum, SRT and region as the chosen model of each gives it (a
variant may choose another model), with the difference to the decided setting; first the
variants in one line each, with how many Sozialräume gain and lose; then the quota.
"""

from __future__ import annotations

from typing import Any

from xlsozial.book import layout, layout_variants, style
from xlsozial.book.adapter import Block, SheetOutput
from xlsozial.book.paragraphs import lines
from xlsozial.domain.models import MODEL_LABELS
from xlsozial.domain.results import Results, VariantResult, euro

DELTA_MONEY = '+#,##0 "€";-#,##0 "€";0 "€"'


def _overview(res: Results) -> list[str]:
    """One paragraph per variant: what it is, what it changes, who gains and who loses."""
    base = {a.name: a.allocation[res.chosen_model] for a in res.areas}
    said = []
    for v in res.variants:
        gain = sum(1 for k, x in v.amounts.items() if x > base[k])
        loss = sum(1 for k, x in v.amounts.items() if x < base[k])
        settings = "; ".join(layout_variants.describe(k, x) for k, x in v.settings)
        head = f"„{v.name}“" + (f" – {v.description}" if v.description else "")
        said.append(
            f"{head}. Geändert: {settings}. Modell {MODEL_LABELS[v.chosen_model]}; "
            f"{gain} Sozialräume erhalten mehr, {loss} weniger als beim Beschluss."
        )
    return said


def _money(title: str, base: dict[str, int], variants: list[VariantResult], pick: str) -> Block:
    head: list[Any] = [title, "Beschluss (€)"]
    for v in variants:
        head += [f"{v.name} (€)", "Δ (€)"]
    rows: list[list[Any]] = [head]
    totals = [sum(base.values())] + [sum(getattr(v, pick).values()) for v in variants]
    for name, amount in base.items():
        row: list[Any] = [name, euro(amount)]
        for v in variants:
            other = getattr(v, pick)[name]
            row += [euro(other), euro(other - amount)]
        rows.append(row)
    total_row: list[Any] = ["Summe", euro(totals[0])]
    for t in totals[1:]:
        total_row += [euro(t), euro(t - totals[0])]
    rows.append(total_row)
    formats = {1: style.MONEY_WHOLE}
    for i in range(len(variants)):
        formats[2 + 2 * i] = style.MONEY_WHOLE
        formats[3 + 2 * i] = DELTA_MONEY
    return Block(row=0, col=1, values=rows, formats=formats, bold_rows={len(rows) - 1})


def _quota(res: Results) -> Block:
    rows: list[list[Any]] = [["Quote", "Beschluss", *[v.name for v in res.variants]]]
    rows += [[a.name, a.quota, *[v.quota[a.name] for v in res.variants]] for a in res.areas]
    formats = {c: style.PERCENT for c in range(1, len(res.variants) + 2)}
    return Block(row=0, col=1, values=rows, formats=formats)


def variants_sheet(res: Results) -> SheetOutput:
    blocks: list[Block] = []
    if not res.variants:
        lines(
            blocks,
            4,
            "Keine Varianten: auf Blatt Varianten je Zeile eine Einstellung einer Variante "
            "eintragen (z. B. „Gewicht HZE“ = 3 oder „Korridor M4 nach unten“ = 10 %); "
            "Berechnen rechnet sie mit denselben Daten.",
        )
        title = "Variantenvergleich: was wäre, wenn …"
        return SheetOutput(layout.VARIANTENVERGLEICH, title, "", blocks)
    row = lines(
        blocks,
        4,
        "Jede Variante rechnet mit denselben Daten und denselben Regeln; geändert ist nur, was "
        "in ihrer Zeile steht. Beträge nach dem Modell, das die Variante wählt; Δ = Variante "
        "minus Beschluss (die aktuelle Einstellung auf Blatt Parameter); „mehr“/„weniger“: wie "
        "viele Sozialräume gewinnen oder verlieren.",
    )
    for paragraph in _overview(res):
        row = lines(blocks, row + 1, paragraph)
    row += 2
    model = res.chosen_model
    variants = res.variants
    parts = [
        _money("Sozialraum", {a.name: a.allocation[model] for a in res.areas}, variants, "amounts"),
        _money("SRT", {g.name: g.allocation[model] for g in res.providers}, variants, "providers"),
        _money("Region", {g.name: g.allocation[model] for g in res.regions}, variants, "regions"),
        _quota(res),
    ]
    for part in parts:
        blocks.append(
            Block(
                row=row,
                col=1,
                values=part.values,
                formats=part.formats,
                bold_rows=part.bold_rows,
                widths=part.widths,
            )
        )
        row += len(part.values) + 1
    return SheetOutput(
        sheet=layout.VARIANTENVERGLEICH,
        title="Variantenvergleich: was wäre, wenn …",
        subtitle=f"Beschluss: {MODEL_LABELS[model]}; {len(res.variants)} Variante(n) von Blatt "
        "Varianten.",
        blocks=blocks,
    )
