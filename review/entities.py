"""Typed inputs and outputs of the review API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extraction import TypeGuess
from playbook import Decision
from review.engine import FlagDraft
from review.matching import ClauseMatch

DecisionKind = Literal["accept", "reject", "escalate"]
FlagStatus = Literal["open", "accepted", "rejected", "escalated"]
ReviewStatus = Literal["pending", "clean", "needs_approval", "blocked"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


ApproverStatus = Literal["pending", "accepted", "rejected", "escalated"]


class DecisionIn(_In):
    decision: DecisionKind
    comment: str = Field(min_length=1, max_length=5000)
    approver: str | None = Field(
        default=None,
        max_length=50,
        description="The approver (finance, legal, executive, ...) this decision is recorded "
        "for. May be left out when only one approver's sign-off is outstanding.",
    )
    flag_version: str | None = Field(
        default=None,
        max_length=64,
        description="The flag's `version` as last seen; a different current version (the "
        "review changed since) gets 409 flag_stale.",
    )


class DecisionOut(BaseModel):
    decision: DecisionKind
    comment: str
    by: str
    at: datetime
    approver: str | None = Field(
        default=None, description="For whom it was recorded; null: the whole flag (older data)"
    )


class SignoffOut(BaseModel):
    approver: str
    status: ApproverStatus
    decision: DecisionOut | None = None


class FlagOut(FlagDraft):
    id: str
    contract_id: str
    status: FlagStatus
    decision: DecisionOut | None
    history: list[DecisionOut] = Field(default_factory=list)
    signoffs: list[SignoffOut] = Field(
        default_factory=list, description="Each approver the flag needs, with their decision"
    )
    pending_approvers: list[str] = Field(default_factory=list)
    version: str = Field(default="", description="Changes whenever the review changes the flag")


class ContractReviewOverview(BaseModel):
    """A contract's review at a glance (the archive table)."""

    status: ReviewStatus
    flags: int
    open: int
    by_severity: dict[str, int]


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
    # the playbook decision the flags and the verdict are rendered from (none when untyped)
    decision: Decision | None = None
    typing: TypeGuess | None = None
