"""The playbook: approved positions, parameter ranges, rules and routing, and the one decision
every caller renders from (`decide`). `review` finds clauses in a contract and turns
decisions into flags; `drafting` turns a question into a decision and then an answer."""

from playbook.decision import (
    TERM_PARAMS,
    Decision,
    PositionOut,
    Reason,
    decide,
    gather_values,
    pid,
    position_out,
    rule_kind,
)
from playbook.matching import ClauseMatch, clause_body, match_clause, redline
from playbook.params import describe_range, parse_value, within
from playbook.positions import TypeInfo, merged_parameters, position_for
from playbook.routing import RoutingRule, load_routing, route
from playbook.rules import evidence_of, fires, holds
from playbook.types import Fact, ParamValue, RedlineOp

__all__ = [
    "TERM_PARAMS",
    "ClauseMatch",
    "Decision",
    "Fact",
    "ParamValue",
    "PositionOut",
    "Reason",
    "RedlineOp",
    "RoutingRule",
    "TypeInfo",
    "clause_body",
    "decide",
    "describe_range",
    "evidence_of",
    "fires",
    "gather_values",
    "holds",
    "load_routing",
    "match_clause",
    "merged_parameters",
    "parse_value",
    "pid",
    "position_for",
    "position_out",
    "redline",
    "route",
    "rule_kind",
    "within",
]
