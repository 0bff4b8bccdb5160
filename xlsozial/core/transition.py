"""Transition to the new distribution (Übergang) year by year, who pays for it, and what
each Sozialraum is actually paid.

Compensation (DESIGN item 6): a Sozialraum that loses under the new model against its
Besitzstand basis R (the previous year, or the Besitzstand fixed at the transition's first
Jahreswechsel; rescaled to the Gesamtbudget) is held harmless in year 1. In year t of N the
compensation is max(0, 1 − (t−1)/N) of the loss L = max(0, R − A), so with N = 4: 100 %,
75 %, 50 %, 25 %, 0 %. A year's total is rounded half up, then apportioned over the areas by
their loss, never more than the year before.

Funding, a parameter because both are real:

- *from regionales Budget 1* of the same budget: the year's compensation is taken from the
  regions by the Verteilschlüssel (weights per region: their regionales Budget 1, their
  population, or fixed shares), never more than a region has. As the compensation shrinks,
  less is taken: the freed amount stays in the regions by the same key.
- *from extra money* E per year on top of the Gesamtbudget (Lüneburg 2026: +203.000 €): the
  compensation is paid from E; what E does not need (in later years: the freed amounts) goes
  into regionales Budget 1 by the Verteilschlüssel, or is not paid out.

Only the budget year's step must be payable from the budget year's money: earlier steps
were paid in their years (:class:`InfeasibleError` otherwise).

Actually paid (tatsächlich) per Sozialraum: model amount + compensation + its share of its
region's change of regionales Budget 1 (− what was taken, + extra money); a region's change
is split over its Sozialräume in proportion to their regionales Budget 1 (by model amount
where the region has none), largest remainder. So the paid amounts sum to G (funding from
regionales Budget 1), G + E (extra money, all paid out) or G + compensation (the rest of E
not paid out): what was paid out is next year's Vorjahr, and it adds up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from xlsozial.core.apportion import InfeasibleError, apportion


@dataclass(frozen=True)
class Regions:
    """The areas' regions and the regionales Budget 1 the split gives each area (units)."""

    keys: list[str]
    of_area: list[int]  # region index per area
    regional: list[int]  # per area

    @cached_property
    def totals(self) -> list[int]:
        out = [0] * len(self.keys)
        for r, v in zip(self.of_area, self.regional):
            out[r] += v
        return out

    @cached_property
    def members(self) -> list[list[int]]:
        """The areas of each region (indices), worked out once for every year."""
        out: list[list[int]] = [[] for _ in self.keys]
        for i, r in enumerate(self.of_area):
            out[r].append(i)
        return out


@dataclass(frozen=True)
class Funding:
    """Who pays the Besitzstand: ``extra`` units per year, or regionales Budget 1 (None)."""

    key: list[Fraction]  # Verteilschlüssel weight per region
    extra: int | None = None
    rest_paid: bool = True  # extra money not needed goes into regionales Budget 1


@dataclass(frozen=True)
class TransitionYear:
    year: int
    factor: float
    compensation: list[int]  # per area
    freed: int  # less compensation than the year before
    taken: list[int]  # per region: paid for the Besitzstand out of its regionales Budget 1
    extra: list[int]  # per region: extra money added to its regionales Budget 1
    paid: list[int]  # per area: actually paid this year (tatsächlich)
    regional: list[int]  # per region: regionales Budget 1 available
    extra_used: int  # extra money paid out: for the compensation and into regional 1

    @property
    def compensation_total(self) -> int:
        return sum(self.compensation)

    @property
    def regional_total(self) -> int:
        return sum(self.regional)


def compensation_steps(
    allocation: Sequence[int], reference: Sequence[int], area_keys: Sequence[str], years: int
) -> list[tuple[float, list[int]]]:
    """(factor, compensation per area) for steps 1 … N+1 (one step of 0 % when N = 0)."""
    loss = [max(0, r - a) for a, r in zip(allocation, reference)]
    total_loss = sum(loss)
    steps: list[tuple[float, list[int]]] = []
    previous = list(loss)
    for t in range(1, years + 2):
        num, den = (max(0, years - (t - 1)), years) if years > 0 else (0, 1)
        total = (2 * total_loss * num + den) // (2 * den)  # half up, in whole units
        comp = apportion(total, loss, list(area_keys), upper=previous)
        steps.append((num / den, comp))
        previous = comp
    return steps


def fund_year(
    year: int,
    factor: float,
    compensation: list[int],
    allocation: Sequence[int],
    area_keys: Sequence[str],
    regions: Regions,
    funding: Funding,
    freed: int,
) -> TransitionYear:
    """One year's money: who pays the compensation, regionales Budget 1, paid per area."""
    total = sum(compensation)
    region_totals = regions.totals
    n = len(regions.keys)
    taken, extra = [0] * n, [0] * n
    if funding.extra is None:
        taken = apportion(total, funding.key, regions.keys, upper=region_totals)
    else:
        if total > funding.extra:
            raise InfeasibleError()  # the compensation exceeds the extra money
        if funding.rest_paid:
            extra = apportion(funding.extra - total, funding.key, regions.keys)
    paid = [a + c for a, c in zip(allocation, compensation)]
    for r, members in enumerate(regions.members):
        own = [regions.regional[i] for i in members]
        weights = own if sum(own) > 0 else [allocation[i] for i in members]
        names = [area_keys[i] for i in members]
        minus = apportion(taken[r], weights, names)  # taken ≤ the region's own: fits
        plus = apportion(extra[r], weights, names)
        for i, m, p in zip(members, minus, plus):
            paid[i] += p - m
    available = [t - k + e for t, k, e in zip(region_totals, taken, extra)]
    used = 0 if funding.extra is None else total + sum(extra)
    return TransitionYear(year, factor, compensation, freed, taken, extra, paid, available, used)


@dataclass(frozen=True)
class Schedule:
    years: list[TransitionYear]  # the budget year (if a step falls on it) and after
    current: TransitionYear  # the budget year: a step of the transition, or none (0 €)
    before: TransitionYear | None  # the step of the year before, where there was one
    needed: int  # compensation due in the budget year (units)


def transition_schedule(
    allocation: Sequence[int],
    reference: Sequence[int],
    area_keys: Sequence[str],
    regions: Regions,
    funding: Funding,
    years: int,
    start: int,
    budget_year: int,
) -> Schedule:
    """The steps from the budget year on; raises InfeasibleError if the budget year's step
    cannot be paid (only that step is paid from this year's money)."""
    steps = compensation_steps(allocation, reference, area_keys, years)
    by_year = {start + t: step for t, step in enumerate(steps)}
    nothing = [0] * len(allocation)
    factor, comp = by_year.get(budget_year, (0.0, nothing))
    last = by_year.get(budget_year - 1)
    freed = sum(last[1]) - sum(comp) if last is not None else 0
    current = fund_year(
        budget_year, factor, comp, allocation, area_keys, regions, funding, max(0, freed)
    )
    before = None
    if last is not None:
        try:
            factor_before, comp_before = last
            before = fund_year(
                budget_year - 1,
                factor_before,
                comp_before,
                allocation,
                area_keys,
                regions,
                funding,
                0,
            )
        except InfeasibleError:
            before = None  # paid then from that year's money; not comparable region by region
    later = []
    previous = sum(comp)
    for year in sorted(y for y in by_year if y > budget_year):
        f, c = by_year[year]
        later.append(
            fund_year(year, f, c, allocation, area_keys, regions, funding, previous - sum(c))
        )
        previous = sum(c)
    shown = ([current] if budget_year in by_year else []) + later
    return Schedule(shown, current, before, sum(comp))
