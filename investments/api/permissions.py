from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnly(BasePermission):
    """The public API only reads: curators write through admin."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS


class StaffReadOnly(BasePermission):
    """Operational data (ingest runs: server paths, error texts) is for staff who may view it in admin,
    and read-only even for them: the same view permission that admin asks for, not staff status alone."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS or not (request.user and request.user.is_staff):
            return False
        model = view.get_queryset().model
        return request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
