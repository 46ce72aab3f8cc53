"""`POST /v1/review/text` without a clause type: typed by the clause-type model, never guessed."""

from __future__ import annotations

from tests.conftest import Api


def test_review_text_without_a_type(api: Api) -> None:
    r = api.client.post(
        "/v1/review/text",
        json={"text": "Customer shall pay all invoices within ninety (90) days of receipt."},
        headers=api.rep,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["clause_type"] == "payment_terms"
    assert body["typing"]["status"] == "typed"
    assert body["match"] is not None

    r = api.client.post(
        "/v1/review/text",
        json={"text": "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do."},
        headers=api.rep,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["clause_type"] is None and body["match"] is None and body["flags"] == []
    assert body["verdict"] in ("no_clause", "uncertain")
    assert body["typing"]["status"] == body["verdict"]
    assert len(body["typing"]["closest"]) == 3
    assert body["typing"]["message"]


def test_review_text_refuses_blank_text(api: Api) -> None:
    for text in ("", "   \n\t "):
        r = api.client.post("/v1/review/text", json={"text": text}, headers=api.rep)
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "empty_text"
