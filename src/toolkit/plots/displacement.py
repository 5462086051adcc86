"""Figures for displacement claims: intervals on a timeline, daily rates, the feasible band.

A claim is drawn as what it is: a horizontal segment over its period (how long) at its
value, with a vertical bar over its bounds (how sure). Open bounds are shown by the marker:
a triangle pointing up for "at least", down for "up to". Every piece of text from a
report or a reference figure goes through `label` or `hover`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from toolkit.plots import base_layout, hover, label

PALETTE = qualitative.D3 + qualitative.Dark2 + qualitative.Set1
DAY = pd.Timedelta(days=1)


def claimant_colours(claimants: pd.Series) -> dict[str, str]:
    """One stable colour per claimant: the most frequent claimants get the most distinct
    colours (ties by name, so the same data always give the same colours)."""
    counts = claimants.dropna().astype(str).value_counts()
    names = sorted(counts.index, key=lambda name: (-counts[name], name))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _legend_right(fig: go.Figure) -> go.Figure:
    """Put a long legend (one entry per claimant) on the right, clear of the title."""
    fig.update_layout(
        legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"),
        margin=dict(r=280),
    )
    return fig


def _symbol(low: float, high: float) -> str:
    """Marker for a claim's bounds: point/range, lower bound only, upper bound only."""
    if pd.notna(low) and pd.isna(high):
        return "triangle-up"
    if pd.isna(low) and pd.notna(high):
        return "triangle-down"
    return "circle"


def _num(x: object) -> str:
    """A count for a hover: thousands separated, 'open' when missing, 'unbounded' if inf."""
    if x is None or pd.isna(x):
        return "open"
    return "unbounded" if np.isinf(x) else f"{float(x):,.0f}"


def _date(day: object) -> str:
    """A day as YYYY-MM-DD, or 'unknown'."""
    return "unknown" if pd.isna(day) else f"{pd.Timestamp(day):%Y-%m-%d}"


def _interval_traces(
    rows: pd.DataFrame, y: str, low: str, high: str, colour: str, name: str, legend: bool
) -> list[go.Scatter]:
    """A segment per row over its period at `y`, and a marker at its middle with bounds."""
    xs, ys, mx, my, up, down, symbols, texts = [], [], [], [], [], [], [], []
    for _, r in rows.iterrows():
        first, last = r["period_start"], r["period_end"]
        if pd.notna(first):
            xs += [first, last + DAY, None]
            ys += [r[y], r[y], None]
            mid = first + (last + DAY - first) / 2
        else:
            mid = last + DAY / 2
        mx.append(mid)
        my.append(r[y])
        up.append(0.0 if pd.isna(r[high]) else r[high] - r[y])
        down.append(r[y] if pd.isna(r[low]) else r[y] - r[low])
        symbols.append(_symbol(r[low], r[high]))
        texts.append(
            hover(
                claimant=r["claimant"],
                outlet=r.get("outlet"),
                source=r.get("source_kind"),
                qualifier=r["qualifier"],
                value=_num(r.get("value")),
                low=_num(r[low]),
                high=_num(r[high]),
                period=f"{_date(first)} to {_date(last)}",
                evidence=r.get("evidence"),
                id=r["claim_id"],
            )
        )
    segments = go.Scatter(
        x=xs, y=ys, mode="lines", line=dict(color=colour, width=3), name=label(name),
        legendgroup=label(name), showlegend=bool(legend and xs), hoverinfo="skip",
    )  # fmt: skip
    markers = go.Scatter(
        x=mx, y=my, mode="markers", name=label(name), legendgroup=label(name),
        showlegend=bool(legend and not xs), marker=dict(color=colour, size=9, symbol=symbols),
        error_y=dict(type="data", array=up, arrayminus=down, thickness=1.5, width=4),
        hovertext=texts, hoverinfo="text",
    )  # fmt: skip
    return [segments, markers]


def claims_timeline(
    frame: pd.DataFrame,
    title: str = "Displacement claims",
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """Every claim as an interval: flows (people who left over a period) on top, stocks
    (people present on a day) below, never on the same axis; one colour per claimant."""
    colours = colours or claimant_colours(frame["claimant"])
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.65, 0.35],
        subplot_titles=("flows: people who left during the period", "stocks: people present"),
    )  # fmt: skip
    for claimant in sorted(set(frame["claimant"].dropna())):
        mine = frame[frame["claimant"] == claimant]
        for row, kind in ((1, "flow"), (2, "stock")):
            part = mine[mine["flow_or_stock"] == kind]
            if part.empty:
                continue
            legend = bool(kind == "flow" or (mine["flow_or_stock"] == "flow").sum() == 0)
            for trace in _interval_traces(
                part, "central", "low", "high", colours[claimant], claimant, legend
            ):
                fig.add_trace(trace, row=row, col=1)
    fig.update_yaxes(title_text="people", rangemode="tozero")
    return _legend_right(base_layout(fig, title, height=700))


