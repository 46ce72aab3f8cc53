"""All configuration in one place: `CLAUSEWISE_*` environment variables (or a `.env` file)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

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
    # "torch" (fp32), or ONNX Runtime: "onnx-int8" (exported and quantized once, cached under
    # data_dir/models) or "onnx-fp32".
    embedding_backend: Literal["torch", "onnx-int8", "onnx-fp32"] = "torch"
    library_dir: Path | None = None  # unset: the library shipped in clause_index/library

    # Optional OpenAI-compatible endpoint (OpenAI, vLLM, Ollama). Unset: grounded mode only.
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_s: float = Field(default=20.0, gt=0)

    max_request_bytes: int = Field(default=1_048_576, ge=1024)  # JSON bodies
    max_upload_bytes: int = Field(default=50 * 1_048_576, ge=1024)  # contract uploads

    # Contract-processing worker processes the service starts (0: none here; run
    # `clausewise worker` elsewhere). Two, so one slow document does not stall all.
    workers: int = Field(default=2, ge=0, le=32)
    # "thread": workers inside the API process (tests, one-off tools). "process": their own.
    worker_mode: Literal["process", "thread"] = "process"
    worker_threads: int = Field(default=1, ge=1, le=64)  # model threads per worker process
    worker_nice: int = Field(default=10, ge=0, le=19)  # requests before documents on the CPU
    lease_s: float = Field(default=30.0, ge=1)  # a job whose heartbeat stops is retried after
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

    def as_env(self) -> dict[str, str]:
        """These settings as `CLAUSEWISE_*` variables, for the worker processes started here."""
        out: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, bool):
                value = "true" if value else "false"
            out[f"CLAUSEWISE_{name.upper()}"] = str(value)
        out["CLAUSEWISE_DATABASE_URL"] = self.resolved_database_url
        return out

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'clausewise.db').resolve()}"
