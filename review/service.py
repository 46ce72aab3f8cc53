"""The review as a service: runs on stored contracts, keeps flags and legal's decisions.

Flag ids are stable: the hash of the contract and the flag's fingerprint (rule, clause type,
evidence words). A re-review of unchanged text therefore finds the same flag and its
decision; a flag the new review no longer raises is hidden, not deleted, so history stays.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clause_index.models import ClauseRow as LibraryClauseRow
from clause_index.service import list_clauses
from extraction import Analysis, EmbedderLike
from extraction.models import ContractRow
from extraction.service import get_row, stored_analysis
from extraction.types import ExtractedText, PageSpan
from review.engine import SEVERITY_ORDER, FlagDraft, LibrarySnapshot, Reviewer
from review.entities import (
    DecisionIn,
    DecisionOut,
    FlagOut,
    ReviewSummary,
    TextReviewOut,
)
from review.errors import ContractNotReady, EmptyText, FlagNotFound, UnknownClauseType
from review.facts import compute_facts
from review.models import DecisionRow, FlagRow, ReviewRow
from review.routing import RoutingRule, apply_routing, load_routing
from review.types import Fact
from storage import Database, record_audit
from storage.db import utcnow

_STATUS = {"accept": "accepted", "reject": "rejected", "escalate": "escalated"}


def flag_id(contract_id: str, fingerprint: str) -> str:
    return hashlib.sha256(f"{contract_id}|{fingerprint}".encode()).hexdigest()[:24]


def _page_of(row: ContractRow) -> Callable[[int], int | None]:
    pages = [PageSpan.model_validate(p) for p in (row.pages or [])]
    doc = ExtractedText(text="", media_type="text/plain", pages=pages)
    return doc.page_at


def _decision(d: DecisionRow) -> DecisionOut:
    return DecisionOut(decision=d.decision, comment=d.comment, by=d.actor, at=d.created_at)  # type: ignore[arg-type]


def _flag_out(session: Session, f: FlagRow) -> FlagOut:
    history = session.scalars(
        select(DecisionRow).where(DecisionRow.flag_id == f.id).order_by(DecisionRow.id)
    ).all()
    latest = _decision(history[-1]) if history else None
    status = _STATUS[latest.decision] if latest else "open"
    return FlagOut.model_validate(
        f.data
        | {
            "id": f.id,
            "contract_id": f.contract_id,
            "status": status,
            "decision": latest,
            "history": [_decision(d) for d in history],
        }
    )


def summarize(contract_id: str, flags: list[FlagOut], reviewed: Any) -> ReviewSummary:
    """Roll flags and decisions up: blocked, needs approval (by whom) or clean."""
    open_ = [f for f in flags if f.status in ("open", "escalated")]
    approvers: list[str] = []
    for f in open_:
        for a in [*f.approvers, *(["executive"] if f.status == "escalated" else [])]:
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
        self._snapshot: LibrarySnapshot | None = None
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

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
        outcome = Reviewer(snap).review(text, analysis, self.facts(text, analysis), deal, page_of)
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
        with self.db.session() as s:
            f = s.get(FlagRow, fid)
            if f is None or not f.active:
                raise FlagNotFound(f"no open flag with id {fid!r}")
            before = _flag_out(s, f)
            s.add(
                DecisionRow(
                    flag_id=fid,
                    decision=data.decision,
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
                before={"status": before.status},
                after={"status": after.status, "comment": data.comment, "rule": f.rule_id},
            )
            return after

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
                    typing=guess,
                )
        ctype = clause_type or guess.clause_type  # type: ignore[union-attr]
        assert ctype is not None
        analysis = analyze(text)
        facts = self.facts(text, analysis)
        reviewer = Reviewer(snap)
        m, flags = reviewer.review_clause(ctype, text, facts)
        info = snap.types[ctype]
        approvers = sorted({a for f in flags for a in f.approvers})
        verdict = (
            "standard"
            if not flags and m.classification == "standard"
            else "approved_fallback"
            if m.classification == "fallback"
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
            typing=guess,
        )


def _key(snap: LibrarySnapshot) -> str:
    return hashlib.sha256(repr(snap.key).encode()).hexdigest()[:64]


__all__ = ["FlagDraft", "ReviewService", "summarize"]
