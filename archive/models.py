"""Rows of the job hand-over: vectors a worker finished, waiting for the store's owner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base


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
