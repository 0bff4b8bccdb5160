"""Monte Carlo sensitivity of the allocation to the indicator weights (and normalisation).

Each draw multiplies every weight by an independent factor from U(1−s, 1+s) and, if asked,
picks one of the normalisation methods at random. The Belastungsfaktor is linear in the
weights, so all draws are one matrix product; areas are processed in chunks so that memory
stays bounded for large districts. Reported per Sozialraum: the 5th, 50th and 95th
percentile of the M2 allocation (Gesamtbudget × Quote) in euros, before rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from xlsozial.core.burden import burden_factor
from xlsozial.models import Aggregation, Normalisation

FloatArray = npt.NDArray[np.float64]
PERCENTILES = (5.0, 50.0, 95.0)
CHUNK_CELLS = 4_000_000  # areas × draws per chunk (≈ 32 MB of float64)


@dataclass(frozen=True)
class SensitivityResult:
    draws: int
    spread: float
    methods: list[Normalisation]
    p5: FloatArray
    p50: FloatArray
    p95: FloatArray


def draw_weights(weights: FloatArray, draws: int, spread: float, seed: int) -> FloatArray:
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(draws, len(weights)))
    return np.asarray(weights[None, :] * factors, dtype=np.float64)


def sensitivity(
    relative: dict[Normalisation, FloatArray],
    population: FloatArray,
    weights: FloatArray,
    budget_eur: float,
    aggregation: Aggregation,
    damping: float,
    lower: float | None,
    upper: float | None,
    draws: int,
    spread: float,
    seed: int,
) -> SensitivityResult:
    """Percentiles of G·q_i over random weights; ``relative`` holds one matrix per method."""
    methods = sorted(relative, key=lambda m: list(Normalisation).index(m))
    rng = np.random.default_rng(seed + 1)
    method_of_draw = rng.integers(0, len(methods), size=draws)
    w = draw_weights(weights, draws, spread, seed)
    n = len(population)
    pop = population.astype(np.float64)
    totals = np.zeros(draws)
    # Pass 1: Σ_i P_i·BF_i per draw (needed to normalise each draw's quota).
    for m_index, method in enumerate(methods):
        cols = np.flatnonzero(method_of_draw == m_index)
        if cols.size == 0:
            continue
        for start, stop in _chunks(n, cols.size):
            bf = burden_factor(
                relative[method][start:stop], w[cols], aggregation, damping, lower, upper
            )
            totals[cols] += pop[start:stop] @ bf
    p5 = np.empty(n)
    p50 = np.empty(n)
    p95 = np.empty(n)
    # Pass 2: allocation per area and draw, reduced to percentiles chunk by chunk.
    for start, stop in _chunks(n, draws):
        alloc = np.empty((stop - start, draws))
        for m_index, method in enumerate(methods):
            cols = np.flatnonzero(method_of_draw == m_index)
            if cols.size == 0:
                continue
            bf = burden_factor(
                relative[method][start:stop], w[cols], aggregation, damping, lower, upper
            )
            alloc[:, cols] = budget_eur * pop[start:stop, None] * bf / totals[cols]
        q = np.percentile(alloc, PERCENTILES, axis=1)
        p5[start:stop], p50[start:stop], p95[start:stop] = q[0], q[1], q[2]
    return SensitivityResult(draws, spread, methods, p5, p50, p95)


def _chunks(n: int, width: int) -> list[tuple[int, int]]:
    size = max(1, CHUNK_CELLS // max(width, 1))
    return [(s, min(n, s + size)) for s in range(0, n, size)]
