"""Front movement: territory shares, the denominator conversion, control events, Raqa, Palmyra."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from toolkit.analysis import front as F
from toolkit.plots import front as P

EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
NAN = float("nan")


def claim(category, value, qualifier, low, high, location, claimant, day, actor="gov", span=0):
    return {
        "report_id": f"r-{day}", "category": category, "value": value, "qualifier": qualifier,
        "value_low": low, "value_high": high, "unit": "percent", "location": location,
        "actor": actor, "claimant": claimant, "period_start": pd.Timestamp(day),
        "period_end": pd.Timestamp(day), "span_start": span, "span_end": span + 10,
        "evidence": f"{value} of {location}",
    }  # fmt: skip


def figure_text(fig: go.Figure) -> str:
    """The figure's JSON with plotly's own escapes (\\u003c, \\u002f) undone."""
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


@pytest.fixture
def claims():
    return pd.DataFrame(
        [
            claim("territory_share", 93, "exact", 93, 93, "Aleppo", "MoD", "2016-12-10", span=5),
            claim("territory_share", 85, "more_than", 85, NAN, "east Aleppo", "AFP", "2016-12-11"),
            claim("territory_share", 50, "almost", NAN, 50, "eastern Mosul", "AFP", "2016-12-11"),
            claim("displaced", 5000, "exact", 5000, 5000, "east Aleppo", "AFP", "2016-12-11"),
            claim("front_distance", 25, "approx", 25, 25, "Raqa", "AFP", "2016-12-01", "SDF"),
            claim("front_distance", 25, "at_most", NAN, 25, "Raqa", "AFP", "2016-12-11", "SDF"),
            claim("front_distance", 90, "approx", 90, 90, "Damascus", "X", "2016-12-11"),
            claim("territory_share", 100, "exact", 100, 100, "Palmyra", "SOHR", "2016-12-11", "IS"),
        ]
    )


@pytest.fixture
def figures():
    return pd.DataFrame(
        {
            "figure_id": ["c-ocha-5", "c-sohr-90", "d-toll"],
            "place": ["east Aleppo", "east Aleppo", "east Aleppo"],
            "category": ["territory_share", "territory_share", "civilians_killed"],
            "measure": ["still held by armed groups", "held by the government", "killed"],
            "value": [5.0, 90.0, 400.0],
            "qualifier": ["exact", "exact", "exact"],
            "value_low": [5.0, 90.0, 400.0],
            "value_high": [5.0, 90.0, 400.0],
            "claimant": ["UN OCHA", "SOHR", "SOHR"],
            "period_end": pd.to_datetime(["2016-12-13", "2016-12-12", "2016-12-12"]),
            "citation": ["OCHA sitrep 7", "ksa2day", "x"],
        }
    )


def event(place, actor, action, day, stance="asserted", claimant="C", span=0):
    return {
        "report_id": "r", "place": place, "actor": actor, "action": action, "stance": stance,
        "claimant": claimant, "date": pd.Timestamp(day) if day else pd.NaT,
        "span_start": span, "span_end": span + 5, "evidence": f"{actor} {action} {place}",
    }  # fmt: skip


@pytest.fixture
def events():
    return pd.DataFrame(
        [
            event("Sheikh Saeed", "gov", "repelled", "2016-11-30", claimant="rebel official"),
            event("Sheikh Saeed", "gov", "captured", "2016-11-30", claimant="army"),
            event("Sheikh Saeed", "gov", "captured", "2016-11-30", stance="denied"),
            event("Sheikh Saeed", "rebels", "holds", "2016-11-30"),
            event("Palmyra", "IS", "captured", "2016-12-11"),
            event("Palmyra", "gov", "withdrew", "2016-12-11"),
            event("Palmyra", "gov", "captured", None),
            event("Palmyra", "IS", "captured", None),
            event("Nowhere", "rebels", "holds", "2016-12-01"),
        ]
    )


@pytest.fixture
def gazetteer():
    return pd.DataFrame(
        {
            "name": ["Sheikh Saeed", "Palmyra", "Raqa", "Ain Issa", "Nowhere", "A", "B"],
            "kind": ["district", "city", "city", "city", "village", "city", "city"],
            "parent": ["Aleppo", "Homs governorate", None, None, None, None, None],
            "latitude": [36.16, 34.5624, 35.95, 36.39, NAN, 0.0, 1.0],
            "longitude": [37.17, 38.284, 39.01, 38.86, NAN, 0.0, 0.0],
            "coord_precision_km": [1.5, 3.0, 4.0, 2.0, NAN, 1.0, 1.0],
        }
    )


@pytest.fixture
def areas():
    return pd.DataFrame(
        {"part": ["east Aleppo"], "whole": ["Aleppo"], "ratio": [0.4], "ratio_low": [0.3],
         "ratio_high": [0.55], "provenance": ["analyst assumption"]}
    )  # fmt: skip


# --- territory shares ---------------------------------------------------------------------


def test_territory_shares_joins_claims_and_figures(claims, figures):
    s = F.territory_shares(claims, figures)
    assert list(s["place"]) == ["Aleppo", "Palmyra", "east Aleppo", "east Aleppo", "east Aleppo",
                                "eastern Mosul"]  # fmt: skip
    east = s[s["place"] == "east Aleppo"]
    assert list(east["ref"]) == ["r-2016-12-11", "c-sohr-90", "c-ocha-5"]
    assert list(east["source"]) == ["report", "reference", "reference"]
    row = s.iloc[0]
    assert row["citation"] == "r-2016-12-10 [5:15]" and row["value"] == 93
    assert s.loc[s["ref"] == "c-ocha-5", "evidence"].item() == "still held by armed groups"
    assert F.territory_shares(claims).shape[0] == 4


def test_territory_shares_empty(claims):
    assert F.territory_shares(claims.iloc[:0]).empty


def test_complement_shares_flips_value_bounds_and_qualifier(claims, figures):
    s = F.territory_shares(claims, figures)
    s["value_high"] = s["value_high"].where(s["ref"] != "c-sohr-90", NAN)
    s.loc[s["ref"] == "c-sohr-90", "qualifier"] = "at_least"
    c = F.complement_shares(s, ["c-ocha-5", "c-sohr-90"])
    ocha = c[c["ref"] == "c-ocha-5"].iloc[0]
    assert (ocha["value"], ocha["value_low"], ocha["value_high"]) == (95, 95, 95)
    assert ocha["evidence"].endswith("[shown as 100 minus 5]") and ocha["complemented"]
    sohr = c[c["ref"] == "c-sohr-90"].iloc[0]
    assert sohr["qualifier"] == "at_most" and math.isnan(sohr["value_low"])
    assert sohr["value_high"] == 10
    assert c["complemented"].sum() == 2
    assert s.loc[s["ref"] == "c-ocha-5", "value"].item() == 5  # input untouched


def test_bound_kind():
    f = pd.DataFrame({"value_low": [1, 1, NAN, 1, NAN], "value_high": [1, NAN, 2, 3, NAN]})
    assert list(F.bound_kind(f)) == ["point", "lower bound", "upper bound", "range", "unknown"]


def test_share_timeline_filters_and_orders_places(claims, figures):
    t = F.share_timeline(F.territory_shares(claims, figures))
    assert list(t["place"]) == ["east Aleppo"] * 3 + ["Aleppo", "eastern Mosul"]
    assert list(t["bound"]) == ["lower bound", "point", "point", "point", "upper bound"]
    assert "complemented" not in t
    t2 = F.share_timeline(F.territory_shares(claims), places=["eastern Mosul"])
    assert t2["value_high"].tolist() == [50]


def test_share_change_per_place_and_claimant():
    t = pd.DataFrame(
        {
            "place": ["p", "p", "p", "q"], "claimant": ["A", "B", "A", "A"],
            "as_of": pd.to_datetime(["2016-12-01", "2016-12-03", "2016-12-05", "2016-12-02"]),
            "qualifier": "exact", "value": [40.0, 50.0, 60.0, 10.0], "ref": ["1", "2", "3", "4"],
        }
    )  # fmt: skip
    by_place = F.share_change(t).set_index("place")
    assert by_place.loc["p", "change_pp"] == 20 and by_place.loc["p", "days"] == 4
    assert by_place.loc["p", "pp_per_day"] == 5 and by_place.loc["p", "n_claims"] == 3
    assert by_place.loc["p", "last_claimant"] == "A" and by_place.loc["p", "n_claimants"] == 2
    assert math.isnan(by_place.loc["q", "pp_per_day"])
    by_claimant = F.share_change(t, by=["place", "claimant"]).set_index(["place", "claimant"])
    assert by_claimant.loc[("p", "A"), "change_pp"] == 20
    assert by_claimant.loc[("p", "B"), "n_claims"] == 1
    assert "first_claimant" not in by_claimant


# --- the denominator problem --------------------------------------------------------------


def test_part_to_whole_and_back():
    assert F.part_to_whole(85, 0.4) == pytest.approx(94.0)
    assert F.whole_to_part(94, 0.4) == pytest.approx(85.0)
    assert F.whole_to_part(93, 0.5) == pytest.approx(86.0)
    assert F.part_to_whole(50, 0.5, rest=90) == pytest.approx(70.0)
    s = np.array([0.0, 33.3, 100.0])
    assert np.allclose(F.whole_to_part(F.part_to_whole(s, 0.3), 0.3), s)
    assert F.whole_to_part(50, 0.4) < 0  # the west alone is 60% of the city


def test_convert_share_both_directions(areas):
    assert F.convert_share(85, "east Aleppo", "Aleppo", 0.4, areas) == pytest.approx(94)
    assert F.convert_share(94, "Aleppo", "east Aleppo", 0.4, areas) == pytest.approx(85)
    with pytest.raises(KeyError):
        F.convert_share(50, "eastern Mosul", "Mosul", 0.5, areas)


def test_implied_ratio():
    assert F.implied_ratio(93, 85) == pytest.approx(7 / 15)
    assert F.implied_ratio(99, 98) == pytest.approx(0.5)
    assert math.isnan(F.implied_ratio(99, 100))
    r = F.implied_ratio([93, 99], [85, 95])
    assert np.allclose(r, [7 / 15, 0.2])
    # at the implied ratio both claims agree exactly
    assert F.part_to_whole(85, F.implied_ratio(93, 85)) == pytest.approx(93)


def test_read_area_ratios_and_lookup(tmp_path):
    areas = F.read_area_ratios()
    row = F.area_ratio(areas, "east Aleppo", "Aleppo")
    assert row["ratio_low"] <= row["ratio"] <= row["ratio_high"]
    assert "assumption" in row["provenance"] and row["status"] == "analyst assumption"
    with pytest.raises(KeyError):
        F.area_ratio(areas, "Aleppo", "east Aleppo")
    bad = tmp_path / "areas.csv"
    bad.write_text("part,whole,ratio,ratio_low,ratio_high\na,b,0.6,0.3,0.5\n")
    with pytest.raises(ValueError):
        F.read_area_ratios(bad)


def test_ratio_grid_includes_ends_and_central():
    g = F.ratio_grid(pd.Series({"ratio": 0.425, "ratio_low": 0.3, "ratio_high": 0.5}), 0.1)
    assert list(g) == [0.3, 0.4, 0.425, 0.5]
    a = pd.Series({"ratio": 0.4, "ratio_low": 0.3, "ratio_high": 0.95})
    wide = F.ratio_grid(a, 0.1, margin=0.2)
    assert wide[0] == pytest.approx(0.1) and wide[-1] == 1.0 and len(wide) == 10


def test_sensitivity_and_agreement_range():
    whole = pd.Series({"value": 93.0, "value_low": 93.0, "value_high": 93.0})
    part = pd.Series({"value": 85.0, "value_low": 85.0, "value_high": NAN})
    s = F.sensitivity(whole, part, [0.3, 0.4, 7 / 15, 0.5])
    assert s["part_from_whole"].round(3).tolist() == [76.667, 82.5, 85.0, 86.0]
    assert s["whole_from_part"].round(2).tolist() == [95.5, 94.0, 93.0, 92.5]
    assert s["agree"].tolist() == [False, False, True, True]
    assert s["part_claim_high"].tolist() == [100.0] * 4
    assert s["gap_pp"].round(1).tolist() == [-8.3, -2.5, 0.0, 1.0]
    assert F.agreement_range(s) == pytest.approx((7 / 15, 0.5))
    # an exact part claim agrees only at the implied ratio
    exact = pd.Series({"value": 85.0, "value_low": 85.0, "value_high": 85.0})
    assert F.sensitivity(whole, exact, [0.4, 0.5])["agree"].tolist() == [False, False]
    assert F.agreement_range(F.sensitivity(whole, exact, [0.4, 0.5])) is None


def test_implied_ratios_pairs_within_days(claims, figures):
    s = F.complement_shares(F.territory_shares(claims, figures), ["c-ocha-5"])
    pairs = F.implied_ratios(s, max_days=2)
    assert pairs["part_ref"].tolist() == ["r-2016-12-11", "c-sohr-90"]
    assert pairs["day_gap"].tolist() == [-1, -2]
    assert np.allclose(pairs["implied_ratio"], [7 / 15, 0.7])
    assert len(F.implied_ratios(s, max_days=1)) == 1
    assert len(F.implied_ratios(s, max_days=3)) == 3


def test_claim_label():
    row = pd.Series(
        {"claimant": "MoD", "evidence": "93% of Aleppo", "as_of": pd.Timestamp("2016-12-10")}
    )
    assert F.claim_label(row) == "MoD: 93% of Aleppo (2016-12-10)"


# --- control events -----------------------------------------------------------------------


def test_events_with_coordinates_keeps_unplaced(events, gazetteer):
    e = F.events_with_coordinates(events, gazetteer)
    assert len(e) == len(events)
    saeed = e[e["place"] == "Sheikh Saeed"].iloc[0]
    assert (saeed["lat"], saeed["lon"], saeed["precision_km"]) == (36.16, 37.17, 1.5)
    assert saeed["place_parent"] == "Aleppo"
    missing = F.unplaced(e)
    assert missing["place"].tolist() == ["Nowhere"]
    assert e["has_coordinates"].sum() == 8


def test_contested_places(events):
    c = F.contested_places(events).set_index("place")
    saeed = c.loc["Sheikh Saeed"]
    assert saeed["contested"] and saeed["n_events"] == 4
    assert saeed["reason"] == "denial; rival holders; gain and loss"
    palmyra = c.loc["Palmyra"]
    assert palmyra["contested"].tolist() == [False, False]  # dated: IS gains, gov withdraws
    assert not c.loc["Nowhere", "contested"]


def test_contested_undated_only_by_denial():
    e = pd.DataFrame([event("X", "a", "captured", None), event("X", "b", "captured", None)])
    assert not F.contested_places(e)["contested"].item()
    e = pd.DataFrame([event("X", "a", "captured", None, stance="denied")])
    assert F.contested_places(e)["reason"].item() == "denial"


def test_mark_contested_and_event_counts(events):
    m = F.mark_contested(events)
    assert len(m) == len(events)
    assert m.loc[m["place"] == "Sheikh Saeed", "contested"].all()
    assert not m.loc[m["place"] == "Palmyra", "contested"].any()
    n = F.event_counts(events).set_index(["place", "dated"])
    assert n.loc[("Palmyra", False), "captured"] == 2
    assert n.loc[("Palmyra", True), "withdrew"] == 1
    assert n.loc[("Sheikh Saeed", True), "captured"] == 2


# --- Raqa and Palmyra ---------------------------------------------------------------------


def test_front_distances(claims):
    d = F.front_distances(claims)
    assert d["as_of"].dt.strftime("%Y-%m-%d").tolist() == ["2016-12-01", "2016-12-11"]
    assert d["bound"].tolist() == ["point", "upper bound"]
    assert d["value_high"].tolist() == [25, 25]
    assert F.front_distances(claims, "Damascus")["value"].tolist() == [90]


def test_place_record(claims, events):
    r = F.place_record(claims, events, ["Palmyra"])
    assert r["kind"].tolist() == ["event", "event", "claim", "event", "event"]
    assert r.loc[r["kind"] == "claim", "value"].tolist() == [100]
    assert r["date"].isna().sum() == 2  # undated events last


def test_distance_km(gazetteer):
    assert F.distance_km(gazetteer, "A", "B") == pytest.approx(111.19, abs=0.01)
    assert F.distance_km(gazetteer, "Ain Issa", "Raqa") == pytest.approx(
        F.distance_km(gazetteer, "Raqa", "Ain Issa")
    )


# --- plots --------------------------------------------------------------------------------


def test_share_timeline_figure_escapes_and_counts(claims):
    claims = claims.copy()
    claims.loc[0, "claimant"] = EVIL
    t = F.share_timeline(F.territory_shares(claims))
    fig = P.share_timeline_figure(t)
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 3  # one trace per place and claimant
    js = figure_text(fig)
    assert ESCAPED in js and EVIL not in js
    assert [d.showlegend for d in fig.data].count(True) == 2  # AFP shown once


def test_conversion_figure():
    whole = pd.Series({"value": 93.0, "value_low": 93.0, "value_high": 93.0})
    part = pd.Series({"value": 85.0, "value_low": 85.0, "value_high": NAN})
    s = F.sensitivity(whole, part, [0.3, 0.4, 0.5])
    a = pd.Series({"ratio": 0.4, "ratio_low": 0.3, "ratio_high": 0.5})
    fig = P.conversion_figure(s, a, 7 / 15, f"{EVIL}: 93%", "AFP: 85%")
    assert len(fig.data) == 5
    js = figure_text(fig)
    assert ESCAPED in js and EVIL not in js
    assert P.conversion_figure(s, a, NAN, "w", "p").data[-1].name != "implied ratio nan"


def test_event_map_figure(events, gazetteer):
    ev = events.copy()
    ev.loc[0, "claimant"] = EVIL
    e = F.mark_contested(F.events_with_coordinates(ev, gazetteer))
    fig = P.event_map_figure(e, offset_km=0.3)
    # actions present with coordinates: captured, repelled, withdrew, holds; plus names
    assert [d.name for d in fig.data[:-1]] == ["captured", "repelled", "withdrew", "holds"]
    assert fig.layout.yaxis.scaleanchor == "x"
    assert all(d.type == "scatter" for d in fig.data)
    js = figure_text(fig)
    assert ESCAPED in js and EVIL not in js
    assert "mapbox" not in js and "geo" not in fig.layout.to_plotly_json()
    holds = fig.data[3]
    assert "Nowhere" not in "".join(holds.hovertext)


def test_event_timeline_figure(events):
    ev = events.copy()
    ev.loc[1, "evidence"] = EVIL
    fig = P.event_timeline_figure(ev)
    names = [d.name for d in fig.data]
    assert names == ["captured (asserted)", "captured (denied)", "repelled (asserted)",
                     "withdrew (asserted)", "holds (asserted)"]  # fmt: skip
    assert sum(len(d.x) for d in fig.data) == 7  # two undated events left out
    js = figure_text(fig)
    assert ESCAPED in js and EVIL not in js


def test_front_distance_figure(claims):
    c = claims.copy()
    c.loc[c["category"] == "front_distance", "claimant"] = EVIL
    fig = P.front_distance_figure(F.front_distances(c))
    assert len(fig.data) == 1 and list(fig.data[0].y) == [25, 25]
    assert list(fig.data[0].marker.symbol) == ["circle", "triangle-down"]
    js = figure_text(fig)
    assert ESCAPED in js and EVIL not in js
