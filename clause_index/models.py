"""Database rows of the library. Every edit adds a version row; nothing is overwritten."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base, utcnow


class ClauseTypeRow(Base):
    __tablename__ = "clause_types"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    current_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="active")
    # Hash of the library file last imported, so an edited file becomes a new version.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClauseTypeVersionRow(Base):
    __tablename__ = "clause_type_versions"
    __table_args__ = (UniqueConstraint("type_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    type_id: Mapped[str] = mapped_column(ForeignKey("clause_types.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    # name, description, aliases, cuad_categories, guidance, required, parameters, rules
    data: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))  # "library-file", "api" or "web"
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClauseRow(Base):
    __tablename__ = "clauses"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    type_id: Mapped[str] = mapped_column(ForeignKey("clause_types.id"), index=True)
    current_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | retired
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClauseVersionRow(Base):
    __tablename__ = "clause_versions"
    __table_args__ = (UniqueConstraint("clause_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    clause_id: Mapped[str] = mapped_column(ForeignKey("clauses.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    type_version: Mapped[int] = mapped_column(Integer)
    position: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(Text)
    # when_to_use, parameter overrides, approval
    data: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
