"""OpenAPI generation tweaks."""

from drf_spectacular.openapi import AutoSchema


class FilteredAutoSchema(AutoSchema):
    """Describes the filters of a view that is not a list (the stats): by default only lists get them."""

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])
