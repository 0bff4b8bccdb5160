"""Budget-usage matrix (category × SRT) and the split gebunden / regionales Budget 1.

The matrix sums each SRT's cost breakdown of past budget use and assigns every category
to the gebundenes Budget or the regionales Budget 1 by its share (Netzwerktätigkeit
typically 50/50). From it comes the historic ratio that splits the new total budget.
All amounts are whole cents or whole rounding units; every split is exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from xlsozial.core.apportion import apportion, exact, split_two
from xlsozial.domain.models import CostPosition
from xlsozial.domain.money import cents


@dataclass(frozen=True)
class MatrixCell:
    amount: int
    bound: int
    regional: int


@dataclass(frozen=True)
class UsageMatrix:
    categories: list[str]
    providers: list[str]
    cells: dict[tuple[str, str], MatrixCell]

    def provider_total(self, provider: str) -> MatrixCell:
        parts = [self.cells[(c, provider)] for c in self.categories]
        return MatrixCell(
            sum(p.amount for p in parts),
            sum(p.bound for p in parts),
            sum(p.regional for p in parts),
        )

    def total(self) -> MatrixCell:
        parts = list(self.cells.values())
        return MatrixCell(
            sum(p.amount for p in parts),
            sum(p.bound for p in parts),
            sum(p.regional for p in parts),
        )

    def uniform_ratio(self) -> Fraction:
        t = self.total()
        return Fraction(t.bound, t.amount) if t.amount else Fraction(0)

    def provider_ratio(self, provider: str) -> Fraction | None:
        t = self.provider_total(provider)
        return Fraction(t.bound, t.amount) if t.amount else None


def usage_matrix(
    positions: Sequence[CostPosition],
    shares: dict[str, float],
    categories: list[str],
    providers: list[str],
) -> UsageMatrix:
    """Sum positions per category and SRT (in cents) and split each cell exactly."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for pos in positions:
        sums[(pos.category, pos.provider)] += cents(pos.amount)
    cells: dict[tuple[str, str], MatrixCell] = {}
    for cat in categories:
        for prov in providers:
            amount = sums.get((cat, prov), 0)
            bound, regional = split_two(amount, shares[cat])
            cells[(cat, prov)] = MatrixCell(amount, bound, regional)
    return UsageMatrix(categories=categories, providers=providers, cells=cells)


def split_budget(
    allocation: Sequence[int], bound_share: Sequence[float | Fraction], keys: Sequence[str]
) -> tuple[list[int], list[int]]:
    """Split each area's allocation into (gebunden, regional 1) with an exact grand total.

    The total gebunden amount is rounded once; it is then apportioned over the areas by
    largest remainder, capped by each area's allocation, so no part goes negative.
    """
    total = sum(allocation)
    amounts = [a * exact(s) for a, s in zip(allocation, bound_share)]
    amount_total = sum(amounts, Fraction(0))
    total_bound, _ = split_two(total, amount_total / total if total else Fraction(0))
    bound = apportion(total_bound, amounts, list(keys), upper=list(allocation))
    regional = [a - b for a, b in zip(allocation, bound)]
    return bound, regional
