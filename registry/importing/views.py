"""The bulk-import upload: a dry run of the file, then the all-or-nothing commit.

Files of up to IMPORT_INLINE_MAX_ROWS records are checked and saved within the request;
larger ones become an import job (registry/importing/jobs.py, pages in job_views.py).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from core.web.access import EditorRequiredMixin
from core.web.forms import UswdsFormMixin
from registry.importing import staging
from registry.importing.jobs import import_job_start, runs_in_background
from registry.importing.records import import_records

STAGED_KEY = "import_staged"


class ImportUploadForm(UswdsFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV or JSON file",
        help_text="Partners, agreements with participants, conditions with requirements, "
        "waiver entries. Nothing is saved until you confirm.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {limit // 1024 // 1024} MB.")
        try:
            self.content = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text.") from None
        return upload


class ImportUploadView(EditorRequiredMixin, TemplateView):
    """Step 1: upload; the dry run's report; the file waits, keyed by a token, for step 2."""

    template_name = "imports/import_upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportUploadForm())
        return context

    def post(self, request, *args, **kwargs):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        name = form.cleaned_data["file"].name
        if runs_in_background(form.content, filename=name):
            job = import_job_start(owner=request.user, content=form.content, filename=name)
            return HttpResponseRedirect(reverse("imports:job_detail", args=[job.pk]))
        result = import_records(form.content, actor=request.user, dry_run=True, filename=name)
        context = {"result": result, "filename": name}
        if result.ok:
            token, sha256 = staging.stage(form.content)
            request.session[STAGED_KEY] = {"token": token, "filename": name, "sha256": sha256}
            context["token"] = token
        return render(request, "imports/import_review.html", context)


class ImportCommitView(EditorRequiredMixin, View):
    """Step 2: the real, all-or-nothing run of the file this user checked in step 1."""

    def post(self, request, *args, **kwargs):
        staged = request.session.get(STAGED_KEY) or {}
        token = request.POST.get("token", "")
        if not token or token != staged.get("token") or not staging.staged_path(token).exists():
            messages.error(request, "That upload has expired or was not yours; upload it again.")
            return HttpResponseRedirect(reverse("imports:upload"))
        content = staging.read_staged(token, staged["sha256"])
        if content is None:
            messages.error(request, "The staged file changed after its check; upload it again.")
            return HttpResponseRedirect(reverse("imports:upload"))
        result = import_records(
            content, actor=request.user, dry_run=False, filename=staged["filename"]
        )
        staging.discard(token)
        request.session.pop(STAGED_KEY, None)
        if not result.committed:
            # The data changed between the check and the commit: show what fails now.
            context = {"result": result, "filename": staged["filename"], "commit_failed": True}
            return render(request, "imports/import_review.html", context)
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(result.created.items()))
        messages.success(request, f"Imported {summary}.")
        return HttpResponseRedirect(reverse("imports:upload"))
