"""Rule-based term extraction on hand-written contract snippets."""

from __future__ import annotations

import time

import pytest

from extraction.terms import extract_terms, parse_duration, parse_number
from extraction.types import Term

PREAMBLE = (
    "MASTER SERVICES AGREEMENT\n\n"
    'This Master Services Agreement (the "Agreement") is entered into as of March 3, 2021, '
    'by and between Acme Widgets, Inc., a Delaware corporation ("Customer"), and Bolt Cloud '
    'LLC, a California limited liability company ("Vendor").\n\n'
    "WHEREAS, Customer wishes to buy services from Vendor.\n\n"
)


def terms_by_name(text: str) -> dict[str, list[Term]]:
    out: dict[str, list[Term]] = {}
    for t in extract_terms(text):
        out.setdefault(t.name, []).append(t)
    return out


def value(text: str, name: str) -> object:
    found = terms_by_name(text).get(name)
    return found[0].value if found else None


def check_offsets(text: str) -> list[Term]:
    terms = extract_terms(text)
    for t in terms:
        assert text[t.start : t.end] == t.text
        assert 0 <= t.confidence <= 1
    return terms


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("thirty (30)", 30),
        ("ninety", 90),
        ("twenty-four", 24),
        ("one hundred and eighty", 180),
        ("sixty (60)", 60),
        ("12", 12),
    ],
)
def test_parse_number(words: str, number: int) -> None:
    assert parse_number(words) == number


def test_parse_duration() -> None:
    assert parse_duration("one (1) year") == (1, "year")
    assert parse_duration("twenty-four months") == (24, "month")
    assert parse_duration("ninety (90) days") == (90, "day")


def test_preamble_terms_and_offsets() -> None:
    terms = terms_by_name(PREAMBLE)
    check_offsets(PREAMBLE)
    assert terms["document_name"][0].value == "MASTER SERVICES AGREEMENT"
    assert terms["agreement_date"][0].value == "2021-03-03"
    parties = [t.value for t in terms["parties"]]
    assert parties[0]["name"] == "Acme Widgets, Inc."
    assert parties[0]["role"] == "customer"
    assert parties[1]["name"] == "Bolt Cloud LLC"
    assert parties[1]["role"] == "vendor"
    assert terms["parties"][0].text == "Acme Widgets, Inc."


def test_effective_date_defined_and_signing() -> None:
    text = PREAMBLE + 'The "Effective Date" means April 1, 2021.'
    assert value(text, "effective_date") == "2021-04-01"
    text = PREAMBLE.replace("as of March 3, 2021", "on the 3rd day of March, 2021") + (
        'The "Effective Date" shall mean the date of execution of this Agreement.'
    )
    assert value(text, "agreement_date") == "2021-03-03"
    assert value(text, "effective_date") == "2021-03-03"


def test_relative_expiration_years_after_effective_date() -> None:
    text = PREAMBLE + (
        'This Agreement is effective as of January 15, 2020 (the "Effective Date"). '
        "The term of this Agreement shall be five (5) years after the Effective Date."
    )
    terms = terms_by_name(text)
    assert terms["effective_date"][0].value == "2020-01-15"
    assert terms["expiration_date"][0].value == "2025-01-15"
    assert terms["initial_term_months"][0].value == 60
    check_offsets(text)


def test_expiration_until_date_and_initial_term_commencing() -> None:
    text = PREAMBLE + "This Agreement shall remain in effect until December 31, 2020."
    assert value(text, "expiration_date") == "2020-12-31"
    text = PREAMBLE + (
        "The Agreement has an initial term of three years commencing on the Effective Date."
    )
    assert value(text, "expiration_date") == "2024-03-03"
    assert value(text, "initial_term_months") == 36


def test_perpetual_term() -> None:
    text = PREAMBLE + (
        "This Agreement shall commence on the Effective Date and shall continue in effect until "
        "terminated by either party in accordance with Section 9."
    )
    assert value(text, "expiration_date") == "perpetual"


