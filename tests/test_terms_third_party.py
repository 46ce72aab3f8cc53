"""Parties, dates and term on third-party layouts (snippets written for these tests)."""

from __future__ import annotations

from typing import Any

from evals.cuad_metric import parties_match, party_names
from extraction.terms import extract_terms


def _values(text: str, name: str) -> list[Any]:
    return [t.value for t in extract_terms(text) if t.name == name]


def _names(text: str) -> list[str]:
    return [p["name"] for p in _values(text, "parties")]


def _one(text: str, name: str) -> Any:
    found = _values(text, name)
    return found[0] if found else None


# --------------------------------------------------------------------------- parties


def test_defined_parties_without_a_between_cue() -> None:
    text = (
        "EXHIBIT 10.7\n\n          DATA HOSTING AGREEMENT          This Data Hosting Agreement "
        '(the "Agreement") is made effective as of the later of the two dates below (the '
        '"Effective Date") NORTHWIND SYSTEMS CORPORATION ("Northwind"), an Oregon corporation, '
        "44 Alder Street, Suite 300, Portland, Oregon 97205, and BLUEFIN LABS INC. "
        '("Bluefin"), a Texas corporation, 9 Ranch Road, Austin, Texas 78701, with reference '
        "to the facts below.\n\n     Recitals\n\n     A. Northwind runs data centres.\n"
    )
    assert _names(text) == ["NORTHWIND SYSTEMS CORPORATION", "BLUEFIN LABS INC."]


def test_letter_agreement_parties_named_by_their_defined_roles() -> None:
    text = (
        "Exhibit 1.1   250,000 Shares   KESTREL HOLDINGS, INC.   SALES AGENCY AGREEMENT   "
        "June 2, 2021   Harbor Point Securities, LLC 10 Wharf Street Boston, MA 02110   "
        "Ladies and Gentlemen:   Kestrel Holdings, Inc., a Maryland corporation (the "
        '"Company"), agrees that it may issue and sell through Harbor Point Securities, LLC, '
        'acting as sales agent (the "Agent"), up to 250,000 shares (the "Placement Shares") '
        "of its common stock. The Company shall pay the Agent a commission."
    )
    assert _names(text) == ["Kestrel Holdings, Inc.", "Harbor Point Securities, LLC"]
    assert [p["role"] for p in _values(text, "parties")] == ["company", "agent"]


def test_defined_terms_that_name_things_make_no_parties() -> None:
    text = (
        "SUPPLY TERMS\n\nThese terms apply from the date of the first order (the "
        '"Effective Date"). The goods (the "Products") are delivered to the site (the '
        '"Premises") at the price (the "Price") in Schedule 1.\n\n1. Delivery. Goods are '
        "delivered within ten days."
    )
    assert _names(text) == []


def test_spaced_between_heading_and_dashed_and() -> None:
    text = (
        "MARKETING SERVICES AGREEMENT\n\n  THIS AGREEMENT made in duplicate this 4 day of "
        "June, 1997.\n\nB E T W E E N:\n\n          MAPLE PARCEL SERVICES LTD.          "
        '("Maple")          - and -          CEDAR FREIGHT SYSTEMS LTD.          a subsidiary '
        'of Cedar Holdings Inc.          ("Cedar")\n\n  WHEREAS Maple delivers parcels.\n'
    )
    assert _names(text) == ["MAPLE PARCEL SERVICES LTD.", "CEDAR FREIGHT SYSTEMS LTD."]


def test_addresses_run_into_names_and_a_second_party_after_a_dotted_address() -> None:
    text = (
        "OEM SUPPLY AGREEMENT THIS AGREEMENT is made on the 3rd day of May 2019. BETWEEN: "
        "ORCHID SUPPLIES INC. 3rd Floor, Harbour House, Main Road, Suva. Fiji ('the Maker') "
        "of one part AND: GLOBEX TRADING LIMITED Unit 7, 2F, Pearl Tower No. 12, Canton Road "
        "Kowloon, Hong Kong ('the Buyer') of the other part. RECITALS a. The Maker makes "
        "goods."
    )
    assert _names(text) == ["ORCHID SUPPLIES INC.", "GLOBEX TRADING LIMITED"]


def test_camel_case_name_and_jurisdiction_in_a_description() -> None:
    text = (
        "Cooperation Agreement\n\nBetween\n\nRiverbend Media Technologies Co., Ltd.\n\nAnd\n\n"
        "Hangzhou iCloudline Networks Co., Ltd.\n\nParty A: Riverbend Media Technologies Co., "
        "Ltd. Address: 3F, 18 Lake Road\n"
    )
    assert _names(text) == [
        "Riverbend Media Technologies Co., Ltd.",
        "Hangzhou iCloudline Networks Co., Ltd.",
    ]
    text2 = (
        "This Licence Agreement is made on 2 March 2020 by and between Thornfield Audio "
        "(UK) Ltd., a company organised under the laws of England and Wales, having its office "
        'at 5 Mill Lane, Leeds, LS1 4AB ("THORNFIELD") and Quayside Devices Corporation, a '
        'Delaware corporation ("QUAYSIDE").\n\nWHEREAS Thornfield makes speakers.'
    )
    assert _names(text2) == ["Thornfield Audio (UK) Ltd.", "Quayside Devices Corporation"]


