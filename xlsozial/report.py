"""The Beschlussvorlage for the Jugendhilfeausschuss as a PDF (reportlab platypus).

The shape committee members know: header (body, Vorlage-Nr., Gremium, Sitzung),
Beschlussvorschlag (the sentence voted on), Sachverhalt in plain German, Finanzielle
Auswirkungen (change against the previous year, Besitzstand payments per year and area, freed
money into regionales Budget 1), then the Anlagen and a technical annex for the jargon.
Every page names the body, the Vorlage and the Haushaltsjahr and says "Seite x von y".
Gains and losses carry a word and an arrow, never colour alone (black-and-white print).
Figures come from matplotlib as vector graphics (SVG → reportlab drawing is not needed:
embedded as high-resolution PNG).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import matplotlib

from xlsozial import style
from xlsozial.money import cents

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from xlsozial.book.writer import input_hash
from xlsozial.errors import InputError
from xlsozial.german import change_ratio, money
from xlsozial.german import number as de
from xlsozial.models import MODEL_LABELS, Inputs, ModelKey, Normalisation
from xlsozial.results import Results

plt.rcParams.update({"font.size": 8, "font.family": "DejaVu Sans"})
HEADER_FILL = colors.HexColor("#" + style.HEADER)
GRID = colors.HexColor("#" + style.GRID)
HATCHES = ["", "///", "...", "xx", "\\\\"]
GREYS = ["#d9d9d9", "#4472c4", "#a5a5a5", "#1f3864", "#7f7f7f"]


def eur(cents: int) -> str:
    """Whole euros: the Beschlussvorlage rounds for reading, the workbook keeps cents."""
    return money(cents, 0)


def pct(value: float | None) -> str:
    return "–" if value is None else ("+" if value > 0 else "") + de(value * 100, 1) + " %"


def trend(delta: int) -> str:
    """Word and arrow: readable without colour."""
    return "▲ mehr" if delta > 0 else "▼ weniger" if delta < 0 else "= gleich"


# -- page frame --------------------------------------------------------------------------------


def _numbered_canvas(head_left: str, head_right: str) -> type[rl_canvas.Canvas]:
    class NumberedCanvas(rl_canvas.Canvas):  # type: ignore[misc]
        """Draws header and „Seite x von y“ once the number of pages is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._frame(total)
                super().showPage()
            super().save()

        def _frame(self, total: int) -> None:
            width, height = A4
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#" + style.FOOTER_TEXT))
            self.drawString(2 * cm, height - 1.2 * cm, head_left)
            self.drawRightString(width - 2 * cm, height - 1.2 * cm, head_right)
            self.line(2 * cm, height - 1.35 * cm, width - 2 * cm, height - 1.35 * cm)
            self.drawCentredString(width / 2, 1.1 * cm, f"Seite {self._pageNumber} von {total}")

    return NumberedCanvas


STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=10, leading=13.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=11)
H1 = ParagraphStyle("h1", parent=STYLES["Heading1"], fontSize=16, spaceAfter=6)
H2 = ParagraphStyle("h2", parent=STYLES["Heading2"], fontSize=12.5, spaceBefore=10)
H3 = ParagraphStyle("h3", parent=STYLES["Heading3"], fontSize=10.5, spaceBefore=6)
CELL = ParagraphStyle("cell", parent=SMALL, alignment=TA_LEFT)


