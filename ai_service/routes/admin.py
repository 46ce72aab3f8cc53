from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select

from ai_service.auth import KeyCreate, KeyInfo, NewKey, create_key, list_keys, revoke_key
from ai_service.deps import Admin, Legal, ServicesDep
from ai_service.errors import ApiError
from storage import AuditEntry

router = APIRouter(tags=["administration"])


@router.post("/v1/keys", response_model=NewKey, status_code=201, summary="Create an API key")
def new_key(body: KeyCreate, services: ServicesDep, who: Admin) -> NewKey:
    with services.db.session() as s:
        return create_key(s, body.name, body.role, who.actor)


@router.get("/v1/keys", response_model=list[KeyInfo], summary="List API keys (never the keys)")
def keys(services: ServicesDep, _: Admin) -> list[KeyInfo]:
    with services.db.session() as s:
        return list_keys(s)


@router.delete("/v1/keys/{key_id}", response_model=KeyInfo, summary="Revoke an API key")
def revoke(key_id: str, services: ServicesDep, who: Admin) -> KeyInfo:
    with services.db.session() as s:
        info = revoke_key(s, key_id, who.actor)
    if info is None:
        raise ApiError(404, "key_not_found", f"No API key with id {key_id!r}.")
    return info


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@router.get(
    "/v1/audit",
    response_model=list[AuditOut],
    tags=["audit"],
    summary="The append-only audit log, newest first",
)
def audit(
    services: ServicesDep,
    _: Legal,
    entity_type: str | None = Query(default=None, max_length=100),
    entity_id: str | None = Query(default=None, max_length=300),
    actor: str | None = Query(default=None, max_length=200),
    before_id: int | None = Query(
        default=None, ge=1, le=2**31 - 1, description="Page: entries older than this"
    ),
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[AuditOut]:
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity_type:
        stmt = stmt.where(AuditEntry.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    if before_id:
        stmt = stmt.where(AuditEntry.id < before_id)
    with services.db.session() as s:
        return [AuditOut.model_validate(e, from_attributes=True) for e in s.scalars(stmt)]
