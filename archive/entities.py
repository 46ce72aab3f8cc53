"""Typed inputs and outputs of the contract archive."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["pending", "processing", "ready", "failed"]


class _In(BaseModel):
    # Non-finite numbers (Infinity, NaN, 1e400) are refused here, not left to the database.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Deal(_In):
    """Deal context a contract can carry (used by review routing)."""

    value: float | None = Field(default=None, ge=0, le=1e15)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    contract_type: str | None = Field(default=None, max_length=100)
    customer_tier: str | None = Field(default=None, max_length=50)
    term_months: int | None = Field(default=None, ge=0, le=1200)


TITLE_MAX = 500


class TextUpload(_In):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    text: str = Field(min_length=1)
    deal: Deal | None = None


class FileUploadFields(_In):
    """The text fields of a multipart upload: the same limits as `TextUpload`."""

    title: str | None = Field(default=None, min_length=1, max_length=TITLE_MAX)
    deal: Deal | None = None


class ContractSummary(BaseModel):
    id: str
    title: str
    filename: str | None
    media_type: str
    size_bytes: int
    status: Status
    error_code: str | None
    error_message: str | None
    progress: float
    stage: str | None = None  # text, analysis, embedding, index (processing); review (ready)
    page_count: int | None
    created_at: datetime
    processed_at: datetime | None
    counterparty: str | None
    parties: list[Any] | None
    governing_law: str | None
    agreement_date: date | None
    effective_date: date | None
    expiration_date: date | None
    auto_renewal: bool | None
    renewal_notice_days: int | None
    notice_deadline: date | None
    payment_net_days: int | None
    clause_types: list[str] | None
    deal: dict[str, Any] | None
    duplicate: bool = False


class SegmentOut(BaseModel):
    index: int
    start: int
    end: int
    page: int | None
    kind: str
    level: int
    number: str | None
    heading: str | None
    text: str
    types: list[dict[str, Any]]


class ClauseOut(BaseModel):
    category: str
    start: int
    end: int
    page: int | None
    score: float
    text: str


class TermOut(BaseModel):
    name: str
    value: Any
    text: str
    start: int
    end: int
    page: int | None
    confidence: float


class ContractDetail(ContractSummary):
    text: str | None
    terms: list[TermOut]
    segments: list[SegmentOut]
    clauses: list[ClauseOut]


class ArchiveFilters(_In):
    status: Status | None = None
    counterparty: str | None = Field(default=None, max_length=200)
    governing_law: str | None = Field(default=None, max_length=100)
    clause_type: str | None = Field(default=None, max_length=100)  # present
    clause_type_absent: str | None = Field(default=None, max_length=100)
    expiration_from: date | None = None
    expiration_to: date | None = None
    notice_deadline_from: date | None = None
    notice_deadline_to: date | None = None
    auto_renewal: bool | None = None
    payment_days_min: int | None = Field(default=None, ge=0, le=100_000)
    payment_days_max: int | None = Field(default=None, ge=0, le=100_000)


class ArchiveSearch(_In):
    query: str = Field(min_length=1, max_length=2000)
    top_k: int = Field(default=10, ge=1, le=100)
    filters: ArchiveFilters = Field(default_factory=ArchiveFilters)


class ArchiveHit(BaseModel):
    contract_id: str
    contract_title: str
    clause_types: list[str]
    heading: str | None
    text: str
    start: int
    end: int
    page: int | None
    score: float


class ArchiveAnswer(BaseModel):
    hits: list[ArchiveHit]
    matched_contracts: list[str] = Field(description="Contracts the question names, if any")
    clause_types: list[str] = Field(description="Clause types the question asks about")