def _table(
    header: list[str],
    rows: list[list[Any]],
    widths: list[float],
    bold_last: bool = False,
    left: int = 1,
    text: tuple[int, ...] = (),
) -> Table:
    """A table that may break across pages (header repeated); the first ``left`` columns and
    those in ``text`` wrap as left-aligned text, the others are right-aligned amounts."""
    wrap = set(range(left)) | set(text)
    data = [[Paragraph(f"<b>{h}</b>", CELL) for h in header]]
    data += [
        [Paragraph(str(v), CELL) if i in wrap else str(v) for i, v in enumerate(r)] for r in rows
    ]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("FONTSIZE", (0, 1), (-1, -1), 8.5),
        ("ALIGN", (left, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if bold_last:
        style.append(("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"))
    table.setStyle(TableStyle(style))
    return table


def _figure(fig: Any, width_cm: float = 17.0) -> Image:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200, bbox_inches="tight")
    plt.close(fig)
    buffer.seek(0)
    image = Image(buffer)
    ratio = image.imageHeight / image.imageWidth
    image.drawWidth, image.drawHeight = width_cm * cm, width_cm * cm * ratio
    return image


# -- parts of the paper ------------------------------------------------------------------------


def _header(inputs: Inputs, res: Results, when: str) -> list[Any]:
    par = inputs.parameters
    rows = [
        ["Vorlage-Nr.", par.paper_number or "–"],
        ["Gremium", par.committee or "–"],
        ["Sitzung", par.meeting_date or "–"],
        ["Datum der Vorlage", when],
        ["Gegenstand", f"Verteilung des Sozialraumbudgets {par.first_year}"],
    ]
    table = Table(rows, colWidths=[4 * cm, 13 * cm])
    table.setStyle(
        TableStyle(
            [("FONTSIZE", (0, 0), (-1, -1), 10), ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold")]
        )
    )
    return [Paragraph(par.authority or "Jugendamt", BODY), Paragraph("Beschlussvorlage", H1), table]


def _proposal(inputs: Inputs, res: Results) -> list[Any]:
    par = inputs.parameters
    model = MODEL_LABELS[res.chosen_model]
    text = (
        f"Der {par.committee or 'Jugendhilfeausschuss'} beschließt, das Gesamtbudget für die "
        f"sozialräumliche Jugendhilfe von {eur(res.budget)} im Haushaltsjahr {par.first_year} "
        f"nach dem Modell „{model}“ auf die Sozialräume zu verteilen (Anlage 1)."
    )
    if res.transition and par.transition_years:
        text += (
            f" Sozialräume, die dadurch weniger erhalten, als ihnen nach ihrem bisherigen Anteil "
            f"zustünde, erhalten {par.first_year} einen Ausgleich in voller Höhe; der Ausgleich "
            f"wird in {par.transition_years} Jahren abgebaut, das frei werdende Geld fließt in "
            "das regionale Budget 1."
        )
    return [Paragraph("Beschlussvorschlag", H2), Paragraph(text, BODY)]


def _facts(inputs: Inputs, res: Results) -> list[Any]:
    used = [i for i in res.indicators if i.weight > 0]
    names = ", ".join(f"{i.label} (Gewicht {de(i.weight, 1)})" for i in used)
    chosen = res.chosen_model
    gain = sum(1 for a in res.areas if a.allocation[chosen] > a.previous)
    loss = sum(1 for a in res.areas if a.allocation[chosen] < a.previous)
    paragraphs = [
        "Das Jugendamt verteilt jedes Jahr ein Gesamtbudget für die sozialräumliche "
        f"Jugendhilfe auf {len(res.areas)} Sozialräume, die von "
        f"{len(res.providers)} Sozialraumträgern betreut werden.",
        "Wie stark ein Sozialraum belastet ist, beschreiben vereinbarte Kennzahlen "
        f"(Belastungsindikatoren): {names}. Für jeden Sozialraum wird jede Kennzahl mit dem "
        "Durchschnitt des ganzen Kreises verglichen. Der durchschnittliche Belastungsfaktor "
        "fasst diese Vergleiche gewichtet zusammen: 1,0 heißt „so belastet wie der Kreis im "
        "Durchschnitt“, 1,2 heißt „20 % stärker belastet“.",
        "Aus dem Belastungsfaktor und der Zahl der jungen Menschen ergibt sich die "
        "Verteilungsquote: der Anteil, den ein Sozialraum am Gesamtbudget erhält.",
        "Verglichen wurden vier Modelle. M1 verteilt nur nach der Zahl der Einwohner. M2 "
        "verteilt nach der Verteilungsquote, also nach Einwohnern und Belastung. M3 gibt jedem "
        "Sozialraum zuerst einen festen Sockelbetrag und verteilt den Rest nach der Quote. M4 "
        "geht vom bisherigen Budget aus und lässt es nur in einem vereinbarten Rahmen "
        "(Korridor) steigen oder sinken.",
        f"Nach dem vorgeschlagenen Modell {MODEL_LABELS[chosen]} erhalten {gain} Sozialräume "
        f"mehr und {loss} weniger Geld als im Vorjahr (Anlage 1).",
    ]
    return [Paragraph("Sachverhalt", H2), *(Paragraph(p, BODY) for p in paragraphs)]


def _finance(inputs: Inputs, res: Results) -> list[Any]:
    par = inputs.parameters
    chosen = res.chosen_model
    previous_total = sum(a.previous for a in res.areas)
    out: list[Any] = [Paragraph("Finanzielle Auswirkungen", H2)]
    out.append(
        Paragraph(
            f"Im Haushaltsjahr {par.first_year} stehen {eur(res.budget)} zur Verfügung, "
            f"{eur(abs(res.budget - previous_total))} "
            f"{'mehr' if res.budget >= previous_total else 'weniger'} als die Summe der "
            f"Vorjahresbudgets ({eur(previous_total)}).",
            BODY,
        )
    )
    rows = []
    for a in res.areas:
        delta = a.allocation[chosen] - a.previous
        name = res.provider_names.get(a.provider, a.provider)
        rows.append(
            [
                a.name,
                name,
                eur(a.previous),
                eur(a.allocation[chosen]),
                eur(delta),
                pct(change_ratio(a.allocation[chosen], a.previous)),
                trend(delta),
            ]
        )
    total = sum(a.allocation[chosen] for a in res.areas)
    rows.append(
        [
            "Summe",
            "",
            eur(previous_total),
            eur(total),
            eur(total - previous_total),
            pct(change_ratio(total, previous_total)),
            "",
        ]
    )
    out += [
        Paragraph(f"Veränderung je Sozialraum gegenüber dem Vorjahr ({MODEL_LABELS[chosen]}):", H3),
        _table(
            [
                "Sozialraum",
                "Sozialraumträger",
                "Vorjahr",
                str(par.first_year),
                "Veränderung",
                "in %",
                "",
            ],
            rows,
            [3.2, 4.6, 2.0, 2.0, 2.0, 1.5, 1.7],
            bold_last=True,
            left=2,
        ),
    ]
    out += _transition(inputs, res)
    return out


def _transition(inputs: Inputs, res: Results) -> list[Any]:
    par = inputs.parameters
    out: list[Any] = [Paragraph("Übergang: Besitzstand und Abbau", H3)]
    failed = [c for c in res.checks if c.name == "Übergang finanzierbar" and not c.ok]
    if failed:
        return [*out, Paragraph(f"Kein Übergangsplan möglich: {failed[0].detail}", BODY)]
    if not res.transition or not any(t.compensation_total for t in res.transition):
        return [*out, Paragraph("Kein Sozialraum verliert; ein Ausgleich ist nicht nötig.", BODY)]
    out.append(
        Paragraph(
            "<b>Ausgleich</b> (Besitzstand) erhält ein Sozialraum, der nach dem neuen Modell "
            "weniger erhält als seinen bisherigen Anteil am Budget – gemessen am Vorjahr, "
            "umgerechnet auf das neue Gesamtbudget (bisheriger Anteil × neues Gesamtbudget). "
            "Deshalb kann ein Sozialraum in Euro mehr als im Vorjahr erhalten und trotzdem "
            "einen Ausgleich bekommen, wenn sein Anteil sinkt – und umgekehrt. Der Ausgleich "
            "wird aus dem regionalen Budget 1 bezahlt und über "
            f"{par.transition_years} Jahre abgebaut. "
            "<b>Frei werdend</b> ist der Betrag, um den der Ausgleich von einem Jahr zum "
            "nächsten sinkt; er fließt in das regionale Budget 1 der Regionen zurück.",
            BODY,
        )
    )
    years = [t.year for t in res.transition]
    names = [a.name for a in res.areas if any(t.compensation.get(a.name) for t in res.transition)]
    rows = [[n, *[eur(t.compensation.get(n, 0)) for t in res.transition]] for n in names]
    rows.append(["Ausgleich gesamt", *[eur(t.compensation_total) for t in res.transition]])
    rows.append(["frei werdend → regionales Budget 1", *[eur(t.freed) for t in res.transition]])
    width = 13.0 / max(1, len(years))
    out.append(_table(["Sozialraum", *map(str, years)], rows, [4.0, *[width] * len(years)]))
    return out


def _annex_models(res: Results) -> list[Any]:
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
        _table(head, rows(res.areas), widths),
        Paragraph("je Sozialraumträger", H3),
        _table(head, rows(res.providers, res.provider_names), widths),
        Paragraph("je Region", H3),
        _table(head, rows(res.regions), widths),
    ]


def _annex_figure(res: Results) -> list[Any]:
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
    return [Paragraph("Anlage 2: Modellvergleich als Abbildung", H2), _figure(fig)]


def _annex_split(res: Results) -> list[Any]:
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
        _table(head, rows(res.providers, res.provider_names), [6.0, 3.6, 3.6, 3.6]),
        Spacer(1, 6),
        _table(head, rows(res.regions), [6.0, 3.6, 3.6, 3.6]),
    ]


