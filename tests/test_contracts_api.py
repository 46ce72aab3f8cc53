from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.samples import SAMPLE_MSA, SAMPLE_RESELLER
from tests.test_extraction_text import make_pdf


def _upload_text(api: Api, title: str, text: str, **params: Any) -> Any:
    return api.client.post(
        "/v1/contracts",
        params={"wait": True, **params},
        json={"title": title, "text": text},
        headers=api.rep,
    )


def test_text_upload_is_extracted_with_exact_offsets(api: Api) -> None:
    text = "Préambule — ünïcödé ✓\n" + SAMPLE_MSA  # code points, not bytes
    r = _upload_text(api, "Acme MSA", text)
    assert r.status_code == 200, r.text
    c = r.json()
    assert c["status"] == "ready", c
    d = api.client.get(f"/v1/contracts/{c['id']}", headers=api.rep).json()
    assert d["text"] == text
    for seg in d["segments"]:
        assert text[seg["start"] : seg["end"]] == seg["text"]
    for t in d["terms"]:
        assert text[t["start"] : t["end"]] == t["text"], t
    for cl in d["clauses"]:
        assert text[cl["start"] : cl["end"]] == cl["text"]
        assert cl["end"] - cl["start"] < 600  # sentence-tight, not a page
    assert d["governing_law"] == "Delaware"
    assert {"Governing Law"} <= set(d["clause_types"])
    gov = [s for s in d["segments"] if "laws of the" in s["text"]]
    assert any(t["type"] == "governing_law" for t in gov[0]["types"])
    names = " ".join(p["name"] for p in d["parties"])
    assert "Acme Widgets" in names and "Brightline" in names
    assert d["effective_date"] == "2025-03-03"
    assert d["payment_net_days"] == 30


def test_same_bytes_twice_return_the_existing_contract(api: Api) -> None:
    first = _upload_text(api, "One", SAMPLE_RESELLER).json()
    again = _upload_text(api, "Two", SAMPLE_RESELLER)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["duplicate"] is True
    assert len(api.client.get("/v1/contracts", headers=api.rep).json()) == 1


def test_pdf_upload_keeps_pages_and_the_original(api: Api) -> None:
    pdf = make_pdf(
        [
            ["MASTER AGREEMENT between Orion Labs Inc. and Vega Corp."],
            ["This Agreement is governed by the laws of the State of New York."],
        ]
    )
    r = api.client.post(
        "/v1/contracts",
        params={"wait": True},
        headers=api.rep,
        files={"file": ("../../etc/odd name?.pdf", pdf, "text/plain")},
    )
    assert r.status_code == 200, r.text
    c = r.json()
    assert c["status"] == "ready" and c["media_type"] == "application/pdf"
    assert c["page_count"] == 2
    d = api.client.get(f"/v1/contracts/{c['id']}", headers=api.rep).json()
    law = next(s for s in d["segments"] if "New York" in s["text"])
    assert law["page"] == 2
    assert c["filename"] == "odd name?.pdf"  # the base name only, never a path
    f = api.client.get(f"/v1/contracts/{c['id']}/file", headers=api.rep)
    assert f.content == pdf and f.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, 415, "unsupported_media_type"),
        (b"PK\x03\x04 this is not a zip", 422, "corrupt_file"),
        (b"   \n ", 422, "empty_document"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    api: Api, data: bytes, status: int, code: str
) -> None:
    r = api.client.post("/v1/contracts", headers=api.rep, files={"file": ("x.pdf", data)})
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert api.client.get("/v1/contracts", headers=api.rep).json() == []
    assert not any((api.services.settings.data_dir / "blobs").glob("*/*"))


def test_image_only_pdf_fails_clearly(api: Api) -> None:
    pdf = make_pdf([None])
    r = api.client.post(
        "/v1/contracts", params={"wait": True}, headers=api.rep, files={"file": ("scan.pdf", pdf)}
    )
    assert r.status_code == 422, r.text  # waited for, and failed: the contract's own code
    e = r.json()["error"]
    assert e["code"] == "no_text_layer" and "OCR" in e["message"]
    c = e["details"]["contract"]
    assert c["status"] == "failed" and c["error_code"] == "no_text_layer"
    assert api.client.get("/v1/contracts", params={"status": "ready"}, headers=api.rep).json() == []


def test_oversize_upload(start_api: Any) -> None:
    with start_api(max_upload_bytes=2048) as api:
        r = api.client.post(
            "/v1/contracts", headers=api.rep, files={"file": ("big.txt", b"a" * 5000)}
        )
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "payload_too_large"


