"""Parties on layouts read badly before session 21 (snippets written for these tests): inline
numbered lists of parties, persons lent for their services, signature blocks in two columns,
UK "for and on behalf of" blocks and accented capitals; and the agreement date when the
preamble has one and the signature blocks another."""

from __future__ import annotations

from tests.test_terms_third_party import _one, _values

_FILLER = (
    "1. Services. The Supplier shall provide the services described in Schedule 1 with due "
    "care and skill, in accordance with good industry practice and all applicable laws. "
) * 6


def _names(text: str) -> list[str]:
    return [p["name"] for p in _values(text, "parties")]


def test_an_inline_numbered_list_gives_one_party_per_item() -> None:
    text = (
        'THIS CO-OPERATION AGREEMENT (this "Agreement") is entered into on 3 May 2021 by and '
        'among (a) Nordlys Communications S.A. ("Nordlys"), a company incorporated in '
        "Luxembourg, whose registered office is at 2 rue Neuve, Luxembourg; (b) Harbour Media "
        'Holdings Inc. ("Harbour"), a company incorporated in the Cayman Islands with limited '
        "liability and listed on the Main Board of The Stock Exchange of Hong Kong Limited, "
        'whose office is at 1 Queen\'s Road, Hong Kong; and (c) Tel-Vista Limited ("Company"), '
        "a company incorporated in the Cayman Islands.\n\nWHEREAS the parties wish to co-operate."
    )
    assert _names(text) == [
        "Nordlys Communications S.A.",
        "Harbour Media Holdings Inc.",
        "Tel-Vista Limited",
    ]


def test_a_person_lent_for_services_is_a_party_with_a_defined_term_of_his_own() -> None:
    text = (
        "This ENDORSEMENT AGREEMENT is entered into on June 2, 2014 by and between Solent "
        'Sports, LLC ("Lender"), for services of Dana Whitcombe ("Athlete"), and Corvid '
        'Nutrition Corporation ("Company").\n\nRECITALS\n\nWHEREAS, Athlete is well known.'
    )
    assert _names(text) == [
        "Solent Sports, LLC",
        "Dana Whitcombe",
        "Corvid Nutrition Corporation",
    ]


def test_the_defined_term_after_an_fso_person_belongs_to_the_entity() -> None:
    text = (
        'This Development Agreement (this "Agreement") by and between K&R Seminars, Inc., a '
        'California corporation f/s/o Lee Marsh ("K&R") and Boreal Learning Holdings, Inc., a '
        'Colorado corporation ("Boreal"), is entered into as of May 4, 2019.\n\nWHEREAS, ...'
    )
    parties = _values(text, "parties")
    assert [(p["name"], p["alias"]) for p in parties] == [
        ("K&R Seminars, Inc.", "K&R"),
        ("Boreal Learning Holdings, Inc.", "Boreal"),
    ]


def test_signature_blocks_side_by_side_name_both_parties() -> None:
    text = (
        "MAINTENANCE ADDENDUM\n\nThis Addendum provides for continued maintenance of the System "
        "for one year.\n\n"
        + _FILLER
        + "\n\nIN WITNESS WHEREOF, the undersigned have made and entered into this Addendum.\n\n"
        "QUILLON SYSTEMS, INC.                      THE FARMERS BANK, a Georgia"
        "                              banking corporation\n\n"
        "By:   /s/ A. Roe                           By:   /s/ B. Doe\n"
        "Name: A. Roe                               Name: B. Doe\n"
    )
    assert _names(text) == ["QUILLON SYSTEMS, INC.", "THE FARMERS BANK"]


def test_uk_blocks_signed_for_and_on_behalf_of_each_party() -> None:
    text = (
        "FLEET SERVICES AGREEMENT\n\n1. Definitions\n\n"
        + _FILLER
        + "\n\nSIGNED by J SMITH    )\nduly authorised for and on behalf of    )    /s/ J. Smith"
        "    MERIDIAN DAIRIES LIMITED    )\n\nDATE 19-1-06\n\n"
        "SIGNED by P JONES    )\n\nduly authorised for and on behalf of    )    /s/ P. Jones"
        "    ARKWRIGHT FLEET LIMITED    )\n\nDATE 19-1-06\n"
    )
    assert _names(text) == ["MERIDIAN DAIRIES LIMITED", "ARKWRIGHT FLEET LIMITED"]


def test_accented_capitals_stay_in_a_signatory_name() -> None:
    text = (
        "JOINT FILING AGREEMENT\n\nThe undersigned hereby agree to the joint filing of a "
        "statement on Schedule 13D on behalf of each of them.\n\n"
        "IN WITNESS WHEREOF, the undersigned execute this Agreement as of March 3, 2020.\n\n"
        "THE ÅSGARD FUND XII, L.P.\nBy: /s/ K. Berg\nName: K. Berg\n\n"
        "ÖRESUND CREDIT PARTNERS, LLC\nBy: /s/ K. Berg\nName: K. Berg\n"
    )
    assert _names(text) == ["THE ÅSGARD FUND XII, L.P.", "ÖRESUND CREDIT PARTNERS, LLC"]


