"""Database rows of the review: the latest review per contract, flags, decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base, utcnow


class ReviewRow(Base):
    __tablename__ = "contract_reviews"

    contract_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    library_key: Mapped[str] = mapped_column(String(64))
    matches: Mapped[list[Any]]
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[str] = mapped_column(String(200))


class FlagRow(Base):
    __tablename__ = "review_flags"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    contract_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    fingerprint: Mapped[str] = mapped_column(String(32))
    rule_id: Mapped[str] = mapped_column(String(200))
    clause_type: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(20))
    # A flag the latest review no longer raises is kept (its decisions are history) but hidden.
    active: Mapped[bool]
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DecisionRow(Base):
    __tablename__ = "flag_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    flag_id: Mapped[str] = mapped_column(
        ForeignKey("review_flags.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(20))
    # The approver the decision was recorded for; None (decisions before migration 0005): the
    # whole flag, every approver.
    approver: Mapped[str | None] = mapped_column(String(50), default=None)
    comment: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
