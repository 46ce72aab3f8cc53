"""The playbook decision on other companies' paper (session 19): party names and spellings
align as ours; a near copy is judged against the approved position's own words unless a
change flips what it commits to; detectors read denials, reducible commitments, open-ended
audits, reciprocal indemnities and compliance-with-laws warranties as a reader would; an index
named in full is the approved short name; a fallback that changes one sentence of the standard
is found when alignment and meaning agree. Clauses written for these tests, not taken from any
eval file."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from clause_index import Clause
from extraction import analyze
from playbook import Fact, decide, match_clause, within
from playbook.decision import pid
from review import LibrarySnapshot
from review.facts import compute_facts
from review.library import clauses_from_files


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


def _fact(text: str, name: str) -> Fact:
    return compute_facts(text, analyze(text))[f"term.{name}"]


def _their_paper(text: str) -> str:
    """Our words as a supplier's paper would put them."""
    for ours, theirs in (
        ("Vendor", "Supplier"),
        ("Customer", "Client"),
        (" will ", " shall "),
        ("favorable", "favourable"),
    ):
        text = text.replace(ours, theirs)
    return text


def test_party_names_and_spellings_of_other_paper_align_as_ours() -> None:
    info = snapshot().types["most_favored_nation"]
    ours = info.positions[0].text
    m = match_clause(_their_paper(ours), info.positions, info.type)
    assert m.changes == 0 and m.classification == "standard"
    # The redline still shows the words as written.
    assert any(o.op == "insert" and "Supplier" in o.text for o in m.redline)
    # Swapping the parties' roles is still a change.
    swapped = ours.replace("Vendor may offer", "Customer may offer")
    assert match_clause(swapped, info.positions, info.type).classification == "deviation"


def _own(value: bool) -> Any:
    def own_facts(_p: Clause) -> Mapping[str, Fact]:
        return {"term.mfn": Fact(value=value, confidence=0.7, source="test")}

    return own_facts


def test_a_near_copy_is_judged_against_the_positions_own_words_unless_it_flips() -> None:
    info = snapshot().types["most_favored_nation"]
    ours = _their_paper(info.positions[0].text)
    copy = ours.replace("negotiated for", "negotiated specifically for")
    meaning = {"standard": 0.95, "fallback-1": 0.6}
    fired = {"term.mfn": Fact(value=True, confidence=0.7, source="test")}
    m = match_clause(copy, info.positions, info.type)
    assert m.classification == "deviation" and m.similarity >= 0.85
    d = decide(info, facts=fired, words=m, meaning=meaning, text=copy, own_facts=_own(True))
    assert d.outcome == "standard"
    # Our own words do not set the rule off: the copy's reading is a departure.
    d = decide(info, facts=fired, words=m, meaning=meaning, text=copy, own_facts=_own(False))
    assert d.outcome == "outside"
    # A change that flips the commitment is a departure whatever our words read as.
    flipped = ours.replace("nothing in this Agreement obliges", "this Agreement obliges")
    mf = match_clause(flipped, info.positions, info.type)
    assert mf.similarity >= 0.85
    d = decide(info, facts=fired, words=mf, meaning=meaning, text=flipped, own_facts=_own(True))
    assert d.outcome == "outside"


def test_a_denial_of_parity_is_no_mfn_and_a_promise_of_it_is_one() -> None:
    denial = (
        "Pricing. Nothing in these terms requires the Licensor to give the Licensee prices that "
        "are as low as or more favourable than the prices it gives to any other customer."
    )
    assert _fact(denial, "mfn").value is not True
    promise = (
        "Best Terms. The Provider undertakes that the charges payable by the Client are and will "
        "remain at least as favourable as those it charges any other client for comparable "
        "services, and it will pass on any lower charge immediately."
    )
    f = _fact(promise, "mfn")
    assert f.value is True and f.confidence > 0.5


def test_no_liquidated_damages_is_not_liquidated_damages() -> None:
    text = (
        "Remedies. No liquidated damages shall be payable by the Supplier under any Work Order, "
        "and the Client's remedies for late delivery are those available at law."
    )
    assert _fact(text, "liquidated_damages").value is not True


