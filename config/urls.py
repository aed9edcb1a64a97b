from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz
from investments.feeds import InvestmentFeed

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from this host too, so the page needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("config.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("feeds/investments.atom", InvestmentFeed(), name="investment-feed"),
] + i18n_patterns(
    # The pages in English at /, in French under /fr/: a shared link keeps its language.
    path("", include("investments.urls")),
    prefix_default_language=False,
)

# The site's own error pages (JSON under /api/), not Django's bare ones.
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
