"""Who may open a page: every page declares `required_role` through one of these mixins.

"reader" (any role), "editor" (editors and admins) or "auditor" (auditors and admins); the
URL-walk test refuses any page that does not choose (docs/decisions/0006).
"""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from core.roles import ADMIN, AUDITOR, can_read, can_write, role_of

READER, EDITOR, AUDIT = "reader", "editor", "auditor"


class RoleRequiredMixin(AccessMixin):
    """Anonymous visitors go to the sign-in page; signed-in users without the role get 403."""

    required_role: str = EDITOR  # deny by default: a page that forgets to choose needs more

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not ROLE_CHECKS[self.required_role](request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def can_audit(user) -> bool:
    return role_of(user) in (AUDITOR, ADMIN)


ROLE_CHECKS = {READER: can_read, EDITOR: can_write, AUDIT: can_audit}


class ReaderRequiredMixin(RoleRequiredMixin):
    """Any role may read: admin, editor, auditor."""

    required_role = READER


class EditorRequiredMixin(RoleRequiredMixin):
    """Only editors and admins may write."""

    required_role = EDITOR


class AuditorRequiredMixin(RoleRequiredMixin):
    """Only auditors and admins (e.g. the global change log)."""

    required_role = AUDIT
