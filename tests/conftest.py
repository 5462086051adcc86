"""Shared fixtures: the repository's data folder and helpers to write report files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = Path(os.environ.get("TOOLKIT_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def write_report(tmp_path):
    """Write a report file under tmp_path and return its path."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path

    return _write


@pytest.fixture(scope="session")
def seed_reports():
    from toolkit.reports import read_reports

    return read_reports(DATA / "reports")
