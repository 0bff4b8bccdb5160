"""Validated inputs: parameters and the rows of every input table (pydantic).

Enum *values* are the German texts users pick from dropdowns in the workbook; member
names are English. Each row may carry an :class:`~xlsozial.domain.errors.Origin` so that later
checks can point at the right cell; it is excluded from serialisation and hashing.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator
from pydantic_core import PydanticCustomError

from xlsozial.domain.model_base import (
    COUNT_MAX,
    MODEL_LABELS,
    MONEY_MAX,
    PEOPLE_MAX,
    WEIGHT_MAX,
    AgeGroup,
    Aggregation,
    BaseLevel,
    Direction,
    ExtraRest,
    HoldingFunding,
    ModelKey,
    Money,
    Normalisation,
    Number,
    RegionKey,
    Row,
    SplitMethod,
    Whole,
    _cents_exact,
    german_text_number,
    normal_text,
)
from xlsozial.domain.models_years import (
    Application,
    ApplicationStatus,
    Consultation,
    HistoryRow,
    QuotaDecision,
    RegionShare,
    VariantSetting,
    relevant_decision,
)

__all__ = [
    "COUNT_MAX",
    "MODEL_LABELS",
    "MONEY_MAX",
    "PEOPLE_MAX",
    "WEIGHT_MAX",
    "AgeGroup",
    "Aggregation",
    "Application",
    "ApplicationStatus",
    "Area",
    "BaseLevel",
    "CategoryShare",
    "Consultation",
    "CostPosition",
    "Direction",
    "ExtraRest",
    "HistoryRow",
    "HoldingFunding",
    "Indicator",
    "IndicatorValue",
    "Inputs",
    "ModelKey",
    "Money",
    "Normalisation",
    "Number",
    "Parameters",
    "Provider",
    "QuotaDecision",
    "RegionKey",
    "RegionShare",
    "Row",
    "SplitMethod",
    "VariantSetting",
    "Whole",
    "german_text_number",
    "normal_text",
]


class Parameters(Row):
    total_budget: Number = Field(gt=0, le=MONEY_MAX)
    age_group: AgeGroup = AgeGroup.U21
    normalisation: Normalisation = Normalisation.RATIO
    aggregation: Aggregation = Aggregation.ARITHMETIC
    damping: Number = Field(default=1.0, ge=0, le=1)
    factor_min: Number | None = Field(default=None, gt=0, le=100)
    factor_max: Number | None = Field(default=None, gt=0, le=100)
    years_average: Whole = Field(default=1, ge=1, le=10)
    base_level: BaseLevel = BaseLevel.AREA
    corridor_down: Number = Field(default=0.05, ge=0, le=1)
    corridor_up: Number = Field(default=0.05, ge=0, le=10)
    rounding_unit: Number = Field(default=1.0, gt=0, le=1_000_000)
    chosen_model: ModelKey = ModelKey.M2
    split_method: SplitMethod = SplitMethod.UNIFORM
    fixed_bound_share: Number | None = Field(default=None, ge=0, le=1)
    transition_years: Whole = Field(default=4, ge=0, le=20)
    first_year: Whole = Field(default=2027, ge=2000, le=2100)
    transition_start: Whole | None = Field(default=None, ge=2000, le=2100)
    holding_funding: HoldingFunding = HoldingFunding.REGIONAL
    extra_funds: Number = Field(default=0.0, ge=0, le=MONEY_MAX)  # per year, on top of G
    extra_rest: ExtraRest = ExtraRest.REGIONAL
    region_key: RegionKey = RegionKey.PRO_RATA
    indexation: Number = Field(default=0.0, ge=-0.5, le=1)  # applied by the Jahreswechsel
    review_years: Whole = Field(default=5, ge=1, le=20)
    sensitivity_draws: Whole = Field(default=1000, ge=0, le=100_000)
    sensitivity_spread: Number = Field(default=0.25, ge=0, le=0.9)
    sensitivity_vary_normalisation: bool = False
    sensitivity_seed: Whole = Field(default=2026, ge=0, le=2**32 - 1)
    contact: str = Field(default="", max_length=300)
    authority: str = Field(default="", max_length=200)
    paper_number: str = Field(default="", max_length=60)
    committee: str = Field(default="Jugendhilfeausschuss", max_length=120)
    meeting_date: str = Field(default="", max_length=60)
    # The head of the Beschlussvorlage as the council information system files it.
    subject: str = Field(default="", max_length=300)  # Betreff
    paper_status: str = Field(default="öffentlich", max_length=40)
    paper_kind: str = Field(default="Beschlussvorlage", max_length=60)
    responsible: str = Field(default="", max_length=120)  # Verantwortlich
    lead_office: str = Field(default="", max_length=120)  # Federführend
    clerk: str = Field(default="", max_length=120)  # Bearbeiter/-in
    products: str = Field(default="", max_length=200)  # Produkt(e) / Haushaltsstelle

    _money = field_validator("total_budget", "rounding_unit", "extra_funds")(_cents_exact)

    @model_validator(mode="after")
    def _consistent(self) -> Parameters:
        if self.holding_funding is HoldingFunding.EXTRA and self.extra_funds <= 0:
            raise PydanticCustomError(
                "extra_funds",
                "Der Besitzstand soll aus zusätzlichen Mitteln bezahlt werden, aber der Betrag "
                "der zusätzlichen Mittel fehlt",
                {"field": "extra_funds"},
            )
        if (
            self.factor_min is not None
            and self.factor_max is not None
            and self.factor_min > self.factor_max
        ):
            raise PydanticCustomError(
                "bounds",
                "Untergrenze des Belastungsfaktors ist größer als die Obergrenze",
                {"field": "factor_min"},
            )
        if self.transition_start is not None and self.transition_start > self.first_year:
            raise PydanticCustomError(
                "transition_start",
                "Der Übergang kann nicht nach dem Haushaltsjahr beginnen",
                {"field": "transition_start"},
            )
        if self.split_method is SplitMethod.FIXED and self.fixed_bound_share is None:
            raise PydanticCustomError(
                "fixed_share",
                "Für „fester Anteil“ fehlt der Anteil gebunden",
                {"field": "fixed_bound_share"},
            )
        return self


class Area(Row):
    """A Sozialraum: served by one SRT, belonging to one region."""

    name: str = Field(min_length=1)
    region: str = Field(min_length=1)
    provider: str = Field(min_length=1)
    population_total: Whole = Field(ge=0, le=PEOPLE_MAX)
    population_u18: Whole = Field(ge=0, le=PEOPLE_MAX)
    population_u21: Whole = Field(ge=0, le=PEOPLE_MAX)
    population_u27: Whole = Field(ge=0, le=PEOPLE_MAX)
    previous_budget: Number = Field(gt=0, le=MONEY_MAX)
    base_amount: Number | None = Field(default=None, ge=0, le=MONEY_MAX)
    holding: Number | None = Field(default=None, ge=0, le=MONEY_MAX)  # Besitzstand

    _money = field_validator("previous_budget")(_cents_exact)

    @field_validator("base_amount", "holding")
    @classmethod
    def _base_cents(cls, value: float | None) -> float | None:
        return None if value is None else _cents_exact(value)

    @model_validator(mode="after")
    def _nested_ages(self) -> Area:
        if not (
            self.population_u18
            <= self.population_u21
            <= self.population_u27
            <= self.population_total
        ):
            raise PydanticCustomError(
                "ages",
                "Altersgruppen passen nicht zusammen (es muss gelten: "
                "unter 18 ≤ unter 21 ≤ unter 27 ≤ gesamt)",
            )
        return self

    def population(self, group: AgeGroup) -> int:
        return {
            AgeGroup.TOTAL: self.population_total,
            AgeGroup.U18: self.population_u18,
            AgeGroup.U21: self.population_u21,
            AgeGroup.U27: self.population_u27,
        }[group]


class Provider(Row):
    """A Sozialraumträger (SRT); ``key`` also names its cost sheet."""

    key: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_]+$")
    name: str = Field(min_length=1)
    base_amount: Number | None = Field(default=None, ge=0, le=MONEY_MAX)
    bound_share: Number | None = Field(default=None, ge=0, le=1)

    @field_validator("base_amount")
    @classmethod
    def _base_cents(cls, value: float | None) -> float | None:
        return None if value is None else _cents_exact(value)


class Indicator(Row):
    key: str = Field(min_length=1)
    label: str = Field(min_length=1)
    weight: Number = Field(ge=0, le=WEIGHT_MAX)
    direction: Direction = Direction.BURDEN
    data_year: Whole | None = Field(default=None, ge=1990, le=2100)
    source: str = ""


class IndicatorValue(Row):
    """One observation: a rate given as Zähler/Nenner, or a value given directly."""

    area: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    year: Whole = Field(ge=1990, le=2100)
    numerator: Number | None = Field(default=None, ge=0, le=COUNT_MAX)
    denominator: Number | None = Field(default=None, gt=0, le=COUNT_MAX)
    value: Number | None = Field(default=None, ge=0, le=COUNT_MAX)

    @model_validator(mode="after")
    def _one_form(self) -> IndicatorValue:
        rate = self.numerator is not None or self.denominator is not None
        if rate and self.value is not None:
            raise PydanticCustomError(
                "form", "entweder Zähler und Nenner oder einen Wert angeben, nicht beides"
            )
        if rate and (self.numerator is None or self.denominator is None):
            raise PydanticCustomError("form", "Zähler und Nenner müssen beide angegeben sein")
        if not rate and self.value is None:
            raise PydanticCustomError("form", "weder Zähler/Nenner noch Wert angegeben")
        return self

    @property
    def is_rate(self) -> bool:
        return self.value is None


class CostPosition(Row):
    """A line of an SRT's cost breakdown of its past budget use."""

    provider: str = Field(min_length=1)
    category: str = Field(min_length=1)
    position: str = ""
    amount: Money
    area: str | None = None
    note: str | None = None

    _money = field_validator("amount")(_cents_exact)


