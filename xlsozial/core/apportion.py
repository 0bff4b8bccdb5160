"""Largest-remainder apportionment of whole units (cents, euros, hundreds …), exactly.

Every money result goes through here, so that it sums exactly to its total, is never
negative and respects per-item floors and caps *after* rounding.

All arithmetic is rational (:class:`fractions.Fraction`): remainders that are equal in
the mathematics compare equal here, so ties are decided by the documented rule and never
by floating-point noise. Callers pass exact weights (``int`` or ``Fraction``); a ``float``
is read as the decimal number it prints as (``0.1`` is one tenth), which is what a user
typed into a cell.

Tie-break (documented in docs/GLOSSAR.md): when two items have the same remainder, the one
with the larger exact amount wins; if that ties too, the name that sorts first in German
order (DIN 5007-1: Ä as A, ß as ss, case ignored) wins. Names, not row positions, decide,
so the result does not depend on the order in which rows were typed. When units must be
taken away (floors pushed the sum above the total) the mirror rule applies: smallest
remainder first, then the smaller exact amount, then the name that sorts last.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from numbers import Real
from typing import Any

from xlsozial.domain.money import exact

__all__ = ["InfeasibleError", "apportion", "exact", "exact_order", "german_key", "split_two"]


class InfeasibleError(ValueError):
    """Floors and caps cannot be met with the given total."""


@functools.lru_cache(maxsize=65_536)
def german_key(name: str) -> tuple[str, str, str]:
    """Sort key in German dictionary order (DIN 5007-1).

    Umlauts sort with their base letter (Ä as A, Ö as O, Ü as U), ß as ss, and case is
    ignored; only where two names are equal on that level does the plain letter come
    before the umlaut, and lower before upper case, so the order is total.
    """
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFC", name).casefold())
    base = "".join(c for c in folded if not unicodedata.combining(c))
    return (base, folded, name)


def apportion(
    total: int,
    weights: Sequence[Real | int | float | Fraction],
    keys: Sequence[str],
    lower: Sequence[int] | None = None,
    upper: Sequence[int] | None = None,
) -> list[int]:
    """Split ``total`` whole units in proportion to ``weights``.

    ``lower``/``upper`` are per-item bounds in units (inclusive). Raises
    :class:`InfeasibleError` when the bounds cannot hold, ``ValueError`` on negative input.
    """
    w = [exact(x) for x in weights]
    n = len(w)
    if len(keys) != n:
        raise ValueError("weights and keys differ in length")
    if total < 0 or any(x < 0 for x in w):
        raise ValueError("negative input")
    lo = [0] * n if lower is None else [int(x) for x in lower]
    hi = [total] * n if upper is None else [int(x) for x in upper]
    if len(lo) != n or len(hi) != n:
        raise ValueError("bounds and weights differ in length")
    if any(a > b for a, b in zip(lo, hi)) or sum(lo) > total or sum(hi) < total:
        raise InfeasibleError("lower and upper bounds cannot be met with this total")
    if n == 0:
        return []
    # One common denominator makes every quota an integer over the same W: remainders and
    # amounts then compare as plain integers (exact, and fast for thousands of areas).
    scale = math.lcm(*(x.denominator for x in w))
    ints = [x.numerator * (scale // x.denominator) for x in w]
    wsum = sum(ints)
    if wsum == 0:
        if total == sum(lo):
            return lo
        ints, wsum = [0] * n, 1
    scaled = [x * total for x in ints]  # exact amount of item i = scaled[i] / wsum
    alloc = [min(max(q // wsum, a), b) for q, a, b in zip(scaled, lo, hi)]
    diff = total - sum(alloc)
    if diff == 0:
        return alloc
    remainder = [q - a * wsum for q, a in zip(scaled, alloc)]  # over wsum, like the amounts
    # Largest remainder, then larger exact amount, then the name first in German order.
    order = sorted(range(n), key=lambda i: (-remainder[i], -scaled[i], german_key(keys[i]), i))
    if diff > 0:
        _hand_out(alloc, order, diff, lambda i: alloc[i] < hi[i], +1)
    else:
        # Mirror: smallest remainder, smaller exact amount, name last in German order.
        order.reverse()
        _hand_out(alloc, order, -diff, lambda i: alloc[i] > lo[i], -1)
    return alloc


NEAR = 1e-9  # floats this close may hide an exact tie or an exact order: decide exactly


def exact_order(n: int, approx: Any, key: Any) -> list[int]:
    """Indices 0…n−1 sorted by the exact ``key``; fast for large n.

    Sorts by a float approximation first (correctly rounded, so two values whose floats
    differ by more than NEAR are in the right order) and then sorts every run of
    near-equal floats by the exact key. Same result as ``sorted(range(n), key=key)``.
    """
    rough = [approx(i) for i in range(n)]
    order = sorted(range(n), key=rough.__getitem__)
    start = 0
    while start < n:
        end = start + 1
        while end < n and rough[order[end]] - rough[order[end - 1]] <= NEAR * max(
            1.0, abs(rough[order[end]])
        ):
            end += 1
        if end - start > 1:
            order[start:end] = sorted(order[start:end], key=key)
        start = end
    return order


def _hand_out(alloc: list[int], order: list[int], count: int, room: Any, step: int) -> None:
    """Give (or take) one unit at a time in ``order`` while items have room; round robin."""
    while count > 0:
        progressed = False
        for i in order:
            if count == 0:
                break
            if room(i):
                alloc[i] += step
                count -= 1
                progressed = True
        if not progressed:
            raise InfeasibleError("bounds prevent a complete apportionment")


def split_two(total: int, first_share: Real | float | Fraction) -> tuple[int, int]:
    """Split ``total`` units into two parts, the first = ``first_share`` exactly before
    rounding; an exact half goes to the first part (the larger-amount rule ties, and
    „gebunden“ sorts before „regional“)."""
    share = min(Fraction(1), max(Fraction(0), exact(first_share)))
    a, b = apportion(total, [share, 1 - share], ["gebunden", "regional"])
    return a, b
