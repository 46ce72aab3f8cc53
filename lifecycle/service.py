"""The lifecycle's I/O: compute a contract's timeline from its stored terms (and its confirmed
amendments'), store the events for the calendar, link amendments to their parents.

Events are stored when a contract becomes ready (and again on reprocess or on an amendment
link), so the calendar is one indexed range query, never a recomputation per request.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Text, case, cast, delete, select
from sqlalchemy.orm import Session

from archive.models import ContractRow, TermRow
from archive.service import ContractNotFound
from extraction.types import Term
from lifecycle.amendments import Candidate, ParentSuggestion, looks_like_amendment, suggest_parents
from lifecycle.models import Amendment, Timeline
from lifecycle.rows import AmendmentRow, EventRow, TimelineRow
from lifecycle.timeline import timeline
from storage import Database, record_audit
from storage.db import utcnow

__all__ = ["AmendmentLink", "CalendarEvent", "LifecycleError", "LifecycleService", "TimelineOut"]

log = logging.getLogger(__name__)
STALE_DAYS = 30  # windows (payments, renewal horizon) are re-anchored when older than this


class LifecycleError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class AmendmentLink(BaseModel):
    amendment_id: str
    parent_id: str
    status: str
    score: float
    reasons: list[str]
    amendment_title: str | None = None
    parent_title: str | None = None


class TimelineOut(BaseModel):
    contract_id: str
    title: str
    timeline: Timeline
    parent: AmendmentLink | None = None  # when this contract is itself a confirmed amendment
    amendments: list[AmendmentLink] = Field(default_factory=list)
    suggestions: list[AmendmentLink] = Field(default_factory=list)


class CalendarEvent(BaseModel):
    contract_id: str
    contract_title: str
    kind: str
    date: dt.date
    end_date: dt.date | None = None
    title: str
    amount: float | None = None
    currency: str | None = None
    evidence: list[dict[str, Any]]


def _terms(s: Session, cid: str) -> list[Term]:
    rows = s.scalars(select(TermRow).where(TermRow.contract_id == cid).order_by(TermRow.id))
    return [
        Term(
            name=r.name,
            value=r.value,
            text=r.text,
            start=r.start,
            end=r.end,
            page=r.page,
            confidence=r.confidence,
        )
        for r in rows
    ]


def _link(r: AmendmentRow, titles: dict[str, str]) -> AmendmentLink:
    return AmendmentLink(
        amendment_id=r.amendment_id,
        parent_id=r.parent_id,
        status=r.status,
        score=r.score,
        reasons=list(r.reasons),
        amendment_title=titles.get(r.amendment_id),
        parent_title=titles.get(r.parent_id),
    )


def _titles(s: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    q = select(ContractRow.id, ContractRow.title).where(ContractRow.id.in_(ids))
    return {str(i): str(t) for i, t in s.execute(q)}


class LifecycleService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- computing -------------------------------------------------------------------------

    def _parent_of(self, s: Session, cid: str) -> AmendmentRow | None:
        return s.scalars(
            select(AmendmentRow).where(
                AmendmentRow.amendment_id == cid, AmendmentRow.status == "confirmed"
            )
        ).first()

    def _amendments(self, s: Session, cid: str) -> list[Amendment]:
        """Confirmed amendments in the order they apply (their own dates, then upload)."""
        rows = s.execute(
            select(
                ContractRow.id,
                ContractRow.text,
                ContractRow.effective_date,
                ContractRow.agreement_date,
                ContractRow.created_at,
            )
            .join(AmendmentRow, AmendmentRow.amendment_id == ContractRow.id)
            .where(
                AmendmentRow.parent_id == cid,
                AmendmentRow.status == "confirmed",
                ContractRow.status == "ready",
            )
        ).all()
        rows = sorted(rows, key=lambda r: (r[2] or r[3] or dt.date.max, r[4]))
        return [Amendment(contract_id=r[0], terms=_terms(s, r[0]), text=r[1]) for r in rows]

    def compute(self, s: Session, cid: str, today: dt.date | None = None) -> Timeline:
        row = s.get(ContractRow, cid)
        if row is None:
            raise ContractNotFound(cid)
        return timeline(
            _terms(s, cid), amendments=self._amendments(s, cid), today=today, text=row.text
        )

    def refresh(self, s: Session, cid: str, today: dt.date | None = None) -> int:
        """Recompute and store a contract's events; an amendment refreshes its parent instead.

        Returns the number of events stored."""
        today = today or dt.date.today()
        row = s.get(ContractRow, cid)
        if row is None:
            return 0
        s.execute(delete(EventRow).where(EventRow.contract_id == cid))
        parent = self._parent_of(s, cid)
        if parent is not None or row.status != "ready":
            # an amendment's dates show on its parent's timeline, not twice
            s.execute(delete(TimelineRow).where(TimelineRow.contract_id == cid))
            return self.refresh(s, parent.parent_id, today) if parent else 0
        tl = self.compute(s, cid, today)
        for e in tl.events:
            s.add(
                EventRow(
                    contract_id=cid,
                    kind=e.kind,
                    date=e.date,
                    end_date=e.end_date,
                    sequence=e.sequence,
                    title=e.title,
                    amount=e.amount,
                    currency=e.currency,
                    evidence=[ev.model_dump(mode="json") for ev in e.evidence],
                )
            )
        state = s.get(TimelineRow, cid)
        if state is None:
            state = TimelineRow(contract_id=cid, computed_for=today, notes=tl.notes)
            s.add(state)
        state.computed_at, state.computed_for, state.notes = utcnow(), today, list(tl.notes)
        s.flush()
        return len(tl.events)

    def parent_of(self, cid: str) -> str | None:
        """The contract a confirmed amendment amends."""
        with self.db.session() as s:
            row = self._parent_of(s, cid)
            return row.parent_id if row else None

    def recompute(self, cid: str) -> int:
        with self.db.session() as s:
            return self.refresh(s, cid)

    def on_ready(self, cid: str) -> None:
        """A contract was stored as ready: suggest a parent if it is an amendment, store events."""
        with self.db.session() as s:
            row = s.get(ContractRow, cid)
            if row is None:
                return
            if self._parent_of(s, cid) is None and looks_like_amendment(row.title, row.text or ""):
                self._suggest(s, row)
            self.refresh(s, cid)

    def backfill(
        self, today: dt.date | None = None, should_stop: Callable[[], bool] | None = None
    ) -> int:
        """Store events of ready contracts that have none yet or whose windows are stale."""
        today = today or dt.date.today()
        cutoff = today - dt.timedelta(days=STALE_DAYS)
        with self.db.session() as s:
            fresh = set(
                s.scalars(select(TimelineRow.contract_id).where(TimelineRow.computed_for >= cutoff))
            )
            ids = [
                i
                for i in s.scalars(select(ContractRow.id).where(ContractRow.status == "ready"))
                if i not in fresh
            ]
        done = 0
        for cid in ids:
            if should_stop is not None and should_stop():
                break
            with self.db.session() as s:
                self.refresh(s, cid, today)
            done += 1
        return done

    # -- amendments -------------------------------------------------------------------------

    def _suggest(self, s: Session, row: ContractRow) -> list[ParentSuggestion]:
        names = [str(p.get("name", "")) for p in row.parties or [] if isinstance(p, dict)]
        linked = set(
            s.scalars(select(AmendmentRow.amendment_id).where(AmendmentRow.status == "confirmed"))
        )
        cands = [
            Candidate(
                contract_id=c.id,
                title=c.title,
                parties=[str(p.get("name", "")) for p in c.parties or [] if isinstance(p, dict)],
                dates=[d for d in (c.agreement_date, c.effective_date) if d],
            )
            for c in s.scalars(
                select(ContractRow).where(ContractRow.status == "ready", ContractRow.id != row.id)
            )
            if c.id not in linked
        ]
        found = suggest_parents(row.title, row.text or "", names, cands)
        s.execute(
            delete(AmendmentRow).where(
                AmendmentRow.amendment_id == row.id, AmendmentRow.status == "suggested"
            )
        )
        for f in found:
            s.add(
                AmendmentRow(
                    amendment_id=row.id,
                    parent_id=f.parent_id,
                    status="suggested",
                    score=f.score,
                    reasons=f.reasons,
                    created_by="system:suggest",
                )
            )
        s.flush()
        return found

    def link(self, amendment_id: str, parent_id: str, actor: str) -> AmendmentLink:
        """Confirm that `amendment_id` amends `parent_id` (explicitly or accepting a suggestion)."""
        with self.db.session() as s:
            am, parent = s.get(ContractRow, amendment_id), s.get(ContractRow, parent_id)
            if am is None:
                raise ContractNotFound(amendment_id)
            if parent is None:
                raise LifecycleError(404, "parent_not_found", f"No contract {parent_id}.")
            if amendment_id == parent_id:
                raise LifecycleError(422, "amendment_cycle", "A contract cannot amend itself.")
            # the parent must not itself be (transitively) an amendment of this contract
            seen, cur = set(), parent_id
            while cur and cur not in seen:
                seen.add(cur)
                up = self._parent_of(s, cur)
                cur = up.parent_id if up else ""
                if cur == amendment_id:
                    raise LifecycleError(
                        422,
                        "amendment_cycle",
                        "The parent is itself an amendment of this contract.",
                    )
            old = self._parent_of(s, amendment_id)
            s.execute(delete(AmendmentRow).where(AmendmentRow.amendment_id == amendment_id))
            row = AmendmentRow(
                amendment_id=amendment_id,
                parent_id=parent_id,
                status="confirmed",
                score=1.0,
                reasons=["confirmed by " + actor],
                created_by=actor,
            )
            s.add(row)
            s.flush()
            record_audit(
                s,
                actor=actor,
                action="contract.amendment.link",
                entity_type="contract",
                entity_id=amendment_id,
                after={"parent_id": parent_id},
            )
            self.refresh(s, amendment_id)  # clears its own events, recomputes the parent
            if old is not None and old.parent_id != parent_id:
                self.refresh(s, old.parent_id)
            return _link(row, _titles(s, {amendment_id, parent_id}))

    def unlink(self, amendment_id: str, actor: str) -> None:
        with self.db.session() as s:
            old = self._parent_of(s, amendment_id)
            if old is None:
                raise LifecycleError(
                    404, "not_an_amendment", f"Contract {amendment_id} is not linked to a parent."
                )
            s.execute(delete(AmendmentRow).where(AmendmentRow.amendment_id == amendment_id))
            record_audit(
                s,
                actor=actor,
                action="contract.amendment.unlink",
                entity_type="contract",
                entity_id=amendment_id,
                before={"parent_id": old.parent_id},
            )
            s.flush()
            self.refresh(s, old.parent_id)
            self.refresh(s, amendment_id)

    def suggestions(self, cid: str) -> list[AmendmentLink]:
        """Re-scored parent suggestions for a contract (stored for the person to confirm)."""
        with self.db.session() as s:
            row = s.get(ContractRow, cid)
            if row is None:
                raise ContractNotFound(cid)
            found = self._suggest(s, row)
            titles = _titles(s, {cid, *(f.parent_id for f in found)})
            return [
                AmendmentLink(
                    amendment_id=cid,
                    parent_id=f.parent_id,
                    status="suggested",
                    score=f.score,
                    reasons=f.reasons,
                    amendment_title=row.title,
                    parent_title=titles.get(f.parent_id),
                )
                for f in found
            ]

    # -- reading ----------------------------------------------------------------------------

    def timeline_of(self, cid: str, today: dt.date | None = None) -> TimelineOut:
        with self.db.session() as s:
            row = s.get(ContractRow, cid)
            if row is None:
                raise ContractNotFound(cid)
            links = list(
                s.scalars(
                    select(AmendmentRow).where(
                        (AmendmentRow.amendment_id == cid) | (AmendmentRow.parent_id == cid)
                    )
                )
            )
            titles = _titles(
                s, {cid} | {x.amendment_id for x in links} | {x.parent_id for x in links}
            )
            parent = next(
                (
                    _link(x, titles)
                    for x in links
                    if x.amendment_id == cid and x.status == "confirmed"
                ),
                None,
            )
            return TimelineOut(
                contract_id=cid,
                title=row.title,
                timeline=self.compute(s, cid, today),
                parent=parent,
                amendments=[
                    _link(x, titles)
                    for x in links
                    if x.parent_id == cid and x.status == "confirmed"
                ],
                suggestions=[
                    _link(x, titles)
                    for x in links
                    if x.amendment_id == cid and x.status == "suggested"
                ],
            )

    def _calendar_query(
        self, start: dt.date, end: dt.date, kinds: Sequence[str], limit: int
    ) -> Any:
        first = case((EventRow.kind == "notice_deadline", 0), else_=1)
        q = (
            select(
                EventRow.contract_id,
                ContractRow.title,
                EventRow.kind,
                EventRow.date,
                EventRow.end_date,
                EventRow.title,
                EventRow.amount,
                EventRow.currency,
                # the evidence as stored JSON text: copied into the answer, never re-parsed
                cast(EventRow.evidence, Text),
            )
            .join(ContractRow, ContractRow.id == EventRow.contract_id)
            .where(EventRow.date >= start, EventRow.date <= end)
            .order_by(EventRow.date, first, EventRow.id)
            .limit(limit)
        )
        if kinds:
            q = q.where(EventRow.kind.in_(list(kinds)))
        return q

    def calendar(
        self,
        start: dt.date,
        end: dt.date,
        kinds: Sequence[str] = (),
        limit: int = 5000,
    ) -> list[CalendarEvent]:
        """Stored events dated within [start, end], by date, notice deadlines first on a day."""
        with self.db.session() as s:
            rows = s.execute(self._calendar_query(start, end, kinds, limit)).all()
        return [
            CalendarEvent(
                contract_id=r[0],
                contract_title=r[1],
                kind=r[2],
                date=r[3],
                end_date=r[4],
                title=r[5],
                amount=r[6],
                currency=r[7],
                evidence=json.loads(r[8] or "[]"),
            )
            for r in rows
        ]

    def calendar_json(
        self, start: dt.date, end: dt.date, kinds: Sequence[str] = (), limit: int = 5000
    ) -> tuple[int, str]:
        """The same events as a JSON array (and their count), written straight from the rows:
        the calendar's hot path over a large archive."""
        with self.db.session() as s:
            rows = s.execute(self._calendar_query(start, end, kinds, limit)).all()
        dumps = json.dumps
        parts = [
            '{{"contract_id":{},"contract_title":{},"kind":{},"date":"{}","end_date":{},'
            '"title":{},"amount":{},"currency":{},"evidence":{}}}'.format(
                dumps(r[0]),
                dumps(r[1]),
                dumps(r[2]),
                _iso(r[3]),
                dumps(_iso(r[4]) if r[4] else None),
                dumps(r[5]),
                dumps(r[6]),
                dumps(r[7]),
                r[8] or "[]",
            )
            for r in rows
        ]
        return len(parts), "[" + ",".join(parts) + "]"


def _iso(d: Any) -> str:
    return d.isoformat() if isinstance(d, dt.date) else str(d)