def test_a_right_to_lower_the_committed_spend_is_a_reducible_commitment() -> None:
    text = (
        "Annual Minimum. The Client may, by giving sixty (60) days' notice, lower its annual "
        "minimum spend for the following contract year to the volume it actually used."
    )
    assert _fact(text, "commitment_reducible").value is True
    fixed = (
        "Annual Minimum. The minimum spend applies to each contract year and may not be lowered "
        "or reduced during the term."
    )
    assert _fact(fixed, "commitment_reducible").value is not True


def test_an_audit_at_any_time_is_unlimited_whatever_its_notice() -> None:
    text = (
        "Inspection. The Client, or auditors it appoints, may audit and inspect the Supplier's "
        "records and systems relating to the services at any time, on five (5) business days' "
        "prior written notice, and the Supplier shall cooperate fully."
    )
    assert _fact(text, "audit_unlimited").value is True
    yearly = (
        "Inspection. The Client may audit the Supplier's records relating to the services no more "
        "than once in any twelve-month period, at any time during normal business hours, on "
        "thirty (30) days' prior written notice and at the Client's own cost."
    )
    assert _fact(yearly, "audit_unlimited").value is not True


def test_an_indemnity_that_keeps_the_other_sides_obligations_is_mutual() -> None:
    kept = (
        "Personal Injury. The Provider will defend the Client against any claim by a third party "
        "for death or personal injury caused by the Provider's negligence. The Client's "
        "obligations to defend the Provider under clause 11.2 remain unchanged."
    )
    assert _fact(kept, "indemnity_mutual").value is True
    added = (
        "In addition to its obligations under clause 11.1, the Provider shall indemnify the "
        "Client against any claim for damage to tangible property caused by its personnel."
    )
    assert _fact(added, "indemnity_mutual").value is not False
    one_way = (
        "The Provider shall indemnify and hold harmless the Client against all claims arising "
        "from this Agreement. The Client has no obligation to indemnify the Provider."
    )
    assert _fact(one_way, "indemnity_mutual").value is False


def test_a_warranty_of_compliance_with_laws_is_not_unlimited() -> None:
    text = (
        "Legal Compliance. The Licensor warrants that it will comply with all applicable laws in "
        "hosting and operating the platform."
    )
    assert _fact(text, "warranty_unlimited").value is not True
    broad = (
        "The Licensor warrants that the platform will be error-free and fit for the Licensee's "
        "particular purpose, in addition to all warranties implied by law."
    )
    assert _fact(broad, "warranty_unlimited").value is True


def test_an_index_named_in_full_is_the_approved_short_name() -> None:
    info = snapshot().types["price_escalation"]
    spec = next(p.parameters["index_name"] for p in info.positions if "index_name" in p.template)
    eu = "the Harmonised Index of Consumer Prices for the euro area published by Eurostat"
    assert within(spec, eu) is True
    assert within(spec, "the United Kingdom Consumer Price Index") is True
    assert within(spec, "the Retail Prices Index") is False
    assert within(spec, "the Consumer Price Index of Japan") is False


def test_a_fallback_changing_one_sentence_is_found_when_alignment_and_meaning_agree() -> None:
    info = snapshot().types["termination_for_cause"]
    f1 = next(p for p in info.positions if pid(p) == "fallback-1")
    std = info.positions[0]
    text = (
        "Either party may end this Agreement or an Order Form by written notice where the other "
        "party is in material breach and has not cured it within thirty (30) days after a "
        "notice describing it, or within ten (10) days for unpaid undisputed fees; or at once "
        "if the other party becomes insolvent or bankrupt. If the Client ends it for the "
        "Supplier's breach, the Supplier shall refund prepaid fees for the rest of the term. "
        "If the Supplier ends it for the Client's breach, the Client shall pay the fees accrued "
        "to the date of termination and no prepaid fees shall be refunded."
    )
    m = match_clause(text, info.positions, info.type)
    assert m.position_id == pid(f1)
    close = {"standard": 0.90, "fallback-1": 0.91, "fallback-2": 0.70}
    d = decide(info, words=m, meaning=close, text=text)
    assert d.outcome == "fallback" and d.position is not None and d.position.id == pid(f1)
    # Closer in meaning to the standard: the standard, whatever the alignment picks.
    d = decide(info, words=m, meaning=close | {"fallback-1": 0.89}, text=text)
    assert d.position is not None and d.position.id == pid(std)
