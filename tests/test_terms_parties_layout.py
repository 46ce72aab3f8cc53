"""Parties on page layouts (snippets written for these tests): page furniture (a page number
and a filing's "Source:" footer) between the parties of a preamble that runs onto the next
page, and the evidence spans that still index the contract's own text."""

from __future__ import annotations

from extraction.terms import extract_terms
from extraction.terms.layout import without_furniture
from tests.test_terms_third_party import _names, _values

_BREAK = "\n\n1\n\nSource: HALCYON GROUP INC, 10-Q, 8/9/2016\n\n\n\n\n"


def test_a_page_break_between_two_parties_is_not_a_party() -> None:
    text = (
        'SUPPLY AGREEMENT\n\nThis Supply Agreement (the "Agreement") is entered into as of '
        "March 3, 2016 by and between Tamsin Foods, Inc., a Georgia corporation "
        '("Buyer"), and' + _BREAK + "Orchard Row Packing LLC, a Washington limited liability "
        'company ("Seller").\n\nWHEREAS, Seller packs fruit.\n'
    )
    assert _names(text) == ["Tamsin Foods, Inc.", "Orchard Row Packing LLC"]
    for term in extract_terms(text):
        if term.name == "parties":
            assert text[term.start : term.end] == term.text == term.value["name"]


def test_a_page_break_inside_a_party_description_keeps_both_parties() -> None:
    text = (
        "LICENSE AGREEMENT\n\nThis License Agreement is made on 1 June 2015 between Kestrel "
        "Analytics Limited, a company incorporated in England with its registered office at"
        + _BREAK
        + '12 Mill Lane, Leeds ("Licensor"), and Pembury Data Corp., a Nevada corporation '
        '("Licensee").\n\nBACKGROUND\n\nA. Licensor owns software.\n'
    )
    assert _names(text) == ["Kestrel Analytics Limited", "Pembury Data Corp."]


def test_furniture_lines_go_and_offsets_map_back() -> None:
    text = "First part ends here,\n\n7\n\nSource: X CORP, 8-K, 1/2/2019\n\n\nsecond part."
    plain = without_furniture(text)
    assert plain.text == "First part ends here,\nsecond part."
    at = plain.text.index("second")
    assert text[plain.original(at) : plain.original(at + len("second part."))] == "second part."


def test_a_text_without_furniture_is_read_as_it_is() -> None:
    text = "Acme Inc. and Beta LLC agree.\n\n2.1 Term. The term is one year."
    assert without_furniture(text).text is text


def test_names_hard_wrapped_in_an_opening_without_a_between_cue() -> None:
    text = (
        "EXHIBIT 10.2\n\nHOSTING AGREEMENT\n\nThis Hosting Agreement is effective as of the later "
        'of the dates signed below, by LANTERN\nSOFTWARE CORPORATION ("Lantern"), a Utah '
        'corporation, 8 Canyon Road, Provo, Utah, and QUILLFIELD\nDATA INC. ("Quillfield"), a '
        "Delaware corporation, 20 Pier Street, Wilmington, Delaware.\n\n1. Hosting.\n"
    )
    assert _names(text) == ["LANTERN SOFTWARE CORPORATION", "QUILLFIELD DATA INC."]


def test_an_entity_name_wrapped_onto_two_lines_of_its_signature_block() -> None:
    text = (
        "SERVICES AGREEMENT\n\n1. Services. The provider shall perform the services.\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Agreement.\n\n"
        "          HALLORAN MARINE SUPPLY\nCORPORATION\n\nBy: ______________\n\n"
        "          ESKDALE FREIGHT\nLIMITED\n\nBy: ______________\n"
    )
    assert _names(text) == ["HALLORAN MARINE SUPPLY CORPORATION", "ESKDALE FREIGHT LIMITED"]


