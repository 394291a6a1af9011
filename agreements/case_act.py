"""The Case Act monthly report (1 U.S.C. 112b, as rewritten by Pub. L. 117-263 §5947).

Each month the Secretary of State sends Congress the international agreements and qualifying
non-binding instruments signed or entered into force in the prior month, citing the legal
authority down to the article, section and subsection. Three queries whatever the month.
"""

import calendar
import dataclasses
import datetime
import re
from operator import itemgetter

from django import forms
from django.db.models import Prefetch, Q

from agreements.models import Agreement, AgreementParticipant, LegalBasis
from core.marked import allowed_categories, marking_of, withheld_count
from core.markings import Marking
from core.registry_day import registry_today
from core.web.csv import rows_of

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
COLUMNS = [
    ("reference", "Reference"),
    ("title", "Title"),
    ("instrument", "Instrument"),
    ("agreement_type", "Type"),
    ("status", "Status"),
    ("events", "Reported for"),
    ("signed_on", "Signed on"),
    ("entry_into_force_on", "Entered into force on"),
    ("parties", "Parties"),
    ("authorities", "Legal authority (pinpoint citations)"),
    ("transmitted_on", "Transmitted to Congress on"),
    ("due_on", "Due to Congress by"),
]


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def previous_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class CaseActMonthForm(forms.Form):
    """The report's one filter: a month as YYYY-MM (default: the month before the registry
    day, the month the next report covers)."""

    month = forms.CharField(
        required=False, max_length=7, label="Month", help_text="YYYY-MM; default: last month."
    )

    def clean_month(self) -> datetime.date:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return previous_month(registry_today())
        match = MONTH.match(text)
        if not match or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 2200:
            raise forms.ValidationError("Give a month as YYYY-MM, between 1900-01 and 2200-12.")
        return datetime.date(int(match[1]), int(match[2]), 1)


@dataclasses.dataclass
class CaseActReport:
    """The agreements to report for one month, and those that cannot be until fixed."""

    month: datetime.date
    due_on: datetime.date
    rows: list[dict] = dataclasses.field(default_factory=list)
    errors: list[dict] = dataclasses.field(default_factory=list)
    # The highest marking of the agreements and the partners listed (UNCLASSIFIED if none).
    marking: Marking = dataclasses.field(default_factory=Marking)
    # Agreements of the month and parties of them that this reader may not see.
    records_withheld: int = 0


def case_act_report(month: datetime.date, *, user=None) -> CaseActReport:
    """Every agreement signed or entered into force in `month` that `user` may see (their
    CUI categories; none when no user is given), with the parties `user` may see; those
    without an authorizing legal basis are listed apart, as errors to fix before the report
    can go."""
    first, last = month.replace(day=1), month_end(month)
    due_on = month_end(month_end(first) + datetime.timedelta(days=1))
    in_month = Agreement.objects.filter(
        Q(signed_on__range=(first, last)) | Q(entry_into_force_on__range=(first, last))
    )
    agreements = (
        in_month.visible_to(user)
        .prefetch_related(
            Prefetch(
                "participants",
                AgreementParticipant.objects.filter(
                    partner__marking_categories__contained_by=allowed_categories(user)
                )
                .select_related("partner")
                .order_by("id"),
            ),
            Prefetch(
                "legal_bases",
                LegalBasis.objects.filter(role=LegalBasis.Role.AUTHORIZES)
                .select_related("provision__act")
                .order_by("id"),
                to_attr="authorizing",
            ),
        )
        .order_by("signed_on", "reference")
    )
    report = CaseActReport(month=first, due_on=due_on)
    shown = []
    for agreement in agreements:
        shown += [agreement, *(p.partner for p in agreement.participants.all())]
        row = _row(agreement, first, last, due_on)
        if agreement.authorizing:
            report.rows.append(row)
        else:
            report.errors.append(
                {**row, "error": "No authorizing legal basis: add the provision it rests on."}
            )
    report.marking = marking_of(shown)
    report.records_withheld = withheld_count(in_month, user) + withheld_count(
        AgreementParticipant.objects.filter(agreement__in=in_month.visible_to(user)),
        user,
        "partner__",
    )
    return report


def _row(agreement: Agreement, first, last, due_on) -> dict:
    events = [
        label
        for day, label in (
            (agreement.signed_on, "signature"),
            (agreement.entry_into_force_on, "entry into force"),
        )
        if day and first <= day <= last
    ]
    return {
        "id": agreement.pk,
        "reference": agreement.reference,
        "title": agreement.title,
        "binding": agreement.binding,
        "instrument": "International agreement" if agreement.binding else "Non-binding instrument",
        "agreement_type": agreement.get_agreement_type_display(),
        "status": agreement.get_status_display(),
        "events": " and ".join(events),
        "signed_on": agreement.signed_on,
        "entry_into_force_on": agreement.entry_into_force_on,
        "parties": [
            {"partner_id": p.partner_id, "name": p.partner.name, "role": p.get_role_display()}
            for p in agreement.participants.all()
        ],
        "authorities": [basis.citation for basis in agreement.authorizing],
        "transmitted_on": agreement.case_act_transmitted_on,
        "due_on": due_on,
    }


def case_act_csv_rows(report: CaseActReport):
    """The month, the page's columns and, for an agreement that cannot be reported, why."""
    month = report.month.strftime("%Y-%m")
    cells = {
        "parties": lambda row: "; ".join(f"{p['name']} ({p['role']})" for p in row["parties"]),
        "authorities": lambda row: "; ".join(row["authorities"]),
    }
    columns = [
        ("month", lambda row: month),
        *[(key, cells.get(key, itemgetter(key))) for key, _ in COLUMNS],
        ("error", lambda row: row.get("error", "")),
    ]
    return rows_of(columns, [*report.rows, *report.errors])
