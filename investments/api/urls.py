from django.urls import include, path
from rest_framework.routers import DefaultRouter

from investments.api import views


class Router(DefaultRouter):
    """The API root also lists the stats endpoint, which is a view rather than a viewset."""

    def get_api_root_view(self, api_urls=None):
        api_root_dict = {
            prefix: self.routes[0].name.format(basename=basename) for prefix, _, basename in self.registry
        }
        api_root_dict["stats"] = "stats"
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = Router()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("countries", views.CountryViewSet, basename="country")
router.register("investments", views.InvestmentViewSet, basename="investment")
router.register("announcements", views.AnnouncementViewSet, basename="announcement")
router.register("sites", views.SiteViewSet, basename="site")

# Included by config/api_router.py, which gives every app's endpoints the "api" namespace.
urlpatterns = [
    path("v1/stats/", views.StatsView.as_view(), name="stats"),
    path("v1/", include(router.urls)),
]
