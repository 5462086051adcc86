"""Shared fixtures: the repository's data folder and helpers to write report files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import DATA


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


# Hypothesis profiles: `ci` (the default, what `make test` runs) tries 2,000 examples per
# property; HYPOTHESIS_PROFILE=dev tries 100 for a quick local run.
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover (hypothesis is a dev dependency)
    pass
else:
    _SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
    settings.register_profile(
        "ci", max_examples=2000, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True
    )
    settings.register_profile(
        "dev", max_examples=100, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
