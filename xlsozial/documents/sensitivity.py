"""Anlage 5: how sure the distribution is. Two questions kept apart, as on the sheet
Sensitivität: how much the weights matter (a band from random weights), and what another
way of comparing with the district would give (a question of method, not of data)."""

from __future__ import annotations

from xlsozial.documents.paper import Block, Table, Text, eur, pct
from xlsozial.errors import InputError
from xlsozial.german import change_ratio
from xlsozial.german import number as de
from xlsozial.models import Inputs, ModelKey, Normalisation
from xlsozial.money import cents
from xlsozial.results import Results

WHY = {
    Normalisation.RATIO: "es jede Kennzahl als Vielfaches des Kreisdurchschnitts misst und so "
    "die Abstände in ihrer tatsächlichen Größe erhält",
    Normalisation.ZSCORE: "es die Abstände in Standardabweichungen misst, so dass einzelne "
    "Ausreißer weniger wiegen als beim Verhältnis zum Kreiswert",
    Normalisation.MINMAX: "es jeden Sozialraum zwischen dem niedrigsten und dem höchsten Wert "
    "einordnet und so alle Kennzahlen auf dieselbe Spanne bringt",
    Normalisation.RANK: "es nur die Reihenfolge der Sozialräume zählt, so dass kein einzelner "
    "Wert das Ergebnis bestimmt",
}


def annex_sensitivity(inputs: Inputs, res: Results) -> list[Block]:
    par = inputs.parameters
    out: list[Block] = []
    if par.sensitivity_draws:
        out += _weight_band(inputs)
    by_method = m2_by_method(inputs)
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


def justification(chosen: Normalisation, by_method: dict[Normalisation, dict[str, int]]) -> str:
    """Why this method, and how far another one would move a Sozialraum."""
    text = f"Gewählt ist „{chosen.value}“, weil {WHY[chosen]}."
    base = by_method.get(chosen)
    if not base:
        return text
    widest = max(
        (
            (abs(change_ratio(amounts[a], base[a]) or 0.0), m, a)
            for m, amounts in by_method.items()
            if m is not chosen
            for a in amounts
            if base.get(a)
        ),
        default=None,
    )
    if widest is None or widest[0] < 0.05:
        return text + " Die anderen Verfahren ergäben nahezu dieselbe Verteilung."
    _, method, area = widest
    moved = change_ratio(by_method[method][area], base[area])
    return (
        text + f" Die Wahl ist eine fachliche Entscheidung: mit „{method.value}“ erhielte "
        f"{area} nach M2 {eur(by_method[method][area])} statt {eur(base[area])} ({pct(moved)})."
    )


def _weight_band(inputs: Inputs) -> list[Block]:
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
        Text(
            f"Würde man jedes Gewicht zufällig um bis zu {spread} % höher oder niedriger "
            f"ansetzen ({par.sensitivity_draws} Versuche), läge der Betrag nach Modell M2 in "
            "neun von zehn Fällen zwischen „niedrig“ und „hoch“; „mittel“ ist der mittlere Wert.",
            lead="Gewichte.",
        ),
        Table(["Sozialraum", "niedrig", "mittel", "hoch"], rows, frozenset({1, 2, 3})),
    ]


def m2_by_method(inputs: Inputs) -> dict[Normalisation, dict[str, int]]:
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
