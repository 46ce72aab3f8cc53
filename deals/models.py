"""Database rows of CRM and billing records (one per source and external id)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base, utcnow


class DealRow(Base):
    __tablename__ = "deal_records"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_deal_records_source_external"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    customer: Mapped[str] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Float)
    amount_period: Mapped[str | None] = mapped_column(String(20))
    currency: Mapped[str | None] = mapped_column(String(3))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    term_months: Mapped[int | None] = mapped_column(Integer)
    billing_frequency: Mapped[str | None] = mapped_column(String(20))
    payment_net_days: Mapped[int | None] = mapped_column(Integer)
    discount_percent: Mapped[float | None] = mapped_column(Float)
    discount_end_date: Mapped[date | None] = mapped_column(Date)
    escalation_percent: Mapped[float | None] = mapped_column(Float)
    auto_renew: Mapped[bool | None]
    status: Mapped[str] = mapped_column(String(20))
    contract_id: Mapped[str | None] = mapped_column(
        ForeignKey("contracts.id", ondelete="SET NULL"), index=True
    )
    linked_by: Mapped[str | None] = mapped_column(String(200))
    imported_from: Mapped[str | None] = mapped_column(String(50))
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
