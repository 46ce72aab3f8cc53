"""A request that names what only one approved fallback says (an affiliate, a mutual exit)
and trips a rule that the fallback's own words trip too is that fallback: an approval by
its approvers, not a "no". A request that names no fallback ("to anyone") stays outside.
Wordings of our own, as other companies' reps put it."""

from __future__ import annotations

from functools import cache

import pytest

from playbook.decision import named_fallback
from review import LibrarySnapshot
from review.library import clauses_from_files
from tests.conftest import Api, ask


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


@pytest.fixture(scope="module")
def api(ask_api: Api) -> Api:
    return ask_api


def _approvers(a: dict[str, object]) -> set[str]:
    return {x for ap in a["approvals"] for x in ap["approvers"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("clause_type", "text", "fallback"),
    [
        ("assignment", "hand the agreement to a sister affiliate on notice?", "fallback-1"),
        ("change_of_control", "the exit to go both ways if a rival takes us over", "fallback-1"),
        ("change_of_control", "a reciprocal right to end it on our takeover", "fallback-1"),
        ("assignment", "can they assign it to anyone at all without our consent?", None),
        ("change_of_control", "they want to cancel if we are ever acquired", None),
    ],
)  # fmt: skip
def test_the_fallback_a_request_names(clause_type: str, text: str, fallback: str | None) -> None:
    got = named_fallback(snapshot().types[clause_type], text)
    assert (got.id.split(".", 1)[-1] if got else None) == fallback


@pytest.mark.parametrize(
    "question",
    [
        "our client runs procurement through a group entity and shifts deals between "
        "subsidiaries; can they transfer the agreement to an affiliate without asking us, "
        "just telling us afterwards?",
        "can we let the customer assign the contract to its affiliated companies w/o "
        "needing our sign-off?",
    ],
)
def test_assignment_to_affiliates_is_the_sales_directors_call(api: Api, question: str) -> None:
    a = ask(api, question)
    assert a["clause_type"] == "assignment"
    assert a["decision"] == "approval"
    assert _approvers(a) == {"sales_director"}


@pytest.mark.parametrize(
    "question",
    [
        "the buyer wants a reciprocal clause: should a direct competitor of theirs acquire "
        "us, they can walk away within 60 days. can we agree?",
        "make the competitor takeover exit mutual - if one of their direct rivals acquires "
        "us they may terminate. ok?",
    ],
)
def test_a_mutual_exit_on_our_takeover_by_their_competitor_needs_legal_and_executive(
    api: Api, question: str
) -> None:
    a = ask(api, question)
    assert a["clause_type"] == "change_of_control"
    assert a["decision"] == "approval"
    assert _approvers(a) == {"legal", "executive"}


@pytest.mark.parametrize(
    "question",
    [
        "can the client transfer the agreement to any third party it likes, no consent from us?",
        "they want us to obtain their consent before any merger or sale of our company "
        "can move the contract. ok?",
    ],
)
def test_requests_that_name_no_fallback_stay_a_no(api: Api, question: str) -> None:
    assert ask(api, question)["decision"] == "no"


def test_a_type_named_only_in_the_situation_is_not_what_is_asked(api: Api) -> None:
    from drafting.clause_type import Vocabulary, context_named

    vocab = Vocabulary(api.services.assistant._types())
    text = (
        "Brightwater Labs fears one of its rivals buys us. could they cancel within 45 days "
        "if we assign the agreement to a direct competitor of theirs?"
    )
    assert "change_of_control" in context_named(vocab, text)
    assert context_named(vocab, "a rival buys us. possible?") == set()


def test_an_exit_if_we_assign_to_their_competitor_is_an_assignment_question(api: Api) -> None:
    a = ask(
        api,
        "Brightwater Labs fears one of its rivals buys us. could they cancel within 45 days "
        "if we assign the agreement to a direct competitor of theirs, prepaid fees refunded?",
    )
    assert a["clause_type"] == "assignment"
