"""Monte Carlo over the weights: vectorised, reproducible, and equal to a plain loop."""

from __future__ import annotations

import numpy as np
import pytest
from factories import simple_inputs, with_params

from xlsozial.core import sensitivity as sens
from xlsozial.core.burden import burden_factor, quota
from xlsozial.domain.example import example_inputs, synthetic_inputs
from xlsozial.domain.models import Aggregation, ModelKey, Normalisation
from xlsozial.evaluation.compute import compute
from xlsozial.evaluation.what_if import m2_by_method, weight_band


def test_no_spread_means_no_uncertainty() -> None:
    res = compute(with_params(simple_inputs(), sensitivity_draws=200, sensitivity_spread=0.0))
    for row, area in zip(res.sensitivity, res.areas):
        exact = res.budget / 100 * area.quota
        assert row.p5 == pytest.approx(exact) and row.p95 == pytest.approx(exact)


def test_a_single_indicator_is_immune_to_its_weight() -> None:
    # With one indicator the weight cancels out: every draw gives the same quota.
    res = compute(with_params(simple_inputs(), sensitivity_draws=300, sensitivity_spread=0.5))
    assert all(r.p95 - r.p5 < 1e-6 for r in res.sensitivity)


def test_percentiles_bracket_the_allocation_and_are_reproducible() -> None:
    inputs = example_inputs()
    a, b = compute(inputs), compute(inputs)
    assert a.sensitivity == b.sensitivity  # same seed, same draws
    for row, area in zip(a.sensitivity, a.areas):
        m2 = area.allocation[ModelKey.M2] / 100
        assert row.p5 <= row.p50 <= row.p95
        assert row.p5 - 1 <= m2 <= row.p95 + 1
    other = compute(with_params(inputs, sensitivity_seed=7))
    assert other.sensitivity != a.sensitivity


@pytest.mark.parametrize(
    ("damping", "lower", "upper", "aggregation"),
    [
        (0.8, 0.95, 1.05, Aggregation.ARITHMETIC),  # bounds that bind: per-draw path
        (0.8, 0.95, None, Aggregation.ARITHMETIC),
        (0.8, None, 1.05, Aggregation.ARITHMETIC),
        (0.5, None, None, Aggregation.ARITHMETIC),
        (1.0, None, None, Aggregation.ARITHMETIC),
        (0.7, None, None, Aggregation.GEOMETRIC),
    ],
    ids=[
        "bounds: per-draw path",
        "lower bound only",
        "upper bound only",
        "damping 0.5: folded fast path",
        "no damping: fast path",
        "geometric: per-draw path",
    ],
)
def test_vectorised_equals_a_plain_loop(
    damping: float, lower: float | None, upper: float | None, aggregation: Aggregation
) -> None:
    rng = np.random.default_rng(0)
    n, k, draws = 23, 5, 64
    rel = {
        Normalisation.RATIO: rng.uniform(0.5, 1.5, (n, k)),
        Normalisation.RANK: rng.uniform(0.5, 1.5, (n, k)),
    }
    pop = rng.integers(100, 5000, n).astype(float)
    weights = rng.uniform(0.5, 3, k)
    old_chunk = sens.CHUNK_CELLS
    sens.CHUNK_CELLS = 7 * draws  # force several chunks
    try:
        got = sens.sensitivity(
            sens.SensitivityProblem(
                rel, pop, weights, 1e6, aggregation, damping, lower, upper, draws, 0.3, 11
            )
        )
    finally:
        sens.CHUNK_CELLS = old_chunk
    w = sens.draw_weights(weights, draws, 0.3, 11)
    methods = sorted(rel, key=lambda m: list(Normalisation).index(m))
    pick = np.random.default_rng(12).integers(0, len(methods), size=draws)
    alloc = np.empty((n, draws))
    for d in range(draws):
        bf = burden_factor(rel[methods[pick[d]]], w[d], aggregation, damping, lower, upper)
        alloc[:, d] = 1e6 * quota(pop, bf)
    assert got.p5 == pytest.approx(np.percentile(alloc, 5, axis=1))
    assert got.p50 == pytest.approx(np.percentile(alloc, 50, axis=1))
    assert got.p95 == pytest.approx(np.percentile(alloc, 95, axis=1))


def test_varying_the_normalisation_widens_the_band() -> None:
    base = with_params(synthetic_inputs(30, 4, 3, 2), sensitivity_draws=500)
    narrow = compute(base).sensitivity
    wide = compute(with_params(base, sensitivity_vary_normalisation=True)).sensitivity
    spread = lambda rows: sum(r.p95 - r.p5 for r in rows)  # noqa: E731
    assert spread(wide) > spread(narrow)


def test_weight_draws_stay_in_their_band() -> None:
    weights = np.array([1.0, 2.0, 0.5])
    w = sens.draw_weights(weights, 4000, 0.3, 5)
    ratio = w / weights
    assert ratio.min() >= 0.7 - 1e-12 and ratio.max() <= 1.3 + 1e-12
    assert ratio.min() < 0.72 and ratio.max() > 1.28  # the whole band is used
    assert abs(ratio.mean() - 1.0) < 0.01


