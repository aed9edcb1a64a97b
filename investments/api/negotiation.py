"""Content negotiation that names the formats an endpoint gives when asked for another."""

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's, but `?format=xml` (a format the endpoint does not give) is a 400 naming the formats it
    gives, where DRF answered 404 as if the resource did not exist."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        formats = [renderer.format for renderer in renderers]
        if wanted and wanted not in formats:
            raise ValidationError(
                {
                    self.settings.URL_FORMAT_OVERRIDE: [
                        f"Unknown format. This endpoint gives: {', '.join(formats)}."
                    ]
                }
            )
        return super().select_renderer(request, renderers, format_suffix)