def _annex_indicators(res: Results) -> list[Any]:
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
        _table(
            ["Indikator", "Gewicht", "Richtung", "Datenjahre", "Quelle"],
            rows,
            [5.6, 1.6, 2.0, 2.2, 5.6],
            text=(2, 4),
        ),
    ]


def _annex_sensitivity(inputs: Inputs, res: Results) -> list[Any]:
    """Weight band and method comparison apart: mixing them alarms without reason."""
    from xlsozial.evaluation import compute

    par = inputs.parameters
    out: list[Any] = [Paragraph("Anlage 5: Wie sicher ist die Verteilung?", H2)]
    if par.sensitivity_draws:
        weights_only = compute(
            inputs.model_copy(
                update={
                    "parameters": par.model_copy(update={"sensitivity_vary_normalisation": False})
                }
            )
        )
        spread = de(par.sensitivity_spread * 100, 0)
        out.append(
            Paragraph(
                f"<b>Gewichte:</b> Würde man jedes Gewicht um bis zu {spread} % höher oder "
                "niedriger ansetzen, läge der Betrag nach Modell M2 in neun von zehn Fällen "
                "zwischen den beiden Werten der Tabelle.",
                BODY,
            )
        )
        rows = [
            [r.name, eur(cents(r.p5)), eur(cents(r.p50)), eur(cents(r.p95))]
            for r in weights_only.sensitivity
        ]
        out.append(_table(["Sozialraum", "niedrig", "mittel", "hoch"], rows, [6.0, 3.0, 3.0, 3.0]))
    by_method: dict[Normalisation, dict[str, int]] = {}
    for method in Normalisation:
        try:
            other = compute(
                inputs.model_copy(
                    update={
                        "parameters": par.model_copy(
                            update={"normalisation": method, "sensitivity_draws": 0}
                        )
                    }
                )
            )
        except InputError:
            continue
        by_method[method] = {a.name: a.allocation[ModelKey.M2] for a in other.areas}
    out.append(Spacer(1, 6))
    out.append(
        Paragraph(
            "<b>Rechenweg:</b> Die Kennzahlen lassen sich auf verschiedene Weise mit dem Kreis "
            f"vergleichen; gewählt ist „{par.normalisation.value}“. Die Tabelle zeigt, was M2 "
            "mit den anderen Verfahren ergäbe – eine Frage der Methode, nicht der Daten.",
            BODY,
        )
    )
    methods = list(by_method)
    rows = [[a.name, *[eur(by_method[m][a.name]) for m in methods]] for a in res.areas]
    out.append(
        _table(
            ["Sozialraum", *[m.value for m in methods]],
            rows,
            [4.5, *[12.5 / max(1, len(methods))] * len(methods)],
        )
    )
    return out


