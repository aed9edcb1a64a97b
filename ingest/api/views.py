"""The staff API of the ingest app: its runs, read-only, for those who may view them in admin."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets

from ingest.api.serializers import IngestRunSerializer
from ingest.models import IngestRun
from investments.api.http_cache import PrivateMixin
from investments.api.permissions import StaffReadOnly


@extend_schema(exclude=True)  # staff only: kept out of the public description
class IngestRunViewSet(PrivateMixin, viewsets.ReadOnlyModelViewSet):
    queryset = IngestRun.objects.all()
    serializer_class = IngestRunSerializer
    permission_classes = [StaffReadOnly]
    filterset_class = None
