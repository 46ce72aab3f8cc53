"""Typed inputs and outputs of the review API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extraction import TypeGuess
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
    # Empty or blank text is refused by the service with its own code (`empty_text`).
    text: str = Field(max_length=20_000)


class TextReviewOut(BaseModel):
    """Without a clause type in the request, `typing` says how the text was typed; when the
    model is not sure (`uncertain`) or reads no clause (`no_clause`), nothing is reviewed:
    `clause_type`, `clause_name` and `match` are null and `typing.closest` lists the nearest
    types."""

    clause_type: str | None
    clause_name: str | None
    match: ClauseMatch | None
    flags: list[FlagDraft]
    verdict: Literal[
        "standard", "approved_fallback", "needs_approval", "blocked", "uncertain", "no_clause"
    ]
    approvers: list[str]
    typing: TypeGuess | None = None
