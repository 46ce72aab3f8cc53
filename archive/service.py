"""Contract archive use cases against the database. Contracts double as the job queue; the
queue itself (claims, leases, results) is the `archive` package's."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from archive.entities import (
    ArchiveFilters,
    ClauseOut,
    ContractDetail,
    ContractSummary,
    SegmentOut,
    TermOut,
)
from archive.models import ClauseRow, ContractRow, SegmentRow, TermRow
from extraction.pipeline import (
    PIPELINE_VERSION,
    Analysis,
    ClauseHit,
    SegmentType,
    TypePresence,
)
from extraction.types import Segment, Sentence, Term
from storage import record_audit
from storage.db import utcnow

MAX_ATTEMPTS = 3
STORE_CLAUSE_SCORE = 0.2  # clause predictions below this are not kept in the archive


class ContractNotFound(Exception):
    code = "contract_not_found"


class BlobStore:
    """Original bytes, content-addressed: `root/ab/abcdef...`. Written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        p = self.path(sha)
        if not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_suffix(f".{uuid.uuid4().hex}.tmp")
            tmp.write_bytes(data)
            tmp.replace(p)
        return sha

    def get(self, sha: str) -> bytes:
        return self.path(sha).read_bytes()

    def delete(self, sha: str) -> None:
        self.path(sha).unlink(missing_ok=True)


def summary(row: ContractRow, duplicate: bool = False) -> ContractSummary:
    return ContractSummary(
        id=row.id,
        title=row.title,
        filename=row.filename,
        media_type=row.media_type,
        size_bytes=row.size_bytes,
        status=row.status,  # type: ignore[arg-type]
        error_code=row.error_code,
        error_message=row.error_message,
        progress=row.progress,
        stage=row.stage,
        page_count=row.page_count,
        created_at=row.created_at,
        processed_at=row.processed_at,
        counterparty=row.counterparty,
        parties=row.parties,
        governing_law=row.governing_law,
        agreement_date=row.agreement_date,
        effective_date=row.effective_date,
        expiration_date=row.expiration_date,
        auto_renewal=row.auto_renewal,
        renewal_notice_days=row.renewal_notice_days,
        notice_deadline=row.notice_deadline,
        payment_net_days=row.payment_net_days,
        clause_types=row.clause_types,
        deal=row.deal,
        duplicate=duplicate,
    )


def find_by_hash(session: Session, sha: str) -> ContractRow | None:
    return session.scalars(select(ContractRow).where(ContractRow.sha256 == sha)).first()


def create_contract(
    session: Session,
    *,
    sha: str,
    size: int,
    media_type: str,
    title: str,
    filename: str | None,
    deal: dict[str, Any] | None,
    actor: str,
) -> ContractRow:
    now = utcnow()
    row = ContractRow(
        id=uuid.uuid4().hex,
        sha256=sha,
        title=title,
        filename=filename,
        media_type=media_type,
        size_bytes=size,
        status="pending",
        progress=0.0,
        deal=deal,
        created_by=actor,
        created_at=now,
        updated_at=now,
        attempts=0,
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="contract.upload",
        entity_type="contract",
        entity_id=row.id,
        after={"title": title, "filename": filename, "sha256": sha, "size_bytes": size},
    )
    return row


def get_row(session: Session, contract_id: str) -> ContractRow:
    row = session.get(ContractRow, contract_id)
    if row is None:
        raise ContractNotFound(f"no contract with id {contract_id!r}")
    return row


def requeue(session: Session, cid: str, actor: str) -> ContractRow:
    row = get_row(session, cid)
    row.status, row.progress, row.attempts, row.stage = "pending", 0.0, 0, None
    row.claimed_by, row.lease_until, row.updated_at = None, None, utcnow()
    record_audit(
        session, actor=actor, action="contract.reprocess", entity_type="contract", entity_id=cid
    )
    return row


# ----------------------------------------------------------------------------- reads


def list_contracts(
    session: Session, f: ArchiveFilters, limit: int = 100, offset: int = 0
) -> list[ContractSummary]:
    stmt = select(ContractRow).order_by(ContractRow.created_at.desc())
    stmt = _apply_filters(stmt, f)
    rows = session.scalars(stmt.limit(limit).offset(offset)).all()
    out = [summary(r) for r in rows]
    # Clause-type presence is answered from the stored predictions, portable across databases.
    if f.clause_type or f.clause_type_absent:
        out = [c for c in out if _types_ok(c.clause_types or [], f)]
    return out


def _types_ok(types: list[str], f: ArchiveFilters) -> bool:
    if f.clause_type and f.clause_type not in types:
        return False
    return not (f.clause_type_absent and f.clause_type_absent in types)


def _law_matches(col: Any, law: str) -> Any:
    """The stored law is one name or several joined by "; " (a contract that names more than
    one); a filter on one name matches either, case-insensitively."""
    want = law.strip().lower()
    esc = want.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    low = func.lower(col)
    return or_(
        low == want,
        low.like(f"{esc}; %", escape="\\"),
        low.like(f"%; {esc}", escape="\\"),
        low.like(f"%; {esc}; %", escape="\\"),
    )


