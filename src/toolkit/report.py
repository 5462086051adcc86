"""Run the notebooks and write the offline HTML report (`make report`).

Each notebook is executed in a fresh kernel, converted to one self-contained HTML page
(plotly.js embedded once, no CDN), and linked from `index.html`. Pages are written to a
temporary folder first and moved into place at the end, so an interrupted run leaves the
previous report intact.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat

PLOTLY_MIME = "application/vnd.plotly.v1+json"


@dataclass(frozen=True)
class Page:
    """One notebook page of the report."""

    notebook: Path
    html: str
    title: str
    n_figures: int


def execute_notebook(path: str | Path, timeout: int = 600, inplace: bool = False):
    """Execute a notebook in a fresh kernel started in its own folder; return the result."""
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
    ).execute()
    if inplace:
        _write_atomic(path, nbformat.writes(nb) + "\n")
    return nb


def missing_requirements(path: str | Path) -> list[str]:
    """Environment variables a notebook needs (metadata `toolkit.requires_env`) that do not
    name an existing file here; such a notebook is skipped rather than run without its data."""
    nb = nbformat.read(path, as_version=4)
    needed = nb.metadata.get("toolkit", {}).get("requires_env", [])
    return [v for v in needed if not (os.environ.get(v) and Path(os.environ[v]).exists())]


def notebook_title(nb) -> str:
    """The first Markdown heading of a notebook, else 'Notebook'."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "Notebook"


def _plotly_html(bundle: dict, div_id: str) -> str:
    """A figure's stored JSON as a div and a call to the embedded plotly.js."""
    spec = json.dumps(
        {
            "data": bundle.get("data", []),
            "layout": bundle.get("layout", {}),
            "config": {**bundle.get("config", {}), "responsive": True},
        },
    )
    # "</" inside a script element would end it early: escape it in the JSON
    spec = spec.replace("</", "<\\/")
    return (
        f'<div id="{div_id}" class="plotly-graph-div" style="height:480px; width:100%;"></div>'
        f"<script>(function(){{var s={spec};"
        f'Plotly.newPlot("{div_id}", s.data, s.layout, s.config);}})();</script>'
    )


def _with_figures_as_html(nb) -> tuple[object, int]:
    """Give each plotly output a text/html rendering the HTML exporter will pick."""
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                n += 1
                data["text/html"] = _plotly_html(data[PLOTLY_MIME], f"figure-{n}")
                for key in [k for k in data if k not in ("text/html",)]:
                    del data[key]
    return nb, n


def notebook_page(nb, path: Path) -> Page:
    """Convert an executed notebook to one standalone HTML page with plotly.js inline."""
    from nbconvert import HTMLExporter
    from plotly.offline import get_plotlyjs

    nb, n = _with_figures_as_html(nb)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    # no CDN: the exporter's own remote scripts (require.js, MathJax) are dropped
    body = _drop_remote_scripts(body)
    script = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    body = body.replace("</head>", script + "\n</head>", 1)
    return Page(path, body, notebook_title(nb), n)


def _drop_remote_scripts(page: str) -> str:
    import re

    page = re.sub(r"<script[^>]+src=\"https?://[^\"]*\"[^>]*>\s*</script>", "", page)
    page = re.sub(r"<link[^>]+href=\"https?://[^\"]*\"[^>]*>", "", page)
    return page


def index_page(
    pages: Iterable[Page],
    title: str = "Claims in conflict reporting",
    skipped: Iterable[tuple[Path, list[str]]] = (),
) -> str:
    """The report's index: one escaped link per notebook page, and what was not built."""
    items = "\n".join(
        f'<li><a href="{html.escape(p.notebook.stem)}.html">{html.escape(p.title)}</a>'
        f" ({p.n_figures} figure{'s' if p.n_figures != 1 else ''})</li>"
        for p in pages
    )
    items += "".join(
        f"\n<li>{html.escape(path.stem)}: not built, needs {html.escape(', '.join(env))}</li>"
        for path, env in skipped
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body><h1>{html.escape(title)}</h1>\n"
        f"<p>Executed notebooks, one page each. Figures are interactive and work offline.</p>\n"
        f"<ol>\n{items}\n</ol>\n</body></html>\n"
    )


def build_report(
    notebooks: Iterable[str | Path], out_dir: str | Path, execute: bool = True
) -> list[Page]:
    """Execute each notebook (fresh kernel), write one page each and index.html to out_dir."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    pages, skipped = [], []
    for path in sorted(Path(p) for p in notebooks):
        missing = missing_requirements(path)
        if missing and execute:
            skipped.append((path, missing))
            continue
        nb = execute_notebook(path) if execute else nbformat.read(path, as_version=4)
        pages.append(notebook_page(nb, path))
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    for page in pages:
        (staging / f"{page.notebook.stem}.html").write_text(page.html, encoding="utf-8")
    (staging / "index.html").write_text(index_page(pages, skipped=skipped), encoding="utf-8")
    _replace_dir(staging, out)
    return pages


def _replace_dir(new: Path, target: Path) -> None:
    # swap folders with renames so readers see the old report or the new one, never half
    old = target.with_name(f".{target.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    """`python -m toolkit.report --execute NB...` re-executes notebooks in place."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m toolkit.report")
    parser.add_argument("--execute", nargs="+", required=True, metavar="NOTEBOOK")
    args = parser.parse_args(argv)
    for path in args.execute:
        execute_notebook(path, inplace=True)
        print(f"executed {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
