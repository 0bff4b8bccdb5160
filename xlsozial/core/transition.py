"""Transition to the new distribution (Übergang), year by year.

Rule (the real case, DESIGN item 6): a Sozialraum that loses under the new model against
its previous-year budget (rescaled to the new Gesamtbudget) is held harmless in year 1.
The compensation (Ausgleich) shrinks linearly over N further years: in year t it is
max(0, 1 − (t−1)/N) of the loss, so with N = 4: 100 %, 75 %, 50 %, 25 %, 0 %.
The compensation is financed from the regionales Budget 1; every amount that becomes free
as it shrinks goes back into the regionales Budget 1 of the regions, pro rata to their
final regionales Budget 1. The Gesamtbudget is the same in every year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xlsozial.core.apportion import InfeasibleError, apportion


@dataclass(frozen=True)
class TransitionYear:
    year: int
    factor: float
    compensation: list[int]
    freed: int
    regional: list[int]

    @property
    def compensation_total(self) -> int:
        return sum(self.compensation)

    @property
    def regional_total(self) -> int:
        return sum(self.regional)


def transition_schedule(
    allocation: Sequence[int],
    reference: Sequence[int],
    area_keys: Sequence[str],
    regional_final: Sequence[int],
    region_keys: Sequence[str],
    years: int,
    first_year: int,
) -> list[TransitionYear]:
    """Years first_year … first_year+N; raises InfeasibleError if regional 1 cannot pay."""
    loss = [max(0, r - a) for a, r in zip(allocation, reference)]
    total_loss = sum(loss)
    total_regional = sum(regional_final)
    if total_loss > total_regional:
        raise InfeasibleError("compensation in year 1 exceeds regional budget 1")
    schedule: list[TransitionYear] = []
    previous_comp = list(loss)
    previous_total = total_loss
    steps = years + 1 if years > 0 else 1
    for t in range(1, steps + 1):
        if years == 0:
            num, den = 0, 1
        else:
            num, den = max(0, years - (t - 1)), years
        # Round half up in integers: total compensation of the year.
        comp_total = (2 * total_loss * num + den) // (2 * den)
        comp = apportion(comp_total, loss, list(area_keys), upper=previous_comp)
        funding = apportion(
            comp_total, list(regional_final), list(region_keys), upper=list(regional_final)
        )
        regional = [r - f for r, f in zip(regional_final, funding)]
        freed = previous_total - comp_total if t > 1 else 0
        schedule.append(
            TransitionYear(
                year=first_year + t - 1,
                factor=num / den,
                compensation=comp,
                freed=freed,
                regional=regional,
            )
        )
        previous_comp, previous_total = comp, comp_total
    return schedule
