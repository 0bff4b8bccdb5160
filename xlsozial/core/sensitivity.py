"""Monte Carlo sensitivity of the allocation to the indicator weights (and normalisation).

Each draw multiplies every weight by an independent factor from U(1−s, 1+s) and, if asked,
picks one of the normalisation methods at random. The Belastungsfaktor is linear in the
weights, so all draws are one matrix product; areas are processed in chunks so that memory
stays bounded for large districts. Reported per Sozialraum: the 5th, 50th and 95th
percentile of the M2 allocation (Gesamtbudget × Quote) in euros, before rounding. The
draws are reduced in single precision (relative error ~1e-7: a cent on 100.000 €).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from xlsozial.core.burden import burden_factor
from xlsozial.domain.models import Aggregation, Normalisation

FloatArray = npt.NDArray[np.float64]
PERCENTILES = (5.0, 50.0, 95.0)
PARALLEL_CELLS = 4_000_000  # areas × draws above which the percentiles run on all cores
# Pyodide (xlwings Lite, sys.platform "emscripten") has no threads: the blocks run one
# after another there, with the same numbers.
THREADS = sys.platform != "emscripten"
CHUNK_CELLS = 1_000_000  # areas × draws per chunk (4 MB of float32: stays in cache)


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


@dataclass(frozen=True)
class SensitivityProblem:
    """What is varied and what stays: one relative-value matrix per normalisation method."""

    relative: dict[Normalisation, FloatArray]
    population: FloatArray
    weights: FloatArray
    budget_eur: float
    aggregation: Aggregation
    damping: float
    lower: float | None
    upper: float | None
    draws: int
    spread: float
    seed: int

    @property
    def linear(self) -> bool:
        """Arithmetic mean without bounds: the factor is linear in the weights."""
        return (
            self.aggregation is Aggregation.ARITHMETIC
            and self.lower is None
            and (self.upper is None)
        )

    def factor(self, rel: FloatArray, weights: FloatArray) -> FloatArray:
        return burden_factor(rel, weights, self.aggregation, self.damping, self.lower, self.upper)


Groups = list[tuple[Normalisation, npt.NDArray[np.intp]]]


def sensitivity(problem: SensitivityProblem) -> SensitivityResult:
    """Percentiles of G·q_i over random weights and (if several) normalisation methods."""
    p = problem
    methods = sorted(p.relative, key=lambda m: list(Normalisation).index(m))
    rng = np.random.default_rng(p.seed + 1)
    method_of_draw = rng.integers(0, len(methods), size=p.draws)
    w = draw_weights(p.weights, p.draws, p.spread, p.seed)
    groups = [(m, np.flatnonzero(method_of_draw == i)) for i, m in enumerate(methods)]
    groups = [(m, cols) for m, cols in groups if cols.size]
    share = p.budget_eur / _totals(p, groups, w)  # € per unit of P·BF, per draw
    blocks = _percentile_blocks(p, groups, w, share)
    n = len(p.population)
    result = np.full((len(PERCENTILES), n), np.nan)  # a block left out shows, never stale
    for start, stop, q in blocks:
        result[:, start:stop] = q
    return SensitivityResult(p.draws, p.spread, methods, result[0], result[1], result[2])


def _totals(p: SensitivityProblem, groups: Groups, w: FloatArray) -> FloatArray:
    """Pass 1: Σ_i P_i·BF_i per draw, to normalise each draw's quota. The arithmetic factor
    is linear in the weights, so without bounds this is a (1×K)·(K×D) product."""
    pop = p.population.astype(np.float64)
    totals = np.zeros(p.draws)
    for method, cols in groups:
        wc = w[cols]
        if p.linear:
            raw = (pop @ p.relative[method]) @ wc.T / wc.sum(axis=1)
            totals[cols] = pop.sum() * (1.0 - p.damping) + p.damping * raw
            continue
        for start, stop in _chunks(len(pop), cols.size):
            totals[cols] += pop[start:stop] @ p.factor(p.relative[method][start:stop], wc)
    return totals


def _percentile_blocks(
    p: SensitivityProblem, groups: Groups, w: FloatArray, share: FloatArray
) -> list[tuple[int, int, FloatArray]]:
    """Pass 2: allocation per area and draw, reduced to percentiles chunk by chunk.

    Linear case folded into one matrix per method: alloc = P·(R @ M + b) with
    M = Wᵀ·d·share/Σw and b = (1−d)·share: one product and two in-place passes per chunk.
    Large problems run on all cores: numpy releases the GIL while multiplying and
    partitioning, and BLAS is held to one thread per worker so nested threading does not
    oversubscribe. Small ones (a real Landkreis) stay in this thread: a pool costs more.
    """
    pop = p.population.astype(np.float64)
    n = len(pop)
    folded: dict[Normalisation, tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]] = {}
    if p.linear:
        for method, cols in groups:
            wc = w[cols]
            scale = p.damping * share[cols] / wc.sum(axis=1)
            folded[method] = (
                (wc.T * scale).astype(np.float32),
                ((1.0 - p.damping) * share[cols]).astype(np.float32),
            )

    def part(
        method: Normalisation, cols: npt.NDArray[np.intp], start: int, stop: int
    ) -> npt.NDArray[np.float32]:
        rel = p.relative[method][start:stop]
        if p.linear:
            matrix, offset = folded[method]
            out = rel.astype(np.float32) @ matrix
            out += offset
            return out
        return (p.factor(rel, w[cols]) * share[cols]).astype(np.float32)

    def block(bounds: tuple[int, int]) -> tuple[int, int, FloatArray]:
        start, stop = bounds
        if len(groups) == 1:
            alloc = part(*groups[0], start, stop)
        else:
            alloc = np.empty((stop - start, p.draws), dtype=np.float32)
            for method, cols in groups:
                alloc[:, cols] = part(method, cols, start, stop)
        alloc *= pop[start:stop, None].astype(np.float32)
        return start, stop, percentiles(alloc, PERCENTILES)

    if n * p.draws <= PARALLEL_CELLS or not THREADS:
        return list(map(block, _chunks(n, p.draws)))
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    with (
        threadpool_limits(limits=1, user_api="blas"),
        ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool,
    ):
        return list(pool.map(block, _chunks(n, p.draws, parts=4)))


def percentiles(values: npt.NDArray[np.float32], ps: tuple[float, ...]) -> FloatArray:
    """Row-wise percentiles, numpy's default 'linear' method, by one in-place partition.

    Same numbers as ``np.percentile(values, ps, axis=1)``, without its copy of the block.
    """
    n = values.shape[1]
    positions = [(n - 1) * p / 100.0 for p in ps]
    lows = [int(np.floor(h)) for h in positions]
    highs = [min(lo + 1, n - 1) for lo in lows]
    values.partition(sorted(set(lows + highs)), axis=1)
    out = np.empty((len(ps), values.shape[0]), dtype=np.float64)
    for i, (h, lo, hi) in enumerate(zip(positions, lows, highs)):
        frac = h - lo
        out[i] = values[:, lo] * (1.0 - frac) + values[:, hi] * frac
    return out


def _chunks(n: int, width: int, parts: int = 1) -> list[tuple[int, int]]:
    """Row ranges of at most CHUNK_CELLS cells, and at least ``parts`` of them if n allows."""
    size = max(1, min(CHUNK_CELLS // max(width, 1), -(-n // parts)))
    return [(s, min(n, s + size)) for s in range(0, n, size)]
