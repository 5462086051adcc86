"""The HTML report: built from the stored notebooks, opened in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from browser import browser, needs_chromium, visit
from plotly.offline import get_plotlyjs

from toolkit.report import build_report, index_page, notebook_page

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report"
    pages = build_report(NOTEBOOKS, out, execute=False)
    return out, pages


def test_every_notebook_has_a_page_and_a_link(report):
    out, pages = report
    assert [p.notebook.stem for p in pages] == [n.stem for n in NOTEBOOKS]
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert f'href="{page.notebook.stem}.html"' in index
        assert (out / f"{page.notebook.stem}.html").is_file()


def test_pages_embed_plotly_and_fetch_nothing(report):
    out, pages = report
    for page in pages:
        text = (out / f"{page.notebook.stem}.html").read_text(encoding="utf-8")
        # no element loads anything remote (plotly.js itself mentions URLs it never fetches)
        assert not re.search(r"<(script|img|iframe)[^>]+src=[\"']?(https?:)?//", text)
        assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", text)
        assert get_plotlyjs()[:500] in text
        if page.n_figures:
            assert "Plotly.newPlot" in text
            assert text.count('class="plotly-graph-div"') == page.n_figures


def test_index_escapes_titles(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# <script>x()</script>")])
    page = notebook_page(nb, tmp_path / "01_x.ipynb")
    assert "<script>x()</script>" not in index_page([page])
    assert "&lt;script&gt;x()&lt;/script&gt;" in index_page([page])


def test_rebuild_replaces_the_report_whole(tmp_path):
    out = tmp_path / "report"
    build_report(NOTEBOOKS[:1], out, execute=False)
    (out / "stale.html").write_text("old", encoding="utf-8")
    build_report(NOTEBOOKS[:1], out, execute=False)
    assert not (out / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


@pytest.mark.browser
@needs_chromium
def test_figures_render_offline_in_chromium(report):
    out, pages = report
    driver = browser()
    try:
        for page in pages:
            seen = visit(driver, out / f"{page.notebook.stem}.html")
            assert seen.figures == page.n_figures, page.notebook.name
            assert seen.drawn == page.n_figures, page.notebook.name
            assert seen.console_errors == [], page.notebook.name
            assert seen.remote_requests == [], page.notebook.name
    finally:
        driver.quit()


@pytest.mark.browser
@needs_chromium
def test_the_browser_check_catches_remote_requests_and_errors(tmp_path):
    # the check above must be able to fail: a page that fetches and throws is caught
    page = tmp_path / "bad.html"
    page.write_text(
        '<html><body><img src="http://192.0.2.1/x.png">'
        "<script>throw new Error('boom')</script></body></html>",
        encoding="utf-8",
    )
    driver = browser()
    try:
        seen = visit(driver, page, wait=1)
    finally:
        driver.quit()
    assert seen.figures == 0
    assert any("192.0.2.1" in url for url in seen.remote_requests)
    assert any("boom" in message for message in seen.console_errors)


HOSTILE = (
    '<script data-injected="1">alert(1)</script>'
    '<img src="x" onerror="alert(2)" data-injected="1">'
    '<a href="javascript:alert(3)" data-injected="1">click</a>'
)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """A report whose title, outlet, via and body carry markup, through a notebook to HTML."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "evil.md").write_text(
        "---\n"
        f"title: '{HOSTILE}'\n"
        f"outlet: '{HOSTILE}'\n"
        f"via: '{HOSTILE}'\n"
        "published: 2016-12-01\n"
        "---\n"
        f"More than 1,000 people fled on Friday, according to {HOSTILE}.\n",
        encoding="utf-8",
    )
    code = (
        "from toolkit import read_reports, extract_claims\n"
        "from toolkit.analysis.corpus import corpus_overview\n"
        "from toolkit.plots import use_mimetype_renderer\n"
        "from toolkit.plots.corpus import corpus_timeline\n"
        "use_mimetype_renderer()\n"
        f"reports = read_reports({str(folder)!r})\n"
        "claims = extract_claims(reports)\n"
        "overview = corpus_overview(reports, claims)\n"
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Hostile input"),
            nbformat.v4.new_code_cell(code),
            nbformat.v4.new_code_cell("reports[['title', 'outlet', 'via', 'body']]"),
            nbformat.v4.new_code_cell("print(reports.loc[0, 'title'])"),
            nbformat.v4.new_code_cell("corpus_timeline(overview)"),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    path = folder / "01_hostile.ipynb"
    nbformat.write(nb, path)
    out = folder / "report"
    build_report([path], out, execute=True)
    return out / "01_hostile.html"


def test_hostile_text_is_escaped_in_the_page(hostile_report):
    text = hostile_report.read_text(encoding="utf-8")
    for raw in ("<script data-injected", '<img src="x" onerror', '<a href="javascript:'):
        assert raw not in text
    assert "&lt;script data-injected" in text


@pytest.mark.browser
@needs_chromium
def test_hostile_text_runs_no_script_in_chromium(hostile_report):
    driver = browser()
    try:
        seen = visit(driver, hostile_report)
        # hovering a point draws its label: it must stay text too
        driver.execute_script(
            "const d = document.querySelector('div.plotly-graph-div');"
            "Plotly.Fx.hover(d, [{curveNumber: 0, pointNumber: 0}]);"
        )
        after_hover = driver.execute_script(
            "return document.querySelectorAll('[data-injected], img[onerror]').length"
        )
        alerts = driver.execute_script("return window.__alerts")
    finally:
        driver.quit()
    assert seen.figures == 1 and seen.drawn == 1
    assert seen.alerts == 0 and alerts == 0
    assert seen.injected == 0 and after_hover == 0
    assert seen.console_errors == []
