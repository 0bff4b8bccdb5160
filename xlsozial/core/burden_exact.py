"""The Belastungsfaktor in rational arithmetic, for the money apportioned from it.

Areas whose factors are equal in the mathematics must get equal shares, and ties must be
decided by the documented rule (see :mod:`xlsozial.core.apportion`), not by binary noise:
so where the method is rational, the factor is computed again from the numbers as typed.
The float path (:mod:`xlsozial.core.burden`) remains what is shown and what the irrational
methods (z-scores, geometric mean) use to 12 digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, Rounded, localcontext
from fractions import Fraction

from xlsozial.core.apportion import exact, exact_order
from xlsozial.core.burden import IndicatorData
from xlsozial.domain.models import Aggregation, Direction, Inputs, Normalisation


@dataclass(frozen=True)
class ExactSums:
    """Σ Zähler and Σ Nenner per indicator (rows) and area (columns) over the averaged
    years, as rationals. They do not depend on the normalisation, so a comparison of the
    methods sums the (many) indicator values once."""

    num: list[list[Fraction]]
    den: list[list[Fraction]]
    rate_kind: list[bool]  # False: plain values (no Zähler/Nenner), counted once per year
    rates: list[list[Fraction]]  # num / den


def is_rational(inputs: Inputs) -> bool:
    """Ratio, min-max and rank with the arithmetic mean are rational; z-scores (Φ) and the
    geometric mean are not."""
    par = inputs.parameters
    return par.normalisation is not Normalisation.ZSCORE and par.aggregation is not (
        Aggregation.GEOMETRIC
    )


def exact_factors(
    inputs: Inputs,
    data: IndicatorData,
    areas: list[str],
    population: list[int],
    sums: ExactSums | None = None,
) -> list[Fraction] | None:
    """The Belastungsfaktor per area in rational arithmetic, or None where it is irrational.

    Money is apportioned from these, so that areas whose factors are equal in the
    mathematics get equal shares and ties are decided by the documented rule. Where the
    method is irrational (:func:`is_rational`) the caller uses the float factor to 12 digits.
    """
    par = inputs.parameters
    if not is_rational(inputs):
        return None
    sums = sums or exact_sums(inputs, data, areas)
    num, den, rate_kind = sums.num, sums.den, sums.rate_kind
    weights = [exact(ind.weight) for ind in data.indicators]
    total = [Fraction(0)] * len(areas)
    for k, ind in enumerate(data.indicators):
        rates = sums.rates[k]
        burden = ind.direction is Direction.BURDEN
        if par.normalisation is Normalisation.RATIO:
            district = _exact_district(num[k], den[k], rates, population, rate_kind[k])
            relative = [r / district if burden else district / r for r in rates]
        elif par.normalisation is Normalisation.MINMAX:
            lo, hi = min(rates), max(rates)
            scaled = [(r - lo) / (hi - lo) if hi > lo else None for r in rates]
            relative = [
                Fraction(1) if s is None else Fraction(1, 2) + (s if burden else 1 - s)
                for s in scaled
            ]
        else:  # rank
            relative = _exact_rank_values(rates, burden)
        total = [t + weights[k] * r for t, r in zip(total, relative)]
    weight_sum = sum(weights, Fraction(0))
    damping = exact(par.damping)
    factors = [1 + damping * (t / weight_sum - 1) for t in total]
    if par.factor_min is not None:
        factors = [max(f, exact(par.factor_min)) for f in factors]
    if par.factor_max is not None:
        factors = [min(f, exact(par.factor_max)) for f in factors]
    return factors


def exact_sums(inputs: Inputs, data: IndicatorData, areas: list[str]) -> ExactSums:
    """Sum each used indicator's values per area over its averaged years, exactly.

    Each number counts as the decimal it was typed as (:func:`exact`); the sums are taken
    as decimals with unbounded precision (an inexact step would raise) and only then made
    rationals: the same values as summing fractions, without a fraction per cell."""
    n = len(areas)
    pos = {name: i for i, name in enumerate(areas)}
    col = {ind.key: k for k, ind in enumerate(data.indicators)}
    zero = Decimal(0)
    num = [[zero] * n for _ in data.indicators]
    den = [[zero] * n for _ in data.indicators]
    rate_kind = [True] * len(data.indicators)
    with localcontext(_UNBOUNDED):
        for v in inputs.indicator_values:
            k = col.get(v.indicator)
            if k is None:
                continue
            span = data.years[v.indicator]
            if not span[0] <= v.year <= span[-1]:
                continue
            i = pos[v.area]
            if v.value is None:
                num[k][i] += _decimal(v.numerator)
                den[k][i] += _decimal(v.denominator)
            else:
                rate_kind[k] = False
                num[k][i] += _decimal(v.value)
                den[k][i] += 1
    nums = [[Fraction(x) for x in row] for row in num]
    dens = [[Fraction(x) for x in row] for row in den]
    rates = [[a / b for a, b in zip(n_row, d_row)] for n_row, d_row in zip(nums, dens)]
    return ExactSums(nums, dens, rate_kind, rates)


_UNBOUNDED = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Rounded])


def _decimal(value: float | None) -> Decimal:
    """The decimal a number was typed as: the shortest that prints as the float."""
    if value is None:  # excluded by validation: a rate has Zähler and Nenner
        raise ValueError("a rate without numerator or denominator")
    return Decimal(repr(float(value)))


def _exact_district(
    num: list[Fraction],
    den: list[Fraction],
    rates: list[Fraction],
    population: list[int],
    rate_kind: bool,
) -> Fraction:
    if rate_kind:
        return sum(num, Fraction(0)) / sum(den, Fraction(0))
    pop = sum(population)
    if pop > 0:
        return sum((r * p for r, p in zip(rates, population)), Fraction(0)) / pop
    return sum(rates, Fraction(0)) / len(rates)


def _exact_rank_values(rates: list[Fraction], burden: bool) -> list[Fraction]:
    """½ + (rank − 1)/(n − 1) (relief: 3/2 − …), equal rates sharing their average rank.

    Ordered by :func:`exact_order` (floats first, exact only where they come close); with
    the ranks start+1 … end+1 of a group of equal rates, the value is one fraction with the
    denominator 2(n − 1)."""
    n = len(rates)
    if n < 2:
        return [Fraction(1)] * n
    order = exact_order(n, lambda i: float(rates[i]), rates.__getitem__)
    values = [Fraction(0)] * n
    start = 0
    while start < n:
        end = start
        while end + 1 < n and rates[order[end + 1]] == rates[order[start]]:
            end += 1
        # average rank (start + end + 2)/2 → scaled (start + end)/(2(n − 1))
        spread = start + end
        value = Fraction(n - 1 + spread if burden else 3 * (n - 1) - spread, 2 * (n - 1))
        for j in range(start, end + 1):
            values[order[j]] = value
        start = end + 1
    return values
