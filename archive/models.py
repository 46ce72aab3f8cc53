"""Database rows of the contract archive (contracts, their segments, clauses and terms, and the
job hand-over's vectors). The extracted text is kept so every offset can be
shown in context; the original bytes live in the content-addressed blob store."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base, utcnow


class ContractRow(Base):
    __tablename__ = "contracts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending|processing|ready|failed
    # Where processing is: text|analysis|embedding|index (processing), review (ready), else None.
    stage: Mapped[str | None] = mapped_column(String(20), default=None)
    error_code: Mapped[str | None] = mapped_column(String(50))
    error_message: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    page_count: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[list[Any] | None]
    deal: Mapped[dict[str, Any] | None]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(default=None)
    pipeline_version: Mapped[str | None] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    # Extracted terms flattened for filtering the archive.
    counterparty: Mapped[str | None] = mapped_column(Text)
    parties: Mapped[list[Any] | None]
    governing_law: Mapped[str | None] = mapped_column(String(100))
    agreement_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    expiration_date: Mapped[date | None] = mapped_column(Date)
    auto_renewal: Mapped[bool | None]
    renewal_notice_days: Mapped[int | None] = mapped_column(Integer)
    notice_deadline: Mapped[date | None] = mapped_column(Date)
    payment_net_days: Mapped[int | None] = mapped_column(Integer)
    clause_types: Mapped[list[Any] | None]
    # The clause-type model's decision per type: {type: {present, confidence, segments}}.
    clause_presence: Mapped[dict[str, Any] | None]


class SegmentRow(Base):
    __tablename__ = "contract_segments"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    idx: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(50))
    heading: Mapped[str | None] = mapped_column(Text)
    types: Mapped[list[Any]]


class ClauseRow(Base):
    __tablename__ = "contract_clauses"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(100), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    segment: Mapped[int] = mapped_column(Integer)


class TermRow(Base):
    __tablename__ = "contract_terms"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(50))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)


class VectorRow(Base):
    """One point of a contract, as the worker computed it. Deleted in the transaction that
    marks the contract ready, so a row here means "not yet in the vector store"."""

    __tablename__ = "contract_vectors"

    contract_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    point_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dense: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    sparse: Mapped[dict[str, Any]] = mapped_column(JSON)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
