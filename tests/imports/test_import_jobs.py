"""Large imports run as a Celery task (issue 14 item 7): the request returns at once, the page
shows progress, the same dry run then all-or-nothing save; only the owner (or an admin) sees
the job. The task runs eagerly when the job's transaction commits, as a worker would run it.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse

from config.celery import app as celery_app
from registry.importing import jobs
from registry.importing.records import ImportResult
from registry.models import ImportJob
from tests.factories import UserFactory
from tests.imports.test_importing import (
    EVERYTHING,
    NOTHING,
    counts,
    five_bad_rows,
    good_rows,
    to_csv,
)


@pytest.fixture
def background(settings):
    """Ten records are "large": they go to a job; its task runs eagerly, as a worker would."""
    settings.IMPORT_INLINE_MAX_ROWS = 3
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def upload(client, rows):
    upload = SimpleUploadedFile("records.csv", to_csv(rows).encode())
    return client.post(reverse("imports:upload"), {"file": upload})


def test_a_large_file_returns_at_once_with_a_progress_page(client, editor, leahy, background):
    client.force_login(editor)
    response = upload(client, good_rows())  # on_commit callbacks do not run in this test
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job_detail", args=[job.pk])
    assert (job.status, job.rows, job.owner) == (ImportJob.Status.CHECKING, 10, editor)
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'max="10"' in page and "import-progress.js" in page
    assert "Refresh" in page and "<script>" not in page
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status == {
        "status": "checking",
        "label": "Checking",
        "running": True,
        "progress": 0,
        "rows": 10,
        "percent": 0,
    }


def test_checked_then_saved_all_or_nothing(
    client, editor, leahy, background, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, good_rows())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED and job.progress == 10 and job.errors == []
    assert counts() == NOTHING  # the check saves nothing
    page = client.get(response["Location"]).content.decode()
    assert "No problems found in 10 records" in page and "Save these records" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job_save", args=[job.pk]))
    page = client.get(response["Location"]).content.decode()
    assert "Imported 1 agreement, 1 condition, 2 participant" in page
    assert counts() == EVERYTHING
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SAVED
    assert client.get(reverse("imports:job_status", args=[job.pk])).json()["running"] is False
    # A redelivered task, or a second save, writes nothing more.
    assert jobs.import_job_run(job_id=job.pk) == ImportJob.Status.SAVED
    client.post(reverse("imports:job_save", args=[job.pk]))
    assert counts() == EVERYTHING


def test_a_bad_large_file_lists_every_problem_and_cannot_be_saved(
    client, editor, leahy, background, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, five_bad_rows())
    page = client.get(response["Location"]).content.decode()
    assert "9 problems; nothing was saved" in page and "Save these records" not in page
    assert "“2015-13-01” is not a date (YYYY-MM-DD)." in page
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job_save", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and counts() == NOTHING


def test_only_the_owner_or_an_admin_sees_a_job(
    client, editor, admin_user, leahy, background, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, good_rows())
    job = ImportJob.objects.get()
    client.force_login(UserFactory(username="other", role="editor"))
    for name in ("imports:job_detail", "imports:job_status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:job_save", args=[job.pk])).status_code == 404
    client.force_login(admin_user)
    page = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "No problems found in 10 records" in page and "Save these records" not in page
    client.post(reverse("imports:job_save", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and counts() == NOTHING


def test_an_expired_staged_file_fails_the_job_cleanly(
    client, editor, leahy, background, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    upload(client, good_rows())
    job = ImportJob.objects.get()
    jobs.staging.discard(job.staged_token)
    assert jobs.import_job_run(job_id=job.pk) == ImportJob.Status.CHECKED
    job.refresh_from_db()
    assert job.errors[0]["message"] == "The uploaded file has expired; upload it again."


def test_a_small_file_is_still_checked_within_the_request(client, editor, leahy):
    client.force_login(editor)
    response = upload(client, good_rows())
    assert b"No problems found in 10 records" in response.content
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_open(monkeypatch, leahy):
    owner = UserFactory(username="owner", role="editor")
    token, sha256 = jobs.staging.stage(to_csv(good_rows()))
    job = ImportJob.objects.create(owner=owner, filename="f.csv", staged_token=token, sha256=sha256)
    seen = []

    def halfway(content, *, progress, **kwargs):
        progress(4)
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT progress FROM registry_importjob WHERE id = %s", [job.pk])
                seen.append(cursor.fetchone()[0])
        finally:
            other.close()
        return ImportResult(rows=10)

    monkeypatch.setattr(jobs, "import_records", halfway)
    assert jobs.import_job_run(job_id=job.pk) == ImportJob.Status.CHECKED
    assert seen == [4]
