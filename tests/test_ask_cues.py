"""What a rep's request commits to, in the words reps use rather than contract words
(`drafting.understand.cue_facts`): these facts are judged by the playbook's own rules, as the
review judges the same commitment written in a contract."""

from __future__ import annotations

import pytest

from drafting.understand import cue_facts


def _facts(text: str) -> dict[str, object]:
    return {k: f.value for k, f in cue_facts(text).items()}


@pytest.mark.parametrize(
    "text",
    [
        "the county legally can't auto-renew, can we do a fixed term?",
        "their policy: no automatic renewals, ever",
        "renewals by signing a new order form each year, ok?",
        "it must simply expire at the end of the term",
    ],
)
def test_a_request_without_automatic_renewal(text: str) -> None:
    assert _facts(text).get("term.auto_renewal") is False


@pytest.mark.parametrize(
    "text",
    ["they want auto-renewal with 30 days' notice", "is auto renewal ok without a reminder?"],
)
def test_a_request_for_automatic_renewal_is_not_read_as_none(text: str) -> None:
    assert "term.auto_renewal" not in _facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "if a rival of theirs buys us they want to be able to leave within 90 days",
        "should we ever be acquired, the client wants a way out",
        "they want to cancel if a competitor acquires our company",
    ],
)
def test_a_customer_exit_on_our_change_of_control(text: str) -> None:
    assert _facts(text).get("term.customer_coc_termination_right") is True


def test_our_exit_on_their_change_of_control_is_not_theirs() -> None:
    assert "term.customer_coc_termination_right" not in _facts(
        "can we terminate if they get acquired by a competitor?"
    )


@pytest.mark.parametrize(
    "text",
    [
        "help them migrate off us after termination, free of charge",
        "once the contract ends they want two months on the platform for free",
    ],
)
def test_free_help_after_the_contract_ends(text: str) -> None:
    assert _facts(text).get("term.transition_services_free") is True


@pytest.mark.parametrize(
    "text",
    [
        "can we give them 3 free months at the start?",
        "a free pilot before signing?",
        # the standard's own free export window is no free transition help
        "they want the free data export window after termination to be 30 days. standard?",
    ],
)
def test_free_things_before_the_end_are_not_transition_help(text: str) -> None:
    assert "term.transition_services_free" not in _facts(text)
