"""Figures of the Beschlussvorlage as vector graphics (SVG), drawn at their printed size so
that no text is smaller than 8 pt, in grey steps and hatching for black-and-white print."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from xlsozial.domain.german import number
from xlsozial.domain.models import MODEL_LABELS, ModelKey
from xlsozial.domain.results import Results

CM = 1 / 2.54  # inches
WIDTH_CM = 17.0  # the text width of the page: the figure is printed at 100 %
MIN_PT = 8.5
# Grey steps from white to black tell the series apart in black-and-white print (hatching
# made the PDF slow to draw: every hatch is a pattern of hundreds of paths).
GREYS = ["#ffffff", "#d0d0d0", "#a0a0a0", "#707070", "#404040", "#000000"]


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def models_figure(res: Results, year: int) -> tuple[str, str]:
    """Bars per Sozialraum: Vorjahr, the four models and what is actually paid; returns the
    SVG and its text alternative."""
    plt.rcParams.update(
        {"font.size": MIN_PT + 0.5, "font.family": "DejaVu Sans", "svg.fonttype": "none"}
    )
    fig, ax = plt.subplots(figsize=(WIDTH_CM * CM, 10 * CM), layout="constrained")
    names = [a.name for a in res.areas]
    series = [(f"tatsächlich {year - 1}", [a.previous / 100 for a in res.areas])]
    series += [(MODEL_LABELS[m], [a.allocation[m] / 100 for a in res.areas]) for m in ModelKey]
    width = 0.8 / len(series)
    for k, (label, values) in enumerate(series):
        ax.bar(
            [i + (k - len(series) / 2 + 0.5) * width for i in range(len(names))],
            values,
            width,
            label=label,
            color=GREYS[k],
            edgecolor="black",
            linewidth=0.4,
        )
    ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=MIN_PT)
    ax.tick_params(axis="y", labelsize=MIN_PT)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, 0) + " €"))
    ax.legend(ncol=3, fontsize=MIN_PT, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    alt = (
        f"Balkendiagramm: je Sozialraum das tatsächlich gezahlte Budget {year - 1} und die "
        "Beträge der vier Modelle; die Zahlen stehen in der Tabelle dieser Anlage."
    )
    return _svg(fig), alt
