"""Company names, aliases and epithets from the catalogue (ingest/extract/companies.py)."""

from pathlib import Path

import pytest

from ingest.extract.companies import Catalogue, load_catalogue

CATALOGUE_CSV = Path(__file__).resolve().parents[3] / "data" / "companies.csv"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_CSV)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Microsoft a annoncé", "microsoft"),
        ("la firme de Redmond se tourne vers l'Europe", "microsoft"),
        ("La firme de Redmond se tourne vers l'Europe", "microsoft"),
        ("the Redmond-based group said", "microsoft"),
        ("Der Konzern aus Redmond steht nicht allein", "microsoft"),
        ("Microsofts Investition", "microsoft"),
        ("Amazon Web Services (AWS) invertirá", "aws"),
        ("die Cloud-Tochter von Amazon", "aws"),
        ("Google.org, the philanthropic arm", "google"),
        ("le géant de Mountain View", "google"),
        ("la matriz de Facebook", "meta"),
        ("der iPhone-Hersteller", "apple"),
        ("Meta-Chef Mark Zuckerberg", "meta"),
        ("De softwaregigant bouwt een datacenter", "microsoft"),
        ("firma z Redmond ogłosiła", "microsoft"),
        ("Gigant z Mountain View chce", "google"),
        ("a tecnológica de Redmond prevê", "microsoft"),
        ("il lancio della regione di Aws", "aws"),
    ],
)
def test_company_is_found_by_name_alias_or_epithet(catalogue, text, slug):
    assert [m.slug for m in catalogue.find(text)][:1] == [slug]


def test_lower_case_word_is_not_a_company_name(catalogue):
    assert catalogue.find("la meta de la Junta es atraer empresas") == []


def test_subsidiaries_belong_to_their_parent_family(catalogue):
    assert catalogue.family("aws") == "amazon"
    assert catalogue.family("google") == "alphabet"


def test_catalogue_is_read_from_any_csv(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text("slug,name,parent,aliases,website,hq_country\nacme,Acme,,the Roadrunner chaser,,US\n")
    catalogue = Catalogue.from_csv(path)
    assert [m.slug for m in catalogue.find("The Roadrunner chaser and Acme")] == ["acme", "acme"]


def test_acronym_written_as_a_name_is_the_company_but_a_word_is_not(catalogue):
    assert [m.slug for m in catalogue.find("parte del piano di Aws in Italia")] == ["aws"]
    assert catalogue.find("the aws of the world") == []
