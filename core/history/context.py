"""The history context: who acted, through which channel, attached to every change row.

Database triggers (django-pghistory) record every insert, update and delete, whatever path
made it. This module only labels those rows: the actor (a username, or `task:<name>`), the
channel (web, api, admin, task, shell) and the request or task id. A change made with no
context at all (raw SQL in psql, `manage.py shell`) is still recorded, with no context row;
the history pages show it as channel `shell` and actor `unknown`.
"""

import contextlib
import functools
import uuid

import pghistory
import pgtrigger
from celery import Task
from django.db import transaction

from core.triggers import append_only, no_truncate

CHANNELS = ("web", "api", "admin", "task", "shell")
NO_CONTEXT_CHANNEL = "shell"
UNKNOWN_ACTOR = "unknown"


def actor_label(actor) -> str:
    """`username` for a person, or the label a task passes (e.g. `task:scan_conditions`)."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username()


def _actor_metadata(actor) -> dict:
    return {"actor": actor_label(actor), "user": getattr(actor, "pk", None)}


@contextlib.contextmanager
def history_context(
    *, actor, channel: str, request_id: str | None = None, task_id: str | None = None
):
    """Label every change made inside the block with actor, channel and request or task id.

    Use it around background work and management commands, e.g.
    `with history_context(actor="task:scan_conditions", channel="task", task_id=self.request.id)`.
    A task id is made up when the caller has none (a task function called directly).
    Nested inside an outer context (a request), the labels are added to that context.
    """
    if channel not in CHANNELS:
        raise ValueError(f"Unknown history channel {channel!r}; use one of {CHANNELS}.")
    metadata = {"channel": channel, **_actor_metadata(actor)}
    if request_id is not None:
        metadata["request_id"] = str(request_id)
    if channel == "task" or task_id is not None:
        metadata["task_id"] = str(task_id or uuid.uuid4())
    with pghistory.context(**metadata):
        yield


def service(func):
    """Make a service atomic and record its actor in the history context of every change."""

    @functools.wraps(func)
    def wrapper(*args, actor, **kwargs):
        with transaction.atomic(), pghistory.context(**_actor_metadata(actor)):
            return func(*args, actor=actor, **kwargs)

    return wrapper


class AppendOnlyGuard(pghistory.Tracker):
    """Not an event: makes every event table refuse UPDATE, DELETE and TRUNCATE with triggers
    that no session setting switches off (core/triggers.py; pghistory's own append-only
    option honours `pgtrigger.ignore`). Listed in PGHISTORY_DEFAULT_TRACKERS."""

    label = "append_only_guard"

    def setup(self, event_model):
        pgtrigger.register(append_only(), no_truncate())(event_model)


def user_metadata(user) -> dict:
    """The signed-in user's labels for the history context; nothing for an anonymous visitor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    return _actor_metadata(user)


def attach_user(user) -> None:
    """Name `user` as the actor of the history context already open (a request's).

    The API authenticates tokens inside the view, after the middleware opened the context,
    so the token authentication calls this once it knows the user. Outside a context (or for
    an anonymous visitor) it does nothing.
    """
    metadata = user_metadata(user)
    if metadata:
        pghistory.context(**metadata)


class HistoryTask(Task):
    """The Celery app's task class (config/celery.py): every task a worker runs (or `apply()`
    runs) is labelled actor `task:<name>`, channel `task` and its task id, so even a task
    that forgets `history_context` is labelled. A task called as a plain function (tests,
    management commands) runs in its caller's context, as any function does.
    """

    def __call__(self, *args, **kwargs):
        if self.request.called_directly:
            return super().__call__(*args, **kwargs)
        name = self.name.rsplit(".", 1)[-1]
        with history_context(actor=f"task:{name}", channel="task", task_id=self.request.id):
            # `run`, not `super().__call__`: outside a worker that pushes a second, empty
            # request, and a bound task run by `apply()` would no longer see its own id.
            return self.run(*args, **kwargs)
