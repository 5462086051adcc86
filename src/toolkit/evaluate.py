"""Compare extracted claims and events with a gold annotation: P/R/F1 and attribute accuracy."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

CLAIM_ATTRIBUTES = ("claimant", "location", "period", "qualifier", "bounds", "actor")


@dataclass
class Scores:
    """Precision, recall and F1 from matched, predicted and gold counts."""

    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """The outcome of `evaluate`: scores, attribute accuracy, and every miss and spurious row."""

    claims: Scores
    attributes: dict[str, float]
    misses: pd.DataFrame
    spurious: pd.DataFrame
    pairs: pd.DataFrame
    events: Scores | None = None
    event_misses: pd.DataFrame = field(default_factory=pd.DataFrame)
    event_spurious: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> pd.DataFrame:
        """One row per measure, for printing or a notebook table."""
        rows = [
            ("claims precision", self.claims.precision),
            ("claims recall", self.claims.recall),
            ("claims F1", self.claims.f1),
        ]
        rows += [(f"{k} accuracy", v) for k, v in self.attributes.items()]
        if self.events is not None:
            rows += [
                ("events precision", self.events.precision),
                ("events recall", self.events.recall),
                ("events F1", self.events.f1),
            ]
        return pd.DataFrame(rows, columns=["measure", "value"])


def _value_key(row) -> tuple:
    if pd.notna(row.value):
        return ("v", round(float(row.value), 1))
    return ("b", row.value_low, row.value_high)


def _same(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    return a == b


def _match(pred: pd.DataFrame, gold: pd.DataFrame, key) -> list[tuple[int, int]]:
    """Greedy one-to-one matching on equal keys, nearest spans first."""
    candidates = []
    for gi, g in gold.iterrows():
        for pi, p in pred.iterrows():
            if key(p) == key(g):
                candidates.append((abs(p.span_start - g.span_start), gi, pi))
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _claim_key(row) -> tuple:
    return (row.report_id, row.category, _value_key(row))


def _event_key(row) -> tuple:
    return (row.report_id, row.place, row.action, row.stance)


def evaluate(
    predicted: pd.DataFrame,
    gold: pd.DataFrame,
    predicted_events: pd.DataFrame | None = None,
    gold_events: pd.DataFrame | None = None,
) -> Evaluation:
    """Score predicted claims (and events) against gold ones on the gold's reports.

    Claims match on report, category and value (bounds for vague amounts and ranges);
    attribute accuracy is measured on the matched pairs. Events match on report, place,
    action and stance.
    """
    reports = set(gold["report_id"])
    pred = predicted[predicted["report_id"].isin(reports)].reset_index(drop=True)
    gold = gold.reset_index(drop=True)
    pairs = _match(pred, gold, _claim_key)
    checks = {
        "claimant": lambda g, p: g.claimant == p.claimant,
        "location": lambda g, p: _same(g.location, p.location),
        "period": lambda g, p: (
            _same(g.period_start, p.period_start) and _same(g.period_end, p.period_end)
        ),
        "qualifier": lambda g, p: g.qualifier == p.qualifier,
        "bounds": lambda g, p: (
            _same(g.value_low, p.value_low) and _same(g.value_high, p.value_high)
        ),
        "actor": lambda g, p: _same(g.actor, p.actor),
    }
    records = []
    for gi, pi in pairs:
        g, p = gold.loc[gi], pred.loc[pi]
        rec = {"gold_row": gi, "pred_row": pi, "report_id": g.report_id, "category": g.category}
        rec.update({name: bool(f(g, p)) for name, f in checks.items()})
        records.append(rec)
    pair_frame = pd.DataFrame(
        records, columns=["gold_row", "pred_row", "report_id", "category", *checks]
    )
    attributes = {
        k: float(pair_frame[k].mean()) if len(pair_frame) else float("nan") for k in checks
    }
    matched_g = {g for g, _ in pairs}
    matched_p = {p for _, p in pairs}
    result = Evaluation(
        claims=Scores(len(pairs), len(pred), len(gold)),
        attributes=attributes,
        misses=gold.drop(index=list(matched_g)),
        spurious=pred.drop(index=list(matched_p)),
        pairs=pair_frame,
    )
    if predicted_events is not None and gold_events is not None:
        pe = predicted_events[predicted_events["report_id"].isin(reports)].reset_index(drop=True)
        ge = gold_events.reset_index(drop=True)
        epairs = _match(pe, ge, _event_key)
        result.events = Scores(len(epairs), len(pe), len(ge))
        result.event_misses = ge.drop(index=[g for g, _ in epairs])
        result.event_spurious = pe.drop(index=[p for _, p in epairs])
    return result
