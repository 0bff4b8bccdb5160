"""The map of the Beschlussvorlage: the Sozialräume shaded by Belastungsfaktor and by the
change in euros against the Vorjahr, readable in black and white (grey steps, losses also
hatched), with names, legends and the source line of the boundaries (:mod:`.geo`)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Polygon

from xlsozial.documents.charts import CM, GREYS, MIN_PT, WIDTH_CM, _svg
from xlsozial.documents.paper import Annex, Block, Figure, Text
from xlsozial.domain.geo import CHANGE_CLASSES, FACTOR_CLASSES, Boundaries, map_class
from xlsozial.domain.results import Results

MAX_LABELS = 40  # beyond this many Sozialräume the map carries no names

# Belastung: lighter to darker. Change: the size in grey (light: small, dark: large), the
# direction by hatching (losses) – so a black-and-white print tells both apart.
FACTOR_SHADES = [GREYS[1], GREYS[2], GREYS[3], GREYS[4]]
CHANGE_SHADES = [GREYS[3], GREYS[1], GREYS[1], GREYS[3]]


def _panel(
    ax: Axes,
    shapes: Boundaries,
    classes: dict[str, int],
    hatch_below: int,
    title: str,
    steps: list[tuple[float, str]],
    shades: list[str],
) -> None:
    for name, rings in shapes.shapes.items():
        k = classes.get(name)
        if k is None:
            continue
        hatch = "////" if k < hatch_below else None
        for ring in rings:
            ax.add_patch(
                Polygon(
                    ring,
                    closed=True,
                    facecolor=shades[k],
                    edgecolor="black",
                    linewidth=0.5,
                    hatch=hatch,
                )
            )
        if shapes.schematic:
            x, y = rings[0][0][0] + 0.475, rings[0][0][1] + 0.475
        else:
            x, y = _centre(rings)
        if len(shapes.shapes) > MAX_LABELS:
            continue  # hundreds of names at 8 pt would cover the map: the tables name them
        label = name.replace(" ", "\n", 1) if shapes.schematic else name  # fits the tile
        ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=MIN_PT,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.9},
        )
    ax.set_title(title, fontsize=MIN_PT + 1)
    ax.set_aspect(shapes.aspect)
    ax.autoscale_view()
    ax.axis("off")
    _legend(ax, steps, shades, hatch_below)


def _legend(ax: Axes, steps: list[tuple[float, str]], shades: list[str], hatch_below: int) -> None:
    handles = [
        Patch(
            facecolor=shades[i],
            edgecolor="black",
            label=label,
            hatch="////" if i < hatch_below else None,
        )
        for i, (_, label) in enumerate(steps)
    ]
    ax.legend(
        handles=handles,
        fontsize=MIN_PT,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        frameon=False,
    )


def _centre(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    ring = max(rings, key=len)
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def map_figure(res: Results, shapes: Boundaries, year: int) -> tuple[str, str]:
    plt.rcParams.update({"font.size": MIN_PT, "font.family": "DejaVu Sans", "svg.fonttype": "none"})
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(WIDTH_CM * CM, 19 * CM), layout="constrained")
    factor = {a.name: map_class(a.factor, FACTOR_CLASSES) for a in res.areas}
    change = {a.name: map_class(a.paid - a.previous, CHANGE_CLASSES) for a in res.areas}
    _panel(top, shapes, factor, 0, "Belastungsfaktor", FACTOR_CLASSES, FACTOR_SHADES)
    title = f"Veränderung {year} gegenüber {year - 1} (€)"
    _panel(bottom, shapes, change, 2, title, CHANGE_CLASSES, CHANGE_SHADES)
    alt = (
        "Karte der Sozialräume in zwei Teilen: oben nach Belastungsfaktor in vier Graustufen, "
        f"unten nach der Veränderung {year} gegenüber {year - 1} (Verluste schraffiert); "
        "die Zahlen stehen in Anlage 1 und im Abschnitt Finanzielle Auswirkungen."
    )
    return _svg(fig), alt


def annex_map(res: Results, shapes: Boundaries, year: int) -> Annex:
    svg, alt = map_figure(res, shapes, year)
    blocks: list[Block] = [
        Text(
            "Die Sozialräume nach Belastungsfaktor (dunkler: mehr Belastung) und nach der "
            f"Veränderung des tatsächlich gezahlten Budgets {year} gegenüber {year - 1} "
            "(dunkler: größere Veränderung; schraffiert: weniger als im Vorjahr)."
        ),
        Figure(svg, alt, "Karte der Sozialräume: Belastung und Veränderung"),
    ]
    if not shapes.schematic:
        blocks.append(Text(f"Quelle der Grenzen: {shapes.source}"))
    if shapes.schematic:
        blocks.append(
            Text(
                "Schematische Darstellung ohne echte Grenzen. Eine Karte mit Grenzen entsteht, "
                "wenn neben der Mappe die Datei „Sozialraeume.geojson“ liegt."
            )
        )
    if len(shapes.shapes) > MAX_LABELS:
        blocks.append(
            Text(
                f"Bei {len(shapes.shapes)} Sozialräumen trägt die Karte keine Namen; "
                "Belastungsfaktor und Beträge je Sozialraum stehen in Anlage 1 und unter "
                "Finanzielle Auswirkungen."
            )
        )
    if shapes.missing:
        blocks.append(
            Text(
                "Ohne Fläche in der Karte (kein Gebiet dieses Namens in den Grenzen): "
                + ", ".join(shapes.missing)
                + "."
            )
        )
    return Annex("8", "Karte der Sozialräume", blocks)
