"""The whole computation in named stages: validated inputs → results. Pure: no Excel, no
files, no user-facing text.

burden (indicators → factors → quota) → allocation (M1–M4 in whole rounding units) →
split (gebunden / regionales Budget 1 via the usage matrix) → transition (Besitzstand) →
results. Each stage returns a small frozen dataclass. Areas are processed in a canonical
order (German order of names), so results do not depend on the order of rows; the results
list areas in the order they were given. Problems a user must fix are raised as domain
exceptions (:class:`NoPopulation`, :class:`NegativeFactor`, :class:`CorridorInfeasible`,
:class:`BaseInfeasible`); :mod:`xlsozial.evaluation` words them in German.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
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
from xlsozial.core.financing import Corridor, ModelInputs, allocate, m4_corridor
from xlsozial.core.matrix import UsageMatrix, split_budget, usage_matrix
from xlsozial.core.sensitivity import sensitivity
from xlsozial.core.transition import TransitionYear, transition_schedule
from xlsozial.models import Area, BaseLevel, Inputs, ModelKey, Normalisation, Provider, SplitMethod
from xlsozial.money import cents
from xlsozial.results import (
    AreaResult,
    GroupResult,
    IndicatorInfo,
    MatrixRow,
    Results,
    SensitivityRow,
    TransitionRow,
)

# Up to this many Sozialräume the factors are exact rationals (a Landkreis has 5–100);
# beyond, their rational denominators grow so large that exact arithmetic takes minutes,
# and the factors are taken to 12 significant digits as for the irrational methods.
EXACT_AREAS = 2_000


class NoPopulation(ValueError):
    """The chosen age group has no inhabitants in any Sozialraum."""


class NegativeFactor(ValueError):
    """Damping or bounds made a burden factor negative."""

    def __init__(self, areas: list[str]) -> None:
        self.areas = areas
        super().__init__(areas)


class BaseInfeasible(InfeasibleError):
    """The Sockel, each rounded up to whole units, no longer fits into the budget."""


@dataclass(frozen=True)
class Burden:
    areas: list[Area]  # canonical order
    keys: list[str]
    population: FloatArray
    people: list[int]
    data: IndicatorData
    relative: FloatArray
    raw: FloatArray
    factor: FloatArray
    quota: FloatArray
    weighted: list[Fraction]  # population × exact factor


@dataclass(frozen=True)
class Allocation:
    unit: int  # cents per rounding unit
    budget: int  # in units
    reference: list[int]  # previous budgets scaled to the budget, in units
    base: list[Fraction]  # Sockel in units
    corridor: Corridor
    by_model: dict[ModelKey, list[int]]


@dataclass(frozen=True)
class Split:
    providers: list[Provider]
    categories: list[str]
    shares: dict[str, float]
    matrix: UsageMatrix
    ratio: dict[str, Fraction]
    bound: list[int]
    regional: list[int]


@dataclass(frozen=True)
class Transition:
    region_keys: list[str]
    schedule: list[TransitionYear]
    failure: InfeasibleError | None  # regionales Budget 1 cannot pay the compensation
    loss: int  # compensation needed in total, in units


@dataclass(frozen=True)
class Solution:
    results: Results  # without checks: the evaluation adds them
    transition: Transition
    allocation: Allocation


def solve(inputs: Inputs) -> Solution:
    """Run every stage on validated inputs."""
    burden = burden_stage(inputs)
    allocation = allocation_stage(inputs, burden)
    split = split_stage(inputs, burden, allocation)
    transition = transition_stage(inputs, burden, allocation, split)
    results = assemble(inputs, burden, allocation, split, transition)
    if inputs.parameters.sensitivity_draws > 0:
        results = results.model_copy(
            update=_sensitivity(inputs, burden, allocation.budget * allocation.unit)
        )
    return Solution(results, transition, allocation)


def burden_stage(inputs: Inputs) -> Burden:
    par = inputs.parameters
    areas = sorted(inputs.areas, key=lambda a: german_key(a.name))
    keys = [a.name for a in areas]
    people = [a.population(par.age_group) for a in areas]
    population = np.array(people, dtype=np.float64)
    if population.sum() <= 0:
        raise NoPopulation(par.age_group.value)
    data = indicator_data(inputs, keys, population)
    relative = relative_values(data, par.normalisation)
    raw = burden_factor(relative, data.weights, par.aggregation)
    factor = burden_factor(
        relative, data.weights, par.aggregation, par.damping, par.factor_min, par.factor_max
    )
    if (factor < 0).any():
        raise NegativeFactor([keys[i] for i in np.flatnonzero(factor < 0)])
    exact_bf = (
        exact_factors(inputs, data, keys, people) if len(keys) <= EXACT_AREAS else None
    ) or [Fraction(f"{x:.12g}") for x in factor.tolist()]
    weighted = [p * f for p, f in zip(people, exact_bf)]
    q = quota(population, factor)
    return Burden(areas, keys, population, people, data, relative, raw, factor, q, weighted)


def allocation_stage(inputs: Inputs, burden: Burden) -> Allocation:
    par = inputs.parameters
    unit = cents(par.rounding_unit)
    budget = cents(par.total_budget) // unit
    previous = [cents(a.previous_budget) for a in burden.areas]
    base = _base_units(inputs, burden.areas, burden.people, unit)
    model = ModelInputs(
        budget=budget,
        keys=burden.keys,
        population=burden.people,
        weighted=burden.weighted,
        base=base,
        previous=previous,
        down=par.corridor_down,
        up=par.corridor_up,
        unit_cents=unit,
    )
    corridor = m4_corridor(
        budget, burden.weighted, previous, par.corridor_down, par.corridor_up, burden.keys, unit
    )
    try:
        by_model = {m: allocate(m, model, corridor) for m in ModelKey}
    except InfeasibleError as exc:
        raise BaseInfeasible(str(exc)) from exc
    reference = apportion(budget, previous, burden.keys)
    return Allocation(unit, budget, reference, base, corridor, by_model)


def split_stage(inputs: Inputs, burden: Burden, allocation: Allocation) -> Split:
    providers = sorted(inputs.providers, key=lambda p: p.key)
    provider_keys = [p.key for p in providers]
    categories = [c.category for c in inputs.category_shares]
    shares = {c.category: c.bound_share for c in inputs.category_shares}
    matrix = usage_matrix(inputs.cost_positions, shares, categories, provider_keys)
    ratio = _bound_ratios(inputs, matrix.uniform_ratio(), matrix.provider_ratio)
    chosen = allocation.by_model[inputs.parameters.chosen_model]
    bound, regional = split_budget(chosen, [ratio[a.provider] for a in burden.areas], burden.keys)
    return Split(providers, categories, shares, matrix, ratio, bound, regional)


def transition_stage(
    inputs: Inputs, burden: Burden, allocation: Allocation, split: Split
) -> Transition:
    par = inputs.parameters
    chosen = allocation.by_model[par.chosen_model]
    region_keys = sorted({a.region for a in burden.areas})
    by_region = _group_sum(burden.areas, split.regional, lambda a: a.region, region_keys)
    loss = sum(max(0, r - a) for a, r in zip(chosen, allocation.reference))
    try:
        schedule = transition_schedule(
            chosen,
            allocation.reference,
            burden.keys,
            [by_region[r] for r in region_keys],
            region_keys,
            par.transition_years,
            par.first_year,
        )
    except InfeasibleError as exc:
        return Transition(region_keys, [], exc, loss)
    return Transition(region_keys, schedule, None, loss)


def assemble(
    inputs: Inputs, burden: Burden, allocation: Allocation, split: Split, transition: Transition
) -> Results:
    """The stages' numbers as :class:`Results` (money in cents), areas in input order."""
    unit = allocation.unit
    by_name = {r.name: r for r in _area_results(burden, allocation, split)}
    ordered = [by_name[a.name] for a in inputs.areas]
    provider_keys = [p.key for p in split.providers]
    return Results(
        budget=allocation.budget * unit,
        unit=unit,
        chosen_model=inputs.parameters.chosen_model,
        indicators=_indicator_info(burden.data),
        skipped_indicators=burden.data.skipped,
        areas=ordered,
        providers=_groups(ordered, lambda r: r.provider, provider_keys),
        regions=_groups(ordered, lambda r: r.region, transition.region_keys),
        categories=split.categories,
        matrix=_matrix_rows(split, provider_keys),
        provider_names={p.key: p.name for p in split.providers},
        bound_ratio={p: float(split.ratio[p]) for p in provider_keys},
        transition=_transition_rows(burden, allocation, split, transition),
        checks=[],
    )