def test_auto_renewal_with_notice() -> None:
    text = PREAMBLE + (
        "The initial term of this Agreement is twenty-four months from the Effective Date. "
        "Thereafter this Agreement shall automatically renew for successive one (1) year periods "
        "unless either party gives notice of non-renewal at least ninety (90) days prior to the "
        "end of the then-current term."
    )
    terms = terms_by_name(text)
    assert terms["initial_term_months"][0].value == 24
    assert terms["auto_renewal"][0].value is True
    assert terms["renewal_term_months"][0].value == 12
    assert terms["renewal_notice_days"][0].value == 90
    assert terms["renewal_notice_days"][0].text == "ninety (90) days"
    check_offsets(text)


def test_renewal_notice_in_months_and_manual_renewal() -> None:
    text = PREAMBLE + (
        "The term of this Agreement is two (2) years. This Agreement will automatically renew "
        "for additional terms of two (2) years each unless a party notifies the other of its "
        "intention not to renew at least three (3) months before the expiration of the term."
    )
    assert value(text, "renewal_term_months") == 24
    assert value(text, "renewal_notice_days") == 90
    text = PREAMBLE + (
        "The term of this Agreement is one year. The Agreement may be renewed for one additional "
        "one-year period upon mutual written agreement of the parties."
    )
    assert value(text, "auto_renewal") is False
    assert value(text, "renewal_term_months") == 12


def test_termination_for_convenience() -> None:
    text = PREAMBLE + (
        "Customer may terminate this Agreement for convenience upon thirty (30) days' prior "
        "written notice to Vendor."
    )
    assert value(text, "termination_for_convenience") == {"party": "customer", "notice_days": 30}
    text = PREAMBLE + (
        "Either party may terminate this Agreement at any time without cause by giving sixty "
        "days written notice."
    )
    assert value(text, "termination_for_convenience") == {"party": "either", "notice_days": 60}


def test_governing_law_not_venue() -> None:
    text = PREAMBLE + (
        "Any action shall be brought exclusively in the state or federal courts located in the "
        "State of California. This Agreement shall be governed by and construed in accordance "
        "with the laws of the State of New York, without regard to its conflict of laws rules."
    )
    terms = terms_by_name(text)
    assert terms["governing_law"][0].value == "New York"
    assert "New York" in terms["governing_law"][0].text
    check_offsets(text)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("This Agreement is governed by the laws of England and Wales.", "England and Wales"),
        ("This Agreement shall be construed in accordance with English law.", "England"),
        (
            "This Agreement shall be governed by the laws of the Province of Ontario and the "
            "federal laws of Canada applicable therein.",
            "Ontario",
        ),
        ("The laws of Hong Kong SAR shall govern this Agreement.", "Hong Kong"),
        (
            "This Agreement shall be governed by the laws of the State of Delaware. The parties "
            "submit to the jurisdiction of the courts of New York.",
            "Delaware",
        ),
    ],
)
def test_governing_law_normalization(clause: str, expected: str) -> None:
    assert value(PREAMBLE + clause, "governing_law") == expected


def test_payment_and_fees() -> None:
    text = PREAMBLE + (
        "Customer shall pay Vendor a subscription fee of $12,500 per month. All invoices are "
        "payable within thirty (30) days of receipt of invoice."
    )
    assert value(text, "payment_net_days") == 30
    assert value(text, "fees") == {"amount": 12500.0, "currency": "USD", "period": "month"}
    assert value(PREAMBLE + "Payment terms are net 45.", "payment_net_days") == 45


def test_price_escalation() -> None:
    text = PREAMBLE + (
        "Vendor may increase the fees annually by the change in the Consumer Price Index, not "
        "to exceed 5% per year."
    )
    assert value(text, "price_escalation") == {
        "percent": None,
        "index": "CPI",
        "frequency": "annual",
        "cap_percent": 5.0,
    }


