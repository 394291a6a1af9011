"""Imported requirements keep whether the law lets them be waived (CONTRACT v1.1)."""

from conditions.models import ConditionRequirement, WaiverEntry
from registry.importing.records import import_records
from tests.imports.test_importing import good_rows, to_csv


def test_imported_requirements_are_waivable_unless_marked_not(leahy, editor):
    rows = good_rows()
    rows[6]["waivable"] = "no"  # requirement (a)
    result = import_records(to_csv(rows), actor=editor, dry_run=True)
    # The grant then waives (a), which the law makes non-waivable: refused, by row.
    assert result.errors[0].field == "requirements_waived" and not result.committed
    for row in rows:
        if row.get("requirements_waived"):
            row["requirements_waived"] = "(b)"
    result = import_records(to_csv(rows), actor=editor, dry_run=False)
    assert result.errors == [] and result.committed
    assert dict(ConditionRequirement.objects.values_list("label", "waivable")) == {
        "(a)": False,
        "(b)": True,
    }
    # The extension left the list out: it carries the grant's.
    assert [e.requirements_waived for e in WaiverEntry.objects.order_by("sequence")] == [
        ["(b)"],
        ["(b)"],
    ]
