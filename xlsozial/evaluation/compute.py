"""Inputs → checked results: validation, the pure core, and the German words around it.

The core (:mod:`xlsozial.core`) computes numbers and raises domain exceptions; here they
become :class:`InputError` problems that name the cells to fix, and the results get their
Prüfungen. Every front end (workbook, Excel, JSON, UDF-free reports) calls :func:`compute`.
"""

from __future__ import annotations

from xlsozial.core.burden import IndicatorIssues, Issue
from xlsozial.core.diagnostics import coverage, diagnose
from xlsozial.core.financing import CorridorInfeasible
from xlsozial.core.pipeline import m2_by_normalisation, solve
from xlsozial.core.stages import BaseInfeasible, Burden, NegativeFactor, NoPopulation, Solution
from xlsozial.domain.errors import InputError, Problem, where
from xlsozial.domain.german import percent as fmt_percent
from xlsozial.domain.messages import fmt_number
from xlsozial.domain.models import (
    MODEL_LABELS,
    Aggregation,
    HoldingFunding,
    Inputs,
    ModelKey,
    Normalisation,
    Parameters,
)
from xlsozial.domain.results import Check, IndicatorDiagnosis, OutlierRow, Results
from xlsozial.domain.transition_text import TRANSITION_CHECK
from xlsozial.domain.validation import ensure_valid
from xlsozial.evaluation.checks import run_checks
from xlsozial.evaluation.variants import run_variants


def compute(inputs: Inputs, for_sheets: bool = False) -> Results:
    """Run the full chain; raises :class:`InputError` with every problem found.

    ``for_sheets``: also what the workbook's sheets show beyond the run itself – M2 under
    every other normalisation (Sensitivität, Anlage 5; from this run's indicator data and
    sums), the Indikatoren-Diagnose and every variant of Blatt Varianten."""
    ensure_valid(inputs)
    par = inputs.parameters
    try:
        solution = solve(inputs)
    except NoPopulation:
        raise InputError(
            [Problem(where(par.origin, "age_group"), "Einwohnerzahl der Altersgruppe ist 0")]
        ) from None
    except NegativeFactor as exc:
        raise InputError(
            [Problem(where(par.origin, "damping"), f"Belastungsfaktor negativ für {exc.areas}")]
        ) from None
    except CorridorInfeasible as exc:
        raise InputError(corridor_problems(par, exc)) from None
    except BaseInfeasible as exc:
        raise InputError([base_problem(par, exc)]) from None
    except IndicatorIssues as exc:
        raise InputError(indicator_problems(exc, inputs)) from None
    results = solution.results
    checks = [*run_checks(inputs, results), transition_check(inputs, solution)]
    update: dict[str, object] = {
        "checks": checks,
        "sensitivity_info": sensitivity_info(inputs, results),
    }
    if for_sheets:
        update["diagnosis"] = indicator_diagnosis(inputs, solution)
        update["m2_by_method"] = method_comparison(inputs, results, solution.burden)
        update["variants"] = run_variants(inputs, compute)
    return results.model_copy(update=update)


def method_comparison(
    inputs: Inputs, results: Results | None, done: Burden | None = None
) -> dict[Normalisation, dict[str, int]]:
    """M2 per Sozialraum (cents) under each normalisation that the data allow, in the order
    of :class:`Normalisation`. ``results``: the run on ``inputs``, which holds M2 for the
    chosen method; ``done``: its burden stage, whose indicator data and sums are reused."""
    chosen = inputs.parameters.normalisation
    others = [m for m in Normalisation if not (results is not None and m is chosen)]
    try:
        found = m2_by_normalisation(inputs, others, done)
    except (NoPopulation, IndicatorIssues):  # the run itself would have said so
        found = {}
    if results is not None:
        found[chosen] = {a.name: a.allocation[ModelKey.M2] for a in results.areas}
    return {m: found[m] for m in Normalisation if m in found}


def indicator_diagnosis(inputs: Inputs, solution: Solution) -> IndicatorDiagnosis:
    """The core's diagnosis of the indicators as this run used them, by key and name."""
    burden = solution.burden
    data = burden.data
    keys = [ind.key for ind in data.indicators]
    geometric = inputs.parameters.aggregation is Aggregation.GEOMETRIC
    found = diagnose(data.rates, burden.relative, data.weights, geometric)
    observed = [(v.area, v.indicator, v.year) for v in inputs.indicator_values]
    return IndicatorDiagnosis(
        indicators=keys,
        areas=len(burden.keys),
        correlation=found.correlation,
        pairs=[(keys[i], keys[j], r) for i, j, r in found.pairs],
        outliers=[
            OutlierRow(
                indicator=keys[o.indicator],
                area=burden.keys[o.area],
                value=o.value,
                median=o.median,
                mads=o.mads,
            )
            for o in found.outliers
        ],
        no_spread=[keys[k] for k in found.no_spread],
        coverage=coverage(observed, [i.key for i in inputs.indicators]),
        years_used=dict(data.years),
        influence=None if found.influence is None else dict(zip(keys, found.influence)),
    )


