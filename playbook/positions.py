"""Which approved position holds a set of values: the standard first, then the fallbacks in
rank order; and, when none does, the nearest one to offer instead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clause_index import Clause, Parameter, Rule
from playbook.params import within


@dataclass
class TypeInfo:
    """One clause type of the active library: its positions by rank (standard first) and
    its rules."""

    type: str
    name: str
    required: bool
    rules: list[Rule]
    positions: list[Clause]


def _each(v: Any) -> list[Any]:
    # A parameter the contract names in several places carries one value per place.
    return list(v) if isinstance(v, list | tuple) else [v]


def holds_values(p: Clause, values: Mapping[str, Any]) -> bool:
    return all(
        within(p.parameters[n], x) is not False
        for n, v in values.items()
        if n in p.parameters
        for x in _each(v)
    )


def position_for(
    positions: Sequence[Clause], values: Mapping[str, Any]
) -> tuple[Clause | None, Clause]:
    """The lowest-rank position whose approved ranges hold every value (None when none
    does), and the nearest position to offer instead."""
    ordered = sorted(positions, key=lambda p: (p.position.value != "standard", p.rank))
    for p in ordered:
        if holds_values(p, values):
            return p, p
    return None, min(ordered, key=lambda p: distance(p, values))


def distance(p: Clause, values: Mapping[str, Any]) -> float:
    d = 0.0
    for n, vs in values.items():
        spec = p.parameters.get(n)
        for v in _each(vs):
            if spec is None or within(spec, v) is not False:
                continue
            if isinstance(v, int | float) and (spec.min is not None or spec.max is not None):
                lo = spec.min if spec.min is not None else v
                hi = spec.max if spec.max is not None else v
                span = max(abs(hi), abs(lo), 1.0)
                d += (lo - v if v < lo else v - hi) / span
            else:
                d += 1.0
    return d + 0.01 * p.rank


def merged_parameters(positions: Sequence[Clause]) -> dict[str, Parameter]:
    """Every parameter any position uses, with the union of the approved values and the
    widest range: what a rep may name, before it is judged position by position."""
    out: dict[str, Parameter] = {}
    for p in positions:
        for name, spec in p.parameters.items():
            cur = out.get(name)
            if cur is None:
                out[name] = spec
                continue
            allowed = None
            if cur.allowed is not None or spec.allowed is not None:
                allowed = list(dict.fromkeys([*(cur.allowed or []), *(spec.allowed or [])]))
            lo = [x for x in (cur.min, spec.min) if x is not None]
            hi = [x for x in (cur.max, spec.max) if x is not None]
            out[name] = cur.model_copy(
                update={
                    "allowed": allowed,
                    "min": min(lo) if lo else None,
                    "max": max(hi) if hi else None,
                }
            )
    return out
