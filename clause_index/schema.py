"""The clause library's file format: one YAML file per clause type.

These models are the contract between the human-edited library files, the database and the
review step that evaluates playbook rules. They are strict (unknown keys are errors) so a typo
in a pull request fails validation instead of being silently ignored.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
TYPE_ID = r"^[a-z][a-z0-9_]*$"

# The 41 CUAD categories, names exactly as in CUAD's categories.json. Kept here (not read
# from ../shared/cuad) because the product must validate its library without the dataset.
CUAD_CATEGORIES: tuple[str, ...] = (
    "Document Name",
    "Parties",
    "Agreement Date",
    "Effective Date",
    "Expiration Date",
    "Renewal Term",
    "Notice Period To Terminate Renewal",
    "Governing Law",
    "Most Favored Nation",
    "Competitive Restriction Exception",
    "Non-Compete",
    "Exclusivity",
    "No-Solicit Of Customers",
    "No-Solicit Of Employees",
    "Non-Disparagement",
    "Termination For Convenience",
    "Rofr/Rofo/Rofn",
    "Change Of Control",
    "Anti-Assignment",
    "Revenue/Profit Sharing",
    "Price Restrictions",
    "Minimum Commitment",
    "Volume Restriction",
    "Ip Ownership Assignment",
    "Joint Ip Ownership",
    "License Grant",
    "Non-Transferable License",
    "Affiliate License-Licensor",
    "Affiliate License-Licensee",
    "Unlimited/All-You-Can-Eat-License",
    "Irrevocable Or Perpetual License",
    "Source Code Escrow",
    "Post-Termination Services",
    "Audit Rights",
    "Uncapped Liability",
    "Cap On Liability",
    "Liquidated Damages",
    "Warranty Duration",
    "Insurance",
    "Covenant Not To Sue",
    "Third Party Beneficiary",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class ParamKind(StrEnum):
    money = "money"  # an amount in the deal currency
    percent = "percent"
    days = "days"
    months = "months"
    years = "years"
    multiple = "multiple"  # a multiple of fees, e.g. 1.5 (x fees paid)
    integer = "integer"
    jurisdiction = "jurisdiction"  # a governing-law jurisdiction, e.g. "Delaware"
    text = "text"


class Parameter(_Strict):
    """A named value in the clause language, with its default and the approved range."""

    kind: ParamKind
    description: str
    default: float | int | str
    min: float | None = None
    max: float | None = None
    allowed: list[str] | None = None  # for jurisdiction/text kinds: the approved values
    unit: str | None = None

    @model_validator(mode="after")
    def _check_default(self) -> Parameter:
        numeric = self.kind not in (ParamKind.jurisdiction, ParamKind.text)
        if numeric:
            if not isinstance(self.default, int | float):
                raise ValueError(f"default of a {self.kind} parameter must be a number")
            if self.min is not None and self.default < self.min:
                raise ValueError("default is below min")
            if self.max is not None and self.default > self.max:
                raise ValueError("default is above max")
            if self.min is not None and self.max is not None and self.min > self.max:
                raise ValueError("min is above max")
        else:
            if self.min is not None or self.max is not None:
                raise ValueError(f"a {self.kind} parameter takes 'allowed', not min/max")
            if self.allowed is not None and self.default not in self.allowed:
                raise ValueError("default is not among the allowed values")
        return self


class ParameterOverride(_Strict):
    """A position may move a parameter's default or range (e.g. a fallback allows 2x)."""

    default: float | int | str | None = None
    min: float | None = None
    max: float | None = None
    allowed: list[str] | None = None


class Approver(StrEnum):
    legal = "legal"
    finance = "finance"
    sales_director = "sales_director"
    security = "security"
    executive = "executive"


class Approval(_Strict):
    approvers: list[Approver] = Field(min_length=1)
    note: str


class PositionKind(StrEnum):
    standard = "standard"
    fallback = "fallback"


