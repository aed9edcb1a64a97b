"""/healthz/: answers 200 when the database answers, for container healthchecks over plain HTTP."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
