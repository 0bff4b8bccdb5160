"""What each stage of the computation hands to the next: small frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from xlsozial.core.apportion import InfeasibleError
from xlsozial.core.burden import FloatArray, IndicatorData
from xlsozial.core.burden_exact import ExactSums
from xlsozial.core.financing import Corridor
from xlsozial.core.matrix import UsageMatrix
from xlsozial.core.transition import TransitionYear
from xlsozial.domain.models import Area, ModelKey, Provider
from xlsozial.domain.results import Results


class NoPopulation(ValueError):
    """The chosen age group has no inhabitants in any Sozialraum."""


class NegativeFactor(ValueError):
    """Damping or bounds made a burden factor negative."""

    def __init__(self, areas: list[str]) -> None:
        self.areas = areas
        super().__init__(areas)


class BaseInfeasible(InfeasibleError):
    """The Sockel, each rounded up to whole units, no longer fits into the budget."""


@dataclass(frozen=True)
class Burden:
    areas: list[Area]  # canonical order
    keys: list[str]
    population: FloatArray
    people: list[int]
    data: IndicatorData
    relative: FloatArray
    raw: FloatArray
    factor: FloatArray
    quota: FloatArray
    weighted: list[Fraction]  # population × exact factor
    sums: ExactSums | None = None  # the exact indicator sums, where the factor is rational


@dataclass(frozen=True)
class Allocation:
    unit: int  # cents per rounding unit
    budget: int  # in units
    reference: list[int]  # previous budgets scaled to the budget, in units
    base: list[Fraction]  # Sockel in units
    corridor: Corridor
    by_model: dict[ModelKey, list[int]]
    decided: bool = False  # M2–M4 used the quota the committee decided


@dataclass(frozen=True)
class Split:
    providers: list[Provider]
    categories: list[str]
    shares: dict[str, float]
    matrix: UsageMatrix
    ratio: dict[str, Fraction]
    bound: list[int]
    regional: list[int]


@dataclass(frozen=True)
class Transition:
    region_keys: list[str]
    schedule: list[TransitionYear]  # steps from the budget year on
    current: TransitionYear  # the budget year's money (no compensation if it failed)
    failure: InfeasibleError | None  # the budget year's compensation cannot be paid
    needed: int  # compensation due in the budget year, in units
    means: int  # what may pay it: regionales Budget 1 or the extra money, in units
    before: TransitionYear | None = None  # the step of the year before the budget year
    ended: int | None = None  # last year of a transition that ended before the budget year


@dataclass(frozen=True)
class Solution:
    results: Results  # without checks: the evaluation adds them
    transition: Transition
    allocation: Allocation
    burden: Burden
