from django.db import models
from django.utils import timezone


class IngestRun(models.Model):
    """One run of an ingest pipeline (dataset, news feeds, FX refresh): what it did and what went wrong."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        REFUSED = "refused", "Refused (invalid input, nothing changed)"
        FAILED = "failed", "Failed (error, nothing changed)"

    source = models.CharField(max_length=200, help_text="What was ingested: 'dataset', a feed's name, 'fx'.")
    target = models.CharField(max_length=1000, blank=True, help_text="The path or URL read.")
    task_id = models.CharField(max_length=255, blank=True)
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    traceback = models.TextField(blank=True)

    class Meta:
        ordering = ["-started"]
        indexes = [models.Index(fields=["source", "-started"], name="ingestrun_source_started")]

    def __str__(self):
        return f"{self.source} {self.started:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration(self):
        return (self.finished - self.started) if self.finished else None
