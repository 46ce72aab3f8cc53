"""How often, how long the deal runs, and liability without a cap, in reps' words (session
21): "twice a year" is an interval of 6 months, "3 yr term" is the deal's length and never a
clause's value, "no cap at all on claims for data leaks" is unlimited liability. Also the
words that ask for a decision ("who signs off?", "do-able?")."""

from __future__ import annotations

import pytest

from clause_index.schema import Parameter, ParamKind
from drafting.understand import cue_facts, parse, without_deal_length
from playbook.quantities import quantities
from playbook.values import assign
from tests.conftest import Api, ask

_FREQUENCY = {
    "audit_frequency_months": Parameter(
        kind=ParamKind.months,
        description="Minimum interval between audits.",
        default=12,
        min=12,
        max=12,
    ),
    "audit_notice_days": Parameter(
        kind=ParamKind.days, description="Days of written notice.", default=30, min=30, max=60
    ),
}
_PER_YEAR = {
    "reassignment_per_year": Parameter(
        kind=ParamKind.integer,
        description="How many times a year a named-user license may be reassigned.",
        default=2,
        min=1,
        max=2,
    )
}
_LOOKBACK = {
    "cap_multiple": Parameter(kind=ParamKind.multiple, description="Cap.", default=1),
    "lookback_months": Parameter(
        kind=ParamKind.months, description="Months of fees the cap counts.", default=12
    ),
}


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("the customer would like to inspect us twice a year", 6.0),
        ("an audit three times a year on 30 days' notice", 4.0),
        ("audits 4 times per year", 3.0),
        ("an audit once a year on 30 days notice", 12.0),
    ],
)
def test_how_often_is_an_interval(text: str, months: float) -> None:
    found = assign(quantities(text), [], _FREQUENCY, text)
    assert found["audit_frequency_months"][0] == months


def test_how_often_counts_per_year() -> None:
    text = "may they move a seat to a new user twice a month?"
    assert assign(quantities(text), [], _PER_YEAR, text)["reassignment_per_year"][0] == 24.0


def test_twice_a_year_is_not_a_multiple() -> None:
    assert [q.kind for q in quantities("twice a year")] == ["count", "months"]


@pytest.mark.parametrize(
    "text",
    [
        "they need a 2x cap. 500k/yr, 3 yr term. can we?",
        "a 2x cap on a 24-month deal?",
        "2x the fees as a cap, it's a two-year contract",
    ],
)
def test_the_deal_length_is_not_a_lookback(text: str) -> None:
    qs = without_deal_length(quantities(text), text)
    found = assign(qs, [], _LOOKBACK, text)
    assert found["cap_multiple"][0] == 2.0
    assert "lookback_months" not in found


def test_a_lookback_stays_a_lookback() -> None:
    text = "a 2x cap on a 12-month lookback"
    qs = without_deal_length(quantities(text), text)
    assert assign(qs, [], _LOOKBACK, text)["lookback_months"][0] == 12.0


@pytest.mark.parametrize(
    "text",
    [
        "their counsel wants our liability for any privacy breach to be uncapped",
        "no limit at all on damages for a security incident, can we?",
        "they want to strike the liability cap",
        "unlimited exposure for data loss, any way to get there?",
    ],
)
def test_liability_without_a_cap(text: str) -> None:
    assert cue_facts(text).get("term.liability_uncapped") is not None


@pytest.mark.parametrize(
    "text",
    [
        "they want a 3x super-cap for data breaches",
        "no cap on annual price increases above 8%?",
        "they want unlimited audits",
        "is liability for indemnities uncapped under our standard?",
    ],
)
def test_a_cap_or_another_limit_is_not_unlimited_liability(text: str) -> None:
    assert "term.liability_uncapped" not in cue_facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "customer wants 45-day payment terms. who signs off?",
        "30 days notice to end the contract, do-able?",
        "reporting for their own clients - fine under the standard license?",
    ],
)
def test_asking_who_approves_is_asking_for_a_decision(text: str) -> None:
    assert parse(text).intent == "can_i"


@pytest.fixture(scope="module")
def api(ask_api: Api) -> Api:
    return ask_api


def test_an_interval_shorter_than_allowed_is_refused(api: Api) -> None:
    a = ask(api, "the client's security team wants to audit us four times a year. ok?")
    assert a["clause_type"] == "audit_rights"
    assert a["decision"] == "no", a["answer_markdown"]


def test_a_deal_length_does_not_turn_a_fallback_into_a_no(api: Api) -> None:
    r = api.client.post(
        "/v1/ask",
        json={
            "question": "their counsel wants the LoL at 2x annual fees. ~150k/yr, 2 yr "
            "deal. ok to agree?",
            "deal": {"value": 150000, "currency": "USD", "term_months": 24},
        },
        headers=api.rep,
    )
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["clause_type"] == "limitation_of_liability"
    assert a["decision"] == "approval", a["answer_markdown"]


def test_unlimited_liability_for_a_breach_is_no_with_the_super_cap_offered(api: Api) -> None:
    a = ask(api, "they want our liability for any privacy breach to be uncapped. any way?")
    assert a["decision"] == "no", a["answer_markdown"]
    assert a["fallbacks"], a["answer_markdown"]
    assert all(f["approvers"] for f in a["fallbacks"])
