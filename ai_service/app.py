"""The FastAPI application: wiring only. Routes are thin; the work is in the domain packages."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ai_service import errors, web
from ai_service.auth import ensure_admin
from ai_service.config import Settings
from ai_service.limits import BodyLimitMiddleware
from ai_service.routes import (
    admin,
    ask,
    calendar,
    clauses,
    contracts,
    deals,
    health,
    review,
    webhooks,
)
from ai_service.services import Services
from ai_service.text_guard import TextGuardMiddleware
from clause_index import Library, LibraryIndex, cuad_type_map, load_library
from deals import DealService
from drafting import Assistant, LlmClient
from extraction import Analysis, Archive, ArchiveIndex, BlobStore
from lifecycle import LifecycleService
from retrieval import Embedder, SparseEncoder, VectorStore, open_store
from review import ReviewService
from storage import Database
from webhooks import WebhookService

log = logging.getLogger("clausewise")

_embedder: Embedder | None = None


def shared_embedder(settings: Settings) -> Embedder:
    """One model per process: loading it costs seconds and hundreds of MB."""
    global _embedder
    if _embedder is None:
        _embedder = Embedder(settings.embedding_model_path)
    return _embedder


def build_services(
    settings: Settings, embedder: Embedder | None = None, store: VectorStore | None = None
) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    db.migrate()
    first_key = ensure_admin(
        db,
        settings.bootstrap_admin_key.get_secret_value() if settings.bootstrap_admin_key else None,
    )
    embedder = embedder or shared_embedder(settings)
    store = store or open_store(
        settings.data_dir,
        settings.qdrant_url,
        settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None,
    )
    sparse = SparseEncoder()
    library = Library(db, LibraryIndex(store, embedder, sparse))
    library.startup(load_library(settings.library_dir))
    archive = Archive(
        db,
        ArchiveIndex(store, embedder, sparse),
        BlobStore(settings.data_dir / "blobs"),
        type_map=library.read(cuad_type_map),
        time_budget_s=settings.document_time_budget_s,
        max_pages=settings.max_pages,
    )
    archive.question_types = library.question_types
    reviewer = ReviewService(db, embedder=embedder)
    lifecycle = LifecycleService(db)
    hooks = build_webhooks(settings, db)
    deal_service = DealService(db, settings.deals_mapping)
    reviewer.listeners.append(hooks.emit)
    deal_service.listeners.append(hooks.emit)

    def on_ready(cid: str, analysis: Analysis) -> None:
        try:
            lifecycle.on_ready(cid)  # the calendar's stored events
        except Exception:
            log.exception("timeline of contract %s failed", cid)
        hooks.emit_now("contract.ready", {"contract_id": cid}, cid)
        reviewer.review_contract(cid, analysis=analysis)

    archive.on_ready = on_ready
    archive.startup()
    llm = None
    if settings.llm_base_url and settings.llm_model:
        llm = LlmClient(
            settings.llm_base_url,
            settings.llm_api_key,
            settings.llm_model,
            settings.llm_timeout_s,
        )
    assistant = Assistant(library, reviewer, embedder, archive, llm)
    return Services(
        settings=settings,
        db=db,
        embedder=embedder,
        store=store,
        library=library,
        archive=archive,
        review=reviewer,
        assistant=assistant,
        lifecycle=lifecycle,
        deals=deal_service,
        webhooks=hooks,
        first_admin_key=first_key,
    )


def build_webhooks(settings: Settings, db: Database) -> WebhookService:
    return WebhookService(
        db,
        service_port=settings.port,
        public_url=settings.public_url,
        timeout_s=settings.webhook_timeout_s,
        max_attempts=settings.webhook_max_attempts,
        backoff_s=settings.webhook_backoff_s,
        poll_s=settings.webhook_poll_s,
        scheduler_interval_s=settings.webhook_scheduler_interval_s,
    )


def _calendar_upkeep(services: Services, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            if services.lifecycle is not None:
                services.lifecycle.backfill(should_stop=stop.is_set)
        except Exception:
            log.exception("calendar upkeep failed")
        stop.wait(24 * 3600)


def create_app(
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = build_services(settings, embedder, store)
        app.state.services = services
        if services.first_admin_key:
            # Printed once: only its hash is stored.
            print(
                f"\n  First start: admin API key (shown once, keep it safe):\n"
                f"    {services.first_admin_key}\n",
                flush=True,
            )
        services.archive.start_workers(settings.workers)
        if settings.workers:
            services.webhooks.start()  # deliveries and the deadline scheduler
        # The assistant's caches take seconds to build: in the background, not on a request.
        stop_warming = threading.Event()
        warming = threading.Thread(
            target=services.assistant.warm, args=(stop_warming,), name="assistant-warm"
        )
        warming.start()
        # Contracts stored before the calendar existed get events; windows older than 30 days
        # are re-anchored, at start and then daily.
        stop_calendar = threading.Event()
        backfill = threading.Thread(
            target=_calendar_upkeep, args=(services, stop_calendar), name="calendar-upkeep"
        )
        backfill.start()
        try:
            yield
        finally:
            stop_warming.set()
            stop_calendar.set()
            warming.join()
            backfill.join(timeout=30)
            services.archive.stop_workers()
            services.webhooks.close()
            services.store.close()
            services.db.dispose()

    app = FastAPI(
        title="Clausewise",
        version="0.1.0",
        summary="Contract drafting and review on your own machines",
        description=(
            "Authenticate with `Authorization: Bearer <key>`. Roles: `rep` (search, ask), "
            "`legal` (also edit the library, decide on flags, read the audit log), `admin` "
            '(also manage keys). Errors are JSON: `{"error": {"code", "message"}}`.'
        ),
        lifespan=lifespan,
        responses=errors.ERROR_RESPONSES,
    )
    errors.install(app)
    # Added first, so it runs inside the body limit: it buffers only bodies the limit allowed.
    app.add_middleware(
        TextGuardMiddleware, multipart_checked_by_route=("/v1/contracts", web.UPLOAD_PATH)
    )
    app.add_middleware(
        BodyLimitMiddleware,
        default_limit=settings.max_request_bytes,
        upload_limit=settings.max_upload_bytes,
        upload_paths=("/v1/contracts", web.UPLOAD_PATH, "/v1/deals/import"),
    )
    app.include_router(health.router)
    app.include_router(clauses.router)
    app.include_router(contracts.router)
    app.include_router(review.router)
    app.include_router(ask.router)
    app.include_router(admin.router)
    app.include_router(calendar.router)
    app.include_router(deals.router)
    app.include_router(webhooks.router)
    web.install(app)  # the web pages (server-rendered, cookie sign-in)
    return app
