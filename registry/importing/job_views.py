"""An import job's page, its status as JSON (polled by static/js/import-progress.js) and its
save button. Only the user who started a job, or an admin, sees it; only its owner saves it.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView

from core.roles import is_admin
from core.web.access import EditorRequiredMixin
from registry.importing.jobs import import_job_save
from registry.models import ImportJob


class OwnJobMixin(EditorRequiredMixin):
    """The job named by the URL, if the signed-in user started it or is an admin; else 404."""

    def get_job(self) -> ImportJob:
        job = get_object_or_404(ImportJob, pk=self.kwargs["pk"])
        if job.owner_id != self.request.user.pk and not is_admin(self.request.user):
            raise Http404("No such import.")
        return job


class ImportJobDetailView(OwnJobMixin, DetailView):
    """The job while it runs (a progress bar) and when done (the check's report, or saved)."""

    template_name = "imports/import_job.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return self.get_job()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        context["saving"] = job.status in (ImportJob.Status.SAVING, ImportJob.Status.SAVED)
        context["can_save"] = (
            job.status == ImportJob.Status.CHECKED
            and not job.errors
            and job.owner_id == self.request.user.pk
        )
        context["summary"] = ", ".join(f"{n} {kind}" for kind, n in sorted(job.created.items()))
        context["changed"] = job.status == ImportJob.Status.FAILED  # between check and save
        return context


class ImportJobStatusView(OwnJobMixin, View):
    """{status, running, progress, rows, percent}: small enough to poll every second."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        return JsonResponse(
            {
                "status": job.status,
                "label": job.get_status_display(),
                "running": job.running,
                "progress": job.progress,
                "rows": job.rows,
                "percent": job.percent,
            },
            headers={"Cache-Control": "no-store"},
        )


class ImportJobSaveView(OwnJobMixin, View):
    """Queue the all-or-nothing save of a job whose check found no problem."""

    def post(self, request, *args, **kwargs):
        job = self.get_job()
        if not import_job_save(job=job, actor=request.user):
            messages.error(request, "This import cannot be saved (not checked, or not yours).")
        return HttpResponseRedirect(reverse("imports:job_detail", args=[job.pk]))
