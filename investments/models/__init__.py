from .announcement import Announcement
from .company import Company
from .country import Country
from .data_version import DataVersion
from .investment import Investment
from .investment_count import InvestmentCount
from .outlet import Outlet
from .overlap import Overlap
from .site import Site

__all__ = [
    "Announcement",
    "Company",
    "Country",
    "DataVersion",
    "Investment",
    "InvestmentCount",
    "Outlet",
    "Overlap",
    "Site",
]
