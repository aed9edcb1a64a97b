from django.urls import path

from investments import site_views, views

app_name = "investments"
urlpatterns = [
    path("", views.home, name="home"),
    path("timeline/", views.timeline, name="timeline"),
    path("about/", views.about, name="about"),
    path("countries/<str:iso2>/", views.country_detail, name="country"),
    path("companies/<slug:slug>/", views.company_detail, name="company"),
    path("investments/<str:ref>/", views.investment_detail, name="investment"),
    path("sites/<slug:ref>/", site_views.site_detail, name="site"),
]
