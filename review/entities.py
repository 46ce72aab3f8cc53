"""Typed inputs and outputs of the review API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from playbook import Decision
from review.engine import FlagDraft
from review.matching import ClauseMatch

DecisionKind = Literal["accept", "reject", "escalate"]
FlagStatus = Literal["open", "accepted", "rejected", "escalated"]
ReviewStatus = Literal["pending", "clean", "needs_approval", "blocked"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DecisionIn(_In):
    decision: DecisionKind
    comment: str = Field(min_length=1, max_length=5000)


class DecisionOut(BaseModel):
    decision: DecisionKind
    comment: str
    by: str
    at: datetime


class FlagOut(FlagDraft):
    id: str
    contract_id: str
    status: FlagStatus
    decision: DecisionOut | None
    history: list[DecisionOut] = Field(default_factory=list)


class ReviewSummary(BaseModel):
    contract_id: str
    status: ReviewStatus
    approvers: list[str] = Field(description="Who must still approve open flags")
    reviewed_at: datetime | None
    counts: dict[str, int]
    flags: list[FlagOut]


class TextReviewIn(_In):
    clause_type: str | None = Field(default=None, max_length=100)
    text: str = Field(min_length=1, max_length=20_000)


class TextReviewOut(BaseModel):
    clause_type: str
    clause_name: str
    match: ClauseMatch
    flags: list[FlagDraft]
    verdict: Literal["standard", "approved_fallback", "needs_approval", "blocked"]
    approvers: list[str]
    decision: Decision  # the playbook's decision the flags and the verdict are rendered from
