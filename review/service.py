"""The review as a service: runs on stored contracts, keeps flags and legal's decisions.

Flag ids are stable: the hash of the contract and the flag's fingerprint (rule, clause type,
evidence words). A re-review of unchanged text therefore finds the same flag and its
decision; a flag the new review no longer raises is hidden, not deleted, so history stays.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.models import ContractRow
from archive.service import get_row, stored_analysis
from clause_index.models import ClauseRow as LibraryClauseRow
from clause_index.service import list_clauses
from extraction import Analysis, EmbedderLike
from extraction.types import ExtractedText, PageSpan
from playbook.meaning import Meaning, MeaningFn
from review.engine import SEVERITY_ORDER, FlagDraft, LibrarySnapshot, Reviewer
from review.entities import (
    ContractReviewOverview,
    DecisionIn,
    DecisionOut,
    FlagOut,
    ReviewSummary,
    SignoffOut,
    TextReviewOut,
)
from review.errors import (
    ApproverNotRequired,
    ApproverRequired,
    ContractNotReady,
    EmptyText,
    FlagNotFound,
    FlagStale,
    UnknownClauseType,
)
from review.facts import compute_facts
from review.models import DecisionRow, FlagRow, ReviewRow
from review.routing import RoutingRule, apply_routing, load_routing
from review.signoff import Vote, default_approver, signoff_state
from review.types import Fact
from storage import Database, record_audit
from storage.db import utcnow


def flag_id(contract_id: str, fingerprint: str) -> str:
    return hashlib.sha256(f"{contract_id}|{fingerprint}".encode()).hexdigest()[:24]


def _page_of(row: ContractRow) -> Callable[[int], int | None]:
    pages = [PageSpan.model_validate(p) for p in (row.pages or [])]
    doc = ExtractedText(text="", media_type="text/plain", pages=pages)
    return doc.page_at


def _decision(d: DecisionRow) -> DecisionOut:
    return DecisionOut(
        decision=d.decision,  # type: ignore[arg-type]
        comment=d.comment,
        by=d.actor,
        at=d.created_at,
        approver=d.approver,
    )


def flag_version(data: Mapping[str, Any]) -> str:
    """Changes whenever a review changes what the flag says (its rule, evidence, values,
    approvers, proposal); a decision made on an older version is stale."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _history(session: Session, fid: str) -> list[DecisionRow]:
    return list(
        session.scalars(
            select(DecisionRow).where(DecisionRow.flag_id == fid).order_by(DecisionRow.id)
        ).all()
    )


def flag_out(f: FlagRow, history: list[DecisionRow]) -> FlagOut:
    """The stored flag with its decisions, each approver's sign-off and the rolled-up status
    (computed by review.signoff, the one place that decides it)."""
    approvers = [str(a) for a in (f.data or {}).get("approvers") or []]
    state = signoff_state(
        approvers, [Vote(d.approver, d.decision, i) for i, d in enumerate(history)]
    )
    decisions = [_decision(d) for d in history]
    return FlagOut.model_validate(
        f.data
        | {
            "id": f.id,
            "contract_id": f.contract_id,
            "status": state.status,
            "decision": decisions[-1] if decisions else None,
            "history": decisions,
            "signoffs": [
                SignoffOut(
                    approver=a,
                    status=state.states[a],
                    decision=decisions[state.latest[a]] if a in state.latest else None,
                )
                for a in state.required
            ],
            "pending_approvers": state.pending,
            "version": flag_version(f.data or {}),
        }
    )


def _flag_out(session: Session, f: FlagRow) -> FlagOut:
    return flag_out(f, _history(session, f.id))


def summarize(contract_id: str, flags: list[FlagOut], reviewed: Any) -> ReviewSummary:
    """Roll flags up: blocked (a rejected flag, or a critical one not yet signed off by every
    approver it needs), needs approval (by whom: each approver whose sign-off is outstanding)
    or clean."""
    open_ = [f for f in flags if f.status in ("open", "escalated")]
    approvers: list[str] = []
    for f in open_:
        for a in f.pending_approvers:
            if a not in approvers:
                approvers.append(a)
    blocked = any(f.status == "rejected" for f in flags) or any(
        f.severity == "critical" for f in open_
    )
    status = "blocked" if blocked else ("needs_approval" if open_ else "clean")
    counts = {s: 0 for s in SEVERITY_ORDER}
    for f in flags:
        counts[f.severity] += 1
    return ReviewSummary(
        contract_id=contract_id,
        status=status if reviewed is not None else "pending",
        approvers=approvers,
        reviewed_at=reviewed,
        counts=counts,
        flags=flags,
    )


