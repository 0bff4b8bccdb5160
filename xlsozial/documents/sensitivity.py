"""Anlage 5: how sure the distribution is. Two questions kept apart, as on the sheet
Sensitivität: how much the weights matter (a band from random weights), and what another
way of comparing with the district would give (a question of method, not of data)."""

from __future__ import annotations

from xlsozial.documents.paper import Block, Table, Text, eur
from xlsozial.domain.german import number as de
from xlsozial.domain.models import Inputs
from xlsozial.domain.money import cents
from xlsozial.domain.results import Results
from xlsozial.evaluation.what_if import justification, m2_by_method, weight_band


def annex_sensitivity(inputs: Inputs, res: Results) -> list[Block]:
    par = inputs.parameters
    out: list[Block] = []
    if par.sensitivity_draws:
        out += _weight_band(inputs, res)
    by_method = m2_by_method(inputs, res)
    methods = list(by_method)
    rows = [[a.name, *[eur(by_method[m][a.name]) for m in methods]] for a in res.areas]
    rows.append(["Summe", *[eur(sum(by_method[m].values())) for m in methods]])
    out += [
        Text(
            "Die Kennzahlen lassen sich auf verschiedene Weise mit dem Kreis vergleichen. Die "
            "Tabelle zeigt, was Modell M2 mit jedem Verfahren ergäbe – eine Frage der Methode, "
            "nicht der Daten.",
            lead="Rechenweg.",
        ),
        Text(justification(par.normalisation, by_method)),
        Table(
            ["Sozialraum", *[m.value for m in methods]],
            rows,
            frozenset(range(1, len(methods) + 1)),
            total=True,
            highlight=methods.index(par.normalisation) + 1
            if par.normalisation in methods
            else None,
        ),
    ]
    return out


def _weight_band(inputs: Inputs, res: Results) -> list[Block]:
    par = inputs.parameters
    spread = de(par.sensitivity_spread * 100, 0)
    rows = [
        [r.name, eur(cents(r.p5)), eur(cents(r.p50)), eur(cents(r.p95))]
        for r in weight_band(inputs, res)
    ]
    return [
        Text(
            f"Würde man jedes Gewicht zufällig um bis zu {spread} % höher oder niedriger "
            f"ansetzen ({par.sensitivity_draws} Versuche), läge der Betrag nach Modell M2 in "
            "neun von zehn Fällen zwischen „niedrig“ und „hoch“; „mittel“ ist der mittlere Wert.",
            lead="Gewichte.",
        ),
        Table(["Sozialraum", "niedrig", "mittel", "hoch"], rows, frozenset({1, 2, 3})),
    ]