def test_liability_capped_by_fees() -> None:
    text = PREAMBLE + (
        "In no event shall either party's aggregate liability under this Agreement exceed the "
        "fees paid by Customer in the twelve (12) months preceding the claim."
    )
    cap = value(text, "liability_cap")
    assert cap == {
        "uncapped": False,
        "amount": None,
        "currency": None,
        "multiple": 1.0,
        "period_months": 12,
    }
    check_offsets(text)


def test_liability_capped_amount_and_uncapped() -> None:
    text = PREAMBLE + (
        "Vendor's total liability under this Agreement shall not exceed USD 1,000,000."
    )
    cap = value(text, "liability_cap")
    assert isinstance(cap, dict)
    assert cap["amount"] == 1_000_000.0
    assert cap["currency"] == "USD"
    assert cap["uncapped"] is False
    text = PREAMBLE + "Each party shall have unlimited liability for breach of confidentiality."
    cap = value(text, "liability_cap")
    assert isinstance(cap, dict)
    assert cap["uncapped"] is True


def test_empty_and_speed() -> None:
    assert extract_terms("") == []
    body = PREAMBLE + ("The parties shall cooperate in good faith on all matters. " * 900)
    extract_terms(body)  # warm up the pipeline
    t0 = time.perf_counter()
    extract_terms(body)
    assert time.perf_counter() - t0 < 0.5


def test_payment_days_when_the_invoice_is_the_object() -> None:
    text = "3. PAYMENT. Reseller shall pay each invoice within forty-five (45) days."
    (term,) = [t for t in extract_terms(text) if t.name == "payment_net_days"]
    assert term.value == 45 and text[term.start : term.end] == term.text


# --------------------------------------------------------------------------- governing law


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # a parenthetical between "laws of X" and "shall govern"
        (
            "The laws of the State of Oregon (without reference to its conflicts principles) "
            "shall govern all matters arising under this Agreement.",
            "Oregon",
        ),
        # "<state> law" with no "laws of"
        ("This Agreement shall be governed by and construed in accordance with Utah law.", "Utah"),
        # "legislation of X shall apply"
        (
            "The legislation of the Republic of Kazakhstan shall apply to all relations under "
            "this Agreement.",
            "Kazakhstan",
        ),
        # short aliases ("PRC", "R.O.C.")
        ("This Agreement shall be governed by the laws of PRC.", "China"),
        # the jurisdiction named earlier in the sentence: "the laws thereof"
        (
            "This Agreement is accepted by Vendor in the State of Nevada and shall be governed by "
            "the laws thereof.",
            "Nevada",
        ),
        # OCR-glued words
        ("This Agreement shall be governed by the laws ofthe State ofTexas.", "Texas"),
        # two governing laws in one sentence
        (
            "This Agreement shall be governed by the laws of the State of California and the laws "
            "of Hong Kong.",
            "California; Hong Kong",
        ),
        # no governing-law wording at all: the fallback to "laws of X" plus the gazetteer
        (
            "The parties shall refer any dispute to the courts of first instance pursuant to the "
            "laws of Taiwan.",
            "Taiwan",
        ),
    ],
)
def test_governing_law_more_forms(clause: str, expected: str) -> None:
    assert value(PREAMBLE + clause, "governing_law") == expected


def test_governing_law_sentence_split_by_a_page_break() -> None:
    text = PREAMBLE + (
        "This Agreement shall be governed by, and construed in accordance with, the\n\n\n\n"
        "laws of the State of Maine, without regard to its conflict of laws rules."
    )
    assert value(text, "governing_law") == "Maine"
    check_offsets(text)


def test_governing_law_ignores_a_place_after_an_enumeration() -> None:
    clause = (
        "Any arbitration shall (i) be subject to the application of Swiss law and (ii) take "
        "place in Paris, France."
    )
    assert value(PREAMBLE + clause, "governing_law") == "Switzerland"


# --------------------------------------------------------------------------- dates


def test_template_dates_with_a_blank_day_or_month() -> None:
    head = "SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of {} by and between A and B."
    assert value(head.format("October __, 2019,"), "agreement_date") == "2019-10"
    assert value(head.format("this ____ day of June, 2017,"), "agreement_date") == "2017-06"
    assert value(head.format("________, 2015,"), "agreement_date") == "2015"
    text = head.format("October __, 2019,") + " The term of this Agreement is two (2) years."
    assert value(text, "expiration_date") == "2021-10"


