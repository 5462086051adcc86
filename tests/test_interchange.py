"""HXL export and import of claims and events; UCDP GED and IOM DTM imports."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from support import DATA, SHARED

from toolkit.interchange import (
    InterchangeError,
    events_to_hxl,
    read_hxl_claims,
    read_hxl_events,
    read_iom_dtm,
    read_ucdp_ged,
    to_hxl,
    write_hxl,
)
from toolkit.interchange.hxl import is_hashtag_row, parse_hashtag, read_table, value_tags
from toolkit.schemas import Claims
from toolkit.tables import (
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    coerce_claims,
    coerce_events,
    read_claims,
    read_events,
    write_table,
)
from toolkit.vocab import CATEGORY_UNITS

FIXTURES = Path(__file__).resolve().parent / "data" / "interchange"
FORMATS = SHARED / "reference" / "formats"
GED_RAW = FORMATS / "ucdp_ged191_raw_sample_MMR_BGD.zip"
GED_HDX = FORMATS / "ucdp_ged_hdx_hxl_conflict_data_BGD.csv"
DTM = FORMATS / "iom_dtm_api_hxl_admin0-2_AFG_HTI_TCD.csv"


def needs(path):
    return pytest.mark.skipif(not path.is_file(), reason=f"{path.name} not present")


@pytest.fixture(scope="module")
def curated_claims():
    return read_claims(DATA / "curated" / "claims.csv")


@pytest.fixture(scope="module")
def curated_events():
    return read_events(DATA / "curated" / "events.csv")


def data_rows(path, hashtag_row: bool = True) -> int:
    """Rows under the header (and hashtag row), counted with the csv module."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            text = z.read(z.namelist()[0]).decode("utf-8")
    else:
        text = path.read_text("utf-8")
    rows = [r for r in csv.reader(text.splitlines(keepends=True)) if r]
    return len(rows) - 1 - hashtag_row


# --- the hashtag mapping -------------------------------------------------------------------


def test_every_category_and_unit_has_its_own_hashtag():
    tags = value_tags()
    assert set(tags) == {(c, u) for c, units in CATEGORY_UNITS.items() for u in units}
    parsed = [parse_hashtag(t) for t in tags.values()]
    assert None not in parsed and len(set(parsed)) == len(parsed)
    assert tags[("displaced", "people")] == "#affected+idps"
    assert tags[("civilians_killed", "people")] == "#affected+killed+civilians"


def test_parse_hashtag_ignores_case_spaces_and_attribute_order():
    assert parse_hashtag("#Affected +Killed+civilians") == parse_hashtag(
        "#affected+civilians+killed"
    )
    assert parse_hashtag("affected") is None and parse_hashtag("#a b") is None
    assert is_hashtag_row(["", "#meta+id", "#date"]) and not is_hashtag_row(["", "id"])
    assert not is_hashtag_row(["", ""])


# --- export and round trip ------------------------------------------------------------------


def test_to_hxl_puts_hashtags_in_the_first_row(curated_claims):
    frame = to_hxl(curated_claims)
    tags = frame.iloc[0]
    assert len(frame) == len(curated_claims) + 1
    assert tags["report_id"] == "#meta+id" and tags["claimant"] == "#meta+source"
    assert tags["period_start"] == "#date+start" and tags["period_end"] == "#date+end"
    assert tags["civilians_killed"] == "#affected+killed+civilians"
    assert tags["civilians_killed_low"] == "#affected+killed+civilians+min"
    assert tags["civilians_killed_high"] == "#affected+killed+civilians+max"
    assert "value" not in frame.columns
    first = frame.iloc[1]
    assert first["category"] == "civilians_killed" and first["civilians_killed"] == "21"
    assert pd.isna(first["wounded"])


