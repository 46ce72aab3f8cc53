"""The review of one document against the library: pure, no database, no I/O.

Per clause type the library covers: find the contract's clauses of that type (classifier
labels, wording close to approved text, or evidence of a fact the type's rules test), match
each against the approved positions, ask the playbook for its decision (`playbook.decide`)
and render that decision as flags:

- standard, same words: no flag; standard in substance, other words: one wording flag;
- an approved fallback: exactly one flag, carrying that fallback's approvers;
- outside: one flag per rule that puts it outside (else one for the values out of range);
- missing, only where the presence decision is sure the type is absent
  (`Analysis.presence_for(...).present is False`): the clause-type model says absent, and
  no heading or phrase names the type, no wording is close to its approved texts
  (`PRESENCE_LEXICAL_MIN`) and no fact its rules test is found.

Every clause of a type is judged (a renewal split over two sub-clauses, say), and a
parameter the words name in two places is checked at each place.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field
from sklearn.feature_extraction.text import TfidfVectorizer

from clause_index import Clause, Rule, render
from extraction import Analysis, Segment
from playbook import Decision, Reason, TypeInfo, decide, rule_kind
from playbook.matching import ClauseMatch, clause_body, match_clause
from playbook.meaning import MeaningFn
from playbook.types import Fact, RedlineOp

CLASSIFIER_MIN = 0.5  # segment labelled with the type by the classifier
LEXICAL_MIN = 0.45  # tf-idf cosine to an approved text of the type
MAX_CANDIDATES = 3  # segments aligned per type (alignment is the costly step)
# Wording this close to an approved text of a type is evidence the type may be there, in
# words of another company: enough to stop a sure "missing", not to judge the clause.
PRESENCE_LEXICAL_MIN = 0.15
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
# Facts that show a clause of the type is there in words no heading or alias names (a right
# to terminate on breach or insolvency inside "Term", or with no heading at all): evidence
# against a sure "missing", as wording close to ours is.
PRESENCE_FACTS: dict[str, tuple[str, ...]] = {
    "termination_for_cause": ("term.termination_for_cause_right",),
}


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


def _fill(position: Clause, found: dict[str, Any]) -> str:
    """A position's text with the contract's values where they are within its range."""
    from playbook.params import within

    values = {}
    for name, spec in position.parameters.items():
        v = found.get(name)
        if v is not None and not isinstance(v, list) and within(spec, v):
            values[name] = v
    return render(position.template, position.parameters, values)


def _rule_facts(rule: Rule) -> list[str]:
    return [c.field for c in rule.when if c.field.startswith("term.")]


def _fact_segments(info: TypeInfo, facts: Mapping[str, Fact], segs: list[Segment]) -> list[int]:
    """Segments holding evidence of a fact one of the type's rules tests."""
    return _segments_of([n for rule in info.rules for n in _rule_facts(rule)], facts, segs)


def _segments_of(names: Sequence[str], facts: Mapping[str, Fact], segs: list[Segment]) -> list[int]:
    """Segments holding evidence of the named facts (those found true)."""
    out = []
    for name in names:
        f = facts.get(name)
        if f is None or f.value in (None, False) or f.start is None:
            continue
        out += [i for i, s in enumerate(segs) if s.start <= f.start < s.end]
    return out


