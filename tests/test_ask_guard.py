"""The assistant's guard on "yes": what the guidance rules out, other readings of a
question's values, concessions the standard leaves out, and questions about no clause."""

from __future__ import annotations

import pytest

from playbook.guidance import ruled_out
from tests.conftest import Api, ask


@pytest.fixture(scope="module")
def api(ask_api: Api) -> Api:
    return ask_api


def test_guidance_statements_are_read_item_by_item(api: Api) -> None:
    types = api.services.assistant._types()
    texts = [s.text for s in ruled_out(types["warranties"])]
    assert "Never accept fitness for the customer's particular purpose" in texts
    pay = [s for s in ruled_out(types["payment_terms"]) if "approved by the customer" in s.text]
    assert pay and pay[0].approvers == ["finance"]


@pytest.mark.parametrize(
    "question",
    [
        # guidance: payment on approval of the invoice is outside the playbook
        "can we accept payment only on receipt of an invoice their project lead has approved?",
        # guidance: never the customer's DPA in place of ours without review
        "can we sign their own DPA instead of ours without legal looking at it?",
        # a convenience right at any time, no fee: the rule forbids it whatever the notice
        "3-year deal, they want to walk away at any time on 90 days' notice, no exit fee. ok?",
        pytest.param(
            "multi-year deal: they want to cancel any time on 90 days' notice, no exit fee. fine?",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known gap: the rule is matched by meaning; this wording misses the margin",
            ),
        ),
    ],
)
def test_never_yes_where_the_playbook_says_otherwise(api: Api, question: str) -> None:
    a = ask(api, question)
    assert a["decision"] == "no", a["answer_markdown"]
    # a no always offers the approved fallbacks and who approves each
    assert a["fallbacks"] and all(f["approvers"] for f in a["fallbacks"])
    assert "Approved fallbacks you can offer instead" in a["answer_markdown"]


def test_a_fallback_asked_for_in_substance_needs_its_approvers(api: Api) -> None:
    a = ask(
        api,
        "their budget is approved yearly: can they opt out at the end of each contract "
        "year with 90 days' notice on this 3-year deal?",
    )
    assert a["clause_type"] == "termination_for_convenience"
    assert a["decision"] == "approval"
    assert sorted(x for ap in a["approvals"] for x in ap["approvers"]) == [
        "finance",
        "sales_director",
    ]


def test_the_value_asked_for_is_judged_not_the_one_it_replaces(api: Api) -> None:
    a = ask(api, "their HR says 12 months is too long for the non-solicit, can we do 6 months?")
    assert a["clause_type"] == "non_solicitation" and a["decision"] == "approval"


def test_a_question_about_no_clause_is_not_guessed(api: Api) -> None:
    a = ask(api, "asdf qwerty")
    assert a["clause_type"] is None and a["decision"] is None
    assert "cannot tell which clause" in a["answer_markdown"]