def test_claims_round_trip_through_hxl(curated_claims, tmp_path):
    path = write_hxl(to_hxl(curated_claims), tmp_path / "claims.hxl.csv")
    back = read_hxl_claims(path)
    expected = coerce_claims(curated_claims[CLAIM_COLUMNS])
    pd.testing.assert_frame_equal(coerce_claims(back[CLAIM_COLUMNS]), expected)
    pd.testing.assert_frame_equal(back[CLAIM_COLUMNS], curated_claims[CLAIM_COLUMNS])
    assert back["quote"].tolist() == curated_claims["quote"].tolist()
    assert [p.name for p in tmp_path.iterdir()] == ["claims.hxl.csv"]  # no temporary left


def test_events_round_trip_through_hxl(curated_events, tmp_path):
    frame = events_to_hxl(curated_events)
    assert frame.iloc[0][EVENT_COLUMNS].tolist() == [
        "#meta+id", "#loc+name", "#group+name", "#event+type", "#meta+stance",
        "#meta+source", "#date+occurred", "#meta+span+start", "#meta+span+end",
    ]  # fmt: skip
    path = write_hxl(frame, tmp_path / "events.hxl.csv")
    back = read_hxl_events(path)
    expected = coerce_events(curated_events[EVENT_COLUMNS])
    pd.testing.assert_frame_equal(coerce_events(back[EVENT_COLUMNS]), expected)
    assert back["note"].fillna("").tolist() == curated_events["note"].fillna("").tolist()


def test_round_trip_read_by_libhxl(curated_claims, curated_events, tmp_path):
    hxl = pytest.importorskip("hxl")
    path = write_hxl(to_hxl(curated_claims), tmp_path / "claims.csv")
    data = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    display = [c.display_tag for c in data.columns]
    assert "#affected+killed+civilians" in display and "#affected+idps+min" in display
    rows = list(data)
    assert len(rows) == len(curated_claims)
    for row, claim in zip(rows, curated_claims.itertuples(), strict=True):
        tag = value_tags()[(claim.category, claim.unit)]
        assert row.get("#meta+id") == claim.report_id
        assert row.get("#meta+category") == claim.category
        for attr, value in (("", claim.value), ("+min", claim.value_low),
                            ("+max", claim.value_high)):  # fmt: skip
            cell = row.get(f"{tag}{attr}!")  # "!": exactly these attributes
            assert (cell is None) if pd.isna(value) else float(cell) == value
        assert row.get("#date+end") == (
            None if pd.isna(claim.period_end) else claim.period_end.strftime("%Y-%m-%d")
        )
    events = hxl.data(
        str(write_hxl(events_to_hxl(curated_events), tmp_path / "e.csv")),
        hxl.InputOptions(allow_local=True),
    )
    assert [r.get("#event+type") for r in events] == curated_events["action"].tolist()


def test_parquet_export_is_write_table(curated_claims, curated_events, tmp_path):
    write_table(curated_claims, tmp_path / "claims.parquet")
    back = pd.read_parquet(tmp_path / "claims.parquet")
    pd.testing.assert_frame_equal(
        coerce_claims(back[CLAIM_COLUMNS]), coerce_claims(curated_claims[CLAIM_COLUMNS])
    )
    write_table(curated_events, tmp_path / "events.parquet")
    back = pd.read_parquet(tmp_path / "events.parquet")
    pd.testing.assert_frame_equal(
        coerce_events(back[EVENT_COLUMNS]), coerce_events(curated_events[EVENT_COLUMNS])
    )


def test_write_hxl_refuses_a_frame_without_hashtags(curated_claims, tmp_path):
    with pytest.raises(InterchangeError, match="not a row of hashtags"):
        write_hxl(curated_claims, tmp_path / "x.csv")
    assert not list(tmp_path.iterdir())


def test_to_hxl_refuses_invalid_claims(curated_claims):
    bad = curated_claims.copy()
    bad.loc[0, "value"] = -5
    with pytest.raises(InterchangeError, match="value"):
        to_hxl(bad)
    with pytest.raises(InterchangeError, match="missing column"):
        to_hxl(curated_claims.drop(columns="unit"))


