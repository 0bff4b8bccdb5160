"""Largest-remainder apportionment of whole units (cents, euros, hundreds …).

Every money result goes through here, so that it sums exactly to its total, is never
negative and respects per-item floors and caps *after* rounding.

Tie-break (documented in docs/GLOSSAR.md): when two items have the same remainder, the one
with the larger exact quota wins; if that ties too, the key that sorts first
(case-insensitive) wins. Keys, not row positions, decide, so the result does not depend on
the order in which rows were typed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


class InfeasibleError(ValueError):
    """Floors and caps cannot be met with the given total."""


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_EPS = 1e-9


def apportion(
    total: int,
    weights: Sequence[float] | FloatArray,
    keys: Sequence[str],
    lower: Sequence[int] | IntArray | None = None,
    upper: Sequence[int] | IntArray | None = None,
) -> list[int]:
    """Split ``total`` whole units in proportion to ``weights``.

    ``lower``/``upper`` are per-item bounds in units (inclusive). Raises
    :class:`InfeasibleError` when the bounds cannot hold, ``ValueError`` on negative input.
    """
    w = np.asarray(weights, dtype=np.float64)
    n = len(w)
    if len(keys) != n:
        raise ValueError("weights and keys differ in length")
    if total < 0 or (n and (w < 0).any()) or not np.isfinite(w).all():
        raise ValueError("negative or non-finite input")
    lo = np.zeros(n, dtype=np.int64) if lower is None else np.asarray(lower, dtype=np.int64)
    hi = np.full(n, total, dtype=np.int64) if upper is None else np.asarray(upper, dtype=np.int64)
    if (lo > hi).any() or int(lo.sum()) > total or int(hi.sum()) < total:
        raise InfeasibleError("Unter- und Obergrenzen lassen sich mit der Summe nicht einhalten")
    if n == 0:
        if total:
            raise InfeasibleError("Nichts zu verteilen, aber Summe ungleich 0")
        return []
    peak = float(w.max())
    if peak > 0:
        w = w / peak  # keeps total / wsum finite for tiny weights
    wsum = math.fsum(w.tolist())
    if wsum <= 0:
        if total == int(lo.sum()):
            return [int(x) for x in lo]
        quotas = np.zeros(n)
    else:
        quotas = w * (total / wsum)
    base = np.floor(quotas + _EPS).astype(np.int64)
    alloc = np.clip(base, lo, hi)
    remainder = quotas - alloc
    diff = total - int(alloc.sum())
    # Order once: largest remainder, then larger quota, then key.
    order_up = sorted(range(n), key=lambda i: (-remainder[i], -quotas[i], keys[i].casefold(), i))
    while diff > 0:
        progressed = False
        for i in order_up:
            if diff == 0:
                break
            if alloc[i] < hi[i]:
                alloc[i] += 1
                diff -= 1
                progressed = True
        if not progressed:
            raise InfeasibleError("Obergrenzen verhindern die vollständige Verteilung")
    if diff < 0:
        order_down = sorted(
            range(n), key=lambda i: (remainder[i], quotas[i], _reverse_key(keys[i]), -i)
        )
        while diff < 0:
            progressed = False
            for i in order_down:
                if diff == 0:
                    break
                if alloc[i] > lo[i]:
                    alloc[i] -= 1
                    diff += 1
                    progressed = True
            if not progressed:
                raise InfeasibleError("Untergrenzen verhindern die vollständige Verteilung")
    return [int(x) for x in alloc]


def _reverse_key(key: str) -> tuple[int, ...]:
    """Sort key that orders strings last-first, so removal mirrors the addition tie-break."""
    return (*(-ord(c) for c in key.casefold()), 1)


def split_two(total: int, first_share: float) -> tuple[int, int]:
    """Split ``total`` units into two parts, the first ≈ ``first_share``; both exact ints."""
    share = min(1.0, max(0.0, first_share))
    a, b = apportion(total, [share, 1.0 - share], ["a", "b"])
    return a, b


def to_units(amount_eur: float, unit_cents: int) -> int:
    """Euros to whole rounding units (half up); inputs are validated to full cents."""
    cents = round(amount_eur * 100)
    return (2 * cents + unit_cents) // (2 * unit_cents)
