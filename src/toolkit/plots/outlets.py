"""Figures for outlets at scale (notebook 06)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from toolkit.plots import base_layout, label


def attribution_bars(shares: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: each outlet's claims by attribution class (shares)."""
    classes = [c for c in shares.columns if c != "claims"]
    order = shares.sort_values("claims")
    fig = go.Figure()
    for cls in classes:
        fig.add_trace(
            go.Bar(
                y=[label(o) for o in order.index],
                x=order[cls],
                name=label(cls),
                orientation="h",
                customdata=order[["claims"]].to_numpy(),
                hovertemplate="%{y}<br>" + label(cls) + ": %{x:.0%} of %{customdata[0]} claims"
                "<extra></extra>",
            )
        )
    return base_layout(
        fig,
        "Whom outlets attribute their figures to",
        barmode="stack",
        xaxis=dict(tickformat=".0%", title="share of the outlet's claims"),
        height=520,
    )


def outlet_yield(per_outlet: pd.DataFrame) -> go.Figure:
    """Claims per 1,000 words by outlet, marker size by number of reports."""
    s = per_outlet.sort_values("claims_per_1000_words")
    fig = go.Figure(
        go.Scatter(
            x=s["claims_per_1000_words"],
            y=[label(o) for o in s.index],
            mode="markers",
            marker=dict(size=6 + s["reports"] ** 0.5 * 2),
            customdata=s[["reports", "claims"]].to_numpy(),
            hovertemplate="%{y}<br>%{x:.1f} claims per 1,000 words<br>"
            "%{customdata[0]} reports, %{customdata[1]} claims<extra></extra>",
        )
    )
    return base_layout(
        fig,
        "Numeric claims per 1,000 words, by outlet",
        xaxis_title="claims per 1,000 words",
        height=480,
        showlegend=False,
    )
