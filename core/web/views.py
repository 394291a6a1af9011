"""Create and edit pages: a form (and inline rows) sent to a service, never saved directly."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from core.domain import StaleObjectError
from core.marked import MarkedModel
from core.web.access import EditorRequiredMixin
from core.web.forms import apply_service_errors, error_summary, formset_items, without_known
from core.web.lists import crumb, trail_to_list
from core.web.marking import ensure_visible
from core.web.typeahead import limit_to_visible

logger = logging.getLogger(__name__)

STALE_MESSAGE = (
    "Someone else saved this record while you were editing it (it is now version {version}). "
    "Nothing you entered was saved. Open the record in a new tab to see their changes; "
    "if you still want yours, check them below and save again."
)


def run_service(request, call, *, form, formsets=None, success_url, success_message):
    """Call a service; on success redirect with a message, else put its errors on the form.

    Returns a redirect, or None when the form should be shown again with its errors.
    """
    try:
        result = call()
    except StaleObjectError as error:
        form.data = form.data.copy()
        form.data["version"] = str(error.current_version)
        form.add_error(None, STALE_MESSAGE.format(version=error.current_version))
        form.stale = True
        return None
    except ValidationError as error:
        apply_service_errors(error, form, formsets or {})
        return None
    messages.success(request, success_message.format(obj=result))
    return HttpResponseRedirect(success_url(result) if callable(success_url) else success_url)


class _DryRun(Exception):
    """Rolls back a service run only to collect its errors."""


class ServiceFormView(EditorRequiredMixin, TemplateView):
    """Create or edit a record through its service, with inline rows as formsets.

    Subclasses set `form_class`, `formset_classes` ({service key: formset class}) and
    implement `save(data, nested, expected_version)`. An edit page also sets `model`: it edits
    the record the URL's pk names, and its form starts from that record's values.

    The rest follows from the form's model, as names do in Django's generic views, with the
    model's verbose name in snake case (`technology_area`) for the noun: the template
    `<app_label>/<noun>_form.html`, the record's page `<app_label>:<noun>_detail`, and the
    message "<Verbose name> {obj} created." (or "saved." on an edit page). A page whose names
    differ sets `template_name`, `detail_url_name` or `success_message`.
    """

    form_class = None
    formset_classes: dict = {}
    success_message = ""
    detail_url_name = ""
    model = None
    object = None

    def get_object(self):
        if self.model is None:
            return None
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def initial(self) -> dict:
        if self.model is None:
            return {}
        return {name: getattr(self.object, name) for name in self.form_class.base_fields}

    def formset_initial(self, name: str) -> list[dict]:
        return []

    def form_kwargs(self) -> dict:
        return {}

    def app_and_noun(self) -> tuple[str, str]:
        """The app label and noun of the model this page's form writes, e.g.
        ("agreements", "technology_area")."""
        meta = self.form_class.Meta.model._meta
        return meta.app_label, meta.verbose_name.replace(" ", "_")

    def get_template_names(self) -> list[str]:
        if self.template_name:
            return [self.template_name]
        app, noun = self.app_and_noun()
        return [f"{app}/{noun}_form.html"]

    def get_detail_url_name(self) -> str:
        if self.detail_url_name:
            return self.detail_url_name
        app, noun = self.app_and_noun()
        return f"{app}:{noun}_detail"

    def get_success_message(self) -> str:
        if self.success_message:
            return self.success_message
        _, noun = self.app_and_noun()
        done = "created" if self.model is None else "saved"
        return f"{noun.replace('_', ' ').capitalize()} {{obj}} {done}."

    def success_url(self, obj) -> str:
        return reverse(self.get_detail_url_name(), kwargs={"pk": obj.pk})

    def build(self, data=None):
        form = self.form_class(data, initial=self.initial(), **self.form_kwargs())
        # A posted formset is read without initial rows: every non-empty row is sent to the
        # service, so an unchanged existing row is kept rather than taken for a blank one.
        formsets = {
            name: cls(data, prefix=name, initial=None if data else self.formset_initial(name))
            for name, cls in self.formset_classes.items()
        }
        # A record this user may not see cannot be chosen, even by an id typed by hand.
        for each in [form, *(f for fs in formsets.values() for f in [*fs.forms, fs.empty_form])]:
            limit_to_visible(each, self.request.user)
        return form, formsets

    def get_visible_object(self):
        """The record edited or added to; 404 when its marking hides it from this user."""
        obj = self.get_object()
        ensure_visible(obj, self.request.user)
        return obj

    def get(self, request, *args, **kwargs):
        self.object = self.get_visible_object()
        form, formsets = self.build()
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))

    def post(self, request, *args, **kwargs):
        self.object = self.get_visible_object()
        form, formsets = self.build(request.POST)
        valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
        if valid:
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            nested, positions = {}, {}
            for name, formset in formsets.items():
                nested[name], positions[name] = formset_items(formset)
            response = run_service(
                request,
                lambda: self.save(data, nested, version),
                form=form,
                formsets={n: (formsets[n], positions[n]) for n in formsets},
                success_url=self.success_url,
                success_message=self.get_success_message(),
            )
            if response is not None:
                return response
        else:
            self.check_the_rest(form, formsets)
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))

    def check_the_rest(self, form, formsets) -> None:
        """With some fields wrong, still let the service judge what was right, so that every
        error comes back at once: its cross-field and workflow rules (a signature date a
        status needs, cost shares past 100%) along with the fields' own.

        The service runs on the valid fields and the valid rows, in a savepoint that is
        always rolled back (and its on-commit work dropped with it); only its errors about
        fields and rows without an error already are added, so nothing is said twice."""
        data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
        data.pop("version", None)  # an old version is told on the real save, not here
        nested, positions = {}, {}
        for name, formset in formsets.items():
            rows = [(i, f) for i, f in enumerate(formset.forms) if not f.errors]
            valid = [f.cleaned_data for _, f in rows if f.cleaned_data]
            nested[name] = [
                {k: v for k, v in row.items() if k != "DELETE"}
                for row in valid
                if not row.get("DELETE")
            ]
            positions[name] = [
                i for i, f in rows if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
        try:
            with transaction.atomic():
                self.save(data, nested, None)
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            targets = {n: (formsets[n], positions[n]) for n in formsets}
            apply_service_errors(without_known(error, form, targets), form, targets)
        except Exception:  # the fields' errors stand alone; never a 500 for trying more
            logger.warning("Checking a form's other rules failed", exc_info=True)

    def save(self, data: dict, nested: dict, expected_version):
        raise NotImplementedError

    def cancel_url(self) -> str:
        if self.object is not None:
            return reverse(self.get_detail_url_name(), kwargs={"pk": self.object.pk})
        return reverse(self.get_detail_url_name().replace("_detail", "_list"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["cancel_url"] = self.cancel_url()
        context["noun"] = self.get_detail_url_name().partition(":")[2].replace("_detail", "")
        if isinstance(self.object, MarkedModel):  # an edit page shows the record's content
            context["marking"] = self.object.marking
        context["breadcrumbs"] = self.breadcrumbs(context["noun"])
        form = kwargs.get("form")
        if form is not None:
            context["error_summary"] = error_summary(form, kwargs.get("formsets") or {})
        return context

    crumb_label = ""  # the last breadcrumb; by default "Edit" or "New <noun>"

    def breadcrumbs(self, noun: str) -> list[dict]:
        """Home, the list, the record (when there is one), then this page."""
        trail = trail_to_list(self.get_detail_url_name().replace("_detail", "_list"))
        if self.object is not None:
            url = reverse(self.get_detail_url_name(), kwargs={"pk": self.object.pk})
            trail.append(crumb(str(self.object), url))
        # An edit page has the record's own pk in its URL; a page that adds to a record
        # (a review, a ledger entry) names the record by another key.
        if self.crumb_label:
            label = self.crumb_label
        elif self.object is not None and "pk" in self.kwargs:
            label = "Edit"
        else:
            added = self.form_class.__name__.removesuffix("Form").lower()
            label = f"New {added if self.object is not None else noun.replace('_', ' ')}"
        return [*trail, crumb(label)]
