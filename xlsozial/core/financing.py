"""The four financing models M1–M4 on the Gesamtbudget, in whole rounding units.

Each model first computes the exact (rational) amount per Sozialraum and then apportions
the budget by largest remainder, so every model sums to the budget exactly and ties are
decided by the documented rule, not by floating-point noise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from xlsozial.core.apportion import InfeasibleError, apportion, exact, exact_order
from xlsozial.domain.models import ModelKey

Number = int | float | Fraction


def m1_population(budget: int, population: Sequence[Number], keys: list[str]) -> list[int]:
    """M1 Einwohner: G · P_i / ΣP."""
    return apportion(budget, population, keys)


def m2_quota(budget: int, weighted: Sequence[Number], keys: list[str]) -> list[int]:
    """M2 Belastungsquote: G · q_i, with q_i = P_i·BF_i / Σ P_j·BF_j (pass P·BF or q)."""
    return apportion(budget, weighted, keys)


def m3_base_plus_quota(
    budget: int, base_units: Sequence[Number], quota: Sequence[Number], keys: list[str]
) -> list[int]:
    """M3 Sockel + Quote: S_i + (G − ΣS) · q_i; nobody falls below the Sockel after rounding.

    Raises :class:`InfeasibleError` when the Sockel, each rounded up to whole units, no
    longer fits into the budget.
    """
    base = [exact(b) for b in base_units]
    q = _normalised(quota)
    rest = budget - sum(base, Fraction(0))
    amounts = [b + rest * x for b, x in zip(base, q)]
    floors = [math.ceil(b) for b in base]
    return apportion(budget, amounts, keys, lower=floors)


def _normalised(values: Sequence[Number]) -> list[Fraction]:
    v = [exact(x) for x in values]
    total = sum(v, Fraction(0))
    return [x / total for x in v] if total else v


@dataclass(frozen=True)
class Corridor:
    """M4 result: units per Sozialraum and the exact corridor bounds (in units)."""

    units: list[int]
    lower: list[Fraction]
    upper: list[Fraction]
    amounts: list[Fraction]  # exact amounts before rounding

    @property
    def lower_units(self) -> list[int]:
        return [math.ceil(x) for x in self.lower]

    @property
    def upper_units(self) -> list[int]:
        return [math.floor(x) for x in self.upper]


class CorridorInfeasible(InfeasibleError):
    """The corridor cannot hold in whole rounding units; carries what would work."""

    def __init__(self, min_down: Fraction | None, min_up: Fraction | None, cents_ok: bool):
        self.min_down, self.min_up, self.cents_ok = min_down, min_up, cents_ok
        super().__init__("corridor infeasible in whole rounding units")


def corridor_bounds(
    budget: Number, previous: Sequence[Number], down: Number, up: Number
) -> tuple[list[Fraction], list[Fraction]]:
    """Corridor around the previous year's budget, rescaled to the new Gesamtbudget."""
    prev = [exact(v) for v in previous]
    total = sum(prev, Fraction(0))
    g, d, u = exact(budget), exact(down), exact(up)
    scaled = [v * g / total for v in prev]
    return [s * (1 - d) for s in scaled], [s * (1 + u) for s in scaled]


def corridor_exact(
    budget: Number, quota: Sequence[Number], lower: Sequence[Number], upper: Sequence[Number]
) -> list[Fraction]:
    """Exact M4 before rounding: the target G·q_i clamped to [lower, upper], residual
    redistributed over the unclamped areas in proportion to their quota until all bounds
    hold.

    That iteration converges to x_i = clip(λ·q_i, lower_i, upper_i) with the one λ for which
    Σx = G. Σx(λ) is piecewise linear and non-decreasing in λ, with a kink where an area
    reaches one of its bounds (λ = lower_i/q_i or upper_i/q_i); we walk the kinks in order
    and solve the linear piece that reaches G, in rational arithmetic.
    """
    g = exact(budget)
    q = _normalised(quota)
    lo = [exact(x) for x in lower]
    hi = [exact(x) for x in upper]
    fixed = [i for i, x in enumerate(q) if x == 0]
    if (
        sum(lo, Fraction(0)) > g
        or sum(hi[i] for i in range(len(q)) if q[i] > 0) + sum(lo[i] for i in fixed) < g
    ):
        raise InfeasibleError("the corridor cannot add up to the budget")

    def clipped(lam: Fraction) -> list[Fraction]:
        return [min(max(lam * x, a), b) for x, a, b in zip(q, lo, hi)]

    def total(lam: Fraction) -> Fraction:
        return sum(clipped(lam), Fraction(0))

    points = list({a / x for x, a in zip(q, lo) if x > 0} | {b / x for x, b in zip(q, hi) if x})
    kinks = [
        points[i] for i in exact_order(len(points), lambda i: float(points[i]), points.__getitem__)
    ]
    first = _first_kink(kinks, q, lo, hi, g, total)
    if first < len(kinks) and total(kinks[first]) == g:
        return clipped(kinks[first])
    left = kinks[first - 1] if first > 0 else Fraction(0)
    right = kinks[first] if first < len(kinks) else left + 1
    # Between two kinks the same areas are free, and Σx is linear in λ there.
    probe = (left + right) / 2
    free = [lo[i] < probe * x < hi[i] for i, x in enumerate(q)]
    held = clipped(probe)
    fixed_sum = sum((h for h, f in zip(held, free) if not f), Fraction(0))
    q_free = sum((x for x, f in zip(q, free) if f), Fraction(0))
    if q_free == 0:
        return held
    return clipped((g - fixed_sum) / q_free)


