"""Article text -> candidate investments (company, country, amount, date, evidence) for curators.

    from ingest.extract import extract_candidates
    candidates = extract_candidates(text, published=date(2024, 2, 20))

Parsers are pure: text in, typed records out; the only file read is the company catalogue.
"""

from .companies import Catalogue, load_catalogue
from .finding import Finding
from .language import detect_language
from .reader import extract_candidates

__all__ = ["Finding", "Catalogue", "detect_language", "extract_candidates", "load_catalogue"]
