"""Where a party's legal name ends (snippets written for these tests): an upper-case name
whose last word is itself an entity word before ", INC." ("BRIGHTLINE HOLDINGS, INC."), a
capacity in lower case after the name ("Fenwick Tower Associates LLC, as sublandlord"), and a
professional association's "P.A." suffix."""

from __future__ import annotations

from tests.test_terms_third_party import _names, _values


def test_an_upper_case_holdings_inc_stays_whole() -> None:
    text = (
        'THIS SERVICES AGREEMENT (the "Agreement") is made and entered into as of 12/1/2019, '
        'by and between BRIGHTLINE HOLDINGS, INC. (the "Company") and CEDAR RIDGE CONSULTING '
        'GROUP, LLC (the "Consultant").\n\n1. Services.\n'
    )
    assert _names(text) == ["BRIGHTLINE HOLDINGS, INC.", "CEDAR RIDGE CONSULTING GROUP, LLC"]
    assert [p["alias"] for p in _values(text, "parties")] == ["Company", "Consultant"]


def test_an_upper_case_group_ltd_in_a_list() -> None:
    text = (
        "This Agreement is made on 4 May 2015 between HALDANE TRUST, LTD., a Bermuda company "
        '("Trustee"), and IRONBRIDGE BANK, N.A. ("Bank").\n\nRECITALS\n'
    )
    assert _names(text) == ["HALDANE TRUST, LTD.", "IRONBRIDGE BANK, N.A."]


def test_a_capacity_in_lower_case_ends_the_name() -> None:
    text = (
        "SUBLEASE\n\nThis Sublease is made as of October 1, 2014 between Fenwick Tower "
        'Associates LLC, as sublandlord ("Sublandlord"), and Garnet Labs, Inc., as subtenant '
        '("Subtenant").\n\n1. Premises.\n'
    )
    assert _names(text) == ["Fenwick Tower Associates LLC", "Garnet Labs, Inc."]


def test_an_agent_bank_in_lower_case_capacity() -> None:
    text = (
        "This Security Agreement, dated as of May 2, 2013, is made by and among Juno Retail "
        'Corp. (the "Borrower") and Keystone Commercial Bank, as collateral agent for the '
        'lenders (in such capacity, the "Agent").\n\nWHEREAS ...\n'
    )
    assert _names(text) == ["Juno Retail Corp.", "Keystone Commercial Bank"]


def test_a_professional_association_keeps_its_suffix() -> None:
    text = (
        "This Strategic Alliance Agreement is entered into on July 1, 2019 by and between "
        'NORTHSTAR HEALTH, INC., a Florida corporation, hereinafter referred to as "NorthStar", '
        "and OAKMONT MEDICAL GROUP, P.A., a Florida professional association, hereinafter "
        'referred to as "Oakmont".\n'
    )
    assert _names(text) == ["NORTHSTAR HEALTH, INC.", "OAKMONT MEDICAL GROUP, P.A."]


def test_a_bilingual_preamble_naming_a_party_again_in_full_width_brackets() -> None:
    text = (
        "SUPPLY AGREEMENT   This Supply Agreement is effective March 1, 2018,   BETWEEN:  "
        "LAKESHORE SCOOTERS INC., an entity incorporated under the laws of Ontario, with an "
        'address of 5 Bay Street, Toronto ("LSI");   AND: NINGBO RIVERSTONE MOTOR CO., LTD., '
        'a company organized under the laws of China ("Supplier")     LAKESHORE SCOOTERS '
        'INC.，（ "LSI"），5 Bay Street, Toronto      Recitals:   WHEREAS LSI sells scooters.\n'
    )
    assert _names(text) == ["LAKESHORE SCOOTERS INC.", "NINGBO RIVERSTONE MOTOR CO., LTD."]


def test_a_comma_list_of_partnerships_each_ending_in_lp() -> None:
    text = (
        'This Agreement (the "Agreement") is made and entered into as of August 1, 2013 by '
        "and among Egret Capital Partners, LP, Egret Capital Partners II, LP and Egret Capital "
        'GP, LLC (collectively, "Egret"), and Falcon Ridge Bancorp, Inc. (the "Company").\n\n'
        "1. Board.\n"
    )
    assert _names(text) == [
        "Egret Capital Partners, LP",
        "Egret Capital Partners II, LP",
        "Egret Capital GP, LLC",
        "Falcon Ridge Bancorp, Inc.",
    ]


def test_a_state_after_a_comma_is_still_no_party() -> None:
    text = (
        'This Agreement is made as of May 1, 2011 by and between Sable Mining Inc. ("Sable"), '
        'of Carson City, NV, and Tolland Drilling Co. ("Driller").\n\n1. Work.\n'
    )
    assert _names(text) == ["Sable Mining Inc.", "Tolland Drilling Co."]


def test_entity_suffixes_of_other_countries() -> None:
    text = (
        "This Agreement is made on 3 March 2011 between Kenyalang Power Berhad, Nordvik "
        "Systems Oyj, Havnegade Data ApS, PT Garuda Niaga Tbk and Ribera Foods S.L.\n\n"
        "1. Supply.\n"
    )
    assert _names(text) == [
        "Kenyalang Power Berhad",
        "Nordvik Systems Oyj",
        "Havnegade Data ApS",
        "PT Garuda Niaga Tbk",
        "Ribera Foods S.L.",
    ]
