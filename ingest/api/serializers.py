"""What the staff API says about ingest runs."""

from rest_framework import serializers

from ingest.models import IngestRun


class IngestRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = IngestRun
        fields = ["id", "source", "target", "task_id", "started", "finished", "status", "counts", "errors"]
