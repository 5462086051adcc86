"""Generality: the extractor on nine hand-annotated FA-KES samples (corpus kept outside)."""

import warnings

import pandas as pd
import pytest
from support import ROOT

from toolkit import evaluate, extract_claims, extract_events
from toolkit.corpora import fakes_path, read_fakes
from toolkit.schemas import Claims, ControlEvents
from toolkit.tables import coerce_claims, coerce_events

SAMPLES = ROOT / "tests/data"


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def _scores(folder: str):
    gold = Claims.validate(
        coerce_claims(
            pd.read_csv(
                SAMPLES / folder / "claims.csv", dtype=str, keep_default_na=False, na_values=[""]
            )
        )
    )
    reports = read_fakes(fakes_path())
    reports = reports[reports["report_id"].isin(set(gold["report_id"]))]
    assert len(reports) == gold["report_id"].nunique()
    events = SAMPLES / folder / "events.csv"
    gold_events = ControlEvents.validate(coerce_events(_read(events))) if events.exists() else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        predicted = extract_events(reports) if gold_events is not None else None
        return evaluate(extract_claims(reports), gold, predicted, gold_events)


@pytest.mark.skipif(fakes_path() is None, reason="set TOOLKIT_FAKES_CSV to the FA-KES CSV")
@pytest.mark.parametrize(
    "folder, min_precision, min_recall",
    [
        ("fakes_gold", 0.9, 0.93),
        ("fakes_holdout", 0.9, 0.93),
        ("fakes_holdout2", 0.9, 0.93),
        ("fakes_holdout3", 0.9, 0.93),
        ("fakes_holdout4", 0.9, 0.93),
        ("fakes_holdout5", 0.9, 0.9),
        ("fakes_holdout6", 0.85, 0.8),
        ("fakes_holdout7", 0.9, 0.93),
        # scored blind only: 0.91 / 0.93 when it came in
        ("fakes_holdout8", 0.85, 0.85),
    ],
)
def test_fakes_samples_precision_recall_and_claimant(folder, min_precision, min_recall):
    result = _scores(folder)
    # measured 0.90-0.98 / 0.86-0.98, claimant 0.78-0.92, period 0.66-0.90; floors guard
    # regressions
    assert result.claims.precision >= min_precision
    assert result.claims.recall >= min_recall
    assert result.attributes["claimant"] >= 0.7
    assert result.attributes["period"] >= 0.6


@pytest.mark.skipif(fakes_path() is None, reason="set TOOLKIT_FAKES_CSV to the FA-KES CSV")
def test_held_out_sample_dates_match_the_reader():
    articles = pd.read_csv(SAMPLES / "fakes_holdout" / "articles.csv", dtype=str)
    reports = read_fakes(fakes_path()).set_index("report_id")
    read = reports.loc[articles["report_id"], "published"].dt.strftime("%Y-%m-%d")
    assert read.tolist() == articles["published"].tolist()


@pytest.mark.skipif(fakes_path() is None, reason="set TOOLKIT_FAKES_CSV to the FA-KES CSV")
@pytest.mark.parametrize(
    "folder", ["fakes_holdout2", "fakes_holdout3", "fakes_holdout4", "fakes_holdout5"]
)
def test_control_events_of_the_held_out_samples(folder):
    # measured precision 0.64-0.82, recall 0.50-0.60 on their 15-18 events; floors
    # guard regressions
    result = _scores(folder)
    assert result.events.precision >= 0.6
    assert result.events.recall >= 0.4