@pytest.mark.parametrize("n", [1, 2, 3, 10, 101])
def test_percentiles_equal_numpys(n: int) -> None:
    values = np.random.default_rng(n).normal(size=(4, n)).astype(np.float32)
    got = sens.percentiles(values.copy(), (5.0, 50.0, 95.0))
    for i, p in enumerate((5.0, 50.0, 95.0)):
        assert got[i] == pytest.approx(np.percentile(values, p, axis=1), rel=1e-6)


@pytest.mark.parametrize(("n", "width", "parts"), [(10, 3, 1), (10, 3, 4), (7, 500_000, 2)])
def test_chunks_cover_every_row_once(n: int, width: int, parts: int) -> None:
    chunks = sens._chunks(n, width, parts)
    rows = [r for start, stop in chunks for r in range(start, stop)]
    assert rows == list(range(n))
    assert len(chunks) >= min(parts, n)
    assert all(stop - start <= max(1, sens.CHUNK_CELLS // width) for start, stop in chunks)


def test_the_parallel_path_gives_the_same_percentiles(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    rel = {Normalisation.RATIO: rng.uniform(0.5, 1.5, (40, 4))}
    pop = rng.integers(100, 5000, 40).astype(float)
    weights = rng.uniform(0.5, 3, 4)
    args = sens.SensitivityProblem(
        rel, pop, weights, 1e6, Aggregation.ARITHMETIC, 0.8, None, None, 256, 0.3, 9
    )
    serial = sens.sensitivity(args)
    monkeypatch.setattr(sens, "PARALLEL_CELLS", 0)
    monkeypatch.setattr(sens, "CHUNK_CELLS", 5 * 256)
    parallel = sens.sensitivity(args)
    for a, b in ((serial.p5, parallel.p5), (serial.p50, parallel.p50), (serial.p95, parallel.p95)):
        assert a == pytest.approx(b, rel=1e-6)
        assert np.isfinite(b).all()  # every area computed by some worker
    assert parallel.draws == 256 and parallel.spread == 0.3


def test_the_sensitivity_says_how_it_was_drawn() -> None:
    res = compute(with_params(simple_inputs(), sensitivity_draws=50, sensitivity_spread=0.2))
    assert res.sensitivity_info.startswith("50 Ziehungen, Gewichte × U(1 − 20%; 1 + 20%)")
    assert "Startwert 2026" in res.sensitivity_info and len(res.sensitivity) == 3


def test_m2_under_every_method_is_what_a_full_run_with_that_method_gives() -> None:
    # Anlage 5 and the sheet ask "what would M2 be with another comparison method": the short
    # path (burden and quota only) must give the full run's amounts, to the cent.
    inputs = with_params(synthetic_inputs(40, 6, 4, 3), sensitivity_draws=0)
    res = compute(inputs)
    shown = m2_by_method(inputs, res)
    assert set(shown) == set(Normalisation)
    for method in Normalisation:
        full = compute(with_params(inputs, normalisation=method))
        assert shown[method] == {a.name: a.allocation[ModelKey.M2] for a in full.areas}
        assert sum(shown[method].values()) == res.budget
    assert shown == m2_by_method(inputs)  # with or without the run at hand


def test_the_weight_band_of_the_sheet_is_the_run_s_own_unless_the_run_varied_the_method() -> None:
    inputs = with_params(synthetic_inputs(30, 4, 3, 2), sensitivity_draws=300)
    res = compute(inputs)
    assert weight_band(inputs, res) == res.sensitivity == weight_band(inputs)
    varied = with_params(inputs, sensitivity_vary_normalisation=True)
    res_varied = compute(varied)
    assert weight_band(varied, res_varied) == res.sensitivity != res_varied.sensitivity


def test_the_run_that_writes_the_sheet_brings_the_method_comparison_along() -> None:
    """Berechnen and Bericht compute M2 under every method with the run, from its own
    indicator sums; the result is the one the stand-alone comparison gives, and the JSON
    output of the results does not change by it."""
    inputs = with_params(synthetic_inputs(30, 5, 3, 2), sensitivity_draws=0)
    plain = compute(inputs)
    res = compute(inputs, for_sheets=True)
    assert res.m2_by_method and plain.m2_by_method == {}
    assert res.m2_by_method == m2_by_method(inputs) == m2_by_method(inputs, res)
    assert list(res.m2_by_method) == [m for m in Normalisation if m in res.m2_by_method]
    assert res.model_dump(mode="json") == plain.model_dump(mode="json")


def test_without_threads_as_in_xlwings_lite_the_blocks_run_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pyodide has no threads: a large band is computed serially, with the same numbers."""
    import concurrent.futures

    rng = np.random.default_rng(5)
    rel = {Normalisation.RATIO: rng.uniform(0.5, 1.5, (40, 4))}
    pop = rng.integers(100, 5000, 40).astype(float)
    args = sens.SensitivityProblem(
        rel, pop, rng.uniform(0.5, 3, 4), 1e6, Aggregation.ARITHMETIC, 0.8, None, None, 256, 0.3, 9
    )
    monkeypatch.setattr(sens, "PARALLEL_CELLS", 0)
    threaded = sens.sensitivity(args)

    def no_threads(*args: object, **kwargs: object) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", no_threads)
    with pytest.raises(RuntimeError):
        sens.sensitivity(args)
    monkeypatch.setattr(sens, "THREADS", False)
    serial = sens.sensitivity(args)
    assert serial.p50 == pytest.approx(threaded.p50, rel=1e-6)
