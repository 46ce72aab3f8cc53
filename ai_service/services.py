"""The service's wiring: what one process holds for its lifetime."""

from __future__ import annotations

from dataclasses import dataclass, field

from ai_service.config import Settings
from archive import Archive
from clause_index import Library
from deals import DealService
from drafting import Assistant
from lifecycle import LifecycleService
from retrieval import Embedder, VectorStore
from review import ReviewService
from storage import Database
from webhooks import WebhookService


@dataclass
class Services:
    settings: Settings
    db: Database
    embedder: Embedder
    store: VectorStore
    library: Library
    archive: Archive
    review: ReviewService
    assistant: Assistant
    deals: DealService
    webhooks: WebhookService
    lifecycle: LifecycleService | None = None
    first_admin_key: str | None = None
    extras: dict[str, object] = field(default_factory=dict)
