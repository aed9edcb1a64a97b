"""The page of a site: its point and the investments made there over time (issue 19).

Kept apart from investments.views while that module is reworked; the same page furniture is used.
"""

from django.shortcuts import get_object_or_404, render

from investments.models import Site
from investments.sites import summarize, with_investments
from investments.views import filterset_for, page_context


def site_detail(request, ref):
    site = get_object_or_404(with_investments(Site.objects.all()), ref=ref)
    return render(
        request,
        "investments/site.html",
        {
            **page_context(request, filterset=filterset_for(request), live=False),
            "site": site,
            "summary": summarize(site),
            "investments": site.investments.all(),
        },
    )