def _indicator_info(data: IndicatorData) -> list[IndicatorInfo]:
    return [
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
    ]


def _matrix_rows(split: Split, provider_keys: list[str]) -> list[MatrixRow]:
    cells = split.matrix.cells
    return [
        MatrixRow(
            category=c,
            bound_share=split.shares[c],
            amount={p: cells[(c, p)].amount for p in provider_keys},
            bound={p: cells[(c, p)].bound for p in provider_keys},
            regional={p: cells[(c, p)].regional for p in provider_keys},
        )
        for c in split.categories
    ]


def _transition_rows(
    burden: Burden, allocation: Allocation, split: Split, transition: Transition
) -> list[TransitionRow]:
    unit = allocation.unit
    bound_total = sum(split.bound) * unit
    return [
        TransitionRow(
            year=y.year,
            factor=y.factor,
            compensation={k: c * unit for k, c in zip(burden.keys, y.compensation)},
            freed=y.freed * unit,
            regional={r: v * unit for r, v in zip(transition.region_keys, y.regional)},
            bound_total=bound_total,
        )
        for y in transition.schedule
    ]


def _sensitivity(inputs: Inputs, burden: Burden, budget_cents: int) -> dict[str, object]:
    par = inputs.parameters
    matrices = {par.normalisation: burden.relative}
    if par.sensitivity_vary_normalisation:
        for method in Normalisation:
            if method not in matrices:
                try:
                    matrices[method] = relative_values(burden.data, method)
                except ValueError:
                    continue  # e.g. a ratio to a district value of 0: method not usable
    result = sensitivity(
        matrices,
        burden.population,
        burden.data.weights,
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
        for i, k in enumerate(burden.keys)
    }
    return {
        "sensitivity": [by_name[a.name] for a in inputs.areas],
        "sensitivity_methods": [m.value for m in result.methods],
        "sensitivity_draws_done": result.draws,
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


def _area_results(burden: Burden, allocation: Allocation, split: Split) -> list[AreaResult]:
    unit = allocation.unit
    indicators = burden.data.indicators
    rates, relative = burden.data.rates, burden.relative
    low, high = allocation.corridor.lower_units, allocation.corridor.upper_units
    out = []
    for i, a in enumerate(burden.areas):
        out.append(
            AreaResult.model_construct(  # built from validated data; skip re-validation
                name=a.name,
                region=a.region,
                provider=a.provider,
                population=burden.people[i],
                previous=cents(a.previous_budget),
                reference=allocation.reference[i] * unit,
                rates={ind.key: float(rates[i, k]) for k, ind in enumerate(indicators)},
                relative={ind.key: float(relative[i, k]) for k, ind in enumerate(indicators)},
                factor_raw=float(burden.raw[i]),
                factor=float(burden.factor[i]),
                quota=float(burden.quota[i]),
                base=math.ceil(allocation.base[i] * unit),
                corridor_low=low[i] * unit,
                corridor_high=high[i] * unit,
                allocation={m: v[i] * unit for m, v in allocation.by_model.items()},
                bound=split.bound[i] * unit,
                regional=split.regional[i] * unit,
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
