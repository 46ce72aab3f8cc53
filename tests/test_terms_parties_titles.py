"""Parties where a title or a name's own words look like a list of parties (snippets written
for these tests): a centred title "AMENDMENT TO THE ... AGREEMENT BETWEEN X AND Y" right above
an amendment's own opening, a bracketed place inside a legal name ("Lotus (Suzhou) Trading
Co., Ltd."), "and" inside an institution's name ("Institute of Soil and Water Studies"), and the
tail of a name already read ("... FILM AND MEDIA CORPORATION") read again as a party."""

from __future__ import annotations

from tests.test_terms_third_party import _names


def test_a_centred_title_list_does_not_run_into_an_amendments_opening() -> None:
    text = (
        "                AMENDMENT                   TO THE          RESELLER AGREEMENT"
        "                BETWEEN              HALVARD SYSTEMS            AND"
        "              BRINDLE\n\n\n\n"
        'This Amendment is entered into effective May 2, 2004 ("Amendment Date") by and '
        'between Brindle, Inc. ("Brindle"), a subsidiary of Oxley Group plc, and Halvard '
        'Systems ("Reseller") acting on behalf of itself and its affiliates.\n\n'
        "1. The Territory is amended as follows.\n"
    )
    assert _names(text) == ["Brindle, Inc.", "Halvard Systems"]


def test_an_addendums_opening_after_a_title_between_list() -> None:
    text = (
        "ADDENDUM TO SERVICES AGREEMENT BETWEEN CORVID LABS AND PELL MARINE\n\n"
        "This Addendum is made on June 1, 2012 between Corvid Labs LLC, a Texas limited "
        'liability company ("Provider"), and Pell Marine Corp. ("Client").\n\n'
        "1. Scope.\n"
    )
    assert _names(text) == ["Corvid Labs LLC", "Pell Marine Corp."]


def test_a_bracketed_place_inside_a_legal_name_is_part_of_it() -> None:
    text = (
        'This Consulting Agreement (this "Agreement") is entered into as of [Date] in '
        "Shanghai, China, by and between:\n\n"
        'Party A: Lotus (Suzhou) Trading Co., Ltd. ("Consultant")\n\n'
        "Address: 18 Renmin Road, Suzhou\n\n"
        'Party B: Jadeite Harbour Holdings Limited ("Client")\n\n'
        "Address: 2 Queen's Road, Hong Kong\n\nWhereas: Consultant advises on trade.\n"
    )
    assert _names(text) == [
        "Lotus (Suzhou) Trading Co., Ltd.",
        "Jadeite Harbour Holdings Limited",
    ]


def test_and_inside_an_institutions_name_in_a_title_list() -> None:
    text = (
        "Research Agreement\n\nbetween\n\nInstitute of Soil and Water Studies\n\nand\n\n"
        "Verdance Seeds, Inc.          Research Agreement    Page 1 of 40\n\n\n\n"
        "TABLE OF CONTENTS  1. PROJECTS  3\n"
    )
    assert _names(text) == ["Institute of Soil and Water Studies", "Verdance Seeds, Inc."]


def test_two_institutions_joined_by_and_are_two_parties() -> None:
    text = (
        "This License Agreement is made as of March 1, 2019 between the University of "
        'Northfield ("University") and Tallis Bio, Inc. ("Licensee").\n\nWHEREAS, ...\n'
    )
    assert _names(text) == ["University of Northfield", "Tallis Bio, Inc."]


def test_the_tail_of_a_name_already_read_is_no_party() -> None:
    text = (
        "MERIDIAN PICTURES Agreement with THE ARGO FILM AND MEDIA CORPORATION\n\n"
        "DISTRIBUTION AGREEMENT\n\nThis Distribution Agreement is between THE ARGO FILM AND "
        "MEDIA CORPORATION, located at 14 Dune Road, Oceanside, CA, 92054 and MERIDIAN "
        "PICTURES' located at 9 Palm Way, Encino, CA 91316\n\n"
        "Licensor: MERIDIAN PICTURES Licensee THE ARGO FILM AND MEDIA CORPORATION\n\n"
        "THIS DISTRIBUTION AGREEMENT is made as of this 3rd day of May, 2009.\n"
    )
    assert "MEDIA CORPORATION" not in _names(text)


def test_and_between_two_entity_words_of_one_name() -> None:
    text = (
        "This Agreement is made as of May 5, 2005 by and between Tamarind Bank and Trust "
        'Company ("Bank") and Ugli Fruit Co-Operative, Inc. ("Co-op").\n\n1. Services.\n'
    )
    assert _names(text) == ["Tamarind Bank and Trust Company", "Ugli Fruit Co-Operative, Inc."]


def test_a_bank_and_another_entity_are_still_two_parties() -> None:
    text = (
        "This Agreement is made as of May 5, 2005 by and between Harbor Trust Company and Bank "
        'of Westland ("Westland").\n\n1. Services.\n'
    )
    assert _names(text) == ["Harbor Trust Company", "Bank of Westland"]
