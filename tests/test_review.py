"""Risk review: values, matching, redlines, rules, routing, flags, decisions and roles."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from clause_index import render
from clause_index.schema import Condition, ParamKind, Rule
from evals.review_eval import assemble, standard_texts
from review import LibrarySnapshot, Reviewer, fires, match_clause, parse_value, redline
from review.library import clauses_from_files
from review.routing import RoutingRule, apply_routing
from review.types import Fact
from tests.conftest import Api


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


def lol_text(**values: Any) -> str:
    info = snapshot().types["limitation_of_liability"]
    std = info.positions[0]
    return render(std.template, std.parameters, values)


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (ParamKind.days, "sixty (60) days", 60),
        (ParamKind.days, "two (2) months", 60),
        (ParamKind.multiple, "one and one-half", 1.5),
        (ParamKind.multiple, "twice", 2),
        (ParamKind.money, "US$2.5 million", 2_500_000),
        (ParamKind.percent, "seven percent (7%)", 7),
        (ParamKind.months, "one (1) year", 12),
        (ParamKind.jurisdiction, "the laws of the State of New York", "New York"),
    ],
)
def test_values_are_parsed_as_values(kind: ParamKind, text: str, value: Any) -> None:
    assert parse_value(kind, text) == value


def test_standard_text_matches_standard_and_values_are_read() -> None:
    info = snapshot().types["limitation_of_liability"]
    m = match_clause(lol_text(), info.positions, info.type)
    assert m.classification == "standard"
    assert m.changes == 0
    got = {p.name: p.value for p in m.parameters}
    assert got["cap_multiple"] == 1 and got["lookback_months"] == 12


def test_words_for_numbers_are_the_same_value() -> None:
    info = snapshot().types["limitation_of_liability"]
    text = lol_text().replace(" 12 months", " twelve (12) months")
    m = match_clause(text, info.positions, info.type)
    assert m.classification == "standard", m.redline


def test_out_of_range_value_is_a_deviation_with_the_range_named() -> None:
    info = snapshot().types["limitation_of_liability"]
    m = match_clause(lol_text(cap_multiple="five (5)"), info.positions, info.type)
    assert m.classification == "deviation"
    cap = next(p for p in m.parameters if p.name == "cap_multiple")
    assert cap.value == 5 and cap.within is False and cap.text == "five (5)"


def test_flipped_obligation_is_a_deviation_and_redlined() -> None:
    info = snapshot().types["limitation_of_liability"]
    text = lol_text().replace("Neither party will be liable", "Vendor will be liable")
    m = match_clause(text, info.positions, info.type)
    assert m.classification == "deviation"
    ops = [(o.op, o.text) for o in m.redline]
    assert ("delete", "Neither party") in ops and ("insert", "Vendor") in ops


def test_redline_is_word_level() -> None:
    ops = redline("Customer will pay within 30 days.", "Customer shall pay within 60 days.")
    assert [(o.op, o.text) for o in ops] == [
        ("equal", "Customer"),
        ("delete", "will"),
        ("insert", "shall"),
        ("equal", "pay within"),
        ("delete", "30"),
        ("insert", "60"),
        ("equal", "days."),
    ]


def test_rules_compare_values_and_never_fire_on_unknown_facts() -> None:
    rule = Rule(
        id="t.cap",
        description="cap",
        when=[Condition(field="param.cap_multiple", op="gt", value=2)],
        severity="high",
        message="m",
        approver="legal",
    )
    assert fires(rule, {"param.cap_multiple": Fact(value=3.0)})
    assert not fires(rule, {"param.cap_multiple": Fact(value=2)})
    assert not fires(rule, {})  # unknown: no flag on a guess
    assert not fires(rule, {"param.cap_multiple": Fact(value="uncapped")})
    within = Rule(
        id="t.law",
        description="law",
        when=[Condition(field="term.governing_law", op="not_in", value=["Delaware"])],
        severity="high",
        message="m",
        approver="legal",
    )
    assert fires(within, {"term.governing_law": Fact(value="Texas")})
    assert not fires(within, {"term.governing_law": Fact(value="delaware")})


def test_malformed_rules_are_rejected() -> None:
    with pytest.raises(ValueError, match="field must be"):
        Condition(field="os.system", op="eq", value=1)
    with pytest.raises(ValueError, match="takes a list"):
        Condition(field="deal.value", op="in", value=5)


def test_routing_adds_finance_on_large_deals() -> None:
    reviewer = Reviewer(snapshot())
    from extraction import analyze

    text = assemble(
        snapshot().types,
        standard_texts(snapshot().types) | {"limitation_of_liability": lol_text(cap_multiple=9)},
    )
    out = reviewer.review(text, analyze(text), {})
    [flag] = [f for f in out.flags if f.clause_type == "limitation_of_liability"]
    rule = RoutingRule(
        id="big",
        description="big deals",
        when=[Condition(field="deal.value", op="gte", value=250000)],
        min_severity="medium",
        add_approvers=["finance"],
    )
    assert apply_routing([rule], flag, {"value": 300000}).approvers == ["legal", "finance"]
    assert apply_routing([rule], flag, {"value": 1000}).approvers == ["legal"]


# -- through the API


def _contract(api: Api, title: str, overrides: dict[str, str], **deal: Any) -> str:
    types = snapshot().types
    text = assemble(types, standard_texts(types) | overrides)
    body: dict[str, Any] = {"title": title, "text": text}
    if deal:
        body["deal"] = deal
    r = api.client.post("/v1/contracts", params={"wait": True}, json=body, headers=api.rep)
    assert r.status_code in (200, 202), r.text
    assert r.json()["status"] == "ready", r.json()
    return str(r.json()["id"])


def test_standard_contract_is_clean(api: Api) -> None:
    cid = _contract(api, "All standard", {})
    r = api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "clean" and body["flags"] == [], body["flags"][:2]


def test_deviation_flag_decisions_roles_and_re_review(api: Api) -> None:
    cid = _contract(
        api, "Cap too high", {"limitation_of_liability": lol_text(cap_multiple="ten (10)")}
    )
    summary = api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()
    assert summary["status"] == "needs_approval"
    [flag] = summary["flags"]
    assert flag["rule_id"] == "lol.cap_above_allowed"
    assert flag["severity"] == "high" and flag["approvers"] == ["legal"]
    assert "ten (10)" in flag["evidence"]["text"]
    text = api.client.get(f"/v1/contracts/{cid}", headers=api.rep).json()["text"]
    cap = next(p for p in flag["parameters"] if p["name"] == "cap_multiple")
    assert text[cap["start"] : cap["end"]] == "ten (10)" == cap["text"]
    assert {"op": "insert", "text": "ten (10)"} in flag["redline"]
    assert flag["proposed"]["position_id"] == "fallback-1"
    assert "{{" not in flag["proposed"]["text"]
    # Reps read flags but cannot decide.
    url = f"/v1/flags/{flag['id']}/decision"
    r = api.client.post(url, json={"decision": "accept", "comment": "ok"}, headers=api.rep)
    assert r.status_code == 403
    r = api.client.post(url, json={"decision": "maybe", "comment": "x"}, headers=api.legal)
    assert r.status_code == 422
    r = api.client.post(
        url, json={"decision": "accept", "comment": "Strategic deal"}, headers=api.legal
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted"
    assert api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()["status"] == (
        "clean"
    )
    # A re-review of unchanged text keeps the decision.
    again = api.client.post(f"/v1/contracts/{cid}/review", headers=api.legal).json()
    assert [f["id"] for f in again["flags"]] == [flag["id"]]
    assert again["flags"][0]["status"] == "accepted" and again["status"] == "clean"
    audit = api.client.get("/v1/audit", headers=api.legal).json()
    rows = audit["entries"] if isinstance(audit, dict) else audit
    assert any(e["action"] == "flag.accept" and e["entity_id"] == flag["id"] for e in rows)


def test_rejection_blocks_and_deal_routing(api: Api) -> None:
    cid = _contract(api, "Cap deal", {"limitation_of_liability": lol_text(cap_multiple=4)})
    [flag] = api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()["flags"]
    r = api.client.put(f"/v1/contracts/{cid}/deal", json={"value": 400000}, headers=api.rep)
    assert r.status_code == 200, r.text
    assert r.json()["flags"][0]["approvers"] == ["legal", "finance"]
    assert set(r.json()["approvers"]) == {"legal", "finance"}
    r = api.client.post(
        f"/v1/flags/{flag['id']}/decision",
        json={"decision": "reject", "comment": "Use the 2x fallback"},
        headers=api.legal,
    )
    assert r.json()["status"] == "rejected"
    assert api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()["status"] == (
        "blocked"
    )


def test_missing_clause_is_flagged_only_when_the_model_is_sure(api: Api) -> None:
    from archive.models import ContractRow
    from archive.service import stored_analysis

    types = snapshot().types
    texts = standard_texts(types)
    del texts["limitation_of_liability"]
    text = assemble(types, texts)
    r = api.client.post(
        "/v1/contracts",
        params={"wait": True},
        json={"title": "No cap", "text": text},
        headers=api.rep,
    )
    cid = r.json()["id"]
    flags = api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()
    with api.services.db.session() as s:
        row = s.get(ContractRow, cid)
        assert row is not None
        sure_absent = stored_analysis(s, row).presence_for("limitation_of_liability").present
    missing = [f for f in flags["flags"] if f["rule_id"] == "lol.missing"]
    # One decision: a flag only where the stored presence decision says absent (other
    # evidence in the contract can make that unsure: tests/test_review_presence.py).
    assert not missing or sure_absent is False
    for f in missing:
        # A required type missing needs approval; it never blocks by itself.
        assert f["match"] == "missing" and f["severity"] == "high"
    assert flags["status"] != "blocked"
    # The rest is our standard language: nothing else is flagged.
    assert [f["rule_id"] for f in flags["flags"]] == [f["rule_id"] for f in missing]


def test_unknown_ids_and_bad_input(api: Api) -> None:
    r = api.client.get("/v1/contracts/nope/flags", headers=api.rep)
    assert r.status_code == 404 and r.json()["error"]["code"] == "contract_not_found"
    r = api.client.post(
        "/v1/flags/nope/decision", json={"decision": "accept", "comment": "x"}, headers=api.legal
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "flag_not_found"
    r = api.client.post("/v1/review/text", json={"text": ""}, headers=api.rep)
    assert r.status_code == 422
    r = api.client.post(
        "/v1/review/text", json={"text": "x" * 30, "clause_type": "nope"}, headers=api.rep
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_clause_type"
    r = api.client.post("/v1/contracts/nope/review", headers=api.rep)
    assert r.status_code == 403


def test_pasted_text_review(api: Api) -> None:
    r = api.client.post("/v1/review/text", json={"text": lol_text()}, headers=api.rep)
    assert r.status_code == 200, r.text
    assert r.json()["clause_type"] == "limitation_of_liability"
    assert r.json()["verdict"] == "standard" and r.json()["flags"] == []
    r = api.client.post(
        "/v1/review/text", json={"text": lol_text(cap_multiple="3")}, headers=api.rep
    )
    body = r.json()
    assert body["verdict"] == "needs_approval"
    assert [f["rule_id"] for f in body["flags"]] == ["lol.cap_above_allowed"]


def test_legal_edits_rules_through_the_api_and_malformed_rules_are_refused(api: Api) -> None:
    body: dict[str, Any] = {
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
                "days": {"kind": "days", "description": "Trial", "default": 30, "max": 60}
            },
            "rules": [
                {
                    "id": "beta.too_long",
                    "description": "Beta trials longer than 60 days.",
                    "when": [{"field": "param.days", "op": "greater", "value": 60}],
                    "severity": "medium",
                    "message": "Long betas become unpaid production use.",
                    "approver": "sales_director",
                }
            ],
        },
    }
    r = api.client.post("/v1/clauses", json=body, headers=api.legal)
    assert r.status_code == 422
    assert "rules.0.when.0.op" in r.json()["error"]["message"]
    body["type_definition"]["rules"][0]["when"][0]["op"] = "gt"
    r = api.client.post("/v1/clauses", json=body, headers=api.legal)
    assert r.status_code == 201, r.text
    text = (
        "Beta features are provided as is for evaluation for up to ninety (90) days and are "
        "excluded from the service levels."
    )
    r = api.client.post(
        "/v1/review/text", json={"text": text, "clause_type": "beta_features"}, headers=api.rep
    )
    assert r.status_code == 200, r.text
    assert [f["rule_id"] for f in r.json()["flags"]] == ["beta.too_long"]
    assert r.json()["flags"][0]["approvers"] == ["sales_director"]


def test_concurrent_reviews_of_one_contract_store_one_set_of_flags(api: Api) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cid = _contract(api, "Raced", {"limitation_of_liability": lol_text(cap_multiple=4)})
    review = api.services.review
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: review.review_contract(cid), range(4)))
    assert {tuple(f.id for f in r.flags) for r in results} == {
        tuple(f.id for f in results[0].flags)
    }
    assert [f.rule_id for f in review.flags(cid).flags] == ["lol.cap_above_allowed"]
