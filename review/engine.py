"""The review of one document against the library: pure, no database, no I/O.

Per clause type the library covers: find the contract's clause of that type (classifier
labels, wording close to approved text, or evidence of a fact the type's rules test), match
it against the approved positions, then decide:

- standard language: no flag;
- an approved fallback: exactly one flag, carrying that fallback's approval note;
- a deviation: the type's playbook rules are evaluated; if none fires, one generic
  deviation flag (its severity from how far the clause is from approved text);
- missing: rules on `clause.present == false`, and a flag for a required clause.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field
from sklearn.feature_extraction.text import TfidfVectorizer

from clause_index import Clause, Rule, render
from clause_index.schema import Severity
from extraction import Analysis, Segment
from review.matching import ClauseMatch, clause_body, match_clause
from review.rules import evidence_of, fires
from review.types import Fact, RedlineOp

CLASSIFIER_MIN = 0.5  # segment labelled with the type by the classifier
LEXICAL_MIN = 0.45  # tf-idf cosine to an approved text of the type
MAX_CANDIDATES = 3  # segments aligned per type (alignment is the costly step)
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


class Evidence(BaseModel):
    start: int
    end: int
    page: int | None = None
    text: str


class PositionRef(BaseModel):
    id: str
    kind: str
    title: str


class Proposal(BaseModel):
    position_id: str
    title: str
    text: str  # filled with the contract's values where they are approved, else defaults


class FlagDraft(BaseModel):
    """A flag as the engine produces it; the service adds its id and decision."""

    fingerprint: str
    rule_id: str
    clause_type: str
    clause_name: str
    severity: Literal["critical", "high", "medium", "low"]
    message: str
    evidence: Evidence | None
    match: Literal["standard", "fallback", "deviation", "missing"]
    approved_position: PositionRef | None
    approved_text: str
    redline: list[RedlineOp] = Field(default_factory=list)
    proposed: Proposal | None
    approvers: list[str]
    parameters: list[dict[str, Any]] = Field(default_factory=list)


class ReviewOutcome(BaseModel):
    flags: list[FlagDraft]
    matches: list[ClauseMatch]


@dataclass
class TypeInfo:
    type: str
    name: str
    required: bool
    rules: list[Rule]
    positions: list[Clause]  # by rank, standard first


@dataclass
class LibrarySnapshot:
    """The active library, grouped by type, with a lexical index of the approved texts."""

    types: dict[str, TypeInfo]
    key: tuple[tuple[str, int], ...]
    _vectorizer: TfidfVectorizer = field(repr=False)
    _matrix: Any = field(repr=False)
    _owner: list[str] = field(repr=False)  # type of each row of _matrix

    @classmethod
    def build(cls, clauses: list[Clause]) -> LibrarySnapshot:
        by_type: dict[str, list[Clause]] = defaultdict(list)
        for c in clauses:
            by_type[c.clause_type].append(c)
        types: dict[str, TypeInfo] = {}
        for t, cs in by_type.items():
            cs.sort(key=lambda c: (c.position.value != "standard", c.rank))
            head = cs[0]
            types[t] = TypeInfo(t, head.type_name, head.required, list(head.rules), cs)
        texts = [c.text for c in clauses]
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
        matrix = vec.fit_transform(texts) if texts else None
        key = tuple(sorted((c.id, c.version) for c in clauses))
        return cls(types, key, vec, matrix, [c.clause_type for c in clauses])

    def lexical(self, texts: list[str]) -> np.ndarray:
        """Cosine of each text to each type's closest approved text: (len(texts), n_types)."""
        names = sorted(self.types)
        out = np.zeros((len(texts), len(names)), dtype=np.float32)
        if self._matrix is None or not texts:
            return out
        sims = (self._vectorizer.transform(texts) @ self._matrix.T).toarray()
        col = {t: i for i, t in enumerate(names)}
        for j, t in enumerate(self._owner):
            k = col[t]
            out[:, k] = np.maximum(out[:, k], sims[:, j])
        return out


def fingerprint(rule_id: str, clause_type: str, evidence_text: str) -> str:
    """Identity of a flag across re-reviews: the same rule on the same words."""
    norm = " ".join(evidence_text.lower().split())
    return hashlib.sha256(f"{rule_id}|{clause_type}|{norm}".encode()).hexdigest()[:32]