class Reviewer:
    """Reviews documents against one library snapshot. `meaning` (optional): closeness in
    meaning of words to each approved position, for wording that is not ours."""

    def __init__(self, library: LibrarySnapshot, meaning: MeaningFn | None = None) -> None:
        self.library = library
        self.meaning = meaning
        self._own: dict[tuple[str, int], dict[str, Fact]] = {}

    def own_facts(self, position: Clause) -> Mapping[str, Fact]:
        """What the fact readers make of an approved position's own words (read once per
        position version, and only when the playbook asks: a rule fired on words that
        amount to that position)."""
        key = (position.id, position.version)
        if key not in self._own:
            from extraction import analyze
            from review.facts import compute_facts

            self._own[key] = dict(compute_facts(position.text, analyze(position.text)))
        return self._own[key]

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
        base = dict(facts)
        tried: dict[str, list[tuple[ClauseMatch, int]]] = {}
        strong: dict[str, set[int]] = {}
        owner: dict[int, str] = {}  # segment -> the type whose approved text it is exactly
        top: dict[int, tuple[float, str]] = {}  # segment -> the type it scores highest for
        for k, t in enumerate(names):
            info = self.library.types[t]
            tried[t] = []
            scores, strong[t] = self._candidates(k, t, info, segs, analysis, lex, base)
            for i, sc in scores.items():
                if i not in top or sc > top[i][0]:
                    top[i] = (sc, t)
            for i in sorted(scores, key=lambda i: -scores[i])[:MAX_CANDIDATES]:
                body, _ = bodies[i]
                if body.strip():
                    m = match_clause(body, info.positions, t)
                    tried[t].append((m, i))
                    if m.classification in ("standard", "fallback"):
                        owner[i] = t
        for t in names:
            info = self.library.types[t]
            mine = [(m, i) for m, i in tried[t] if owner.get(i, t) == t]
            if not mine:
                # No clause of the type found: missing only where the presence decision is
                # sure, given the model and what else the contract shows of the type.
                k = names.index(t)
                seen = [i for i in range(len(segs)) if lex[i, k] >= PRESENCE_LEXICAL_MIN]
                seen += _fact_segments(info, base, segs)
                seen += _segments_of(PRESENCE_FACTS.get(t, ()), base, segs)
                aliases = info.positions[0].aliases
                presence = analysis.presence_for(
                    t, names=[info.name, *aliases], seen=[segs[i].index for i in seen]
                )
                if presence.present is False:
                    d = decide(info, facts=base, deal=deal, present=False)
                    flags.extend(self._render(info, d, None, None, text, page_of))
                continue
            best = min(mine, key=lambda x: (x[0].changes, -x[0].similarity))
            matches.append(best[0])
            # Every clause of the type: the closest one, and each other segment that is
            # clearly of this type and of no other (a renewal split over 4.1 and 4.2).
            judged = [best] + [
                (m, i)
                for m, i in mine
                if i != best[1] and i in strong[t] and top.get(i, (0.0, t))[1] == t
            ]
            for m, i in judged:
                flags.extend(self._judge(info, m, segs[i], bodies[i][1], base, text, page_of, deal))
        # One flag per rule and words: a fact found once fires for every clause of the type
        # judged, with the same evidence.
        once: dict[str, FlagDraft] = {}
        for f in flags:
            once.setdefault(f.fingerprint, f)
        flags = list(once.values())
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
        self,
        clause_type: str,
        text: str,
        facts: Mapping[str, Fact],
        deal: Mapping[str, Any] | None = None,
    ) -> tuple[ClauseMatch, list[FlagDraft]]:
        """Review one pasted passage as the contract's clause of `clause_type`."""
        m, _d, flags = self.decide_clause(clause_type, text, facts, deal)
        return m, flags

    def decide_clause(
        self,
        clause_type: str,
        text: str,
        facts: Mapping[str, Fact],
        deal: Mapping[str, Any] | None = None,
    ) -> tuple[ClauseMatch, Decision, list[FlagDraft]]:
        """One passage as the clause of `clause_type`: its match, the playbook's decision
        and the flags rendered from it."""
        info = self.library.types[clause_type]
        body, off = clause_body(text, None)
        m = match_clause(body, info.positions, clause_type)
        seg = Segment(index=0, start=0, end=len(text), kind="paragraph", text=text)
        facts_c = self._clause_facts(info, m, seg, off, facts)
        d = decide(
            info,
            facts=facts_c,
            words=m,
            deal=deal,
            span=(0, len(text)),
            meaning=self._meaning(body, info, m),
            text=body,
            own_facts=self.own_facts,
        )
        flags = self._render(info, d, m, (seg, off), text, lambda _o: None)
        return m, d, flags

    def _candidates(
        self,
        k: int,
        t: str,
        info: TypeInfo,
        segs: list[Segment],
        analysis: Analysis,
        lex: np.ndarray,
        facts: Mapping[str, Fact],
    ) -> tuple[dict[int, float], set[int]]:
        """Candidate segments with their scores, and those that are clearly of the type
        (close to its approved wording, or labelled with it by the classifier)."""
        scores: dict[int, float] = {}
        strong: set[int] = set()
        seg_pos = {s.index: i for i, s in enumerate(segs)}
        for i in range(len(segs)):
            if lex[i, k] >= LEXICAL_MIN:
                scores[i] = max(scores.get(i, 0.0), float(lex[i, k]) + 1.0)
                strong.add(i)
        for s_idx, types in enumerate(analysis.segment_types):
            j = seg_pos.get(s_idx)
            if j is None:
                continue
            for st in types:
                if st.type == t and st.confidence >= CLASSIFIER_MIN:
                    scores[j] = max(scores.get(j, 0.0), st.confidence + float(lex[j, k]))
                    strong.add(j)
        # Evidence of a fact one of the type's rules tests makes its segment a candidate.
        for rule in info.rules:
            for name in _rule_facts(rule):
                f = facts.get(name)
                if f is None or f.value in (None, False) or f.start is None:
                    continue
                for i, s in enumerate(segs):
                    if s.start <= f.start < s.end:
                        scores[i] = max(scores.get(i, 0.0), 0.5 + float(lex[i, k]))
        return scores, strong

    def _clause_facts(
        self, info: TypeInfo, m: ClauseMatch, seg: Segment, off: int, base: Mapping[str, Fact]
    ) -> dict[str, Fact]:
        """The contract's facts as they bear on this clause: a fact read from words that are
        approved wording is no departure (our own standard carve-outs read as "uncapped
        liability" to a classifier), so it is dropped for this type."""
        facts = dict(base)
        if m.classification != "deviation":
            return facts
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
        return facts

    def _judge(
        self,
        info: TypeInfo,
        m: ClauseMatch,
        seg: Segment,
        off: int,
        base: Mapping[str, Fact],
        text: str,
        page_of: Callable[[int], int | None],
        deal: Mapping[str, Any] | None,
    ) -> list[FlagDraft]:
        facts = self._clause_facts(info, m, seg, off, base)
        meaning = self._meaning(seg.text[off:], info, m)
        d = decide(
            info,
            facts=facts,
            words=m,
            deal=deal,
            span=(seg.start, seg.end),
            meaning=meaning,
            text=seg.text[off:],
            own_facts=self.own_facts,
        )
        return self._render(info, d, m, (seg, off), text, page_of)

    def _meaning(self, body: str, info: TypeInfo, m: ClauseMatch) -> dict[str, float] | None:
        if self.meaning is None or m.classification != "deviation":
            return None
        return self.meaning(body, info)

    def _render(
        self,
        info: TypeInfo,
        d: Decision,
        m: ClauseMatch | None,
        where: tuple[Segment, int] | None,
        text: str,
        page_of: Callable[[int], int | None],
    ) -> list[FlagDraft]:
        """Flags from one decision: none for the standard in our words, one for a fallback,
        one per reason otherwise."""
        if not d.reasons:
            return []
        positions = {p.id.split(".", 1)[-1]: p for p in info.positions}
        std = info.positions[0]
        seg_ev = self._evidence(where[0].start, where[0].end, text, page_of) if where else None

        def flag(
            rule_id: str,
            severity: str,
            message: str,
            approvers: list[str],
            propose: str | None,
            reason: Reason | None = None,
        ) -> FlagDraft:
            ev = seg_ev
            if (
                reason is not None
                and reason.start is not None
                and reason.end is not None
                and (ev is None or not (ev.start <= reason.start < ev.end))
            ):
                ev = self._evidence(reason.start, reason.end, text, page_of)
            pos = positions.get(propose) if propose else None
            return FlagDraft(
                fingerprint=fingerprint(rule_id, info.type, ev.text if ev else ""),
                rule_id=rule_id,
                clause_type=info.type,
                clause_name=info.name,
                severity=severity,  # type: ignore[arg-type]
                message=message,
                evidence=ev,
                match=m.classification if m else "missing",
                approved_position=_ref(m),
                approved_text=m.approved_text if m else std.text,
                redline=m.redline if m else [],
                proposed=self._proposal(pos, m),
                approvers=approvers,
                parameters=_params_abs(m, where),
            )

        if d.outcome == "fallback":
            assert d.position is not None
            return [
                flag(
                    f"{info.type}.fallback",
                    d.severity or "low",
                    d.reasons[0].message,
                    d.approvers,
                    None,
                )
            ]
        nearest = d.nearest.id if d.nearest else "standard"
        rules = [r for r in d.reasons if r.kind in ("rule", "missing")]
        if d.outcome == "outside" and not rules:
            detail = "; ".join(r.message.rstrip(".") for r in d.reasons if r.kind == "range")
            return [
                flag(
                    f"{info.type}.deviation",
                    d.severity or "high",
                    f"The {info.name.lower()} clause sets values outside every approved "
                    f"position ({detail}). Propose the approved language.",
                    d.approvers,
                    nearest,
                )
            ]
        out = [
            flag(
                r.rule_id or f"{info.type}.missing",
                r.severity,
                r.message,
                r.approvers,
                r.propose or nearest,
                r,
            )
            for r in rules
        ]
        out += [
            flag(f"{info.type}.deviation", r.severity, r.message, r.approvers, r.propose)
            for r in d.reasons
            if r.kind == "wording"
        ]
        return out

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


__all__ = ["SEVERITY_ORDER", "FlagDraft", "LibrarySnapshot", "Reviewer", "TypeInfo", "rule_kind"]
