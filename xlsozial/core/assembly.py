"""The stages' numbers as :class:`Results` (money in cents), areas in input order."""

from __future__ import annotations

import math
from collections.abc import Callable

from xlsozial.core.burden import IndicatorData, relative_values
from xlsozial.core.sensitivity import SensitivityProblem, sensitivity
from xlsozial.core.stages import Allocation, Burden, Split, Transition
from xlsozial.domain.models import Inputs, Normalisation
from xlsozial.domain.money import cents
from xlsozial.domain.results import (
    AreaResult,
    GroupResult,
    IndicatorInfo,
    MatrixRow,
    RegionPlan,
    Results,
    SensitivityRow,
    TransitionRow,
)


def assemble(
    inputs: Inputs, burden: Burden, allocation: Allocation, split: Split, transition: Transition
) -> Results:
    """The stages' numbers as :class:`Results` (money in cents), areas in input order."""
    unit = allocation.unit
    by_name = {r.name: r for r in _area_results(burden, allocation, split, transition)}
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
        decided_quota={r.area: float(r.quota) for r in inputs.quota_in_force},
        quota_decided_used=allocation.decided,
        region_plans=_region_plans(inputs, burden, allocation, split, transition),
        extra_used=transition.current.extra_used * unit,
        transition_ended=transition.ended,
        checks=[],
    )


def _region_plans(
    inputs: Inputs, burden: Burden, allocation: Allocation, split: Split, transition: Transition
) -> list[RegionPlan]:
    """Per region: regionales Budget 1 in the budget year after the Besitzstand, against the
    approved and the open applications (amounts from the table are exact cents)."""
    unit = allocation.unit
    now, before = transition.current, transition.before
    plans = []
    for i, region in enumerate(transition.region_keys):
        from_split = sum(
            r * unit for a, r in zip(burden.areas, split.regional) if a.region == region
        )
        mine = [x for x in inputs.applications if x.region == region]
        plans.append(
            RegionPlan(
                name=region,
                from_split=from_split,
                compensation=now.taken[i] * unit,
                available=now.regional[i] * unit,
                approved=sum(cents(x.approved_amount) for x in mine),
                open=sum(cents(x.open_amount) for x in mine),
                freed=(now.regional[i] - before.regional[i]) * unit if before else 0,
                extra=now.extra[i] * unit,
            )
        )
    return plans


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
            extra_used=y.extra_used * unit,
        )
        for y in transition.schedule
    ]


def with_sensitivity(inputs: Inputs, burden: Burden, budget_cents: int) -> dict[str, object]:
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
        SensitivityProblem(
            relative=matrices,
            population=burden.population,
            weights=burden.data.weights,
            budget_eur=budget_cents / 100,
            aggregation=par.aggregation,
            damping=par.damping,
            lower=par.factor_min,
            upper=par.factor_max,
            draws=par.sensitivity_draws,
            spread=par.sensitivity_spread,
            seed=par.sensitivity_seed,
        )
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


def _area_results(
    burden: Burden, allocation: Allocation, split: Split, transition: Transition
) -> list[AreaResult]:
    unit = allocation.unit
    now = transition.current
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
                paid=now.paid[i] * unit,
                compensation=now.compensation[i] * unit,
            )
        )
    return out


def _groups(
    areas: list[AreaResult], key: Callable[[AreaResult], str], names: list[str]
) -> list[GroupResult]:
    by_group: dict[str, list[AreaResult]] = {name: [] for name in names}
    for a in areas:
        by_group[key(a)].append(a)
    return [GroupResult.of(name, by_group[name]) for name in names]
