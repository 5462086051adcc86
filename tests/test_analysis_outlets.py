"""Outlets at scale: attribution classes, yields and the label association."""

from __future__ import annotations

import pandas as pd

from toolkit.analysis.outlets import (
    attribution_by_outlet,
    attribution_class,
    claims_per_outlet,
    label_association,
)
from toolkit.plots.outlets import attribution_bars, outlet_yield

REPORTS = pd.DataFrame(
    {
        "report_id": ["a", "b"],
        "outlet": ["SANA", "<i>Evil</i> Times"],
        "via": [None, "AFP"],
        "body": ["one two three four", "one two"],
    }
)
CLAIMS = pd.DataFrame(
    {
        "report_id": ["a", "a", "a", "b", "b"],
        "claimant": ["SANA", "Syrian Observatory for Human Rights", "UN OCHA", "AFP", "Nobody"],
    }
)


def test_attribution_class_separates_own_voice_from_sources():
    classes = attribution_class(CLAIMS, REPORTS).tolist()
    assert classes == ["unattributed", "monitor", "UN or NGO", "unattributed", "unlisted source"]


def test_attribution_shares_sum_to_one_per_outlet():
    shares = attribution_by_outlet(CLAIMS, REPORTS)
    assert shares.loc["SANA", "claims"] == 3
    assert abs(shares.drop(columns="claims").sum(axis=1) - 1).max() < 0.01
    assert shares.loc["SANA", "monitor"] == round(1 / 3, 3)


def test_claims_per_outlet_counts_words_and_claims():
    out = claims_per_outlet(CLAIMS, REPORTS)
    assert out.loc["SANA", "claims"] == 3 and out.loc["SANA", "words"] == 4
    assert out.loc["SANA", "claims_per_1000_words"] == 750.0
    assert out.index[0] == "SANA"


def test_label_association_leaves_out_conflicting_labels():
    per_report = pd.DataFrame(
        {"flag": [True, True, False, False, True], "labels": ["1", "1", "0", "0", "0|1"]}
    )
    table = label_association(per_report, "flag")
    assert table.attrs["excluded"] == 1
    assert table.loc[True, "labelled credible"] == 2 and table.loc[False, "labelled fake"] == 2
    assert table.loc[True, "share credible"] == 1.0
    assert 0 < table.attrs["p_value"] <= 1


def test_outlet_figures_escape_names():
    shares = attribution_by_outlet(CLAIMS, REPORTS)
    fig = attribution_bars(shares)
    assert len(fig.data) == len(shares.columns) - 1
    assert "&lt;i&gt;Evil&lt;/i&gt; Times" in fig.data[0].y
    fig = outlet_yield(claims_per_outlet(CLAIMS, REPORTS))
    assert "<i>" not in str(fig.to_plotly_json())