def test_hxl_claims_are_read_by_hashtag_not_header(curated_claims, tmp_path):
    frame = to_hxl(curated_claims.head(5))
    frame.columns = [f"colonne {i}" for i in range(len(frame.columns))]
    path = write_hxl(frame, tmp_path / "renamed.csv")
    back = read_hxl_claims(path)
    pd.testing.assert_frame_equal(back[CLAIM_COLUMNS], curated_claims.head(5)[CLAIM_COLUMNS])
    # hashtags alone, no text header
    lines = path.read_text("utf-8").splitlines(keepends=True)
    (tmp_path / "tags_only.csv").write_text("".join(lines[1:]), "utf-8")
    back = read_hxl_claims(tmp_path / "tags_only.csv")
    pd.testing.assert_frame_equal(back[CLAIM_COLUMNS], curated_claims.head(5)[CLAIM_COLUMNS])


def test_bad_hxl_claim_rows_are_rejected_with_a_reason(curated_claims, tmp_path):
    frame = to_hxl(curated_claims.head(4))
    frame.loc[1, "wounded"] = "7"  # a civilians_killed row with a figure in a wounded column
    frame.loc[2, "span_start"] = "x"
    frame.loc[3, "wounded_high"] = "10"  # "dozens" 24..10: breaks the schema
    path = write_hxl(frame, tmp_path / "bad.csv")
    claims, rejects = read_hxl_claims(path, errors="collect")
    assert len(claims) == 1 and claims["category"].tolist() == ["displaced"]
    assert rejects["source_line"].tolist() == [3, 4, 5]
    reasons = rejects["reason"].tolist()
    assert "wounded (people) columns of a row of another category" in reasons[0]
    assert reasons[1] == "span_start 'x' is not a number"
    assert "bounds must follow the qualifier" in reasons[2]
    with pytest.raises(InterchangeError, match=r"bad.csv: line 3: .*and 2 more rows"):
        read_hxl_claims(path)


def test_hxl_reader_needs_the_hashtags(curated_claims, tmp_path):
    plain = tmp_path / "plain.csv"
    write_table(curated_claims, plain)
    with pytest.raises(InterchangeError, match="no HXL hashtag row"):
        read_hxl_claims(plain)
    frame = to_hxl(curated_claims.head(2)).drop(columns="claimant")
    with pytest.raises(InterchangeError, match=r"missing hashtag\(s\) #meta\+source"):
        read_hxl_claims(write_hxl(frame, tmp_path / "no_source.csv"))


def test_rows_with_the_wrong_number_of_fields_are_rejects(tmp_path):
    text = (FIXTURES / "dtm_hxl.csv").read_text("utf-8").splitlines()
    text[3] += ",extra"
    path = tmp_path / "dtm.csv"
    path.write_text("\n".join(text) + "\n", "utf-8")
    table = read_table(path)
    assert len(table.frame) == 2
    assert table.malformed.to_dict("records") == [
        {"source_line": 4, "reason": "22 fields where the header has 21"}
    ]
    claims, rejects = read_iom_dtm(path, errors="collect")
    assert len(claims) == 1 and rejects["source_line"].tolist() == [4, 5]


# --- UCDP GED -------------------------------------------------------------------------------


def _check_ged_fixture(claims, rejects, file_rows):
    Claims.validate(claims)
    assert len(claims) + len(rejects) == file_rows
    point, ranged = claims.set_index("ged_id").loc[["900001", "900002"]].itertuples()
    assert point.category == "people_killed" and point.qualifier == "approx"
    assert (point.value, point.value_low, point.value_high) == (12, 12, 12)
    assert pd.isna(point.actor)  # state-based: who killed whom is not said
    assert ranged.qualifier == "range" and pd.isna(ranged.value)
    assert (ranged.value_low, ranged.value_high) == (18, 30)
    assert (ranged.ged_low, ranged.ged_best, ranged.ged_high) == (18, 21, 30)
    assert ranged.actor == "Government of Syria"  # one-sided violence: side_a
    assert ranged.location == "east Aleppo" and ranged.claimant == "UCDP"
    assert ranged.report_id == "ucdp-ged-900002"
    assert ranged.period_start == pd.Timestamp("2016-12-01")
    assert ranged.period_end == pd.Timestamp("2016-12-03")
    assert (ranged.date_precision, ranged.place_precision) == (2, 2)
    assert (ranged.latitude, ranged.longitude) == (36.19, 37.18)


