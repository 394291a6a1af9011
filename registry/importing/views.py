"""The bulk-import upload: a dry run of the file, then the all-or-nothing commit."""

import hashlib
import secrets
import tempfile
import time
from pathlib import Path

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
from registry.importing.records import import_records

STAGING_DIR = Path(tempfile.gettempdir()) / "dtc-registry-imports"
STAGED_KEY = "import_staged"
STAGED_LIFETIME_SECONDS = 3600


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


def _staged_path(token: str) -> Path:
    return STAGING_DIR / f"{token}.txt"


def _clear_old_staged_files() -> None:
    if not STAGING_DIR.exists():
        return
    cutoff = time.time() - STAGED_LIFETIME_SECONDS
    for path in STAGING_DIR.glob("*.txt"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


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
        result = import_records(form.content, actor=request.user, dry_run=True, filename=name)
        context = {"result": result, "filename": name}
        if result.ok:
            _clear_old_staged_files()
            STAGING_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
            token = secrets.token_urlsafe(24)
            _staged_path(token).write_bytes(form.content.encode())
            request.session[STAGED_KEY] = {
                "token": token,
                "filename": name,
                "sha256": hashlib.sha256(form.content.encode()).hexdigest(),
            }
            context["token"] = token
        return render(request, "imports/import_review.html", context)


class ImportCommitView(EditorRequiredMixin, View):
    """Step 2: the real, all-or-nothing run of the file this user checked in step 1."""

    def post(self, request, *args, **kwargs):
        staged = request.session.get(STAGED_KEY) or {}
        token = request.POST.get("token", "")
        path = _staged_path(staged.get("token", "-"))
        if not token or token != staged.get("token") or not path.exists():
            messages.error(request, "That upload has expired or was not yours; upload it again.")
            return HttpResponseRedirect(reverse("imports:upload"))
        content = path.read_bytes().decode()
        if hashlib.sha256(content.encode()).hexdigest() != staged["sha256"]:
            messages.error(request, "The staged file changed after its check; upload it again.")
            return HttpResponseRedirect(reverse("imports:upload"))
        result = import_records(
            content, actor=request.user, dry_run=False, filename=staged["filename"]
        )
        path.unlink(missing_ok=True)
        request.session.pop(STAGED_KEY, None)
        if not result.committed:
            # The data changed between the check and the commit: show what fails now.
            context = {"result": result, "filename": staged["filename"], "commit_failed": True}
            return render(request, "imports/import_review.html", context)
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(result.created.items()))
        messages.success(request, f"Imported {summary}.")
        return HttpResponseRedirect(reverse("imports:upload"))
