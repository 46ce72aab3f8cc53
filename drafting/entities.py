"""Typed input and output of the drafting assistant (`POST /v1/ask`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from drafting.understand import Intent


class DealContext(BaseModel):
    """What the rep knows about the deal; every field optional, unknown fields rejected."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    customer: str | None = Field(default=None, max_length=200)
    value: float | None = Field(default=None, ge=0, le=1e12)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    term_months: int | None = Field(default=None, ge=1, le=240)
    governing_law: str | None = Field(default=None, max_length=100)
    customer_tier: str | None = Field(default=None, max_length=50)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=4000)
    deal: DealContext | None = None

    @field_validator("question")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        # Only spaces is no question: nothing to answer, and nothing to guess from.
        if not v.strip():
            raise ValueError("the question is empty; ask about a clause, a value or a contract")
        return v


class UsedClause(BaseModel):
    clause_id: str
    version: int
    type: str
    type_name: str
    position_id: str
    position_kind: str
    title: str
    text: str  # parameters filled
    approved: bool = True


class ParameterOut(BaseModel):
    name: str
    clause_type: str
    value: Any
    source: Literal["question", "deal", "library_default", "contract"]
    within_standard: bool | None = None
    allowed: str = ""


class FallbackOut(BaseModel):
    """An approved fallback the rep may offer instead, and who must approve it."""

    clause_type: str
    position_id: str
    title: str
    approvers: list[str]


class ApprovalOut(BaseModel):
    approvers: list[str]
    reason: str


class Citation(BaseModel):
    kind: Literal["library", "contract", "rule"]
    ref: str
    title: str
    text: str
    start: int | None = None
    end: int | None = None
    page: int | None = None


class AskAnswer(BaseModel):
    answer_markdown: str
    intent: Intent
    mode: Literal["grounded", "llm"]
    clause_type: str | None
    decision: Literal["yes", "approval", "no"] | None
    approvals: list[ApprovalOut] = Field(default_factory=list)
    fallbacks: list[FallbackOut] = Field(
        default_factory=list, description="Approved fallbacks to offer when the answer is no"
    )
    closest_types: list[str] = Field(
        default_factory=list, description="When the clause is unclear: the closest types"
    )
    clauses: list[UsedClause] = Field(default_factory=list)
    parameters: list[ParameterOut] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    contracts: list[str] = Field(default_factory=list, description="Archive contracts used")
