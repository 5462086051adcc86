"""Source disagreement: claimant tables, republication, cross-claimant ratios, framing."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from toolkit import lexicons
from toolkit.analysis import disagreement as d
from toolkit.plots import disagreement as pd_plots

NaN = float("nan")
EVIL = "<script>alert(1)</script>"


def claim(report, claimant, value=NaN, low=NaN, high=NaN, start=None, end="2016-12-01", **kw):
    """One claims row with sensible defaults (displaced people from east Aleppo)."""
    row = {
        "report_id": report,
        "category": "displaced",
        "value": value,
        "qualifier": "exact",
        "value_low": low if not math.isnan(low) else value,
        "value_high": high if not math.isnan(high) else value,
        "unit": "people",
        "location": "east Aleppo",
        "actor": pd.NA,
        "claimant": claimant,
        "period_start": pd.Timestamp(start) if start else pd.NaT,
        "period_end": pd.Timestamp(end) if end else pd.NaT,
        "span_start": 0,
        "span_end": 5,
        "evidence": f"{value} people",
        "outlet": {"r1": "AFP", "r2": "Arab Today", "r3": "Press TV"}.get(report, "Other"),
    }
    row.update(kw)
    return row


def frame(*rows):
    return pd.DataFrame(list(rows))


@pytest.fixture
def reports():
    return pd.DataFrame(
        {
            "report_id": ["r1", "r2", "r3"],
            "outlet": ["AFP", "Arab Today", "Press TV"],
            "via": ["AFP", "AFP", pd.NA],
            "body": [
                "Rebels held the east. The regime shelled rebel-held areas.",
                "The so-called rebels and the government.",
                "Foreign-backed militants and terrorists fled; a terrorist, regimes and Regime's.",
            ],
        }
    )


# ----------------------------------------------------------------------------- who says what


def test_claimant_by_outlet_counts_and_order():
    claims = frame(claim("r1", "SOHR"), claim("r1", "SOHR"), claim("r2", "SOHR"), claim("r3", "X"))
    m = d.claimant_by_outlet(claims)
    assert list(m.index) == ["SOHR", "X"]
    assert list(m.columns) == ["AFP", "Arab Today", "Press TV"]
    assert m.loc["SOHR", "AFP"] == 2 and m.loc["SOHR", "Arab Today"] == 1
    assert m.loc["X", "Press TV"] == 1 and m.loc["X", "AFP"] == 0


def test_republication_chains_via_and_own_voice(reports):
    claims = frame(claim("r1", "SOHR"), claim("r2", "AFP"), claim("r2", "SOHR"), claim("r3", "X"))
    ch = d.republication_chains(claims, reports)
    rows = {(r.outlet, r.via, r.claimant): (r.kind, r.claims) for r in ch.itertuples()}
    assert rows[("Arab Today", "AFP", "AFP")] == ("own voice", 1)
    assert rows[("Arab Today", "AFP", "SOHR")] == ("attributed", 1)
    # no via: the outlet's own copy
    assert rows[("Press TV", "Press TV", "X")] == ("attributed", 1)
    assert ch["claims"].sum() == 4


def test_distinct_claims_collapses_one_wire_story_carried_by_two_outlets():
    claims = frame(
        claim(
            "r1",
            "SOHR",
            50000,
            start="2016-11-26",
            end="2016-12-01",
            qualifier="more_than",
            value_high=NaN,
        ),
        claim(
            "r2",
            "SOHR",
            50000,
            start="2016-11-27",
            end="2016-11-30",
            qualifier="more_than",
            value_high=NaN,
            outlet="Al Arabiya",
        ),
        # same words, a fortnight later: a new statement
        claim(
            "r3",
            "SOHR",
            50000,
            start="2016-12-14",
            end="2016-12-15",
            qualifier="more_than",
            value_high=NaN,
        ),
        # another claimant with the same figure stays apart
        claim(
            "r1",
            "AFP",
            50000,
            start="2016-11-26",
            end="2016-12-01",
            qualifier="more_than",
            value_high=NaN,
        ),
    )
    out = d.distinct_claims(claims)
    assert len(out) == 3
    merged = out[out["n_reports"] == 2].iloc[0]
    assert merged["claimant"] == "SOHR"
    assert merged["outlets"] == "AFP; Al Arabiya" and merged["n_outlets"] == 2
    assert merged["period_start"] == pd.Timestamp("2016-11-26")
    assert merged["period_end"] == pd.Timestamp("2016-12-01")
    assert merged["spans"] == "r1:0-5; r2:0-5"
    # a wider gap merges the later repeat too
    assert len(d.distinct_claims(claims, gap_days=14)) == 2


def test_distinct_claims_keeps_vague_amounts_with_missing_value_as_keys():
    claims = frame(
        claim("r1", "AFP", NaN, low=2000, high=9999, qualifier="vague", end="2016-12-01"),
        claim("r2", "AFP", NaN, low=2000, high=9999, qualifier="vague", end="2016-12-01"),
        claim("r2", "AFP", NaN, low=2000, high=9999, qualifier="vague", end="2016-12-11"),
    )
    out = d.distinct_claims(claims)
    assert sorted(out["n_reports"]) == [1, 2]
    assert out["period_start"].isna().all()  # an open start stays open


# ----------------------------------------------------------------------- cross-claimant pairs


def test_central_value_is_value_else_midpoint():
    t = frame(
        claim("r1", "A", 10),
        claim("r1", "A", NaN, low=2000, high=9999),
        claim("r1", "A", NaN, low=5, high=NaN),
    )
    c = d.central_value(t)
    assert c[0] == 10 and c[1] == 5999.5 and math.isnan(c[2])


def test_compare_across_claimants_ratio_overlap_and_consistency():
    claims = frame(
        claim(
            "r1",
            "SOHR",
            50000,
            start="2016-11-26",
            end="2016-12-01",
            qualifier="more_than",
            value_high=NaN,
        ),
        claim("r2", "OCHA", 31500, start="2016-11-26", end="2016-12-01", qualifier="approx"),
        # different place: never paired
        claim("r3", "MoD", 1000, start="2016-11-26", end="2016-12-01", location="Mosul"),
        # shorter window inside SOHR's: fewer people is consistent
        claim("r3", "MoD", 4000, start="2016-11-28", end="2016-11-29"),
        # no overlap in time with anything
        claim("r3", "SANA", 8000, start="2016-12-11", end="2016-12-11"),
    )
    pairs = d.compare_across_claimants(claims)
    got = {(r.claimant_a, r.claimant_b): r for r in pairs.itertuples()}
    assert set(got) == {("OCHA", "SOHR"), ("MoD", "SOHR"), ("MoD", "OCHA")}
    same = got[("OCHA", "SOHR")]
    assert same.ratio == pytest.approx(50000 / 31500)
    assert same.difference == 18500
    assert not same.intervals_overlap and same.period_relation == "same"
    assert same.period_overlap == 1 and not same.consistent
    nested = got[("MoD", "SOHR")]
    assert nested.period_relation == "nested" and nested.period_overlap == pytest.approx(2 / 6)
    assert nested.ratio == 12.5 and bool(nested.consistent)
    assert len(d.compare_across_claimants(claims, min_period_overlap=0.5)) == 1


def test_compare_across_claimants_flags_a_nested_window_with_too_few_people():
    claims = frame(
        claim("r1", "A", 1000, start="2016-11-20", end="2016-12-01"),  # the long window
        claim("r2", "B", 5000, start="2016-11-28", end="2016-11-29"),
    )
    pair = d.compare_across_claimants(claims).iloc[0]
    assert pair["period_relation"] == "nested" and not pair["consistent"]


def test_compare_across_claimants_with_reference_figures():
    claims = frame(
        claim(
            "r1",
            "SOHR",
            413,
            category="civilians_killed",
            start="2016-11-15",
            end="2016-12-11",
            qualifier="at_least",
            value_high=NaN,
        )
    )
    figures = pd.DataFrame(
        {
            "figure_id": ["f1", "f2"],
            "place": ["east Aleppo", "east Aleppo"],
            "category": ["civilians_killed", "civilians_killed"],
            "measure": ["killed", "killed"],
            "value": [300.0, 500.0],
            "qualifier": ["exact", "exact"],
            "value_low": [300.0, 500.0],
            "value_high": [300.0, 500.0],
            "unit": ["people", "people"],
            "claimant": ["UN OCHA", "Other"],
            "period_start": pd.to_datetime(["2016-11-15", "2016-11-15"]),
            "period_end": pd.to_datetime(["2016-12-01", "2016-12-01"]),
            "citation": ["OCHA SitRep", "x"],
        }
    )
    pairs = d.compare_across_claimants(claims, figures)
    # figure-vs-figure pairs are left out: each pair has a report side
    assert len(pairs) == 2
    ocha = pairs[pairs["claimant_b"] == "UN OCHA"].iloc[0]
    assert ocha["source_a"] == "report" and ocha["source_b"] == "reference"
    assert ocha["ratio"] == pytest.approx(413 / 300)
    assert ocha["report_id_b"] == "f1" and ocha["outlet_b"] == "OCHA SitRep"


# --------------------------------------------------------------------------- contested events


def event(
    claimant,
    action,
    stance="asserted",
    actor="Syrian government forces",
    place="Sheikh Saeed",
    date="2016-11-30",
    report="r1",
):
    return {
        "report_id": report,
        "place": place,
        "actor": actor,
        "action": action,
        "stance": stance,
        "claimant": claimant,
        "date": pd.Timestamp(date) if date else pd.NaT,
        "span_start": 0,
        "span_end": 4,
        "evidence": f"{claimant} {action}",
    }


def test_contested_events_finds_capture_against_repulse_denial_and_hold():
    events = pd.DataFrame(
        [
            event("Syrian army", "captured"),
            event("rebel official", "repelled"),
            event("Fastaqim", "captured", stance="denied"),
            event("Fastaqim", "holds", actor="rebels"),
            # same place but a week later: too far apart
            event("Other", "repelled", date="2016-12-09"),
            # undated rows are left out
            event("Undated", "repelled", date=None),
            # partial advance does not contradict a hold
            event("AFP", "advanced", place="east Aleppo"),
            event("SOHR", "holds", actor="rebels", place="east Aleppo"),
        ]
    )
    out = d.contested_events(events)
    assert len(out) == 3
    assert set(out["place"]) == {"Sheikh Saeed"}
    assert (out["claimant_a"] == "Syrian army").all()
    assert sorted(out["conflict"]) == [
        "captured vs held by the other side",
        "captured vs repelled",
        "captured: asserted vs denied",
    ]
    assert len(d.contested_events(events, within_days=10)) == 4


def test_with_context_reads_text_around_the_span(reports):
    t = pd.DataFrame({"report_id": ["r1"], "span_start": [26], "span_end": [32]})
    out = d.with_context(t, reports, chars=4)
    assert out["context"][0] == "The regime she"


# ----------------------------------------------------------------------------- one claimant


def test_claimant_series_merges_reports_and_reference_in_time_order():
    claims = frame(
        claim("r2", "SOHR", 413, category="civilians_killed", start="2016-11-15", end="2016-12-11"),
        claim("r1", "AFP", 300, category="civilians_killed", start="2016-11-15", end="2016-12-01"),
        claim("r1", "SOHR", 21, category="civilians_killed", start="2016-11-30", end="2016-11-30"),
        claim(
            "r1", "SOHR", 48, category="civilians_killed", end="2016-12-01", location="west Aleppo"
        ),
    )
    figures = pd.DataFrame(
        {
            "figure_id": ["f1"],
            "place": ["east Aleppo"],
            "category": ["civilians_killed"],
            "measure": ["killed"],
            "value": [413.0],
            "qualifier": ["exact"],
            "value_low": [413.0],
            "value_high": [413.0],
            "unit": ["people"],
            "claimant": ["SOHR"],
            "period_start": [pd.Timestamp("2016-11-15")],
            "period_end": [pd.Timestamp("2016-12-12")],
            "citation": ["ksa2day"],
        }
    )
    s = d.claimant_series(claims, "SOHR", "civilians_killed", "east Aleppo", figures)
    assert list(s["center"]) == [21, 413, 413]
    assert list(s["source"]) == ["report", "report", "reference"]
    both = d.claimant_series(claims, ["SOHR", "AFP"], "civilians_killed", "east Aleppo")
    assert list(both["center"]) == [21, 300, 413]
    assert len(d.claimant_series(claims, "SOHR", "civilians_killed")) == 3


# ---------------------------------------------------------------------------------- framing


GROUPS = {
    "opposition_neutral": ["rebel", "rebels"],
    "delegitimising": ["militants", "terrorist", "terrorists", "foreign-backed"],
    "regime": ["regime"],
    "distancing": ["so-called"],
}


def test_framing_hits_whole_words_hyphens_and_case(reports):
    hits = d.framing_hits(reports, GROUPS)
    terms = hits.groupby("report_id")["term"].apply(list).to_dict()
    # "rebel-held" counts "rebel"; "Rebels" counts case-insensitively
    assert terms["r1"] == ["rebels", "regime", "rebel"]
    assert terms["r2"] == ["so-called", "rebels"]
    # "regimes" is not "regime"; the possessive "Regime's" is
    assert terms["r3"] == ["foreign-backed", "militants", "terrorists", "terrorist", "regime"]
    r = hits.iloc[0]
    assert reports.set_index("report_id").loc[r.report_id, "body"][r.span_start : r.span_end] == (
        "Rebels"
    )


def test_framing_rates_per_1000_words(reports):
    rates = d.framing_rates(reports, GROUPS)
    assert len(rates) == 3 * len(GROUPS)  # every outlet x group, zeros included
    press = rates[(rates["outlet"] == "Press TV") & (rates["group"] == "delegitimising")].iloc[0]
    words = d.word_counts(reports)["Press TV"]
    assert words == 11
    assert press["hits"] == 4 and press["per_1000_words"] == pytest.approx(4000 / 11)
    by_via = d.framing_rates(reports, GROUPS, by="via")
    afp = by_via[(by_via["via"] == "AFP") & (by_via["group"] == "opposition_neutral")].iloc[0]
    assert afp["hits"] == 3 and afp["words"] == 10 + 7


def test_framing_lexicon_ships_with_the_package():
    groups = lexicons.load("framing")["groups"]
    assert {
        "opposition_neutral",
        "opposition_delegitimising",
        "government_neutral",
        "government_delegitimising",
        "distancing",
    } <= set(groups)
    assert "terrorists" in groups["opposition_delegitimising"]
    assert "so-called" in groups["distancing"]


# ------------------------------------------------------------------------------------ plots


def _json(fig: go.Figure) -> str:
    assert isinstance(fig, go.Figure)
    return fig.to_json()


def test_heatmap_escapes_names():
    claims = frame(claim("r1", EVIL), claim("r2", "SOHR"))
    fig = pd_plots.claimant_outlet_heatmap(d.claimant_by_outlet(claims))
    text = _json(fig)
    assert len(fig.data) == 1
    assert "&lt;script&gt;" in text and "<script>" not in text


def test_sankey_has_three_layers_and_escapes(reports):
    claims = frame(claim("r1", EVIL), claim("r2", "AFP"), claim("r3", "X"))
    fig = pd_plots.republication_sankey(d.republication_chains(claims, reports))
    assert len(fig.data) == 1
    # outlets (3) + vias (AFP, Press TV) + claimants (3)
    assert len(fig.data[0].node.label) == 8
    assert sum(fig.data[0].link.value) == 2 * 3
    assert "<script>" not in _json(fig)


def test_comparison_dotplot_traces_and_escaping():
    claims = frame(claim("r1", EVIL, 100, end="2016-12-01"), claim("r2", "B", 50, end="2016-12-01"))
    fig = pd_plots.comparison_dotplot(d.compare_across_claimants(claims))
    assert len(fig.data) == 4  # range + dots for each side
    text = _json(fig)
    assert "&lt;script&gt;" in text and "<script>" not in text


def test_contested_table_escapes_quotes():
    events = pd.DataFrame([event(EVIL, "captured"), event("rebel official", "repelled")])
    fig = pd_plots.contested_table(d.contested_events(events))
    assert len(fig.data) == 1
    text = _json(fig)
    assert "&lt;script&gt;" in text and "<script>" not in text


def test_claimant_series_plot_one_marker_trace_per_claimant_plus_ranges():
    claims = frame(
        claim("r1", "SOHR", 21, evidence=EVIL),
        claim("r2", "SOHR", 413, qualifier="at_least", value_high=NaN),
        claim("r2", "AFP", NaN, low=2000, high=9999, qualifier="vague"),
    )
    series = d.claimant_series(claims, ["SOHR", "AFP"], "displaced")
    fig = pd_plots.claimant_series_plot(series, EVIL)
    # AFP: range line + markers; SOHR: markers only (no closed range to draw)
    assert len(fig.data) == 3
    sohr = [t for t in fig.data if t.name == "SOHR"][0]
    assert list(sohr.marker.symbol) == ["circle", "triangle-up"]
    text = _json(fig)
    assert "&lt;script&gt;" in text and "<script>" not in text


def test_framing_bars_one_trace_per_group(reports):
    reports = reports.assign(outlet=["AFP", EVIL, "Press TV"])
    fig = pd_plots.framing_bars(d.framing_rates(reports, GROUPS))
    assert len(fig.data) == len(GROUPS)
    text = _json(fig)
    assert "&lt;script&gt;" in text and "<script>" not in text


def test_compare_across_claimants_open_start_leaves_consistency_unknown():
    claims = frame(
        claim("r1", "A", NaN, low=20000, high=99999, qualifier="vague", end="2016-12-14"),
        claim("r2", "B", 5992, start="2016-12-13", end="2016-12-14"),
    )
    pair = d.compare_across_claimants(claims).iloc[0]
    assert pair["period_relation"] == "nested" and not pair["intervals_overlap"]
    assert pd.isna(pair["consistent"])
    assert pair["ratio"] == pytest.approx(59999.5 / 5992)


def test_comparison_dotplot_rows_follow_the_table_order():
    claims = frame(
        claim("r1", "A", 100, end="2016-12-01"),
        claim("r2", "B", 50, end="2016-12-01", qualifier="more_than", value_high=NaN),
        claim("r3", "C", NaN, low=20, high=99, qualifier="vague", end="2016-12-01"),
    )
    pairs = d.compare_across_claimants(claims)
    fig = pd_plots.comparison_dotplot(pairs)
    assert list(fig.layout.yaxis.categoryarray) == list(fig.data[1].y)
    assert fig.data[1].y[0].startswith("#0 A vs B")
    assert list(fig.data[3].marker.symbol)[:1] == ["triangle-right"]  # B: more than 50
