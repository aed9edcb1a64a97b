"""An Atom feed of new and changed investments, filtered as the pages and the API are.

`/feeds/investments.atom?country=ES&company=microsoft` follows what the page with the same query string
lists: the shared InvestmentFilterSet reads it, and a filter it refuses is a 400 naming the parameter.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from investments.choices import Category, Status
from investments.filtersets import InvestmentFilterSet
from investments.models import Investment

ITEMS = 50


def describe_filters(filterset) -> str:
    return ", ".join(f"{name}={value}" for name, value in filterset.data.items() if value)


class InvestmentFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        filterset = InvestmentFilterSet(request.GET, queryset=Investment.objects.all())
        if not filterset.is_valid():
            errors = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items())
            return HttpResponseBadRequest(
                f"Invalid filter. {errors}", content_type="text/plain; charset=utf-8"
            )
        self.filterset = filterset
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, request):
        filters = describe_filters(self.filterset)
        title = _("EU AI investment tracker: new and changed investments")
        return f"{title} ({filters})" if filters else title

    def subtitle(self, request):
        return _("Big Tech investment in AI across Europe, every figure sourced and counted once.")

    def link(self, request):
        query = request.GET.urlencode()
        return reverse("investments:home") + (f"?{query}" if query else "")

    def feed_url(self, request):
        return request.get_full_path()

    def items(self, request):
        return self.filterset.qs.with_relations().with_counted().order_by("-updated", "ref")[:ITEMS]

    def item_title(self, item):
        return f"{item.company.name}: {item.title}"

    def item_description(self, item):
        if item.amount is None:
            amount = _("Amount undisclosed")
        else:
            amount = f"{number_format(item.amount, decimal_pos=0, force_grouping=True)} {item.currency}"
            if item.amount_eur is not None and item.currency != "EUR":
                amount += f" ({number_format(item.amount_eur, decimal_pos=0, force_grouping=True)} EUR)"
        where = item.country.name if item.country else _("Europe-wide")
        counted = _("counted in the totals") if item.is_counted else _("not counted in the totals")
        parts = [amount, where, Category(item.category).label, Status(item.status).label, counted]
        if item.announced:
            parts.insert(2, _("announced %(date)s") % {"date": item.announced})
        return " · ".join(str(part) for part in parts)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return item.get_absolute_url()

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        return item.company.name

    def item_categories(self, item):
        return [Category(item.category).label, item.country.iso2 if item.country else "EU"]
