"""The API's URLs, gathered from each app's api/urls.py under one namespace ("api") at /api/v1/, as
cookiecutter-django's config/api_router.py does: each app declares its own endpoints."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("v1/", include("ingest.api.urls")),
    path("", include("investments.api.urls")),
]
