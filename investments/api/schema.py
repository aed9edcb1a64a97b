"""OpenAPI generation tweaks."""

from drf_spectacular import openapi
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings

from investments.api.permissions import ReadOnly


class AutoSchema(openapi.AutoSchema):
    """Describes a public read as needing no session: the session cookie is optional there (staff
    browsing the API), where drf-spectacular declared it required for any permission but AllowAny. And
    `format` on every operation."""

    def _get_format_parameters(self):
        # drf-spectacular describes `format` only where there are several; it is accepted everywhere,
        # and any other value is a 400 (investments.api.negotiation), which the fuzzing then exercises.
        formats = self.map_renderers("format")
        if len(formats) != 1:
            return super()._get_format_parameters()
        return [
            build_parameter_type(
                name=api_settings.URL_FORMAT_OVERRIDE,
                schema=build_basic_type(OpenApiTypes.STR),
                location=OpenApiParameter.QUERY,
                enum=formats,
            )
        ]

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