def test_unsupported_body_and_unknown_fields(api: Api) -> None:
    r = api.client.post(
        "/v1/contracts", content=b"hello", headers={**api.rep, "Content-Type": "text/csv"}
    )
    assert r.status_code == 415
    r = api.client.post(
        "/v1/contracts", json={"title": "x", "text": "y", "colour": 1}, headers=api.rep
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_field"


def test_archive_filters_search_and_delete(api: Api) -> None:
    msa = _upload_text(api, "Acme MSA", SAMPLE_MSA).json()
    res = _upload_text(api, "Zephyr reseller agreement", SAMPLE_RESELLER).json()
    assert msa["status"] == res["status"] == "ready"
    c = api.client

    def ids(**params: Any) -> set[str]:
        return {x["id"] for x in c.get("/v1/contracts", params=params, headers=api.rep).json()}

    assert ids(governing_law="delaware") == {msa["id"]}
    assert ids(counterparty="zephyr") == {res["id"]}
    assert ids(payment_days_max=35) == {msa["id"]}
    assert ids(payment_days_min=40) == {res["id"]}
    assert ids(clause_type="Exclusivity") == {res["id"]}
    assert ids(clause_type_absent="Exclusivity") == {msa["id"]}

    r = c.post(
        "/v1/search",
        json={
            "query": "the reseller agreement with Zephyr, what's the notice period to cancel "
            "renewal?"
        },
        headers=api.rep,
    )
    assert r.status_code == 200, r.text
    ans = r.json()
    assert ans["matched_contracts"] == [res["id"]]
    assert ans["hits"] and all(h["contract_id"] == res["id"] for h in ans["hits"])
    assert "ninety (90) days" in ans["hits"][0]["text"]
    top = ans["hits"][0]
    assert SAMPLE_RESELLER[top["start"] : top["end"]] == top["text"]

    r = c.post(
        "/v1/search",
        json={
            "query": "limitation of liability cap",
            "top_k": 3,
            "filters": {"governing_law": "Delaware"},
        },
        headers=api.rep,
    )
    assert {h["contract_id"] for h in r.json()["hits"]} == {msa["id"]}

    # A contract naming two laws is found by either name, and only by a whole name.
    two = _upload_text(
        api,
        "Kestrel distribution agreement",
        "DISTRIBUTION AGREEMENT\n\nThis Distribution Agreement is made between Kestrel Devices "
        "Limited and Orbis Trading Co.\n\n14. Governing Law. This Agreement shall be governed "
        "by the laws of the State of California and the laws of Hong Kong.\n",
    ).json()
    assert two["governing_law"] == "California; Hong Kong"
    assert ids(governing_law="hong kong") == ids(governing_law="California") == {two["id"]}
    assert ids(governing_law="Hong") == ids(governing_law="%") == set()
    r = c.post(
        "/v1/search",
        json={"query": "which law applies", "filters": {"governing_law": "Hong Kong"}},
        headers=api.rep,
    )
    assert {h["contract_id"] for h in r.json()["hits"]} == {two["id"]}

    assert c.delete(f"/v1/contracts/{msa['id']}", headers=api.rep).status_code == 403
    assert c.delete(f"/v1/contracts/{msa['id']}", headers=api.legal).status_code == 200
    assert c.get(f"/v1/contracts/{msa['id']}", headers=api.rep).status_code == 404
    store, coll = api.services.store, api.services.archive.index.collection
    from retrieval import Filter

    assert store.count(coll, Filter(must={"contract_id": msa["id"]})) == 0
    hits = c.post("/v1/search", json={"query": "governed by Delaware law"}, headers=api.rep).json()[
        "hits"
    ]
    assert all(h["contract_id"] != msa["id"] for h in hits)


def test_processing_survives_a_restart(start_api: Any, tmp_path: Any) -> None:
    data = tmp_path / "restart"
    with start_api(data, workers=0) as api:  # no worker: the upload stays pending
        r = api.client.post(
            "/v1/contracts", json={"title": "Acme", "text": SAMPLE_MSA}, headers=api.rep
        )
        assert r.status_code == 202 and r.json()["status"] == "pending"
        cid, key = r.json()["id"], api.rep
    with start_api(data) as api:
        out = api.services.archive.wait(cid, 60)
        assert out.status == "ready"
        assert api.client.get(f"/v1/contracts/{cid}", headers=key).json()["status"] == "ready"
