"""Figures for extraction quality (notebook 05)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from toolkit.plots import base_layout, label


def category_scores(scores: pd.DataFrame) -> go.Figure:
    """Precision and recall per category, with the gold count in the hover."""
    fig = go.Figure()
    for measure in ("precision", "recall"):
        fig.add_trace(
            go.Bar(
                x=[label(c) for c in scores["category"]],
                y=scores[measure],
                name=measure,
                customdata=scores[["gold", "predicted", "matched"]].to_numpy(),
                hovertemplate="%{x}<br>" + measure + " %{y:.2f}<br>gold %{customdata[0]}, "
                "extracted %{customdata[1]}, matched %{customdata[2]}<extra></extra>",
            )
        )
    return base_layout(
        fig, "Extraction by category", barmode="group", yaxis=dict(range=[0, 1.05], title="score")
    )


def attribute_accuracy(summary: pd.DataFrame) -> go.Figure:
    """Horizontal bars of every measure in an evaluation summary."""
    s = summary.sort_values("value")
    fig = go.Figure(
        go.Bar(
            x=s["value"],
            y=[label(m) for m in s["measure"]],
            orientation="h",
            text=[f"{v:.2f}" for v in s["value"]],
            textposition="outside",
        )
    )
    return base_layout(
        fig,
        "Extractor against the curated annotation",
        xaxis=dict(range=[0, 1.1], title="score"),
        showlegend=False,
    )
