"""nbval settings for the notebooks (`make test` runs them against their stored outputs).

A figure's stored JSON carries plotly's whole template, which changes between plotly
releases without any change in what is plotted, so that mimetype is not compared. The
numbers behind every figure are also shown as a table or text, which nbval compares.

A notebook that needs external data names the environment variables it needs in its
metadata (`toolkit.requires_env`); without them its cells are skipped, with the reason.
"""

from __future__ import annotations

import pytest

from toolkit.report import missing_requirements


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("application/vnd.plotly.v1+json", "text/html")


def pytest_collection_modifyitems(config, items):
    missing: dict[str, list[str]] = {}
    for item in items:
        path = str(item.fspath)
        if not path.endswith(".ipynb"):
            continue
        if path not in missing:
            missing[path] = missing_requirements(path)
        if missing[path]:
            item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(missing[path])}"))