def test_ged_raw_fixture():
    claims, rejects = read_ucdp_ged(FIXTURES / "ged_raw.csv", errors="collect")
    _check_ged_fixture(claims, rejects, data_rows(FIXTURES / "ged_raw.csv", hashtag_row=False))
    assert claims["source_line"].tolist() == [2, 4]  # 900001 spans lines 2-3
    assert claims["source_original"][0] == "a military source\nrebel spokesman"
    assert rejects[["id", "source_line", "reason"]].to_dict("records") == [
        {"id": "900003", "source_line": 5, "reason": "best '1O' is not a number"}
    ]
    with pytest.raises(InterchangeError, match="line 5: best '1O' is not a number"):
        read_ucdp_ged(FIXTURES / "ged_raw.csv")


def test_ged_raw_fixture_inside_a_zip(tmp_path):
    archive = tmp_path / "ged.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / "ged_raw.csv", "ged191.csv")
    claims, rejects = read_ucdp_ged(archive, errors="collect")
    _check_ged_fixture(claims, rejects, 3)
    assert claims["source_file"].unique().tolist() == ["ged.zip"]


def test_ged_hdx_hxl_fixture():
    path = FIXTURES / "ged_hdx_hxl.csv"
    claims, rejects = read_ucdp_ged(path, errors="collect")
    _check_ged_fixture(claims, rejects, data_rows(path))
    assert rejects[["id", "reason"]].to_dict("records") == [
        {"id": "900004", "reason": "low/best/high 0/1/0 not in order"}
    ]


def test_ged_bounds_best_and_by_victim():
    claims, _ = read_ucdp_ged(FIXTURES / "ged_raw.csv", errors="collect", bounds="best")
    assert claims["qualifier"].tolist() == ["approx", "approx"]
    assert claims["value"].tolist() == [12, 21] and claims["value_high"].tolist() == [12, 21]
    claims, rejects = read_ucdp_ged(FIXTURES / "ged_raw.csv", errors="collect", by_victim=True)
    Claims.validate(claims)
    assert len(rejects) == 1
    got = claims[["ged_id", "category", "value_low", "value_high"]].to_numpy().tolist()
    assert got == [
        ["900001", "people_killed", 12, 12],
        ["900001", "combatants_killed", 12, 12],  # deaths_a + deaths_b
        ["900002", "people_killed", 18, 30],
        ["900002", "civilians_killed", 21, 21],
    ]
    assert claims["actor"].tolist()[3] == "Government of Syria"


def test_ged_needs_its_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,best\n1,2\n", "utf-8")
    with pytest.raises(InterchangeError, match="not a UCDP GED file: missing column"):
        read_ucdp_ged(path)


def test_imported_claims_round_trip_through_hxl(tmp_path):
    claims, _ = read_ucdp_ged(FIXTURES / "ged_raw.csv", errors="collect")
    frame = to_hxl(claims)
    assert frame.iloc[0]["latitude"] == "#geo+lat"
    assert frame.iloc[0]["date_precision"] == "#meta+precision+date"
    back = read_hxl_claims(write_hxl(frame, tmp_path / "ged.hxl.csv"))
    pd.testing.assert_frame_equal(back[CLAIM_COLUMNS], claims[CLAIM_COLUMNS])
    assert back["source_original"].tolist() == claims["source_original"].tolist()
    # the provenance columns of the import survive the export
    assert back["source_line"].astype(int).tolist() == [2, 4]
    assert back["source_file"].unique().tolist() == ["ged_raw.csv"]