def test_the_preambles_effective_date_outweighs_a_signature_blocks_date() -> None:
    text = (
        'THIS AGREEMENT is made between Acme Inc., a Delaware corporation ("Acme"), and Beta '
        'LLC, a Texas limited liability company ("Beta"), effective March 20, 1998.\n\n'
        + _FILLER
        + "\n\nIN WITNESS WHEREOF the parties sign below.\n\nACME INC.\nBy: /s/ J. Doe\n"
        "Date: 4.7.98\n\nBETA LLC\nBy: /s/ R. Roe\nDate: 4.7.98\n"
    )
    assert _one(text, "agreement_date") == "1998-03-20"


def test_a_deed_made_by_one_party_in_favour_of_another() -> None:
    text = (
        'THIS GUARANTEE is made on 1 April 2012 by PAPA HOLDINGS LIMITED (the "Guarantor") in '
        'favour of QUEBEC BANK PLC (the "Bank").\n\n' + _FILLER
    )
    assert _names(text) == ["PAPA HOLDINGS LIMITED", "QUEBEC BANK PLC"]


def test_and_its_associated_entities_end_a_name_and_fsb_is_a_suffix() -> None:
    text = (
        "This Agency Agreement is made as of April 2, 2018, by and between Larch Stores, Inc. "
        'and its associated debtors in possession (collectively, "Merchant"), and Birch Savings '
        'Fund Society, FSB ("Trustee").\n\nWHEREAS, ...'
    )
    assert _names(text) == ["Larch Stores, Inc.", "Birch Savings Fund Society, FSB"]


def test_a_party_named_on_an_order_form_is_no_party_called_order_form() -> None:
    text = (
        "This Agreement is entered into as of May 1, 2012 by and between SoftCo, Inc. "
        '("SoftCo") and the Customer identified on the Order Form ("Customer").\n\nWHEREAS'
        + _FILLER
    )
    assert "Order Form" not in _names(text)


def test_a_platforms_authenticated_signature_dates_the_agreement() -> None:
    # no date in the opening; the e-signature platform's stamp in the signature block dates it
    text = (
        "Collaboration Agreement. This Agreement is made by and between the following parties "
        "and shall become effective upon execution by both Parties.\n"
        + _FILLER
        * 4
        + "\nParty A: Alpha Co., Ltd. /s/ Alpha Co., Ltd. [signature authenticated by third "
        "party document depository on December 17, 2018] Party B: Beta Co., Ltd. /s/ Beta Co., "
        "Ltd. [signature authenticated by third party document depository on December 17, 2018]"
    )
    assert _one(text, "agreement_date") == "2018-12-17"


def test_parties_identified_on_the_signature_page_are_its_signatories() -> None:
    text = (
        'THIS SPONSORSHIP AGREEMENT ("Agreement") is entered into as of the date first written '
        "above by and among Larkspur Investments LLC, a Delaware limited liability company "
        '("Purchaser"), and each other party hereto identified on the signature page(s) hereto '
        '(each, a "Sponsor").\n\nRECITALS\n\n'
        + _FILLER
        + "\n\nIN WITNESS WHEREOF, this Agreement is executed as of the Effective Date.   "
        "PURCHASER:   Larkspur Investments LLC   Date: July 16, 2012 By: /s/ M. Ong   Name: M. "
        "Ong   SPONSOR(S):   Heron Value Fund L.P.   By: Heron Management LLC   Its: General "
        "Partner   Date: July 16, 2012 By: /s/ M. Nord   Name: M. Nord   Title: Chief Investment "
        "Officer   Wren August Fund I LP   Date: July 16, 2012 By: /s/ M. Ong   Name: M. Ong"
    )
    assert _names(text) == [
        "Larkspur Investments LLC",
        "Heron Value Fund L.P.",
        "Wren August Fund I LP",
    ]


def test_a_party_joining_in_the_sentence_after_the_preamble() -> None:
    text = (
        'THIS NON-COMPETITION AGREEMENT (this "Agreement"), dated as of August 1, 2019, is '
        'entered into by Marlow Chemical Corporation ("Buyer"), a Pennsylvania corporation, and '
        'Tarn Lubricants Ltd., a company incorporated in the Cayman Islands ("Seller"). In '
        "addition, Tarn Lubricants India, Ltd, a public limited company incorporated in India "
        '("Tarn India"), is executing this Agreement solely for purposes of Section 1(c). '
        "BACKGROUND WHEREAS, Seller owns shares."
    )
    assert _names(text) == [
        "Marlow Chemical Corporation",
        "Tarn Lubricants Ltd.",
        "Tarn Lubricants India, Ltd",
    ]