def _technical(inputs: Inputs, res: Results) -> list[Any]:
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
        _table(["Prüfung", "Ergebnis", "Details"], checks, [6.5, 1.8, 8.7], left=3),
    ]


def build_report(inputs: Inputs, res: Results, when: datetime | None = None) -> bytes:
    stamp = (when or datetime.now()).strftime("%d.%m.%Y")
    par = inputs.parameters
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=f"Beschlussvorlage Sozialraumbudget {par.first_year}",
        author=par.authority or "Jugendamt",
    )
    story: list[Any] = [
        *_header(inputs, res, stamp),
        *_proposal(inputs, res),
        *_facts(inputs, res),
        *_finance(inputs, res),
        Paragraph("Anlagen", H2),
        Paragraph(
            "1 Modellvergleich · 2 Abbildung · 3 Aufteilung gebunden / regionales Budget 1"
            " · 4 Belastungsindikatoren · 5 Sensitivität · Technischer Anhang",
            BODY,
        ),
        PageBreak(),
        *_annex_models(res),
        PageBreak(),
        KeepTogether(_annex_figure(res)),
        *_annex_split(res),
        PageBreak(),
        *_annex_indicators(res),
        *_annex_sensitivity(inputs, res),
        PageBreak(),
        *_technical(inputs, res),
    ]
    head_left = par.authority or "Jugendamt"
    head_right = (f"Vorlage {par.paper_number} · " if par.paper_number else "") + (
        f"Haushaltsjahr {par.first_year}"
    )
    doc.build(story, canvasmaker=_numbered_canvas(head_left, head_right))
    return buffer.getvalue()


def write_report(inputs: Inputs, res: Results, target: Path) -> None:
    from xlsozial.fileio import atomic_write_bytes

    atomic_write_bytes(target, build_report(inputs, res))
