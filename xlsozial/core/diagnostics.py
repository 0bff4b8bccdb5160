"""What a careful analyst checks before the weights are fixed (Indikatoren-Diagnose).

Four figures, each over the Sozialräume and the indicators as the burden factor uses them
(the rates pooled over the averaged years):

- **Correlation**: Pearson's r between two indicators' rates. Pairs of weighted indicators
  above 0.9 in absolute value probably measure the same thing twice (and so give it its
  weight twice); an indicator of weight 0 counts for nothing and is not paired. An
  indicator that is equal everywhere has no correlation (None).
- **Outliers**: a rate further than 3 median absolute deviations (MAD, unscaled:
  median of |x − median|) from the indicator's median. Where the MAD is 0 (at least half the
  Sozialräume share the median) the rule says nothing, and no outlier is named.
- **Coverage**: per indicator and year, how many Sozialräume have a value.
- **Influence**: each indicator's share of the variance of the factor across Sozialräume,
  given the weights: with the normalised values R, weights w (summing to 1) and their
  covariance matrix Σ, the factor (arithmetic mean) is R·w and its variance wᵀΣw; indicator
  k contributes w_k·(Σw)_k, and the shares sum to 1. A negative share means the indicator
  pulls against the others. The geometric mean does the same on log R. Damping scales the
  factor and leaves the shares; the bounds (min/max) are not modelled. With no variance at
  all the shares are None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
SAME_THING = 0.9  # |r| above this: probably the same thing measured twice
OUTLIER_MADS = 3.0


@dataclass(frozen=True)
class Outlier:
    indicator: int
    area: int
    value: float
    median: float
    mads: float  # distance from the median in MADs (signed)


@dataclass(frozen=True)
class Diagnosis:
    correlation: list[list[float | None]]  # K × K
    pairs: list[tuple[int, int, float]]  # (k, l, r) with |r| > SAME_THING, k < l
    outliers: list[Outlier]
    no_spread: list[int]  # indicators whose MAD is 0: no outlier rule
    influence: list[float] | None  # per indicator, sums to 1; None without variance


def correlation(rates: FloatArray) -> list[list[float | None]]:
    """Pearson's r of every pair of columns; None where a column does not vary."""
    k = rates.shape[1]
    centred = rates - rates.mean(axis=0)
    norms = np.sqrt((centred**2).sum(axis=0))
    out: list[list[float | None]] = []
    for i in range(k):
        row: list[float | None] = []
        for j in range(k):
            if norms[i] == 0 or norms[j] == 0:
                row.append(None)
            elif i == j:
                row.append(1.0)
            else:
                r = float(centred[:, i] @ centred[:, j] / (norms[i] * norms[j]))
                row.append(max(-1.0, min(1.0, r)))
        out.append(row)
    return out


def outliers(rates: FloatArray) -> tuple[list[Outlier], list[int]]:
    found: list[Outlier] = []
    no_spread: list[int] = []
    for k in range(rates.shape[1]):
        column = rates[:, k]
        median = _median(column)
        mad = _median(np.abs(column - median))
        if mad == 0:
            no_spread.append(k)
            continue
        for i, value in enumerate(column.tolist()):
            distance = (value - median) / mad
            if abs(distance) > OUTLIER_MADS:
                found.append(Outlier(k, i, value, median, distance))
    return found, no_spread


def _median(values: FloatArray) -> float:
    """The median, as ``np.median`` gives it, without importing ``numpy.ma`` (10 ms a run)."""
    ordered = np.sort(values)
    n = len(ordered)
    return float((ordered[(n - 1) // 2] + ordered[n // 2]) / 2)


def influence(relative: FloatArray, weights: FloatArray, geometric: bool) -> list[float] | None:
    """Each indicator's share of the factor's variance (see the module)."""
    values = np.log(relative) if geometric else relative
    total = float(weights.sum())
    if total <= 0 or values.shape[0] < 2:
        return None
    w = weights / total
    sigma = np.atleast_2d(np.cov(values, rowvar=False, bias=True))
    variance = float(w @ sigma @ w)
    if variance <= 1e-300:
        return None
    return [float(x) for x in w * (sigma @ w) / variance]


def diagnose(
    rates: FloatArray, relative: FloatArray, weights: FloatArray, geometric: bool
) -> Diagnosis:
    matrix = correlation(rates)
    weighted = weights > 0
    pairs = [
        (i, j, r)
        for i, row in enumerate(matrix)
        for j, r in enumerate(row)
        if i < j and weighted[i] and weighted[j] and r is not None and abs(r) > SAME_THING
    ]
    found, flat = outliers(rates)
    return Diagnosis(matrix, pairs, found, flat, influence(relative, weights, geometric))


def coverage(
    observed: list[tuple[str, str, int]], indicators: list[str]
) -> dict[str, dict[int, int]]:
    """Per indicator and year, how many Sozialräume have a value (``observed``: area,
    indicator, year of every value given)."""
    seen: dict[str, dict[int, set[str]]] = {k: {} for k in indicators}
    for area, indicator, year in observed:
        if indicator in seen:
            seen[indicator].setdefault(year, set()).add(area)
    return {k: {y: len(a) for y, a in sorted(years.items())} for k, years in seen.items()}