def _first_kink(
    kinks: list[Fraction],
    q: list[Fraction],
    lo: list[Fraction],
    hi: list[Fraction],
    g: Fraction,
    total: Callable[[Fraction], Fraction],
) -> int:
    """First kink at which the sum reaches G (the sum is monotone: bisection). Floats find
    it; two exact sums confirm it, else the bisection is repeated in exact arithmetic."""
    qf, lof, hif = (np.array([float(v) for v in arr]) for arr in (q, lo, hi))
    gf = float(g)

    def below(i: int, exact_sum: bool) -> bool:
        if exact_sum:
            return total(kinks[i]) < g
        return float(np.clip(float(kinks[i]) * qf, lof, hif).sum()) < gf

    def bisect(exact_sum: bool) -> int:
        first, last = 0, len(kinks)
        while first < last:
            middle = (first + last) // 2
            if below(middle, exact_sum):
                first = middle + 1
            else:
                last = middle
        return first

    first = bisect(False)
    confirmed = (first == len(kinks) or not below(first, True)) and (
        first == 0 or below(first - 1, True)
    )
    return first if confirmed else bisect(True)


@dataclass(frozen=True)
class ModelInputs:
    """What the four models need, in whole units of ``unit_cents`` (previous in cents)."""

    budget: int
    keys: list[str]
    population: Sequence[Number]
    weighted: Sequence[Number] = ()  # population × burden factor
    base: Sequence[Number] = ()  # Sockel in units (M3)
    previous: Sequence[Number] = ()  # previous-year budgets in cents (M4)
    down: Number = 0
    up: Number = 0
    unit_cents: int = 1


def allocate(model: ModelKey, m: ModelInputs, corridor: Corridor | None = None) -> list[int]:
    """The one dispatch over M1–M4, used by the workbook path and the worksheet functions.

    ``corridor``: an M4 result already computed (the pipeline also needs its bounds).
    """
    if model is ModelKey.M1:
        return m1_population(m.budget, m.population, m.keys)
    if model is ModelKey.M2:
        return m2_quota(m.budget, m.weighted, m.keys)
    if model is ModelKey.M3:
        return m3_base_plus_quota(m.budget, m.base, m.weighted, m.keys)
    if corridor is None:
        corridor = m4_corridor(m.budget, m.weighted, m.previous, m.down, m.up, m.keys, m.unit_cents)
    return corridor.units


def m4_corridor(
    budget: int,
    quota: Sequence[Number],
    previous: Sequence[Number],
    down: Number,
    up: Number,
    keys: list[str],
    unit_cents: int = 1,
) -> Corridor:
    """M4 Bestand mit Korridor in whole units; the bounds hold after rounding.

    A corridor too narrow for any whole-unit solution is an error (never silently widened):
    :class:`CorridorInfeasible` says the narrowest corridor that would work, and whether
    rounding to the cent would.
    """
    lower, upper = corridor_bounds(budget, previous, down, up)
    lo_units = [math.ceil(x) for x in lower]
    hi_units = [math.floor(x) for x in upper]
    try:
        if (
            sum(lo_units) > budget
            or sum(hi_units) < budget
            or any(a > b for a, b in zip(lo_units, hi_units))
        ):
            raise InfeasibleError("not feasible in whole units")
        amounts = corridor_exact(budget, quota, lower, upper)
    except InfeasibleError:
        raise _infeasible(budget, quota, previous, exact(down), exact(up), unit_cents) from None
    units = apportion(budget, amounts, keys, lower=lo_units, upper=hi_units)
    return Corridor(units=units, lower=lower, upper=upper, amounts=amounts)


def _infeasible(
    budget: int,
    quota: Sequence[Number],
    previous: Sequence[Number],
    down: Fraction,
    up: Fraction,
    unit_cents: int,
) -> CorridorInfeasible:
    """What would work: the smallest Korridor unten and oben, to 0,1 Prozentpunkte."""

    takes = [exact(x) > 0 for x in quota]  # an area with quota 0 stays at its floor

    def high_fits(u: Fraction, units: int) -> bool:
        lo, hi = corridor_bounds(units, previous, down, u)
        reachable = sum(b if t else a for a, b, t in zip(lo, hi, takes))
        return reachable >= units and sum(math.floor(x) for x in hi) >= units

    def low_fits(d: Fraction, u: Fraction, units: int) -> bool:
        """Floors fit into the budget, and every area's corridor holds a whole unit."""
        lo, hi = corridor_bounds(units, previous, d, u)
        floors = [math.ceil(x) for x in lo]
        return sum(floors) <= units and all(a <= math.floor(b) for a, b in zip(floors, hi))

    def smallest(ok: Callable[[int], bool], limit: int) -> int | None:
        """Smallest k in 0…limit with ok(k), for ok monotone (False … False True … True)."""
        if not ok(limit):
            return None
        first, last = 0, limit
        while first < last:
            middle = (first + last) // 2
            if ok(middle):
                last = middle
            else:
                first = middle + 1
        return first

    # Search in steps of 0,1 Prozentpunkte: first the upper side, then the lower one
    # (whose per-area condition depends on the upper bound that will be used).
    step = Fraction(1, 1000)
    min_down = min_up = None
    if not high_fits(up, budget):
        k = smallest(lambda k: high_fits(up + k * step, budget), 100_000)
        min_up = None if k is None else up + k * step
    new_up = up if min_up is None else min_up
    if not low_fits(down, new_up, budget):
        k = smallest(lambda k: low_fits(min(Fraction(1), down + k * step), new_up, budget), 1000)
        min_down = None if k is None else min(Fraction(1), down + k * step)
    cents = budget * unit_cents
    cents_ok = unit_cents > 1 and high_fits(up, cents) and low_fits(down, up, cents)
    return CorridorInfeasible(min_down, min_up, cents_ok)
