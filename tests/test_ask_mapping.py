"""How the assistant maps a rep's question to a clause type: reps' short forms, typos, word
forms, several types in one question, questions about no clause; and the guard on a pasted
clause's "yes"."""

from __future__ import annotations

import pytest

from drafting.clause_type import _same_word
from playbook.guidance import ruled_out
from tests.conftest import Api, ask


@pytest.fixture(scope="module")
def api(ask_api: Api) -> Api:
    return ask_api


def test_word_forms_and_typos_are_the_same_word() -> None:
    assert _same_word("exclusive", "exclusivity")
    assert _same_word("confidentaility", "confidentiality")  # two letters swapped
    assert _same_word("indemnty", "indemnity")  # one letter left out
    assert _same_word("licence", "license")
    assert not _same_word("assign", "design")
    assert not _same_word("insurance", "assurance")
    # a compound names something else: "short" is no form of "shortfall"
    assert not _same_word("short", "shortfall")
    assert _same_word("terminate", "termination") and _same_word("renew", "renewal")


def test_word_forms_are_worked_out_once_per_question_word(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Comparing each question word with every vocabulary phrase was most of an ask's CPU
    time: a word's forms are found once, and the same names are found from them."""
    from drafting import clause_type

    vocab = clause_type.Vocabulary(api.services.assistant._types())
    question = "can we drop the exclusivty and the confidentail period for their resellers?"
    first = vocab.named(question)
    assert {"exclusivity", "confidentiality"} <= set(first)
    calls = []
    real = clause_type._same_word

    def counted(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(clause_type, "_same_word", counted)
    assert vocab.named(question) == first
    assert calls == []  # every word of it was seen before
    vocab.named("and the indemnty?")
    # one new word, compared once with each long vocabulary word
    assert len(calls) == len({w for p in vocab.phrases for w in p.words if len(w) >= 5})


@pytest.mark.parametrize(
    ("question", "clause_type"),
    [
        # reps' short forms
        (
            "FM clause: can they end the deal after 45 days of outage rather than 60?",
            "force_majeure",
        ),
        ("is a T4C right after year one something we ever give?", "termination_for_convenience"),
        # typos
        ("can we stretch the confidentaility period to 6 years?", "confidentiality"),
        ("they want an uncaped indemnty for IP claims, ok?", "indemnification"),
        # several types named: the one the value or the request is about
        ("they want a 4-year initial term so their pricing stays put, ok?", "term_and_renewal"),
        ("can we be their exclusive vendor in the insurance sector?", "exclusivity"),
        # reps' words for a type the search reads as another
        (
            "we'd need their sign-off before we get acquired. can we agree to that?",
            "change_of_control",
        ),
        ("can they walk away whenever they like and get a refund?", "termination_for_convenience"),
    ],
)
def test_question_maps_to_the_type_it_asks_about(api: Api, question: str, clause_type: str) -> None:
    a = ask(api, question)
    assert a["clause_type"] == clause_type, a["answer_markdown"]


@pytest.mark.parametrize(
    "question",
    [
        "what time does the canteen close on fridays?",
        "is the parking garage open this weekend?",
        "zorblat quxx frimble wubbo?",
        "write a short blog post about our new office opening",
    ],
)
def test_a_question_about_no_clause_is_not_guessed(api: Api, question: str) -> None:
    a = ask(api, question)
    assert a["clause_type"] is None, a["answer_markdown"]
    assert a["decision"] is None
    assert "cannot tell which clause" in a["answer_markdown"]


def test_real_questions_without_a_type_name_are_still_answered(api: Api) -> None:
    a = ask(api, "what happens if they pay their invoices late?")
    assert a["clause_type"] == "payment_terms"


def test_guidance_that_sends_a_concession_up_rules_it_out(api: Api) -> None:
    types = api.services.assistant._types()
    texts = [s.text for s in ruled_out(types["confidentiality"])]
    assert "Perpetual obligations over all information go to legal" in texts
    a = ask(api, "can we keep all of their information confidential forever, both ways?")
    assert a["decision"] != "yes", a["answer_markdown"]


@pytest.mark.parametrize(
    "question",
    [
        # pasted under another type's heading: the guard reads what it commits to
        "their insurance section says: 'The Supplier's liability under this Agreement shall "
        "be unlimited in amount.' is that ok?",
        "is this acceptable? 'Each party shall keep all information received from the other "
        "confidential forever, and these obligations shall never expire.'",
    ],
)
def test_a_pasted_clause_yes_passes_the_guard(api: Api, question: str) -> None:
    a = ask(api, question)
    assert a["intent"] == "compare"
    assert a["decision"] != "yes", a["answer_markdown"]
