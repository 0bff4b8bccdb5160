"""The whole computation in named stages: validated inputs → results. Pure: no Excel, no
files, no user-facing text.

burden (indicators → factors → quota) → allocation (M1–M4 in whole rounding units) →
split (gebunden / regionales Budget 1 via the usage matrix) → transition (Besitzstand) →
results. Each stage returns a small frozen dataclass. Areas are processed in a canonical
order (German order of names), so results do not depend on the order of rows; the results
list areas in the order they were given. Problems a user must fix are raised as domain
exceptions (:class:`NoPopulation`, :class:`NegativeFactor`, :class:`CorridorInfeasible`,
:class:`BaseInfeasible`); :mod:`xlsozial.evaluation.compute` words them in German.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from xlsozial.core.apportion import InfeasibleError, apportion, exact, german_key
from xlsozial.core.assembly import assemble, with_sensitivity
from xlsozial.core.burden import (
    FloatArray,
    IndicatorData,
    IndicatorIssues,
    Issue,
    burden_factor,
    indicator_data,
    quota,
    relative_values,
)
from xlsozial.core.burden_exact import ExactSums, exact_factors, exact_sums, is_rational
from xlsozial.core.financing import ModelInputs, allocate, m4_corridor
from xlsozial.core.matrix import split_budget, usage_matrix
from xlsozial.core.stages import (
    Allocation,
    BaseInfeasible,
    Burden,
    NegativeFactor,
    NoPopulation,
    Solution,
    Split,
    Transition,
)
from xlsozial.core.transition import (
    Funding,
    Regions,
    compensation_steps,
    fund_year,
    transition_schedule,
)
from xlsozial.domain.models import (
    Aggregation,
    Area,
    BaseLevel,
    ExtraRest,
    HoldingFunding,
    Inputs,
    ModelKey,
    Normalisation,
    RegionKey,
    SplitMethod,
)
from xlsozial.domain.money import cents

# Up to this many Sozialräume the factors are exact rationals (a Landkreis has 5–100);
# beyond, their rational denominators grow so large that exact arithmetic takes minutes,
# and the factors are taken to 12 significant digits as for the irrational methods.
EXACT_AREAS = 2_000


def solve(inputs: Inputs) -> Solution:
    """Run every stage on validated inputs."""
    burden = burden_stage(inputs)
    allocation = allocation_stage(inputs, burden)
    split = split_stage(inputs, burden, allocation)
    transition = transition_stage(inputs, burden, allocation, split)
    results = assemble(inputs, burden, allocation, split, transition)
    if inputs.parameters.sensitivity_draws > 0:
        results = results.model_copy(
            update=with_sensitivity(inputs, burden, allocation.budget * allocation.unit)
        )
    return Solution(results, transition, allocation, burden)


@dataclass(frozen=True)
class Basis:
    """What the burden stage reads before it normalises: areas in canonical order, their
    population and the pooled indicator data (the same under every normalisation)."""

    areas: list[Area]
    keys: list[str]
    people: list[int]
    population: FloatArray
    data: IndicatorData


def burden_basis(inputs: Inputs) -> Basis:
    par = inputs.parameters
    areas = sorted(inputs.areas, key=lambda a: german_key(a.name))
    keys = [a.name for a in areas]
    people = [a.population(par.age_group) for a in areas]
    population = np.array(people, dtype=np.float64)
    if population.sum() <= 0:
        raise NoPopulation(par.age_group.value)
    return Basis(areas, keys, people, population, indicator_data(inputs, keys, population))


def burden_stage(
    inputs: Inputs, basis: Basis | None = None, sums: ExactSums | None = None
) -> Burden:
    """``basis`` and ``sums``: shared by a comparison of methods on the same inputs."""
    par = inputs.parameters
    basis = basis or burden_basis(inputs)
    areas, keys, people, population, data = (
        basis.areas,
        basis.keys,
        basis.people,
        basis.population,
        basis.data,
    )
    relative = relative_values(data, par.normalisation)
    if par.aggregation is Aggregation.GEOMETRIC and (relative <= 0).any():
        cells = tuple(
            (keys[int(i)], data.indicators[int(k)].key) for i, k in np.argwhere(relative <= 0)
        )
        raise IndicatorIssues([Issue("geometric_nonpositive", cells=cells)])
    raw = burden_factor(relative, data.weights, par.aggregation)
    factor = burden_factor(
        relative, data.weights, par.aggregation, par.damping, par.factor_min, par.factor_max
    )
    if (factor < 0).any():
        raise NegativeFactor([keys[i] for i in np.flatnonzero(factor < 0)])
    if sums is None and is_rational(inputs) and len(keys) <= EXACT_AREAS:
        sums = exact_sums(inputs, data, keys)
    exact_bf = (exact_factors(inputs, data, keys, people, sums) if sums is not None else None) or [
        Fraction(f"{x:.12g}") for x in factor.tolist()
    ]
    weighted = [p * f for p, f in zip(people, exact_bf)]
    q = quota(population, factor)
    return Burden(areas, keys, population, people, data, relative, raw, factor, q, weighted, sums)


def allocation_stage(inputs: Inputs, burden: Burden) -> Allocation:
    par = inputs.parameters
    unit = cents(par.rounding_unit)
    budget = cents(par.total_budget) // unit
    previous = [cents(a.previous_budget) for a in burden.areas]
    base = _base_units(inputs, burden.areas, burden.people, unit)
    decided = decided_quota(inputs, burden.keys)
    weighted = decided if decided is not None else burden.weighted
    corridor = m4_corridor(
        budget, weighted, previous, par.corridor_down, par.corridor_up, burden.keys, unit
    )
    model = ModelInputs(budget, burden.keys, burden.people, weighted, base)  # M4: corridor
    try:
        by_model = {m: allocate(m, model, corridor) for m in ModelKey}
    except InfeasibleError as exc:
        raise BaseInfeasible() from exc
    holdings = [a.holding for a in burden.areas]
    if all(h is not None for h in holdings):  # Besitzstand carried over by the Jahreswechsel
        reference = apportion(budget, [cents(h) for h in holdings], burden.keys)
    else:
        reference = apportion(budget, previous, burden.keys)
    return Allocation(unit, budget, reference, base, corridor, by_model, decided is not None)


def m2_by_normalisation(
    inputs: Inputs, methods: list[Normalisation], done: Burden | None = None
) -> dict[Normalisation, dict[str, int]]:
    """M2 per Sozialraum (cents) under each of ``methods`` that the data allow, as
    :func:`allocation_stage` computes it (the sensitivity compares the ways of comparing
    with the district; the other models, the split and the transition do not change M2).
    The indicator data and their exact sums are built once for all methods, or taken from
    ``done`` (the burden stage of the run on ``inputs``); a method the data do not allow
    (e.g. a ratio to a district value of 0) is left out."""
    if done is None:
        basis, sums = burden_basis(inputs), None
    else:
        basis = Basis(done.areas, done.keys, done.people, done.population, done.data)
        sums = done.sums
    out: dict[Normalisation, dict[str, int]] = {}
    for method in methods:
        par = inputs.parameters.model_copy(update={"normalisation": method})
        other = inputs.model_copy(update={"parameters": par})
        if sums is None and is_rational(other) and len(basis.keys) <= EXACT_AREAS:
            sums = exact_sums(other, basis.data, basis.keys)
        try:
            out[method] = m2_alone(other, burden_stage(other, basis, sums))
        except (NegativeFactor, IndicatorIssues):
            continue
    return out


def m2_alone(inputs: Inputs, burden: Burden) -> dict[str, int]:
    """M2 per Sozialraum in cents from a burden stage, as :func:`allocation_stage` does."""
    unit = cents(inputs.parameters.rounding_unit)
    budget = cents(inputs.parameters.total_budget) // unit
    decided = decided_quota(inputs, burden.keys)
    weighted = decided if decided is not None else burden.weighted
    model = ModelInputs(budget, burden.keys, burden.people, weighted)
    return {k: v * unit for k, v in zip(burden.keys, allocate(ModelKey.M2, model))}


def decided_quota(inputs: Inputs, keys: list[str]) -> list[Fraction] | None:
    """The quota the committee decided, if it holds for the budget year (else None)."""
    year = inputs.parameters.first_year
    rows = [r for r in inputs.quota_decisions if r.valid_in(year)]
    if not rows:
        return None
    by_area = {r.area: exact(r.quota) for r in rows}
    return [by_area[k] for k in keys]


def split_stage(inputs: Inputs, burden: Burden, allocation: Allocation) -> Split:
    providers = sorted(inputs.providers, key=lambda p: p.key)
    provider_keys = [p.key for p in providers]
    categories = [c.category for c in inputs.category_shares]
    shares = {c.category: c.bound_share for c in inputs.category_shares}
    matrix = usage_matrix(inputs.effective_costs, shares, categories, provider_keys)
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
    regions = Regions(
        region_keys, [region_keys.index(a.region) for a in burden.areas], split.regional
    )
    funding = Funding(
        _region_key(inputs, burden, regions),
        cents(par.extra_funds) // allocation.unit
        if par.holding_funding is HoldingFunding.EXTRA
        else None,
        par.extra_rest is ExtraRest.REGIONAL,
    )
    means = sum(regions.regional) if funding.extra is None else funding.extra
    start = par.transition_start or par.first_year
    args = (chosen, allocation.reference, burden.keys, regions, funding)
    ended = start + par.transition_years if start + par.transition_years < par.first_year else None
    try:
        s = transition_schedule(*args, par.transition_years, start, par.first_year)
    except InfeasibleError as exc:
        # Nothing is paid for the Besitzstand; the check turns red with what was due.
        nothing = [0] * len(chosen)
        zero = fund_year(par.first_year, 0.0, nothing, chosen, burden.keys, regions, funding, 0)
        steps = compensation_steps(chosen, allocation.reference, burden.keys, par.transition_years)
        due = sum(steps[par.first_year - start][1]) if par.first_year - start < len(steps) else 0
        return Transition(region_keys, [], zero, exc, due, means)
    return Transition(region_keys, s.years, s.current, None, s.needed, means, s.before, ended)


def _region_key(inputs: Inputs, burden: Burden, regions: Regions) -> list[Fraction]:
    """The Verteilschlüssel as one weight per region (validated: fixed shares cover all)."""
    par = inputs.parameters
    if par.region_key is RegionKey.FIXED:
        shares = {r.region: exact(r.share) for r in inputs.region_shares}
        return [shares.get(k, Fraction(0)) for k in regions.keys]
    if par.region_key is RegionKey.POPULATION:
        people = [Fraction(0)] * len(regions.keys)
        for r, p in zip(regions.of_area, burden.people):
            people[r] += p
        return people
    return [Fraction(t) for t in regions.totals]


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