def rates_chart(
    rates: pd.DataFrame,
    title: str = "Claims as daily rates",
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """Flows divided by the days they cover, drawn over their periods: "X since Saturday"
    and "X in 48 hours" on one scale of people per day."""
    colours = colours or claimant_colours(rates["claimant"])
    fig = go.Figure()
    for claimant in sorted(set(rates["claimant"].dropna())):
        part = rates[rates["claimant"] == claimant]
        for trace in _interval_traces(
            part, "rate_central", "rate_low", "rate_high", colours[claimant], claimant, True
        ):
            fig.add_trace(trace)
    fig.update_yaxes(title_text="people per day", rangemode="tozero")
    return _legend_right(base_layout(fig, title, height=500))


def band_chart(
    band: pd.DataFrame,
    constraints: pd.DataFrame,
    dropped: list[str] | tuple[str, ...] = (),
    title: str = "Feasible cumulative outflow",
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """The band of cumulative outflows all kept claims allow, with the lower bound of each
    claim that starts within the band at its end day (the cumulative curve can never pass
    below it); dropped claims as x.

    Days with no upper limit are drawn at a ceiling above the data and marked."""
    constraints = constraints[constraints["first"] >= band["day"].min()]
    finite = band.loc[np.isfinite(band["cum_max"]), "cum_max"]
    ceiling = 1.15 * max([*finite, *band["cum_min"], *constraints["low"].dropna(), 1.0])
    upper = band["cum_max"].where(np.isfinite(band["cum_max"]), ceiling)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=list(band["day"]) + list(band["day"][::-1]),
            y=list(upper) + list(band["cum_min"][::-1]),
            fill="toself",
            mode="lines",
            line=dict(width=0),
            fillcolor="rgba(70,130,180,0.3)",
            name="feasible cumulative outflow",
            hoverinfo="skip",
        )  # fmt: skip
    )
    open_days = band[~np.isfinite(band["cum_max"])]
    fig.add_trace(
        go.Scatter(
            x=open_days["day"],
            y=[ceiling] * len(open_days),
            mode="markers",
            marker=dict(symbol="arrow-up", size=10, color="steelblue"),
            name="no upper limit",
            hovertext="no claim caps the total up to this day",
            hoverinfo="text",
        )  # fmt: skip
    )
    colours = colours or claimant_colours(constraints["claimant"])
    shown = constraints[constraints["low"].notna()]
    for claimant in sorted(set(shown["claimant"].dropna())):
        part = shown[shown["claimant"] == claimant]
        if part.empty:
            continue
        gone = part["claim_id"].isin(list(dropped))
        fig.add_trace(
            go.Scatter(
                x=part["last"],
                y=part["low"],
                mode="markers",
                name=label(claimant),
                marker=dict(
                    color=colours[claimant],
                    size=9,
                    symbol=["x" if g else "circle" for g in gone],
                ),
                hovertext=[
                    hover(
                        claimant=r["claimant"],
                        low=_num(r["low"]),
                        high=_num(r["high"]),
                        period=f"{_date(r['first'])} to {_date(r['last'])}",
                        rule=r["rule"],
                        evidence=r["evidence"],
                        id=r["claim_id"],
                        status="dropped" if g else "kept",
                    )
                    for (_, r), g in zip(part.iterrows(), gone, strict=True)
                ],
                hoverinfo="text",
            )  # fmt: skip
        )
    fig.update_yaxes(title_text="people who left since the first day shown", rangemode="tozero")
    return _legend_right(base_layout(fig, title, height=550))


def reference_chart(
    implied: pd.DataFrame, title: str = "Reference figures against what the claims allow"
) -> go.Figure:
    """For each reference figure: the range the claims allow over its period (a bar,
    open-ended when unbounded) and the figure itself (a diamond)."""
    rows = implied.reset_index(drop=True)
    names = [
        label(f"{r['claimant']} · {_date(r['first'])} to {_date(r['last'])} · {r['claim_id']}")
        for _, r in rows.iterrows()
    ]
    finite = rows.loc[np.isfinite(rows["total_max"]), "total_max"]
    ceiling = 1.15 * max([*finite, *rows["total_min"], *rows["central"], 1.0])
    top = rows["total_max"].where(np.isfinite(rows["total_max"]), ceiling)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=top - rows["total_min"],
            base=rows["total_min"],
            orientation="h",
            name="total the claims allow",
            marker_color="rgba(70,130,180,0.45)",
            hovertext=[
                hover(min=_num(lo), max=_num(hi))
                for lo, hi in zip(rows["total_min"], rows["total_max"], strict=True)
            ],
            hoverinfo="text",
        )  # fmt: skip
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=rows["central"],
            mode="markers",
            name="reference figure",
            marker=dict(symbol="diamond", size=11, color="firebrick"),
            hovertext=[
                hover(
                    claimant=r["claimant"],
                    qualifier=r["qualifier"],
                    value=_num(r["central"]),
                    measure=r["evidence"],
                    id=r["claim_id"],
                )
                for _, r in rows.iterrows()
            ],
            hoverinfo="text",
        )  # fmt: skip
    )
    unbounded = ~np.isfinite(rows["total_max"])
    fig.add_trace(
        go.Scatter(
            y=[n for n, u in zip(names, unbounded, strict=True) if u],
            x=[ceiling] * int(unbounded.sum()),
            mode="markers",
            name="no upper limit",
            marker=dict(symbol="triangle-right", size=11, color="steelblue"),
            hovertext="the claims put no upper limit on this period",
            hoverinfo="text",
        )  # fmt: skip
    )
    fig.update_xaxes(title_text="people")
    fig.update_yaxes(autorange="reversed")
    return base_layout(fig, title, height=max(350, 40 * len(rows) + 150))
