"""Capacity read from article text: MW/GW and GPU counts in eight languages, on sentences written here."""

from datetime import date

import pytest

from ingest.extract import extract_candidates
from ingest.extract.capacity import find_capacity, to_number

PUBLISHED = date(2025, 6, 12)


@pytest.mark.parametrize(
    "text, mw, mw_as_given",
    [
        ("The Ostrava campus will draw 1 GW once all six halls are built.", 1000, "1 GW"),
        ("It is a 300 megawatts facility on the edge of town.", 300, "300 megawatts"),
        ("Le futur campus de 1,4 GW au sud de Lyon accueillera des serveurs d'IA.", 1400, "1,4 GW"),
        ("Das neue Rechenzentrum in Hanau soll 180 Megawatt Anschlussleistung haben.", 180, "180 Megawatt"),
        ("El campus de Cuenca tendrá 250 megavatios de potencia informática.", 250, "250 megavatios"),
        ("Il nuovo data center di Bergamo avrà una capacità di 72 MW.", 72, "72 MW"),
        ("Het datacenter in Eemshaven groeit naar 1,2 gigawatt.", 1200, "1,2 gigawatt"),
        ("Centrum danych pod Poznaniem będzie miało 60 megawatów mocy.", 60, "60 megawatów"),
        ("O centro de dados em Évora terá 0,5 GW de capacidade.", 500, "0,5 GW"),
        ("A 1.500 MW Anschlussleistung plan was filed.", 1500, "1.500 MW"),
    ],
)
def test_power_is_read_in_mw_with_its_words(text, mw, mw_as_given):
    found = find_capacity(text)
    assert (found.mw, found.mw_as_given) == (mw, mw_as_given)


@pytest.mark.parametrize(
    "text, gpus, as_given",
    [
        ("The Leeds cluster will hold 100.000 GPUs by 2027.", 100_000, "100.000 GPUs"),
        ("Mistral installera 18 000 puces Nvidia dans l'Essonne.", 18_000, "18 000 puces"),
        ("Mistral installera 18\u202f000 puces dans l'Essonne.", 18_000, "18\u202f000 puces"),
        ("Azure gets 23,040 GB300 GPUs in the first phase.", 23_040, "23,040 GB300 GPUs"),
        (
            "Ein Cluster mit 10.000 Nvidia Blackwell Grafikprozessoren entsteht in Bayern.",
            10_000,
            "10.000 Nvidia Blackwell Grafikprozessoren",
        ),
        ("La planta contará con 12.600 chips de Nvidia.", 12_600, "12.600 chips"),
        ("Il supercomputer userà 4.000 GPU di ultima generazione.", 4_000, "4.000 GPU"),
        ("Het cluster krijgt 5.000 GPU's van Nvidia.", 5_000, "5.000 GPU's"),
        ("Serwerownia pomieści 20 tys. procesorów graficznych.", 20_000, "20 tys. procesorów graficznych"),
        ("O supercomputador terá 8 mil GPUs em Lisboa.", 8_000, "8 mil GPUs"),
        ("A partner will deploy 18k Grace Blackwell superchips.", 18_000, "18k Grace Blackwell superchips"),
    ],
)
def test_gpu_counts_are_read_with_their_words(text, gpus, as_given):
    found = find_capacity(text)
    assert (found.gpus, found.gpus_as_given) == (gpus, as_given)


@pytest.mark.parametrize(
    "text",
    [
        "The company consumed 300 MWh of electricity last quarter.",
        "Its offices in Dublin employ 300 engineers.",
        "A 105 MW power purchase agreement with a wind farm was signed.",
        "Le groupe a signé un contrat d'achat de 200 MW d'énergie solaire.",
    ],
)
def test_energy_bought_and_other_numbers_are_not_capacity(text):
    assert not find_capacity(text)


def test_the_campus_figure_is_kept_when_energy_is_named_beside_it():
    found = find_capacity("AWS signed a 105 MW PPA with a wind farm; the campus itself is 90 MW.")
    assert found.mw == 90


@pytest.mark.parametrize(
    "written, value",
    [
        ("18 000", 18000),
        ("18.000", 18000),
        ("18,000", 18000),
        ("1,4", 1.4),
        ("1.4", 1.4),
        ("1.234,5", 1234.5),
    ],
)
def test_numbers_read_thousands_groups_and_decimal_marks(written, value):
    assert to_number(written) == value


def test_the_candidate_carries_capacity_from_its_own_sentence():
    text = (
        "Google will invest EUR 2 billion in a data centre campus in Finland, the company said on "
        "Tuesday. The 400 MW site near Kotka is to host 50,000 GPUs from 2027."
    )
    (candidate,) = extract_candidates(text, PUBLISHED, "en")
    # One candidate: the article's other sentences are its context.
    assert (candidate.capacity_mw, candidate.capacity_as_given) == (400, "400 MW")
    assert (candidate.gpus, candidate.gpus_as_given) == (50_000, "50,000 GPUs")
    row = candidate.as_dict()
    assert (row["capacity_mw"], row["gpus"]) == (400, 50_000)


def test_with_several_candidates_each_takes_only_its_own_sentences():
    text = (
        "Microsoft will invest EUR 3 billion in Germany, including a 500 MW campus near Cologne, it said "
        "on Tuesday. Separately, Google will invest EUR 1 billion in Finland, it said on Tuesday."
    )
    candidates = {c.company: c for c in extract_candidates(text, PUBLISHED, "en")}
    assert candidates["microsoft"].capacity_mw == 500
    assert candidates["google"].capacity_mw is None
