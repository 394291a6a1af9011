"""The banner rules of core/markings.py and the marking columns' checks."""

import pytest

from core.markings import UNCLASSIFIED, Marking, highest, marking_errors, rel_to_order

COUNTRIES = {"USA", "GBR", "AUS", "CAN", "ISR"}


def test_an_uncontrolled_record_is_unclassified():
    assert Marking.of([], "", []).banner == UNCLASSIFIED
    assert not Marking.of().is_cui


@pytest.mark.parametrize(
    ("categories", "control", "rel_to", "banner"),
    [
        (["EXPT"], "", [], "CUI//SP-EXPT"),
        (["PRVCY"], "", [], "CUI//PRVCY"),
        (["EXPT"], "NOFORN", [], "CUI//SP-EXPT//NOFORN"),
        (["PRVCY", "EXPT", "OPSEC"], "", [], "CUI//SP-EXPT/OPSEC/PRVCY"),
        (["PROPIN", "DCNI"], "FED ONLY", [], "CUI//SP-DCNI/PROPIN//FED ONLY"),
        (["PROPIN"], "FEDCON", [], "CUI//PROPIN//FEDCON"),
        (["EXPT"], "REL TO", ["GBR", "USA", "AUS"], "CUI//SP-EXPT//REL TO USA, AUS, GBR"),
    ],
)
def test_banner_follows_the_cui_registry(categories, control, rel_to, banner):
    assert Marking.of(categories, control, rel_to).banner == banner


def test_rel_to_lists_the_usa_first_then_alphabetically():
    assert rel_to_order(["ISR", "CAN", "USA"]) == ["USA", "CAN", "ISR"]
    assert rel_to_order(["GBR"]) == ["USA", "GBR"]


def test_highest_is_the_union_of_categories_with_the_strictest_controls():
    page = highest(
        [
            Marking.of(),
            Marking.of(["PRVCY"], "FEDCON"),
            Marking.of(["EXPT"], "FED ONLY"),
        ]
    )
    assert page.banner == "CUI//SP-EXPT/PRVCY//FED ONLY"


def test_noforn_wins_over_rel_to():
    page = highest([Marking.of(["EXPT"], "REL TO", ["GBR"]), Marking.of(["OPSEC"], "NOFORN")])
    assert page.banner == "CUI//SP-EXPT/OPSEC//NOFORN"


def test_rel_to_lists_are_intersected_and_usa_alone_is_noforn():
    both = [Marking.of(["EXPT"], "REL TO", ["GBR", "AUS"]), Marking.of(["EXPT"], "REL TO", ["GBR"])]
    assert highest(both).banner == "CUI//SP-EXPT//REL TO USA, GBR"
    apart = [Marking.of(["EXPT"], "REL TO", ["AUS"]), Marking.of(["EXPT"], "REL TO", ["GBR"])]
    assert highest(apart).banner == "CUI//SP-EXPT//NOFORN"


def test_a_record_without_a_control_keeps_the_others_control():
    page = highest([Marking.of(["EXPT"]), Marking.of(["PRVCY"], "REL TO", ["CAN"])])
    assert page.banner == "CUI//SP-EXPT/PRVCY//REL TO USA, CAN"


def test_nothing_shown_is_unclassified():
    assert highest([]).banner == UNCLASSIFIED


@pytest.mark.parametrize(
    ("categories", "control", "rel_to", "field"),
    [
        ([], "NOFORN", [], "marking_dissemination"),
        (["EXPT"], "REL TO", ["XXX"], "marking_rel_to"),
        (["EXPT"], "REL TO", ["USA"], "marking_rel_to"),
        (["EXPT"], "REL TO", [], "marking_rel_to"),
        (["EXPT"], "NOFORN", ["GBR"], "marking_rel_to"),
        (["EXPT", "EXPT"], "", [], "marking_categories"),
    ],
)
def test_marking_errors_name_the_field(categories, control, rel_to, field):
    assert field in marking_errors(categories, control, rel_to, countries=COUNTRIES)


def test_a_sound_marking_has_no_errors():
    assert marking_errors(["EXPT"], "REL TO", ["GBR"], countries=COUNTRIES) == {}
    assert marking_errors([], "", [], countries=COUNTRIES) == {}
