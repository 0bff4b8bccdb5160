"""Anlage 6: per region its regionales Budget 1 – what the split gives, what the Besitzstand
takes or the extra money adds, what the regional committee approved and what is open."""

from __future__ import annotations

from xlsozial.documents.paper import Block, Heading, Table, Text, eur
from xlsozial.domain.models import Inputs
from xlsozial.domain.money import cents
from xlsozial.domain.results import RegionPlan, Results


def annex_regions(inputs: Inputs, res: Results) -> list[Block]:
    year = inputs.parameters.first_year
    out: list[Block] = []
    for plan in res.region_plans:
        out.append(Heading(plan.name, level=2))
        over = plan.approved > plan.available
        out.append(
            Text(
                f"Im Haushaltsjahr {year} stehen der {plan.name} {eur(plan.available)} zur "
                f"Verfügung. Bewilligt sind {eur(plan.approved)}, beantragt und noch offen "
                f"{eur(plan.open)}. "
                + (
                    "Die Bewilligungen übersteigen das Budget um "
                    f"{eur(plan.approved - plan.available)}."
                    if over
                    else f"Es bleiben {eur(plan.remaining)}."
                )
            )
        )
        out.append(Table(["", "Betrag"], _plan_rows(plan), frozenset({1}), total=True))
        out += _applications(inputs, plan.name)
    return out


def _plan_rows(plan: RegionPlan) -> list[list[str]]:
    rows = [["regionales Budget 1 aus der Aufteilung", eur(plan.from_split)]]
    if plan.compensation:
        rows.append(["für den Besitzstand entnommen", eur(-plan.compensation)])
    if plan.extra:
        rows.append(["zusätzliche Mittel (nicht für den Besitzstand gebraucht)", eur(plan.extra)])
    rows.append(["verfügbar", eur(plan.available)])
    if plan.freed:
        rows.append(["darin frei geworden gegenüber dem Schritt des Vorjahres", eur(plan.freed)])
    rows.append(["bewilligt", eur(-plan.approved)])
    rows.append(["Rest", eur(plan.remaining)])
    return rows


def _applications(inputs: Inputs, region: str) -> list[Block]:
    mine = [a for a in inputs.applications if a.region == region]
    if not mine:
        return [Text("Für diese Region liegen keine Anträge vor.")]
    rows = [
        [
            a.project,
            a.provider,
            a.period,
            eur(cents(a.requested)),
            eur(cents(a.approved)) if a.approved is not None else "–",
            a.status.value + (f" (aus {a.carried_from})" if a.carried_from else ""),
            a.decided_on,
        ]
        for a in mine
    ]
    approved = sum(cents(a.approved_amount) for a in mine)
    rows.append(["Summe bewilligt", "", "", "", eur(approved), "", ""])
    return [
        Heading("Anträge und Beschlüsse des Regionalgremiums"),
        Table(
            ["Projekt", "Träger", "Zeitraum", "beantragt", "bewilligt", "Status", "Beschluss"],
            rows,
            frozenset({3, 4}),
            total=True,
        ),
    ]
