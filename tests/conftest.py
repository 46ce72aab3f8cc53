from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ai_service import Settings, create_app
from retrieval import Embedder, VectorStore

ADMIN_KEY = "cw_test_admin_key_0123456789"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    # The model loads once for the whole test session (it takes seconds).
    return Embedder()


def settings_for(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "bootstrap_admin_key": ADMIN_KEY,
        "qdrant_url": None,
        "database_url": None,
        "llm_base_url": None,
        "worker_mode": "thread",  # the session's model, no worker processes to start
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class Api:
    """A started service plus keys for each role."""

    def __init__(self, client: TestClient, admin_key: str = ADMIN_KEY) -> None:
        self.client = client
        self.admin = {"Authorization": f"Bearer {admin_key}"}

    @cached_property
    def legal(self) -> dict[str, str]:
        return self._key("legal")

    @cached_property
    def rep(self) -> dict[str, str]:
        return self._key("rep")

    def _key(self, role: str) -> dict[str, str]:
        r = self.client.post(
            "/v1/keys", json={"name": f"test {role}", "role": role}, headers=self.admin
        )
        assert r.status_code == 201, r.text
        return {"Authorization": f"Bearer {r.json()['key']}"}

    @property
    def services(self) -> Any:
        return self.client.app.state.services  # type: ignore[attr-defined]


StartApi = Callable[..., Any]


@pytest.fixture
def start_api(embedder: Embedder, tmp_path: Path) -> Iterator[StartApi]:
    """Start a service on a data directory; callers use it as a context manager."""
    from contextlib import contextmanager

    @contextmanager
    def start(
        data_dir: Path | None = None, store: VectorStore | None = None, **overrides: Any
    ) -> Iterator[Api]:
        settings = settings_for(data_dir or tmp_path / "data", **overrides)
        app = create_app(settings, embedder=embedder, store=store)
        # 500s are answered as JSON like in production, not raised into the test.
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Api(client)
            # Whatever the test did through the service, the audit chain still verifies.
            from storage import verify_chain

            chain = verify_chain(client.app.state.services.db.engine)  # type: ignore[attr-defined]
            assert chain.ok, f"audit chain broken at row {chain.broken_id}: {chain.problem}"

    yield start


@pytest.fixture
def api(start_api: StartApi) -> Iterator[Api]:
    with start_api() as a:
        yield a


@pytest.fixture(scope="session")
def ask_api(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One service for every test module whose tests only ask the assistant (never write):
    its start-up (the library indexed, caches warmed) is paid once per run, not per module."""
    app = create_app(settings_for(tmp_path_factory.mktemp("ask-api")), embedder=embedder)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client)


def ask(api: Api, question: str) -> dict[str, Any]:
    """The assistant's answer to a rep's question, as JSON."""
    r = api.client.post("/v1/ask", json={"question": question}, headers=api.rep)
    assert r.status_code == 200, r.text
    return dict(r.json())


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL with a private schema, dropped afterwards; skips without a server."""
    base = os.environ.get("CLAUSEWISE_TEST_DATABASE_URL")
    if not base:
        pytest.skip("CLAUSEWISE_TEST_DATABASE_URL is not set (no PostgreSQL configured)")
    import sqlalchemy as sa

    schema = f"cw_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
