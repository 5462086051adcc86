"""The curated annotation passes the schemas and provenance, and uses the reference data."""

import pandas as pd
from support import DATA

from toolkit import check_provenance, read_claims, read_events
from toolkit.reference import actors, gazetteer, sources


def test_curated_claims_and_events_are_valid(seed_reports):
    claims = read_claims(DATA / "curated/claims.csv")
    events = read_events(DATA / "curated/events.csv")
    assert check_provenance(claims, seed_reports).empty
    assert check_provenance(events, seed_reports).empty
    # every report is annotated
    assert set(claims["report_id"]) == set(seed_reports["report_id"])


def test_curated_quotes_equal_spans(seed_reports):
    bodies = seed_reports.set_index("report_id")["body"]
    for name in ("claims", "events"):
        raw = pd.read_csv(DATA / f"curated/{name}.csv", dtype=str, keep_default_na=False)
        for r in raw.itertuples():
            assert bodies[r.report_id][int(r.span_start) : int(r.span_end)] == r.quote


def test_curated_names_are_in_the_reference_data():
    claims = read_claims(DATA / "curated/claims.csv")
    events = read_events(DATA / "curated/events.csv")
    places = set(gazetteer()["name"])
    assert set(claims["location"].dropna()) <= places
    assert set(events["place"]) <= places
    known = set(sources()["name"])
    assert set(claims["claimant"]) | set(events["claimant"]) <= known
    forces = set(actors()["name"])
    assert set(claims["actor"].dropna()) | set(events["actor"].dropna()) <= forces


def test_sources_cover_every_fakes_outlet():
    codes = {
        "ahram",
        "manar",
        "alalam",
        "alaraby",
        "dailysabah",
        "sana",
        "sputnik",
        "etilaf",
        "trt",
        "jordantimes",
        "reuters",
        "arabiya",
        "nna",
        "asharqalawsat",
        "tass",
    }
    assert codes <= set(sources()["fakes_code"].dropna())


def test_gazetteer_coordinates_are_sourced():
    g = gazetteer()
    located = g[g["latitude"].notna()]
    assert located["coord_source"].notna().all()
    assert (located["coord_precision_km"] > 0).all()
