"""The editable mapping file: export headers -> record fields, per CSV format."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_MAPPING = Path(__file__).resolve().parent / "mapping.yaml"

FIELDS = (
    "external_id",
    "customer",
    "amount",
    "currency",
    "start_date",
    "end_date",
    "term_months",
    "billing_frequency",
    "interval_count",
    "payment_net_days",
    "discount_percent",
    "discount_end_date",
    "escalation_percent",
    "auto_renew",
    "status",
    "amount_period",
)
REQUIRED = ("external_id", "customer")


class MappingError(ValueError):
    pass


class FormatMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = ""
    source: Literal["crm", "billing"]
    detect: list[str] = Field(min_length=1)
    columns: dict[str, str]
    ignore: list[str] = Field(default_factory=list)
    defaults: dict[str, Any] = Field(default_factory=dict)
    values: dict[str, dict[str, Any]] = Field(default_factory=dict)
    date_formats: list[str] = Field(default_factory=list)
    amount_scale: float = 1.0

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, v: dict[str, str]) -> dict[str, str]:
        bad = sorted({f for f in v.values() if f not in FIELDS})
        if bad:
            raise ValueError(f"unknown record field(s) {bad}; fields are {list(FIELDS)}")
        missing = [f for f in REQUIRED if f not in v.values()]
        if missing:
            raise ValueError(f"no column maps to the required field(s) {missing}")
        return v

    def matches(self, headers: list[str]) -> bool:
        have = {h.strip().lower() for h in headers}
        return all(d.lower() in have for d in self.detect)


class MappingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    formats: dict[str, FormatMapping]


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> MappingFile:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return MappingFile.model_validate(data)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise MappingError(f"mapping file {path}: {exc}") from exc


def load_mapping(path: Path | None = None) -> MappingFile:
    """Read (and validate) the mapping file; re-read when it changes on disk."""
    p = (path or DEFAULT_MAPPING).resolve()
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise MappingError(f"mapping file {p} cannot be read: {exc}") from exc
    return _load(str(p), mtime)
