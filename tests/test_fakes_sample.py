"""Generality: the extractor on 20 hand-annotated FA-KES articles (corpus kept outside)."""

import warnings

import pandas as pd
import pytest
from support import ROOT

from toolkit import evaluate, extract_claims
from toolkit.corpora import fakes_path, read_fakes
from toolkit.schemas import Claims
from toolkit.tables import coerce_claims

GOLD = ROOT / "tests/data/fakes_gold/claims.csv"


@pytest.mark.skipif(fakes_path() is None, reason="set TOOLKIT_FAKES_CSV to the FA-KES CSV")
def test_fakes_sample_precision_and_recall():
    gold = Claims.validate(
        coerce_claims(pd.read_csv(GOLD, dtype=str, keep_default_na=False, na_values=[""]))
    )
    reports = read_fakes(fakes_path())
    reports = reports[reports["report_id"].isin(set(gold["report_id"]))]
    assert len(reports) == gold["report_id"].nunique()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = evaluate(extract_claims(reports), gold)
    # measured 0.86 / 0.87 (0.82 / 0.83 when the sample was made); a floor guards regressions
    assert result.claims.precision >= 0.8
    assert result.claims.recall >= 0.8
