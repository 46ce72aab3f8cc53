from __future__ import annotations

import pytest

from tests.conftest import Api

SEARCH = {"query": "liability cap", "top_k": 3}


def test_missing_and_wrong_key(api: Api) -> None:
    r = api.client.get("/v1/clauses")
    assert r.status_code == 401 and r.json()["error"]["code"] == "missing_api_key"
    r = api.client.get("/v1/clauses", headers={"Authorization": "Bearer cw_wrong"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_api_key"
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path", "body", "needs"),
    [
        ("get", "/v1/clauses", None, "rep"),
        ("post", "/v1/clauses/search", SEARCH, "rep"),
        ("get", "/v1/clauses/notices.standard/versions", None, "rep"),
        ("put", "/v1/clauses/notices.standard", {"title": "Notices by email"}, "legal"),
        ("delete", "/v1/clauses/notices.standard", None, "legal"),
        ("post", "/v1/clauses", {"clause_type": "x"}, "legal"),
        ("get", "/v1/audit", None, "legal"),
        ("get", "/v1/keys", None, "admin"),
        ("post", "/v1/keys", {"name": "n", "role": "rep"}, "admin"),
    ],
)
def test_role_boundaries(api: Api, method: str, path: str, body: dict | None, needs: str) -> None:
    order = ["rep", "legal", "admin"]
    for role in order:
        headers = getattr(api, role)
        kwargs = {"json": body} if body is not None else {}
        r = getattr(api.client, method)(path, headers=headers, **kwargs)
        if order.index(role) < order.index(needs):
            assert r.status_code == 403, (role, r.text)
            assert r.json()["error"]["code"] == "forbidden"
        else:
            assert r.status_code not in (401, 403), (role, r.text)


def test_revoked_key_is_refused(api: Api) -> None:
    r = api.client.post("/v1/keys", json={"name": "temp", "role": "rep"}, headers=api.admin)
    key, key_id = r.json()["key"], r.json()["id"]
    h = {"Authorization": f"Bearer {key}"}
    assert api.client.get("/v1/clauses", headers=h).status_code == 200
    assert api.client.delete(f"/v1/keys/{key_id}", headers=api.admin).status_code == 200
    assert api.client.get("/v1/clauses", headers=h).status_code == 401
    listed = api.client.get("/v1/keys", headers=api.admin).json()
    assert all("key" not in k for k in listed)
    assert api.client.delete("/v1/keys/nope", headers=api.admin).status_code == 404


def test_malformed_json(api: Api) -> None:
    r = api.client.post(
        "/v1/clauses/search",
        content=b'{"query": "x",',
        headers={**api.rep, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "malformed_json"


def test_unknown_fields(api: Api) -> None:
    r = api.client.post("/v1/clauses/search", json={**SEARCH, "topk": 3}, headers=api.rep)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "unknown_field" and "topk" in err["message"]
    r = api.client.post(
        "/v1/clauses/search", json={**SEARCH, "filters": {"colour": "red"}}, headers=api.rep
    )
    assert r.json()["error"]["code"] == "unknown_field"


@pytest.mark.parametrize("query", ["", "x" * 2001])
def test_empty_or_overlong_query(api: Api, query: str) -> None:
    r = api.client.post("/v1/clauses/search", json={"query": query}, headers=api.rep)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"
    assert "query" in r.json()["error"]["message"]


def test_bad_top_k(api: Api) -> None:
    r = api.client.post("/v1/clauses/search", json={"query": "cap", "top_k": 0}, headers=api.rep)
    assert r.status_code == 422


def test_body_over_limit(start_api) -> None:  # type: ignore[no-untyped-def]
    with start_api(max_request_bytes=4096) as api:
        big = {"query": "a" * 10_000}
        r = api.client.post("/v1/clauses/search", json=big, headers=api.rep)
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "payload_too_large"

        # Chunked (no Content-Length): counted while streaming.
        def gen():  # type: ignore[no-untyped-def]
            for _ in range(10):
                yield b"x" * 1000

        r = api.client.post(
            "/v1/clauses/search",
            content=gen(),
            headers={**api.rep, "Content-Type": "application/json"},
        )
        assert r.status_code == 413


def test_unknown_route_is_json(api: Api) -> None:
    r = api.client.get("/v1/nothing-here", headers=api.rep)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
