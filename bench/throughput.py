"""End-to-end throughput (read, extract, validate) on one core, and quantulum3 as the peer.

Run with `make bench`. Uses the seeds and, when $TOOLKIT_FAKES_CSV names it, the FA-KES corpus.
"""

from __future__ import annotations

import resource
import time

import pandas as pd

from toolkit import extract_claims, extract_events, read_reports
from toolkit.corpora import fakes_path, read_fakes


def _mb(frame: pd.DataFrame) -> float:
    return frame["body"].str.encode("utf-8").str.len().sum() / 1e6


def run_toolkit(load) -> tuple[float, float, int]:
    start = time.perf_counter()
    reports = load()
    claims = extract_claims(reports)
    extract_events(reports)
    seconds = time.perf_counter() - start
    return _mb(reports), seconds, len(claims)


def run_quantulum(reports: pd.DataFrame) -> float:
    from quantulum3 import parser

    start = time.perf_counter()
    for body in reports["body"]:
        parser.parse(body)
    return time.perf_counter() - start


def main() -> None:
    corpora = {"seeds": lambda: read_reports("data/reports")}
    path = fakes_path()
    if path:
        corpora["FA-KES"] = lambda: read_fakes(path)
    else:
        print("FA-KES skipped: set TOOLKIT_FAKES_CSV to the corpus CSV")
    for name, load in corpora.items():
        run_toolkit(load)  # warm the caches (lexicons, alias patterns)
        mb, seconds, n = run_toolkit(load)
        q_seconds = run_quantulum(load())
        print(
            f"{name:7s} {mb:6.2f} MB  toolkit {seconds:6.2f} s = {mb / seconds:5.2f} MB/s "
            f"({n} claims)  quantulum3 {q_seconds:6.2f} s = {mb / q_seconds:5.2f} MB/s  "
            f"ratio {q_seconds / seconds:4.1f}x"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