def test_day_month_year_numeric_date() -> None:
    text = (
        "SERVICES AGREEMENT\n\nThis Agreement is dated 25/06/2011 by and between A Ltd and B Ltd."
    )
    assert value(text, "agreement_date") == "2011-06-25"


def test_date_of_another_agreement_is_not_the_agreement_date() -> None:
    text = (
        "AMENDMENT NO. 1\n\nThis Amendment No. 1 to the Supply Agreement dated as of May 2, 2015 "
        '(the "Supply Agreement") is entered into on July 9, 2016 by A Inc. and B LLC.'
    )
    assert value(text, "agreement_date") == "2016-07-09"


def test_execution_date_beats_an_effective_as_of_date() -> None:
    text = (
        "JOINT MARKETING AGREEMENT\n\nThis Agreement shall be effective as of June 1, 2021 and is "
        "made and entered into this 5th day of April, 2021 by and between A Inc. and B LLC."
    )
    assert value(text, "agreement_date") == "2021-04-05"
    assert value(text, "effective_date") == "2021-06-01"


def test_agreement_date_from_signature_blocks_takes_the_last_signature() -> None:
    text = (
        "RESELLER AGREEMENT\n\nThe parties agree to the terms below.\n\n"
        + "1. Reseller shall resell the products in the territory. " * 12
        + "\n\n"
        "ACME INC.  By: /s/ J. Doe  Title: CEO  Date: 3/2/17\n\n"
        "BOLT LLC  By: /s/ R. Roe  Title: CFO  Date: March 6, 2017\n"
    )
    assert value(text, "agreement_date") == "2017-03-06"
    text = (
        "SERVICES AGREEMENT\n\nThe parties agree to the terms below.\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Agreement in Lyon on 4 May 2019.\n"
    )
    assert value(text, "agreement_date") == "2019-05-04"
    text = (
        "SERVICES AGREEMENT\n\n"
        + "The Provider shall perform the services diligently. " * 15
        + "\n\n14.6 This Agreement is dated August 3, 2012.\n"
    )
    assert value(text, "agreement_date") == "2012-08-03"


# --------------------------------------------------------------------------- expiration


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("This Agreement is for a term of three (3) years.", "2024-03-03"),
        (
            "The term of this Agreement shall begin on the Effective Date and shall continue for "
            "ten (10) Contract Years.",
            "2031-03-03",
        ),
        (
            "The Term shall begin on the Effective Date and shall end eighteen months therefrom.",
            "2022-09-03",
        ),
        (
            "The initial term of this Agreement expires in two (2) years from the date of "
            "Effective Date.",
            "2023-03-03",
        ),
        (
            "The Agreement shall remain in full force and effect for at least one year thereafter.",
            "2022-03-03",
        ),
        (
            '"Contract Period" shall mean the period commencing on May 1, 2021 and concluding '
            "April 30, 2023.",
            "2023-04-30",
        ),
        ("TERM: May 1, 2021 to April 30, 2024", "2024-04-30"),
        ("This Agreement shall be in effect until June 30. 2025.", "2025-06-30"),
        (
            "This Agreement begins on the Effective Date and shall continue indefinitely unless "
            "terminated as provided in Section 9.",
            "perpetual",
        ),
    ],
)
def test_expiration_more_forms(clause: str, expected: str) -> None:
    text = PREAMBLE + clause
    assert value(text, "expiration_date") == expected
    check_offsets(text)


def test_a_party_name_ends_where_a_numbered_section_begins() -> None:
    text = (
        "MASTER AGREEMENT between Orion Labs Inc. and Vega Corp.\n"
        "1. PAYMENT. Vega shall pay each invoice within sixty (60) days.\n"
    )
    names = [t.value["name"] for t in extract_terms(text) if t.name == "parties"]
    assert names == ["Orion Labs Inc.", "Vega Corp."]
