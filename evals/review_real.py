"""`clausewise eval review --real`: the review on third-party paper, not on our own text.

1. Contracts (the CUAD dev split, read through `--cuad-dir`): every contract is analysed and
   reviewed as the service would. Figures: missing-flag precision (a `*.missing` flag is right
   when the contract has no clause of the type: for types mapped to CUAD categories, no CUAD
   answer for any of them, and for every type no section heading naming it and, for
   termination for cause, no right to terminate on breach, default or insolvency in the
   text; see `gold_present`), the share of contracts in each status, and flags per contract.
2. Clauses (`--clauses FILE`, default `data/review_real_clauses.yaml`): clauses written the way
   other companies word them, each labelled `standard`, `fallback-<k>` or `outside`; the
   playbook decision on each (as `POST /v1/review/text` makes it) is scored for accuracy.

Expected labels are read only to score.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evals.eval_files import read_items

DEFAULT_CLAUSES = Path(__file__).resolve().parent / "data" / "review_real_clauses.yaml"
TARGET_MISSING_PRECISION = 0.95
TARGET_CLAUSE_ACCURACY = 0.90


class RealClause(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    clause_type: str
    text: str
    expected: str = Field(pattern=r"^(standard|outside|fallback-\d+)$")
    deal: dict[str, Any] | None = None
    note: str = ""


class ClauseOutcome(BaseModel):
    id: str
    clause_type: str
    expected: str
    got: str
    reasons: list[str]


class ClauseReport(BaseModel):
    outcomes: list[ClauseOutcome]

    @property
    def accuracy(self) -> float:
        o = self.outcomes
        return sum(x.got == x.expected for x in o) / len(o) if o else 0.0

    def render(self) -> str:
        o = self.outcomes
        right = sum(x.got == x.expected for x in o)
        lines = [
            f"clause decisions: {right}/{len(o)} = {self.accuracy:.1%} right "
            f"(target {TARGET_CLAUSE_ACCURACY:.0%})"
        ]
        by: Counter[str] = Counter(x.expected.split("-")[0] for x in o)
        ok: Counter[str] = Counter(x.expected.split("-")[0] for x in o if x.got == x.expected)
        lines += [f"  expected {k:9s} {ok[k]}/{n}" for k, n in sorted(by.items())]
        misses = [x for x in o if x.got != x.expected]
        if misses:
            lines.append("misses:")
            lines += [
                f"  {x.id} {x.clause_type}: expected {x.expected}, got {x.got} "
                f"({'; '.join(x.reasons)[:160]})"
                for x in misses
            ]
        return "\n".join(lines)


def load_clauses(path: Path | None = None) -> list[RealClause]:
    return read_items(path or DEFAULT_CLAUSES, RealClause)


def label(outcome: str, position: str | None) -> str:
    """The file's label for a decision: standard, fallback-<k> or outside."""
    if outcome == "fallback" and position:
        return position
    return "outside" if outcome in ("outside", "missing") else outcome


def run_clause_eval(path: Path | None = None, meaning: Any = None) -> ClauseReport:
    from extraction import analyze
    from review.engine import LibrarySnapshot, Reviewer
    from review.facts import compute_facts
    from review.library import clauses_from_files

    snap = LibrarySnapshot.build(clauses_from_files())
    reviewer = Reviewer(snap, meaning)
    out = []
    for c in load_clauses(path):
        if c.clause_type not in snap.types:
            raise ValueError(f"{c.id}: unknown clause type {c.clause_type!r}")
        facts = compute_facts(c.text, analyze(c.text))
        _, d, _ = reviewer.decide_clause(c.clause_type, c.text, facts, c.deal)
        out.append(
            ClauseOutcome(
                id=c.id,
                clause_type=c.clause_type,
                expected=c.expected,
                got=label(d.outcome, d.position.id if d.position else None),
                reasons=[r.rule_id or r.kind for r in d.reasons],
            )
        )
    return ClauseReport(outcomes=out)


class ContractReport(BaseModel):
    contracts: int
    offset: int = 0
    statuses: dict[str, int]
    flags_per_contract: list[int]
    missing_flags: int
    missing_right: int
    missing_wrong: list[str]
    severities: dict[str, int]

    @property
    def missing_precision(self) -> float | None:
        return self.missing_right / self.missing_flags if self.missing_flags else None

    def render(self) -> str:
        n = self.contracts or 1
        fp = self.flags_per_contract
        prec = self.missing_precision
        lines = [
            f"contracts reviewed: {self.contracts} (from #{self.offset + 1} of the dev split)",
            "missing-clause flags: "
            + (
                f"{self.missing_right}/{self.missing_flags} right = {prec:.1%} precision"
                if prec is not None
                else "none raised (precision undefined)"
            )
            + f" (target {TARGET_MISSING_PRECISION:.0%})",
            "status: "
            + ", ".join(f"{k} {v} ({v / n:.0%})" for k, v in sorted(self.statuses.items())),
            f"flags per contract: mean {statistics.mean(fp) if fp else 0:.1f}, "
            f"median {statistics.median(fp) if fp else 0:.0f}, max {max(fp) if fp else 0}",
            "flags by severity: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.severities.items())),
        ]
        if self.missing_wrong:
            lines.append("wrong missing flags (first 15): " + "; ".join(self.missing_wrong[:15]))
        return "\n".join(lines)


