"""A rule is judged against the approved position the counterparty's words amount to: a rule
that also fires on that position's own words is what the position allows, not a departure;
fallbacks defined by what they say are recognised by meaning; a guessed reading does not
block; values are read for the position the words amount to."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from clause_index import Clause
from playbook import Fact, TypeInfo, decide, match_clause
from playbook.quantities import quantities
from review import LibrarySnapshot
from review.library import clauses_from_files


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


def info(t: str) -> TypeInfo:
    return snapshot().types[t]


def own(facts_by_position: Mapping[str, Mapping[str, Fact]]):  # type: ignore[no-untyped-def]
    """What the fact readers make of each approved position's own words (stand-in)."""

    def read(p: Clause) -> Mapping[str, Fact]:
        return facts_by_position.get(p.id.split(".", 1)[-1], {})

    return read


TFC = (
    "Customer may terminate any Order Form for convenience upon ninety (90) days' prior "
    "written notice to Provider, provided that Customer shall pay an early termination fee "
    "equal to fifty percent (50%) of the Fees remaining for the balance of the then-current "
    "Subscription Term."
)
CUSTOMER_RIGHT = {
    "term.termination_for_convenience_party": Fact(value="customer", confidence=0.9),
    "term.termination_for_convenience_notice_days": Fact(value=90, confidence=0.9),
}


def _tfc(meaning: dict[str, float], text: str = TFC, facts: dict[str, Fact] | None = None):  # type: ignore[no-untyped-def]
    i = info("termination_for_convenience")
    words = match_clause(text, i.positions, i.type)
    assert words.classification == "deviation"
    return decide(
        i,
        facts=facts or CUSTOMER_RIGHT,
        words=words,
        meaning=meaning,
        text=text,
        own_facts=own({"fallback-2": CUSTOMER_RIGHT}),
    )


def test_a_rule_firing_on_the_fallbacks_own_words_is_that_fallback() -> None:
    d = _tfc({"standard": 0.84, "fallback-1": 0.82, "fallback-2": 0.91})
    assert d.outcome == "fallback" and d.position and d.position.id == "fallback-2"
    assert "tfc.customer_right" not in [r.rule_id for r in d.reasons]
    assert sorted(d.approvers) == ["executive", "finance"]


def test_the_same_rule_blocks_words_that_are_not_close_to_the_fallback() -> None:
    d = _tfc({"standard": 0.66, "fallback-1": 0.6, "fallback-2": 0.7})
    assert d.outcome == "outside"
    assert "tfc.customer_right" in [r.rule_id for r in d.reasons]


def test_a_departure_the_fallback_does_not_make_still_blocks() -> None:
    text = (
        "Client may terminate this Agreement at any time, for any reason, upon thirty (30) "
        "days' written notice, without penalty."
    )
    facts = {
        "term.termination_for_convenience_party": Fact(value="customer", confidence=0.9),
        "term.termination_for_convenience_notice_days": Fact(value=30, confidence=0.9),
    }
    d = _tfc({"standard": 0.7, "fallback-1": 0.7, "fallback-2": 0.8}, text, facts)
    assert d.outcome == "outside" and d.answer == "no"
    assert "tfc.short_notice" in [r.rule_id for r in d.reasons]


def test_without_the_positions_own_words_the_rule_blocks_as_before() -> None:
    i = info("termination_for_convenience")
    words = match_clause(TFC, i.positions, i.type)
    d = decide(
        i,
        facts=CUSTOMER_RIGHT,
        words=words,
        meaning={"standard": 0.84, "fallback-1": 0.82, "fallback-2": 0.91},
        text=TFC,
    )
    assert d.outcome == "outside"


def test_a_wording_defined_fallback_is_recognised_by_meaning_over_ranges() -> None:
    # Arbitration seated in New York: New York courts are fallback 1 by the venue alone,
    # but the words say what the arbitration fallback says.
    i = info("dispute_resolution")
    text = (
        "Any controversy or claim arising out of or relating to this Agreement that is not "
        "resolved by senior executives within thirty (30) days shall be settled by binding "
        "arbitration administered by the American Arbitration Association, seated in New "
        "York, New York."
    )
    words = match_clause(text, i.positions, i.type)
    d = decide(
        i,
        words=words,
        meaning={"standard": 0.58, "fallback-1": 0.62, "fallback-2": 0.73},
        text=text,
    )
    assert d.outcome == "fallback" and d.position and d.position.id == "fallback-2"


def test_a_fallback_restating_the_standard_with_wider_ranges_is_left_to_the_values() -> None:
    i = info("confidentiality")
    text = (
        "Each party shall keep the other's Confidential Information confidential and use it "
        "only for the purposes of this Agreement. These obligations survive for five (5) "
        "years after termination."
    )
    words = match_clause(text, i.positions, i.type)
    meaning = {"standard": 0.7, "fallback-1": 0.8, "fallback-2": 0.6}
    d = decide(i, words=words, meaning=meaning, text=text)
    assert d.values.get("survival_years") == 5
    assert d.outcome == "standard"


def test_a_guessed_reading_does_not_put_a_fallback_outside() -> None:
    i = info("warranties")
    text = (
        "Supplier warrants that the Professional Services shall be performed in a professional "
        "and workmanlike manner. Customer shall notify Supplier of any breach of this warranty "
        "within sixty (60) days of completion of the Services."
    )
    words = match_clause(text, i.positions, i.type)
    guess = {"term.warranty_unlimited": Fact(value=True, confidence=0.5, source="regex")}
    meaning = {"standard": 0.72, "fallback-1": 0.83, "fallback-2": 0.75}
    d = decide(i, facts=guess, words=words, meaning=meaning, text=text)
    assert d.outcome == "fallback" and d.position and d.position.id == "fallback-1"
    sure = {"term.warranty_unlimited": Fact(value=True, confidence=0.9, source="regex")}
    assert decide(i, facts=sure, words=words, meaning=meaning, text=text).outcome == "outside"


def test_values_are_read_for_the_fallback_the_words_amount_to() -> None:
    # The standard (no liquidated damages) names no rates: the fallback's parameters are
    # the ones these numbers are for.
    i = info("liquidated_damages")
    text = (
        "If Supplier fails to achieve a Go-Live Milestone by its due date, Supplier shall pay "
        "delay payments of one percent (1%) of the implementation fees for each full week of "
        "delay, up to a maximum of ten percent (10%) of such fees."
    )
    words = match_clause(text, i.positions, i.type)
    d = decide(i, words=words, meaning={"standard": 0.44, "fallback-1": 0.79}, text=text)
    assert d.values.get("ld_weekly_percent") == 1 and d.values.get("ld_cap_percent") == 10
    assert d.outcome == "fallback" and d.position and d.position.id == "fallback-1"


def test_consecutive_days_are_a_quantity_of_days() -> None:
    q = quantities("for more than thirty (30) consecutive days")
    assert [(x.kind, x.value) for x in q] == [("days", 30.0)]
