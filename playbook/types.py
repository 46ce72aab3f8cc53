"""Typed values shared by the review steps: facts the rules test, matches, redlines, flags."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Classification = Literal["standard", "fallback", "deviation", "missing"]


class Fact(BaseModel):
    """One value a playbook rule can test (`term.mfn`, `param.cap_multiple`, ...), with the
    evidence it was read from. `value` is None when the fact could not be established."""

    value: Any
    start: int | None = None
    end: int | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)
    source: str = ""  # which detector or extracted term produced it


class RedlineOp(BaseModel):
    op: Literal["equal", "insert", "delete"]
    text: str


class ParamValue(BaseModel):
    """A parameter's value as found in the contract's clause, checked against the range."""

    name: str
    value: float | str | None
    text: str  # the contract's words for it
    start: int | None = None  # offsets into the reviewed text
    end: int | None = None
    within: bool | None = None  # inside the matched position's approved range
    allowed: str = ""  # the approved range in words, e.g. "1 to 2 x fees"
