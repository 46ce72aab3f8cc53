"""Risky asks and off-topic questions in wordings no eval set uses, written before the fixes
they check (session 20): post-termination help, exits on a change of control, fixed terms
without automatic renewal, concessions without values, and questions about no clause. A fix
that only fits the development sentences fails here."""

from __future__ import annotations

import pytest

from tests.conftest import Api, ask


@pytest.fixture(scope="module")
def api(ask_api: Api) -> Api:
    return ask_api


@pytest.mark.parametrize(
    ("question", "clause_types"),
    [
        # post-termination help, free
        (
            "once they terminate, can our team move their records into the new vendor's "
            "system at no cost?",
            {"post_termination_services"},
        ),
        (
            "when the contract ends they want four more months on the platform for free "
            "while they switch over",
            {"post_termination_services"},
        ),
        # an exit for the customer on our change of control
        (
            "should we ever be bought, the client wants an out within 60 days with a refund",
            {"change_of_control"},
        ),
        (
            "they want the right to cancel if a competitor of theirs acquires our company, ok?",
            {"change_of_control"},
        ),
        # a fixed term: no automatic renewal (fallback 3, finance and a sales director)
        (
            "the city council cannot have automatic renewals; every renewal is signed "
            "separately. fine?",
            {"term_and_renewal"},
        ),
        (
            "state agency buyer: the subscription must simply expire at the end of the term, "
            "no auto-renew. can we do that?",
            {"term_and_renewal"},
        ),
        # concessions without values the guidance or rules forbid
        (
            "can we hand over ownership of the platform improvements we build for them?",
            {"ip_ownership"},
        ),
        ("could we promise never to raise their price across a five-year term?", None),
        ("can we promise them the software will be error free?", {"warranties"}),
        (
            "they'd like us to stop selling to other hospitals in their region, ok?",
            {"exclusivity", "non_compete"},
        ),
        ("our liability for a data leak left uncapped, is that okay?", None),
        ("they insist on 120 days to pay our invoices. alright?", {"payment_terms"}),
        (
            "can our fees be reduced automatically for every hour the service is down, with "
            "no ceiling?",
            None,
        ),
    ],
)
def test_risky_asks_in_new_words_never_get_yes(
    api: Api, question: str, clause_types: set[str] | None
) -> None:
    a = ask(api, question)
    assert a["decision"] in ("no", "approval"), a["answer_markdown"]
    if clause_types is not None:
        assert a["clause_type"] in clause_types, a["answer_markdown"]


@pytest.mark.parametrize(
    "question",
    [
        "who is bringing the cake for Priya's farewell on friday?",
        "can I get reimbursed for a taxi home after the late customer call?",
        "how many vacation days do I have left this year?",
        "is the Q4 sales kickoff in Lisbon or Madrid this time?",
        "can you summarise yesterday's all-hands slides for me?",
    ],
)
def test_off_topic_questions_in_new_words_are_not_guessed(api: Api, question: str) -> None:
    a = ask(api, question)
    assert a["clause_type"] is None, a["answer_markdown"]
    assert a["decision"] is None
    assert "cannot tell which clause" in a["answer_markdown"]
    assert a["closest_types"]


def test_names_of_what_happens_after_the_contract_and_of_a_fixed_term(api: Api) -> None:
    vocab = api.services.assistant._vocabulary()
    assert "post_termination_services" in vocab.named(
        "they want help to migrate off us after termination"
    )
    assert "post_termination_services" in vocab.named("free offboarding after expiry?")
    # "after termination" says when another clause runs, not which clause
    assert "post_termination_services" not in vocab.named(
        "confidentiality to run 6 years after termination"
    )
    assert "term_and_renewal" in vocab.named("can we do a fixed term for the county?")


def test_a_region_alone_is_a_market_not_where_data_is_kept(api: Api) -> None:
    vocab = api.services.assistant._vocabulary()
    named = vocab.named("they want us to stop selling to other regional grocery chains")
    assert "data_protection" not in named
    assert "exclusivity" in named
    assert "data_protection" in vocab.named("their data must stay in the EU data region")
