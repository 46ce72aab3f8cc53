"""Parties of letter agreements and confirmations, parties introduced by a description, and
party lists of documents a contract cites (snippets written for these tests)."""

from __future__ import annotations

from extraction.terms.parties import _read_slot
from tests.test_terms_third_party import _names, _values

_LETTER = (
    "EXHIBIT 1.1\n\nMERIDIAN HARBOR REALTY TRUST, INC.\n\nSALES AGENCY AGREEMENT\n\n"
    "March 2, 2017\n\nOsprey Capital Markets, LLC\n200 Clarendon Street\nBoston, MA 02116\n\n"
    "Ladies and Gentlemen:\n\nMeridian Harbor Realty Trust, Inc., a Maryland corporation (the "
    '"Company"), and Meridian Harbor Operating Partnership, L.P., a Delaware limited partnership '
    'of which the Company is the sole general partner (the "Operating Partnership"), confirm '
    "their agreement with you as follows:\n\n1. Description of Securities. The Company proposes "
    "to issue and sell shares.\n"
)


def test_a_letter_agreement_names_its_writers_and_its_addressee() -> None:
    # the writers define themselves with a description; the addressee is the counterparty
    assert _names(_LETTER) == [
        "Meridian Harbor Realty Trust, Inc.",
        "Meridian Harbor Operating Partnership, L.P.",
        "Osprey Capital Markets, LLC",
    ]


def test_a_letter_without_a_dated_head_gets_no_addressee() -> None:
    # the block above the salutation is no address block: nothing is read from it
    text = _LETTER.replace("March 2, 2017\n\n", "")
    assert "Osprey Capital Markets, LLC" not in _names(text)
    assert _names(text)[:2] == [
        "Meridian Harbor Realty Trust, Inc.",
        "Meridian Harbor Operating Partnership, L.P.",
    ]


def test_a_described_entity_without_a_suffix_is_a_party() -> None:
    text = (
        "Ladies and Gentlemen:\n\nHalberd Financial Group, Inc., a Missouri corporation (the "
        '"Company"), and Halberd Capital Trust II, a Delaware statutory trust (the "Trust"), '
        "issued units to the public. The Company and the Trust hereby agree with you as follows.\n"
    )
    assert _names(text) == ["Halberd Financial Group, Inc.", "Halberd Capital Trust II"]


def test_an_entity_only_mentioned_with_a_defined_term_is_not_a_party() -> None:
    # no description ties "Underwriters" to a party of this agreement
    text = (
        "Ladies and Gentlemen:\n\nHalberd Financial Group, Inc., a Missouri corporation (the "
        '"Company"), sold units to Corvo Brothers Inc. and Banc of Ossory Securities LLC (the '
        '"Underwriters") under an underwriting agreement. The Company hereby agrees with you.\n'
    )
    assert "Corvo Brothers Inc. and Banc of Ossory Securities LLC" not in _names(text)


def test_parties_of_a_cited_agreement_are_not_this_contracts() -> None:
    text = (
        "REMARKETING AGREEMENT\n\nThe securities are guaranteed by the Company pursuant to the "
        'Guarantee Agreement (the "Guarantee Agreement") dated as of May 1, 2001, between '
        "Halberd Financial Group, Inc. and Tarrow Trust Company, N.A., as guarantee trustee. "
        "The remarketing is provided for in an agreement dated May 1, 2001 between the Company "
        "and Corvo Brothers Inc.\n\n1. Remarketing. The Remarketing Agent shall remarket.\n"
    )
    assert _names(text) == []


def test_a_contract_made_pursuant_to_another_still_reads_its_own_preamble() -> None:
    text = (
        "SUPPLY AGREEMENT\n\nThis Supply Agreement, entered into pursuant to the Asset Purchase "
        "Agreement dated June 1, 2015, is made by and between Larkspur Foods, Inc., a Delaware "
        'corporation ("Buyer"), and Gannet Mills LLC, an Ohio limited liability company '
        '("Supplier").\n\n1. Supply.\n'
    )
    assert _names(text) == ["Larkspur Foods, Inc.", "Gannet Mills LLC"]


