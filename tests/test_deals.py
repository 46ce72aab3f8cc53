"""CRM and billing records: upsert, CSV import with a per-row report, links, reconciliation
through the API."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from deals.mapping import DEFAULT_MAPPING
from tests.conftest import Api

SAMPLES = Path(DEFAULT_MAPPING).parent / "samples"
ORBITAL = (SAMPLES / "orbital-subscription.txt").read_text()

DEAL = {
    "source": "crm",
    "external_id": "OPP-1",
    "customer": "Orbital Freight Corp",
    "amount": 60000,
    "amount_period": "year",
    "currency": "usd",
    "start_date": "2024-01-15",
    "term_months": 12,
    "payment_net_days": 30,
}


def _import(api: Api, data: bytes, name: str = "export.csv", **params: Any) -> Any:
    return api.client.post(
        "/v1/deals/import",
        params=params,
        files={"file": (name, data, "text/csv")},
        headers=api.rep,
    )


def _contract(api: Api, text: str = ORBITAL, title: str = "Orbital subscription") -> str:
    r = api.client.post(
        "/v1/contracts",
        params={"wait": True},
        json={"title": title, "text": text},
        headers=api.rep,
    )
    assert r.status_code == 200 and r.json()["status"] == "ready", r.text
    return str(r.json()["id"])


def test_upsert_by_source_and_external_id(api: Api) -> None:
    r = api.client.post("/v1/deals", json=DEAL, headers=api.rep)
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["created"] is True and first["currency"] == "USD"
    again = api.client.post("/v1/deals", json={**DEAL, "amount": 61000}, headers=api.rep).json()
    assert again["id"] == first["id"] and again["created"] is False and again["amount"] == 61000
    # the same external id from billing is another record
    other = api.client.post("/v1/deals", json={**DEAL, "source": "billing"}, headers=api.rep)
    assert other.json()["id"] != first["id"]
    assert len(api.client.get("/v1/deals", headers=api.rep).json()) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": -5}, "amount"),
        ({"start_date": "2024-02-30"}, "start_date"),
        ({"amount": "1e400"}, "amount"),
        ({"source": "erp"}, "source"),
        ({"discount_percent": 120}, "discount_percent"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_upsert_refuses_bad_values(api: Api, change: dict[str, Any], field: str) -> None:
    r = api.client.post("/v1/deals", json={**DEAL, **change}, headers=api.rep)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] in ("invalid_request", "unknown_field")
    assert field in err["message"]
    assert api.client.get("/v1/deals", headers=api.rep).json() == []


def test_each_sample_export_imports(api: Api) -> None:
    expected = {
        "salesforce_opportunities.csv": ("salesforce_opportunities", "crm", 3),
        "hubspot_deals.csv": ("hubspot_deals", "crm", 2),
        "stripe_subscriptions.csv": ("stripe_subscriptions", "billing", 2),
    }
    for name, (fmt, _source, n) in expected.items():
        r = _import(api, (SAMPLES / name).read_bytes(), name)
        assert r.status_code == 200, r.text
        rep = r.json()
        assert rep["format"] == fmt and rep["imported"] == n and rep["problems"] == [], rep
    records = api.client.get("/v1/deals", params={"source": "billing"}, headers=api.rep).json()
    orbital = next(d for d in records if d["customer"] == "Orbital Freight Corp")
    # Stripe: 15,000 every 3 months is a quarterly price; "Cancel At Period End" false renews
    assert orbital["billing_frequency"] == "quarterly" and orbital["amount"] == 15000
    assert orbital["auto_renew"] is True and orbital["start_date"] == "2024-01-15"
    sf = api.client.get("/v1/deals", params={"source": "crm"}, headers=api.rep).json()
    lost = next(d for d in sf if d["customer"] == "Harbor & Pine Ltd")
    assert lost["status"] == "cancelled" and lost["currency"] == "GBP"
    assert next(d for d in sf if d["external_id"] == "0065g00000XyZ1aAAF")["payment_net_days"] == 45
    # importing the same file again updates, it does not duplicate
    again = _import(api, (SAMPLES / "stripe_subscriptions.csv").read_bytes()).json()
    assert again["created"] == 0 and again["updated"] == 2


def test_bad_rows_are_reported_and_good_rows_kept(api: Api) -> None:
    header = (SAMPLES / "salesforce_opportunities.csv").read_text().splitlines()[0]
    cols = header.split(",")

    def row(**kv: str) -> str:
        base = dict.fromkeys(cols, "")
        base.update(
            {
                "Account Name": "Good Co",
                "Stage": "Closed Won",
                "Amount": "1000",
                "Opportunity Name": "x",
            }
        )
        base.update(kv)
        return ";".join(base[c] for c in cols)

    lines = [
        ";".join(cols) + ";Region",  # a column the mapping does not know
        row(**{"Opportunity ID": "A1"}) + ";EMEA",
        row(**{"Opportunity ID": "A2", "Amount": "-250"}) + ";EMEA",
        row(**{"Opportunity ID": "A3", "Contract Start Date": "02/30/2024"}) + ";EMEA",
        row(**{"Opportunity ID": "A1", "Account Name": "Dup Co"}) + ";EMEA",
        row(**{"Opportunity ID": "A4", "Account Name": "Société Générale"}) + ";EMEA",
        "A5;too;few",
    ]
    # semicolons and Windows-1252: what Excel writes in much of Europe
    data = "\r\n".join(lines).encode("cp1252")
    r = _import(api, data)
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["delimiter"] == ";" and rep["encoding"] == "cp1252"
    assert rep["imported"] == 2 and rep["rejected"] == 4
    assert rep["unknown_columns"] == ["Region"]
    by_row = {(p["row"], p["column"]): p["reason"] for p in rep["problems"]}
    assert "unknown column" in by_row[(0, "Region")]
    assert by_row[(2, "Amount")] == "negative amount"
    assert "not a real date" in by_row[(3, "Contract Start Date")]
    assert "duplicate external id 'A1' (first on row 1)" in by_row[(4, "Opportunity ID")]
    assert "fields where the header has" in by_row[(6, None)]
    names = sorted(d["customer"] for d in api.client.get("/v1/deals", headers=api.rep).json())
    assert names == ["Good Co", "Société Générale"]


def test_a_file_that_is_not_an_export_is_refused_whole(api: Api) -> None:
    r = _import(api, b"just one column\nvalue\n")
    assert r.status_code == 422 and r.json()["error"]["code"] == "unreadable_csv"
    r = _import(api, b"a,b,c\n1,2,3\n")
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_csv_format"
    r = _import(api, b"")
    assert r.status_code == 422 and r.json()["error"]["code"] == "empty_csv"
    r = api.client.post("/v1/deals/import", json={"x": 1}, headers=api.rep)
    assert r.status_code == 415
    # the CSV as the request body works like the multipart file
    r = api.client.post(
        "/v1/deals/import",
        content=(SAMPLES / "hubspot_deals.csv").read_bytes(),
        headers={**api.rep, "Content-Type": "text/csv"},
    )
    assert r.status_code == 200 and r.json()["imported"] == 2, r.text


def test_an_import_that_fails_midway_leaves_nothing(api: Api, monkeypatch: Any) -> None:
    svc = api.services.deals
    real = svc._upsert
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk gone")
        return real(*args, **kwargs)

    monkeypatch.setattr(svc, "_upsert", failing)
    r = _import(api, (SAMPLES / "salesforce_opportunities.csv").read_bytes())
    assert r.status_code == 500
    assert api.client.get("/v1/deals", headers=api.rep).json() == []


def test_edited_mapping_file_is_used(start_api: Any, tmp_path: Path) -> None:
    mapping = DEFAULT_MAPPING.read_text().replace("Account Name: customer", "Client: customer")
    path = tmp_path / "mapping.yaml"
    path.write_text(mapping)
    data = (SAMPLES / "salesforce_opportunities.csv").read_text().replace("Account Name", "Client")
    with start_api(deals_mapping=path) as api:
        rep = _import(api, data.encode()).json()
        assert rep["imported"] == 3 and rep["unknown_columns"] == []


def test_suggest_confirm_link_and_reconcile(api: Api) -> None:
    from tests.webhook_receiver import receiver

    with receiver() as rx:
        sub = {"url": rx.url, "events": ["reconciliation.mismatch"]}
        assert api.client.post("/v1/webhooks", json=sub, headers=api.admin).status_code == 201
        _link_and_reconcile(api)
        # linking raised one reconciliation.mismatch per mismatch (as of today), once each
        got = rx.wait_for(2, timeout=30)
        kinds = sorted(g.json["data"]["kind"] for g in got)
        assert kinds == ["escalation_not_applied", "payment_terms"], kinds
        api.services.deals.notify_mismatches([got[0].json["data"]["contract_id"]])
        time.sleep(1)
        assert len(rx.got) == 2


def _link_and_reconcile(api: Api) -> None:
    cid = _contract(api)
    _import(api, (SAMPLES / "salesforce_opportunities.csv").read_bytes())
    _import(api, (SAMPLES / "stripe_subscriptions.csv").read_bytes())
    records = api.client.get("/v1/deals", headers=api.rep).json()
    orbital = [d for d in records if d["customer"].startswith("Orbital")]
    assert len(orbital) == 2 and all(d["contract_id"] is None for d in orbital)
    for d in orbital:
        sugg = api.client.get(f"/v1/deals/{d['id']}/suggestions", headers=api.rep).json()
        assert sugg and sugg[0]["contract_id"] == cid and sugg[0]["score"] >= 0.9, sugg
        assert sugg[0]["matched_party"] == "Orbital Freight Corp."
        # nothing is linked until a person confirms
        assert api.client.get(f"/v1/deals/{d['id']}", headers=api.rep).json()["contract_id"] is None
        r = api.client.post(f"/v1/deals/{d['id']}/link", json={"contract_id": cid}, headers=api.rep)
        assert r.status_code == 200 and r.json()["contract_id"] == cid
    harbor = next(d for d in records if d["customer"].startswith("Harbor"))
    assert api.client.get(f"/v1/deals/{harbor['id']}/suggestions", headers=api.rep).json() == []

    rec = api.client.get(
        f"/v1/contracts/{cid}/reconciliation", params={"as_of": "2026-03-01"}, headers=api.rep
    ).json()
    kinds = {(m["source"], m["kind"]) for m in rec["mismatches"]}
    # Salesforce says net 45, the contract net 30; Stripe never applied the 4% escalations
    assert kinds == {("crm", "payment_terms"), ("billing", "escalation_not_applied")}, rec
    esc = next(m for m in rec["mismatches"] if m["kind"] == "escalation_not_applied")
    assert esc["contract_value"] == round(60000 * 1.04**2, 2) and esc["record_value"] == 60000
    assert esc["yearly_impact"] == round(60000 * 1.04**2 - 60000, 2)
    assert ORBITAL[esc["evidence"]["start"] : esc["evidence"]["end"]] == esc["evidence"]["text"]
    assert "4%" in esc["evidence"]["text"]
    pay = next(m for m in rec["mismatches"] if m["kind"] == "payment_terms")
    assert (pay["contract_value"], pay["record_value"]) == (30, 45)
    assert "thirty (30) days" in pay["evidence"]["text"]
    assert rec["mismatches"][0]["kind"] == "escalation_not_applied"  # largest impact first
    everything = api.client.get(
        "/v1/reconciliation", params={"as_of": "2026-03-01"}, headers=api.rep
    ).json()
    assert len(everything["mismatches"]) == 2 and everything["total_yearly_impact"]["USD"] > 0
    # unlinking removes the record from the contract's reconciliation
    crm = next(d for d in orbital if d["source"] == "crm")
    api.client.delete(f"/v1/deals/{crm['id']}/link", headers=api.rep)
    rec = api.client.get(
        f"/v1/contracts/{cid}/reconciliation", params={"as_of": "2026-03-01"}, headers=api.rep
    ).json()
    assert [m["kind"] for m in rec["mismatches"]] == ["escalation_not_applied"]
    api.client.post(f"/v1/deals/{crm['id']}/link", json={"contract_id": cid}, headers=api.rep)


def test_link_and_reconcile_errors(api: Api) -> None:
    d = api.client.post("/v1/deals", json=DEAL, headers=api.rep).json()
    r = api.client.post(f"/v1/deals/{d['id']}/link", json={"contract_id": "nope"}, headers=api.rep)
    assert r.status_code == 404 and r.json()["error"]["code"] == "contract_not_found"
    r = api.client.get("/v1/deals/unknown", headers=api.rep)
    assert r.status_code == 404 and r.json()["error"]["code"] == "deal_not_found"
    r = api.client.get("/v1/contracts/nope/reconciliation", headers=api.rep)
    assert r.status_code == 404
    assert api.client.get("/v1/deals").status_code == 401


@pytest.mark.postgres
def test_import_on_postgres(start_api: Any, pg_url: str, tmp_path: Path) -> None:
    """The same report on PostgreSQL, where each row has its own savepoint."""
    with start_api(data_dir=tmp_path / "pg", database_url=pg_url) as api:
        for name in ("salesforce_opportunities.csv", "stripe_subscriptions.csv"):
            rep = _import(api, (SAMPLES / name).read_bytes()).json()
            assert rep["problems"] == [] and rep["imported"] >= 2
        bad = (SAMPLES / "stripe_subscriptions.csv").read_text().replace("15000.00", "-15000.00")
        rep = _import(api, bad.encode()).json()
        assert rep["imported"] == 1 and rep["rejected"] == 1
        assert rep["problems"][0]["reason"] == "negative amount"
        assert len(api.client.get("/v1/deals", headers=api.rep).json()) == 5
