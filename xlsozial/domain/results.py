"""Results of one computation. Money is held in whole cents (int) so sums stay exact."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from xlsozial.domain.models import ModelKey, Normalisation


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class IndicatorInfo(_Frozen):
    key: str
    label: str
    weight: float
    direction: str
    years: list[int]
    source: str
    district: float


class AreaResult(_Frozen):
    name: str
    region: str
    provider: str
    population: int
    previous: int
    reference: int
    rates: dict[str, float]
    relative: dict[str, float]
    factor_raw: float
    factor: float
    quota: float
    base: int
    corridor_low: int
    corridor_high: int
    allocation: dict[ModelKey, int]
    bound: int
    regional: int
    # Actually paid in the budget year (tatsächlich): chosen model + Besitzstand ± the
    # area's share of its region's change of regionales Budget 1 (see core.transition).
    paid: int = 0
    compensation: int = 0  # Besitzstand paid to it in the budget year


class GroupResult(_Frozen):
    """Aggregate of Sozialräume (an SRT or a region)."""

    name: str
    population: int
    previous: int
    allocation: dict[ModelKey, int]
    bound: int
    regional: int
    paid: int = 0

    @classmethod
    def of(cls, name: str, members: Sequence[AreaResult | GroupResult]) -> GroupResult:
        """The sums over ``members`` (Sozialräume, or groups for a grand total)."""
        return cls(
            name=name,
            population=sum(a.population for a in members),
            previous=sum(a.previous for a in members),
            allocation={m: sum(a.allocation[m] for a in members) for m in ModelKey},
            bound=sum(a.bound for a in members),
            regional=sum(a.regional for a in members),
            paid=sum(a.paid for a in members),
        )


class MatrixRow(_Frozen):
    category: str
    bound_share: float
    amount: dict[str, int]
    bound: dict[str, int]
    regional: dict[str, int]


class TransitionRow(_Frozen):
    year: int
    factor: float
    compensation: dict[str, int]
    freed: int
    regional: dict[str, int]  # available per region
    bound_total: int
    extra_used: int = 0  # extra money paid out (Besitzstand and into regional budget 1)

    @property
    def compensation_total(self) -> int:
        return sum(self.compensation.values())

    @property
    def regional_total(self) -> int:
        return sum(self.regional.values())


class SensitivityRow(_Frozen):
    """Percentiles of the M2 allocation (euros, unrounded) over random weight draws."""

    name: str
    p5: float
    p50: float
    p95: float


class OutlierRow(_Frozen):
    indicator: str
    area: str
    value: float
    median: float
    mads: float  # distance from the median in median absolute deviations (signed)


class IndicatorDiagnosis(_Frozen):
    """What to check before the weights are fixed (see :mod:`xlsozial.core.diagnostics`)."""

    indicators: list[str]  # keys, in the order of the matrix
    areas: int
    correlation: list[list[float | None]]
    pairs: list[tuple[str, str, float]]  # |r| above 0.9
    outliers: list[OutlierRow]
    no_spread: list[str]  # MAD 0: the outlier rule says nothing
    coverage: dict[str, dict[int, int]]  # indicator → year → Sozialräume with a value
    years_used: dict[str, list[int]]  # the averaged years of each indicator
    influence: dict[str, float] | None  # share of the factor's variance; None without


class VariantResult(_Frozen):
    """One variant computed: its settings and what the chosen model gives (cents)."""

    name: str
    description: str
    settings: list[tuple[str, float | str | None]]  # (setting key, value) as applied
    chosen_model: ModelKey
    amounts: dict[str, int]  # per Sozialraum
    quota: dict[str, float]
    providers: dict[str, int]
    regions: dict[str, int]


class Check(_Frozen):
    """A Prüfung: green (ok), yellow (ok but ``warning``: look at it), red (not ok)."""

    name: str
    ok: bool
    detail: str = ""
    warning: bool = False


class RegionPlan(_Frozen):
    """Regionales Budget 1 of one region in the budget year, and what is committed."""

    name: str
    from_split: int  # sum of the areas' regional part
    compensation: int  # paid from it for the Besitzstand this year
    available: int  # from_split − compensation + extra
    approved: int
    open: int  # applied for, not yet decided
    freed: int = 0  # less Besitzstand than last year: back into regionales Budget 1
    extra: int = 0  # extra money not needed for the Besitzstand, added by the key

    @property
    def remaining(self) -> int:
        return self.available - self.approved


class Results(_Frozen):
    budget: int
    unit: int
    chosen_model: ModelKey
    indicators: list[IndicatorInfo]
    skipped_indicators: list[str]
    areas: list[AreaResult]
    providers: list[GroupResult]
    regions: list[GroupResult]
    categories: list[str]
    matrix: list[MatrixRow]
    provider_names: dict[str, str]
    bound_ratio: dict[str, float]
    transition: list[TransitionRow]
    sensitivity: list[SensitivityRow] = []
    sensitivity_info: str = ""
    sensitivity_methods: list[str] = []
    sensitivity_draws_done: int = 0
    decided_quota: dict[str, float] = {}  # the committee's quota, if one is stored
    quota_decided_used: bool = False  # M2–M4 used it (it holds for the budget year)
    region_plans: list[RegionPlan] = []
    # The budget year's money beyond the model: extra money paid out, and a transition
    # that ended before the budget year (its last year).
    extra_used: int = 0
    transition_ended: int | None = None
    checks: list[Check]
    # M2 per Sozialraum (cents) under each normalisation the data allow, where the run was
    # asked for it (the Sensitivität sheet and Anlage 5); not part of the JSON output.
    m2_by_method: dict[Normalisation, dict[str, int]] = Field(default_factory=dict, exclude=True)
    # The Indikatoren-Diagnose sheet's figures; not part of the JSON output either.
    diagnosis: IndicatorDiagnosis | None = Field(default=None, exclude=True)
    # The Variantenvergleich: each variant of Blatt Varianten, where the run was asked.
    variants: list[VariantResult] = Field(default_factory=list, exclude=True)

    @property
    def paid_total(self) -> int:
        """What is paid out in the budget year: next year's Vorjahr adds up to this."""
        return sum(a.paid for a in self.areas)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def euro(cents: int) -> float:
    """Cents to euros for display and JSON; exact to the cent."""
    return round(cents / 100, 2)
