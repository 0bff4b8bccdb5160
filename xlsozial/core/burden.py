"""Burden indicators → relative values → durchschnittlicher Belastungsfaktor → Quote.

Rates are pooled: the district (Kreis) rate is ΣZähler/ΣNenner over all Sozialräume and
the averaged years, not the mean of the area rates, so that small areas do not dominate.
Indicators given as plain values (no Zähler/Nenner) use the population-weighted mean as
their district value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from xlsozial.domain.models import Aggregation, Direction, Indicator, Inputs, Normalisation

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


@dataclass(frozen=True)
class Issue:
    """Something in the indicator data a user must fix; worded in :mod:`evaluation`."""

    kind: str  # no_values | missing | mixed | none_complete | district_zero | relief_zero
    #            | geometric_nonpositive
    indicator: Indicator | None = None
    missing: tuple[tuple[str, int], ...] = ()  # (Sozialraum, year) without a value
    cells: tuple[tuple[str, str], ...] = ()  # (Sozialraum, indicator key) at fault


class IndicatorIssues(ValueError):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__([i.kind for i in issues])


@dataclass(frozen=True)
class _Observations:
    """All indicator values as arrays in (indicator, area, year) order."""

    area: np.ndarray
    year: np.ndarray
    is_rate: np.ndarray
    num: FloatArray
    den: FloatArray
    bounds: np.ndarray  # rows of indicator k: bounds[k] … bounds[k + 1]


def _observations(inputs: Inputs, areas: list[str]) -> _Observations:
    area_pos = {name: i for i, name in enumerate(areas)}
    ind_pos = {ind.key: k for k, ind in enumerate(inputs.indicators)}
    obs = inputs.indicator_values
    count = len(obs)
    a_idx = np.fromiter((area_pos[v.area] for v in obs), dtype=np.int64, count=count)
    k_idx = np.fromiter((ind_pos[v.indicator] for v in obs), dtype=np.int64, count=count)
    year = np.fromiter((v.year for v in obs), dtype=np.int64, count=count)
    is_rate = np.fromiter((v.value is None for v in obs), dtype=bool, count=count)
    num = np.fromiter(
        (v.numerator if v.value is None else v.value for v in obs), dtype=np.float64, count=count
    )
    den = np.fromiter(
        (v.denominator if v.value is None else 1.0 for v in obs), dtype=np.float64, count=count
    )
    order = np.lexsort((year, a_idx, k_idx))
    bounds = np.searchsorted(k_idx[order], np.arange(len(inputs.indicators) + 1))
    return _Observations(a_idx[order], year[order], is_rate[order], num[order], den[order], bounds)


Pooled = tuple[FloatArray, float, list[int]]  # rate per area, district value, years


def _pool(
    ind: Indicator,
    obs: _Observations,
    k: int,
    areas: list[str],
    population: FloatArray,
    years_wanted: int,
) -> Pooled | Issue | None:
    """One indicator's rate per area over the averaging years; None: left out (weight 0)."""
    n = len(areas)
    part = slice(obs.bounds[k], obs.bounds[k + 1])
    # sorted(set()) rather than np.unique, which imports numpy.ma (20 ms per run)
    available = np.array(sorted(set(obs.year[part].tolist())), dtype=obs.year.dtype)
    if ind.data_year is not None:
        available = available[available <= ind.data_year]
    if available.size == 0:
        if ind.weight > 0:
            return Issue("no_values", ind)
        return None
    last = ind.data_year if ind.data_year is not None else int(available[-1])
    span = list(range(last - years_wanted + 1, last + 1))
    in_span = (obs.year[part] >= span[0]) & (obs.year[part] <= span[-1])
    a_sel = obs.area[part][in_span]
    counts = np.bincount(a_sel, minlength=n)
    if (counts != len(span)).any():
        if ind.weight == 0:
            return None
        present = set(zip(a_sel.tolist(), obs.year[part][in_span].tolist()))
        missing = [(areas[i], y) for i in range(n) for y in span if (i, y) not in present]
        return Issue("missing", ind, tuple(missing))
    kinds = obs.is_rate[part][in_span]
    if kinds.any() and not kinds.all():
        return Issue("mixed", ind)
    num_sum = np.bincount(a_sel, weights=obs.num[part][in_span], minlength=n)
    den_sum = np.bincount(a_sel, weights=obs.den[part][in_span], minlength=n)
    rate = num_sum / den_sum
    if kinds.all():
        ref = math.fsum(num_sum.tolist()) / math.fsum(den_sum.tolist())
    else:
        total_pop = math.fsum(population.tolist())
        ref = float(np.dot(rate, population)) / total_pop if total_pop > 0 else float(rate.mean())
    return rate, ref, span


def indicator_data(inputs: Inputs, areas: list[str], population: FloatArray) -> IndicatorData:
    """Collect and pool the indicator values; raise IndicatorIssues listing every gap.

    Vectorised over all observations (hundreds of thousands in a large district); rows are
    put in (area, year) order before summing, so the result does not depend on row order.
    """
    obs = _observations(inputs, areas)
    problems: list[Issue] = []
    used: list[Indicator] = []
    skipped: list[str] = []
    columns: list[FloatArray] = []
    district: list[float] = []
    years: dict[str, list[int]] = {}
    for k, ind in enumerate(inputs.indicators):
        pooled = _pool(ind, obs, k, areas, population, inputs.parameters.years_average)
        if pooled is None:
            skipped.append(ind.key)
        elif isinstance(pooled, Issue):
            problems.append(pooled)
        else:
            used.append(ind)
            columns.append(pooled[0])
            district.append(pooled[1])
            years[ind.key] = pooled[2]
    if not any(i.weight > 0 for i in used) and not problems:
        problems.append(Issue("none_complete"))
    if problems:
        raise IndicatorIssues(problems)
    return IndicatorData(
        indicators=used,
        rates=np.column_stack(columns) if columns else np.zeros((len(areas), 0)),
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
    problems: list[Issue] = []
    for k, ind in enumerate(data.indicators):
        col = x[:, k]
        if method is Normalisation.RATIO:
            d = data.district[k]
            if d <= 0:
                problems.append(Issue("district_zero", ind))
                continue
            if burden[k]:
                out[:, k] = col / d
            else:
                if (col <= 0).any():
                    problems.append(Issue("relief_zero", ind))
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
        raise IndicatorIssues(problems)
    return out


def _average_ranks(col: FloatArray) -> FloatArray:
    order = np.argsort(col, kind="stable")
    ranks = np.empty(len(col), dtype=np.float64)
    ranks[order] = np.arange(1, len(col) + 1, dtype=np.float64)
    for value in set(col.tolist()):
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
            raise IndicatorIssues([Issue("geometric_nonpositive")])
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
