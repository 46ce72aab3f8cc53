"""The web interface: server-rendered pages over the same services as the JSON API.

Sign in at `/login` with an API key; the key is kept encrypted in an http-only cookie."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ai_service.web import upcoming
from ai_service.web.reconcile_pages import router as reconcile_router
from ai_service.web.routes import STATIC_DIR, UPLOAD_PATH, install_handlers, router

__all__ = ["UPLOAD_PATH", "install"]


def install(app: FastAPI) -> None:
    """Add the pages, their static files and their error handling to the application."""
    app.include_router(router)
    app.include_router(reconcile_router)
    app.include_router(upcoming.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    install_handlers(app)
