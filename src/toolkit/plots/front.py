"""Figures of front movement: share timelines, the denominator conversion, event map and
timeline, the Raqa front distance.

The map is a plain `go.Scatter` of longitude against latitude with an equal-distance aspect:
no tile server, no topojson, so it renders offline.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from toolkit import vocab
from toolkit.plots import base_layout, hover, label

ACTION_STYLE = {
    "captured": ("#d62728", "diamond"),
    "advanced": ("#ff7f0e", "triangle-up"),
    "repelled": ("#1f77b4", "x"),
    "withdrew": ("#9467bd", "triangle-down"),
    "holds": ("#2ca02c", "circle"),
}
# vertical place within a place's row on the event timeline; `holds`, the commonest, in the middle
ROW_OFFSET = {
    "captured": 0.24,
    "repelled": 0.12,
    "holds": 0.0,
    "withdrew": -0.12,
    "advanced": -0.24,
}
STANCE_SYMBOL = {"asserted": "circle", "denied": "x-open"}
BOUND_SYMBOL = {
    "point": "circle",
    "range": "square",
    "lower bound": "triangle-up",
    "upper bound": "triangle-down",
    "unknown": "circle-open",
}
KM_PER_DEGREE = 111.2


def _legend_below(fig: go.Figure, y: float = -0.15) -> go.Figure:
    """Move the legend under the plot, where long claimant names do not cover the title."""
    fig.update_layout(
        legend=dict(orientation="h", yanchor="top", y=y, x=0), margin=dict(l=60, r=20, t=60, b=150)
    )
    return fig


def _palette(names) -> dict[str, str]:
    """A stable colour per name (sorted), so one claimant keeps its colour across facets."""
    colours = qualitative.Plotly + qualitative.D3
    return {n: colours[i % len(colours)] for i, n in enumerate(sorted(set(names)))}


def _marker_y(frame: pd.DataFrame) -> pd.Series:
    """Where to draw a share: its value, else the bound the wording gives."""
    return frame["value"].fillna(frame["value_low"]).fillna(frame["value_high"])


def _fmt(x: object) -> str:
    return "open" if x is None or pd.isna(x) else f"{x:g}"


def share_timeline_figure(
    timeline: pd.DataFrame, title: str = "Share of territory held"
) -> go.Figure:
    """One facet per place; colour by claimant; symbol by bound (triangle up: 'at least')."""
    places = list(dict.fromkeys(timeline["place"]))
    colours = _palette(timeline["claimant"])
    fig = make_subplots(
        rows=max(len(places), 1),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=[label(p) for p in places],
    )
    shown: set[str] = set()
    for row, place in enumerate(places, start=1):
        t = timeline[timeline["place"] == place]
        for claimant, g in t.groupby("claimant", sort=True):
            y = _marker_y(g)
            rng = g["bound"] == "range"
            fig.add_trace(
                go.Scatter(
                    x=g["as_of"],
                    y=y,
                    mode="markers",
                    name=label(claimant),
                    legendgroup=label(claimant),
                    showlegend=claimant not in shown,
                    marker=dict(
                        color=colours[claimant],
                        size=11,
                        symbol=[BOUND_SYMBOL[b] for b in g["bound"]],
                    ),
                    error_y=dict(
                        type="data",
                        symmetric=False,
                        array=np.where(rng, g["value_high"] - y, 0),
                        arrayminus=np.where(rng, y - g["value_low"], 0),
                    ),
                    hovertext=[
                        hover(
                            claimant=claimant,
                            place=place,
                            as_of=f"{r.as_of:%Y-%m-%d}",
                            qualifier=r.qualifier,
                            low=_fmt(r.value_low),
                            high=_fmt(r.value_high),
                            words=r.evidence,
                            ref=r.ref,
                        )
                        for r in g.itertuples()
                    ],
                    hoverinfo="text",
                ),
                row=row,
                col=1,
            )
            shown.add(claimant)
        fig.update_yaxes(title_text="% held", range=[0, 105], row=row, col=1)
    base_layout(fig, title, height=260 * max(len(places), 1) + 160)
    return _legend_below(fig, y=-0.06)


def conversion_figure(
    sens: pd.DataFrame,
    assumption: pd.Series,
    implied: float,
    whole_label: str,
    part_label: str,
    part: str = "east Aleppo",
) -> go.Figure:
    """The whole-city claim read as a share of the part, against the assumed area ratio, with
    the part claim as a horizontal band and the assumed ratio range shaded."""
    lo = float(sens["part_claim_low"].iloc[0])
    hi = float(sens["part_claim_high"].iloc[0])
    x0, x1 = float(sens["ratio"].min()), float(sens["ratio"].max())
    y0 = float(min(sens["part_from_whole"].min(), lo)) - 5
    r_lo, r, r_hi = (float(assumption[k]) for k in ("ratio_low", "ratio", "ratio_high"))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[r_lo, r_hi, r_hi, r_lo],
            y=[y0, y0, 100, 100],
            fill="toself",
            mode="none",
            fillcolor="rgba(127,127,127,0.12)",
            name="assumed range of r",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[r, r],
            y=[y0, 100],
            mode="lines",
            line=dict(color="#7f7f7f", dash="dot"),
            name=f"central assumption r = {r:g}",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[x0, x1, x1, x0],
            y=[lo, lo, hi, hi],
            fill="toself",
            mode="none",
            fillcolor="rgba(44,160,44,0.2)",
            name=label(part_label),
            hovertext=hover(claim=part_label, low=_fmt(lo), high=_fmt(hi)),
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=sens["ratio"],
            y=sens["part_from_whole"],
            mode="lines+markers",
            name=label(f"{whole_label}, read as % of {part}"),
            line=dict(color="#1f77b4"),
            marker=dict(size=5, symbol=np.where(sens["agree"], "circle", "circle-open")),
            hovertext=[
                hover(ratio=f"{x:.2f}", share_of_part=f"{v:.1f}", agree=a)
                for x, v, a in zip(
                    sens["ratio"], sens["part_from_whole"], sens["agree"], strict=True
                )
            ],
            hoverinfo="text",
        )
    )
    if implied is not None and not math.isnan(implied):
        fig.add_trace(
            go.Scatter(
                x=[implied],
                y=[lo],
                mode="markers",
                name=f"implied ratio {implied:.3f}",
                marker=dict(color="black", size=12, symbol="star"),
                hovertext=[hover(implied_ratio=f"{implied:.3f}")],
                hoverinfo="text",
            )
        )
    base_layout(
        fig,
        f"The denominator problem: share of {part} implied by a share of the whole city",
        xaxis_title="assumed area ratio r = area(part) / area(whole)",
        yaxis_title=label(f"% of {part} held"),
        yaxis_range=[y0, 100],
        height=620,
    )
    return _legend_below(fig, y=-0.18)


def _action_offsets(offset_km: float, lat: float) -> dict[str, tuple[float, float]]:
    """A small fixed displacement per action so markers at one place do not hide each other."""
    n = len(vocab.ACTIONS)
    out = {}
    for k, action in enumerate(vocab.ACTIONS):
        a = 2 * math.pi * k / n
        dlat = offset_km * math.sin(a) / KM_PER_DEGREE
        dlon = offset_km * math.cos(a) / (KM_PER_DEGREE * math.cos(math.radians(lat)))
        out[action] = (dlon, dlat)
    return out


def event_map_figure(
    events_xy: pd.DataFrame,
    title: str = "Control events by place",
    offset_km: float = 0.0,
    label_spacing_km: float = 0.0,
) -> go.Figure:
    """Events per place and action on longitude/latitude axes (equal distances), sized by count.

    Each action can be shifted by `offset_km` in its own direction so that several actions at
    one place stay visible; the true point and its precision are in the hover text. Places
    with a contested statement get a black outline. A place name is written only when no
    larger place already named lies within `label_spacing_km`.
    """
    e = events_xy[events_xy["has_coordinates"]]
    lat0 = float(e["lat"].mean()) if len(e) else 0.0
    shift = _action_offsets(offset_km, lat0)
    fig = go.Figure()
    for action in vocab.ACTIONS:
        a = e[e["action"] == action]
        if a.empty:
            continue
        g = _per_place(a)
        colour, symbol = ACTION_STYLE[action]
        fig.add_trace(
            go.Scatter(
                x=g["lon"] + shift[action][0],
                y=g["lat"] + shift[action][1],
                mode="markers",
                name=label(action),
                marker=dict(
                    color=colour,
                    symbol=symbol,
                    size=8 + 4 * np.sqrt(g["n"]),
                    line=dict(width=2, color=["black" if c else "white" for c in g["contested"]]),
                ),
                hovertext=[
                    hover(
                        place=r.place,
                        action=action,
                        events=r.n,
                        actors=r.actors,
                        claimants=r.claimants,
                        dates=r.dates,
                        contested=r.contested,
                        point=f"{r.lat:.3f}, {r.lon:.3f}",
                        precision_km=_fmt(r.precision_km),
                        words=r.evidence,
                    )
                    for r in g.itertuples()
                ],
                hoverinfo="text",
            )
        )
    places = _labelled_places(e, label_spacing_km)
    fig.add_trace(
        go.Scatter(
            x=places["lon"],
            y=places["lat"],
            mode="text",
            text=[label(p) for p in places["place"]],
            textposition="top center",
            textfont=dict(size=10, color="#444"),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    base_layout(fig, title, height=620, xaxis_title="longitude (°E)", yaxis_title="latitude (°N)")
    _legend_below(fig, y=-0.12)
    fig.update_yaxes(scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat0)))
    return fig


def _labelled_places(e: pd.DataFrame, spacing_km: float) -> pd.DataFrame:
    """Places to name on a map: widest first (by precision), skipping any too close to one named."""
    places = e.drop_duplicates("place").sort_values(
        ["precision_km", "place"], ascending=[False, True], na_position="last"
    )
    kept: list[tuple[float, float]] = []
    keep = []
    for lat, lon in zip(places["lat"], places["lon"], strict=True):
        near = any(_km(lat, lon, a, b) < spacing_km for a, b in kept)
        keep.append(not near)
        if not near:
            kept.append((lat, lon))
    return places[keep]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Approximate distance in km between two nearby points (equirectangular)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def _per_place(a: pd.DataFrame) -> pd.DataFrame:
    """Events of one action grouped by place for the map."""

    def join(s: pd.Series) -> str:
        return ", ".join(sorted({str(x) for x in s.dropna()}))

    dates = a["date"].dt.strftime("%Y-%m-%d")
    contested = a["contested"] if "contested" in a else pd.Series(False, index=a.index)
    return (
        a.assign(date_s=dates.fillna("undated"), contested_=contested.fillna(False))
        .groupby("place", sort=True)
        .agg(
            n=("action", "size"),
            lat=("lat", "first"),
            lon=("lon", "first"),
            precision_km=("precision_km", "first"),
            actors=("actor", join),
            claimants=("claimant", join),
            dates=("date_s", join),
            contested=("contested_", "any"),
            evidence=("evidence", "first"),
        )
        .reset_index()
    )


def event_timeline_figure(events: pd.DataFrame, title: str = "Control events by day") -> go.Figure:
    """Dated events: day against place, colour by action, symbol by stance (x: denied).

    Within a place's row each action has its own small vertical offset, so that several
    statements about one place on one day stay visible.
    """
    e = events[events["date"].notna()].sort_values(["date", "place", "action", "span_start"])
    order = sorted(set(e["place"]))
    row = {p: i for i, p in enumerate(order)}
    offset = ROW_OFFSET
    fig = go.Figure()
    for action in vocab.ACTIONS:
        for stance in vocab.STANCES:
            g = e[(e["action"] == action) & (e["stance"] == stance)]
            if g.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=g["date"],
                    y=[row[p] + offset[action] for p in g["place"]],
                    mode="markers",
                    name=label(f"{action} ({stance})"),
                    marker=dict(
                        color=ACTION_STYLE[action][0],
                        symbol=STANCE_SYMBOL[stance],
                        size=11 if stance == "asserted" else 17,
                        opacity=0.8 if stance == "asserted" else 1.0,
                    ),
                    hovertext=[
                        hover(
                            place=r.place,
                            day=f"{r.date:%Y-%m-%d}",
                            actor=r.actor,
                            action=r.action,
                            stance=r.stance,
                            claimant=r.claimant,
                            words=r.evidence,
                            report=r.report_id,
                        )
                        for r in g.itertuples()
                    ],
                    hoverinfo="text",
                )
            )
    base_layout(fig, title, height=220 + 32 * max(len(order), 1), xaxis_title="day")
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(order))),
        ticktext=[label(p) for p in order],
        range=[-0.6, len(order) - 0.4],
        showgrid=False,
    )
    for i in range(len(order)):
        fig.add_hline(y=i + 0.5, line_width=1, line_color="#eee")
    return _legend_below(fig, y=-0.12)


def front_distance_figure(distances: pd.DataFrame, place: str = "Raqa") -> go.Figure:
    """How far the front stood from a city by day and claimant (triangle down: 'within')."""
    colours = _palette(distances["claimant"])
    fig = go.Figure()
    for claimant, g in distances.groupby("claimant", sort=True):
        fig.add_trace(
            go.Scatter(
                x=g["as_of"],
                y=_marker_y(g),
                mode="markers+lines",
                name=label(claimant),
                marker=dict(
                    color=colours[claimant], size=13, symbol=[BOUND_SYMBOL[b] for b in g["bound"]]
                ),
                hovertext=[
                    hover(
                        claimant=claimant,
                        actor=r.actor,
                        as_of=f"{r.as_of:%Y-%m-%d}",
                        qualifier=r.qualifier,
                        low=_fmt(r.value_low),
                        high=_fmt(r.value_high),
                        words=r.evidence,
                        report=r.report_id,
                    )
                    for r in g.itertuples()
                ],
                hoverinfo="text",
            )
        )
    top = (
        float(distances[["value", "value_low", "value_high"]].max().max()) if len(distances) else 1
    )
    base_layout(
        fig,
        f"Distance of the front from {place}",
        xaxis_title="as-of day",
        yaxis_title=label(f"km from {place}"),
        yaxis_range=[0, 1.3 * top],
    )
    return _legend_below(fig, y=-0.15)