def test_a_sentence_or_a_role_above_a_signature_name_is_not_joined_to_it() -> None:
    text = (
        "SERVICES AGREEMENT\n\n1. Services. The provider shall perform the services.\n\n"
        "IN WITNESS WHEREOF, the parties have signed.\nHALLORAN MARINE CORPORATION\n\nBy: ____\n\n"
        "LICENSEE\nESKDALE FREIGHT LIMITED\n\nBy: ____\n"
    )
    assert _names(text) == ["HALLORAN MARINE CORPORATION", "ESKDALE FREIGHT LIMITED"]


_JOINT = (
    "Exhibit 99.2\n\nJOINT FILING AGREEMENT\n\nThe undersigned agree that the statement on "
    "Schedule 13D to which this agreement is attached is filed on behalf of each of them.\n\n"
)


def test_funds_that_sign_through_their_general_partner_are_parties_too() -> None:
    text = _JOINT + (
        "IN WITNESS WHEREOF, the undersigned sign this agreement as of June 1, 2021. "
        "LARKSPUR OPPORTUNITY FUND LP By: Larkspur Fund GP LLC, its general partner\n\n"
        "By: /s/ Ines Moro Name: Ines Moro Title: Managing Director\n\n"
        "LARKSPUR CO-INVEST LP By: Larkspur Fund GP LLC, its general partner\n\n"
        "By: /s/ Ines Moro Name: Ines Moro Title: Managing Director\n\n"
        "LARKSPUR FUND GP LLC\n\nBy: /s/ Ines Moro Name: Ines Moro Title: Managing Director\n\n"
        "LARKSPUR ADVISERS LLC\n\nBy: /s/ Ines Moro Name: Ines Moro Title: Director\n"
    )
    assert _names(text) == [
        "LARKSPUR OPPORTUNITY FUND LP",
        "LARKSPUR CO-INVEST LP",
        "LARKSPUR FUND GP LLC",
        "LARKSPUR ADVISERS LLC",
    ]


def test_a_place_in_brackets_is_part_of_a_signature_block_name() -> None:
    text = (
        "SERVICES AGREEMENT\n\n1. Services. The provider shall perform the services.\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Agreement.\n\n"
        "NORTH QUAY PARTNERS (CAYMAN) MASTER LTD.\n\nBy: ____\n\n"
        "GANNET ROW LLC\n\nBy: ____\n"
    )
    assert _names(text) == ["NORTH QUAY PARTNERS (CAYMAN) MASTER LTD.", "GANNET ROW LLC"]


def test_a_person_who_signs_for_himself_is_a_reporting_party() -> None:
    text = _JOINT + (
        "IN WITNESS WHEREOF, the undersigned execute this agreement as of May 2, 2022. "
        "HOLMSUND INVEST S.À R.L. /s/ Petr Vana By: Petr Vana Title: Manager "
        "TOMÁŠ ŠVEC /s/ Tomas Svec By: Tomas Svec"
    )
    assert _names(text) == ["HOLMSUND INVEST S.À R.L.", "TOMÁŠ ŠVEC"]


def test_an_officer_signing_for_an_entity_is_no_party() -> None:
    text = _JOINT + (
        "IN WITNESS WHEREOF, the undersigned execute this agreement as of May 2, 2022. "
        "HOLMSUND INVEST S.À R.L. By: /s/ Petr Vana Name: PETR VANA Title: Manager "
        "KOLLER TRUST By: /s/ Eva Koller Name: Eva Koller Title: Trustee"
    )
    assert _names(text) == ["HOLMSUND INVEST S.À R.L.", "KOLLER TRUST"]


def test_the_captions_of_a_schedule_13g_signature_block() -> None:
    text = (
        "Exhibit 1 JOINT FILING AGREEMENT The undersigned agree that the Schedule 13G with "
        "respect to the shares of Orrin Labs Inc. is filed on behalf of each of them. "
        "February 9, 2021 (Date) WESTERLY PARTNERS TRUST /s/ Mara L. Quist (Signature) Mara "
        "L. Quist, Trustee (Name/Title) MARA L. QUIST /s/ Mara L. Quist (Signature)"
    )
    assert _names(text) == ["WESTERLY PARTNERS TRUST", "MARA L. QUIST"]


