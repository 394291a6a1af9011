"""Bulk import: dry runs report every row error; real runs land whole or not at all."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from agreements.models import Agreement, AgreementParticipant
from conditions.models import Condition, ConditionRequirement, WaiverEntry
from conditions.services.ledger import verify_chain
from partners.models import Partner
from registry.importing import records as importing
from registry.importing.records import RowError, import_records


def good_rows() -> list[dict]:
    return [
        {"record_type": "partner", "name": "Egypt", "kind": "country", "iso3": "EGY"},
        {
            "record_type": "partner",
            "name": "Arab Organization for Industrialization",
            "kind": "government_agency",
            "parent": "EGY",
        },
        {
            "record_type": "agreement",
            "reference": "DTC-2015-0001",
            "title": "M1A1 co-production",
            "agreement_type": "co_production",
            "status": "in_force",
            "signed_on": "2015-03-01",
            "technology_transfer_risk": "moderate",
            "technology_areas": "land_systems;munitions",
        },
        {
            "record_type": "participant",
            "agreement": "DTC-2015-0001",
            "partner": "Egypt",
            "role": "lead",
            "cost_share_percent": "60",
        },
        {
            "record_type": "participant",
            "agreement": "DTC-2015-0001",
            "partner": "Arab Organization for Industrialization",
            "role": "participant",
            "cost_share_percent": "40",
        },
        {
            "record_type": "condition",
            "title": "FMF human-rights certification FY2023",
            "partner": "Egypt",
            "agreement": "DTC-2015-0001",
            "legal_basis_codification": "22 U.S.C. 2378d",
            "review_interval_days": "365",
            "next_review_due": "2023-09-30",
            "responsible_office": "DRL",
            "amount_conditioned_usd": "320000000",
            "fiscal_year": "2023",
        },
        {
            "record_type": "requirement",
            "condition": "FMF human-rights certification FY2023",
            "condition_partner": "Egypt",
            "label": "(a)",
            "text": "Political prisoners.",
        },
        {
            "record_type": "requirement",
            "condition": "FMF human-rights certification FY2023",
            "condition_partner": "Egypt",
            "label": "(b)",
            "text": "Due process.",
        },
        {
            "record_type": "waiver",
            "entry_key": "egy-2023",
            "action": "granted",
            "condition": "FMF human-rights certification FY2023",
            "condition_partner": "Egypt",
            "authority_act": "87-195",
            "authority_section": "620M",
            "standard": "national_security_interest",
            "official_title": "Secretary of State",
            "signed_on": "2023-09-14",
            "effective_on": "2023-09-14",
            "expires_on": "2024-09-30",
            "requirements_waived": "(a);(b)",
            "amount_usd": "235000000",
            "fiscal_year": "2023",
            "justification": "National security interest.",
            "publicity": "published_official",
            "congress_notified_on": "2023-10-05",
        },
        {
            "record_type": "waiver",
            "action": "extended",
            "amends": "egy-2023",
            "condition": "FMF human-rights certification FY2023",
            "condition_partner": "egy",
            "authority_codification": "22 U.S.C. 2378d",
            "standard": "national_security_interest",
            "official_title": "Secretary of State",
            "signed_on": "2024-09-20",
            "effective_on": "2024-09-25",
            "expires_on": "2024-12-31",
            "justification": "Extended.",
            "publicity": "notified_only",
        },
    ]


def to_csv(rows: list[dict]) -> str:
    header = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def counts() -> tuple:
    return (
        Partner.objects.count(),
        Agreement.objects.count(),
        AgreementParticipant.objects.count(),
        Condition.objects.count(),
        ConditionRequirement.objects.count(),
        WaiverEntry.objects.count(),
    )


NOTHING = (0, 0, 0, 0, 0, 0)
EVERYTHING = (2, 1, 2, 1, 2, 2)


def test_a_good_csv_file_lands_whole_through_the_services(leahy, editor):
    result = import_records(to_csv(good_rows()), actor=editor, dry_run=False)
    assert result.errors == []
    assert result.committed
    assert counts() == EVERYTHING
    assert result.created == {
        "partner": 2,
        "agreement": 1,
        "participant": 2,
        "condition": 1,
        "requirement": 2,
        "waiver": 2,
    }
    agency = Partner.objects.get(name="Arab Organization for Industrialization")
    assert agency.parent.iso3 == "EGY"
    grant, extension = WaiverEntry.objects.order_by("sequence")
    assert extension.amends == grant and grant.recorded_by == editor
    assert grant.requirements_waived == ["(a)", "(b)"]
    assert verify_chain() is None  # the ledger chain is intact
    assert Partner.pgh_event_models["insert"].objects.filter(name="Egypt").exists()
    areas = set(Agreement.objects.get().technology_areas.values_list("slug", flat=True))
    assert areas == {"land_systems", "munitions"}


def test_every_field_of_an_agreement_is_a_column(leahy, editor):
    # The columns come from agreements.fields: a field added there is importable too.
    rows = good_rows()
    rows[2].update(binding="perhaps", case_act_transmitted_on="2015-04-01")
    result = import_records(to_csv(rows), actor=editor, dry_run=True)
    assert result.errors[0] == RowError(4, "binding", "“perhaps” is not true or false.")
    rows[2]["binding"] = "no"
    result = import_records(to_csv(rows), actor=editor, dry_run=False)
    assert result.errors == []
    agreement = Agreement.objects.get()
    assert agreement.binding is False
    assert agreement.case_act_transmitted_on.isoformat() == "2015-04-01"


def test_nested_json_lands_whole(leahy, editor):
    rows = good_rows()
    agreement, condition = rows[2], rows[5]
    agreement["participants"] = [
        {k: v for k, v in r.items() if k not in ("record_type", "agreement")} for r in rows[3:5]
    ]
    condition["requirements"] = [{"label": r["label"], "text": r["text"]} for r in rows[6:8]]
    records = [rows[0], rows[1], agreement, condition, rows[8], rows[9]]
    result = import_records(json.dumps({"records": records}), actor=editor, dry_run=False)
    assert result.errors == []
    assert counts() == EVERYTHING


def test_a_dry_run_of_a_good_file_writes_nothing(leahy, editor):
    result = import_records(to_csv(good_rows()), actor=editor, dry_run=True)
    assert result.ok and not result.committed
    assert result.created["waiver"] == 2
    assert counts() == NOTHING


def five_bad_rows() -> list[dict]:
    rows = good_rows()
    rows[1]["kind"] = "country"  # line 3: a country without ISO code
    rows[2]["signed_on"] = "2015-13-01"  # line 4: not a date
    rows[4]["partner"] = "Atlantis"  # line 6: unknown partner
    rows[7]["label"] = "(a)"  # line 9: the same requirement label twice
    rows[8]["standard"] = "because"  # line 10: not a standard
    return rows


@pytest.mark.parametrize("dry_run", [True, False])
def test_five_bad_rows_are_all_reported_and_nothing_is_written(leahy, editor, dry_run):
    result = import_records(to_csv(five_bad_rows()), actor=editor, dry_run=dry_run)
    assert not result.committed
    assert {(e.row, e.field) for e in result.errors} >= {
        (3, "iso3"),
        (4, "signed_on"),
        (6, "partner"),
        (9, "label"),
        (10, "standard"),
    }
    # Rows that refer to a failed row say so: the condition (line 7) names the agreement of
    # line 4, the extension (line 11) amends the entry of line 10.
    assert {e.row for e in result.errors} == {3, 4, 6, 7, 9, 10, 11}
    assert RowError(7, "agreement", "Refers to row 4, which has errors.") in result.errors
    assert RowError(11, "amends", "Refers to row 10, which has errors.") in result.errors
    assert RowError(4, "signed_on", "“2015-13-01” is not a date (YYYY-MM-DD).") in result.errors
    assert counts() == NOTHING


def test_a_file_failing_half_way_lands_nothing(leahy, editor):
    rows = good_rows()
    rows[9]["expires_on"] = "2024-06-30"  # the last row: an extension ending before the grant
    result = import_records(to_csv(rows), actor=editor, dry_run=False)
    assert result.errors == [RowError(11, "expires_on", "An extension must end after 2024-09-30.")]
    assert counts() == NOTHING


def test_a_crash_half_way_lands_nothing(leahy, editor, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importing, "waiver_record", crash)
    with pytest.raises(RuntimeError):
        import_records(to_csv(good_rows()), actor=editor, dry_run=False)
    assert counts() == NOTHING


def test_format_errors_name_the_file_or_the_column(db, editor):
    result = import_records("name,kind\nEgypt,country\n", actor=editor, dry_run=True)
    assert result.errors == [
        RowError(0, "file", "A CSV file needs a header row with a record_type column.")
    ]
    result = import_records(
        '[{"record_type": "planet", "name": "Mars"}]', actor=editor, dry_run=True
    )
    assert result.errors[0].row == 1 and result.errors[0].field == "record_type"
    result = import_records('{"records": 3}', actor=editor, dry_run=True)
    assert result.errors[0].field == "file"
    result = import_records(
        '[{"record_type": "partner", "name": "X", "kind": "company", "colour": "red"}]',
        actor=editor,
        dry_run=True,
    )
    assert result.errors == [RowError(1, "colour", "Not a column of a partner record.")]


def test_children_need_their_parent_in_the_file(leahy, editor):
    rows = [good_rows()[3]]
    result = import_records(to_csv(rows), actor=editor, dry_run=True)
    assert result.errors[0].row == 2 and result.errors[0].field == "agreement"


def test_command_dry_run_then_real_run(leahy, editor, tmp_path, capsys):
    path = tmp_path / "records.csv"
    path.write_text(to_csv(good_rows()))
    call_command("import_records", str(path), "--dry-run")
    assert counts() == NOTHING
    assert "Dry run: no errors" in capsys.readouterr().out
    call_command("import_records", str(path), "--user", "editor")
    assert counts() == EVERYTHING
    assert WaiverEntry.objects.first().recorded_by == editor


def test_command_reports_every_error_and_fails(leahy, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(to_csv(five_bad_rows()))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_records", str(path))
    out = capsys.readouterr().out
    assert "row 4, signed_on:" in out and "row 10, standard:" in out
    assert counts() == NOTHING
