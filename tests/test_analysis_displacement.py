"""Displacement analysis: claims as intervals, daily rates, the LP reconstruction, plots."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from toolkit.analysis import displacement as dis
from toolkit.plots import displacement as dplots

T = pd.Timestamp
NAN = float("nan")
HOSTILE = "<script>alert(1)</script>"


def curated(rows: list[dict]) -> pd.DataFrame:
    """A curated-claims-like frame (the columns `displacement_claims` reads)."""
    base = dict(
        unit="people", value=NAN, value_low=NAN, value_high=NAN, span_start=0, span_end=5,
        quote="x", evidence="x", outlet="Outlet", via=None, location="east Aleppo",
        period_start=pd.NaT, period_end=pd.NaT,
    )  # fmt: skip
    frame = pd.DataFrame([{**base, **r} for r in rows])
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def figures(rows: list[dict]) -> pd.DataFrame:
    """A reference-figures-like frame."""
    base = dict(
        unit="people", value=NAN, value_low=NAN, value_high=NAN, measure="left",
        citation="Sitrep", via=None, place="east Aleppo", period_start=pd.NaT,
        period_end=pd.NaT,
    )  # fmt: skip
    frame = pd.DataFrame([{**base, **r} for r in rows])
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def claims(rows: list[dict]) -> pd.DataFrame:
    """Claims already in the common layout of `displacement_claims`."""
    base = dict(
        source_kind="report", claimant="C", place="east Aleppo", category="displaced",
        flow_or_stock="flow", value=NAN, qualifier="exact", low=NAN, high=NAN,
        period_start=pd.NaT, period_end=pd.NaT, scope="total", start_assumed=False,
        evidence="words", citation="cite", outlet="Outlet",
    )  # fmt: skip
    frame = pd.DataFrame([{**base, **r} for r in rows])
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("value", "low", "high"):
        frame[col] = frame[col].astype("float64")
    frame["central"] = dis.central_value(frame["value"], frame["low"], frame["high"])
    frame["days"] = ((frame["period_end"] - frame["period_start"]).dt.days + 1).astype("Int64")
    return frame


def cons(rows: list[dict]) -> pd.DataFrame:
    """Constraints in the layout of `outflow_constraints`."""
    base = dict(
        source_kind="report", claimant="C", qualifier="exact", value=NAN, low=NAN,
        high=NAN, rule="as stated", evidence="words", citation="cite",
    )  # fmt: skip
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["first"], frame["last"] = pd.to_datetime(frame["first"]), pd.to_datetime(frame["last"])
    return frame[dis.CONSTRAINT_COLUMNS]


# three days, 1-3 Dec
S, E = "2016-12-01", "2016-12-03"
D1, D2, D3 = T("2016-12-01"), T("2016-12-02"), T("2016-12-03")


# --- claims as intervals ---------------------------------------------------------------


def test_central_value_prefers_value_then_midpoint_then_the_finite_bound():
    got = dis.central_value(
        pd.Series([5.0, NAN, NAN, NAN]),
        pd.Series([5.0, 2000.0, 10.0, NAN]),
        pd.Series([5.0, 9999.0, NAN, 20.0]),
    )
    assert got.tolist() == [5.0, 5999.5, 10.0, 20.0]


def test_displacement_claims_joins_reports_and_reference_in_one_layout():
    rep = curated(
        [
            dict(report_id="r1", category="displaced", value=50000.0, qualifier="more_than",
                 value_low=50000.0, claimant="SOHR", period_start="2016-11-26",
                 period_end="2016-12-01", span_start=608, span_end=631,
                 evidence="more than 50,000 people"),
            dict(report_id="r1", category="population", value=100000.0, qualifier="up_to",
                 value_high=100000.0, claimant="UN", period_start="2016-12-09",
                 period_end="2016-12-09", span_start=900),
            dict(report_id="r1", category="civilians_killed", value=21.0, qualifier="exact",
                 claimant="SOHR", period_start="2016-11-30", period_end="2016-11-30"),
            dict(report_id="r1", category="displaced", value=40.0, qualifier="exact",
                 unit="families", claimant="SOHR", period_end="2016-11-30"),
        ]
    )  # fmt: skip
    ref = figures(
        [
            dict(figure_id="ocha-1", category="displaced", flow_or_stock="flow",
                 value=37000.0, qualifier="approx", value_low=37000.0, value_high=37000.0,
                 claimant="UN OCHA", period_end="2016-12-12"),
        ]
    )  # fmt: skip
    out = dis.displacement_claims(rep, ref)
    assert list(out.columns) == dis.COLUMNS
    assert out["claim_id"].tolist() == ["r1@608", "r1@900", "ocha-1"]
    assert out["flow_or_stock"].tolist() == ["flow", "stock", "flow"]
    assert out["source_kind"].tolist() == ["report", "report", "reference"]
    assert out["days"].tolist()[:2] == [6, 1]
    assert pd.isna(out["days"].iloc[2])
    assert out["central"].tolist() == [50000.0, 100000.0, 37000.0]
    assert out.loc[0, "evidence"] == "more than 50,000 people"
    assert out.loc[2, "evidence"] == "left" and out.loc[2, "citation"] == "Sitrep"
    assert (out["scope"] == "total").all() and not out["start_assumed"].any()


def test_displacement_claims_without_figures_has_reports_only():
    rep = curated(
        [dict(report_id="r", category="displaced", value=5.0, qualifier="exact",
              value_low=5.0, value_high=5.0, claimant="A", period_end="2016-12-01")]
    )  # fmt: skip
    out = dis.displacement_claims(rep)
    assert out["source_kind"].tolist() == ["report"]


def test_mark_scope_sets_named_claims_and_rejects_unknown_ones():
    frame = claims([dict(claim_id="a"), dict(claim_id="b")])
    out = dis.mark_scope(frame, {"b": "part"})
    assert out["scope"].tolist() == ["total", "part"]
    with pytest.raises(KeyError):
        dis.mark_scope(frame, {"zzz": "part"})
    with pytest.raises(ValueError):
        dis.mark_scope(frame, {"a": "half"})


def test_assume_start_fills_only_open_starts_of_flows():
    frame = claims(
        [
            dict(claim_id="open", period_end="2016-12-12"),
            dict(claim_id="known", period_start="2016-12-10", period_end="2016-12-12"),
            dict(claim_id="stock", flow_or_stock="stock", period_end="2016-12-12"),
        ]
    )
    out = dis.assume_start(frame, ["open", "known", "stock"], "2016-11-24")
    assert out["period_start"].tolist()[:2] == [T("2016-11-24"), T("2016-12-10")]
    assert pd.isna(out["period_start"].iloc[2])
    assert out["start_assumed"].tolist() == [True, False, False]
    assert out["days"].iloc[0] == 19
    with pytest.raises(KeyError):
        dis.assume_start(frame, ["nope"], "2016-11-24")


# --- daily rates -------------------------------------------------------------------------


def test_daily_rates_divide_by_inclusive_days():
    frame = claims(
        [
            # "more than 50,000 since Saturday" (Sat 26 Nov to Thu 1 Dec: 6 days)
            dict(claim_id="since-sat", value=50000.0, qualifier="more_than", low=50000.0,
                 period_start="2016-11-26", period_end="2016-12-01"),
            # "about 50,000 in 48 hours" (9-10 Dec)
            dict(claim_id="48h", value=50000.0, qualifier="approx", low=50000.0,
                 high=50000.0, period_start="2016-12-09", period_end="2016-12-10"),
            dict(claim_id="open", value=9.0, low=9.0, high=9.0, period_end="2016-12-10"),
            dict(claim_id="stock", flow_or_stock="stock", value=9.0, low=9.0, high=9.0,
                 period_start="2016-12-10", period_end="2016-12-10"),
        ]
    )  # fmt: skip
    out = dis.daily_rates(frame)
    assert out["claim_id"].tolist() == ["since-sat", "48h"]
    assert out["rate"].iloc[0] == pytest.approx(50000 / 6)
    assert math.isnan(out["rate_high"].iloc[0])
    assert out["rate"].iloc[1] == 25000.0
    assert out["rate_low"].iloc[1] == out["rate_high"].iloc[1] == 25000.0


# --- constraints -----------------------------------------------------------------------


def test_outflow_constraints_apply_the_documented_rules():
    frame = claims(
        [
            dict(claim_id="approx", value=100.0, qualifier="approx", low=100.0, high=100.0,
                 period_start=S, period_end=E),
            dict(claim_id="part", value=30.0, low=30.0, high=30.0, scope="part",
                 period_start=D1, period_end=D2),
            dict(claim_id="within", value=30.0, low=30.0, high=30.0, scope="within",
                 period_start=D1, period_end=D2),
            dict(claim_id="open", qualifier="up_to", value=50.0, low=20.0, high=50.0,
                 period_end=D2),
            dict(claim_id="open-upper", qualifier="up_to", value=50.0, high=50.0,
                 period_end=D2),
            dict(claim_id="spills", value=70.0, low=70.0, high=70.0,
                 period_start="2016-11-28", period_end=D2),
            dict(claim_id="outside", value=70.0, low=70.0, high=70.0,
                 period_start="2016-11-20", period_end="2016-11-21"),
            dict(claim_id="elsewhere", place="Mosul", value=7.0, low=7.0, high=7.0,
                 period_start=D1, period_end=D1),
            dict(claim_id="stock", flow_or_stock="stock", value=7.0, low=7.0, high=7.0,
                 period_start=D1, period_end=D1),
            dict(claim_id="assumed", value=8.0, low=8.0, high=8.0, start_assumed=True,
                 period_start=D2, period_end=D3),
        ]
    )  # fmt: skip
    out = dis.outflow_constraints(frame, S, E).set_index("claim_id")
    assert sorted(out.index) == ["approx", "assumed", "open", "part", "spills"]
    assert (out.loc["approx", "low"], out.loc["approx", "high"]) == pytest.approx((90, 110))
    assert out.loc["part", "low"] == 30 and math.isnan(out.loc["part", "high"])
    assert out.loc["open", "first"] == D1 and out.loc["open", "low"] == 20
    assert math.isnan(out.loc["open", "high"])
    assert out.loc["spills", "first"] == D1 and out.loc["spills", "high"] == 70
    assert math.isnan(out.loc["spills", "low"])
    assert "start assumed: 2016-12-02" in out.loc["assumed", "rule"]
    assert "approx: ±10%" in out.loc["approx", "rule"]


# --- the linear programme --------------------------------------------------------------


def test_band_of_three_days_matches_hand_solution():
    # 10 over days 1-2, at most 4 on day 2, exactly 6 on day 3
    c = cons(
        [
            dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0),
            dict(claim_id="b", first=D2, last=D2, high=4.0),
            dict(claim_id="c", first=D3, last=D3, low=6.0, high=6.0),
        ]
    )
    assert dis.is_feasible(c, S, E)
    band = dis.cumulative_band(c, S, E)
    assert band["day"].tolist() == [D1, D2, D3]
    assert band["cum_min"].tolist() == pytest.approx([6, 10, 16])
    assert band["cum_max"].tolist() == pytest.approx([10, 10, 16])
    assert band["day_min"].tolist() == pytest.approx([6, 0, 6])
    assert band["day_max"].tolist() == pytest.approx([10, 4, 6])


def test_band_since_a_later_day_counts_from_that_day():
    c = cons(
        [
            dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0),
            dict(claim_id="c", first=D3, last=D3, low=6.0, high=6.0),
        ]
    )
    band = dis.cumulative_band(c, S, E, since=D2)
    assert band["day"].tolist() == [D2, D3]
    assert band["cum_min"].tolist() == pytest.approx([0, 6])
    assert band["cum_max"].tolist() == pytest.approx([10, 16])


def test_period_totals_are_unbounded_without_an_upper_bound():
    c = cons([dict(claim_id="a", first=D1, last=D2, low=10.0)])
    out = dis.period_totals(c, S, E, pd.DataFrame({"first": [D1, D3], "last": [D2, D3]}))
    assert out["total_min"].tolist() == pytest.approx([10, 0])
    assert np.isinf(out["total_max"]).all()


def test_period_totals_raise_when_the_claims_cannot_hold():
    c = cons(
        [
            dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0),
            dict(claim_id="b", first=D2, last=D2, low=15.0),
        ]
    )
    assert not dis.is_feasible(c, S, E)
    with pytest.raises(dis.InfeasibleClaims):
        dis.period_totals(c, S, E, pd.DataFrame({"first": [D1], "last": [D1]}))


def test_conflicting_claims_finds_disjoint_irreducible_groups():
    c = cons(
        [
            dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0),
            dict(claim_id="b", first=D2, last=D2, low=15.0),
            dict(claim_id="ok", first=D1, last=D3, low=1.0),
            dict(claim_id="c", first=D3, last=D3, high=5.0),
            dict(claim_id="d", first=D3, last=D3, low=8.0),
        ]
    )
    out = dis.conflicting_claims(c, S, E)
    groups = out.groupby("group")["claim_id"].apply(sorted).to_dict()
    assert groups == {1: ["a", "b"], 2: ["c", "d"]}


def test_conflicting_claims_is_empty_when_all_hold():
    c = cons([dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0)])
    assert dis.conflicting_claims(c, S, E).empty


def test_fewest_to_drop_prefers_one_claim_over_two_and_respects_keep():
    c = cons(
        [
            dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0),
            dict(claim_id="b", first=D2, last=D2, low=15.0),
            dict(claim_id="b2", first=D1, last=D2, low=12.0),
        ]
    )
    assert dis.fewest_to_drop(c, S, E) == ["a"]
    assert dis.fewest_to_drop(c, S, E, keep=["a"]) == ["b", "b2"]
    assert dis.fewest_to_drop(c[c["claim_id"] == "a"], S, E) == []
    with pytest.raises(dis.InfeasibleClaims):
        dis.fewest_to_drop(c, S, E, keep=["a", "b"])


def test_reconstruct_outflow_drops_the_fewest_and_reports_the_conflict():
    frame = claims(
        [
            dict(claim_id="a", value=10.0, low=10.0, high=10.0, period_start=D1,
                 period_end=D2, claimant="A"),
            dict(claim_id="b", value=15.0, qualifier="at_least", low=15.0, period_start=D2,
                 period_end=D2, claimant="B"),
            dict(claim_id="b2", value=12.0, qualifier="at_least", low=12.0, period_start=D1,
                 period_end=D2, claimant="B"),
            dict(claim_id="c", value=6.0, low=6.0, high=6.0, period_start=D3,
                 period_end=D3, claimant="C"),
        ]
    )  # fmt: skip
    band, conflicts = dis.reconstruct_outflow(frame, S, E)
    assert conflicts.set_index("claim_id")["dropped"].to_dict() == {"a": True, "b": False}
    assert conflicts["group"].tolist() == [1, 1]
    # without a: at least 15 on day 2 (b), 6 on day 3
    assert band["cum_min"].tolist() == pytest.approx([0, 15, 21])
    assert np.isinf(band["cum_max"]).all()


def test_implied_totals_set_reference_against_the_claims():
    c = cons(
        [
            dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0),
            dict(claim_id="b", first=D3, last=D3, low=4.0),
        ]
    )
    ref = claims(
        [
            dict(claim_id="r1", source_kind="reference", value=5.0, low=5.0, high=5.0,
                 period_start=D1, period_end=D2),
            dict(claim_id="r2", source_kind="reference", value=7.0, low=7.0, high=7.0,
                 period_end=D3),
            dict(claim_id="late", source_kind="reference", value=7.0, period_end="2017-01-01"),
        ]
    )  # fmt: skip
    out = dis.implied_totals(c, S, E, ref).set_index("claim_id")
    assert sorted(out.index) == ["r1", "r2"]
    assert out.loc["r1", "ratio_min"] == pytest.approx(0.5)
    assert out.loc["r1", "ratio_max"] == pytest.approx(0.5)
    assert out.loc["r2", "first"] == D1 and out.loc["r2", "total_min"] == pytest.approx(14)
    assert math.isnan(out.loc["r2", "ratio_max"])


def test_compare_with_reference_pairs_similar_periods_and_compares_rates():
    frame = claims(
        [
            dict(claim_id="sohr", value=50000.0, qualifier="more_than", low=50000.0,
                 period_start="2016-11-27", period_end="2016-11-30"),
            dict(claim_id="part", value=20000.0, low=20000.0, high=20000.0, scope="part",
                 period_start="2016-11-27", period_end="2016-11-30"),
            dict(claim_id="ocha", source_kind="reference", value=31500.0, qualifier="approx",
                 low=31500.0, high=31500.0, period_start="2016-11-24",
                 period_end="2016-11-30"),
            dict(claim_id="long", source_kind="reference", value=80000.0, low=80000.0,
                 high=80000.0, period_start="2016-11-01", period_end="2016-11-30"),
        ]
    )  # fmt: skip
    out = dis.compare_with_reference(frame)
    assert out[["claim_id", "claim_id_ref"]].values.tolist() == [["sohr", "ocha"]]
    row = out.iloc[0]
    assert row["overlap_days"] == 4 and row["overlap_share"] == pytest.approx(4 / 7)
    assert row["ratio"] == pytest.approx(50000 / 31500)
    assert row["difference"] == 18500
    assert row["rate_ratio"] == pytest.approx(12500 / 4500)
    assert not row["same_period"]


# --- plots -------------------------------------------------------------------------------


def plot_claims() -> pd.DataFrame:
    return claims(
        [
            dict(claim_id="f1", claimant=HOSTILE, value=50.0, low=50.0, high=50.0,
                 period_start=D1, period_end=D2, evidence="<b>fifty</b>"),
            dict(claim_id="s1", claimant=HOSTILE, flow_or_stock="stock", value=9.0,
                 qualifier="up_to", high=9.0, period_start=D2, period_end=D2),
            dict(claim_id="f2", claimant="B", value=20.0, qualifier="more_than", low=20.0,
                 period_end=D3),
        ]
    )  # fmt: skip


def test_claimant_colours_are_distinct_and_favour_frequent_claimants():
    colours = dplots.claimant_colours(pd.Series(["b", "a", "b", None, "c"]))
    assert list(colours) == ["b", "a", "c"]
    assert len(set(colours.values())) == 3
    assert colours["b"] == dplots.PALETTE[0]


def assert_escaped(fig: go.Figure) -> None:
    text = fig.to_json()
    assert "&lt;script&gt;" in text
    assert "<script>" not in text and "\\u003cscript\\u003e" not in text


def test_claims_timeline_draws_flows_and_stocks_apart_and_escapes_text():
    fig = dplots.claims_timeline(plot_claims())
    assert isinstance(fig, go.Figure)
    # segments + markers for: hostile flows, hostile stocks, B flows
    assert len(fig.data) == 6
    assert {t.yaxis for t in fig.data} == {"y", "y2"}
    assert_escaped(fig)
    assert "&lt;b&gt;fifty&lt;" in fig.to_json()


def test_rates_chart_has_two_traces_per_claimant():
    rates = dis.daily_rates(plot_claims())
    fig = dplots.rates_chart(rates)
    assert len(fig.data) == 2
    assert fig.data[1].y[0] == 25.0
    assert_escaped(fig)


def test_band_chart_marks_unbounded_days_and_dropped_claims():
    c = cons(
        [
            dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0, claimant=HOSTILE),
            dict(claim_id="b", first=D3, last=D3, low=4.0, claimant="B"),
        ]
    )
    band = dis.cumulative_band(c, S, E)
    fig = dplots.band_chart(band, c, dropped=["b"])
    assert len(fig.data) == 4
    assert len(fig.data[1].x) == 1  # day 3 has no upper limit
    assert list(fig.data[3].marker.symbol) == ["x"]
    assert_escaped(fig)
    # a band from day 2 leaves out the claim that starts before it
    later = dplots.band_chart(dis.cumulative_band(c, S, E, since=D2), c)
    assert len(later.data) == 3


def test_reference_chart_shows_range_and_figure():
    c = cons([dict(claim_id="a", first=D1, last=D2, low=10.0, high=10.0)])
    ref = claims(
        [dict(claim_id="r", claimant=HOSTILE, source_kind="reference", value=5.0, low=5.0,
              high=5.0, period_start=D1, period_end=D2)]
    )  # fmt: skip
    fig = dplots.reference_chart(dis.implied_totals(c, S, E, ref))
    assert len(fig.data) == 3
    assert fig.data[1].x[0] == 5.0
    assert_escaped(fig)


def test_readings_file_is_valid_and_names_known_figures(tmp_path):
    from toolkit.analysis.dataset import load_dataset

    readings = dis.read_readings()
    ds = load_dataset()
    known = set(dis.displacement_claims(ds.claims, ds.figures)["claim_id"])
    assert set(readings["claim_id"]) <= known
    assert readings["reason"].notna().all()
    bad = tmp_path / "r.csv"
    bad.write_text("claim_id,scope,assumed_start,reason\nx,sideways,,because\n", encoding="utf-8")
    with pytest.raises(ValueError, match="scope must be one of"):
        dis.read_readings(bad)
