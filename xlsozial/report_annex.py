"""The Beschlussvorlage's Anlagen: model comparison, figure, split, indicators,
sensitivity and the technical annex."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter
from reportlab.platypus import Paragraph, Spacer

from xlsozial.book.writer import input_hash
from xlsozial.errors import InputError
from xlsozial.german import number as de
from xlsozial.models import MODEL_LABELS, Inputs, ModelKey, Normalisation
from xlsozial.money import cents
from xlsozial.report_style import (
    BODY,
    GREYS,
    H2,
    H3,
    HATCHES,
    SMALL,
    eur,
    figure,
    table,
)
from xlsozial.results import Results


def annex_models(res: Results) -> list[Any]:
    def rows(items: list[Any], names: dict[str, str] | None = None) -> list[list[str]]:
        return [
            [
                (names or {}).get(i.name, i.name),
                eur(i.previous),
                *[eur(i.allocation[m]) for m in ModelKey],
            ]
            for i in items
        ]

    head = ["", "Vorjahr", *[MODEL_LABELS[m] for m in ModelKey]]
    widths = [4.2, 2.1, 2.7, 2.7, 2.7, 2.7]
    return [
        Paragraph("Anlage 1: Die vier Modelle im Vergleich", H2),
        Paragraph("je Sozialraum", H3),
        table(head, rows(res.areas), widths),
        Paragraph("je Sozialraumträger", H3),
        table(head, rows(res.providers, res.provider_names), widths),
        Paragraph("je Region", H3),
        table(head, rows(res.regions), widths),
    ]


def annex_figure(res: Results) -> list[Any]:
    fig, ax = plt.subplots(figsize=(8.5, 4.2))
    names = [a.name for a in res.areas]
    x = range(len(names))
    width = 0.16
    series = [("Vorjahr", [a.previous / 100 for a in res.areas])]
    series += [(MODEL_LABELS[m], [a.allocation[m] / 100 for a in res.areas]) for m in ModelKey]
    for k, (label, values) in enumerate(series):
        ax.bar(
            [i + (k - 2) * width for i in x],
            values,
            width,
            label=label,
            color=GREYS[k],
            hatch=HATCHES[k],
            edgecolor="black",
            linewidth=0.3,
        )
    ax.set_xticks(list(x), names, rotation=30, ha="right")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: de(v, 0) + " €"))
    ax.set_title("Budget je Sozialraum: Vorjahr und die vier Modelle", pad=28)
    # The legend sits below the title, above the plot: it never covers the title or bars.
    ax.legend(ncol=5, fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return [Paragraph("Anlage 2: Modellvergleich als Abbildung", H2), figure(fig)]


def annex_split(res: Results) -> list[Any]:
    def rows(items: list[Any], names: dict[str, str] | None = None) -> list[list[str]]:
        return [
            [
                (names or {}).get(i.name, i.name),
                eur(i.bound),
                eur(i.regional),
                eur(i.bound + i.regional),
            ]
            for i in items
        ]

    head = ["", "gebundenes Budget", "regionales Budget 1", "zusammen"]
    return [
        Paragraph("Anlage 3: Aufteilung in gebundenes Budget und regionales Budget 1", H2),
        Paragraph(
            "Das gebundene Budget bleibt fest beim Sozialraumträger; über das regionale "
            "Budget 1 entscheiden die Regionalgremien Projekt für Projekt. Grundlage ist "
            "die bisherige Verwendung des Budgets (Kostenaufstellungen der Träger).",
            BODY,
        ),
        table(head, rows(res.providers, res.provider_names), [6.0, 3.6, 3.6, 3.6]),
        Spacer(1, 6),
        table(head, rows(res.regions), [6.0, 3.6, 3.6, 3.6]),
    ]


def annex_indicators(res: Results) -> list[Any]:
    rows = [
        [
            i.label,
            de(i.weight, 1),
            i.direction,
            "–".join(map(str, (i.years[0], i.years[-1]))) if i.years else "–",
            i.source or "–",
        ]
        for i in res.indicators
    ]
    return [
        Paragraph("Anlage 4: Belastungsindikatoren", H2),
        table(
            ["Indikator", "Gewicht", "Richtung", "Datenjahre", "Quelle"],
            rows,
            [5.6, 1.6, 2.0, 2.2, 5.6],
            text=(2, 4),
        ),
    ]


def annex_sensitivity(inputs: Inputs, res: Results) -> list[Any]:
    """Weight band and method comparison apart: mixing them alarms without reason."""
    par = inputs.parameters
    out: list[Any] = [Paragraph("Anlage 5: Wie sicher ist die Verteilung?", H2)]
    if par.sensitivity_draws:
        out += _weight_band(inputs)
    out.append(Spacer(1, 6))
    out.append(
        Paragraph(
            "<b>Rechenweg:</b> Die Kennzahlen lassen sich auf verschiedene Weise mit dem Kreis "
            f"vergleichen; gewählt ist „{par.normalisation.value}“. Die Tabelle zeigt, was M2 "
            "mit den anderen Verfahren ergäbe – eine Frage der Methode, nicht der Daten.",
            BODY,
        )
    )
    by_method = _m2_by_method(inputs)
    methods = list(by_method)
    rows = [[a.name, *[eur(by_method[m][a.name]) for m in methods]] for a in res.areas]
    out.append(
        table(
            ["Sozialraum", *[m.value for m in methods]],
            rows,
            [4.5, *[12.5 / max(1, len(methods))] * len(methods)],
        )
    )
    return out


def _weight_band(inputs: Inputs) -> list[Any]:
    from xlsozial.evaluation import compute

    par = inputs.parameters
    only_weights = par.model_copy(update={"sensitivity_vary_normalisation": False})
    weights_only = compute(inputs.model_copy(update={"parameters": only_weights}))
    spread = de(par.sensitivity_spread * 100, 0)
    rows = [
        [r.name, eur(cents(r.p5)), eur(cents(r.p50)), eur(cents(r.p95))]
        for r in weights_only.sensitivity
    ]
    return [
        Paragraph(
            f"<b>Gewichte:</b> Würde man jedes Gewicht um bis zu {spread} % höher oder "
            "niedriger ansetzen, läge der Betrag nach Modell M2 in neun von zehn Fällen "
            "zwischen den beiden Werten der Tabelle.",
            BODY,
        ),
        table(["Sozialraum", "niedrig", "mittel", "hoch"], rows, [6.0, 3.0, 3.0, 3.0]),
    ]


def _m2_by_method(inputs: Inputs) -> dict[Normalisation, dict[str, int]]:
    """M2 per Sozialraum under each normalisation that the data allow."""
    from xlsozial.evaluation import compute

    par = inputs.parameters
    by_method: dict[Normalisation, dict[str, int]] = {}
    for method in Normalisation:
        other = par.model_copy(update={"normalisation": method, "sensitivity_draws": 0})
        try:
            result = compute(inputs.model_copy(update={"parameters": other}))
        except InputError:
            continue
        by_method[method] = {a.name: a.allocation[ModelKey.M2] for a in result.areas}
    return by_method


def technical_annex(inputs: Inputs, res: Results) -> list[Any]:
    par = inputs.parameters
    lines = [
        "Rundung: Größte-Reste-Verfahren in exakter Bruchrechnung auf "
        f"{eur(res.unit)}-Einheiten; bei gleichem Rest erhält der größere exakte Betrag, dann der "
        "in deutscher Sortierung erste Name die Einheit (docs/GLOSSAR.md).",
        f"Sensitivität: {par.sensitivity_draws} Ziehungen, Gewichte × U(1 − "
        f"{de(par.sensitivity_spread * 100, 0)} %; 1 + {de(par.sensitivity_spread * 100, 0)} %), "
        f"Startwert {par.sensitivity_seed}; berichtet: 5., 50. und 95. Perzentil.",
        f"Normierung {par.normalisation.value}, Mittel {par.aggregation.value}, Dämpfung "
        f"{de(par.damping, 2)}; Korridor M4 −{de(par.corridor_down * 100, 1)} % / "
        f"+{de(par.corridor_up * 100, 1)} %.",
        f"Eingabe-Hash (SHA-256, gekürzt): {input_hash(inputs)}",
    ]
    checks = [
        [c.name, "OK" if c.ok and not c.warning else "Hinweis" if c.ok else "FEHLER", c.detail]
        for c in res.checks
    ]
    return [
        Paragraph("Technischer Anhang", H2),
        *(Paragraph(line, SMALL) for line in lines),
        Spacer(1, 6),
        table(["Prüfung", "Ergebnis", "Details"], checks, [6.5, 1.8, 8.7], left=3),
    ]
