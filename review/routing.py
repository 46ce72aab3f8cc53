"""Routing rules live in the playbook; a flag takes the approvers the deal adds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook.routing import DEFAULT_ROUTING, RoutingRule, load_routing, route
from review.engine import FlagDraft


def apply_routing(
    rules: list[RoutingRule], flag: FlagDraft, deal: Mapping[str, Any] | None
) -> FlagDraft:
    return flag.model_copy(update={"approvers": route(rules, flag.severity, flag.approvers, deal)})


__all__ = ["DEFAULT_ROUTING", "RoutingRule", "apply_routing", "load_routing"]
