"""Evaluating playbook rules: a small declarative language, never evaluated as code.

A rule holds when every one of its conditions holds. A condition on a fact that could not
be established (missing, or None) is false, except `absent`: a rule never fires on a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clause_index import Rule
from clause_index.schema import Condition, RuleOp
from playbook.types import Fact


def _norm(v: Any) -> Any:
    if isinstance(v, str):
        return v.strip().lower()
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int | float):
        return float(v)
    return v


def holds(cond: Condition, facts: Mapping[str, Fact]) -> bool:
    fact = facts.get(cond.field)
    value = None if fact is None else fact.value
    if cond.op is RuleOp.absent:
        return value is None or value is False
    if cond.op is RuleOp.present:
        return value is not None and value is not False
    if value is None:
        return False
    v, target = _norm(value), _norm(cond.value)
    try:
        match cond.op:
            case RuleOp.eq:
                return bool(v == target)
            case RuleOp.ne:
                return bool(v != target)
            case RuleOp.lt:
                return bool(v < target)
            case RuleOp.lte:
                return bool(v <= target)
            case RuleOp.gt:
                return bool(v > target)
            case RuleOp.gte:
                return bool(v >= target)
            case RuleOp.in_:
                return v in [_norm(x) for x in cond.value]
            case RuleOp.not_in:
                return v not in [_norm(x) for x in cond.value]
    except TypeError:
        # A number compared with text (say "uncapped" > 2): the rule cannot apply.
        return False
    return False


def fires(rule: Rule, facts: Mapping[str, Fact]) -> bool:
    return all(holds(c, facts) for c in rule.when)


def evidence_of(rule: Rule, facts: Mapping[str, Fact]) -> Fact | None:
    """The first condition's fact that carries evidence offsets."""
    for c in rule.when:
        f = facts.get(c.field)
        if f is not None and f.start is not None and f.end is not None:
            return f
    return None