class ReviewService:
    def __init__(
        self,
        db: Database,
        routing: list[RoutingRule] | None = None,
        facts: Callable[[str, Analysis], dict[str, Fact]] = compute_facts,
        embedder: EmbedderLike | None = None,
    ) -> None:
        self.db = db
        # Pasted text is typed with its MiniLM vector when the service gives an embedder.
        self.embedder = embedder
        self.routing = routing if routing is not None else load_routing()
        self.facts = facts
        # Closeness in meaning to approved positions (`playbook.Meaning`) wherever an
        # embedder is at hand: the worker that reviews at ingest and the API that re-reviews
        # must judge alike, or a re-review of unchanged text changes its flags.
        self.meaning: MeaningFn | None = (
            Meaning(embedder) if hasattr(embedder, "embed_query") else None
        )
        self._snapshot: LibrarySnapshot | None = None
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        # Called in the writing transaction: (session, event, payload, event key); the
        # webhooks outbox listens here.
        self.listeners: list[Callable[[Session, str, dict[str, Any], str], object]] = []

    def _emit(self, s: Session, event: str, data: dict[str, Any], key: str) -> None:
        for listen in self.listeners:
            listen(s, event, data, key)

    def snapshot(self, session: Session) -> LibrarySnapshot:
        """The active library. Every review and question asks for it, so only the (id,
        version) pairs are read each time; the clauses are loaded again when one changed (a
        clause version pins its type version, so this key covers rule edits too)."""
        rows = session.execute(
            select(LibraryClauseRow.id, LibraryClauseRow.current_version).where(
                LibraryClauseRow.status == "active"
            )
        ).all()
        key = tuple(sorted((r[0], r[1]) for r in rows))
        with self._lock:
            if self._snapshot is not None and self._snapshot.key == key:
                return self._snapshot
        snap = LibrarySnapshot.build(list_clauses(session))
        with self._lock:
            self._snapshot = snap
        return snap

    # -- contracts

    def review_contract(
        self, contract_id: str, actor: str = "system", analysis: Analysis | None = None
    ) -> ReviewSummary:
        """Review (again) and store the flags. One review of a contract at a time in this
        process; another process storing the same flags first makes this one retry once,
        finding them and updating them in place."""
        with self._locks_guard:
            lock = self._locks.setdefault(contract_id, threading.Lock())
        with lock:
            try:
                return self._review_contract(contract_id, actor, analysis)
            except IntegrityError:
                return self._review_contract(contract_id, actor, analysis)

    def _review_contract(
        self, contract_id: str, actor: str, analysis: Analysis | None
    ) -> ReviewSummary:
        with self.db.session() as s:
            row = get_row(s, contract_id)
            if row.status != "ready":
                raise ContractNotReady(
                    f"contract {contract_id} is {row.status}; it is reviewed once it is ready"
                )
            text = row.text or ""
            analysis = analysis or stored_analysis(s, row)
            deal = dict(row.deal or {})
            page_of = _page_of(row)
            snap = self.snapshot(s)
        outcome = Reviewer(snap, self.meaning).review(
            text, analysis, self.facts(text, analysis), deal, page_of
        )
        drafts = [apply_routing(self.routing, f, deal) for f in outcome.flags]
        with self.db.session() as s:
            get_row(s, contract_id)  # still there
            now = utcnow()
            existing = {
                f.id: f
                for f in s.scalars(select(FlagRow).where(FlagRow.contract_id == contract_id))
            }
            seen: set[str] = set()
            for d in drafts:
                fid = flag_id(contract_id, d.fingerprint)
                if fid in seen:
                    continue
                seen.add(fid)
                data = d.model_dump(mode="json")
                row_f = existing.get(fid)
                if row_f is None:
                    s.add(
                        FlagRow(
                            id=fid,
                            contract_id=contract_id,
                            fingerprint=d.fingerprint,
                            rule_id=d.rule_id,
                            clause_type=d.clause_type,
                            severity=d.severity,
                            active=True,
                            data=data,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                else:
                    row_f.active, row_f.data, row_f.severity, row_f.updated_at = (
                        True,
                        data,
                        d.severity,
                        now,
                    )
            for fid, row_f in existing.items():
                if fid not in seen and row_f.active:
                    row_f.active = False
                    row_f.updated_at = now
            review = s.get(ReviewRow, contract_id)
            matches = [m.model_dump(mode="json", exclude={"redline"}) for m in outcome.matches]
            if review is None:
                s.add(
                    ReviewRow(
                        contract_id=contract_id,
                        library_key=_key(snap),
                        matches=matches,
                        reviewed_at=now,
                        reviewed_by=actor,
                    )
                )
            else:
                review.library_key, review.matches = _key(snap), matches
                review.reviewed_at, review.reviewed_by = now, actor
            record_audit(
                s,
                actor=actor,
                action="review.run",
                entity_type="contract",
                entity_id=contract_id,
                after={"flags": len(seen)},
            )
            self._emit(
                s,
                "review.completed",
                {"contract_id": contract_id, "flags": len(seen), "actor": actor},
                f"{contract_id}:{now.isoformat()}",
            )
        return self.flags(contract_id)

    def flags(self, contract_id: str) -> ReviewSummary:
        with self.db.session() as s:
            row = get_row(s, contract_id)
            review = s.get(ReviewRow, contract_id)
            ready = row.status == "ready"
        if ready and review is None:
            # Reviews run right after extraction; one that has not run yet runs now (after
            # waiting for one already running, which may leave nothing to do).
            with self._locks_guard:
                lock = self._locks.setdefault(contract_id, threading.Lock())
            with lock:
                with self.db.session() as s:
                    pending = s.get(ReviewRow, contract_id) is None
                if pending:
                    with contextlib.suppress(IntegrityError):  # another process stored it
                        self._review_contract(contract_id, "system", None)
        with self.db.session() as s:
            rows = s.scalars(
                select(FlagRow).where(FlagRow.contract_id == contract_id, FlagRow.active)
            ).all()
            flags = [_flag_out(s, f) for f in rows]
            review = s.get(ReviewRow, contract_id)
            reviewed = review.reviewed_at if review else None
        flags.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.clause_type, f.rule_id))
        return summarize(contract_id, flags, reviewed)

    def decide(self, fid: str, data: DecisionIn, actor: str) -> FlagOut:
        """Record one approver's decision on a flag (legal records it on their behalf).

        409 flag_stale when the latest review no longer raises the flag, or changed it since
        the version the caller saw; 422 approver_required when an accept names no approver
        and several approvers' sign-offs are outstanding (a reject or an escalation without
        one applies to the whole flag); 422 approver_not_required for an approver the flag
        does not need."""
        with self.db.session() as s:
            f = s.get(FlagRow, fid)
            if f is None:
                raise FlagNotFound(f"no flag with id {fid!r}")
            if not f.active:
                raise FlagStale(
                    "the contract's latest review no longer raises this flag; reload the review"
                )
            before = _flag_out(s, f)
            if data.flag_version is not None and data.flag_version != before.version:
                raise FlagStale(
                    "the review changed this flag since you saw it (a re-review, a new library "
                    "version or new deal data); reload the review and decide again"
                )
            needed = [x.approver for x in before.signoffs]
            if data.decision == "escalate" and "executive" not in needed:
                needed.append("executive")
            approver = data.approver
            if approver is None:
                approver = default_approver(
                    signoff_state(
                        [x.approver for x in before.signoffs],
                        [Vote(d.approver, d.decision, i) for i, d in enumerate(before.history)],
                    )
                )
                if approver is None and data.decision == "accept":
                    raise ApproverRequired(
                        "this flag needs sign-off from "
                        + ", ".join(before.pending_approvers or needed)
                        + "; say which approver this decision is for (`approver`)"
                    )
            elif approver not in needed:
                raise ApproverNotRequired(
                    f"this flag does not need {approver!r}; its approvers are " + ", ".join(needed)
                )
            s.add(
                DecisionRow(
                    flag_id=fid,
                    decision=data.decision,
                    approver=approver,
                    comment=data.comment,
                    actor=actor,
                    created_at=utcnow(),
                )
            )
            s.flush()
            after = _flag_out(s, f)
            record_audit(
                s,
                actor=actor,
                action=f"flag.{data.decision}",
                entity_type="flag",
                entity_id=fid,
                before={"status": before.status, "pending": before.pending_approvers},
                after={
                    "status": after.status,
                    "approver": approver,
                    "pending": after.pending_approvers,
                    "comment": data.comment,
                    "rule": f.rule_id,
                },
            )
            self._emit(
                s,
                "flag.decided",
                {
                    "flag_id": fid,
                    "contract_id": f.contract_id,
                    "decision": data.decision,
                    "status": after.status,
                    "rule": f.rule_id,
                    "actor": actor,
                },
                f"{fid}:{utcnow().isoformat()}",
            )
            return after

    def overviews(self, contract_ids: list[str]) -> dict[str, ContractReviewOverview]:
        """Each reviewed contract's status and flag counts, in three queries (the archive)."""
        if not contract_ids:
            return {}
        with self.db.session() as s:
            reviewed = {
                r.contract_id: r.reviewed_at
                for r in s.scalars(select(ReviewRow).where(ReviewRow.contract_id.in_(contract_ids)))
            }
            rows = s.scalars(
                select(FlagRow).where(
                    FlagRow.contract_id.in_(contract_ids), FlagRow.active.is_(True)
                )
            ).all()
            history: dict[str, list[DecisionRow]] = {}
            for d in s.scalars(
                select(DecisionRow)
                .join(FlagRow, FlagRow.id == DecisionRow.flag_id)
                .where(FlagRow.contract_id.in_(contract_ids), FlagRow.active.is_(True))
                .order_by(DecisionRow.id)
            ):
                history.setdefault(d.flag_id, []).append(d)
            by_contract: dict[str, list[FlagOut]] = {cid: [] for cid in reviewed}
            for f in rows:
                if f.contract_id in by_contract:
                    by_contract[f.contract_id].append(flag_out(f, history.get(f.id, [])))
        out: dict[str, ContractReviewOverview] = {}
        for cid, flags in by_contract.items():
            summary = summarize(cid, flags, reviewed[cid])
            out[cid] = ContractReviewOverview(
                status=summary.status,
                flags=len(flags),
                open=sum(1 for f in flags if f.status in ("open", "escalated")),
                by_severity=summary.counts,
            )
        return out

    def statuses(self, contract_ids: list[str]) -> dict[str, str]:
        return {cid: o.status for cid, o in self.overviews(contract_ids).items()}

    def set_deal(self, contract_id: str, deal: Mapping[str, Any], actor: str) -> ReviewSummary:
        with self.db.session() as s:
            row = get_row(s, contract_id)
            before = dict(row.deal or {})
            row.deal = dict(deal)
            record_audit(
                s,
                actor=actor,
                action="contract.deal",
                entity_type="contract",
                entity_id=contract_id,
                before=before,
                after=dict(deal),
            )
            ready = row.status == "ready"
        return self.review_contract(contract_id, actor) if ready else self.flags(contract_id)

    # -- pasted text

    def review_text(self, text: str, clause_type: str | None = None) -> TextReviewOut:
        from extraction import analyze, type_text

        if not text.strip():
            raise EmptyText("text is empty: paste the clause or passage to review")
        with self.db.session() as s:
            snap = self.snapshot(s)
        if clause_type is not None and clause_type not in snap.types:
            raise UnknownClauseType(
                f"unknown clause type {clause_type!r}; known: {', '.join(sorted(snap.types))}"
            )
        guess = None
        if clause_type is None:
            # The clause-type model decides, or says it cannot; it never guesses.
            guess = type_text(text, embedder=self.embedder, known=set(snap.types))
            if guess.clause_type is None:
                return TextReviewOut(
                    clause_type=None,
                    clause_name=None,
                    match=None,
                    flags=[],
                    verdict=guess.status,  # type: ignore[arg-type]
                    approvers=[],
                    decision=None,
                    typing=guess,
                )
        ctype = clause_type or guess.clause_type  # type: ignore[union-attr]
        assert ctype is not None
        analysis = analyze(text)
        facts = self.facts(text, analysis)
        reviewer = Reviewer(snap, self.meaning)
        m, decision, flags = reviewer.decide_clause(ctype, text, facts)
        info = snap.types[ctype]
        approvers = sorted({a for f in flags for a in f.approvers})
        verdict = (
            "standard"
            if not flags
            else "approved_fallback"
            if decision.outcome == "fallback"
            else "blocked"
            if any(f.severity == "critical" for f in flags)
            else "needs_approval"
        )
        return TextReviewOut(
            clause_type=ctype,
            clause_name=info.name,
            match=m,
            flags=flags,
            verdict=verdict,  # type: ignore[arg-type]
            approvers=approvers,
            decision=decision,
            typing=guess,
        )


def _key(snap: LibrarySnapshot) -> str:
    return hashlib.sha256(repr(snap.key).encode()).hexdigest()[:64]


__all__ = ["FlagDraft", "ReviewService", "flag_out", "flag_version", "summarize"]
