"""The bulk import takes a record's marking columns and refuses bad ones on their row and field."""

from django.contrib.auth.models import Group

from partners.models import Partner
from registry.importing.records import import_records
from tests.imports.test_importing import to_csv


def _partner(name: str, iso3: str, **marking) -> dict:
    return {"record_type": "partner", "name": name, "kind": "country", "iso3": iso3, **marking}


def test_import_takes_marking_columns(editor):
    for name in ("cui:EXPT", "cui:PRVCY"):  # a user marks only with categories they hold
        editor.groups.add(Group.objects.get_or_create(name=name)[0])
    rows = [
        _partner(
            "Egypt",
            "EGY",
            marking_categories="EXPT;PRVCY",
            marking_dissemination="REL TO",
            marking_rel_to="GBR;CAN",
        ),
        _partner("Jordan", "JOR"),
    ]
    result = import_records(to_csv(rows), actor=editor, dry_run=False)
    assert result.committed, result.errors
    egypt = Partner.objects.get(iso3="EGY")
    assert sorted(egypt.marking_categories) == ["EXPT", "PRVCY"]
    assert egypt.marking.banner == "CUI//SP-EXPT/PRVCY//REL TO USA, CAN, GBR"
    assert Partner.objects.get(iso3="JOR").marking.banner == "UNCLASSIFIED"


def test_import_refuses_bad_markings_with_row_and_field(editor):
    editor.groups.add(Group.objects.get_or_create(name="cui:EXPT")[0])
    rows = [
        _partner("Egypt", "EGY", marking_categories="SECRET"),
        _partner("Jordan", "JOR", marking_dissemination="NOFORN"),  # a control, no category
        _partner("Oman", "OMN", marking_categories="EXPT", marking_dissemination="REL TO"),
        _partner("Qatar", "QAT", marking_categories="EXPT", marking_dissemination="BOGUS"),
    ]
    result = import_records(to_csv(rows), actor=editor, dry_run=True)
    assert not result.committed
    found = {(error.row, error.field) for error in result.errors}
    assert {
        (2, "marking_categories"),
        (3, "marking_dissemination"),
        (4, "marking_rel_to"),
        (5, "marking_dissemination"),
    } <= found, result.errors
    assert not Partner.objects.filter(iso3__in=["EGY", "JOR", "OMN", "QAT"]).exists()


def test_import_refuses_a_marking_the_user_does_not_hold(editor):
    rows = [_partner("Egypt", "EGY", marking_categories="EXPT")]
    result = import_records(to_csv(rows), actor=editor, dry_run=False)
    assert not result.committed
    assert [(e.row, e.field) for e in result.errors] == [(2, "marking_categories")]
    assert not Partner.objects.filter(iso3="EGY").exists()
