"""Analyses behind the notebooks: frames in, frames out, no plotting.

Each module answers one question of the notebooks: `dataset` loads what they share,
`displacement` (flows, rates, interval reconstruction), `disagreement` (claimants,
republication, framing), `front` (territory shares, control events) and `quality`
(the extractor against the curated annotation).
"""
