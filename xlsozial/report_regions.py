"""Anlage 6 of the Beschlussvorlage: one page per region on its regionales Budget 1 – what
the split gives, what the Besitzstand takes, what the regional committee approved and what
is still open. Also the decided quota, if one holds."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import PageBreak, Paragraph

from xlsozial.models import Inputs
from xlsozial.money import cents
from xlsozial.report_style import BODY, H2, H3, eur, table
from xlsozial.results import Results


def annex_regions(inputs: Inputs, res: Results) -> list[Any]:
    year = inputs.parameters.first_year
    out: list[Any] = []
    for i, plan in enumerate(res.region_plans):
        if i:
            out.append(PageBreak())
        out.append(Paragraph(f"Anlage 6.{i + 1}: Regionales Budget 1 – {plan.name}", H2))
        over = plan.approved > plan.available
        out.append(
            Paragraph(
                f"Im Haushaltsjahr {year} stehen der {plan.name} {eur(plan.available)} zur "
                f"Verfügung. Bewilligt sind {eur(plan.approved)}, beantragt und noch offen "
                f"{eur(plan.open)}. "
                + (
                    f"<b>Die Bewilligungen übersteigen das Budget um "
                    f"{eur(plan.approved - plan.available)}.</b>"
                    if over
                    else f"Es bleiben {eur(plan.remaining)}."
                ),
                BODY,
            )
        )
        rows = [
            ["regionales Budget 1 aus der Aufteilung", eur(plan.from_split)],
            ["davon für den Besitzstand", eur(-plan.compensation)],
            ["verfügbar", eur(plan.available)],
            ["bewilligt", eur(plan.approved)],
            ["Rest", eur(plan.remaining)],
        ]
        if plan.freed:
            rows.insert(2, ["darin frei geworden gegenüber dem Vorjahr", eur(plan.freed)])
        out.append(table(["", "€"], rows, [11.0, 4.0], bold_last=True))
        out += _applications(inputs, plan.name)
    return out


def _applications(inputs: Inputs, region: str) -> list[Any]:
    mine = [a for a in inputs.applications if a.region == region]
    if not mine:
        return [Paragraph("Für diese Region liegen keine Anträge vor.", BODY)]
    rows = [
        [
            a.project,
            a.provider,
            a.period,
            eur(cents(a.requested)),
            eur(cents(a.approved)) if a.approved is not None else "–",
            a.status.value,
            a.decided_on,
        ]
        for a in mine
    ]
    approved = sum(cents(a.approved_amount) for a in mine)
    rows.append(["Summe bewilligt", "", "", "", eur(approved), "", ""])
    return [
        Paragraph("Anträge und Beschlüsse des Regionalgremiums", H3),
        table(
            ["Projekt", "Träger", "Zeitraum", "beantragt", "bewilligt", "Status", "Beschluss"],
            rows,
            [4.2, 2.0, 2.0, 2.2, 2.2, 2.2, 2.2],
            bold_last=True,
            left=3,
            text=(5, 6),
        ),
    ]


def quota_paragraph(inputs: Inputs, res: Results) -> list[Any]:
    """A sentence in the Sachverhalt: which quota distributes the budget."""
    if not inputs.quota_in_force:
        return []
    first = inputs.quota_in_force[0]
    period = (
        f"{first.valid_from} bis {first.valid_to}" if first.valid_to else (f"ab {first.valid_from}")
    )
    if res.quota_decided_used:
        text = (
            f"Verteilt wird nach der mit Beschluss {first.decision} festgeschriebenen Quote "
            f"(gültig {period}); die Quote aus den aktuellen Daten zeigt das Blatt Quoten zum "
            "Vergleich."
        )
    else:
        text = (
            f"Die mit Beschluss {first.decision} festgeschriebene Quote (gültig {period}) gilt "
            "für dieses Haushaltsjahr nicht; verteilt wird nach den aktuellen Daten."
        )
    return [Paragraph(text, BODY)]
