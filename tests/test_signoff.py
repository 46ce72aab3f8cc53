"""Sign-off per approver: each approver a flag needs signs off; the contract's status rolls up
from every outstanding sign-off; stale decisions get 409 flag_stale."""

from __future__ import annotations

from typing import Any

import pytest

from review.signoff import Vote, default_approver, signoff_state
from tests.conftest import Api
from tests.test_review import _contract, lol_text

# ----------------------------------------------------------------------------- pure rules


def test_one_accept_does_not_clear_a_flag_that_needs_two_approvers() -> None:
    st = signoff_state(["legal", "finance"], [Vote("legal", "accept", 0)])
    assert st.status == "open"
    assert st.states == {"legal": "accepted", "finance": "pending"}
    assert st.pending == ["finance"]
    assert default_approver(st) == "finance"
    st = signoff_state(
        ["legal", "finance"], [Vote("legal", "accept", 0), Vote("finance", "accept", 1)]
    )
    assert st.status == "accepted" and st.pending == []


def test_reject_wins_and_escalation_waits_for_the_executive_team() -> None:
    st = signoff_state(
        ["legal", "finance"], [Vote("legal", "accept", 0), Vote("finance", "reject", 1)]
    )
    assert st.status == "rejected"
    st = signoff_state(["finance"], [Vote("finance", "escalate", 0)])
    assert st.status == "escalated" and st.required == ["finance", "executive"]
    assert st.pending == ["executive"]
    st = signoff_state(
        ["finance"], [Vote("finance", "escalate", 0), Vote("executive", "accept", 1)]
    )
    assert st.status == "accepted" and st.pending == []


def test_decisions_without_an_approver_apply_to_the_whole_flag() -> None:
    # decisions stored before migration 0005 have no approver: they meant every approver
    st = signoff_state(["legal", "finance"], [Vote(None, "accept", 0)])
    assert st.status == "accepted"
    st = signoff_state(["legal", "finance"], [Vote(None, "reject", 0), Vote("legal", "accept", 1)])
    assert st.status == "rejected" and st.states["finance"] == "rejected"
    # a flag whose rule names nobody is still reviewed by legal
    assert signoff_state([], []).required == ["legal"]


# ----------------------------------------------------------------------------- the API


def _two_approver_flag(api: Api) -> tuple[str, dict[str, Any]]:
    cid = _contract(api, "Cap deal", {"limitation_of_liability": lol_text(cap_multiple=4)})
    r = api.client.put(f"/v1/contracts/{cid}/deal", json={"value": 400000}, headers=api.rep)
    assert r.status_code == 200, r.text
    [flag] = r.json()["flags"]
    assert flag["approvers"] == ["legal", "finance"]
    return cid, flag


def _decide(api: Api, fid: str, **body: Any) -> Any:
    return api.client.post(
        f"/v1/flags/{fid}/decision", json={"comment": "noted"} | body, headers=api.legal
    )


def test_each_required_approver_signs_off_and_the_status_rolls_up(api: Api) -> None:
    cid, flag = _two_approver_flag(api)
    assert [s["approver"] for s in flag["signoffs"]] == ["legal", "finance"]
    assert {s["status"] for s in flag["signoffs"]} == {"pending"}
    # An accept that does not say for whom is ambiguous here.
    r = _decide(api, flag["id"], decision="accept")
    assert r.status_code == 422 and r.json()["error"]["code"] == "approver_required"
    assert "legal" in r.json()["error"]["message"] and "finance" in r.json()["error"]["message"]
    r = _decide(api, flag["id"], decision="accept", approver="security")
    assert r.status_code == 422 and r.json()["error"]["code"] == "approver_not_required"

    r = _decide(api, flag["id"], decision="accept", approver="legal", comment="Legal is fine")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == "open" and out["pending_approvers"] == ["finance"]
    legal = next(s for s in out["signoffs"] if s["approver"] == "legal")
    assert legal["status"] == "accepted" and legal["decision"]["comment"] == "Legal is fine"
    assert "test legal" in legal["decision"]["by"]
    summary = api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()
    assert summary["status"] == "needs_approval" and summary["approvers"] == ["finance"]

    # Only finance is outstanding now, so an accept without an approver is finance's.
    r = _decide(api, flag["id"], decision="accept", comment="Finance signs")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted" and r.json()["pending_approvers"] == []
    assert r.json()["history"][-1]["approver"] == "finance"
    summary = api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()
    assert summary["status"] == "clean" and summary["approvers"] == []
    # The archive's bulk roll-up agrees with the contract's own.
    assert api.services.review.overviews([cid])[cid].status == "clean"


def test_escalation_adds_the_executive_team(api: Api) -> None:
    cid, flag = _two_approver_flag(api)
    r = _decide(api, flag["id"], decision="escalate", approver="finance", comment="Too big")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "escalated"
    assert "executive" in r.json()["pending_approvers"]
    summary = api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()
    assert summary["status"] == "needs_approval" and "executive" in summary["approvers"]
    _decide(api, flag["id"], decision="accept", approver="legal")
    r = _decide(api, flag["id"], decision="accept", approver="executive", comment="Go")
    assert r.json()["status"] == "accepted", r.json()
    assert api.client.get(f"/v1/contracts/{cid}/flags", headers=api.rep).json()["status"] == (
        "clean"
    )


def test_a_decision_on_a_stale_flag_gets_409(api: Api) -> None:
    cid, flag = _two_approver_flag(api)
    seen = flag["version"]
    assert seen
    # New deal data re-reviews the contract: the flag now needs legal only.
    r = api.client.put(f"/v1/contracts/{cid}/deal", json={"value": 1000}, headers=api.rep)
    [now] = r.json()["flags"]
    assert now["id"] == flag["id"] and now["approvers"] == ["legal"]
    assert now["version"] != seen
    r = _decide(api, flag["id"], decision="accept", approver="legal", flag_version=seen)
    assert r.status_code == 409 and r.json()["error"]["code"] == "flag_stale"
    r = _decide(api, flag["id"], decision="accept", flag_version=now["version"])
    assert r.status_code == 200 and r.json()["status"] == "accepted"

    # A flag the latest review no longer raises is stale too (not "not found").
    from review.models import FlagRow

    with api.services.db.session() as s:
        s.get(FlagRow, flag["id"]).active = False
    r = _decide(api, flag["id"], decision="reject")
    assert r.status_code == 409 and r.json()["error"]["code"] == "flag_stale"


@pytest.mark.parametrize("body", [{"approver": "x" * 51}, {"flag_version": "v" * 65}])
def test_decision_fields_are_bounded(api: Api, body: dict[str, str]) -> None:
    r = _decide(api, "nope", decision="accept", **body)
    assert r.status_code == 422
