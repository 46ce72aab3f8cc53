"""Gaps found on blind set 7 (session 25), checked in wordings of our own: a number given
without its unit, a generic word that only a form of a type's name shares ("notice" is not
the notices clause), mediation named as such, and a customer's exit on any change of our
ownership. None of these may come back as a plain "yes"."""

from __future__ import annotations

import pytest

from drafting.guard import _BARE
from drafting.understand import cue_facts
from tests.conftest import Api, ask


@pytest.fixture(scope="module")
def api(ask_api: Api) -> Api:
    return ask_api


def test_a_number_on_its_own_is_read_only_at_the_end_of_a_phrase() -> None:
    def bare(text: str) -> list[str]:
        return [m.group(0) for m in _BARE.finditer(text)]

    assert bare("72 hours is too slow for them, they could live with 36") == ["36"]
    assert bare("would they settle for 20?") == ["20"]
    # counts, money, sections and codes are no values of the clause
    assert bare("a 40 seat deal at $120,000, see section 9, Q4 close") == []


@pytest.mark.parametrize(
    "text",
    [
        "their board insists on an exit on any change in control of a key vendor",
        "they want to be able to cancel on every change of ownership of the supplier",
    ],
)
def test_an_exit_on_any_change_of_our_ownership_is_the_customers_exit(text: str) -> None:
    assert cue_facts(text).get("term.customer_coc_termination_right") is not None


def test_our_exit_on_any_change_of_their_ownership_is_not_theirs() -> None:
    assert "term.customer_coc_termination_right" not in cue_facts(
        "can we terminate on any change of control of the customer?"
    )


def test_notice_is_not_the_name_of_the_notices_clause(api: Api) -> None:
    from drafting.clause_type import Vocabulary

    vocab = Vocabulary(api.services.assistant._types())
    generic = vocab.named("they want to transfer it to a sister company on notice")
    specific = vocab.named("where do we send notices under the contract?")
    assert generic["notices"][0] < specific["notices"][0]


@pytest.mark.parametrize(
    ("question", "clause_type"),
    [
        # the other value the rep gives, without its unit, is the one asked for
        (
            "the bank says 72 hrs to hear about a data breach is too slow. they'd settle for 48",
            "data_protection",
        ),
        # mediation is the dispute clause, whatever invoices it also mentions
        (
            "they insist on 120 days of mediation before anyone may go to court, unpaid "
            "invoices included",
            "dispute_resolution",
        ),
        # an intra-group move of the contract is an assignment, not a notices question
        (
            "the customer restructures its group often; they'd like to shift the agreement "
            "to any affiliate without asking us, just by notice. fine?",
            "assignment",
        ),
        # an exit on any change of control of ours: an executive's call, never a plain yes
        (
            "their board needs the right to leave on any change of ownership of a key "
            "supplier, ending within 45 days of our notice with a refund. ok?",
            "change_of_control",
        ),
    ],
)
def test_risky_asks_of_these_kinds_are_never_a_plain_yes(
    api: Api, question: str, clause_type: str
) -> None:
    a = ask(api, question)
    assert a["clause_type"] == clause_type
    assert a["decision"] in ("approval", "no")


def test_the_unit_less_number_decides_the_fallback(api: Api) -> None:
    a = ask(api, "72 hours for breach notification won't work for them, they could take 48")
    assert a["clause_type"] == "data_protection"
    assert a["decision"] == "approval"
    assert {x for ap in a["approvals"] for x in ap["approvers"]} == {"security"}
