"""System checks for configuration that only matters when serving."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = "Set the SECRET_KEY environment variable (required when DEBUG is off)."  # noqa: S105 - a message, not a secret
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


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


def missing_static_manifest() -> str | None:
    """What to say when pages would need hashed static files that collectstatic has not written.

    With the manifest storage every `{% static %}` looks its file up in staticfiles.json; without it
    every page fails with a 500, so say so where the server starts instead.
    """
    if settings.STORAGES["staticfiles"]["BACKEND"] != MANIFEST_STORAGE:
        return None
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        return None
    return (
        f"Static files have not been collected ({manifest} is missing), so every page would fail. "
        "Run `python manage.py collectstatic --noinput` (make serve does), "
        "or set DEBUG=1 or STATIC_MANIFEST=0 to serve the plain files."
    )


@register()
def static_files_are_collected(app_configs, **kwargs):
    # A warning, not an error: migrate, check and collectstatic itself must still run before it.
    message = missing_static_manifest()
    return [Warning(message, id="config.W001")] if message else []


def require_serving_configuration() -> None:
    """Refuse to serve what would fail on every request (called by the WSGI and ASGI entry points)."""
    if getattr(settings, "SECRET_KEY_MISSING", False) and not settings.DEBUG:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
    message = missing_static_manifest()
    if message:
        raise ImproperlyConfigured(message)
