"""The passage about a party in the rule or order that listed it, read from real Federal Register text.

The texts are the starts of real documents in the Federal Register's plain-text format
(tests/files/README.md, "Why listed"); the names are those the real lists give.
"""

from __future__ import annotations

import pytest

from pipeline.linkage.passages import find_passage, paragraphs, searchable
from tests.kit.files import FILES

TEXTS = FILES / "federal_register"


def text(number: str) -> str:
    return (TEXTS / f"{number}.txt").read_text()


def test_wrapped_lines_become_paragraphs_and_a_page_break_does_not_cut_one():
    found = paragraphs(text("98-12769"))
    assert found[0].startswith("[Federal Register Volume 63, Number 93 (Thursday, May 14, 1998)] [Notices]")
    assert found[4].startswith("In the Matter of: Wayne P. Smith currently incarcerated at: Federal Correction")
    assert "USM No. 09046-035, Federal Detention Center," in found[4]
    # Two paragraphs with no blank line between them: the indent opens the second.
    assert found[5].endswith("without obtaining the required export license from the Department of State.")
    assert found[6].startswith("Section 11(h) of the Export Administration Act of 1979")
    # "[[Page 26776]]" falls mid-sentence, between blank lines.
    assert "at the discretion of the Secretary of Commerce,\\2\\ no person convicted" in found[6]
    assert not any("[[Page" in paragraph for paragraph in found)


def test_a_line_broken_at_a_hyphen_runs_on_without_a_space():
    (caption,) = [p for p in paragraphs(text("2018-25619")) if p.startswith("In the Matter of")]
    assert (
        caption
        == "In the Matter of: Gregory Allen Justice, Inmate Number: 73792-112, FCI Safford, P.O. Box 9000, Safford, AZ 85548."
    )


@pytest.mark.parametrize(
    "number, name, opens, closes",
    [
        (
            "2018-25619",
            "GREGORY ALLEN JUSTICE",
            "On September 19, 2017, in the U.S. District Court for the Central District of California, Gregory Allen",
            "three years of supervised release, and a $200 special assessment.",
        ),
        (
            "2016-27780",
            "LUIS ALBERTO NAJERA-CITALAN",
            "On June 9, 2015, in the U.S. District Court for the Southern District of Texas, Luis Alberto Najera-Citalan",
            "three years of supervised release, and a $100 assessment.",
        ),
    ],
)
def test_the_passage_about_a_denied_person_is_the_order_s_finding(number, name, opens, closes):
    passage = find_passage(text(number), [name])
    assert passage is not None
    assert passage.text.startswith(opens) and passage.text.endswith(closes)
    assert passage.matched == name


def test_an_alias_finds_the_passage_and_is_named_as_the_match():
    passage = find_passage(text("2018-25619"), ["G. A. JUSTICE HOLDINGS", "Gregory Allen Justice"])
    assert passage is not None and passage.matched == "Gregory Allen Justice"
    assert "was convicted of violating Section 38 of the Arms Export Control Act" in passage.text


def test_a_party_the_text_does_not_name_has_no_passage():
    assert find_passage(text("2018-25619"), ["LUIS ALBERTO NAJERA-CITALAN"]) is None
    # The stored start of the MEU rule (heading and summary) names none of the entities it added.
    assert find_passage(text("2020-28052"), ["AECC Aviation Power Co. Ltd."]) is None


def test_a_name_only_the_caption_gives_leads_to_the_paragraph_after_the_caption():
    # "FCI Safford" is written only in the caption, as an order's caption may give the
    # only spelling a list uses ("a/k/a I. Ash"): the finding that follows is the passage.
    passage = find_passage(text("2018-25619"), ["FCI Safford"])
    assert passage is not None and passage.matched == "FCI Safford"
    assert passage.text.startswith("On September 19, 2017, in the U.S. District Court")


def test_short_names_are_never_looked_for():
    assert searchable(["AZ", "Smith", "P.O. Box", "", "Justice"]) == [
        ("Smith", "smith"),
        ("P.O. Box", "p o box"),
        ("Justice", "justice"),
    ]
    assert find_passage(text("2018-25619"), ["AZ", "USML"]) is None


def test_no_text_or_no_name_is_no_passage():
    assert find_passage(None, ["GREGORY ALLEN JUSTICE"]) is None
    assert find_passage("", ["GREGORY ALLEN JUSTICE"]) is None
    assert find_passage(text("2018-25619"), []) is None


def test_the_regulatory_text_after_list_of_subjects_is_not_read():
    # The real order, with a "List of Subjects" heading put before its finding: the name after it is not read.
    head, finding = text("2018-25619").split("    On September 19, 2017")
    cut = head + "List of Subjects in 15 CFR Part 744\n\n    On September 19, 2017" + finding
    assert find_passage(text("2018-25619"), ["Federal Bureau of Investigation"]) is not None
    assert find_passage(cut, ["Federal Bureau of Investigation"]) is None
    # Only the caption is left before it, and a caption alone says nothing about why.
    assert find_passage(cut, ["GREGORY ALLEN JUSTICE"]) is None
