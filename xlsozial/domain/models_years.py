"""Inputs that reach beyond one budget year: the quota the committee decided, the
applications for regionales Budget 1, and the history of past years."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from xlsozial.domain.model_base import MONEY_MAX, Money, Number, Row, Whole, _cents_exact


class ApplicationStatus(str, Enum):
    REQUESTED = "beantragt"
    APPROVED = "bewilligt"
    REJECTED = "abgelehnt"
    WITHDRAWN = "zurückgezogen"


def _date_text(value: Any) -> Any:
    """A date cell as TT.MM.JJJJ text (the workbook shows it so; the model keeps text)."""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    return value


class QuotaDecision(Row):
    """One Sozialraum's share of the decided Gesamtbudgetverteilungsquote."""

    area: str = Field(min_length=1)
    quota: Number = Field(ge=0, le=1)
    decision: str = Field(default="", max_length=120)
    valid_from: Whole = Field(ge=2000, le=2100)
    valid_to: Whole | None = Field(default=None, ge=2000, le=2100)
    decided_on: str = Field(default="", max_length=40)
    decided_by: str = Field(default="", max_length=80)

    _dates = field_validator("decided_on", mode="before")(_date_text)

    @model_validator(mode="after")
    def _period(self) -> QuotaDecision:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise PydanticCustomError(
                "period", "„gültig bis“ liegt vor „gültig ab“", {"field": "valid_to"}
            )
        return self

    def valid_in(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


def relevant_decision(rows: list[QuotaDecision], year: int) -> list[QuotaDecision]:
    """The rows that speak for the budget year: those valid in it, else the newest decision
    (to say it has expired or starts later). Older decisions are history, kept and ignored."""
    valid = [r for r in rows if r.valid_in(year)]
    if valid or not rows:
        return valid
    newest = max(r.valid_from for r in rows)
    return [r for r in rows if r.valid_from == newest]


class Application(Row):
    """An application for regionales Budget 1 and the regional committee's decision."""

    region: str = Field(min_length=1)
    provider: str = ""
    project: str = Field(min_length=1)
    period: str = ""
    requested: Money
    approved: Number | None = Field(default=None, ge=0, le=MONEY_MAX)
    decided_on: str = Field(default="", max_length=40)
    committee: str = ""
    status: ApplicationStatus = ApplicationStatus.REQUESTED
    carried_from: Whole | None = Field(default=None, ge=2000, le=2100)  # still open then

    _money = field_validator("requested")(_cents_exact)
    _dates = field_validator("decided_on", "period", mode="before")(_date_text)

    @field_validator("approved")
    @classmethod
    def _approved_cents(cls, value: float | None) -> float | None:
        return None if value is None else _cents_exact(value)

    @model_validator(mode="after")
    def _decided(self) -> Application:
        if self.status is ApplicationStatus.APPROVED and self.approved is None:
            raise PydanticCustomError(
                "approved", "Status „bewilligt“ ohne bewilligten Betrag", {"field": "approved"}
            )
        return self

    @property
    def approved_amount(self) -> float:
        """What counts against the region's budget: only approved applications."""
        return (self.approved or 0.0) if self.status is ApplicationStatus.APPROVED else 0.0

    @property
    def open_amount(self) -> float:
        return self.requested if self.status is ApplicationStatus.REQUESTED else 0.0


class HistoryRow(Row):
    """What one Sozialraum received in a past budget year (written by the Jahreswechsel).

    ``paid`` is what it was actually paid (tatsächlich): model amount + Besitzstand ± its
    share of its region's change of regionales Budget 1; rows written before that column
    existed have none."""

    year: Whole = Field(ge=2000, le=2100)
    area: str = Field(min_length=1)
    allocation: Money
    compensation: Money = 0.0
    regional: Money = 0.0
    paid: Money | None = None

    _money = field_validator("allocation", "compensation", "regional")(_cents_exact)

    @field_validator("paid")
    @classmethod
    def _paid_cents(cls, value: float | None) -> float | None:
        return None if value is None else _cents_exact(value)


class RegionShare(Row):
    """One region's fixed share in the Verteilschlüssel for regionales Budget 1."""

    region: str = Field(min_length=1)
    share: Number = Field(ge=0, le=1)


class ConsultationRole(str, Enum):
    PRELIMINARY = "Vorberatung"
    DECISION = "Entscheidung"
    NOTICE = "Kenntnisnahme"


class Consultation(Row):
    """One body in the Beratungsfolge of the Beschlussvorlage, with its meeting."""

    body: str = Field(min_length=1, max_length=120)
    date: str = Field(default="", max_length=40)
    role: ConsultationRole = ConsultationRole.DECISION
    outcome: str = Field(default="", max_length=120)

    _dates = field_validator("date", mode="before")(_date_text)


class VariantSetting(Row):
    """One setting of a named variant (Blatt Varianten): a parameter field, an indicator's
    weight (``weight:KEY``) or the Sockel (``base_amount``), and the value it takes there.
    The reader turns the label a user picked into the ``setting``; whether the value fits
    is checked by applying it (:mod:`xlsozial.evaluation.variants`)."""

    variant: str = Field(min_length=1, max_length=60)
    description: str = Field(default="", max_length=200)
    setting: str = Field(min_length=1, max_length=80)
    value: float | str | None = None
