"""Parties on constructed preambles, payment and fee cases, and which contract a question names.

All contract text here is written for these tests (no third-party paper)."""

from __future__ import annotations

from typing import Any

from archive.naming import NameEntry, decide
from evals.cuad_metric import parties_match, party_names
from extraction.terms import extract_terms


def _parties(text: str) -> list[dict[str, Any]]:
    return [t.value for t in extract_terms(text) if t.name == "parties"]


def _names(text: str) -> list[str]:
    return [p["name"] for p in _parties(text)]


def test_between_with_descriptions_and_defined_roles() -> None:
    text = (
        'This Hosting Agreement (the "Agreement") is entered into as of May 2, 2022 by and '
        'between Bluewater Analytics, Inc., a Delaware corporation ("Vendor"), and Harbor '
        'Freight Lines LLC, a Texas limited liability company ("Customer").\n\n1. Services.'
    )
    parties = _parties(text)
    assert [p["name"] for p in parties] == ["Bluewater Analytics, Inc.", "Harbor Freight Lines LLC"]
    assert [p["role"] for p in parties] == ["vendor", "customer"]
    assert [p["alias"] for p in parties] == ["Vendor", "Customer"]


def test_multi_line_preamble_and_company_alias() -> None:
    text = (
        "LICENSE AGREEMENT\n\nThis License Agreement is made and entered into this 3rd day of\n"
        "June, 2019, by and between Quillfeather Software\nCorporation, a Nevada corporation\n"
        '(the "Company"), with offices at 12 Elm Road, Reno, and Ostrander Media Group,\n'
        'Ltd., an Ontario company ("Licensee").\n\nWHEREAS the Company owns software;'
    )
    parties = _parties(text)
    assert [p["name"] for p in parties] == [
        "Quillfeather Software Corporation",
        "Ostrander Media Group, Ltd.",
    ]
    assert [p["role"] for p in parties] == ["company", "licensee"]


def test_by_and_among_three_parties() -> None:
    text = (
        'This Agreement is made by and among Alpha Widgets Corp. ("Alpha"), Beta Gadgets GmbH '
        '("Beta") and Gamma Tools S.A. ("Gamma").'
    )
    assert _names(text) == ["Alpha Widgets Corp.", "Beta Gadgets GmbH", "Gamma Tools S.A."]


def test_numbered_list_of_parties_has_no_number_prefixes() -> None:
    text = (
        "THIS AGREEMENT is made on 1 June 2021\n\nBETWEEN:\n\n"
        '(1) NORTHWIND TRADERS LIMITED, a company incorporated in England (the "Supplier"); '
        "and\n\n(2) CONTOSO RETAIL PLC whose registered office is at 1 High Street, London "
        '(the "Buyer").\n\nIT IS AGREED as follows:'
    )
    parties = _parties(text)
    assert [p["name"] for p in parties] == ["NORTHWIND TRADERS LIMITED", "CONTOSO RETAIL PLC"]
    assert [p["role"] for p in parties] == ["supplier", "customer"]
    numbered = 'This Agreement is made BETWEEN\n\n1. Kestrel Labs Inc. ("Kestrel")\n\nAND\n\n'
    numbered += '2. Marlow Partners LLC ("Marlow")\n\nWHEREAS:'
    assert _names(numbered) == ["Kestrel Labs Inc.", "Marlow Partners LLC"]


def test_made_by_preamble() -> None:
    text = (
        'SUPPORT AGREEMENT (this "Agreement"), dated as of July 23, 2003, made by Granite Peak '
        "Networks, Inc., a corporation organized under the laws of the State of Delaware (the "
        '"Company"), and Redline Fiber Corp., a Texas corporation (the "Provider").'
    )
    parties = _parties(text)
    assert [p["name"] for p in parties] == ["Granite Peak Networks, Inc.", "Redline Fiber Corp."]
    assert [p["role"] for p in parties] == ["company", "vendor"]


def test_parties_only_in_signature_blocks() -> None:
    text = (
        "JOINT FILING STATEMENT\n\nEach of the undersigned agrees that the statement is filed "
        "on behalf of each of them.\n\nIN WITNESS WHEREOF, the undersigned have signed.\n\n"
        "ORCHARD VALLEY CAPITAL LP\nBy: /s/ Dana Reyes\n\nORCHARD VALLEY MANAGEMENT LLC\n"
        "By: /s/ Dana Reyes\n"
    )
    assert _names(text) == ["ORCHARD VALLEY CAPITAL LP", "ORCHARD VALLEY MANAGEMENT LLC"]


def test_no_preamble_gives_no_parties_rather_than_wrong_ones() -> None:
    hours = (
        "Support is available from 8:00 a.m. to 6:30 p.m. Eastern Time Monday through Friday "
        "and between 9:00 a.m. and noon Saturday. The Provider and the Company dated as of the "
        "order will agree on fees. This agreement between Distributor and Maker covers resale."
    )
    assert _parties(hours) == []
    body_only = (
        "7. Entire Agreement. This Agreement constitutes the entire agreement between "
        "Distributor and NETGEAR with respect to its subject."
    )
    assert _parties(body_only) == []


