"""The four financing models M1–M4 on the Gesamtbudget, in whole rounding units.

Each model first computes the exact (real-valued) amount per Sozialraum and then
apportions the budget by largest remainder, so every model sums to the budget exactly.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from xlsozial.core.apportion import InfeasibleError, apportion

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def m1_population(budget: int, population: FloatArray, keys: list[str]) -> list[int]:
    """M1 Einwohner: G · P_i / ΣP."""
    return apportion(budget, population, keys)


def m2_quota(budget: int, quota: FloatArray, keys: list[str]) -> list[int]:
    """M2 Belastungsquote: G · q_i."""
    return apportion(budget, quota, keys)


def m3_base_plus_quota(
    budget: int, base_units: FloatArray, quota: FloatArray, keys: list[str]
) -> list[int]:
    """M3 Sockel + Quote: S_i + (G − ΣS) · q_i; nobody falls below the Sockel after rounding."""
    rest = budget - float(math.fsum(base_units.tolist()))
    exact = base_units + rest * quota
    floors = np.ceil(base_units - 1e-9).astype(np.int64)
    return apportion(budget, exact, keys, lower=floors)


def corridor_bounds(
    budget: int, previous: FloatArray, down: float, up: float
) -> tuple[FloatArray, FloatArray]:
    """Corridor around the previous year's budget, rescaled to the new Gesamtbudget."""
    scaled = previous * (budget / math.fsum(previous.tolist()))
    return scaled * (1.0 - down), scaled * (1.0 + up)


def corridor_exact(
    budget: float, quota: FloatArray, lower: FloatArray, upper: FloatArray
) -> FloatArray:
    """Real-valued M4: the target G·q_i clamped to [lower, upper], residual redistributed.

    Redistributing the residual over the unclamped areas in proportion to their quota,
    until all bounds hold, converges to x_i = clip(λ·q_i, lower_i, upper_i) with the one λ
    for which Σx = G. We find that λ directly (bisection to fix the clamped sets, then an
    exact solve), which gives the same fixed point without iteration-order effects.
    """
    q = np.asarray(quota, dtype=np.float64)

    def total(lam: float) -> float:
        return float(np.clip(lam * q, lower, upper).sum())

    lo_lam, hi_lam = 0.0, max(budget, 1.0)
    while total(hi_lam) < budget and hi_lam < 1e30:
        hi_lam *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo_lam + hi_lam)
        if total(mid) < budget:
            lo_lam = mid
        else:
            hi_lam = mid
        if hi_lam - lo_lam <= 1e-15 * hi_lam:
            break
    lam = hi_lam
    target = lam * q
    at_low = target <= lower
    at_high = target >= upper
    free = ~(at_low | at_high)
    fixed_sum = float(lower[at_low].sum() + upper[at_high].sum())
    q_free = float(q[free].sum())
    if q_free > 0:
        lam = (budget - fixed_sum) / q_free
    result = np.where(at_low, lower, np.where(at_high, upper, lam * q))
    return np.asarray(result, dtype=np.float64)


def m4_corridor(
    budget: int,
    quota: FloatArray,
    previous: FloatArray,
    down: float,
    up: float,
    keys: list[str],
) -> tuple[list[int], IntArray, IntArray, bool]:
    """M4 Bestand mit Korridor; returns units, the unit bounds used and whether widened.

    The bounds hold after rounding (ceil of the floor, floor of the cap). Only a corridor
    too narrow for any whole-unit solution (e.g. 0 % / 0 %) is widened to the next unit.
    """
    lower, upper = corridor_bounds(budget, previous, down, up)
    exact = corridor_exact(float(budget), quota, lower, upper)
    lo_units = np.ceil(lower - 1e-6).astype(np.int64)
    hi_units = np.floor(upper + 1e-6).astype(np.int64)
    try:
        return (
            apportion(budget, exact, keys, lower=lo_units, upper=hi_units),
            lo_units,
            hi_units,
            False,
        )
    except InfeasibleError:
        lo_units = np.floor(lower + 1e-6).astype(np.int64)
        hi_units = np.ceil(upper - 1e-6).astype(np.int64)
        units = apportion(budget, exact, keys, lower=lo_units, upper=hi_units)
        return units, lo_units, hi_units, True
