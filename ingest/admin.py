from django.contrib import admin

from ingest.models import IngestRun


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ["source", "started", "finished", "status", "counts"]
    list_filter = ["status", "source"]
    search_fields = ["source", "target", "task_id"]
    readonly_fields = [f.name for f in IngestRun._meta.fields]

    def has_add_permission(self, request):
        return False
