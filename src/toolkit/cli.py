"""The `toolkit` command line: validate, extract, evaluate, process."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.provenance import check_provenance
from toolkit.reports import iter_report_paths, read_reports
from toolkit.tables import read_claims, read_events


def _warn_to_stderr(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _split_inputs(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    tables = [p for p in paths if p.lower().endswith(".csv")]
    return [p for p in paths if p not in tables], tables


def cmd_validate(args: argparse.Namespace) -> int:
    report_paths, tables = _split_inputs(args.paths)
    bad = 0
    reports = None
    if report_paths:
        reports, rejects = read_reports(report_paths, errors="collect", max_bytes=args.max_bytes)
        for r in reports.itertuples():
            pub = r.published.isoformat() if pd.notna(r.published) else "no date"
            print(f"ok        {r.path}  id={r.report_id}  published={pub}  chars={r.n_chars}")
        for r in rejects.itertuples():
            print(f"REJECTED  {r.path}: {r.reason}")
        n_in = len(reports) + len(rejects)
        print(f"{n_in} report file(s): {len(reports)} valid, {len(rejects)} rejected")
        bad += len(rejects)
    for table in tables:
        try:
            frame = _read_table(table)
        except ToolkitError as exc:
            print(f"REJECTED  {exc}")
            bad += 1
            continue
        problems = check_provenance(frame, reports) if reports is not None else None
        if problems is not None and len(problems):
            for p in problems.itertuples():
                print(f"REJECTED  {table}: row {p.row} ({p.report_id}): {p.problem}")
            bad += 1
        else:
            checked = "schema and provenance" if problems is not None else "schema"
            print(f"ok        {table}: {len(frame)} rows ({checked})")
    return 1 if bad else 0


def _read_table(path: str) -> pd.DataFrame:
    header = Path(path).open(encoding="utf-8", errors="replace").readline()
    return read_events(path) if "action" in header.split(",") else read_claims(path)


def cmd_extract(args: argparse.Namespace) -> int:
    from toolkit.extract.claims import extract_claims
    from toolkit.extract.events import extract_events
    from toolkit.tables import write_table

    reports, rejects = read_reports(args.paths, errors="collect", max_bytes=args.max_bytes)
    for r in rejects.itertuples():
        print(f"rejected: {r.path}: {r.reason}", file=sys.stderr)
    claims = extract_claims(reports)
    write_table(claims, args.out)
    print(f"{len(reports)} report(s) read, {len(rejects)} rejected; "
          f"{len(claims)} claims written to {args.out}", file=sys.stderr)
    if args.events:
        events = extract_events(reports)
        write_table(events, args.events)
        print(f"{len(events)} control events written to {args.events}", file=sys.stderr)
    return 1 if len(rejects) else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from toolkit.evaluate import evaluate

    gold = Path(args.gold)
    result = evaluate(
        read_claims(args.claims),
        read_claims(gold / "claims.csv" if gold.is_dir() else gold),
        read_events(args.events) if args.events else None,
        read_events(gold / "events.csv") if args.events and gold.is_dir() else None,
    )
    print(f"claims: {result.claims.matched} matched of {result.claims.predicted} predicted "
          f"and {result.claims.gold} gold")
    for row in result.summary().itertuples():
        print(f"  {row.measure:<22} {row.value:.3f}")
    cols = ["report_id", "category", "value", "qualifier", "value_low", "value_high",
            "span_start"]
    for title, frame in (("missed", result.misses), ("spurious", result.spurious)):
        print(f"{title} claims: {len(frame)}")
        for r in frame[cols].itertuples(index=False):
            print("  " + "  ".join("" if pd.isna(v) else str(v) for v in r))
    if result.events is not None:
        ecols = ["report_id", "place", "action", "stance", "span_start"]
        for title, frame in (("missed", result.event_misses), ("spurious", result.event_spurious)):
            print(f"{title} events: {len(frame)}")
            for r in frame[ecols].itertuples(index=False):
                print("  " + "  ".join(str(v) for v in r))
    return 0


def cmd_process(args: argparse.Namespace) -> int:
    from toolkit.pipeline import build_processed

    written = build_processed(args.reports, args.curated, args.out)
    for path in written:
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toolkit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate report files and claims/events CSVs")
    p.add_argument("paths", nargs="+", help="report files, folders, or claims/events CSVs")
    p.add_argument("--max-bytes", type=int, default=5_000_000, help="size limit per report")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("extract", help="extract claims (and control events) to CSV")
    p.add_argument("paths", nargs="+", help="report files or folders")
    p.add_argument("--out", required=True, help="claims CSV to write")
    p.add_argument("--events", help="control events CSV to write")
    p.add_argument("--max-bytes", type=int, default=5_000_000, help="size limit per report")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("evaluate", help="score extracted claims against a gold annotation")
    p.add_argument("--claims", required=True, help="predicted claims CSV")
    p.add_argument("--events", help="predicted events CSV")
    p.add_argument("--gold", default="data/curated", help="gold folder or claims CSV")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("process", help="write validated reports and curated tables")
    p.add_argument("--reports", default="data/reports")
    p.add_argument("--curated", default="data/curated")
    p.add_argument("--out", default="data/processed")
    p.set_defaults(func=cmd_process)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    warnings.showwarning = _warn_to_stderr
    try:
        return args.func(args)
    except ToolkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover
        return 1


if __name__ == "__main__":
    sys.exit(main())
