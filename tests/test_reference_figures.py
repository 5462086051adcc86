"""data/reference/figures.csv: loads, validates, and the schema rejects broken rows."""

import pandas as pd
import pandera.pandas as pa
import pytest
from support import DATA

from toolkit.reference_figures import (
    COLUMNS,
    ReferenceFigures,
    coerce_figures,
    read_reference_figures,
)

FIGURES = DATA / "reference" / "figures.csv"


@pytest.fixture(scope="module")
def figures():
    return read_reference_figures()


def figure(**over):
    row = dict(
        figure_id="b-test-left-2016-12-12", section="B", place="east Aleppo",
        category="displaced", measure="left east Aleppo, cumulative", flow_or_stock="flow",
        value=37000.0, qualifier="approx", value_low=37000.0, value_high=37000.0,
        unit="people", claimant="UN OCHA", via=None, period_start=None,
        period_end="2016-12-12", published="2016-12-12", citation="UN OCHA SitRep 6",
        url="https://example.org/sitrep-6", note=None,
    )  # fmt: skip
    row.update(over)
    return coerce_figures(pd.DataFrame([row]))


def fails(frame, match):
    with pytest.raises(pa.errors.SchemaErrors, match=match):
        ReferenceFigures.validate(frame, lazy=True)


def one(figures, **where):
    rows = figures
    for col, val in where.items():
        rows = rows[rows[col] == val]
    assert len(rows) == 1, where
    return rows.iloc[0]


def test_file_loads_and_validates(figures):
    assert list(figures.columns) == COLUMNS
    assert len(figures) > 50
    for col in ("period_start", "period_end", "published"):
        assert pd.api.types.is_datetime64_dtype(figures[col])
        assert (figures[col].dropna() == figures[col].dropna().dt.normalize()).all()


def test_default_path_is_the_repository_file(figures):
    assert figures.equals(read_reference_figures(FIGURES))


def test_places_are_in_the_gazetteer(figures):
    names = set(pd.read_csv(DATA / "gazetteer.csv")["name"])
    assert set(figures["place"]) <= names


def test_registered_claimants_use_canonical_names(figures):
    sources = pd.read_csv(DATA / "sources.csv", keep_default_na=False)
    canonical = {}
    for name, aliases in zip(sources["name"], sources["aliases"], strict=True):
        for alias in [name, *aliases.split("|")]:
            canonical.setdefault(alias.strip().lower(), name)
    for claimant in figures["claimant"]:
        assert canonical.get(claimant.lower(), claimant) == claimant


def test_valid_row_passes():
    ReferenceFigures.validate(figure(), lazy=True)


def test_rejects_duplicate_figure_id():
    fails(pd.concat([figure(), figure()], ignore_index=True), "field_uniqueness")


def test_rejects_bad_slug():
    fails(figure(figure_id="B Test"), "str_matches")


def test_rejects_bad_category():
    fails(figure(category="refugees"), "isin")


def test_rejects_up_to_with_value_low():
    fails(figure(qualifier="up_to", value_low=37000.0), "bounds must follow the qualifier")


def test_rejects_period_start_after_period_end():
    fails(figure(period_start="2016-12-13"), "period_start must not be after period_end")


def test_rejects_stock_over_several_days():
    fails(
        figure(category="population", flow_or_stock="stock", period_start="2016-12-10"),
        "a stock is as of one day",
    )


def test_rejects_url_without_scheme_and_empty_citation():
    fails(figure(url="reliefweb.int/report"), "str_matches")
    fails(figure(citation=""), "str_length")


def test_rejects_extra_column():
    fails(figure().assign(extra=1), "column_in_schema")


def test_ocha_sitrep6_left_east_aleppo(figures):
    row = one(
        figures, claimant="UN OCHA", category="displaced", value=37000.0,
        period_end=pd.Timestamp("2016-12-12"),
    )  # fmt: skip
    assert row["qualifier"] == "approx"
    assert row["place"] == "east Aleppo"
    assert row["value_low"] == row["value_high"] == 37000
    assert "Situation Report No. 6" in row["citation"]


def test_sohr_ninety_percent_on_12_december(figures):
    row = one(
        figures, claimant="Syrian Observatory for Human Rights", category="territory_share",
        period_end=pd.Timestamp("2016-12-12"),
    )  # fmt: skip
    assert row["value"] == 90
    assert row["unit"] == "percent"
    assert row["flow_or_stock"] == "stock"
    assert row["period_start"] == row["period_end"]


def test_composite_row_is_split_with_children_marked(figures):
    day = pd.Timestamp("2016-11-29")
    rows = figures[
        (figures["claimant"] == "Russian Ministry of Defence")
        & (figures["period_end"] == day)
        & (figures["published"] == day)
    ]
    assert sorted(rows["value"]) == [4000, 8500]
    kids = one(rows, value=4000.0)
    assert kids["qualifier"] == "approx" and "children" in kids["note"]
    assert one(rows, value=8500.0)["qualifier"] == "more_than"


def test_ocha_lower_bound_and_range_rows(figures):
    row = one(figures, value=53773.0)
    assert (row["qualifier"], row["value_low"]) == ("at_least", 53773)
    assert pd.isna(row["value_high"])
    held = one(figures, qualifier="range")
    assert pd.isna(held["value"]) and (held["value_low"], held["value_high"]) == (2e5, 3e5)


def test_mosul_snapshots_are_stocks(figures):
    mosul = figures[figures["section"] == "E"]
    assert len(mosul) >= 12
    assert (mosul["claimant"] == "IOM").all()
    assert set(mosul["unit"]) == {"people", "families"}
    snap = one(mosul, period_end=pd.Timestamp("2016-12-27"), value=115242.0)
    assert snap["flow_or_stock"] == "stock"
