"""The job queue, in the contracts table. Every change of a job is one conditional UPDATE
(or a transaction that starts with one), so several processes on several machines share the
work and a worker that lost its job cannot write.

A contract moves: pending -> processing (stage text, analysis, embedding: a worker holds
it) -> processing (stage index: vectors are in `contract_vectors`, waiting for the owner
of the vector store) -> ready (stage review: a worker reviews it) -> ready (stage None).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from archive.models import ClauseRow, ContractRow, SegmentRow, TermRow, VectorRow
from extraction.pipeline import Analysis
from extraction.types import ExtractedText
from retrieval import Sparse, VectorPoint
from storage import record_audit
from storage.db import utcnow

MAX_ATTEMPTS = 3
STORE_CLAUSE_SCORE = 0.2  # clause predictions below this are not kept in the archive
WORK_STAGES = ("text", "analysis", "embedding")
INDEX, REVIEW = "index", "review"


def _lease(lease_s: float) -> datetime:
    return utcnow() + timedelta(seconds=lease_s)


def _expired_or_free() -> Any:
    return or_(ContractRow.claimed_by.is_(None), ContractRow.lease_until < utcnow())


def _claim(
    session: Session, claimable: Any, worker: str, lease_s: float, **values: Any
) -> str | None:
    """Take the oldest claimable row with one conditional UPDATE (so two processes never
    take the same row); None when there is nothing to do."""
    candidates = session.scalars(
        select(ContractRow.id).where(claimable).order_by(ContractRow.created_at).limit(8)
    ).all()
    for cid in candidates:
        res = session.execute(
            update(ContractRow)
            .where(ContractRow.id == cid, claimable)
            .values(claimed_by=worker, lease_until=_lease(lease_s), updated_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            session.commit()
            return cid
    session.commit()
    return None


def claim_next(session: Session, worker: str, lease_s: float) -> str | None:
    """Claim the oldest pending contract (or one whose worker's lease ran out)."""
    claimable = or_(
        ContractRow.status == "pending",
        and_(
            ContractRow.status == "processing",
            ContractRow.lease_until < utcnow(),
            or_(ContractRow.stage.is_(None), ContractRow.stage.in_(WORK_STAGES)),
        ),
    )
    return _claim(
        session,
        claimable,
        worker,
        lease_s,
        status="processing",
        stage="text",
        progress=0.0,
        attempts=ContractRow.attempts + 1,
    )


def claim_index(session: Session, owner: str, lease_s: float) -> str | None:
    """Claim a contract whose vectors wait for the store's owner."""
    claimable = and_(
        ContractRow.status == "processing", ContractRow.stage == INDEX, _expired_or_free()
    )
    return _claim(session, claimable, owner, lease_s)


def claim_review(session: Session, worker: str, lease_s: float) -> str | None:
    claimable = and_(ContractRow.status == "ready", ContractRow.stage == REVIEW, _expired_or_free())
    return _claim(session, claimable, worker, lease_s)


def renew_lease(
    session: Session,
    cid: str,
    worker: str,
    lease_s: float,
    progress: float | None = None,
    stage: str | None = None,
) -> bool:
    """The heartbeat: extend the lease (and report progress); False once the job is lost."""
    values: dict[str, Any] = {"lease_until": _lease(lease_s), "updated_at": utcnow()}
    if progress is not None:
        values["progress"] = progress
    if stage is not None:
        values["stage"] = stage
    res = session.execute(
        update(ContractRow)
        .where(ContractRow.id == cid, ContractRow.claimed_by == worker)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def _take_over(session: Session, cid: str, worker: str, **values: Any) -> bool:
    """The fence every write of a job starts with: a conditional UPDATE that only the job's
    holder can make. It also takes the row's write lock for the rest of the transaction."""
    res = session.execute(
        update(ContractRow)
        .where(
            ContractRow.id == cid,
            ContractRow.claimed_by == worker,
            ContractRow.status == "processing",
        )
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def fail(session: Session, cid: str, worker: str, code: str, message: str) -> bool:
    if not _take_over(
        session,
        cid,
        worker,
        status="failed",
        stage=None,
        error_code=code,
        error_message=message,
        claimed_by=None,
        lease_until=None,
        processed_at=utcnow(),
    ):
        return False
    for table in (SegmentRow, ClauseRow, TermRow, VectorRow):
        session.execute(delete(table).where(table.contract_id == cid))  # type: ignore[attr-defined]
    record_audit(
        session,
        actor=f"worker:{worker}",
        action="contract.failed",
        entity_type="contract",
        entity_id=cid,
        after={"code": code, "message": message},
    )
    return True


def give_back(session: Session, cid: str, worker: str) -> bool:
    """A worker that is stopped puts its job back at once (not counted as a crash)."""
    return _take_over(
        session,
        cid,
        worker,
        status="pending",
        stage=None,
        progress=0.0,
        claimed_by=None,
        lease_until=None,
        attempts=ContractRow.attempts - 1,  # the claim counted one; a stop is no crash
    )


def release(session: Session, cid: str, worker: str) -> bool:
    """Let go of a claim without changing the job (a review that was stopped): the next
    worker takes it at once instead of after the lease."""
    res = session.execute(
        update(ContractRow)
        .where(ContractRow.id == cid, ContractRow.claimed_by == worker)
        .values(claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def give_back_held(session: Session, worker: str) -> list[str]:
    """What a worker held when it was killed at a stop, put back as `give_back` and `release`
    would have (it could not): by whoever stopped it. Returns the contracts put back."""
    held = session.execute(
        select(ContractRow.id, ContractRow.status).where(ContractRow.claimed_by == worker)
    ).all()
    out = []
    for cid, status in held:
        if (
            give_back(session, cid, worker)
            if status == "processing"
            else release(session, cid, worker)
        ):
            out.append(cid)
    return out


def _iso(v: Any) -> date | None:
    try:
        return date.fromisoformat(str(v))
    except (TypeError, ValueError):
        return None


def store_results(
    session: Session,
    cid: str,
    worker: str,
    extracted: ExtractedText,
    analysis: Analysis,
    points: list[VectorPoint],
    pipeline_version: str,
) -> bool:
    """Store the analysis and hand the vectors to the store's owner, if this worker still
    holds the job; False when it lost it (nothing is written then)."""
    if not _take_over(
        session,
        cid,
        worker,
        stage=INDEX,
        progress=0.9,
        claimed_by=None,
        lease_until=None,
        pipeline_version=pipeline_version,
    ):
        return False
    row = session.get(ContractRow, cid)
    assert row is not None  # the fence above just updated it
    session.refresh(row)
    for table in (SegmentRow, ClauseRow, TermRow, VectorRow):
        session.execute(delete(table).where(table.contract_id == cid))  # type: ignore[attr-defined]
    _store_analysis(session, row, extracted, analysis)
    session.add_all(
        VectorRow(
            contract_id=cid,
            point_id=p.id,
            dense=np.asarray(p.dense, dtype="<f4").tobytes(),
            sparse=p.sparse.model_dump(),
            payload=p.payload,
        )
        for p in points
    )
    session.flush()
    return True


def _store_analysis(
    session: Session, row: ContractRow, extracted: ExtractedText, analysis: Analysis
) -> None:
    cid = row.id
    for seg, types in zip(analysis.segments, analysis.segment_types, strict=True):
        session.add(
            SegmentRow(
                contract_id=cid,
                idx=seg.index,
                start=seg.start,
                end=seg.end,
                page=extracted.page_at(seg.start),
                kind=seg.kind,
                level=seg.level,
                number=seg.number,
                heading=seg.heading,
                types=[t.model_dump() for t in types],
            )
        )
    for h in analysis.clauses:
        if h.score >= STORE_CLAUSE_SCORE:
            session.add(
                ClauseRow(
                    contract_id=cid,
                    category=h.category,
                    start=h.start,
                    end=h.end,
                    page=extracted.page_at(h.start),
                    score=h.score,
                    segment=h.segment,
                )
            )
    terms: dict[str, list[Any]] = {}
    for t in analysis.terms:
        session.add(
            TermRow(
                contract_id=cid,
                name=t.name,
                value=t.value,
                text=t.text,
                start=t.start,
                end=t.end,
                page=extracted.page_at(t.start),
                confidence=t.confidence,
            )
        )
        terms.setdefault(t.name, []).append(t.value)

    def first(name: str) -> Any:
        return terms.get(name, [None])[0]

    parties = [p for p in terms.get("parties", []) if isinstance(p, dict)]
    row.parties = parties or None
    row.counterparty = " | ".join(str(p.get("name", "")) for p in parties) or None
    row.governing_law = first("governing_law")
    row.agreement_date = _iso(first("agreement_date"))
    row.effective_date = _iso(first("effective_date"))
    row.expiration_date = _iso(first("expiration_date"))
    auto = first("auto_renewal")
    row.auto_renewal = bool(auto) if auto is not None else None
    notice = first("renewal_notice_days")
    row.renewal_notice_days = int(notice) if notice is not None else None
    row.notice_deadline = (
        row.expiration_date - timedelta(days=row.renewal_notice_days)
        if row.expiration_date and row.renewal_notice_days is not None
        else None
    )
    net = first("payment_net_days")
    row.payment_net_days = int(net) if net is not None else None
    row.clause_types = sorted({t.type for ts in analysis.segment_types for t in ts})
    row.clause_presence = (
        {k: p.model_dump() for k, p in analysis.presence.items()}
        if analysis.presence is not None
        else None
    )
    row.text = extracted.text
    row.pages = [p.model_dump() for p in extracted.pages]
    row.page_count = extracted.page_count or None
    row.error_code = row.error_message = None


def handed_over_points(session: Session, cid: str) -> list[VectorPoint]:
    rows = session.scalars(select(VectorRow).where(VectorRow.contract_id == cid)).all()
    return [
        VectorPoint(
            id=r.point_id,
            dense=np.frombuffer(r.dense, dtype="<f4").tolist(),
            sparse=Sparse.model_validate(r.sparse),
            payload=r.payload,
        )
        for r in rows
    ]


def mark_indexed(session: Session, cid: str, owner: str) -> bool:
    """The vectors are in the store: the contract is ready (and waits for its review)."""
    now = utcnow()
    if not _take_over(
        session,
        cid,
        owner,
        status="ready",
        stage=REVIEW,
        progress=1.0,
        claimed_by=None,
        lease_until=None,
        processed_at=now,
    ):
        return False
    session.execute(delete(VectorRow).where(VectorRow.contract_id == cid))
    return True


def mark_reviewed(session: Session, cid: str, worker: str) -> bool:
    res = session.execute(
        update(ContractRow)
        .where(ContractRow.id == cid, ContractRow.claimed_by == worker, ContractRow.stage == REVIEW)
        .values(stage=None, claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def give_up_on_crashers(session: Session) -> list[str]:
    """A contract whose processing crashed the worker MAX_ATTEMPTS times is failed, not
    retried forever."""
    now = utcnow()
    rows = session.scalars(
        select(ContractRow).where(
            ContractRow.status == "processing",
            ContractRow.lease_until < now,
            ContractRow.attempts >= MAX_ATTEMPTS,
            or_(ContractRow.stage.is_(None), ContractRow.stage.in_(WORK_STAGES)),
        )
    ).all()
    for row in rows:
        row.status, row.error_code, row.stage = "failed", "processing_crashed", None
        row.error_message = (
            f"Processing stopped without finishing {row.attempts} times; "
            "reprocess it after an upgrade or contact the administrator."
        )
        row.claimed_by, row.lease_until, row.updated_at = None, None, now
    return [r.id for r in rows]


def waiting_counts(session: Session) -> dict[str, int]:
    """How many contracts wait for a worker, for the store's owner, or for a review."""
    c = ContractRow
    not_index = or_(c.stage.is_(None), c.stage != INDEX)
    work = or_(c.status == "pending", and_(c.status == "processing", not_index))
    out = {}
    for name, cond in (
        ("work", work),
        ("index", and_(c.status == "processing", c.stage == INDEX)),
        ("review", and_(c.status == "ready", c.stage == REVIEW)),
    ):
        out[name] = int(session.scalar(select(func.count()).select_from(c).where(cond)) or 0)
    return out
