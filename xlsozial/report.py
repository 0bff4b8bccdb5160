"""The Beschlussvorlage for the Jugendhilfeausschuss as a PDF (reportlab platypus).

The shape committee members know: header (body, Vorlage-Nr., Gremium, Sitzung),
Beschlussvorschlag (the sentence voted on), Sachverhalt in plain German, Finanzielle
Auswirkungen (change against the previous year, Besitzstand payments per year and area, freed
money into regionales Budget 1), then the Anlagen (:mod:`xlsozial.report_annex`) and a
technical annex for the jargon. Every page names the body, the Vorlage and the Haushaltsjahr
and says "Seite x von y". Gains and losses carry a word and an arrow, never colour alone
(black-and-white print). Figures come from matplotlib as high-resolution PNG.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from xlsozial.checks import TRANSITION_CHECK
from xlsozial.german import change_ratio
from xlsozial.german import number as de
from xlsozial.models import MODEL_LABELS, HoldingFunding, Inputs
from xlsozial.report_annex import (
    annex_figure,
    annex_indicators,
    annex_models,
    annex_sensitivity,
    annex_split,
    technical_annex,
)
from xlsozial.report_regions import annex_regions, quota_paragraph
from xlsozial.report_style import (
    BODY,
    H1,
    H2,
    H3,
    eur,
    numbered_canvas,
    pct,
    table,
    trend,
)
from xlsozial.results import Results
from xlsozial.transition_text import funding_words, status_words

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
    grid = Table(rows, colWidths=[4 * cm, 13 * cm])
    grid.setStyle(
        TableStyle(
            [("FONTSIZE", (0, 0), (-1, -1), 10), ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold")]
        )
    )
    return [Paragraph(par.authority or "Jugendamt", BODY), Paragraph("Beschlussvorlage", H1), grid]


def _proposal(inputs: Inputs, res: Results) -> list[Any]:
    par = inputs.parameters
    model = MODEL_LABELS[res.chosen_model]
    text = (
        f"Der {par.committee or 'Jugendhilfeausschuss'} beschließt, das Gesamtbudget für die "
        f"sozialräumliche Jugendhilfe von {eur(res.budget)} im Haushaltsjahr {par.first_year} "
        f"nach dem Modell „{model}“ auf die Sozialräume zu verteilen (Anlage 1)."
    )
    text += _transition_sentence(inputs, res)
    return [Paragraph("Beschlussvorschlag", H2), Paragraph(text, BODY)]


def _transition_sentence(inputs: Inputs, res: Results) -> str:
    """Year 1 holds harmless in full; a later year says which step of the phase-out it is;
    either way, who pays for it."""
    par = inputs.parameters
    if not (res.transition and par.transition_years) or res.transition[0].year != par.first_year:
        return ""
    if not res.transition[0].compensation_total:
        return ""
    start = par.transition_start or par.first_year
    if start == par.first_year:
        text = (
            f" Sozialräume, die dadurch weniger erhalten, als ihnen nach ihrem bisherigen Anteil "
            f"zustünde, erhalten {par.first_year} einen Ausgleich in voller Höhe; der Ausgleich "
            f"wird in {par.transition_years} Jahren abgebaut."
        )
    else:
        share = de(res.transition[0].factor * 100, 0)
        text = (
            f" Der {start} begonnene Übergang geht weiter: Sozialräume, die weniger erhalten als "
            f"ihren Besitzstand, bekommen {par.first_year} noch {share} % des Ausgleichs."
        )
    return f"{text} {funding_words(inputs)}"


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
        f"mehr und {loss} weniger Geld als im Vorjahr (Anlage 1)"
        + (
            ", jeweils ohne den Besitzstand-Ausgleich (siehe Übergang)."
            if any(t.compensation_total for t in res.transition[:1])
            else "."
        ),
        f"Tatsächlich – mit Besitzstand und seiner Finanzierung – erhalten "
        f"{sum(1 for a in res.areas if a.paid > a.previous)} Sozialräume mehr und "
        f"{sum(1 for a in res.areas if a.paid < a.previous)} weniger, als sie "
        f"{inputs.parameters.first_year - 1} tatsächlich erhielten.",
    ]
    return [Paragraph("Sachverhalt", H2), *(Paragraph(p, BODY) for p in paragraphs)]


def _change_rows(res: Results) -> list[list[Any]]:
    """Per Sozialraum: paid last year, the model, paid this year, the actual change in € and
    %, and a word: paid is compared with paid, the same basis in both years."""
    chosen = res.chosen_model
    rows = []
    for a in res.areas:
        delta = a.paid - a.previous
        rows.append(
            [
                a.name,
                res.provider_names.get(a.provider, a.provider),
                eur(a.previous),
                eur(a.allocation[chosen]),
                eur(a.paid),
                eur(delta),
                pct(change_ratio(a.paid, a.previous)),
                trend(delta),
            ]
        )
    before = sum(a.previous for a in res.areas)
    total = res.paid_total
    rows.append(
        [
            "Summe",
            "",
            eur(before),
            eur(sum(a.allocation[chosen] for a in res.areas)),
            eur(total),
            eur(total - before),
            pct(change_ratio(total, before)),
            "",
        ]
    )
    return rows


def _finance(inputs: Inputs, res: Results) -> list[Any]:
    par = inputs.parameters
    year = par.first_year
    before = sum(a.previous for a in res.areas)
    extra = (
        f", dazu {eur(round(par.extra_funds * 100))} zusätzliche Mittel für den Besitzstand"
        if par.holding_funding is HoldingFunding.EXTRA
        else ""
    )
    difference = res.paid_total - before
    compare = (
        "gleich viel"
        if difference == 0
        else f"{eur(abs(difference))} {'mehr' if difference > 0 else 'weniger'}"
    )
    out: list[Any] = [Paragraph("Finanzielle Auswirkungen", H2)]
    out.append(
        Paragraph(
            f"Im Haushaltsjahr {year} stehen {eur(res.budget)} zur Verfügung{extra}. "
            f"Ausgezahlt werden {year} insgesamt {eur(res.paid_total)}; {year - 1} wurden "
            f"tatsächlich {eur(before)} gezahlt ({compare}).",
            BODY,
        )
    )
    out += [
        Paragraph(
            f"Veränderung je Sozialraum gegenüber dem Vorjahr ({MODEL_LABELS[res.chosen_model]},"
            " tatsächlich = mit Besitzstand und seiner Finanzierung):",
            H3,
        ),
        table(
            [
                "Sozialraum",
                "Sozialraumträger",
                f"tatsächlich {year - 1}",
                f"Modell {year}",
                f"tatsächlich {year}",
                "Veränderung",
                "in %",
                "",
            ],
            _change_rows(res),
            [2.7, 3.3, 2.0, 2.0, 2.0, 2.2, 1.5, 1.3],
            bold_last=True,
            left=2,
        ),
    ]
    out += _transition(inputs, res)
    return out


def _transition(inputs: Inputs, res: Results) -> list[Any]:
    out: list[Any] = [Paragraph("Übergang: Besitzstand und Abbau", H3)]
    failed = [c for c in res.checks if c.name == TRANSITION_CHECK and not c.ok]
    if failed:
        return [*out, Paragraph(f"Kein Übergangsplan möglich: {failed[0].detail}", BODY)]
    if not res.transition or not any(t.compensation_total for t in res.transition):
        return [*out, Paragraph(status_words(inputs, res), BODY)]
    out.append(
        Paragraph(
            "<b>Ausgleich</b> (Besitzstand) erhält ein Sozialraum, der nach dem neuen Modell "
            "weniger erhält als seinen bisherigen Anteil am Budget – gemessen am Vorjahr, "
            "umgerechnet auf das neue Gesamtbudget (bisheriger Anteil × neues Gesamtbudget). "
            "Deshalb kann ein Sozialraum in Euro mehr als im Vorjahr erhalten und trotzdem "
            "einen Ausgleich bekommen, wenn sein Anteil sinkt – und umgekehrt. "
            f"{status_words(inputs, res)} {funding_words(inputs)} "
            "<b>Frei werdend</b> ist der Betrag, um den der Ausgleich von einem Jahr zum "
            "nächsten sinkt.",
            BODY,
        )
    )
    years = [t.year for t in res.transition]
    names = [a.name for a in res.areas if any(t.compensation.get(a.name) for t in res.transition)]
    rows = [[n, *[eur(t.compensation.get(n, 0)) for t in res.transition]] for n in names]
    rows.append(["Ausgleich gesamt", *[eur(t.compensation_total) for t in res.transition]])
    rows.append(["frei werdend → regionales Budget 1", *[eur(t.freed) for t in res.transition]])
    width = 13.0 / max(1, len(years))
    out.append(table(["Sozialraum", *map(str, years)], rows, [4.0, *[width] * len(years)]))
    return out


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
        *quota_paragraph(inputs, res),
        *_finance(inputs, res),
        Paragraph("Anlagen", H2),
        Paragraph(
            "1 Modellvergleich · 2 Abbildung · 3 Aufteilung gebunden / regionales Budget 1"
            " · 4 Belastungsindikatoren · 5 Sensitivität · 6 Regionales Budget 1 je Region"
            " · Technischer Anhang",
            BODY,
        ),
        PageBreak(),
        *annex_models(res),
        PageBreak(),
        KeepTogether(annex_figure(res)),
        *annex_split(res),
        PageBreak(),
        *annex_indicators(res),
        *annex_sensitivity(inputs, res),
        PageBreak(),
        *annex_regions(inputs, res),
        PageBreak(),
        *technical_annex(inputs, res),
    ]
    head_left = par.authority or "Jugendamt"
    head_right = (f"Vorlage {par.paper_number} · " if par.paper_number else "") + (
        f"Haushaltsjahr {par.first_year}"
    )
    doc.build(story, canvasmaker=numbered_canvas(head_left, head_right))
    return buffer.getvalue()


def write_report(inputs: Inputs, res: Results, target: Path) -> None:
    from xlsozial.fileio import atomic_write_bytes

    atomic_write_bytes(target, build_report(inputs, res))