def _apply_filters(stmt: Any, f: ArchiveFilters) -> Any:
    c = ContractRow
    if f.status:
        stmt = stmt.where(c.status == f.status)
    if f.counterparty:
        stmt = stmt.where(func.lower(c.counterparty).contains(f.counterparty.lower()))
    if f.governing_law:
        stmt = stmt.where(_law_matches(c.governing_law, f.governing_law))
    for col, lo, hi in (
        (c.expiration_date, f.expiration_from, f.expiration_to),
        (c.notice_deadline, f.notice_deadline_from, f.notice_deadline_to),
    ):
        if lo:
            stmt = stmt.where(col >= lo)
        if hi:
            stmt = stmt.where(col <= hi)
    if f.auto_renewal is not None:
        stmt = stmt.where(c.auto_renewal == f.auto_renewal)
    if f.payment_days_min is not None:
        stmt = stmt.where(c.payment_net_days >= f.payment_days_min)
    if f.payment_days_max is not None:
        stmt = stmt.where(c.payment_net_days <= f.payment_days_max)
    return stmt


def filtered_ids(session: Session, f: ArchiveFilters) -> list[str] | None:
    """Ids of ready contracts matching the filters; None when no filter narrows anything."""
    if f == ArchiveFilters():
        return None
    stmt = _apply_filters(select(ContractRow), f.model_copy(update={"status": "ready"}))
    rows = session.scalars(stmt).all()
    return [r.id for r in rows if _types_ok(r.clause_types or [], f)]


def detail(session: Session, cid: str) -> ContractDetail:
    row = get_row(session, cid)
    text = row.text or ""
    segs = session.scalars(
        select(SegmentRow).where(SegmentRow.contract_id == cid).order_by(SegmentRow.idx)
    ).all()
    clauses = session.scalars(
        select(ClauseRow).where(ClauseRow.contract_id == cid).order_by(ClauseRow.start)
    ).all()
    terms = session.scalars(
        select(TermRow).where(TermRow.contract_id == cid).order_by(TermRow.start)
    ).all()
    return ContractDetail(
        **summary(row).model_dump(),
        text=row.text,
        terms=[TermOut.model_validate(t, from_attributes=True) for t in terms],
        segments=[
            SegmentOut(
                index=s.idx,
                start=s.start,
                end=s.end,
                page=s.page,
                kind=s.kind,
                level=s.level,
                number=s.number,
                heading=s.heading,
                text=text[s.start : s.end],
                types=s.types,
            )
            for s in segs
        ],
        clauses=[
            ClauseOut(
                category=c.category,
                start=c.start,
                end=c.end,
                page=c.page,
                score=c.score,
                text=text[c.start : c.end],
            )
            for c in clauses
        ],
    )


def stored_analysis(session: Session, row: ContractRow) -> Analysis:
    """The analysis as the workers stored it, so a contract is reviewed again without being
    extracted again (sentences are those the clause predictions were made on)."""
    text = row.text or ""
    segs = session.scalars(
        select(SegmentRow).where(SegmentRow.contract_id == row.id).order_by(SegmentRow.idx)
    ).all()
    hits = session.scalars(select(ClauseRow).where(ClauseRow.contract_id == row.id)).all()
    terms = session.scalars(select(TermRow).where(TermRow.contract_id == row.id)).all()
    return Analysis(
        segments=[
            Segment(
                index=s.idx,
                start=s.start,
                end=s.end,
                kind=s.kind,  # type: ignore[arg-type]
                level=s.level,
                number=s.number,
                heading=s.heading,
                text=text[s.start : s.end],
            )
            for s in segs
        ],
        sentences=[
            Sentence(start=a, end=b, segment=g)
            for a, b, g in sorted({(h.start, h.end, h.segment) for h in hits})
        ],
        segment_types=[[SegmentType.model_validate(t) for t in s.types] for s in segs],
        clauses=[ClauseHit.model_validate(h, from_attributes=True) for h in hits],
        terms=[Term.model_validate(t, from_attributes=True) for t in terms],
        presence=(
            {k: TypePresence.model_validate(v) for k, v in row.clause_presence.items()}
            if row.clause_presence
            else None
        ),
        pipeline_version=row.pipeline_version or PIPELINE_VERSION,
    )


def delete_contract(session: Session, cid: str, actor: str) -> ContractRow:
    row = get_row(session, cid)
    for table in (SegmentRow, ClauseRow, TermRow):
        session.execute(delete(table).where(table.contract_id == cid))  # type: ignore[attr-defined]
    session.delete(row)
    record_audit(
        session,
        actor=actor,
        action="contract.delete",
        entity_type="contract",
        entity_id=cid,
        before={"title": row.title, "sha256": row.sha256},
    )
    session.flush()
    return row


def ids_waiting_for_index(session: Session) -> set[str]:
    """Contracts whose vectors a worker handed over and the store's owner has not indexed."""
    rows = session.scalars(
        select(ContractRow.id).where(
            ContractRow.status == "processing", ContractRow.stage == "index"
        )
    )
    return set(rows)


def all_ready(session: Session) -> list[ContractRow]:
    return list(session.scalars(select(ContractRow).where(ContractRow.status == "ready")))


def party_index(session: Session) -> list[tuple[str, str, str]]:
    """(id, party names and aliases, title) of ready contracts, without loading their text."""
    rows = session.execute(
        select(ContractRow.id, ContractRow.parties, ContractRow.title).where(
            ContractRow.status == "ready"
        )
    ).all()
    return [
        (
            cid,
            " ".join(
                f"{p.get('name', '')} {p.get('alias') or ''}"
                for p in (parties or [])
                if isinstance(p, dict)
            ),
            title,
        )
        for cid, parties, title in rows
    ]
