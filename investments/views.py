from django.shortcuts import get_object_or_404, render

from investments.models import Company, Country, Investment


def home(request):
    investments = Investment.objects.with_relations().order_by("-announced_on")[:500]
    return render(
        request,
        "investments/home.html",
        {
            "investments": investments,
            "total": Investment.objects.grand_total("EUR"),
        },
    )


def country_detail(request, iso2):
    country = get_object_or_404(Country, iso2=iso2.upper())
    investments = Investment.objects.with_relations().filter(country=country)
    return render(request, "investments/country.html", {"country": country, "investments": investments})


def company_detail(request, slug):
    company = get_object_or_404(Company, slug=slug)
    investments = Investment.objects.with_relations().for_company([company])
    return render(request, "investments/company.html", {"company": company, "investments": investments})


def investment_detail(request, ref):
    investment = get_object_or_404(Investment.objects.with_sources(), ref=ref)
    return render(request, "investments/investment.html", {"investment": investment})
