"""The review and the assistant reach one decision: both render from `playbook.decide`.

Generated cases (clause type x value x deal): the review path judges the approved wording
with the value written into it (as `POST /v1/review/text` does); the assistant path is asked
about the same value in a rep's words and reads it from the question. Both must give the
same answer (yes / approval / no) and, on an approval, the same approvers.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace
from typing import Any

import pytest

from clause_index import render
from clause_index.library import format_value
from clause_index.schema import PLACEHOLDER, ParamKind
from drafting.engine import Assistant
from drafting.entities import DealContext
from drafting.understand import parse
from playbook import Decision, TypeInfo
from retrieval import Embedder
from review import LibrarySnapshot, Reviewer
from review.facts import compute_facts
from review.library import clauses_from_files

DEALS: list[dict[str, Any]] = [
    {},
    {"value": 600000},
    {"value": 50000, "customer_tier": "strategic"},
]
_UNIT = {
    ParamKind.days: "days",
    ParamKind.months: "months",
    ParamKind.years: "years",
    ParamKind.percent: "%",
    ParamKind.multiple: "x fees",
}


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


def _values(info: TypeInfo, name: str) -> list[float]:
    """Values around every approved range of the parameter: inside, at the edges, outside."""
    xs: set[float] = set()
    for p in info.positions:
        spec = p.parameters.get(name)
        if spec is None:
            continue
        xs.add(float(spec.default))
        for edge in (spec.min, spec.max):
            if edge is not None:
                xs.add(float(edge))
    hi = max(xs)
    xs.add(hi * 2 + 1)
    return sorted(x for x in xs if x > 0)


def _question(name: str, kind: ParamKind, value: float) -> str:
    v = int(value) if float(value).is_integer() else value
    words = name.replace("_", " ")
    for unit in ("days", "months", "years", "percent", "multiple", "hours"):
        words = words.replace(f" {unit}", "")
    unit = _UNIT.get(kind, "")
    if kind is ParamKind.percent:
        return f"can we agree to {words} of {v}%?"
    if kind is ParamKind.days and name == "net_days":
        return f"can we agree to net {v}?"
    if kind is ParamKind.integer and "hours" in name:
        return f"can we agree to {words} of {v} hours?"
    if kind is ParamKind.integer:
        noun = name.replace("_max", "").replace("_per_year", "s a year").replace("_", " ")
        return f"can we agree to {v} {noun}?"
    return f"can we agree to {words} of {v} {unit}?".replace("  ", " ")


def cases() -> list[tuple[str, str, float, int]]:
    out = []
    for t, info in sorted(snapshot().types.items()):
        for name, spec in info.positions[0].parameters.items():
            if spec.kind in (ParamKind.jurisdiction, ParamKind.text, ParamKind.money):
                continue
            # The standard wording with the value in it: what the counterparty's paper says.
            if name not in PLACEHOLDER.findall(info.positions[0].template):
                continue
            for value in _values(info, name):
                for k in range(len(DEALS)):
                    out.append((t, name, value, k))
    return out


_MEMO: dict[tuple[str, str], Any] = {}


def _assistant(types: dict[str, TypeInfo], embedder: Embedder) -> Assistant:
    """The assistant without a database: the library snapshot in memory, and the guard on
    "yes" reading meaning with the real model (its per-type cache kept in a dict)."""
    a = Assistant.__new__(Assistant)
    a.review = SimpleNamespace(facts=compute_facts)  # type: ignore[assignment]
    a.embedder = embedder
    a._types = lambda: types  # type: ignore[method-assign]

    def cached(kind: str, info: TypeInfo, build: Any) -> Any:
        if (kind, info.type) not in _MEMO:
            _MEMO[(kind, info.type)] = build(info)
        return _MEMO[(kind, info.type)]

    a._cached = cached  # type: ignore[method-assign]
    return a


def review_path(t: str, name: str, value: float, deal: dict[str, Any]) -> Decision:
    info = snapshot().types[t]
    pos = info.positions[0]
    spec = pos.parameters[name]
    text = render(pos.template, pos.parameters, {name: format_value(spec, value)})
    _, decision, _ = Reviewer(snapshot()).decide_clause(
        t, text, compute_facts(text, _analysis(text)), deal
    )
    return decision


@cache
def _analysis(text: str) -> Any:
    from extraction import analyze

    return analyze(text)


ALL = cases()


def test_enough_cases() -> None:
    assert len(ALL) >= 300


@pytest.mark.parametrize(("t", "name", "value", "k"), ALL)
def test_review_and_assistant_agree(
    t: str, name: str, value: float, k: int, embedder: Embedder
) -> None:
    snap = snapshot()
    info = snap.types[t]
    deal = DEALS[k]
    review = review_path(t, name, value, deal)
    spec = info.positions[0].parameters[name]
    q = _question(name, spec.kind, value)
    answer = _assistant(snap.types, embedder)._can_i(parse(q), info, DealContext(**deal))
    got = {p.name: p.value for p in answer.parameters if p.source == "question"}
    assert got.get(name) == pytest.approx(value), (q, got)
    assert answer.decision == review.answer, (q, review.outcome, review.reasons)
    if review.answer == "approval":
        approvers = sorted({a for ap in answer.approvals for a in ap.approvers})
        assert approvers == sorted(review.approvers), q