# The gold for "the contract has a clause of this type", where CUAD has no label for it.
# A heading names the type when it says the type's name, or a short alias, at a word start,
# or every content word of one "and"-part of the name (`heading_names`): a "Termination"
# heading alone does not name termination for cause, nor "Environmental Protection" data
# protection, nor "Standards" an NDA. An SEC "confidential treatment" legend is no
# confidentiality clause.
# CUAD categories that do not show the type is there: "Uncapped Liability" answers are
# carve-outs from a liability cap, not indemnities.
NOT_PRESENCE: dict[str, frozenset[str]] = {"indemnification": frozenset({"Uncapped Liability"})}
# Language that is the clause, for a type headings miss: a right to terminate on breach,
# default or insolvency, under whatever heading ("Term", "Default", none at all).
BODY_GOLD: dict[str, re.Pattern[str]] = {
    "termination_for_cause": re.compile(
        r"\bterminat\w*[\s\S]{0,300}?\b(?:breach|default|insolven|bankrupt)"
        r"|\b(?:breach|default|insolven|bankrupt)\w*[\s\S]{0,300}?\bterminat",
        re.I,
    )
}


def _heading_keys(info: Any) -> list[str]:
    return [info.name] + [a for a in info.positions[0].aliases if len(a.split()) <= 3]


def gold_present(info: Any, cats: dict[str, Any], heads: str, text: str) -> bool:
    """Whether the contract has a clause of the type, by the eval's gold (see above)."""
    from extraction.pipeline import heading_names

    skip = NOT_PRESENCE.get(info.type, frozenset())
    if any(
        cats.get(c, {}).get("clauses") for c in info.positions[0].cuad_categories if c not in skip
    ):
        return True
    keys = _heading_keys(info)
    for line in heads.splitlines():
        line = re.sub(r"\bconfidential\s+treatment\b", " ", line)
        if any(heading_names(line, k) for k in keys):
            return True
    body = BODY_GOLD.get(info.type)
    return bool(body and body.search(text))


def _headings(text: str, analysis: Any) -> str:
    """Every heading the contract shows: the segmenter's, and short title-like lines."""
    heads = [s.heading or "" for s in analysis.segments]
    heads += [s.text for s in analysis.segments if s.kind == "heading"]
    for line in text.splitlines():
        words = line.strip().split()
        numbered = re.match(r"^\s*\d+(\.\d+)*\.?\s", line)
        if 0 < len(words) <= 8 and (line.strip().isupper() or numbered):
            heads.append(line)
    return "\n".join(heads).lower()


def run_contract_eval(
    cuad_dir: Path, limit: int | None = None, meaning: Any = None, offset: int = 0
) -> ContractReport:
    """The dev contracts from `offset` (sorted by id), `limit` of them (default all)."""
    from clause_index import load_library
    from extraction import analyze
    from extraction.cuad import contract_ids, read_contract, read_labels
    from review.engine import LibrarySnapshot, Reviewer
    from review.facts import compute_facts
    from review.library import clauses_from_files

    snap = LibrarySnapshot.build(clauses_from_files())
    reviewer = Reviewer(snap, meaning)  # as the service reviews, with closeness in meaning
    type_map: dict[str, list[str]] = {}
    for lf in load_library():
        for cat in lf.clause_type.cuad_categories:
            type_map.setdefault(cat, []).append(lf.clause_type.type)
    labels = read_labels(cuad_dir)
    ids = contract_ids(cuad_dir)[offset:][: limit or None]
    statuses: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    per: list[int] = []
    missing = right = 0
    wrong: list[str] = []
    for cid in ids:
        text = read_contract(cuad_dir, cid)
        analysis = analyze(text, type_map=type_map)
        out = reviewer.review(text, analysis, compute_facts(text, analysis))
        flags = out.flags
        per.append(len(flags))
        severities.update(f.severity for f in flags)
        statuses[
            "blocked"
            if any(f.severity == "critical" for f in flags)
            else "needs_approval"
            if flags
            else "clean"
        ] += 1
        heads = _headings(text, analysis)
        cats = labels.get(cid, {}).get("categories", {})
        for f in flags:
            if f.match != "missing":
                continue
            missing += 1
            if gold_present(snap.types[f.clause_type], cats, heads, text):
                wrong.append(f"{cid}:{f.rule_id}")
            else:
                right += 1
    return ContractReport(
        contracts=len(ids),
        offset=offset,
        statuses=dict(statuses),
        flags_per_contract=per,
        missing_flags=missing,
        missing_right=right,
        missing_wrong=wrong,
        severities=dict(severities),
    )
