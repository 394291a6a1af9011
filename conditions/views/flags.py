"""The flag list (filtered with the API's FlagFilterSet); acknowledging, resolving (with a
note) and re-opening a flag."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from conditions.filters import FlagFilterSet
from conditions.models import Condition, Flag
from conditions.services import flag_acknowledge, flag_reopen, flag_resolve
from core.web.access import EditorRequiredMixin
from core.web.forms import UswdsFormMixin, error_summary
from core.web.lists import Column, FilteredListView, crumb, sort_fields_of, trail_to_list
from partners.models import Partner


class FlagListView(FilteredListView):
    """Every flag the scan raised, with the office that answers for it; editors act on it here."""

    model = Flag
    filterset_class = FlagFilterSet
    columns = (
        Column("Kind", sort="kind", key=True),
        # A flag is about a condition or (Case Act) an agreement: the column names which.
        Column("About", sort="condition", order_by="condition__title", key=True),
        Column("Partner", sort="partner", order_by="condition__partner__name"),
        Column("Responsible office", sort="office", order_by="condition__responsible_office"),
        Column("Due", sort="due_on", key=True),
        Column("Raised", sort="raised_at"),
        Column("Status", sort="status"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "-raised_at"

    def base_queryset(self):
        # Flags about records hidden from this user are left out (FlagQuerySet.visible_to).
        flags = Flag.objects.visible_to(self.request.user)
        return flags.select_related(
            "condition__partner", "agreement", "acknowledged_by", "resolved_by"
        ).only(
            "kind",
            "due_on",
            "raised_at",
            "status",
            "acknowledged_at",
            "resolved_at",
            "note",
            "condition__title",
            "condition__responsible_office",
            "condition__partner__name",
            "agreement__reference",
            "agreement__title",
            "acknowledged_by__username",
            "resolved_by__username",
        )

    def adjust_filter_form(self, form):
        # Partners and conditions are whole tables: never a select of every row. People type
        # part of a partner's name; a link that names one record by id keeps it, hidden.
        form.fields["partner"].widget = forms.HiddenInput()
        form.fields["condition"].widget = forms.HiddenInput()
        form.fields["partner_name"].label = "Partner (name contains)"
        form.fields["office"].label = "Responsible office (contains)"
        form.order_fields(["kind", "status", "office", "partner_name"])

    def narrowed_to(self) -> list[dict]:
        """The records a link narrowed the list to by id, named, with a link that drops each."""
        data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        named = []
        for key, model, field in (("partner", Partner, "name"), ("condition", Condition, "title")):
            if data.get(key) is not None:
                row = model.objects.filter(pk=data[key]).values_list(field, flat=True).first()
                named.append({"key": key, "name": row or f"no such {key} (#{data[key]})"})
        return named

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["narrowed_to"] = self.narrowed_to()
        context["here"] = self.request.get_full_path()
        context["case_act_office"] = settings.CASE_ACT_OFFICE
        return context


class FlagNoteForm(UswdsFormMixin, forms.Form):
    note = forms.CharField(
        required=False,
        max_length=Flag._meta.get_field("note").max_length,
        widget=forms.Textarea,
        label="Note (optional)",
        help_text="Why, in a few words. The note is kept in the flag's history.",
    )


class _FlagActionView(EditorRequiredMixin, TemplateView):
    """POST acts, then back to the page the button was on (`next`), else the flag's record.
    An action that takes a note (resolve, re-open) also has a page (GET) asking for it."""

    http_method_names = ["post"]
    template_name = "conditions/flag_action.html"
    service = None
    done = ""
    verb = ""

    def get_flag(self):
        # A flag about a record hidden from this user is a missing flag.
        return get_object_or_404(Flag.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def get(self, request, pk):
        return self.page(self.get_flag(), FlagNoteForm())

    def page(self, flag, form, status=200):
        context = self.get_context_data(
            flag=flag,
            form=form,
            verb=self.verb,
            next=self.next_url(self.request, flag, self.request.GET.get("next", "")),
            error_summary=error_summary(form, {}),
            breadcrumbs=[*trail_to_list("conditions:flag_list"), crumb(f"{self.verb} flag")],
        )
        return self.render_to_response(context, status=status)

    def post(self, request, pk):
        flag = self.get_flag()
        fields = {}
        if "get" in self.http_method_names:  # this action takes a note
            form = FlagNoteForm(request.POST)
            if not form.is_valid():
                return self.page(flag, form, status=400)
            fields["note"] = form.cleaned_data["note"]
        try:
            type(self).service(flag=flag, actor=request.user, **fields)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"Flag “{flag.get_kind_display()}” on “{flag.subject}” {self.done}."
            )
        return HttpResponseRedirect(self.next_url(request, flag, request.POST.get("next", "")))

    @staticmethod
    def next_url(request, flag, target: str) -> str:
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        if flag.agreement_id:  # a Case Act flag is about an agreement
            return reverse("agreements:agreement_detail", kwargs={"pk": flag.agreement_id})
        return reverse("conditions:condition_detail", kwargs={"pk": flag.condition_id}) + "#flags"


class FlagAcknowledgeView(_FlagActionView):
    service = flag_acknowledge
    done = "acknowledged"


class FlagResolveView(_FlagActionView):
    http_method_names = ["get", "post"]
    service = flag_resolve
    done = "resolved"
    verb = "Resolve"


class FlagReopenView(_FlagActionView):
    http_method_names = ["get", "post"]
    service = flag_reopen
    done = "re-opened"
    verb = "Re-open"
