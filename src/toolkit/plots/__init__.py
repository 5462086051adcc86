"""Plotly figures for the notebooks and the HTML report.

Figures are returned, never shown, so the caller decides how they are rendered. All text
that comes from reports (titles, outlets, claimants, quotes) goes through `hover` or
`label`, which escape HTML: a report cannot inject markup into a page through a label.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio

# plotly's mimetype renderer: notebooks store the figure as JSON, which nbval and the
# HTML report both read; no JavaScript is written into the notebook itself.
RENDERER = "plotly_mimetype"
TEMPLATE = "plotly_white"


def use_mimetype_renderer() -> None:
    """Make plotly figures display as their JSON mimetype (what the notebooks store)."""
    pio.renderers.default = RENDERER
    pio.templates.default = TEMPLATE


def label(text: object, width: int | None = None) -> str:
    """A piece of report text made safe for a plotly label (HTML-escaped, optionally cut)."""
    s = "" if text is None else str(text)
    if width is not None and len(s) > width:
        s = s[: width - 1] + "…"
    return html.escape(s, quote=True)


def hover(**fields: object) -> str:
    """A hover label: one escaped "name: value" line per field, in order."""
    return "<br>".join(f"{label(k.replace('_', ' '))}: {label(v, 90)}" for k, v in fields.items())


def base_layout(fig: go.Figure, title: str, **kwargs) -> go.Figure:
    """Common layout: escaped title, readable margins, legend on top."""
    fig.update_layout(
        title=label(title),
        margin=dict(l=60, r=20, t=100, b=50),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        **kwargs,
    )
    return fig