def _deal_facts(deal: Mapping[str, Any] | None) -> dict[str, Fact]:
    return {f"deal.{k}": Fact(value=v, source="deal") for k, v in (deal or {}).items()}


def _fill(position: Clause, found: dict[str, Any]) -> str:
    """A position's text with the contract's values where they are within its range."""
    from review.params import within

    values = {}
    for name, spec in position.parameters.items():
        v = found.get(name)
        if v is not None and within(spec, v):
            values[name] = v
    return render(position.template, position.parameters, values)


def _rule_facts(rule: Rule) -> list[str]:
    return [c.field for c in rule.when if c.field.startswith("term.")]


class Reviewer:
    """Reviews documents against one library snapshot."""

    def __init__(self, library: LibrarySnapshot) -> None:
        self.library = library

    def review(
        self,
        text: str,
        analysis: Analysis,
        facts: Mapping[str, Fact],
        deal: Mapping[str, Any] | None = None,
        page_of: Callable[[int], int | None] | None = None,
    ) -> ReviewOutcome:
        page_of = page_of or (lambda _o: None)
        segs = [s for s in analysis.segments if s.kind not in ("heading", "signature")]
        bodies = [clause_body(s.text, s.heading) for s in segs]
        lex = self.library.lexical([b for b, _ in bodies])
        names = sorted(self.library.types)
        flags: list[FlagDraft] = []
        matches: list[ClauseMatch] = []
        base = dict(facts) | _deal_facts(deal)
        tried: dict[str, list[tuple[ClauseMatch, int]]] = {}
        owner: dict[int, str] = {}  # segment -> the type whose approved text it is exactly
        for k, t in enumerate(names):
            info = self.library.types[t]
            tried[t] = []
            for i in self._candidates(k, t, info, segs, analysis, lex, base):
                body, _ = bodies[i]
                if body.strip():
                    m = match_clause(body, info.positions, t)
                    tried[t].append((m, i))
                    if m.classification in ("standard", "fallback"):
                        owner[i] = t
        for t in names:
            info = self.library.types[t]
            best: tuple[ClauseMatch, Segment, int] | None = None
            for m, i in tried[t]:
                if owner.get(i, t) != t:
                    continue  # another type's approved text, only mentioning this topic
                if best is None or (m.changes, -m.similarity) < (
                    best[0].changes,
                    -best[0].similarity,
                ):
                    best = (m, segs[i], bodies[i][1])
            if best is not None:
                matches.append(best[0])
            flags.extend(self._judge(info, best, base, text, page_of))
        flags.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.clause_type, f.rule_id))
        return ReviewOutcome(flags=flags, matches=matches)

    def guess_type(self, text: str, analysis: Analysis) -> str:
        """The library type a pasted passage is about: closest approved wording, with the
        classifier's labels as a tie-breaker."""
        names = sorted(self.library.types)
        lex = self.library.lexical([text])[0]
        score = {t: float(lex[k]) for k, t in enumerate(names)}
        for types in analysis.segment_types:
            for st in types:
                if st.type in score:
                    score[st.type] += 0.5 * st.confidence
        return max(score, key=lambda t: score[t])

    def review_clause(
        self, clause_type: str, text: str, facts: Mapping[str, Fact]
    ) -> tuple[ClauseMatch, list[FlagDraft]]:
        """Review one pasted passage as the contract's clause of `clause_type`."""
        info = self.library.types[clause_type]
        body, off = clause_body(text, None)
        m = match_clause(body, info.positions, clause_type)
        seg = Segment(index=0, start=0, end=len(text), kind="paragraph", text=text)
        flags = self._judge(info, (m, seg, off), dict(facts), text, lambda _o: None)
        return m, flags

    def _candidates(
        self,
        k: int,
        t: str,
        info: TypeInfo,
        segs: list[Segment],
        analysis: Analysis,
        lex: np.ndarray,
        facts: Mapping[str, Fact],
    ) -> list[int]:
        scores: dict[int, float] = {}
        seg_pos = {s.index: i for i, s in enumerate(segs)}
        for i in range(len(segs)):
            if lex[i, k] >= LEXICAL_MIN:
                scores[i] = max(scores.get(i, 0.0), float(lex[i, k]) + 1.0)
        for s_idx, types in enumerate(analysis.segment_types):
            j = seg_pos.get(s_idx)
            if j is None:
                continue
            for st in types:
                if st.type == t and st.confidence >= CLASSIFIER_MIN:
                    scores[j] = max(scores.get(j, 0.0), st.confidence + float(lex[j, k]))
        # Evidence of a fact one of the type's rules tests makes its segment a candidate.
        for rule in info.rules:
            for name in _rule_facts(rule):
                f = facts.get(name)
                if f is None or f.value in (None, False) or f.start is None:
                    continue
                for i, s in enumerate(segs):
                    if s.start <= f.start < s.end:
                        scores[i] = max(scores.get(i, 0.0), 0.5 + float(lex[i, k]))
        ranked = sorted(scores, key=lambda i: -scores[i])
        return ranked[:MAX_CANDIDATES]

    def _judge(
        self,
        info: TypeInfo,
        best: tuple[ClauseMatch, Segment, int] | None,
        base: Mapping[str, Fact],
        text: str,
        page_of: Callable[[int], int | None],
    ) -> list[FlagDraft]:
        facts = dict(base)
        positions = {p.id.split(".", 1)[-1]: p for p in info.positions}
        if best is None:
            facts["clause.present"] = Fact(value=False, source="review")
            facts["clause.match"] = Fact(value="missing", source="review")
            flags = [
                self._flag(info, r, None, None, facts, text, page_of, positions)
                for r in info.rules
                if fires(r, facts)
            ]
            if info.required and not any(
                any(c.field == "clause.present" for c in r.when)
                for r in info.rules
                if fires(r, facts)
            ):
                flags.append(self._generic(info, "missing", None, None, text, page_of, positions))
            return flags
        m, seg, off = best
        if m.classification == "standard":
            return []
        if m.classification == "fallback":
            return [self._generic(info, "fallback", m, (seg, off), text, page_of, positions)]
        facts["clause.present"] = Fact(value=True, start=seg.start, end=seg.end, source="review")
        facts["clause.match"] = Fact(
            value="deviation", start=seg.start, end=seg.end, source="review"
        )
        # A fact read from words that are approved wording is no departure (our own standard
        # carve-outs read as "uncapped liability" to a classifier): drop it for this type.
        body_start = seg.start + off
        changed = [(body_start + a, body_start + b) for a, b in m.changed]
        for rule in info.rules:
            for name in _rule_facts(rule):
                f = facts.get(name)
                if (
                    f is not None
                    and f.start is not None
                    and f.end is not None
                    and body_start <= f.start
                    and f.end <= seg.end
                    and not any(a <= f.end and f.start <= b for a, b in changed)
                ):
                    facts[name] = Fact(value=None, source="approved wording")
        for p in m.parameters:
            if p.value is not None:
                s = seg.start + off + p.start if p.start is not None else seg.start
                e = seg.start + off + p.end if p.end is not None else seg.end
                facts[f"param.{p.name}"] = Fact(value=p.value, start=s, end=e, source="match")
        fired = [r for r in info.rules if fires(r, facts)]
        if fired:
            return [
                self._flag(info, r, m, (seg, off), facts, text, page_of, positions) for r in fired
            ]
        return [self._generic(info, "deviation", m, (seg, off), text, page_of, positions)]

    def _evidence(
        self, start: int, end: int, text: str, page_of: Callable[[int], int | None]
    ) -> Evidence:
        return Evidence(start=start, end=end, page=page_of(start), text=text[start:end])

    def _proposal(self, pos: Clause | None, m: ClauseMatch | None) -> Proposal | None:
        if pos is None:
            return None
        found = {p.name: p.value for p in (m.parameters if m else [])}
        return Proposal(
            position_id=pos.id.split(".", 1)[-1], title=pos.title, text=_fill(pos, found)
        )

    def _flag(
        self,
        info: TypeInfo,
        rule: Rule,
        m: ClauseMatch | None,
        where: tuple[Segment, int] | None,
        facts: Mapping[str, Fact],
        text: str,
        page_of: Callable[[int], int | None],
        positions: dict[str, Clause],
    ) -> FlagDraft:
        ev: Evidence | None = None
        fact = evidence_of(rule, facts)
        if where is not None:
            seg, _ = where
            ev = self._evidence(seg.start, seg.end, text, page_of)
        if (
            fact is not None
            and fact.start is not None
            and fact.end is not None
            and (ev is None or not (ev.start <= fact.start < ev.end))
        ):
            ev = self._evidence(fact.start, fact.end, text, page_of)
        propose = positions.get(rule.propose or "standard") or info.positions[0]
        return FlagDraft(
            fingerprint=fingerprint(rule.id, info.type, ev.text if ev else ""),
            rule_id=rule.id,
            clause_type=info.type,
            clause_name=info.name,
            severity=rule.severity.value,
            message=" ".join(rule.message.split()),
            evidence=ev,
            match=m.classification if m else "missing",
            approved_position=_ref(m),
            approved_text=m.approved_text if m else info.positions[0].text,
            redline=m.redline if m else [],
            proposed=self._proposal(propose, m),
            approvers=[rule.approver.value],
            parameters=_params_abs(m, where),
        )

    def _generic(
        self,
        info: TypeInfo,
        kind: Literal["missing", "fallback", "deviation"],
        m: ClauseMatch | None,
        where: tuple[Segment, int] | None,
        text: str,
        page_of: Callable[[int], int | None],
        positions: dict[str, Clause],
    ) -> FlagDraft:
        ev = self._evidence(where[0].start, where[0].end, text, page_of) if where else None
        std = info.positions[0]
        severity: Severity
        approvers = ["legal"]
        if kind == "missing":
            severity = Severity.high
            message = (
                f"The agreement has no {info.name.lower()} clause, which every sales agreement "
                "must have. Add the standard language."
            )
            proposed = self._proposal(std, None)
        elif kind == "fallback":
            assert m is not None and m.position_id is not None
            pos = positions[m.position_id]
            severity = Severity.low
            note = pos.approval.note if pos.approval else "An approved fallback position."
            approvers = [a.value for a in pos.approval.approvers] if pos.approval else ["legal"]
            message = f"Approved fallback '{pos.title}': {' '.join(note.split())}"
            proposed = None
        else:
            assert m is not None
            out = [p for p in m.parameters if p.within is False]
            missing = [p for p in m.parameters if p.value is None]
            if out:
                severity = Severity.high
                detail = "; ".join(
                    f"{p.name.replace('_', ' ')} is {p.text or p.value}, outside the approved "
                    f"{p.allowed}"
                    for p in out
                )
                message = (
                    f"The {info.name.lower()} clause sets values outside the approved range "
                    f"({detail}). Propose the approved language."
                )
            else:
                severity = Severity.medium if m.changes > 3 or missing else Severity.low
                message = (
                    f"The {info.name.lower()} clause departs from our approved language "
                    f"({m.changes} words added or removed compared with '{m.position_title}'). "
                    "Check the redline; if the change matters, propose the approved text."
                )
            proposed = self._proposal(std, m)
        rule_id = f"{info.type}.{kind}" if kind != "fallback" else f"{info.type}.fallback"
        return FlagDraft(
            fingerprint=fingerprint(rule_id, info.type, ev.text if ev else ""),
            rule_id=rule_id,
            clause_type=info.type,
            clause_name=info.name,
            severity=severity.value,
            message=message,
            evidence=ev,
            match=m.classification if m else "missing",
            approved_position=_ref(m),
            approved_text=m.approved_text if m else std.text,
            redline=m.redline if m else [],
            proposed=proposed,
            approvers=approvers,
            parameters=_params_abs(m, where),
        )


def _params_abs(m: ClauseMatch | None, where: tuple[Segment, int] | None) -> list[dict[str, Any]]:
    """The match's parameters with offsets into the whole document, not the clause body."""
    if m is None:
        return []
    base = where[0].start + where[1] if where else 0
    out = []
    for p in m.parameters:
        d = p.model_dump()
        for k in ("start", "end"):
            if d[k] is not None:
                d[k] += base
        out.append(d)
    return out


def _ref(m: ClauseMatch | None) -> PositionRef | None:
    if m is None or m.position_id is None:
        return None
    return PositionRef(id=m.position_id, kind=m.position_kind or "", title=m.position_title or "")
