"""API endpoints for the three reports: the same filters and numbers as the report pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements.case_act import CaseActMonthForm, case_act_report
from core.api.base import MARKING_HEADER
from registry.reports.access import access_report
from registry.reports.enforcement import COLUMNS, enforcement_report
from registry.reports.filters import ReportFilterForm
from registry.reports.industrial_base import industrial_base_report
from registry.reports.markings import report_marking
from registry.reports.technology_exposure import technology_exposure_report
from registry.reports.withheld import report_withheld

PARAMETERS = [
    OpenApiParameter(
        "partner", OpenApiTypes.INT, many=True, explode=True,
        description="Partner id; repeat for several. None: every partner.",
    ),
    OpenApiParameter("year_from", OpenApiTypes.INT, description="First fiscal year (inclusive)."),
    OpenApiParameter("year_to", OpenApiTypes.INT, description="Last fiscal year (inclusive)."),
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="The day the report describes; "
                     "default today."),
]  # fmt: skip
# Sums and shares have no fixed width: any amount the database accepts adds up without overflow.
MONEY = {"max_digits": None, "decimal_places": 2}
PERCENT = {"max_digits": None, "decimal_places": 2, "allow_null": True}


def _withheld_field():
    """`records_withheld`: filled in by the view (registry/reports/withheld.py)."""
    return serializers.IntegerField(
        default=0,
        help_text="Records that shaped this report and that this reader may not see (CUI "
        "categories they do not hold); 0 for a reader cleared for everything counted.",
    )


class AreaSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class AccessCellSerializer(serializers.Serializer):
    technology_area = serializers.CharField()
    agreements = serializers.IntegerField()
    types = serializers.ListField(child=serializers.CharField())


class AccessRowSerializer(serializers.Serializer):
    partner_id = serializers.IntegerField()
    partner = serializers.CharField()
    iso3 = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    designations = serializers.ListField(child=serializers.CharField())
    agreements = serializers.ListField(child=serializers.CharField())
    suspended = serializers.ListField(child=serializers.CharField())
    cells = AccessCellSerializer(many=True)


class AccessReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    technology_areas = AreaSerializer(many=True)
    rows = AccessRowSerializer(many=True)
    records_withheld = _withheld_field()


class IndustrialRowSerializer(serializers.Serializer):
    partner_id = serializers.IntegerField()
    partner = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    us_state = serializers.CharField()
    sector = serializers.CharField()
    sector_name = serializers.CharField()
    contracts = serializers.IntegerField()
    agreements = serializers.IntegerField()
    value_usd = serializers.DecimalField(**MONEY)
    share_of_partner_year_value_percent = serializers.DecimalField(**PERCENT)
    average_work_share_percent = serializers.DecimalField(**PERCENT)


class StateTotalSerializer(serializers.Serializer):
    us_state = serializers.CharField()
    value_usd = serializers.DecimalField(**MONEY)
    contracts = serializers.IntegerField()


class IndustrialReportSerializer(serializers.Serializer):
    total_value_usd = serializers.DecimalField(**MONEY)
    by_state = StateTotalSerializer(many=True)
    rows = IndustrialRowSerializer(many=True)
    records_withheld = _withheld_field()


def _enforcement_field(key: str):
    if key == "partner":
        return serializers.CharField()
    if key == "share_waived_percent":
        return serializers.DecimalField(**PERCENT)
    if key.startswith("amount_"):
        return serializers.DecimalField(**MONEY)
    return serializers.IntegerField()


def _enforcement_serializer(name: str, keys: list[str]) -> type[serializers.Serializer]:
    """Enforcement figures: the partner's id, then each column's value."""
    fields = {"partner_id": serializers.IntegerField(), **{k: _enforcement_field(k) for k in keys}}
    return type(name, (serializers.Serializer,), fields)


EnforcementRowSerializer = _enforcement_serializer(
    "EnforcementRowSerializer", [key for key, _ in COLUMNS]
)
# Per partner over the years shown: the amounts and the share waived.
HeadlineSerializer = _enforcement_serializer(
    "HeadlineSerializer",
    ["partner", "amount_conditioned_usd", "amount_waived_usd", "share_waived_percent"],
)


class EnforcementReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    headline = HeadlineSerializer(many=True)
    rows = EnforcementRowSerializer(many=True)
    records_withheld = _withheld_field()


class ReportAPIView(APIView):
    """GET only, for every role; the filters are the report pages' form.

    A report declares its query (`build`: the filters to the report) and `serializer_class`;
    `data` reshapes a report whose query result is not already what the serializer reads."""

    build = None
    serializer_class = None

    def params(self, request):
        form = ReportFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({k: list(v) for k, v in form.errors.items()})
        return form.params(request.user)

    def data(self, report):
        return report

    def get(self, request):
        params = self.params(request)
        report = self.build(params)
        data = self.serializer_class(self.data(report)).data
        data["records_withheld"] = report_withheld(type(self).build, params)
        response = Response(data)
        response[MARKING_HEADER] = report_marking(type(self).build, params).banner
        return response


def report_schema(operation_id: str):
    """The OpenAPI entry of a report view's GET: the shared filters, its serializer, and its
    docstring as the description."""

    def decorate(view):
        schema = extend_schema(
            operation_id=operation_id,
            parameters=PARAMETERS,
            responses=view.serializer_class,
            tags=["reports"],
        )
        return extend_schema_view(get=schema)(view)

    return decorate


@report_schema("reports_access")
class AccessReportAPIView(ReportAPIView):
    """Agreements in force on `as_of` per partner and technology area."""

    build = staticmethod(access_report)
    serializer_class = AccessReportSerializer

    def data(self, report):
        return {
            "as_of": report.as_of,
            "technology_areas": [{"slug": s, "name": n} for s, n in report.areas],
            "rows": [
                {**row, "cells": [{"technology_area": k, **v} for k, v in row["cells"].items()]}
                for row in report.rows
            ],
        }


@report_schema("reports_industrial_base")
class IndustrialBaseReportAPIView(ReportAPIView):
    """Co-production and licensed-manufacturing contract value and work share by partner,
    fiscal year, U.S. state and NAICS sector."""

    build = staticmethod(industrial_base_report)
    serializer_class = IndustrialReportSerializer


@report_schema("reports_enforcement")
class EnforcementReportAPIView(ReportAPIView):
    """Per partner and fiscal year: conditions, reviews, waiver entries, amounts conditioned,
    waived and withheld, days under waiver, late or missing notifications."""

    build = staticmethod(enforcement_report)
    serializer_class = EnforcementReportSerializer


class ExposureByClassificationSerializer(serializers.Serializer):
    unclassified = serializers.IntegerField()
    confidential = serializers.IntegerField()
    secret = serializers.IntegerField()
    top_secret = serializers.IntegerField()


class TechnologyExposureRowSerializer(serializers.Serializer):
    partner_id = serializers.IntegerField()
    partner = serializers.CharField()
    items_released = serializers.IntegerField()
    items_by_classification = ExposureByClassificationSerializer()
    mtcr_items = serializers.IntegerField()
    eeum_items = serializers.IntegerField()
    checks_unfavorable_open = serializers.IntegerField()
    violations = serializers.IntegerField()
    transfers_approved = serializers.IntegerField()
    paths_to_proscribed = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Each approved re-transfer path from this partner that ends at a partner "
        "holding itar_126_1 on as_of, as the partner ids after this one.",
    )


class TechnologyExposureReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    rows = TechnologyExposureRowSerializer(many=True)


@report_schema("reports_technology_exposure")
class TechnologyExposureReportAPIView(ReportAPIView):
    """Per partner: technology released (by classification, MTCR, EEUM), unfavorable end-use
    checks still open, violations, approved re-transfers, and paths to proscribed
    destinations; most sensitive holdings first."""

    build = staticmethod(technology_exposure_report)
    serializer_class = TechnologyExposureReportSerializer


class CaseActPartySerializer(serializers.Serializer):
    partner_id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()


class CaseActRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    binding = serializers.BooleanField()
    instrument = serializers.CharField()
    agreement_type = serializers.CharField()
    status = serializers.CharField()
    events = serializers.CharField(help_text="signature, entry into force, or both")
    signed_on = serializers.DateField(allow_null=True)
    entry_into_force_on = serializers.DateField(allow_null=True)
    parties = CaseActPartySerializer(many=True)
    authorities = serializers.ListField(
        child=serializers.CharField(), help_text="Pinpoint citations, e.g. 10 U.S.C. 2350a(a)(1)."
    )
    transmitted_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()


class CaseActErrorSerializer(CaseActRowSerializer):
    error = serializers.CharField()


class CaseActReportSerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="The month reported, YYYY-MM.")
    due_on = serializers.DateField()
    rows = CaseActRowSerializer(many=True)
    errors = CaseActErrorSerializer(many=True)
    records_withheld = _withheld_field()


class CaseActReportAPIView(APIView):
    @extend_schema(
        operation_id="reports_case_act",
        parameters=[
            OpenApiParameter(
                "month",
                OpenApiTypes.STR,
                pattern=r"^\d{4}-\d{2}$",
                description="YYYY-MM; default: the month before the registry day.",
            )
        ],
        responses=CaseActReportSerializer,
        tags=["reports"],
        description="The Case Act monthly report (1 U.S.C. 112b): agreements signed or entered "
        "into force in the month, their parties and pinpoint legal authority; agreements "
        "without an authorizing basis are listed under `errors`.",
    )
    def get(self, request):
        if request.query_params.get("month", None) == "":
            # An empty value is no month; leave the parameter out for last month.
            raise ValidationError({"month": ["Give a month as YYYY-MM, or leave it out."]})
        form = CaseActMonthForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({k: list(v) for k, v in form.errors.items()})
        report = case_act_report(form.cleaned_data["month"], user=request.user)
        data = {**vars(report), "month": report.month.strftime("%Y-%m")}
        response = Response(CaseActReportSerializer(data).data)
        response[MARKING_HEADER] = report.marking.banner
        return response