class Position(_Strict):
    """One approved wording of a clause type: the standard or a ranked fallback."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    position: PositionKind
    rank: int = Field(ge=0, default=0)  # 0 for the standard, 1.. for fallbacks in order
    title: str
    text: str = Field(min_length=20)
    when_to_use: str | None = None
    parameters: dict[str, ParameterOverride] = Field(default_factory=dict)
    approval: Approval | None = None

    def placeholders(self) -> set[str]:
        return set(PLACEHOLDER.findall(self.text))


class RuleOp(StrEnum):
    eq = "eq"
    ne = "ne"
    lt = "lt"
    lte = "lte"
    gt = "gt"
    gte = "gte"
    in_ = "in"
    not_in = "not_in"
    present = "present"
    absent = "absent"


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


# Fields a rule may test. `param.<name>` is the value of one of the type's parameters as found
# in the contract's clause; `term.<name>` an extracted contract term; `deal.<name>` deal data;
# `clause.present` whether the contract has a clause of this type; `clause.match` how the
# contract's clause compares with approved text (standard, fallback or deviation).
FIELD_PATTERN = re.compile(r"^(param|term|deal)\.[a-z][a-z0-9_]*$|^clause\.(present|match)$")


class Condition(_Strict):
    field: str
    op: RuleOp
    value: Any = None

    @field_validator("field")
    @classmethod
    def _field_shape(cls, v: str) -> str:
        if not FIELD_PATTERN.match(v):
            raise ValueError(
                "field must be param.<name>, term.<name>, deal.<name>, clause.present "
                f"or clause.match; got {v!r}"
            )
        return v

    @model_validator(mode="after")
    def _value_shape(self) -> Condition:
        if self.op in (RuleOp.present, RuleOp.absent):
            if self.value is not None:
                raise ValueError(f"op {self.op} takes no value")
        elif self.op in (RuleOp.in_, RuleOp.not_in):
            if not isinstance(self.value, list):
                raise ValueError(f"op {self.op} takes a list")
        elif self.value is None:
            raise ValueError(f"op {self.op} needs a value")
        return self


class Rule(_Strict):
    """A playbook rule: when all conditions hold, raise a flag. Declarative, never code."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]*$")
    description: str
    when: list[Condition] = Field(min_length=1)
    severity: Severity
    message: str  # why it matters to the business, in plain language
    approver: Approver
    propose: str | None = None  # position id of the fallback to propose


class ClauseType(_Strict):
    """One file of the library."""

    type: str = Field(pattern=TYPE_ID)
    name: str
    description: str
    aliases: list[str] = Field(default_factory=list)  # words reps and lawyers use for it
    cuad_categories: list[str] = Field(default_factory=list)
    guidance: str
    required: bool = False  # a sales agreement without this clause is flagged
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    positions: list[Position] = Field(min_length=2)
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("cuad_categories")
    @classmethod
    def _known_categories(cls, v: list[str]) -> list[str]:
        unknown = [c for c in v if c not in CUAD_CATEGORIES]
        if unknown:
            raise ValueError(f"unknown CUAD categories: {unknown}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> ClauseType:
        ids = [p.id for p in self.positions]
        if len(set(ids)) != len(ids):
            raise ValueError("position ids must be unique")
        standards = [p for p in self.positions if p.position is PositionKind.standard]
        if len(standards) != 1:
            raise ValueError("exactly one standard position is required")
        if standards[0].rank != 0 or standards[0].approval is not None:
            raise ValueError("the standard position has rank 0 and needs no approval")
        fallbacks = [p for p in self.positions if p.position is PositionKind.fallback]
        if not fallbacks:
            raise ValueError("at least one fallback position is required")
        ranks = sorted(p.rank for p in fallbacks)
        if ranks != list(range(1, len(fallbacks) + 1)):
            raise ValueError("fallback ranks must be 1, 2, ... without gaps")
        for p in self.positions:
            unknown = p.placeholders() - set(self.parameters)
            if unknown:
                raise ValueError(f"position {p.id} uses undeclared parameters {sorted(unknown)}")
            bad = set(p.parameters) - set(self.parameters)
            if bad:
                raise ValueError(f"position {p.id} overrides undeclared parameters {sorted(bad)}")
        for r in self.rules:
            for c in r.when:
                if c.field.startswith("param.") and c.field[6:] not in self.parameters:
                    raise ValueError(f"rule {r.id} tests undeclared parameter {c.field}")
            if r.propose is not None and r.propose not in ids:
                raise ValueError(f"rule {r.id} proposes unknown position {r.propose}")
        return self

    def effective_parameters(self, position_id: str) -> dict[str, Parameter]:
        """The type's parameters with the position's overrides applied."""
        pos = next(p for p in self.positions if p.id == position_id)
        out: dict[str, Parameter] = {}
        for name, spec in self.parameters.items():
            ov = pos.parameters.get(name)
            if ov is None:
                out[name] = spec
            else:
                changes = {k: v for k, v in ov.model_dump().items() if v is not None}
                out[name] = Parameter.model_validate({**spec.model_dump(), **changes})
        return out
