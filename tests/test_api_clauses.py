from __future__ import annotations

from typing import Any

from tests.conftest import Api

NEW_FALLBACK: dict[str, Any] = {
    "clause_type": "limitation_of_liability",
    "position_id": "fallback-enterprise",
    "title": "Cap at one and a half times fees for enterprise renewals",
    "text": "Neither party's aggregate liability under this Agreement will exceed "
    "{{cap_multiple}} times the fees paid in the {{lookback_months}} months before the "
    "claim, except for indemnification and confidentiality obligations.",
    "parameters": {"cap_multiple": {"default": 1.5, "max": 1.5}},
    "approval": {"approvers": ["legal", "finance"], "note": "Renewals above $500k only."},
}


def test_list_clauses_covers_the_library(api: Api) -> None:
    r = api.client.get("/v1/clauses", headers=api.rep)
    assert r.status_code == 200
    clauses = r.json()
    types = {c["clause_type"] for c in clauses}
    assert len(types) >= 30
    lol = [c for c in clauses if c["clause_type"] == "limitation_of_liability"]
    standard = next(c for c in lol if c["position"] == "standard")
    # Listed with the text rendered from defaults and the template with its parameters.
    assert "{{" in standard["template"] and "{{" not in standard["text"]
    assert standard["parameters"]["cap_multiple"]["default"] == 1
    assert "1 times the fees" in standard["text"]
    assert any(c["position"] == "fallback" and c["approval"] for c in lol)
    r = api.client.get(
        "/v1/clauses",
        params={"clause_type": "governing_law", "position": "standard"},
        headers=api.rep,
    )
    assert [c["id"] for c in r.json()] == ["governing_law.standard"]


def test_get_one_clause_and_unknown_id(api: Api) -> None:
    r = api.client.get("/v1/clauses/limitation_of_liability.standard", headers=api.rep)
    assert r.status_code == 200
    assert r.json()["version"] == 1
    assert "Cap On Liability" in r.json()["cuad_categories"]
    r = api.client.get("/v1/clauses/no_such.clause", headers=api.rep)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "clause_not_found"


def test_create_update_retire_keeps_every_version(api: Api) -> None:
    c = api.client
    r = c.post("/v1/clauses", json=NEW_FALLBACK, headers=api.legal)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert cid == "limitation_of_liability.fallback-enterprise"
    assert "1.5 times the fees" in r.json()["text"]

    r = c.put(
        f"/v1/clauses/{cid}", json={"title": "Enterprise renewal cap (1.5x)"}, headers=api.legal
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2
    versions = c.get(f"/v1/clauses/{cid}/versions", headers=api.rep).json()
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["title"] == NEW_FALLBACK["title"]
    assert versions[1]["title"] == "Enterprise renewal cap (1.5x)"

    r = c.delete(f"/v1/clauses/{cid}", headers=api.legal)
    assert r.status_code == 200 and r.json()["status"] == "retired"
    listed = [x["id"] for x in c.get("/v1/clauses", headers=api.rep).json()]
    assert cid not in listed
    listed = [
        x["id"]
        for x in c.get("/v1/clauses", params={"include_retired": True}, headers=api.rep).json()
    ]
    assert cid in listed
    # Versions survive retirement; a retired clause can't be edited.
    assert len(c.get(f"/v1/clauses/{cid}/versions", headers=api.rep).json()) == 2
    r = c.put(f"/v1/clauses/{cid}", json={"title": "x"}, headers=api.legal)
    assert r.status_code == 409


def test_create_validates_parameters_and_positions(api: Api) -> None:
    c = api.client
    bad = {**NEW_FALLBACK, "position_id": "fb-x", "text": NEW_FALLBACK["text"] + " {{nope}}"}
    r = c.post("/v1/clauses", json=bad, headers=api.legal)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_clause"
    assert "nope" in r.json()["error"]["message"]
    dup = {**NEW_FALLBACK, "position": "standard", "position_id": "standard-2", "approval": None}
    r = c.post("/v1/clauses", json=dup, headers=api.legal)
    assert r.status_code == 409
    unknown_type = {**NEW_FALLBACK, "clause_type": "escrow_of_goodwill"}
    r = c.post("/v1/clauses", json=unknown_type, headers=api.legal)
    assert r.status_code == 422 and "type_definition" in r.json()["error"]["message"]
    out_of_range = {
        **NEW_FALLBACK,
        "position_id": "fb-y",
        "parameters": {"cap_multiple": {"default": 5, "max": 2}},
    }
    r = c.post("/v1/clauses", json=out_of_range, headers=api.legal)
    assert r.status_code == 422


def test_create_new_type_through_the_api(api: Api) -> None:
    body = {
        "clause_type": "beta_features",
        "position": "standard",
        "title": "Beta features provided as is",
        "text": "Beta features are provided as is for evaluation for up to {{days}} days and "
        "are excluded from the service levels.",
        "type_definition": {
            "name": "Beta features",
            "description": "Terms for pre-release features.",
            "guidance": "Use whenever a customer trials a beta feature.",
            "parameters": {
                "days": {
                    "kind": "days",
                    "description": "Trial length",
                    "default": 30,
                    "min": 7,
                    "max": 90,
                }
            },
        },
    }
    r = api.client.post("/v1/clauses", json=body, headers=api.legal)
    assert r.status_code == 201, r.text
    assert "up to 30 days" in r.json()["text"]
    hits = api.client.post(
        "/v1/clauses/search",
        json={"query": "pre-release features provided as is", "top_k": 1},
        headers=api.rep,
    ).json()
    assert hits[0]["clause_id"] == "beta_features.standard"


def test_update_without_change_is_refused(api: Api) -> None:
    cur = api.client.get("/v1/clauses/notices.standard", headers=api.rep).json()
    r = api.client.put(
        "/v1/clauses/notices.standard", json={"title": cur["title"]}, headers=api.legal
    )
    assert r.status_code == 422
    assert api.client.get("/v1/clauses/notices.standard", headers=api.rep).json()["version"] == 1


def test_search_ranks_and_filters(api: Api) -> None:
    c = api.client
    r = c.post(
        "/v1/clauses/search",
        json={"query": "governed by the laws of Delaware", "top_k": 3},
        headers=api.rep,
    )
    assert r.status_code == 200
    hits = r.json()
    assert hits[0]["clause_type"] == "governing_law"
    assert {"clause_id", "clause_type", "position", "text", "score"} <= set(hits[0])
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)

    r = c.post(
        "/v1/clauses/search",
        json={
            "query": "limit our liability",
            "top_k": 10,
            "filters": {"clause_type": "limitation_of_liability", "position": "fallback"},
        },
        headers=api.rep,
    )
    hits = r.json()
    assert hits and all(
        h["clause_type"] == "limitation_of_liability" and h["position"] == "fallback" for h in hits
    )
    r = c.post(
        "/v1/clauses/search",
        json={"query": "liability", "top_k": 50, "filters": {"approver": "security"}},
        headers=api.rep,
    )
    assert r.json() and all("security" in h["approvers"] for h in r.json())
    r = c.post(
        "/v1/clauses/search",
        json={"query": "liability", "top_k": 50, "filters": {"cuad_category": "Governing Law"}},
        headers=api.rep,
    )
    assert r.json() and {h["clause_type"] for h in r.json()} == {"governing_law"}