def _roles(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(p["name"], p["alias"], p["role"]) for p in _values(text, "parties")]


def test_defined_terms_in_square_brackets() -> None:
    text = (
        "This Distribution Agreement is made on 4 April 2018 by and between Fenwick Optics "
        "GmbH [“Fenwick”] and Solway Instruments Limited [the “Distributor”].\n\nRECITALS\n"
    )
    assert _roles(text) == [
        ("Fenwick Optics GmbH", "Fenwick", None),
        ("Solway Instruments Limited", "Distributor", "distributor"),
    ]


def test_defined_terms_in_typewriter_quotes_of_old_filings() -> None:
    text = (
        "THIS LICENSE AGREEMENT is entered into as of March 9, 1997 between Tessaly Corp., a "
        "Delaware corporation (``Licensor''), and Brockwell Systems, Inc., an Ohio corporation "
        "(referred to below as ``Licensee'').\n\nWHEREAS, Licensor owns patents.\n"
    )
    assert _roles(text) == [
        ("Tessaly Corp.", "Licensor", "licensor"),
        ("Brockwell Systems, Inc.", "Licensee", "licensee"),
    ]


def test_a_running_head_at_each_page_break_is_furniture() -> None:
    page = "\n\n{n}\n\nCONFIDENTIAL\n\nMaple Lane Lease - Execution Copy\n\n"
    body = "".join(
        f"{k}. Clause {k}. The tenant shall keep the premises in good repair.{page.format(n=k)}"
        for k in range(2, 5)
    )
    text = (
        "LEASE\n\nThis Lease is made on 2 May 2019 by and between Quarry Hill Estates Limited, "
        'a company registered in Scotland ("Landlord"), and' + page.format(n=1) + "Bellbird "
        'Cafes Ltd, a company registered in Scotland ("Tenant").\n\nWHEREAS the Landlord owns '
        "the premises.\n\n" + body
    )
    assert _names(text) == ["Quarry Hill Estates Limited", "Bellbird Cafes Ltd"]


def test_a_numbered_marker_that_recurs_is_no_running_head() -> None:
    text = "Intro line.\n\n(a)\n\n1\n\n(a)\n\nText.\n\n(a)\n\nMore text."
    assert "(a)\n\n1" not in without_furniture(text).text
    assert without_furniture(text).text.count("(a)") == 3


_HEADED = (
    'This Outsourcing Agreement (hereinafter "Agreement") is effective as from 1 March 2012, '
    "by and between:\n\nParties to this agreement\n\nKAROO MINERALS (PTY) LTD, registration no "
    "2004/0123/07, registered office at 9 Shaft Road, Kimberley, represented by Pieter Mol, "
    'Managing Director (hereinafter referred to as "the Customer"),\n\nAND\n\nLUSITANIA '
    "SISTEMAS, S.A., a public limited company with place of business in Lisbon, Portugal "
    '(hereinafter referred to as "LSI").\n\n1. RECITALS\n\n1.1 The parties belong to one group.\n'
)


def test_a_parties_heading_and_a_registration_number_around_a_name() -> None:
    assert _names(_HEADED) == ["KAROO MINERALS (PTY) LTD", "LUSITANIA SISTEMAS, S.A."]


def test_the_person_who_represents_a_party_is_no_party() -> None:
    # the first party named by a description only: its representative is not read in its
    # place; fewer parties rather than a wrong one
    text = _HEADED.replace(
        "KAROO MINERALS (PTY) LTD, registration no 2004/0123/07",
        "the mining company named in Schedule 1",
    )
    assert _names(text) == ["LUSITANIA SISTEMAS, S.A."]
