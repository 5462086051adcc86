"""The extractor against a gold annotation, broken down so an analyst can judge its effect."""

from __future__ import annotations

import pandas as pd

from toolkit.evaluate import CLAIM_ATTRIBUTES, Evaluation, evaluate

_SHOWN = ["report_id", "category", "value", "value_low", "value_high"]


def _aligned(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    # `evaluate` numbers predicted rows after keeping the gold's reports; do the same
    return predicted[predicted["report_id"].isin(set(gold["report_id"]))].reset_index(drop=True)


def scores_by_category(
    evaluation: Evaluation, predicted: pd.DataFrame, gold: pd.DataFrame
) -> pd.DataFrame:
    """Per category: gold, predicted and matched counts, precision, recall, attribute accuracy."""
    pred = _aligned(predicted, gold)
    pairs = evaluation.pairs
    rows = []
    for cat in sorted(set(gold["category"]) | set(pred["category"])):
        p = pairs[pairs["category"] == cat]
        n_gold = int((gold["category"] == cat).sum())
        n_pred = int((pred["category"] == cat).sum())
        row = {"category": cat, "gold": n_gold, "predicted": n_pred, "matched": len(p)}
        row["precision"] = len(p) / n_pred if n_pred else float("nan")
        row["recall"] = len(p) / n_gold if n_gold else float("nan")
        for attr in ("claimant", "period", "location"):
            row[f"{attr}_ok"] = p[attr].mean() if len(p) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows).round(2)


def attribute_errors(
    evaluation: Evaluation, predicted: pd.DataFrame, gold: pd.DataFrame, attribute: str
) -> pd.DataFrame:
    """Matched claims whose `attribute` differs: what the annotator and the extractor said."""
    if attribute not in CLAIM_ATTRIBUTES:
        raise ValueError(f"attribute must be one of {CLAIM_ATTRIBUTES}, not {attribute!r}")
    pred = _aligned(predicted, gold)
    gold = gold.reset_index(drop=True)
    columns = {"period": ["period_start", "period_end"], "bounds": ["value_low", "value_high"]}
    cols = columns.get(attribute, [attribute])
    wrong = evaluation.pairs[~evaluation.pairs[attribute]]
    g = gold.loc[wrong["gold_row"], _SHOWN + cols].reset_index(drop=True)
    p = pred.loc[wrong["pred_row"], cols].reset_index(drop=True)
    out = g.rename(columns={c: f"gold_{c}" for c in cols})
    for c in cols:
        out[f"extracted_{c}"] = p[c]
    if "evidence" in gold.columns:
        out["evidence"] = gold.loc[wrong["gold_row"], "evidence"].to_numpy()
    return out


def count_shift(predicted: pd.DataFrame, gold: pd.DataFrame, by: str) -> pd.DataFrame:
    """Claims per value of `by` (claimant, category ...) in gold and extracted tables."""
    pred = _aligned(predicted, gold)
    out = (
        pd.DataFrame({"gold": gold[by].value_counts(), "extracted": pred[by].value_counts()})
        .fillna(0)
        .astype(int)
    )
    out["difference"] = out["extracted"] - out["gold"]
    out.index.name = by
    return out.sort_values(["gold", "extracted"], ascending=False)


__all__ = ["attribute_errors", "count_shift", "evaluate", "scores_by_category"]
