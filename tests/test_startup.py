"""Start-up in the background: the port answers at once, `/healthz` says `starting` until the
model and the library are loaded, and other requests get 503 `starting` meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import ai_service.app
from ai_service import create_app
from retrieval import Embedder
from tests.conftest import ADMIN_KEY, settings_for


def test_healthz_says_starting_until_ready(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    go = threading.Event()
    real = ai_service.app.build_services

    def slow_build(*a: Any, **kw: Any) -> Any:
        go.wait(60)  # the model and the library are "loading" until the test lets them
        return real(*a, **kw)

    monkeypatch.setattr(ai_service.app, "build_services", slow_build)
    app = create_app(settings_for(tmp_path / "data"), embedder=embedder, background_start=True)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/healthz")
        assert r.status_code == 503 and r.json()["status"] == "starting"
        r = client.get("/v1/clauses", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "starting"
        go.set()
        deadline = time.monotonic() + 1200  # a cold library index takes minutes on a busy CPU
        while client.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert client.get("/healthz").json()["status"] == "ok"
        r = client.get("/v1/clauses", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        assert r.status_code == 200