def _indicator_text(issue: Issue) -> str:
    key = issue.indicator.key if issue.indicator is not None else ""
    if issue.kind == "missing":
        shown = ", ".join(f"{a} {y}" for a, y in issue.missing[:8])
        more = f" und {len(issue.missing) - 8} weitere" if len(issue.missing) > 8 else ""
        return f"Indikator „{key}“: Werte fehlen für {shown}{more}"
    return {
        "no_values": f"Für Indikator „{key}“ fehlen alle Werte",
        "mixed": f"Indikator „{key}“ mischt Zähler/Nenner und direkte Werte",
        "none_complete": "Kein Indikator mit Gewicht > 0 ist vollständig",
        "district_zero": f"Kreiswert von „{key}“ ist 0; Verhältnisbildung unmöglich",
        "relief_zero": f"„{key}“ ist entlastend und in einem Sozialraum 0; "
        "der Kehrwert ist nicht definiert",
        "geometric_nonpositive": "geometrisches Mittel braucht Werte > 0 in allen Zellen",
    }[issue.kind]


def indicator_problems(exc: IndicatorIssues, inputs: Inputs | None = None) -> list[Problem]:
    """The core's findings about indicator data, worded, at the indicator's row – or, for a
    zero under the geometric mean, at every value that is 0."""
    out = []
    for issue in exc.issues:
        if issue.kind == "geometric_nonpositive" and issue.cells and inputs is not None:
            out += _zero_cells(issue, inputs)
            continue
        if issue.indicator is not None:
            place = where(issue.indicator.origin, "key")
        else:
            place = "Indikatorwerte" if issue.kind == "geometric_nonpositive" else "Indikatoren"
        out.append(Problem(place, _indicator_text(issue)))
    return out


def _zero_cells(issue: Issue, inputs: Inputs) -> list[Problem]:
    bad = set(issue.cells)
    out = []
    for v in inputs.indicator_values:
        if (v.area, v.indicator) not in bad:
            continue
        field = "numerator" if v.is_rate else "value"
        if (v.numerator if v.is_rate else v.value) == 0:
            out.append(
                Problem(
                    where(v.origin, field),
                    f"{v.area}, {v.indicator} {v.year}: Wert 0 – das geometrische Mittel braucht "
                    "Werte über 0 (oder „arithmetisch“ mitteln)",
                )
            )
    return out or [Problem("Indikatorwerte", _indicator_text(issue))]


def corridor_problems(par: Parameters, exc: CorridorInfeasible) -> list[Problem]:
    """M4 that cannot hold in whole units is an input error, like an unmeetable Sockel."""
    hints = []
    if exc.min_down is not None:
        hints.append(f"Korridor unten mindestens {fmt_percent(exc.min_down)}")
    if exc.min_up is not None:
        hints.append(f"Korridor oben mindestens {fmt_percent(exc.min_up)}")
    if exc.cents_ok:
        hints.append("oder Rundungseinheit 0,01 €")
    text = (
        f"M4: Der Korridor (unten {fmt_percent(par.corridor_down)}, oben "
        f"{fmt_percent(par.corridor_up)}) lässt sich mit der Rundungseinheit "
        f"{fmt_number(par.rounding_unit)} € nicht einhalten"
        + (f"; möglich wäre: {', '.join(hints)}" if hints else "")
    )
    cells = [where(par.origin, f) for f in ("corridor_down", "corridor_up", "rounding_unit")]
    return [
        Problem(cells[0], f"{text} (Zellen {', '.join(cells)})" if all(cells) else text),
        Problem(cells[1], "Korridor oben: siehe die Meldung zum Korridor"),
        Problem(cells[2], "Rundungseinheit: siehe die Meldung zum Korridor"),
    ]


def base_problem(par: Parameters, exc: BaseInfeasible) -> Problem:
    return Problem(
        where(par.origin, "rounding_unit"),
        "Die Sockel passen nicht zur Rundungseinheit "
        f"{fmt_number(par.rounding_unit)} €: auf ganze Einheiten aufgerundet übersteigen sie "
        "das Gesamtbudget (Sockel auf volle Einheiten runden)",
    )


def transition_check(inputs: Inputs, solution: Solution) -> Check:
    """Can this year's Besitzstand be paid from this year's money? Red with the amounts if
    not. Only the budget year's step counts: earlier steps were paid in their years."""
    t, unit = solution.transition, solution.allocation.unit
    par = inputs.parameters
    extra = par.holding_funding is HoldingFunding.EXTRA
    source = "den zusätzlichen Mitteln" if extra else "dem regionalen Budget 1"
    year = par.first_year
    if t.failure is None:
        if t.needed == 0:
            detail = f"{year} ist kein Besitzstand zu zahlen"
        else:
            detail = (
                f"Ausgleich {year} ({fmt_number(t.needed * unit / 100)} €) aus {source} gedeckt"
            )
        return Check(name=TRANSITION_CHECK, ok=True, detail=detail)
    means = "die zusätzlichen Mittel" if extra else "das regionale Budget 1"
    step = year - (par.transition_start or year) + 1
    detail = (
        f"Der Ausgleich {year} (Schritt {step} von {par.transition_years + 1}) übersteigt "
        f"{means}: Ausgleich {fmt_number(t.needed * unit / 100)} € gegenüber "
        f"{fmt_number(t.means * unit / 100)} € "
        f"({MODEL_LABELS[par.chosen_model]})"
    )
    return Check(name=TRANSITION_CHECK, ok=False, detail=detail)


def sensitivity_info(inputs: Inputs, res: Results) -> str:
    if not res.sensitivity:
        return ""
    par = inputs.parameters
    return (
        f"{res.sensitivity_draws_done} Ziehungen, Gewichte × U(1 − {par.sensitivity_spread:.0%}; "
        f"1 + {par.sensitivity_spread:.0%}), Normierung: "
        + ", ".join(res.sensitivity_methods)
        + f", Startwert {par.sensitivity_seed}"
    )
