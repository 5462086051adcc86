"""Extract the claims table from report bodies: one row per numeric statement."""

from __future__ import annotations

from datetime import date

import pandas as pd

from toolkit.extract.categories import classify
from toolkit.extract.context import (
    ReportContext,
    find_actors,
    find_places,
    sentence_claimant,
)
from toolkit.extract.numbers import Amount, find_amounts
from toolkit.extract.periods import TimeMention, find_times
from toolkit.extract.qualifiers import bounds, qualifier_before
from toolkit.extract.shares import total_shares
from toolkit.schemas import Claims
from toolkit.tables import CLAIM_COLUMNS, coerce_claims
from toolkit.vocab import STOCK_CATEGORIES


def extract_claims(reports: pd.DataFrame) -> pd.DataFrame:
    """Claims of every report in a `Reports` frame, as a frame valid under `Claims`."""
    rows = [row for report in reports.itertuples(index=False) for row in report_claims(report)]
    frame = coerce_claims(pd.DataFrame(rows, columns=CLAIM_COLUMNS))
    return Claims.validate(frame)


def report_claims(report) -> list[dict]:
    """Claims of one report (a row of a `Reports` frame)."""
    ctx = ReportContext.from_row(report)
    rows: list[dict] = []
    last_claimant: str | None = None
    last_location: str | None = None
    for s_start, s_end in ctx.sentences:
        sentence = ctx.body[s_start:s_end]
        attributed, continues = sentence_claimant(ctx, s_start, s_end)
        if attributed:
            last_claimant = attributed
        elif continues and last_claimant:
            attributed = last_claimant
        else:
            last_claimant = None
        claimant = attributed or ctx.default_claimant
        times = find_times(sentence, ctx.published, offset=s_start)
        places = find_places(ctx, s_start, s_end)
        actors = find_actors(ctx, s_start, s_end)
        previous_noun = None
        candidates = [(a, None) for a in find_amounts(sentence)] + [
            (a, "total") for a in total_shares(sentence)
        ]
        for amount, how in sorted(candidates, key=lambda c: c[0].start):
            reading = classify(sentence, amount, previous_noun)
            if reading is None:
                continue
            previous_noun = reading.noun_class or previous_noun
            a = _shift(amount, s_start)
            qualifier, q_start = ("exact", a.start) if how else qualifier_before(ctx.body, a.start)
            qualifier, value, low, high = bounds(a, qualifier)
            location = _location(ctx, places, a, reading.category) or last_location
            last_location = location
            start, end = _period(ctx.published, times, a, reading.category)
            rows.append(
                dict(
                    report_id=ctx.report_id,
                    category=reading.category,
                    value=value,
                    qualifier=qualifier,
                    value_low=low,
                    value_high=high,
                    unit=reading.unit,
                    location=location,
                    actor=_actor(actors, places, a, reading),
                    claimant=claimant,
                    period_start=start,
                    period_end=end,
                    span_start=q_start,
                    span_end=max(a.end, s_start + reading.phrase_end),
                )
            )
    return rows


def _shift(a: Amount, offset: int) -> Amount:
    return Amount(a.start + offset, a.end + offset, a.value, a.low, a.high, a.kind, a.unit)


def _location(ctx: ReportContext, places, a: Amount, category: str) -> str | None:
    """The place a figure is about: for a share the place after it, else the nearest mention."""
    if not places:
        return ctx.city_at(a.start) if category in ("territory_share",) else None
    after = [p for p in places if p[0] >= a.end]
    if category in ("territory_share", "front_distance") and after:
        return after[0][2]
    if after and after[0][0] - a.end <= 80:
        return after[0][2]
    return min(places, key=lambda p: min(abs(p[0] - a.end), abs(a.start - p[1])))[2]


def _actor(actors, places, a: Amount, reading) -> str | None:
    """The force that acts: "by X" after the figure, else the nearest force named before it."""
    if not actors:
        return None
    if reading.category in ("displaced", "population", "surrendered"):
        return None
    noun_end = a.end
    after = [x for x in actors if x[0] > noun_end and x[0] - noun_end < 60]
    before = [x for x in actors if x[1] <= a.start]
    if reading.category in ("territory_share", "front_distance", "troops_deployed", "detained"):
        return before[-1][2] if before else (after[0][2] if after else None)
    return after[0][2] if after else (before[-1][2] if before else None)


def _period(published: date | None, times: list[TimeMention], a: Amount, category: str):
    """(period_start, period_end) for the figure, from the nearest time expression."""
    if published is None:
        return None, None
    stock = category in STOCK_CATEGORIES
    if times:
        t = min(times, key=lambda t: (min(abs(t.start - a.end), abs(a.start - t.end)), t.start < a.start))
        if stock:
            day = t.period_end if t.kind == "day" else published
            return day, day
        return t.period_start, t.period_end or published
    if stock:
        return published, published
    return None, None
