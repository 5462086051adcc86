"""Paths the tests share (imported by name: a module called conftest is ambiguous once the
notebooks' own conftest is collected in the same run)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = Path(os.environ.get("TOOLKIT_SHARED", ROOT.parent / "shared"))
