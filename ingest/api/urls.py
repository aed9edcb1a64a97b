from rest_framework.routers import SimpleRouter

from ingest.api import views

# A router of its own, so that the public API root does not list it.
staff_router = SimpleRouter()
staff_router.register("ingest-runs", views.IngestRunViewSet, basename="ingestrun")

urlpatterns = staff_router.urls
