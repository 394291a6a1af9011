"""The Celery task that runs an import job (registry/importing/jobs.py); listed in
CELERY_IMPORTS, since autodiscovery reads only registry/tasks.py."""

from celery import shared_task

from registry.importing import jobs


@shared_task(
    name="registry.importing.tasks.run_import_job",
    ignore_result=True,
    acks_late=True,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def run_import_job(job_id: int) -> str:
    """A job's dry run or save, whichever it waits for; nothing when it waits for neither."""
    return jobs.import_job_run(job_id=job_id)
