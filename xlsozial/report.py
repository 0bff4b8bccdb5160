"""Committee report (Jugendhilfeausschuss) as a PDF: one page of numbers, then figures.

Page 1 is the decision page: the four models side by side per Sozialraum, SRT and region,
with the change of the chosen model against the previous year. Later pages: model
comparison figures, the split gebunden / regionales Budget 1, the transition schedule,
indicator weights and data years, the sensitivity bands and the checks.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from xlsozial.book.writer import input_hash
from xlsozial.german import change_ratio, money, verdict
from xlsozial.german import number as de
from xlsozial.models import MODEL_LABELS, Inputs, ModelKey
from xlsozial.results import Results

A4_LANDSCAPE = (11.69, 8.27)
COLOURS = ["#7f7f7f", "#4472c4", "#ed7d31", "#a5a5a5", "#70ad47"]
SHORT = {
    ModelKey.M1: "M1\nEinwohner",
    ModelKey.M2: "M2\nBelastungs-\nquote",
    ModelKey.M3: "M3\nSockel +\nQuote",
    ModelKey.M4: "M4\nBestand mit\nKorridor",
}
plt.rcParams.update({"pdf.fonttype": 42, "font.size": 8, "font.family": "DejaVu Sans"})


def eur(cents: int) -> str:
    return money(cents, 0)


def pct(value: float | None) -> str:
    return "–" if value is None else ("+" if value > 0 else "") + de(value * 100, 1) + " %"


def _page(title: str, subtitle: str) -> Figure:
    fig = plt.figure(figsize=A4_LANDSCAPE)
    fig.text(0.04, 0.955, title, fontsize=14, weight="bold")
    fig.text(0.04, 0.93, subtitle, fontsize=8, style="italic", color="#404040")
    return fig


def _table(
    fig: Figure,
    rect: tuple[float, float, float, float],
    header: list[str],
    rows: list[list[str]],
    bold_last: bool = False,
    widths: list[float] | None = None,
    left: tuple[int, ...] = (0,),
) -> None:
    ax = fig.add_axes(rect)
    ax.axis("off")
    table = ax.table(
        cellText=rows,
        colLabels=header,
        loc="upper left",
        cellLoc="right",
        colLoc="center",
        colWidths=widths,
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7)
    table.scale(1, 1.25)
    for (r, c), cell in table.get_celld().items():
        cell.set_edgecolor("#bfbfbf")
        if r == 0:
            cell.set_facecolor("#ddebf7")
            cell.set_text_props(weight="bold")
            cell.set_height(cell.get_height() * 2.2)
        if c in left and r > 0:
            cell.set_text_props(ha="left")
            setattr(cell, "_loc", "left")  # noqa: B010 - Table has no per-column alignment
        if bold_last and r == len(rows):
            cell.set_text_props(weight="bold")
        text = cell.get_text().get_text()
        if r > 0 and text.startswith("-") and text != "–":
            cell.get_text().set_color("#9c0006")


def _comparison_rows(
    items: list[tuple[str, int, dict[ModelKey, int]]], chosen: ModelKey
) -> list[list[str]]:
    rows = []
    for name, prev, alloc in items:
        delta = alloc[chosen] - prev
        rows.append(
            [
                name,
                eur(prev),
                *[eur(alloc[m]) for m in ModelKey],
                eur(delta),
                pct(change_ratio(alloc[chosen], prev)),
                verdict(delta),
            ]
        )
    return rows


def _sum_row(items: Sequence[Any], chosen: ModelKey) -> list[str]:
    prev = sum(i.previous for i in items)
    alloc = {m: sum(i.allocation[m] for i in items) for m in ModelKey}
    delta = alloc[chosen] - prev
    return [
        "Summe",
        eur(prev),
        *[eur(alloc[m]) for m in ModelKey],
        eur(delta),
        pct(change_ratio(alloc[chosen], prev)),
        "",
    ]


def decision_page(inputs: Inputs, res: Results, when: str) -> Figure:
    chosen = res.chosen_model
    fig = _page(
        "Sozialraumbudget – Vergleich der Finanzierungsmodelle",
        f"Gesamtbudget {eur(res.budget)} · gewähltes Modell {MODEL_LABELS[chosen]} · "
        f"Stand {when} · Eingabe-Hash {input_hash(inputs)}",
    )
    header = [
        "",
        "Vorjahr",
        *[SHORT[m] for m in ModelKey],
        f"Δ {chosen.value}\n(€)",
        f"Δ {chosen.value}\n(%)",
        "Bewertung",
    ]
    widths = [0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.08, 0.1]
    areas = _comparison_rows([(a.name, a.previous, a.allocation) for a in res.areas], chosen)
    n = len(areas) + 2
    height = min(0.55, 0.033 * n)
    _table(
        fig,
        (0.04, 0.9 - height, 0.92, height),
        ["Sozialraum", *header[1:]],
        [*areas, _sum_row(res.areas, chosen)],
        bold_last=True,
        widths=widths,
    )
    top = 0.9 - height - 0.05
    for label, groups in (("SRT", res.providers), ("Region", res.regions)):
        rows = _comparison_rows([(g.name, g.previous, g.allocation) for g in groups], chosen)
        h = min(0.2, 0.033 * (len(rows) + 2))
        _table(
            fig,
            (0.04, top - h, 0.92, h),
            [label, *header[1:]],
            [*rows, _sum_row(groups, chosen)],
            bold_last=True,
            widths=widths,
        )
        top -= h + 0.04
    winners = sum(1 for a in res.areas if a.allocation[chosen] > a.previous)
    losers = sum(1 for a in res.areas if a.allocation[chosen] < a.previous)
    fig.text(
        0.04,
        0.03,
        f"{winners} Sozialräume gewinnen, {losers} verlieren gegenüber dem "
        "Vorjahr (gewähltes Modell). Beträge nach dem Größte-Reste-Verfahren gerundet; jede "
        "Spalte ergibt exakt das Gesamtbudget.",
        fontsize=7,
    )
    return fig


def _bars(ax: Any, names: list[str], series: list[tuple[str, list[float]]], title: str) -> None:
    width = 0.8 / len(series)
    for i, (label, values) in enumerate(series):
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(names))]
        ax.bar(xs, values, width, label=label, color=COLOURS[i % len(COLOURS)])
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=35, ha="right")
    ax.set_title(title, fontsize=9, weight="bold")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: de(v) + " €"))
    ax.grid(axis="y", color="#e0e0e0")
    ax.set_axisbelow(True)


def _model_series(items: Sequence[Any]) -> list[tuple[str, list[float]]]:
    series = [("Vorjahr", [i.previous / 100 for i in items])]
    series += [(MODEL_LABELS[m], [i.allocation[m] / 100 for i in items]) for m in ModelKey]
    return series


def comparison_figures(res: Results) -> Figure:
    fig = _page("Modellvergleich", "Vorjahr und die vier Modelle je Sozialraum, SRT und Region")
    ax = fig.add_axes((0.07, 0.56, 0.9, 0.33))
    _bars(ax, [a.name for a in res.areas], _model_series(res.areas), "je Sozialraum")
    ax.legend(ncol=5, fontsize=7, loc="upper left", bbox_to_anchor=(0, 1.22))
    ax2 = fig.add_axes((0.07, 0.1, 0.4, 0.32))
    _bars(ax2, [g.name for g in res.providers], _model_series(res.providers), "je SRT")
    ax3 = fig.add_axes((0.56, 0.1, 0.4, 0.32))
    _bars(ax3, [g.name for g in res.regions], _model_series(res.regions), "je Region")
    return fig


def model_delta_figures(res: Results) -> Figure:
    """One panel per model: change against the previous year per Sozialraum."""
    fig = _page(
        "Gewinner und Verlierer je Modell",
        "Veränderung gegenüber dem Vorjahr je Sozialraum (grün: mehr, rot: weniger)",
    )
    names = [a.name for a in res.areas]
    for i, model in enumerate(ModelKey):
        left = 0.07 + (i % 2) * 0.48
        bottom = 0.55 - (i // 2) * 0.45
        ax = fig.add_axes((left, bottom, 0.42, 0.3))
        deltas = [(a.allocation[model] - a.previous) / 100 for a in res.areas]
        ax.bar(
            range(len(names)), deltas, color=["#70ad47" if d >= 0 else "#c00000" for d in deltas]
        )
        ax.axhline(0, color="#404040", linewidth=0.8)
        ax.set_title(MODEL_LABELS[model], fontsize=9, weight="bold")
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names if len(names) <= 30 else [], rotation=35, ha="right", fontsize=6)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: de(v) + " €"))
        ax.grid(axis="y", color="#e0e0e0")
        ax.set_axisbelow(True)
    return fig


def split_page(inputs: Inputs, res: Results) -> Figure:
    chosen = res.chosen_model
    fig = _page(
        "Aufteilung gebunden / regionales Budget 1 und Übergang",
        f"Grundlage {MODEL_LABELS[chosen]}; Verfahren {inputs.parameters.split_method.value}; "
        f"Abschmelzen über {inputs.parameters.transition_years} Jahre",
    )
    for rect, groups, title in (
        ((0.07, 0.55, 0.4, 0.32), res.providers, "je SRT"),
        ((0.56, 0.55, 0.4, 0.32), res.regions, "je Region"),
    ):
        ax = fig.add_axes(rect)
        names = [g.name for g in groups]
        bound = [g.bound / 100 for g in groups]
        regional = [g.regional / 100 for g in groups]
        ax.bar(names, bound, color=COLOURS[1], label="gebundenes Budget")
        ax.bar(names, regional, bottom=bound, color=COLOURS[4], label="regionales Budget 1")
        ax.set_title(title, fontsize=9, weight="bold")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: de(v) + " €"))
        ax.tick_params(axis="x", rotation=30)
        ax.legend(fontsize=7)
    if res.transition:
        regions = [g.name for g in res.regions]
        header = [
            "Jahr",
            "Ausgleich %",
            "gebunden",
            "Ausgleich",
            "frei werdend",
            "regional 1\ngesamt",
            *[f"regional 1\n{r}" for r in regions],
        ]
        rows = [
            [
                str(t.year),
                de(t.factor * 100) + " %",
                eur(t.bound_total),
                eur(t.compensation_total),
                eur(t.freed),
                eur(t.regional_total),
                *[eur(t.regional[r]) for r in regions],
            ]
            for t in res.transition
        ]
        _table(fig, (0.04, 0.08, 0.92, 0.3), header, rows)
    else:
        failed = next((c.detail for c in res.checks if c.name == "Übergang finanzierbar"), "")
        fig.text(0.04, 0.3, "Kein Übergangsplan: " + failed, fontsize=9, color="#9c0006")
    return fig


def indicator_page(inputs: Inputs, res: Results) -> Figure:
    fig = _page(
        "Indikatoren, Sensitivität und Prüfungen",
        res.sensitivity_info or "keine Sensitivitätsanalyse",
    )
    header = ["Kürzel", "Bezeichnung", "Gewicht", "Richtung", "Jahre", "Kreiswert", "Quelle"]
    rows = [
        [
            i.key,
            i.label,
            de(i.weight, 2),
            i.direction,
            f"{i.years[0]}–{i.years[-1]}" if len(i.years) > 1 else str(i.years[0]),
            de(i.district, 4),
            i.source,
        ]
        for i in res.indicators
    ]
    h = min(0.3, 0.035 * (len(rows) + 1))
    _table(
        fig,
        (0.04, 0.9 - h, 0.92, h),
        header,
        rows,
        widths=[0.07, 0.3, 0.07, 0.09, 0.09, 0.09, 0.29],
        left=(0, 1, 6),
    )
    if res.sensitivity:
        ax = fig.add_axes((0.07, 0.16, 0.55, 0.9 - h - 0.24))
        names = [s.name for s in res.sensitivity]
        m2 = {a.name: a.allocation[ModelKey.M2] / 100 for a in res.areas}
        rel = [
            (s.p5 / m2[s.name] - 1, s.p50 / m2[s.name] - 1, s.p95 / m2[s.name] - 1)
            for s in res.sensitivity
        ]
        xs = range(len(names))
        ax.errorbar(
            xs,
            [r[1] * 100 for r in rel],
            yerr=[[(r[1] - r[0]) * 100 for r in rel], [(r[2] - r[1]) * 100 for r in rel]],
            fmt="o",
            color=COLOURS[1],
            capsize=3,
            label="Median, 5.–95. Perzentil",
        )
        ax.axhline(0, color=COLOURS[2], linewidth=1, label="M2 mit den gewählten Gewichten")
        ax.set_xticks(list(xs))
        ax.set_xticklabels(names, rotation=35, ha="right")
        ax.set_ylabel("Abweichung von M2")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: de(v, 1) + " %"))
        ax.set_title(
            "Sensitivität der Verteilung (M2) gegenüber den Gewichten", fontsize=9, weight="bold"
        )
        ax.legend(fontsize=7)
        ax.grid(axis="y", color="#e0e0e0")
    checks = [[c.name, "OK" if c.ok else "FEHLER"] for c in res.checks]
    _table(
        fig, (0.67, 0.12, 0.29, 0.9 - h - 0.2), ["Prüfung", "Ergebnis"], checks, widths=[0.82, 0.18]
    )
    return fig


def build_report(inputs: Inputs, res: Results, when: datetime | None = None) -> bytes:
    stamp = (when or datetime.now()).strftime("%d.%m.%Y %H:%M")
    buffer = io.BytesIO()
    metadata = {"Title": "Sozialraumbudget – Bericht", "Creator": "xlsozial", "CreationDate": None}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for fig in (
            decision_page(inputs, res, stamp),
            comparison_figures(res),
            model_delta_figures(res),
            split_page(inputs, res),
            indicator_page(inputs, res),
        ):
            pdf.savefig(fig)
            plt.close(fig)
    return buffer.getvalue()


def write_report(inputs: Inputs, res: Results, target: Path) -> None:
    from xlsozial.fileio import atomic_write_bytes

    atomic_write_bytes(target, build_report(inputs, res))
