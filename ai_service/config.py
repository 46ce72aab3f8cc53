"""All configuration in one place: `CLAUSEWISE_*` environment variables (or a `.env` file)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAUSEWISE_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path("data")
    # Default: a SQLite file in the data directory. Production: postgresql+psycopg://...
    database_url: str | None = None
    # Unset: Qdrant Edge in the data directory. Set: a Qdrant server or cluster.
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    # Directory of a sentence-transformers model; unset: the bundled all-MiniLM-L6-v2.
    embedding_model_path: Path | None = None
    library_dir: Path | None = None  # unset: the library shipped in clause_index/library

    # Optional OpenAI-compatible endpoint (OpenAI, vLLM, Ollama). Unset: grounded mode only.
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_s: float = Field(default=20.0, gt=0)

    max_request_bytes: int = Field(default=1_048_576, ge=1024)  # JSON bodies
    max_upload_bytes: int = Field(default=50 * 1_048_576, ge=1024)  # contract uploads

    # Contract-processing threads per process; two, so one slow document does not stall all.
    workers: int = Field(default=2, ge=0, le=32)
    document_time_budget_s: float = Field(default=300.0, gt=0)  # per contract, then it fails
    max_pages: int = Field(default=500, ge=1)
    wait_timeout_s: float = Field(default=300.0, gt=0)  # for ?wait=true uploads

    # CRM and billing records: the CSV mapping file (unset: deals/mapping.yaml).
    deals_mapping: Path | None = None
    # Outgoing webhooks. public_url: how others reach this service (refused as a webhook URL).
    public_url: str | None = None
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=60)
    webhook_max_attempts: int = Field(default=8, ge=1, le=50)
    webhook_backoff_s: float = Field(default=10.0, ge=0)  # doubles after each failure
    webhook_poll_s: float = Field(default=2.0, gt=0)
    webhook_scheduler_interval_s: float = Field(default=300.0, gt=0)  # deadline scan

    bootstrap_admin_key: SecretStr | None = None
    cuad_dir: Path = Path("../shared/cuad")
    log_level: str = "INFO"

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'clausewise.db').resolve()}"
