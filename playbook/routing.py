"""Routing: deal data adds approvers to a decision (a large deal's deviations also go to finance).

Declarative, in `clause_index/routing.yaml`, with the playbook's condition language.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from clause_index import DEFAULT_LIBRARY_DIR
from clause_index.schema import Approver, Condition, Severity
from playbook.rules import holds
from playbook.types import Fact

DEFAULT_ROUTING = DEFAULT_LIBRARY_DIR.parent / "routing.yaml"


class RoutingRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]*$")
    description: str
    when: list[Condition] = Field(min_length=1)
    min_severity: Severity = Severity.low
    add_approvers: list[Approver] = Field(min_length=1)


def load_routing(path: Path | None = None) -> list[RoutingRule]:
    path = path or DEFAULT_ROUTING
    if not path.exists():
        return []
    rules = TypeAdapter(list[RoutingRule]).validate_python(yaml.safe_load(path.read_text()) or [])
    for r in rules:
        bad = [c.field for c in r.when if not c.field.startswith("deal.")]
        if bad:
            raise ValueError(f"routing rule {r.id}: only deal.* fields may be used, got {bad}")
    return rules


SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def route(
    rules: list[RoutingRule], severity: str, approvers: list[str], deal: Mapping[str, Any] | None
) -> list[str]:
    """`approvers` with those the deal adds for a finding of `severity`."""
    facts = {f"deal.{k}": Fact(value=v, source="deal") for k, v in (deal or {}).items()}
    out = list(approvers)
    for r in rules:
        if SEVERITY_ORDER[severity] > SEVERITY_ORDER[r.min_severity.value]:
            continue
        if all(holds(c, facts) for c in r.when):
            out += [a.value for a in r.add_approvers if a.value not in out]
    return out
