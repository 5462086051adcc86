"""Load the YAML lexicons shipped with the package (cue words, number words, ...)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load(name: str) -> dict[str, Any]:
    """Return the lexicon `name` (file lexicons/NAME.yml) as a dict."""
    text = resources.files("toolkit").joinpath("lexicons", f"{name}.yml").read_text("utf-8")
    return yaml.safe_load(text)
