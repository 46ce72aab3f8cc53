"""Values and facts read from other companies' wording, where the approved position is clear
to a reader but was not to the playbook: a quantity is named by the words of its own phrase,
a figure repeated in brackets is one quantity, hours of notice are days, a leftover quantity
its own words name is judged too; "neither party may assign without consent" is a bar, and
"payment is not suspended" carves payment out of force majeure. Written in our own
third-party wording, not taken from any eval file."""

from __future__ import annotations

from functools import cache
from typing import Any

from extraction import analyze
from playbook import Decision, decide, match_clause
from playbook.quantities import quantities
from review import LibrarySnapshot
from review.facts import compute_facts
from review.library import clauses_from_files


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


def _decide(clause_type: str, text: str, meaning: dict[str, float]) -> Decision:
    info = snapshot().types[clause_type]
    words = match_clause(text, info.positions, info.type)
    assert words.classification == "deviation"
    return decide(info, words=words, meaning=meaning, text=text)


def _values(d: Decision) -> dict[str, Any]:
    return {k: v for k, v in d.values.items() if v is not None}


def test_cap_is_read_from_its_own_phrase_not_across_a_comma() -> None:
    text = (
        "On the Enterprise plan the hosted platform shall be reachable 99.9% of each month. "
        "Supplier shall credit 5% of that month's charges for each 0.5% shortfall, "
        "capped at 15% of those charges, as the subscriber's only remedy."
    )
    d = _decide("service_levels", text, {"standard": 0.66, "fallback-1": 0.78, "fallback-2": 0.70})
    assert _values(d).get("credit_cap_percent") == 15
    assert _values(d).get("uptime_percent") == 99.9
    assert d.outcome == "fallback" and d.position is not None
    assert d.position.id == "fallback-1"


def test_minimum_and_maximum_in_one_sentence_each_keep_their_own_figure() -> None:
    text = (
        "Each year on the anniversary date the charges move with the annual change in the "
        "US CPI-U, provided that the increase is at least three percent (3%) and a maximum "
        "increase of seven percent (7%) applies."
    )
    d = _decide(
        "price_escalation",
        text,
        {"standard": 0.60, "fallback-1": 0.59, "fallback-2": 0.74, "fallback-3": 0.57},
    )
    v = _values(d)
    assert v.get("index_floor_percent") == 3
    assert v.get("index_cap_percent") == 7


def test_a_figure_repeated_in_brackets_is_one_quantity() -> None:
    qs = quantities("a fee of ten percent (10%) and users may be swapped three (3) times a year")
    assert [(q.kind, q.value) for q in qs if q.kind in ("percent", "count")] == [
        ("percent", 10.0),
        ("count", 3.0),
    ]


def test_hours_of_notice_are_days_of_notice() -> None:
    text = (
        "The Client, its regulators and its advisers may inspect the Supplier's premises, "
        "systems and records whenever the Client chooses, on seventy-two (72) hours' notice, "
        "at the Supplier's cost."
    )
    d = _decide("audit_rights", text, {"standard": 0.63, "fallback-1": 0.76, "fallback-2": 0.74})
    assert _values(d).get("audit_notice_days") == 3
    assert d.outcome == "outside"


def test_a_rolling_window_is_not_a_cure_period() -> None:
    text = (
        "The subscriber may end the affected order by notice if the availability target is "
        "missed in three (3) months of any rolling six (6) month period, and prepaid fees for "
        "the rest of the term shall then be returned."
    )
    d = _decide(
        "termination_for_cause", text, {"standard": 0.69, "fallback-1": 0.68, "fallback-2": 0.84}
    )
    v = _values(d)
    assert "cure_period_days" not in v
    assert v.get("chronic_failure_months") == 3
    assert d.outcome == "fallback" and d.position is not None
    assert d.position.id == "fallback-2"


def test_a_leftover_quantity_named_by_its_own_words_is_judged() -> None:
    # Reads like our standard in meaning, but the customer's own audit lasting two business
    # days is what only the first fallback allows.
    text = (
        "If the Supplier's independent assurance reports leave a specific question open, the "
        "Client may, once in any twelve (12) month period and on thirty (30) days' written "
        "notice, review the Supplier's relevant controls for up to two (2) business days, at "
        "the Client's own cost."
    )
    d = _decide("audit_rights", text, {"standard": 0.84, "fallback-1": 0.70, "fallback-2": 0.60})
    assert _values(d).get("audit_duration_days") == 2
    assert d.outcome == "fallback" and d.position is not None
    assert d.position.id == "fallback-1"


_PARTIES = (
    'This agreement is between Larkspur Cloud Ltd ("Supplier") and Orbit Foods plc ("Client").\n\n'
)


def _fact(text: str, name: str) -> Any:
    full = _PARTIES + text
    return compute_facts(full, analyze(full))[f"term.{name}"].value


def test_a_bar_on_assignment_is_not_free_assignment() -> None:
    text = (
        "9. Transfer. Neither party may transfer this agreement without the other's written "
        "approval, save that either party may transfer it as a whole, on written notice, to "
        "a successor to its business by merger or sale of assets."
    )
    assert _fact(text, "assignment_without_consent") is not True
    free = (
        "9. Transfer. The Client may transfer this agreement to any person without the "
        "Supplier's consent."
    )
    assert _fact(free, "assignment_without_consent") is True


def test_payment_not_suspended_is_carved_out_of_force_majeure() -> None:
    text = (
        "14. Events beyond control. Neither party shall be liable for any delay caused by a "
        "force majeure event; the Client's payment obligations, however, are not suspended."
    )
    assert _fact(text, "force_majeure_excuses_payment") is False


