"""Template context every page may show: the ledger check's alert (templates/includes)."""

from conditions.models import LedgerCheck
from core.roles import can_read


def ledger_alert_context(request) -> dict:
    """`ledger_failure`: the last ledger check when it failed, looked up only when shown."""

    def last_failure():
        if not can_read(getattr(request, "user", None)):
            return None
        last = LedgerCheck.objects.first()
        return last if last is not None and not last.ok else None

    return {"ledger_failure": last_failure}
