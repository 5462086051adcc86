"""End-to-end throughput (read, extract, validate) on one core, and quantulum3 as the peer.

Run with `make bench`. Uses the seeds and, when $TOOLKIT_FAKES_CSV names it, the FA-KES corpus.
Then streams replicated corpora of 1x and 8x that size from report files through the
partitioned engine, each in a fresh process, to show that peak memory does not grow with
the input.
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
from scale import build_corpus, run_local, templates

from toolkit import read_reports
from toolkit.alternation import lowered
from toolkit.corpora import fakes_path, read_fakes
from toolkit.extract.batch import extract_all
from toolkit.extract.sentences import split_sentences
from toolkit.scan import Hits
from toolkit.schemas import Claims, ControlEvents


def _mb(frame: pd.DataFrame) -> float:
    return frame["body"].str.encode("utf-8").str.len().sum() / 1e6


def run_toolkit(load) -> tuple[float, float, int]:
    start = time.perf_counter()
    reports = load()
    claims, _, _ = extract_all(reports)  # claims, rejects and events, as `toolkit extract`
    seconds = time.perf_counter() - start
    return _mb(reports), seconds, len(claims)


def run_floor(load) -> float:
    """Seconds for the work every run does before and after the rules: read the reports,
    split their sentences, one pass of the cue automaton, validate the tables.
    No rule runs, so this bounds the throughput any rule set can reach in this design."""
    reports = load()
    claims, _, events = extract_all(reports)
    start = time.perf_counter()
    reports = load()
    for body in reports["body"]:
        list(split_sentences(body))
        Hits.of(lowered(body))
    Claims.validate(claims.copy())
    ControlEvents.validate(events.copy())
    return time.perf_counter() - start


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
        floor = run_floor(load)
        print(
            f"{'':7s} {'':6s}    floor  {floor:6.2f} s = {mb / floor:5.2f} MB/s (read, split, "
            f"one automaton pass, validate: no rule run)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:.0f} MB")
    memory_as_input_grows(len(corpora["FA-KES"]()) if "FA-KES" in corpora else 800)


def memory_as_input_grows(n: int, factors: tuple[int, ...] = (1, 8)) -> None:
    """Peak memory of the streaming engine over n and 8n report files (fresh processes)."""
    sources = templates()
    peaks = []
    for factor in factors:
        tmp = Path(tempfile.mkdtemp(prefix="toolkit-bench-", dir="/tmp"))
        try:
            mb = build_corpus(tmp / "corpus", n * factor, sources)
            row = run_local(tmp / "corpus", tmp / "out", partition_size=200)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        peaks.append(row["peak_mb"][0])
        print(
            f"streamed {n * factor:6,} report files {mb:6.1f} MB: {row['mb_per_s']:5.2f} MB/s "
            f"(read, extract, validate, write), peak resident memory {peaks[-1]:.0f} MB"
        )
    print(f"peak memory at {factors[-1]}x the input: {peaks[-1] / peaks[0]:.2f}x")


if __name__ == "__main__":
    main()
