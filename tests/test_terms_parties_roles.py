"""Parties introduced through a role (snippets written for these tests): header lines that
name each party after its role and a "Name:" field ("Company Name: Dune Robotics, Inc."), a
joint venture "comprised of" two entities, and a defined term that belongs to a generic party
after "and" ("... and the undersigned customer ("Customer")"), not to the named party."""

from __future__ import annotations

from tests.test_terms_third_party import _names, _values


def test_role_name_fields_in_a_header() -> None:
    text = (
        "CONSULTING AGREEMENT\n\nCompany Name: Dune Robotics, Inc.\nAddress: 1 Sand Way, "
        "Reno, NV\n\nConsultant Name: Elm Advisory LLC\nAddress: 2 Tree Road, Provo, UT\n\n"
        "The Company and the Consultant agree as follows:\n1. Services.\n"
    )
    assert _names(text) == ["Dune Robotics, Inc.", "Elm Advisory LLC"]


def test_a_role_label_above_a_name_field() -> None:
    text = (
        "SPONSORSHIP AGREEMENT SUMMARY\n\nSPONSOR:            Name: Cactus Grill Restaurants, "
        "Inc. Phone: 555-0101   Address: 1 Mesa Road\n\nCLUB:               Name: Desert Hawks "
        "Baseball LLC Phone: 555-0102   Address: 9 Park Way\n\nTERM: one season.\n"
    )
    assert _names(text) == ["Cactus Grill Restaurants, Inc.", "Desert Hawks Baseball LLC"]


def test_a_joint_venture_comprised_of_two_entities() -> None:
    text = (
        'This Agreement is made as of June 1, 2017 between Fir Holdings Inc. ("Seller") and a '
        'joint venture comprised of Gale Partners LLC ("Gale") and Hail Capital LLC ("Hail", '
        'and together with Gale, "Buyer").\n\n1. Sale.\n'
    )
    assert _names(text) == ["Fir Holdings Inc.", "Gale Partners LLC", "Hail Capital LLC"]


def test_a_generic_partys_defined_term_is_not_the_named_partys() -> None:
    text = (
        "This Agreement is dated as of the Effective Date and is between Umber Systems Inc., a "
        'Delaware corporation, and the undersigned customer ("Customer").\n\n1. Use.\n'
    )
    parties = _values(text, "parties")
    assert [p["name"] for p in parties] == ["Umber Systems Inc."]
    assert parties[0]["alias"] != "Customer"


def test_parties_on_the_other_hand_listed_as_a_and_b() -> None:
    text = (
        "This Agreement is made as of May 1, 2018 by and between Wren Stores, Inc. and its "
        'affiliated debtors (collectively, "Merchant"), on the one hand, and (a) a joint '
        'venture comprised of Xerus Retail, Inc. ("Xerus") and Yak Capital Group, LLC ("Yak" '
        'and together with Xerus, the "Agent") and (b) Zebu Trust Company, as collateral '
        'trustee (the "Trustee"), on the other hand.\n\nRECITALS\n'
    )
    assert _names(text) == [
        "Wren Stores, Inc.",
        "Xerus Retail, Inc.",
        "Yak Capital Group, LLC",
        "Zebu Trust Company",
    ]


def test_defined_terms_after_hereinafter_without_brackets() -> None:
    text = (
        "This Consulting Agreement is made this 1st day of June, 2010 between Ursa Minerals "
        'Corp., hereinafter "Ursa", and Victor Lang, hereinafter "Consultant".\n\n1. Work.\n'
    )
    parties = _values(text, "parties")
    assert [(p["name"], p["alias"]) for p in parties] == [
        ("Ursa Minerals Corp.", "Ursa"),
        ("Victor Lang", "Consultant"),
    ]


def test_an_honorific_before_a_firms_name_is_no_part_of_it() -> None:
    text = (
        "This Agreement is made at Pune on this 5th day of April 2011 between M/s. Quetzal "
        "Textiles Private Limited, a company incorporated under the Companies Act, 1956 "
        '(hereinafter referred to as "QTPL") of the ONE PART and M/s. Robin Exports Pvt. Ltd. '
        '(hereinafter referred to as "REPL") of the OTHER PART.\n\nWHEREAS ...\n'
    )
    assert _names(text) == ["Quetzal Textiles Private Limited", "Robin Exports Pvt. Ltd."]


def test_unquoted_terms_after_hereinafter_called() -> None:
    text = (
        "This License Agreement is made as of May 1, 2003 between ACME SOFTWARE INC., a "
        "Delaware corporation, hereinafter called Licensor, and BETA SYSTEMS LLC, a Texas "
        "limited liability company, hereinafter called Licensee.\n\n1. Grant.\n"
    )
    parties = _values(text, "parties")
    assert [(p["name"], p["alias"]) for p in parties] == [
        ("ACME SOFTWARE INC.", "Licensor"),
        ("BETA SYSTEMS LLC", "Licensee"),
    ]


def test_role_labels_written_with_the() -> None:
    text = (
        "PURCHASE CONTRACT\n\nThe Buyer: Evergreen Trading Co., Ltd.\nAddress: 1 Pine Road, "
        "Ningbo\n\nThe Seller: Foxglove Industries Limited\nAddress: 2 Oak Road, Hong Kong\n\n"
        "The Buyer and the Seller agree as follows:\n1. Goods.\n"
    )
    assert _names(text) == ["Evergreen Trading Co., Ltd.", "Foxglove Industries Limited"]


def test_pledge_header_labels() -> None:
    text = (
        "EQUITY PLEDGE AGREEMENT\n\nThis Equity Pledge Agreement is entered into in Beijing "
        "on May 8, 2019.\n\nPledgee: Beijing Qingshan Technology Co., Ltd.\nAddress: 6 Xizhimen "
        "Street, Beijing\n\nPledgor: Hangzhou Lanting Investment Co., Ltd.\nAddress: 9 West Lake "
        "Road, Hangzhou\n\nWhereas: the Pledgor holds equity.\n"
    )
    assert _names(text) == [
        "Beijing Qingshan Technology Co., Ltd.",
        "Hangzhou Lanting Investment Co., Ltd.",
    ]


def test_a_person_after_a_role_label_is_no_party() -> None:
    text = (
        "EQUITY TRANSFER AGREEMENT\n\nTransferor: Zhang Wei\nID No.: 110101\n\n"
        "Transferee: Li Na\nID No.: 110102\n\nWhereas: the Transferor holds equity.\n"
    )
    assert _names(text) == []
