"""OpenAPI generation tweaks."""

from drf_spectacular import openapi
from rest_framework.permissions import SAFE_METHODS

from investments.api.permissions import ReadOnly


class AutoSchema(openapi.AutoSchema):
    """Describes a public read as needing no session: the session cookie is optional there (staff
    browsing the API), where drf-spectacular declared it required for any permission but AllowAny."""

    def get_auth(self):
        auths = super().get_auth()
        permissions = self.view.get_permissions()
        public = permissions and all(isinstance(p, ReadOnly) for p in permissions)
        if public and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths


class FilteredAutoSchema(AutoSchema):
    """Describes the filters of a view that is not a list (the stats): by default only lists get them."""

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])
