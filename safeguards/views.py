"""Safeguards pages: a list, a detail, and create and edit pages for each record."""

from django.views.generic import DetailView

from core.web.access import ReaderRequiredMixin
from core.web.lists import Column, FilteredListView, HistoryLinkMixin, sort_fields_of
from core.web.marking import MarkedDetailMixin
from core.web.views import ServiceFormView
from safeguards import filters, forms, models, services


class SafeguardsDetailView(ReaderRequiredMixin, MarkedDetailMixin, HistoryLinkMixin, DetailView):
    """A record's page, with the technology items it names (when it names any) that the
    reader may see."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if hasattr(self.object, "items"):
            context["items"] = self.object.items.visible_to(self.request.user).order_by("name")
        return context


class SafeguardsFormView(ServiceFormView):
    """The create page of a record; its edit page sets `model`, `update` and `record_name`."""

    template_name = "safeguards/record_form.html"
    create = None
    update = None
    record_name = ""

    def initial(self) -> dict:
        if self.object is None:
            return {}
        data = super().initial()
        for name in self.form_class.base_fields:
            value = data.get(name)
            if hasattr(value, "all"):  # a record's items: their ids
                data[name] = [item.pk for item in value.all()]
            elif hasattr(value, "pk"):
                data[name] = value.pk
        return data

    def save(self, data, nested, expected_version):
        if self.object is None:
            return type(self).create(actor=self.request.user, **data)
        return type(self).update(
            **{self.record_name: self.object},
            actor=self.request.user,
            expected_version=expected_version,
            **data,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["noun_label"] = self.form_class.Meta.model._meta.verbose_name
        return context


# --- technology items ------------------------------------------------------------------------


class TechnologyItemListView(FilteredListView):
    model = models.TechnologyItem
    template_name = "safeguards/technology_item_list.html"
    filterset_class = filters.TechnologyItemFilterSet
    columns = (
        Column("Name", sort="name", key=True),
        Column("Control entry", sort="control_entry"),
        Column("Classification", sort="classification"),
        Column("Kind", sort="kind"),
        Column("Agreement", sort="agreement", order_by="agreement__reference"),
        Column("MTCR", sort="mtcr_category", hidden=True),
        Column("EEUM"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "name"

    def base_queryset(self):
        return models.TechnologyItem.objects.select_related("agreement")


class TechnologyItemDetailView(SafeguardsDetailView):
    model = models.TechnologyItem
    template_name = "safeguards/technology_item_detail.html"
    queryset = models.TechnologyItem.objects.select_related("agreement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        context["releases"] = item.releases.visible_to(user).select_related("partner")
        context["checks"] = item.end_use_checks.visible_to(user).select_related("partner")
        context["transfers"] = item.transfers.visible_to(user).select_related(
            "from_partner", "to_partner"
        )
        context["violations"] = item.violations.visible_to(user).select_related("partner")
        return context


class TechnologyItemCreateView(SafeguardsFormView):
    form_class = forms.TechnologyItemForm
    create = staticmethod(services.technology_item_create)


class TechnologyItemUpdateView(TechnologyItemCreateView):
    model = models.TechnologyItem
    update = staticmethod(services.technology_item_update)
    record_name = "item"


# --- release decisions -----------------------------------------------------------------------


class ReleaseDecisionListView(FilteredListView):
    model = models.ReleaseDecision
    template_name = "safeguards/release_decision_list.html"
    filterset_class = filters.ReleaseDecisionFilterSet
    columns = (
        Column("Item", sort="item", order_by="item__name", key=True),
        Column("Partner", sort="partner", order_by="partner__name"),
        Column("Decision", sort="decision"),
        Column("Authority", sort="authority"),
        Column("Decided", sort="decided_on"),
        Column("Expires", sort="expires_on", hidden=True),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "-decided_on"

    def base_queryset(self):
        return models.ReleaseDecision.objects.select_related("item", "partner")


class ReleaseDecisionDetailView(SafeguardsDetailView):
    model = models.ReleaseDecision
    template_name = "safeguards/release_decision_detail.html"
    queryset = models.ReleaseDecision.objects.select_related("item__agreement", "partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(models.ReleaseDecision.Proviso.choices)
        context["proviso_labels"] = [labels.get(p, p) for p in self.object.provisos]
        return context


class ReleaseDecisionCreateView(SafeguardsFormView):
    form_class = forms.ReleaseDecisionForm
    create = staticmethod(services.release_decision_create)


class ReleaseDecisionUpdateView(ReleaseDecisionCreateView):
    model = models.ReleaseDecision
    update = staticmethod(services.release_decision_update)
    record_name = "release"


# --- end-use checks --------------------------------------------------------------------------


class EndUseCheckListView(FilteredListView):
    model = models.EndUseCheck
    template_name = "safeguards/end_use_check_list.html"
    filterset_class = filters.EndUseCheckFilterSet
    columns = (
        Column("Performed", sort="performed_on", key=True),
        Column("Partner", sort="partner", order_by="partner__name"),
        Column("Program", sort="program"),
        Column("Type", sort="check_type"),
        Column("Result", sort="result"),
        Column("Follow-up due", sort="follow_up_due"),
        Column("Resolved", sort="resolved_on", hidden=True),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "-performed_on"

    def base_queryset(self):
        return models.EndUseCheck.objects.select_related("partner")


class EndUseCheckDetailView(SafeguardsDetailView):
    model = models.EndUseCheck
    template_name = "safeguards/end_use_check_detail.html"
    queryset = models.EndUseCheck.objects.select_related("partner")


class EndUseCheckCreateView(SafeguardsFormView):
    form_class = forms.EndUseCheckForm
    create = staticmethod(services.end_use_check_create)


class EndUseCheckUpdateView(EndUseCheckCreateView):
    model = models.EndUseCheck
    update = staticmethod(services.end_use_check_update)
    record_name = "check"


# --- transfers -------------------------------------------------------------------------------


class TransferListView(FilteredListView):
    model = models.Transfer
    template_name = "safeguards/transfer_list.html"
    filterset_class = filters.TransferFilterSet
    columns = (
        Column("Requested", sort="requested_on", key=True),
        Column("From", sort="from_partner", order_by="from_partner__name"),
        Column("To", sort="to_partner", order_by="to_partner__name"),
        Column("Value (USD)", sort="value_usd", number=True),
        Column("Decision", sort="decision"),
        Column("Decided", sort="decided_on", hidden=True),
        Column("Notification"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "-requested_on"

    def base_queryset(self):
        return models.Transfer.objects.with_notification_required().select_related(
            "from_partner", "to_partner"
        )


class TransferDetailView(SafeguardsDetailView):
    model = models.Transfer
    template_name = "safeguards/transfer_detail.html"
    queryset = models.Transfer.objects.with_notification_required().select_related(
        "from_partner", "to_partner"
    )


class TransferCreateView(SafeguardsFormView):
    form_class = forms.TransferForm
    create = staticmethod(services.transfer_create)


class TransferUpdateView(TransferCreateView):
    model = models.Transfer
    update = staticmethod(services.transfer_update)
    record_name = "transfer"


# --- violations ------------------------------------------------------------------------------


class ViolationListView(FilteredListView):
    model = models.Violation
    template_name = "safeguards/violation_list.html"
    filterset_class = filters.ViolationFilterSet
    columns = (
        Column("Discovered", sort="discovered_on", key=True),
        Column("Partner", sort="partner", order_by="partner__name"),
        Column("Kind", sort="kind"),
        Column("Occurred", sort="occurred_on", hidden=True),
        Column("Reported to Congress", sort="reported_to_congress_on"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "-discovered_on"

    def base_queryset(self):
        return models.Violation.objects.select_related("partner")


class ViolationDetailView(SafeguardsDetailView):
    model = models.Violation
    template_name = "safeguards/violation_detail.html"
    queryset = models.Violation.objects.select_related("partner")


class ViolationCreateView(SafeguardsFormView):
    form_class = forms.ViolationForm
    create = staticmethod(services.violation_create)


class ViolationUpdateView(ViolationCreateView):
    model = models.Violation
    update = staticmethod(services.violation_update)
    record_name = "violation"
