"""A request to leave a whole clause out is judged by the playbook's decision on an absent
clause, as the review judges a contract without it: a clause every sales agreement must have
cannot be dropped, whatever values the request also names. Written in session 21 with
wordings of its own (no eval set's sentences)."""

from __future__ import annotations

import pytest

from drafting.understand import asks_to_omit
from tests.conftest import Api, ask


@pytest.fixture(scope="module")
def api(ask_api: Api) -> Api:
    return ask_api


@pytest.mark.parametrize(
    "text",
    [
        "can we leave the governing law clause out? they won't take Delaware",
        "ok to omit the payment terms section and just invoice net 30 by email?",
        "customer wants the data protection clause removed",
        "is it fine to sign without any term and renewal clause, just 12 months?",
        "they'd like to keep indemnities out of the agreement",
        "legal on their side suggests leaving the audit section out of the MSA entirely",
        "what if we sign with the publicity clause left out?",
        "they are dropping the warranty clause from their paper",
    ],
)
def test_a_request_to_leave_a_clause_out(text: str) -> None:
    assert asks_to_omit(text)


@pytest.mark.parametrize(
    "text",
    [
        "drop the liability cap for data breaches",
        "no price increase for three years",
        "customer wants net 45 instead of net 30",
        "can we remove the auto-renewal?",
        "they keep asking for net 60",
        "we left the cap at 1x fees",
    ],
)
def test_values_and_terms_are_not_leaving_the_clause_out(text: str) -> None:
    assert not asks_to_omit(text)


@pytest.mark.parametrize(
    ("question", "clause_type"),
    [
        ("can we leave the governing law clause out? they won't take Delaware", "governing_law"),
        ("ok to omit the payment terms section and just invoice net 30 by email?", "payment_terms"),
        (
            "is it fine to sign without any term and renewal clause, just 12 months?",
            "term_and_renewal",
        ),
        (
            "no agreement on which law applies, so they propose leaving it out of the"
            " contract. ok?",
            "governing_law",
        ),
    ],
)
def test_leaving_out_a_required_clause_is_no(api: Api, question: str, clause_type: str) -> None:
    a = ask(api, question)
    assert a["clause_type"] == clause_type, a["answer_markdown"]
    assert a["decision"] == "no", a["answer_markdown"]
    assert "Nearest approved language" in a["answer_markdown"], a["answer_markdown"]
