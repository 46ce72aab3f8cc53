"""The FastAPI application: wiring only. Routes are thin; the work is in the domain packages."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

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
from ai_service.startup import StartingMiddleware, StartupState
from ai_service.text_guard import TextGuardMiddleware
from ai_service.workers import build_webhooks, start_processing
from archive import Archive, ArchiveIndex, BlobStore
from clause_index import Library, LibraryIndex, cuad_type_map, load_library
from deals import DealService
from drafting import Assistant, LlmClient
from lifecycle import LifecycleService
from retrieval import Embedder, SparseEncoder, VectorStore, open_store
from review import ReviewService
from storage import Database

log = logging.getLogger("clausewise")

_embedder: Embedder | None = None


def shared_embedder(settings: Settings) -> Embedder:
    """One model per process: loading it costs seconds and hundreds of MB."""
    global _embedder
    if _embedder is None:
        _embedder = make_embedder(settings)
    return _embedder


def make_embedder(settings: Settings, threads: int | None = None) -> Embedder:
    return Embedder(
        settings.embedding_model_path,
        backend=settings.embedding_backend,
        onnx_cache_dir=settings.data_dir / "models",
        threads=threads,
    )


def build_services(
    settings: Settings,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
    say: Callable[[str], None] | None = None,
    load_model: bool = True,
) -> Services:
    """`load_model=False`: the model is loaded only if something here needs it (the library
    changed, a thread worker embeds); a bulk import whose workers are processes of their own
    then starts without it."""
    say = say or (lambda _: None)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    say(f"database: {settings.resolved_database_url.split('@')[-1]} (migrating)")
    db = Database(settings.resolved_database_url)
    db.migrate()
    first_key = ensure_admin(
        db,
        settings.bootstrap_admin_key.get_secret_value() if settings.bootstrap_admin_key else None,
    )
    embedder = embedder or shared_embedder(settings)
    if load_model:
        say("loading the embedding model")
        embedder.load()
    say("opening the vector store")
    store = store or open_store(
        settings.data_dir,
        settings.qdrant_url,
        settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None,
    )
    sparse = SparseEncoder()
    library = Library(db, LibraryIndex(store, embedder, sparse))
    say("library: indexing what changed")
    library.startup(load_library(settings.library_dir))
    archive = Archive(
        db,
        ArchiveIndex(store, embedder, sparse),
        BlobStore(settings.data_dir / "blobs"),
        type_map=library.read(cuad_type_map),
    )
    archive.question_types = library.question_types
    reviewer = ReviewService(db, embedder=embedder)
    lifecycle = LifecycleService(db)
    hooks = build_webhooks(settings, db)
    deal_service = DealService(db, settings.deals_mapping)
    reviewer.listeners.append(hooks.emit)
    deal_service.listeners.append(hooks.emit)
    say("archive: checking the index")
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
    background_start: bool = False,
) -> FastAPI:
    """`background_start`: the port answers at once (`/healthz` says `starting`) while the
    model and the library load."""
    settings = settings or Settings()

    state = StartupState()
    echo = background_start  # `clausewise serve` says what it is doing; tests stay quiet

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        held: dict[str, Any] = {}
        stop_warming = threading.Event()
        stop_calendar = threading.Event()

        def start() -> None:
            try:
                services = build_services(
                    settings, embedder, store, say=lambda step: state.say(step, echo)
                )
                held["services"] = app.state.services = services
                if services.first_admin_key:
                    # Printed once: only its hash is stored.
                    print(
                        f"\n  First start: admin API key (shown once, keep it safe):\n"
                        f"    {services.first_admin_key}\n",
                        flush=True,
                    )
                state.say(f"starting {settings.workers} worker(s) ({settings.worker_mode})", echo)
                held["processing"] = start_processing(services)
                # `clausewise serve` calls it on SIGTERM: workers stop while requests drain.
                app.state.begin_stop = held["processing"].begin_stop
                if settings.workers:
                    services.webhooks.start()  # deliveries and the deadline scheduler
                    held["webhooks"] = services.webhooks
                # Contracts stored before the calendar existed get events; windows older than
                # 30 days are re-anchored, at start and then daily.
                upkeep = threading.Thread(
                    target=_calendar_upkeep,
                    args=(services, stop_calendar),
                    name="calendar-upkeep",
                    daemon=True,
                )
                upkeep.start()
                held["upkeep"] = upkeep
                # The assistant's caches take seconds to build: in the background.
                warming = threading.Thread(
                    target=services.assistant.warm, args=(stop_warming,), name="assistant-warm"
                )
                warming.start()
                held["warming"] = warming
                state.ready = True
                state.say("ready", echo)
            except Exception as exc:
                state.error = f"start-up failed: {type(exc).__name__}: {exc}"
                log.exception("start-up failed")

        starter = None
        if background_start:
            starter = threading.Thread(target=start, name="clausewise-start", daemon=True)
            starter.start()
        else:
            start()
            if state.error:
                raise RuntimeError(state.error)
        try:
            yield
        finally:
            if starter is not None:
                starter.join(timeout=60)
            stop_warming.set()
            stop_calendar.set()
            # Workers first: they have the most to do (put their contract back, exit). The
            # stop is bounded (workers.STOP_DEADLINE_S); what follows waits a little at most.
            store_free = held["processing"].stop() if "processing" in held else True
            for name in ("warming", "upkeep"):
                if name in held:
                    held[name].join(timeout=2.0)
            if "webhooks" in held:
                held["webhooks"].close()
            if "services" in held:
                if store_free:
                    held["services"].store.close()
                else:  # an HNSW build in hand holds the store: the next start redoes it
                    log.warning("the indexer is still busy; the vector store is left as is")
                held["services"].db.dispose()

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
    app.add_middleware(StartingMiddleware, state=state)
    return app