class CategoryShare(Row):
    """Which share of a cost category counts as gebundenes Budget (rest: regional 1)."""

    category: str = Field(min_length=1)
    bound_share: Number = Field(ge=0, le=1)


class Inputs(BaseModel):
    """Everything the core needs; nothing here knows about Excel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parameters: Parameters
    areas: list[Area]
    providers: list[Provider]
    indicators: list[Indicator]
    indicator_values: list[IndicatorValue]
    cost_positions: list[CostPosition] = []
    category_shares: list[CategoryShare]
    quota_decisions: list[QuotaDecision] = []
    applications: list[Application] = []
    history: list[HistoryRow] = []
    previous_costs: list[CostPosition] = []  # last year's, kept by the Jahreswechsel
    region_shares: list[RegionShare] = []  # Verteilschlüssel „feste Anteile“
    consultations: list[Consultation] = []  # Beratungsfolge of the Beschlussvorlage
    variants: list[VariantSetting] = []  # Blatt Varianten: other settings to compare

    @property
    def quota_in_force(self) -> list[QuotaDecision]:
        """The decided quota that speaks for the budget year (see relevant_decision)."""
        return relevant_decision(self.quota_decisions, self.parameters.first_year)

    @property
    def providers_on_last_year(self) -> list[str]:
        """SRT whose cost sheet for this year has no position yet, while last year's has."""
        current = {c.provider for c in self.cost_positions}
        earlier = {c.provider for c in self.previous_costs}
        return [p.key for p in self.providers if p.key not in current and p.key in earlier]

    @property
    def effective_costs(self) -> list[CostPosition]:
        """Per SRT: this year's cost sheet, or last year's until its new one has positions."""
        late = set(self.providers_on_last_year)
        return [
            *self.cost_positions,
            *(c for c in self.previous_costs if c.provider in late),
        ]

    def canonical_lines(self) -> Iterator[str]:
        """Order-independent text of the inputs, row by row, for the Protokoll hash.

        Rows are serialised a few thousand at a time and sorted as short strings, so hashing a
        large workbook does not hold a second copy of all inputs as dicts.
        """
        yield _json(self.parameters.model_dump(mode="json"))
        for name in (
            "areas",
            "providers",
            "indicators",
            "indicator_values",
            "cost_positions",
            "category_shares",
            "quota_decisions",
            "applications",
            "history",
            "previous_costs",
            "region_shares",
            "consultations",
            "variants",
        ):
            rows: list[Row] = getattr(self, name)
            if name == "variants" and not rows:
                continue  # workbooks from before the Varianten sheet keep their hash
            yield name
            lines: list[str] = []
            for start in range(0, len(rows), _CHUNK):  # a few thousand rows per call
                chunk = rows[start : start + _CHUNK]
                lines += json_lines(_rows_adapter(type(chunk[0])).dump_python(chunk, mode="json"))
            yield from sorted(lines)


_CHUNK = 5_000
_json = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def json_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Each row as :func:`_json` writes it, from one encoding of all rows.

    Rows are encoded together and cut where one object ends and the next begins (``},{"``).
    A text can hold that sequence too (a value ending in ``},{``), which only ever cuts
    more pieces than there are rows: then the rows are encoded one by one."""
    if not rows:
        return []
    pieces = _json(rows)[3:-2].split('},{"')
    if len(pieces) != len(rows):
        return [_json(row) for row in rows]
    return ['{"' + piece + "}" for piece in pieces]


@functools.cache
def _rows_adapter(model: type[Row]) -> TypeAdapter[list[Row]]:
    """Rows of one table serialised in one call; the same JSON as ``model_dump`` per row."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]
