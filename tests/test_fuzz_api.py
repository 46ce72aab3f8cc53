"""The API fuzzed from its own OpenAPI schema, against a real service on each database.

Bounded for CI: a fixed number of examples per operation and a fixed seed. The longer run is
`clausewise fuzz --minutes 30` (add `--database-url` for PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ai_service.config import Settings
from ai_service.fuzz import run_fuzz

pytest.importorskip("schemathesis")

CI_EXAMPLES = 5
CI_SEED = 20261130


def _cuad() -> Path | None:
    path = Settings(_env_file=None).cuad_dir  # type: ignore[call-arg]
    return path if (path / "pdf").is_dir() else None


def _fuzz(tmp_path: Path, database_url: str | None) -> None:
    report = run_fuzz(
        database_url=database_url,
        max_examples=CI_EXAMPLES,
        seed=CI_SEED,
        documents=10,
        cuad_dir=_cuad(),
        work_dir=tmp_path,
    )
    print(report.render())
    assert report.api.server_errors == 0, report.api.output_tail
    assert report.uploads.server_errors == 0
    assert report.uploads.left_unfinished == [], report.render()
    assert report.uploads.undocumented == [], report.render()
    assert report.api.exit_code == 0, report.api.output_tail
    assert report.uploads.outcomes, "no upload was tried"


@pytest.mark.fuzz
def test_fuzz_on_sqlite(tmp_path: Path) -> None:
    _fuzz(tmp_path, None)


@pytest.mark.fuzz
@pytest.mark.postgres
@pytest.mark.slow
def test_fuzz_on_postgres(tmp_path: Path, pg_url: str) -> None:
    """The same run on PostgreSQL: only with CLAUSEWISE_SLOW_TESTS=1, to keep CI short (the
    API's validation does not depend on the database; the hostile uploads are also run on
    PostgreSQL by tests/test_hostile_inputs.py in every run)."""
    if not os.environ.get("CLAUSEWISE_SLOW_TESTS"):
        pytest.skip("slow: set CLAUSEWISE_SLOW_TESTS=1 (or run `clausewise fuzz --database-url`)")
    _fuzz(tmp_path, pg_url)
