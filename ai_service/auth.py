"""API keys and roles. Roles nest: admin can do all legal can, legal all a rep can."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_service.models import ApiKeyRow
from storage import Database, record_audit
from storage.db import utcnow


class Role(StrEnum):
    rep = "rep"
    legal = "legal"
    admin = "admin"


_RANK = {Role.rep: 0, Role.legal: 1, Role.admin: 2}


def allows(have: Role, need: Role) -> bool:
    return _RANK[have] >= _RANK[need]


class Principal(BaseModel):
    key_id: str
    name: str
    role: Role

    @property
    def actor(self) -> str:
        return f"key:{self.key_id} ({self.name}, {self.role.value})"


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    role: Role


class KeyInfo(BaseModel):
    id: str
    name: str
    role: Role
    prefix: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


class NewKey(KeyInfo):
    key: str = Field(description="Shown once; only its hash is stored")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> str:
    return "cw_" + secrets.token_urlsafe(32)


def _info(row: ApiKeyRow) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        prefix=row.prefix,
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
    )


def create_key(
    session: Session, name: str, role: Role, actor: str, key: str | None = None
) -> NewKey:
    key = key or generate_key()
    row = ApiKeyRow(
        id=secrets.token_hex(8),
        name=name,
        role=role.value,
        key_hash=hash_key(key),
        prefix=key[:10],
        created_by=actor,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    info = _info(row)
    record_audit(
        session,
        actor=actor,
        action="key.create",
        entity_type="api_key",
        entity_id=row.id,
        after=info.model_dump(mode="json"),
    )
    return NewKey(**info.model_dump(), key=key)


def list_keys(session: Session) -> list[KeyInfo]:
    return [_info(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at))]


def revoke_key(session: Session, key_id: str, actor: str) -> KeyInfo | None:
    row = session.get(ApiKeyRow, key_id)
    if row is None:
        return None
    before = _info(row).model_dump(mode="json")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    after = _info(row)
    record_audit(
        session,
        actor=actor,
        action="key.revoke",
        entity_type="api_key",
        entity_id=row.id,
        before=before,
        after=after.model_dump(mode="json"),
    )
    return after


def authenticate(session: Session, key: str) -> Principal | None:
    row = session.scalars(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(key))).first()
    if row is None or row.revoked_at is not None:
        return None
    return Principal(key_id=row.id, name=row.name, role=Role(row.role))


def ensure_admin(db: Database, bootstrap_key: str | None) -> str | None:
    """Make sure an admin can get in. Returns a newly generated key (to print once), else None."""
    with db.session() as s:
        if bootstrap_key:
            if authenticate(s, bootstrap_key) is None:
                create_key(s, "bootstrap admin", Role.admin, "system:bootstrap", key=bootstrap_key)
            return None
        has_admin = s.scalars(
            select(ApiKeyRow).where(
                ApiKeyRow.role == Role.admin.value, ApiKeyRow.revoked_at.is_(None)
            )
        ).first()
        if has_admin is not None:
            return None
        return create_key(s, "first admin", Role.admin, "system:first-start").key
