from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from ai_service.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="Liveness and readiness of the database and the vector store",
    responses={503: {"description": "Degraded: the same body, a check is not ok"}},
)
def healthz(services: ServicesDep) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        with services.db.session() as s:
            s.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        n = services.store.count(services.library.index.collection)
        checks["vector_store"] = "ok"
    except Exception as exc:
        n = -1
        checks["vector_store"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    body = {
        "status": "ok" if ok else "degraded",
        "checks": checks,
        "library_points": n,
        "vector_backend": "qdrant-server" if services.settings.qdrant_url else "qdrant-edge",
        "database_backend": services.db.engine.dialect.name,
        "llm": "configured"
        if services.settings.llm_base_url and services.settings.llm_model
        else "not configured (grounded mode)",
    }
    return JSONResponse(body, status_code=200 if ok else 503)
