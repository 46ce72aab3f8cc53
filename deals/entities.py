"""Typed boundaries of the records capability: what comes in, what goes out."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Source = Literal["crm", "billing"]
Frequency = Literal["monthly", "quarterly", "semiannual", "annual", "one_time"]
AmountPeriod = Literal["month", "quarter", "half_year", "year", "total"]
RecordStatus = Literal["active", "cancelled"]

# Billing periods a year: converts a per-period price to a yearly value.
PERIODS_PER_YEAR: dict[str, float] = {
    "month": 12,
    "quarter": 4,
    "half_year": 2,
    "year": 1,
    "monthly": 12,
    "quarterly": 4,
    "semiannual": 2,
    "annual": 1,
}
FREQUENCY_PERIOD: dict[str, AmountPeriod] = {
    "monthly": "month",
    "quarterly": "quarter",
    "semiannual": "half_year",
    "annual": "year",
    "one_time": "total",
}


class DealIn(BaseModel):
    """One CRM or billing record. `amount` is the list price per `amount_period` (default: the
    billing frequency's period), before any discount; `discount_percent` is stored apart so a
    discount outliving its end date can be seen."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: Source
    external_id: str = Field(min_length=1, max_length=200)
    customer: str = Field(min_length=1, max_length=500)
    amount: float | None = Field(default=None, ge=0, le=1e13)
    amount_period: AmountPeriod | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    start_date: date | None = None
    end_date: date | None = None  # when billing stopped or the record ended
    term_months: int | None = Field(default=None, ge=0, le=1200)
    billing_frequency: Frequency | None = None
    payment_net_days: int | None = Field(default=None, ge=0, le=365)
    discount_percent: float | None = Field(default=None, ge=0, le=100)
    discount_end_date: date | None = None
    escalation_percent: float | None = Field(default=None, ge=0, le=100)
    auto_renew: bool | None = None
    status: RecordStatus = "active"

    @field_validator("amount", "discount_percent", "escalation_percent")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v

    @field_validator("currency")
    @classmethod
    def _upper(cls, v: str | None) -> str | None:
        return v.upper() if v else v

    @model_validator(mode="after")
    def _dates_in_order(self) -> DealIn:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self

    def period(self) -> AmountPeriod | None:
        if self.amount_period:
            return self.amount_period
        return FREQUENCY_PERIOD.get(self.billing_frequency or "")


class DealOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    source: Source
    external_id: str
    customer: str
    amount: float | None
    amount_period: str | None
    currency: str | None
    start_date: date | None
    end_date: date | None
    term_months: int | None
    billing_frequency: str | None
    payment_net_days: int | None
    discount_percent: float | None
    discount_end_date: date | None
    escalation_percent: float | None
    auto_renew: bool | None
    status: str
    contract_id: str | None
    linked_by: str | None
    imported_from: str | None
    created_at: datetime
    updated_at: datetime


class UpsertOut(DealOut):
    created: bool = False


class RowProblem(BaseModel):
    row: int  # 1-based data row (the header is row 0); 0: the whole file
    column: str | None
    reason: str


class ImportReport(BaseModel):
    format: str
    delimiter: str
    encoding: str
    rows: int
    imported: int
    created: int
    updated: int
    rejected: int
    problems: list[RowProblem]
    unknown_columns: list[str]
    records: list[str]  # ids of the records kept


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contract_id: str = Field(min_length=1, max_length=32)


class Suggestion(BaseModel):
    contract_id: str
    title: str
    score: float
    matched_party: str | None
    reasons: list[str]


class Evidence(BaseModel):
    term: str
    text: str
    start: int
    end: int
    page: int | None = None


class Mismatch(BaseModel):
    """One difference between the signed contract and a record, with both values."""

    id: str  # stable: contract, record, kind and both values
    contract_id: str
    contract_title: str | None = None
    record_id: str
    source: Source
    external_id: str
    customer: str
    kind: str
    field: str
    contract_value: Any
    record_value: Any
    message: str
    evidence: Evidence | None
    yearly_impact: float | None  # in `currency`; None where it cannot be computed
    currency: str | None


class Reconciliation(BaseModel):
    as_of: date
    contracts: int
    records: int
    mismatches: list[Mismatch]
    total_yearly_impact: dict[str, float] = Field(default_factory=dict)  # per currency