def test_a_confirmation_names_its_parties_in_to_and_from_lines() -> None:
    text = (
        "Interest Rate Cap Confirmation\n\nDate: 27 April 2006\n\n"
        "To:        Tarrow Bank, N.A., not individually, but solely as Master Servicer on\n"
        '           behalf of Tarrow Mortgage Trust 2006-2 ("Counterparty")\n'
        "Attention: Swaps Administration\n"
        'From:      Ossory Bank AG, London Branch ("Ossory")\n\n'
        "Dear Sirs\n\nThe purpose of this communication is to confirm the terms of the "
        "Transaction entered into between us on the Trade Date.\n"
    )
    parties = _values(text, "parties")
    assert [p["name"] for p in parties] == ["Tarrow Bank, N.A.", "Ossory Bank AG"]
    assert parties[0]["alias"] == "Counterparty"


def test_a_memo_with_one_to_line_names_no_parties() -> None:
    text = "MEMORANDUM\n\nTo: Harlow Securities, LLC\nRe: pricing\n\nThe fee is $5,000 per month.\n"
    assert _names(text) == []


def test_parties_over_several_lines_with_a_suffix_after_a_comma_and_lease_roles() -> None:
    text = (
        "LEASE AGREEMENT\n\nThis Lease Agreement is made as of January 1, 2015, by and between"
        '\n\nPINECREST PROPERTIES, LLC,\na Georgia limited liability company\n("Landlord"),\n\n'
        'and\n\nSUNRISE DENTAL GROUP, P.C.,\na Georgia professional corporation\n("Tenant").\n\n'
        "ARTICLE 1\n"
    )
    parties = _values(text, "parties")
    assert [(p["name"], p["alias"], p["role"]) for p in parties] == [
        ("PINECREST PROPERTIES, LLC", "Landlord", "lessor"),
        ("SUNRISE DENTAL GROUP, P.C.", "Tenant", "lessee"),
    ]


def test_a_role_given_with_as_is_the_partys_defined_role() -> None:
    text = (
        "CREDIT AGREEMENT dated as of March 1, 2019 among TALON INDUSTRIES, INC., as Borrower, "
        "the LENDERS party hereto and KEYSTONE BANK, N.A., as Administrative Agent.\n\nARTICLE I\n"
    )
    parties = _values(text, "parties")
    assert [(p["name"], p["role"]) for p in parties] == [
        ("TALON INDUSTRIES, INC.", "borrower"),
        ("KEYSTONE BANK, N.A.", "agent"),
    ]


def test_a_place_after_a_comma_ends_the_name() -> None:
    text = (
        "THIS AGREEMENT made as of the 1st day of June, 2004.\n\nBETWEEN:\n\nNORTHERN LIGHTS "
        'MINING CORP., of Vancouver, British Columbia\n\n(the "Company")\n\nAND:\n\nGLACIER '
        'DRILLING LTD., of Calgary, Alberta\n\n(the "Contractor")\n\nWHEREAS the Company ...\n'
    )
    assert _names(text) == ["NORTHERN LIGHTS MINING CORP.", "GLACIER DRILLING LTD."]


def test_a_party_label_with_its_role_in_brackets() -> None:
    text = (
        "Cooperation Agreement\n\nParty A (Licensor): Shenzhen Bright Star Technology Co., Ltd.\n"
        "Address: 8 Keji Road, Shenzhen\n\nParty B (Licensee): Hangzhou Blue Ocean Trading Co., "
        "Ltd.\nAddress: 5 West Lake Road, Hangzhou\n\nWhereas, Party A owns software.\n"
    )
    parties = _values(text, "parties")
    assert [p["role"] for p in parties] == ["licensor", "licensee"]


def test_a_capacity_does_not_make_a_defined_term_a_party() -> None:
    # a term defined earlier, named with its capacity in a list, is no legal name; a legal
    # name with its capacity is a party in that role
    slot = "Guaranty, as Agent and Lender"
    assert _read_slot(slot, 0, len(slot)) is None
    slot = "Guaranty Bank, FSB, as Agent and Lender"
    party = _read_slot(slot, 0, len(slot))
    assert party is not None and (party.name, party.role) == ("Guaranty Bank, FSB", "agent")