def test_payment_within_days_of_receipt_and_fee_is_what_customer_pays() -> None:
    text = (
        "2. Fees. The Vendor shall maintain total assets of at least $25,000,000 at all times. "
        "Customer shall pay Vendor a license fee of $40,000. Customer shall pay each invoice "
        "within sixty (60) days of receipt."
    )
    terms = {t.name: t.value for t in extract_terms(text)}
    assert terms["payment_net_days"] == 60
    assert terms["fees"]["amount"] == 40000.0
    notice_only = "Any notice is deemed given within five (5) days of receipt by courier."
    assert "payment_net_days" not in {t.name for t in extract_terms(notice_only)}


def test_preamble_date_beats_signature_block_date() -> None:
    text = (
        "This Agreement is entered into as of March 20, 1998 by and between Bluewater "
        'Analytics, Inc. ("Vendor") and Harbor Freight Lines LLC ("Customer").\n\n'
        "1. Term. This Agreement shall continue for a period of one (1) year.\n\n"
        "IN WITNESS WHEREOF\nBLUEWATER ANALYTICS, INC.\nBy: ____\nDate: 4.7.98\n"
    )
    terms = {t.name: t.value for t in extract_terms(text)}
    assert terms["agreement_date"] == "1998-03-20"
    assert terms["expiration_date"] == "1999-03-20"  # a one-year term, never "perpetual"


def test_parties_answer_rule() -> None:
    gold = 'Acme Widgets, Inc. ("Acme"); Pifzer Corp. ("Buyer"); Acme and Buyer (each a "Party")'
    assert parties_match("ACME WIDGETS INC; Pfizer Corporation", gold) is True
    assert parties_match("Acme Widgets, Inc.", gold) is False  # a party missing
    assert parties_match("Acme Widgets; Pfizer; Provider and the Company", gold) is False
    assert parties_match("anything", '(each a "Party")') is None


def test_parties_answer_rule_keeps_parties_defined_as_party_a_or_with_successors() -> None:
    # A defined term such as "Party A" names one party, even when its name holds "and";
    # "together with its successors" keeps the party ("together the Parties" does not).
    gold = (
        'Smith and Wesson Holding Corp. ("Party A"); Delta Freight Ltd., together with its '
        'successors and assigns; Party A and Delta (together the "Parties")'
    )
    names = party_names(gold)
    assert len(names) == 2 and names[0] == "smith and wesson holding"
    assert names[1].startswith("delta freight")
    assert parties_match("Delta Freight Ltd.", gold) is False  # a party missing
    assert parties_match("Smith & Wesson Holding Corp; Delta Freight Limited", gold) is True


ENTRIES = [
    NameEntry("c1", ("CityNet Telecommunications, Inc.", "Provider", "Universal Access, Inc."),
              "UAGH MAINTENANCE AGREEMENT", "MAINTENANCE AGREEMENT made by Universal Access"),
    NameEntry("c2", ("Azul Linhas Aereas", "Company"), "AZUL MAINTENANCE AGREEMENT", ""),
    NameEntry("c3", ("Global Music International, Inc.", "IMNTV"), "GMI LICENSE", ""),
    NameEntry("c4", ("Violin Memory, Inc.", "Sponsor"), "SPONSORSHIP AGREEMENT", ""),
    NameEntry("c5", (), "SUPPLY AGREEMENT", 'between Netzee, Inc. ("Netzee") and The Bank'),
]  # fmt: skip


def test_lowercase_question_without_a_name_is_not_narrowed() -> None:
    for q in ("what are the payment terms", "What are the payment terms?"):
        d = decide(q, ENTRIES)
        assert d.narrow_to == [] and d.boost == {}


def test_party_named_narrows_the_same_in_any_case() -> None:
    for q in ("Can CityNet terminate for convenience?", "can citynet terminate for convenience"):
        d = decide(q, ENTRIES)
        assert d.narrow_to == ["c1"]
        assert "citynet" in d.name_words
    assert decide("violin memory sponsorship exclusivity", ENTRIES).narrow_to == ["c4"]
    assert decide("the imntv license royalties", ENTRIES).narrow_to == ["c3"]


def test_weak_name_match_boosts_without_narrowing() -> None:
    d = decide("what music rights are licensed", ENTRIES)  # one word of a two-word name
    assert d.narrow_to == []
    assert d.boost == {"c3": 1.0}


def test_name_in_the_preamble_only_is_found() -> None:
    d = decide("netzee renewal term", ENTRIES)
    assert d.narrow_to == []  # not a party the reader extracted: a boost, not a narrowing
    assert "c5" in d.boost


def test_one_year_term_is_never_perpetual() -> None:
    text = (
        'This Agreement is made on February 1, 2021 ("Effective Date") by and between Pinecrest '
        'Media, Inc. ("Pinecrest") and Alder Events LLC ("Alder").\n\n4. Term. This Agreement '
        "shall commence on the Effective Date and shall remain in full force and effect until "
        "one (1) year subsequent to the Effective Date.\n\n5. Survival. Sections 6 and 7 remain "
        "in effect until terminated by written agreement."
    )
    terms = {t.name: t.value for t in extract_terms(text)}
    assert terms["expiration_date"] == "2022-02-01"


def test_naming_question_file_loads_in_the_archive_format() -> None:
    from pathlib import Path

    from evals.archive_search import load_questions

    path = Path(__file__).resolve().parents[1] / "evals" / "data" / "archive_naming.yaml"
    qs = load_questions(path)
    assert len(qs) >= 40
    assert all(q.contract_id and q.contract_id.startswith("cuad-") for q in qs)
    assert any(q.question == q.question.lower() for q in qs)  # some typed in lower case
