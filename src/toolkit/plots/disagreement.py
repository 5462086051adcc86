"""Figures for source disagreement (notebook 03): who says what, who repeats whom, by how much.

Every name and quote drawn from reports passes through `label` or `hover` (HTML-escaped).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from toolkit.plots import base_layout, hover, label
from toolkit.vocab import LOWER_QUALIFIERS, UPPER_QUALIFIERS

_SIDE_COLOURS = {"report": "#1f77b4", "reference": "#ff7f0e"}


def _symbol(qualifier: str, horizontal: bool) -> str:
    """Marker for a claim: a triangle points where an open bound leaves the range open."""
    if qualifier in LOWER_QUALIFIERS:
        return "triangle-right" if horizontal else "triangle-up"
    if qualifier in UPPER_QUALIFIERS:
        return "triangle-left" if horizontal else "triangle-down"
    return "circle"


def _range(low: float, high: float) -> tuple[float, float] | None:
    """A closed stated range worth drawing as a line (low < high, both known), else None."""
    return (low, high) if pd.notna(low) and pd.notna(high) and low < high else None


def _layout(fig: go.Figure, title: str, **kwargs) -> go.Figure:
    """`base_layout` with room for the title above the legend."""
    base_layout(fig, title, **kwargs)
    return fig.update_layout(margin=dict(t=100))


SYMBOL_NOTE = "▲/▶ at least, ▼/◀ at most, ● point; line = stated range"


def claimant_outlet_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Heatmap of claims per claimant (rows) and outlet (columns), counts written in cells."""
    rows = [label(c) for c in matrix.index]
    cols = [label(c) for c in matrix.columns]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=cols,
            y=rows,
            text=[[str(v) if v else "" for v in r] for r in matrix.to_numpy()],
            texttemplate="%{text}",
            colorscale="Blues",
            colorbar=dict(title="claims"),
            hovertext=[
                [
                    hover(claimant=c, outlet=o, claims=v)
                    for o, v in zip(matrix.columns, r, strict=True)
                ]
                for c, r in zip(matrix.index, matrix.to_numpy(), strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(
        fig,
        "Who says what: claims by claimant and outlet",
        xaxis_title="outlet",
        yaxis_title="claimant",
        height=520,
    )


def republication_sankey(chains: pd.DataFrame) -> go.Figure:
    """Sankey outlet -> via (wire) -> claimant, link width = claims."""
    layers = [("outlet", "outlet"), ("via", "via"), ("claimant", "claimant")]
    nodes: list[tuple[str, str]] = []
    for layer, col in layers:
        nodes += [(layer, v) for v in sorted(chains[col].unique())]
    index = {n: i for i, n in enumerate(nodes)}
    src, dst, val, text = [], [], [], []
    first = chains.groupby(["outlet", "via"], as_index=False)["claims"].sum()
    for r in first.itertuples():
        src.append(index[("outlet", r.outlet)])
        dst.append(index[("via", r.via)])
        val.append(r.claims)
        text.append(hover(outlet=r.outlet, via=r.via, claims=r.claims))
    second = chains.groupby(["via", "claimant"], as_index=False)["claims"].sum()
    for r in second.itertuples():
        src.append(index[("via", r.via)])
        dst.append(index[("claimant", r.claimant)])
        val.append(r.claims)
        text.append(hover(via=r.via, claimant=r.claimant, claims=r.claims))
    fig = go.Figure(
        go.Sankey(
            node=dict(
                label=[label(v, 40) for _, v in nodes],
                customdata=[hover(layer=layer, name=v) for layer, v in nodes],
                hovertemplate="%{customdata}<extra></extra>",
                pad=12,
            ),
            link=dict(
                source=src,
                target=dst,
                value=val,
                customdata=text,
                hovertemplate="%{customdata}<extra></extra>",
            ),
        )
    )
    return _layout(
        fig, "Republication chains: outlet → wire → claimant (width = claims)", height=560
    )


def comparison_dotplot(pairs: pd.DataFrame) -> go.Figure:
    """One row per pair of claimants: each side's central value and stated range, log scale.

    Markers follow the qualifier (`SYMBOL_NOTE`); the row label is the pair's number in the
    table it came from, then the two claimants.
    """
    fig = go.Figure()
    ys = [
        f"#{i} " + label(f"{r.claimant_a} vs {r.claimant_b}", 60)
        for i, r in zip(pairs.index, pairs.itertuples(), strict=True)
    ]
    for side, colour in (("a", "#1f77b4"), ("b", "#ff7f0e")):
        rows = pairs.to_dict("records")
        lx, ly = [], []
        for y, r in zip(ys, rows, strict=True):
            span = _range(r[f"value_low_{side}"], r[f"value_high_{side}"])
            if span:
                lx += [*span, None]
                ly += [y, y, None]
        fig.add_trace(
            go.Scatter(
                x=lx,
                y=ly,
                mode="lines",
                line=dict(color=colour, width=6),
                opacity=0.35,
                showlegend=False,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[r[f"center_{side}"] for r in rows],
                y=ys,
                mode="markers",
                marker=dict(
                    color=colour,
                    size=11,
                    symbol=[_symbol(r[f"qualifier_{side}"], True) for r in rows],
                ),
                name=f"claimant {side.upper()} ({'left' if side == 'a' else 'right'} of 'vs')",
                hovertext=[
                    hover(
                        claimant=r[f"claimant_{side}"],
                        what=f"{r['category']} · {r['location']}",
                        source=r[f"source_{side}"],
                        qualifier=r[f"qualifier_{side}"],
                        value=r[f"center_{side}"],
                        period=f"{r[f'period_start_{side}']} – {r[f'period_end_{side}']}",
                        report=r[f"report_id_{side}"],
                        evidence=r[f"evidence_{side}"],
                        ratio=round(r["ratio"], 2),
                    )
                    for r in rows
                ],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(type="log")
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=ys)
    _layout(
        fig,
        "Same quantity, different claimants: values and stated ranges",
        xaxis_title=f"value (log scale); {SYMBOL_NOTE}",
        height=max(360, 26 * len(pairs) + 180),
    )
    return fig.update_layout(margin=dict(l=330))


def contested_table(contests: pd.DataFrame) -> go.Figure:
    """The contested control events as a table: both sides' claimant, statement and quote."""
    cols = {
        "place": contests["place"],
        "date": contests["date_a"].dt.strftime("%Y-%m-%d"),
        "conflict": contests["conflict"],
        "side A": contests["claimant_a"]
        + ": "
        + contests["action_a"]
        + " ("
        + contests["stance_a"]
        + ")",
        "quote A": contests["evidence_a"],
        "side B": contests["claimant_b"]
        + ": "
        + contests["action_b"]
        + " ("
        + contests["stance_b"]
        + ")",
        "quote B": contests["evidence_b"],
    }
    fig = go.Figure(
        go.Table(
            header=dict(values=[label(c) for c in cols], align="left"),
            cells=dict(values=[[label(v) for v in col] for col in cols.values()], align="left"),
            columnwidth=[1, 1, 1.5, 1.8, 2.5, 1.8, 2.5],
        )
    )
    return _layout(fig, "Contested control events", height=180 + 70 * len(contests))


def claimant_series_plot(series: pd.DataFrame, title: str) -> go.Figure:
    """Figures over time (x = last day covered), one colour per claimant.

    Markers follow the qualifier (`SYMBOL_NOTE`); reference figures are hollow.
    """
    fig = go.Figure()
    for claimant, rows in series.groupby("claimant", sort=True):
        lx, ly = [], []
        for r in rows.itertuples():
            span = _range(r.value_low, r.value_high)
            if span:
                lx += [r.period_end, r.period_end, None]
                ly += [*span, None]
        if lx:
            fig.add_trace(
                go.Scatter(
                    x=lx,
                    y=ly,
                    mode="lines",
                    line=dict(width=5),
                    opacity=0.35,
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        reference = rows["source"] == "reference"
        fig.add_trace(
            go.Scatter(
                x=rows["period_end"],
                y=rows["center"],
                mode="markers+text",
                marker=dict(
                    size=12,
                    symbol=[
                        _symbol(q, False) + ("-open" if ref else "")
                        for q, ref in zip(rows["qualifier"], reference, strict=True)
                    ],
                ),
                name=label(claimant),
                text=[
                    label(f"{q} {v:,.0f}")
                    for q, v in zip(rows["qualifier"], rows["center"], strict=True)
                ],
                textposition=["bottom center" if ref else "top center" for ref in reference],
                hovertext=[
                    hover(
                        claimant=r.claimant,
                        source=r.source,
                        place=r.location,
                        qualifier=r.qualifier,
                        value=r.center,
                        period=f"{r.period_start} – {r.period_end}",
                        report=r.report_id,
                        outlet=r.outlet,
                        evidence=r.evidence,
                    )
                    for r in rows.itertuples()
                ],
                hoverinfo="text",
            )
        )
    return _layout(
        fig,
        title,
        xaxis_title=f"last day covered; {SYMBOL_NOTE}; hollow = reference",
        yaxis_title="value",
        yaxis_rangemode="tozero",
    )


def framing_bars(rates: pd.DataFrame, by: str = "outlet") -> go.Figure:
    """Grouped bars: framing-term hits per 1,000 words, one bar group per outlet."""
    fig = go.Figure()
    for group in rates["group"].unique():
        rows = rates[rates["group"] == group]
        fig.add_trace(
            go.Bar(
                x=[label(v) for v in rows[by]],
                y=rows["per_1000_words"],
                name=label(group),
                hovertext=[
                    hover(
                        **{by: getattr(r, by)},
                        group=r.group,
                        hits=r.hits,
                        words=r.words,
                        per_1000_words=round(r.per_1000_words, 1),
                    )
                    for r in rows.itertuples()
                ],
                hoverinfo="text",
            )
        )
    return _layout(
        fig,
        f"Framing terms per 1,000 words, by {by}",
        barmode="group",
        xaxis_title=by,
        yaxis_title="hits per 1,000 words",
    )
