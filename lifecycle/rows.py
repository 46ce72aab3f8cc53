"""Database rows of the lifecycle: stored events (what the calendar reads), amendment links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base, utcnow


class TimelineRow(Base):
    """When a contract's events were last computed, and the notes on what was not."""

    __tablename__ = "contract_timelines"

    contract_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    computed_for: Mapped[dt.date] = mapped_column(Date)  # the `today` the windows were anchored on
    notes: Mapped[list[Any]] = mapped_column(JSON)


class EventRow(Base):
    __tablename__ = "contract_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    evidence: Mapped[list[Any]] = mapped_column(JSON)


class AmendmentRow(Base):
    __tablename__ = "contract_amendments"
    __table_args__ = (
        UniqueConstraint("amendment_id", "parent_id", name="uq_contract_amendments_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    amendment_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[str] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))  # suggested | confirmed
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