def test_edit_is_searchable_at_once_and_old_text_is_gone(api: Api) -> None:
    c = api.client
    marker = "Zanzibar arbitration chamber"
    body = {
        "text": f"All disputes will be resolved by the {marker} under its rules, "
        "with one arbitrator, in English."
    }
    assert (
        c.put("/v1/clauses/dispute_resolution.standard", json=body, headers=api.legal).status_code
        == 200
    )
    hits = c.post("/v1/clauses/search", json={"query": marker, "top_k": 1}, headers=api.rep).json()
    assert hits[0]["clause_id"] == "dispute_resolution.standard"
    assert hits[0]["version"] == 2 and marker in hits[0]["text"]
    store, coll = api.services.store, api.services.library.index.collection
    from retrieval import Filter

    versions = {
        h.payload["version"]
        for h in store.scroll(
            coll, Filter(must={"clause_id": "dispute_resolution.standard"}), ["version"]
        )
    }
    assert versions == {2}
    # Retired clauses leave the index.
    c.delete("/v1/clauses/dispute_resolution.standard", headers=api.legal)
    hits = c.post("/v1/clauses/search", json={"query": marker, "top_k": 50}, headers=api.rep).json()
    assert "dispute_resolution.standard" not in [h["clause_id"] for h in hits]


def test_audit_log_records_writes_with_before_and_after(api: Api) -> None:
    c = api.client
    c.put(
        "/v1/clauses/publicity.standard",
        json={"title": "Publicity only with written consent"},
        headers=api.legal,
    )
    r = c.get("/v1/audit", params={"entity_id": "publicity.standard"}, headers=api.legal)
    assert r.status_code == 200
    entries = r.json()
    upd = next(e for e in entries if e["action"] == "clause.update")
    assert upd["before"]["version"] == 1 and upd["after"]["version"] == 2
    assert upd["after"]["title"] == "Publicity only with written consent"
    assert "legal" in upd["actor"]
    # Key creation is audited too, without the key itself.
    keys = c.get("/v1/audit", params={"entity_type": "api_key"}, headers=api.admin).json()
    assert keys and all("key" not in (e["after"] or {}) for e in keys)
    assert c.get("/v1/audit", headers=api.rep).status_code == 403


def test_healthz(api: Api) -> None:
    r = api.client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["vector_backend"] == "qdrant-edge"
    assert body["library_points"] > 60


def test_openapi_documents_the_endpoints(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for p in (
        "/v1/clauses",
        "/v1/clauses/{clause_id}",
        "/v1/clauses/{clause_id}/versions",
        "/v1/clauses/search",
        "/healthz",
        "/v1/audit",
        "/v1/keys",
    ):
        assert p in paths
