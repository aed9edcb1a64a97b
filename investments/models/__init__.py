from .announcement import Announcement
from .company import Company
from .country import Country
from .data_version import DataVersion
from .investment import Investment

__all__ = ["Announcement", "Company", "Country", "DataVersion", "Investment"]