def test_aka_and_individual_with_unquoted_role() -> None:
    text = (
        'This Licence Agreement ("Agreement") is entered into by and between Pinecrest Data '
        "Corp, a/k/a Pinecrest Signals, a Delaware Corporation whose principal address is 1 "
        'Elm Plaza, 4th Floor, New York, NY 10001 ("Licensor"), and 77 Signal Partners, LLC a '
        'Delaware limited liability company ("Licensee").\n\nWHEREAS the Licensor has data.'
    )
    assert _names(text) == ["Pinecrest Data Corp", "77 Signal Partners, LLC"]
    text2 = (
        "SERVICE AGREEMENT\n\nTHIS AGREEMENT is dated 1 April 2019\n\nBETWEEN:\n\n(1) ELMWOOD "
        "2010 LIMITED (registered number 01234567) whose registered office is at 2 Quay "
        "Street, London EC1 2AB (the Company) (2) MARGARET HOLLIS (the Executive).\n\n"
        "1. Appointment\n"
    )
    assert _names(text2) == ["ELMWOOD 2010 LIMITED", "MARGARET HOLLIS"]


# --------------------------------------------------------------------------- dates


def test_date_of_another_document_is_not_the_agreement_date() -> None:
    text = (
        "OPERATIONS AGREEMENT\n\nThis Operations Agreement is made between Harrow Energy LLC "
        "and Vale Power Inc.\n\nThe Owner must meet the terms of that certain Offtake "
        'Agreement dated May 8, 2012 ("Offtake") between the Owner and the Buyer.\n\n'
        "IN WITNESS WHEREOF the parties signed this Agreement on November 2, 2012.\n"
    )
    assert _one(text, "agreement_date") == "2012-11-02"


def test_a_term_start_date_in_the_opening_is_not_the_agreement_date() -> None:
    text = (
        "JOINT VENTURE TERMS\n\nThe members are Larkspur Health, LLC and Quill Data, Inc.\n\n"
        "4. Term. The Venture will begin on March 1, 2020 and continue until February 28, "
        "2022.\n\nSigned: Date: March 20, 2020\n\nBy: ____\n"
    )
    assert _one(text, "agreement_date") != "2020-03-01"


# --------------------------------------------------------------------------- term

_OPENING = (
    'This Supply Agreement (the "Agreement") is entered into as of January 4, 2021 (the '
    '"Effective Date") by and between Rowan Foods, Inc. ("Buyer") and Linden Farms LLC '
    '("Seller").\n\n'
)


def test_until_the_earlier_of_a_date_or_an_event_is_that_date_not_perpetual() -> None:
    text = _OPENING + (
        "12. Term. The term of this Agreement will begin on the Effective Date and will "
        "remain in effect until the earlier of (i) December 31, 2024, (ii) the closing of "
        "the Buyer's plant, or (iii) termination under Section 13.\n"
    )
    assert _one(text, "expiration_date") == "2024-12-31"


def test_remain_in_effect_until_an_event_is_not_perpetual() -> None:
    # an event ends it: no date is known in advance, and it does not run for ever
    text = _OPENING + (
        "12. Term. This Agreement shall remain in effect until the Buyer ceases to sell "
        "the Products in the Territory.\n"
    )
    assert _one(text, "expiration_date") == "indefinite"


def test_until_terminated_by_a_party_is_perpetual() -> None:
    text = _OPENING + (
        "12. Term. This Agreement shall become effective on the Effective Date and shall "
        "continue in effect until either Party informs the other Party by sixty (60) days' "
        "written notice that it ends this Agreement.\n"
    )
    assert _one(text, "expiration_date") == "perpetual"


def test_thereafter_until_terminated_after_a_fixed_end_is_not_perpetual() -> None:
    text = _OPENING + (
        "12. Term and Termination. This Agreement shall commence on the Effective Date and "
        "continue until the end of the tenth (10th) Supply Year, and shall continue "
        "thereafter until terminated by either party on ninety (90) days' notice.\n"
    )
    assert _one(text, "expiration_date") != "perpetual"


def test_stated_end_date_outweighs_a_counted_duration() -> None:
    text = _OPENING + (
        "1. Term: (a) This Agreement shall have an Initial Term of three (3) years. The Term "
        "shall commence on January 8, 2021 and shall expire on January 7, 2024, unless ended "
        "earlier under Section 9.\n"
    )
    assert _one(text, "expiration_date") == "2024-01-07"


def test_term_counted_from_another_event_gives_no_expiration() -> None:
    text = _OPENING + (
        "10.1 Term. The term of this Agreement shall continue for one (1) year following the "
        "Launch Date, unless earlier terminated as provided herein.\n"
    )
    assert _one(text, "expiration_date") is None
    assert _one(text, "initial_term_months") == 12


def test_relative_terms_resolve_against_the_effective_date() -> None:
    text = _OPENING + "8. Term. This Agreement expires five (5) years after the Effective Date.\n"
    assert _one(text, "expiration_date") == "2026-01-04"
    text2 = _OPENING + "8. Term. The initial term of this Agreement is one (1) year.\n"
    assert _one(text2, "expiration_date") == "2022-01-04"


def test_recitals_and_other_defined_periods_are_not_the_term() -> None:
    text = _OPENING + (
        "WHEREAS, the prior supply agreement between the parties expired on May 28, 2020;\n\n"
        '1.4 "Supply Year" means a period of one year starting on the Effective Date or an '
        "anniversary of it.\n\n"
        "2. Deadline. Buyer shall place a first order within forty-five (45) days of the "
        "Effective Date.\n"
    )
    assert _one(text, "expiration_date") is None


# --------------------------------------------------------------------------- matching rule


def test_parties_rule_reads_a_gold_list_wrapped_in_a_bracket() -> None:
    gold = '(Aster Corp. ("Aster"); Birch Industries Limited ("Birch")'
    assert party_names(gold) == ["aster", "birch industries"]
    assert parties_match("Birch Industries Limited", gold) is False
    assert parties_match("Aster Corp.; Birch Industries Limited", gold) is True
