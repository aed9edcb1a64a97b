from .announcement import Announcement
from .company import Company
from .country import Country
from .investment import Investment

__all__ = ["Announcement", "Company", "Country", "Investment"]
