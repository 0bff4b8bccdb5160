"""The same inputs under other settings, for the sensitivity shown on the sheet and in the
Vorlage alike: how much the weights matter (random weights, the chosen method), and what
another way of comparing with the district would give (a question of method, not data).
Kept apart because mixing both in one band alarms without reason."""

from __future__ import annotations

from xlsozial.domain.german import change_ratio, number
from xlsozial.domain.german import money as eur_text
from xlsozial.domain.models import Inputs, Normalisation
from xlsozial.domain.results import Results, SensitivityRow
from xlsozial.evaluation.compute import compute, method_comparison

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


def weight_band(inputs: Inputs, results: Results | None = None) -> list[SensitivityRow]:
    """5 %, 50 % and 95 % of M2 per Sozialraum over random weights, the method as chosen
    (``results``: the run on ``inputs``, whose band is this one unless it varied the method)."""
    par = inputs.parameters
    if not par.sensitivity_draws:
        return []
    if results is not None and not par.sensitivity_vary_normalisation:
        return results.sensitivity
    only_weights = par.model_copy(update={"sensitivity_vary_normalisation": False})
    return compute(inputs.model_copy(update={"parameters": only_weights})).sensitivity


def m2_by_method(
    inputs: Inputs, results: Results | None = None
) -> dict[Normalisation, dict[str, int]]:
    """M2 per Sozialraum (cents) under each normalisation that the data allow, in the order
    of :class:`Normalisation` (``results``: the run on ``inputs``, which already holds M2
    for the chosen method)."""
    if results is not None and results.m2_by_method:
        return results.m2_by_method  # computed with the run (compute(…, for_sheets))
    return method_comparison(inputs, results)


def justification(chosen: Normalisation, by_method: dict[Normalisation, dict[str, int]]) -> str:
    """Why this method, and how far another one would move a Sozialraum."""
    text = f"Gewählt ist „{chosen.value}“, weil {WHY[chosen]}."
    base = by_method.get(chosen)
    if not base:
        return text
    widest = max(
        (
            (abs(change_ratio(amounts[a], base[a]) or 0.0), m.value, a)
            for m, amounts in by_method.items()
            if m is not chosen
            for a in amounts
            if base.get(a)
        ),
        default=None,
    )
    if widest is None or widest[0] < 0.05:
        return text + " Die anderen Verfahren ergäben nahezu dieselbe Verteilung."
    _, name, area = widest
    other = by_method[Normalisation(name)][area]
    moved = change_ratio(other, base[area]) or 0.0
    return (
        text + f" Die Wahl ist eine fachliche Entscheidung: mit „{name}“ erhielte {area} nach "
        f"M2 {eur_text(other, 0)} statt {eur_text(base[area], 0)} "
        f"({'+' if moved > 0 else ''}{number(moved * 100, 1)} %)."
    )
