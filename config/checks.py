"""System checks for configuration that only matters when serving."""

from django.conf import settings
from django.core.checks import Error, register

MISSING_SECRET_KEY = "Set the SECRET_KEY environment variable (required when DEBUG is off)."  # noqa: S105 - a message, not a secret


@register()
def secret_key_is_set(app_configs, **kwargs):
    if getattr(settings, "SECRET_KEY_MISSING", False) and not settings.DEBUG:
        return [
            Error(
                MISSING_SECRET_KEY,
                hint="python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="config.E001",
            )
        ]
    return []


def require_secret_key() -> None:
    """Refuse to serve without a configured SECRET_KEY (called by the WSGI and ASGI entry points)."""
    from django.core.exceptions import ImproperlyConfigured

    if getattr(settings, "SECRET_KEY_MISSING", False) and not settings.DEBUG:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
