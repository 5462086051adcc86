"""nbval settings for the notebooks (`make test` runs them against their stored outputs).

A figure's stored JSON carries plotly's whole template, which changes between plotly
releases without any change in what is plotted, so that mimetype is not compared. The
numbers behind every figure are also shown as a table or text, which nbval compares.
"""


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("application/vnd.plotly.v1+json", "text/html")
