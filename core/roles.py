"""The three roles (Django groups) and the checks every view and API endpoint uses."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

ADMIN, EDITOR, AUDITOR = "admin", "editor", "auditor"
ROLES = (ADMIN, EDITOR, AUDITOR)


def role_of(user) -> str | None:
    """The user's role: admin, editor, auditor, or None for anonymous or role-less users."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMIN
    cached = getattr(user, "_registry_role", "unset")
    if cached != "unset":
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = next((r for r in ROLES if r in names), None)
    user._registry_role = role
    return role


def can_read(user) -> bool:
    return role_of(user) is not None


def can_write(user) -> bool:
    return role_of(user) in (ADMIN, EDITOR)


def is_admin(user) -> bool:
    return role_of(user) == ADMIN


def role_context(request):
    """Template context: the user's role and what they may do."""
    user = getattr(request, "user", None)
    return {"user_role": role_of(user), "user_can_write": can_write(user)}


class RolePermission(BasePermission):
    """Deny by default: readers need a role; writes need editor or admin."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return can_read(request.user)
        return can_write(request.user)
