"""Burden indicators → relative values → durchschnittlicher Belastungsfaktor → Quote.

Rates are pooled: the district (Kreis) rate is ΣZähler/ΣNenner over all Sozialräume and
the averaged years, not the mean of the area rates, so that small areas do not dominate.
Indicators given as plain values (no Zähler/Nenner) use the population-weighted mean as
their district value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from xlsozial.core.apportion import exact
from xlsozial.errors import InputError, Problem, where
from xlsozial.models import Aggregation, Direction, Indicator, Inputs, Normalisation

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class IndicatorData:
    """Indicator rates per area (rows, canonical area order) and indicator (columns)."""

    indicators: list[Indicator]
    rates: FloatArray
    district: FloatArray
    years: dict[str, list[int]]
    skipped: list[str]

    @property
    def weights(self) -> FloatArray:
        return np.array([i.weight for i in self.indicators], dtype=np.float64)

    @property
    def burden_sign(self) -> npt.NDArray[np.bool_]:
        return np.array([i.direction is Direction.BURDEN for i in self.indicators])


def indicator_data(inputs: Inputs, areas: list[str], population: FloatArray) -> IndicatorData:
    """Collect and pool the indicator values; raise InputError listing every gap.

    Vectorised over all observations (hundreds of thousands in a large district); rows are
    put in (area, year) order before summing, so the result does not depend on row order.
    """
    years_wanted = inputs.parameters.years_average
    n = len(areas)
    area_pos = {name: i for i, name in enumerate(areas)}
    ind_pos = {ind.key: k for k, ind in enumerate(inputs.indicators)}
    obs = inputs.indicator_values
    a_idx = np.fromiter((area_pos[v.area] for v in obs), dtype=np.int64, count=len(obs))
    k_idx = np.fromiter((ind_pos[v.indicator] for v in obs), dtype=np.int64, count=len(obs))
    year = np.fromiter((v.year for v in obs), dtype=np.int64, count=len(obs))
    is_rate = np.fromiter((v.value is None for v in obs), dtype=bool, count=len(obs))
    num = np.fromiter(
        (v.numerator if v.value is None else v.value for v in obs),
        dtype=np.float64,
        count=len(obs),
    )
    den = np.fromiter(
        (v.denominator if v.value is None else 1.0 for v in obs),
        dtype=np.float64,
        count=len(obs),
    )
    order = np.lexsort((year, a_idx, k_idx))
    a_idx, k_idx, year = a_idx[order], k_idx[order], year[order]
    is_rate, num, den = is_rate[order], num[order], den[order]
    bounds = np.searchsorted(k_idx, np.arange(len(inputs.indicators) + 1))

    problems: list[Problem] = []
    used: list[Indicator] = []
    skipped: list[str] = []
    columns: list[FloatArray] = []
    district: list[float] = []
    years: dict[str, list[int]] = {}
    for k, ind in enumerate(inputs.indicators):
        part = slice(bounds[k], bounds[k + 1])
        available = np.unique(year[part])
        if ind.data_year is not None:
            available = available[available <= ind.data_year]
        if available.size == 0:
            if ind.weight > 0:
                problems.append(
                    Problem(
                        where(ind.origin, "key"), f"Für Indikator „{ind.key}“ fehlen alle Werte"
                    )
                )
            else:
                skipped.append(ind.key)
            continue
        last = ind.data_year if ind.data_year is not None else int(available[-1])
        span = list(range(last - years_wanted + 1, last + 1))
        in_span = (year[part] >= span[0]) & (year[part] <= span[-1])
        a_sel = a_idx[part][in_span]
        counts = np.bincount(a_sel, minlength=n)
        if (counts != len(span)).any():
            if ind.weight == 0:
                skipped.append(ind.key)
                continue
            present = set(zip(a_sel.tolist(), year[part][in_span].tolist()))
            missing = [(areas[i], y) for i in range(n) for y in span if (i, y) not in present]
            shown = ", ".join(f"{a} {y}" for a, y in missing[:8])
            more = f" und {len(missing) - 8} weitere" if len(missing) > 8 else ""
            problems.append(
                Problem(
                    where(ind.origin, "key"),
                    f"Indikator „{ind.key}“: Werte fehlen für {shown}{more}",
                )
            )
            continue
        kinds = is_rate[part][in_span]
        if kinds.any() and not kinds.all():
            problems.append(
                Problem(
                    where(ind.origin, "key"),
                    f"Indikator „{ind.key}“ mischt Zähler/Nenner und direkte Werte",
                )
            )
            continue
        num_sum = np.bincount(a_sel, weights=num[part][in_span], minlength=n)
        den_sum = np.bincount(a_sel, weights=den[part][in_span], minlength=n)
        rate = num_sum / den_sum
        if kinds.all():
            ref = math.fsum(num_sum.tolist()) / math.fsum(den_sum.tolist())
        else:
            total_pop = math.fsum(population.tolist())
            ref = (
                float(np.dot(rate, population)) / total_pop if total_pop > 0 else float(rate.mean())
            )
        used.append(ind)
        columns.append(rate)
        district.append(ref)
        years[ind.key] = span
    if not any(i.weight > 0 for i in used) and not problems:
        problems.append(Problem("Indikatoren", "Kein Indikator mit Gewicht > 0 ist vollständig"))
    if problems:
        raise InputError(problems)
    return IndicatorData(
        indicators=used,
        rates=np.column_stack(columns) if columns else np.zeros((n, 0)),
        district=np.array(district, dtype=np.float64),
        years=years,
        skipped=skipped,
    )


def _phi(z: FloatArray) -> FloatArray:
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return np.asarray(0.5 * (1.0 + erf(z / math.sqrt(2.0))), dtype=np.float64)


def relative_values(data: IndicatorData, method: Normalisation) -> FloatArray:
    """Relative value per area and indicator; 1.0 is the district average, >1 more burden."""
    x = data.rates
    burden = data.burden_sign
    n = x.shape[0]
    out = np.ones_like(x)
    problems: list[Problem] = []
    for k, ind in enumerate(data.indicators):
        col = x[:, k]
        if method is Normalisation.RATIO:
            d = data.district[k]
            if d <= 0:
                problems.append(
                    Problem(
                        where(ind.origin, "key"),
                        f"Kreiswert von „{ind.key}“ ist 0; Verhältnisbildung unmöglich",
                    )
                )
                continue
            if burden[k]:
                out[:, k] = col / d
            else:
                if (col <= 0).any():
                    problems.append(
                        Problem(
                            where(ind.origin, "key"),
                            f"„{ind.key}“ ist entlastend und in einem Sozialraum 0; "
                            "der Kehrwert ist nicht definiert",
                        )
                    )
                    continue
                out[:, k] = d / col
        elif method is Normalisation.ZSCORE:
            sd = float(col.std())
            if sd > 0:
                z = (col - col.mean()) / sd
                out[:, k] = 2.0 * _phi(z if burden[k] else -z)
        elif method is Normalisation.MINMAX:
            lo, hi = float(col.min()), float(col.max())
            if hi > lo:
                scaled = (col - lo) / (hi - lo)
                out[:, k] = 0.5 + (scaled if burden[k] else 1.0 - scaled)
        elif method is Normalisation.RANK and n > 1:
            ranks = _average_ranks(col)
            scaled = (ranks - 1.0) / (n - 1.0)
            out[:, k] = 0.5 + (scaled if burden[k] else 1.0 - scaled)
    if problems:
        raise InputError(problems)
    return out


def _average_ranks(col: FloatArray) -> FloatArray:
    order = np.argsort(col, kind="stable")
    ranks = np.empty(len(col), dtype=np.float64)
    ranks[order] = np.arange(1, len(col) + 1, dtype=np.float64)
    for value in np.unique(col):
        mask = col == value
        if mask.sum() > 1:
            ranks[mask] = ranks[mask].mean()
    return ranks


def burden_factor(
    relative: FloatArray,
    weights: FloatArray,
    aggregation: Aggregation,
    damping: float = 1.0,
    lower: float | None = None,
    upper: float | None = None,
) -> FloatArray:
    """Weighted mean of relative values, damped towards 1 and clipped to bounds.

    ``weights`` may be a vector (one factor per area) or a matrix of weight draws
    (draws × indicators), giving areas × draws: the sensitivity analysis uses the same code.
    """
    w = np.asarray(weights, dtype=np.float64)
    if aggregation is Aggregation.GEOMETRIC:
        if (relative <= 0).any():
            raise InputError(
                [
                    Problem(
                        "Indikatorwerte", "geometrisches Mittel braucht Werte > 0 in allen Zellen"
                    )
                ]
            )
        raw = np.exp(np.log(relative) @ w.T / w.sum(axis=-1))
    else:
        raw = relative @ w.T / w.sum(axis=-1)
    factor = 1.0 + damping * (raw - 1.0)
    if lower is not None or upper is not None:
        factor = np.clip(factor, lower, upper)
    return np.asarray(factor, dtype=np.float64)


def quota(population: FloatArray, factor: FloatArray) -> FloatArray:
    """Gesamtbudgetverteilungsquote: population × factor, normalised to 1 (per column)."""
    weighted = population.reshape(-1, *([1] * (factor.ndim - 1))) * factor
    total = weighted.sum(axis=0)
    return np.asarray(weighted / total, dtype=np.float64)


def exact_factors(
    inputs: Inputs, data: IndicatorData, areas: list[str], population: list[int]
) -> list[Fraction] | None:
    """The Belastungsfaktor per area in rational arithmetic, or None where it is irrational.

    Money is apportioned from these, so that areas whose factors are equal in the
    mathematics get equal shares and ties are decided by the documented rule. Ratio,
    min-max and rank normalisation with the arithmetic mean are rational; z-scores (Φ) and
    the geometric mean are not (the caller then uses the float factor to 12 digits).
    """
    par = inputs.parameters
    if par.normalisation is Normalisation.ZSCORE or par.aggregation is Aggregation.GEOMETRIC:
        return None
    n = len(areas)
    pos = {name: i for i, name in enumerate(areas)}
    col = {ind.key: k for k, ind in enumerate(data.indicators)}
    num = [[Fraction(0)] * n for _ in data.indicators]
    den = [[Fraction(0)] * n for _ in data.indicators]
    rate_kind = [True] * len(data.indicators)
    for v in inputs.indicator_values:
        k = col.get(v.indicator)
        if k is None:
            continue
        span = data.years[v.indicator]
        if not span[0] <= v.year <= span[-1]:
            continue
        i = pos[v.area]
        if v.value is None:
            num[k][i] += exact(v.numerator)
            den[k][i] += exact(v.denominator)
        else:
            rate_kind[k] = False
            num[k][i] += exact(v.value)
            den[k][i] += 1
    weights = [exact(ind.weight) for ind in data.indicators]
    total = [Fraction(0)] * n
    for k, ind in enumerate(data.indicators):
        rates = [a / b for a, b in zip(num[k], den[k])]
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
    n = len(rates)
    if n < 2:
        return [Fraction(1)] * n
    order = sorted(range(n), key=lambda i: rates[i])
    ranks = [Fraction(0)] * n
    start = 0
    while start < n:
        end = start
        while end + 1 < n and rates[order[end + 1]] == rates[order[start]]:
            end += 1
        average = Fraction(start + end + 2, 2)  # mean of ranks start+1 … end+1
        for j in range(start, end + 1):
            ranks[order[j]] = average
        start = end + 1
    scaled = [(r - 1) / (n - 1) for r in ranks]
    return [Fraction(1, 2) + (s if burden else 1 - s) for s in scaled]