def test_a_promise_not_to_supply_the_customers_competitors_is_exclusivity() -> None:
    text = (
        "11. Competitors. For as long as this agreement lasts, the Supplier will not offer or "
        "supply the platform to any competitor of the Client in the grocery sector."
    )
    assert _fact(text, "exclusivity") is True
    # The same words with the client as the actor restrict the client, not us.
    reverse = (
        "11. Competitors. The Client will not offer or supply its loyalty data to any "
        "competitor of the Supplier."
    )
    assert _fact(reverse, "exclusivity") is not True


def test_an_unapproved_seat_is_read_as_the_venue() -> None:
    text = (
        "Any controversy under this agreement shall be referred to and finally resolved by "
        "arbitration under the SIAC Rules before three arbitrators, seated in Singapore."
    )
    d = _decide(
        "dispute_resolution", text, {"standard": 0.49, "fallback-1": 0.52, "fallback-2": 0.70}
    )
    assert _values(d).get("venue") == "Singapore"
    assert d.outcome == "outside"


def test_words_that_repeat_what_a_fallback_adds_are_that_fallback() -> None:
    # Barely closer to the fallback in meaning than to the standard, but it says what only
    # the fallback adds: contractors using the service on the customer's behalf.
    text = (
        "The Client's outsourcing providers and contractors may use the platform only on the "
        "Client's behalf and for its internal purposes, and the Client answers for their acts "
        "and omissions."
    )
    d = _decide("license_grant", text, {"standard": 0.76, "fallback-1": 0.78, "fallback-2": 0.70})
    assert d.outcome == "fallback" and d.position is not None
    assert d.position.id == "fallback-1"
    # The same meaning scores without the fallback's own words stay standard.
    plain = (
        "The Client may use the platform during the term for its internal business purposes "
        "within the quantities it has bought."
    )
    d = _decide("license_grant", plain, {"standard": 0.76, "fallback-1": 0.78, "fallback-2": 0.70})
    assert d.outcome == "standard"


def test_a_negation_after_a_broad_warranty_widens_it() -> None:
    wide = (
        "7. Warranty. The Supplier warrants that the platform will be free from errors and fit "
        "for the Client's particular purpose, and this promise is not limited by any other term. "
        "The Supplier disclaims all implied warranties."
    )
    assert _fact(wide, "warranty_unlimited") is True
    denied = (
        "7. Warranty. The Supplier does not warrant that the platform will be free from errors."
    )
    assert _fact(denied, "warranty_unlimited") is not True


def test_words_far_in_meaning_that_repeat_a_fallback_are_not_outside_on_a_guess() -> None:
    # A compliance-with-laws warranty alone: no disclaimer in these words is only a guess
    # that the warranty is unlimited, and the words repeat what the fallback adds.
    text = (
        "The Supplier represents and warrants that it will perform the services in compliance "
        "with all laws applicable to it as a provider of hosted software, data protection laws "
        "included."
    )
    i = snapshot().types["warranties"]
    facts = compute_facts(text, analyze(text))
    # A warranty of compliance with the laws that apply to the warrantor is read as limited
    # (no disclaimer needed); at most it may be a guess, never a firm "unlimited".
    f = facts["term.warranty_unlimited"]
    assert f.value is not True or f.confidence <= 0.5
    words = match_clause(text, i.positions, i.type)
    d = decide(
        i,
        facts=facts,
        words=words,
        meaning={"standard": 0.47, "fallback-1": 0.38, "fallback-2": 0.57},
        text=text,
    )
    assert d.outcome == "fallback" and d.position is not None
    assert d.position.id == "fallback-2"


def test_a_rate_period_does_not_cut_the_words_that_name_the_rate() -> None:
    # "annual" is the 2%'s period; "price increase" after it still names the 2% (a request
    # for 2% was left without a value, so it read as the standard and got a "yes").
    from playbook import merged_parameters
    from playbook.values import assign

    text = "could we offer them a 2% annual price increase instead"
    qs = quantities(text)
    two = next(q for q in qs if q.kind == "percent")
    assert two.after[:3] == ["annual", "price", "increase"]
    params = merged_parameters(snapshot().types["price_escalation"].positions)
    assert assign(qs, [], params, text)["uplift_percent"][0] == 2.0


def test_a_period_that_runs_from_a_notice_is_not_the_notice_period() -> None:
    # The window to act after a notice ("within 60 days after being notified") beside the
    # notice period itself ("notify within 20 days"): each figure keeps its own parameter.
    text = (
        "Should either party pass under the control of a direct competitor of the other, the "
        "other may end this Agreement by notice given within sixty (60) days after being "
        "notified of it. The party so acquired shall notify the other of the acquisition "
        "within twenty (20) days."
    )
    d = _decide(
        "change_of_control", text, {"standard": 0.74, "fallback-1": 0.79, "fallback-2": 0.77}
    )
    v = _values(d)
    assert v.get("coc_notice_days") == 20
    assert v.get("coc_termination_days") == 60


def test_a_window_to_object_after_a_notice_is_no_other_parameter() -> None:
    # Fifteen days to object after a notice is neither the notice period nor, for want of
    # another days parameter, the deletion period.
    text = (
        "The processor shall tell the controller of a personal data breach within forty-eight "
        "(48) hours of learning of it. The controller may object to a new sub-processor "
        "within fifteen (15) days of notice of it."
    )
    d = _decide("data_protection", text, {"standard": 0.70, "fallback-1": 0.80, "fallback-2": 0.60})
    v = _values(d)
    assert v.get("breach_notice_hours") == 48
    assert "deletion_days" not in v and "subprocessor_notice_days" not in v
