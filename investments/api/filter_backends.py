"""Filter backends beyond django-filter's default one."""

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation

from investments.filtersets import InvestmentFilterSet
from investments.models import Investment


class InvestmentTotalsFilterBackend(DjangoFilterBackend):
    """Applies the investment filters of the query to the investments whose totals each listed row
    carries (the countries and their map), leaving the listed rows to the view's own filterset.

    The filtered investments are left on the view as `investments`; declaring the backend also puts
    every investment filter in the view's OpenAPI description.
    """

    def get_filterset_class(self, view, queryset=None):
        return InvestmentFilterSet

    def filter_queryset(self, request, queryset, view):
        filterset = InvestmentFilterSet(
            request.query_params, queryset=Investment.objects.all(), request=request
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        view.investments = filterset.qs
        return queryset
