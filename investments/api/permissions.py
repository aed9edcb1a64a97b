from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnly(BasePermission):
    """The public API only reads: curators write through admin."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS


class StaffReadOnly(BasePermission):
    """Operational data (ingest runs) is for staff only, and read-only even for them."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS and bool(request.user and request.user.is_staff)
