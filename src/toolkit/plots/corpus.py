"""Figures for the corpus overview (notebook 01)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from toolkit.plots import base_layout, hover, label


def corpus_timeline(overview: pd.DataFrame) -> go.Figure:
    """Reports by publication day and outlet; marker size is the number of claims."""
    fig = go.Figure()
    for outlet, rows in overview.groupby("outlet", sort=True):
        fig.add_trace(
            go.Scatter(
                x=rows["published"],
                y=rows["words"],
                mode="markers",
                name=label(outlet),
                marker=dict(size=8 + 2 * rows["claims"] ** 0.5 * 2, opacity=0.8),
                hovertext=[
                    hover(
                        report=r.report_id,
                        outlet=r.outlet,
                        via=r.via,
                        words=r.words,
                        claims=r.claims,
                    )
                    for r in rows.itertuples()
                ],
                hoverinfo="text",
            )
        )
    return base_layout(
        fig,
        "Reports by day: length in words, marker size by claims",
        xaxis_title="published",
        yaxis_title="words",
    )


def category_bars(table: pd.DataFrame) -> go.Figure:
    """Stacked bars: claims per category, one colour per report."""
    fig = go.Figure()
    for report in [c for c in table.columns if c != "total"]:
        fig.add_trace(
            go.Bar(x=[label(c) for c in table.index], y=table[report], name=label(report, 40))
        )
    return base_layout(
        fig,
        "What the reports count: claims per category",
        barmode="stack",
        xaxis_title="category",
        yaxis_title="claims",
    )
