"""Typed inputs and outputs of the library's public API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from clause_index.schema import (
    Approval,
    Parameter,
    ParameterOverride,
    PositionKind,
    Rule,
)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class TypeDefinition(_In):
    """What a new clause type needs when a clause of an unknown type is created via the API."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=2000)
    guidance: str = Field(min_length=1, max_length=20000)
    aliases: list[str] = Field(default_factory=list)
    cuad_categories: list[str] = Field(default_factory=list)
    required: bool = False
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)


class ClauseCreate(_In):
    clause_type: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=100)
    position_id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)
    position: PositionKind = PositionKind.fallback
    rank: int | None = Field(default=None, ge=0, le=100)
    title: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=20, max_length=50_000)
    when_to_use: str | None = Field(default=None, max_length=5000)
    parameters: dict[str, ParameterOverride] = Field(default_factory=dict)
    approval: Approval | None = None
    type_definition: TypeDefinition | None = None


class ClauseUpdate(_In):
    """Fields left out keep their current value; the result is a new version."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    text: str | None = Field(default=None, min_length=20, max_length=50_000)
    when_to_use: str | None = Field(default=None, max_length=5000)
    rank: int | None = Field(default=None, ge=0, le=100)
    parameters: dict[str, ParameterOverride] | None = None
    approval: Approval | None = None


class Clause(BaseModel):
    id: str
    clause_type: str
    type_name: str
    position: PositionKind
    rank: int
    title: str
    version: int
    status: str
    text: str = Field(description="The template rendered with its parameters' defaults")
    template: str
    parameters: dict[str, Parameter] = Field(description="Effective parameters of this position")
    when_to_use: str | None
    approval: Approval | None
    guidance: str
    cuad_categories: list[str]
    aliases: list[str]
    type_description: str
    required: bool
    rules: list[Rule]
    type_version: int
    created_at: datetime
    updated_at: datetime


class ClauseVersion(BaseModel):
    clause_id: str
    version: int
    type_version: int
    position: PositionKind
    rank: int
    title: str
    template: str
    text: str
    when_to_use: str | None
    parameters: dict[str, ParameterOverride]
    approval: Approval | None
    source: str
    created_by: str
    created_at: datetime


class SearchFilters(_In):
    clause_type: str | list[str] | None = None
    position: PositionKind | None = None
    cuad_category: str | list[str] | None = None
    requires_approval: bool | None = None
    approver: str | list[str] | None = None
    clause_id: str | list[str] | None = None


class SearchRequest(_In):
    query: str = Field(min_length=1, max_length=2000)
    top_k: int = Field(default=5, ge=1, le=50)
    filters: SearchFilters = Field(default_factory=SearchFilters)


class SearchHit(BaseModel):
    clause_id: str
    clause_type: str
    type_name: str
    position: PositionKind
    rank: int
    version: int
    title: str
    text: str
    score: float
    requires_approval: bool
    approvers: list[str]


class SyncReport(BaseModel):
    created: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    retired: list[str] = Field(default_factory=list)
    unchanged: int = 0

    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
