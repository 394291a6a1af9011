"""Report pages (table and SVG chart) and their streamed CSV exports."""

from decimal import Decimal

from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from agreements.case_act import COLUMNS as CASE_ACT_COLUMNS
from agreements.case_act import CaseActMonthForm, case_act_csv_rows, case_act_report
from agreements.models import Agreement
from core.marked import allowed_category_codes
from core.markings import Marking
from core.registry_day import registry_today
from core.web.access import ReaderRequiredMixin
from core.web.csv import csv_response
from partners.models import PartnerDesignation
from registry.reports.access import access_csv_rows, access_report
from registry.reports.enforcement import COLUMNS, enforcement_csv_rows, enforcement_report
from registry.reports.filters import ReportFilterForm
from registry.reports.industrial_base import (
    INDUSTRIAL_COLUMNS,
    industrial_base_report,
    industrial_csv_rows,
)
from registry.reports.markings import report_marking
from registry.reports.params import ReportParams
from registry.reports.tables import ZeroFilter, access_table, enforcement_table, industrial_table
from registry.reports.technology_exposure import (
    describe_paths,
    path_names,
    technology_exposure_csv_rows,
    technology_exposure_report,
)
from registry.reports.withheld import report_withheld

CHART_MAX_BARS = 20


def bar_chart(items: list[tuple[str, float | Decimal]], *, suffix: str = "") -> dict:
    """Coordinates for a horizontal bar chart drawn in the template (no script, no style).

    Largest first; a zero draws no bar (issue 30); past CHART_MAX_BARS the chart says how
    many it left out, zeros included (the table next to it lists every row)."""
    ranked = sorted(
        ((label, float(value or 0)) for label, value in items), key=lambda item: (-item[1], item[0])
    )
    drawn = [item for item in ranked if item[1] != 0]
    shown = drawn[:CHART_MAX_BARS]
    left, plot, bar, gap, top = 200, 380, 18, 8, 8
    largest = max((v for _, v in shown), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(shown):
        y = top + index * (bar + gap)
        width = round(plot * value / largest, 1)
        bars.append(
            {
                "label": label,
                "value": f"{value:,.2f}".rstrip("0").rstrip(".") + suffix,
                "y": y,
                "text_y": y + bar / 2,
                "width": width,
                "value_x": left + width + 6,
            }
        )
    return {
        "bars": bars,
        "left": left,
        "bar": bar,
        "label_x": left - 8,
        "width": left + plot + 110,
        "height": top * 2 + len(shown) * (bar + gap),
        "shown": len(shown),
        "total": len(ranked),
        "omitted": len(ranked) - len(shown),
        "zeros": len(ranked) - len(drawn),
    }


class ReportMixin(ReaderRequiredMixin):
    """Reads the shared filters; an invalid filter shows its error and an empty report."""

    def filter_form(self):
        if not hasattr(self, "_form"):
            if self.request.GET:
                form = ReportFilterForm(self.request.GET)
                params = form.params(self.request.user) if form.is_valid() else None
            else:
                form = ReportFilterForm()
                categories = tuple(allowed_category_codes(self.request.user))
                params = ReportParams(categories=categories)
            self._form, self._params = form, params
        return self._form, self._params


class ReportPageView(ReportMixin, TemplateView):
    """A filtered report's page; `name` is its template's and its CSV export's URL name's.

    A report page declares its query (`build`), its chart and its table; rows and columns
    that are zero throughout are hidden the same way on every page (registry/reports/tables.py).
    """

    name = ""
    title = ""

    def build(self, params):
        raise NotImplementedError

    def chart(self, report) -> dict:
        raise NotImplementedError

    def table(self, report, zeros: ZeroFilter) -> dict:
        raise NotImplementedError

    def get_template_names(self):
        return [f"reports/{self.name}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, params = self.filter_form()
        query = self.request.GET.urlencode()
        context.update(
            filter_form=form,
            title=self.title,
            report=None,
            csv_url=reverse(f"reports:{self.name}_csv") + (f"?{query}" if query else ""),
        )
        if params is not None:
            context.update(self.report_context(params))
        context["marking"] = report_marking(self.name, params)
        context["records_withheld"] = report_withheld(self.name, params)
        return context

    def report_context(self, params) -> dict:
        report = self.build(params)
        zeros = ZeroFilter.of(self.request)
        chart = self.chart(report)
        return {"report": report, "chart": chart, "zeros": zeros, **self.table(report, zeros)}


class AccessReportView(ReportPageView):
    name = "access"
    title = "Access: agreements in force by partner and technology area"

    def build(self, params):
        # Counts only: listing every reference made the page megabytes long; the CSV has them.
        report = access_report(params, references=False)
        # People read labels ("Five Eyes", "Co-production"); the API and CSV keep the codes.
        categories = dict(PartnerDesignation.Category.choices)
        types = dict(Agreement.Type.choices)
        for row in report.rows:
            row["designation_labels"] = [categories.get(c, c) for c in row["designations"]]
            row["matrix"] = [
                {**cell, "type_labels": [types.get(t, t) for t in cell["types"]]} if cell else None
                for cell in (row["cells"].get(slug) for slug, _ in report.areas)
            ]
        return report

    def chart(self, report):
        return bar_chart([(r["partner"], r["agreements_count"]) for r in report.rows])

    def table(self, report, zeros):
        return access_table(report, zeros)


class IndustrialBaseReportView(ReportPageView):
    name = "industrial_base"
    title = "Industrial base: co-production and licensed-manufacturing work"

    def build(self, params):
        return industrial_base_report(params)

    def chart(self, report):
        return bar_chart(
            [(s["us_state"] or "Unspecified", s["value_usd"]) for s in report.by_state]
        )

    def table(self, report, zeros):
        return industrial_table(report, INDUSTRIAL_COLUMNS, zeros)


class EnforcementReportView(ReportPageView):
    name = "enforcement"
    title = "Enforcement: conditions, reviews and waivers by partner and fiscal year"

    def build(self, params):
        return enforcement_report(params)

    def chart(self, report):
        return bar_chart(
            [
                (f"{r['partner']} FY{r['fiscal_year']}", r["share_waived_percent"])
                for r in report.rows
                if r["share_waived_percent"] is not None
            ],
            suffix="%",
        )

    def table(self, report, zeros):
        return enforcement_table(report, COLUMNS, zeros)


class TechnologyExposureReportView(ReportPageView):
    name = "technology_exposure"
    title = "Technology exposure: what each partner holds, how it is watched, where it could go"

    def build(self, params):
        report = technology_exposure_report(params)
        names = path_names(report)
        for row in report.rows:
            row["path_labels"] = describe_paths(row["paths_to_proscribed"], names)
        return report

    def chart(self, report):
        # "Who holds the most sensitive technology": classified items released, largest first.
        return bar_chart(
            [
                (
                    r["partner"],
                    sum(n for k, n in r["items_by_classification"].items() if k != "unclassified"),
                )
                for r in report.rows
            ]
        )

    def table(self, report, zeros):
        return {}


# ----- CSV exports ------------------------------------------------------------------------


class CsvExportView(ReportMixin, View):
    """A report's CSV, streamed; an invalid filter gets a 400 whose CSV names the errors."""

    filename = ""

    def rows(self, params):
        raise NotImplementedError

    def marking(self, params):
        """The export's marking, written as its first line when it holds CUI."""
        return None

    def get(self, request, *args, **kwargs):
        form, params = self.filter_form()
        if params is None:
            errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
            rows = iter([["error"], [errors]])
        else:
            rows = self.rows(params)
        stamp = registry_today().isoformat()
        return csv_response(
            rows,
            filename=f"{self.filename}-{stamp}.csv",
            status=200 if params is not None else 400,
            marking=self.marking(params) if params is not None else None,
        )


class ReportCsvView(CsvExportView):
    """The filtered reports' CSVs; `filename` picks the report's query and its CSV rows."""

    REPORTS = {
        "access": (access_report, access_csv_rows),
        "industrial-base": (industrial_base_report, industrial_csv_rows),
        "enforcement": (enforcement_report, enforcement_csv_rows),
        "technology-exposure": (technology_exposure_report, technology_exposure_csv_rows),
    }

    def rows(self, params):
        build, csv_rows = self.REPORTS[self.filename]
        return csv_rows(build(params))

    def marking(self, params):
        return report_marking(self.filename.replace("-", "_"), params)


def case_act_month(request):
    """The Case Act report's one filter, the month (default: last month)."""
    form = CaseActMonthForm(request.GET)
    return form, (form.cleaned_data["month"] if form.is_valid() else None)


class CaseActReportView(ReaderRequiredMixin, TemplateView):
    template_name = "reports/case_act.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, month = case_act_month(self.request)
        query = self.request.GET.urlencode()
        report = case_act_report(month, user=self.request.user) if month else None
        context.update(
            filter_form=form,
            title="Case Act: agreements to report to Congress",
            columns=CASE_ACT_COLUMNS,
            report=report,
            csv_url=reverse("reports:case_act_csv") + (f"?{query}" if query else ""),
            marking=report.marking if report else Marking(),
            records_withheld=report.records_withheld if report else 0,
        )
        return context


class CaseActCsvView(CsvExportView):
    filename = "case-act"

    def filter_form(self):
        return case_act_month(self.request)

    def rows(self, month):
        self.report = case_act_report(month, user=self.request.user)
        return case_act_csv_rows(self.report)

    def marking(self, month):
        return self.report.marking  # `get` asks for the rows first
