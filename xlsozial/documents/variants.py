"""Anlage 7 of the Beschlussvorlage: the variants of Blatt Varianten beside the decision,
each with its one-line description and what it changes (only when there are variants)."""

from __future__ import annotations

from xlsozial.book.layout_variants import describe
from xlsozial.documents.paper import Annex, Block, Table, Text, eur, rounding_note
from xlsozial.domain.models import MODEL_LABELS
from xlsozial.domain.results import Results


def annex_variants(res: Results) -> list[Annex]:
    if not res.variants:
        return []
    model = res.chosen_model
    base = {a.name: a.allocation[model] for a in res.areas}
    blocks: list[Block] = [
        Text(
            "Was wäre, wenn …: jede Variante rechnet mit denselben Daten und denselben Regeln "
            "wie der Beschlussvorschlag; geändert ist nur, was bei ihr steht. Beträge nach dem "
            "Modell der Variante, Δ = Variante minus Beschlussvorschlag "
            f"({MODEL_LABELS[model]})."
        )
    ]
    for v in res.variants:
        changed = "; ".join(describe(k, x) for k, x in v.settings)
        title = f"{v.name}: {v.description}" if v.description else v.name
        model_name = MODEL_LABELS[v.chosen_model]
        blocks.append(Text(f"{title} – geändert: {changed}; Modell {model_name}."))
    rows = []
    for name, amount in base.items():
        row = [name, eur(amount)]
        for v in res.variants:
            row += [eur(v.amounts[name]), _delta(v.amounts[name] - amount)]
        rows.append(row)
    total = sum(base.values())
    last = ["Summe", eur(total)]
    for v in res.variants:
        other = sum(v.amounts.values())
        last += [eur(other), _delta(other - total)]
    rows.append(last)
    head: list[str] = ["Sozialraum", "Vorschlag"]
    for v in res.variants:
        head += [v.name, "Δ"]
    columns = [(list(base.values()), total)] + [
        (list(v.amounts.values()), sum(v.amounts.values())) for v in res.variants
    ]
    blocks.append(
        Table(
            head,
            rows,
            frozenset(range(1, len(head))),
            total=True,
            note=rounding_note(columns),
        )
    )
    return [Annex("7", "Varianten im Vergleich", blocks)]


def _delta(cents: int) -> str:
    shown = eur(cents)
    return shown if cents <= 0 or shown.startswith("0 ") else "+" + shown
