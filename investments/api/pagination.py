"""Page-number pagination with strict parameters and a count that is cheap to repeat.

COUNT(*) over a large filtered set costs as much as the page itself; the count is kept per data
version and query, so paging through a result counts it once.
"""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from investments.api.compiled import CompiledList, counting
from investments.versioned_cache import data_as_of, kept


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self):
        if not settings.API_COUNT_CACHE_SECONDS:
            return super().count
        items = self.object_list
        statement = items.count_statement if isinstance(items, CompiledList) else counting(items)
        if statement is None:
            return 0
        return kept(
            "api-count",
            statement,
            settings.API_COUNT_CACHE_SECONDS,
            lambda: super(CachedCountPaginator, self).count,
        )


def positive_int(request, name):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ValidationError({name: [f"{name} must be a positive integer."]})
    return number


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` (1-based) and `page_size` (default 50, at most 500); a page past the end is 404."""

    django_paginator_class = CachedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 500
    page_query_description = "Page number, from 1 (`last` for the last page)."
    page_size_query_description = "Results per page, at most 500 (default 50)."

    def paginate_queryset(self, queryset, request, view=None):
        # As DRF's, but the page comes back as a sliced queryset rather than a list, so that a list
        # serializer may read it its own way (values() for investments) instead of as model instances.
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(exc))
            ) from exc
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return self.page.object_list

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return positive_int(request, self.page_query_param) or 1

    def get_page_size(self, request):
        size = positive_int(request, self.page_size_query_param)
        return min(size, self.max_page_size) if size else self.page_size

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # Every list says how fresh its data is, as the stats and the pages do.
        day = data_as_of()
        response.data["data_as_of"] = day.isoformat() if day else None
        return response

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["data_as_of"] = {
            "type": "string",
            "format": "date",
            "nullable": True,
            "description": "The date of the latest change to the data (records or sources).",
        }
        return described
