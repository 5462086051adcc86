"""Corpus overview, quality breakdowns and the shared dataset loader."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit import evaluate
from toolkit.analysis.corpus import claims_by_category, corpus_overview
from toolkit.analysis.dataset import load_dataset, with_evidence
from toolkit.analysis.quality import attribute_errors, count_shift, scores_by_category
from toolkit.plots import hover, label
from toolkit.plots.corpus import category_bars, corpus_timeline
from toolkit.plots.quality import category_scores

REPORTS = pd.DataFrame(
    {
        "report_id": ["b", "a"],
        "outlet": ["AFP", "<b>BBC</b>"],
        "via": [None, "AFP"],
        "published": pd.to_datetime(["2016-12-02", "2016-12-01"], utc=True),
        "body": ["Some 300 people fled today.", "Two words"],
    }
)


def _claim(report_id, category, value, start, end, claimant="AFP", location="Aleppo"):
    return dict(
        report_id=report_id,
        category=category,
        value=value,
        qualifier="exact",
        value_low=value,
        value_high=value,
        unit="people",
        location=location,
        actor=None,
        claimant=claimant,
        period_start=pd.NaT,
        period_end=pd.NaT,
        span_start=start,
        span_end=end,
    )


def test_overview_counts_words_claims_and_sorts_by_date():
    claims = pd.DataFrame([_claim("b", "displaced", 300.0, 5, 8), _claim("b", "wounded", 1, 0, 4)])
    out = corpus_overview(REPORTS, claims)
    assert out["report_id"].tolist() == ["a", "b"]
    assert out.set_index("report_id")["words"].to_dict() == {"a": 2, "b": 5}
    assert out.set_index("report_id")["claims"].to_dict() == {"a": 0, "b": 2}
    assert out.set_index("report_id").loc["b", "claims_per_1000_words"] == 400.0


def test_claims_by_category_totals():
    claims = pd.DataFrame(
        [
            _claim("a", "displaced", 1, 0, 1),
            _claim("b", "displaced", 2, 0, 1),
            _claim("b", "wounded", 3, 0, 1),
        ]
    )
    table = claims_by_category(claims)
    assert table.loc["displaced", "total"] == 2
    assert table.index[0] == "displaced"


def test_with_evidence_quotes_the_span():
    claims = pd.DataFrame([_claim("b", "displaced", 300.0, 5, 8)])
    out = with_evidence(claims, REPORTS)
    assert out.loc[0, "evidence"] == "300"
    assert out.loc[0, "outlet"] == "AFP"


def test_quality_breakdown_names_the_wrong_attribute():
    gold = pd.DataFrame(
        [
            _claim("b", "displaced", 300.0, 5, 8, location="east Aleppo"),
            _claim("b", "wounded", 4.0, 0, 4),
        ]
    )
    pred = pd.DataFrame(
        [
            _claim("b", "displaced", 300.0, 5, 8, location="Aleppo"),
            _claim("b", "wounded", 9.0, 0, 4),
            _claim("zz", "wounded", 1, 0, 1),
        ]
    )
    result = evaluate(pred, gold)
    scores = scores_by_category(result, pred, gold).set_index("category")
    assert scores.loc["displaced", "matched"] == 1 and scores.loc["wounded", "matched"] == 0
    assert scores.loc["displaced", "location_ok"] == 0.0
    assert scores.loc["wounded", "predicted"] == 1  # the claim of report zz is not counted
    errors = attribute_errors(result, pred, gold, "location")
    assert errors[["gold_location", "extracted_location"]].values.tolist() == [
        ["east Aleppo", "Aleppo"]
    ]
    with pytest.raises(ValueError):
        attribute_errors(result, pred, gold, "colour")
    shift = count_shift(pred, gold, "location")
    assert shift.loc["east Aleppo", "difference"] == -1


def test_labels_escape_report_text():
    assert label("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "&lt;img" in hover(outlet='<img src=x onerror="alert(1)">')
    assert label("x" * 10, width=5) == "xxxx…"


def test_corpus_figures_escape_outlets():
    claims = pd.DataFrame([_claim("b", "displaced", 300.0, 5, 8)])
    overview = corpus_overview(REPORTS, claims)
    fig = corpus_timeline(overview)
    assert len(fig.data) == 2
    assert "&lt;b&gt;BBC&lt;/b&gt;" in {t.name for t in fig.data}
    assert len(category_bars(claims_by_category(claims)).data) == 1


def test_category_scores_figure_has_both_measures():
    scores = pd.DataFrame(
        {
            "category": ["displaced"],
            "gold": [2],
            "predicted": [2],
            "matched": [1],
            "precision": [0.5],
            "recall": [0.5],
        }
    )
    assert [t.name for t in category_scores(scores).data] == ["precision", "recall"]


def test_project_dataset_loads_and_traces_every_claim():
    ds = load_dataset()
    assert len(ds.reports) == 5
    assert ds.claims["evidence"].notna().all()
    assert (
        ds.claims["evidence"].str.len() == ds.claims["span_end"] - ds.claims["span_start"]
    ).all()
