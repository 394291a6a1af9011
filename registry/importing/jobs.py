"""Imports too large for one request (issue 14 item 7): the same dry run, then the same
all-or-nothing save, run by a Celery task while the page shows its progress.

The job's state is a row (registry.ImportJob): status, counts, errors, progress, the staged
file and its owner. The task's import runs in one transaction, so its progress is written
through a second connection that commits each step at once, or no one would see it before
the end. The final status is written in the import's own transaction: a saved import and
its "saved" status commit together, and a redelivered task finds nothing left to do.
"""

import logging
import time
from dataclasses import asdict

from django.conf import settings
from django.db import connections, transaction

from registry.importing import staging
from registry.importing.formats import RowError, read_records
from registry.importing.records import ImportResult, import_records
from registry.models import ImportJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5


def record_count(content: str, *, filename: str) -> int:
    """How many records (children included) the file holds; 0 when it cannot be read."""
    records, _ = read_records(content, filename=filename)
    return sum(1 + len(record.children) for record in records)


def runs_in_background(content: str, *, filename: str) -> bool:
    return record_count(content, filename=filename) > settings.IMPORT_INLINE_MAX_ROWS


@transaction.atomic
def import_job_start(*, owner, content: str, filename: str) -> ImportJob:
    """Stage the file and queue its dry run; the task starts once this commits."""
    token, sha256 = staging.stage(content)
    job = ImportJob.objects.create(
        owner=owner,
        filename=filename[:255],
        staged_token=token,
        sha256=sha256,
        rows=record_count(content, filename=filename),
    )
    _queue(job)
    return job


@transaction.atomic
def import_job_save(*, job: ImportJob, actor) -> bool:
    """Queue the real run of a checked, clean job; False when it cannot be saved (not the
    owner's, not checked, problems found, or already saving)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.owner_id != actor.pk or job.status != ImportJob.Status.CHECKED or job.errors:
        return False
    job.status, job.progress = ImportJob.Status.SAVING, 0
    job.save(update_fields=["status", "progress", "updated_at"])
    _queue(job)
    return True


def _queue(job: ImportJob) -> None:
    from registry.importing.tasks import run_import_job  # the task module imports this one

    transaction.on_commit(lambda: run_import_job.delay(job.pk))


def import_job_run(*, job_id: int) -> str:
    """Run a queued job's dry run or save; its status afterwards. Idempotent."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if not job.running:
        return job.status  # done already (a redelivered message)
    content = staging.read_staged(job.staged_token, job.sha256)
    dry_run = job.status == ImportJob.Status.CHECKING
    if content is None:
        problem = RowError(0, "file", "The uploaded file has expired; upload it again.")
        return _finish(job, ImportResult(errors=[problem]), dry_run=dry_run)
    ImportJob.objects.filter(pk=job.pk).update(progress=0)
    with _ProgressWriter(job.pk) as progress, transaction.atomic():
        result = import_records(
            content, actor=job.owner, dry_run=dry_run, filename=job.filename, progress=progress
        )
        return _finish(job, result, dry_run=dry_run)


def _finish(job: ImportJob, result: ImportResult, *, dry_run: bool) -> str:
    if dry_run:
        job.status = ImportJob.Status.CHECKED
    else:
        job.status = ImportJob.Status.SAVED if result.committed else ImportJob.Status.FAILED
    job.progress = job.rows
    job.created = dict(result.created)
    job.errors = [asdict(error) for error in result.errors]
    job.save(update_fields=["status", "progress", "created", "errors", "updated_at"])
    if job.errors or not dry_run:
        transaction.on_commit(lambda: staging.discard(job.staged_token))
    logger.info("import job %s: %s (%s rows)", job.pk, job.status, job.rows)
    return job.status


class _ProgressWriter:
    """Counts records done; at most twice a second writes the count through its own
    autocommitting connection, outside the import's transaction."""

    def __init__(self, job_id: int):
        self.job_id, self.done, self.written_at = job_id, 0, 0.0
        self.connection = None

    def __enter__(self):
        self.connection = connections.create_connection("default")
        return self

    def __exit__(self, *exc):
        self.connection.close()

    def __call__(self, rows: int) -> None:
        self.done += rows
        now = time.monotonic()
        if now - self.written_at < PROGRESS_EVERY_SECONDS:
            return
        self.written_at = now
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_importjob SET progress = %s, updated_at = now() WHERE id = %s",
                [self.done, self.job_id],
            )