@needs(GED_RAW)
def test_real_ged_raw_sample():
    claims, rejects = read_ucdp_ged(GED_RAW, errors="collect")
    assert data_rows(GED_RAW, hashtag_row=False) == 3194
    assert (len(claims), len(rejects)) == (3188, 6)
    assert claims["ged_id"].is_unique
    Claims.validate(claims)
    assert sorted(rejects["id"]) == sorted(["71686", "84006", "71645", "71690", "210317", "224479"])
    assert rejects["reason"].str.contains("not in order").all()
    event = claims.set_index("ged_id").loc["209980"]  # Laukkaing, May 2015: 1 (1-30) killed
    assert (event.ged_low, event.ged_best, event.ged_high) == (1, 1, 30)
    assert (event.qualifier, event.value_low, event.value_high) == ("range", 1, 30)
    assert event.location == "Laukkaing Town" and event.place_precision == 2
    assert event.source_office == "Democratic Voice of Burma"
    assert (claims["qualifier"] == "range").sum() == 453


@needs(GED_HDX)
def test_real_ged_hdx_hxl_sample():
    claims, rejects = read_ucdp_ged(GED_HDX, errors="collect")
    assert (len(claims), len(rejects)) == (600, 1) and data_rows(GED_HDX) == 601
    assert rejects["id"].tolist() == ["84006"]
    event = claims.set_index("ged_id").loc["73855"]  # Rangamati, 1989: 6 civilians
    assert (event.value, event.qualifier, event.actor) == (6, "approx", "JSS/SB")
    assert event.location == "Rangamati town" and event.source_original == "officials"
    assert event.period_start == event.period_end == pd.Timestamp("1989-09-30")


# --- IOM DTM --------------------------------------------------------------------------------


def test_dtm_fixture():
    path = FIXTURES / "dtm_hxl.csv"
    claims, rejects = read_iom_dtm(path, errors="collect")
    Claims.validate(claims)
    assert len(claims) + len(rejects) == data_rows(path) == 3
    country, mosul = claims.itertuples()
    assert (country.location, country.admin_level, country.value) == ("Iraq", 0, 3034374)
    assert (mosul.location, mosul.admin_level, mosul.pcode, mosul.value) == (
        "Mosul",
        2,
        "IQD083",
        95760,
    )
    assert mosul.category == "displaced" and mosul.unit == "people"
    assert mosul.claimant == "IOM DTM" and mosul.qualifier == "approx"
    assert mosul.period_start == mosul.period_end == pd.Timestamp("2016-12-15")
    assert (mosul.round, mosul.operation, mosul.cause) == ("60", "Example operation", "Conflict")
    assert mosul.report_id == "iom-dtm-irq-example-operation-r60-2016-12-15"
    assert pd.isna(country.origin_adm_1)  # "Not available"
    assert rejects[["id", "reason"]].to_dict("records") == [
        {"id": "7002", "reason": "reporting date '2016-12-32T00:00:00' is not an ISO date"}
    ]


def test_dtm_households_are_families(tmp_path):
    text = (FIXTURES / "dtm_hxl.csv").read_text("utf-8").splitlines()
    rows = [line + extra for line, extra in zip(
        text, [",numPresentIdpHH", ",#affected+idps+hh", ",600000", ",", ","], strict=True
    )]  # fmt: skip
    path = tmp_path / "dtm.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    claims, rejects = read_iom_dtm(path, errors="collect")
    assert list(zip(claims["location"], claims["unit"], claims["value"], strict=True)) == [
        ("Iraq", "people", 3034374), ("Iraq", "families", 600000), ("Mosul", "people", 95760)
    ]  # fmt: skip
    assert len(rejects) == 1


@needs(DTM)
def test_real_dtm_sample():
    claims, rejects = read_iom_dtm(DTM, errors="collect")
    assert (len(claims), len(rejects)) == (13367, 0) and data_rows(DTM) == 13367
    Claims.validate(claims)
    assert claims["admin_level"].value_counts().to_dict() == {2: 11378, 1: 1686, 0: 303}
    first = claims.iloc[0]  # Afghanistan, round 1, IDPs present displaced by conflict
    assert (first.location, first.cause, first.value) == ("Afghanistan", "Conflict", 179956)
    assert first.period_end == pd.Timestamp("2017-03-30") and first.source_line == 3
    level2 = claims[claims["admin_level"] == 2]
    assert level2["location"].notna().all() and level2["pcode"].notna().all()
