"""The whole computation: validated inputs → results. Pure: no Excel, no files.

Areas are processed in a canonical order (by name) so that results do not depend on the
order of rows in the workbook; the results list areas in the order they were given.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from xlsozial.core.apportion import InfeasibleError, apportion, exact, german_key
from xlsozial.core.burden import (
    FloatArray,
    IndicatorData,
    burden_factor,
    exact_factors,
    indicator_data,
    quota,
    relative_values,
)
from xlsozial.core.financing import (
    CorridorInfeasible,
    m1_population,
    m2_quota,
    m3_base_plus_quota,
    m4_corridor,
)
from xlsozial.core.matrix import split_budget, usage_matrix
from xlsozial.core.sensitivity import sensitivity
from xlsozial.core.transition import transition_schedule
from xlsozial.errors import InputError, Problem, where
from xlsozial.german import percent as fmt_percent
from xlsozial.models import (
    MODEL_LABELS,
    Area,
    BaseLevel,
    Inputs,
    ModelKey,
    Normalisation,
    Parameters,
    SplitMethod,
)
from xlsozial.results import (
    AreaResult,
    Check,
    GroupResult,
    IndicatorInfo,
    MatrixRow,
    Results,
    SensitivityRow,
    TransitionRow,
)
from xlsozial.validation import ensure_valid, fmt_number

# Up to this many Sozialräume the factors are exact rationals (a Landkreis has 5–100);
# beyond, their rational denominators grow so large that exact arithmetic takes minutes,
# and the factors are taken to 12 significant digits as for the irrational methods.
EXACT_AREAS = 2_000


def compute(inputs: Inputs) -> Results:
    """Run the full chain; raises :class:`InputError` with every problem found."""
    ensure_valid(inputs)
    par = inputs.parameters
    areas = sorted(inputs.areas, key=lambda a: german_key(a.name))
    keys = [a.name for a in areas]
    population = np.array([a.population(par.age_group) for a in areas], dtype=np.float64)
    if population.sum() <= 0:
        raise InputError(
            [Problem(where(par.origin, "age_group"), "Einwohnerzahl der Altersgruppe ist 0")]
        )

    data = indicator_data(inputs, keys, population)
    relative = relative_values(data, par.normalisation)
    weights = data.weights
    raw = burden_factor(relative, weights, par.aggregation)
    factor = burden_factor(
        relative, weights, par.aggregation, par.damping, par.factor_min, par.factor_max
    )
    if (factor < 0).any():
        bad = [keys[i] for i in np.flatnonzero(factor < 0)]
        raise InputError(
            [Problem(where(par.origin, "damping"), f"Belastungsfaktor negativ für {bad}")]
        )
    q = quota(population, factor)
    pop_int = [a.population(par.age_group) for a in areas]
    exact_bf = (
        exact_factors(inputs, data, keys, pop_int) if len(keys) <= EXACT_AREAS else None
    ) or [Fraction(f"{x:.12g}") for x in factor.tolist()]
    weighted = [p * f for p, f in zip(pop_int, exact_bf)]

    unit = round(par.rounding_unit * 100)
    budget = round(par.total_budget * 100) // unit
    previous_cents = [round(exact(a.previous_budget) * 100) for a in areas]
    reference = apportion(budget, previous_cents, keys)
    base_units = _base_units(inputs, areas, pop_int, unit)

    try:
        corridor = m4_corridor(
            budget,
            weighted,
            previous_cents,
            par.corridor_down,
            par.corridor_up,
            keys,
            unit,
        )
    except CorridorInfeasible as exc:
        raise InputError(_corridor_problems(par, exc)) from exc
    m4, low, high = corridor.units, corridor.lower_units, corridor.upper_units
    try:
        m3 = m3_base_plus_quota(budget, base_units, weighted, keys)
    except InfeasibleError as exc:
        raise InputError(
            [
                Problem(
                    where(par.origin, "rounding_unit"),
                    f"{exc}: Sockel passen nicht zur Rundungseinheit "
                    f"{fmt_number(par.rounding_unit)} € (Sockel auf volle Einheiten runden)",
                )
            ]
        ) from exc
    allocations: dict[ModelKey, list[int]] = {
        ModelKey.M1: m1_population(budget, pop_int, keys),
        ModelKey.M2: m2_quota(budget, weighted, keys),
        ModelKey.M3: m3,
        ModelKey.M4: m4,
    }
    chosen = allocations[par.chosen_model]

    providers = sorted(inputs.providers, key=lambda p: p.key)
    provider_keys = [p.key for p in providers]
    categories = [c.category for c in inputs.category_shares]
    shares = {c.category: c.bound_share for c in inputs.category_shares}
    matrix = usage_matrix(inputs.cost_positions, shares, categories, provider_keys)
    ratio = _bound_ratios(inputs, matrix.uniform_ratio(), matrix.provider_ratio)
    bound, regional = split_budget(chosen, [ratio[a.provider] for a in areas], keys)

    region_keys = sorted({a.region for a in areas})
    regional_by_region = _group_sum(areas, regional, lambda a: a.region, region_keys)
    transition_problem = ""
    try:
        schedule = transition_schedule(
            chosen,
            reference,
            keys,
            [regional_by_region[r] for r in region_keys],
            region_keys,
            par.transition_years,
            par.first_year,
        )
    except InfeasibleError as exc:
        loss = sum(max(0, r - a) for a, r in zip(chosen, reference)) * unit
        transition_problem = (
            f"{exc}: Ausgleich {fmt_number(loss / 100)} € gegenüber regionalem Budget 1 "
            f"{fmt_number(sum(regional) * unit / 100)} € ({MODEL_LABELS[par.chosen_model]})"
        )
        schedule = []

    area_results = _area_results(
        areas,
        data,
        relative,
        raw,
        factor,
        q,
        population,
        reference,
        base_units,
        low,
        high,
        allocations,
        bound,
        regional,
        unit,
    )
    by_name = {r.name: r for r in area_results}
    ordered = [by_name[a.name] for a in inputs.areas]
    bound_total = sum(bound) * unit
    results = Results(
        budget=budget * unit,
        unit=unit,
        chosen_model=par.chosen_model,
        indicators=[
            IndicatorInfo(
                key=ind.key,
                label=ind.label,
                weight=ind.weight,
                direction=ind.direction.value,
                years=data.years[ind.key],
                source=ind.source,
                district=float(data.district[k]),
            )
            for k, ind in enumerate(data.indicators)
        ],
        skipped_indicators=data.skipped,
        areas=ordered,
        providers=_groups(ordered, lambda r: r.provider, provider_keys),
        regions=_groups(ordered, lambda r: r.region, region_keys),
        categories=categories,
        matrix=[
            MatrixRow(
                category=c,
                bound_share=shares[c],
                amount={p: matrix.cells[(c, p)].amount for p in provider_keys},
                bound={p: matrix.cells[(c, p)].bound for p in provider_keys},
                regional={p: matrix.cells[(c, p)].regional for p in provider_keys},
            )
            for c in categories
        ],
        provider_names={p.key: p.name for p in providers},
        bound_ratio={p: float(ratio[p]) for p in provider_keys},
        transition=[
            TransitionRow(
                year=y.year,
                factor=y.factor,
                compensation={k: c * unit for k, c in zip(keys, y.compensation)},
                freed=y.freed * unit,
                regional={r: v * unit for r, v in zip(region_keys, y.regional)},
                bound_total=bound_total,
            )
            for y in schedule
        ],
        checks=[],
    )
    if par.sensitivity_draws > 0:
        results = results.model_copy(
            update=_sensitivity(inputs, data, relative, population, weights, keys, budget * unit)
        )
    checks = run_checks(inputs, results)
    checks.append(
        Check(
            name="Übergang finanzierbar",
            ok=not transition_problem,
            detail=transition_problem or "Ausgleich aus dem regionalen Budget 1 gedeckt",
        )
    )
    return results.model_copy(update={"checks": checks})


def _sensitivity(
    inputs: Inputs,
    data: IndicatorData,
    relative: FloatArray,
    population: FloatArray,
    weights: FloatArray,
    keys: list[str],
    budget_cents: int,
) -> dict[str, object]:
    par = inputs.parameters
    matrices = {par.normalisation: relative}
    if par.sensitivity_vary_normalisation:
        for method in Normalisation:
            if method not in matrices:
                try:
                    matrices[method] = relative_values(data, method)
                except InputError:
                    continue  # e.g. a ratio to a district value of 0: method not usable
    result = sensitivity(
        matrices,
        population,
        weights,
        budget_cents / 100,
        par.aggregation,
        par.damping,
        par.factor_min,
        par.factor_max,
        par.sensitivity_draws,
        par.sensitivity_spread,
        par.sensitivity_seed,
    )
    by_name = {
        k: SensitivityRow(
            name=k, p5=float(result.p5[i]), p50=float(result.p50[i]), p95=float(result.p95[i])
        )
        for i, k in enumerate(keys)
    }
    info = (
        f"{result.draws} Ziehungen, Gewichte × U(1 − {par.sensitivity_spread:.0%}; "
        f"1 + {par.sensitivity_spread:.0%}), Normierung: "
        + ", ".join(m.value for m in result.methods)
        + f", Startwert {par.sensitivity_seed}"
    )
    return {
        "sensitivity": [by_name[a.name] for a in inputs.areas],
        "sensitivity_info": info,
    }


def _base_units(
    inputs: Inputs, areas: list[Area], population: list[int], unit: int
) -> list[Fraction]:
    """Sockel per area in units; a per-SRT Sockel is spread over its areas by population."""
    if inputs.parameters.base_level is BaseLevel.AREA:
        return [exact(a.base_amount or 0) * 100 / unit for a in areas]
    out = [Fraction(0)] * len(areas)
    for provider in inputs.providers:
        idx = [i for i, a in enumerate(areas) if a.provider == provider.key]
        total = exact(provider.base_amount or 0) * 100 / unit
        pops = [population[i] for i in idx]
        for i, p in zip(idx, pops):
            out[i] = total * p / sum(pops) if sum(pops) > 0 else total / len(idx)
    return out


def _corridor_problems(par: Parameters, exc: CorridorInfeasible) -> list[Problem]:
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
        Problem(cells[0], f"{text} (Zellen {', '.join(cells)})"),
        Problem(cells[1], "Korridor oben: siehe die Meldung zum Korridor"),
        Problem(cells[2], "Rundungseinheit: siehe die Meldung zum Korridor"),
    ]


def _bound_ratios(
    inputs: Inputs, uniform: Fraction, historic: Callable[[str], Fraction | None]
) -> dict[str, Fraction]:
    """Share gebunden per SRT, exact: a ratio of cents from the matrix or a typed decimal."""
    par = inputs.parameters
    result: dict[str, Fraction] = {}
    for p in inputs.providers:
        if par.split_method is SplitMethod.FIXED:
            assert par.fixed_bound_share is not None
            result[p.key] = exact(par.fixed_bound_share)
        elif par.split_method is SplitMethod.PER_PROVIDER:
            own = historic(p.key)
            result[p.key] = (
                exact(p.bound_share) if p.bound_share is not None else own or Fraction(0)
            )
        else:
            result[p.key] = uniform
    return result


def _group_sum(
    areas: list[Area], values: list[int], key: Callable[[Area], str], names: list[str]
) -> dict[str, int]:
    sums: dict[str, int] = dict.fromkeys(names, 0)
    for a, v in zip(areas, values):
        sums[key(a)] += v
    return sums


def _area_results(
    areas: list[Area],
    data: IndicatorData,
    relative: FloatArray,
    raw: FloatArray,
    factor: FloatArray,
    q: FloatArray,
    population: FloatArray,
    reference: list[int],
    base_units: list[Fraction],
    low: list[int],
    high: list[int],
    allocations: dict[ModelKey, list[int]],
    bound: list[int],
    regional: list[int],
    unit: int,
) -> list[AreaResult]:
    indicators = data.indicators
    rates = data.rates
    out = []
    for i, a in enumerate(areas):
        out.append(
            AreaResult.model_construct(  # built from validated data; skip re-validation
                name=a.name,
                region=a.region,
                provider=a.provider,
                population=int(population[i]),
                previous=round(exact(a.previous_budget) * 100),
                reference=reference[i] * unit,
                rates={ind.key: float(rates[i, k]) for k, ind in enumerate(indicators)},
                relative={ind.key: float(relative[i, k]) for k, ind in enumerate(indicators)},
                factor_raw=float(raw[i]),
                factor=float(factor[i]),
                quota=float(q[i]),
                base=math.ceil(base_units[i] * unit),
                corridor_low=low[i] * unit,
                corridor_high=high[i] * unit,
                allocation={m: v[i] * unit for m, v in allocations.items()},
                bound=bound[i] * unit,
                regional=regional[i] * unit,
            )
        )
    return out


def _groups(
    areas: list[AreaResult], key: Callable[[AreaResult], str], names: list[str]
) -> list[GroupResult]:
    by_group: dict[str, list[AreaResult]] = {name: [] for name in names}
    for a in areas:
        by_group[key(a)].append(a)
    out = []
    for name in names:
        members = by_group[name]
        out.append(
            GroupResult(
                name=name,
                population=sum(a.population for a in members),
                previous=sum(a.previous for a in members),
                allocation={m: sum(a.allocation[m] for a in members) for m in ModelKey},
                bound=sum(a.bound for a in members),
                regional=sum(a.regional for a in members),
            )
        )
    return out


def _indicator_gaps(inputs: Inputs, res: Results) -> list[str]:
    """Every indicator with weight > 0 was used, with a value for each area and year."""
    used = {i.key: i.years for i in res.indicators}
    present = {(v.indicator, v.area, v.year) for v in inputs.indicator_values}
    gaps = []
    for ind in inputs.indicators:
        if ind.weight <= 0:
            continue
        if ind.key not in used:
            gaps.append(f"{ind.key}: nicht berücksichtigt")
            continue
        missing = [
            f"{a.name} {y}"
            for a in inputs.areas
            for y in used[ind.key]
            if (ind.key, a.name, y) not in present
        ]
        if missing:
            gaps.append(f"{ind.key}: fehlt für {', '.join(missing[:3])}")
    return gaps


def run_checks(inputs: Inputs, res: Results) -> list[Check]:
    """Green/red checks for the Prüfungen sheet; each recomputes from the results."""
    checks: list[Check] = []
    add = checks.append
    for m in ModelKey:
        total = sum(a.allocation[m] for a in res.areas)
        add(
            Check(
                name=f"{MODEL_LABELS[m]}: Summe = Gesamtbudget",
                ok=total == res.budget,
                detail=f"{fmt_number(total / 100)} € von {fmt_number(res.budget / 100)} €",
            )
        )
    negative = [a.name for a in res.areas if any(v < 0 for v in a.allocation.values())]
    add(
        Check(
            name="Keine negativen Beträge",
            ok=not negative,
            detail=", ".join(negative) or "kein Betrag unter 0 €",
        )
    )
    outside = [
        a.name
        for a in res.areas
        if not a.corridor_low <= a.allocation[ModelKey.M4] <= a.corridor_high
    ]
    add(
        Check(
            name="M4: Korridor eingehalten (nach Rundung)",
            ok=not outside,
            detail=", ".join(outside) or "alle Sozialräume im Korridor",
        )
    )
    below = [a.name for a in res.areas if a.allocation[ModelKey.M3] < a.base]
    add(
        Check(
            name="M3: Sockel eingehalten",
            ok=not below,
            detail=", ".join(below) or "jeder Sozialraum erhält mindestens seinen Sockel",
        )
    )
    weights = [i.weight for i in inputs.indicators]
    add(
        Check(
            name="Gewichte nicht negativ, Summe > 0",
            ok=all(w >= 0 for w in weights) and sum(weights) > 0,
            detail=f"Summe der Gewichte {fmt_number(sum(weights))}",
        )
    )
    gaps = _indicator_gaps(inputs, res)
    add(
        Check(
            name="Indikatorwerte vollständig",
            ok=not gaps,
            detail="; ".join(gaps[:5])
            or (
                "nicht berücksichtigt (Gewicht 0, unvollständig): "
                + ", ".join(res.skipped_indicators)
                if res.skipped_indicators
                else "alle Indikatoren vollständig"
            ),
        )
    )
    quota_sum = math.fsum(a.quota for a in res.areas)
    add(
        Check(
            name="Quoten ergeben 100 %",
            ok=abs(quota_sum - 1.0) < 1e-9,
            detail=fmt_percent(quota_sum),
        )
    )
    cost_total = sum(round(c.amount * 100) for c in inputs.cost_positions)
    matrix_total = sum(sum(r.amount.values()) for r in res.matrix)
    split_ok = all(r.amount[p] == r.bound[p] + r.regional[p] for r in res.matrix for p in r.amount)
    add(
        Check(
            name="Matrix = Summe der Kostenblätter",
            ok=cost_total == matrix_total and split_ok,
            detail=f"{fmt_number(matrix_total / 100)} €",
        )
    )
    split_total = sum(a.bound + a.regional for a in res.areas)
    add(
        Check(
            name="Aufteilung gebunden + regional = Gesamtbudget",
            ok=split_total == res.budget,
            detail=f"{fmt_number(split_total / 100)} €",
        )
    )
    bad_years = [
        str(t.year)
        for t in res.transition
        if t.bound_total + t.compensation_total + t.regional_total != res.budget
        or any(v < 0 for v in t.regional.values())
    ]
    add(
        Check(
            name="Übergang: jedes Jahr = Gesamtbudget",
            ok=not bad_years,
            detail=", ".join(bad_years) or f"{len(res.transition)} Jahre geprüft",
        )
    )
    return checks
