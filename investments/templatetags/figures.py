"""{% load figures %}: amounts as the pages show them, compact and in the page's language
("63.1B", "63,1 Md"), as static/js/dashboard.js writes them with Intl.NumberFormat."""

from django import template

from investments.numbers import compact as compact_amount

register = template.Library()


@register.filter
def compact(value, currency=""):
    """`{{ total|compact }}` -> "63.1B"; `{{ total|compact:"EUR" }}` -> "63.1B EUR"; None -> ""."""
    return compact_amount(value, currency)
