from __future__ import annotations

from fastapi import APIRouter, Query

from ai_service.deps import Legal, Rep, ServicesDep
from clause_index import (
    Clause,
    ClauseCreate,
    ClauseUpdate,
    ClauseVersion,
    SearchHit,
    SearchRequest,
)
from clause_index import service as library_service
from clause_index.schema import PositionKind

router = APIRouter(prefix="/v1/clauses", tags=["clause library"])


@router.get("", response_model=list[Clause], summary="List the library's clauses")
def list_clauses(
    services: ServicesDep,
    _: Rep,
    clause_type: str | None = Query(default=None, max_length=100),
    position: PositionKind | None = None,
    include_retired: bool = False,
) -> list[Clause]:
    return services.library.read(
        lambda s: library_service.list_clauses(s, clause_type, position, include_retired)
    )


@router.post("", response_model=Clause, status_code=201, summary="Add a clause (legal)")
def create_clause(body: ClauseCreate, services: ServicesDep, who: Legal) -> Clause:
    return services.library.create(body, who.actor)


@router.post("/search", response_model=list[SearchHit], summary="Hybrid semantic search")
def search(body: SearchRequest, services: ServicesDep, _: Rep) -> list[SearchHit]:
    return services.library.search(body)


@router.get("/{clause_id}", response_model=Clause, summary="One clause, current version")
def get_clause(clause_id: str, services: ServicesDep, _: Rep) -> Clause:
    return services.library.read(lambda s: library_service.get_clause(s, clause_id))


@router.put("/{clause_id}", response_model=Clause, summary="Edit a clause as a new version")
def update_clause(clause_id: str, body: ClauseUpdate, services: ServicesDep, who: Legal) -> Clause:
    return services.library.update(clause_id, body, who.actor)


@router.delete("/{clause_id}", response_model=Clause, summary="Retire a clause (kept, not deleted)")
def retire_clause(clause_id: str, services: ServicesDep, who: Legal) -> Clause:
    return services.library.retire(clause_id, who.actor)


@router.get(
    "/{clause_id}/versions",
    response_model=list[ClauseVersion],
    summary="Every version of a clause, oldest first",
)
def versions(clause_id: str, services: ServicesDep, _: Rep) -> list[ClauseVersion]:
    return services.library.read(lambda s: library_service.list_versions(s, clause_id))
